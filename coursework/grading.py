"""Autograding helpers on an nbgrader course made by ``coursework.build`` (used by the tests).

The usual nbgrader flow, scripted: put a student's notebook where nbgrader collects it
(``submitted/<student>/<assignment>/<notebook>.ipynb``), run ``nbgrader autograde``, and read
the scores from the gradebook (``gradebook.db``) through nbgrader's ``Gradebook`` API.
"""

import json
import subprocess
import sys
from pathlib import Path

import nbformat

from .build import nbgrader_env, run_nbgrader

_SCORES = """
import json, sys
from nbgrader.api import Gradebook

db, assignment = sys.argv[1:3]
out = {}
with Gradebook(db) as gb:
    for sub in gb.assignment_submissions(assignment):
        grades = {"total": [sub.score, sub.max_score], "late_penalty": sub.late_submission_penalty}
        for nb in sub.notebooks:
            for grade in nb.grades:
                grades[grade.name] = [grade.score, grade.max_score]
        out[sub.student.id] = grades
print(json.dumps(out))
"""


def submit(course, assignment, student, nb, name):
    """Place notebook ``nb`` (an nbformat node) as ``student``'s submission ``name``."""
    dest = Path(course) / "submitted" / student / assignment / name
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)
    return dest


def autograde(course, assignment):
    """``nbgrader autograde`` every submission of ``assignment`` (creating the students)."""
    return run_nbgrader(course, "autograde", assignment, "--force")


def scores(course, assignment):
    """``{student: {"total": [score, max], grade_id: [score, max], ..., "late_penalty": p}}``
    from the gradebook (``score`` before the late penalty ``p``, which is None when on time).

    Read in a subprocess: nbgrader's Gradebook shells out to ``alembic`` and brings SQLAlchemy
    along, neither of which belongs in the caller's process.
    """
    db = f"sqlite:///{Path(course).resolve() / 'gradebook.db'}"
    proc = subprocess.run(
        [sys.executable, "-c", _SCORES, db, assignment],
        capture_output=True,
        text=True,
        env=nbgrader_env(),
        check=False,
    )
    if proc.returncode:
        raise RuntimeError(f"reading the gradebook failed:\n{proc.stderr}")
    return json.loads(proc.stdout)

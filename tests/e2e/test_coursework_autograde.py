"""End to end with nbgrader: generate the release versions, autograde submissions, read the gradebook.

The matrix (solutions -> full points; untouched student version -> zero, no crash; a wrong answer
-> loses exactly that exercise's points, every part of it and nothing else, for each exercise in
turn) runs on the quickest notebook with two answers and a check split into parts (10), in a
course of its own. The fixture notebook's typical mistakes (a factor 2, a missing transpose, a shortcut)
are graded cell by cell in tests/e2e/test_coursework_term.py. Every notebook's release version is
checked in tests/repo/test_coursework_release.py and every student version runs in
tests/e2e/test_student_runs.py; grading all ten here would take several minutes more
(``COURSEWORK_AUTOGRADE_ALL=1``). Marked ``coursework`` (it needs nbgrader) and ``slow``.
"""

import os

import nbformat
import pytest

from coursework import build, grading
from coursework.testing import FIXTURE_GRADER, fixture_notebook, require_nbgrader, wrong_answer

pytestmark = [pytest.mark.coursework, pytest.mark.slow]

FIXTURE = "91_fixture_exercises"


def _real_assignments():
    found = []
    for path in build.notebook_paths():
        try:
            if build.find_exercises(nbformat.read(path, as_version=4)):
                found.append(path)
        except build.PatternError:  # reported by tests/repo/test_coursework_build.py
            continue
    return found


REAL = _real_assignments()


def _answers_and_parts(path):
    exercises = build.find_exercises(nbformat.read(path, as_version=4))
    return len({e.answer_id for e in exercises}) >= 2 and any(e.part for e in exercises)


# the quickest notebook to run (≈ 2.5 s) with two answers and a check split into parts
QUICK = "10_from_backprop_to_autodiff"
# COURSEWORK_AUTOGRADE_ALL=1: every notebook and the fixture (several minutes more)
ASSIGNMENTS = [FIXTURE] + [p.stem for p in REAL] if os.environ.get("COURSEWORK_AUTOGRADE_ALL") else [QUICK]


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    """One assignment (the fixture or a real notebook) autograded for several students, in a
    course of its own: ``(assignment, exercises, {student: scores})``. Selecting one with
    ``-k`` builds and grades only that one."""
    require_nbgrader()
    assignment = request.param
    tmp = tmp_path_factory.mktemp(assignment)
    course = tmp / "course"
    path = fixture_notebook(tmp) if assignment == FIXTURE else next(p for p in REAL if p.stem == assignment)
    exercises = build.build_course(course, [path])[assignment]
    name = assignment + ".ipynb"
    solution = nbformat.read(course / "source" / assignment / name, as_version=4)
    release = nbformat.read(course / "release" / assignment / name, as_version=4)
    grading.submit(course, assignment, "solutions", solution, name)
    grading.submit(course, assignment, "untouched", release, name)
    for k, exercise in enumerate(exercises):
        grading.submit(course, assignment, f"wrong-{k}", wrong_answer(solution, exercise), name)
    with pytest.MonkeyPatch.context() as env:  # the fixture's hidden tests: fixture_grader.py
        env.setenv("PYTHONPATH", str(FIXTURE_GRADER))
        grading.autograde(course, assignment)  # raises if nbgrader fails
    return assignment, exercises, grading.scores(course, assignment)


def test_every_notebook_after_00_has_exercises():
    assert [p.stem[:2] for p in REAL] == [f"{k:02d}" for k in range(1, 11)]
    assert _answers_and_parts(next(p for p in REAL if p.stem == QUICK))


def _autograded(exercises):
    return sum(e.points for e in exercises)


def test_solutions_get_full_points(graded):
    _, exercises, scores = graded
    total = _autograded(exercises)
    # written answers wait for a person: 0 until graded by hand (tests/e2e/test_coursework_term.py)
    assert scores["solutions"]["total"][0] == total
    for e in exercises:
        assert scores["solutions"][e.check_id] == [e.points, e.points], e.check_id


def test_untouched_student_version_gets_zero_without_crashing(graded):
    _, exercises, scores = graded
    assert scores["untouched"]["total"][0] == 0
    assert all(scores["untouched"][e.check_id][0] == 0 for e in exercises)


def test_each_wrong_answer_loses_exactly_its_points(graded):
    _, exercises, scores = graded
    total = _autograded(exercises)
    for k, wrong in enumerate(exercises):
        got = scores[f"wrong-{k}"]
        # every part of the wrong answer's check is lost, nothing else
        lost = [e for e in exercises if e.answer_id == wrong.answer_id]
        assert got["total"][0] == total - _autograded(lost), wrong.check_id
        expected = {e.check_id: [0, e.points] if e in lost else [e.points, e.points] for e in exercises}
        assert {e.check_id: got[e.check_id] for e in exercises} == expected

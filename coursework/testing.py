"""Helpers shared by ``tests/test_coursework_*.py`` (not used by the build itself)."""

import os
from pathlib import Path

import jupytext
import nbformat
import pytest

from .build import BEGIN_HIDDEN, BEGIN_SOLUTION, END_HIDDEN, END_SOLUTION, ROOT, find_exercises, find_practice

FIXTURE = ROOT / "tests" / "fixtures" / "coursework" / "91_fixture_exercises.py"


def require_nbgrader():
    """Skip without nbgrader (a learner's install), except in CI, where it must be there."""
    if os.environ.get("CI"):
        import nbgrader  # noqa: F401  (an ImportError fails the run: `make test` installs it)
    else:
        pytest.importorskip("nbgrader", reason="instructor extras missing: run `make instructor`")


def fixture_notebook(directory):
    """Write the fixture notebook as ``.ipynb`` into ``directory``; return its path."""
    path = Path(directory) / (FIXTURE.stem + ".ipynb")
    nbformat.write(jupytext.read(FIXTURE), path)
    return path


def _split(source):
    """(lines inside solution/hidden-test regions, lines outside them), stripped, markers left out."""
    inside, outside, state = [], [], None
    ends = {BEGIN_SOLUTION: END_SOLUTION, BEGIN_HIDDEN: END_HIDDEN}
    for line in source.split("\n"):
        code = line.strip()
        if state is None and code in ends:
            state = ends[code]
        elif state is not None and code == state:
            state = None
        else:
            (inside if state else outside).append(code)
    return inside, outside


def secret_lines(nb):
    """Lines of ``nb`` that only its solution and hidden-test regions, and its written answers'
    model answers, contain (stripped)."""
    secret, public = set(), set()
    for cell in nb.cells:
        if cell.metadata.get("written"):  # a written answer's model answer and rubric, whole
            secret.update(line.strip() for line in cell.source.split("\n"))
            continue
        inside, outside = _split(cell.source)
        secret.update(inside)
        public.update(outside)
    return secret - public - {""}


def leaks(solution_nb, student_nb):
    """What of the solution notebook's secrets shows in ``student_nb``: a list of messages."""
    problems = []
    for i, cell in enumerate(student_nb.cells):
        if cell.cell_type != "code":
            continue
        for marker in (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN):
            if marker in cell.source:
                problems.append(f"cell {i} still has {marker!r}")
    shown = {line.strip() for cell in student_nb.cells for line in cell.source.split("\n")}
    problems += [
        f"solution or hidden-test line shown: {line!r}" for line in sorted(secret_lines(solution_nb) & shown)
    ]
    return problems


def wrong_answer(nb, exercise):
    """A copy of ``nb`` whose answer to ``exercise`` returns twice the right value.

    Generic (the real notebooks' exercises differ): the correct function is wrapped by one that
    doubles each array it returns, as a learner's stray factor 2 would.
    """
    nb = nbformat.from_dict(nb)
    cell = nb.cells[exercise.answer_cell]
    name = exercise.answer_id
    cell.source += (
        f"\n\n\n_right_{name} = {name}\n\n\n"
        f"def {name}(*args, **kwargs):  # deliberately wrong: twice the right answer\n"
        f"    out = _right_{name}(*args, **kwargs)\n"
        f"    return tuple(2 * o for o in out) if isinstance(out, tuple) else 2 * out\n"
    )
    return nb


def solution_functions(path):
    """``{answer_id: function}``: the worked solutions of the notebook ``path`` (``.ipynb``),
    each answer cell executed on its own with the names the series' answers use."""
    import math

    import numpy as np

    import backprop_lib
    from backprop_lib.autodiff import Value

    nb = nbformat.read(path, as_version=4)
    functions = {}
    for exercise in find_exercises(nb, Path(path).name) + find_practice(nb, Path(path).name):
        namespace = {"np": np, "math": math, "bp": backprop_lib, "Value": Value}
        exec(compile(nb.cells[exercise.answer_cell].source, f"<{exercise.answer_id}>", "exec"), namespace)
        functions[exercise.answer_id] = namespace[exercise.answer_id]
    return functions


def exercises_of(path):
    return find_exercises(nbformat.read(path, as_version=4), Path(path).name)


FIXTURE_GRADER = FIXTURE.parent  # holds fixture_grader.py, the fixture's hidden tests


def with_answer(nb, index, old, new):
    """A copy of ``nb`` whose cell ``index`` has ``old`` replaced by ``new`` (which must occur)."""
    nb = nbformat.from_dict(nb)
    if old not in nb.cells[index].source:
        raise ValueError(f"cell {index} has no {old!r}")
    nb.cells[index].source = nb.cells[index].source.replace(old, new)
    return nb

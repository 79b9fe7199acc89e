"""What a student receives, read cell by cell in the committed student versions (student/):
the set-up is locked and never in an answer cell, nothing near an exercise shows its answer,
and student/00 sends students to the student versions.

tests/repo/test_student_versions.py keeps student/ in step with notebooks/, and
tests/repo/test_coursework_release.py checks that no solution or hidden-test line survives in
a student version; this file checks the layout around the exercises.
"""

import ast
import re

import nbformat
import pytest

from coursework import build

STUDENT = sorted(build.STUDENT.glob("[0-9][0-9]_*.ipynb"))
WITH_EXERCISES = [p for p in STUDENT if not p.name.startswith("00_")]


def _role(cell):
    """'answer', 'check', 'written', 'locked' (set-up) or '' for any other cell."""
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("solution"):
        return "written" if cell.cell_type == "markdown" else "answer"
    if meta.get("grade"):
        return "check"
    if meta.get("locked"):
        return "locked"
    return ""


def _imports(source):
    """Names that ``source`` imports."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def test_there_are_student_versions():
    assert len(WITH_EXERCISES) == 10


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=lambda p: p.stem)
def test_set_up_is_locked_and_never_in_an_answer_cell(path):
    nb = nbformat.read(path, as_version=4)
    roles = [_role(c) for c in nb.cells]
    for i, cell in enumerate(nb.cells):
        if roles[i] == "answer":
            assert not _imports(cell.source), f"{path.name} cell {i}: an import in an answer cell"
    locked = [c for c, r in zip(nb.cells, roles, strict=True) if r == "locked"]
    assert locked and all(c.metadata.get("editable") is False for c in locked), path.name
    imported = set().union(*(_imports(c.source) for c in locked))
    called = {
        name
        for c, r in zip(nb.cells, roles, strict=True)
        if r == "check"
        for name in re.findall(r"\b(check_\w+)\(", c.source)
    }
    assert called and called <= imported, f"{path.name}: {sorted(called - imported)} not imported in set-up"


def _exercise_blocks(nb, roles):
    """For each answer cell: (first, last) indices of its task text, answer and checks."""
    blocks = []
    for i, role in enumerate(roles):
        if role != "answer":
            continue
        first = i - 1 if i and nb.cells[i - 1].cell_type == "markdown" else i
        last = i
        while last + 1 < len(roles) and roles[last + 1] == "check":
            last += 1
        blocks.append((first, last))
    return blocks


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=lambda p: p.stem)
def test_nothing_next_to_an_exercise_computes_or_prints_an_answer(path):
    """From an exercise's task to its last check there are only its task text, its answer cell
    and its check cells, a check cell holds only check calls, and none keeps an output. (The
    teaching cells before an exercise section are read by the next test for the two answers
    the issue found there; solution lines anywhere by tests/repo/test_coursework_release.py.)"""
    nb = nbformat.read(path, as_version=4)
    roles = [_role(c) for c in nb.cells]
    blocks = _exercise_blocks(nb, roles)
    assert blocks, path.name
    for first, last in blocks:
        for k in range(first, last + 1):
            cell = nb.cells[k]
            assert cell.cell_type == "markdown" or roles[k] in ("answer", "check"), (
                f"{path.name} cell {k}: code inside an exercise"
            )
            if roles[k] == "check":
                calls = [line.strip() for line in cell.source.strip().split("\n")]
                assert all(re.fullmatch(r"check_\w+\(.*\)", line) for line in calls), (
                    f"{path.name} cell {k}: a check cell that does more than check: {cell.source!r}"
                )
                assert not cell.outputs, f"{path.name} cell {k}: a student version keeps no output"


def test_the_two_answers_the_issue_found_are_gone_from_the_student_versions():
    """student/07 printed dZ_fused = (Yhat - Y) / n beside exercise 2 (the weighted gradient)
    and student/09's check of the ReLU prediction was exercise 2's loop."""
    nb07 = nbformat.read(build.STUDENT / "07_softmax_digits.ipynb", as_version=4)
    roles = [_role(c) for c in nb07.cells]
    first, _ = min(_exercise_blocks(nb07, roles))
    exercises = "\n".join(c.source for c in nb07.cells[first - 3 :] if c.cell_type == "code")
    assert "Yhat - Y" not in exercises
    nb09 = nbformat.read(build.STUDENT / "09_initialization_and_vanishing_gradients.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb09.cells if c.cell_type == "code")
    assert "predicted.append" not in code and "ie.predicted_z_variances(" in code


def test_notebook_04s_worked_column_convention_stays_out_of_the_student_version():
    """Five cells after exercise 2 of 04 (the backward pass in the column convention), the
    solution notebook tabulates its three formulas and computes them on the batch: a worked
    solution, in notebooks/ only."""
    solution = nbformat.read(build.NOTEBOOKS / "04_matrix_form.ipynb", as_version=4)
    student = nbformat.read(build.STUDENT / "04_matrix_form.ipynb", as_version=4)
    answer = ("dz_col @ a_prev_col.T", "dz_col.sum(axis=1", "W_col.T @ dz_col", "d\\mathbf W_{\\text{col}} =")
    for text in answer:
        assert any(text in c.source for c in solution.cells), text
        assert not any(text in c.source for c in student.cells), text


def test_student_00_links_open_student_versions_and_says_where_they_live():
    nb = nbformat.read(build.STUDENT / "00_start_here.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    binder = re.findall(r"https://mybinder\.org/v2/[^\s)\"]+", text)
    assert len(binder) >= 11  # the map: one badge per notebook
    assert all("urlpath=lab/tree/student/" in url for url in binder), binder
    assert "tree/notebooks/" not in text
    assert "will live" not in text
    assert "student versions in its `student/` folder" in " ".join(text.split())

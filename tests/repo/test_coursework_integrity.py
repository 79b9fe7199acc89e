"""coursework.integrity: a submission's cells that rebind what its check cells call, or set
attributes of imported modules, are named; the solutions and the student versions are not."""

import copy

import nbformat
import pytest

from coursework import build, integrity

NB08 = build.NOTEBOOKS / "08_optimizers_and_minibatches.ipynb"


@pytest.fixture(scope="module")
def source():
    return build.annotate(nbformat.read(NB08, as_version=4), NB08.name)


def _answer(nb, grade_id):
    (cell,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    return cell


def test_the_solutions_and_the_student_versions_are_clean(source):
    for path in build.notebook_paths():
        nb = nbformat.read(path, as_version=4)
        if build.find_exercises(nb, path.name):
            annotated = build.annotate(nb, path.name)
            assert integrity.suspicious_cells(annotated) == [], path.name
    student = nbformat.read(build.STUDENT / NB08.name, as_version=4)
    assert integrity.suspicious_cells(student, source) == []


@pytest.mark.parametrize(
    "code, reason",
    [
        (  # the four lines that scored notebook 08's Adam points under nbgrader
            "def check_adam_step(*args, **kwargs):\n    return True\n\n\n"
            "def hidden_tests(*args, **kwargs):\n    return None",
            "rebinds check_adam_step, hidden_tests (called by the check cells)",
        ),
        ("hidden_tests = print", "rebinds hidden_tests"),
        (
            "import backprop_course.exercises.feedback as f\nf.hidden_tests = lambda *a, **k: None",
            "sets f.hidden_tests (an attribute of f)",
        ),
        ("oe.two_circles = None", "sets oe.two_circles"),
        ("setattr(oe, 'x', 1)", "calls setattr()"),
        ("import sys\nsys.modules['coursework.grader'] = None", "uses sys.modules"),
    ],
)
def test_tampering_in_an_answer_cell_or_an_added_cell_is_named(source, code, reason):
    student = nbformat.read(build.STUDENT / NB08.name, as_version=4)
    submission = copy.deepcopy(student)
    _answer(submission, "adam_step").source += "\n\n\n" + code
    ((cell, reasons),) = integrity.suspicious_cells(submission, source)
    assert cell == "adam_step" and any(reason in r for r in reasons), reasons
    added = copy.deepcopy(student)
    added.cells.insert(1, nbformat.v4.new_code_cell(code))  # a cell of the student's own
    ((cell, reasons),) = integrity.suspicious_cells(added, source)
    assert cell.startswith("code cell") and any(reason in r for r in reasons), reasons


def test_scan_submissions_reads_every_students_notebook(tmp_path, source):
    course = tmp_path
    (course / "source" / NB08.stem).mkdir(parents=True)
    nbformat.write(source, course / "source" / NB08.stem / NB08.name)
    for student, extra in (("s001", ""), ("s002", "\nhidden_tests = print")):
        nb = nbformat.read(build.STUDENT / NB08.name, as_version=4)
        _answer(nb, "adam_step").source += extra
        (course / "submitted" / student / NB08.stem).mkdir(parents=True)
        nbformat.write(nb, course / "submitted" / student / NB08.stem / NB08.name)
    assert integrity.scan_submissions(course, NB08.stem) == [
        ("s002", NB08.name, "adam_step", ["rebinds hidden_tests (called by the check cells)"])
    ]

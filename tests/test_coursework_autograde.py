"""End to end with nbgrader: generate the release versions, autograde submissions, read the gradebook.

The full matrix (solutions -> full points; untouched student version -> zero, no crash; one wrong
answer -> loses exactly that exercise's points) runs on the fixture notebook and on the first
real notebook with exercises; it executes each notebook three times, so it stays on two.
"""

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the coursework/ tooling lives at the repository root

from coursework import build, grading  # noqa: E402
from coursework.testing import fixture_notebook, require_nbgrader, wrong_answer  # noqa: E402

FIXTURE = "91_fixture_exercises"


def _first_real_assignment():
    for path in build.notebook_paths():
        try:
            if build.find_exercises(nbformat.read(path, as_version=4)):
                return path
        except build.PatternError:  # reported by test_coursework_build
            continue
    return None


REAL = _first_real_assignment()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Course with the fixture (and a real notebook) autograded for several students.

    Returns ``{assignment: (exercises, {student: scores})}``.
    """
    require_nbgrader()
    tmp = tmp_path_factory.mktemp("coursework")
    paths = [fixture_notebook(tmp)] + ([REAL] if REAL else [])
    course = tmp / "course"
    assignments = build.build_course(course, paths)
    out = {}
    for assignment, exercises in assignments.items():
        name = assignment + ".ipynb"
        solution = nbformat.read(course / "source" / assignment / name, as_version=4)
        release = nbformat.read(course / "release" / assignment / name, as_version=4)
        grading.submit(course, assignment, "solutions", solution, name)
        grading.submit(course, assignment, "untouched", release, name)
        grading.submit(course, assignment, "wrong-first", wrong_answer(solution, exercises[0]), name)
        if assignment == FIXTURE:  # typical mistakes, by hand: factor 2, missing transpose
            factor2 = nbformat.from_dict(solution)
            cell = factor2.cells[exercises[0].answer_cell]
            cell.source = cell.source.replace("return s * (1 - s)", "return 2 * s * (1 - s)")
            grading.submit(course, assignment, "factor-2", factor2, name)
            transpose = nbformat.from_dict(solution)
            cell = transpose.cells[exercises[1].answer_cell]
            cell.source = cell.source.replace("return a_prev.T @ dz", "return dz.T @ a_prev")
            grading.submit(course, assignment, "transposed", transpose, name)
        grading.autograde(course, assignment)  # raises if nbgrader fails
        out[assignment] = (exercises, grading.scores(course, assignment))
    return out


ASSIGNMENTS = [FIXTURE] + ([REAL.stem] if REAL else [])


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solutions_get_full_points(graded, assignment):
    exercises, scores = graded[assignment]
    total = sum(e.points for e in exercises)
    assert scores["solutions"]["total"] == [total, total]
    for e in exercises:
        assert scores["solutions"][e.check_id] == [e.points, e.points], e.check_id


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_student_version_gets_zero_without_crashing(graded, assignment):
    exercises, scores = graded[assignment]
    assert scores["untouched"]["total"] == [0, sum(e.points for e in exercises)]
    assert all(scores["untouched"][e.check_id][0] == 0 for e in exercises)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_one_wrong_answer_loses_exactly_its_points(graded, assignment):
    exercises, scores = graded[assignment]
    total, first = sum(e.points for e in exercises), exercises[0]
    assert scores["wrong-first"]["total"] == [total - first.points, total]
    assert scores["wrong-first"][first.check_id] == [0, first.points]
    assert all(scores["wrong-first"][e.check_id] == [e.points, e.points] for e in exercises[1:])


def test_typical_mistakes_lose_their_exercises_points(graded):
    exercises, scores = graded[FIXTURE]
    assert scores["factor-2"]["total"] == [2, 3]  # sigmoid derivative (1 point) lost
    assert scores["transposed"]["total"] == [1, 3]  # weight gradient (2 points) lost
    assert scores["transposed"]["check_weight_gradient"] == [0, 2]

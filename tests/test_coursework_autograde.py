"""End to end with nbgrader: generate the release versions, autograde submissions, read the gradebook.

The full matrix (solutions -> full points; untouched student version -> zero, no crash; one wrong
answer -> loses exactly that exercise's points) runs on the fixture notebook and on the first
real notebook with exercises; it executes each notebook several times, so it stays on two.
With COURSEWORK_AUTOGRADE_ALL=1 it runs on every notebook, with a wrong answer for each
exercise in turn (several minutes; for maintainers, not CI).
"""

import os
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


ALL = bool(os.environ.get("COURSEWORK_AUTOGRADE_ALL"))


def _real_assignments():
    found = []
    for path in build.notebook_paths():
        try:
            if build.find_exercises(nbformat.read(path, as_version=4)):
                found.append(path)
        except build.PatternError:  # reported by test_coursework_build
            continue
    return found if ALL else found[:1]


REAL = _real_assignments()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Course with the fixture (and a real notebook) autograded for several students.

    Returns ``{assignment: (exercises, {student: scores})}``.
    """
    require_nbgrader()
    tmp = tmp_path_factory.mktemp("coursework")
    paths = [fixture_notebook(tmp)] + REAL
    course = tmp / "course"
    assignments = build.build_course(course, paths)
    out = {}
    for assignment, exercises in assignments.items():
        name = assignment + ".ipynb"
        solution = nbformat.read(course / "source" / assignment / name, as_version=4)
        release = nbformat.read(course / "release" / assignment / name, as_version=4)
        grading.submit(course, assignment, "solutions", solution, name)
        grading.submit(course, assignment, "untouched", release, name)
        for k, exercise in enumerate(exercises if ALL else exercises[:1]):
            grading.submit(course, assignment, f"wrong-{k}", wrong_answer(solution, exercise), name)
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


ASSIGNMENTS = [FIXTURE] + [p.stem for p in REAL]


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
    total = sum(e.points for e in exercises)
    for k, wrong in enumerate(exercises if ALL else exercises[:1]):
        got = scores[f"wrong-{k}"]
        assert got["total"] == [total - wrong.points, total], wrong.check_id
        assert all(got[e.check_id] == ([0, e.points] if e is wrong else [e.points, e.points]) for e in exercises), got


def test_typical_mistakes_lose_their_exercises_points(graded):
    exercises, scores = graded[FIXTURE]
    assert scores["factor-2"]["total"] == [2, 3]  # sigmoid derivative (1 point) lost
    assert scores["transposed"]["total"] == [1, 3]  # weight gradient (2 points) lost
    assert scores["transposed"]["check_weight_gradient"] == [0, 2]

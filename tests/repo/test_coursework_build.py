"""nbgrader metadata derived from the exercise cell pattern (no nbgrader run needed here)."""

import jupytext
import nbformat
import pytest

from coursework import build
from coursework.testing import FIXTURE

NOTEBOOKS = build.notebook_paths()


@pytest.fixture
def nb():
    return jupytext.read(FIXTURE)


def test_fixture_exercises_get_grade_ids_from_function_and_check_names(nb):
    found = build.find_exercises(nb)
    assert [(e.answer_id, e.check_id, e.points) for e in found] == [
        ("sigmoid_derivative", "check_sigmoid_derivative", 1),
        ("weight_gradient", "check_weight_gradient", 2),
    ]
    assert all(e.check_cell == e.answer_cell + 1 for e in found)


def test_annotate_marks_answer_and_check_cells_and_nothing_else(nb):
    out = build.annotate(nb)
    found = build.find_exercises(nb)
    answer, check = out.cells[found[1].answer_cell], out.cells[found[1].check_cell]
    assert answer.metadata["nbgrader"] == {
        "grade": False,
        "grade_id": "weight_gradient",
        "locked": False,
        "schema_version": 3,
        "solution": True,
        "task": False,
    }
    assert check.metadata["nbgrader"] == {
        "grade": True,
        "grade_id": "check_weight_gradient",
        "locked": True,
        "points": 2,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    assert "points" not in check.metadata
    marked = {i for e in found for i in (e.answer_cell, e.check_cell)}
    assert all("nbgrader" not in c.metadata for i, c in enumerate(out.cells) if i not in marked)
    assert "jupytext" not in out.metadata, "a student copy must not be paired with a .py"
    assert "jupytext" in nb.metadata, "annotate must not change its input"


def test_graded_check_cell_shows_no_result_but_the_visible_call_is_unchanged(nb):
    out = build.annotate(nb)
    check = out.cells[build.find_exercises(nb)[0].check_cell].source.split("\n")
    assert check[0] == "check_sigmoid_derivative(sigmoid_derivative)"
    assert check[-2:] == [
        "check_sigmoid_derivative(sigmoid_derivative, seed=1, strict=True);",
        "### END HIDDEN TESTS",
    ]


def _break(nb, index, old, new):
    assert old in nb.cells[index].source, (index, old)
    nb.cells[index].source = nb.cells[index].source.replace(old, new)
    return nb


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda nb: _break(
                nb,
                3,
                'def sigmoid_derivative(z):\n    """σ\'(z) elementwise; z of any shape, '
                'result of the same shape."""\n    ',
                "z = np.zeros(3)\n",
            ),
            "not inside a function body",
        ),
        (
            lambda nb: _break(nb, 4, "### BEGIN HIDDEN TESTS", "# no hidden tests"),
            "followed by its check cell",
        ),
        (lambda nb: _break(nb, 3, "\n    ### END SOLUTION", ""), "without '### END SOLUTION'"),
        (lambda nb: _break(nb, 3, "### BEGIN SOLUTION", "#### BEGIN SOLUTION!"), "should be exactly"),
        (
            lambda nb: _break(
                _break(nb, 6, "def weight_gradient(", "def sigmoid_derivative("),
                7,
                "(weight_gradient",
                "(sigmoid_derivative",
            ),
            "grade id 'sigmoid_derivative' of cell 6 is already used by cell 3",
        ),
        (
            lambda nb: _break(
                nb, 2, "The check tries", "Put your code after ### BEGIN SOLUTION. The check tries"
            ),
            r"cell 2 \(markdown\) mentions an nbgrader marker",
        ),
        (
            lambda nb: _break(nb, 8, "Later cells", "### BEGIN HIDDEN TESTS\nLater cells"),
            "mentions an nbgrader marker",
        ),
        (
            lambda nb: _break(nb, 4, "check_sigmoid_derivative(sigmoid_derivative)\n###", "###"),
            "should call its check on `sigmoid_derivative` visibly",
        ),
    ],
)
def test_pattern_errors_name_the_cell_and_the_problem(nb, change, message):
    with pytest.raises(build.PatternError, match=message):
        build.find_exercises(change(nb), "fixture.ipynb")


def test_hidden_tests_must_follow_an_answer_cell(nb):
    nb.cells.append(
        nbformat.v4.new_code_cell("print(1)\n### BEGIN HIDDEN TESTS\nprint(2)\n### END HIDDEN TESTS")
    )
    with pytest.raises(build.PatternError, match="cell 10: hidden tests in a cell that does not follow"):
        build.find_exercises(nb)


@pytest.mark.parametrize("points", [0, -1, "2", True])
def test_points_must_be_a_positive_number(nb, points):
    nb.cells[7].metadata["points"] = points
    with pytest.raises(build.PatternError, match="should be a positive number"):
        build.find_exercises(nb)


def test_a_notebook_without_exercises_may_mention_the_markers(nb):
    nb.cells = [c for c in nb.cells if c.cell_type == "markdown"]
    nb.cells[
        0
    ].source += "\n\nExercises put the solution between `### BEGIN SOLUTION` and `### END SOLUTION`."
    assert build.find_exercises(nb) == []


def test_points_table_lists_each_assignment_and_the_total(tmp_path, nb):
    nbformat.write(nb, tmp_path / "91_fixture_exercises.ipynb")
    nb.cells = nb.cells[:1]
    nbformat.write(nb, tmp_path / "90_no_exercises.ipynb")
    table = build.points_table(build.notebook_paths(tmp_path))
    assert table.splitlines()[2:] == [
        "| `91_fixture_exercises` | `check_sigmoid_derivative` (1), `check_weight_gradient` (2) | 3 |",
        "| **total** | | **3** |",
    ]
    doc = f"# Guide\n\nbefore\n{build.TABLE_START}\nold\n{build.TABLE_END}\nafter\n"
    assert (
        build.with_points_table(doc, table)
        == f"# Guide\n\nbefore\n{build.TABLE_START}\n{table}\n{build.TABLE_END}\nafter\n"
    )


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_follows_the_exercise_pattern(path):
    exercises = build.find_exercises(nbformat.read(path, as_version=4), path.name)
    if not path.name.startswith("00_"):
        assert exercises, f"{path.name} has no graded exercise (answer cell + check cell with hidden tests)"

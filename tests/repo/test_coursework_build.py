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


def test_fixture_exercises_get_grade_ids_from_function_check_and_part_names(nb):
    found = build.find_exercises(nb)
    assert [(e.answer_id, e.check_id, e.points, e.part) for e in found] == [
        ("sigmoid_derivative", "check_sigmoid_derivative", 1, None),
        ("weight_gradient", "check_weight_gradient", 2, None),
        ("dense_backward", "check_dense_backward_dW", 1, "dW"),
        ("dense_backward", "check_dense_backward_da_prev", 3, "da_prev"),
    ]
    assert [e.check_cell - e.answer_cell for e in found] == [1, 1, 1, 2]
    assert [e.label for e in found] == ["Exercise 1", "Exercise 2", "Exercise 3 (dW)", "Exercise 3 (da_prev)"]
    assert len({e.points for e in found}) == 3, "weights by difficulty: at least three values"


def test_fixture_written_answer_and_locked_setup(nb):
    (written,) = build.find_written(nb)
    assert (written.cell, written.grade_id, written.points, written.label) == (
        13,
        "why_sum_over_samples",
        2,
        "Think 1",
    )
    assert [score for score, _ in written.rubric] == [2, 1, 0]
    assert written.rubric[0][1].endswith("and n as the index the product sums over")
    assert [(lock.cell, lock.grade_id) for lock in build.find_locked(nb)] == [(1, "setup")]


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
    assert check.metadata["exercise"] == "Exercise 2" and answer.metadata["exercise"] == "Exercise 2"
    assert out.cells[13].metadata["nbgrader"] == {
        "grade": True,
        "grade_id": "why_sum_over_samples",
        "locked": False,
        "points": 2,
        "schema_version": 3,
        "solution": True,
        "task": False,
    }
    assert set(out.cells[13].metadata) == {"nbgrader", "exercise"}  # the markers became nbgrader's
    assert "locked" not in out.cells[1].metadata
    assert out.cells[1].metadata["nbgrader"] == {
        "grade": False,
        "grade_id": "setup",
        "locked": True,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    marked = {i for e in found for i in (e.answer_cell, e.check_cell)} | {1, 13}
    assert all("nbgrader" not in c.metadata for i, c in enumerate(out.cells) if i not in marked)
    assert "jupytext" not in out.metadata, "a student copy must not be paired with a .py"
    assert "jupytext" in nb.metadata, "annotate must not change its input"


def test_graded_check_cell_shows_no_result_but_the_visible_call_is_unchanged(nb):
    out = build.annotate(nb)
    check = out.cells[build.find_exercises(nb)[0].check_cell].source.split("\n")
    assert check[0] == "check_sigmoid_derivative(sigmoid_derivative)"
    assert check[-2:] == [
        'hidden_tests("fixture_grader:check_sigmoid_derivative", sigmoid_derivative);',
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
            lambda nb: _break(nb, 14, "Later cells", "### BEGIN HIDDEN TESTS\nLater cells"),
            "mentions an nbgrader marker",
        ),
        (
            lambda nb: _break(nb, 11, 'part="da_prev")\n###', ")\n###"),
            r"2 check cells follow the answer `dense_backward`; each must check one part",
        ),
        (
            lambda nb: _break(nb, 11, 'part="da_prev")\n###', 'part="dW")\n###'),
            "grade id 'check_dense_backward_dW' of cell 11 is already used by cell 10",
        ),
        (
            lambda nb: _break(nb, 13, "- 1: gives one", "- 1 gives one"),
            "should read '- <score>: <criterion>'",
        ),
        (lambda nb: _break(nb, 13, "- 2: names", "- 3: names"), r"from 0 up to the cell's points=2"),
        (lambda nb: _break(nb, 13, "**Rubric.**", "Rubric:"), "one line starting '\\*\\*Rubric'"),
        (
            lambda nb: _break(nb, 13, "The loss is", "### BEGIN SOLUTION\nThe loss is"),
            "remove the nbgrader delimiters",
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
    with pytest.raises(build.PatternError, match="cell 16: hidden tests in a cell that does not follow"):
        build.find_exercises(nb)


@pytest.mark.parametrize(
    "index, metadata, message",
    [
        (13, {"written": "why sum", "points": 2}, "written='why sum' should name the cell"),
        (13, {"written": "why_sum"}, "a written answer needs points"),
        (3, {"written": "x", "points": 1}, "written= marks a markdown cell"),
        (12, {"points": 2}, 'points= on a text cell needs written="id" too'),
        (15, {"points": 2}, "points= marks a check cell .* this cell is neither"),
        (3, {"points": 2}, "points= belongs on the check cell after the answer"),
        (1, {"locked": True}, "locked=True should name the cell"),
        (3, {"locked": "answer"}, "a locked set-up cell cannot be an answer or check cell"),
        (15, {"nbgrader": {"grade": True}}, "hand-written nbgrader metadata, which the build derives"),
    ],
)
def test_malformed_markers_are_refused_with_the_fix(nb, index, metadata, message):
    nb.cells[index].metadata = {
        k: v for k, v in nb.cells[index].metadata.items() if k not in ("written", "points")
    }
    nb.cells[index].metadata.update(metadata)
    with pytest.raises(build.PatternError, match=f"cell {index}.*{message}"):
        build.find_exercises(nb, "fixture.ipynb")


def test_a_worked_solution_stays_in_the_notebook_and_leaves_the_students_copy(nb):
    worked = nbformat.v4.new_code_cell("dW = a_prev.T @ dz  # the answer, on the notebook's data")
    worked.metadata["worked"] = "dense_backward"
    nb.cells.append(worked)
    assert nb.cells[-1] is worked and len(build.find_exercises(nb)) == 4  # the solution keeps it
    out = build.annotate(nb)
    assert len(out.cells) == len(nb.cells) - 1
    assert all("a_prev.T @ dz  # the answer" not in c.source for c in out.cells)


def test_exercises_index_the_cells_of_the_annotated_notebook_without_worked_solutions(nb, tmp_path):
    first = build.find_exercises(nb)[0]
    worked = nbformat.v4.new_markdown_cell("σ′ = σ(1 − σ), worked out")
    worked.metadata["worked"] = "sigmoid_derivative"
    nb.cells.insert(first.check_cell + 1, worked)  # before the other exercises
    path = tmp_path / "fixture.ipynb"
    nbformat.write(nb, path)
    exercises = build.write_sources(tmp_path / "course", [path])["fixture"]
    annotated = nbformat.read(tmp_path / "course" / "source" / "fixture" / "fixture.ipynb", as_version=4)
    assert len(annotated.cells) == len(nb.cells) - 1 and len(exercises) == 4
    for e in exercises:
        assert annotated.cells[e.answer_cell].metadata["nbgrader"]["grade_id"] == e.answer_id
        assert annotated.cells[e.check_cell].metadata["nbgrader"]["grade_id"] == e.check_id


@pytest.mark.parametrize(
    "worked, extra, message",
    [
        ("no_such_function", {}, r"worked='no_such_function' should name an exercise's answer function"),
        ("dense_backward", {"points": 1}, "a worked solution .* is a plain cell, never graded or locked"),
    ],
)
def test_a_worked_solution_names_an_exercise_above_it(nb, worked, extra, message):
    cell = nbformat.v4.new_markdown_cell("dW = a_prevᵀ dz")
    cell.metadata.update({"worked": worked, **extra})
    nb.cells.append(cell)
    with pytest.raises(build.PatternError, match=f"cell {len(nb.cells) - 1}.*{message}"):
        build.find_exercises(nb, "fixture.ipynb")
    nb.cells.insert(0, nb.cells.pop())  # above every exercise
    cell.metadata.pop("points", None)
    cell.metadata["worked"] = "dense_backward"
    with pytest.raises(build.PatternError, match="cell 0: worked='dense_backward' should name"):
        build.find_exercises(nb, "fixture.ipynb")


def test_the_command_line_reports_a_pattern_error_without_a_traceback(tmp_path, nb, capsys):
    nb.cells[12].source += "\n\n### BEGIN SOLUTION\nanswer\n### END SOLUTION"
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nb, tmp_path / "notebooks" / "91_fixture_exercises.ipynb")
    assert build.main(["points", "--notebooks", str(tmp_path / "notebooks")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: 91_fixture_exercises.ipynb, cell 12 (markdown) mentions an nbgrader marker")
    assert 'mark the cell written="id" points=N instead' in err and "Traceback" not in err


@pytest.mark.parametrize("points", [0, -1, "2", True])
def test_points_must_be_a_positive_number(nb, points):
    nb.cells[7].metadata["points"] = points
    with pytest.raises(build.PatternError, match="should be a positive number"):
        build.find_exercises(nb)


def test_a_notebook_without_exercises_may_mention_the_markers(nb):
    nb.cells = [c for c in nb.cells if c.cell_type == "markdown" and "written" not in c.metadata]
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
        "| `91_fixture_exercises` | `check_sigmoid_derivative` (1), `check_weight_gradient` (2), "
        "`check_dense_backward_dW` (1), `check_dense_backward_da_prev` (3), "
        "`why_sum_over_samples` (2, written) | 9 |",
        "| **total** | | **9** |",
    ]
    rubrics = build.rubrics_markdown(build.notebook_paths(tmp_path))
    assert rubrics.splitlines()[:3] == [
        "**`91_fixture_exercises` · `why_sum_over_samples`** — Think 1 (2 points)",
        "",
        "- 2: names the shared weight (or the mean loss) as the reason, and n as the index the "
        "product sums over",
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


def _practice(nb):
    """The fixture with its first exercise made a practice one: no hidden tests, no points."""
    first = build.find_exercises(nb)[0]
    check = nb.cells[first.check_cell]
    check.source = check.source.split(build.BEGIN_HIDDEN)[0].rstrip()
    check.metadata = {"practice": True}
    return first


def test_a_practice_exercise_is_an_answer_cell_with_a_check_and_no_points(nb):
    first = _practice(nb)
    assert [e.answer_id for e in build.find_exercises(nb)] == [
        "weight_gradient",
        "dense_backward",
        "dense_backward",
    ]
    assert build.find_practice(nb) == [
        build.Practice(first.answer_cell, first.check_cell, "sigmoid_derivative", "check_sigmoid_derivative")
    ]
    out = build.annotate(nb)
    answer, check = out.cells[first.answer_cell], out.cells[first.check_cell]
    assert answer.metadata["nbgrader"]["solution"] and not answer.metadata["nbgrader"]["grade"]
    assert check.metadata == {"nbgrader": build._nbgrader("sigmoid_derivative_practice_check", locked=True)}


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda nb, first: nb.cells[first.check_cell].metadata.update(points=1), "earns no points"),
        (
            lambda nb, first: nb.cells[0].metadata.update(practice=True),
            "cell 0: practice=true marks the check",
        ),
        (
            lambda nb, first: nb.cells[first.check_cell].__setitem__(
                "source",
                "check_sigmoid_derivative(sigmoid_derivative)\n"
                + build.BEGIN_HIDDEN
                + "\nx\n"
                + build.END_HIDDEN,
            ),
            "practice=true marks the check cell right after an answer cell, without hidden tests",
        ),
    ],
)
def test_a_practice_marker_that_does_not_fit_is_refused(nb, change, message):
    first = _practice(nb)
    change(nb, first)
    with pytest.raises(build.PatternError, match=message):
        build.find_exercises(nb, "fixture.ipynb")


def test_the_series_try_then_read_exercises_are_practice():
    """Exercises whose answer the notebook derives a few cells further on earn no points."""
    practice = {
        path.stem[:2]: [p.answer_id for p in build.find_practice(nbformat.read(path, as_version=4))]
        for path in NOTEBOOKS
    }
    assert {k: v for k, v in practice.items() if v} == {
        "02": ["unit_preactivation", "squared_error"],
        "03": ["dloss_dyhat", "sigmoid_derivative", "dloss_da_hidden"],
        "04": ["output_dz"],
    }

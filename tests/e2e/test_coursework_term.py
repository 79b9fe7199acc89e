"""A term in miniature: a class of three through every step of the guide, on the fixture and on notebook 08.

Roster import -> release through the exchange (and a loud collect while nobody has submitted)
-> an LMS download (Canvas file names: a LATE marker, a resubmission) collected with
zip_collect -> autograde -> a written answer graded by hand through nbgrader's API, as the
formgrader does -> feedback pages -> export -> the scores filled into the LMS's gradebook CSV.

The class: alice answers everything right; bob makes typical mistakes (a factor 2, a missing
transpose, a wrong da_prev) and resubmits late; carol calls the library's own twins of the
exercises. All three hand in through the LMS. A fourth, dana, works on the hub: she fetches the
assignment from the exchange, submits it there, and fetches her feedback (nbgrader releases
feedback through the exchange only for submissions that came through it: it needs the
``timestamp.txt`` and ``submission_secret.txt`` that ``nbgrader submit`` writes). Each
student's score is asserted, cell by cell.

Then the same steps on a real notebook, 08 (weights 3, 1 + 2 in two parts, and a written
answer; its hidden tests come from ``coursework/grader/``): a perfect class member, one with
typical mistakes (heavy-ball's matrix for Nesterov's, Adam without bias correction) and one
who hands Adam to the library's ``adam_update``; about a minute. Runs nbgrader: marked
``coursework`` and ``slow``.
"""

import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta

import nbformat
import pytest

from coursework import build, grading, term
from coursework.testing import FIXTURE_GRADER, fixture_notebook, require_nbgrader, with_answer

pytestmark = [pytest.mark.coursework, pytest.mark.slow]

ASSIGNMENT = "91_fixture_exercises"
NOTEBOOK = ASSIGNMENT + ".ipynb"
ROSTER = [  # id, first_name, last_name, email, lms_user_id (the Canvas user id)
    ("s001", "Alice", "Anders", "alice@uni.example", "1001"),
    ("s002", "Bob", "Baker", "bob@uni.example", "1002"),
    ("s003", "Carol", "Chen", "carol@uni.example", ""),  # no Canvas id in the roster: alias file
    ("s004", "Dana", "Diaz", "dana@uni.example", "1004"),  # on the hub
]
WRITTEN = 13  # the fixture's written-answer cell


def _answers(release, solution, exercises):
    """The release version with the solution's answer cells: a student who got it all right."""
    nb = nbformat.from_dict(release)
    for index in {e.answer_cell for e in exercises}:
        nb.cells[index].source = solution.cells[index].source
    return nb


def _written(nb, text):
    nb = nbformat.from_dict(nb)
    nb.cells[WRITTEN].source = text
    return nb


def _class(release, solution, exercises):
    perfect = _written(
        _answers(release, solution, exercises),
        "Every sample uses the same W, and the loss is their mean, so dW adds up their parts; "
        "(a_prevᵀ dz)[i, j] sums a_prev[n, i] dz[n, j] over the samples n.",
    )
    mistakes = with_answer(perfect, 3, "return s * (1 - s)", "return 2 * s * (1 - s)")
    mistakes = with_answer(mistakes, 6, "return a_prev.T @ dz", "return dz.T @ a_prev")
    mistakes = with_answer(mistakes, 9, "dz @ W.T", "dz @ W[: dz.shape[1]].T[:, : a_prev.shape[1]] * 2")
    mistakes = _written(mistakes, "Because the batch has many samples.")
    first_try = nbformat.from_dict(release)  # bob's first upload: nothing done yet
    shortcuts = with_answer(
        perfect, 3, "s = 1 / (1 + np.exp(-z))\n    return s * (1 - s)", "return bp.Sigmoid().derivative(z)"
    )
    shortcuts = with_answer(
        shortcuts,
        9,
        "return a_prev.T @ dz, dz @ W.T",
        "layer = bp.Dense(W, np.zeros((1, W.shape[1])), 'identity')\n"
        "    layer.forward(a_prev)\n"
        "    da_prev = layer.backward_from_dz(dz)\n"
        "    return layer.dW, da_prev",
    )
    shortcuts = _written(shortcuts, release.cells[WRITTEN].source)  # left unanswered
    return perfect, mistakes, first_try, shortcuts


def _canvas_zip(path, files):
    with zipfile.ZipFile(path, "w") as z:
        for name, nb in files.items():
            z.writestr(name, nb if isinstance(nb, str) else nbformat.writes(nb))


_MANUAL = """
import json, sys
from nbgrader.api import Gradebook

db, assignment, notebook, grade_id, marks = sys.argv[1:6]
with Gradebook(db) as gb:
    for student, score in json.loads(marks).items():
        grade = gb.find_grade(grade_id, notebook, assignment, student)
        grade.manual_score = score  # what the formgrader saves when a marker types a score
        gb.db.commit()
"""


@pytest.fixture(scope="module")
def term_run(tmp_path_factory):
    """Every step once; returns what the tests look at."""
    require_nbgrader()
    tmp = tmp_path_factory.mktemp("term")
    course, exchange = tmp / "course", tmp / "exchange"
    exchange.mkdir()
    exercises = build.build_course(course, [fixture_notebook(tmp)])[ASSIGNMENT]
    # the instructor's own settings survive the next `make assignments`
    config = course / build.CONFIG
    config.write_text(
        config.read_text()
        + f'\nc.Exchange.root = "{exchange}"\n'
        + 'c.AssignLatePenalties.plugin_class = "coursework.plugins.PerDayPenalty"\n'
        + "c.PerDayPenalty.fraction_per_day = 0.1\n"
    )
    build.write_config(course)
    out = {"course": course, "exercises": exercises, "config": config.read_text()}

    with open(tmp / "roster.csv", "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "first_name", "last_name", "email", "lms_user_id"])
        writer.writerows(ROSTER)
    build.run_nbgrader(course, "db", "student", "import", str(tmp / "roster.csv"))
    (course / "lms_ids.csv").write_text("lms_id,student_id\nchencarol,s003\n")

    due = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S UTC")
    build.run_nbgrader(course, "db", "assignment", "add", ASSIGNMENT, f"--duedate={due}")  # dana is late
    build.run_nbgrader(course, "release_assignment", ASSIGNMENT)
    out["released"] = sorted(p.name for p in exchange.rglob("*.ipynb"))
    with pytest.raises(term.TermError) as nothing:
        term.collect(course, ASSIGNMENT)  # nobody has submitted yet
    out["collect_error"] = str(nothing.value)

    solution = nbformat.read(course / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    release = nbformat.read(course / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)
    perfect, mistakes, first_try, shortcuts = _class(release, solution, exercises)
    archive = course / "downloaded" / ASSIGNMENT / "archive"
    archive.mkdir(parents=True)
    with pytest.raises(term.TermError) as empty:
        term.zip_collect(course, ASSIGNMENT, "canvas")
    out["empty_error"] = str(empty.value)
    _canvas_zip(
        archive / "submissions.zip",
        {
            f"andersalice_1001_5001_{NOTEBOOK}": perfect,
            f"bakerbob_1002_5002_{NOTEBOOK}": first_try,
            f"bakerbob_LATE_1002_5002_{ASSIGNMENT}-1.ipynb": mistakes,
            f"chencarol_1003_5003_{ASSIGNMENT} (1).ipynb": shortcuts,
            "bakerbob_1002_5002_notes.txt": "not a notebook",
        },
    )
    out["decisions"] = term.zip_collect(course, ASSIGNMENT, "canvas")
    out["report"] = (course / "downloaded" / ASSIGNMENT / "collected.csv").read_text()

    # dana on the hub: fetch, answer, submit through the exchange; the instructor collects
    dana = tmp / "dana"
    dana.mkdir()
    student = [f"--Exchange.root={exchange}", "--CourseDirectory.course_id=backprop-notebooks"]
    build.run_nbgrader(dana, "fetch_assignment", ASSIGNMENT, *student)
    nbformat.write(_written(perfect, perfect.cells[WRITTEN].source), dana / ASSIGNMENT / NOTEBOOK)
    build.run_nbgrader(dana, "submit", ASSIGNMENT, "--student=s004", *student)
    out["collected"] = term.collect(course, ASSIGNMENT)

    with pytest.MonkeyPatch.context() as env:  # the fixture's hidden tests: fixture_grader.py
        env.setenv("PYTHONPATH", str(FIXTURE_GRADER))
        term.autograde(course, ASSIGNMENT)
    out["autograded"] = grading.scores(course, ASSIGNMENT)

    db = f"sqlite:///{(course / 'gradebook.db').resolve()}"
    marks = json.dumps({"s001": 2, "s002": 1, "s004": 2})  # carol's is blank: 0 without a person
    subprocess.run(
        [sys.executable, "-c", _MANUAL, db, ASSIGNMENT, ASSIGNMENT, "why_sum_over_samples", marks],
        check=True,
        env=build.nbgrader_env(),
    )
    out["penalty_before"] = out["autograded"]["s004"]["late_penalty"]  # fixed at autograde
    # nbgrader fixes a late penalty when it autogrades, on the score it has then: re-grade the
    # late student after grading by hand so that the penalty covers the written answer too
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PYTHONPATH", str(FIXTURE_GRADER))
        term.autograde(course, ASSIGNMENT, "--student=s004", "--force")
    out["scores"] = grading.scores(course, ASSIGNMENT)
    out["penalty_after"] = out["scores"]["s004"]["late_penalty"]

    build.run_nbgrader(course, "generate_feedback", ASSIGNMENT)
    out["feedback"] = {
        s: (course / "feedback" / s / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text() for s, *_ in ROSTER
    }
    # through the exchange for dana; the LMS class gets its pages through the LMS
    build.run_nbgrader(course, "release_feedback", ASSIGNMENT, "--student=s004")
    build.run_nbgrader(dana, "fetch_feedback", ASSIGNMENT, "--student=s004", *student)
    out["dana_feedback"] = [p.read_text() for p in (dana / ASSIGNMENT / "feedback").rglob("*.html")]

    build.run_nbgrader(course, "export", "--to", str(tmp / "grades.csv"))
    with open(tmp / "grades.csv", newline="") as fh:
        out["grades"] = list(csv.DictReader(fh))
    canvas = tmp / "canvas_gradebook.csv"
    canvas.write_text(
        "Student,ID,SIS User ID,Section,Fixture (7001)\n"
        "    Points Possible,,,,9\n"
        '"Anders, Alice",1001,s001,A,\n'
        '"Baker, Bob",1002,s002,A,\n'
        '"Diaz, Dana",1004,s004,B,\n'
    )
    out["lms"] = term.lms_grades(
        tmp / "grades.csv",
        ASSIGNMENT,
        canvas,
        tmp / "filled.csv",
        "Fixture (7001)",
        "ID",
        term.roster_of(course),
    )
    out["filled"] = (tmp / "filled.csv").read_text()

    # the same class handing in through Moodle instead ("Download submissions in folders")
    for old in archive.iterdir():
        old.unlink()
    with zipfile.ZipFile(archive / "moodle.zip", "w") as z:
        z.writestr(f"Alice Anders_88001_assignsubmission_file/{NOTEBOOK}", nbformat.writes(perfect))
        z.writestr(f"Bob Baker_88002_assignsubmission_file/{NOTEBOOK}", nbformat.writes(mistakes))
    out["moodle"] = term.zip_collect(course, ASSIGNMENT, "moodle")
    return out


def test_the_instructors_settings_survive_a_rebuild(term_run):
    assert 'load_subconfig("grading_settings.py")' in term_run["config"]
    assert "c.Exchange.root" in term_run["config"] and "PerDayPenalty" in term_run["config"]


def test_release_reaches_the_exchange_and_an_empty_collect_fails_loudly(term_run):
    assert term_run["released"] == [NOTEBOOK]
    assert term_run["collected"] == {"collected": ["s004"], "updated": [], "unchanged": []}
    assert term_run["collect_error"].startswith(
        "nbgrader collect found no submission of '91_fixture_exercises'"
    )
    assert "c.Exchange.root" in term_run["collect_error"]
    assert "put the LMS download" in term_run["empty_error"]


def test_zip_collect_maps_canvas_names_keeps_late_and_the_newest_resubmission(term_run):
    by_path = {d.path: d for d in term_run["decisions"]}
    assert {d.status for d in by_path.values()} == {"collect", "superseded", "not a notebook"}
    collected = sorted(
        (d.student_id, d.upload.attempt, d.upload.late) for d in by_path.values() if d.status == "collect"
    )
    assert collected == [("s001", 0, False), ("s002", 1, True), ("s003", 0, False)]
    report = list(csv.DictReader(io.StringIO(term_run["report"])))
    bob = [r for r in report if r["student_id"] == "s002"]
    assert [(r["status"], r["late"], r["attempt"]) for r in bob] == [("collect", "LATE", "1")]
    assert any(r["status"] == "superseded" and "bakerbob_1002_5002_91" in r["file"] for r in report)
    submitted = sorted(
        p.relative_to(term_run["course"] / "submitted").as_posix()
        for p in (term_run["course"] / "submitted").rglob("*.ipynb")
    )
    assert submitted == [f"{s}/{ASSIGNMENT}/{NOTEBOOK}" for s, *_ in ROSTER]


def _points(scores, student):
    return {k: v[0] for k, v in scores[student].items() if k != "late_penalty"}


def test_each_students_score(term_run):
    scores = term_run["scores"]
    assert _points(scores, "s001") == {
        "total": 9,  # everything, the written answer graded 2/2 by hand
        "check_sigmoid_derivative": 1,
        "check_weight_gradient": 2,
        "check_dense_backward_dW": 1,
        "check_dense_backward_da_prev": 3,
        "why_sum_over_samples": 2,
    }
    assert _points(scores, "s002") == {
        "total": 2,  # typical mistakes: only dW of exercise 3, and 1 of 2 for the written answer
        "check_sigmoid_derivative": 0,
        "check_weight_gradient": 0,
        "check_dense_backward_dW": 1,
        "check_dense_backward_da_prev": 0,
        "why_sum_over_samples": 1,
    }
    assert _points(scores, "s003") == {
        "total": 2,  # shortcuts earn nothing; the honest weight gradient keeps its 2 points
        "check_sigmoid_derivative": 0,
        "check_weight_gradient": 2,
        "check_dense_backward_dW": 0,
        "check_dense_backward_da_prev": 0,
        "why_sum_over_samples": 0,
    }
    assert _points(scores, "s004") == _points(scores, "s001"), "the hub route grades the same"
    assert all(scores[s]["total"][1] == 9 for s, *_ in ROSTER)
    assert term_run["autograded"]["s001"]["total"][0] == 7, "the written answer waited for a person"


def _text(html):
    """The page's visible text: no styles, scripts or tags."""
    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_feedback_shows_verdicts_labelled_by_exercise_without_tracebacks_or_hidden_tests(term_run):
    bob, carol = _text(term_run["feedback"]["s002"]), _text(term_run["feedback"]["s003"])
    assert "Exercise 3 (da_prev) (checked automatically; score: 0.0 / 3.0)" in bob
    assert "Think 1 (written) (graded by hand; score: 1.0 / 2.0)" in bob
    assert "Test cell" not in bob
    assert "❌ sigmoid derivative: σ'(z) is 2× too large" in bob
    assert "❌ weight gradient: dW has shape (2, 3), expected (3, 2) — a missing or extra transpose?" in bob
    assert "this calls backprop_lib's Sigmoid.derivative; write σ'(z) yourself" in carol
    assert "this calls backprop_lib's Dense.backward_from_dz" in carol
    for page in (bob, carol):
        assert "Traceback" not in page and "diagnose(" not in page and "fixture_grader:" not in page
        assert "hidden tests: run by the grader, not shown" in page
        assert re.search(r"Graded with backprop-notebooks \d+\.\d+\.\d+ \(", page)
    (dana,) = term_run["dana_feedback"]  # released through the exchange, fetched by dana
    assert "Exercise 3 (da_prev) (checked automatically; score: 3.0 / 3.0)" in _text(dana)
    assert "Late submission penalty (score: -0.9)" in _text(dana)


def test_export_and_the_lms_gradebook(term_run):
    grades = {r["student_id"]: float(r["score"]) for r in term_run["grades"] if r["assignment"] == ASSIGNMENT}
    # dana submitted through the hub an hour after the due date: 10 % of her 9 points
    assert grades == {"s001": 9.0, "s002": 2.0, "s003": 2.0, "s004": 8.1}
    assert term_run["penalty_before"] == pytest.approx(0.7)  # 10 % of the 7 autograded points
    assert term_run["penalty_after"] == pytest.approx(0.9)  # re-graded: 10 % of all 9
    dana = next(r for r in term_run["grades"] if r["student_id"] == "s004")
    assert (float(dana["raw_score"]), float(dana["late_submission_penalty"])) == (9.0, 0.9)
    filled, unmatched = term_run["lms"]
    assert filled == 3 and unmatched == ["s003"]  # carol has no Canvas id in the roster
    rows = list(csv.DictReader(io.StringIO(term_run["filled"])))
    assert [(r["ID"], r["Fixture (7001)"]) for r in rows] == [
        ("", "9"),
        ("1001", "9"),
        ("1002", "2"),
        ("1004", "8.1"),
    ]


def test_moodle_folders_are_collected_by_full_name(term_run):
    collected = sorted((d.student_id, d.upload.notebook) for d in term_run["moodle"] if d.status == "collect")
    assert collected == [("s001", NOTEBOOK), ("s002", NOTEBOOK)]


# -- the same steps on a real notebook: 08, graded as a course would grade it ---------------------

REAL = "08_optimizers_and_minibatches"
REAL_NOTEBOOK = REAL + ".ipynb"
REAL_ROSTER = ROSTER[:3]
NESTEROV = "return np.array([[shrink, -lr * beta * shrink], [h, beta * shrink]])"
CORRECTIONS = "m_hat = m / (1 - beta1**t)\n    v_hat = v / (1 - beta2**t)"


def _real_class(release, solution, exercises, written):
    """alice: all right; bob: heavy-ball's matrix for Nesterov's, Adam without its bias
    correction, a thin written answer; carol: Nesterov's matrix derived honestly, Adam handed
    to the library's adam_update, no written answer."""
    nesterov, adam = (
        next(e.answer_cell for e in exercises if e.check == c)
        for c in ("check_nesterov_matrix", "check_adam_step")
    )
    perfect = _answers(release, solution, exercises)
    perfect.cells[written].source = (
        "After one step m = (1 − β₁)g and v = (1 − β₂)g², biased towards 0; dividing by 1 − β₁ and "
        "1 − β₂ gives m̂ = g and v̂ = g², so the first step is η·sign(g). Without it the step is "
        "η(1 − β₁)/√(1 − β₂)·sign(g), about 3η for the usual β's."
    )
    mistakes = with_answer(
        perfect, nesterov, NESTEROV, "return np.array([[1 - lr * h, -lr * beta], [h, beta]])"
    )
    mistakes = with_answer(mistakes, adam, CORRECTIONS, "m_hat, v_hat = m, v")
    mistakes.cells[written].source = "It makes Adam converge faster."
    shortcuts = nbformat.from_dict(perfect)
    shortcuts.cells[adam].source = solution.cells[adam].source.split("### BEGIN SOLUTION")[0] + (
        "return adam_update(theta, g, m, v, t, lr, beta1, beta2, eps)\n"
    )
    shortcuts.cells[written].source = release.cells[written].source  # left unanswered
    return perfect, mistakes, shortcuts


@pytest.fixture(scope="module")
def real_term(tmp_path_factory):
    """Notebook 08 through roster import -> Canvas download -> zip_collect -> autograde (its
    hidden tests from coursework/grader/) -> the written answer graded by hand -> feedback ->
    export, for a class of three."""
    require_nbgrader()
    tmp = tmp_path_factory.mktemp("real-term")
    course = tmp / "course"
    path = next(p for p in build.notebook_paths() if p.stem == REAL)
    exercises = build.build_course(course, [path])[REAL]
    with open(tmp / "roster.csv", "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "first_name", "last_name", "email", "lms_user_id"])
        writer.writerows(row[:4] + (f"100{k}",) for k, row in enumerate(REAL_ROSTER, start=1))
    build.run_nbgrader(course, "db", "student", "import", str(tmp / "roster.csv"))

    solution = nbformat.read(course / "source" / REAL / REAL_NOTEBOOK, as_version=4)
    release = nbformat.read(course / "release" / REAL / REAL_NOTEBOOK, as_version=4)
    (written,) = [
        i
        for i, cell in enumerate(release.cells)
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "why_bias_correction"
    ]
    perfect, mistakes, shortcuts = _real_class(release, solution, exercises, written)
    archive = course / "downloaded" / REAL / "archive"
    archive.mkdir(parents=True)
    _canvas_zip(
        archive / "submissions.zip",
        {
            f"andersalice_1001_5001_{REAL_NOTEBOOK}": perfect,
            f"bakerbob_1002_5002_{REAL_NOTEBOOK}": mistakes,
            f"chencarol_1003_5003_{REAL_NOTEBOOK}": shortcuts,
        },
    )
    out = {"decisions": term.zip_collect(course, REAL, "canvas")}
    term.autograde(course, REAL)  # the grader is found through grading_settings.py
    out["autograded"] = grading.scores(course, REAL)
    db = f"sqlite:///{(course / 'gradebook.db').resolve()}"
    marks = json.dumps({"s001": 2, "s002": 1})  # carol's is blank: 0 without a person
    subprocess.run(
        [sys.executable, "-c", _MANUAL, db, REAL, REAL, "why_bias_correction", marks],
        check=True,
        env=build.nbgrader_env(),
    )
    out["scores"] = grading.scores(course, REAL)
    build.run_nbgrader(course, "generate_feedback", REAL)
    out["feedback"] = {
        s: _text((course / "feedback" / s / REAL / REAL_NOTEBOOK.replace(".ipynb", ".html")).read_text())
        for s, *_ in REAL_ROSTER
    }
    build.run_nbgrader(course, "export", "--to", str(tmp / "grades.csv"))
    with open(tmp / "grades.csv", newline="") as fh:
        out["grades"] = {
            r["student_id"]: float(r["score"]) for r in csv.DictReader(fh) if r["assignment"] == REAL
        }
    return out


def test_a_real_notebook_scores_a_perfect_a_mistaken_and_a_shortcut_submission(real_term):
    assert sorted(d.student_id for d in real_term["decisions"] if d.status == "collect") == [
        "s001",
        "s002",
        "s003",
    ]
    scores = real_term["scores"]
    assert _points(scores, "s001") == {
        "total": 8,  # 3 + 1 + 2 automatically, the written answer 2/2 by hand
        "check_nesterov_matrix": 3,
        "check_adam_step_moments": 1,
        "check_adam_step_step": 2,
        "why_bias_correction": 2,
    }
    assert _points(scores, "s002") == {
        "total": 2,  # the moments of a step without bias correction are right: 1 point of Adam's 3
        "check_nesterov_matrix": 0,
        "check_adam_step_moments": 1,
        "check_adam_step_step": 0,
        "why_bias_correction": 1,
    }
    assert _points(scores, "s003") == {
        "total": 3,  # the library's adam_update earns neither part; the honest matrix keeps its 3
        "check_nesterov_matrix": 3,
        "check_adam_step_moments": 0,
        "check_adam_step_step": 0,
        "why_bias_correction": 0,
    }
    assert all(scores[s]["total"][1] == 8 for s, *_ in REAL_ROSTER)
    assert real_term["autograded"]["s001"]["total"][0] == 6, "the written answer waited for a person"
    assert real_term["grades"] == {"s001": 8.0, "s002": 2.0, "s003": 3.0}


def test_a_real_notebooks_feedback_names_the_mistakes_and_the_shortcut(real_term):
    bob, carol = real_term["feedback"]["s002"], real_term["feedback"]["s003"]
    assert "is heavy-ball momentum's matrix" in bob
    assert "has no bias correction" in bob
    assert "this calls backprop_lib's adam_update; write the update yourself" in carol
    for page in (bob, carol):
        assert "Traceback" not in page and "coursework.grader" not in page
        assert (
            "Exercise 2 — Adam with bias correction (step) (checked automatically; score: 0.0 / 2.0)" in page
        )

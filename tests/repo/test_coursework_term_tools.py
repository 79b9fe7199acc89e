"""The term tooling without nbgrader runs: LMS file names, the roster mapping, the collect plan,
the settings split, the LMS gradebook, release tags, the feedback page's hidden-test filter."""

import csv
import os
import re

import pytest

from coursework import build, lms, term

CANVAS = [
    "submissions/andersalice_1001_5001_03_backprop_by_hand.ipynb",
    "submissions/bakerbob_1002_5002_03_backprop_by_hand.ipynb",
    "submissions/bakerbob_LATE_1002_5002_03_backprop_by_hand-2.ipynb",
    "submissions/bakerbob_LATE_1002_5002_03_backprop_by_hand-1.ipynb",
    "submissions/chencarol_1003_5003_03_backprop_by_hand (1).ipynb",
    "submissions/dorandan_1005_5005_03_backprop_by_hand.ipynb",
    "submissions/andersalice_1001_5001_scratch.txt",
    "submissions/readme.ipynb",
]


def test_canvas_names_give_the_ids_late_and_attempt():
    late = lms.parse_canvas(CANVAS[2])
    assert (late.keys, late.notebook, late.late, late.attempt) == (
        ("1002", "bakerbob"),
        "03_backprop_by_hand.ipynb",
        True,
        2,
    )
    copy = lms.parse_canvas(CANVAS[4])
    assert (copy.notebook, copy.late, copy.attempt) == ("03_backprop_by_hand.ipynb", False, 0)
    assert lms.parse_canvas("submissions/readme.ipynb") is None


@pytest.mark.parametrize(
    "path",
    [
        "Alice Anders_1234567_assignsubmission_file_03_backprop_by_hand.ipynb",
        "download/Alice Anders_1234567_assignsubmission_file/03_backprop_by_hand.ipynb",
    ],
)
def test_moodle_names_flat_or_in_folders(path):
    upload = lms.parse_moodle(path)
    assert (upload.keys, upload.notebook, upload.late) == (
        ("1234567", "Alice Anders"),
        "03_backprop_by_hand.ipynb",
        False,
    )


def test_moodle_refuses_other_names():
    assert lms.parse_moodle("Alice Anders_1234567_onlinetext_03.ipynb") is None
    assert lms.parse_moodle("03_backprop_by_hand.ipynb") is None


ROSTER = [
    {"id": "s001", "first_name": "Alice", "last_name": "Anders", "lms_user_id": "1001"},
    {"id": "s002", "first_name": "Bob", "last_name": "Baker", "lms_user_id": "1002"},
    {"id": "s003", "first_name": "Carol", "last_name": "Chen", "lms_user_id": None},
    {"id": "s009", "first_name": "Bob", "last_name": "Baker", "lms_user_id": None},  # same name
]


def test_roster_maps_by_lms_id_name_or_alias_and_refuses_ambiguity():
    roster = lms.Roster(ROSTER, {"chencarol": "s003"})
    assert roster.lookup(("1001", "andersalice")) == "s001"
    assert roster.lookup(("1003", "chencarol")) == "s003"
    assert roster.lookup(("777", "Alice  ANDERS")) == "s001"  # names compare without case or extra spaces
    assert roster.lookup(("777", "Bob Baker")) is None  # two students share the name
    assert lms.Roster(ROSTER, {"Bob Baker": "s009"}).lookup(("777", "Bob Baker")) == "s009"
    assert roster.lookup(("s002",)) == "s002"  # a roster id is a key too


def test_the_plan_keeps_the_newest_resubmission_and_names_every_other_file(tmp_path):
    for name in CANVAS:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    roster = lms.Roster(ROSTER, {"chencarol": "s003"})
    decisions = {d.path: (d.status, d.student_id) for d in lms.plan(tmp_path, lms.parse_canvas, roster)}
    assert decisions == {
        CANVAS[0]: ("collect", "s001"),
        CANVAS[1]: ("superseded", None),
        CANVAS[2]: ("collect", "s002"),
        CANVAS[3]: ("superseded", None),
        CANVAS[4]: ("collect", "s003"),
        CANVAS[5]: ("unmapped", None),
        CANVAS[6]: ("not a notebook", None),
        CANVAS[7]: ("unrecognised", None),
    }


def test_the_alias_file_needs_its_columns(tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("lms_id,student_id\nandersalice, s001\n,\n")
    bad.write_text("canvas,roster\nx,y\n")
    assert lms.read_id_map(good) == {"andersalice": "s001"}
    with pytest.raises(ValueError, match="expected the columns lms_id,student_id"):
        lms.read_id_map(bad)


def test_make_assignments_rewrites_the_settings_and_never_the_instructors_config(tmp_path):
    written = build.write_config(tmp_path)
    assert [p.name for p in written] == ["grading_settings.py", "nbgrader_config.py"]
    settings = (tmp_path / "grading_settings.py").read_text()
    assert settings.startswith(build.GENERATED_HEADER) and "plugins.configure(c)" in settings
    assert f"REPOSITORY = {str(build.ROOT)!r}" in settings
    config = tmp_path / "nbgrader_config.py"
    assert 'load_subconfig("grading_settings.py")' in config.read_text()
    config.write_text(config.read_text() + 'c.Exchange.root = "/srv/exchange"\n')
    mine = config.read_text()
    assert [p.name for p in build.write_config(tmp_path)] == ["grading_settings.py"]
    assert config.read_text() == mine
    config.write_text(build.GENERATED_HEADER + "; an old build's file\n")  # not the instructor's
    assert [p.name for p in build.write_config(tmp_path)] == ["grading_settings.py", "nbgrader_config.py"]


def test_each_course_gets_a_grader_secret_of_its_own(tmp_path):
    """Without a secret the hidden inputs follow from the public grader, and a table of recorded
    answers passes the hidden tests: every course's config sets one, drawn when written."""
    from coursework.grader import SECRET_VARIABLE

    assert build.SECRET_VARIABLE == SECRET_VARIABLE
    found = []
    for course in (tmp_path / "a", tmp_path / "b"):
        course.mkdir()
        build.write_config(course)
        text = (course / "nbgrader_config.py").read_text()
        (secret,) = re.findall(rf'^os\.environ\["{SECRET_VARIABLE}"\] = "([0-9a-f]{{32}})"$', text, re.M)
        found.append(secret)
        namespace = {"get_config": lambda: None, "load_subconfig": lambda name: None}
        environ = dict(os.environ)
        try:
            exec(compile(text, "nbgrader_config.py", "exec"), namespace)  # as nbgrader loads it
            assert os.environ[SECRET_VARIABLE] == secret
        finally:
            os.environ.clear()
            os.environ.update(environ)
    assert found[0] != found[1]
    old = tmp_path / "a" / "nbgrader_config.py"  # a course made before configs had a secret
    old.write_text(re.sub(r"^os\.environ.*$", "", old.read_text(), flags=re.M))
    with pytest.raises(term.TermError, match=f"sets no {SECRET_VARIABLE}"):
        term.check_grader(tmp_path / "a", "08_optimizers_and_minibatches")
    term.check_grader(tmp_path / "b", "08_optimizers_and_minibatches")  # no source: nothing to import


def test_lms_grades_fill_the_lms_column_by_its_id(tmp_path):
    grades = tmp_path / "grades.csv"
    grades.write_text(
        "assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score,"
        "late_submission_penalty,score,max_score\n"
        "a1,,,s001,Anders,Alice,alice@x,9.0,0.0,9.0,9.0\n"
        "a1,,,s002,Baker,Bob,bob@x,4.0,1.0,3.0,9.0\n"
        "a2,,,s001,Anders,Alice,alice@x,1.0,0.0,1.0,1.0\n"
    )
    moodle = tmp_path / "worksheet.csv"
    moodle.write_text("Identifier,Full name,Email address,Grade\nParticipant 1,Alice Anders,alice@x,\n")
    roster = [{"id": "s001", "email": "alice@x"}, {"id": "s002", "email": "bob@x"}]
    out = tmp_path / "filled.csv"
    assert term.lms_grades(grades, "a1", moodle, out, "Grade", "Email address", roster, "email") == (
        1,
        ["s002"],
    )
    with out.open(newline="") as fh:
        assert list(csv.DictReader(fh))[0]["Grade"] == "9"
    with pytest.raises(term.TermError, match="no column 'Points'"):
        term.lms_grades(grades, "a1", moodle, out, "Points", "Email address", roster, "email")
    with pytest.raises(term.TermError, match="no row for the assignment 'a3'"):
        term.lms_grades(grades, "a3", moodle, out, "Grade", "Email address", roster, "email")


def test_a_release_tag_must_name_the_version_everywhere(tmp_path):
    import backprop_lib

    version = backprop_lib.__version__
    assert term.check_release(f"v{version}") == version
    with pytest.raises(term.TermError, match="expected v<major>.<minor>.<patch>"):
        term.check_release("release-1")
    with pytest.raises(term.TermError, match=r"tag v9\.9\.9 says 9\.9\.9, but pyproject\.toml = "):
        term.check_release("v9.9.9")
    other = tmp_path / "pyproject.toml"
    other.write_text('[project]\nversion = "9.9.9"\n')
    with pytest.raises(term.TermError, match=r"backprop_lib.__version__ = "):
        term.check_release("v9.9.9", pyproject=other)


def test_the_feedback_page_shows_check_cells_without_their_hidden_tests():
    plugins = pytest.importorskip("coursework.plugins", reason="needs nbgrader")
    source = (
        'check_x(x)\n### BEGIN HIDDEN TESTS\nhidden_tests("g:check_x", x)\n### END HIDDEN TESTS\nprint(1)'
    )
    assert plugins.without_hidden_tests(source) == f"check_x(x)\n{plugins.HIDDEN_NOTE}\nprint(1)"


def test_versions_name_the_package_and_the_release():
    plugins = pytest.importorskip("coursework.plugins", reason="needs nbgrader")
    info = plugins.versions()
    assert info["package"] == __import__("backprop_lib").__version__
    assert info["summary"].startswith(f"backprop-notebooks {info['package']} (")


@pytest.mark.parametrize(
    "seconds_late, expected",
    [(0, None), (1, 0.9), (86400, 0.9), (86401, 1.8), (10 * 86400, 4.5)],
)
def test_late_work_loses_a_share_per_started_day_up_to_the_cap(seconds_late, expected):
    plugins = pytest.importorskip("coursework.plugins", reason="needs nbgrader")
    penalty = plugins.PerDayPenalty(fraction_per_day=0.1, max_fraction=0.5)
    got = penalty.late_submission_penalty("s001", 9.0, seconds_late)
    assert got == expected if expected is None else got == pytest.approx(expected)


def test_nbgraders_own_collector_matches_its_regex_against_the_absolute_path():
    """What the guide says about a hand-written named_regexp (nbgrader/plugins/zipcollect.py)."""
    zipcollect = pytest.importorskip("nbgrader.plugins.zipcollect", reason="needs nbgrader")
    path = "/srv/course/downloaded/03/extracted/submissions/andersalice_1001_5001_03_backprop_by_hand.ipynb"
    by_name = zipcollect.FileNameCollectorPlugin(
        named_regexp=r"(?P<student_id>[a-z0-9]+)_\d+_\d+_(?P<file_id>.+)"
    )
    assert by_name.collect(path) is None  # re.match from the start of the absolute path
    by_path = zipcollect.FileNameCollectorPlugin(
        named_regexp=r".*/(?P<student_id>[a-z0-9]+)_\d+_\d+_(?P<file_id>[^/]+\.ipynb)$"
    )
    assert by_path.collect(path) == {"student_id": "andersalice", "file_id": "03_backprop_by_hand.ipynb"}

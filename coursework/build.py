"""nbgrader coursework and student versions, generated from the solution notebooks.

The notebooks in ``notebooks/`` are the single source. Their authors write no nbgrader
metadata: they write the markers below in the jupytext ``.py`` source, and this module derives
nbgrader's metadata from them (a notebook's ``.ipynb`` carries the same cell metadata).

Markers (what an author writes)
-------------------------------

1. **Autograded exercise** — an *answer cell*, a function whose body holds the solution::

       # %%
       def weight_gradient(a_prev, dz):
           ### BEGIN SOLUTION
           return a_prev.T @ dz
           ### END SOLUTION

   then its *check cell*, the next code cell: the visible practice check, then the hidden
   test, which calls the grader (``coursework/grader/``, never shipped to students) through
   ``hidden_tests`` (imported in the locked set-up cell from
   ``backprop_course.exercises.feedback``)::

       # %% points=2
       check_weight_gradient(weight_gradient)
       ### BEGIN HIDDEN TESTS
       hidden_tests("coursework.grader.nb04_matrix_form:check_weight_gradient", weight_gradient)
       ### END HIDDEN TESTS

   ``points=N`` on the check cell: its weight (default 1; the series weighs by difficulty,
   e.g. 1 recall, 2 derivation, 3 multi-step). nbgrader roles: the answer cell is an
   autograded answer with ``grade_id`` = the function's name; the check cell is an
   autograder test, read-only, with ``grade_id`` = the check's name.

2. **Partial credit: a check split into parts** — several check cells after one answer
   cell, each calling the check with its own ``part=`` (declared by the check:
   ``@exercise("Adam step", parts=("moments", "step"))``) and its own points::

       # %% points=1
       check_adam_step(adam_step, part="moments")
       ### BEGIN HIDDEN TESTS
       ...
       ### END HIDDEN TESTS

       # %% points=2
       check_adam_step(adam_step, part="step")
       ...

   Each is a graded cell of its own, ``grade_id`` = ``<check>_<part>``
   (``check_adam_step_moments``); with two or more check cells every one must name a part.

3. **Written answer, graded by hand** in nbgrader's formgrader — a markdown cell with
   ``written="<id>"`` and ``points=N``. Its text is the model answer, then the rubric: a line
   starting ``**Rubric``, then one bullet per score, the top one worth ``points``::

       # %% [markdown] written="why_transpose" points=2
       # The rows of dz are samples; dW sums a_prevᵀ dz over them ...
       #
       # **Rubric.**
       # - 2: names the sum over samples and the shape (n_in, n_out)
       # - 1: names one of the two
       # - 0: neither

   The question goes in the markdown cell before it. Students receive "YOUR ANSWER HERE" in
   its place (nbgrader's manually graded answer: ``grade`` and ``solution``, ``grade_id`` =
   the id); the model answer and rubric stay in the source, and ``make student`` copies
   every rubric into docs/instructors.md.

4. **Locked set-up** — ``locked="<id>"`` on a cell (imports, data, the definitions the
   exercises rely on): nbgrader's read-only cell. Students cannot edit or delete it, and
   autograding restores its source, so set-up never sits in an editable answer cell.

5. **Worked solution** — ``worked="<answer function>"`` on a cell after an exercise that works
   its answer out (the formulas in a table, the same lines on the notebook's own data): kept
   in the solution notebooks, dropped from the release and the student versions, where it
   would hand out the answer a few cells below the exercise. Nothing later may rely on what
   such a cell defines (student versions run top to bottom without it).

6. **Practice exercise** — ``practice=true`` on the check cell after an answer cell (and no
   hidden tests, no points in it): the exercise stays in the student versions with its
   practice check and feedback, but earns no points. For the try-then-read exercises whose
   answer the notebook derives a few cells further on (that derivation is the lesson): graded,
   they would hand out their points a few cells below the exercise::

       # %% practice=true
       check_unit_preactivation(unit_preactivation)

   The answer cell is still an nbgrader answer cell (its body becomes ``raise
   NotImplementedError()`` for students); the check cell is read-only, not graded.

Everything else stays unmarked, so learners may edit and re-run explanations and explorers.
A marker that does not fit (bad points, a written cell with solution delimiters, a locked
answer, two checks without parts, hand-written ``nbgrader`` metadata, a delimiter in a text
cell) stops the build with a ``PatternError`` naming the notebook, the cell and the fix.

nbgrader's ``generate_assignment`` then makes the release (student) versions: solution bodies
become ``raise NotImplementedError()``, hidden tests disappear, written answers become "YOUR
ANSWER HERE", outputs are cleared. One notebook with exercises = one nbgrader assignment named
after the notebook (``03_backprop_by_hand``). A notebook without exercises (00) is no
assignment; its student version is the notebook with outputs cleared, so ``student/`` holds
the whole series.

Commands (from the repository root; ``make student`` / ``make assignments`` call them):

    python -m coursework.build student      # regenerate student/, the points table and rubrics in docs
    python -m coursework.build assignments  # nbgrader course in coursework/course/
    python -m coursework.build check        # exit 1 if student/ or the tables in docs are stale
    python -m coursework.build points       # print the points table
"""

import argparse
import copy
import os
import re
import secrets
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import links

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
STUDENT = ROOT / "student"
COURSE = ROOT / "coursework" / "course"
DOCS = ROOT / "docs" / "instructors.md"
COURSE_ID = "backprop-notebooks"

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
# nbgrader treats any line *containing* its delimiters as a marker, so detection does too.
_DELIMITERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
SCHEMA_VERSION = 3  # nbgrader's cell metadata schema

TABLE_START = "<!-- points-table:start (generated by `make student`; do not edit by hand) -->"
TABLE_END = "<!-- points-table:end -->"
RUBRICS_START = "<!-- rubrics:start (generated by `make student`; do not edit by hand) -->"
RUBRICS_END = "<!-- rubrics:end -->"

GENERATED_HEADER = "# Generated by coursework/build.py"
SETTINGS = "grading_settings.py"  # rewritten by every `make assignments`
CONFIG = "nbgrader_config.py"  # the instructor's: written once, never overwritten
SECRET_VARIABLE = "BACKPROP_GRADER_SECRET"  # read by coursework.grader.rng

GRADING_SETTINGS = f"""\
{GENERATED_HEADER}; `make assignments` rewrites it. Do not edit: put your own
# settings in nbgrader_config.py, which loads this file first and may override anything here.
import os
import sys

REPOSITORY = {{repository!r}}  # the clone that built this course: grader, plugins, templates
if REPOSITORY not in sys.path:
    sys.path.insert(0, REPOSITORY)  # nbgrader's own process imports coursework's plugins
# The kernels nbgrader starts inherit this: hidden tests import coursework.grader from it.
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in [REPOSITORY, os.environ.get("PYTHONPATH")] if p)

from coursework import plugins

c = get_config()
c.CourseDirectory.course_id = "{COURSE_ID}"
# The checks print their verdict; under nbgrader they raise, so a failed check cell scores 0.
c.Execute.timeout = 120
# Autograding records the versions it graded with; the feedback page shows them, labels each
# graded cell by its exercise and leaves the hidden tests out.
plugins.configure(c)
"""

INSTRUCTOR_CONFIG = f"""\
# nbgrader settings of your course. `make assignments` wrote this file once and never rewrites
# it: edit it freely. The series' generated settings come first, from {SETTINGS}.
import os

c = get_config()
load_subconfig("{SETTINGS}")

# The term's secret seeds the inputs of the hidden tests, so that nobody can work them out from
# the public grader (coursework/grader) and hard-code the answers. Drawn when this file was
# written: keep it private, and the same all term (re-grades then see the same inputs).
os.environ["{SECRET_VARIABLE}"] = "{{secret}}"

# --- your settings (docs/instructors.md, "A term, step by step"); examples:
# c.Exchange.root = "/srv/nbgrader/exchange"  # on a hub: one volume shared by every server
# c.CourseDirectory.course_id = "backprop-2027"  # one exchange, several courses
# c.LateSubmissionPlugin.penalty_method = "zero"  # late work scores 0 (default: "none")
# c.ZipCollectApp.collector_plugin = "coursework.lms.CanvasCollector"  # or MoodleCollector
# c.LmsCollector.id_map = "lms_ids.csv"  # LMS ids -> roster ids (columns lms_id, student_id)
"""


class PatternError(ValueError):
    """A notebook breaks the exercise cell pattern; the message names the notebook and cell."""


@dataclass(frozen=True)
class Exercise:
    """One graded check cell: indices into ``nb.cells`` and the grade ids derived from them.

    A check split into parts gives one ``Exercise`` per part, all with the same answer cell.
    """

    answer_cell: int
    check_cell: int
    answer_id: str
    check_id: str
    points: float
    check: str = ""  # the check function the cell calls (check_id without the part)
    part: str | None = None
    label: str = ""  # for people: "Exercise 2 — the momentum step (moments)"


@dataclass(frozen=True)
class Written:
    """One written answer, graded by hand: its cell, grade id, points and rubric."""

    cell: int
    grade_id: str
    points: float
    rubric: tuple  # ((score, criterion), ...), best first
    label: str = ""


@dataclass(frozen=True)
class Practice:
    """One practice exercise: its answer and check cells, never graded (``practice=true``)."""

    answer_cell: int
    check_cell: int
    answer_id: str
    check: str  # the check function the cell calls


@dataclass(frozen=True)
class Locked:
    """One read-only set-up cell."""

    cell: int
    grade_id: str


# --------------------------------------------------------------------------- the pattern


def _marker_lines(source, begin, end, where):
    """(begin, end) line-index pairs of the ``begin``/``end`` regions in ``source``."""
    regions, start = [], None
    begin_delimiter, end_delimiter = begin.removeprefix("### "), end.removeprefix("### ")  # nbgrader's
    for i, line in enumerate(source.split("\n")):
        if begin_delimiter in line:
            if line.strip() != begin:
                raise PatternError(f"{where}: marker line {line.strip()!r} should be exactly {begin!r}")
            if start is not None:
                raise PatternError(f"{where}: nested {begin!r}")
            start = i
        elif end_delimiter in line:
            if line.strip() != end:
                raise PatternError(f"{where}: marker line {line.strip()!r} should be exactly {end!r}")
            if start is None:
                raise PatternError(f"{where}: {end!r} without {begin!r}")
            regions.append((start, i))
            start = None
    if start is not None:
        raise PatternError(f"{where}: {begin!r} without {end!r}")
    return regions


def _has_marker(source, delimiters):
    return any(d in source for d in delimiters)


def _answer_id(lines, begin, where):
    """Name of the function whose body holds the solution region starting at line ``begin``."""
    indent = len(lines[begin]) - len(lines[begin].lstrip())
    for line in reversed(lines[:begin]):
        m = re.match(r"(\s*)def\s+(\w+)\s*\(", line)
        if m and len(m.group(1)) < indent:
            return m.group(2)
    raise PatternError(
        f"{where}: the solution region is not inside a function body; student versions replace "
        "it with `raise NotImplementedError()`, which must not run at import of the cell"
    )


def _check_call(source, regions, answer_id, where):
    """(check name, part or None) of the visible call ``check_x(x)`` / ``check_x(x, part="p")``
    before the cell's hidden tests."""
    lines = source.split("\n")
    hidden = {i for a, b in regions for i in range(a, b + 1)}
    calls = [re.match(r"\s*([A-Za-z_]\w*)\s*\((.*)", line) for i, line in enumerate(lines) if i not in hidden]
    for m in filter(None, calls):
        if re.search(rf"\b{answer_id}\b", m.group(2)):
            part = re.search(r"\bpart\s*=\s*(['\"])(\w+)\1", m.group(2))
            if re.search(r"\bpart\s*=", m.group(2)) and not part:
                raise PatternError(f'{where}: part= should be a plain name in quotes, e.g. part="step"')
            return m.group(1), part.group(2) if part else None
    raise PatternError(
        f"{where}: the check cell should call its check on `{answer_id}` visibly, "
        f"e.g. `check_{answer_id}({answer_id})`, before {BEGIN_HIDDEN!r}"
    )


def _points(cell, where, default=1):
    points = cell.metadata.get("points", default)
    if isinstance(points, bool) or not isinstance(points, (int, float)) or points <= 0:
        raise PatternError(f"{where}: cell metadata points={points!r} should be a positive number")
    return points


def _grade_id(value, key, where):
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z_]\w*", value):
        raise PatternError(
            f"{where}: {key}={value!r} should name the cell with a Python-style identifier, "
            f'e.g. {key}="why_transpose" (it becomes the nbgrader grade id)'
        )
    return value


def _label(nb, index, fallback):
    """The nearest "Exercise …" / "Think …" heading or bold lead above cell ``index``."""
    for cell in reversed(nb.cells[:index]):
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.split("\n"):
            m = re.match(r"\s*(?:#+\s*|\*\*)((?:Exercise|Think|Question)\b[^*]*?)\.?(?:\*\*|$)", line)
            if m:
                return m.group(1).strip()
    return fallback


def _rubric(source, points, where):
    """((score, criterion), ...) from the ``**Rubric`` line and the bullets after it."""
    lines = source.split("\n")
    starts = [i for i, line in enumerate(lines) if line.strip().startswith("**Rubric")]
    if len(starts) != 1:
        raise PatternError(
            f"{where}: a written answer ends with its rubric: one line starting '**Rubric', then "
            "one bullet per score, e.g. '- 2: names the sum over samples'"
        )
    levels = []
    for line in lines[starts[0] + 1 :]:
        if not line.strip():
            continue
        m = re.fullmatch(r"\s*[-*]\s+(\d+(?:\.\d+)?)\s*(?:points?)?\s*:\s*(\S.*)", line)
        if m:
            levels.append((float(m.group(1)), m.group(2).strip()))
        elif levels and line.startswith(" "):  # the criterion goes on, indented
            levels[-1] = (levels[-1][0], f"{levels[-1][1]} {line.strip()}")
        else:
            raise PatternError(f"{where}: rubric line {line.strip()!r} should read '- <score>: <criterion>'")
    scores = [score for score, _ in levels]
    if len(levels) < 2 or max(scores) != points or min(scores) < 0 or len(set(scores)) != len(scores):
        raise PatternError(
            f"{where}: the rubric should give at least two different scores from 0 up to the "
            f"cell's points={points:g}, each once; got {scores}"
        )
    return tuple(sorted(levels, reverse=True))


def _refuse_handwritten(cell, where):
    if "nbgrader" in cell.metadata:
        raise PatternError(
            f"{where} carries hand-written nbgrader metadata, which the build derives: remove it and "
            "mark the cell in the jupytext source instead (points=N on a check cell, "
            'written="id" points=N on a written answer, locked="id" on set-up; see coursework/build.py)'
        )


def find_exercises(nb, name="notebook"):
    """The autograded check cells of ``nb`` (a ``nbformat`` notebook), in order.

    Raises ``PatternError`` where the cells break the exercise cell pattern: markers outside an
    answer or check cell, a solution not inside a function, an answer cell not followed by a
    check cell, checks after one answer without distinct parts, duplicate grade ids.
    """
    return _scan(nb, name)[0]


def find_written(nb, name="notebook"):
    """The written answers of ``nb`` (graded by hand), in order."""
    return _scan(nb, name)[1]


def find_locked(nb, name="notebook"):
    """The read-only set-up cells of ``nb``, in order."""
    return _scan(nb, name)[2]


def find_practice(nb, name="notebook"):
    """The practice exercises (``practice=true``): answered and checked, never graded."""
    return _scan(nb, name)[3]


def _scan(nb, name):
    exercises, written, locked, seen, mentions, worked, practice = [], [], [], {}, [], [], []
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    checks_of = {}  # answer cell -> its check cells

    def claim(grade_id, at):
        if grade_id in seen:
            raise PatternError(
                f"{name}: grade id {grade_id!r} of cell {at} is already used by cell {seen[grade_id]}; "
                "give each exercise its own function and check"
            )
        seen[grade_id] = at

    for i, cell in enumerate(nb.cells):
        where = f"{name}, cell {i}"
        _refuse_handwritten(cell, where)
        if cell.cell_type == "markdown" and "written" in cell.metadata:
            if _has_marker(cell.source, _DELIMITERS):
                raise PatternError(
                    f"{where}: a written answer is the model answer as a whole (students get 'YOUR "
                    "ANSWER HERE' in its place): remove the nbgrader delimiters from it"
                )
            grade_id = _grade_id(cell.metadata["written"], "written", where)
            if "points" not in cell.metadata:
                raise PatternError(f'{where}: a written answer needs points: written="{grade_id}" points=2')
            points = _points(cell, where)
            claim(grade_id, i)
            label = _label(nb, i, grade_id)
            written.append(Written(i, grade_id, points, _rubric(cell.source, points, where), label))
            continue
        if "worked" in cell.metadata:
            worked.append((i, cell.metadata["worked"]))
            if any(key in cell.metadata for key in ("written", "locked", "points")) or _has_marker(
                cell.source, _DELIMITERS
            ):
                raise PatternError(
                    f"{where}: a worked solution (worked=) is a plain cell, never graded or locked"
                )
            continue
        if "written" in cell.metadata:
            raise PatternError(f"{where}: written= marks a markdown cell (a written answer), not code")
        if "locked" in cell.metadata:
            if _has_marker(cell.source, _DELIMITERS):
                raise PatternError(f"{where}: a locked set-up cell cannot be an answer or check cell")
            grade_id = _grade_id(cell.metadata["locked"], "locked", where)
            claim(grade_id, i)
            locked.append(Locked(i, grade_id))
            continue
        if cell.cell_type != "code":
            if _has_marker(cell.source, _DELIMITERS):
                mentions.append(i)
            continue
        if not _has_marker(cell.source, ("BEGIN SOLUTION", "END SOLUTION")):
            continue
        if _has_marker(cell.source, ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")):
            raise PatternError(
                f"{where}: solution and hidden tests in one cell; put the check in the next cell"
            )
        if "points" in cell.metadata:
            raise PatternError(f"{where}: points= belongs on the check cell after the answer, not here")
        regions = _marker_lines(cell.source, BEGIN_SOLUTION, END_SOLUTION, where)
        answer_id = _answer_id(cell.source.split("\n"), regions[0][0], where)
        following = [j for j in code if j > i]
        checks = []
        for j in following:
            if not _has_marker(nb.cells[j].source, ("BEGIN HIDDEN TESTS",)):
                break
            checks.append(j)
        if not checks and following and nb.cells[following[0]].metadata.get("practice") is True:
            j = following[0]
            if "points" in nb.cells[j].metadata:
                raise PatternError(f"{name}, cell {j}: a practice check (practice=true) earns no points")
            check, _ = _check_call(nb.cells[j].source, [], answer_id, f"{name}, cell {j}")
            claim(answer_id, i)
            practice.append(Practice(i, j, answer_id, check))
            continue
        if not checks:
            raise PatternError(
                f"{where}: the answer cell for `{answer_id}` should be followed by its check cell "
                f"(a call to the check, then {BEGIN_HIDDEN!r} ... {END_HIDDEN!r})"
            )
        claim(answer_id, i)
        checks_of[i] = checks
        label = _label(nb, i, answer_id)
        parts = []
        for j in checks:
            check_where = f"{name}, cell {j}"
            hidden = _marker_lines(nb.cells[j].source, BEGIN_HIDDEN, END_HIDDEN, check_where)
            check, part = _check_call(nb.cells[j].source, hidden, answer_id, check_where)
            if len(checks) > 1 and part is None:
                raise PatternError(
                    f"{check_where}: {len(checks)} check cells follow the answer `{answer_id}`; each "
                    f'must check one part, e.g. `{check}({answer_id}, part="step")`'
                )
            parts.append(part)
            check_id = f"{check}_{part}" if part else check
            claim(check_id, j)
            exercises.append(
                Exercise(
                    i,
                    j,
                    answer_id,
                    check_id,
                    _points(nb.cells[j], check_where),
                    check,
                    part,
                    f"{label} ({part})" if part else label,
                )
            )
    claimed = {j for checks in checks_of.values() for j in checks}
    practised = {p.check_cell for p in practice}
    for i, cell in enumerate(nb.cells):
        where = f"{name}, cell {i}"
        if "practice" in cell.metadata and i not in practised:
            raise PatternError(
                f"{where}: practice=true marks the check cell right after an answer cell, without "
                "hidden tests (a graded check has them and points=N instead)"
            )
        if cell.cell_type == "code" and i not in claimed:
            if _has_marker(cell.source, ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")):
                raise PatternError(f"{where}: hidden tests in a cell that does not follow an answer cell")
            if "points" in cell.metadata and i not in checks_of:
                raise PatternError(
                    f"{where}: points= marks a check cell (the code cell after an answer, with hidden "
                    "tests) or a written answer; this cell is neither"
                )
        if cell.cell_type != "code" and "points" in cell.metadata and "written" not in cell.metadata:
            raise PatternError(f'{where}: points= on a text cell needs written="id" too (a written answer)')
    answers = {ex.answer_id: ex.answer_cell for ex in exercises}
    for i, answer_id in worked:
        if answer_id not in answers or i < answers[answer_id]:
            raise PatternError(
                f"{name}, cell {i}: worked={answer_id!r} should name an exercise's answer function "
                f"above it (this notebook's: {sorted(answers)})"
            )
    if (exercises or written or practice) and mentions:
        # nbgrader would clear such a region in a text cell too (harmless in notebooks without
        # exercises, which never go through nbgrader).
        raise PatternError(
            f"{name}, cell {mentions[0]} ({nb.cells[mentions[0]].cell_type}) mentions an nbgrader "
            "marker, which nbgrader would treat as a solution or hidden-test region: reword it (for "
            'a written answer graded by hand, mark the cell written="id" points=N instead)'
        )
    return exercises, written, locked, practice


def _nbgrader(grade_id, grade=False, solution=False, locked=False, points=None):
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return meta


def annotate(nb, name="notebook"):
    """A copy of ``nb`` with nbgrader metadata on its marked cells (see module doc).

    The copy also loses its worked solutions (``without_worked``), its jupytext pairing and saved
    widget state (see ``_drop_notebook_metadata``), and the markers, which are now nbgrader
    metadata. Graded
    cells get an ``exercise`` label (cell metadata) for the feedback page.
    """
    _scan(nb, name)  # the whole notebook's markers checked, worked solutions included
    nb = without_worked(nb)
    exercises, written, locked, practice = _scan(nb, name)
    _drop_notebook_metadata(nb)
    for p in practice:
        answer, check = nb.cells[p.answer_cell], nb.cells[p.check_cell]
        answer.metadata["nbgrader"] = _nbgrader(p.answer_id, solution=True)
        check.metadata.pop("practice")
        check.metadata["nbgrader"] = _nbgrader(f"{p.answer_id}_practice_check", locked=True)
    for ex in exercises:
        answer, check = nb.cells[ex.answer_cell], nb.cells[ex.check_cell]
        answer.metadata["nbgrader"] = _nbgrader(ex.answer_id, solution=True)
        answer.metadata["exercise"] = ex.label.removesuffix(f" ({ex.part})") if ex.part else ex.label
        check.source = _quiet_last_line(check.source)
        check.metadata.pop("points", None)
        check.metadata["nbgrader"] = _nbgrader(ex.check_id, grade=True, locked=True, points=ex.points)
        check.metadata["exercise"] = ex.label
    for w in written:
        cell = nb.cells[w.cell]
        for key in ("written", "points"):
            cell.metadata.pop(key)
        cell.metadata["nbgrader"] = _nbgrader(w.grade_id, grade=True, solution=True, points=w.points)
        cell.metadata["exercise"] = f"{w.label} (written)"
    for lock in locked:
        cell = nb.cells[lock.cell]
        cell.metadata.pop("locked")
        cell.metadata["nbgrader"] = _nbgrader(lock.grade_id, locked=True)
    return nb


def without_worked(nb):
    """A copy of ``nb`` without its worked solutions (``worked=`` cells): the cells of the source
    and release versions, whose indices the exercises found in it refer to."""
    nb = copy.deepcopy(nb)
    nb.cells = [cell for cell in nb.cells if "worked" not in cell.metadata]
    return nb


def _quiet_last_line(source):
    """``source`` with ``;`` after its last statement, so the graded cell shows no ``Out[]``.

    nbgrader reads a number in a test cell's result as partial credit (and warns about any other
    value, such as the ``True`` a check returns). The last line of a check cell is its hidden
    re-check, which learners never see.
    """
    lines = source.rstrip().split("\n")
    for k in range(len(lines) - 1, -1, -1):
        code = lines[k].strip()
        if not code or code.startswith("#"):
            continue
        if "#" not in code and not code.endswith((";", ":")):
            lines[k] = lines[k].rstrip() + ";"
        break
    return "\n".join(lines)


def _drop_notebook_metadata(nb):
    """Remove the jupytext pairing (a learner's copy must never write a ``.py`` beside itself)
    and the saved widget state (it belongs to outputs that student versions do not have)."""
    for key in ("jupytext", "widgets"):
        nb.metadata.pop(key, None)


def clear_outputs(nb):
    """A copy of ``nb`` without outputs, execution counts, jupytext pairing or widget state."""
    nb = copy.deepcopy(nb)
    _drop_notebook_metadata(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


# --------------------------------------------------------------------------- nbgrader


def notebook_paths(notebooks=NOTEBOOKS):
    """The numbered notebooks ``NN_*.ipynb`` of the series, in order."""
    return sorted(Path(notebooks).glob("[0-9][0-9]_*.ipynb"))


def nbgrader_env():
    """The environment for nbgrader: it runs ``alembic`` from PATH, so put this Python's bin first."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.pop("NBGRADER_EXECUTION", None)
    return env


def run_nbgrader(course, *args, importable=False):
    """Run the nbgrader command line in ``course`` (its root); raise with its log on failure.

    ``importable=True`` puts this repository on ``PYTHONPATH`` first, for options given on the
    command line that name a class of ``coursework`` (nbgrader imports those before it reads
    the course's settings, which would put the repository on its path).
    """
    env = nbgrader_env()
    if importable:
        env["PYTHONPATH"] = os.pathsep.join(p for p in [str(ROOT), env.get("PYTHONPATH")] if p)
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        capture_output=True,
        text=True,
        env=env,
    )
    if proc.returncode:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed in {course}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def write_config(course, repository=ROOT):
    """Write ``grading_settings.py`` (always) and ``nbgrader_config.py`` (only if missing, or if
    it is one an older build generated) into ``course``. Returns the files written."""
    course = Path(course)
    written = [course / SETTINGS]
    (course / SETTINGS).write_text(GRADING_SETTINGS.format(repository=str(Path(repository).resolve())))
    config = course / CONFIG
    if not config.exists() or config.read_text().startswith(GENERATED_HEADER):
        config.write_text(INSTRUCTOR_CONFIG.format(secret=secrets.token_hex(16)))
        written.append(config)
    return written


def write_sources(course, paths):
    """Write the settings (``write_config``) and ``source/<assignment>/<notebook>.ipynb`` into
    ``course``.

    Returns ``{assignment_id: exercises}`` for the notebooks that have exercises.
    """
    course = Path(course)
    course.mkdir(parents=True, exist_ok=True)
    write_config(course)
    assignments = {}
    for path in map(Path, paths):
        nb = nbformat.read(path, as_version=4)
        annotated = annotate(nb, path.name)  # checks the markers first
        exercises, written, _, practice = _scan(without_worked(nb), path.name)  # the annotated cells
        if not exercises and not written and not practice:
            continue
        dest = course / "source" / path.stem / path.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(annotated, dest)
        assignments[path.stem] = exercises
    return assignments


def build_course(course, paths):
    """Sources plus nbgrader's release versions in ``course``; returns ``{assignment: exercises}``."""
    assignments = write_sources(course, paths)
    if assignments:
        run_nbgrader(course, "generate_assignment", "*", "--force")
    return assignments


_built = {}


def student_versions(paths):
    """``{file name: student notebook}`` for ``paths``, built by nbgrader in a scratch course.

    Remembered per process for unchanged files, so several tests can share one nbgrader run.
    """
    paths = [Path(p).resolve() for p in paths]
    key = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
    if key not in _built:
        _built[key] = _student_versions(paths)
    return copy.deepcopy(_built[key])


def _student_versions(paths):
    with tempfile.TemporaryDirectory() as tmp:
        assignments = build_course(tmp, paths)
        out = {}
        for path in map(Path, paths):
            if path.stem in assignments:
                release = Path(tmp) / "release" / path.stem / path.name
                out[path.name] = nbformat.read(release, as_version=4)
            else:
                out[path.name] = clear_outputs(nbformat.read(path, as_version=4))
            _link_student_versions(out[path.name])
        return out


def _link_student_versions(nb):
    """Point every Binder link of a student version at the student versions (``student/``),
    never at the solutions (``make handout`` retargets them again, at the hand-out)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = links.retarget(cell.source, links.REPO, links.BRANCH, STUDENT.name)


def cell_summary(nb):
    """What a stale check compares: the notebook's metadata keys; each cell's type, source and
    nbgrader role (not outputs, ids or checksums)."""

    def role(cell):
        meta = cell.metadata.get("nbgrader", {})
        return tuple(meta.get(k) for k in ("grade_id", "solution", "grade", "points", "locked"))

    return [sorted(nb.metadata)] + [(c.cell_type, c.source, role(c)) for c in nb.cells]


# --------------------------------------------------------------------------- points table


def points_table(paths):
    """Markdown table: points per notebook (one assignment each) and the total."""
    rows = [
        "| notebook (assignment) | graded cells (grade ids; written = graded by hand) | points |",
        "|---|---|---|",
    ]
    total = 0
    for path in map(Path, paths):
        exercises, written, *_ = _scan(nbformat.read(path, as_version=4), path.name)
        if not exercises and not written:
            continue
        points = sum(e.points for e in exercises) + sum(w.points for w in written)
        total += points
        ids = [f"`{e.check_id}` ({e.points:g})" for e in exercises]
        ids += [f"`{w.grade_id}` ({w.points:g}, written)" for w in written]
        rows.append(f"| `{path.stem}` | {', '.join(ids)} | {points:g} |")
    rows.append(f"| **total** | | **{total:g}** |")
    return "\n".join(rows)


def rubrics_markdown(paths):
    """Markdown: every written answer's question label, points and rubric, by notebook."""
    out = []
    for path in map(Path, paths):
        for w in find_written(nbformat.read(path, as_version=4), path.name):
            out.append(f"**`{path.stem}` · `{w.grade_id}`** — {w.label} ({w.points:g} points)\n")
            out += [f"- {score:g}: {criterion}" for score, criterion in w.rubric]
            out.append("")
    if not out:
        return (
            "No notebook has a written answer yet; each one's rubric appears here when it does "
            '(markdown cell `written="id" points=N`, see `coursework/build.py`).'
        )
    return "\n".join(out).rstrip()


def with_block(doc, start, end, text):
    """``doc`` with the text between the markers ``start`` and ``end`` replaced by ``text``."""
    if start not in doc or end not in doc:
        raise ValueError(f"the instructor guide lacks the markers {start!r} ... {end!r}")
    head, rest = doc.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{text}\n{end}{tail}"


def with_points_table(doc, table):
    """``doc`` with the text between the table markers replaced by ``table``."""
    return with_block(doc, TABLE_START, TABLE_END, table)


def with_generated_tables(doc, paths):
    """``doc`` with its points table and rubrics regenerated from ``paths``."""
    doc = with_points_table(doc, points_table(paths))
    return with_block(doc, RUBRICS_START, RUBRICS_END, rubrics_markdown(paths))


# --------------------------------------------------------------------------- commands


def write_student(paths, out=STUDENT, docs=DOCS):
    """Regenerate ``out/NN_*.ipynb`` (removing stale ones) and the points table in ``docs``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    versions = student_versions(paths)
    for stale in set(p.name for p in out.glob("[0-9][0-9]_*.ipynb")) - set(versions):
        (out / stale).unlink()
    for name, nb in versions.items():
        nbformat.write(nb, out / name)
    if docs is not None and Path(docs).exists():
        Path(docs).write_text(with_generated_tables(Path(docs).read_text(), paths))
    return sorted(versions)


def stale_student(paths, out=STUDENT, docs=DOCS):
    """Messages naming whatever in ``out`` or ``docs`` differs from a fresh build; [] if none."""
    out, problems = Path(out), []
    versions = student_versions(paths)
    committed = {p.name for p in out.glob("[0-9][0-9]_*.ipynb")}
    for name in sorted(set(versions) - committed):
        problems.append(f"student/{name} is missing")
    for name in sorted(committed - set(versions)):
        problems.append(f"student/{name} has no notebook in notebooks/ any more")
    for name in sorted(set(versions) & committed):
        if cell_summary(nbformat.read(out / name, as_version=4)) != cell_summary(versions[name]):
            problems.append(f"student/{name} is out of date with notebooks/{name}")
    if docs is not None:
        doc = Path(docs).read_text() if Path(docs).exists() else ""
        markers = (TABLE_START, TABLE_END, RUBRICS_START, RUBRICS_END)
        if not all(m in doc for m in markers) or with_generated_tables(doc, paths) != doc:
            problems.append(f"the points table or the rubrics in {Path(docs).name} are out of date")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["student", "assignments", "check", "points"])
    parser.add_argument(
        "--notebooks", type=Path, default=NOTEBOOKS, help="solution notebooks (default notebooks/)"
    )
    parser.add_argument("--out", type=Path, default=STUDENT, help="student versions (default student/)")
    parser.add_argument(
        "--course", type=Path, default=COURSE, help="nbgrader course (default coursework/course/)"
    )
    args = parser.parse_args(argv)
    paths = notebook_paths(args.notebooks)
    if not paths:
        parser.error(f"no notebooks NN_*.ipynb in {args.notebooks}")
    try:
        return _command(args, paths)
    except PatternError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


def _command(args, paths):
    if args.command == "points":
        print(points_table(paths))
    elif args.command == "student":
        for name in write_student(paths, args.out):
            print(f"wrote {args.out / name}")
    elif args.command == "check":
        problems = stale_student(paths, args.out)
        for problem in problems:
            print(problem)
        if problems:
            print("run `make student` and commit student/ and docs/instructors.md")
            return 1
        print("student/, the points table and the rubrics are up to date")
    else:
        kept = (args.course / CONFIG).exists() and not (args.course / CONFIG).read_text().startswith(
            GENERATED_HEADER
        )
        assignments = build_course(args.course, paths)
        for assignment in assignments:
            path = next(p for p in paths if p.stem == assignment)
            exercises, written, *_ = _scan(nbformat.read(path, as_version=4), path.name)
            points = sum(e.points for e in exercises) + sum(w.points for w in written)
            counts = f"{len(exercises)} autograded, {len(written)} written"
            print(f"{args.course}/release/{assignment}/  ({counts}, {points:g} points)")
        print(f"wrote {args.course / SETTINGS} (generated; rewritten every time)")
        state = "kept: yours, never overwritten" if kept else "written once: yours to edit"
        print(f"{args.course / CONFIG}: {state}")
        print(f"nbgrader course ready: cd {args.course} && nbgrader autograde <assignment>")
        print("(see docs/instructors.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A term's steps that nbgrader leaves quiet, made loud (docs/instructors.md, "A term, step by step").

    python -m coursework.term collect 03_backprop_by_hand          # nbgrader collect (hub exchange)
    python -m coursework.term zip-collect 03_backprop_by_hand --lms canvas   # an LMS download
    python -m coursework.term autograde 03_backprop_by_hand        # checks the grader first
    python -m coursework.term lms-grades grades.csv 03_backprop_by_hand canvas.csv \
        --column "Backprop 03 (4711)" --match-on ID --roster-field lms_user_id   # into the LMS's CSV
    python -m coursework.term version                              # what grading would record
    python -m coursework.term check-release v0.3.0                 # before tagging a release

Each runs in the nbgrader course (``--course``; default: the current folder if it is one, as
when you work in ``coursework/course`` with ``PYTHONPATH`` set to this repository, else
``coursework/course``) and exits 1,
saying why, where nbgrader would carry on in silence: ``nbgrader collect`` and ``nbgrader
zip_collect`` both exit 0 having collected nothing (``nbgrader/exchange/default/collect.py``,
``ExchangeCollect.copy_files``, only logs a warning; so does ``ZipCollectApp.process_extracted_files``
for an empty folder), and ``zip_collect`` skips a file its plugin cannot place with a warning.
"""

import argparse
import csv
import importlib
import re
import subprocess
import sys
from pathlib import Path

import nbformat

from . import integrity, lms
from .build import CONFIG, COURSE, ROOT, SECRET_VARIABLE, SETTINGS, run_nbgrader

_HIDDEN_CALL = re.compile(r"hidden_tests\(\s*['\"]([\w.]+):(\w+)['\"]")


class TermError(RuntimeError):
    """A step of the term did not do what it should; the message says what and what to do."""


def submissions(course, assignment):
    """``{student: [notebook file names]}`` in ``submitted/*/<assignment>/``."""
    out = {}
    for folder in sorted(Path(course, "submitted").glob(f"*/{assignment}")):
        out[folder.parent.name] = sorted(p.name for p in folder.glob("*.ipynb"))
    return out


def collect(course, assignment, update=True):
    """``nbgrader collect`` from the exchange: ``{"collected": [...], "updated": [...],
    "unchanged": [...]}`` (student ids). Raises ``TermError`` when the exchange holds no
    submission of ``assignment`` at all, which nbgrader only logs as a warning
    (``ExchangeCollect.copy_files``)."""
    log = run_nbgrader(course, "collect", assignment, *(["--update"] if update else [])).stderr
    if "No submissions of" in log:
        raise TermError(
            f"nbgrader collect found no submission of {assignment!r} in the exchange. Check that "
            "students submitted (Assignments panel, or `nbgrader submit`), that c.Exchange.root in "
            "nbgrader_config.py is the exchange their servers use, and that the course ids match."
        )
    found = {"collected": [], "updated": [], "unchanged": []}
    for kind, pattern in (
        ("collected", r"Collecting submission: (\S+) "),
        ("updated", r"Updating submission: (\S+) "),
        ("unchanged", r"(?:No newer submission to collect|Submission already exists[^:]*): (\S+) "),
    ):
        found[kind] = sorted(set(re.findall(pattern, log)))
    return found


def zip_collect(course, assignment, lms_name, force=True):
    """``nbgrader zip_collect`` with the ``lms_name`` collector; writes
    ``downloaded/<assignment>/collected.csv`` and returns the decisions. Raises ``TermError``
    if nothing was collected, or if a notebook could not be placed (an id with no roster id,
    a file name that is not the LMS's)."""
    if lms_name not in lms.PARSERS:
        raise ValueError(f"lms: expected one of {sorted(lms.PARSERS)}, got {lms_name!r}")
    course = Path(course)
    archive = course / "downloaded" / assignment / "archive"
    if not archive.is_dir() or not any(archive.iterdir()):
        raise TermError(
            f"nothing to collect: put the LMS download (the zip, as downloaded) in {archive}/ first"
        )
    collector = f"coursework.lms.{lms_name.capitalize()}Collector"
    args = ["zip_collect", assignment, f"--collector={collector}"] + (["--force"] if force else [])
    run_nbgrader(course, *args, importable=True)
    extracted = course / "downloaded" / assignment / "extracted"
    roster = lms.Roster.load(f"sqlite:///{(course / 'gradebook.db').resolve()}", course / "lms_ids.csv")
    decisions = lms.plan(extracted, lms.PARSERS[lms_name], roster)
    _write_report(course / "downloaded" / assignment / "collected.csv", decisions)
    collected = [d for d in decisions if d.status == "collect"]
    placed = {(d.student_id, d.upload.notebook) for d in collected}
    missing = [(s, n) for s, n in placed if not (course / "submitted" / s / assignment / n).exists()]
    problems = [d for d in decisions if d.status in ("unmapped", "unrecognised") and d.path.endswith("ipynb")]
    if not collected or missing or problems:
        lines = [f"zip_collect of {assignment!r} collected {len(collected) - len(missing)} notebooks"]
        lines += [f"  {d.status}: {d.path}" for d in problems]
        lines += [f"  not in submitted/: {s}/{assignment}/{n}" for s, n in missing]
        if any(d.status == "unmapped" for d in problems):
            lines.append(
                "  map each LMS id to a roster id: the roster's lms_user_id column "
                "(`nbgrader db student import`) or lms_ids.csv (lms_id,student_id)"
            )
        raise TermError("\n".join(lines))
    return decisions


def _write_report(path, decisions):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["file", "status", "student_id", "notebook", "late", "attempt"])
        for d in decisions:
            u = d.upload
            row = [d.path, d.status, d.student_id or ""]
            row += [u.notebook, "LATE" if u.late else "", u.attempt] if u else ["", "", ""]
            out.writerow(row)


def _last_warning(text):
    warnings = [line for line in text.splitlines() if "WARNING" in line]
    return warnings[-1].split("]", 1)[-1].strip() if warnings else ""


def hidden_test_modules(course, assignment):
    """The grader modules the hidden tests of ``assignment``'s source notebooks import."""
    modules = set()
    for path in Path(course, "source", assignment).glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            modules.update(m for m, _ in _HIDDEN_CALL.findall(cell.source))
    return sorted(modules)


def check_grader(course, assignment):
    """Import every grader module ``assignment`` needs, as the autograding kernel will (with
    this repository on ``sys.path``); raises ``TermError`` naming the one that fails, or if the
    course's ``nbgrader_config.py`` sets no grader secret (a course made before it had one)."""
    config = Path(course, CONFIG)
    if config.exists() and SECRET_VARIABLE not in config.read_text():
        raise TermError(
            f"{config} sets no {SECRET_VARIABLE}: without it the hidden tests' inputs follow from the "
            "public grader. Add, and keep private and unchanged all term:\n"
            f'import os; os.environ["{SECRET_VARIABLE}"] = "<32 random hex digits>"'
        )
    for module in hidden_test_modules(course, assignment):
        code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); import {module}"
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if proc.returncode:
            raise TermError(f"the grader module {module} does not import:\n{proc.stderr.strip()}")


def autograde(course, assignment, *extra):
    """``check_grader``, then ``nbgrader autograde``; returns nbgrader's log. Then reads every
    submission for cells that tamper with their own grading (``coursework.integrity``): call
    ``integrity.scan_submissions(course, assignment)`` for the list (the command line prints it)."""
    check_grader(course, assignment)
    return run_nbgrader(course, "autograde", assignment, *extra)


def lms_grades(
    grades_csv, assignment, lms_csv, out_csv, column, match_on, roster, roster_field="lms_user_id"
):
    """Write ``lms_csv`` (a gradebook the LMS exported) to ``out_csv`` with ``column`` filled
    with each student's ``assignment`` score from nbgrader's ``grades_csv`` (``nbgrader
    export``; the score after any late penalty). A row is matched by its ``match_on`` column
    (Canvas: ``ID``, the user id; Moodle's grading worksheet: ``Email address``) against the
    roster field ``roster_field`` (``lms_user_id`` or ``email``) of ``roster``, a list of the
    gradebook's students as dicts. Returns ``(filled, unmatched)``: LMS rows given a score, and
    the roster ids with a score but no row. Raises ``TermError`` for a missing column."""
    with open(grades_csv, newline="", encoding="utf-8") as fh:
        scores = {r["student_id"]: r["score"] for r in csv.DictReader(fh) if r["assignment"] == assignment}
    if not scores:
        raise TermError(f"{grades_csv} has no row for the assignment {assignment!r}")
    by_key = {str(s.get(roster_field) or "").strip(): s["id"] for s in roster if s.get(roster_field)}
    with open(lms_csv, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        fields, rows = list(reader.fieldnames or []), list(reader)
    for name in (match_on, column):
        if name not in fields:
            raise TermError(f"{lms_csv} has no column {name!r}; its columns: {fields}")
    filled, used = 0, set()
    for row in rows:
        student = by_key.get(row[match_on].strip())
        if student in scores:
            row[column] = f"{float(scores[student]):g}"
            filled, used = filled + 1, used | {student}
    with open(out_csv, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return filled, sorted(set(scores) - used)


def roster_of(course):
    """The gradebook's students as dicts (``id``, names, ``email``, ``lms_user_id``)."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{(Path(course) / 'gradebook.db').resolve()}") as gb:
        return [s.to_dict() for s in gb.students]


def check_release(tag, pyproject=ROOT / "pyproject.toml"):
    """Raise ``TermError`` unless ``tag`` is ``v<version>`` and the version is the same in
    pyproject.toml and ``backprop_lib.__version__`` (a release's tag names one version)."""
    m = re.fullmatch(r"v(\d+\.\d+\.\d+)", tag)
    if not m:
        raise TermError(f"tag {tag!r}: expected v<major>.<minor>.<patch>, e.g. v0.3.0")
    text = Path(pyproject).read_text(encoding="utf-8")
    project = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)
    library = importlib.import_module("backprop_lib").__version__
    versions = {"pyproject.toml": project.group(1) if project else None, "backprop_lib.__version__": library}
    wrong = {where: v for where, v in versions.items() if v != m.group(1)}
    if wrong:
        found = ", ".join(f"{where} = {v}" for where, v in wrong.items())
        raise TermError(f"tag {tag} says {m.group(1)}, but {found}: bump them to {m.group(1)} first")
    return m.group(1)


def default_course():
    """The current folder if it is a course made by ``make assignments``, else ``COURSE``."""
    here = Path.cwd()
    return here if (here / SETTINGS).exists() else COURSE


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--course", type=Path, default=default_course(), help="the nbgrader course folder")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("collect", help="nbgrader collect; fail if nothing came").add_argument("assignment")
    z = sub.add_parser("zip-collect", help="nbgrader zip_collect of an LMS download; fail if nothing came")
    z.add_argument("assignment")
    z.add_argument("--lms", choices=sorted(lms.PARSERS), required=True)
    a = sub.add_parser("autograde", help="check the grader imports, then nbgrader autograde")
    a.add_argument("assignment")
    a.add_argument("--force", action="store_true", help="re-grade submissions graded before")
    g = sub.add_parser("lms-grades", help="fill one column of the LMS's gradebook CSV from grades.csv")
    for name in ("grades", "assignment", "lms_csv"):
        g.add_argument(name)
    g.add_argument("--column", required=True, help="the LMS column of this assignment")
    g.add_argument("--match-on", required=True, help="the LMS column naming the student (ID, Email address)")
    g.add_argument("--roster-field", default="lms_user_id", choices=["lms_user_id", "email", "id"])
    g.add_argument("--out", type=Path, help="where to write (default: <lms_csv> with .filled.csv)")
    sub.add_parser("version", help="the versions autograding records in each feedback page")
    release = sub.add_parser("check-release", help="the tag matches pyproject.toml and backprop_lib")
    release.add_argument("tag")
    args = parser.parse_args(argv)
    try:
        if args.command == "collect":
            found = collect(args.course, args.assignment)
            for kind, students in found.items():
                print(f"{kind}: {len(students)} {' '.join(students)}")
        elif args.command == "zip-collect":
            decisions = zip_collect(args.course, args.assignment, args.lms)
            done = [d for d in decisions if d.status == "collect"]
            late = sorted({d.student_id for d in done if d.upload.late})
            print(f"collected {len(done)} notebooks of {args.assignment} from {args.lms}")
            for d in decisions:
                if d.status != "collect":
                    print(f"  {d.status}: {d.path}")
            if late:
                print(f"  marked LATE by the LMS: {', '.join(late)}")
            print(f"report: {args.course / 'downloaded' / args.assignment / 'collected.csv'}")
        elif args.command == "autograde":
            autograde(args.course, args.assignment, *(["--force"] if args.force else []))
            print(f"autograded {args.assignment}")
            tampering = integrity.scan_submissions(args.course, args.assignment)
            for student, notebook, cell, reasons in tampering:
                print(f"  review by hand: {student} {notebook} {cell}: {'; '.join(reasons)}")
            if tampering:
                print(f"  {len(tampering)} cells may tamper with their grading: look before the scores stand")
        elif args.command == "lms-grades":
            out = args.out or Path(args.lms_csv).with_suffix(".filled.csv")
            filled, unmatched = lms_grades(
                args.grades,
                args.assignment,
                args.lms_csv,
                out,
                args.column,
                args.match_on,
                roster_of(args.course),
                args.roster_field,
            )
            print(f"wrote {out}: {filled} scores in column {args.column!r}")
            if unmatched:
                print(f"error: no LMS row for {', '.join(unmatched)}", file=sys.stderr)
                return 1
        elif args.command == "version":
            from .plugins import versions

            print(versions()["summary"])
        else:
            print(f"{args.tag} matches version {check_release(args.tag)}")
    except (TermError, RuntimeError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

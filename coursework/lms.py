"""Submissions downloaded from an LMS (Canvas, Moodle) into nbgrader's ``submitted/`` folder.

nbgrader's ``zip_collect`` extracts the LMS download into ``downloaded/<assignment>/extracted/``
and asks a *collector plugin* for each file's student id and notebook. Its default plugin
matches ``FileNameCollectorPlugin.named_regexp`` with ``re.match`` against the file's
**absolute path** (``nbgrader/plugins/zipcollect.py``, ``FileNameCollectorPlugin._match``), and
fails outright when one student has two copies of a notebook without timestamps
(``nbgrader/apps/zipcollectapp.py``, ``ZipCollectApp._collect_files``). The collectors here
read the LMS's own file names instead:

* Canvas ("Download Submissions"): ``andersalice_LATE_123456_7654321_03_backprop_by_hand-1.ipynb``
  = the student's sortable name without spaces or punctuation, ``LATE`` if Canvas marked the
  submission late, the Canvas user id, the submission id, and the file name the student
  uploaded; a resubmitted file gets ``-1``, ``-2`` ... before its extension. See
  ``CANVAS_PATTERN``.
* Moodle ("Download all submissions"): ``Alice Anders_1234567_assignsubmission_file_<file>`` or,
  with "Download submissions in folders", the folder ``Alice Anders_1234567_assignsubmission_file/``
  holding ``<file>``; the number is Moodle's participant id for that assignment. See
  ``MOODLE_PATTERN``.

Each file is mapped to a roster id (``nbgrader db student import``): by the LMS user id the
roster's ``lms_user_id`` column holds (Canvas), by the student's full name (Moodle), or by an
alias file ``lms_ids.csv`` (columns ``lms_id,student_id``; any key the LMS writes: Canvas's
``andersalice`` or user id, Moodle's full name or participant id). Of several copies of one
notebook the newest resubmission is kept; a browser's `` (1)`` in a file name is dropped.
Canvas's LATE marker and the resubmission number are kept in the report
``downloaded/<assignment>/collected.csv`` that ``python -m coursework.term zip-collect`` writes.

Set up in the course's ``nbgrader_config.py``::

    c.ZipCollectApp.collector_plugin = "coursework.lms.CanvasCollector"   # or MoodleCollector
    c.LmsCollector.id_map = "lms_ids.csv"                                  # optional aliases
"""

import csv
import os
import re
from dataclasses import dataclass
from pathlib import Path

CANVAS_PATTERN = re.compile(
    r"^(?P<name>[a-z0-9]+?)(?P<late>_LATE)?_(?P<user_id>\d+)_(?P<submission_id>\d+)_"
    r"(?P<file>.+?)(?:-(?P<attempt>\d+))?(?P<ext>\.[A-Za-z0-9]+)$"
)
MOODLE_PATTERN = re.compile(
    r"^(?P<name>[^/_]+)_(?P<user_id>\d+)_assignsubmission_file(?:_|/)(?P<file>[^/]+?)(?P<ext>\.[A-Za-z0-9]+)$"
)
_BROWSER_COPY = re.compile(r" \(\d+\)$")  # "03_backprop_by_hand (1).ipynb" after a second download


@dataclass(frozen=True)
class Upload:
    """One file of an LMS download, as its name describes it."""

    path: str  # relative to the extracted folder
    keys: tuple  # the LMS's ids for the student, most specific first
    notebook: str  # the notebook's name without a browser's " (1)", e.g. 03_backprop_by_hand.ipynb
    late: bool
    attempt: int  # 0 for the first upload, 1 for "-1", ...


def parse_canvas(relative_path):
    """The ``Upload`` a Canvas download file name describes, or None if it is not one."""
    m = CANVAS_PATTERN.match(Path(relative_path).name)
    if not m:
        return None
    notebook = _BROWSER_COPY.sub("", m["file"]) + m["ext"]
    keys = (m["user_id"], m["name"])
    return Upload(str(relative_path), keys, notebook, bool(m["late"]), int(m["attempt"] or 0))


def parse_moodle(relative_path):
    """The ``Upload`` a Moodle download path describes (flat or in folders), or None."""
    parts = Path(relative_path).parts
    tail = "/".join(parts[-2:]) if len(parts) > 1 and "assignsubmission_file" in parts[-2] else parts[-1]
    m = MOODLE_PATTERN.match(tail)
    if not m:
        return None
    notebook = _BROWSER_COPY.sub("", m["file"]) + m["ext"]
    return Upload(str(relative_path), (m["user_id"], m["name"]), notebook, False, 0)


PARSERS = {"canvas": parse_canvas, "moodle": parse_moodle}


class Roster:
    """LMS keys -> roster ids: the gradebook's students (``lms_user_id``, "first last", id)
    and the alias file's rows; a key that names two students is ambiguous and maps to none."""

    def __init__(self, students=(), aliases=None):
        self.ids, self.ambiguous = {}, set()
        for student in students:
            names = [student.get("lms_user_id"), student["id"]]
            full = " ".join(x for x in (student.get("first_name"), student.get("last_name")) if x)
            names.append(full)
            for key in filter(None, names):
                self._add(key, student["id"])
        for key, student_id in (aliases or {}).items():
            self.ids[_norm(key)] = student_id  # an alias settles any ambiguity
            self.ambiguous.discard(_norm(key))

    def _add(self, key, student_id):
        key = _norm(key)
        if self.ids.get(key, student_id) != student_id:
            self.ambiguous.add(key)
        self.ids[key] = student_id

    def lookup(self, keys):
        """The roster id of the first key that maps to exactly one student, else None."""
        for key in keys:
            key = _norm(key)
            if key in self.ids and key not in self.ambiguous:
                return self.ids[key]
        return None

    @classmethod
    def load(cls, db_url=None, id_map=None):
        """From the gradebook at ``db_url`` and the alias CSV ``id_map`` (either may be None)."""
        students = []
        if db_url:
            from nbgrader.api import Gradebook

            with Gradebook(db_url) as gb:
                students = [s.to_dict() for s in gb.students]
        return cls(students, read_id_map(id_map) if id_map and Path(id_map).exists() else None)


def _norm(key):
    return " ".join(str(key).split()).casefold()


def read_id_map(path):
    """``{lms_id: student_id}`` from a CSV with the columns ``lms_id`` and ``student_id``."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not {"lms_id", "student_id"} <= set(reader.fieldnames):
            raise ValueError(f"{path}: expected the columns lms_id,student_id, got {reader.fieldnames}")
        return {row["lms_id"].strip(): row["student_id"].strip() for row in reader if row["lms_id"].strip()}


@dataclass(frozen=True)
class Decision:
    """What collecting does with one file: ``status`` is "collect", "superseded" (a newer
    resubmission exists), "unmapped" (no roster id), "not a notebook" or "unrecognised"."""

    path: str
    status: str
    student_id: str | None = None
    upload: Upload | None = None


def plan(extracted, parse, roster, valid_ext=(".ipynb",)):
    """A ``Decision`` for every file under ``extracted``, sorted by path."""
    files = sorted(str(p.relative_to(extracted)) for p in Path(extracted).rglob("*") if p.is_file())
    uploads = {f: parse(f) for f in files}
    newest = {}
    for upload in filter(None, uploads.values()):
        if Path(upload.notebook).suffix in valid_ext:
            key = (upload.keys, upload.notebook)
            newest[key] = max(newest.get(key, -1), upload.attempt)
    out = []
    for f in files:
        upload = uploads[f]
        if upload is None:
            out.append(Decision(f, "unrecognised"))
        elif Path(upload.notebook).suffix not in valid_ext:
            out.append(Decision(f, "not a notebook", upload=upload))
        elif upload.attempt < newest[(upload.keys, upload.notebook)]:
            out.append(Decision(f, "superseded", upload=upload))
        else:
            student = roster.lookup(upload.keys)
            out.append(Decision(f, "collect" if student else "unmapped", student, upload))
    return out


# --------------------------------------------------------------------------- nbgrader plugins

try:
    from nbgrader.plugins import FileNameCollectorPlugin
    from traitlets import Unicode
except ImportError:  # the parsing above works without nbgrader
    FileNameCollectorPlugin = None

if FileNameCollectorPlugin is not None:

    class LmsCollector(FileNameCollectorPlugin):
        """Collector plugin for ``nbgrader zip_collect``; subclasses name the LMS."""

        lms = "canvas"
        id_map = Unicode(
            "lms_ids.csv",
            help="CSV of aliases lms_id,student_id (relative to the course folder); optional",
        ).tag(config=True)

        def _decisions(self, submitted_file):
            app = self.parent
            extracted = os.path.join(
                app.coursedir.root,
                app.collect_directory_structure.format(
                    downloaded=app.downloaded_directory,
                    assignment_id=app.coursedir.assignment_id,
                    collect_step=app.extracted_directory,
                ),
            )
            if getattr(self, "_extracted", None) != extracted:
                roster = Roster.load(app.coursedir.db_url, os.path.join(app.coursedir.root, self.id_map))
                decisions = plan(extracted, PARSERS[self.lms], roster, tuple(self.valid_ext))
                self._extracted, self._by_path = extracted, {d.path: d for d in decisions}
            return self._by_path.get(os.path.relpath(submitted_file, extracted))

        def collect(self, submitted_file):
            decision = self._decisions(submitted_file)
            if decision is None or decision.status != "collect":
                status = decision.status if decision else "outside the extracted folder"
                self.log.warning("Not collected (%s): %s", status, submitted_file)
                return None
            return {"student_id": decision.student_id, "file_id": decision.upload.notebook}

    class CanvasCollector(LmsCollector):
        """Canvas's "Download Submissions" file names (see ``CANVAS_PATTERN``)."""

        lms = "canvas"

    class MoodleCollector(LmsCollector):
        """Moodle's "Download all submissions" names, flat or in folders (``MOODLE_PATTERN``)."""

        lms = "moodle"

"""nbgrader plugins of the series, switched on by the generated ``grading_settings.py``.

* ``RecordVersions`` (autograde): writes into each autograded notebook which versions graded
  it: the series' package version, the git tag or commit of the clone that holds the grader,
  and whether that clone had local changes.
* ``FeedbackPage`` (generate_feedback): labels each graded cell by its exercise (the label
  ``coursework.build`` put in the source notebook) and replaces the hidden tests in the shown
  check cells by one comment line; with the template ``templates/backprop_feedback`` the page's
  index reads "Exercise 2 — the momentum step (checked automatically; score 1 / 1)" instead of
  "Test cell", and its header says "Graded with backprop-notebooks 0.2.0 (v0.2.0)".

* ``PerDayPenalty`` (autograde, late work): a fraction of the notebook's score per started day
  after the due date, up to a cap (nbgrader's own ``LateSubmissionPlugin`` knows only "none"
  and "zero"). Switch it on in ``nbgrader_config.py``::

      c.AssignLatePenalties.plugin_class = "coursework.plugins.PerDayPenalty"
      c.PerDayPenalty.fraction_per_day = 0.1   # 10 % of the score per started day
      c.PerDayPenalty.max_fraction = 0.5       # never more than half

A failed check shows on that page as its one verdict line, never as a traceback: the checks
raise an ``ExerciseFailed`` that IPython renders through ``_render_traceback_``
(``backprop_course/exercises/feedback.py``).
"""

import math
import subprocess
from importlib import metadata
from pathlib import Path

import nbformat
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.converters import Autograde
from nbgrader.plugins import LateSubmissionPlugin
from nbgrader.preprocessors import GetGrades, NbGraderPreprocessor
from traitlets import Float, Unicode

REPOSITORY = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "templates"
HIDDEN_NOTE = "# (hidden tests: run by the grader, not shown)"


def versions(repository=REPOSITORY):
    """``{"package": "0.2.0", "release": "v0.2.0" or a commit, "modified": bool, "summary": str}``."""
    try:
        package = metadata.version("backprop-notebooks")
    except metadata.PackageNotFoundError:
        package = "unknown"
    release, modified = "unknown", False
    try:
        release = _git(repository, "describe", "--tags", "--always")
        modified = bool(_git(repository, "status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.CalledProcessError):
        pass
    summary = f"backprop-notebooks {package} ({release}{', with local changes' if modified else ''})"
    return {"package": package, "release": release, "modified": modified, "summary": summary}


def _git(repository, *args):
    return subprocess.run(
        ["git", "-C", str(repository), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


class RecordVersions(NbGraderPreprocessor):
    """Autograde step: ``nb.metadata["backprop_grading"] = versions()``."""

    def preprocess(self, nb, resources):
        nb.metadata["backprop_grading"] = versions()
        return nb, resources


class FeedbackPage(NbGraderPreprocessor):
    """Feedback step: exercise labels from the source notebook; hidden tests left out."""

    source_directory = Unicode("source", help="the course's source folder").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        source = Path(self.source_directory) / info["assignment"] / f"{info['notebook']}.ipynb"
        self.labels = {}
        if source.exists():
            for cell in nbformat.read(source, as_version=4).cells:
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
                if grade_id and cell.metadata.get("exercise"):
                    self.labels[grade_id] = cell.metadata["exercise"]
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") in self.labels:
            cell.metadata["exercise"] = self.labels[meta["grade_id"]]
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            cell.source = without_hidden_tests(cell.source)
        return cell, resources


class PerDayPenalty(LateSubmissionPlugin):
    """Late work loses ``fraction_per_day`` of its score per started day, at most ``max_fraction``."""

    fraction_per_day = Float(0.1, help="share of the score lost per started day late").tag(config=True)
    max_fraction = Float(1.0, help="the largest share of the score a late submission loses").tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        if total_seconds_late <= 0:
            return None
        days = math.ceil(total_seconds_late / 86400)
        penalty = min(days * self.fraction_per_day, self.max_fraction) * score
        self.log.info("%s: %d day(s) late, penalty %.3g of %.3g points", student_id, days, penalty, score)
        return penalty


def without_hidden_tests(source):
    """``source`` with each ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS`` region
    replaced by one comment line."""
    out, hidden = [], False
    for line in source.split("\n"):
        if "BEGIN HIDDEN TESTS" in line:
            hidden = True
            out.append(line[: len(line) - len(line.lstrip())] + HIDDEN_NOTE)
        elif "END HIDDEN TESTS" in line:
            hidden = False
        elif not hidden:
            out.append(line)
    return "\n".join(out)


def configure(c):
    """Switch the plugins on in nbgrader's config ``c`` (called by grading_settings.py)."""
    defaults = list(Autograde.class_traits()["autograde_preprocessors"].default())
    if RecordVersions not in defaults:
        c.Autograde.autograde_preprocessors = [*defaults, RecordVersions]
    c.GenerateFeedback.preprocessors = [GetGrades, FeedbackPage, CSSHTMLHeaderPreprocessor]
    nbgrader_templates = Path(__import__("nbgrader").__file__).parent / "server_extensions" / "formgrader"
    c.HTMLExporter.template_name = "backprop_feedback"  # its conf.json: based on nbgrader's "feedback"
    c.HTMLExporter.template_file = "feedback_page.html.j2"
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES), str(nbgrader_templates / "templates")]

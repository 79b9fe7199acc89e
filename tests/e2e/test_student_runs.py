"""Each committed student version runs top to bottom: unanswered exercises say 'not attempted yet',
and each written answer waits for the student ("YOUR ANSWER HERE").

Executes every notebook of student/ in a kernel: marked ``coursework`` and ``slow``."""

import nbclient
import nbformat
import pytest
from conftest import ROOT

pytestmark = [pytest.mark.coursework, pytest.mark.slow]

STUDENT = ROOT / "student"
VERSIONS = sorted(STUDENT.glob("[0-9][0-9]_*.ipynb"))


def test_there_are_student_versions():
    assert VERSIONS, "student/ is empty: run `make student`"


@pytest.mark.parametrize("path", VERSIONS, ids=lambda p: p.stem)
def test_student_version_runs_and_reports_not_attempted(path, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)  # as a learner runs it, not graded
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(STUDENT)}}
    ).execute()  # raises on error
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    for cell in graded:
        if cell.cell_type == "markdown":  # a written answer, graded by hand: the student's to write
            assert cell.source.strip() == "YOUR ANSWER HERE", cell.metadata.nbgrader.grade_id
            continue
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert "not attempted yet" in text, f"{cell.metadata.nbgrader.grade_id}: {text!r}"

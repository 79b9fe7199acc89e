"""Each committed student version runs top to bottom: unanswered exercises (graded and practice)
say 'not attempted yet', and each written answer waits for the student ("YOUR ANSWER HERE").

Executes every notebook of student/ in a kernel of its own, two at a time (one per core):
marked ``coursework`` and ``slow``."""

import os

import nbformat
import pytest
from conftest import ROOT, execute_notebooks

pytestmark = [pytest.mark.coursework, pytest.mark.slow]

STUDENT = ROOT / "student"
VERSIONS = sorted(STUDENT.glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    out = tmp_path_factory.mktemp("student-runs")
    as_a_learner = {k: v for k, v in os.environ.items() if k != "NBGRADER_EXECUTION"}  # not graded
    execute_notebooks(VERSIONS, out, cwd=STUDENT, env=as_a_learner, cell_timeout=120)  # raises on an error
    return {path.name: nbformat.read(out / path.name, as_version=4) for path in VERSIONS}


def test_there_are_student_versions():
    assert VERSIONS, "student/ is empty: run `make student`"


@pytest.mark.parametrize("path", VERSIONS, ids=lambda p: p.stem)
def test_student_version_runs_and_reports_not_attempted(path, executed):
    nb = executed[path.name]
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert all(c.execution_count for c in code), f"{path.name}: not every cell ran"
    checks = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    checks += [
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_practice_check")
    ]
    for cell in checks:
        if cell.cell_type == "markdown":  # a written answer, graded by hand: the student's to write
            assert cell.source.strip() == "YOUR ANSWER HERE", cell.metadata.nbgrader.grade_id
            continue
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert "not attempted yet" in text, f"{cell.metadata.nbgrader.grade_id}: {text!r}"

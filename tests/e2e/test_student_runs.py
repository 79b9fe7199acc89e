"""Each committed student version runs top to bottom: unanswered exercises (graded and practice)
say 'not attempted yet', and each written answer waits for the student ("YOUR ANSWER HERE").

Executes every notebook of student/ in a kernel of its own, two at a time (one per core):
marked ``coursework`` and ``slow``."""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
from conftest import ROOT

pytestmark = [pytest.mark.coursework, pytest.mark.slow]

STUDENT = ROOT / "student"
VERSIONS = sorted(STUDENT.glob("[0-9][0-9]_*.ipynb"))


def _execute(paths, out):
    """Run ``paths`` with nbconvert into ``out``, as a learner runs them (not graded)."""
    env = {k: v for k, v in os.environ.items() if k != "NBGRADER_EXECUTION"}
    command = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
               "--ExecutePreprocessor.timeout=120", "--ExecutePreprocessor.kernel_name=python3",
               "--output-dir", str(out), *map(str, paths)]  # fmt: skip
    result = subprocess.run(command, cwd=STUDENT, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"a student version failed to run:\n{result.stderr[-4000:]}"


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    out = tmp_path_factory.mktemp("student-runs")
    with ThreadPoolExecutor(2) as pool:
        for done in [pool.submit(_execute, VERSIONS[k::2], out) for k in (0, 1)]:
            done.result()  # raises if a notebook raised
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

"""What a Binder learner gets: a fresh virtual environment built from binder/requirements.txt
alone runs every notebook of the series without an error.

As repo2docker does, the environment is built in a clean copy of the repository (its tracked
files, as a clone has them) with ``pip install -r binder/requirements.txt`` run from the
repository root, on the Python that binder/runtime.txt names. Then every notebook is executed
with that environment's Jupyter (nbconvert, its kernel the environment's python), in two
processes at once, one per core.

Slow (about a minute with pip's cache warm, longer on a fresh machine) and it needs the package
index: marked ``binder`` and ``slow`` (``make test-binder`` runs it alone).
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, execute_notebooks

pytestmark = [pytest.mark.binder, pytest.mark.slow]


def run(cmd, cwd, env, timeout):
    """Run ``cmd``; on failure raise with its output (the useful part of a failed install)."""
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(
            f"`{' '.join(map(str, cmd))}` failed ({result.returncode}):\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    return result.stdout


def clean_copy(dest):
    """The repository's tracked files (as a clone has them, with today's edits) in ``dest``."""
    listed = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)


def test_binder_requirements_alone_run_every_notebook(tmp_path):
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert runtime == f"python-{sys.version_info.major}.{sys.version_info.minor}", (
        f"this interpreter is not the {runtime} Binder uses"
    )
    repo, venv, out = tmp_path / "repo", tmp_path / "venv", tmp_path / "executed"
    repo.mkdir()
    clean_copy(repo)
    notebooks = sorted((repo / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert notebooks, "no notebooks are tracked in git"

    # No variable of the test environment leaks in: no PYTHONPATH, the venv first on PATH.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "JUPYTER"))}
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    env.pop("MPLBACKEND", None)  # as on Binder: the kernel picks its inline backend itself
    base_python = getattr(sys, "_base_executable", sys.executable)
    timings = {}

    start = time.perf_counter()
    run([base_python, "-m", "venv", str(venv)], tmp_path, env, 300)
    python = venv / "bin" / "python"
    run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], repo, env, 600)
    # exactly what repo2docker runs, from the repository root
    run([python, "-m", "pip", "install", "--quiet", "-r", "binder/requirements.txt"], repo, env, 1200)
    timings["install"] = time.perf_counter() - start

    where = run([python, "-c", "import backprop_lib; print(backprop_lib.__file__)"], tmp_path, env, 120)
    assert Path(where.strip()).resolve().is_relative_to(repo.resolve()), (
        f"the Binder environment imports backprop_lib from {where.strip()}, not from the repository"
    )
    frozen = run([python, "-m", "pip", "freeze"], tmp_path, env, 120).lower().splitlines()
    installed = {line.split("==")[0] for line in frozen if "==" in line}
    assert not {"pytest", "playwright", "nbval"} & installed, "test tools in the Binder environment"

    start = time.perf_counter()
    out.mkdir()
    execute_notebooks(notebooks, out, python=python, cwd=repo / "notebooks", env=env)
    timings["execute"] = time.perf_counter() - start

    for source in notebooks:
        executed = nbformat.read(out / source.name, as_version=4)
        errors = [
            f"cell {n}: {o.get('ename')}: {o.get('evalue')}"
            for n, cell in enumerate(executed.cells)
            if cell.cell_type == "code"
            for o in cell.get("outputs", [])
            if o.output_type == "error"
        ]
        assert not errors, f"{source.name} in the Binder environment:\n" + "\n".join(errors)
        code = [c for c in executed.cells if c.cell_type == "code" and c.source.strip()]
        assert all(c.execution_count for c in code), f"{source.name}: not every cell ran"
    print(
        f"\nBinder environment: {len(notebooks)} notebooks, install {timings['install']:.0f} s, "
        f"execute {timings['execute']:.0f} s"
    )

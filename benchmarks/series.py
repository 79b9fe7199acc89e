"""Time to execute the notebook series: every ``notebooks/[0-9][0-9]_*.ipynb`` in turn.

Each notebook runs top to bottom with nbclient in a fresh kernel, from the ``notebooks/``
folder, exactly as a learner's first "Run All" after opening it: the time counted is the
kernel's start-up plus every cell, until the last output. Shutting the kernel down afterwards
is timed too but reported apart: a learner does not wait for it. Nothing is written back to
the notebooks. The series runs ``runs`` times (one whole series after another, so a noisy
moment spreads over every notebook) and each notebook's median is reported.
"""

import glob
import os
import statistics
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTEBOOKS = os.path.join(ROOT, "notebooks")


def notebook_paths(folder=NOTEBOOKS):
    """The numbered notebooks, in order."""
    return sorted(glob.glob(os.path.join(folder, "[0-9][0-9]_*.ipynb")))


def execute_notebook(path, timeout=600):
    """Run one notebook in a fresh kernel: ``(seconds to the last output, seconds to shut down, status)``.

    ``status`` is "ok" or the error's name.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": os.path.dirname(path)}},
    )
    status = "ok"
    t0 = time.perf_counter()
    try:
        with client.setup_kernel():
            try:
                for index, cell in enumerate(nb.cells):
                    client.execute_cell(cell, index)
            except Exception as err:  # a failing notebook is reported, not fatal to the benchmark
                status = f"error: {type(err).__name__}"
            t1 = time.perf_counter()
    except Exception as err:  # the kernel did not start
        status, t1 = f"error: {type(err).__name__}", time.perf_counter()
    return t1 - t0, time.perf_counter() - t1, status


def run_series(paths=None, timeout=600, runs=1, progress=None):
    """Execute the notebooks ``runs`` times over; per notebook the median of its runs.

    Returns ``{"notebooks": [(name, run_s, shutdown_s, status)], "total_s": Σ run_s,
    "shutdown_s": Σ shutdown_s, "run_totals": [each series' Σ run_s]}``; a notebook's status
    is its first error, if any run had one.
    """
    paths = notebook_paths() if paths is None else list(paths)
    seconds = {path: [] for path in paths}
    shutdowns = {path: [] for path in paths}
    statuses = {path: "ok" for path in paths}
    run_totals = []
    for r in range(runs):
        total = 0.0
        for path in paths:
            run_s, shutdown_s, status = execute_notebook(path, timeout)
            seconds[path].append(run_s)
            shutdowns[path].append(shutdown_s)
            if statuses[path] == "ok":
                statuses[path] = status
            total += run_s
            if progress:
                progress(f"  run {r + 1}/{runs} {os.path.basename(path)}: {run_s:.2f} s ({status})")
        run_totals.append(total)
    rows = [
        (
            os.path.basename(path),
            statistics.median(seconds[path]),
            statistics.median(shutdowns[path]),
            statuses[path],
        )
        for path in paths
    ]
    return {
        "notebooks": rows,
        "total_s": sum(row[1] for row in rows),
        "shutdown_s": sum(row[2] for row in rows),
        "run_totals": run_totals,
    }

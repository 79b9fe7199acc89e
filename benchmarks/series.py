"""Time to execute the notebook series: every ``notebooks/[0-9][0-9]_*.ipynb`` in turn.

Each notebook runs top to bottom with nbclient in a fresh kernel (start-up included), from
the ``notebooks/`` folder, exactly as a learner's "Restart & Run All" would; nothing is
written back to the notebooks.
"""

import glob
import os
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTEBOOKS = os.path.join(ROOT, "notebooks")


def notebook_paths(folder=NOTEBOOKS):
    """The numbered notebooks, in order."""
    return sorted(glob.glob(os.path.join(folder, "[0-9][0-9]_*.ipynb")))


def execute_notebook(path, timeout=600):
    """Run one notebook in a fresh kernel; ``(seconds, status)`` with status "ok" or the error."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": os.path.dirname(path)}},
    )
    t0 = time.perf_counter()
    try:
        client.execute()
        status = "ok"
    except Exception as err:  # a failing notebook is reported, not fatal to the benchmark
        status = f"error: {type(err).__name__}"
    return time.perf_counter() - t0, status


def run_series(paths=None, timeout=600, progress=None):
    """``{"notebooks": [(name, seconds, status)], "total_s": float}`` for the given notebooks."""
    paths = notebook_paths() if paths is None else list(paths)
    rows = []
    for path in paths:
        sec, status = execute_notebook(path, timeout)
        rows.append((os.path.basename(path), sec, status))
        if progress:
            progress(f"  {os.path.basename(path)}: {sec:.2f} s ({status})")
    return {"notebooks": rows, "total_s": sum(sec for _, sec, _ in rows)}

"""What the benchmarks ran on: cores, CPU model, BLAS and thread counts, library versions."""

import os
import platform


def cpu_model():
    """The CPU model name from /proc/cpuinfo (Linux), else ``platform.processor()``."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def blas_info():
    """``[(library, version, threads)]`` of the BLAS/OpenMP pools loaded in this process."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return []
    return [
        (f"{p.get('internal_api')} ({p.get('user_api')})", p.get("version"), p.get("num_threads"))
        for p in threadpool_info()
    ]


def describe():
    """A dict of the facts worth printing above a results table."""
    import numpy as np

    info = {
        "cpu": cpu_model(),
        "nproc": os.cpu_count(),
        "load average (1, 5, 15 min)": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numpy BLAS": _numpy_blas_name(),
    }
    try:
        import sklearn

        info["scikit-learn"] = sklearn.__version__
    except ImportError:  # pragma: no cover
        pass
    try:
        import torch

        info["torch"] = f"{torch.__version__} (intra-op threads {torch.get_num_threads()})"
    except ImportError:
        info["torch"] = "not installed"
    info["thread pools"] = "; ".join(f"{lib} {ver}: {n} threads" for lib, ver, n in blas_info())
    return info


def _numpy_blas_name():
    import numpy as np

    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg["Build Dependencies"]["blas"]
        return f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # older numpy: no mode="dicts"
        return "see numpy.show_config()"

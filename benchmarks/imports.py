"""Time of ``import backprop_lib`` in a fresh interpreter, as a learner's kernel pays it.

Each run starts a new ``python`` (the one running the benchmark), reads the clock, imports the
module and prints the elapsed seconds: interpreter start-up is not counted, everything the
import pulls in (numpy and its BLAS included) is. Bytecode is cached as in a normal install
(``PYTHONDONTWRITEBYTECODE`` is dropped and one unmeasured run writes the cache).

Besides the target (``import backprop_lib``, default environment), ``import numpy`` alone and
both with OpenBLAS held to one thread are timed, run by run interleaved, so the table shows
what is the library's own and what numpy's start-up costs.
"""

import os
import subprocess
import sys

import numpy as np

TARGET_S = 0.15
RUNS = 15

_PROBE = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"

ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1"}
PROBES = (
    ("import backprop_lib", "backprop_lib", {}),
    ("import numpy", "numpy", {}),
    ("import backprop_lib, OPENBLAS_NUM_THREADS=1", "backprop_lib", ONE_THREAD),
    ("import numpy, OPENBLAS_NUM_THREADS=1", "numpy", ONE_THREAD),
)


def time_import(module, extra_env=None, python=sys.executable):
    """Seconds one fresh interpreter spends in ``import module``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra_env or {})
    out = subprocess.run(
        [python, "-c", _PROBE.format(module=module)], capture_output=True, text=True, check=True, env=env
    )
    return float(out.stdout.strip().splitlines()[-1])


def measure(probes=PROBES, runs=RUNS):
    """``{label: [seconds]}``, the probes' runs interleaved (after one unmeasured run each)."""
    for _, module, env in probes:
        time_import(module, env)
    times = {label: [] for label, _, _ in probes}
    for _ in range(runs):
        for label, module, env in probes:
            times[label].append(time_import(module, env))
    return times


def summary(times):
    """``[(label, median s, max s)]``."""
    return [(label, float(np.median(t)), float(np.max(t))) for label, t in times.items()]

"""Before/after for a library change: ``python -m benchmarks.compare REV [--rounds N] [--threads N]``.

Extracts ``backprop_lib`` as it was at git revision ``REV`` into a temporary folder (renamed
``backprop_lib_at_rev`` so both versions import side by side) and times one training step of the
old and the current library on the three workloads, alternating them round by round, with the
GEMM floor alongside. Prints medians, minima and the median of the per-round ratios.
"""

import argparse
import importlib
import os
import subprocess
import sys
import tarfile
import tempfile

import numpy as np

import backprop_lib

from . import steps, workloads

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def library_at(rev, folder):
    """Import ``backprop_lib`` as of git revision ``rev`` under the name ``backprop_lib_at_rev``."""
    archive = os.path.join(folder, "lib.tar")
    subprocess.run(["git", "-C", ROOT, "archive", "-o", archive, rev, "backprop_lib"], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(folder)
    os.rename(os.path.join(folder, "backprop_lib"), os.path.join(folder, "backprop_lib_at_rev"))
    sys.path.insert(0, folder)
    return importlib.import_module("backprop_lib_at_rev")


def make_step(lib, wl, init, lr=steps.LEARNING_RATE):
    net = lib.MLP(wl.sizes, wl.activations, loss=wl.loss, seed=0)
    for layer, (W, b) in zip(net.layers, init):
        layer.W, layer.b = W.copy(), b.copy()
    X, Y = wl.X, wl.Y

    def step():
        net.forward(X)
        net.backward(Y)
        net.update(lr)

    return step


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="git revision of the 'before' library, e.g. HEAD~3")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)
    if args.threads:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.threads)
    with tempfile.TemporaryDirectory() as folder:
        old = library_at(args.rev, folder)
        print(
            f"| workload | before ({args.rev}) ms | after ms | GEMM floor ms | after ÷ before "
            "(paired) | before ÷ floor | after ÷ floor |"
        )
        print("|---|---|---|---|---|---|---|")
        for wl in workloads.default_workloads():
            init = steps.initial_parameters(wl)
            timed = {
                "before": make_step(old, wl, init),
                "after": make_step(backprop_lib, wl, init),
                "floor": steps.make_gemm_floor(wl, init)[0],
            }
            t = {k: np.array(v) for k, v in steps.time_round_robin(timed, args.rounds or wl.reps).items()}
            med = {k: 1e3 * np.median(v) for k, v in t.items()}
            print(
                f"| {wl.describe()} | {med['before']:.3g} | {med['after']:.3g} | {med['floor']:.3g} | "
                f"{np.median(t['after'] / t['before']):.2f} | {med['before'] / med['floor']:.2f} | "
                f"{med['after'] / med['floor']:.2f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

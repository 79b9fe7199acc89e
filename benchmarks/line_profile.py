"""Where backprop_lib's time goes, line by line: ``python -m benchmarks.line_profile [NAME] [--units N]``.

Runs ``N`` units (steps or epochs) of backprop_lib on one workload of ``make bench`` (NAME is a
prefix of its description, e.g. "synthetic" or "digits [64, 128, 64, 10] n=1797, one epoch")
under line_profiler, after a few unprofiled units, and prints every line of the library that
took time. line_profiler is not a dependency of the project: ``pip install line_profiler``.
Its per-line overhead (about a microsecond a line) inflates the small lines of a mini-batch
step; compare shares, not absolute times, there.
"""

import argparse
import sys

import backprop_lib
from backprop_lib import activations, layer, losses, mlp, optimizers, training, validation

from . import contenders, workloads

FUNCTIONS = [
    training.train,
    training.minibatches,
    mlp.MLP.forward,
    mlp.MLP.backward,
    mlp.MLP.update,
    mlp.MLP.loss,
    mlp.MLP._targets,
    mlp.MLP.set_parameters,
    layer.Dense.apply,
    layer.Dense.backward,
    layer.Dense.backward_from_dz,
    activations.ReLU.forward,
    activations.ReLU.backward,
    activations.Softmax.forward,
    activations.Sigmoid.forward,
    losses.BinaryCrossEntropy.fused_dz,
    losses.CategoricalCrossEntropy.fused_dz,
    losses.CategoricalCrossEntropy.check_targets,
    losses.BinaryCrossEntropy.check_targets,
    optimizers.Optimizer.step,
    optimizers.sgd_update,
    validation.as_float_matrix,
    validation.check_y,
    validation.check_parameters,
]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", nargs="?", default="synthetic", help="a prefix of the workload's description")
    parser.add_argument("--units", type=int, default=10, help="profiled steps or epochs")
    args = parser.parse_args(argv)
    try:
        from line_profiler import LineProfiler
    except ImportError:
        print("line_profiler is not installed: pip install line_profiler", file=sys.stderr)
        return 2
    chosen = [wl for wl in workloads.default_workloads() if wl.describe().startswith(args.name)]
    if not chosen:
        names = [wl.describe() for wl in workloads.default_workloads()]
        parser.error(f"no workload starts with {args.name!r}; expected one of {names}")
    wl = chosen[0]
    lib = contenders.make_backprop_lib(wl, contenders.initial_parameters(wl))
    for _ in range(3):
        lib.run()
    profiler = LineProfiler(*FUNCTIONS)
    profiler.runcall(lambda: [lib.run() for _ in range(args.units)])
    print(f"backprop_lib {backprop_lib.__version__}: {args.units} {wl.unit}s of {wl.describe()}")
    profiler.print_stats(output_unit=1e-3, stripzeros=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

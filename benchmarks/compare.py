"""Before/after for a library change: ``python -m benchmarks.compare REV [--rounds N] [--threads N]``.

Extracts ``backprop_lib`` as it was at git revision ``REV`` into a temporary folder (renamed
``backprop_lib_at_rev`` so both versions import side by side) and times the old and the current
library on every workload of ``make bench`` in interleaved blocks (``timing``), the GEMM floor
alongside on the full-batch steps. Prints the medians and after ÷ before with its range over
the rounds.
"""

import argparse
import importlib
import os
import subprocess
import sys
import tarfile
import tempfile

import backprop_lib

from . import contenders, report, steps, timing, workloads
from .workloads import FLOOR

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def library_at(rev, folder):
    """Import ``backprop_lib`` as of git revision ``rev`` under the name ``backprop_lib_at_rev``."""
    archive = os.path.join(folder, "lib.tar")
    subprocess.run(["git", "-C", ROOT, "archive", "-o", archive, rev, "backprop_lib"], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    os.rename(os.path.join(folder, "backprop_lib"), os.path.join(folder, "backprop_lib_at_rev"))
    sys.path.insert(0, folder)
    return importlib.import_module("backprop_lib_at_rev")


def compare(old, wl, rounds, block):
    """``{name: [block medians]}`` of the old library ("before"), the current one ("after")
    and, on a full-batch step, the GEMM floor."""
    init = contenders.initial_parameters(wl)
    runners = []
    for name, lib in (("before", old), ("after", backprop_lib)):
        contender = contenders.make_backprop_lib(wl, init, lib=lib)
        contender.name = name
        runners.append(timing.InProcess(contender))
    if wl.batch_size is None:
        runners.append(timing.InProcess(contenders.make_gemm_floor(wl, init)))
    return timing.interleaved_blocks(runners, rounds, block)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="git revision of the 'before' library, e.g. HEAD~3")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)
    if args.threads:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.threads)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        old = library_at(args.rev, folder)
        for wl in workloads.default_workloads():
            rounds = args.rounds or wl.rounds
            result = steps.Result(
                wl.describe(), wl.unit, rounds, wl.block, compare(old, wl, rounds, wl.block)
            )
            low, high = result.ratio_range("before", of="after")
            floor = result.ratio(FLOOR, of="after")
            rows.append(
                [wl.describe()]
                + [report.ms(result.median_ms(name)) for name in ("before", "after", FLOOR)]
                + [f"{result.ratio('before', of='after'):.2f} ({low:.2f}–{high:.2f})"]
                + ["—" if floor is None else f"{floor:.2f}"]
            )
    header = ["workload", f"before ({args.rev}) ms", "after ms", "GEMM floor ms"]
    header += ["after ÷ before (rounds' range)", "after ÷ floor"]
    print(report.markdown_table(header, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

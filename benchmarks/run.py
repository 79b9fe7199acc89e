"""Run the benchmarks and print markdown tables: ``python -m benchmarks.run`` (``make bench``).

Options: ``--only steps,series,widgets`` picks parts; ``--rounds N`` overrides the number of
timed rounds of every step workload; ``--quick`` is a fast look (few rounds; not for reports);
``--threads N`` pins every thread pool to N;
``--tiny`` uses tiny shapes (for the smoke test); ``--widgets-in-process`` measures the
explorers in this process instead of a fresh kernel;
``--out FILE`` also writes the report to FILE.
"""

import argparse
import datetime
import sys
import time

from . import machine, report, steps, workloads

PARTS = ("steps", "series", "widgets")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def set_threads(n):
    """Pin numpy's BLAS, OpenMP runtimes and torch's intra-op pool to ``n`` threads."""
    import sklearn.neural_network  # noqa: F401 - load scipy's BLAS and sklearn's OpenMP first
    from threadpoolctl import threadpool_limits

    torch, _ = steps.torch_or_reason()
    if torch is not None:
        torch.set_num_threads(n)
    threadpool_limits(n)  # every pool loaded by now


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(PARTS), help="comma-separated: " + ", ".join(PARTS))
    parser.add_argument("--rounds", type=int, default=None, help="timed rounds per step workload")
    parser.add_argument("--quick", action="store_true", help="few rounds: a fast look, not a report")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="pin every pool (OpenBLAS, OpenMP, torch) to N threads; default: untouched",
    )
    parser.add_argument("--tiny", action="store_true", help="tiny shapes (smoke test; not for timing)")
    parser.add_argument("--widgets-in-process", action="store_true")
    parser.add_argument("--out", default=None, help="also write the markdown report to this file")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"--only: unknown part(s) {sorted(unknown)}; expected some of {PARTS}")

    if args.threads:
        set_threads(args.threads)
    started = time.perf_counter()
    out = [
        f"Run of `python -m benchmarks.run {' '.join(argv if argv is not None else sys.argv[1:])}`"
        f" on {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        "",
    ]
    out += [f"- {k}: {v}" for k, v in machine.describe().items()]
    out.append(
        f"- threads: every pool pinned to {args.threads} (listed above)"
        if args.threads
        else "- threads: every library at this machine's defaults (listed above); nothing pinned"
    )

    if "steps" in parts:
        results = []
        chosen = workloads.tiny_workloads() if args.tiny else workloads.default_workloads()
        for wl in chosen:
            rounds = args.rounds or (max(3, wl.reps // 10) if args.quick else wl.reps)
            log(f"steps: {wl.describe()}, {rounds} rounds ...")
            results.append(steps.run_workload(wl, rounds=rounds))
        out += [
            "",
            "### One full-batch training step (float64; median of the rounds)",
            "",
            report.steps_table(results),
            "",
            report.same_step_lines(results),
            "",
            "Targets:",
            report.targets_lines(results),
        ]
        best = report.best_table(results)
        out += ["", "Least-disturbed round (minimum) of the same run, for comparison:", "", best]

    if "series" in parts:
        from . import series

        log("series: executing every notebook in a fresh kernel ...")
        out += [
            "",
            "### The notebook series (each in a fresh kernel, one after the other)",
            "",
            report.series_table(series.run_series(progress=log)),
        ]

    if "widgets" in parts:
        from . import widgets

        log("widgets: driving every explorer's controls ...")
        result = widgets.measure_all() if args.widgets_in_process else widgets.run_in_kernel()
        where = "this process" if args.widgets_in_process else "a fresh Jupyter kernel"
        out += [
            "",
            f"### Explorer callbacks (in {where}; {widgets.PASSES} sweeps per control)",
            "",
            report.widgets_table(result),
        ]

    out += ["", f"Benchmark wall time: {time.perf_counter() - started:.0f} s"]
    text = "\n".join(out)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

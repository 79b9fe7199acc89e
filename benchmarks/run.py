"""Run the benchmarks and print markdown tables: ``python -m benchmarks.run`` (``make bench``).

Parts (``--only`` picks some, comma-separated):
- ``steps``   — the training workloads side by side (full-batch steps, mini-batch epochs);
- ``imports`` — ``import backprop_lib`` in fresh interpreters;
- ``series``  — every notebook executed, each in a fresh kernel;
- ``widgets`` — every explorer control's callback, timed inside a fresh kernel (no browser);
- ``browser`` — every explorer slider in JupyterLab + Chromium, key press to changed output.

Options: ``--rounds N`` / ``--block N`` override every step workload's rounds and block length;
``--warmup S`` sets the warm-up before every block; ``--series-runs N`` executes the notebook
series N times (default 3) and reports medians; ``--quick`` is a fast look (few rounds, one
series; not for reports); ``--own-process`` times each contender in a process of its own; ``--threads N``
pins every thread pool to N (default: each library's own default); ``--tiny`` uses tiny shapes
(for the smoke test); ``--notebooks A,B`` limits the browser part (each notebook named in full
or by its start: ``02,10``); ``--out FILE`` also writes the report to FILE.
"""

import argparse
import datetime
import os
import sys
import time

from . import imports, machine, report, steps, timing, workloads

PARTS = ("steps", "imports", "series", "widgets", "browser")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def set_threads(n):
    """Pin numpy's BLAS, OpenMP runtimes and torch's intra-op pool to ``n`` threads."""
    import importlib

    from threadpoolctl import threadpool_limits

    importlib.import_module("sklearn.neural_network")  # loads scipy's BLAS and sklearn's OpenMP
    torch, _ = steps.torch_or_reason()
    if torch is not None:
        torch.set_num_threads(n)
    threadpool_limits(n)  # every pool loaded by now


def load():
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def steps_part(args):
    chosen = workloads.tiny_workloads() if args.tiny else workloads.default_workloads()
    results = []
    for wl in chosen:
        rounds = args.rounds or (3 if args.quick else wl.rounds)
        block = args.block or (max(1, wl.block // 5) if args.quick else wl.block)
        log(f"steps: {wl.describe()}, {rounds} rounds of {block} ... (load {load()})")
        results.append(
            steps.run_workload(wl, rounds, block, own_process=args.own_process, warmup_s=args.warmup)
        )
    where = "each contender in a process of its own" if args.own_process else "all in this process"
    out = []
    for unit, title in (("step", "One full-batch training step"), ("epoch", "One mini-batch epoch")):
        chosen = [r for r in results if r.unit == unit]
        if chosen:
            out += ["", f"### {title} (float64; median of the block medians; {where})", ""]
            out.append(report.steps_table(chosen))
    out += ["", "Same work (one unit from the same weights):", report.same_work_lines(results)]
    out += ["", "Targets:", report.targets_lines(results)]
    return out


def imports_part(args):
    log("imports: fresh interpreters ...")
    times = imports.measure(runs=3 if args.quick or args.tiny else imports.RUNS)
    table = report.imports_table(times, imports.TARGET_S)
    return ["", "### `import backprop_lib` (fresh interpreter each run)", "", table]


def series_part(args):
    from . import series

    runs = 1 if args.quick or args.tiny else args.series_runs
    log(f"series: executing every notebook in a fresh kernel, {runs} time(s) over ...")
    table = report.series_table(series.run_series(runs=runs, progress=log))
    title = f"### The notebook series (each in a fresh kernel, one after the other; median of {runs} series)"
    return ["", title, "", table]


def widgets_part(args):
    from . import widgets

    log("widgets: driving every explorer's controls in a fresh kernel ...")
    title = f"### Explorer callbacks inside a fresh kernel (no browser; {widgets.PASSES} sweeps per control)"
    return ["", title, "", report.widgets_table(widgets.run_in_kernel())]


def browser_part(args):
    from . import browser

    log("browser: every slider in JupyterLab + Chromium ...")
    names = args.notebooks.split(",") if args.notebooks else None
    result = browser.measure_series(names, progress=log)
    title = (
        "### Slider latency in the browser (key press → changed image or text on screen; "
        f"budget: median ≤ {browser.MEDIAN_BUDGET_MS:.0f} ms, max ≤ {browser.MAX_BUDGET_MS:.0f} ms)"
    )
    table = report.browser_table(result, browser.MEDIAN_BUDGET_MS, browser.MAX_BUDGET_MS)
    return ["", title, "", table]


RUNNERS = {
    "steps": steps_part,
    "imports": imports_part,
    "series": series_part,
    "widgets": widgets_part,
    "browser": browser_part,
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(PARTS), help="comma-separated: " + ", ".join(PARTS))
    parser.add_argument("--rounds", type=int, default=None, help="blocks per contender, per workload")
    parser.add_argument("--block", type=int, default=None, help="timed runs per block")
    parser.add_argument(
        "--warmup", type=float, default=timing.WARMUP_S, help="seconds of warm-up before every block"
    )
    parser.add_argument("--quick", action="store_true", help="few rounds: a fast look, not a report")
    parser.add_argument("--series-runs", type=int, default=3, help="times the notebook series is executed")
    parser.add_argument("--own-process", action="store_true", help="each contender in its own process")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="pin every pool (OpenBLAS, OpenMP, torch) to N threads; default: untouched",
    )
    parser.add_argument("--tiny", action="store_true", help="tiny shapes (smoke test; not for timing)")
    parser.add_argument("--notebooks", default=None, help="browser part: these notebooks only")
    parser.add_argument("--out", default=None, help="also write the markdown report to this file")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"--only: unknown part(s) {sorted(unknown)}; expected some of {PARTS}")

    if args.threads:
        set_threads(args.threads)
    started = time.perf_counter()
    command = " ".join(argv if argv is not None else sys.argv[1:])
    out = [f"Run of `python -m benchmarks.run {command}` on {datetime.datetime.now():%Y-%m-%d %H:%M}", ""]
    out += [f"- {k}: {v}" for k, v in machine.describe().items()]
    out.append(
        f"- threads: every pool pinned to {args.threads} (listed above)"
        if args.threads
        else "- threads: every library at this machine's defaults (listed above); nothing pinned"
    )
    for part in PARTS:
        if part in parts:
            out += RUNNERS[part](args)
            out.append(f"\n(load average after {part}: {load()})")
    out += ["", f"Benchmark wall time: {time.perf_counter() - started:.0f} s"]
    text = "\n".join(out)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

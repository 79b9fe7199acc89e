"""Markdown tables for the benchmark results (printed by ``run``; pasted into docs)."""

from .imports import summary as imports_summary
from .steps import CONTENDERS
from .workloads import FLOOR, SKLEARN, TORCH

SERIES_TARGET_S = 40.0
OTHERS = (SKLEARN, TORCH, FLOOR)


def markdown_table(header, rows):
    """A GitHub markdown table from a header list and rows of cells (any values)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def ms(x):
    return "—" if x is None else (f"{x:.3g}" if x < 100 else f"{x:.0f}")


def _ratio(result, other):
    x, spread = result.ratio(other), result.ratio_range(other)
    if x is None:
        return "—"
    return f"{x:.2f}× ({spread[0]:.2f}–{spread[1]:.2f})"


def steps_table(results):
    """Median times (ms) of one unit and backprop_lib's ratios to the others, a row per workload."""
    header = ["workload", "blocks × runs"] + [f"{c} (ms)" for c in CONTENDERS]
    header += [f"lib ÷ {c} (rounds' range)" for c in OTHERS] + ["load (1 min)"]
    rows = []
    for r in results:
        row = [r.workload, f"{r.rounds} × {r.block}"] + [ms(r.median_ms(c)) for c in CONTENDERS]
        row += [_ratio(r, c) for c in OTHERS]
        row.append(" → ".join(f"{x:.2f}" for x in r.load) or "—")
        rows.append(row)
    return markdown_table(header, rows)


def same_work_lines(results):
    lines = []
    for r in results:
        what = "parameters" if r.unit == "step" else "parameters and both losses"
        diffs = ", ".join(f"{name} {d:.1e}" for name, d in r.same_work.items()) or "nothing to compare"
        lines.append(f"- {r.workload}: max |Δ| of the {what} after one {r.unit} vs backprop_lib: {diffs}")
    skipped = {why for r in results for why in r.skipped.values()}
    lines += [f"- {why}" for why in sorted(skipped)]
    return "\n".join(lines)


def targets_lines(results):
    """The issue's targets, each with the measured ratio and PASS/FAIL."""
    lines = []
    for r in results:
        for other, x, limit, strict, met in r.verdicts():
            bound = f"< {limit:.2f}" if strict else f"≤ {limit:.2f}"
            lines.append(
                f"- {r.workload}: lib ÷ {other} = {x:.3f} (target {bound}): " + ("PASS" if met else "FAIL")
            )
    return "\n".join(lines)


def series_table(result):
    """Each notebook's median time (start-up + cells) and shut-down; the target is on the first."""
    rows = [
        [name, f"{run_s:.2f}", f"{shutdown_s:.2f}", status]
        for name, run_s, shutdown_s, status in result["notebooks"]
    ]
    verdict = "PASS" if result["total_s"] <= SERIES_TARGET_S else "FAIL"
    rows.append(
        [
            "**total**",
            f"**{result['total_s']:.2f}**",
            f"{result['shutdown_s']:.2f}",
            f"target ≤ {SERIES_TARGET_S:.0f} s: {verdict}",
        ]
    )
    header = ["notebook", "seconds: kernel start-up + every cell (median)", "kernel shut-down (s)", "status"]
    table = markdown_table(header, rows)
    runs = result.get("run_totals", [])
    if len(runs) > 1:
        table += "\n\nEach series' total: " + ", ".join(f"{t:.2f} s" for t in runs)
    return table


def widgets_table(result):
    """The callbacks' own time in the kernel, per control (no verdict: the budgets are the browser's)."""
    rows = []
    for r in result["controls"]:
        rows.append(
            [
                r["explorer"],
                r["control"],
                r["n"],
                ms(r["median_ms"]),
                ms(r["cold_median_ms"]),
                ms(r["max_ms"]),
                f"error: {r['error']}" if r.get("error") else "ok",
            ]
        )
    header = ["explorer", "control", "calls", "median (ms)", "first visits (ms)", "max (ms)", "status"]
    table = markdown_table(header, rows)
    notes = [f"- {e['explorer']}: {e['status']}" for e in result["explorers"] if e["status"] != "ok"]
    return table + ("\n" + "\n".join(notes) if notes else "")


def imports_table(times, target_s):
    """Median and max of every import probe; the first row is the one with the target."""
    rows = []
    for k, (label, median, worst) in enumerate(imports_summary(times)):
        verdict = ""
        if k == 0:
            verdict = f"target ≤ {target_s:.2f} s: " + ("PASS" if median <= target_s else "FAIL")
        rows.append([f"`{label}`", len(times[label]), f"{median:.3f}", f"{worst:.3f}", verdict])
    return markdown_table(["fresh interpreter", "runs", "median (s)", "max (s)", "status"], rows)


def browser_table(result, median_budget_ms, max_budget_ms):
    """Every slider's latency in the browser, key press to changed image or text, painted."""
    rows = []
    for s in result["sliders"]:
        if s.get("error"):
            verdict = f"error: {s['error']}"
        elif s["no_change"]:
            verdict = "FAIL"
        elif s["median_ms"] is None:
            verdict = "no moves"
        else:
            met = s["median_ms"] <= median_budget_ms and s["max_ms"] <= max_budget_ms
            verdict = "PASS" if met else "FAIL"
        rows.append(
            [
                s["notebook"],
                s["slider"],
                s["moves"],
                ms(s["median_ms"]),
                ms(s["max_ms"]),
                ms(s["first_visit_max_ms"]),
                ms(s["dom_median_ms"]),
                s["no_change"],
                verdict,
            ]
        )
    header = ["notebook", "slider", "moves", "median (ms)", "max (ms)", "max, first visits (ms)"]
    header += ["median to DOM change (ms)", "moves without a change", "status"]
    table = markdown_table(header, rows)
    notes = [f"- {n['notebook']}: {n['status']}" for n in result["notebooks"] if n["status"] != "ok"]
    return table + ("\n" + "\n".join(notes) if notes else "")

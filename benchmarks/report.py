"""Markdown tables for the benchmark results (printed by ``run``; pasted into docs)."""

from .steps import BLAS, CONTENDERS, FLOOR, LIB, SKLEARN, TORCH


def markdown_table(header, rows):
    """A GitHub markdown table from a header list and rows of cells (any values)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _ms(x):
    return "—" if x is None else (f"{x:.3g}" if x < 100 else f"{x:.0f}")


def _ratio(x):
    return "—" if x is None else f"{x:.2f}×"


def steps_table(results):
    """Median step times (ms) and backprop_lib's ratios to the others, one row per workload."""
    header = ["workload", "rounds"] + [f"{c} (ms)" for c in CONTENDERS]
    header += [f"lib ÷ {c}" for c in (SKLEARN, TORCH, FLOOR, BLAS)]
    rows = []
    for r in results:
        row = [r.workload, r.rounds] + [_ms(r.median_ms.get(c)) for c in CONTENDERS]
        row += [_ratio(r.ratio(c)) for c in (SKLEARN, TORCH, FLOOR, BLAS)]
        rows.append(row)
    return markdown_table(header, rows)


def same_step_lines(results):
    lines = []
    for r in results:
        diffs = ", ".join(f"{name} {d:.1e}" for name, d in r.same_step.items()) or "nothing to compare"
        lines.append(f"- {r.workload}: max |Δparameter| after one step vs backprop_lib: {diffs}")
    skipped = {why for r in results for why in r.skipped.values()}
    lines += [f"- {why}" for why in sorted(skipped)]
    return "\n".join(lines)


def targets_lines(results):
    """The issue's step targets, each with its measured ratio and PASS/FAIL."""
    lines = []
    for r in results:
        for other in (SKLEARN, TORCH):
            x = r.ratio(other)
            if x is not None:
                lines.append(
                    f"- {r.workload}: lib ÷ {other} = {x:.2f} (target < 1.00): "
                    + ("PASS" if x < 1.0 else "FAIL")
                )
    if results:
        big = results[-1]
        x = big.ratio(FLOOR)
        if x is not None:
            lines.append(
                f"- {big.workload}: lib ÷ {FLOOR} = {x:.2f} (target ≤ 1.10): "
                + ("PASS" if x <= 1.10 else "FAIL")
            )
    return "\n".join(lines)


def series_table(result):
    rows = [[name, f"{sec:.2f}", status] for name, sec, status in result["notebooks"]]
    rows.append(
        [
            "**total**",
            f"**{result['total_s']:.2f}**",
            "target ≤ 60 s: " + ("PASS" if result["total_s"] <= 60 else "FAIL"),
        ]
    )
    return markdown_table(["notebook", "seconds (fresh kernel, incl. start-up)", "status"], rows)


def widgets_table(result):
    rows = []
    for r in result["controls"]:
        verdict = "—" if r["median_ms"] is None else ("PASS" if r["median_ms"] <= r["budget_ms"] else "FAIL")
        if r.get("error"):
            verdict = f"error: {r['error']}"
        rows.append(
            [
                r["explorer"],
                r["control"],
                r["n"],
                _ms(r["median_ms"]),
                _ms(r["cold_median_ms"]),
                _ms(r["max_ms"]),
                f"≤ {r['budget_ms']:.0f}",
                verdict,
            ]
        )
    table = markdown_table(
        [
            "explorer",
            "control",
            "calls",
            "median (ms)",
            "first visits (ms)",
            "max (ms)",
            "budget (ms)",
            "status",
        ],
        rows,
    )
    notes = [f"- {e['explorer']}: {e['status']}" for e in result["explorers"] if e["status"] != "ok"]
    return table + ("\n" + "\n".join(notes) if notes else "")


def best_table(results):
    """Minimum step times (ms) of the same rounds and the ratios of those minima."""
    header = ["workload"] + [f"{c} min (ms)" for c in CONTENDERS]
    header += [f"lib ÷ {c}" for c in (SKLEARN, TORCH, FLOOR)]
    rows = []
    for r in results:
        row = [r.workload] + [_ms(r.min_ms.get(c)) for c in CONTENDERS]
        lib = r.min_ms.get(LIB)
        row += [_ratio(lib / r.min_ms[c] if lib and c in r.min_ms else None) for c in (SKLEARN, TORCH, FLOOR)]
        rows.append(row)
    return markdown_table(header, rows)

"""Notebook 05: the gradient-check explorer — analytic vs numeric, parameter by parameter.

Pick an erratum to inject (or none), a layer and W or b: the explorer shows every entry of
the analytic gradient next to its central-difference value, the relative error with its
verdict, and a scatter plot of numeric against analytic (a correct gradient sits on the
diagonal; erratum 1 sits on a line of slope ¼ or ½, erratum 3 on slope −1, ...).

The network and data are ``errata.bug_hunt_network`` and ``errata.bug_hunt_data``:
3 → 3 → 3 → 3, 20 samples.
"""

import html
from functools import lru_cache

import numpy as np

from backprop_lib import TOLERANCE, gradient_report

from ..errata import ERRATA, INJECTABLE, bug_hunt_data, bug_hunt_network
from ..plotting import FastPNG, remember_png

BUG_CHOICES = [("correct code", None)] + [(f"erratum {k}: {ERRATA[k][0]}", k) for k in INJECTABLE]
LAYERS = (1, 2, 3)
PARAMS = ("W", "b")


@lru_cache(maxsize=32)
def _report(bug, seed):
    X, y = bug_hunt_data(seed=seed)
    return tuple(gradient_report(bug_hunt_network(() if bug is None else (bug,), seed=seed), X, y))


def gradient_view(bug=None, layer=1, param="W", seed=0):
    """The comparison for one parameter: a ``backprop_lib.gradcheck.GradientRow``.

    ``bug`` in ``{None, 1, ..., 5}``, ``layer`` in 1..3, ``param`` ``"W"`` or ``"b"``.
    Results are cached per (bug, seed), so moving between layers is instant.
    """
    if bug is not None and bug not in INJECTABLE:
        raise ValueError(f"bug: expected None or one of {INJECTABLE}, got {bug!r}")
    if layer not in LAYERS:
        raise ValueError(f"layer: expected one of {LAYERS}, got {layer!r}")
    if param not in PARAMS:
        raise ValueError(f"param: expected 'W' or 'b', got {param!r}")
    rows = {row.name: row for row in _report(bug, seed)}
    return rows[f"{param}{layer}"]


def summary_lines(bug=None, seed=0):
    """One line per parameter: ``W1  rel. error 0.6  FAIL: ...`` (rounded, for display)."""
    out = []
    for row in _report(bug, seed):
        err = (
            "shape!" if not row.shape_ok else (f"< {TOLERANCE:.0e}" if row.passed else f"{row.rel_error:.3g}")
        )
        out.append(f"{row.name}: rel. error {err} — {row.verdict()}")
    return out


def entries_html(row):
    """An HTML table of the entries of one :class:`GradientRow` and its verdict."""
    colour = "#1a7f37" if row.passed else "#cf222e"
    head = (
        f"<b>{html.escape(row.name)}</b>: relative error "
        f"<b>{'shape mismatch' if not row.shape_ok else f'{row.rel_error:.3g}'}</b> — "
        f"<span style='color:{colour}'><b>{html.escape(row.verdict())}</b></span>"
    )
    lines = [
        head,
        '<table style="border-collapse:collapse;font-family:monospace">',
        "<tr><th align=left>entry</th><th align=right>analytic</th>"
        "<th align=right>numeric</th><th align=right>numeric / analytic</th></tr>",
    ]
    if row.shape_ok:
        for idx in np.ndindex(row.numeric.shape):
            a, g = row.analytic[idx], row.numeric[idx]
            ratio = f"{g / a:.4g}" if abs(a) > 1e-12 else "—"
            lines.append(
                f"<tr><td>{list(idx)}</td><td align=right>{a:+.6e}</td>"
                f"<td align=right>{g:+.6e}</td><td align=right>{ratio}</td></tr>"
            )
    else:
        lines.append(
            f"<tr><td colspan=4>analytic gradient has shape {row.analytic.shape}, "
            f"the parameter has shape {row.numeric.shape}</td></tr>"
        )
    lines.append("</table>")
    return "\n".join(lines)


LIMIT = 1.15  # the axes run from −LIMIT to LIMIT in units of the largest |entry|


def _build_figure():
    """The scatter plot's figure; everything but the title and the points is static.

    Both axes are in units of the largest |entry| of the two gradients, so the frame, ticks,
    diagonal and legend are the same for every parameter: drawn once, not on every change
    (redrawing tick labels took most of a callback's time). Dividing both by the same number
    keeps every slope: a correct gradient still lies on the diagonal, erratum 3 on slope −1.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4.2, 4.0), dpi=80)
    fig.subplots_adjust(left=0.2, right=0.95, bottom=0.14, top=0.8)
    ax = fig.subplots()
    ax.plot([-LIMIT, LIMIT], [-LIMIT, LIMIT], color="0.6", lw=1, ls="--", label="numeric = analytic")
    (points,) = ax.plot([], [], "o", color="C3", ms=6, label="entries")
    ax.set_xlim(-LIMIT, LIMIT)
    ax.set_ylim(-LIMIT, LIMIT)
    ax.set_xticks([-1, -0.5, 0, 0.5, 1])
    ax.set_yticks([-1, -0.5, 0, 0.5, 1])
    ax.set_xlabel("analytic gradient ÷ s")
    ax.set_ylabel("numeric gradient ÷ s")
    fig.legend(loc="upper center", ncol=2, fontsize=8, frameon=False)  # above the plot: never under a point
    ax.grid(alpha=0.3)
    return fig, ax, points


def _update_figure(ax, points, row):
    if row.shape_ok:
        a, g = row.analytic.ravel(), row.numeric.ravel()
    else:  # nothing to pair up: show the numeric values alone on the vertical axis
        g = row.numeric.ravel()
        a = np.zeros_like(g)
    s = max(np.abs(a).max(), np.abs(g).max())
    s = s if s > 0 else 1.0
    points.set_data(a / s, g / s)
    verdict = "pass" if row.passed else "FAIL"
    ax.set_title(f"{row.name}: {verdict}   (s = largest |entry| = {s:.3g})", fontsize=10)


def gradcheck_explorer(bug=None, layer=1, param="W", seed=0):
    """The widget: choose an erratum, a layer and W/b; see analytic vs numeric.

    Returns an ``ipywidgets.VBox`` with attributes ``bug`` (Dropdown, values None/1..5),
    ``layer`` (ToggleButtons 1..3), ``param`` (ToggleButtons W/b), ``summary`` (HTML, all
    six parameters), ``entries`` (HTML table of the chosen one), ``image`` (PNG of the
    scatter plot), ``fig``/``ax``/``points`` (the matplotlib objects), ``row()`` (the
    current :class:`GradientRow`) and ``update()``.
    """
    import ipywidgets as widgets

    gradient_view(bug, layer, param, seed)  # validates the starting values
    bug_w = widgets.Dropdown(
        options=BUG_CHOICES, value=bug, description="inject", layout=widgets.Layout(width="430px")
    )
    layer_w = widgets.ToggleButtons(
        options=list(LAYERS), value=layer, description="layer", style={"button_width": "50px"}
    )
    param_w = widgets.ToggleButtons(
        options=list(PARAMS), value=param, description="param", style={"button_width": "50px"}
    )
    summary = widgets.HTML()
    entries = widgets.HTML()
    image = widgets.Image(format="png")
    fig, ax, points = _build_figure()
    # Only the title and the points change (see _build_figure); they are drawn over the kept
    # frame (plotting.FastPNG), and a state shown before is not drawn again.
    renderer = FastPNG(fig)
    moving = [ax.title, points]
    pngs = {}

    def row():
        return gradient_view(bug_w.value, layer_w.value, param_w.value, seed)

    def update(change=None):
        current = row()
        summary.value = "<br>".join(html.escape(line) for line in summary_lines(bug_w.value, seed))
        entries.value = entries_html(current)
        _update_figure(ax, points, current)
        state = (bug_w.value, layer_w.value, param_w.value)
        image.value = remember_png(pngs, state, lambda: renderer.png(moving))

    for w in (bug_w, layer_w, param_w):
        w.observe(update, names="value")
    update()
    box = widgets.VBox(
        [bug_w, widgets.HBox([layer_w, param_w]), widgets.HBox([image, widgets.VBox([entries, summary])])]
    )
    box.bug, box.layer, box.param = bug_w, layer_w, param_w
    box.summary, box.entries, box.image = summary, entries, image
    box.fig, box.ax, box.points = fig, ax, points
    box.row, box.update = row, update
    return box

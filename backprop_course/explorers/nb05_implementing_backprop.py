"""Notebook 05: the library's source against the equations, and the gradient-check explorer.

``source_walk(function)`` shows the real source of a core function (``inspect.getsource``), each
line that computes an equation of notebook 04 beside that equation (``NOTES``).

The explorer: pick an erratum to inject (or none), a layer and W or b; it shows every entry of
the analytic gradient next to its central-difference value, the relative error with its
verdict, and a scatter plot of numeric against analytic (a correct gradient sits on the
diagonal; erratum 1 sits on a line of slope ¼ or ½, erratum 3 on slope −1, ...).

The network and data are ``errata.bug_hunt_network`` and ``errata.bug_hunt_data``:
3 → 3 → 3 → 3, 20 samples. ``eps_sweep_figure`` and ``overview_figure`` draw the notebook's
static figures.
"""

import html
import inspect
from functools import lru_cache

import numpy as np

from backprop_lib import MLP, TOLERANCE, gradient_report, numerical_gradient, rel_error

from ..errata import ERRATA, INJECTABLE, bug_hunt_data, bug_hunt_network
from ..plotting import FastPNG, StaticFigure, new_figure, remember_png

# -- the source against the equations ------------------------------------------------------

# qualified name: [(a piece of one source line, what that line computes, in LaTeX)]
NOTES = {
    "Dense.apply": [
        (
            "z = a_prev @ self.W + self.b",
            r"\mathbf z^{(k)} = \mathbf a^{(k-1)}\mathbf W^{(k)} + \mathbf b^{(k)}",
        ),
        ("a = self.activation.forward(z)", r"\mathbf a^{(k)} = f_k(\mathbf z^{(k)})"),
    ],
    "Dense.forward": [
        ("self.a_prev = a_prev", r"\text{keep } \mathbf a^{(k-1)} \text{ for } d\mathbf W^{(k)}"),
        (
            "self.z, self.a = self.apply(a_prev)",
            r"\text{keep } \mathbf z^{(k)}, \mathbf a^{(k)} \text{ for } f_k'",
        ),
    ],
    "Dense.backward": [
        (
            "dz = self.activation.backward(da, self.z, self.a)",
            r"d\mathbf z^{(k)} = d\mathbf a^{(k)} \odot f_k'(\mathbf z^{(k)})",
        ),
    ],
    "Dense.backward_from_dz": [
        ("self.dW = self.a_prev.T @ dz", r"d\mathbf W^{(k)} = \mathbf a^{(k-1)\top} d\mathbf z^{(k)}"),
        (
            "self.db = dz.sum(axis=0, keepdims=True)",
            r"d\mathbf b^{(k)} = \textstyle\sum_s d\mathbf z^{(k)}_{s,:}",
        ),
        ("if first:", r"k = 1: \ \partial L/\partial \mathbf X \text{ is not needed}"),
        ("return dz @ self.W.T", r"d\mathbf a^{(k-1)} = d\mathbf z^{(k)}\,\mathbf W^{(k)\top}"),
    ],
    "MLP.forward": [
        ("a = check_X(X, self.layer_sizes[0])", r"\mathbf a^{(0)} = \mathbf X"),
        ("a = layer.forward(a)", r"\mathbf a^{(k)} \text{ for } k = 1, \dots, K"),
    ],
    "MLP.backward": [
        ("if self.fused:", r"\text{sigmoid output + BCE (notebook 04)}"),
        (
            "da = top.backward_from_dz(self.loss_fn.fused_dz(y, top.a)",
            r"d\mathbf z^{(K)} = (\hat{\mathbf y} - \mathbf y)/n",
        ),
        (
            "da = top.backward(self.loss_fn.gradient(y, top.a)",
            r"d\mathbf a^{(K)} = \partial L/\partial \hat{\mathbf y}",
        ),
        ("for layer in reversed(self.layers[:-1]):", r"k = K-1, \dots, 1"),
        (
            "da = layer.backward(da, first=layer is first)",
            r"d\mathbf a^{(k)} \to d\mathbf W^{(k)}, d\mathbf b^{(k)}, d\mathbf a^{(k-1)}",
        ),
    ],
    "MLP.update": [
        (
            'new[f"W{k}"] = layer.W - lr * layer.dW',
            r"\mathbf W^{(k)} \leftarrow \mathbf W^{(k)} - \eta\, d\mathbf W^{(k)}",
        ),
        (
            'new[f"b{k}"] = layer.b - lr * layer.db',
            r"\mathbf b^{(k)} \leftarrow \mathbf b^{(k)} - \eta\, d\mathbf b^{(k)}",
        ),
    ],
    "ReLU.derivative": [
        ("return (z > 0).astype(float)", r"\mathrm{ReLU}'(z) = 1 \text{ if } z > 0, \text{ else } 0"),
    ],
    "ReLU.backward": [
        ("return da * (z > 0)", r"d\mathbf z = d\mathbf a \odot \mathrm{ReLU}'(\mathbf z)"),
    ],
    "BinaryCrossEntropy.fused_dz": [
        ("return (yhat - y) / len(y)", r"d\mathbf z^{(K)} = (\hat{\mathbf y} - \mathbf y)/n"),
    ],
}


def source_lines(function):
    """``[(line number, text)]`` of ``function``'s real source, as ``inspect`` finds it."""
    lines, start = inspect.getsourcelines(function)
    return [(start + i, line.rstrip("\n")) for i, line in enumerate(lines)]


def annotated_lines(function):
    """``[(line number, text, LaTeX or "")]``: the source beside ``NOTES[function's name]``.

    Each note must match exactly one line, or ``ValueError`` names it: so what the notebook
    says about the library stays true of the library's own source.
    """
    name = function.__qualname__
    if name not in NOTES:
        raise ValueError(f"source_walk: expected one of {sorted(NOTES)}, got {name!r}")
    lines = source_lines(function)
    maths = {}
    for piece, latex in NOTES[name]:
        found = [number for number, text in lines if piece in text]
        if len(found) != 1:
            raise ValueError(
                f"source_walk: the note {piece!r} should match one line of {name}, matched {len(found)}"
            )
        maths[found[0]] = latex
    return [(number, text, maths.get(number, "")) for number, text in lines]


def source_walk(function):
    """``IPython.display.Markdown``: a table of ``function``'s source, line by line, with the
    equation each annotated line computes."""
    from IPython.display import Markdown

    path = inspect.getsourcefile(function).replace("\\", "/")
    where = "backprop_lib/" + path.rsplit("backprop_lib/", 1)[-1]
    rows = [f"| line | `{where}`: `{function.__qualname__}` | the maths |", "|---:|:---|:---|"]
    lines = annotated_lines(function)
    base = len(lines[0][1]) - len(lines[0][1].lstrip())  # a method's own indentation in its class
    for number, text, latex in lines:
        indent = max(len(text) - len(text.lstrip()) - base, 0)
        code = "&nbsp;" * indent + html.escape(text.strip()).replace("|", "&#124;")
        rows.append(f"| {number} | <code>{code}</code> | {f'${latex}$' if latex else ''} |")
    return Markdown("\n".join(rows))


# -- the notebook's static figures -----------------------------------------------------------


def eps_sweep(X, y, activations, eps_values, seed=0):
    """Relative error of dW of layer 1 against central differences with each step ε, for a
    [2, 4, 3, 1] network with ``activations`` (and the mean BCE) on (X, y)."""
    net = MLP([2, 4, 3, 1], list(activations), seed=seed)
    net.forward(X)
    net.backward(y)
    analytic = net.layers[0].dW.copy()
    W = net.layers[0].W
    return np.array(
        [rel_error(analytic, numerical_gradient(lambda: net.loss(X, y), W, eps)) for eps in eps_values]
    )


EPS_VALUES = 10.0 ** -np.arange(1, 11)  # the steps ε of the sweep: 1e-1 … 1e-10


def eps_sweep_figure(X, y, eps_values=EPS_VALUES):
    """Correct gradients checked with different steps ε: a smooth (tanh) and a ReLU network."""
    fig, ax = new_figure(figsize=(6, 3.6))
    fig.subplots_adjust(left=0.14, right=0.97, bottom=0.14, top=0.9)
    for activations, colour in [(("tanh", "tanh", "sigmoid"), "C0"), (("relu", "relu", "sigmoid"), "C3")]:
        errors = eps_sweep(X, y, activations, eps_values)
        ax.loglog(eps_values, errors, "o-", color=colour, label=f"{activations[0]} network")
    ax.loglog(eps_values, 0.4 * eps_values**2, "k:", lw=1, label="∝ ε² (truncation)")
    ax.loglog(eps_values, 1e-15 / eps_values, "k--", lw=1, label="∝ 1/ε (rounding)")
    ax.axhline(TOLERANCE, color="0.5", lw=1)
    ax.text(7e-2, 1.5 * TOLERANCE, f"pass line {TOLERANCE:g}", fontsize=8, color="0.4")
    ax.set_xlabel("ε")
    ax.set_ylabel("relative error of dW⁽¹⁾")
    ax.set_ylim(1e-12, 1)
    ax.invert_xaxis()
    ax.legend(fontsize=8, loc="upper right")
    ax.set_title("correct gradients, checked with different steps ε", fontsize=10)
    return StaticFigure(fig, dpi=fig.dpi)


def overview_figure():
    """Numeric against analytic for W⁽¹⁾ (b⁽¹⁾ under erratum 5) under every choice of the explorer."""
    fig, axes = new_figure(1, len(BUG_CHOICES), figsize=(15, 2.9))
    fig.subplots_adjust(left=0.05, right=0.99, bottom=0.17, top=0.88, wspace=0.3)
    for ax, (_label, bug) in zip(axes, BUG_CHOICES):
        view = gradient_view(bug, layer=1, param="W" if bug != 5 else "b")
        a = view.analytic.ravel() if view.shape_ok else np.zeros(view.numeric.size)
        g = view.numeric.ravel()
        lim = 1.15 * max(np.abs(a).max(), np.abs(g).max())
        ax.plot([-lim, lim], [-lim, lim], "--", color="0.6", lw=1)
        ax.plot(a, g, "o", color="C2" if view.passed else "C3", ms=5)
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        title = "correct" if bug is None else f"erratum {bug}"
        ax.set_title(f"{title}: {view.name}" + ("" if view.shape_ok else " (shape!)"), fontsize=9)
        ax.set_xlabel("analytic", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.locator_params(nbins=4)
    axes[0].set_ylabel("numeric")
    return StaticFigure(fig, dpi=fig.dpi)


# -- the gradient-check explorer -------------------------------------------------------------

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

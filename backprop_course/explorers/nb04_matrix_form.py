"""Notebook 04: back-propagation in matrix form (row convention) and the dW explorer.

For layer k and a batch of n samples stored as rows (``a⁽⁰⁾ = X``), with dX = ∂L/∂X of the
mean loss L (so dz already carries the 1/n)::

    z⁽ᵏ⁾      = a⁽ᵏ⁻¹⁾ W⁽ᵏ⁾ + b⁽ᵏ⁾      (n, n_k) = (n, n_{k-1})·(n_{k-1}, n_k) + (1, n_k)
    dz⁽ᵏ⁾     = da⁽ᵏ⁾ ⊙ f_k'(z⁽ᵏ⁾)      (n, n_k)
    dW⁽ᵏ⁾     = a⁽ᵏ⁻¹⁾ᵀ dz⁽ᵏ⁾          (n_{k-1}, n_k) = (n_{k-1}, n)·(n, n_k)
    db⁽ᵏ⁾     = Σ_rows dz⁽ᵏ⁾           (1, n_k)
    da⁽ᵏ⁻¹⁾   = dz⁽ᵏ⁾ W⁽ᵏ⁾ᵀ            (n, n_{k-1}) = (n, n_k)·(n_k, n_{k-1})

Plain functions: ``shapes``, ``shapes_text``, ``numerical_jacobian``, ``loss_from_z``,
``loss_from_a``, ``formula_checks``, ``time_backward``, ``per_operation_time``; the dW explorer's
compute is ``dw_batch``, ``dw_view`` and ``dw_html``, and ``dw_explorer()`` returns the widget.
"""

import html
import numbers
import time
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from backprop_lib import (
    central_difference,
    format_rel_error,
    gradients_by_loops,
    numerical_gradient,
    rel_error,
)
from backprop_lib.validation import check_int, check_layer_sizes

from .nb02_network_equations import example_network


def shapes(layer_sizes, batch_size):
    """The shape of every quantity of every layer, for a batch of ``batch_size`` rows.

    ``layer_sizes`` is ``[n_0, n_1, ..., n_K]`` (inputs first). Returns a list with one
    dict per layer k = 1..K: ``{"k": k, "a_prev": (n, n_{k-1}), "W": (n_{k-1}, n_k),
    "b": (1, n_k), "z", "a", "da", "dz": (n, n_k), "dW": (n_{k-1}, n_k), "db": (1, n_k),
    "da_prev": (n, n_{k-1})}``.
    """
    sizes = check_layer_sizes(layer_sizes)
    n = check_int(batch_size, "batch_size", low=1)
    out = []
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        out.append(
            {
                "k": k,
                "a_prev": (n, n_in),
                "W": (n_in, n_out),
                "b": (1, n_out),
                "z": (n, n_out),
                "a": (n, n_out),
                "da": (n, n_out),
                "dz": (n, n_out),
                "dW": (n_in, n_out),
                "db": (1, n_out),
                "da_prev": (n, n_in),
            }
        )
    return out


def shapes_text(layer_sizes, batch_size):
    """A plain-text table of ``shapes`` (one line per layer) for printing in a notebook."""
    header = (
        "layer k",
        "a(k-1)",
        "W(k)",
        "b(k)",
        "z, a, da, dz",
        "dW = a(k-1)ᵀ dz",
        "db",
        "da(k-1) = dz W(k)ᵀ",
    )
    lines = []
    for s in shapes(layer_sizes, batch_size):
        n, n_in = s["a_prev"]
        n_out = s["W"][1]
        lines.append(
            (
                str(s["k"]),
                str(s["a_prev"]),
                str(s["W"]),
                str(s["b"]),
                str(s["z"]),
                f"{(n_in, n)}·{(n, n_out)} → {s['dW']}",
                str(s["db"]),
                f"{(n, n_out)}·{(n_out, n_in)} → {s['da_prev']}",
            )
        )
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*header)] + [fmt.format(*line) for line in lines])


# -- numerical checks ----------------------------------------------------------------


def numerical_jacobian(fun, x):
    """J[i, j] = ∂fun(x)_i / ∂x_j by central differences, one column per entry of x.

    ``x`` is a 1-D float64 array of length m (perturbed in place and restored), ``fun``
    takes it and returns a 1-D array of length p; J has shape ``(p, m)``.
    """
    if not isinstance(x, np.ndarray) or x.ndim != 1:
        raise ValueError(f"numerical_jacobian: expected x as a 1-D numpy array, got {np.shape(x)}")
    return np.column_stack([central_difference(lambda: fun(x), x, j) for j in range(len(x))])


def _check_layer_index(net, k, lowest):
    n_layers = len(net.layers)
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not lowest <= k <= n_layers:
        raise ValueError(f"k: expected a layer number from {lowest} to {n_layers}, got {k!r}")
    return int(k)


def loss_from_a(net, k, a, y):
    """The mean loss as a function of a⁽ᵏ⁾, the output of layer k (``a⁽⁰⁾ = X``).

    Runs layers k+1..K of ``net`` on ``a`` ``(n, n_k)`` without touching their caches.
    Layers numbered as in the maths.
    """
    k = _check_layer_index(net, k, 0)
    for layer in net.layers[k:]:
        _, a = layer.apply(a)
    return net.loss_fn.value(np.asarray(y, dtype=float), a)


def loss_from_z(net, k, z, y):
    """The mean loss as a function of z⁽ᵏ⁾ ``(n, n_k)``, the pre-activation of layer k ≥ 1."""
    k = _check_layer_index(net, k, 1)
    return loss_from_a(net, k, net.layers[k - 1].activation.forward(z), y)


def formula_checks(net, X, y):
    """Each of the four formulas of every layer against central differences of the mean loss.

    Runs ``net.forward(X)`` and ``net.backward(y)`` and compares what each layer keeps (its dz,
    dW, db, and the da it hands down, which the layer below keeps as its da) with central
    differences of the loss as a function of z⁽ᵏ⁾, W⁽ᵏ⁾, b⁽ᵏ⁾ and a⁽ᵏ⁻¹⁾. Returns one line per
    check: ``"  2  dW(2)  a(1)ᵀ dz(2)   < 1e-8 ✓"`` (relative errors as ``format_rel_error``).
    """
    net.forward(X)
    net.backward(y)
    y = np.asarray(y, dtype=float)
    lines = ["layer  quantity  formula              relative error vs central differences"]
    for k in range(len(net.layers), 0, -1):
        layer = net.layers[k - 1]
        z, a_prev = layer.z.copy(), layer.a_prev.copy()
        checks = [
            (f"dz({k})", f"da({k}) ⊙ f'(z({k}))", layer.dz, lambda: loss_from_z(net, k, z, y), z),
            (f"dW({k})", f"a({k - 1})ᵀ dz({k})", layer.dW, lambda: net.loss(X, y), layer.W),
            (f"db({k})", f"Σ_rows dz({k})", layer.db, lambda: net.loss(X, y), layer.b),
        ]
        if k > 1:
            da_prev = net.layers[k - 2].da
            checks.append(
                (
                    f"da({k - 1})",
                    f"dz({k}) W({k})ᵀ",
                    da_prev,
                    lambda: loss_from_a(net, k - 1, a_prev, y),
                    a_prev,
                )
            )
        for name, formula, analytic, loss, wrt in checks:
            error = format_rel_error(rel_error(analytic, numerical_gradient(loss, wrt)))
            lines.append(f"{k:>5}  {name:<8}  {formula:<19}  {error}")
    return "\n".join(lines)


# -- why the matrix form is fast -----------------------------------------------------


def _best_time(fun, repeat, min_seconds=0.005):
    """The fastest of ``repeat`` timings of ``fun()``, each averaged over enough calls."""
    start = time.perf_counter()
    fun()
    once = time.perf_counter() - start
    number = max(1, int(min_seconds / max(once, 1e-9)))
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fun()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def multiply_adds(layer_sizes, batch_size):
    """Multiply-adds of one forward and backward pass by loops: z, dW and da_prev each take
    n·n_{k-1}·n_k (the first layer's da_prev is not computed)."""
    per_sample = [a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:])]
    return batch_size * (3 * sum(per_sample) - per_sample[0])


def time_backward(net, X, y, repeat=3):
    """Seconds per gradient computation, loops vs matrices, on the batch ``X`` ``(n, n_0)``.

    ``loops`` times ``gradients_by_loops`` (its own forward pass included); ``matrix`` times
    ``net.forward(X)`` + ``net.backward(y)``. Returns ``{"loops", "matrix", "ratio",
    "per_operation"}``, the last being the loops' seconds per multiply-add.
    """
    t_loops = _best_time(lambda: gradients_by_loops(net, X, y), repeat)

    def matrix():
        net.forward(X)
        net.backward(y)

    t_matrix = _best_time(matrix, repeat)
    per_operation = t_loops / multiply_adds(net.layer_sizes, len(X))
    return {"loops": t_loops, "matrix": t_matrix, "ratio": t_loops / t_matrix, "per_operation": per_operation}


# -- the dW explorer -----------------------------------------------------------------

# Each formula is a product left · right of two of the layer's arrays, each maybe transposed,
# maybe divided by n: (array name, transposed) for each factor, and the division.
_AXES = {"a_prev": ("s", "j"), "a": ("s", "m"), "dz": ("s", "i")}  # sample, input, own unit, unit
_NAMES = {"a_prev": "a({p})", "a": "a({k})", "dz": "dz({k})"}
FORMULAS = {
    "a(k-1)ᵀ dz  (right)": (("a_prev", True), ("dz", False), False),
    "a(k)ᵀ dz  (erratum 2)": (("a", True), ("dz", False), False),
    "a(k-1) dz  (no transpose)": (("a_prev", False), ("dz", False), False),
    "dzᵀ a(k-1)  (transposed)": (("dz", True), ("a_prev", False), False),
    "a(k-1)ᵀ dz / n  (a mean)": (("a_prev", True), ("dz", False), True),
}
RIGHT = next(iter(FORMULAS))
BATCH_SIZES = range(1, 7)


@lru_cache(maxsize=16)
def dw_batch(n, seed=0):
    """``(net, X, Y)``: the running example of 02 and 03 and a batch of ``n`` samples whose first
    row is 03's sample; the other rows ~ N(0, 1), their targets ~ U(0, 1). The network has run
    ``forward(X)`` and ``backward(Y)``. Cached: treat it as read-only."""
    n = check_int(n, "n", low=1)
    net, x, y = example_network()
    rng = np.random.default_rng(seed)
    X = np.vstack([x, rng.normal(size=(n - 1, len(x)))])
    Y = np.vstack([y, rng.uniform(size=(n - 1, len(y)))])
    net.forward(X)
    net.backward(Y)
    return net, X, Y


@dataclass(frozen=True)
class Factor:
    """One factor of a product: its ``name`` as shown, its ``values`` and the labels of its axes."""

    name: str
    values: np.ndarray
    rows: tuple
    cols: tuple


@dataclass(frozen=True)
class DWView:
    """One formula for dW of layer k on a batch: ``left`` · ``right`` (``Factor`` s), its
    ``result`` (None if numpy refused the product; ``error`` holds numpy's message), the right
    dW ``expected``, the ``numeric`` gradient (central differences of the mean loss),
    ``rel_error`` of the result and a one-line ``verdict``."""

    k: int
    n: int
    formula: str
    left: Factor
    right: Factor
    result: object
    error: object
    expected: np.ndarray
    numeric: np.ndarray
    rel_error: float
    verdict: str

    @property
    def passed(self):
        return self.result is not None and self.result.shape == self.expected.shape and self.rel_error < 1e-7


def _factor(layer, k, name, transposed):
    values = getattr(layer, name)
    label = _NAMES[name].format(k=k, p=k - 1)
    rows, cols = _AXES[name]
    if transposed:
        values, label, rows, cols = values.T, label + "ᵀ", cols, rows
    return Factor(
        label,
        values,
        tuple(f"{rows}={r + 1}" for r in range(values.shape[0])),
        tuple(f"{cols}={c + 1}" for c in range(values.shape[1])),
    )


@lru_cache(maxsize=64)
def _numeric_dW(n, k, seed):
    net, X, Y = dw_batch(n, seed)
    return numerical_gradient(lambda: net.loss(X, Y), net.layers[k - 1].W)


def dw_view(k=2, formula=RIGHT, n=3, seed=0):
    """The ``DWView`` of ``formula`` (a key of ``FORMULAS``) for layer k of 03's network on a
    batch of n samples (``dw_batch``)."""
    if formula not in FORMULAS:
        raise ValueError(f"formula: expected one of {list(FORMULAS)}, got {formula!r}")
    net, X, Y = dw_batch(n, seed)
    k = _check_layer_index(net, k, 1)
    layer = net.layers[k - 1]
    (left_name, left_t), (right_name, right_t), mean = FORMULAS[formula]
    left, right = _factor(layer, k, left_name, left_t), _factor(layer, k, right_name, right_t)
    numeric = _numeric_dW(n, k, seed)
    try:
        result, error = left.values @ right.values / (len(X) if mean else 1), None
    except ValueError as err:
        result, error = None, str(err)
    if result is None:
        verdict, err = "numpy refuses the product: the inner dimensions do not match", np.inf
    elif result.shape != layer.W.shape:
        verdict, err = (
            f"shape {result.shape}, but W({k}) is {layer.W.shape}: it cannot be its gradient",
            np.inf,
        )
    else:
        err = rel_error(result, numeric)
        accident = " (the sizes happen to fit)" if (left_name, left_t) != ("a_prev", True) else ""
        verdict = (
            "the right shape, and the gradient check passes"
            if err < 1e-7
            else f"the right shape{accident}, but the gradient check fails: relative error {err:.2g}"
        )
    return DWView(k, len(X), formula, left, right, result, error, layer.dW, numeric, err, verdict)


def _matrix_html(factor, mark=None, axis=None):
    """A ``Factor`` as an HTML table; ``mark`` highlights a row (axis 0) or a column (axis 1)."""
    cell = "padding:1px 6px;text-align:right;font-family:monospace"
    head = "".join(f'<th style="{cell};color:#666">{c}</th>' for c in factor.cols)
    out = ['<table style="border-collapse:collapse;display:inline-block;vertical-align:middle">']
    out.append(f'<tr><th style="{cell}">{html.escape(factor.name)}</th>{head}</tr>')
    for r, row in enumerate(factor.values):
        tds = []
        for c, v in enumerate(row):
            on = mark is not None and ((axis == 0 and r == mark) or (axis == 1 and c == mark))
            number = f"{v:.4f}".replace("-", "−")
            tds.append(f'<td style="{cell}{";background:#fde7c2" if on else ""}">{number}</td>')
        out.append(f'<tr><th style="{cell};color:#666">{factor.rows[r]}</th>{"".join(tds)}</tr>')
    out.append("</table>")
    return "".join(out)


def dw_html(view, j=0, i=0):
    """The product behind ``view`` with numbers: the two factors, the result, entry (j, i) written
    out as a sum over the inner index, and the verdict."""
    left, right = view.left, view.right
    fits = view.result is not None
    j, i = (min(j, view.result.shape[0] - 1), min(i, view.result.shape[1] - 1)) if fits else (None, None)
    parts = [
        f"<b>layer {view.k}, a batch of n = {view.n}</b>: dW({view.k}) = {html.escape(view.formula)}<br>",
        _matrix_html(left, j, 0),
        " · ",
        _matrix_html(right, i, 1),
        " = ",
    ]
    if fits:
        rows = left.rows
        parts.append(_matrix_html(Factor("", view.result, rows, right.cols)))
        inner = left.values.shape[1]
        terms = " + ".join(f"{left.values[j, t]:.4f}·{right.values[t, i]:.4f}" for t in range(inner))
        scale = f" / {view.n}" if "mean" in view.formula else ""
        parts.append(
            f"<br>entry ({j + 1}, {i + 1}): ({terms}){scale} = {view.result[j, i]:.4f}".replace("-", "−")
        )
    else:
        parts.append(f"<code>{html.escape(view.error)}</code>")
    colour = "#1a7f37" if view.passed else "#b2182b"
    numeric = " ".join(np.array2string(view.numeric, precision=4, suppress_small=True).split())
    parts.append(
        f"<br><span style='color:{colour}'><b>{'✓' if view.passed else '✗'} {html.escape(view.verdict)}</b>"
        f"</span><br>central differences of the mean loss: dW({view.k}) = {numeric}"
    )
    return "".join(parts)


def dw_explorer(k=2, formula=RIGHT, n=3):
    """The widget: a layer, a formula for dW (the right one or a wrong one), the batch size and
    an entry (j, i); shows the product with numbers and whether it can be dW.

    Returns an ``ipywidgets.VBox`` with attributes ``layer`` (ToggleButtons 1..3), ``formula``
    (RadioButtons, keys of ``FORMULAS``), ``batch`` (IntSlider), ``entry`` (Dropdown of (j, i)),
    ``view()`` (the current ``DWView``), ``output`` (HTML) and ``update()``.
    """
    import ipywidgets as widgets

    dw_view(k, formula, n)  # validates the starting values
    layer_w = widgets.ToggleButtons(
        options=[1, 2, 3], value=k, description="layer k", style={"button_width": "40px"}
    )
    formula_w = widgets.RadioButtons(options=list(FORMULAS), value=formula, description="dW =")
    batch_w = widgets.IntSlider(value=n, min=BATCH_SIZES[0], max=BATCH_SIZES[-1], description="batch n")
    entry_w = widgets.Dropdown(description="entry (j, i)")
    output = widgets.HTML()

    def entries():
        n_in, n_out = dw_batch(batch_w.value)[0].layers[layer_w.value - 1].W.shape
        return [(f"({j + 1}, {i + 1})", (j, i)) for j in range(n_in) for i in range(n_out)]

    def view():
        return dw_view(layer_w.value, formula_w.value, batch_w.value)

    def update(change=None):
        options = entries()
        if list(entry_w.options) != options:
            keep = entry_w.value if entry_w.value in [v for _, v in options] else options[0][1]
            entry_w.options, entry_w.value = options, keep
        output.value = dw_html(view(), *entry_w.value)

    entry_w.options = entries()
    entry_w.value = entry_w.options[0][1]
    for w in (layer_w, formula_w, batch_w, entry_w):
        w.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox([layer_w, batch_w, entry_w]), formula_w, output])
    box.layer, box.formula, box.batch, box.entry = layer_w, formula_w, batch_w, entry_w
    box.output, box.view, box.update = output, view, update
    return box

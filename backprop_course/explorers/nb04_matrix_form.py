"""Notebook 04: back-propagation in matrix form (row convention) and its shape explorer.

For layer k and a batch of n samples stored as rows (``a_0 = X``)::

    z_k      = a_{k-1} W_k + b_k      (n, n_k) = (n, n_{k-1})·(n_{k-1}, n_k) + (1, n_k)
    a_k      = f_k(z_k)               (n, n_k)
    dz_k     = da_k ⊙ f_k'(z_k)       (n, n_k)
    dW_k     = a_{k-1}ᵀ dz_k          (n_{k-1}, n_k) = (n_{k-1}, n)·(n, n_k)
    db_k     = Σ_rows dz_k            (1, n_k)
    da_{k-1} = dz_k W_kᵀ              (n, n_{k-1}) = (n, n_k)·(n_k, n_{k-1})

where d· stands for ∂L/∂· of the mean loss L (so dz already carries the 1/n).

Plain functions: ``shapes``, ``shapes_text``, ``shapes_html``, ``parse_layer_sizes``,
``numerical_jacobian``, ``loss_from_z``, ``loss_from_a``, ``time_backward``;
``shape_explorer()`` returns the widget.
"""

import html
import numbers
import time

import numpy as np

from backprop_lib import MLP, central_difference, gradients_by_loops
from backprop_lib.validation import check_int, check_layer_sizes

# The quantities of one layer, in the order the explorer shows them.
QUANTITIES = ("a_prev", "W", "b", "z", "a", "da", "dz", "dW", "db", "da_prev")


def shapes(layer_sizes, batch_size):
    """The shape of every quantity of every layer, for a batch of ``batch_size`` rows.

    ``layer_sizes`` is ``[n_0, n_1, ..., n_L]`` (inputs first). Returns a list with one
    dict per layer k = 1..L: ``{"k": k, "a_prev": (n, n_{k-1}), "W": (n_{k-1}, n_k),
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


def parse_layer_sizes(text):
    """``"3, 4, 2, 2"`` (commas and/or spaces) -> ``[3, 4, 2, 2]``; ValueError if malformed."""
    if not isinstance(text, str):
        raise TypeError(f"layer sizes: expected a string such as '3, 4, 2, 2', got {type(text).__name__}")
    parts = text.replace(",", " ").split()
    try:
        sizes = [int(part) for part in parts]
    except ValueError:
        raise ValueError(
            f"layer sizes: expected whole numbers separated by commas such as '3, 4, 2, 2', got {text!r}"
        ) from None
    return check_layer_sizes(sizes)


def _product_shapes(left, right, result):
    return f"{left}·{right} → {result}"


def shapes_text(layer_sizes, batch_size):
    """A plain-text table of ``shapes`` (one line per layer) for printing in a notebook."""
    rows = shapes(layer_sizes, batch_size)
    header = (
        "layer",
        "a_{k-1}",
        "W_k",
        "b_k",
        "z,a,da,dz",
        "dW_k = a_{k-1}ᵀ dz_k",
        "db_k",
        "da_{k-1} = dz_k W_kᵀ",
    )
    lines = []
    for s in rows:
        n, n_in = s["a_prev"]
        n_out = s["W"][1]
        lines.append(
            (
                str(s["k"]),
                str(s["a_prev"]),
                str(s["W"]),
                str(s["b"]),
                str(s["z"]),
                _product_shapes((n_in, n), (n, n_out), s["dW"]),
                str(s["db"]),
                _product_shapes((n, n_out), (n_out, n_in), s["da_prev"]),
            )
        )
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*header)] + [fmt.format(*line) for line in lines])


_BATCH_COLOUR = "#d9480f"


def _shape_html(shape, batch_axes=()):
    """``(5, 3)`` as HTML with the batch dimensions (positions in ``batch_axes``) coloured."""
    parts = [
        f'<b style="color:{_BATCH_COLOUR}">{d}</b>' if i in batch_axes else str(d)
        for i, d in enumerate(shape)
    ]
    return "(" + ", ".join(parts) + ")"


def shapes_html(layer_sizes, batch_size):
    """An HTML table of ``shapes``, the batch dimension n coloured wherever it appears."""
    rows = shapes(layer_sizes, batch_size)
    n = check_int(batch_size, "batch_size", low=1)
    head = [
        "layer k",
        "a<sub>k−1</sub>",
        "W<sub>k</sub>",
        "b<sub>k</sub>",
        "z<sub>k</sub>, a<sub>k</sub>, da<sub>k</sub>, dz<sub>k</sub>",
        "dW<sub>k</sub> = a<sub>k−1</sub><sup>T</sup> dz<sub>k</sub>",
        "db<sub>k</sub> = Σ<sub>rows</sub> dz<sub>k</sub>",
        "da<sub>k−1</sub> = dz<sub>k</sub> W<sub>k</sub><sup>T</sup>",
    ]
    cell = 'style="padding:2px 10px;border-bottom:1px solid #ddd;text-align:left"'
    out = [
        '<table style="border-collapse:collapse;font-family:monospace">',
        "<tr>" + "".join(f"<th {cell}>{h}</th>" for h in head) + "</tr>",
    ]
    for s in rows:
        n_in, n_out = s["W"]
        dW = _shape_html((n_in, n), (1,)) + "·" + _shape_html((n, n_out), (0,)) + " → " + _shape_html(s["dW"])
        da_prev = (
            _shape_html((n, n_out), (0,))
            + "·"
            + _shape_html((n_out, n_in))
            + " → "
            + _shape_html(s["da_prev"], (0,))
        )
        cells = [
            str(s["k"]),
            _shape_html(s["a_prev"], (0,)),
            _shape_html(s["W"]),
            _shape_html(s["b"]),
            _shape_html(s["z"], (0,)),
            dW,
            _shape_html(s["db"]),
            da_prev,
        ]
        out.append("<tr>" + "".join(f"<td {cell}>{c}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    out.append(
        f'<p style="margin:4px 0">Batch of <b style="color:{_BATCH_COLOUR}">n = {n}</b> samples '
        "(coloured wherever it appears). It is a row dimension of every z, a, dz, da; the "
        "products for dW and db sum it away, so a parameter's gradient has the parameter's "
        "shape whatever the batch size.</p>"
    )
    return "\n".join(out)


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
    """The mean loss as a function of a_k, the output of layer k (``a_0 = X``).

    Runs layers k+1..L of ``net`` on ``a`` ``(n, n_k)`` without touching their caches.
    Layers numbered as in the maths.
    """
    k = _check_layer_index(net, k, 0)
    for layer in net.layers[k:]:
        _, a = layer.apply(a)
    return net.loss_fn.value(np.asarray(y, dtype=float), a)


def loss_from_z(net, k, z, y):
    """The mean loss as a function of z_k ``(n, n_k)``, the pre-activation of layer k ≥ 1."""
    k = _check_layer_index(net, k, 1)
    return loss_from_a(net, k, net.layers[k - 1].activation.forward(z), y)


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


def time_backward(net, X, y, repeat=3):
    """Seconds per gradient computation, loops vs matrices, on the batch ``X`` ``(n, n_0)``.

    ``loops`` times ``gradients_by_loops`` (its own forward pass included); ``matrix`` times
    ``net.forward(X)`` + ``net.backward(y)``. Returns ``{"loops", "matrix", "ratio"}``.
    """
    t_loops = _best_time(lambda: gradients_by_loops(net, X, y), repeat)

    def matrix():
        net.forward(X)
        net.backward(y)

    t_matrix = _best_time(matrix, repeat)
    return {"loops": t_loops, "matrix": t_matrix, "ratio": t_loops / t_matrix}


# -- the widget ----------------------------------------------------------------------

# Keep the explorer's timing button quick: the loops visit about n·Σ n_{k-1}·n_k weights.
_MAX_LOOP_WORK = 20_000
_MAX_LOOP_WEIGHTS = 50_000


def _timing_html(sizes, n, seed=0):
    """Time loops vs matrices for ``sizes`` and a batch of ``n``; an HTML sentence."""
    rng = np.random.default_rng(seed)
    activations = ["tanh"] * (len(sizes) - 2) + ["sigmoid"]
    net = MLP(sizes, activations, loss="bce", seed=seed)
    X = rng.normal(size=(n, sizes[0]))
    y = rng.integers(0, 2, size=(n, sizes[-1])).astype(float)
    per_sample = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    if per_sample > _MAX_LOOP_WEIGHTS:
        return (
            f"{per_sample} weights: too many to time the loops quickly here (one sample would "
            "take seconds). Try widths below a few hundred."
        )
    m = max(1, min(n, _MAX_LOOP_WORK // per_sample))
    t_loops = _best_time(lambda: gradients_by_loops(net, X[:m], y[:m]), repeat=2) * n / m
    net.forward(X)
    t_matrix = _best_time(lambda: (net.forward(X), net.backward(y)), repeat=3)
    note = "" if m == n else f" (loops timed on {m} of the {n} samples and scaled by {n}/{m})"
    return (
        f"loops: {t_loops * 1e3:.2f} ms, matrices: {t_matrix * 1e3:.3f} ms per gradient "
        f"→ the matrix form is <b>{t_loops / t_matrix:.0f}×</b> faster{note}."
    )


def shape_explorer(layer_sizes=(3, 4, 2, 2), batch_size=5):
    """The notebook's shape explorer: batch size and layer widths -> every shape.

    Returns an ``ipywidgets.VBox`` with attributes ``batch_slider`` (IntSlider),
    ``sizes_text`` (Text, e.g. ``"3, 4, 2, 2"``), ``table_html`` (HTML of ``shapes_html``
    or an error message), ``time_button`` and ``timing_html`` (loops vs matrices for the
    current sizes, on demand) and ``update()``.
    """
    import ipywidgets as widgets

    sizes = check_layer_sizes(layer_sizes)
    n = check_int(batch_size, "batch_size", low=1)
    batch_slider = widgets.IntSlider(value=n, min=1, max=max(256, n), description="batch n")
    sizes_text = widgets.Text(
        value=", ".join(str(s) for s in sizes),
        description="widths",
        placeholder="n_0, n_1, ..., n_L",
        continuous_update=False,
    )
    table = widgets.HTML()
    time_button = widgets.Button(description="time loops vs matrices")
    timing = widgets.HTML()

    def current():
        return parse_layer_sizes(sizes_text.value), int(batch_slider.value)

    def update(change=None):
        timing.value = ""
        try:
            table.value = shapes_html(*current())
        except (TypeError, ValueError) as err:
            table.value = f'<p style="color:#c92a2a">{html.escape(str(err))}</p>'

    def run_timing(button=None):
        try:
            sizes_now, n_now = current()
        except (TypeError, ValueError) as err:
            timing.value = f'<span style="color:#c92a2a">{html.escape(str(err))}</span>'
            return
        timing.value = "timing…"
        timing.value = _timing_html(sizes_now, n_now)

    batch_slider.observe(update, names="value")
    sizes_text.observe(update, names="value")
    time_button.on_click(run_timing)
    update()

    box = widgets.VBox(
        [
            widgets.HBox([sizes_text, batch_slider]),
            table,
            widgets.HBox([time_button, timing]),
        ]
    )
    box.batch_slider, box.sizes_text, box.table_html = batch_slider, sizes_text, table
    box.time_button, box.timing_html, box.update = time_button, timing, update
    return box

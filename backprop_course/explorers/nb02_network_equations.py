"""Notebook 02: the 3-4-2-2 network of the original figure, written unit by unit.

Row convention, units counted from 1 in the maths and from 0 in numpy::

    z⁽ᵏ⁾ᵢ = Σⱼ a⁽ᵏ⁻¹⁾ⱼ w⁽ᵏ⁾ⱼᵢ + b⁽ᵏ⁾ᵢ,     a⁽ᵏ⁾ᵢ = f_k(z⁽ᵏ⁾ᵢ)
    w⁽ᵏ⁾ⱼᵢ = net.layers[k − 1].W[j − 1, i − 1]    (from unit j of layer k−1 to unit i of layer k)

with a⁽⁰⁾ = x and a⁽ᴷ⁾ = ŷ for K layers (the original writes h_k for the hidden a⁽ᵏ⁾), and
for one sample the loss L = Σᵢ (yᵢ − ŷᵢ)² (``backprop_lib``'s "mse" is this, averaged over
the samples of a batch).

Plain functions compute and format everything; ``network_explorer()`` returns the widget.
"""

import copy
import html

import ipywidgets as widgets
import numpy as np

from backprop_lib import MLP, Normal, forward_by_loops

from ..drawing import ACTIVATION_HTML, ACTIVATION_TEX, NetworkDrawing, symbol_html, unit_html, unit_tex

# The running example of notebooks 02 and 03.
EXAMPLE_SIZES = (3, 4, 2, 2)
EXAMPLE_ACTIVATIONS = ("sigmoid", "tanh", "sigmoid")
EXAMPLE_SEED = 6
EXAMPLE_SIGMA = 0.8  # weights and biases ~ N(0, 0.8²): every bias non-zero, no unit saturated
EXAMPLE_X = (0.5, -1.0, 2.0)
EXAMPLE_Y = (0.2, 0.9)


def example_network():
    """The running example: ``(net, x, y)`` with x of shape (3,) and y of shape (2,).

    ``net = MLP([3, 4, 2, 2], ["sigmoid", "tanh", "sigmoid"], loss="mse", seed=6,
    init=Normal(0.8))``, a fresh object at every call.
    """
    net = MLP(
        list(EXAMPLE_SIZES),
        list(EXAMPLE_ACTIVATIONS),
        loss="mse",
        seed=EXAMPLE_SEED,
        init=Normal(EXAMPLE_SIGMA),
    )
    return net, np.array(EXAMPLE_X, dtype=float), np.array(EXAMPLE_Y, dtype=float)


# -- checks ---------------------------------------------------------------------------


def check_sample(net, x, y=None):
    """Validate one sample for ``net``: x ``(n_0,)`` and y ``(n_L,)`` as float arrays.

    Returns ``(x, y)`` (``y`` stays ``None`` if not given).
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net: expected a backprop_lib.MLP, got {type(net).__name__}")
    out = []
    for name, v, n in (("x", x, net.layer_sizes[0]), ("y", y, net.layer_sizes[-1])):
        if v is None and name == "y":
            out.append(None)
            continue
        try:
            arr = np.asarray(v, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"{name}: expected numbers, got {type(v).__name__}") from None
        if arr.ndim == 2 and arr.shape[0] == 1:
            arr = arr[0]
        if arr.shape != (n,):
            raise ValueError(f"{name}: expected one sample of shape ({n},), got shape {arr.shape}")
        if not np.isfinite(arr).all():
            raise ValueError(f"{name}: expected finite numbers, got {arr}")
        out.append(arr.copy())
    return tuple(out)


def example_or_sample(net, x, y, who):
    """``(net, x, y)``: the running example where ``net`` is None (x and y may override its
    sample), otherwise ``net`` with the checked sample the caller must give."""
    if net is None:
        net, x0, y0 = example_network()
        x = x0 if x is None else x
        y = y0 if y is None else y
    if x is None or y is None:
        raise ValueError(f"{who}: give both x and y with a network of your own")
    x, y = check_sample(net, x, y)
    return net, x, y


def _check_unit(net, k, i):
    n_layers = len(net.layers)
    if not (isinstance(k, (int, np.integer)) and 1 <= k <= n_layers):
        raise ValueError(f"k: expected a layer number from 1 to {n_layers}, got {k!r}")
    n = net.layer_sizes[k]
    if not (isinstance(i, (int, np.integer)) and 0 <= i < n):
        raise ValueError(f"i: layer {k} has units 0 … {n - 1} (counted from 0), got {i!r}")


# -- values ---------------------------------------------------------------------------


def sample_loss(y, yhat):
    """L = Σᵢ (yᵢ − ŷᵢ)² of one sample; y and ŷ of shape (n_L,)."""
    y, yhat = np.asarray(y, dtype=float).ravel(), np.asarray(yhat, dtype=float).ravel()
    if y.shape != yhat.shape:
        raise ValueError(f"sample_loss: y has shape {y.shape} but ŷ has shape {yhat.shape}")
    return float(sum((yi - yhi) ** 2 for yi, yhi in zip(y, yhat)))


# -- names and numbers in LaTeX -------------------------------------------------------


def num(v, digits=4):
    """A number for an equation: fixed digits, negative ones in parentheses."""
    s = f"{v:.{digits}f}"
    return f"({s})" if s.startswith("-") else s


def weight_tex(k, j, i):
    """LaTeX of w⁽ᵏ⁾ⱼᵢ with j, i counted from 0: ``w^{(2)}_{31}`` for (2, 2, 0)."""
    return f"w^{{({k})}}_{{{j + 1}{i + 1}}}"


_SUP = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def weight_label(k, j, i):
    """Plain-text w⁽ᵏ⁾ⱼᵢ with j, i counted from 0, e.g. ``w⁽²⁾₃₁`` for (2, 2, 0)."""
    return f"w{f'({k})'.translate(_SUP)}{f'{j + 1}{i + 1}'.translate(_SUB)}"


def weight_choices(net):
    """``[(label, (k, j, i))]`` for every weight of ``net``, layer by layer."""
    return [
        (f"{weight_label(k, j, i)}  (unit {j + 1} of layer {k - 1} → unit {i + 1} of layer {k})", (k, j, i))
        for k, layer in enumerate(net.layers, start=1)
        for i in range(layer.W.shape[1])
        for j in range(layer.W.shape[0])
    ]


def _unit_numbers(net, x, k, i):
    """What unit i (from 0) of layer k computes for sample ``x``: ``(inputs, weights, bias, z, a)``,
    its inputs a⁽ᵏ⁻¹⁾ⱼ and weights w⁽ᵏ⁾ⱼᵢ as lists, the rest as floats."""
    _check_unit(net, k, i)
    z, a = forward_by_loops(net, x)
    W, b = net.layers[k - 1].W, net.layers[k - 1].b
    return a[k - 1], [float(w) for w in W[:, i]], float(b[0, i]), z[k][i], a[k][i]


def unit_equation(net, x, k, i, boxed=None):
    """LaTeX of unit i (from 0) of layer k with the numbers of sample ``x`` substituted,
    as three aligned lines: the equation, its numbers, the result.

    ``boxed`` = j boxes the term of the input unit j (from 0), e.g. the weight a slider moves.
    Example (k = 2, i = 0): a⁽²⁾_1 = f_2(Σ_j a⁽¹⁾_j w⁽²⁾_{j1} + b⁽²⁾_1) = tanh(…) = −0.77.
    """
    inputs, weights, bias, z, a = _unit_numbers(net, x, k, i)
    name = net.layers[k - 1].activation.name
    f_tex = ACTIVATION_TEX.get(name, rf"\mathrm{{{name}}}")
    prev = "x_{j}" if k == 1 else f"a^{{({k - 1})}}_{{j}}"
    general = (
        rf"{unit_tex(k, i, len(net.layers))} = f_{{{k}}}\Big(\sum_{{j=1}}^{{{len(inputs)}}} "
        rf"{prev}\, w^{{({k})}}_{{j{i + 1}}} + b^{{({k})}}_{{{i + 1}}}\Big)"
    )
    terms = []
    for j, (a_j, w_j) in enumerate(zip(inputs, weights)):
        term = rf"{num(a_j, 3)} \cdot {num(w_j, 3)}"
        terms.append(rf"\boxed{{{term}}}" if boxed == j else term)
    terms.append(num(bias, 3))
    substituted = rf"{f_tex}\big({' + '.join(terms)}\big)"
    return (
        rf"\begin{{aligned}} {general.replace(' = ', ' &= ', 1)} \\ &= {substituted} \\ "
        rf"&= {f_tex}({z:.4f}) = {a:.4f} \end{{aligned}}"
    )


def num_html(v, digits=4, brackets=True):
    """``num`` with a typographic minus; ``brackets=False`` for a number standing alone."""
    return (num(v, digits) if brackets else f"{v:.{digits}f}").replace("-", "−")


def unit_equation_html(net, x, k, i, boxed=None):
    """``unit_equation`` as HTML, for the explorer: a browser shows it at once, while MathJax
    would typeset it anew after every slider move (measured: tens of milliseconds each)."""
    inputs, weights, bias, z, a = _unit_numbers(net, x, k, i)
    name = net.layers[k - 1].activation.name
    f = ACTIVATION_HTML.get(name, name)
    prev = symbol_html("x", index="j") if k == 1 else symbol_html("a", k - 1, "j")
    total = f"Σ<sub>j=1</sub><sup>{len(inputs)}</sup> {prev} {symbol_html('w', k, f'j{i + 1}')}"
    unit, b = unit_html(k, i, len(net.layers)), symbol_html("b", k, i + 1)
    general = f"{unit} = <i>f</i><sub>{k}</sub>( {total} + {b} )"
    terms = []
    for j, (a_j, w_j) in enumerate(zip(inputs, weights)):
        term = f"{num_html(a_j, 3)} · {num_html(w_j, 3)}"
        terms.append(f"<span style='border:1px solid; padding:0 3px'>{term}</span>" if boxed == j else term)
    terms.append(num_html(bias, 3))
    result = f"= {f}({num_html(z, 4, False)}) = {num_html(a, 4, False)}"
    lines = [general, f"= {f}( {' + '.join(terms)} )", result]
    return (
        "<div style='font-family:serif; font-size:1.15em; line-height:1.7'>" + "<br>".join(lines) + "</div>"
    )


def loss_equation(y, yhat):
    """LaTeX of L = Σᵢ (yᵢ − ŷᵢ)² with the numbers substituted."""
    y, yhat = np.asarray(y, float).ravel(), np.asarray(yhat, float).ravel()
    terms = " + ".join(rf"({num(yi)} - {num(yh)})^2" for yi, yh in zip(y, yhat))
    return rf"L = \sum_{{i=1}}^{{{len(y)}}} (y_i - \hat{{y}}_i)^2 = {terms} = {sample_loss(y, yhat):.4f}"


def loss_equation_html(y, yhat):
    """``loss_equation`` as HTML, for the explorer."""
    y, yhat = np.asarray(y, float).ravel(), np.asarray(yhat, float).ravel()
    terms = " + ".join(f"({num_html(yi, 4)} − {num_html(yh, 4)})<sup>2</sup>" for yi, yh in zip(y, yhat))
    error = f"({symbol_html('y', index='i')} − {symbol_html('ŷ', index='i')})<sup>2</sup>"
    general = f"<i>L</i> = Σ<sub>i=1</sub><sup>{len(y)}</sup> {error}"
    total = num_html(sample_loss(y, yhat), 4, False)
    return f"<div style='font-family:serif; font-size:1.15em'>{general} = {terms} = {total}</div>"


# -- the explorer ---------------------------------------------------------------------


def network_explorer(net=None, x=None, y=None):
    """A widget: sliders for the inputs and for one chosen weight, the drawn network with the
    value of every unit, the equation of the unit the weight feeds, and the loss.

    Works on a copy of ``net`` (default: ``example_network()``), so the caller's network is
    never changed. Returns a ``NetworkExplorer`` (an ``ipywidgets.VBox``).
    """
    net, x, y = example_or_sample(net, x, y, "network_explorer")
    return NetworkExplorer(copy.deepcopy(net), x, y)


class NetworkExplorer(widgets.VBox):
    """Controls: ``x_sliders`` (one per input), ``weight_picker`` (Dropdown of (k, j, i)),
    ``weight_slider``. Outputs: ``image`` (PNG of ``drawing``), ``equation`` (HTML of the
    unit the chosen weight feeds), ``loss`` (HTML). ``net`` is the explorer's own copy."""

    def __init__(self, net, x, y):
        self.net, self.y = net, y
        n_layers = len(net.layers)
        self.drawing = NetworkDrawing(net.layer_sizes, [layer.activation.name for layer in net.layers])
        self.drawing.set_side_labels(
            {(n_layers, i): f"$y_{{{i + 1}}}$ = {v:.2f}".replace("-", "−") for i, v in enumerate(y)}
        )
        slider = dict(
            min=-3.0,
            max=3.0,
            step=0.01,
            readout_format=".2f",
            continuous_update=True,
            layout=widgets.Layout(width="330px"),
        )
        self.x_sliders = [
            widgets.FloatSlider(value=float(v), description=f"x{j + 1}".translate(_SUB), **slider)
            for j, v in enumerate(x)
        ]
        choices = weight_choices(net)
        self.weight_picker = widgets.Dropdown(
            options=choices,
            value=choices[0][1] if n_layers < 2 else (2, 0, 0),
            description="weight",
            layout=widgets.Layout(width="420px"),
        )
        self.weight_slider = widgets.FloatSlider(
            value=self._weight(self.weight_picker.value), description="value", **slider
        )
        self.equation = widgets.HTML()
        self.loss = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="756px"))
        self._syncing = False
        for s in self.x_sliders:
            s.observe(self._on_change, names="value")
        self.weight_slider.observe(self._on_weight, names="value")
        self.weight_picker.observe(self._on_pick, names="value")
        controls = widgets.HBox(
            [
                widgets.VBox([widgets.HTML("<b>inputs</b>"), *self.x_sliders]),
                widgets.VBox([widgets.HTML("<b>one weight</b>"), self.weight_picker, self.weight_slider]),
            ]
        )
        super().__init__([controls, self.image, self.equation, self.loss])
        self.update()

    def _weight(self, key):
        k, j, i = key
        return float(self.net.layers[k - 1].W[j, i])

    def _on_pick(self, change):
        self._syncing = True  # show the picked weight's value without writing it back
        try:
            self.weight_slider.value = self._weight(change["new"])
        finally:
            self._syncing = False
        self.update()

    def _on_weight(self, change):
        if self._syncing:
            return
        k, j, i = self.weight_picker.value
        self.net.layers[k - 1].W[j, i] = float(change["new"])
        self.update()

    def _on_change(self, change):
        self.update()

    @property
    def x(self):
        return np.array([s.value for s in self.x_sliders], dtype=float)

    def update(self):
        """Recompute the forward pass and refresh the drawing, equation and loss."""
        net, x = self.net, self.x
        k, j, i = self.weight_picker.value
        _, a = forward_by_loops(net, x)
        d = self.drawing
        d.set_values(a)
        d.set_weights([layer.W for layer in net.layers])
        d.highlight(nodes=[(k - 1, j), (k, i)], focus_edges=[(k, j, i)])
        d.set_edge_labels(
            {(k, j, i): f"${weight_tex(k, j, i)}$ = {self._weight((k, j, i)):.2f}".replace("= -", "= −")}
        )
        loss = sample_loss(self.y, a[-1])
        d.set_caption(f"L = {loss:.4f}".replace("-", "−"))
        d.set_legend("edges: blue w > 0, red w < 0, width ∝ |w|")
        self.image.value = d.to_png()
        self.equation.value = (
            f"<b>the unit this weight feeds</b> (boxed: the term with "
            f"{html.escape(weight_label(k, j, i))})" + unit_equation_html(net, x, k, i, boxed=j)
        )
        self.loss.value = "<b>the loss of this sample</b>" + loss_equation_html(self.y, a[-1])

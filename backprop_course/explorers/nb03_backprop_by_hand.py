"""Notebook 03: back-propagation by hand, one quantity at a time.

For one sample and L = Σᵢ (yᵢ − ŷᵢ)², in the row convention (w⁽ᵏ⁾ⱼᵢ = ``W[j, i]``, from unit j
of layer k−1 to unit i of layer k; a₀ = x, a_L = ŷ, hidden a_k = h_k)::

    ∂L/∂ŷᵢ   = −2 (yᵢ − ŷᵢ)
    ∂L/∂z⁽ᵏ⁾ᵢ = ∂L/∂a_{k,i} · f_k′(z⁽ᵏ⁾ᵢ)
    ∂L/∂w⁽ᵏ⁾ⱼᵢ = ∂L/∂z⁽ᵏ⁾ᵢ · a_{k−1,j}          ∂L/∂b⁽ᵏ⁾ᵢ = ∂L/∂z⁽ᵏ⁾ᵢ
    ∂L/∂a_{k−1,j} = Σᵢ ∂L/∂z⁽ᵏ⁾ᵢ · w⁽ᵏ⁾ⱼᵢ      (a total derivative: one term per path)

``backward_steps(net, x, y)`` lists these quantities in the order back-propagation finds
them, each with its equation (numbers substituted), its value by loops, a central-difference
value and what it uses in the drawn network; ``backprop_stepper()`` only renders that list.
"""

import copy
import html
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from backprop_lib import (
    MLP,
    TOLERANCE,
    backward_by_loops,
    central_difference,
    format_rel_error,
    forward_by_loops,
    rel_error,
)

from ..drawing import NetworkDrawing, unit_tex
from .nb02_network_equations import check_sample, example_or_sample, num, sample_loss, weight_tex


@dataclass(frozen=True)
class Step:
    """One quantity of the backward pass.

    ``kind`` is "dyhat", "dz", "dW", "db" or "da" (∂L/∂h of a hidden unit); ``layer`` is k of
    the maths (for "da" the layer of the unit); ``index`` the unit indices from 0: ``(i,)`` or,
    for "dW", ``(j, i)``. ``value`` comes from the chain rule by loops, ``numeric`` from central
    differences. ``nodes``/``edges`` are what the step uses, ``focus_*`` the quantity itself,
    keyed as in ``backprop_course.drawing``.
    """

    label: str
    kind: str
    layer: int
    index: tuple
    symbol: str
    latex: str
    note: str
    value: float
    numeric: float
    rel_error: float
    nodes: frozenset = frozenset()
    edges: frozenset = frozenset()
    focus_nodes: frozenset = frozenset()
    focus_edges: frozenset = frozenset()

    @property
    def passed(self):
        return self.rel_error < TOLERANCE


# -- the loss seen from inside the network -----------------------------------------------


def _check_net(net):
    if not isinstance(net, MLP):
        raise TypeError(f"net: expected a backprop_lib.MLP, got {type(net).__name__}")
    if net.loss_fn.name != "mse":
        raise ValueError(
            f"net: the hand derivation is for the squared error (loss='mse'), got loss={net.loss_fn.name!r}"
        )
    if any(layer.activation.name == "softmax" for layer in net.layers):
        raise ValueError("net: the hand derivation needs elementwise activations, got softmax")


def loss_from_layer(net, k, a_k, y):
    """L of one sample when the outputs of layer k are ``a_k`` ``(n_k,)``.

    k = 0 feeds an input x through the whole network, k = L takes ``a_k`` as ŷ. Pure: it uses
    ``net``'s current W and b and leaves the layers' caches alone.
    """
    a = np.asarray(a_k, dtype=float).reshape(1, -1)
    for layer in net.layers[k:]:
        _, a = layer.apply(a)
    return sample_loss(y, a[0])


def loss_from_preactivation(net, k, z_k, y):
    """L of one sample when the pre-activations of layer k (k ≥ 1) are ``z_k`` ``(n_k,)``."""
    a_k = net.layers[k - 1].activation.forward(np.asarray(z_k, dtype=float).reshape(1, -1))
    return loss_from_layer(net, k, a_k[0], y)


def report(name, by_loops, numeric):
    """One printed line comparing a derivation with central differences (rounded values)."""
    by_loops, numeric = np.asarray(by_loops, float), np.asarray(numeric, float)
    err = rel_error(by_loops, numeric)
    return (
        f"{name}: by loops {np.round(by_loops, 6).tolist()}, central differences "
        f"{np.round(numeric, 6).tolist()}, relative error {format_rel_error(err)}"
    )


# -- the list of steps --------------------------------------------------------------------

_FPRIME = {  # f'(z) written with the unit's output a, and evaluated
    "sigmoid": (lambda a: rf"{a}\,(1 - {a})", lambda a, v: rf"{num(v)}\,(1 - {num(v)})"),
    "tanh": (lambda a: rf"(1 - {a}^2)", lambda a, v: rf"(1 - {num(v)}^2)"),
    "identity": (lambda a: "1", lambda a, v: "1"),
}


def _d(symbol):
    return rf"\frac{{\partial L}}{{\partial {symbol}}}"


def _label_sub(text):
    return text.translate(str.maketrans("0123456789,", "₀₁₂₃₄₅₆₇₈₉,"))


def _label(kind, k, index, n_layers):
    sup = f"({k})".translate(str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾"))
    if kind == "dyhat":
        return f"∂L/∂ŷ{_label_sub(str(index[0] + 1))}"
    if kind == "dz":
        return f"∂L/∂z{sup}{_label_sub(str(index[0] + 1))}"
    if kind == "dW":
        return f"∂L/∂w{sup}{_label_sub(f'{index[0] + 1}{index[1] + 1}')}"
    if kind == "db":
        return f"∂L/∂b{sup}{_label_sub(str(index[0] + 1))}"
    return f"∂L/∂h{_label_sub(f'{k},{index[0] + 1}')}"


def backward_steps(net, x, y):
    """The backward pass of one sample as a list of ``Step``, in the order it is computed:

    ∂L/∂ŷᵢ for every output; then for k = L … 1: ∂L/∂z⁽ᵏ⁾ᵢ, ∂L/∂w⁽ᵏ⁾ⱼᵢ, ∂L/∂b⁽ᵏ⁾ᵢ and, if
    k > 1, ∂L/∂h_{k−1,j}. For the 3-4-2-2 network that is 48 steps. x ``(n_0,)``, y ``(n_L,)``.
    """
    _check_net(net)
    x, y = check_sample(net, x, y)
    net = copy.deepcopy(net)  # the checks move parameters; never touch the caller's network
    g = backward_by_loops(net, x, y)
    z, a = g["z"], g["a"]
    n_layers = len(net.layers)
    L = n_layers
    steps = []

    def add(kind, k, index, symbol, latex, note, value, numeric, **marks):
        steps.append(
            Step(
                label=_label(kind, k, index, n_layers),
                kind=kind,
                layer=k,
                index=tuple(index),
                symbol=symbol,
                latex=latex,
                note=note,
                value=float(value),
                numeric=float(numeric),
                rel_error=rel_error(value, numeric),
                **{key: frozenset(v) for key, v in marks.items()},
            )
        )

    yhat = np.array(a[L])
    for i in range(len(y)):
        s = unit_tex(L, i, L)
        latex = (
            rf"{_d(s)} = -2\,(y_{{{i + 1}}} - {s}) = -2\,({y[i]:.4f} - {a[L][i]:.4f}) "
            rf"= {g['da'][L][i]:.4f}"
        )
        numeric = central_difference(lambda: sample_loss(y, yhat), yhat, i)
        add(
            "dyhat",
            L,
            (i,),
            _d(s),
            latex,
            f"Start at the loss: only the term (y{_label_sub(str(i + 1))} − ŷ{_label_sub(str(i + 1))})² "
            "depends on this output. Mind the minus sign, which the original dropped (erratum 3).",
            g["da"][L][i],
            numeric,
            focus_nodes=[(L, i)],
        )

    for k in range(L, 0, -1):
        layer = net.layers[k - 1]
        n_in, n_out = layer.W.shape
        act = layer.activation.name
        zk = np.array(z[k])
        for i in range(n_out):
            s_out = unit_tex(k, i, L)
            fp_sym, fp_num = _FPRIME.get(act, (None, None))
            middle = ""
            if fp_sym is not None:
                middle = (
                    rf" = {_d(s_out)}\, {fp_sym(s_out)} = {num(g['da'][k][i])} \cdot "
                    rf"{fp_num(s_out, a[k][i])}"
                )
            else:
                fprime = g["dz"][k][i] / g["da"][k][i] if g["da"][k][i] else 0.0
                middle = rf" = {num(g['da'][k][i])} \cdot {num(fprime)}"
            latex = (
                rf"{_d(f'z^{{({k})}}_{{{i + 1}}}')} = {_d(s_out)}\, "
                rf"f_{{{k}}}'(z^{{({k})}}_{{{i + 1}}}){middle} = {g['dz'][k][i]:.4f}"
            )
            numeric = central_difference(lambda: loss_from_preactivation(net, k, zk, y), zk, i)
            add(
                "dz",
                k,
                (i,),
                _d(f"z^{{({k})}}_{{{i + 1}}}"),
                latex,
                f"Through the activation of unit {i + 1} of layer {k}: multiply by the slope "
                f"f{_label_sub(str(k))}′ at its pre-activation z.",
                g["dz"][k][i],
                numeric,
                nodes=[(k, i)],
                focus_nodes=[(k, i)],
            )
        for i in range(n_out):
            for j in range(n_in):
                w, s_in = weight_tex(k, j, i), unit_tex(k - 1, j, L)
                dz_sym = _d(f"z^{{({k})}}_{{{i + 1}}}")
                latex = (
                    rf"{_d(w)} = {dz_sym}\, \frac{{\partial z^{{({k})}}_{{{i + 1}}}}}{{\partial {w}}}"
                    rf" = {dz_sym}\, {s_in} = {num(g['dz'][k][i])} \cdot {num(a[k - 1][j])}"
                    rf" = {g['dW'][k][j][i]:.4f}"
                )
                numeric = central_difference(lambda: loss_from_layer(net, 0, x, y), layer.W, (j, i))
                add(
                    "dW",
                    k,
                    (j, i),
                    _d(w),
                    latex,
                    f"This weight reaches the loss only through unit {i + 1} of layer {k}: "
                    f"that unit's ∂L/∂z times the input the weight multiplies.",
                    g["dW"][k][j][i],
                    numeric,
                    nodes=[(k - 1, j), (k, i)],
                    focus_edges=[(k, j, i)],
                )
        for i in range(n_out):
            b = f"b^{{({k})}}_{{{i + 1}}}"
            latex = rf"{_d(b)} = {_d(f'z^{{({k})}}_{{{i + 1}}}')} \cdot 1 = {g['db'][k][i]:.4f}"
            numeric = central_difference(lambda: loss_from_layer(net, 0, x, y), layer.b, (0, i))
            add(
                "db",
                k,
                (i,),
                _d(b),
                latex,
                "A bias enters its unit's z with coefficient 1, so its gradient is that unit's ∂L/∂z.",
                g["db"][k][i],
                numeric,
                nodes=[(k, i)],
                focus_nodes=[(k, i)],
            )
        if k == 1:
            continue
        h = np.array(a[k - 1])
        for j in range(n_in):
            s_in = unit_tex(k - 1, j, L)
            terms = " + ".join(rf"{num(g['dz'][k][i])} \cdot {num(layer.W[j, i])}" for i in range(n_out))
            latex = (
                rf"{_d(s_in)} = \sum_{{i=1}}^{{{n_out}}} "
                rf"{_d(f'z^{{({k})}}_i')}\, w^{{({k})}}_{{{j + 1}i}} = {terms} = "
                rf"{g['da'][k - 1][j]:.4f}"
            )
            numeric = central_difference(lambda: loss_from_layer(net, k - 1, h, y), h, j)
            add(
                "da",
                k - 1,
                (j,),
                _d(s_in),
                latex,
                f"This unit feeds all {n_out} units of layer {k}: a total derivative, one "
                "term per path, summed over i (a new letter for the sum, not j: erratum 7).",
                g["da"][k - 1][j],
                numeric,
                nodes=[(k, i) for i in range(n_out)],
                edges=[(k, j, i) for i in range(n_out)],
                focus_nodes=[(k - 1, j)],
            )
    return steps


def steps_table(steps):
    """The steps as a fixed-width text table (rounded, so it prints the same everywhere)."""
    lines = [f"{'#':>3}  {'quantity':<12} {'by loops':>11} {'central diff.':>14}  relative error"]
    for n, s in enumerate(steps, start=1):
        lines.append(
            f"{n:>3}  {s.label:<12} {s.value:>11.6f} {s.numeric:>14.6f}  {format_rel_error(s.rel_error)}"
        )
    return "\n".join(lines)


# -- the explorer -------------------------------------------------------------------------


def backprop_stepper(net=None, x=None, y=None):
    """A widget walking the backward pass one quantity at a time (see ``BackpropStepper``).

    Default: the running example ``example_network()``. The steps are computed once by
    ``backward_steps``; moving the slider only renders one of them.
    """
    return BackpropStepper(*example_or_sample(net, x, y, "backprop_stepper"))


class BackpropStepper(widgets.VBox):
    """Controls: ``step_slider`` (0 … len(steps) − 1) and ``play`` (linked in the browser).
    Outputs: ``equation`` (HTMLMath: the step's equation with numbers), ``check`` (HTML: the
    central-difference check), ``image`` (PNG of ``drawing``). ``steps`` is the list it shows."""

    def __init__(self, net, x, y):
        self.steps = backward_steps(net, x, y)
        self.loss_value = loss_from_layer(net, 0, x, y)
        _, self.values = forward_by_loops(net, x)
        self.weights = [layer.W.copy() for layer in net.layers]
        n_layers = len(net.layers)
        self.drawing = NetworkDrawing(
            net.layer_sizes, [layer.activation.name for layer in net.layers], static_values=True
        )
        self.drawing.set_values(self.values)
        self.drawing.set_side_labels(
            {(n_layers, i): f"$y_{{{i + 1}}}$ = {v:.2f}".replace("-", "−") for i, v in enumerate(y)}
        )
        n = len(self.steps)
        self.step_slider = widgets.IntSlider(
            value=0,
            min=0,
            max=n - 1,
            description="step",
            continuous_update=True,
            layout=widgets.Layout(width="520px"),
        )
        self.play = widgets.Play(value=0, min=0, max=n - 1, interval=1800, description="play")
        widgets.jslink((self.play, "value"), (self.step_slider, "value"))
        self.equation = widgets.HTMLMath()
        self.check = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="756px"))
        self.step_slider.observe(lambda change: self.update(), names="value")
        super().__init__([widgets.HBox([self.play, self.step_slider]), self.equation, self.check, self.image])
        self.update()

    @property
    def step(self):
        return self.steps[self.step_slider.value]

    def update(self):
        """Show the step the slider points at."""
        n = self.step_slider.value
        step, d = self.steps[n], self.drawing
        d.highlight(step.edges, step.nodes, step.focus_edges, step.focus_nodes)
        found = {}
        for s in self.steps[: n + 1]:
            if s.kind in ("dyhat", "da"):
                found[(s.layer, s.index[0])] = s.value
        d.set_grads(found)
        labels = {}
        if step.kind == "da":  # the weights of the paths being summed
            for k, j, i in step.edges:
                labels[(k, j, i)] = f"${weight_tex(k, j, i)}$ = {self.weights[k - 1][j, i]:.2f}"
        elif step.kind == "dW":  # the gradient just found, on its own edge
            for k, j, i in step.focus_edges:
                labels[(k, j, i)] = f"∂L/∂w = {step.value:.4f}"
        d.set_edge_labels({e: t.replace("= -", "= −") for e, t in labels.items()})
        d.set_title(f"step {n + 1} of {len(self.steps)}: {step.label}")
        d.set_caption(f"L = {self.loss_value:.4f}".replace("-", "−"))
        d.set_legend(
            "purple: this step's quantity · amber: what it uses · red: ∂L/∂(unit output) found so far"
        )
        self.image.value = d.to_png()
        self.equation.value = (
            f"<b>Step {n + 1} of {len(self.steps)}: {html.escape(step.label)}</b><br>"
            f"{html.escape(step.note)}$$ {step.latex} $$"
        )
        mark = "✓" if step.passed else "✗"
        color = "#1a7f37" if step.passed else "#b2182b"
        self.check.value = (
            f"<span style='color:{color}'>chain rule (loops) <b>{step.value:.6f}</b> · central "
            f"difference <b>{step.numeric:.6f}</b> · relative error {step.rel_error:.1e} "
            f"{mark}</span>"
        )

"""Notebook 03: back-propagation by hand, one quantity at a time.

For one sample and L = Σᵢ (yᵢ − ŷᵢ)², in the row convention (w⁽ᵏ⁾ⱼᵢ = ``W[j, i]``, from unit j
of layer k−1 to unit i of layer k; a⁽⁰⁾ = x, a⁽ᴷ⁾ = ŷ)::

    ∂L/∂ŷᵢ      = −2 (yᵢ − ŷᵢ)
    ∂L/∂z⁽ᵏ⁾ᵢ    = ∂L/∂a⁽ᵏ⁾ᵢ · f_k′(z⁽ᵏ⁾ᵢ)
    ∂L/∂w⁽ᵏ⁾ⱼᵢ   = ∂L/∂z⁽ᵏ⁾ᵢ · a⁽ᵏ⁻¹⁾ⱼ          ∂L/∂b⁽ᵏ⁾ᵢ = ∂L/∂z⁽ᵏ⁾ᵢ
    ∂L/∂a⁽ᵏ⁻¹⁾ⱼ  = Σᵢ ∂L/∂z⁽ᵏ⁾ᵢ · w⁽ᵏ⁾ⱼᵢ        (a total derivative: one term per path)

``backward_steps(net, x, y)`` lists these quantities in the order back-propagation finds
them, each with its rule, its equation with the numbers substituted, its value by loops, a
central-difference value, what it uses in the drawn network, and the values that typical
slips give (for the "your turn" mode). Each equation comes twice: LaTeX for the notebook's
cells and for hints, and HTML with the same numbers for the explorer, which a browser shows
at once (a MathJax pass after every step costs tens of milliseconds). ``backprop_stepper()``
renders that list.
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

from ..drawing import NetworkDrawing, symbol_html, unit_html, unit_tex
from .nb02_network_equations import (
    check_sample,
    example_or_sample,
    num,
    num_html,
    sample_loss,
    weight_tex,
)
from .your_turn import AnswerBox, Question


@dataclass(frozen=True)
class Step:
    """One quantity of the backward pass.

    ``kind`` is "dyhat", "dz", "dW", "db" or "da" (∂L/∂a⁽ᵏ⁾ of a hidden unit); ``layer`` is k of
    the maths (for "da" the layer of the unit); ``index`` the unit indices from 0: ``(i,)`` or,
    for "dW", ``(j, i)``. ``rule`` is the LaTeX of the general rule, ``latex`` the rule with the
    numbers substituted and the result, ``html`` the same as HTML. ``value`` comes from the chain
    rule by loops, ``numeric`` from central differences. ``nodes``/``edges`` are what the step uses,
    ``focus_*`` the quantity itself, keyed as in ``backprop_course.drawing``. ``slips`` pairs a
    typical mistake (words that follow "if you") with the value it gives.
    """

    label: str
    kind: str
    layer: int
    index: tuple
    symbol: str
    rule: str
    latex: str
    html: str
    note: str
    value: float
    numeric: float
    rel_error: float
    nodes: frozenset = frozenset()
    edges: frozenset = frozenset()
    focus_nodes: frozenset = frozenset()
    focus_edges: frozenset = frozenset()
    slips: tuple = ()

    @property
    def passed(self):
        return self.rel_error < TOLERANCE

    @property
    def question(self):
        """This step as a "your turn" ``Question``."""
        return Question(self.label, self.symbol, self.value, self.slips, self.rule, self.latex)


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

    k = 0 feeds an input x through the whole network, k = K takes ``a_k`` as ŷ. Pure: it uses
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


# -- names ----------------------------------------------------------------------------------

_FPRIME = {  # f'(z) written with the unit's output a, and evaluated
    "sigmoid": (lambda a: rf"{a}\,(1 - {a})", lambda v: rf"{num(v)}\,(1 - {num(v)})"),
    "tanh": (lambda a: rf"(1 - ({a})^2)", lambda v: rf"(1 - {num(v)}^2)"),
    "identity": (lambda a: "1", lambda v: "1"),
}
_FPRIME_HTML = {  # the same in HTML
    "sigmoid": (lambda a: f"{a} (1 − {a})", lambda v: f"{num_html(v)} (1 − {num_html(v)})"),
    "tanh": (lambda a: f"(1 − ({a})<sup>2</sup>)", lambda v: f"(1 − {num_html(v)}<sup>2</sup>)"),
    "identity": (lambda a: "1", lambda v: "1"),
}
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


def _d(symbol):
    return rf"\frac{{\partial L}}{{\partial {symbol}}}"


def _z(k, i):
    return f"z^{{({k})}}_{{{i + 1}}}"


def _frac_html(top, bottom):
    """A fraction in HTML, stacked as in the LaTeX: ``top`` over a rule over ``bottom``."""
    return (
        "<span style='display:inline-block; vertical-align:middle; text-align:center'>"
        f"<span style='display:block; border-bottom:1px solid; padding:0 2px'>{top}</span>"
        f"<span style='display:block; padding:0 2px'>{bottom}</span></span>"
    )


def _d_html(symbol):
    """∂L/∂``symbol`` as a stacked HTML fraction (``_d`` in HTML)."""
    return _frac_html("∂<i>L</i>", f"∂{symbol}")


def _z_html(k, i):
    return symbol_html("z", k, i + 1)


def _label(kind, k, index, n_layers):
    """Plain-text name of a step's quantity: ∂L/∂ŷ₁, ∂L/∂z⁽³⁾₂, ∂L/∂w⁽³⁾₂₁, ∂L/∂a⁽²⁾₁, ..."""
    sup = f"({k})".translate(_SUP)
    sub = "".join(str(i + 1) for i in index).translate(_SUB)
    names = {"dyhat": "ŷ", "dz": f"z{sup}", "dW": f"w{sup}", "db": f"b{sup}", "da": f"a{sup}"}
    return f"∂L/∂{names[kind]}{sub}"


def grad_label(kind, value):
    """The red label above a unit: ``∂L/∂z = 0.0123`` (what the equations call it)."""
    name = {"dyhat": "∂L/∂ŷ", "da": "∂L/∂a", "dz": "∂L/∂z"}[kind]
    return f"{name} = {value:.4f}"


# -- the list of steps --------------------------------------------------------------------


def backward_steps(net, x, y):
    """The backward pass of one sample as a list of ``Step``, in the order it is computed:

    ∂L/∂ŷᵢ for every output; then for k = K … 1: ∂L/∂z⁽ᵏ⁾ᵢ, ∂L/∂w⁽ᵏ⁾ⱼᵢ, ∂L/∂b⁽ᵏ⁾ᵢ and, if
    k > 1, ∂L/∂a⁽ᵏ⁻¹⁾ⱼ. For the 3-4-2-2 network that is 48 steps. x ``(n_0,)``, y ``(n_K,)``.
    """
    _check_net(net)
    x, y = check_sample(net, x, y)
    net = copy.deepcopy(net)  # the checks move parameters; never touch the caller's network
    g = backward_by_loops(net, x, y)
    K = len(net.layers)
    steps = []

    def add(kind, k, index, symbol, rule, substituted, note, value, numeric, slips, html, **marks):
        rule_html, substituted_html = html
        steps.append(
            Step(
                label=_label(kind, k, index, K),
                kind=kind,
                layer=k,
                index=tuple(index),
                symbol=symbol,
                rule=rule,
                latex=rf"{rule} = {substituted} = {value:.4f}",
                html=f"{rule_html} = {substituted_html} = {num_html(value, 4, False)}",
                note=note,
                value=float(value),
                numeric=float(numeric),
                rel_error=rel_error(value, numeric),
                slips=tuple((text, float(v)) for text, v in slips),
                **{key: frozenset(v) for key, v in marks.items()},
            )
        )

    yhat = np.array(g["a"][K])
    for i in range(len(y)):
        s, r = unit_tex(K, i, K), y[i] - yhat[i]
        s_html = unit_html(K, i, K)
        numeric = central_difference(lambda: sample_loss(y, yhat), yhat, i)
        add(
            "dyhat",
            K,
            (i,),
            _d(s),
            rf"{_d(s)} = -2\,(y_{{{i + 1}}} - {s})",
            rf"-2\,({y[i]:.4f} - {yhat[i]:.4f})",
            f"Start at the loss: only the term (y{str(i + 1).translate(_SUB)} − "
            f"ŷ{str(i + 1).translate(_SUB)})² depends on this output. Mind the minus sign, which "
            "the original dropped (erratum 3).",
            g["da"][K][i],
            numeric,
            [
                (
                    "drop the minus sign of the inner derivative ∂(y − ŷ)/∂ŷ = −1 (the original's erratum 3)",
                    2 * r,
                ),
                ("forget the factor 2 that comes down from the square", -r),
                ("write the loss term (y − ŷ)² instead of its derivative", r**2),
            ],
            html=(
                f"{_d_html(s_html)} = −2 ({symbol_html('y', index=i + 1)} − {s_html})",
                f"−2 ({num_html(y[i])} − {num_html(yhat[i])})",
            ),
            focus_nodes=[(K, i)],
        )

    for k in range(K, 0, -1):
        layer = net.layers[k - 1]
        n_in, n_out = layer.W.shape
        act = layer.activation.name
        zk, a_k, a_in = np.array(g["z"][k]), g["a"][k], g["a"][k - 1]
        da, dz = g["da"][k], g["dz"][k]
        for i in range(n_out):
            s_out, s_out_html, z_html = unit_tex(k, i, K), unit_html(k, i, K), _z_html(k, i)
            fp_sym, fp_num = _FPRIME.get(act, (None, None))
            rule = rf"{_d(_z(k, i))} = {_d(s_out)}\, f_{{{k}}}'({_z(k, i)})"
            rule_html = f"{_d_html(z_html)} = {_d_html(s_out_html)} <i>f</i><sub>{k}</sub>′({z_html})"
            if fp_sym is not None:
                fp_sym_html, fp_num_html = _FPRIME_HTML[act]
                rule += rf" = {_d(s_out)}\, {fp_sym(s_out)}"
                rule_html += f" = {_d_html(s_out_html)} {fp_sym_html(s_out_html)}"
                substituted = rf"{num(da[i])} \cdot {fp_num(a_k[i])}"
                substituted_html = f"{num_html(da[i])} · {fp_num_html(a_k[i])}"
            else:
                fprime = dz[i] / da[i] if da[i] else 0.0
                substituted = rf"{num(da[i])} \cdot {num(fprime)}"
                substituted_html = f"{num_html(da[i])} · {num_html(fprime)}"
            numeric = central_difference(lambda: loss_from_preactivation(net, k, zk, y), zk, i)
            add(
                "dz",
                k,
                (i,),
                _d(_z(k, i)),
                rule,
                substituted,
                f"Through the activation of unit {i + 1} of layer {k}: multiply by the slope "
                f"f{str(k).translate(_SUB)}′ at its pre-activation z.",
                dz[i],
                numeric,
                _dz_slips(act, da[i], dz[i], zk[i], a_k[i]),
                html=(rule_html, substituted_html),
                nodes=[(k, i)],
                focus_nodes=[(k, i)],
            )
        for i in range(n_out):
            for j in range(n_in):
                w, s_in = weight_tex(k, j, i), unit_tex(k - 1, j, K)
                w_html, z_html = symbol_html("w", k, f"{j + 1}{i + 1}"), _z_html(k, i)
                slips = [
                    (
                        f"use the unit's own output {_plain(k, i, K)} instead of the input "
                        f"{_plain(k - 1, j, K)} that the weight multiplies (the original's erratum 2)",
                        dz[i] * a_k[i],
                    ),
                    ("forget f′: use ∂L/∂a where ∂L/∂z belongs", da[i] * a_in[j]),
                    (
                        "multiply by the weight instead of the input it multiplies: ∂z/∂w is the input",
                        dz[i] * layer.W[j, i],
                    ),
                    ("flip the sign", -dz[i] * a_in[j]),
                ]
                if i < n_in and i != j:
                    slips.insert(
                        1,
                        (
                            f"mix up the indices: {_w(k, j, i)} goes from unit {j + 1} below to unit "
                            f"{i + 1}, so it multiplies {_plain(k - 1, j, K)}, not {_plain(k - 1, i, K)}",
                            dz[i] * a_in[i],
                        ),
                    )
                numeric = central_difference(lambda: loss_from_layer(net, 0, x, y), layer.W, (j, i))
                add(
                    "dW",
                    k,
                    (j, i),
                    _d(w),
                    rf"{_d(w)} = {_d(_z(k, i))}\, \frac{{\partial {_z(k, i)}}}{{\partial {w}}}"
                    rf" = {_d(_z(k, i))}\, {s_in}",
                    rf"{num(dz[i])} \cdot {num(a_in[j])}",
                    f"This weight reaches the loss only through unit {i + 1} of layer {k}: "
                    f"that unit's ∂L/∂z times the input the weight multiplies.",
                    g["dW"][k][j][i],
                    numeric,
                    slips,
                    html=(
                        f"{_d_html(w_html)} = {_d_html(z_html)} {_frac_html(f'∂{z_html}', f'∂{w_html}')}"
                        f" = {_d_html(z_html)} {unit_html(k - 1, j, K)}",
                        f"{num_html(dz[i])} · {num_html(a_in[j])}",
                    ),
                    nodes=[(k - 1, j), (k, i)],
                    focus_edges=[(k, j, i)],
                )
        for i in range(n_out):
            b = f"b^{{({k})}}_{{{i + 1}}}"
            slips = [
                (
                    f"multiply by an input, as for a weight: b enters {_plain_z(k, i)} with coefficient 1",
                    dz[i] * v,
                )
                for v in a_in
            ]
            slips += [("forget f′: use ∂L/∂a where ∂L/∂z belongs", da[i]), ("flip the sign", -dz[i])]
            numeric = central_difference(lambda: loss_from_layer(net, 0, x, y), layer.b, (0, i))
            add(
                "db",
                k,
                (i,),
                _d(b),
                rf"{_d(b)} = {_d(_z(k, i))} \cdot 1",
                num(dz[i]),
                "A bias enters its unit's z with coefficient 1, so its gradient is that unit's ∂L/∂z.",
                g["db"][k][i],
                numeric,
                slips,
                html=(
                    f"{_d_html(symbol_html('b', k, i + 1))} = {_d_html(_z_html(k, i))} · 1",
                    num_html(dz[i]),
                ),
                nodes=[(k, i)],
                focus_nodes=[(k, i)],
            )
        if k == 1:
            continue
        h = np.array(a_in)
        for j in range(n_in):
            s_in = unit_tex(k - 1, j, K)
            terms = [dz[i] * layer.W[j, i] for i in range(n_out)]
            total = g["da"][k - 1][j]
            slips = [
                (
                    f"drop the path through unit {i + 1} of layer {k}: {_plain(k - 1, j, K)} feeds every "
                    f"unit of layer {k}, and the total derivative adds one term per path",
                    total - terms[i],
                )
                for i in range(n_out)
            ]
            if n_out <= n_in and j < n_out:  # W[i, j] exists
                slips.append(
                    (
                        f"mix up the weight indices: the path from {_plain(k - 1, j, K)} to unit i of "
                        f"layer {k} goes along w{_sup(k)}{_sub(j)}ᵢ (from, to), not w{_sup(k)}ᵢ{_sub(j)}",
                        sum(dz[i] * layer.W[i, j] for i in range(n_out)),
                    )
                )
            slips += [
                (
                    f"forget f′ on each path: use ∂L/∂{'ŷ' if k == K else 'a' + _sup(k)}ᵢ where "
                    f"∂L/∂z{_sup(k)}ᵢ belongs",
                    sum(da[i] * layer.W[j, i] for i in range(n_out)),
                ),
                ("flip the sign", -total),
            ]
            numeric = central_difference(lambda: loss_from_layer(net, k - 1, h, y), h, j)
            add(
                "da",
                k - 1,
                (j,),
                _d(s_in),
                rf"{_d(s_in)} = \sum_{{i=1}}^{{{n_out}}} {_d(f'z^{{({k})}}_i')}\, w^{{({k})}}_{{{j + 1}i}}",
                " + ".join(rf"{num(dz[i])} \cdot {num(layer.W[j, i])}" for i in range(n_out)),
                f"This unit feeds all {n_out} units of layer {k}: a total derivative, one "
                "term per path, summed over i (a new letter for the sum, not j: erratum 7).",
                total,
                numeric,
                slips,
                html=(
                    f"{_d_html(unit_html(k - 1, j, K))} = Σ<sub>i=1</sub><sup>{n_out}</sup> "
                    f"{_d_html(symbol_html('z', k, 'i'))} {symbol_html('w', k, f'{j + 1}i')}",
                    " + ".join(f"{num_html(dz[i])} · {num_html(layer.W[j, i])}" for i in range(n_out)),
                ),
                nodes=[(k, i) for i in range(n_out)],
                edges=[(k, j, i) for i in range(n_out)],
                focus_nodes=[(k - 1, j)],
            )
    return steps


def _sup(k):
    return f"({k})".translate(_SUP)


def _sub(i):
    """Subscript of a unit counted from 0 in numpy: ₁ for 0."""
    return str(i + 1).translate(_SUB)


def _plain(k, i, n_layers):
    """Plain-text name of a unit's output: x₁, a⁽²⁾₁, ŷ₂."""
    if k == 0:
        return f"x{_sub(i)}"
    if k == n_layers:
        return f"ŷ{_sub(i)}"
    return f"a{_sup(k)}{_sub(i)}"


def _plain_z(k, i):
    return f"z{_sup(k)}{_sub(i)}"


def _w(k, j, i):
    return f"w{_sup(k)}{_sub(j)}{_sub(i)}"


def _dz_slips(activation, da, dz, z, a):
    """Typical slips for ∂L/∂z = ∂L/∂a · f′(z) of one unit."""
    slips = [("forget f′: ∂L/∂z is ∂L/∂a times the slope f′(z)", da)]
    if activation == "sigmoid":
        slips += [
            ("write σ′ as 2σ(1 − σ) (the original's erratum 1)", 2 * da * a * (1 - a)),
            (
                "apply the formula to z instead of a: σ′(z) = a(1 − a) with a = σ(z), not z(1 − z)",
                da * z * (1 - z),
            ),
            ("use tanh′ = 1 − a² for a sigmoid unit: σ′ = a(1 − a)", da * (1 - a * a)),
        ]
    elif activation == "tanh":
        slips += [
            ("write tanh′ as 1 − z²: it is 1 − tanh²(z) = 1 − a²", da * (1 - z * z)),
            ("use the sigmoid's a(1 − a) for a tanh unit: tanh′ = 1 − a²", da * a * (1 - a)),
        ]
    return slips + [("flip the sign", -dz)]


def steps_table(steps):
    """The steps as a fixed-width text table (rounded, so it prints the same everywhere)."""
    lines = [f"{'#':>3}  {'quantity':<12} {'by loops':>11} {'central diff.':>14}  relative error"]
    for n, s in enumerate(steps, start=1):
        lines.append(
            f"{n:>3}  {s.label:<12} {s.value:>11.6f} {s.numeric:>14.6f}  {format_rel_error(s.rel_error)}"
        )
    return "\n".join(lines)


def found_labels(steps, n):
    """``{(layer, unit): label}``: at each unit, the last ∂L/∂a or ∂L/∂z among the first n steps."""
    found = {}
    for s in steps[:n]:
        if s.kind in ("dyhat", "da", "dz"):
            found[(s.layer, s.index[0])] = grad_label(s.kind, s.value)
    return found


def known_html(steps, n, net, x, y):
    """What a learner knows before step n (from 1) of ``steps`` for ``net`` and the sample
    (x, y): forward values, the gradients found so far, the weights of the step's layer and
    the targets, as HTML tables."""
    step = steps[n - 1]
    z_values, values = forward_by_loops(net, x)
    K = len(net.layers)
    grads = {}
    for s in steps[: n - 1]:
        if s.kind in ("dyhat", "da", "dz"):
            grads.setdefault((s.layer, s.index[0]), {})[s.kind] = s.value
    cell = 'style="padding:1px 8px;text-align:right;font-family:monospace"'

    def number(v):
        return "" if v is None else f"{v:.6f}"

    rows = [
        f"<tr><th {cell}>unit</th><th {cell}>z</th><th {cell}>a = f(z)</th>"
        f"<th {cell}>∂L/∂a</th><th {cell}>∂L/∂z</th></tr>"
    ]
    for k in range(1, K + 1):
        for i, a in enumerate(values[k]):
            d = grads.get((k, i), {})
            rows.append(
                f"<tr><td {cell}>{_plain(k, i, K)}</td><td {cell}>{z_values[k][i]:.6f}</td>"
                f"<td {cell}>{a:.6f}</td><td {cell}>{number(d.get('dyhat', d.get('da')))}</td>"
                f"<td {cell}>{number(d.get('dz'))}</td></tr>"
            )
    inputs = ", ".join(f"{_plain(0, j, K)} = {v:.4f}" for j, v in enumerate(values[0]))
    targets = ", ".join(f"y{_sub(i)} = {v:.4f}" for i, v in enumerate(y))
    k = step.layer if step.kind != "da" else step.layer + 1
    W = net.layers[k - 1].W
    w_rows = "".join(
        f"<tr><td {cell}>j = {j + 1}</td>" + "".join(f"<td {cell}>{w:.4f}</td>" for w in W[j]) + "</tr>"
        for j in range(W.shape[0])
    )
    w_head = "".join(f"<th {cell}>i = {i + 1}</th>" for i in range(W.shape[1]))
    table = (
        '<table style="border-collapse:collapse;display:inline-block;vertical-align:top;margin-right:16px">'
    )
    return (
        f"<b>What you know</b>: inputs {inputs}; targets {targets}; L = Σᵢ (yᵢ − ŷᵢ)²; "
        + ", ".join(f"f{_sub(k)} = {layer.activation.name}" for k, layer in enumerate(net.layers))
        + ".<br>"
        f"{table}{''.join(rows)}</table>"
        f"{table}<tr><th {cell}>w{_sup(k)}ⱼᵢ</th>{w_head}</tr>{w_rows}</table>"
    )


# -- the explorer -------------------------------------------------------------------------

WATCH, YOUR_TURN = "watch", "your turn"


def backprop_stepper(net=None, x=None, y=None):
    """A widget walking the backward pass one quantity at a time (see ``BackpropStepper``).

    Default: the running example ``example_network()``. The steps are computed once by
    ``backward_steps``; moving the slider only renders one of them.
    """
    return BackpropStepper(*example_or_sample(net, x, y, "backprop_stepper"))


class BackpropStepper(widgets.VBox):
    """Controls: ``step_slider`` (1 … len(steps), the step shown, as the panel counts them),
    ``play`` (linked in the browser), ``mode`` (ToggleButtons: "watch" or "your turn") and
    ``next_button``. Outputs: ``equation`` (HTML: the step's equation with numbers, no MathJax),
    ``check`` (HTML: the central-difference check), ``image`` (PNG of ``drawing``); in "your
    turn" mode ``answer`` (an ``AnswerBox``: type the value, the feedback names the slip) and
    ``known`` (HTML: the values you know at that point). ``steps`` is the list it shows."""

    def __init__(self, net, x, y):
        self.steps = backward_steps(net, x, y)
        self.net, self.x, self.y = copy.deepcopy(net), x, y
        self.loss_value = loss_from_layer(net, 0, x, y)
        _, self.values = forward_by_loops(net, x)
        self.weights = [layer.W.copy() for layer in net.layers]
        n_layers = len(net.layers)
        self.drawing = NetworkDrawing(
            net.layer_sizes,
            [layer.activation.name for layer in net.layers],
            static_values=True,
            keep_texts=True,
        )
        self.drawing.set_values(self.values)
        self.drawing.set_side_labels(
            {(n_layers, i): f"$y_{{{i + 1}}}$ = {v:.2f}".replace("-", "−") for i, v in enumerate(y)}
        )
        n = len(self.steps)
        self.step_slider = widgets.IntSlider(
            value=1,
            min=1,
            max=n,
            description="step",
            continuous_update=True,
            layout=widgets.Layout(width="520px"),
        )
        self.play = widgets.Play(value=1, min=1, max=n, interval=1800, description="play")
        widgets.jslink((self.play, "value"), (self.step_slider, "value"))
        self.mode = widgets.ToggleButtons(options=[WATCH, YOUR_TURN], value=WATCH, description="mode")
        self.next_button = widgets.Button(description="next step ▸")
        self.equation = widgets.HTML()
        self.check = widgets.HTML()
        self.known = widgets.HTML()
        self.answer = AnswerBox()
        self.answer.on_right(lambda question: self.update())
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="756px"))
        self.step_slider.observe(lambda change: self.update(), names="value")
        self.mode.observe(lambda change: self.update(), names="value")
        self.next_button.on_click(lambda _: self.next())
        self.turn_box = widgets.VBox([self.answer.box, self.known])
        super().__init__(
            [
                widgets.HBox([self.play, self.step_slider, self.next_button]),
                self.mode,
                self.turn_box,
                self.equation,
                self.check,
                self.image,
            ]
        )
        self.update()

    @property
    def step(self):
        return self.steps[self.step_slider.value - 1]

    @property
    def solved(self):
        """In "your turn" mode: whether the learner has typed the right value for this step."""
        return (
            self.answer.verdict is not None
            and self.answer.verdict.right
            and self.answer.question == self.step.question
        )

    def next(self):
        if self.step_slider.value < self.step_slider.max:
            self.step_slider.value += 1

    def update(self):
        """Show the step the slider points at, in the current mode."""
        n, step = self.step_slider.value, self.step
        turn = self.mode.value == YOUR_TURN
        if turn and self.answer.question != step.question:
            self.answer.ask(step.question)
        hidden = turn and not self.solved
        self.turn_box.layout.display = None if turn else "none"
        d = self.drawing
        if hidden:  # ask, do not tell: mark only the quantity asked for
            d.highlight(focus_edges=step.focus_edges, focus_nodes=step.focus_nodes)
        else:
            d.highlight(step.edges, step.nodes, step.focus_edges, step.focus_nodes)
        d.set_grads(found_labels(self.steps, n - 1 if hidden else n))
        labels = {}
        if step.kind == "da" and not hidden:  # the weights of the paths being summed
            for k, j, i in step.edges:
                labels[(k, j, i)] = f"${weight_tex(k, j, i)}$ = {self.weights[k - 1][j, i]:.2f}"
        elif step.kind == "dW" and not hidden:  # the gradient just found, on its own edge
            for k, j, i in step.focus_edges:
                labels[(k, j, i)] = f"∂L/∂w = {step.value:.4f}"
        d.set_edge_labels({e: t.replace("= -", "= −") for e, t in labels.items()})
        d.set_title(f"step {n} of {len(self.steps)}: {step.label}" + (" = ?" if hidden else ""))
        d.set_caption(f"L = {self.loss_value:.4f}".replace("-", "−"))
        d.set_legend("purple: this step's quantity · amber: what it uses · red: ∂L/∂a or ∂L/∂z found so far")
        self.image.value = d.to_png()
        if turn:
            self.known.value = known_html(self.steps, n, self.net, self.x, self.y)
        if hidden:
            self.equation.value = f"<b>Step {n} of {len(self.steps)}: {html.escape(step.label)} = ?</b>"
            self.check.value = ""
            return
        self.equation.value = (
            f"<b>Step {n} of {len(self.steps)}: {html.escape(step.label)}</b><br>"
            f"{html.escape(step.note)}<div style='font-family:serif; font-size:1.15em; margin:6px 0'>"
            f"{step.html}</div>"
        )
        mark = "✓" if step.passed else "✗"
        color = "#1a7f37" if step.passed else "#b2182b"
        self.check.value = (
            f"<span style='color:{color}'>chain rule (loops) <b>{step.value:.6f}</b> · central "
            f"difference <b>{step.numeric:.6f}</b> · relative error {step.rel_error:.1e} "
            f"{mark}</span>"
        )

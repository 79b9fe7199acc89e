"""Exercise checks for notebook 01 (total derivatives).

1. ``check_total_derivative(dg_dx)``: the total derivative of
   g(p, q, r) = p·q − r²  with  p = cos x,  q = x²,  r = e^(−x).
2. ``check_neuron_differential(neuron_differential)``: the total differential of one
   neuron a = tanh(z), z = w·x + b, for small changes dw, dx, db.

Both evaluate the learner's function one number at a time on random inputs, so code
written with ``math`` or with ``numpy`` works, and name the typical mistakes. Neither writes
the answer down: the reference values come from the library's central differences of g (and
of p, q, r, for each path's term) and from its autodiff engine for the neuron. Twins: the
library's numerical derivatives and its autodiff engine, which would differentiate instead
of the learner.
"""

import numpy as np

from backprop_lib.autodiff import Value
from backprop_lib.gradcheck import numerical_gradient

from .answers import call_answer, diagnose
from .feedback import AUTODIFF_TWINS, NUMERICAL_TWINS, ExerciseFailed, exercise

CHAIN_RULE = "derive it by the chain rule: a numerical or automatic derivative is not the answer"
ATOL = 1e-7  # the references are central differences, exact to about 1e-9


def _evaluate(fun, *columns):
    """``fun`` applied to each row of the given 1-D arrays, as a float array."""
    out = []
    for args in zip(*columns):
        value = call_answer(fun, *(float(a) for a in args))
        try:
            out.append(float(np.asarray(value, dtype=float).reshape(())))
        except (TypeError, ValueError):
            raise ExerciseFailed(f"should return one number for number inputs, got {value!r}") from None
    return np.array(out)


def _slope(fun, at):
    """d fun/d at, entry by entry, for a ``fun`` acting on each entry alone: central differences."""
    at = np.array(at, dtype=float)
    return numerical_gradient(lambda: float(np.sum(fun(at))), at)


def _g(p, q, r):
    return p * q - r**2


_INNER = {"p": np.cos, "q": np.square, "r": lambda x: np.exp(-x)}  # p(x), q(x), r(x)


@exercise("total derivative dg/dx", twins=NUMERICAL_TWINS, shortcut=CHAIN_RULE)
def check_total_derivative(dg_dx, seed=0):
    """``dg_dx(x)`` -> dg/dx at a number x, for g = p·q − r², p = cos x, q = x², r = e^(−x)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, size=8)
    inner = {name: f(x) for name, f in _INNER.items()}
    partial, term = {}, {}
    for name, f in _INNER.items():  # ∂g/∂name with the other two held, times d name/dx
        partial[name] = _slope(lambda v, name=name: _g(**{**inner, name: v}), inner[name])
        term[name] = partial[name] * _slope(f, x)
    expected = _slope(lambda v: _g(*(f(v) for f in _INNER.values())), x)  # g(x) as a whole
    p, q, r = (term[name] for name in "pqr")
    mistakes = {
        "misses the term ∂g/∂p·dp/dx: g depends on x through p = cos x too.": q + r,
        "misses the term ∂g/∂q·dq/dx: g depends on x through q = x² too.": p + r,
        "misses the term ∂g/∂r·dr/dx: g depends on x through r = e^(−x) too.": p + q,
        "adds the partial derivatives ∂g/∂p + ∂g/∂q + ∂g/∂r but multiplies none of them by "
        "its inner derivative (dp/dx, dq/dx, dr/dx).": sum(partial.values()),
        "drops the inner derivative dp/dx: the p-term is ∂g/∂p·dp/dx = x²·(−sin x), "
        "not ∂g/∂p = x² alone.": partial["p"] + q + r,
        "drops the inner derivative dq/dx: the q-term is ∂g/∂q·dq/dx = cos x·2x, not ∂g/∂q = cos x alone.": p
        + partial["q"]
        + r,
        "drops the inner derivative dr/dx: the r-term is ∂g/∂r·dr/dx = (−2r)·(−e^(−x)), "
        "not ∂g/∂r = −2r alone.": p + q + partial["r"],
        "has the wrong sign in the p-term: d(cos x)/dx = −sin x.": -p + q + r,
        "has the wrong sign in the r-term: ∂g/∂r = −2r and dr/dx = −e^(−x) are both "
        "negative, so their product is positive.": p + q - r,
        "has the r-term half as large as it should be: ∂(r²)/∂r = 2r.": p + q + r / 2,
    }
    diagnose(_evaluate(dg_dx, x), expected, mistakes, "dg/dx", {"x": x}, atol=ATOL)


def _gradients(output, *leaves):
    """∂output/∂leaf for each leaf Value, entry by entry (the entries are independent)."""
    output.sum().backward()
    return [leaf.grad for leaf in leaves]


@exercise("total differential of a neuron", twins=NUMERICAL_TWINS + AUTODIFF_TWINS, shortcut=CHAIN_RULE)
def check_neuron_differential(neuron_differential, seed=0):
    """``neuron_differential(w, x, b, dw, dx, db)`` -> da for a = tanh(w·x + b)."""
    rng = np.random.default_rng(seed)
    size = 8
    w, x, b = rng.normal(size=(3, size))
    dw, dx, db = rng.normal(scale=0.1, size=(3, size))
    leaves = [Value(v) for v in (w, x, b)]
    a_w, a_x, a_b = _gradients((leaves[0] * leaves[1] + leaves[2]).tanh(), *leaves)  # ∂a/∂w, ∂a/∂x, ∂a/∂b
    leaves = [Value(v) for v in (w, x, b)]
    z_w, z_x, z_b = _gradients(leaves[0] * leaves[1] + leaves[2], *leaves)  # ∂z/∂w, ∂z/∂x, ∂z/∂b
    z = w * x + b
    z_leaf = Value(z)
    (fprime,) = _gradients(z_leaf.tanh(), z_leaf)  # tanh'(z)
    expected = a_w * dw + a_x * dx + a_b * db
    dz = z_w * dw + z_x * dx + z_b * db
    mistakes = {
        "misses the term x·dw: a change of the weight w moves z by ∂z/∂w·dw = x·dw.": expected - a_w * dw,
        "misses the term w·dx: a change of the input x moves z by ∂z/∂x·dx = w·dx.": expected - a_x * dx,
        "misses the term db: a change of the bias moves z by ∂z/∂b·db = db.": expected - a_b * db,
        "is dz, not da: multiply the change of z by tanh'(z) = 1 − tanh²(z).": dz,
        "swaps ∂z/∂w and ∂z/∂x: ∂z/∂w = x and ∂z/∂x = w (you used w·dw + x·dx).": fprime
        * (z_x * dw + z_w * dx + z_b * db),
        "uses 1 − z² for tanh'(z): the derivative is 1 − tanh²(z).": (1 - z**2) * dz,
        "has the wrong sign: tanh'(z) = 1 − tanh²(z) is positive.": -expected,
    }
    got = _evaluate(neuron_differential, w, x, b, dw, dx, db)
    diagnose(got, expected, mistakes, "da", {"w": w, "x": x, "b": b, "dw": dw, "dx": dx, "db": db})

"""Exercise checks for notebook 01 (total derivatives).

1. ``check_total_derivative(dg_dx)``: the total derivative of
   g(p, q, r) = p·q − r²  with  p = cos x,  q = x²,  r = e^(−x).
2. ``check_neuron_differential(neuron_differential)``: the total differential of one
   neuron a = tanh(z), z = w·x + b, for small changes dw, dx, db.

Both evaluate the learner's function one number at a time on random inputs, so code
written with ``math`` or with ``numpy`` works, and name the typical mistakes.
"""

import numpy as np

from .answers import call_answer, judge
from .feedback import ExerciseFailed, exercise


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


@exercise("total derivative dg/dx")
def check_total_derivative(dg_dx, seed=0):
    """``dg_dx(x)`` -> dg/dx at a number x, for g = p·q − r², p = cos x, q = x², r = e^(−x)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, size=8)
    p, q, r = np.cos(x), x**2, np.exp(-x)
    dg_dp, dg_dq, dg_dr = q, p, -2 * r  # partial derivatives of g
    dp_dx, dq_dx, dr_dx = -np.sin(x), 2 * x, -np.exp(-x)  # inner derivatives
    term_p, term_q, term_r = dg_dp * dp_dx, dg_dq * dq_dx, dg_dr * dr_dx
    expected = term_p + term_q + term_r
    mistakes = {
        "misses the term ∂g/∂p·dp/dx: g depends on x through p = cos x too.": term_q + term_r,
        "misses the term ∂g/∂q·dq/dx: g depends on x through q = x² too.": term_p + term_r,
        "misses the term ∂g/∂r·dr/dx: g depends on x through r = e^(−x) too.": term_p + term_q,
        "adds the partial derivatives ∂g/∂p + ∂g/∂q + ∂g/∂r but multiplies none of them by "
        "its inner derivative (dp/dx, dq/dx, dr/dx).": dg_dp + dg_dq + dg_dr,
        "drops the inner derivative dp/dx: the p-term is ∂g/∂p·dp/dx = x²·(−sin x), "
        "not ∂g/∂p = x² alone.": dg_dp + term_q + term_r,
        "drops the inner derivative dq/dx: the q-term is ∂g/∂q·dq/dx = cos x·2x, "
        "not ∂g/∂q = cos x alone.": term_p + dg_dq + term_r,
        "drops the inner derivative dr/dx: the r-term is ∂g/∂r·dr/dx = (−2r)·(−e^(−x)), "
        "not ∂g/∂r = −2r alone.": term_p + term_q + dg_dr,
        "has the wrong sign in the p-term: d(cos x)/dx = −sin x.": -term_p + term_q + term_r,
        "has the wrong sign in the r-term: ∂g/∂r = −2r and dr/dx = −e^(−x) are both "
        "negative, so their product is positive.": term_p + term_q - term_r,
        "has the r-term half as large as it should be: ∂(r²)/∂r = 2r.": term_p + term_q + term_r / 2,
    }
    judge(_evaluate(dg_dx, x), expected, mistakes, "dg/dx", {"x": x})


@exercise("total differential of a neuron")
def check_neuron_differential(neuron_differential, seed=0):
    """``neuron_differential(w, x, b, dw, dx, db)`` -> da for a = tanh(w·x + b)."""
    rng = np.random.default_rng(seed)
    size = 8
    w, x, b = rng.normal(size=(3, size))
    dw, dx, db = rng.normal(scale=0.1, size=(3, size))
    z = w * x + b
    fprime = 1 - np.tanh(z) ** 2
    x_dw, w_dx = x * dw, w * dx
    expected = fprime * (x_dw + w_dx + db)
    mistakes = {
        "misses the term x·dw: a change of the weight w moves z by ∂z/∂w·dw = x·dw.": fprime * (w_dx + db),
        "misses the term w·dx: a change of the input x moves z by ∂z/∂x·dx = w·dx.": fprime * (x_dw + db),
        "misses the term db: a change of the bias moves z by ∂z/∂b·db = db.": fprime * (x_dw + w_dx),
        "is dz, not da: multiply the change of z by tanh'(z) = 1 − tanh²(z).": x_dw + w_dx + db,
        "swaps ∂z/∂w and ∂z/∂x: ∂z/∂w = x and ∂z/∂x = w (you used w·dw + x·dx).": fprime
        * (w * dw + x * dx + db),
        "uses 1 − z² for tanh'(z): the derivative is 1 − tanh²(z).": (1 - z**2) * (x_dw + w_dx + db),
        "has the wrong sign: tanh'(z) = 1 − tanh²(z) is positive.": -expected,
    }
    got = _evaluate(neuron_differential, w, x, b, dw, dx, db)
    judge(got, expected, mistakes, "da", {"w": w, "x": x, "b": b, "dw": dw, "dx": dx, "db": db})

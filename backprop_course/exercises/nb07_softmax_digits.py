"""Exercise checks for notebook 07 (softmax and categorical cross-entropy).

* ``check_softmax_jacobian(f)``: ``f(z)`` with z ``(K,)`` returns J ``(K, K)``,
  J[i, k] = ∂ŷ_i/∂z_k = ŷ_i (δ_ik − ŷ_k).
* ``check_softmax_ce_gradient(f)``: ``f(Z, Y)`` with logits Z and one-hot Y ``(n, K)`` returns
  ∂L/∂Z ``(n, K)`` of L = −(1/n) Σ_samples Σ_i y_i log softmax(z)_i, that is (ŷ − y)/n.

Both run on random inputs of several sizes, then on huge logits, where an unshifted
``exp(z)`` overflows.
"""

import warnings

import numpy as np

from backprop_lib.activations import Softmax

from .feedback import ExerciseFailed, diagnose, exercise

_softmax = Softmax()


def _call_quietly(f, *args):
    """The learner's f(*args) with numpy's overflow warnings silenced (the check reports them)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return f(*args)


def _finite_for_huge_logits(out, what):
    out = np.asarray(out, dtype=float)
    if not np.isfinite(out).all():
        raise ExerciseFailed(
            f"{what} contains NaN or inf for large logits such as z = 1000: e^1000 overflows. "
            "Subtract max(z) before exponentiating — softmax(z − c) = softmax(z) for any constant c"
        )


@exercise("softmax Jacobian")
def check_softmax_jacobian(softmax_jacobian, seed=0):
    rng = np.random.default_rng(seed)
    for K in (3, 5, 10, 2):
        z = rng.normal(0.0, 2.0, K)
        s = _softmax.forward(z.reshape(1, -1))[0]
        expected = np.diag(s) - np.outer(s, s)
        got = _call_quietly(softmax_jacobian, z.copy())
        diagnose(
            got,
            expected,
            {
                "is diag(ŷ) only: the off-diagonal terms −ŷ_i ŷ_k are missing — every output "
                "depends on every logit through the normalising sum": np.diag(s),
                "is diag(ŷ(1 − ŷ)) only: that treats softmax as elementwise like σ; the "
                "off-diagonal terms −ŷ_i ŷ_k are missing": np.diag(s * (1 - s)),
                "is −ŷŷᵀ only: the δ_ik ŷ_i term (diag(ŷ)) is missing": -np.outer(s, s),
                "has the wrong sign: J = diag(ŷ) − ŷŷᵀ, not ŷŷᵀ − diag(ŷ)": np.outer(s, s) - np.diag(s),
            },
            what=f"J for K = {K}",
        )
    z = rng.normal(0.0, 1.0, 4)
    z[rng.integers(0, 4)] = 1000.0
    got = _call_quietly(softmax_jacobian, z.copy())
    _finite_for_huge_logits(got, "J")
    s = _softmax.forward(z.reshape(1, -1))[0]
    diagnose(got, np.diag(s) - np.outer(s, s), {}, what="J for huge logits")


@exercise("fused softmax + cross-entropy gradient")
def check_softmax_ce_gradient(softmax_ce_gradient, seed=0):
    rng = np.random.default_rng(seed)
    for n, K in ((4, 3), (7, 10), (1, 5), (6, 2)):
        Z = rng.normal(0.0, 2.0, (n, K))
        Y = np.eye(K)[rng.integers(0, K, n)]
        P = _softmax.forward(Z)
        expected = (P - Y) / n
        got = _call_quietly(softmax_ce_gradient, Z.copy(), Y.copy())
        diagnose(
            got,
            expected,
            {
                "is n times too large: the loss is the mean over the batch, so divide by n": P - Y,
                "has the wrong sign: it is (ŷ − y)/n, not (y − ŷ)/n": (Y - P) / n,
                "has the wrong sign and no 1/n: it is (ŷ − y)/n": Y - P,
                "divides by the number of classes K instead of the number of samples n "
                "(the original tutorial's y.shape[1] slip)": (P - Y) / K,
                "is ∂L/∂ŷ = −y/(nŷ), the gradient with respect to the probabilities; "
                "chain it through the softmax Jacobian to reach the logits": -Y / P / n,
                "uses the logits z where ŷ = softmax(z) belongs": (Z - Y) / n,
            },
            what=f"∂L/∂Z for n = {n}, K = {K}",
        )
    Z = rng.normal(0.0, 1.0, (3, 4)) * 800.0
    Y = np.eye(4)[rng.integers(0, 4, 3)]
    got = _call_quietly(softmax_ce_gradient, Z.copy(), Y.copy())
    _finite_for_huge_logits(got, "∂L/∂Z")
    diagnose(got, (_softmax.forward(Z) - Y) / 3, {}, what="∂L/∂Z for huge logits")

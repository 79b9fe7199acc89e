"""Exercise checks for notebook 03 (back-propagation by hand).

1. ``check_dloss_dyhat(dloss_dyhat)``: ∂L/∂ŷ_i = −2 (y_i − ŷ_i) for L = Σ_i (y_i − ŷ_i)².
2. ``check_dloss_dh(dloss_dh)``: ∂L/∂h_j = Σ_i ∂L/∂ŷ_i · f′(z_i) · W[j, i], a sum over paths.
3. ``check_sigmoid_derivative(sigmoid_derivative)``: σ′(z) = σ(z)(1 − σ(z)), elementwise.

Row convention: ``W[j, i]`` is the weight from unit j of the layer below to unit i.
"""

import numpy as np

from .feedback import ExerciseFailed, diagnose, exercise


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _call(fun, *args):
    """``fun(*args)`` on copies of the arrays, refusing a missing ``return``."""
    out = fun(*(a.copy() if isinstance(a, np.ndarray) else a for a in args))
    if out is None:
        raise ExerciseFailed("returned None: did you forget the `return`?")
    return out


@exercise("∂L/∂ŷ of the squared error")
def check_dloss_dyhat(dloss_dyhat, seed=0):
    """``dloss_dyhat(y, yhat)`` -> array (n_out,) of ∂L/∂ŷ_i."""
    rng = np.random.default_rng(seed)
    for n_out in (3, 2, 5):  # 3 first: with 2 outputs "/n" and "no factor 2" coincide
        y, yhat = rng.normal(size=n_out), rng.normal(size=n_out)
        r = y - yhat
        expected = -2 * r
        mistakes = {
            "has the wrong sign: d(y − ŷ)²/dŷ = 2(y − ŷ)·(−1) = −2(y − ŷ). The original "
            "tutorial drops this minus sign (erratum 3); gradient descent would then climb "
            "the loss.": 2 * r,
            "is missing the factor 2 from the square: d(u²)/du = 2u.": -r,
            "is missing both the factor 2 and the minus sign: it should be −2(y − ŷ).": r,
            "divides by the number of outputs: L of one sample is a sum over outputs, not a mean.": -2
            * r
            / n_out,
            "is the loss term (y − ŷ)², not its derivative.": r**2,
        }
        got = _call(dloss_dyhat, y, yhat)
        diagnose(got, expected, mistakes, what=f"∂L/∂ŷ (n_out = {n_out})")


@exercise("∂L/∂h as a sum over paths")
def check_dloss_dh(dloss_dh, seed=0):
    """``dloss_dh(dL_dyhat, fprime_z, W)`` -> array (n_in,), entry j = Σ_i dL_dyhat[i]·fprime_z[i]·W[j, i].

    ``dL_dyhat`` and ``fprime_z`` have shape (n_out,), ``W`` shape (n_in, n_out).
    """
    rng = np.random.default_rng(seed)
    for n_in, n_out in [(3, 3), (2, 2), (4, 2), (2, 3)]:  # square first: see W[i, j] by value
        d, fp = rng.normal(size=n_out), rng.uniform(0.05, 0.25, size=n_out)
        W = rng.normal(size=(n_in, n_out))
        dz = d * fp
        terms = W * dz  # terms[j, i]: the path from h_j through output i
        expected = terms.sum(axis=1)
        mistakes = {
            "is missing the factor f′(z_i) of each path: ŷ_i = f(z_i), so ∂ŷ_i/∂h_j = f′(z_i)·W[j, i].": W
            @ d,
            "keeps only the path through output 1: h_j reaches the loss through every output "
            "i, so sum the terms over i (a total derivative).": terms[:, 0],
        }
        if n_in == n_out:
            mistakes[
                "uses W[i, j]: the weight from h_j to output i is W[j, i] (row "
                "convention, W of shape (n_in, n_out))."
            ] = dz @ W
            mistakes[
                "keeps only one path, i = j: h_j reaches the loss through every output "
                "i, so sum the terms over i (a total derivative)."
            ] = np.diag(terms)
            mistakes[
                "sums over the wrong index: for ∂L/∂h_j keep j fixed and sum the terms "
                "dL_dyhat[i]·fprime_z[i]·W[j, i] over the outputs i."
            ] = terms.sum(axis=0)
        got = _call(dloss_dh, d, fp, W)
        if np.shape(got) == (n_in, n_out):
            raise ExerciseFailed(
                f"has shape {np.shape(got)}: one term per path (j, i), but not summed. "
                "∂L/∂h_j is the sum of its paths' terms over i (a total derivative)."
            )
        diagnose(got, expected, mistakes, what=f"∂L/∂h (n_in = {n_in}, n_out = {n_out})")


@exercise("derivative of the sigmoid")
def check_sigmoid_derivative(sigmoid_derivative, seed=0):
    """``sigmoid_derivative(z)`` -> σ′(z), elementwise, same shape as z."""
    rng = np.random.default_rng(seed)
    for shape in [(7,), (3, 4), (1,)]:
        z = rng.normal(scale=2.5, size=shape)
        s = _sigmoid(z)
        expected = s * (1 - s)
        mistakes = {
            "is 2× too large: σ′(z) = σ(z)(1 − σ(z)), not 2σ(z)(1 − σ(z)). This is the "
            "original tutorial's dsigmoid (erratum 1).": 2 * s * (1 - s),
            "is σ(z) itself, not its derivative.": s,
            "has the wrong sign: σ is increasing, so σ′(z) = σ(z)(1 − σ(z)) > 0.": -s * (1 - s),
            "uses tanh's derivative 1 − a²; for the sigmoid it is a(1 − a) with a = σ(z).": 1 - s**2,
            "applies z(1 − z) to z itself: compute a = σ(z) first, then a(1 − a).": z * (1 - z),
        }
        got = _call(sigmoid_derivative, z)
        diagnose(got, expected, mistakes, what=f"σ′(z) for z of shape {shape}")

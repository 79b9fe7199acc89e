"""Exercise checks for notebook 03 (back-propagation by hand).

1. ``check_dloss_dyhat(dloss_dyhat)``: ∂L/∂ŷ_i = −2 (y_i − ŷ_i) for L = Σ_i (y_i − ŷ_i)².
2. ``check_sigmoid_derivative(sigmoid_derivative)``: σ′(z) = σ(z)(1 − σ(z)), elementwise.
3. ``check_dloss_da_hidden(dloss_da_hidden)``: ∂L/∂a_j = Σ_i ∂L/∂ŷ_i · f′(z_i) · W[j, i] for the
   last hidden layer, a sum over paths.
4. ``check_dloss_dx(dloss_dx)``: ∂L/∂x_j = Σ_i ∂L/∂a⁽¹⁾_i · σ′(z⁽¹⁾_i) · W[j, i] through a sigmoid
   first layer, a derivation the notebook leaves to the learner.

The first three are placed in the notebook before the derivation that answers them; the
fourth is never answered there. Row convention: ``W[j, i]`` is the weight from unit j of the
layer below to unit i. The reference values come from the library (its loss's gradient, its
sigmoid's derivative, its layer's backward pass), which a learner's answer may not call; nor
may it differentiate numerically or with the autodiff engine.
"""

import numpy as np

from backprop_lib import Dense, Identity, MeanSquaredError, Sigmoid

from .answers import call_answer, diagnose
from .feedback import DERIVATIVE_TWINS, ExerciseFailed, exercise

PATH_TWINS = [
    "backprop_lib.layer.Dense.backward",
    "backprop_lib.layer.Dense.backward_from_dz",
    "backprop_lib.mlp.MLP.backward",
    "backprop_lib.loops.backward_by_loops",
    "backprop_lib.loops.gradients_by_loops",
    *DERIVATIVE_TWINS,
]
SIGMOID_TWINS = ["backprop_lib.activations.Sigmoid.derivative", "backprop_lib.activations.Sigmoid.backward"]


def _da_prev(dz, W, activation=None, a=None):
    """∂L/∂a of the layer below, by the library's backward pass of one layer (one sample):
    from ∂L/∂z = ``dz``, or from ∂L/∂a = ``dz`` through ``activation`` whose outputs are ``a``."""
    layer = Dense(W, np.zeros((1, W.shape[1])), activation or Identity())
    layer.a_prev = np.zeros((1, W.shape[0]))
    if activation is None:
        return layer.backward_from_dz(dz[None, :])[0]
    layer.a, layer.z = a[None, :], np.log(a / (1 - a))[None, :]
    return layer.backward(dz[None, :])[0]


@exercise(
    "∂L/∂ŷ of the squared error",
    twins=[
        "backprop_lib.losses.MeanSquaredError.gradient",
        "backprop_lib.losses.MeanSquaredError.fused_dz",
        *DERIVATIVE_TWINS,
    ],
    shortcut="differentiate L yourself",
)
def check_dloss_dyhat(dloss_dyhat, seed=0):
    """``dloss_dyhat(y, yhat)`` -> array (n_out,) of ∂L/∂ŷ_i."""
    rng = np.random.default_rng(seed)
    for n_out in (3, 2, 5):  # 3 first: with 2 outputs "/n" and "no factor 2" coincide
        y, yhat = rng.normal(size=n_out), rng.normal(size=n_out)
        r = y - yhat
        expected = MeanSquaredError().gradient(y[None, :], yhat[None, :])[0]  # the mean over one sample
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
        got = call_answer(dloss_dyhat, y, yhat)
        diagnose(got, expected, mistakes, f"∂L/∂ŷ (n_out = {n_out})", {"y": y, "yhat": yhat})


@exercise(
    "derivative of the sigmoid", twins=SIGMOID_TWINS + DERIVATIVE_TWINS, shortcut="write σ′(z) yourself"
)
def check_sigmoid_derivative(sigmoid_derivative, seed=0):
    """``sigmoid_derivative(z)`` -> σ′(z), elementwise, same shape as z."""
    rng = np.random.default_rng(seed)
    for shape in [(7,), (3, 4), (1,)]:
        z = rng.normal(scale=2.5, size=shape)
        s = Sigmoid().forward(z)
        expected = Sigmoid().derivative(z)
        mistakes = {
            "is 2× too large: σ′(z) = σ(z)(1 − σ(z)), not 2σ(z)(1 − σ(z)). This is the "
            "original tutorial's dsigmoid (erratum 1).": 2 * s * (1 - s),
            "is σ(z) itself, not its derivative.": s,
            "has the wrong sign: σ is increasing, so σ′(z) = σ(z)(1 − σ(z)) > 0.": -s * (1 - s),
            "uses tanh's derivative 1 − a²; for the sigmoid it is a(1 − a) with a = σ(z).": 1 - s**2,
            "applies z(1 − z) to z itself: compute a = σ(z) first, then a(1 − a).": z * (1 - z),
            "is e^(−z)/(1 + e^(−z)): the derivative of 1/(1 + e^(−z)) has the denominator squared.": np.exp(
                -z
            )
            / (1 + np.exp(-z)),
        }
        got = call_answer(sigmoid_derivative, z)
        diagnose(got, expected, mistakes, f"σ′(z) for z of shape {shape}", {"z": z})


@exercise(
    "∂L/∂a of the last hidden layer, a sum over paths",
    twins=PATH_TWINS,
    shortcut="sum over the paths yourself",
)
def check_dloss_da_hidden(dloss_da_hidden, seed=0):
    """``dloss_da_hidden(dL_dyhat, fprime_z, W)`` -> array (n_in,): Σ_i dL_dyhat[i]·fprime_z[i]·W[j, i].

    ``dL_dyhat`` and ``fprime_z`` have shape (n_out,), ``W`` shape (n_in, n_out).
    """
    rng = np.random.default_rng(seed)
    for n_in, n_out in [(3, 3), (2, 2), (4, 2), (2, 3)]:  # square first: see W[i, j] by value
        d, fp = rng.normal(size=n_out), rng.uniform(0.05, 0.25, size=n_out)
        W = rng.normal(size=(n_in, n_out))
        dz = d * fp
        terms = W * dz  # terms[j, i]: the path from a_j through output i
        expected = _da_prev(dz, W)
        mistakes = {
            "is missing the factor f′(z_i) of each path: ŷ_i = f(z_i), so ∂ŷ_i/∂a_j = f′(z_i)·W[j, i].": W
            @ d,
            "keeps only the path through output 1: a_j reaches the loss through every output "
            "i, so sum the terms over i (a total derivative).": terms[:, 0],
        }
        if n_in == n_out:
            mistakes[
                "uses W[i, j]: the weight from a_j to output i is W[j, i] (row convention, W of "
                "shape (n_in, n_out))."
            ] = dz @ W
            mistakes[
                "keeps only one path, i = j: a_j reaches the loss through every output "
                "i, so sum the terms over i (a total derivative)."
            ] = np.diag(terms)
            mistakes[
                "sums over the wrong index: for ∂L/∂a_j keep j fixed and sum the terms "
                "dL_dyhat[i]·fprime_z[i]·W[j, i] over the outputs i."
            ] = terms.sum(axis=0)
        got = call_answer(dloss_da_hidden, d, fp, W, shapes=f"W has shape (n_in, n_out) = {W.shape}")
        if np.shape(got) == (n_in, n_out):
            raise ExerciseFailed(
                f"has shape {np.shape(got)}: one term per path (j, i), but not summed. "
                "∂L/∂a_j is the sum of its paths' terms over i (a total derivative)."
            )
        diagnose(
            got,
            expected,
            mistakes,
            f"∂L/∂a (n_in = {n_in}, n_out = {n_out})",
            {"dL_dyhat": d, "fprime_z": fp, "W": W},
        )


@exercise(
    "∂L/∂x through a sigmoid layer",
    twins=PATH_TWINS + SIGMOID_TWINS,
    shortcut="derive it through σ and the paths yourself",
)
def check_dloss_dx(dloss_dx, seed=0):
    """``dloss_dx(dL_da1, a1, W1)`` -> array (n_0,): ∂L/∂x_j = Σ_i dL_da1[i]·a1[i](1 − a1[i])·W1[j, i].

    ``a1`` (n_1,) are the outputs of a sigmoid first layer, ``dL_da1`` (n_1,) the loss's
    derivatives with respect to them, ``W1`` (n_0, n_1).
    """
    rng = np.random.default_rng(seed)
    for n_0, n_1 in [(3, 3), (2, 2), (3, 4), (4, 2)]:  # square first: see W1[i, j] by value
        d = rng.normal(size=n_1)
        a1 = Sigmoid().forward(rng.normal(scale=1.5, size=n_1))
        W1 = rng.normal(size=(n_0, n_1))
        expected = _da_prev(d, W1, Sigmoid(), a1)
        dz1 = d * Sigmoid().backward(np.ones_like(a1), None, a1)  # through σ, for the mistakes
        mistakes = {
            "is missing σ′: the path from x_j to L passes through a⁽¹⁾_i = σ(z⁽¹⁾_i), so each term "
            "carries σ′(z⁽¹⁾_i) = a⁽¹⁾_i(1 − a⁽¹⁾_i).": W1 @ d,
            "uses 2σ(1 − σ) for σ′ (the original's erratum 1).": 2 * expected,
            "uses tanh's derivative 1 − a² for a sigmoid layer.": W1 @ (d * (1 - a1**2)),
            "keeps only the path through unit 1 of layer 1: x_j feeds every unit of layer 1, so sum "
            "over i.": W1[:, 0] * dz1[0],
            "has the wrong sign.": -expected,
        }
        if n_0 == n_1:
            mistakes[
                "uses W1[i, j]: the weight from x_j to unit i of layer 1 is W1[j, i] (row convention)."
            ] = dz1 @ W1
        got = call_answer(dloss_dx, d, a1, W1, shapes=f"W1 has shape (n_0, n_1) = {W1.shape}")
        if np.shape(got) == (n_0, n_1):
            raise ExerciseFailed(
                f"has shape {np.shape(got)}: one term per path (j, i), but not summed over i."
            )
        diagnose(
            got,
            expected,
            mistakes,
            f"∂L/∂x (n_0 = {n_0}, n_1 = {n_1})",
            {"dL_da1": d, "a1": a1, "W1": W1},
        )

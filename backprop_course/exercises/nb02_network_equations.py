"""Exercise checks for notebook 02 (the network as equations).

Row convention: ``W`` of a layer has shape ``(n_in, n_out)`` and ``W[j, i]`` is the weight
w_ji from unit j of the layer below to unit i of this layer; ``a_prev`` ``(n_in,)``,
``b`` ``(n_out,)``.

1. ``check_unit_preactivation(unit_preactivation)``: z_i = Σ_j a_prev[j]·W[j, i] + b[i].
2. ``check_layer_forward(layer_forward)``: a_i = f(z_i) for every unit i of a layer.
3. ``check_squared_error(squared_error)``: L = Σ_i (y_i − ŷ_i)² of one sample.
4. ``check_unit_weight_gradient(unit_weight_gradient)``: ∂a_i/∂w_ji = f′(z_i)·a_prev[j] for every
   j, a derivation the notebook leaves to the learner (the chain rule of 01 on one unit).

Square weight matrices come first, so that swapping the indices gives a wrong number (which
can be named) rather than an IndexError; then non-square ones, so that a transposed W cannot
pass by coincidence. The reference values come from the library's own layer (``Dense``), its
loss and its backward pass, which are also the twins a learner's answer may not call.
"""

import numpy as np

from backprop_lib import Dense, Identity, MeanSquaredError, Sigmoid, Tanh

from .answers import call_answer, diagnose
from .feedback import DERIVATIVE_TWINS, ExerciseFailed, exercise

FORWARD_TWINS = [
    "backprop_lib.layer.Dense.apply",
    "backprop_lib.layer.Dense.forward",
    "backprop_lib.mlp.MLP.forward",
    "backprop_lib.mlp.MLP.evaluate",
    "backprop_lib.loops.forward_by_loops",
]
GRADIENT_TWINS = [
    "backprop_lib.layer.Dense.backward",
    "backprop_lib.layer.Dense.backward_from_dz",
    "backprop_lib.mlp.MLP.backward",
    "backprop_lib.loops.backward_by_loops",
    "backprop_lib.loops.gradients_by_loops",
    *DERIVATIVE_TWINS,
]
ACTIVATIONS = [("tanh", Tanh()), ("sigmoid", Sigmoid())]

SHAPES = [(3, 3), (4, 2), (2, 5)]  # (n_in, n_out)

TRANSPOSED = (
    "uses W[i, j]: in the row convention the weight from unit j of the layer below "
    "to unit i is W[j, i] (W has shape (n_in, n_out))."
)


def _answer_for_layer(fun, *args):
    """The learner's ``fun(*args)`` (``args[1]`` is a weight matrix W); a product or an index that
    does not fit W's shape is explained with the row convention."""
    W = args[1]
    return call_answer(
        fun,
        *args,
        shapes=f"W has shape (n_in, n_out) = {W.shape}: loop j over the n_in inputs and read the "
        "weight from input j into unit i as W[j, i]",
    )


def _layer(rng, n_in, n_out):
    return rng.normal(size=n_in), rng.normal(size=(n_in, n_out)), rng.normal(size=n_out)


def _forward(a_prev, W, b, activation=None):
    """(z, a) of one sample through the library's layer: z_i = Σ_j a_prev[j]·W[j, i] + b[i]."""
    z, a = Dense(W, b[None, :], activation or Identity()).apply(a_prev[None, :])
    return z[0], a[0]


@exercise("pre-activation of one unit", twins=FORWARD_TWINS, shortcut="write the sum over j yourself")
def check_unit_preactivation(unit_preactivation, seed=0):
    """``unit_preactivation(a_prev, W, b, i)`` -> z_i, one number."""
    rng = np.random.default_rng(seed)
    for n_in, n_out in SHAPES:
        a_prev, W, b = _layer(rng, n_in, n_out)
        for i in range(n_out):
            products = a_prev * W[:, i]
            expected = _forward(a_prev, W, b)[0][i]
            mistakes = {
                "is missing the bias: z_i = Σ_j a_prev[j]·W[j, i] + b[i].": products.sum(),
                "adds the bias once per input (inside the loop over j): add b[i] once, "
                "after the sum.": products.sum() + n_in * b[i],
                "forgets to multiply each weight by its input: z_i = Σ_j a_prev[j]·W[j, i] + b[i], "
                "not Σ_j W[j, i] + b[i].": W[:, i].sum() + b[i],
                "sums the inputs and the weights separately: multiply first, then sum the "
                "products.": a_prev.sum() * W[:, i].sum() + b[i],
            }
            if n_in == n_out:
                mistakes[TRANSPOSED] = a_prev @ W[i, :] + b[i]
            got = _answer_for_layer(unit_preactivation, a_prev, W, b, i)
            diagnose(
                got,
                expected,
                mistakes,
                f"z for unit i = {i} (n_in = {n_in}, n_out = {n_out})",
                {"a_prev": a_prev, "W": W, "b": b, "i": i},
            )


@exercise("forward pass of one layer", twins=FORWARD_TWINS, shortcut="write the sums and f yourself")
def check_layer_forward(layer_forward, seed=0):
    """``layer_forward(a_prev, W, b, f)`` -> a of shape (n_out,), a_i = f(z_i)."""
    rng = np.random.default_rng(seed)
    for n_in, n_out in SHAPES:
        for name, activation in ACTIVATIONS:
            f = activation.forward
            a_prev, W, b = _layer(rng, n_in, n_out)
            z, expected = _forward(a_prev, W, b, activation)
            mistakes = {
                "returns z, not f(z): apply the activation to each unit's sum.": z,
                "is missing the bias: a_i = f(Σ_j a_prev[j]·W[j, i] + b[i]).": f(a_prev @ W),
                "adds the bias after the activation: it belongs inside, f(Σ_j … + b[i]).": f(a_prev @ W) + b,
                "applies f before the sum, to each product a_prev[j]·W[j, i]: f acts once, on "
                "the whole sum z_i (bias included).": f(a_prev[:, None] * W).sum(axis=0) + b,
                "applies f before the sum, to each product including the bias: f acts once, on "
                "the whole sum z_i.": f(a_prev[:, None] * W + b).sum(axis=0),
                "applies f to the inputs instead of to z: a = f(z), z = Σ_j a_prev[j]·W[j, i] + b[i].": f(
                    a_prev
                )
                @ W
                + b,
            }
            if n_in == n_out:
                mistakes[TRANSPOSED] = f(W @ a_prev + b)
            got = _answer_for_layer(layer_forward, a_prev, W, b, f)
            if np.shape(got) == (1, n_out):  # a one-row matrix is fine too
                got = np.asarray(got)[0]
            if np.shape(got) == (n_out, 1) and n_out > 1:
                raise ExerciseFailed(
                    f"is a column of shape ({n_out}, 1): in the row convention a sample's "
                    f"activations form a row; return shape ({n_out},) (or (1, {n_out}))."
                )
            diagnose(
                got,
                expected,
                mistakes,
                f"a (n_in = {n_in}, n_out = {n_out}, f = {name})",
                {"a_prev": a_prev, "W": W, "b": b},
            )


@exercise(
    "squared-error loss of one sample",
    twins=["backprop_lib.losses.MeanSquaredError.value"],
    shortcut="write the sum over the outputs yourself",
)
def check_squared_error(squared_error, seed=0):
    """``squared_error(y, yhat)`` -> L = Σ_i (y_i − ŷ_i)², one number."""
    rng = np.random.default_rng(seed)
    for n_out in (3, 2, 5):
        y, r = rng.normal(size=n_out), rng.normal(size=n_out)
        r[0], r[1] = abs(r[0]), -abs(r[1])  # errors of both signs: Σ|r| ≠ |Σr|
        yhat = y - r
        expected = MeanSquaredError().value(y[None, :], yhat[None, :])  # the mean over one sample
        mistakes = {
            "divides by the number of outputs: the loss of one sample is the sum over the "
            "outputs (backprop_lib's 'mse' averages over samples, not over outputs).": np.mean(r**2),
            "has a factor ½: this series uses L = Σ_i (y_i − ŷ_i)², as the original does.": 0.5
            * np.sum(r**2),
            "forgets to square: positive and negative errors would cancel.": np.sum(r),
            "takes absolute values instead of squares.": np.sum(np.abs(r)),
            "is the length ‖y − ŷ‖ (a square root too many).": np.sqrt(np.sum(r**2)),
            "squares the sum instead of summing the squares.": np.sum(r) ** 2,
        }
        got = call_answer(squared_error, y, yhat)
        diagnose(got, expected, mistakes, f"L (n_out = {n_out})", {"y": y, "yhat": yhat})


def _unit_gradient(a_prev, W, b, i, activation):
    """∂a_i/∂W[:, i] by the library's backward pass, from ∂L/∂a = the unit vector e_i."""
    layer = Dense(W, b[None, :], activation)
    layer.forward(a_prev[None, :])
    layer.backward(np.eye(W.shape[1])[i][None, :], first=True)
    return layer.dW[:, i]


@exercise("∂a/∂w of one unit", twins=GRADIENT_TWINS, shortcut="derive ∂a_i/∂w_ji by the chain rule yourself")
def check_unit_weight_gradient(unit_weight_gradient, seed=0):
    """``unit_weight_gradient(a_prev, W, b, i, f, fprime)`` -> array (n_in,), entry j = ∂a_i/∂W[j, i].

    Layers square and not, tanh and the sigmoid; the reference is the library's backward pass
    of one layer (the tests confirm it with central differences).
    """
    rng = np.random.default_rng(seed)
    for (n_in, n_out), (name, activation) in zip(SHAPES, ACTIVATIONS * 2):
        f, fprime = activation.forward, activation.derivative
        a_prev, W, b = _layer(rng, n_in, n_out)
        i = int(rng.integers(n_out))
        z = _forward(a_prev, W, b)[0]
        expected = _unit_gradient(a_prev, W, b, i, activation)
        mistakes = {
            "forgets f′: a_i = f(z_i), so ∂a_i/∂w_ji = f′(z_i)·∂z_i/∂w_ji, not ∂z_i/∂w_ji alone.": a_prev,
            "uses the weights where the inputs belong: in z_i = Σ_j a_prev[j]·w_ji + b_i the factor "
            "next to w_ji is a_prev[j], so ∂z_i/∂w_ji = a_prev[j].": fprime(z[i]) * W[:, i],
            "uses f(z_i) instead of its derivative f′(z_i).": f(z[i]) * a_prev,
            "evaluates f′ at the unit's output a_i = f(z_i): the slope belongs at z_i.": fprime(f(z[i]))
            * a_prev,
            "has the wrong sign.": -expected,
        }
        if n_in == n_out:
            mistakes[TRANSPOSED] = fprime(a_prev @ W[i, :] + b[i]) * a_prev
        got = _answer_for_layer(unit_weight_gradient, a_prev, W, b, i, f, fprime)
        diagnose(
            got,
            expected,
            mistakes,
            f"∂a_i/∂w_ji for unit i = {i} (n_in = {n_in}, n_out = {n_out}, f = {name})",
            {"a_prev": a_prev, "W": W, "b": b, "i": i},
        )

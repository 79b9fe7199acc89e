"""Exercise checks for notebook 04 (back-propagation in matrix form).

1. ``check_output_dz(output_dz)``: ∂L/∂z of a sigmoid output layer under the mean binary
   cross-entropy, (ŷ − y)/n, which the learner derives before the notebook shows it.
2. ``check_layer_backward_columns(layer_backward_columns)``: one layer's backward pass in the
   column convention (samples as columns), ``(dz, a_prev, W) -> (dW, db, da_prev)``, whose
   formulas the learner derives from the row convention's before the notebook shows them.

Inputs are random, with the batch size n, n_{k-1} and n_k different, so a missing transpose,
a sum taken over the wrong axis or a 1/n too many cannot pass by coincidence; a gradient of the
wrong shape is refused with its shape named, never reshaped; a square layer (n_{k-1} = n_k)
comes last, where only the values show a transposed dW. The column check has three parts for
partial credit, ``dW``, ``db`` and ``da_prev``. The reference values come from the library (the
fused gradient of its BCE, its layer's backward pass on the transposed arrays), which a
learner's answer may not call.
"""

import numpy as np

from backprop_lib import (
    TOLERANCE,
    BinaryCrossEntropy,
    Dense,
    Identity,
    Sigmoid,
    numerical_gradient,
    rel_error,
)

from .answers import call_answer, diagnose, results
from .feedback import DERIVATIVE_TWINS, ExerciseFailed, exercise

LAYER_TWINS = [
    "backprop_lib.layer.Dense.backward",
    "backprop_lib.layer.Dense.backward_from_dz",
    "backprop_lib.mlp.MLP.backward",
    "backprop_lib.loops.backward_by_loops",
    "backprop_lib.loops.gradients_by_loops",
]


def _distinct_sizes(rng):
    """(n, n_in, n_out): three different integers from 2 to 7."""
    n, n_in, n_out = rng.choice(np.arange(2, 8), size=3, replace=False)
    return int(n), int(n_in), int(n_out)


@exercise(
    "output dz of sigmoid + mean BCE",
    twins=[
        "backprop_lib.losses.BinaryCrossEntropy.fused_dz",
        "backprop_lib.losses.BinaryCrossEntropy.gradient",
        "backprop_lib.activations.Sigmoid.derivative",
        "backprop_lib.activations.Sigmoid.backward",
        *LAYER_TWINS,
        *DERIVATIVE_TWINS,
    ],
    shortcut="derive dz through the sigmoid yourself",
)
def check_output_dz(output_dz, seed=0):
    """``output_dz(y, yhat)`` -> ∂L/∂z for a sigmoid output and the mean BCE; y, ŷ (n, m).

    Several batch sizes and output widths, and the answer's agreement with central differences
    of the mean BCE as a function of z.
    """
    rng = np.random.default_rng(seed)
    loss = BinaryCrossEntropy()
    for n, m in ((5, 1), (12, 2), (1, 1)):  # one sample last: with n = 1 the 1/n is invisible
        z = rng.normal(scale=2.0, size=(n, m))
        yhat = Sigmoid().forward(z)
        y = rng.integers(0, 2, size=(n, m)).astype(float)
        expected = loss.fused_dz(y, yhat)
        dl_dyhat = loss.gradient(y, yhat)
        mistakes = {
            "is 2× too large: σ'(z) = σ(1 − σ), not 2σ(1 − σ) (the original's erratum 1)": 2 * expected,
            "is n× too large: the mean loss divides by the number of samples n, so dz carries "
            "1/n (the original's erratum 4)": n * expected,
            "has both of the original's errata: a factor 2 from σ' and no 1/n": 2 * n * expected,
            "has the wrong sign: ∂ℓ/∂ŷ = −y/ŷ + (1 − y)/(1 − ŷ), then times σ' = ŷ(1 − ŷ)": -expected,
            "is ∂L/∂ŷ: multiply by σ'(z) = ŷ(1 − ŷ) to go through the sigmoid to z": dl_dyhat,
            "divides by σ'(z) instead of multiplying: ∂L/∂z = ∂L/∂ŷ · σ'(z)": dl_dyhat / (yhat * (1 - yhat)),
        }
        if n == 1:  # one sample: the 1/n cannot be seen, only the other mistakes
            mistakes = {k: v for k, v in mistakes.items() if "1/n" not in k}
        got = call_answer(output_dz, y, yhat)
        diagnose(got, expected, mistakes, f"dz for a batch of {n} × {m}", {"y": y, "yhat": yhat})
        if n == 12:  # the gradient check itself: perturb z, recompute the mean loss
            z_probe = z.copy()
            numeric = numerical_gradient(lambda: loss.value(y, Sigmoid().forward(z_probe)), z_probe)
            error = rel_error(np.asarray(got, float), numeric)
            if error > TOLERANCE:
                raise ExerciseFailed(f"dz disagrees with central differences: relative error {error:.2e}")


def _column_reference(dz, a_prev, W):
    """(dW, db, da_prev) in the column convention, from the library's row-convention layer: the
    column arrays are the transposes of the row ones."""
    layer = Dense(W.T, np.zeros((1, W.shape[0])), Identity())
    layer.a_prev = a_prev.T
    da_prev = layer.backward_from_dz(dz.T)
    return layer.dW.T, layer.db.T, da_prev.T


def _check_column_case(layer_backward_columns, n, n_in, n_out, rng, part):
    dz = rng.normal(size=(n_out, n)) / n
    a_prev = rng.normal(size=(n_in, n))
    W = rng.normal(size=(n_out, n_in))
    note = (
        f"n = {n} samples as columns, n_(k-1) = {n_in}, n_k = {n_out}: dz is (n_k, n) = {dz.shape}, "
        f"a_prev is (n_(k-1), n) = {a_prev.shape}, W is (n_k, n_(k-1)) = {W.shape}"
    )
    out = call_answer(layer_backward_columns, dz, a_prev, W, shapes=note)
    dW, db, da_prev = results(out, ("dW", "db", "da_prev"))
    inputs = {"dz": dz, "a_prev": a_prev, "W": W}
    dW_true, db_true, da_prev_true = _column_reference(dz, a_prev, W)
    if part in (None, "dW"):
        if n_in != n_out and dW.shape == (n_in, n_out):
            raise ExerciseFailed(
                f"dW has shape {dW.shape}, expected (n_k, n_(k-1)) = {dW_true.shape}: that is the row "
                "convention's dW (the transpose). In the column convention W_k is (n_k, n_(k-1)), "
                "so dW = dz a_prevᵀ."
            )
        diagnose(
            dW,
            dW_true,
            {
                "is averaged over the batch (divided by n): dz already carries the 1/n; sum over the "
                "samples (the columns).": dW_true / n,
                "is n× too large: dz already carries the 1/n of the mean loss.": dW_true * n,
                "is transposed: a_prev dzᵀ is the row convention's dW. In the column convention W_k "
                "is (n_k, n_(k-1)), so dW = dz a_prevᵀ (a square layer hides the shape).": dW_true.T,
            },
            "dW",
            inputs,
        )
    if part in (None, "db"):
        if db.shape == (n_out,):
            raise ExerciseFailed(
                f"db has shape ({n_out},): give it b's shape, the column (n_k, 1) = {db_true.shape} "
                "(dz.sum(axis=1, keepdims=True)), so that b − η db keeps b's shape."
            )
        if db.shape in {(n,), (1, n), (n, 1)}:
            raise ExerciseFailed(
                f"db has shape {db.shape}: it was summed over the wrong axis. With samples as "
                f"columns, sum over the columns: dz.sum(axis=1, keepdims=True), shape {db_true.shape}."
            )
        if db.shape == (n_out, n):
            raise ExerciseFailed(
                f"db has one column per sample, shape {db.shape}: sum dz over the samples (axis=1)."
            )
        diagnose(
            db,
            db_true,
            {
                "is averaged over the batch (divided by n): dz already carries the 1/n; sum.": db_true / n,
                "is n× too large: dz already carries the 1/n of the mean loss.": db_true * n,
            },
            "db",
            inputs,
        )
    if part in (None, "da_prev"):
        if n != n_in and da_prev.shape == (n, n_in):
            raise ExerciseFailed(
                f"da_prev has shape {da_prev.shape}, expected (n_(k-1), n) = {da_prev_true.shape}: that "
                "is the row convention's layout. With samples as columns, da_prev = Wᵀ dz."
            )
        diagnose(
            da_prev,
            da_prev_true,
            {
                "is divided by n again: dz already carries the 1/n.": da_prev_true / n,
                "uses W, not its transpose: each unit j of layer k − 1 collects from every unit i "
                "of layer k through W[i, j], so da_prev = Wᵀ dz (a square layer hides the shape).": (
                    W @ dz if n_in == n_out else None
                ),
            },
            "da_prev",
            inputs,
        )


@exercise(
    "layer_backward_columns (column convention)",
    twins=LAYER_TWINS + DERIVATIVE_TWINS,
    shortcut="derive the column formulas and write them yourself",
    parts=("dW", "db", "da_prev"),
)
def check_layer_backward_columns(layer_backward_columns, seed=0, part=None):
    """``layer_backward_columns(dz, a_prev, W) -> (dW, db, da_prev)``, samples as columns.

    Two layers with n, n_(k-1) and n_k all different, then a square one (n_(k-1) = n_k ≠ n).
    """
    rng = np.random.default_rng(seed)
    cases = [_distinct_sizes(rng), _distinct_sizes(rng)]
    n, k = _distinct_sizes(rng)[:2]
    for sizes in [*cases, (n, k, k)]:
        _check_column_case(layer_backward_columns, *sizes, rng, part)

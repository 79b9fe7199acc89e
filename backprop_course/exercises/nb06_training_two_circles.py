"""Exercise checks for notebook 06 (training on two circles).

* ``check_accuracy(f)`` — ``f(y, yhat) -> float``: the fraction of samples whose
  prediction ``ŷ > 0.5`` equals the label, with y ``(n,)`` of 0/1 and ŷ ``(n, 1)``.
* ``check_penalised_gradients(f)`` — ``f(dW, db, W, b, alpha, n) -> (dW', db')``: the gradients
  of the mean loss plus scikit-learn's L2 penalty (α/2n)·Σ W², a derivation the notebook leaves
  to the learner. Two parts for partial credit, ``dW`` and ``db``.

The reference values come from the library's ``accuracy`` and from its autodiff engine applied
to the penalty; those are the twins a learner's answer may not call.
"""

import numpy as np

from backprop_lib.autodiff import Value
from backprop_lib.training import accuracy as library_accuracy

from .answers import call_answer, diagnose, results
from .feedback import DERIVATIVE_TWINS, ExerciseFailed, exercise


@exercise("accuracy", twins=["backprop_lib.training.accuracy"], shortcut="count the matches yourself")
def check_accuracy(accuracy, seed=0):
    """Random labels and outputs of several sizes, with some outputs exactly 0.5."""
    rng = np.random.default_rng(seed)
    for n in (7, 40, 1):
        y = rng.integers(0, 2, size=n)
        yhat = rng.uniform(size=(n, 1))
        yhat[rng.uniform(size=n) < 0.2] = 0.5  # ties: 0.5 is not above 0.5 → class 0
        predicted = (yhat[:, 0] > 0.5).astype(int)  # for the mistakes
        expected = library_accuracy(y, yhat)
        got = call_answer(accuracy, y, yhat)
        if np.ndim(got) != 0:
            raise ExerciseFailed(f"should return one number, got an array of shape {np.shape(got)}")
        diagnose(
            got,
            expected,
            {
                "is the error rate 1 − accuracy: count the samples that are right": 1 - expected,
                "is a count: divide by the number of samples to get a fraction": float(
                    np.sum(predicted == y)
                ),
                "counts ŷ = 0.5 as class 1: the original (and scikit-learn's predict) use ŷ > 0.5": float(
                    np.mean((yhat[:, 0] >= 0.5) == y)
                ),
                "compares an (n, 1) array with an (n,) one: broadcasting built an n × n table; "
                "flatten ŷ first (yhat[:, 0] or yhat.ravel())": float(np.mean((yhat > 0.5) == y)),
                "compares the probabilities ŷ with the labels: threshold ŷ at 0.5 first": float(
                    np.mean(yhat[:, 0] == y)
                ),
            },
            f"the accuracy of {n} samples",
            {"y": y, "yhat": yhat},
            rtol=1e-12,
            atol=1e-12,
        )


def _penalty_gradient(W, alpha, n):
    """∂/∂W of (α/2n)·Σ W², by the library's autodiff engine."""
    W = Value(W)
    (W * W * (alpha / (2 * n))).sum().backward()
    return W.grad


@exercise(
    "gradient of the L2 penalty",
    twins=DERIVATIVE_TWINS,
    shortcut="differentiate the penalty yourself",
    parts=("dW", "db"),
)
def check_penalised_gradients(penalised_gradients, seed=0, part=None):
    """``penalised_gradients(dW, db, W, b, alpha, n)`` -> ``(dW', db')`` of L̄ + (α/2n)·Σ W².

    dW, db are the gradients of the unpenalised mean loss; the penalty reaches the weights only.
    Several layer shapes, α and n; the expected values are confirmed by central differences of
    the penalty in the tests.
    """
    rng = np.random.default_rng(seed)
    for n_in, n_out, n in ((2, 4, 750), (4, 3, 600), (3, 1, 20)):
        W, b = rng.normal(size=(n_in, n_out)), rng.normal(size=(1, n_out))
        dW, db = rng.normal(scale=0.1, size=W.shape), rng.normal(scale=0.1, size=b.shape)
        alpha = float(rng.choice([1e-4, 0.01, 0.5]) * rng.uniform(1, 3))
        penalty = _penalty_gradient(W, alpha, n)
        expected_dW = dW + penalty
        out = call_answer(penalised_gradients, dW, db, W, b, alpha, n)
        got_dW, got_db = results(out, ("dW", "db"))
        inputs = {"dW": dW, "db": db, "W": W, "b": b, "alpha": alpha, "n": n}
        if part in (None, "db"):
            diagnose(
                got_db,
                db,
                {
                    "penalises the biases too: the penalty (α/2n)·Σ W² has no b in it, so db is "
                    "unchanged (scikit-learn penalises the weights only).": db + alpha * b / n,
                    "is 0: the penalty adds to the loss's own gradient; keep db.": np.zeros_like(db),
                },
                f"db (layer {n_in} → {n_out}, n = {n}, α = {alpha:.3g})",
                inputs,
            )
        if part in (None, "dW"):
            diagnose(
                got_dW,
                expected_dW,
                {
                    "misses the 1/n: the penalty is (α/2n)·Σ W², its gradient α·W/n.": dW + n * penalty,
                    "is 2× too large in the penalty term: the ½ of (α/2n)·Σ W² cancels the 2 of W².": dW
                    + 2 * penalty,
                    "subtracts the penalty's gradient: ∂/∂W of +(α/2n)·Σ W² is +α·W/n.": dW - penalty,
                    "is only the penalty's gradient: add it to the loss's own dW.": penalty,
                    "forgets the penalty: L̄ + (α/2n)·Σ W² has the extra gradient α·W/n.": dW,
                },
                f"dW (layer {n_in} → {n_out}, n = {n}, α = {alpha:.3g})",
                inputs,
            )

"""Exercise checks for notebook 06 (training on two circles).

* ``check_accuracy(f)`` — ``f(y, yhat) -> float``: the fraction of samples whose
  prediction ``ŷ > 0.5`` equals the label, with y ``(n,)`` of 0/1 and ŷ ``(n, 1)``.
* ``check_output_dz(f)`` — ``f(y, yhat) -> dz``: dL/dz of the output layer for a sigmoid
  output and the *mean* binary cross-entropy, ``(ŷ − y) / n``, which repairs errata 1
  and 4 of the original at once; y and ŷ ``(n, 1)``.
"""

import numpy as np

from backprop_lib import TOLERANCE, BinaryCrossEntropy, numerical_gradient, rel_error

from .feedback import ExerciseFailed, diagnose, exercise


@exercise("accuracy")
def check_accuracy(accuracy, seed=0):
    """Random labels and outputs of several sizes, with some outputs exactly 0.5."""
    rng = np.random.default_rng(seed)
    for n in (7, 40, 1):
        y = rng.integers(0, 2, size=n)
        yhat = rng.uniform(size=(n, 1))
        yhat[rng.uniform(size=n) < 0.2] = 0.5  # ties: 0.5 is not above 0.5 → class 0
        predicted = (yhat[:, 0] > 0.5).astype(int)
        expected = float(np.mean(predicted == y))
        got = accuracy(y.copy(), yhat.copy())
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
            what=f"the accuracy of {n} samples",
            rtol=1e-12,
            atol=1e-12,
        )


@exercise("output dz")
def check_output_dz(output_dz, seed=0):
    """dL/dz for sigmoid + mean BCE, checked on several batch sizes and by central differences."""
    rng = np.random.default_rng(seed)
    loss = BinaryCrossEntropy()
    for n in (5, 12, 1):  # one sample last: with n = 1 the 1/n is invisible
        z = rng.normal(scale=2.0, size=(n, 1))
        yhat = 1 / (1 + np.exp(-z))
        y = rng.integers(0, 2, size=(n, 1)).astype(float)
        expected = (yhat - y) / n
        got = output_dz(y.copy(), yhat.copy())
        mistakes = {
            "is 2× too large: σ'(z) = σ(1 − σ), not 2σ(1 − σ) — the original's erratum 1": 2 * expected,
            "is n× too large: the mean loss divides by the number of samples n, so dz carries "
            "1/n — the original's erratum 4": n * expected,
            "has both of the original's errata: a factor 2 from σ' and no 1/n": 2 * n * expected,
            "has the wrong sign: dL/dz = (ŷ − y)/n": -expected,
        }
        if n == 1:  # one sample: the 1/n cannot be seen, only the other mistakes
            mistakes = {k: v for k, v in mistakes.items() if "1/n" not in k}
        diagnose(got, expected, mistakes, what=f"dz for a batch of {n}")
        if n == 12:
            checked = (y, z, np.asarray(got, float))
    # and the gradient check itself: perturb z, recompute the mean loss
    y, z, got = checked
    numeric = numerical_gradient(lambda: loss.value(y, 1 / (1 + np.exp(-z))), z)
    error = rel_error(got, numeric)
    if error > TOLERANCE:
        raise ExerciseFailed(f"dz disagrees with central differences: relative error {error:.2e}")

"""Exercise checks for notebook 09 (initialisation and vanishing gradients).

1. ``check_he_std(he_std)``: the standard deviation of He initialisation for a layer,
   ``he_std(n_in, n_out) -> float`` = √(2 / n_in).
2. ``check_relu_stack_variance(relu_stack_variance)``: the variance of the
   pre-activations through a stack of ReLU layers predicted by variance propagation,
   ``relu_stack_variance(var_x, n, var_w, depth) -> array (depth,)`` with
   Var(z_1) = n·Var(w)·Var(x) and Var(z_k) = n·Var(w)·Var(z_{k−1})/2 for k ≥ 2.

Fan-in and fan-out always differ and neither is 1 or 2, so using the wrong one, dropping
the factor 2 or returning a variance for a standard deviation cannot pass by coincidence.
"""

import numbers

import numpy as np

from .feedback import ExerciseFailed, diagnose, exercise


def _fans(rng, k=4):
    """k pairs (n_in, n_out) of distinct integers from 3 to 600."""
    pairs = []
    while len(pairs) < k:
        n_in, n_out = (int(n) for n in rng.integers(3, 601, size=2))
        if n_in != n_out:
            pairs.append((n_in, n_out))
    return pairs


def _number(value, what):
    if isinstance(value, (bool, str, bytes)) or value is None:
        raise ExerciseFailed(f"{what} should be a number, got {type(value).__name__}")
    arr = np.asarray(value, dtype=float) if isinstance(value, (numbers.Real, np.ndarray)) else None
    if arr is None or arr.size != 1:
        raise ExerciseFailed(f"{what} should be one number, got {value!r:.60}")
    return float(arr.reshape(()))


@exercise("He standard deviation")
def check_he_std(he_std, seed=0):
    """``he_std(n_in, n_out)`` = √(2 / n_in) for several random fan-ins and fan-outs."""
    rng = np.random.default_rng(seed)
    for n_in, n_out in _fans(rng):
        got = _number(he_std(n_in, n_out), f"he_std({n_in}, {n_out})")
        diagnose(
            got,
            np.sqrt(2.0 / n_in),
            {
                "used the fan-out: He keeps the forward variance, so it divides by the number "
                "of inputs n_in of each unit.": np.sqrt(2.0 / n_out),
                "forgot the factor 2: a ReLU zeroes half of its inputs, which halves the "
                "second moment; 2/n_in makes up for it.": np.sqrt(1.0 / n_in),
                "is the variance 2/n_in, not the standard deviation: take the square root.": 2.0 / n_in,
                "is Xavier's √(2/(n_in + n_out)); He uses the fan-in only.": np.sqrt(2.0 / (n_in + n_out)),
                "is √2 / n_in: the square root covers the whole fraction, √(2/n_in).": np.sqrt(2.0) / n_in,
                "is the variance 1/n_in without the factor 2: He's std is √(2/n_in).": 1.0 / n_in,
            },
            what=f"he_std({n_in}, {n_out})",
        )


@exercise("variance through a ReLU stack")
def check_relu_stack_variance(relu_stack_variance, seed=0):
    """``relu_stack_variance(var_x, n, var_w, depth)`` -> ``[Var(z_1), …, Var(z_depth)]``."""
    rng = np.random.default_rng(seed)
    for depth in (1, 4, 7):
        n = int(rng.integers(8, 200))
        var_x = float(rng.uniform(0.3, 3.0))
        var_w = float(rng.uniform(0.5, 4.0)) / n
        what = f"relu_stack_variance({var_x:.3f}, {n}, {var_w:.5f}, {depth})"
        got = relu_stack_variance(var_x, n, var_w, depth)
        try:
            got = np.asarray(got, dtype=float).reshape(-1) if got is not None else None
        except (TypeError, ValueError):
            raise ExerciseFailed(f"{what} should be an array of numbers, got {type(got).__name__}") from None
        if got is None:
            raise ExerciseFailed(f"{what} returned None: return the array of variances")
        if got.shape != (depth,):
            raise ExerciseFailed(
                f"{what} has {got.size} entries, expected {depth}: one Var(z_k) for each layer k = 1 … depth"
            )
        gain = n * var_w
        k = np.arange(1, depth + 1)
        expected = var_x * gain * (gain / 2) ** (k - 1)
        diagnose(
            got,
            expected,
            {
                "forgot that ReLU halves the second moment: E[a²] = Var(z)/2 for a ReLU of a "
                "symmetric, zero-mean z, so each layer after the first multiplies by n·Var(w)/2.": var_x
                * gain**k,
                "halves already at layer 1: the inputs x are not ReLU outputs, so "
                "Var(z_1) = n·Var(w)·Var(x) with no ½.": var_x * (gain / 2) ** k,
                "are standard deviations, not variances: don't take square roots.": np.sqrt(expected),
                "forgot the fan-in n: each z sums n products, Var(z) = n·Var(w)·E[a²].": var_x
                * var_w
                * (var_w / 2) ** (k - 1),
                "is shifted by one layer: entry k − 1 (counting from 0) is Var(z_k), and the "
                "first is Var(z_1) = n·Var(w)·Var(x).": var_x * (gain / 2) ** (k - 1),
            },
            what=what,
        )

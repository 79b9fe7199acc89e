"""Exercise checks for notebook 09 (initialisation and vanishing gradients).

1. ``check_backward_variances(backward_variances)``: the variance of dL/dz in every layer of a
   stack, from the top down, ``backward_variances(var_top, widths, var_w, fprime2) -> array (K,)``
   with Var(dz_K) = var_top and Var(dz_{k−1}) = E[f′(z)²]·n_k·Var(w)·Var(dz_k): the fan-out
   n_k (the width of the layer the gradient comes from) and the activation's E[f′²].
2. ``check_relu_stack_variance(relu_stack_variance)``: the variance of the
   pre-activations through a stack of ReLU layers predicted by variance propagation,
   ``relu_stack_variance(var_x, n, var_w, depth) -> array (depth,)`` with
   Var(z_1) = n·Var(w)·Var(x) and Var(z_k) = n·Var(w)·Var(z_{k−1})/2 for k ≥ 2.

Widths always differ from layer to layer and E[f′²] is never 1 or ½, so using the fan-in for
the fan-out, dropping f′ or returning a standard deviation cannot pass by coincidence; the
first stack of each check is at least two layers deep, where every named mistake gives
numbers of its own (with one layer, forgetting ReLU's ½ changes nothing). These are formulas
of the notebook's sections 2 and 3 applied layer after layer. ``backprop_lib`` has no function
that computes them (``layer_stats`` *measures* variances of a network, which is no answer
here); the course package's ``predicted_z_variances`` (notebook 09's check 4, biases included,
kept out of the notebook because it is exercise 2's answer) is check 2's twin.
"""

import numpy as np

from .answers import call_answer, diagnose
from .feedback import ExerciseFailed, exercise


def _variances(got, depth, what, name):
    """The learner's per-layer variances as a float array of shape ``(depth,)``, or a named mistake."""
    try:
        got = np.asarray(got, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise ExerciseFailed(f"{what} should be an array of numbers, got {type(got).__name__}") from None
    if got.shape != (depth,):
        raise ExerciseFailed(
            f"{what} has {got.size} entries, expected {depth}: one {name} for each layer k = 1 … {depth}"
        )
    return got


def _distinct_widths(rng, depth):
    """``depth`` layer widths, all different (so fan-in and fan-out cannot be confused)."""
    return [int(n) for n in rng.choice(np.arange(8, 300), size=depth, replace=False)]


def _from_the_top(gains):
    """[Π gains[0:], Π gains[1:], …, 1]: the products of the gains from each layer to the top."""
    return np.append(np.cumprod(gains[::-1])[::-1], 1.0)


@exercise("backward variance through the layers")
def check_backward_variances(backward_variances, seed=0):
    """``backward_variances(var_top, widths, var_w, fprime2)`` -> ``[Var(dz_1), …, Var(dz_K)]``."""
    rng = np.random.default_rng(seed)
    for depth in (2, 4, 6):
        widths = _distinct_widths(rng, depth)
        var_top = float(rng.uniform(0.2, 3.0))
        var_w = float(rng.uniform(0.5, 4.0)) / float(np.mean(widths))
        fprime2 = float(rng.uniform(0.05, 0.6))
        what = f"backward_variances({var_top:.3f}, {widths}, {var_w:.5f}, {fprime2:.3f})"
        got = call_answer(backward_variances, var_top, list(widths), var_w, fprime2)
        got = _variances(got, depth, what, "Var(dz_k)")

        above, below = np.array(widths[1:]), np.array(widths[:-1])  # fan-out and fan-in of each step down

        def walk(top=var_top, fan=above, factor=fprime2):
            """Var(dz_k), k = 1 … K: ``top`` times the gains of the steps down from layer K to k."""
            return top * _from_the_top(factor * fan * var_w)

        expected = walk()
        diagnose(
            got,
            expected,
            {
                "forgot f′: dz_{k−1} = da_{k−1} ⊙ f′(z_{k−1}), so each layer down also multiplies the "
                "variance by E[f′(z)²]": walk(factor=1.0),
                "used the fan-in: da_{k−1} = dz_k W_kᵀ sums over the n_k units of layer k, so the "
                "factor is n_k·Var(w), the width of the layer the gradient comes from": walk(fan=below),
                "applied f′ at the top as well: Var(dz_K) is given; f′ enters once per layer below it": walk(
                    top=var_top * fprime2
                ),
                "are standard deviations: the variance of a sum is the sum of the variances, so don't "
                "take square roots": np.sqrt(expected),
                "are in the wrong order: entry k − 1 (counting from 0) is Var(dz_k), "
                "the top layer last": expected[::-1],
                "uses E[f′]² in place of E[f′²]: the factor is fprime2 itself, not its square": walk(
                    factor=fprime2**2
                ),
            },
            what=what,
        )


@exercise(
    "variance through a ReLU stack",
    twins=["backprop_course.explorers.nb09_initialization_and_vanishing_gradients.predicted_z_variances"],
    shortcut="apply section 2's two formulas yourself",
)
def check_relu_stack_variance(relu_stack_variance, seed=0):
    """``relu_stack_variance(var_x, n, var_w, depth)`` -> ``[Var(z_1), …, Var(z_depth)]``."""
    rng = np.random.default_rng(seed)
    for depth in (4, 7, 1):  # two layers or more first: with one, a missing ½ is invisible
        n = int(rng.integers(8, 200))
        var_x = float(rng.uniform(0.3, 3.0))
        var_w = float(rng.uniform(0.5, 4.0)) / n
        what = f"relu_stack_variance({var_x:.3f}, {n}, {var_w:.5f}, {depth})"
        got = _variances(call_answer(relu_stack_variance, var_x, n, var_w, depth), depth, what, "Var(z_k)")
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

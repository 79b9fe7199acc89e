"""Hidden tests of notebook 09 (initialisation): one layer, a linear activation (E[f′²] = 1), a
deep stack of distinct widths; a ReLU stack of one layer, at He's variance (constant from layer
1 on) and ten layers deep."""

import numpy as np

from backprop_course.exercises import ExerciseFailed, call_answer, diagnose
from backprop_course.exercises import nb09_initialization_and_vanishing_gradients as practice

from . import hidden, rng


def _array(got, depth, what):
    got = np.asarray(got, dtype=float).reshape(-1)
    if got.shape != (depth,):
        raise ExerciseFailed(f"{what} has {got.size} entries, expected {depth}, one per layer")
    return got


@hidden(practice.check_backward_variances)
def check_backward_variances(backward_variances):
    gen = rng("backward_variances")
    for depth, fprime2 in ((1, 0.5), (3, 1.0), (8, float(gen.uniform(0.1, 0.4)))):
        widths = [int(n) for n in gen.choice(np.arange(5, 500), size=depth, replace=False)]
        var_top, var_w = float(gen.uniform(0.1, 5.0)), float(gen.uniform(1.0, 3.0)) / float(np.mean(widths))
        what = f"backward_variances for {depth} layer(s), E[f′²] = {fprime2:.3g}"
        got = _array(call_answer(backward_variances, var_top, list(widths), var_w, fprime2), depth, what)
        expected = [var_top]
        for n_above in reversed(widths[1:]):
            expected.insert(0, fprime2 * n_above * var_w * expected[0])
        diagnose(got, expected, {}, what)


@hidden(practice.check_relu_stack_variance)
def check_relu_stack_variance(relu_stack_variance):
    gen = rng("relu_stack_variance")
    for depth, gain in ((1, float(gen.uniform(0.5, 3.0))), (5, 2.0), (10, float(gen.uniform(1.5, 2.5)))):
        n, var_x = int(gen.integers(2, 1000)), float(gen.uniform(0.1, 4.0))
        var_w = gain / n  # gain 2: He's variance
        what = f"relu_stack_variance for {depth} layer(s), n·Var(w) = {gain:.3g}"
        got = _array(call_answer(relu_stack_variance, var_x, n, var_w, depth), depth, what)
        expected = var_x * gain * (gain / 2) ** np.arange(depth)
        diagnose(got, expected, {}, what)

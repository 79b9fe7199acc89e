"""Hidden tests of notebook 07 (softmax and cross-entropy): one class, one sample, one-hot
probabilities, an upstream gradient constant along each row; equal weights, one heavy class,
huge logits in rows of mixed sign."""

import numpy as np

from backprop_course.exercises import ExerciseFailed, call_answer, diagnose
from backprop_course.exercises import nb07_softmax_digits as practice
from backprop_lib import Softmax

from . import hidden, rng

softmax = Softmax().forward


@hidden(practice.check_softmax_backward)
def check_softmax_backward(softmax_backward):
    gen = rng("softmax_backward")
    one_hot = np.eye(4)[gen.integers(0, 4, 3)]
    cases = [
        (gen.normal(size=(2, 1)), np.ones((2, 1))),  # one class: a = 1, dz = 0
        (gen.normal(size=(1, 7)), softmax(gen.normal(size=(1, 7)))),
        (gen.normal(size=(3, 4)), one_hot),
        (np.repeat(gen.normal(size=(9, 1)), 3, axis=1), softmax(gen.normal(size=(9, 3)))),  # dz = 0
    ]
    for da, a in cases:
        expected = a * (da - (da * a).sum(axis=1, keepdims=True))
        diagnose(
            call_answer(softmax_backward, da, a), expected, {}, f"dz for n = {a.shape[0]}, K = {a.shape[1]}"
        )


@hidden(practice.check_weighted_ce_gradient)
def check_weighted_ce_gradient(weighted_ce_gradient):
    gen = rng("weighted_ce_gradient")
    cases = []
    for n, K, c in ((1, 2, None), (8, 3, np.ones(3)), (6, 5, np.array([1.0, 1.0, 40.0, 1.0, 0.1]))):
        c = gen.uniform(0.3, 3.0, K) if c is None else c
        cases.append((gen.normal(scale=2.0, size=(n, K)), np.eye(K)[gen.integers(0, K, n)], c))
    Z = gen.normal(scale=5.0, size=(6, 3)) + np.array([-1000.0, 1000.0, -1000.0, 0.0, 1000.0, 990.0])[:, None]
    cases.append((Z, np.eye(3)[gen.integers(0, 3, 6)], gen.uniform(0.3, 3.0, 3)))  # huge logits
    for Z, Y, c in cases:
        got = np.asarray(call_answer(weighted_ce_gradient, Z, Y, c), dtype=float)
        what = f"∂L/∂Z for n = {Z.shape[0]}, K = {Z.shape[1]}" + (
            " (huge logits)" if np.abs(Z).max() > 500 else ""
        )
        if got.shape == Z.shape and not np.isfinite(got).all():
            raise ExerciseFailed(f"{what} contains NaN or inf: subtract each row's own maximum first")
        expected = (Y * c).sum(axis=1, keepdims=True) * (softmax(Z) - Y) / len(Z)
        diagnose(got, expected, {}, what)

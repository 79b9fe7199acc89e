"""Hidden tests of notebook 06 (training on two circles): one sample exactly at 0.5, every
output at 0.5, labels as floats, a thousand samples; no penalty at all (α = 0), one sample,
a 1 × 1 layer (in two parts, as the practice check)."""

import numpy as np

from backprop_course.exercises import ExerciseFailed, call_answer, diagnose, results
from backprop_course.exercises import nb06_training_two_circles as practice

from . import hidden, rng


@hidden(practice.check_accuracy)
def check_accuracy(accuracy):
    gen = rng("accuracy")
    cases = [
        (np.array([0]), np.array([[0.5]])),  # a tie is class 0: right
        (np.array([1.0, 0.0, 1.0]), np.full((3, 1), 0.5)),  # labels as floats
        (gen.integers(0, 2, 1000), gen.uniform(size=(1000, 1))),
    ]
    for y, yhat in cases:
        got = call_answer(accuracy, y, yhat)
        if np.ndim(got) != 0:
            raise ExerciseFailed(f"should return one number, got an array of shape {np.shape(got)}")
        diagnose(got, np.mean((yhat[:, 0] > 0.5) == y), {}, f"the accuracy of {len(y)} samples", rtol=1e-12)


@hidden(practice.check_penalised_gradients)
def check_penalised_gradients(penalised_gradients, part=None):
    gen = rng("penalised_gradients")
    for n_in, n_out, n, alpha in ((1, 1, 1, 0.3), (5, 2, 40, 0.0), (3, 6, 1000, 2.0)):
        W, b = gen.normal(size=(n_in, n_out)), gen.normal(size=(1, n_out))
        dW, db = gen.normal(scale=0.1, size=W.shape), gen.normal(scale=0.1, size=b.shape)
        got_dW, got_db = results(call_answer(penalised_gradients, dW, db, W, b, alpha, n), ("dW", "db"))
        where = f"(layer {n_in} → {n_out}, n = {n}, α = {alpha:g})"
        if part in (None, "dW"):
            diagnose(got_dW, dW + alpha * W / n, {}, f"dW {where}")
        if part in (None, "db"):
            diagnose(got_db, db, {}, f"db {where}")

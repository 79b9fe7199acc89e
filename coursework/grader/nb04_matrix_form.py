"""Hidden tests of notebook 04 (matrix form): one sample with several outputs, saturated
outputs; in the column convention one sample, one unit and a square layer, in three parts."""

from backprop_course.exercises import call_answer, diagnose, results
from backprop_course.exercises import nb04_matrix_form as practice
from backprop_lib import Sigmoid

from . import hidden, rng


@hidden(practice.check_output_dz)
def check_output_dz(output_dz):
    gen = rng("output_dz")
    for n, m, scale in ((1, 3, 1.0), (9, 1, 1.0), (6, 2, 12.0)):  # 12: ŷ within 1e-5 of 0 or 1
        yhat = Sigmoid().forward(gen.normal(scale=scale, size=(n, m)))
        y = gen.integers(0, 2, size=(n, m)).astype(float)
        diagnose(call_answer(output_dz, y, yhat), (yhat - y) / n, {}, f"dz for a batch of {n} × {m}")


@hidden(practice.check_layer_backward_columns)
def check_layer_backward_columns(layer_backward_columns, part=None):
    gen = rng("layer_backward_columns")
    for n, n_in, n_out in ((1, 3, 2), (6, 4, 1), (5, 3, 3)):  # one sample; one unit; square W
        dz, a_prev = gen.normal(size=(n_out, n)) / n, gen.normal(size=(n_in, n))
        W = gen.normal(size=(n_out, n_in))
        out = call_answer(layer_backward_columns, dz, a_prev, W)
        dW, db, da_prev = results(out, ("dW", "db", "da_prev"))
        where = f"(n = {n}, n_(k-1) = {n_in}, n_k = {n_out})"
        if part in (None, "dW"):
            diagnose(dW, dz @ a_prev.T, {}, f"dW {where}")
        if part in (None, "db"):
            diagnose(db, dz.sum(axis=1, keepdims=True), {}, f"db {where}")
        if part in (None, "da_prev"):
            diagnose(da_prev, W.T @ dz, {}, f"da_prev {where}")

"""Exercise checks of notebooks 01 and 04: right answers pass, each named mistake is named."""

import math

import numpy as np
import pytest

from backprop_lib.exercises.feedback import ExerciseFailed
from backprop_lib.exercises.nb01_total_derivatives import (
    check_neuron_differential,
    check_total_derivative,
)
from backprop_lib.exercises.nb04_matrix_form import (
    check_layer_backward,
    check_layer_backward_columns,
)


# An unanswered exercise ("not attempted yet", and under strict=True): every check at once in
# tests/test_coursework_feedback.py.


# -- 01: dg/dx for g = p·q − r², p = cos x, q = x², r = e^(−x) -------------------------


def dg_dx_right(x):
    return -(x**2) * math.sin(x) + 2 * x * math.cos(x) + 2 * math.exp(-2 * x)


def test_total_derivative_right_answer_passes(capsys):
    assert check_total_derivative(dg_dx_right)
    assert "✅" in capsys.readouterr().out
    check_total_derivative(dg_dx_right, seed=1, strict=True)
    check_total_derivative(lambda x: np.array([dg_dx_right(x)]), strict=True)  # shape (1,) is fine


def test_total_derivative_agrees_with_central_differences():
    def g(x):
        return math.cos(x) * x**2 - math.exp(-x) ** 2

    for x in (-1.7, 0.3, 1.9):
        numeric = (g(x + 1e-6) - g(x - 1e-6)) / 2e-6
        assert abs(dg_dx_right(x) - numeric) < 1e-7


@pytest.mark.parametrize("wrong, named", [
    (lambda x: 2 * x * math.cos(x) + 2 * math.exp(-2 * x), "misses the term ∂g/∂p·dp/dx"),
    (lambda x: -(x**2) * math.sin(x) + 2 * math.exp(-2 * x), "misses the term ∂g/∂q·dq/dx"),
    (lambda x: -(x**2) * math.sin(x) + 2 * x * math.cos(x), "misses the term ∂g/∂r·dr/dx"),
    (lambda x: x**2 + 2 * x * math.cos(x) + 2 * math.exp(-2 * x), "drops the inner derivative dp/dx"),
    (lambda x: -(x**2) * math.sin(x) + math.cos(x) + 2 * math.exp(-2 * x), "drops the inner derivative dq/dx"),
    (lambda x: -(x**2) * math.sin(x) + 2 * x * math.cos(x) - 2 * math.exp(-x), "drops the inner derivative dr/dx"),
    (lambda x: x**2 + math.cos(x) - 2 * math.exp(-x), "multiplies none of them"),
    (lambda x: x**2 * math.sin(x) + 2 * x * math.cos(x) + 2 * math.exp(-2 * x), "wrong sign in the p-term"),
    (lambda x: -(x**2) * math.sin(x) + 2 * x * math.cos(x) - 2 * math.exp(-2 * x), "wrong sign in the r-term"),
    (lambda x: -(x**2) * math.sin(x) + 2 * x * math.cos(x) + math.exp(-2 * x), "half as large"),
])
def test_total_derivative_mistakes_are_named(wrong, named):
    with pytest.raises(ExerciseFailed, match=named.replace("(", r"\(").replace(")", r"\)")):
        check_total_derivative.check(wrong)


def test_total_derivative_unnamed_mistake_and_bad_returns():
    with pytest.raises(ExerciseFailed, match="dg/dx is off at index"):
        check_total_derivative.check(lambda x: dg_dx_right(x) + 0.1)
    with pytest.raises(ExerciseFailed, match="forget the `return`"):
        check_total_derivative.check(lambda x: None)
    with pytest.raises(ExerciseFailed, match="one number"):
        check_total_derivative.check(lambda x: [1.0, 2.0])


# -- 01: the total differential of a = tanh(w·x + b) ------------------------------------


def neuron_differential_right(w, x, b, dw, dx, db):
    return (1 - math.tanh(w * x + b) ** 2) * (x * dw + w * dx + db)


def test_neuron_differential_right_answer_passes(capsys):
    assert check_neuron_differential(neuron_differential_right)
    check_neuron_differential(neuron_differential_right, seed=3, strict=True)


def test_neuron_differential_is_the_linear_approximation():
    w, x, b, dw, dx, db = 0.7, -1.2, 0.3, 1e-4, -2e-4, 3e-4
    delta = math.tanh((w + dw) * (x + dx) + b + db) - math.tanh(w * x + b)
    da = neuron_differential_right(w, x, b, dw, dx, db)
    assert abs(delta - da) < 1e-7 and abs(da) > 1e-5


def _fp(w, x, b):
    return 1 - math.tanh(w * x + b) ** 2


@pytest.mark.parametrize("wrong, named", [
    (lambda w, x, b, dw, dx, db: _fp(w, x, b) * (w * dx + db), "misses the term x·dw"),
    (lambda w, x, b, dw, dx, db: _fp(w, x, b) * (x * dw + db), "misses the term w·dx"),
    (lambda w, x, b, dw, dx, db: _fp(w, x, b) * (x * dw + w * dx), "misses the term db"),
    (lambda w, x, b, dw, dx, db: x * dw + w * dx + db, "is dz, not da"),
    (lambda w, x, b, dw, dx, db: _fp(w, x, b) * (w * dw + x * dx + db), "swaps ∂z/∂w and ∂z/∂x"),
    (lambda w, x, b, dw, dx, db: (1 - (w * x + b) ** 2) * (x * dw + w * dx + db), "uses 1 − z²"),
    (lambda w, x, b, dw, dx, db: -_fp(w, x, b) * (x * dw + w * dx + db), "wrong sign"),
])
def test_neuron_differential_mistakes_are_named(wrong, named):
    with pytest.raises(ExerciseFailed, match=named):
        check_neuron_differential.check(wrong)


# -- 04: layer_backward in the row convention --------------------------------------------


def layer_backward_right(da, z, a_prev, W, fprime):
    dz = da * fprime(z)
    return dz, a_prev.T @ dz, dz.sum(axis=0, keepdims=True), dz @ W.T


def variant(dz=None, dW=None, db=None, da_prev=None):
    """layer_backward with one of its four outputs replaced by a wrong formula."""
    def layer_backward(da, z, a_prev, W, fprime):
        right_dz = da * fprime(z)
        out_dz = dz(da, z, fprime) if dz else right_dz
        out_dW = dW(right_dz, a_prev, z) if dW else a_prev.T @ right_dz
        out_db = db(right_dz) if db else right_dz.sum(axis=0, keepdims=True)
        out_da = da_prev(right_dz, W) if da_prev else right_dz @ W.T
        return out_dz, out_dW, out_db, out_da
    return layer_backward


def test_layer_backward_right_answer_passes(capsys):
    assert check_layer_backward(layer_backward_right)
    for seed in range(1, 6):
        check_layer_backward(layer_backward_right, seed=seed, strict=True)


def test_layer_backward_accepts_a_1d_db():
    def one_d_db(da, z, a_prev, W, fprime):
        dz, dW, db, da_prev = layer_backward_right(da, z, a_prev, W, fprime)
        return dz, dW, db.ravel(), da_prev

    check_layer_backward(one_d_db, strict=True)


@pytest.mark.parametrize("wrong, named", [
    # missing transpose
    (variant(dW=lambda dz, a_prev, z: dz.T @ a_prev), "missing or extra transpose: dW = a_prevᵀ dz"),
    (variant(dW=lambda dz, a_prev, z: a_prev @ dz), "missing transpose"),   # raises in numpy
    (variant(da_prev=lambda dz, W: dz @ W), "missing transpose"),            # raises in numpy
    (variant(da_prev=lambda dz, W: W @ dz.T), "da_prev has shape .* missing or extra transpose"),
    # a_k instead of a_{k-1} (erratum 2)
    (variant(dW=lambda dz, a_prev, z: np.tanh(z).T @ dz), "erratum 2"),
    (variant(dW=lambda dz, a_prev, z: z.T @ dz), "this layer's own output"),
    # mean vs sum over the batch
    (variant(dW=lambda dz, a_prev, z: a_prev.T @ dz / len(dz)), "dW is averaged over the batch"),
    (variant(dW=lambda dz, a_prev, z: a_prev.T @ dz * len(dz)), "dW is n× too large"),
    (variant(db=lambda dz: dz.mean(axis=0, keepdims=True)), "db is averaged over the batch"),
    (variant(db=lambda dz: dz.sum(axis=0, keepdims=True) * len(dz)), "db is n× too large"),
    (variant(dz=lambda da, z, fprime: da * fprime(z) / len(da)), "dz divides by n again"),
    # wrong axis for db
    (variant(db=lambda dz: dz.sum(axis=1, keepdims=True)), "db has shape .* wrong axis"),
    (variant(db=lambda dz: dz.sum(axis=1)), "wrong axis"),
    (variant(db=lambda dz: dz), "db has one row per sample"),
    (variant(db=lambda dz: dz.sum()), "summed over both axes"),
    # dz
    (variant(dz=lambda da, z, fprime: da), "dz is da itself"),
    (variant(dz=lambda da, z, fprime: da @ fprime(z)), "elementwise"),  # raises in numpy
])
def test_layer_backward_mistakes_are_named(wrong, named, capsys):
    with pytest.raises(ExerciseFailed, match=named):
        check_layer_backward.check(wrong)
    assert not check_layer_backward(wrong)
    assert "❌" in capsys.readouterr().out


def test_layer_backward_bad_returns():
    with pytest.raises(ExerciseFailed, match="should return 4 arrays"):
        check_layer_backward.check(lambda da, z, a_prev, W, fprime: da)
    with pytest.raises(ExerciseFailed, match="db is None"):
        check_layer_backward.check(
            lambda da, z, a_prev, W, fprime: (*layer_backward_right(da, z, a_prev, W, fprime)[:2], None,
                                              layer_backward_right(da, z, a_prev, W, fprime)[3]))


def test_layer_backward_shapes_are_never_square():
    """The check's random layers have n, n_(k-1), n_k all different, for every seed."""
    seen = []

    def spy(da, z, a_prev, W, fprime):
        seen.append((da.shape[0], *W.shape))
        return layer_backward_right(da, z, a_prev, W, fprime)

    for seed in range(20):
        check_layer_backward.check(spy, seed=seed)
    assert len(seen) == 40 and all(len(set(s)) == 3 for s in seen)
    assert len(set(seen)) > 5  # several shapes, not one fixed case


# -- 04: the column convention -----------------------------------------------------------


def layer_backward_columns_right(dz, a_prev, W):
    return dz @ a_prev.T, dz.sum(axis=1, keepdims=True), W.T @ dz


def test_layer_backward_columns_right_answer_passes():
    assert check_layer_backward_columns(layer_backward_columns_right)
    check_layer_backward_columns(layer_backward_columns_right, seed=7, strict=True)


def test_columns_and_rows_agree_by_transposition():
    rng = np.random.default_rng(0)
    dz, a_prev, W = rng.normal(size=(5, 4)), rng.normal(size=(5, 3)), rng.normal(size=(3, 4))
    row = layer_backward_right(dz, np.zeros_like(dz), a_prev, W, lambda z: np.ones_like(z))
    col = layer_backward_columns_right(dz.T, a_prev.T, W.T)
    np.testing.assert_allclose(col[0], row[1].T)
    np.testing.assert_allclose(col[1], row[2].T)
    np.testing.assert_allclose(col[2], row[3].T)


@pytest.mark.parametrize("wrong, named", [
    (lambda dz, a_prev, W: (a_prev @ dz.T, dz.sum(axis=1, keepdims=True), W.T @ dz), "row convention's dW"),
    (lambda dz, a_prev, W: (dz @ a_prev.T, dz.sum(axis=0, keepdims=True), W.T @ dz), "wrong axis"),
    (lambda dz, a_prev, W: (dz @ a_prev.T, dz, W.T @ dz), "one column per sample"),
    (lambda dz, a_prev, W: (dz @ a_prev.T, dz.sum(axis=1, keepdims=True), dz.T @ W), "row convention's layout"),
    (lambda dz, a_prev, W: (dz @ a_prev.T, dz.sum(axis=1, keepdims=True), W @ dz), "missing transpose"),
    (lambda dz, a_prev, W: (dz @ a_prev.T / dz.shape[1], dz.sum(axis=1, keepdims=True), W.T @ dz),
     "dW is averaged over the batch"),
    (lambda dz, a_prev, W: (dz @ a_prev.T, dz.mean(axis=1, keepdims=True), W.T @ dz),
     "db is averaged over the batch"),
])
def test_layer_backward_columns_mistakes_are_named(wrong, named):
    with pytest.raises(ExerciseFailed, match=named):
        check_layer_backward_columns.check(wrong)

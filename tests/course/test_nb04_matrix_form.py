"""Notebook 04 (matrix form): shapes, Jacobians and losses seen from inside the network, the
shape explorer; the exercise checks of the row and column conventions."""

import numpy as np
import pytest
from conftest import plain

import backprop_lib as bp
from backprop_course.exercises.feedback import ExerciseFailed
from backprop_course.exercises.nb04_matrix_form import check_layer_backward, check_layer_backward_columns
from backprop_course.explorers import nb04_matrix_form as mf

# -- 04: shapes -----------------------------------------------------------------------------


@pytest.mark.parametrize("sizes, n", [([3, 4, 2, 2], 5), ([2, 7, 1], 1), ([6, 3, 5, 4, 2], 9)])
def test_shapes_match_a_real_network(sizes, n):
    rng = np.random.default_rng(0)
    net = bp.MLP(sizes, ["tanh"] * (len(sizes) - 2) + ["sigmoid"], loss="bce", seed=1)
    X = rng.normal(size=(n, sizes[0]))
    net.forward(X)
    net.backward(rng.integers(0, 2, size=(n, sizes[-1])).astype(float))
    table = mf.shapes(sizes, n)
    assert len(table) == len(net.layers)
    for row, layer in zip(table, net.layers):
        assert row["a_prev"] == layer.a_prev.shape
        assert row["W"] == layer.W.shape and row["b"] == layer.b.shape
        assert row["z"] == layer.z.shape and row["a"] == layer.a.shape
        assert row["dz"] == layer.dz.shape
        assert row["dW"] == layer.dW.shape and row["db"] == layer.db.shape
        assert row["da_prev"] == (layer.dz @ layer.W.T).shape
        if layer.da is not None:
            assert row["da"] == layer.da.shape


def test_shapes_text_and_validation():
    text = mf.shapes_text([3, 4, 2], 5)
    assert "(3, 5)·(5, 4) → (3, 4)" in text and "(5, 4)·(4, 3) → (5, 3)" in text
    assert mf.parse_layer_sizes(" 3, 4 2,2 ") == [3, 4, 2, 2]
    with pytest.raises(ValueError, match="whole numbers"):
        mf.parse_layer_sizes("3, four")
    with pytest.raises(ValueError, match="at least 2"):
        mf.parse_layer_sizes("3")
    with pytest.raises(
        ValueError, match=r"layer_sizes: expected at least 2 sizes \(inputs and outputs\), got \[\]"
    ):
        mf.parse_layer_sizes("")
    with pytest.raises(ValueError, match="batch_size: expected an integer >= 1, got 0"):
        mf.shapes([3, 4], 0)
    with pytest.raises(TypeError, match=r"batch_size: expected an integer >= 1, got 2.5 \(float\)"):
        mf.shapes([3, 4], 2.5)
    with pytest.raises(ValueError, match=r"layer_sizes\[1\]: expected an integer >= 1, got 0"):
        mf.shapes([3, 0], 2)


def test_numerical_jacobian_of_a_layer_is_w_transposed():
    rng = np.random.default_rng(3)
    W, b = rng.normal(size=(3, 4)), rng.normal(size=(1, 4))
    a = rng.normal(size=3)
    J = mf.numerical_jacobian(lambda v: (v @ W + b)[0], a)
    assert J.shape == (4, 3)
    np.testing.assert_allclose(J, W.T, atol=1e-8)
    # a function that hands back its input itself: the identity, not zeros
    np.testing.assert_allclose(mf.numerical_jacobian(lambda v: v, a.copy()), np.eye(3), atol=1e-9)
    np.testing.assert_allclose(
        mf.numerical_jacobian(np.tanh, a.copy()), np.diag(1 - np.tanh(a) ** 2), atol=1e-9
    )


def test_loss_from_z_and_a_give_the_backward_gradients():
    rng = np.random.default_rng(4)
    net = bp.MLP([3, 4, 2, 2], ["tanh", "tanh", "sigmoid"], loss="bce", seed=4)
    X, y = rng.normal(size=(5, 3)), rng.integers(0, 2, size=(5, 2)).astype(float)
    net.forward(X)
    net.backward(y)
    dz2, dz1 = net.layers[1].dz.copy(), net.layers[0].dz.copy()
    da0 = dz1 @ net.layers[0].W.T
    z2 = net.layers[1].z.copy()
    num_dz2 = bp.numerical_gradient(lambda: mf.loss_from_z(net, 2, z2, y), z2)
    X_copy = X.copy()
    num_da0 = bp.numerical_gradient(lambda: mf.loss_from_a(net, 0, X_copy, y), X_copy)
    assert bp.rel_error(dz2, num_dz2) < 1e-7 and bp.rel_error(da0, num_da0) < 1e-7
    assert mf.loss_from_a(net, 0, X, y) == pytest.approx(net.loss(X, y), rel=1e-12)
    assert mf.loss_from_z(net, 2, z2, y) == pytest.approx(net.loss(X, y), rel=1e-12)
    # pure: the caches of the last forward pass are still those of X
    np.testing.assert_array_equal(net.layers[1].dz, dz2)
    np.testing.assert_array_equal(net.layers[0].a_prev, X)
    with pytest.raises(ValueError, match="layer number"):
        mf.loss_from_z(net, 0, z2, y)


def test_time_backward_reports_loops_slower_than_matrices():
    rng = np.random.default_rng(5)
    net = bp.MLP([3, 4, 2, 2], ["tanh", "tanh", "sigmoid"], loss="bce", seed=5)
    X, y = rng.normal(size=(16, 3)), rng.integers(0, 2, size=(16, 2)).astype(float)
    result = mf.time_backward(net, X, y, repeat=1)
    assert result["loops"] > result["matrix"] > 0
    assert result["ratio"] == pytest.approx(result["loops"] / result["matrix"])


# -- 04: the explorer -----------------------------------------------------------------------


def test_shape_explorer_follows_its_controls():
    w = mf.shape_explorer()
    assert "(5, 3)" in plain(w.table_html.value)  # a_0 = X: a batch of 5 rows, 3 inputs
    w.batch_slider.value = 17
    assert mf.shapes_html([3, 4, 2, 2], 17) == w.table_html.value
    text = plain(w.table_html.value)
    assert "n = 17" in text and "(17, 3)" in text and "(5, 3)" not in text
    w.sizes_text.value = "6, 9, 1"
    assert mf.shapes_html([6, 9, 1], 17) == w.table_html.value
    text = plain(w.table_html.value)
    assert "(6, 17)·(17, 9) → (6, 9)" in text and "(17, 1)·(1, 9) → (17, 9)" in text
    w.sizes_text.value = "6, x"
    assert "whole numbers" in w.table_html.value
    w.sizes_text.value = "3, 4, 2"
    w.batch_slider.value = 8
    w.time_button.click()
    assert "faster" in w.timing_html.value and "ms" in w.timing_html.value
    w.batch_slider.value = 9
    assert w.timing_html.value == ""  # a stale timing is cleared


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


@pytest.mark.parametrize(
    "wrong, named",
    [
        # missing transpose
        (variant(dW=lambda dz, a_prev, z: dz.T @ a_prev), "missing or extra transpose: dW = a_prevᵀ dz"),
        (variant(dW=lambda dz, a_prev, z: a_prev @ dz), "missing transpose"),  # raises in numpy
        (variant(da_prev=lambda dz, W: dz @ W), "missing transpose"),  # raises in numpy
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
    ],
)
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
            lambda da, z, a_prev, W, fprime: (
                *layer_backward_right(da, z, a_prev, W, fprime)[:2],
                None,
                layer_backward_right(da, z, a_prev, W, fprime)[3],
            )
        )


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


@pytest.mark.parametrize(
    "wrong, named",
    [
        (
            lambda dz, a_prev, W: (a_prev @ dz.T, dz.sum(axis=1, keepdims=True), W.T @ dz),
            "row convention's dW",
        ),
        (lambda dz, a_prev, W: (dz @ a_prev.T, dz.sum(axis=0, keepdims=True), W.T @ dz), "wrong axis"),
        (lambda dz, a_prev, W: (dz @ a_prev.T, dz, W.T @ dz), "one column per sample"),
        (
            lambda dz, a_prev, W: (dz @ a_prev.T, dz.sum(axis=1, keepdims=True), dz.T @ W),
            "row convention's layout",
        ),
        (lambda dz, a_prev, W: (dz @ a_prev.T, dz.sum(axis=1, keepdims=True), W @ dz), "missing transpose"),
        (
            lambda dz, a_prev, W: (dz @ a_prev.T / dz.shape[1], dz.sum(axis=1, keepdims=True), W.T @ dz),
            "dW is averaged over the batch",
        ),
        (
            lambda dz, a_prev, W: (dz @ a_prev.T, dz.mean(axis=1, keepdims=True), W.T @ dz),
            "db is averaged over the batch",
        ),
    ],
)
def test_layer_backward_columns_mistakes_are_named(wrong, named):
    with pytest.raises(ExerciseFailed, match=named):
        check_layer_backward_columns.check(wrong)

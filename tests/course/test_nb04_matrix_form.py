"""Notebook 04 (matrix form): shapes, Jacobians and losses seen from inside the network, the
four formulas checked layer by layer, the dW explorer and its wrong formulas driven without a
browser; the exercise checks (the fused output dz of sigmoid + BCE, the column convention)."""

import numpy as np
import pytest
from conftest import plain, printed_feedback

import backprop_lib as bp
from backprop_course.exercises.feedback import ExerciseFailed
from backprop_course.exercises.nb04_matrix_form import check_layer_backward_columns, check_output_dz
from backprop_course.explorers import nb04_matrix_form as mf
from backprop_course.explorers.nb02_network_equations import example_network

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
    assert result["per_operation"] == pytest.approx(result["loops"] / mf.multiply_adds([3, 4, 2, 2], 16))
    # z, dW and da_prev of every layer, less the first layer's da_prev: 16·(3·(12 + 8 + 4) − 12)
    assert mf.multiply_adds([3, 4, 2, 2], 16) == 16 * (3 * 24 - 12)


def test_formula_checks_pass_for_the_library_and_name_every_formula():
    rng = np.random.default_rng(6)
    net = bp.MLP([3, 4, 2, 2], ["sigmoid", "tanh", "sigmoid"], loss="mse", seed=6, init=bp.Normal(0.8))
    X, Y = rng.normal(size=(5, 3)), rng.uniform(size=(5, 2))
    lines = mf.formula_checks(net, X, Y).splitlines()
    assert len(lines) == 1 + 4 + 4 + 3  # a header, four formulas per layer, no da below layer 1
    assert all(line.endswith("✓") for line in lines[1:])
    assert lines[1].split()[:3] == ["3", "dz(3)", "da(3)"] and "dW(1)" in lines[-2]


def test_formula_checks_see_a_wrong_backward_pass():
    from backprop_course.errata import with_errata

    rng = np.random.default_rng(7)
    net = with_errata(bp.MLP([3, 4, 3], ["tanh", "tanh"], loss="mse", seed=7), [5])  # db a mean
    lines = mf.formula_checks(net, rng.normal(size=(5, 3)), rng.normal(size=(5, 3))).splitlines()
    failed = [line.split()[1] for line in lines[1:] if line.endswith("✗")]
    assert failed == ["db(2)", "db(1)"]


# -- 04: the dW explorer ----------------------------------------------------------------------


def test_the_dw_batch_starts_with_notebook_03s_sample():
    net, X, Y = mf.dw_batch(3)
    _, x, y = example_network()
    np.testing.assert_array_equal(X[0], x)
    np.testing.assert_array_equal(Y[0], y)
    assert X.shape == (3, 3) and net.layers[0].a_prev is not None


@pytest.mark.parametrize("k", [1, 2, 3])
def test_the_right_formula_is_the_librarys_dw_and_passes(k):
    view = mf.dw_view(k, mf.RIGHT, 4)
    net, _, _ = mf.dw_batch(4)
    np.testing.assert_allclose(view.result, net.layers[k - 1].dW, rtol=1e-13)
    assert view.passed and view.rel_error < bp.TOLERANCE and "passes" in view.verdict


@pytest.mark.parametrize(
    "k, formula, n, verdict",
    [
        (1, "a(k)ᵀ dz  (erratum 2)", 3, "shape (4, 4), but W(1) is (3, 4): it cannot be its gradient"),
        (3, "a(k)ᵀ dz  (erratum 2)", 3, "the sizes happen to fit), but the gradient check fails"),
        (2, "a(k-1) dz  (no transpose)", 3, "numpy refuses the product"),
        (1, "a(k-1) dz  (no transpose)", 3, "the sizes happen to fit"),  # n = n_0 = 3
        (2, "dzᵀ a(k-1)  (transposed)", 3, "shape (2, 4), but W(2) is (4, 2)"),
        (2, "a(k-1)ᵀ dz / n  (a mean)", 3, "relative error 0.5"),  # factor 1/3: (3 − 1)/(3 + 1)
    ],
)
def test_each_wrong_formula_fails_its_way(k, formula, n, verdict):
    view = mf.dw_view(k, formula, n)
    assert not view.passed and verdict in view.verdict


def test_with_one_sample_the_mean_cannot_be_seen():
    assert mf.dw_view(2, "a(k-1)ᵀ dz / n  (a mean)", 1).passed


def test_dw_html_writes_an_entry_as_a_sum_over_the_samples():
    view = mf.dw_view(2, mf.RIGHT, 3)
    text = plain(mf.dw_html(view, j=1, i=0))
    left, right = view.left.values, view.right.values
    terms = " + ".join(f"{left[1, s]:.4f}·{right[s, 0]:.4f}" for s in range(3)).replace("-", "−")
    assert f"entry (2, 1): ({terms}) = {view.result[1, 0]:.4f}".replace("-", "−") in text
    assert "a(1)ᵀ" in text and "dz(2)" in text and "✓" in text
    refused = plain(mf.dw_html(mf.dw_view(2, "a(k-1) dz  (no transpose)", 3)))
    assert "matmul" in refused and "✗" in refused


def test_dw_explorer_follows_its_controls():
    w = mf.dw_explorer()
    assert w.view().passed and "✓" in w.output.value
    w.formula.value = "a(k)ᵀ dz  (erratum 2)"
    assert "cannot be its gradient" in w.output.value
    w.layer.value = 3
    assert "gradient check fails" in w.output.value and w.view().k == 3
    assert [value for _, value in w.entry.options] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    w.layer.value = 1
    assert len(w.entry.options) == 3 * 4
    w.entry.value = (2, 3)
    w.formula.value = mf.RIGHT
    assert "entry (3, 4)" in plain(w.output.value)
    w.batch.value = 5
    assert w.view().n == 5 and "n = 5" in w.output.value
    with pytest.raises(ValueError, match="formula: expected one of"):
        mf.dw_view(1, "a dz", 3)


# -- 04: the fused output dz of sigmoid + mean BCE --------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_output_dz_correct(seed, capsys):
    ok, out = printed_feedback(check_output_dz, lambda y, yhat: (yhat - y) / len(y), capsys, seed=seed)
    assert ok and "✅ output dz of sigmoid + mean BCE: correct" in out


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda y, yhat: 2 * (yhat - y) / len(y), "erratum 1"),
        (lambda y, yhat: yhat - y, "erratum 4"),
        (lambda y, yhat: 2 * (yhat - y), "both of the original's errata"),
        (lambda y, yhat: (y - yhat) / len(y), "wrong sign"),
        (lambda y, yhat: (yhat - y) / (yhat * (1 - yhat)) / len(y), "is ∂L/∂ŷ: multiply by σ'"),
        (lambda y, yhat: ((yhat - y) / len(y)).T, "transpose"),
        (lambda y, yhat: (yhat - y) / len(y) + 0.001, "the check's input: y = "),
    ],
)
def test_output_dz_mistakes_are_named(answer, phrase, capsys):
    ok, out = printed_feedback(check_output_dz, answer, capsys)
    assert not ok and phrase in out


def test_output_dz_mistakes_raise_when_strict():
    with pytest.raises(ExerciseFailed, match="erratum 1"):
        check_output_dz(lambda y, yhat: 2 * (yhat - y) / len(y), strict=True)


# -- 04: the column convention -----------------------------------------------------------


def layer_backward_columns_right(dz, a_prev, W):
    return dz @ a_prev.T, dz.sum(axis=1, keepdims=True), W.T @ dz


def test_layer_backward_columns_right_answer_passes():
    assert check_layer_backward_columns(layer_backward_columns_right)
    check_layer_backward_columns(layer_backward_columns_right, seed=7, strict=True)


def test_columns_and_rows_agree_by_transposition():
    rng = np.random.default_rng(0)
    net = bp.MLP([3, 4, 2], ["tanh", "sigmoid"], loss="bce", seed=0)
    X, y = rng.normal(size=(5, 3)), rng.integers(0, 2, size=(5, 2)).astype(float)
    net.forward(X)
    net.backward(y)
    layer = net.layers[1]
    dW, db, da_prev = layer_backward_columns_right(layer.dz.T, layer.a_prev.T, layer.W.T)
    np.testing.assert_allclose(dW, layer.dW.T)
    np.testing.assert_allclose(db, layer.db.T)
    np.testing.assert_allclose(da_prev, net.layers[0].da.T)


def test_a_one_dimensional_db_is_refused_with_its_shape_named():
    def flat_db(dz, a_prev, W):
        dW, db, da_prev = layer_backward_columns_right(dz, a_prev, W)
        return dW, db.ravel(), da_prev

    with pytest.raises(ExerciseFailed, match=r"db has shape \(\d,\): give it b's shape, the column"):
        check_layer_backward_columns.check(flat_db)


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


def test_a_transposed_dw_on_the_square_layer_is_named():
    def transposed_on_square(dz, a_prev, W):
        dW, db, da_prev = layer_backward_columns_right(dz, a_prev, W)
        return (dW.T if dW.shape[0] == dW.shape[1] else dW), db, da_prev

    with pytest.raises(ExerciseFailed, match=r"dW is transposed: a_prev dzᵀ is the row convention's dW"):
        check_layer_backward_columns.check(transposed_on_square)


def test_w_for_its_transpose_in_da_prev_on_the_square_layer_is_named():
    def untransposed_on_square(dz, a_prev, W):
        dW, db, da_prev = layer_backward_columns_right(dz, a_prev, W)
        return dW, db, (W @ dz if W.shape[0] == W.shape[1] else da_prev)

    with pytest.raises(ExerciseFailed, match=r"da_prev uses W, not its transpose: .* da_prev = Wᵀ dz"):
        check_layer_backward_columns.check(untransposed_on_square)


def test_the_column_check_has_three_parts_each_judged_alone(capsys):
    def mean_db(dz, a_prev, W):
        dW, db, da_prev = layer_backward_columns_right(dz, a_prev, W)
        return dW, db / dz.shape[1], da_prev

    assert check_layer_backward_columns.parts == ("dW", "db", "da_prev")
    assert check_layer_backward_columns(mean_db, part="dW")
    assert not check_layer_backward_columns(mean_db, part="db")
    assert check_layer_backward_columns(mean_db, part="da_prev")
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("❌ layer_backward_columns (column convention) [db]: db is averaged")


# -- the library's own BCE gradient and layer earn nothing --------------------------------------


def columns_by_the_layer(dz, a_prev, W):
    layer = bp.Dense(W.T, np.zeros((1, W.shape[0])), bp.Identity())
    layer.a_prev = a_prev.T
    da_prev = layer.backward_from_dz(dz.T)
    return layer.dW.T, layer.db.T, da_prev.T


@pytest.mark.parametrize(
    "check, shortcut, twin",
    [
        (check_output_dz, bp.BinaryCrossEntropy().fused_dz, "BinaryCrossEntropy.fused_dz"),
        (
            check_output_dz,
            lambda y, yhat: bp.BinaryCrossEntropy().gradient(y, yhat) * yhat * (1 - yhat),
            "BinaryCrossEntropy.gradient",
        ),
        (check_layer_backward_columns, columns_by_the_layer, "Dense.backward_from_dz"),
    ],
)
def test_a_working_shortcut_through_the_library_earns_nothing(check, shortcut, twin, capsys):
    check.check(shortcut)  # without the twins stopped, it would pass: a real shortcut
    assert not check(shortcut)
    assert f"backprop_lib's {twin}" in capsys.readouterr().out

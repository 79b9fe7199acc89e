"""Explorers of notebooks 01 and 04: the numbers are right and the widgets follow their controls."""

import io
import math
import re

import numpy as np
import PIL.Image
import pytest

import backprop_lib as bp
from backprop_lib.explorers import matrix_form as mf
from backprop_lib.explorers import total_derivatives as td

# -- 01: compute functions -----------------------------------------------------------------


@pytest.mark.parametrize("x", [-1.9, -0.4, 0.0, 0.8, 1.7])
def test_each_ingredient_matches_central_differences(x):
    h = 1e-6
    t, u, v = td.inner(x)
    for (name, p), d in zip(zip(td.NAMES, td.partials(t, u, v)), td.inner_derivatives(x)):
        # the partial derivative of the outer function, holding the other two fixed
        args = {"t": t, "u": u, "v": v}
        plus, minus = dict(args), dict(args)
        plus[name] += h
        minus[name] -= h
        assert abs((td.outer(**plus) - td.outer(**minus)) / (2 * h) - p) < 1e-7
        # the inner derivative
        index = td.NAMES.index(name)
        numeric = (td.inner(x + h)[index] - td.inner(x - h)[index]) / (2 * h)
        assert abs(numeric - d) < 1e-7


@pytest.mark.parametrize("x", [-1.9, -0.4, 0.8, 1.7])
def test_total_derivative_is_the_sum_of_terms_and_matches_numerics(x):
    terms = td.chain_rule_terms(x)
    assert terms["total"] == pytest.approx(sum(terms[n]["term"] for n in td.NAMES))
    closed_form = 2 * x * math.sin(x) + x**2 * math.cos(x) + math.exp(x)
    assert terms["total"] == pytest.approx(closed_form, rel=1e-12)
    assert bp.rel_error(terms["total"], td.central_difference(x)) < 1e-7
    h = 1e-4
    numeric_f2 = (td.composite(x + h) - 2 * td.composite(x) + td.composite(x - h)) / h**2
    assert td.second_derivative(x) == pytest.approx(numeric_f2, rel=1e-5, abs=1e-5)


def test_total_differential_error_shrinks_like_dx_squared():
    dxs = np.logspace(-1, -5, 5)
    errors = td.differential_errors(1.0, dxs)
    assert td.fitted_slope(dxs, errors) == pytest.approx(2.0, abs=0.02)
    small = td.total_differential(1.0, 1e-4)
    assert small["error_over_dx2"] == pytest.approx(td.second_derivative(1.0) / 2, rel=1e-3)
    assert small["df"] == pytest.approx(td.total_derivative(1.0) * 1e-4)


def test_compute_functions_reject_bad_input():
    with pytest.raises(TypeError, match="real number"):
        td.chain_rule_terms("1.0")
    with pytest.raises(ValueError, match="finite"):
        td.total_differential(float("nan"), 0.1)
    with pytest.raises(ValueError, match="non-zero"):
        td.total_differential(1.0, 0)
    with pytest.raises(ValueError, match="positive"):
        td.fitted_slope([0.1, 0.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="x: expected a value in"):
        td.total_derivative_explorer(x=5.0)


# -- 01: the explorer -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def explorer01():
    return td.total_derivative_explorer()


def test_explorer01_shows_the_terms_and_their_sum(explorer01):
    w = explorer01
    w.x_slider.value = 1.2
    w.dx_slider.value = 0.1
    text = w.terms_html.value
    x = 1.2
    assert "x = 1.200" in text
    assert f"{math.sin(x) * 2 * x:.6f}" in text                 # ∂f/∂t · dt/dx = u · 2x
    assert f"{x**2 * math.cos(x):.6f}" in text                  # ∂f/∂u · du/dx = t · cos x
    assert f"{math.exp(x):.6f}" in text                         # ∂f/∂v · dv/dx = 2v · v/2
    total = 2 * x * math.sin(x) + x**2 * math.cos(x) + math.exp(x)
    assert text.count(f"{total:.6f}") == 2                      # the sum and the central difference
    true_change = td.composite(x + 0.1) - td.composite(x)
    assert f"{true_change:.6f}" in text and f"{total * 0.1:.6f}" in text


def test_explorer01_moves_its_lines(explorer01):
    w = explorer01
    w.x_slider.value = 0.5
    w.dx_slider.value = 0.5
    tangent_before = np.array(w.artists["tangent"].get_ydata(), dtype=float)
    error_before = np.array(w.artists["err_curve"].get_ydata(), dtype=float)
    png_before = w.image.value
    w.x_slider.value = -1.0
    x = -1.0
    tangent = np.array(w.artists["tangent"].get_ydata(), dtype=float)
    xs = np.array(w.artists["tangent"].get_xdata(), dtype=float)
    assert not np.allclose(tangent, tangent_before)
    np.testing.assert_allclose(tangent, td.composite(x) + td.total_derivative(x) * (xs - x))
    assert list(w.artists["point"].get_xdata()) == [x]
    assert not np.allclose(w.artists["err_curve"].get_ydata(), error_before)
    assert w.image.value != png_before
    picture = PIL.Image.open(io.BytesIO(w.image.value))
    picture.load()  # a valid PNG of the whole figure
    assert picture.size == tuple(int(v) for v in w.fig.bbox.size) and picture.mode == "RGB"

    w.dx_slider.value = 0.01
    gap = np.array(w.artists["gap"].get_ydata(), dtype=float)
    change = td.total_differential(x, 0.01)
    assert abs(gap[1] - gap[0]) == pytest.approx(abs(change["error"]), rel=1e-9)
    assert float(w.artists["err_point"].get_xdata()[0]) == pytest.approx(0.01)


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
    with pytest.raises(ValueError, match="positive"):
        mf.shapes([3, 4], 0)
    with pytest.raises(TypeError, match="batch_size"):
        mf.shapes([3, 4], 2.5)


def test_numerical_jacobian_of_a_layer_is_w_transposed():
    rng = np.random.default_rng(3)
    W, b = rng.normal(size=(3, 4)), rng.normal(size=(1, 4))
    a = rng.normal(size=3)
    J = mf.numerical_jacobian(lambda v: (v @ W + b)[0], a)
    assert J.shape == (4, 3)
    np.testing.assert_allclose(J, W.T, atol=1e-8)


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
    assert mf.loss_from_a(net, 0, X, y) == pytest.approx(net.loss(X, y))
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


def _plain(html_text):
    return re.sub(r"<[^>]+>", "", html_text)


def test_shape_explorer_follows_its_controls():
    w = mf.shape_explorer()
    assert "(5, 3)" in _plain(w.table_html.value)  # a_0 = X: a batch of 5 rows, 3 inputs
    w.batch_slider.value = 17
    assert mf.shapes_html([3, 4, 2, 2], 17) == w.table_html.value
    plain = _plain(w.table_html.value)
    assert "n = 17" in plain and "(17, 3)" in plain and "(5, 3)" not in plain
    w.sizes_text.value = "6, 9, 1"
    assert mf.shapes_html([6, 9, 1], 17) == w.table_html.value
    plain = _plain(w.table_html.value)
    assert "(6, 17)·(17, 9) → (6, 9)" in plain and "(17, 1)·(1, 9) → (17, 9)" in plain
    w.sizes_text.value = "6, x"
    assert "whole numbers" in w.table_html.value
    w.sizes_text.value = "3, 4, 2"
    w.batch_slider.value = 8
    w.time_button.click()
    assert "faster" in w.timing_html.value and "ms" in w.timing_html.value
    w.batch_slider.value = 9
    assert w.timing_html.value == ""  # a stale timing is cleared

"""backprop_lib.loops: the loops over units give exactly what the matrix form gives."""

import numpy as np
import pytest
from conftest import ARCHITECTURES, make_batch, one_pass

import backprop_lib as bp


@pytest.mark.parametrize("sizes, acts, loss", ARCHITECTURES)
def test_forward_by_loops_equals_the_matrix_forward(sizes, acts, loss):
    net = bp.MLP(sizes, acts, loss=loss, seed=3)
    X, _ = make_batch(sizes, loss, 4, seed=4)
    net.forward(X)
    for s, x in enumerate(X):
        z, a = forward_by_loops_checked(net, x)
        for k, layer in enumerate(net.layers, start=1):
            np.testing.assert_allclose(z[k], layer.z[s], rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(a[k], layer.a[s], rtol=1e-12, atol=1e-15)


def forward_by_loops_checked(net, x):
    z, a = bp.forward_by_loops(net, x)
    assert z[0] is None and a[0] == list(x)
    assert all(isinstance(v, float) for row in z[1:] + a for v in row)
    assert [len(row) for row in a] == net.layer_sizes
    return z, a


@pytest.mark.parametrize("sizes, acts, loss", ARCHITECTURES)
def test_backward_by_loops_of_one_sample_equals_backward_on_a_batch_of_one(sizes, acts, loss):
    net = bp.MLP(sizes, acts, loss=loss, seed=3)
    X, y = make_batch(sizes, loss, 1, seed=5)
    g = bp.backward_by_loops(net, X[0], y[0])
    one_pass(net, X, y)  # a batch of one: the mean loss is the sample's own loss
    K = len(net.layers)
    for k, layer in enumerate(net.layers, start=1):
        np.testing.assert_allclose(g["dz"][k], layer.dz[0], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(g["dW"][k], layer.dW, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(g["db"][k], layer.db[0], rtol=1e-10, atol=1e-14)
        if k > 1:  # ∂L/∂h of the layer below: the da_prev the matrix form passes down
            np.testing.assert_allclose(g["da"][k - 1], net.layers[k - 2].da[0], rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(g["da"][K], net.loss_fn.gradient(y, net.layers[-1].a)[0], rtol=1e-12)
    assert g["da"][0] is None  # ∂L/∂x is not computed


@pytest.mark.parametrize("sizes, acts, loss", ARCHITECTURES)
def test_gradients_by_loops_average_the_samples_as_backward_does(sizes, acts, loss):
    net = bp.MLP(sizes, acts, loss=loss, seed=3)
    X, y = make_batch(sizes, loss, 5, seed=6)
    by_loops = bp.gradients_by_loops(net, X, y)
    grads = one_pass(net, X, y)
    assert len(by_loops) == len(net.layers)
    for k, (dW, db) in enumerate(by_loops, start=1):
        assert dW.dtype == db.dtype == np.float64
        np.testing.assert_allclose(dW, grads[f"W{k}"], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(db, grads[f"b{k}"], rtol=1e-10, atol=1e-14)


def test_one_output_accepts_one_dimensional_targets():
    net = bp.MLP([2, 3, 1], ["tanh", "sigmoid"], loss="bce", seed=0)
    X, y = make_batch([2, 3, 1], "bce", 4, seed=0)
    for (dW, db), (dW1, db1) in zip(bp.gradients_by_loops(net, X, y[:, 0]), bp.gradients_by_loops(net, X, y)):
        np.testing.assert_array_equal(dW, dW1)
        np.testing.assert_array_equal(db, db1)


@pytest.mark.parametrize(
    "x, error, message",
    [
        (np.zeros(4), ValueError, r"expected 3 features .*got shape \(1, 4\)"),
        (np.zeros(2), ValueError, r"expected 3 features .*got shape \(1, 2\)"),
        (np.zeros((2, 3)), ValueError, r"expected a 2-D array .*got shape \(1, 2, 3\)"),
        ([np.nan, 0.0, 0.0], ValueError, r"expected finite values, got nan at index \(0, 0\)"),
        ("abc", TypeError, "expected a numeric array, got list"),
    ],
)
def test_a_sample_that_does_not_fit_the_network_is_refused(x, error, message):
    net = bp.MLP([3, 4, 2], ["tanh", "sigmoid"], loss="mse", seed=0)
    with pytest.raises(error, match=message):
        bp.forward_by_loops(net, x)
    with pytest.raises(error, match=message):
        bp.backward_by_loops(net, x, np.zeros(2))


@pytest.mark.parametrize(
    "y, message",
    [
        (np.zeros(1), r"y: expected shape \(1, 2\) .*got shape \(1, 1\)"),
        (np.zeros(3), r"y: expected shape \(1, 2\) .*got shape \(1, 3\)"),
        ([np.nan, 0.0], "y: expected finite values"),
    ],
)
def test_targets_that_do_not_fit_the_network_are_refused(y, message):
    net = bp.MLP([3, 4, 2], ["tanh", "sigmoid"], loss="mse", seed=0)
    with pytest.raises(ValueError, match=message):
        bp.backward_by_loops(net, np.zeros(3), y)


def test_a_batch_that_does_not_fit_the_network_is_refused():
    net = bp.MLP([3, 4, 2], ["tanh", "sigmoid"], loss="mse", seed=0)
    with pytest.raises(ValueError, match=r"X: expected 3 features .*got shape \(5, 4\)"):
        bp.gradients_by_loops(net, np.zeros((5, 4)), np.zeros((5, 2)))
    with pytest.raises(ValueError, match=r"y: expected shape \(5, 2\) .*got shape \(5, 3\)"):
        bp.gradients_by_loops(net, np.zeros((5, 3)), np.zeros((5, 3)))

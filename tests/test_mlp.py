import numpy as np
import pytest

import backprop_lib as bp
from conftest import make_targets

ARCHITECTURES = [
    ([2, 4, 3, 1], ["relu", "relu", "sigmoid"], "bce"),
    ([3, 4, 2, 2], ["sigmoid", "sigmoid", "sigmoid"], "mse"),
    ([3, 4, 2, 2], ["tanh", "tanh", "identity"], "mse"),
    ([5, 6, 4], ["leaky_relu", "softmax"], "cross_entropy"),
    ([4, 3, 3], ["tanh", "softmax"], "mse"),          # not fused: softmax Jacobian path
    ([4, 3, 2], ["relu", "sigmoid"], "mse"),           # not fused: sigmoid output under MSE
    ([3, 5, 2], ["relu", "sigmoid"], "cross_entropy"),  # not fused: CE through σ'
]


@pytest.mark.parametrize("sizes, acts, loss", ARCHITECTURES)
def test_every_parameter_gradient_matches_central_differences(sizes, acts, loss, rng):
    net = bp.MLP(sizes, acts, loss=loss, seed=0)
    X = rng.normal(size=(8, sizes[0]))
    y = make_targets(loss, 8, sizes[-1], rng)
    report = bp.check_network(net, X, y)
    assert set(report) == {f"{p}{k}" for k in range(1, len(sizes)) for p in "Wb"}
    assert max(report.values()) < 1e-7, report


@pytest.mark.parametrize("sizes, acts, loss", ARCHITECTURES)
def test_scalar_loops_equal_the_matrix_form(sizes, acts, loss, rng):
    net = bp.MLP(sizes, acts, loss=loss, seed=3)
    X = rng.normal(size=(5, sizes[0]))
    y = make_targets(loss, 5, sizes[-1], rng)
    yhat = net.forward(X)
    net.backward(y)
    for x_s, yhat_s in zip(X, yhat):
        np.testing.assert_allclose(bp.scalar_forward_sample(net, x_s)[-1][1], yhat_s, rtol=1e-12)
    for (dW, db), layer in zip(bp.scalar_backward(net, X, y), net.layers):
        np.testing.assert_allclose(dW, layer.dW, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(db, layer.db, rtol=1e-10, atol=1e-14)


def test_contract_shapes_and_cached_values(rng):
    net = bp.MLP([2, 4, 3, 1], ["relu", "relu", "sigmoid"], loss="bce", seed=42)
    X = rng.normal(size=(10, 2))
    yhat = net.forward(X)
    assert yhat.shape == (10, 1)
    net.backward(rng.integers(0, 2, 10))  # 1-D labels are fine for one output
    for layer, (n_in, n_out) in zip(net.layers, [(2, 4), (4, 3), (3, 1)]):
        assert layer.W.shape == layer.dW.shape == (n_in, n_out)
        assert layer.b.shape == layer.db.shape == (1, n_out)
        assert layer.z.shape == layer.a.shape == layer.dz.shape == (10, n_out)
    np.testing.assert_allclose(net.layers[0].z, X @ net.layers[0].W + net.layers[0].b)
    np.testing.assert_allclose(net.layers[-1].a, yhat)


def test_same_seed_same_network_and_no_global_state():
    np.random.seed(0)
    before = np.random.get_state()[1].copy()
    a = bp.MLP([3, 5, 2], ["relu", "identity"], loss="mse", seed=7)
    b = bp.MLP([3, 5, 2], ["relu", "identity"], loss="mse", seed=7)
    c = bp.MLP([3, 5, 2], ["relu", "identity"], loss="mse", seed=8)
    np.testing.assert_array_equal(a.layers[0].W, b.layers[0].W)
    assert not np.array_equal(a.layers[0].W, c.layers[0].W)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


@pytest.mark.parametrize(
    "init, acts, expected_std",
    [
        ("he", ["relu", "identity"], np.sqrt(2 / 400)),
        ("xavier", ["tanh", "identity"], np.sqrt(2 / (400 + 300))),
        ("normal", ["relu", "identity"], 0.1),
        ("auto", ["relu", "identity"], np.sqrt(2 / 400)),
        ("auto", ["tanh", "identity"], np.sqrt(2 / (400 + 300))),
        (bp.Normal(0.5), ["relu", "identity"], 0.5),
    ],
)
def test_initialisers_draw_with_the_promised_spread(init, acts, expected_std):
    net = bp.MLP([400, 300, 1], acts, loss="mse", seed=0, init=init)
    assert net.layers[0].W.std() == pytest.approx(expected_std, rel=0.02)
    biases_random = isinstance(init, bp.Normal) or init == "normal"
    assert (net.layers[0].b.std() > 0) == biases_random


def test_update_is_a_gradient_descent_step(rng):
    net = bp.MLP([3, 4, 2], ["tanh", "identity"], loss="mse", seed=1)
    X, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    net.forward(X)
    net.backward(y)
    W, dW, b, db = net.layers[0].W.copy(), net.layers[0].dW, net.layers[0].b.copy(), net.layers[0].db
    net.update(0.1)
    np.testing.assert_allclose(net.layers[0].W, W - 0.1 * dW)
    np.testing.assert_allclose(net.layers[0].b, b - 0.1 * db)


def test_training_reduces_the_loss_on_two_circles():
    from sklearn.datasets import make_circles

    X, y = make_circles(n_samples=300, factor=0.5, noise=0.05, random_state=0)
    net = bp.MLP([2, 16, 1], ["tanh", "sigmoid"], loss="bce", seed=0)
    first = net.loss(X, y)
    for _ in range(300):
        net.train_step(X, y, lr=1.0)
    assert net.loss(X, y) < 0.5 * first
    assert (net.predict(X) == y).mean() > 0.95


def test_divergence_raises_and_leaves_parameters_unchanged(rng):
    net = bp.MLP([2, 3, 1], ["relu", "identity"], loss="mse", seed=0)
    X, y = rng.normal(size=(4, 2)), np.full((4, 1), 1e300)
    net.forward(X)
    net.backward(y)
    W_before = net.layers[0].W.copy()
    with pytest.raises(FloatingPointError, match="learning rate 1e\\+300.*non-finite.*smaller"):
        net.update(1e300)
    np.testing.assert_array_equal(net.layers[0].W, W_before)


def test_repr_names_the_architecture():
    net = bp.MLP([2, 4, 1], ["relu", "sigmoid"], loss="bce")
    assert repr(net) == "MLP([2, 4, 1], ['relu', 'sigmoid'], loss='bce')"
    assert repr(net.layers[0]) == "Dense(2 -> 4, relu)"

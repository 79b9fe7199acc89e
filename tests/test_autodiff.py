"""The reverse-mode engine in backprop_lib.autodiff: every op against central differences,
whole MLPs against the hand-derived MLP.backward, and the graph bookkeeping."""

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib.autodiff import Value, mlp_gradients, mlp_loss, softmax, topological_order
from conftest import random_case

# name -> (function of Values, shapes of the inputs, input transform to stay in the domain)
OPS = {
    "add_broadcast_bias": (lambda a, b: a + b, [(4, 3), (1, 3)]),
    "add_scalar_const": (lambda a: 2.5 + a, [(3, 2)]),
    "sub_broadcast": (lambda a, b: a - b, [(4, 3), (3,)]),
    "rsub": (lambda a: 1.0 - a, [(2, 3)]),
    "neg": (lambda a: -a, [(2, 3)]),
    "mul_broadcast": (lambda a, b: a * b, [(4, 3), (4, 1)]),
    "div": (lambda a, b: a / b, [(3, 3), (3, 3)]),
    "rdiv": (lambda a: 2.0 / a, [(3, 2)]),
    "pow": (lambda a: a**3, [(2, 4)]),
    "pow_fraction": (lambda a: a**0.5, [(2, 4)]),
    "matmul": (lambda a, b: a @ b, [(4, 3), (3, 5)]),
    "sum_all": (lambda a: a.sum(), [(3, 4)]),
    "sum_axis0": (lambda a: a.sum(axis=0), [(3, 4)]),
    "sum_axis1_keep": (lambda a: a.sum(axis=1, keepdims=True), [(3, 4)]),
    "mean_axis1": (lambda a: a.mean(axis=1), [(3, 4)]),
    "exp": (lambda a: a.exp(), [(3, 2)]),
    "log": (lambda a: a.log(), [(3, 2)]),
    "tanh": (lambda a: a.tanh(), [(3, 2)]),
    "sigmoid": (lambda a: a.sigmoid(), [(3, 2)]),
    "relu": (lambda a: a.relu(), [(3, 5)]),
    "leaky_relu": (lambda a: a.leaky_relu(0.2), [(3, 5)]),
    "softmax": (lambda a: softmax(a), [(4, 3)]),
    "used_twice": (lambda a: a * a + a.exp() * a, [(2, 3)]),
}
POSITIVE = {"div", "rdiv", "pow_fraction", "log"}


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_op_matches_central_differences(name):
    fn, shapes = OPS[name]
    rng = np.random.default_rng(abs(hash(name)) % 2**32)
    xs = [rng.normal(size=s) for s in shapes]
    if name in POSITIVE:
        xs = [np.abs(x) + 0.5 for x in xs]
    if name in {"relu", "leaky_relu"}:
        xs = [np.where(np.abs(x) < 1e-3, 0.1, x) for x in xs]  # keep away from the kink
    weights = rng.normal(size=fn(*[Value(x) for x in xs]).shape)  # L = Σ weights ⊙ out

    def loss():
        return float(np.sum(weights * fn(*[Value(x) for x in xs]).data))

    leaves = [Value(x) for x in xs]
    (fn(*leaves) * weights).sum().backward()
    for x, leaf in zip(xs, leaves):
        numeric = bp.numerical_gradient(loss, x)
        assert leaf.grad.shape == x.shape
        assert bp.rel_error(leaf.grad, numeric) < 1e-7, name


@pytest.mark.parametrize("seed", range(30))
def test_mlp_gradients_reproduce_the_hand_derived_backward(seed):
    sizes, acts, loss, X, y = random_case(seed)
    net = bp.MLP(sizes, acts, loss=loss, seed=seed)
    net.forward(X)
    net.backward(y)
    for (name, by_hand), (name_ad, by_autodiff) in zip(net.gradients(), mlp_gradients(net, X, y)):
        assert name == name_ad
        assert by_autodiff.shape == by_hand.shape
        assert bp.rel_error(by_autodiff, by_hand) < 1e-12, f"{name} of {sizes} {acts} {loss}"


def test_hidden_layers_of_a_relu_net_are_bit_for_bit_equal():
    # Same operations in the same order: the matmul rule is literally dW = a_prevᵀ dz.
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(7, 4)), rng.normal(size=(7, 2))
    net = bp.MLP([4, 6, 5, 2], ["relu", "relu", "identity"], loss="mse", seed=3)
    net.forward(X)
    net.backward(y)
    by_autodiff = dict(mlp_gradients(net, X, y))
    for name, by_hand in net.gradients():
        assert np.abs(by_autodiff[name] - by_hand).max() < 1e-15, name


def test_mlp_loss_value_and_gradients_match_central_differences():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 3))
    y = np.eye(4)[rng.integers(0, 4, 5)]
    net = bp.MLP([3, 5, 4], ["tanh", "softmax"], loss="cross_entropy", seed=0)
    L, params = mlp_loss(net, X, y)
    assert float(L.data) == pytest.approx(net.loss(X, y), rel=1e-12)
    L.backward()
    for (W, b), layer in zip(params, net.layers):
        assert bp.rel_error(W.grad, bp.numerical_gradient(lambda: net.loss(X, y), layer.W)) < 1e-7
        assert bp.rel_error(b.grad, bp.numerical_gradient(lambda: net.loss(X, y), layer.b)) < 1e-7


def test_composed_softmax_with_cross_entropy_gives_the_fused_gradient():
    rng = np.random.default_rng(1)
    z = Value(rng.normal(size=(6, 4)) * 30)  # large logits: the max shift keeps it finite
    y = np.eye(4)[rng.integers(0, 4, 6)]
    yhat = softmax(z)
    np.testing.assert_allclose(yhat.data, bp.Softmax().forward(z.data), rtol=1e-14)
    (-(y * yhat.log()).sum() / 6).backward()
    np.testing.assert_allclose(z.grad, (yhat.data - y) / 6, atol=1e-15)


def test_a_node_used_twice_receives_both_contributions():
    x = Value(2.0, name="x")
    L = x * x + x.exp()
    L.backward()
    assert float(x.grad) == pytest.approx(2 * 2.0 + np.exp(2.0), rel=1e-15)
    L.backward()  # a second backward starts from zero: gradients are not carried over
    assert float(x.grad) == pytest.approx(2 * 2.0 + np.exp(2.0), rel=1e-15)


def test_local_derivatives_of_scalar_nodes():
    a, b = Value(3.0), Value(-2.0)
    assert [float(d) for d in (a * b).local_derivatives()] == [-2.0, 3.0]
    assert [float(d) for d in (a / b).local_derivatives()] == [-0.5, -0.75]
    with pytest.raises(ValueError, match="only for scalar"):
        Value(np.ones(3)).exp().local_derivatives()


def test_detach_stops_the_gradient():
    x = Value(np.array([1.0, 2.0]))
    (x * x.detach()).sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 2.0])  # not 2x


def test_topological_order_lists_parents_first_and_survives_deep_graphs():
    x = Value(1.0)
    h = x
    for _ in range(5000):  # deeper than Python's recursion limit
        h = h * 1.0 + 0.0
    order = topological_order(h)
    position = {id(node): k for k, node in enumerate(order)}
    assert order[-1] is h
    assert all(position[id(p)] < position[id(n)] for n in order for p in n.parents)
    h.backward()
    assert float(x.grad) == 1.0


def test_bad_input_gives_clear_errors():
    with pytest.raises(TypeError, match="numeric"):
        Value("abc")
    with pytest.raises(TypeError, match="constant real exponent"):
        Value(2.0) ** Value(3.0)
    with pytest.raises(ValueError, match=r"\(n, k\) and \(k, m\)"):
        Value(np.ones((2, 3))) @ Value(np.ones((2, 3)))
    with pytest.raises(ValueError, match="reduce it to a scalar"):
        Value(np.ones(3)).exp().backward()
    with pytest.raises(ValueError, match="expected grad of shape"):
        Value(np.ones(3)).exp().backward(np.ones(2))
    with pytest.raises(TypeError, match="expected a Value"):
        topological_order(3.0)
    with pytest.raises(ValueError, match="2-D"):
        softmax(Value(np.ones(3)))
    net = bp.MLP([2, 3, 1], ["relu", "sigmoid"], loss="bce", seed=0)
    with pytest.raises(ValueError, match="features"):
        mlp_loss(net, np.ones((4, 3)), np.ones((4, 1)))


def test_repr_says_what_the_node_is():
    assert repr(Value(2.0, name="x")) == "Value(x=2)"
    assert "shape (2, 3)" in repr(Value(np.ones((2, 3))).exp())
    assert "op='exp'" in repr(Value(np.ones((2, 3))).exp())

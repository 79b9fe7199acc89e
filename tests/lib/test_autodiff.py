"""backprop_lib.autodiff: every op against central differences, whole MLPs against the
hand-derived MLP.backward and against the independent autograd package, and the graph
bookkeeping."""

import zlib

import numpy as np
import pytest
from autograd import grad
from conftest import Cube, autograd_loss, one_pass, random_case

import backprop_lib as bp
from backprop_lib.autodiff import Value, mlp_gradients, mlp_loss, softmax, topological_order

# name -> (function of Values, shapes of the inputs)
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
    "rmatmul_const": (lambda a: np.ones((2, 4)) @ a, [(4, 3)]),
    "sum_all": (lambda a: a.sum(), [(3, 4)]),
    "sum_axis0": (lambda a: a.sum(axis=0), [(3, 4)]),
    "sum_axis1_keep": (lambda a: a.sum(axis=1, keepdims=True), [(3, 4)]),
    "mean_axis1": (lambda a: a.mean(axis=1), [(3, 4)]),
    "mean_all": (lambda a: a.mean(), [(3, 4)]),
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
    rng = np.random.default_rng(zlib.crc32(name.encode()))  # stable across runs (hash() is not)
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
        assert bp.rel_error(leaf.grad, numeric) < bp.TOLERANCE, name


@pytest.mark.parametrize("seed", range(30))
def test_mlp_gradients_reproduce_the_hand_derived_backward(seed):
    sizes, acts, loss, X, y = random_case(seed)
    net = bp.MLP(sizes, acts, loss=loss, seed=seed)
    by_hand = one_pass(net, X, y)
    by_autodiff = mlp_gradients(net, X, y)
    assert [name for name, _ in by_autodiff] == list(by_hand)
    for name, g in by_autodiff:
        assert g.shape == by_hand[name].shape
        assert bp.rel_error(g, by_hand[name]) < 1e-12, f"{name} of {sizes} {acts} {loss}"


@pytest.mark.parametrize("seed", range(10))
def test_the_engine_agrees_with_the_autograd_package(seed):
    sizes, acts, loss, X, y = random_case(100 + seed)
    net = bp.MLP(sizes, acts, loss=loss, seed=seed)
    params = [(layer.W.copy(), layer.b.copy()) for layer in net.layers]
    expected = grad(autograd_loss)(params, acts, loss, X, y)
    ours = dict(mlp_gradients(net, X, y))
    for k, (dW, db) in enumerate(expected, start=1):
        assert bp.rel_error(ours[f"W{k}"], dW) < 1e-10, f"W{k} of {sizes} {acts} {loss}"
        assert bp.rel_error(ours[f"b{k}"], db) < 1e-10, f"b{k} of {sizes} {acts} {loss}"


def test_hidden_layers_of_a_relu_net_are_equal_to_round_off():
    # Same operations in the same order: the matmul rule is literally dW = a_prevᵀ dz.
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(7, 4)), rng.normal(size=(7, 2))
    net = bp.MLP([4, 6, 5, 2], ["relu", "relu", "identity"], loss="mse", seed=3)
    by_hand = one_pass(net, X, y)
    for name, by_autodiff in mlp_gradients(net, X, y):
        assert np.abs(by_autodiff - by_hand[name]).max() < 1e-15, name


def test_mlp_loss_value_and_gradients_match_central_differences():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 3))
    y = np.eye(4)[rng.integers(0, 4, 5)]
    net = bp.MLP([3, 5, 4], ["tanh", "softmax"], loss="cross_entropy", seed=0)
    L, params = mlp_loss(net, X, y)
    assert float(L.data) == pytest.approx(net.loss(X, y), rel=1e-12)
    L.backward()
    for (W, b), layer in zip(params, net.layers):
        assert W.name.startswith("W") and b.name.startswith("b")
        assert bp.rel_error(W.grad, bp.numerical_gradient(lambda: net.loss(X, y), layer.W)) < bp.TOLERANCE
        assert bp.rel_error(b.grad, bp.numerical_gradient(lambda: net.loss(X, y), layer.b)) < bp.TOLERANCE


def test_mlp_loss_copies_the_parameters():
    net = bp.MLP([2, 3, 1], ["relu", "sigmoid"], loss="bce", seed=0)
    L, params = mlp_loss(net, np.ones((2, 2)), np.ones((2, 1)))
    params[0][0].data[...] = 0.0
    assert net.layers[0].W.any()


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
    assert (a * b).rule == "∂(ab)/∂a = b, ∂(ab)/∂b = a" and (a * b).op == "×"
    with pytest.raises(
        ValueError, match=r"local_derivatives: only for scalar nodes, this one has shape \(3,\)"
    ):
        Value(np.ones(3)).exp().local_derivatives()


def test_detach_stops_the_gradient():
    x = Value(np.array([1.0, 2.0]))
    (x * x.detach()).sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 2.0])  # not 2x


def test_a_value_owns_a_copy_of_its_data():
    data = np.ones(3)
    v = Value(data)
    data[0] = 5.0
    assert v.data[0] == 1.0 and v.is_leaf and v.vjp(np.ones(3)) == ()


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
    with pytest.raises(TypeError, match="Value data: expected a numeric array, got str"):
        Value("abc")
    with pytest.raises(TypeError, match="Value \\*\\* p: expected a constant real exponent, got Value"):
        Value(2.0) ** Value(3.0)
    with pytest.raises(
        ValueError, match=r"A @ B: expected shapes \(n, k\) and \(k, m\), got \(2, 3\) and \(2, 3\)"
    ):
        Value(np.ones((2, 3))) @ Value(np.ones((2, 3)))
    with pytest.raises(
        ValueError, match=r"backward: the output has shape \(3,\); pass grad=.*reduce it to a scalar"
    ):
        Value(np.ones(3)).exp().backward()
    with pytest.raises(ValueError, match=r"backward: expected grad of shape \(3,\), got \(2,\)"):
        Value(np.ones(3)).exp().backward(np.ones(2))
    with pytest.raises(ValueError, match=r"vjp of 'exp': expected g of shape \(3,\), got \(2,\)"):
        Value(np.ones(3)).exp().vjp(np.ones(2))
    with pytest.raises(TypeError, match="topological_order: expected a Value, got float"):
        topological_order(3.0)
    with pytest.raises(ValueError, match=r"softmax: expected a 2-D Value of shape \(n_samples, n_classes\)"):
        softmax(Value(np.ones(3)))
    with pytest.raises(TypeError, match="Value parents: expected Value objects, got float"):
        Value(1.0, parents=(1.0,), vjp=lambda g: (g,))
    with pytest.raises(ValueError, match="Value: a node with parents needs a vjp rule"):
        Value(1.0, parents=(Value(1.0),))
    net = bp.MLP([2, 3, 1], ["relu", "sigmoid"], loss="bce", seed=0)
    with pytest.raises(ValueError, match=r"X: expected 2 features .*got shape \(4, 3\)"):
        mlp_loss(net, np.ones((4, 3)), np.ones((4, 1)))


def test_mlp_loss_refuses_what_it_cannot_write():
    with pytest.raises(ValueError, match="mlp_loss: no autodiff form for activation Cube()"):
        mlp_loss(bp.MLP([2, 1], [Cube()], loss="mse", seed=0), np.ones((2, 2)), np.ones((2, 1)))

    class Hinge(bp.MeanSquaredError):
        name = "hinge"

    with pytest.raises(ValueError, match="mlp_loss: no autodiff form for loss 'hinge'"):
        mlp_loss(bp.MLP([2, 1], ["identity"], loss=Hinge(), seed=0), np.ones((2, 2)), np.ones((2, 1)))


def test_repr_says_what_the_node_is():
    assert repr(Value(2.0, name="x")) == "Value(x=2)"
    assert repr(Value(2.0) * 3.0) == "Value(6, op='×')"
    assert "shape (2, 3)" in repr(Value(np.ones((2, 3))).exp())
    assert "op='exp'" in repr(Value(np.ones((2, 3))).exp())

"""Optimisers and mini-batches: update rules against hand-computed values and closed forms."""

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib.optimizers import (
    SGD,
    Adam,
    Momentum,
    adam_update,
    get_optimizer,
    minibatches,
    momentum_update,
    sgd_update,
    train_epochs,
)


def small_problem(seed=0, n=24):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = (X[:, :1] * X[:, 1:2] > 0).astype(float)
    net = bp.MLP([3, 5, 4, 1], ["tanh", "relu", "sigmoid"], loss="bce", seed=seed)
    return net, X, y


# -- the pure update rules against numbers worked out by hand -------------------------


def test_sgd_update_by_hand():
    np.testing.assert_allclose(sgd_update([1.0, 2.0], [0.5, -1.0], 0.1), [0.95, 2.1], rtol=1e-15)


def test_momentum_update_by_hand():
    # v = 0.9·0.5 + 2 = 2.45; θ = 1 − 0.1·2.45 = 0.755
    theta, v = momentum_update(np.array([1.0]), np.array([2.0]), np.array([0.5]), lr=0.1, beta=0.9)
    np.testing.assert_allclose(v, [2.45], rtol=1e-15)
    np.testing.assert_allclose(theta, [0.755], rtol=1e-15)


def test_adam_update_by_hand_two_steps():
    # t = 1: m = 0.1·0.5 = 0.05, v = 0.001·0.25 = 0.00025, m̂ = 0.5, v̂ = 0.25,
    #        θ = 1 − 0.1·0.5/(0.5 + 1e-8) = 0.900000002 (to 1e-9)
    theta, m, v = adam_update(1.0, 0.5, 0.0, 0.0, t=1, lr=0.1)
    assert m == pytest.approx(0.05, rel=1e-14)
    assert v == pytest.approx(0.00025, rel=1e-12)
    assert theta == pytest.approx(0.900000002, abs=1e-12)
    # t = 2, g = −1: m = 0.045 − 0.1 = −0.055, v = 0.00024975 + 0.001 = 0.00124975,
    #   m̂ = −0.055/0.19 = −0.28947368, v̂ = 0.00124975/0.001999 = 0.62518759, √v̂ = 0.79068804,
    #   θ = 0.900000002 + 0.1·0.28947368/0.79068804 = 0.93661036
    theta, m, v = adam_update(theta, -1.0, m, v, t=2, lr=0.1)
    assert m == pytest.approx(-0.055, rel=1e-12)
    assert v == pytest.approx(0.00124975, rel=1e-12)
    assert theta == pytest.approx(0.93661036, abs=1e-8)


def test_adam_first_step_is_lr_times_sign_of_g(rng):
    sign = rng.choice([-1.0, 1.0], size=(4, 3))
    g = sign * rng.uniform(0.5, 2.0, size=(4, 3)) * 10.0 ** rng.integers(-2, 4, size=(4, 3))
    theta = rng.normal(size=(4, 3))
    new, _, _ = adam_update(theta, g, np.zeros_like(g), np.zeros_like(g), t=1, lr=0.01)
    np.testing.assert_allclose(theta - new, 0.01 * sign, rtol=1e-5)


def test_adam_with_constant_gradient_steps_exactly_lr_times_g_over_abs_g():
    # m̂ = g and v̂ = g² exactly for every t when g never changes.
    theta, m, v, g = 0.0, 0.0, 0.0, 0.3
    for t in range(1, 11):
        theta, m, v = adam_update(theta, g, m, v, t, lr=0.05)
    assert theta == pytest.approx(-10 * 0.05 * 0.3 / (0.3 + 1e-8), rel=1e-12)


def test_pure_functions_do_not_change_their_inputs(rng):
    arrays = [rng.normal(size=(2, 3)) for _ in range(3)]
    v = np.abs(rng.normal(size=(2, 3)))
    saved = [a.copy() for a in arrays] + [v.copy()]
    sgd_update(arrays[0], arrays[1], 0.1)
    momentum_update(arrays[0], arrays[1], arrays[2], 0.1, 0.9)
    adam_update(arrays[0], arrays[1], arrays[2], v, 3, 0.1)
    for before, after in zip(saved, arrays + [v]):
        np.testing.assert_array_equal(before, after)


@pytest.mark.parametrize("call, message", [
    (lambda: sgd_update([1.0], [1.0], 0.0), r"lr \(learning rate\): expected a finite number in \(0, inf\), got 0.0"),
    (lambda: sgd_update([1.0], [1.0], -0.1), "got -0.1"),
    (lambda: sgd_update([1.0], [1.0], float("nan")), "got nan"),
    (lambda: sgd_update([1.0, 2.0], [1.0], 0.1), r"g: expected the shape of theta \(2,\), got \(1,\)"),
    (lambda: momentum_update([1.0], [1.0], [0.0], 0.1, beta=1.0), r"beta: expected a finite number in \[0, 1\), got 1.0"),
    (lambda: momentum_update([1.0], [1.0], [0.0, 0.0], 0.1), r"v: expected the shape of theta"),
    (lambda: adam_update(1.0, 1.0, 0.0, 0.0, t=0), r"t \(step count\): expected an integer >= 1 \(the first step is t = 1\), got 0"),
    (lambda: adam_update(1.0, 1.0, 0.0, 0.0, t=1, beta2=-0.1), r"beta2: expected a finite number in \[0, 1\)"),
    (lambda: adam_update(1.0, 1.0, 0.0, 0.0, t=1, eps=0.0), "eps: expected a finite number in"),
    (lambda: Momentum(0.1, beta=1.5), "beta: expected"),
    (lambda: Adam(lr=-1.0), "lr"),
    (lambda: get_optimizer("rmsprop", 0.1), r"unknown optimiser 'rmsprop': expected one of \['adam', 'momentum', 'sgd'\]"),
])
def test_bad_hyper_parameters_raise_value_errors_that_say_expected_and_got(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("call", [
    lambda: sgd_update([1.0], [1.0], True),
    lambda: sgd_update([1.0], [1.0], "0.1"),
    lambda: adam_update(1.0, 1.0, 0.0, 0.0, t=1.0),
    lambda: sgd_update("abc", [1.0], 0.1),
    lambda: get_optimizer(3, 0.1),
])
def test_wrong_types_raise_type_errors(call):
    with pytest.raises(TypeError, match="expected"):
        call()


# -- the classes on a network --------------------------------------------------------


@pytest.mark.parametrize("make, rule", [
    (lambda: SGD(0.1), lambda th, g, st, t: (sgd_update(th, g, 0.1), st)),
    (lambda: Momentum(0.1, beta=0.8),
     lambda th, g, st, t: (lambda r: (r[0], r[1]))(momentum_update(th, g, st, 0.1, 0.8))),
    (lambda: Adam(0.01, beta1=0.85, beta2=0.99),
     lambda th, g, st, t: (lambda r: (r[0], (r[1], r[2])))(adam_update(th, g, *st, t, 0.01, 0.85, 0.99))),
])
def test_step_applies_the_pure_rule_to_every_parameter_with_its_own_state(make, rule):
    net, X, y = small_problem()
    opt = make()
    expected = {name: p.copy() for name, p in net.parameters()}
    state = {name: (np.zeros_like(p) if isinstance(opt, Momentum) else (np.zeros_like(p), np.zeros_like(p)))
             for name, p in net.parameters()}
    for t in range(1, 4):
        net.forward(X)
        net.backward(y)
        grads = {name: g.copy() for name, g in net.gradients()}
        # the gradients are those of the current (already updated) parameters
        for name in expected:
            np.testing.assert_array_equal(expected[name], dict(net.parameters())[name])
            expected[name], state[name] = rule(expected[name], grads[name], state[name], t)
        opt.step_net(net)
    for name, p in net.parameters():
        np.testing.assert_allclose(p, expected[name], rtol=1e-14, atol=1e-15)
    assert set(opt.state) == {"W1", "b1", "W2", "b2", "W3", "b3"}


def test_step_writes_into_the_networks_arrays_in_place():
    net, X, y = small_problem()
    W1 = net.layers[0].W
    net.forward(X)
    net.backward(y)
    before = W1.copy()
    Adam(0.01).step_net(net)
    assert net.layers[0].W is W1
    assert not np.allclose(W1, before)


def test_adam_on_a_network_moves_every_weight_by_lr_on_its_first_step():
    net, X, y = small_problem()
    net.forward(X)
    net.backward(y)
    before = [p.copy() for _, p in net.parameters()]
    grads = [g.copy() for _, g in net.gradients()]
    Adam(0.003).step_net(net)
    for b, (_, p), g in zip(before, net.parameters(), grads):
        moved = np.abs(p - b)[np.abs(g) > 1e-6]
        np.testing.assert_allclose(moved, 0.003, rtol=1e-2)


def test_a_non_finite_step_raises_and_changes_neither_parameters_nor_state():
    net, X, y = small_problem()
    opt = Momentum(0.1)
    net.forward(X)
    net.backward(y)
    opt.step_net(net)
    params = [p.copy() for _, p in net.parameters()]
    velocity = {name: s["v"].copy() for name, s in opt.state.items()}
    grads = net.gradients()
    grads[2] = (grads[2][0], np.full_like(grads[2][1], np.inf))  # inf in W2's gradient
    with pytest.raises(FloatingPointError, match="parameter W2 non-finite .* parameters left unchanged"):
        opt.step(net.parameters(), grads)
    for before, (_, after) in zip(params, net.parameters()):
        np.testing.assert_array_equal(before, after)
    for name, v in velocity.items():
        np.testing.assert_array_equal(v, opt.state[name]["v"])


def test_huge_learning_rate_overflow_is_refused_cleanly():
    opt = SGD(1e308)
    theta = np.array([1.0, -1.0])
    with pytest.raises(FloatingPointError, match="Try a smaller learning rate"):
        opt.step([("w", theta)], [("w", np.array([1e10, 1.0]))])
    np.testing.assert_array_equal(theta, [1.0, -1.0])


def test_step_validates_its_lists():
    net, X, y = small_problem()
    opt = SGD(0.1)
    with pytest.raises(ValueError, match="call net.backward"):
        opt.step_net(net)  # no backward yet: gradients are None
    net.forward(X)
    net.backward(y)
    with pytest.raises(ValueError, match=r"grads: expected the parameter names \['W1', 'b1'"):
        opt.step(net.parameters(), net.gradients()[::-1])
    with pytest.raises(ValueError, match=r"gradient of W1: expected the shape of parameter W1 \(3, 5\)"):
        opt.step([("W1", net.layers[0].W)], [("W1", np.zeros((5, 3)))])
    with pytest.raises(TypeError, match="list of \\(name, array\\) pairs"):
        opt.step({"W1": net.layers[0].W}, net.gradients())
    with pytest.raises(TypeError, match="float64 numpy array"):
        opt.step([("w", [1.0, 2.0])], [("w", [1.0, 1.0])])


def test_state_is_per_name_and_a_different_shape_asks_for_reset():
    opt = Momentum(0.1)
    a = np.ones(3)
    opt.step([("a", a)], [("a", np.ones(3))])
    with pytest.raises(ValueError, match=r"expected the shape \(3,\) this optimiser saw before, got \(2,\)"):
        opt.step([("a", np.ones(2))], [("a", np.ones(2))])
    opt.reset()
    opt.step([("a", np.ones(2))], [("a", np.ones(2))])
    assert repr(opt) == "Momentum(lr=0.1, beta=0.9)"
    assert repr(Adam()) == "Adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08)"
    assert repr(SGD(0.5)) == "SGD(lr=0.5)"


# -- closed forms on a quadratic f(θ) = ½ h θ² -----------------------------------------


def test_gradient_descent_on_a_quadratic_is_geometric():
    h, lr, theta = 3.0, 0.1, np.array([2.0])
    opt = SGD(lr)
    for _ in range(15):
        opt.step([("x", theta)], [("x", h * theta)])
    np.testing.assert_allclose(theta, 2.0 * (1 - lr * h) ** 15, rtol=1e-12)


def test_momentum_on_a_quadratic_is_a_matrix_power():
    h, lr, beta = 4.0, 0.05, 0.7
    A = np.array([[1 - lr * h, -lr * beta], [h, beta]])  # (θ, v)_{t+1} = A (θ, v)_t
    theta = np.array([1.5])
    opt = Momentum(lr, beta)
    for _ in range(20):
        opt.step([("x", theta)], [("x", h * theta)])
    closed = np.linalg.matrix_power(A, 20) @ np.array([1.5, 0.0])
    np.testing.assert_allclose([theta[0], opt.state["x"]["v"][0]], closed, rtol=1e-10)


def test_momentum_with_a_constant_gradient_follows_its_closed_form():
    lr, beta, g, t = 0.1, 0.9, 0.5, 25
    theta = np.zeros(1)
    opt = Momentum(lr, beta)
    for _ in range(t):
        opt.step([("x", theta)], [("x", np.array([g]))])
    closed = -lr * g / (1 - beta) * (t - beta * (1 - beta**t) / (1 - beta))
    assert theta[0] == pytest.approx(closed, rel=1e-12)
    assert opt.state["x"]["v"][0] == pytest.approx(g * (1 - beta**t) / (1 - beta), rel=1e-12)


def test_adam_is_nearly_invariant_to_rescaling_the_loss():
    def run(scale):
        theta, opt = np.array([1.0, -2.0]), Adam(0.05)
        h = scale * np.array([1.0, 10.0])
        for _ in range(30):
            opt.step([("x", theta)], [("x", h * theta)])
        return theta

    np.testing.assert_allclose(run(1.0), run(1000.0), atol=1e-6)


# -- mini-batches ----------------------------------------------------------------------


@pytest.mark.parametrize("n, batch_size", [(10, 3), (10, 5), (7, 1), (5, 5), (4, 9)])
def test_minibatches_cover_every_sample_once_and_the_last_batch_is_smaller(n, batch_size):
    X = np.arange(2 * n, dtype=float).reshape(n, 2)
    y = np.arange(n)
    batches = list(minibatches(X, y, batch_size, np.random.default_rng(0)))
    sizes = [len(xb) for xb, _ in batches]
    assert sizes == [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else []) \
        or (batch_size >= n and sizes == [n])
    seen = np.concatenate([yb for _, yb in batches])
    assert sorted(seen.tolist()) == list(range(n))
    for xb, yb in batches:  # rows stay paired with their targets
        np.testing.assert_array_equal(xb[:, 0], 2 * yb)


def test_minibatches_shuffle_reproducibly_and_differently_each_epoch():
    X, y = np.arange(40.0).reshape(20, 2), np.arange(20)
    rng = np.random.default_rng(3)
    first = np.concatenate([yb for _, yb in minibatches(X, y, 6, rng)])
    second = np.concatenate([yb for _, yb in minibatches(X, y, 6, rng)])
    again = np.concatenate([yb for _, yb in minibatches(X, y, 6, np.random.default_rng(3))])
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, second)
    assert not np.array_equal(first, np.arange(20))
    seeded = np.concatenate([yb for _, yb in minibatches(X, y, 6, 3)])  # an int seed works too
    np.testing.assert_array_equal(seeded, first)


@pytest.mark.parametrize("batch_size, error, message", [
    (0, ValueError, "batch_size: expected a positive integer, got 0"),
    (-3, ValueError, "got -3"),
    (2.5, TypeError, r"batch_size: expected a positive integer, got 2.5 \(float\)"),
    (True, TypeError, "got True"),
    ("8", TypeError, "got '8'"),
])
def test_minibatches_validate_batch_size(batch_size, error, message):
    with pytest.raises(error, match=message):
        next(minibatches(np.zeros((4, 2)), np.zeros(4), batch_size, np.random.default_rng(0)))


def test_minibatches_validate_data_and_rng():
    with pytest.raises(ValueError, match=r"y: expected 4 rows to match X \(4, 2\), got shape \(3,\)"):
        next(minibatches(np.zeros((4, 2)), np.zeros(3), 2, 0))
    with pytest.raises(TypeError, match="rng: expected a numpy.random.Generator"):
        next(minibatches(np.zeros((4, 2)), np.zeros(4), 2, np.random.RandomState(0)))
    with pytest.raises(ValueError, match="X: expected a 2-D array"):
        next(minibatches(np.zeros(4), np.zeros(4), 2, 0))


def test_batch_gradients_weighted_by_size_average_to_the_full_gradient():
    net, X, y = small_problem(n=23)
    net.forward(X)
    net.backward(y)
    full = {name: g.copy() for name, g in net.gradients()}
    total = {name: np.zeros_like(g) for name, g in full.items()}
    for X_batch, y_batch in minibatches(X, y, 5, np.random.default_rng(1)):
        net.forward(X_batch)
        net.backward(y_batch)
        for name, g in net.gradients():
            total[name] += len(X_batch) / len(X) * g
    for name in full:
        np.testing.assert_allclose(total[name], full[name], rtol=1e-12, atol=1e-15)


# -- training -----------------------------------------------------------------------


def test_train_epochs_full_batch_sgd_equals_plain_gradient_descent():
    net_a, X, y = small_problem()
    net_b, _, _ = small_problem()
    losses = train_epochs(net_a, X, y, SGD(0.5), 10)  # batch_size None: full batch
    expected = [net_b.loss(X, y)]
    for _ in range(10):
        net_b.train_step(X, y, 0.5)
        expected.append(net_b.loss(X, y))
    assert losses.shape == (11,)
    np.testing.assert_allclose(losses, expected, rtol=1e-10)


@pytest.mark.parametrize("opt", [SGD(0.3), Momentum(0.03), Adam(0.01)], ids=repr)
def test_every_optimiser_lowers_the_loss(opt):
    net, X, y = small_problem(n=64)
    losses = train_epochs(net, X, y, opt, 20, batch_size=8, rng=0)
    assert losses[-1] < 0.8 * losses[0]


def test_train_epochs_validates():
    net, X, y = small_problem()
    with pytest.raises(ValueError, match="n_epochs: expected an integer >= 0, got -1"):
        train_epochs(net, X, y, SGD(0.1), -1)
    with pytest.raises(TypeError, match="optimizer: expected an Optimizer"):
        train_epochs(net, X, y, "adam", 1)

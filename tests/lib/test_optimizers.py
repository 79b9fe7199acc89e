"""backprop_lib.optimizers: the pure update rules against hand-computed values and closed
forms; the optimiser objects on networks (replaced arrays, per-parameter state, all or nothing)."""

import numpy as np
import pytest
from conftest import assert_parameters_equal, one_pass, parameters_copy, small_problem

from backprop_lib.optimizers import (
    SGD,
    Adam,
    Momentum,
    adam_update,
    get_optimizer,
    momentum_update,
    sgd_update,
)
from backprop_lib.validation import check_parameters


class Quadratic:
    """f(θ) = ½ Σ h θ², offering what ``Optimizer.step`` uses of a network."""

    def __init__(self, h, theta):
        self.h, self.theta = np.asarray(h, dtype=float), np.array(theta, dtype=float)

    def parameters(self):
        return [("x", self.theta)]

    def gradients(self):
        return [("x", self.h * self.theta)]

    def set_parameters(self, new):
        self.theta = check_parameters(new, dict(self.parameters()))["x"]


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


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: sgd_update([1.0], [1.0], 0.0),
            r"learning rate: expected a finite number in \(0, inf\], got 0.0",
        ),
        (lambda: sgd_update([1.0], [1.0], -0.1), "got -0.1"),
        (lambda: sgd_update([1.0], [1.0], float("nan")), "got nan"),
        (lambda: sgd_update([1.0], [1.0], float("inf")), "got inf"),
        (lambda: sgd_update([1.0, 2.0], [1.0], 0.1), r"g: expected the shape of theta \(2,\), got \(1,\)"),
        (
            lambda: momentum_update([1.0], [1.0], [0.0], 0.1, beta=1.0),
            r"beta: expected a finite number in \[0, 1\), got 1.0",
        ),
        (
            lambda: momentum_update([1.0], [1.0], [0.0, 0.0], 0.1),
            r"v: expected the shape of theta \(1,\), got \(2,\)",
        ),
        (
            lambda: adam_update(1.0, 1.0, 0.0, 0.0, t=0),
            r"t \(step count, 1 for the first step\): expected an integer >= 1, got 0",
        ),
        (
            lambda: adam_update(1.0, 1.0, 0.0, 0.0, t=1, beta2=-0.1),
            r"beta2: expected a finite number in \[0, 1\), got -0.1",
        ),
        (
            lambda: adam_update(1.0, 1.0, 0.0, 0.0, t=1, eps=0.0),
            r"eps: expected a finite number in \(0, inf\], got 0.0",
        ),
        (lambda: Momentum(0.1, beta=1.5), r"beta: expected a finite number in \[0, 1\), got 1.5"),
        (lambda: Adam(lr=-1.0), "learning rate: expected a finite number .*got -1.0"),
        (
            lambda: get_optimizer("rmsprop", 0.1),
            r"unknown optimiser 'rmsprop': expected one of \['adam', 'momentum', 'sgd'\]",
        ),
    ],
)
def test_bad_hyper_parameters_raise_value_errors_that_say_expected_and_got(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: sgd_update([1.0], [1.0], True), "learning rate: expected a real number, got bool"),
        (lambda: sgd_update([1.0], [1.0], "0.1"), "learning rate: expected a real number, got str"),
        (lambda: adam_update(1.0, 1.0, 0.0, 0.0, t=1.0), r"expected an integer >= 1, got 1.0 \(float\)"),
        (lambda: sgd_update("abc", [1.0], 0.1), "theta: expected a numeric array, got str"),
        (lambda: get_optimizer(3, 0.1), "optimiser: expected a name .* or a Optimizer object, got int"),
        (lambda: get_optimizer("sgd"), r"get_optimizer\('sgd'\): expected a learning rate lr as well"),
    ],
)
def test_wrong_types_raise_type_errors(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_get_optimizer_builds_by_name_or_passes_an_object():
    adam = get_optimizer("ADAM", 0.01)
    assert isinstance(adam, Adam) and adam.lr == 0.01
    assert get_optimizer(adam) is adam
    assert isinstance(get_optimizer("momentum", 0.1), Momentum)


# -- the classes on a network --------------------------------------------------------


def momentum_rule(theta, g, state, t):
    theta, v = momentum_update(theta, g, state, 0.1, 0.8)
    return theta, v


def adam_rule(theta, g, state, t):
    theta, m, v = adam_update(theta, g, *state, t, 0.01, 0.85, 0.99)
    return theta, (m, v)


@pytest.mark.parametrize(
    "make, rule, fresh_state",
    [
        (lambda: SGD(0.1), lambda th, g, st, t: (sgd_update(th, g, 0.1), st), lambda p: None),
        (lambda: Momentum(0.1, beta=0.8), momentum_rule, np.zeros_like),
        (
            lambda: Adam(0.01, beta1=0.85, beta2=0.99),
            adam_rule,
            lambda p: (np.zeros_like(p), np.zeros_like(p)),
        ),
    ],
)
def test_step_applies_the_pure_rule_to_every_parameter_with_its_own_state(make, rule, fresh_state):
    net, X, y = small_problem()
    opt = make()
    expected = parameters_copy(net)
    state = {name: fresh_state(p) for name, p in expected.items()}
    for t in range(1, 4):
        grads = one_pass(net, X, y)
        # the gradients are those of the current (already updated) parameters
        assert_parameters_equal(net, expected)
        for name in expected:
            expected[name], state[name] = rule(expected[name], grads[name], state[name], t)
        opt.step(net)
    for name, p in net.parameters():
        np.testing.assert_allclose(p, expected[name], rtol=1e-14, atol=1e-15)
    assert set(opt.state) == {"W1", "b1", "W2", "b2", "W3", "b3"}


@pytest.mark.parametrize("opt", [SGD(0.1), Momentum(0.1), Adam(0.01)], ids=repr)
def test_step_replaces_the_arrays_and_a_kept_array_or_view_keeps_its_values(opt):
    net, X, y = small_problem()
    one_pass(net, X, y)
    W1, view = net.layers[0].W, net.layers[0].W[1:, :2]
    W1_before, view_before = W1.copy(), view.copy()
    opt.step(net)
    state = {name: {key: np.array(value) for key, value in s.items()} for name, s in opt.state.items()}
    kept_state = {name: dict(s) for name, s in opt.state.items()}
    one_pass(net, X, y)
    opt.step(net)
    assert net.layers[0].W is not W1 and not np.allclose(net.layers[0].W, W1_before)
    np.testing.assert_array_equal(W1, W1_before)
    np.testing.assert_array_equal(view, view_before)
    for name, s in kept_state.items():  # the state of the first step, kept, is unchanged too
        for key, value in s.items():
            np.testing.assert_array_equal(value, state[name][key], err_msg=f"{name} {key}")


def test_adam_on_a_network_moves_every_weight_by_lr_on_its_first_step():
    net, X, y = small_problem()
    grads = one_pass(net, X, y)
    before = parameters_copy(net)
    Adam(0.003).step(net)
    for name, p in net.parameters():
        moved = np.abs(p - before[name])[np.abs(grads[name]) > 1e-6]
        np.testing.assert_allclose(moved, 0.003, rtol=1e-2)


@pytest.mark.parametrize("opt", [SGD(0.1), Momentum(0.1), Adam(0.1)], ids=repr)
def test_a_non_finite_step_raises_and_changes_neither_parameters_nor_state(opt):
    net, X, y = small_problem()
    one_pass(net, X, y)
    opt.step(net)
    one_pass(net, X, y)
    params = parameters_copy(net)
    state = {name: {key: np.array(value) for key, value in s.items()} for name, s in opt.state.items()}
    net.layers[1].dW = np.full_like(net.layers[1].dW, np.inf)  # inf in W2's gradient only
    with pytest.raises(
        FloatingPointError,
        match=r"W2 would become infinite or NaN .*parameters left unchanged\. Try a smaller learning rate",
    ):
        opt.step(net)
    assert_parameters_equal(net, params)
    assert set(opt.state) == set(state)
    for name, s in state.items():
        for key, value in s.items():
            np.testing.assert_array_equal(opt.state[name][key], value, err_msg=f"{name} {key}")


def test_huge_learning_rate_overflow_is_refused_cleanly():
    bowl = Quadratic([1e10, 1.0], [1.0, -1.0])
    with pytest.raises(FloatingPointError, match="Try a smaller learning rate"):
        SGD(1e308).step(bowl)
    np.testing.assert_array_equal(bowl.theta, [1.0, -1.0])


def test_step_needs_gradients_of_the_parameters_shapes():
    net, X, y = small_problem()
    opt = SGD(0.1)
    with pytest.raises(RuntimeError, match=r"SGD\(lr=0.1\): no gradient of W1; call net.backward\(y\) first"):
        opt.step(net)  # no backward yet: gradients are None
    one_pass(net, X, y)
    net.layers[0].dW = net.layers[0].dW.T
    with pytest.raises(ValueError, match=r"g: expected the shape of theta \(3, 5\), got \(5, 3\)"):
        opt.step(net)


def test_state_is_per_name_and_a_different_shape_asks_for_reset():
    opt = Momentum(0.1)
    opt.step(Quadratic([1.0, 1.0, 1.0], np.ones(3)))
    with pytest.raises(
        ValueError, match=r"x: got shape \(2,\), unlike in earlier steps .*call reset\(\) first"
    ):
        opt.step(Quadratic([1.0, 1.0], np.ones(2)))
    opt.reset()
    assert opt.state == {}
    opt.step(Quadratic([1.0, 1.0], np.ones(2)))
    assert repr(opt) == "Momentum(lr=0.1, beta=0.9)"
    assert repr(Adam()) == "Adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08)"
    assert repr(SGD(0.5)) == "SGD(lr=0.5)"


# -- closed forms on a quadratic f(θ) = ½ h θ² -----------------------------------------


def test_gradient_descent_on_a_quadratic_is_geometric():
    h, lr = 3.0, 0.1
    bowl, opt = Quadratic([h], [2.0]), SGD(lr)
    for _ in range(15):
        opt.step(bowl)
    np.testing.assert_allclose(bowl.theta, 2.0 * (1 - lr * h) ** 15, rtol=1e-12)


def test_momentum_on_a_quadratic_is_a_matrix_power():
    h, lr, beta = 4.0, 0.05, 0.7
    A = np.array([[1 - lr * h, -lr * beta], [h, beta]])  # (θ, v)_{t+1} = A (θ, v)_t
    bowl, opt = Quadratic([h], [1.5]), Momentum(lr, beta)
    for _ in range(20):
        opt.step(bowl)
    closed = np.linalg.matrix_power(A, 20) @ np.array([1.5, 0.0])
    np.testing.assert_allclose([bowl.theta[0], opt.state["x"]["v"][0]], closed, rtol=1e-10)


class ConstantGradient(Quadratic):
    def gradients(self):
        return [("x", np.full_like(self.theta, 0.5))]


def test_momentum_with_a_constant_gradient_follows_its_closed_form():
    lr, beta, g, t = 0.1, 0.9, 0.5, 25
    bowl, opt = ConstantGradient([1.0], [0.0]), Momentum(lr, beta)
    for _ in range(t):
        opt.step(bowl)
    closed = -lr * g / (1 - beta) * (t - beta * (1 - beta**t) / (1 - beta))
    assert bowl.theta[0] == pytest.approx(closed, rel=1e-12)
    assert opt.state["x"]["v"][0] == pytest.approx(g * (1 - beta**t) / (1 - beta), rel=1e-12)


def test_adam_is_nearly_invariant_to_rescaling_the_loss():
    def run(scale):
        bowl, opt = Quadratic(scale * np.array([1.0, 10.0]), [1.0, -2.0]), Adam(0.05)
        for _ in range(30):
            opt.step(bowl)
        return bowl.theta

    np.testing.assert_allclose(run(1.0), run(1000.0), atol=1e-6)

"""backprop_lib.mlp.MLP: the contract of the notebooks (shapes, caches, names), gradients
against central differences, pure evaluation, parameters that are replaced and never
changed in place, and all-or-nothing updates."""

import warnings

import numpy as np
import pytest
from autograd import grad
from conftest import (
    ARCHITECTURES,
    Cube,
    assert_parameters_equal,
    autograd_loss,
    make_batch,
    make_targets,
    one_pass,
    parameters_copy,
    random_case,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import backprop_lib as bp

CACHE = ("a_prev", "z", "a", "da", "dz", "dW", "db")


def cached_arrays(net):
    """``{(layer, name): array}`` of everything the layers keep (no copies; None left out)."""
    return {
        (k, name): getattr(layer, name)
        for k, layer in enumerate(net.layers)
        for name in CACHE
        if getattr(layer, name) is not None
    }


@pytest.mark.parametrize("sizes, acts, loss", ARCHITECTURES)
def test_every_parameter_gradient_matches_central_differences(sizes, acts, loss):
    net = bp.MLP(sizes, acts, loss=loss, seed=0)
    X, y = make_batch(sizes, loss, 8, seed=1)
    grads = one_pass(net, X, y)
    params = dict(net.parameters())
    assert list(grads) == [f"{p}{k}" for k in range(1, len(sizes)) for p in "Wb"]
    for name, g in grads.items():
        numeric = bp.numerical_gradient(lambda: net.loss(X, y), params[name])
        assert bp.rel_error(g, numeric) < bp.TOLERANCE, name


@pytest.mark.parametrize("seed", range(25))
def test_gradients_equal_the_autograd_package_on_random_architectures(seed):
    """An independent reverse-mode engine on a forward pass written again in autograd.numpy."""
    sizes, acts, loss, X, y = random_case(seed)
    net = bp.MLP(sizes, acts, loss=loss, seed=seed)
    grads = one_pass(net, X, y)
    expected = grad(autograd_loss)(
        [(layer.W.copy(), layer.b.copy()) for layer in net.layers], acts, loss, X, y
    )
    for k, (dW, db) in enumerate(expected, start=1):
        assert bp.rel_error(grads[f"W{k}"], dW) < 1e-10, f"W{k} of {sizes} {acts} {loss}"
        assert bp.rel_error(grads[f"b{k}"], db) < 1e-10, f"b{k} of {sizes} {acts} {loss}"


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=4),
    n=st.integers(1, 7),
    seed=st.integers(0, 2**32 - 1),
    data=st.data(),
)
def test_gradients_have_parameter_shapes_and_pass_the_check(sizes, n, seed, data):
    acts = [
        data.draw(st.sampled_from(["sigmoid", "tanh", "relu", "leaky_relu", "identity"])) for _ in sizes[2:]
    ] + ["sigmoid"]
    rng = np.random.default_rng(seed)
    # Random biases (not Xavier's zeros): with zero biases a dead ReLU layer feeds exactly
    # z = 0 into the next ReLU, a kink where the one-sided slopes differ and no difference
    # quotient can agree with any derivative.
    net = bp.MLP(sizes, acts, loss="bce", seed=seed, init=bp.Normal(1.0))
    X = rng.normal(size=(n, sizes[0]))
    y = rng.integers(0, 2, (n, sizes[-1])).astype(float)
    grads = one_pass(net, X, y)
    for name, p in net.parameters():
        assert p.shape == grads[name].shape, name
        numeric = bp.numerical_gradient(lambda: net.loss(X, y), p)
        # Relative tolerance plus a tiny absolute one: with one weight and two samples the
        # true gradient can cancel to ~1e-9, where a ratio of round-off is meaningless.
        np.testing.assert_allclose(grads[name], numeric, rtol=1e-6, atol=1e-9, err_msg=name)


@pytest.mark.parametrize("activation", [Cube(), "relu"], ids=str)
def test_a_learners_own_activation_trains_and_checks(activation, rng):
    net = bp.MLP([2, 3, 1], [activation, "sigmoid"], loss="bce", seed=0)
    X = rng.normal(size=(5, 2)) * 0.5
    y = make_targets("bce", 5, 1, rng)
    for _ in range(2):
        one_pass(net, X, y)
        net.update(0.1)
    assert max(bp.check_network(net, X, y).values()) < bp.TOLERANCE


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
    np.testing.assert_allclose(net.layers[0].z, X @ net.layers[0].W + net.layers[0].b, rtol=1e-15)
    np.testing.assert_array_equal(net.layers[1].a_prev, net.layers[0].a)
    np.testing.assert_allclose(net.layers[-1].a, yhat)
    assert net.layers[0].da is not None and net.layers[-1].da is None  # fused output: starts from dz
    assert net.fused


def test_backward_never_computes_the_gradient_of_the_inputs(rng):
    net = bp.MLP([3, 4, 2], ["tanh", "sigmoid"], loss="bce", seed=0)
    X, y = make_batch([3, 4, 2], "bce", 5, seed=1)
    expected = one_pass(net, X, y)
    # After the forward pass, a first-layer W through which dz Wᵀ cannot even be formed:
    # backward still succeeds, and gives the same gradients, because it never forms ∂L/∂X.
    net.forward(X)
    W1 = net.layers[0].W
    net.layers[0].W = np.zeros((9, 9))
    net.backward(y)
    net.layers[0].W = W1
    for name, g in net.gradients():
        np.testing.assert_array_equal(g, expected[name], err_msg=name)


def test_backward_is_the_mean_over_the_batch(rng):
    # The gradient of a batch is the average of the gradients of its samples.
    net = bp.MLP([3, 4, 2], ["tanh", "softmax"], loss="cross_entropy", seed=2)
    X, y = make_batch([3, 4, 2], "cross_entropy", 6, seed=3)
    full = one_pass(net, X, y)
    singles = [one_pass(net, X[i : i + 1], y[i : i + 1]) for i in range(6)]
    for name, g in full.items():
        np.testing.assert_allclose(g, np.mean([s[name] for s in singles], axis=0), rtol=1e-12, atol=1e-16)


def test_fused_output_stays_exact_where_yhat_rounds_to_one():
    net = bp.MLP([1, 1], ["sigmoid"], loss="bce", seed=0)
    net.set_parameters({"W1": [[1.0]], "b1": [[0.0]]})
    X, y = np.array([[800.0]]), np.array([[0.0]])  # σ(800) is 1.0 in float64: confidently wrong
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert net.loss(X, y) == pytest.approx(800.0, rel=1e-12)  # from the logits, not log(1e-12)
        grads = one_pass(net, X, y)
    np.testing.assert_allclose(grads["W1"], [[800.0]], rtol=1e-12)  # (ŷ − y)·x
    np.testing.assert_allclose(grads["b1"], [[1.0]], rtol=1e-12)


def test_same_seed_same_network_and_no_global_state():
    np.random.seed(0)
    before = np.random.get_state()[1].copy()
    a = bp.MLP([3, 5, 2], ["relu", "identity"], loss="mse", seed=7)
    b = bp.MLP([3, 5, 2], ["relu", "identity"], loss="mse", seed=7)
    c = bp.MLP([3, 5, 2], ["relu", "identity"], loss="mse", seed=8)
    np.testing.assert_array_equal(a.layers[0].W, b.layers[0].W)
    assert not np.array_equal(a.layers[0].W, c.layers[0].W)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_activation_and_loss_objects_are_used_as_given():
    leaky, loss = bp.LeakyReLU(0.3), bp.MeanSquaredError()
    net = bp.MLP([2, 3, 1], [leaky, "identity"], loss=loss, seed=0)
    assert net.layers[0].activation is leaky and net.loss_fn is loss


# -- evaluating without touching the caches -------------------------------------------------


def test_evaluate_output_loss_and_predict_leave_every_cache_untouched(rng):
    net = bp.MLP([3, 5, 2], ["tanh", "softmax"], loss="cross_entropy", seed=0)
    X, y = make_batch([3, 5, 2], "cross_entropy", 6, seed=1)
    one_pass(net, X, y)
    kept = cached_arrays(net)
    values = {key: array.copy() for key, array in kept.items()}
    other_X, other_y = make_batch([3, 5, 2], "cross_entropy", 4, seed=2)
    z, yhat = net.evaluate(other_X)
    net.output(other_X)
    net.loss(other_X, other_y)
    net.predict(other_X)
    after = cached_arrays(net)
    assert after.keys() == kept.keys()
    for key, array in after.items():
        assert array is kept[key], key
        np.testing.assert_array_equal(array, values[key], err_msg=str(key))
    # ... and what they return is what a forward pass computes
    np.testing.assert_array_equal(yhat, net.output(other_X))
    np.testing.assert_allclose(net.forward(other_X), yhat, rtol=1e-15)
    np.testing.assert_allclose(net.layers[-1].z, z, rtol=1e-15)
    assert net.loss(other_X, other_y) == pytest.approx(
        bp.CategoricalCrossEntropy().value(other_y, yhat), rel=1e-12
    )


def test_predict_gives_labels():
    X = np.array([[1.0, -1.0], [-2.0, 0.5], [0.3, 0.3]])
    binary = bp.MLP([2, 1], ["sigmoid"], loss="bce", seed=0)
    np.testing.assert_array_equal(binary.predict(X), (binary.output(X)[:, 0] > 0.5).astype(int))
    assert binary.predict(X).dtype.kind == "i"
    multi = bp.MLP([2, 3], ["softmax"], loss="cross_entropy", seed=0)
    np.testing.assert_array_equal(multi.predict(X), multi.output(X).argmax(axis=1))
    regression = bp.MLP([2, 1], ["identity"], loss="mse", seed=0)
    np.testing.assert_array_equal(regression.predict(X), regression.output(X)[:, 0])


# -- parameters: named, replaced, never changed in place -----------------------------------


def test_parameters_and_gradients_are_named_from_one():
    net = bp.MLP([2, 3, 1], ["relu", "sigmoid"], seed=0)
    assert [name for name, _ in net.parameters()] == ["W1", "b1", "W2", "b2"]
    assert [name for name, _ in net.gradients()] == ["W1", "b1", "W2", "b2"]
    assert all(g is None for _, g in net.gradients())  # before backward
    assert dict(net.parameters())["W2"] is net.layers[1].W


def test_update_is_a_gradient_descent_step(rng):
    net = bp.MLP([3, 4, 2], ["tanh", "identity"], loss="mse", seed=1)
    grads = one_pass(net, rng.normal(size=(6, 3)), rng.normal(size=(6, 2)))
    before = parameters_copy(net)
    net.update(0.1)
    assert_parameters_equal(net, {name: before[name] - 0.1 * grads[name] for name in before})


def test_update_replaces_the_arrays_and_a_kept_array_or_view_keeps_its_values(rng):
    sizes, acts, loss = [3, 5, 4, 2], ["relu", "tanh", "softmax"], "cross_entropy"
    net = bp.MLP(sizes, acts, loss=loss, seed=0)
    one_pass(net, *make_batch(sizes, loss, 6, seed=1))
    kept = {**dict(net.parameters()), **{str(key): a for key, a in cached_arrays(net).items()}}
    view = net.layers[0].W[:2]
    copies = {name: array.copy() for name, array in kept.items()}
    view_copy = view.copy()
    net.update(0.5)
    one_pass(net, *make_batch(sizes, loss, 6, seed=2))
    net.update(0.5)
    for name, array in kept.items():
        np.testing.assert_array_equal(array, copies[name], err_msg=f"kept {name} changed")
    np.testing.assert_array_equal(view, view_copy)
    assert not np.array_equal(net.layers[0].W, copies["W1"])  # the network did move on
    assert not np.array_equal(net.layers[0].z, copies["(0, 'z')"])


def test_a_non_finite_update_raises_and_changes_no_parameter(rng):
    net = bp.MLP([2, 3, 1], ["relu", "identity"], loss="mse", seed=0)
    one_pass(net, rng.normal(size=(4, 2)), rng.normal(size=(4, 1)))
    net.layers[1].dW = np.full_like(net.layers[1].dW, np.inf)  # only W2 would go wrong
    before = parameters_copy(net)
    with pytest.raises(
        FloatingPointError,
        match=r"W2 would become infinite or NaN .*parameters left unchanged\. Try a smaller",
    ):
        net.update(0.1)
    assert_parameters_equal(net, before)  # W1, b1 and b2 would have been finite: unchanged too


def test_an_overflowing_update_is_refused_without_a_warning(rng):
    net = bp.MLP([2, 3, 1], ["relu", "identity"], loss="mse", seed=0)
    one_pass(net, rng.normal(size=(4, 2)), np.full((4, 1), 1e300))
    before = parameters_copy(net)
    with pytest.raises(FloatingPointError, match="would become infinite or NaN"):
        net.update(1e300)
    assert_parameters_equal(net, before)


def test_set_parameters_replaces_what_it_names_as_float64():
    net = bp.MLP([2, 3, 1], ["relu", "sigmoid"], seed=0)
    before = parameters_copy(net)
    net.set_parameters({"b2": [[0.5]], "W1": np.ones((2, 3), dtype=int)})
    assert net.layers[1].b.dtype == net.layers[0].W.dtype == np.float64
    assert_parameters_equal(net, {**before, "b2": [[0.5]], "W1": np.ones((2, 3))})


@pytest.mark.parametrize(
    "new, error, message",
    [
        (
            {"W1": np.zeros((2, 3)), "W3": np.zeros((1, 1))},
            ValueError,
            r"parameters: expected names from \['W1', 'b1', 'W2', 'b2'\], got 'W3'",
        ),
        (
            {"W1": np.zeros((2, 3)), "b1": np.zeros((3,))},
            ValueError,
            r"new b1: expected the shape of b1 \(1, 3\), got \(3,\)",
        ),
        (
            {"W1": np.zeros((2, 3)), "W2": np.full((3, 1), np.nan)},
            FloatingPointError,
            "W2 would become infinite or NaN .*parameters left unchanged",
        ),
        ({"W1": np.zeros((2, 3)), "b2": "abc"}, TypeError, "b2: expected a numeric array, got str"),
    ],
)
def test_set_parameters_is_all_or_nothing(new, error, message):
    net = bp.MLP([2, 3, 1], ["relu", "sigmoid"], seed=0)
    before = parameters_copy(net)
    with pytest.raises(error, match=message):
        net.set_parameters(new)
    assert_parameters_equal(net, before)  # not even the valid W1 was taken


def test_order_of_calls_is_explained():
    net = bp.MLP([3, 4, 2], ["relu", "sigmoid"], loss="bce", seed=0)
    with pytest.raises(RuntimeError, match=r"backward: call forward\(X\) first"):
        net.backward(np.zeros((1, 2)))
    with pytest.raises(RuntimeError, match=r"update: call backward\(y\) first"):
        net.update(0.1)
    net.evaluate(np.ones((2, 3)))  # pure: still no batch to differentiate
    with pytest.raises(RuntimeError, match="call forward"):
        net.backward(np.zeros((2, 2)))


def test_repr_names_the_architecture():
    net = bp.MLP([2, 4, 1], ["relu", "sigmoid"], loss="bce")
    assert repr(net) == "MLP([2, 4, 1], ['relu', 'sigmoid'], loss='bce')"
    assert repr(net.layers[0]) == "Dense(2 -> 4, relu)"

"""backprop_lib.losses: values, gradients against central differences, the fused forms."""

import warnings

import numpy as np
import pytest
from conftest import make_targets
from hypothesis import given, settings
from hypothesis import strategies as st

import backprop_lib as bp
from backprop_lib.losses import logsumexp, softplus

CASES = [("mse", "identity"), ("bce", "sigmoid"), ("cross_entropy", "softmax")]


def predictions(loss_name, rng, shape=(6, 3)):
    """ŷ that suits the loss: probabilities for the cross-entropies, any reals for MSE."""
    if loss_name == "mse":
        return rng.normal(size=shape)
    if loss_name == "bce":
        return rng.uniform(0.05, 0.95, size=shape)
    return bp.Softmax().forward(rng.normal(size=shape))


@pytest.mark.parametrize("loss_name, _", CASES)
def test_gradient_matches_central_differences(loss_name, _, rng):
    loss = bp.get_loss(loss_name)
    y = make_targets(loss_name, 6, 3, rng)
    yhat = predictions(loss_name, rng)
    numeric = bp.numerical_gradient(lambda: loss.value(y, yhat), yhat)
    assert bp.rel_error(loss.gradient(y, yhat), numeric) < bp.TOLERANCE


@pytest.mark.parametrize("loss_name, act_name", CASES)
def test_fused_gradient_and_value_match_the_unfused_chain(loss_name, act_name, rng):
    loss, act = bp.get_loss(loss_name), bp.get_activation(act_name)
    assert loss.fused_activation == act_name
    y = make_targets(loss_name, 5, 3, rng)
    z = rng.normal(size=(5, 3))
    assert loss.value_from_logits(y, z) == pytest.approx(loss.value(y, act.forward(z)), rel=1e-12)
    numeric = bp.numerical_gradient(lambda: loss.value_from_logits(y, z), z)
    assert bp.rel_error(loss.fused_dz(y, act.forward(z)), numeric) < bp.TOLERANCE
    # the fused dz is the chain rule through the activation, written in one step
    unfused = act.backward(loss.gradient(y, act.forward(z)), z, act.forward(z))
    np.testing.assert_allclose(loss.fused_dz(y, act.forward(z)), unfused, rtol=1e-9, atol=1e-15)


def test_values_by_hand():
    y, yhat = np.array([[1.0, 0.0]]), np.array([[0.25, 0.5]])
    assert bp.MeanSquaredError().value(y, yhat) == pytest.approx(0.75**2 + 0.5**2, rel=1e-15)
    assert bp.BinaryCrossEntropy().value(np.array([[1.0]]), np.array([[0.5]])) == pytest.approx(
        np.log(2), rel=1e-15
    )
    assert bp.CategoricalCrossEntropy().value(
        np.array([[0.0, 1.0]]), np.array([[0.8, 0.2]])
    ) == pytest.approx(-np.log(0.2), rel=1e-15)


def test_losses_are_means_over_the_batch(rng):
    # Erratum 4: the loss is an average over samples, so duplicating the batch changes nothing.
    for loss_name, _ in CASES:
        loss = bp.get_loss(loss_name)
        y, yhat = make_targets(loss_name, 10, 3, rng), predictions(loss_name, rng, (10, 3))
        assert loss.value(np.vstack([y, y]), np.vstack([yhat, yhat])) == pytest.approx(
            loss.value(y, yhat), rel=1e-12
        )
        # ... and the gradient of a doubled batch is half as large per row: it carries 1/n
        np.testing.assert_allclose(
            loss.gradient(np.vstack([y, y]), np.vstack([yhat, yhat]))[:10],
            loss.gradient(y, yhat) / 2,
            rtol=1e-12,
        )


def test_mse_gradient_sign():
    # Erratum 3: dL/dŷ = −2(y − ŷ), so a prediction below its target has a negative gradient.
    g = bp.MeanSquaredError().gradient(np.array([[1.0]]), np.array([[0.25]]))
    assert g[0, 0] == pytest.approx(-1.5, rel=1e-15)


@pytest.mark.parametrize("loss_name, act_name", CASES)
def test_extreme_logits_give_finite_losses_without_warnings(loss_name, act_name):
    loss, act = bp.get_loss(loss_name), bp.get_activation(act_name)
    z = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 5.0]])
    y = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = loss.value_from_logits(y, z)
        dz = loss.fused_dz(y, act.forward(z))
        unfused = loss.value(y, act.forward(z))
        grad = loss.gradient(y, act.forward(z))
    assert np.isfinite(value) and np.isfinite(dz).all() and np.isfinite(unfused) and np.isfinite(grad).all()
    # Confidently wrong costs about |z|: each sample has two units wrong by 1000.
    expected = {
        "bce": (2000 + np.log(2) + 2000 + np.log1p(np.exp(5))) / 2,
        "cross_entropy": 2000.0,
        "mse": np.sum((y - z) ** 2) / 2,
    }[loss_name]
    assert value == pytest.approx(expected, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(z=st.floats(-1e6, 1e6), y=st.sampled_from([0.0, 1.0]))
def test_bce_from_logits_is_finite_and_non_negative(z, y):
    value = bp.BinaryCrossEntropy().value_from_logits(np.array([[y]]), np.array([[z]]))
    assert np.isfinite(value) and value >= 0


def test_stable_helpers_equal_their_definitions(rng):
    z = rng.normal(size=(4, 3))
    np.testing.assert_allclose(softplus(z), np.log1p(np.exp(z)), rtol=1e-14)
    np.testing.assert_allclose(logsumexp(z), np.log(np.exp(z).sum(axis=1, keepdims=True)), rtol=1e-14)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert softplus(np.array(1000.0)) == pytest.approx(1000.0, rel=1e-15)
        assert logsumexp(np.array([[1000.0, 1000.0]]))[0, 0] == pytest.approx(1000 + np.log(2), rel=1e-15)


def test_target_checks_say_what_was_expected():
    with pytest.raises(ValueError, match=r"expected targets y in \[0, 1\], got values from -1 to 2"):
        bp.BinaryCrossEntropy().check_targets(np.array([[-1.0], [2.0]]))
    with pytest.raises(
        ValueError, match=r"expected targets y in \[0, 1\] \(one-hot rows\), got values from 0 to 3"
    ):
        bp.CategoricalCrossEntropy().check_targets(np.array([[0.0, 3.0]]))
    with pytest.raises(ValueError, match="expected each row of y to sum to 1 .*got row 1 summing to 2"):
        bp.CategoricalCrossEntropy().check_targets(np.array([[1.0, 0.0], [1.0, 1.0]]))
    bp.MeanSquaredError().check_targets(np.array([[-5.0, 7.0]]))  # any real target is fine


def test_lookup_by_name_alias_and_object():
    assert isinstance(bp.get_loss("log_loss"), bp.BinaryCrossEntropy)
    assert isinstance(bp.get_loss("CE"), bp.CategoricalCrossEntropy)
    assert isinstance(bp.get_loss("squared_error"), bp.MeanSquaredError)
    mse = bp.MeanSquaredError()
    assert bp.get_loss(mse) is mse and repr(mse) == "MeanSquaredError()"
    assert mse(np.ones((2, 1)), np.zeros((2, 1))) == 1.0  # calling it is its value
    with pytest.raises(ValueError, match=r"unknown loss 'hinge': expected one of \[.*'bce'"):
        bp.get_loss("hinge")
    with pytest.raises(TypeError, match="loss: expected a name .* or a Loss object, got NoneType"):
        bp.get_loss(None)

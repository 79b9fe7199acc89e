import warnings

import numpy as np
import pytest

import backprop_lib as bp
from conftest import make_targets

CASES = [("mse", "identity"), ("bce", "sigmoid"), ("cross_entropy", "softmax")]


@pytest.mark.parametrize("loss_name, _", CASES)
def test_gradient_matches_central_differences(loss_name, _, rng):
    loss = bp.get_loss(loss_name)
    y = make_targets(loss_name, 6, 3, rng)
    yhat = bp.Softmax().forward(rng.normal(size=(6, 3))) if loss_name != "mse" else rng.normal(size=(6, 3))
    numeric = bp.numerical_gradient(lambda: loss.value(y, yhat), yhat)
    assert bp.rel_error(loss.gradient(y, yhat), numeric) < 1e-7


@pytest.mark.parametrize("loss_name, act_name", CASES)
def test_fused_gradient_and_value_match_the_unfused_chain(loss_name, act_name, rng):
    loss, act = bp.get_loss(loss_name), bp.get_activation(act_name)
    y = make_targets(loss_name, 5, 3, rng)
    z = rng.normal(size=(5, 3))
    assert loss.value_from_logits(y, z) == pytest.approx(loss.value(y, act.forward(z)), rel=1e-12)
    numeric = bp.numerical_gradient(lambda: loss.value_from_logits(y, z), z)
    assert bp.rel_error(loss.fused_dz(y, act.forward(z)), numeric) < 1e-7


def test_losses_are_means_over_the_batch(rng):
    # Erratum 4: the loss is an average over samples, so duplicating the batch changes nothing.
    y = make_targets("bce", 10, 1, rng)
    yhat = rng.uniform(0.1, 0.9, size=(10, 1))
    loss = bp.BinaryCrossEntropy()
    assert loss.value(np.vstack([y, y]), np.vstack([yhat, yhat])) == pytest.approx(loss.value(y, yhat))
    assert bp.BinaryCrossEntropy().value(np.array([[1.0]]), np.array([[0.5]])) == pytest.approx(np.log(2))


def test_mse_gradient_sign():
    # Erratum 3: dL/dŷ = −2(y − ŷ), so a prediction below its target has a negative gradient.
    g = bp.MeanSquaredError().gradient(np.array([[1.0]]), np.array([[0.25]]))
    assert g[0, 0] == pytest.approx(-1.5)


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
    assert np.isfinite(value) and np.isfinite(dz).all() and np.isfinite(unfused)
    # Confidently wrong costs about |z|: each sample has two units wrong by 1000.
    expected = {
        "bce": (2000 + np.log(2) + 2000 + np.log1p(np.exp(5))) / 2,
        "cross_entropy": 2000.0,
        "mse": np.sum((y - z) ** 2) / 2,
    }[loss_name]
    assert value == pytest.approx(expected, rel=1e-12)


def test_target_checks_say_what_was_expected():
    with pytest.raises(ValueError, match=r"\[0, 1\].*got values from -1 to 2"):
        bp.BinaryCrossEntropy().check_targets(np.array([[-1.0], [2.0]]))
    with pytest.raises(ValueError, match="sum to 1.*row 1"):
        bp.CategoricalCrossEntropy().check_targets(np.array([[1.0, 0.0], [1.0, 1.0]]))
    with pytest.raises(ValueError, match="unknown loss 'hinge'"):
        bp.get_loss("hinge")
    with pytest.raises(TypeError, match="Loss object"):
        bp.get_loss(None)

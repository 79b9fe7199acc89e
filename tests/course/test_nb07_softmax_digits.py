"""Notebook 07 (softmax on digits): the softmax panel (Jacobian, fused and chained gradients),
the digits explorer driven without a browser; the exercise checks, each typical mistake named."""

import numpy as np
import pytest
from conftest import expect_mistake, named

import backprop_lib as bp
from backprop_course.exercises.nb07_softmax_digits import check_softmax_ce_gradient, check_softmax_jacobian
from backprop_course.explorers import nb07_softmax_digits as sd


def test_softmax_panel_numbers():
    z = np.array([2.0, -1.0, 0.5, 0.0])
    panel = sd.softmax_panel(z, 2, temperature=0.5)
    u = z / 0.5
    p = np.exp(u - u.max()) / np.exp(u - u.max()).sum()
    np.testing.assert_allclose(panel["yhat"], p, rtol=1e-14)
    np.testing.assert_allclose(panel["jacobian"], np.diag(p) - np.outer(p, p), atol=1e-16)
    np.testing.assert_allclose(panel["du_fused"], p - np.eye(4)[2], atol=1e-16)
    np.testing.assert_allclose(panel["du_chain"], panel["du_fused"], atol=1e-15)
    assert panel["rel_error"] < 1e-14
    assert panel["prediction"] == 0
    assert panel["loss"] == pytest.approx(-np.log(p[2]), rel=1e-14)


def test_softmax_panel_jacobian_is_central_differences_of_softmax():
    rng = np.random.default_rng(0)
    z = rng.normal(size=6)
    J = sd.softmax_panel(z, 0)["jacobian"]
    for i in range(6):
        row = bp.numerical_gradient(lambda: bp.Softmax().forward(z.reshape(1, -1))[0, i], z)
        assert bp.rel_error(J[i], row) < 1e-8


def test_softmax_panel_survives_extreme_temperatures_and_rejects_bad_input():
    panel = sd.softmax_panel(np.array([30.0, -30.0, 0.0]), 1, temperature=0.2)
    assert np.isfinite(panel["du_chain"]).all() and panel["rel_error"] < 1e-7
    with pytest.raises(ValueError, match="label"):
        sd.softmax_panel(np.zeros(3), 3)
    with pytest.raises(ValueError, match="temperature"):
        sd.softmax_panel(np.zeros(3), 0, temperature=0)
    with pytest.raises(ValueError, match="1-D"):
        sd.softmax_panel(np.zeros((2, 3)), 0)


@pytest.fixture(scope="module")
def digits_net():
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1, (12, 16))
    labels = rng.integers(0, 4, 12)
    net = bp.MLP([16, 8, 4], ["relu", "softmax"], loss="cross_entropy", seed=0)
    return net, X, labels


def test_network_logits_are_the_output_layers_z_without_a_forward_pass(digits_net):
    net, X, labels = digits_net
    cached = net.layers[-1].z
    logits = sd.network_logits(net, X)
    np.testing.assert_allclose(bp.Softmax().forward(logits), net.output(X), rtol=1e-13)
    assert net.layers[-1].z is cached  # the caches are left alone
    with pytest.raises(
        ValueError, match=r"X: expected 16 features \(columns\) for this network, got shape \(2, 5\)"
    ):
        sd.network_logits(net, np.ones((2, 5)))


def test_softmax_explorer_follows_its_sliders(digits_net):
    net, X, labels = digits_net
    explorer = sd.softmax_digits_explorer(net, X, labels)  # 16 features: 4 × 4 images
    first_png = explorer.image.value
    explorer.index.value = 5
    logits = sd.network_logits(net, X)
    expected = sd.softmax_panel(logits[5], int(labels[5]))
    np.testing.assert_allclose([b.get_height() for b in explorer.artists["bars_p"]], expected["yhat"])
    np.testing.assert_allclose([b.get_height() for b in explorer.artists["bars_g"]], expected["du_fused"])
    np.testing.assert_array_equal(explorer.artists["digit"].get_array(), X[5].reshape(4, 4))
    np.testing.assert_allclose(explorer.artists["jacobian"].get_array(), expected["jacobian"])
    assert f"true class <b>{labels[5]}</b>" in explorer.info.value
    assert explorer.image.value != first_png
    explorer.temperature.value = 2.0
    hot = sd.softmax_panel(logits[5], int(labels[5]), 2.0)
    np.testing.assert_allclose([b.get_height() for b in explorer.artists["bars_p"]], hot["yhat"])
    assert "T = 2.00" in explorer.info.value and "✓" in explorer.info.value


def test_softmax_explorer_order_and_caches(digits_net):
    net, X, labels = digits_net
    net.forward(X[:3])
    cached = net.layers[0].a_prev
    explorer = sd.softmax_digits_explorer(net, X, labels, images=X.reshape(-1, 4, 4), order=[7, 2])
    assert explorer.index.max == 1 and explorer.sample == 7
    explorer.index.value = 1
    assert explorer.sample == 2
    assert net.layers[0].a_prev is cached  # the explorer does not run net.forward


def test_softmax_explorer_rejects_what_it_cannot_show(digits_net):
    net, X, labels = digits_net
    with pytest.raises(ValueError, match="softmax output"):
        sd.softmax_digits_explorer(bp.MLP([16, 1], ["sigmoid"]), X, labels)
    with pytest.raises(ValueError, match="labels"):
        sd.softmax_digits_explorer(net, X, labels[:-1])
    with pytest.raises(ValueError, match="not a square image"):
        sd.softmax_digits_explorer(
            bp.MLP([5, 3], ["softmax"], loss="cross_entropy"), np.ones((2, 5)), np.zeros(2, dtype=int)
        )


def test_softmax_explorer_redraw_leaves_nothing_behind(digits_net):
    net, X, labels = digits_net
    explorer = sd.softmax_digits_explorer(net, X, labels)
    explorer.index.value = 5
    explorer.temperature.value = 0.5
    shown = explorer.image.value
    explorer.index.value = 9
    explorer.temperature.value = 2.0
    assert explorer.image.value != shown
    explorer.index.value = 5
    explorer.temperature.value = 0.5
    assert explorer.image.value == shown  # the same state gives the same pixels


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_unshifted(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


# -- notebook 07 ------------------------------------------------------------------------

JACOBIANS = {
    "correct": lambda z: np.diag(softmax(z)) - np.outer(softmax(z), softmax(z)),
    "diag(ŷ) only": lambda z: np.diag(softmax(z)),
    "treats softmax as elementwise": lambda z: np.diag(softmax(z) * (1 - softmax(z))),
    "the δ_ik ŷ_i term (diag(ŷ)) is missing": lambda z: -np.outer(softmax(z), softmax(z)),
    "wrong sign": lambda z: np.outer(softmax(z), softmax(z)) - np.diag(softmax(z)),
    "Subtract max(z)": lambda z: (
        np.diag(softmax_unshifted(z)) - np.outer(softmax_unshifted(z), softmax_unshifted(z))
    ),
    "shape (3,)": lambda z: softmax(z),
}


@pytest.mark.parametrize("seed", [0, 1, 7])
@pytest.mark.parametrize("mistake", sorted(JACOBIANS))
def test_softmax_jacobian_check(mistake, seed):
    expect_mistake(check_softmax_jacobian, JACOBIANS[mistake], named(mistake), seeds=(seed,))


GRADIENTS = {
    "correct": lambda Z, Y: (softmax(Z) - Y) / len(Z),
    "n times too large": lambda Z, Y: softmax(Z) - Y,
    "wrong sign: it is": lambda Z, Y: (Y - softmax(Z)) / len(Z),
    "wrong sign and no 1/n": lambda Z, Y: Y - softmax(Z),
    "number of classes K instead of the number of samples n": lambda Z, Y: (softmax(Z) - Y) / Z.shape[1],
    "gradient with respect to the probabilities": lambda Z, Y: -Y / softmax(Z) / len(Z),
    "uses the logits z": lambda Z, Y: (Z - Y) / len(Z),
    "Subtract max(z)": lambda Z, Y: (softmax_unshifted(Z) - Y) / len(Z),
    "a missing or extra transpose": lambda Z, Y: ((softmax(Z) - Y) / len(Z)).T,
}


@pytest.mark.parametrize("seed", [0, 1, 7])
@pytest.mark.parametrize("mistake", sorted(GRADIENTS))
def test_softmax_ce_gradient_check(mistake, seed):
    # only (n, K) with n ≠ K shows the transpose, by its shape
    regex = "shape" if mistake == "a missing or extra transpose" else named(mistake)
    expect_mistake(check_softmax_ce_gradient, GRADIENTS[mistake], regex, seeds=(seed,))


def test_nb07_checks_print_feedback(capsys):
    assert check_softmax_jacobian(JACOBIANS["correct"])
    assert capsys.readouterr().out == "✅ softmax Jacobian: correct\n"
    assert not check_softmax_ce_gradient(GRADIENTS["n times too large"])
    assert capsys.readouterr().out.startswith(
        "❌ fused softmax + cross-entropy gradient: ∂L/∂Z for n = 4, K = 3 is n times"
    )


def test_overflow_in_the_learners_code_prints_no_warning(recwarn):
    check_softmax_jacobian(JACOBIANS["Subtract max(z)"])
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]

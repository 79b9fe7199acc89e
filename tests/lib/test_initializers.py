"""backprop_lib.initializers: the promised spreads, zero or random biases, "auto"."""

import numpy as np
import pytest

import backprop_lib as bp


@pytest.mark.parametrize(
    "init, acts, expected_std",
    [
        ("he", ["relu", "identity"], np.sqrt(2 / 400)),
        ("xavier", ["tanh", "identity"], np.sqrt(2 / (400 + 300))),
        ("glorot", ["tanh", "identity"], np.sqrt(2 / (400 + 300))),
        ("normal", ["relu", "identity"], 0.1),
        ("auto", ["relu", "identity"], np.sqrt(2 / 400)),
        ("auto", ["leaky_relu", "identity"], np.sqrt(2 / 400)),
        ("auto", ["tanh", "identity"], np.sqrt(2 / (400 + 300))),
        (bp.Normal(0.5), ["relu", "identity"], 0.5),
    ],
)
def test_initialisers_draw_with_the_promised_spread(init, acts, expected_std):
    net = bp.MLP([400, 300, 1], acts, loss="mse", seed=0, init=init)
    W = net.layers[0].W
    assert W.std() == pytest.approx(expected_std, rel=0.02)
    assert abs(W.mean()) < 3 * expected_std / np.sqrt(W.size)  # centred at 0
    biases_random = isinstance(init, bp.Normal) or init == "normal"
    assert (net.layers[0].b.std() > 0) == biases_random


def test_an_initialiser_returns_w_and_b_in_the_row_convention():
    for init in (bp.He(), bp.Xavier(), bp.Normal(0.3)):
        W, b = init(3, 5, np.random.default_rng(0))
        assert W.shape == (3, 5) and b.shape == (1, 5)
        W2, b2 = init(3, 5, np.random.default_rng(0))
        np.testing.assert_array_equal(W, W2)  # all randomness from the generator passed in
        np.testing.assert_array_equal(b, b2)


def test_auto_follows_each_layers_activation():
    assert isinstance(bp.get_initializer("auto", "relu"), bp.He)
    assert isinstance(bp.get_initializer("AUTO", "leaky_relu"), bp.He)
    assert isinstance(bp.get_initializer("auto", "sigmoid"), bp.Xavier)
    assert isinstance(bp.get_initializer("auto"), bp.Xavier)
    normal = bp.Normal(0.2)
    assert bp.get_initializer(normal, "relu") is normal
    assert repr(normal) == "Normal(sigma=0.2)" and repr(bp.He()) == "He()"


def test_bad_initialisers_say_what_was_expected():
    with pytest.raises(ValueError, match=r"unknown initialiser 'zeros': expected one of \[.*'auto'.*'he'"):
        bp.MLP([2, 1], ["sigmoid"], init="zeros")
    with pytest.raises(TypeError, match="initialiser: expected a name .* or a Initializer object, got float"):
        bp.get_initializer(0.1)
    with pytest.raises(ValueError, match=r"Normal sigma: expected a finite number in \(0, inf\], got 0.0"):
        bp.Normal(0.0)

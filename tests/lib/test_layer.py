"""backprop_lib.layer.Dense: a pure apply, a forward that keeps its cache, a backward pass
checked against central differences, and ``first=True`` that skips ∂L/∂X."""

import numpy as np
import pytest
from conftest import Cube

import backprop_lib as bp

ACTIVATIONS = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "softmax", Cube()]


def layer_and_batch(activation, rng, n=5, n_in=3, n_out=4):
    W, b = rng.normal(size=(n_in, n_out)), rng.normal(size=(1, n_out))
    return bp.Dense(W, b, bp.get_activation(activation)), rng.normal(size=(n, n_in))


def test_apply_is_the_row_convention_and_keeps_nothing(rng):
    layer, a_prev = layer_and_batch("tanh", rng)
    z, a = layer.apply(a_prev)
    np.testing.assert_allclose(z, a_prev @ layer.W + layer.b, rtol=1e-15)
    np.testing.assert_array_equal(a, np.tanh(z))
    assert layer.a_prev is layer.z is layer.a is None


def test_forward_keeps_what_backward_needs(rng):
    layer, a_prev = layer_and_batch("sigmoid", rng)
    a = layer.forward(a_prev)
    assert layer.a_prev is a_prev and layer.a is a
    np.testing.assert_array_equal((layer.z, layer.a), layer.apply(a_prev))
    assert layer.da is layer.dz is layer.dW is layer.db is None


@pytest.mark.parametrize("activation", ACTIVATIONS, ids=str)
def test_backward_matches_central_differences(activation, rng):
    # L = Σ G ⊙ a for a random G, so ∂L/∂a = G.
    layer, a_prev = layer_and_batch(activation, rng)
    G = rng.normal(size=(5, 4))

    def loss():
        return float(np.sum(G * layer.apply(a_prev)[1]))

    layer.forward(a_prev)
    da_prev = layer.backward(G)
    assert layer.da is G
    assert layer.dW.shape == layer.W.shape and layer.db.shape == layer.b.shape
    assert layer.dz.shape == (5, 4) and da_prev.shape == a_prev.shape
    for analytic, x in [(layer.dW, layer.W), (layer.db, layer.b), (da_prev, a_prev)]:
        assert bp.rel_error(analytic, bp.numerical_gradient(loss, x)) < bp.TOLERANCE
    np.testing.assert_allclose(layer.dz, layer.activation.backward(G, layer.z, layer.a), rtol=1e-15)


def test_backward_from_dz_is_each_line_of_the_maths(rng):
    layer, a_prev = layer_and_batch("relu", rng)
    layer.forward(a_prev)
    dz = rng.normal(size=(5, 4))
    da_prev = layer.backward_from_dz(dz)
    assert layer.dz is dz
    np.testing.assert_allclose(layer.dW, a_prev.T @ dz, rtol=1e-15)
    np.testing.assert_allclose(layer.db, dz.sum(axis=0, keepdims=True), rtol=1e-15)
    np.testing.assert_allclose(da_prev, dz @ layer.W.T, rtol=1e-15)


@pytest.mark.parametrize("entry", ["backward", "backward_from_dz"])
def test_first_returns_none_and_never_computes_dl_dx(entry, rng):
    layer, a_prev = layer_and_batch("tanh", rng)
    layer.forward(a_prev)
    G = rng.normal(size=(5, 4))
    with_dx = getattr(layer, entry)(G)
    dW, db = layer.dW, layer.db
    # A W through which dz Wᵀ cannot be formed: only a pass that skips ∂L/∂X survives it.
    layer.W = np.zeros((7, 7))
    assert getattr(layer, entry)(G, first=True) is None
    np.testing.assert_array_equal(layer.dW, dW)
    np.testing.assert_array_equal(layer.db, db)
    with pytest.raises(ValueError):
        getattr(layer, entry)(G, first=False)
    assert with_dx.shape == a_prev.shape


def test_repr_names_the_shape_and_activation(rng):
    assert repr(bp.Dense(np.zeros((2, 4)), np.zeros((1, 4)), bp.ReLU())) == "Dense(2 -> 4, relu)"

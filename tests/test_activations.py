import warnings

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib.activations import ACTIVATIONS

ELEMENTWISE = ["identity", "sigmoid", "tanh", "relu", "leaky_relu"]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_central_differences(name, rng):
    f = bp.get_activation(name)
    z = rng.normal(scale=2.0, size=(6, 5))
    z[np.abs(z) < 1e-3] = 0.5  # keep away from the ReLU kink
    numeric = np.empty_like(z)
    for idx in np.ndindex(z.shape):
        numeric[idx] = bp.numerical_gradient(lambda: f.forward(z)[idx], z)[idx]
    assert bp.rel_error(f.derivative(z), numeric) < 1e-7


@pytest.mark.parametrize("name", ELEMENTWISE + ["softmax"])
def test_backward_is_the_vector_jacobian_product(name, rng):
    f = bp.get_activation(name)
    z = rng.normal(size=(4, 3))
    z[np.abs(z) < 1e-3] = 0.5
    da = rng.normal(size=z.shape)
    numeric = bp.numerical_gradient(lambda: np.sum(da * f.forward(z)), z)
    assert bp.rel_error(f.backward(da, z, f.forward(z)), numeric) < 1e-7


@pytest.mark.parametrize("name", sorted(set(ACTIVATIONS) - {"identity", "linear"}))
def test_out_receives_exactly_the_result_without_out(name, rng):
    # A layer passes last pass's array as out=; the values must not depend on it.
    f = bp.get_activation(name)
    z = rng.normal(size=(4, 3))
    da = rng.normal(size=z.shape)
    a = f.forward(z)
    out = np.full(z.shape, np.nan)
    assert f.forward(z, out=out) is out and np.array_equal(out, a)
    out = np.full(z.shape, np.nan)
    assert f.backward(da, z, a, out=out) is out and np.array_equal(out, f.backward(da, z, a))


def test_identity_returns_its_input_whatever_out_is(rng):
    z = rng.normal(size=(2, 3))
    out = np.zeros_like(z)
    assert bp.Identity().forward(z, out=out) is z and bp.Identity().backward(z, z, z, out=out) is z


def test_integer_input_gives_float_output():
    for name in sorted(ACTIVATIONS):
        a = bp.get_activation(name).forward(np.array([[-2, 0, 3]]))
        assert a.dtype.kind in "fi" and np.all(np.isfinite(a)), name
    np.testing.assert_allclose(bp.Softmax().forward(np.array([[0, 0]])), [[0.5, 0.5]])


def test_sigmoid_derivative_is_not_doubled():
    # Erratum 1 of the original: σ'(0) is 1/4, not 1/2.
    assert bp.Sigmoid().derivative(np.zeros((1, 1)))[0, 0] == pytest.approx(0.25)


def test_softmax_jacobian_matches_central_differences(rng):
    f = bp.Softmax()
    z = rng.normal(size=4)
    numeric = np.stack(
        [bp.numerical_gradient(lambda: f.forward(z.reshape(1, -1))[0, i], z) for i in range(4)]
    )
    assert bp.rel_error(f.jacobian(z), numeric) < 1e-7


def test_softmax_rows_sum_to_one_and_have_no_elementwise_derivative(rng):
    f = bp.Softmax()
    a = f.forward(rng.normal(size=(5, 3)) * 100)
    np.testing.assert_allclose(a.sum(axis=1), 1.0)
    with pytest.raises(TypeError, match="jacobian"):
        f.derivative(np.zeros((1, 3)))


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_extreme_inputs_are_finite_without_warnings(name):
    f = bp.get_activation(name)
    z = np.array([[-1000.0, -50.0, 0.0, 50.0, 1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = f.forward(z)
        assert np.isfinite(a).all()
        dz = f.backward(np.ones_like(z), z, a)
        assert np.isfinite(dz).all()


def test_sigmoid_saturates_exactly():
    a = bp.Sigmoid().forward(np.array([[-1000.0, 1000.0]]))
    np.testing.assert_array_equal(a, [[0.0, 1.0]])


def test_lookup_by_name_and_object():
    assert isinstance(bp.get_activation("ReLU"), bp.ReLU)
    leaky = bp.LeakyReLU(0.2)
    assert bp.get_activation(leaky) is leaky
    assert repr(leaky) == "LeakyReLU(alpha=0.2)"


def test_unknown_or_wrong_type_names_what_was_expected():
    with pytest.raises(ValueError, match=r"unknown activation 'swish'.*relu"):
        bp.get_activation("swish")
    with pytest.raises(TypeError, match="got int"):
        bp.get_activation(3)
    with pytest.raises(ValueError, match="alpha"):
        bp.LeakyReLU(-1)

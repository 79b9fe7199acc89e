"""backprop_lib.activations: every activation and its derivative against central differences."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import backprop_lib as bp
from backprop_lib.activations import ACTIVATIONS

ELEMENTWISE = ["identity", "sigmoid", "tanh", "relu", "leaky_relu"]


def away_from_the_kink(z):
    """z with entries near 0 moved away: ReLU's one-sided slopes differ at 0."""
    return np.where(np.abs(z) < 1e-3, 0.5, z)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_central_differences_entry_by_entry(name, rng):
    f = bp.get_activation(name)
    z = away_from_the_kink(rng.normal(scale=2.0, size=(6, 5)))
    fprime = f.derivative(z)
    for idx in np.ndindex(z.shape):
        # The whole output moved by z[idx]: f'(z[idx]) there and 0 elsewhere (elementwise).
        column = bp.central_difference(lambda: f.forward(z), z, idx)
        expected = np.zeros_like(z)
        expected[idx] = fprime[idx]
        np.testing.assert_allclose(column, expected, rtol=1e-7, atol=1e-9, err_msg=str(idx))


@pytest.mark.parametrize("name", ELEMENTWISE + ["softmax"])
def test_backward_is_the_vector_jacobian_product(name, rng):
    f = bp.get_activation(name)
    z = away_from_the_kink(rng.normal(size=(4, 3)))
    da = rng.normal(size=z.shape)
    numeric = bp.numerical_gradient(lambda: np.sum(da * f.forward(z)), z)
    assert bp.rel_error(f.backward(da, z, f.forward(z)), numeric) < bp.TOLERANCE


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_backward_is_da_times_the_derivative(name, rng):
    f = bp.get_activation(name)
    z = away_from_the_kink(rng.normal(size=(5, 4)))
    da = rng.normal(size=z.shape)
    np.testing.assert_allclose(f.backward(da, z, f.forward(z)), da * f.derivative(z), rtol=1e-12, atol=1e-15)


def test_leaky_relu_slope_follows_alpha(rng):
    z = away_from_the_kink(rng.normal(size=(3, 4)))
    f = bp.LeakyReLU(0.2)
    np.testing.assert_allclose(f.forward(z), np.where(z > 0, z, 0.2 * z), rtol=1e-15)
    np.testing.assert_array_equal(f.derivative(z), np.where(z > 0, 1.0, 0.2))


def test_relu_derivative_at_the_kink_is_zero():
    np.testing.assert_array_equal(bp.ReLU().derivative(np.array([[-1.0, 0.0, 1.0]])), [[0.0, 0.0, 1.0]])


def test_integer_input_gives_float_output():
    for name in sorted(ACTIVATIONS):
        a = bp.get_activation(name).forward(np.array([[-2, 0, 3]]))
        assert a.dtype.kind in "fi" and np.all(np.isfinite(a)), name
    np.testing.assert_allclose(bp.Softmax().forward(np.array([[0, 0]])), [[0.5, 0.5]])


def test_sigmoid_derivative_is_not_doubled():
    # Erratum 1 of the original: σ'(0) is 1/4, not 1/2.
    assert bp.Sigmoid().derivative(np.zeros((1, 1)))[0, 0] == pytest.approx(0.25, rel=1e-15)


def test_softmax_jacobian_matches_central_differences(rng):
    f = bp.Softmax()
    z = rng.normal(size=4)
    # column j: ∂softmax(z)/∂z_j
    numeric = np.column_stack(
        [bp.central_difference(lambda: f.forward(z.reshape(1, -1))[0], z, j) for j in range(4)]
    )
    assert bp.rel_error(f.jacobian(z), numeric) < bp.TOLERANCE


def test_softmax_rows_sum_to_one_and_have_no_elementwise_derivative(rng):
    f = bp.Softmax()
    a = f.forward(rng.normal(size=(5, 3)) * 100)
    np.testing.assert_allclose(a.sum(axis=1), 1.0, rtol=1e-14)
    with pytest.raises(TypeError, match="softmax has no elementwise derivative; use jacobian"):
        f.derivative(np.zeros((1, 3)))


@settings(max_examples=40, deadline=None)
@given(z=st.lists(st.floats(-1e4, 1e4), min_size=1, max_size=8))
def test_softmax_is_a_distribution_and_shift_invariant(z):
    z = np.array([z])
    a = bp.Softmax().forward(z)
    assert np.all(a >= 0) and abs(a.sum() - 1) < 1e-12
    np.testing.assert_allclose(bp.Softmax().forward(z - 37.0), a, atol=1e-12)


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


def test_an_activation_is_callable_and_says_what_it_is(rng):
    z = rng.normal(size=(2, 3))
    np.testing.assert_array_equal(bp.Tanh()(z), np.tanh(z))
    assert repr(bp.Tanh()) == "Tanh()"
    assert repr(bp.LeakyReLU(0.2)) == "LeakyReLU(alpha=0.2)"


def test_lookup_by_name_and_object():
    assert isinstance(bp.get_activation("ReLU"), bp.ReLU)
    assert isinstance(bp.get_activation("linear"), bp.Identity)
    leaky = bp.LeakyReLU(0.2)
    assert bp.get_activation(leaky) is leaky


def test_unknown_or_wrong_type_names_what_was_expected():
    with pytest.raises(ValueError, match=r"unknown activation 'swish': expected one of \[.*'relu'"):
        bp.get_activation("swish")
    with pytest.raises(TypeError, match="activation: expected a name .* or a Activation object, got int"):
        bp.get_activation(3)
    with pytest.raises(
        ValueError, match=r"LeakyReLU alpha: expected a finite number in \[0, inf\], got -1.0"
    ):
        bp.LeakyReLU(-1)

"""backprop_lib.gradcheck: central differences, relative errors, the per-parameter report and
the whole-network check, which passes correct gradients and fails wrong ones."""

import numpy as np
import pytest
from conftest import ARCHITECTURES, assert_parameters_equal, make_batch, parameters_copy

import backprop_lib as bp
from backprop_lib.gradcheck import EPS, GradientRow, compare


def test_the_pass_line_and_step():
    assert bp.TOLERANCE == 1e-7 and EPS == 1e-6


def test_central_difference_of_a_cubic_is_exact_up_to_eps_squared():
    x = np.array([0.5, -1.5, 2.0])
    # f = Σ x³: (f(x+ε) − f(x−ε))/2ε = 3x² + ε² exactly
    for i in range(3):
        assert bp.central_difference(lambda: float(np.sum(x**3)), x, i) == pytest.approx(
            3 * x[i] ** 2, rel=1e-8
        )
    np.testing.assert_array_equal(x, [0.5, -1.5, 2.0])  # restored


def test_central_difference_of_an_array_is_a_jacobian_column(rng):
    A = rng.normal(size=(4, 3))
    x = rng.normal(size=3)
    for j in range(3):
        np.testing.assert_allclose(bp.central_difference(lambda: A @ x, x, j), A[:, j], rtol=1e-8)


def test_central_difference_of_a_function_returning_x_itself():
    # f(x) = x (no copy): the column of the identity, not 0
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(bp.central_difference(lambda: x, x, 1), [0.0, 1.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(bp.central_difference(lambda: x[1:], x, 2), [0.0, 1.0], atol=1e-9)


def test_central_difference_restores_x_when_f_raises():
    x = np.array([1.0, 2.0])

    def broken():
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        bp.central_difference(broken, x, 0)
    np.testing.assert_array_equal(x, [1.0, 2.0])


@pytest.mark.parametrize(
    "x, got",
    [
        ([1.0, 2.0], "got list"),
        (np.array([1, 2]), "got ndarray of int64"),
        (np.array([1.0, 2.0], dtype=np.float32), "got ndarray of float32"),
    ],
)
def test_central_difference_needs_a_float64_array_it_can_perturb(x, got):
    with pytest.raises(TypeError, match=f"expected x as a float64 numpy array .*{got}"):
        bp.numerical_gradient(lambda: 0.0, x)


def test_numerical_gradient_of_a_quadratic_form(rng):
    A, x = rng.normal(size=(4, 4)), rng.normal(size=(4, 1))
    numeric = bp.numerical_gradient(lambda: (x.T @ A @ x).item(), x)
    assert numeric.shape == x.shape
    np.testing.assert_allclose(numeric, (A + A.T) @ x, rtol=1e-8, atol=1e-10)


def test_rel_error():
    a = np.array([3.0, 4.0])
    assert bp.rel_error(a, a) == 0.0
    assert bp.rel_error(a, -a) == pytest.approx(1.0, rel=1e-15)
    assert bp.rel_error(a, 2 * a) == pytest.approx(1 / 3, rel=1e-15)
    assert bp.rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert bp.rel_error(2.0, 2.0) == 0.0  # numbers are arrays of shape ()
    with pytest.raises(ValueError, match=r"expected arrays of the same shape, got \(2,\) and \(3,\)"):
        bp.rel_error(np.zeros(2), np.zeros(3))


def test_printed_errors_are_machine_independent():
    assert bp.format_rel_error(3e-11) == "< 1e-8 ✓"
    assert bp.format_rel_error(2.5e-8) == "2.5e-08 ✓"
    assert bp.format_rel_error(1e-3) == "1.0e-03 ✗"
    assert bp.format_rel_error(bp.TOLERANCE) == "1.0e-07 ✗"  # the pass line itself fails
    assert bp.check_line("dW", np.ones(2), np.ones(2)) == "dW: relative error < 1e-8 ✓"
    assert bp.check_line("db", np.ones(2), -np.ones(2)) == "db: relative error 1.0e+00 ✗"


def test_compare_measures_scale_and_cosine(rng):
    numeric = rng.normal(size=(3, 2))
    row = compare("W1", 2 * numeric, numeric)  # the analytic gradient twice too large
    assert not row.passed and row.scale == pytest.approx(0.5, rel=1e-12)
    assert row.cosine == pytest.approx(1.0, rel=1e-12) and row.rel_error == pytest.approx(1 / 3, rel=1e-12)
    assert row.verdict() == "FAIL: numeric ≈ 0.5 × analytic, cosine +1.000"
    flipped = compare("b1", -numeric, numeric)
    assert flipped.cosine == pytest.approx(-1.0, rel=1e-12) and flipped.scale == pytest.approx(
        -1.0, rel=1e-12
    )
    good = compare("W2", numeric * (1 + 1e-10), numeric)
    assert good.passed and good.verdict() == "pass"
    zero = compare("b2", np.zeros(2), np.zeros(2))
    assert zero.passed and np.isnan(zero.scale) and np.isnan(zero.cosine)


def test_compare_reports_a_wrong_shape():
    row = compare("W1", np.zeros((4, 4)), np.zeros((2, 4)))
    assert not row.shape_ok and not row.passed and row.rel_error == np.inf
    assert row.verdict() == "FAIL: shape (4, 4), expected (2, 4)"
    assert isinstance(row, GradientRow)


@pytest.mark.parametrize("sizes, acts, loss", ARCHITECTURES)
def test_check_network_passes_the_librarys_gradients(sizes, acts, loss):
    net = bp.MLP(sizes, acts, loss=loss, seed=0)
    X, y = make_batch(sizes, loss, 8, seed=1)
    before = parameters_copy(net)
    report = bp.check_network(net, X, y)
    assert list(report) == [f"{p}{k}" for k in range(1, len(sizes)) for p in "Wb"]
    assert max(report.values()) < bp.TOLERANCE, report
    assert_parameters_equal(net, before)  # every perturbation was undone


class DoubledWeightGradient(bp.Dense):
    """A layer whose dW is 1.01× the right one: a bug the check must see."""

    def backward_from_dz(self, dz, first=False):
        da_prev = super().backward_from_dz(dz, first)
        self.dW = 1.01 * self.dW
        return da_prev


def test_the_check_fails_a_wrong_gradient_and_names_it():
    net = bp.MLP([3, 4, 2], ["tanh", "sigmoid"], loss="bce", seed=0)
    layer = net.layers[1]
    net.layers[1] = DoubledWeightGradient(layer.W, layer.b, layer.activation)
    X, y = make_batch([3, 4, 2], "bce", 6, seed=2)
    rows = {row.name: row for row in bp.gradient_report(net, X, y)}
    assert [name for name, row in rows.items() if not row.passed] == ["W2"]
    assert rows["W2"].scale == pytest.approx(1 / 1.01, rel=1e-6)
    table = bp.format_report(rows.values()).splitlines()
    assert table[0].split() == ["param", "rel.", "error", "verdict"]
    assert table[3].startswith("W2") and "FAIL: numeric ≈ 0.9901 × analytic, cosine +1.000" in table[3]
    assert table[1].split() == ["W1", "<", "1e-07", "pass"]


def test_format_report_marks_a_shape_error():
    text = bp.format_report([compare("W1", np.zeros((4, 4)), np.zeros((2, 4)))])
    assert text.splitlines()[1].split()[:2] == ["W1", "shape!"]

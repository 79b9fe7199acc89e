"""Every erratum injected into correct code fails the gradient check; correct code passes."""

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib.errata import (
    ERRATA, PASS_BELOW, BuggyMLP, bug_hunt_data, bug_hunt_network, compare_gradients,
    format_report, gradient_report, original_gradient_report,
)
from backprop_lib.original_tutorial import Errata, OriginalMLP, make_original_data
from conftest import make_targets


@pytest.fixture(scope="module")
def hunt():
    return bug_hunt_data()


def _by_name(rows):
    return {row.name: row for row in rows}


@pytest.mark.parametrize("sizes, acts, loss", [
    ([2, 4, 3, 1], ["relu", "relu", "sigmoid"], "bce"),
    ([3, 3, 3, 3], ["relu", "sigmoid", "sigmoid"], "mse"),
    ([3, 5, 2], ["tanh", "identity"], "mse"),
    ([4, 3, 3], ["tanh", "softmax"], "cross_entropy"),
])
def test_without_a_bug_it_is_the_library(sizes, acts, loss, rng):
    X = rng.normal(size=(9, sizes[0]))
    y = make_targets(loss, 9, sizes[-1], rng)
    reference = bp.MLP(sizes, acts, loss=loss, seed=4)
    copy = BuggyMLP(sizes, acts, loss=loss, seed=4, bug=None)
    reference.forward(X); reference.backward(y)
    copy.forward(X); copy.backward(y)
    for (name, g_ref), (_, g_copy) in zip(reference.gradients(), copy.gradients()):
        np.testing.assert_allclose(g_copy, g_ref, rtol=1e-12, atol=1e-15, err_msg=name)
    assert max(r.rel_error for r in gradient_report(copy, X, y)) < PASS_BELOW


def test_correct_code_passes_the_check(hunt):
    rows = gradient_report(bug_hunt_network(None), *hunt)
    assert all(row.passed for row in rows), format_report(rows)


@pytest.mark.parametrize("bug", sorted(ERRATA))
def test_every_injected_erratum_fails_the_check(bug, hunt):
    rows = gradient_report(bug_hunt_network(bug), *hunt)
    failed = [row for row in rows if not row.passed]
    assert failed, f"erratum {bug} slipped through:\n{format_report(rows)}"
    assert min(row.rel_error for row in failed) > 1e-2  # far above the 1e-7 threshold


def test_the_signatures_point_at_the_kind_of_bug(hunt):
    n, n_out = hunt[1].shape
    one = _by_name(gradient_report(bug_hunt_network(1), *hunt))
    assert one["W3"].scale == pytest.approx(0.5) and one["W1"].scale == pytest.approx(0.25)
    assert one["W1"].rel_error == pytest.approx(0.6) and one["W3"].cosine == pytest.approx(1.0)
    two = _by_name(gradient_report(bug_hunt_network(2), *hunt))
    assert all(two[f"b{k}"].passed for k in (1, 2, 3))
    assert all(abs(two[f"W{k}"].cosine) < 0.99 for k in (1, 2, 3))
    three = gradient_report(bug_hunt_network(3), *hunt)
    assert all(row.rel_error == pytest.approx(1.0) and row.cosine == pytest.approx(-1.0) for row in three)
    four = gradient_report(bug_hunt_network(4), *hunt)
    assert all(row.scale == pytest.approx(n / n_out) for row in four)
    five = _by_name(gradient_report(bug_hunt_network(5), *hunt))
    for k in (1, 2, 3):
        assert five[f"W{k}"].passed
        assert five[f"b{k}"].scale == pytest.approx(n)


def test_erratum_2_on_rectangular_layers_is_a_shape_error(hunt):
    X, y = make_original_data()
    net = BuggyMLP([2, 4, 3, 1], ["relu", "relu", "sigmoid"], seed=0, bug=2)
    rows = _by_name(gradient_report(net, X[:10], y[:10]))
    assert not rows["W1"].shape_ok and rows["W1"].analytic.shape == (4, 4)
    assert "shape (4, 4), expected (2, 4)" in rows["W1"].verdict()
    assert rows["b1"].passed


def test_the_check_cannot_see_erratum_4_in_the_original_code():
    X, y = make_original_data()
    rows = original_gradient_report(OriginalMLP().initialize(), X, y, eps=1e-5)
    assert not any(row.passed for row in rows)
    consistent = original_gradient_report(
        OriginalMLP(errata=Errata.original().fixing(1, 5)).initialize(), X, y, eps=1e-5)
    assert all(row.passed for row in consistent), format_report(consistent)
    b_only = _by_name(original_gradient_report(
        OriginalMLP(errata=Errata.original().fixing(1)).initialize(), X, y, eps=1e-5))
    assert b_only["W1"].passed and b_only["b1"].scale == pytest.approx(1000, rel=1e-6)


def test_compare_gradients_validates_and_reports():
    x = np.array([1.0, 2.0])
    with pytest.raises(ValueError, match="no analytic gradient"):
        compare_gradients([("x", x)], {}, lambda: float(x @ x))
    (row,) = compare_gradients([("x", x)], {"x": 2 * x}, lambda: float(x @ x))
    assert row.passed and row.verdict() == "pass"
    text = format_report([row])
    assert "< 1e-07" in text and "pass" in text


def test_bad_bug_number():
    with pytest.raises(ValueError, match="bug: expected None or one of"):
        BuggyMLP([2, 2, 1], ["relu", "sigmoid"], bug=6)
    assert "bug=3" in repr(bug_hunt_network(3))

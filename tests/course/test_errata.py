"""backprop_course.errata: the table of the original tutorial's nine errata, the hooks that
switch errata 1–5 on in a correct backprop_lib.MLP, and the signature each leaves in a
gradient check of the bug-hunt network."""

import re
from pathlib import Path

import numpy as np
import pytest
from conftest import make_batch, one_pass

import backprop_lib as bp
from backprop_course.errata import (
    ERRATA,
    INJECTABLE,
    NOTEBOOKS,
    ErratumDense,
    ErratumLoss,
    ErratumSigmoid,
    bug_hunt_data,
    bug_hunt_network,
    check_errata,
    errata_table,
    with_errata,
)


@pytest.fixture(scope="module")
def hunt():
    return bug_hunt_data()


def report(errata, data):
    """``{name: GradientRow}`` of the bug-hunt network with ``errata`` switched on."""
    return {row.name: row for row in bp.gradient_report(bug_hunt_network(errata), *data)}


def test_the_table_lists_nine_errata_and_five_are_injectable():
    assert sorted(ERRATA) == list(range(1, 10)) and INJECTABLE == (1, 2, 3, 4, 5)
    for number, entry in ERRATA.items():
        assert len(entry) == 3 and all(isinstance(text, str) and text for text in entry), number
    assert ERRATA[1][1] == "σ'(z) = σ(z)(1 − σ(z))"
    assert ERRATA[8][1] == "errata 1, 4, 5 set the step sizes: η_W = 10, η_b = 0.01"


def test_erratum_numbers_are_checked():
    assert check_errata(None) == frozenset() and check_errata([1, 5, 1]) == frozenset({1, 5})
    with pytest.raises(ValueError, match=r"errata: expected numbers from \(1, 2, 3, 4, 5\), got \[6, 9\]"):
        check_errata((9, 6, 1))
    with pytest.raises(ValueError, match=r"got \['3'\]"):
        bug_hunt_network(("3",))


def test_the_bug_hunt_data_and_network():
    X, y = bug_hunt_data()
    assert X.shape == y.shape == (20, 3) and (0 <= y).all() and (y <= 1).all()
    np.testing.assert_array_equal(bug_hunt_data()[0], X)  # seeded
    net = bug_hunt_network()
    assert net.layer_sizes == [3, 3, 3, 3] and net.loss_fn.name == "mse"
    assert [layer.activation.name for layer in net.layers] == ["relu", "sigmoid", "sigmoid"]
    assert net.errata == frozenset() and all(isinstance(layer, ErratumDense) for layer in net.layers)


@pytest.mark.parametrize(
    "sizes, acts, loss",
    [
        ([2, 4, 3, 1], ["relu", "relu", "sigmoid"], "bce"),
        ([3, 3, 3, 3], ["relu", "sigmoid", "sigmoid"], "mse"),
        ([3, 5, 2], ["tanh", "identity"], "mse"),
        ([4, 3, 3], ["tanh", "softmax"], "cross_entropy"),
    ],
)
def test_without_an_erratum_the_hooks_are_the_library(sizes, acts, loss):
    X, y = make_batch(sizes, loss, 9, seed=5)
    reference = bp.MLP(sizes, acts, loss=loss, seed=4)
    hooked = with_errata(bp.MLP(sizes, acts, loss=loss, seed=4), ())
    expected, got = one_pass(reference, X, y), one_pass(hooked, X, y)
    for name, g in expected.items():
        np.testing.assert_allclose(got[name], g, rtol=1e-12, atol=1e-15, err_msg=name)
    assert hooked.fused == reference.fused
    assert max(row.rel_error for row in bp.gradient_report(hooked, X, y)) < bp.TOLERANCE


def test_correct_code_passes_the_check(hunt):
    rows = report((), hunt)
    assert all(row.passed for row in rows.values()), bp.format_report(rows.values())


def test_erratum_1_doubles_each_sigmoid_derivative_on_the_way(hunt):
    rows = report((1,), hunt)
    # W3 passes one doubled σ' (the output layer), W1 and W2 two: numeric = ½ or ¼ × analytic
    for name, scale in {"W3": 0.5, "b3": 0.5, "W2": 0.25, "b2": 0.25, "W1": 0.25, "b1": 0.25}.items():
        assert not rows[name].passed
        assert rows[name].scale == pytest.approx(scale, rel=1e-6), name
        assert rows[name].cosine == pytest.approx(1.0, rel=1e-9), name
    assert rows["W1"].rel_error == pytest.approx(0.6, rel=1e-6)  # |4 − 1| / (4 + 1)


def test_erratum_2_points_the_weight_gradients_elsewhere_and_leaves_the_biases(hunt):
    rows = report((2,), hunt)
    for k in (1, 2, 3):
        assert rows[f"b{k}"].passed
        assert not rows[f"W{k}"].passed and rows[f"W{k}"].rel_error > 1e-2
        assert abs(rows[f"W{k}"].cosine) < 0.99  # a different direction, not a rescaling


def test_erratum_3_flips_every_gradient(hunt):
    for row in report((3,), hunt).values():
        assert row.rel_error == pytest.approx(1.0, rel=1e-9) and row.cosine == pytest.approx(-1.0, rel=1e-9)
        assert row.scale == pytest.approx(-1.0, rel=1e-6)


def test_erratum_4_passes_the_check_because_loss_and_gradient_scale_together(hunt):
    X, y = hunt
    rows = report((4,), hunt)
    assert all(row.passed for row in rows.values()), bp.format_report(rows.values())
    # ... yet both are n/outputs = 20/3 times the mean loss and its gradient
    plain, scaled = bug_hunt_network(), bug_hunt_network((4,))
    assert scaled.loss(X, y) == pytest.approx(20 / 3 * plain.loss(X, y), rel=1e-12)
    expected, got = one_pass(plain, X, y), one_pass(scaled, X, y)
    for name in expected:
        np.testing.assert_allclose(got[name], 20 / 3 * expected[name], rtol=1e-12, atol=1e-16)


def test_erratum_5_fails_only_the_biases_by_a_factor_n(hunt):
    rows = report((5,), hunt)
    for k in (1, 2, 3):
        assert rows[f"W{k}"].passed
        assert not rows[f"b{k}"].passed
        assert rows[f"b{k}"].scale == pytest.approx(20, rel=1e-6)  # db averaged over 20 samples


def test_erratum_2_on_rectangular_layers_is_a_shape_error():
    net = with_errata(bp.MLP([2, 4, 3, 1], ["relu", "relu", "sigmoid"], loss="bce", seed=0), (2,))
    X, y = make_batch([2, 4, 3, 1], "bce", 10, seed=0)
    rows = {row.name: row for row in bp.gradient_report(net, X, y)}
    assert not rows["W1"].shape_ok and rows["W1"].analytic.shape == (4, 4)
    assert rows["W1"].verdict() == "FAIL: shape (4, 4), expected (2, 4)"
    assert rows["b1"].passed


def test_the_erratum_sigmoid_is_never_fused():
    act = ErratumSigmoid()
    z = np.array([[-2.0, 0.0, 3.0]])
    s = bp.Sigmoid().forward(z)
    np.testing.assert_array_equal(act.forward(z), s)
    np.testing.assert_allclose(act.derivative(z), 2 * s * (1 - s), rtol=1e-15)
    np.testing.assert_allclose(act.backward(np.ones_like(z), z, s), 2 * s * (1 - s), rtol=1e-15)
    np.testing.assert_allclose(ErratumSigmoid(1.0).derivative(z), s * (1 - s), rtol=1e-15)
    assert repr(act) == "ErratumSigmoid(factor=2)"
    net = with_errata(bp.MLP([2, 1], ["sigmoid"], loss="bce", seed=0), (1,))
    assert isinstance(net.layers[0].activation, ErratumSigmoid) and not net.fused


def test_the_erratum_loss_flips_and_scales_its_base():
    y, yhat = np.array([[1.0, 0.0]]), np.array([[0.25, 0.5]])
    base = bp.MeanSquaredError()
    three, four = ErratumLoss("mse", (3,)), ErratumLoss("mse", (3, 4, 5))
    assert three.value(y, yhat) == base.value(y, yhat)
    np.testing.assert_array_equal(three.gradient(y, yhat), -base.gradient(y, yhat))
    assert four.value(y, yhat) == pytest.approx(base.value(y, yhat) / 2, rel=1e-15)  # n/outputs = 1/2
    np.testing.assert_allclose(four.gradient(y, yhat), -base.gradient(y, yhat) / 2, rtol=1e-15)
    assert four.name == "mse (errata [3, 4])" and four.errata == {3, 4}
    with pytest.raises(ValueError, match=r"expected targets y in \[0, 1\]"):
        ErratumLoss("bce", (3,)).check_targets(np.array([[2.0]]))


def test_with_errata_changes_the_network_in_place_and_can_scale_db(hunt):
    X, y = hunt
    net = bp.MLP([3, 3, 3, 3], ["relu", "sigmoid", "sigmoid"], loss="mse", seed=0)
    expected = one_pass(net, X, y)
    assert with_errata(net, (), bias_ratio=0.5) is net
    got = one_pass(net, X, y)
    for name, g in expected.items():
        np.testing.assert_allclose(got[name], g * (0.5 if name.startswith("b") else 1.0), rtol=1e-12)
    with pytest.raises(ValueError, match=r"bias_ratio: expected a finite number in \[0, inf\], got -1.0"):
        with_errata(bp.MLP([2, 1], ["sigmoid"], seed=0), (), bias_ratio=-1)


# -- the learner's table -------------------------------------------------------------------------

NOTEBOOK_SOURCES = Path(__file__).resolve().parents[2] / "notebooks"


def sections(stem):
    """``{section number: its text}`` of a notebook's jupytext source (headings ``## 4 · ...``)."""
    (path,) = NOTEBOOK_SOURCES.glob(f"{stem}_*.py")
    found, current = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"# ## (\d+)[.· ]", line)
        if heading:
            current = int(heading.group(1))
        elif line.startswith("# ## "):
            current = None
        if current is not None:
            found[current] = found.get(current, "") + line + "\n"
    return found


def test_the_table_has_a_row_per_erratum_with_links_to_where_it_is_taught():
    lines = errata_table().splitlines()
    assert lines[0] == "| # | the original says | the correction | taught in |" and len(lines) == 2 + 9
    for number, line in zip(ERRATA, lines[2:]):
        says, correction, where = ERRATA[number]
        assert line.startswith(f"| {number} | {says} | {correction} | ")
        for place in where.split(", "):
            notebook = NOTEBOOKS[place.split()[0]]
            assert f"[{place}]({notebook})" in line
            assert (NOTEBOOK_SOURCES / notebook).exists(), notebook


@pytest.mark.parametrize("number", sorted(ERRATA))
def test_each_erratum_is_named_where_the_table_says_it_is_taught(number):
    for place in ERRATA[number][2].split(", "):
        if "§" not in place:  # a whole notebook of the series that follows (09)
            continue
        stem, section = place.split(" §")
        text = sections(stem).get(int(section), "")
        assert re.search(rf"[Ee]rrat(um|a)[^.]*\b{number}\b", text), f"erratum {number} in {place}"

"""Notebook 05 (implementing back-propagation): the gradient-check explorer over the errata
injected into the bug-hunt network, driven without a browser; the exercise checks (a layer's
backward pass, central differences), each typical mistake named."""

import numpy as np
import pytest
from conftest import printed_feedback

from backprop_course.exercises.nb05_implementing_backprop import (
    check_central_difference,
    check_layer_backward_from_dz,
)
from backprop_course.explorers.nb05_implementing_backprop import (
    BUG_CHOICES,
    entries_html,
    gradcheck_explorer,
    gradient_view,
    summary_lines,
)


def test_gradient_view_and_text():
    assert gradient_view(None, 2, "b").passed
    row = gradient_view(3, 1, "W")
    assert not row.passed and row.cosine == pytest.approx(-1, rel=1e-9)
    assert gradient_view(3, 1, "W") is row  # cached per (bug, seed)
    assert len(summary_lines(1)) == 6 and all("FAIL" in line for line in summary_lines(1))
    assert all(line.endswith("pass") for line in summary_lines(None))
    assert summary_lines(None)[0] == "W1: rel. error < 1e-07 — pass"
    # erratum 4 scales the loss and its gradient together, as the original code does: it passes
    assert all(line.endswith("pass") for line in summary_lines(4))
    assert "shape mismatch" not in entries_html(row) and "FAIL" in entries_html(row)
    assert entries_html(row).count("<tr>") == 1 + row.numeric.size
    with pytest.raises(ValueError, match=r"layer: expected one of \(1, 2, 3\), got 4"):
        gradient_view(None, 4, "W")
    with pytest.raises(ValueError, match="param: expected 'W' or 'b', got 'z'"):
        gradient_view(None, 1, "z")
    with pytest.raises(ValueError, match=r"bug: expected None or one of \(1, 2, 3, 4, 5\), got 9"):
        gradient_view(9, 1, "W")


def test_the_bug_choices_are_the_injectable_errata():
    assert [value for _, value in BUG_CHOICES] == [None, 1, 2, 3, 4, 5]
    assert BUG_CHOICES[1][0] == "erratum 1: dsigmoid returns 2·σ(z)(1 − σ(z))"


def test_entries_of_a_wrong_shape_are_explained():
    from backprop_lib.gradcheck import compare

    html_text = entries_html(compare("W1", np.zeros((4, 4)), np.zeros((2, 4))))
    assert (
        "shape mismatch" in html_text
        and "analytic gradient has shape (4, 4), the parameter has shape (2, 4)" in html_text
    )


def test_gradcheck_explorer_follows_its_controls():
    box = gradcheck_explorer()
    assert box.row().passed and "pass" in box.entries.value
    png = box.image.value
    box.bug.value = 5
    assert "FAIL" in box.summary.value
    assert "pass" in box.entries.value  # W1 is fine under erratum 5...
    box.param.value = "b"
    assert box.row().name == "b1" and "FAIL" in box.entries.value  # ...b1 is not
    box.layer.value = 3
    assert box.row().name == "b3"
    a, g = box.points.get_data()
    np.testing.assert_allclose(g, 20 * np.asarray(a), rtol=1e-6)  # slope n = 20
    # Both axes are in units of s, the largest |entry|, which the title names.
    assert np.abs(g).max() == pytest.approx(1.0)
    assert f"s = largest |entry| = {np.abs(box.row().numeric).max():.3g}" in box.ax.get_title()
    assert box.image.value != png


# -- nb05: layer backward ---------------------------------------------------------------


def good_layer(dz, a_prev, W):
    return a_prev.T @ dz, dz.sum(axis=0, keepdims=True), dz @ W.T


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_layer_backward_correct(seed, capsys):
    ok, out = printed_feedback(check_layer_backward_from_dz, good_layer, capsys, seed=seed)
    assert ok and "✅ layer backward from dz: correct" in out


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda dz, a, W: (dz.T @ a, dz.sum(0, keepdims=True), dz @ W.T), "transpose"),
        (
            lambda dz, a, W: (a.T @ dz / len(dz), dz.sum(0, keepdims=True), dz @ W.T),
            "averaged over the batch",
        ),
        (lambda dz, a, W: (a.T @ dz, dz.mean(0, keepdims=True), dz @ W.T), "erratum 5"),
        (lambda dz, a, W: (a.T @ dz, dz.sum(0), dz @ W.T), "shape"),
        (lambda dz, a, W: (a.T @ dz, dz.sum(1, keepdims=True), dz @ W.T), "shape"),
        (
            lambda dz, a, W: (
                a.T @ dz,
                dz.sum(0, keepdims=True),
                dz @ W if W.shape[0] == W.shape[1] else dz @ W.T,
            ),
            "uses W where Wᵀ belongs",
        ),
        (lambda dz, a, W: (a.T @ dz, dz.sum(0, keepdims=True)), "three arrays"),
    ],
)
def test_layer_backward_mistakes_are_named(answer, phrase, capsys):
    ok, out = printed_feedback(check_layer_backward_from_dz, answer, capsys)
    assert not ok and "❌ layer backward" in out and phrase in out


def test_layer_backward_that_fits_the_shapes_but_breaks_the_network(capsys):
    calls = {"n": 0}

    def sneaky(dz, a_prev, W):  # right on the shape tests, wrong inside the network
        calls["n"] += 1
        scale = 1.0 if calls["n"] <= 4 else 1.5
        return scale * a_prev.T @ dz, dz.sum(0, keepdims=True), dz @ W.T

    ok, out = printed_feedback(check_layer_backward_from_dz, sneaky, capsys)
    assert not ok and "gradient check of a 3-4-2 network fails" in out


# -- nb05: central differences ------------------------------------------------------------


def good_central(loss, x, eps=1e-6):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        p, m = x.copy(), x.copy()
        p[idx] += eps
        m[idx] -= eps
        grad[idx] = (loss(p) - loss(m)) / (2 * eps)
    return grad


def _forward(loss, x, eps):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        p = x.copy()
        p[idx] += eps
        grad[idx] = (loss(p) - loss(x)) / eps
    return grad


def _in_place(loss, x, eps):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        x[idx] += eps
        up = loss(x)
        x[idx] -= 2 * eps
        grad[idx] = (up - loss(x)) / (2 * eps)  # never restored
    return grad


def test_central_difference_correct(capsys):
    ok, out = printed_feedback(check_central_difference, good_central, capsys)
    assert ok and "✅ central differences: correct" in out


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (_forward, "forward difference"),
        (lambda loss, x, eps: 2 * good_central(loss, x, eps), "divide by 2ε"),
        (lambda loss, x, eps: -good_central(loss, x, eps), "wrong sign"),
        (_in_place, "changed x itself"),
        (lambda loss, x, eps: good_central(loss, x, eps).ravel(), "shape"),
    ],
)
def test_central_difference_mistakes_are_named(answer, phrase, capsys):
    ok, out = printed_feedback(check_central_difference, answer, capsys)
    assert not ok and phrase in out

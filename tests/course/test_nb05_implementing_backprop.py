"""Notebook 05 (implementing back-propagation): the walk through the library's real source
(every note matches one line of it), the static figures, the gradient-check explorer over the
errata injected into the bug-hunt network, driven without a browser; the exercise checks (the
whole backward pass, central differences), each typical mistake named."""

import math

import numpy as np
import pytest
from conftest import printed_feedback

import backprop_lib as bp
from backprop_course.exercises.feedback import ExerciseFailed
from backprop_course.exercises.nb05_implementing_backprop import (
    HalfSquaredError,
    check_backward_pass,
    check_central_difference,
)
from backprop_course.explorers.nb05_implementing_backprop import (
    BUG_CHOICES,
    NOTES,
    annotated_lines,
    entries_html,
    eps_sweep,
    gradcheck_explorer,
    gradient_view,
    overview_figure,
    source_lines,
    source_walk,
    summary_lines,
)

# -- the source against the equations --------------------------------------------------------

WALKED = [
    bp.Dense.apply,
    bp.Dense.forward,
    bp.Dense.backward,
    bp.Dense.backward_from_dz,
    bp.MLP.forward,
    bp.MLP.backward,
    bp.MLP.update,
    bp.ReLU.derivative,
    bp.ReLU.backward,
    bp.BinaryCrossEntropy.fused_dz,
]


def test_every_note_matches_one_line_of_the_real_source():
    assert {f.__qualname__ for f in WALKED} == set(NOTES)
    for function in WALKED:
        lines = annotated_lines(function)
        assert [(n, t) for n, t, _ in lines] == source_lines(function)
        noted = [latex for _, _, latex in lines if latex]
        assert noted == [latex for _, latex in NOTES[function.__qualname__]]  # in source order


def test_source_walk_shows_the_code_and_its_equations():
    text = source_walk(bp.Dense.backward_from_dz).data
    assert "`backprop_lib/layer.py`: `Dense.backward_from_dz`" in text
    assert "self.dW = self.a_prev.T @ dz" in text and r"d\mathbf W^{(k)} = \mathbf a^{(k-1)\top}" in text
    first = text.splitlines()[2]
    assert first.startswith(f"| {source_lines(bp.Dense.backward_from_dz)[0][0]} | <code>def backward_from_dz")
    assert "&nbsp;&nbsp;&nbsp;&nbsp;self.dz = dz" in text  # the method body, indented once


def test_a_note_that_no_longer_matches_is_an_error(monkeypatch):
    monkeypatch.setitem(NOTES, "Dense.apply", [("z = a_prev @ W + b", "z")])
    with pytest.raises(
        ValueError, match=r"the note 'z = a_prev @ W \+ b' should match one line of Dense.apply"
    ):
        annotated_lines(bp.Dense.apply)
    with pytest.raises(ValueError, match="source_walk: expected one of"):
        annotated_lines(bp.MLP.predict)


# -- the static figures ----------------------------------------------------------------------


def test_the_eps_sweep_has_its_minimum_between_truncation_and_rounding():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    y = (X[:, :1] ** 2 + X[:, 1:] ** 2 < 1).astype(float)
    eps = 10.0 ** -np.arange(1, 11)
    errors = eps_sweep(X, y, ("tanh", "tanh", "sigmoid"), eps)
    best = int(np.argmin(errors))
    assert 0 < best < len(eps) - 1 and errors[best] < bp.TOLERANCE
    assert errors[0] > 1e-4 and errors[-1] > errors[best]  # ε too large, ε too small


def test_the_overview_has_one_panel_per_choice():
    fig = overview_figure()
    assert len(fig.axes) == len(BUG_CHOICES)
    assert [ax.get_title().split(":")[0] for ax in fig.axes] == ["correct"] + [
        f"erratum {k}" for k in (1, 2, 3, 4, 5)
    ]


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


# -- nb05: the whole backward pass -----------------------------------------------------------


def backward_pass(y, layers, half=True, mean=True, sign=1.0, output_fprime=True, hidden_fprime=True):
    """A learner's answer, right by default; each keyword makes one mistake."""
    yhat = layers[-1]["a"]
    da = sign * (yhat - y) * (1 if half else 2) / (len(y) if mean else 1)
    grads = []
    for k, layer in enumerate(reversed(layers)):
        use = output_fprime if k == 0 else hidden_fprime
        dz = da * layer["fprime"](layer["z"]) if use else da
        grads.append((layer["a_prev"].T @ dz, dz.sum(axis=0, keepdims=True)))
        da = dz @ layer["W"].T
    return grads[::-1]


def test_the_checks_reference_is_the_gradient_of_its_loss():
    rng = np.random.default_rng(1)
    net = bp.MLP([3, 4, 2], ["sigmoid", "tanh"], loss=HalfSquaredError(), seed=1)
    X, y = rng.normal(size=(5, 3)), rng.uniform(-0.9, 0.9, size=(5, 2))
    assert max(bp.check_network(net, X, y).values()) < bp.TOLERANCE
    net.forward(X)
    assert net.loss(X, y) == pytest.approx(np.sum((y - net.layers[-1].a) ** 2) / 10, rel=1e-13)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_backward_pass_correct(seed, capsys):
    ok, out = printed_feedback(check_backward_pass, backward_pass, capsys, seed=seed)
    assert ok and "✅ the whole backward pass: correct" in out


def _mean_db(y, layers):
    return [(dW, db / len(y)) for dW, db in backward_pass(y, layers)]


def _no_transpose(y, layers):
    da = (layers[-1]["a"] - y) / len(y)
    out = []
    for layer in reversed(layers):
        dz = da * layer["fprime"](layer["z"])
        out.append((layer["a_prev"] @ dz, dz.sum(axis=0, keepdims=True)))
        da = dz @ layer["W"].T
    return out[::-1]


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda y, layers: backward_pass(y, layers, half=False), "2× too large: the ½ of this loss"),
        (lambda y, layers: backward_pass(y, layers, mean=False), "n× too large"),
        (lambda y, layers: backward_pass(y, layers, half=False, mean=False), "2n× too large"),
        (lambda y, layers: backward_pass(y, layers, sign=-1.0), "wrong sign"),
        (lambda y, layers: backward_pass(y, layers, output_fprime=False), "without tanh′ at the output"),
        (lambda y, layers: backward_pass(y, layers, hidden_fprime=False), "without f′ in the hidden layers"),
        (lambda y, layers: backward_pass(y, layers)[::-1], "last-first"),
        (_mean_db, "db of layer 2 is averaged over the batch"),
        (_no_transpose, 'of _no_transpose: `out.append((layer["a_prev"] @ dz'),
        (lambda y, layers: [(dW.T, db) for dW, db in backward_pass(y, layers)], "a missing transpose"),
        (lambda y, layers: [(dW, db.ravel()) for dW, db in backward_pass(y, layers)], "keep b's shape"),
        (lambda y, layers: backward_pass(y, layers)[:-1], "a list of 2 pairs"),
        (
            lambda y, layers: [(1.01 * dW, db) for dW, db in backward_pass(y, layers)],
            "the check's input: layer sizes",
        ),
    ],
)
def test_backward_pass_mistakes_are_named(answer, phrase, capsys):
    ok, out = printed_feedback(check_backward_pass, answer, capsys)
    assert not ok and phrase in out, out


def test_erratum_2_in_the_backward_pass_is_named_by_its_shape():
    def own_output(y, layers):
        grads = backward_pass(y, layers)
        dz_top = (layers[-1]["a"] - y) / len(y) * layers[-1]["fprime"](layers[-1]["z"])
        grads[-1] = (layers[-1]["a"].T @ dz_top, grads[-1][1])  # a(K)ᵀ dz: (n_K, n_K)
        return grads

    with pytest.raises(ExerciseFailed, match=r"dW of layer 2 has shape \(2, 2\) = \(n_k, n_k\).*erratum 2"):
        check_backward_pass.check(own_output)


def test_math_on_arrays_in_the_backward_pass_is_named():
    def with_math(y, layers):
        return [(math.tanh(layer["z"]), None) for layer in layers]

    with pytest.raises(ExerciseFailed, match="a function from `math` got a whole numpy array"):
        check_backward_pass.check(with_math)


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


# -- nb05: the two parts of the backward pass ---------------------------------------------------


@pytest.mark.parametrize(
    "answer, output, hidden",
    [
        (backward_pass, True, True),
        (lambda y, layers: backward_pass(y, layers, half=False), False, True),  # ∂L/∂ŷ: the output's
        (lambda y, layers: backward_pass(y, layers, sign=-1.0, mean=False), False, True),
        (lambda y, layers: backward_pass(y, layers, hidden_fprime=False), True, False),
        (lambda y, layers: backward_pass(y, layers, output_fprime=False), False, False),  # inherited
        (_mean_db, False, False),  # a mean for db in every layer
    ],
)
def test_the_backward_pass_has_an_output_part_and_a_hidden_part(answer, output, hidden):
    assert check_backward_pass.parts == ("output", "hidden")
    for seed in (0, 1):
        assert bool(check_backward_pass(answer, seed=seed, part="output")) is output
        assert bool(check_backward_pass(answer, seed=seed, part="hidden")) is hidden


def test_the_hidden_part_names_a_forgotten_f_prime_on_the_learners_own_scale():
    def twice_without_hidden_fprime(y, layers):
        return backward_pass(y, layers, half=False, hidden_fprime=False)

    with pytest.raises(ExerciseFailed, match=r"\[hidden\]: dW of layer 1 is without f′ in the hidden layers"):
        check_backward_pass(twice_without_hidden_fprime, part="hidden", strict=True)
    with pytest.raises(
        ExerciseFailed, match=r"\[output\]: dW of layer 2 is 2× too large: the ½ of this loss"
    ):
        check_backward_pass(twice_without_hidden_fprime, part="output", strict=True)


# -- nb05: the library's own backward passes and central differences earn nothing ---------------


def backward_by_the_layers(y, layers):
    da = (layers[-1]["a"] - y) / len(y)
    grads = []
    for layer in reversed(layers):
        dense = bp.Dense(layer["W"], np.zeros((1, layer["W"].shape[1])), bp.Identity())
        dense.a_prev = layer["a_prev"]
        da = dense.backward_from_dz(da * layer["fprime"](layer["z"]))
        grads.append((dense.dW, dense.db))
    return grads[::-1]


def central_by_the_library(loss, x, eps=1e-6):
    x = np.array(x, dtype=float)
    return bp.numerical_gradient(lambda: loss(x), x, eps)


@pytest.mark.parametrize(
    "check, shortcut, twin",
    [
        (check_backward_pass, backward_by_the_layers, "Dense.backward_from_dz"),
        (check_central_difference, central_by_the_library, "numerical_gradient"),
    ],
)
def test_a_working_shortcut_through_the_library_earns_nothing(check, shortcut, twin, capsys):
    check.check(shortcut)  # without the twins stopped, it would pass: a real shortcut
    assert not check(shortcut)
    assert f"backprop_lib's {twin}" in capsys.readouterr().out

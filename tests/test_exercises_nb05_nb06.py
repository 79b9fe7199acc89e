"""Exercise checks of notebooks 05 and 06: right answers pass, named mistakes are named."""

import numpy as np
import pytest

from backprop_lib.exercises.nb05_implementing_backprop import (
    check_central_difference, check_layer_backward,
)
from backprop_lib.exercises.nb06_training_two_circles import check_accuracy, check_output_dz


def _not_attempted(*args):
    raise NotImplementedError()


def _run(check, answer, capsys, seed=0):
    ok = check(answer, seed=seed)
    return ok, capsys.readouterr().out


# -- nb05: layer backward ---------------------------------------------------------------

def good_layer(dz, a_prev, W):
    return a_prev.T @ dz, dz.sum(axis=0, keepdims=True), dz @ W.T


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_layer_backward_correct(seed, capsys):
    ok, out = _run(check_layer_backward, good_layer, capsys, seed)
    assert ok and "✅ layer backward: correct" in out


@pytest.mark.parametrize("answer, phrase", [
    (lambda dz, a, W: (dz.T @ a, dz.sum(0, keepdims=True), dz @ W.T), "transpose"),
    (lambda dz, a, W: (a.T @ dz / len(dz), dz.sum(0, keepdims=True), dz @ W.T), "averaged over the batch"),
    (lambda dz, a, W: (a.T @ dz, dz.mean(0, keepdims=True), dz @ W.T), "erratum 5"),
    (lambda dz, a, W: (a.T @ dz, dz.sum(0), dz @ W.T), "shape"),
    (lambda dz, a, W: (a.T @ dz, dz.sum(1, keepdims=True), dz @ W.T), "shape"),
    (lambda dz, a, W: (a.T @ dz, dz.sum(0, keepdims=True), dz @ W if W.shape[0] == W.shape[1] else dz @ W.T),
     "uses W where Wᵀ belongs"),
    (lambda dz, a, W: (a.T @ dz, dz.sum(0, keepdims=True)), "three arrays"),
])
def test_layer_backward_mistakes_are_named(answer, phrase, capsys):
    ok, out = _run(check_layer_backward, answer, capsys)
    assert not ok and "❌ layer backward" in out and phrase in out


def test_layer_backward_that_fits_the_shapes_but_breaks_the_network(capsys):
    calls = {"n": 0}

    def sneaky(dz, a_prev, W):  # right on the shape tests, wrong inside the network
        calls["n"] += 1
        scale = 1.0 if calls["n"] <= 4 else 1.5
        return scale * a_prev.T @ dz, dz.sum(0, keepdims=True), dz @ W.T

    ok, out = _run(check_layer_backward, sneaky, capsys)
    assert not ok and "gradient check of a 3-4-2 network fails" in out


def test_layer_backward_not_attempted(capsys):
    ok, out = _run(check_layer_backward, _not_attempted, capsys)
    assert not ok and "not attempted yet" in out


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
        p = x.copy(); p[idx] += eps
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
    ok, out = _run(check_central_difference, good_central, capsys)
    assert ok and "✅ central differences: correct" in out


@pytest.mark.parametrize("answer, phrase", [
    (_forward, "forward difference"),
    (lambda loss, x, eps: 2 * good_central(loss, x, eps), "divide by 2ε"),
    (lambda loss, x, eps: -good_central(loss, x, eps), "wrong sign"),
    (_in_place, "changed x itself"),
    (lambda loss, x, eps: good_central(loss, x, eps).ravel(), "shape"),
])
def test_central_difference_mistakes_are_named(answer, phrase, capsys):
    ok, out = _run(check_central_difference, answer, capsys)
    assert not ok and phrase in out


def test_central_difference_not_attempted(capsys):
    assert "not attempted yet" in _run(check_central_difference, _not_attempted, capsys)[1]


# -- nb06: accuracy -----------------------------------------------------------------------

def good_accuracy(y, yhat):
    return float(np.mean((yhat[:, 0] > 0.5).astype(int) == y))


@pytest.mark.parametrize("seed", [0, 1])
def test_accuracy_correct(seed, capsys):
    ok, out = _run(check_accuracy, good_accuracy, capsys, seed)
    assert ok and "✅ accuracy: correct" in out


@pytest.mark.parametrize("answer, phrase", [
    (lambda y, yhat: 1 - good_accuracy(y, yhat), "error rate"),
    (lambda y, yhat: float(np.sum((yhat[:, 0] > 0.5) == y)), "a count"),
    (lambda y, yhat: float(np.mean((yhat[:, 0] >= 0.5) == y)), "ŷ = 0.5 as class 1"),
    (lambda y, yhat: float(np.mean((yhat > 0.5) == y)), "broadcasting"),
    (lambda y, yhat: float(np.mean(yhat[:, 0] == y)), "threshold ŷ at 0.5"),
    (lambda y, yhat: (yhat[:, 0] > 0.5) == y, "one number"),
])
def test_accuracy_mistakes_are_named(answer, phrase, capsys):
    ok, out = _run(check_accuracy, answer, capsys)
    assert not ok and phrase in out


def test_accuracy_not_attempted(capsys):
    assert "not attempted yet" in _run(check_accuracy, _not_attempted, capsys)[1]


# -- nb06: output dz ----------------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1])
def test_output_dz_correct(seed, capsys):
    ok, out = _run(check_output_dz, lambda y, yhat: (yhat - y) / len(y), capsys, seed)
    assert ok and "✅ output dz: correct" in out


@pytest.mark.parametrize("answer, phrase", [
    (lambda y, yhat: 2 * (yhat - y) / len(y), "erratum 1"),
    (lambda y, yhat: yhat - y, "erratum 4"),
    (lambda y, yhat: 2 * (yhat - y), "both of the original's errata"),
    (lambda y, yhat: (y - yhat) / len(y), "wrong sign"),
    (lambda y, yhat: ((yhat - y) / len(y)).T, "transpose"),
])
def test_output_dz_mistakes_are_named(answer, phrase, capsys):
    ok, out = _run(check_output_dz, answer, capsys)
    assert not ok and phrase in out


def test_output_dz_not_attempted_and_strict(capsys):
    assert "not attempted yet" in _run(check_output_dz, _not_attempted, capsys)[1]
    from backprop_lib.exercises import ExerciseFailed

    with pytest.raises(ExerciseFailed, match="erratum 1"):
        check_output_dz(lambda y, yhat: 2 * (yhat - y) / len(y), strict=True)

"""Across the notebooks' exercise checks: the feedback the issue promises to learners.

* A correct answer passes; the typical mistakes are *named*: a factor 2 in the sigmoid
  derivative (nb03), a missing transpose (nb04's layer_backward), a sign error (nb03's ∂L/∂ŷ),
  a wrong shape (nb03's sigmoid derivative flattened).
* Every check of every notebook module says "not attempted yet" for an unanswered exercise (a
  student version's ``raise NotImplementedError()``), so student versions run top to bottom,
  and raises it under ``strict=True`` (nbgrader's hidden re-check).

Each notebook's own tests cover its checks in depth; this file holds the cross-cutting promises.
"""

import importlib
import inspect
import pkgutil

import numpy as np
import pytest

import backprop_lib.exercises as exercises_pkg
from backprop_lib.exercises import ExerciseFailed

MODULES = sorted(m.name for m in pkgutil.iter_modules(exercises_pkg.__path__) if m.name.startswith("nb"))


def _check(module_prefix, name):
    """The raw (raising) check ``name`` of the notebook module starting with ``module_prefix``."""
    found = [m for m in MODULES if m.startswith(module_prefix)]
    assert found, f"no backprop_lib.exercises.{module_prefix}_* module"
    module = importlib.import_module(f"backprop_lib.exercises.{found[0]}")
    assert hasattr(module, name), f"{found[0]} has no {name}"
    return getattr(module, name)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _layer_backward(da, z, a_prev, W, fprime):
    dz = da * fprime(z)
    return dz, a_prev.T @ dz, dz.sum(axis=0, keepdims=True), dz @ W.T


def _mistake(check, answer):
    with pytest.raises(ExerciseFailed) as err:
        check.check(answer)
    return str(err.value)


def test_correct_answers_pass(capsys):
    assert _check("nb03", "check_sigmoid_derivative")(lambda z: _sigmoid(z) * (1 - _sigmoid(z)))
    assert _check("nb03", "check_dloss_dyhat")(lambda y, yhat: -2 * (y - yhat))
    assert _check("nb04", "check_layer_backward")(_layer_backward)
    assert capsys.readouterr().out.count("✅") == 3


def test_factor_2_in_the_sigmoid_derivative_is_named():
    message = _mistake(_check("nb03", "check_sigmoid_derivative"), lambda z: 2 * _sigmoid(z) * (1 - _sigmoid(z)))
    assert "2× too large" in message and "erratum 1" in message


@pytest.mark.parametrize("where, answer", [
    ("dW = dzᵀ a_prev", lambda da, z, a_prev, W, fp: (lambda dz: (dz, dz.T @ a_prev, dz.sum(0, keepdims=True), dz @ W.T))(da * fp(z))),
    ("dW = a_prev dz", lambda da, z, a_prev, W, fp: (lambda dz: (dz, a_prev @ dz, dz.sum(0, keepdims=True), dz @ W.T))(da * fp(z))),
    ("da_prev = dz W", lambda da, z, a_prev, W, fp: (lambda dz: (dz, a_prev.T @ dz, dz.sum(0, keepdims=True), dz @ W))(da * fp(z))),
])
def test_missing_transpose_in_layer_backward_is_named(where, answer):
    message = _mistake(_check("nb04", "check_layer_backward"), answer)
    assert "missing" in message and "transpose" in message, (where, message)


def test_sign_error_in_dloss_dyhat_is_named():
    message = _mistake(_check("nb03", "check_dloss_dyhat"), lambda y, yhat: 2 * (y - yhat))
    assert "wrong sign" in message and "erratum 3" in message


def test_wrong_shape_is_named():
    message = _mistake(_check("nb03", "check_sigmoid_derivative"), lambda z: (_sigmoid(z) * (1 - _sigmoid(z))).ravel())
    assert "has shape (12,), expected (3, 4)" in message


def _all_checks():
    for name in MODULES:
        module = importlib.import_module(f"backprop_lib.exercises.{name}")
        for attr, fun in inspect.getmembers(module, callable):
            if attr.startswith("check_") and hasattr(fun, "check") and fun.__module__ == module.__name__:
                yield pytest.param(fun, id=f"{name}.{attr}")


@pytest.mark.parametrize("check", list(_all_checks()))
def test_every_check_reports_an_unanswered_exercise_as_not_attempted(check, capsys, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)

    def unanswered(*args, **kwargs):
        raise NotImplementedError()

    assert not check(unanswered)
    assert "not attempted yet" in capsys.readouterr().out
    with pytest.raises(ExerciseFailed, match="not attempted yet"):
        check(unanswered, strict=True)

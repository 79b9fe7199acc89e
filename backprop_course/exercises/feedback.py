"""The machinery every exercise check shares.

A check is a plain function that takes the learner's answer (usually a function they
wrote) and raises ``ExerciseFailed("what is wrong")`` on a mistake. Decorating it with
``@exercise("name")`` makes it friendly in a notebook:

* correct            -> prints "✅ name: correct";
* a mistake          -> prints "❌ name: <the message>";
* not attempted yet  -> (the learner's function raises NotImplementedError, as nbgrader's
                        student versions do) prints "⏳ name: not attempted yet".

It returns a ``CheckResult``, true only when the answer is correct; the printed line is the
feedback, so the result shows nothing more when it ends a notebook cell.

So a notebook with unanswered exercises still runs top to bottom. When graded (nbgrader
sets ``NBGRADER_EXECUTION`` while it autogrades or validates) or with ``strict=True``, the
wrapper raises instead, so the grader withholds the points.
"""

import functools
import os

import numpy as np


class ExerciseFailed(AssertionError):
    """A specific, named mistake in an exercise answer."""


class CheckResult:
    """The outcome of a check: ``bool(result)`` is True when the answer is correct."""

    def __init__(self, passed):
        self.passed = bool(passed)

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return f"CheckResult(passed={self.passed})"

    def _ipython_display_(self):
        """Show nothing as a cell's result: the check already printed its ✅/❌/⏳ line."""


def graded():
    """True while nbgrader executes the notebook (autograde or validate)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def exercise(name):
    """Decorator turning a raising check into notebook feedback (see the module docstring)."""

    def wrap(check):
        @functools.wraps(check)
        def run(*args, strict=False, **kwargs):
            raise_errors = strict or graded()
            try:
                check(*args, **kwargs)
            except NotImplementedError:
                if raise_errors:
                    raise ExerciseFailed(f"{name}: not attempted yet") from None
                print(f"⏳ {name}: not attempted yet — replace `raise NotImplementedError()` with your code")
                return CheckResult(False)
            except ExerciseFailed as err:
                if raise_errors:
                    raise
                print(f"❌ {name}: {err}")
                return CheckResult(False)
            print(f"✅ {name}: correct")
            return CheckResult(True)

        run.check = check  # the raw, raising check, for tests
        return run

    return wrap


def diagnose(got, expected, mistakes, what="your answer", rtol=1e-6, atol=1e-9):
    """Raise ``ExerciseFailed`` unless ``got`` equals ``expected``, naming the likely mistake.

    ``mistakes`` maps a description ("is 2× too large: the derivative of σ is σ(1−σ), not
    2σ(1−σ)") to the value that mistake would produce; the first one that matches ``got``
    is reported. Shapes are checked first, with the transpose named when it fits.
    """
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise ExerciseFailed(f"{what} should be numbers, got {type(got).__name__}") from None
    expected = np.asarray(expected, dtype=float)
    if got.shape != expected.shape:
        hint = " — a missing or extra transpose?" if got.shape == expected.T.shape else ""
        raise ExerciseFailed(f"{what} has shape {got.shape}, expected {expected.shape}{hint}")
    if not np.isfinite(got).all():
        raise ExerciseFailed(f"{what} contains NaN or inf")
    if np.allclose(got, expected, rtol=rtol, atol=atol):
        return
    for description, wrong in mistakes.items():
        wrong = np.asarray(wrong, dtype=float)
        if wrong.shape == got.shape and np.allclose(got, wrong, rtol=rtol, atol=atol):
            raise ExerciseFailed(f"{what} {description}")
    worst = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape) if got.ndim else ()
    at = f" at index {tuple(int(i) for i in worst)}" if got.ndim else ""
    raise ExerciseFailed(f"{what} is off{at}: got {got[worst]:.6g}, expected {expected[worst]:.6g}")

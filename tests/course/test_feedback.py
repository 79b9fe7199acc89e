"""backprop_course.exercises.feedback: the printed ✅/❌/⏳ lines, raising when graded, diagnose;
and, across every notebook's exercise module, the "not attempted yet" promise that lets a
student version run top to bottom."""

import importlib
import inspect
import pkgutil

import numpy as np
import pytest
from conftest import unanswered

import backprop_course.exercises as exercises_pkg
from backprop_course.exercises import CheckResult, ExerciseFailed, diagnose, exercise, graded

MODULES = sorted(m.name for m in pkgutil.iter_modules(exercises_pkg.__path__) if m.name.startswith("nb"))


@exercise("double")
def check_double(f):
    x = np.array([0.5, -2.0, 3.0])
    diagnose(f(x), 2 * x, {"is the input itself: did you forget to multiply by 2?": x})


@pytest.fixture(autouse=True)
def not_graded(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)  # as a learner runs it


def test_correct_answer_prints_a_tick(capsys):
    assert check_double(lambda x: 2 * x)
    assert capsys.readouterr().out == "✅ double: correct\n"


def test_named_mistake_is_reported(capsys):
    assert not check_double(lambda x: x)
    assert (
        capsys.readouterr().out
        == "❌ double: your answer is the input itself: did you forget to multiply by 2?\n"
    )


def test_unnamed_mistake_says_where_and_by_how_much(capsys):
    assert not check_double(lambda x: 2 * x + (x > 2))
    assert "off at index (2,): got 7, expected 6" in capsys.readouterr().out


def test_not_attempted_does_not_break_the_notebook(capsys):
    assert not check_double(unanswered)
    assert capsys.readouterr().out.startswith(
        "⏳ double: not attempted yet — replace `raise NotImplementedError()`"
    )


def test_grading_and_strict_mode_raise(monkeypatch):
    with pytest.raises(ExerciseFailed, match="forget to multiply"):
        check_double(lambda x: x, strict=True)
    assert not graded()
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert graded()
    with pytest.raises(ExerciseFailed, match="double: not attempted yet"):
        check_double(unanswered)
    with pytest.raises(ExerciseFailed, match="forget to multiply"):
        check_double(lambda x: x)
    assert check_double(lambda x: 2 * x)  # a right answer still passes when graded


def test_an_unexpected_error_in_the_answer_is_not_hidden():
    with pytest.raises(ZeroDivisionError):
        check_double(lambda x: 1 / 0)


def test_the_raw_check_is_kept_for_tests():
    with pytest.raises(ExerciseFailed, match="forget to multiply"):
        check_double.check(lambda x: x)
    assert check_double.__name__ == "check_double"


def test_diagnose_checks_shape_finiteness_then_values():
    with pytest.raises(
        ExerciseFailed, match=r"shape \(3, 2\), expected \(2, 3\) — a missing or extra transpose"
    ):
        diagnose(np.zeros((3, 2)), np.zeros((2, 3)), {})
    with pytest.raises(ExerciseFailed, match=r"^your answer has shape \(4,\), expected \(2, 3\)$"):
        diagnose(np.zeros(4), np.zeros((2, 3)), {})
    with pytest.raises(ExerciseFailed, match="dW should be numbers, got str"):
        diagnose("abc", np.zeros(2), {}, what="dW")
    with pytest.raises(ExerciseFailed, match="contains NaN or inf"):
        diagnose([np.nan, 1.0], np.zeros(2), {})
    with pytest.raises(ExerciseFailed, match="is off: got 1.5, expected 1"):
        diagnose(1.5, 1.0, {})
    diagnose([1.0, 2.0 + 1e-8], [1.0, 2.0], {})  # within the tolerance
    with pytest.raises(ExerciseFailed, match="the first"):  # the first matching mistake is named
        diagnose([2.0], [1.0], {"the first": [2.0], "the second": [2.0]})


def test_result_is_truthy_only_when_correct_and_displays_nothing(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    good, bad = check_double(lambda x: 2 * x), check_double(lambda x: x)
    assert isinstance(good, CheckResult)
    assert bool(good) and not bool(bad)
    assert repr(good) == "CheckResult(passed=True)" and repr(bad) == "CheckResult(passed=False)"
    shell = InteractiveShell.instance()
    try:
        # The data a kernel would send as the cell's result: none, so no "True"/"False" shows
        # beneath the feedback (a plain bool would give {"text/plain": "True"}).
        assert shell.display_formatter.format(good) == ({}, {})
        assert shell.display_formatter.format(True)[0] == {"text/plain": "True"}
    finally:
        InteractiveShell.clear_instance()


# -- every exercise check of every notebook -------------------------------------------------


def test_every_notebook_with_exercises_has_a_module():
    assert [m[:4] for m in MODULES] == [f"nb{k:02d}" for k in range(1, 11)]


def _all_checks():
    for name in MODULES:
        module = importlib.import_module(f"backprop_course.exercises.{name}")
        for attr, fun in inspect.getmembers(module, callable):
            if attr.startswith("check_") and hasattr(fun, "check") and fun.__module__ == module.__name__:
                yield pytest.param(fun, id=f"{name}.{attr}")


CHECKS = list(_all_checks())


def test_each_notebook_module_has_checks():
    modules = {param.id.split(".")[0] for param in CHECKS}
    assert modules == set(MODULES) and len(CHECKS) >= 2 * len(MODULES)


@pytest.mark.parametrize("check", CHECKS)
def test_every_check_reports_an_unanswered_exercise_as_not_attempted(check, capsys):
    assert not check(unanswered)
    assert "not attempted yet" in capsys.readouterr().out
    with pytest.raises(ExerciseFailed, match="not attempted yet"):
        check(unanswered, strict=True)

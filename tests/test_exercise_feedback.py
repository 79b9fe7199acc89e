import numpy as np
import pytest

from backprop_lib.exercises import ExerciseFailed, diagnose, exercise


@exercise("double")
def check_double(f):
    x = np.array([0.5, -2.0, 3.0])
    diagnose(f(x), 2 * x, {"is the input itself: did you forget to multiply by 2?": x})


def test_correct_answer_prints_a_tick(capsys):
    assert check_double(lambda x: 2 * x)
    assert "✅ double: correct" in capsys.readouterr().out


def test_named_mistake_is_reported(capsys):
    assert not check_double(lambda x: x)
    assert "forget to multiply by 2" in capsys.readouterr().out


def test_unnamed_mistake_says_where_and_by_how_much(capsys):
    assert not check_double(lambda x: 2 * x + (x > 2))
    assert "off at index (2,): got 7, expected 6" in capsys.readouterr().out


def test_not_attempted_does_not_break_the_notebook(capsys):
    def unanswered(x):
        raise NotImplementedError()

    assert not check_double(unanswered)
    assert "not attempted yet" in capsys.readouterr().out


def test_grading_and_strict_mode_raise(monkeypatch):
    with pytest.raises(ExerciseFailed, match="forget to multiply"):
        check_double(lambda x: x, strict=True)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(ExerciseFailed, match="not attempted"):
        check_double(lambda x: (_ for _ in ()).throw(NotImplementedError()))


def test_shape_mistakes_name_the_transpose():
    with pytest.raises(ExerciseFailed, match=r"shape \(3, 2\), expected \(2, 3\) — a missing or extra transpose"):
        diagnose(np.zeros((3, 2)), np.zeros((2, 3)), {})
    with pytest.raises(ExerciseFailed, match="should be numbers"):
        diagnose("abc", np.zeros(2), {})


def test_result_is_truthy_only_when_correct_and_displays_nothing(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    good, bad = check_double(lambda x: 2 * x), check_double(lambda x: x)
    assert bool(good) and not bool(bad)
    assert repr(good) == "CheckResult(passed=True)"
    shell = InteractiveShell.instance()
    try:
        # The data a kernel would send as the cell's result: none, so no "True"/"False" shows
        # beneath the feedback (a plain bool would give {"text/plain": "True"}).
        assert shell.display_formatter.format(good) == ({}, {})
        assert shell.display_formatter.format(True)[0] == {"text/plain": "True"}
    finally:
        InteractiveShell.clear_instance()

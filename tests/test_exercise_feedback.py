import numpy as np
import pytest

from backprop_lib.exercises import ExerciseFailed, diagnose, exercise


@exercise("double")
def check_double(f):
    x = np.array([0.5, -2.0, 3.0])
    diagnose(f(x), 2 * x, {"is the input itself: did you forget to multiply by 2?": x})


def test_correct_answer_prints_a_tick(capsys):
    assert check_double(lambda x: 2 * x) is True
    assert "✅ double: correct" in capsys.readouterr().out


def test_named_mistake_is_reported(capsys):
    assert check_double(lambda x: x) is False
    assert "forget to multiply by 2" in capsys.readouterr().out


def test_unnamed_mistake_says_where_and_by_how_much(capsys):
    assert check_double(lambda x: 2 * x + (x > 2)) is False
    assert "off at index (2,): got 7, expected 6" in capsys.readouterr().out


def test_not_attempted_does_not_break_the_notebook(capsys):
    def unanswered(x):
        raise NotImplementedError()

    assert check_double(unanswered) is False
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

"""The grader (coursework/grader/): one module per notebook, a hidden check for every practice
check with the same twins and parts; each notebook's own solution passes every hidden check
under several term secrets; an answer tailored to the practice inputs passes the practice check
and fails the hidden one (the hidden inputs are other ones); each twin, and a function calling
it, fails naming it. No nbgrader run: these call the checks directly."""

import ast
import importlib
import inspect
import re

import nbformat
import numpy as np
import pytest

import backprop_course.exercises as exercises
from backprop_course.exercises import ExerciseFailed
from backprop_course.exercises.feedback import resolve
from backprop_lib.autodiff import Value
from coursework import build
from coursework.grader import SECRET_VARIABLE
from coursework.testing import solution_functions

NOTEBOOKS = [p for p in build.notebook_paths() if not p.name.startswith("00_")]


def _modules(path):
    practice = importlib.import_module(f"backprop_course.exercises.nb{path.stem}")
    return practice, importlib.import_module(f"coursework.grader.nb{path.stem}")


def _pairs():
    for path in NOTEBOOKS:
        practice, grader = _modules(path)
        for name, check in inspect.getmembers(practice, lambda f: hasattr(f, "check")):
            if check.__module__ == practice.__name__:
                yield pytest.param(path, name, id=f"{path.stem[:2]}.{name}")


PAIRS = list(_pairs())


def test_every_notebook_has_a_grader_module_and_every_practice_check_a_hidden_one():
    assert len(NOTEBOOKS) == 10 and len(PAIRS) >= 2 * len(NOTEBOOKS)
    for param in PAIRS:
        path, name = param.values
        practice, grader = _modules(path)
        hidden, visible = getattr(grader, name), getattr(practice, name)
        assert hidden.exercise_name == f"{visible.exercise_name} (hidden)"
        assert (hidden.twins, hidden.parts, hidden.shortcut) == (
            visible.twins,
            visible.parts,
            visible.shortcut,
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_every_graded_check_cell_calls_the_grader_for_its_own_check_and_part(path):
    """The hidden region is the grader's call, never the practice check run again."""
    nb = nbformat.read(path, as_version=4)
    exercises = build.find_exercises(nb)
    assert exercises
    for ex in exercises:
        source = nb.cells[ex.check_cell].source
        hidden = source.split(build.BEGIN_HIDDEN)[1].split(build.END_HIDDEN)[0]
        part = f", part={ex.part!r}" if ex.part else ""
        call = f'hidden_tests("coursework.grader.nb{path.stem}:{ex.check}", {ex.answer_id}{part})'
        assert ast.dump(ast.parse(hidden.strip())) == ast.dump(ast.parse(call)), (
            f"{path.name} cell {ex.check_cell}: {hidden.strip()!r}, expected {call}"
        )
        assert source.split(build.BEGIN_HIDDEN)[0].strip().startswith(f"{ex.check}({ex.answer_id}")


def _parts(check):
    return check.parts or (None,)


def _solution(path, check):
    """The notebook's worked answer to the exercise that ``check`` checks (graded or practice:
    a practice exercise keeps its hidden check, ready for a course that grades it)."""
    nb = nbformat.read(path, as_version=4)
    answers = {e.check: e.answer_id for e in build.find_exercises(nb) + build.find_practice(nb)}
    return solution_functions(path)[answers[check]]


@pytest.mark.parametrize("path, name", [p.values for p in PAIRS], ids=[p.id for p in PAIRS])
def test_the_notebooks_own_solution_passes_the_hidden_test_under_every_secret(
    path, name, monkeypatch, capsys
):
    practice, grader = _modules(path)
    answer = _solution(path, name)
    for secret in ("", "term-2027-spring", "another secret"):
        monkeypatch.setenv(SECRET_VARIABLE, secret)
        for part in _parts(getattr(grader, name)):
            getattr(grader, name)(answer, strict=True, part=part)
    assert "❌" not in capsys.readouterr().out


def _key(args):
    """The numbers of a call's arguments (functions left out): what a tailored answer looks up."""
    out = []
    for a in args:
        if isinstance(a, Value):
            out.append(a.data.tobytes())
        elif isinstance(a, list) and a and isinstance(a[0], Value):
            out.append(b"".join(node.data.tobytes() for node in a))
        elif isinstance(a, list) and a and isinstance(a[0], dict):
            out.append(b"".join(np.asarray(d["z"]).tobytes() for d in a))
        elif isinstance(a, (np.ndarray, float, int)) or (isinstance(a, list) and not callable(a)):
            out.append(np.asarray(a, dtype=float).tobytes())
    return tuple(out)


def _spoiled(right):
    """What ``right`` returns, made wrong: 1 added to each number (or, for a walk that fills
    gradients, nothing done; for a node, 1 added to its value and to its rule's result)."""

    def wrong(*args):
        out = right(*args)
        if out is None:  # a walk: undo it
            for node in args[0]:
                node.grad = np.zeros_like(node.data)
            return None
        if isinstance(out, Value):
            return Value(out.data + 1, out.parents, out.op, lambda g: tuple(c + 1 for c in out.vjp(g)))
        return _plus_one(out)

    return wrong


def _plus_one(value):
    if isinstance(value, (tuple, list)):
        return type(value)(_plus_one(v) for v in value)
    return np.asarray(value, dtype=float) + 1


@pytest.mark.parametrize("path, name", [p.values for p in PAIRS], ids=[p.id for p in PAIRS])
def test_an_answer_tailored_to_the_practice_inputs_fails_the_hidden_test(path, name, capsys):
    practice, grader = _modules(path)
    right = _solution(path, name)
    seen = set()

    def recording(*args):
        seen.add(_key(args))
        return right(*args)

    assert getattr(practice, name)(recording)
    wrong = _spoiled(right)

    def tailored(*args):  # right on every input the practice check uses, wrong on any other
        return (right if _key(args) in seen else wrong)(*args)

    assert getattr(practice, name)(tailored)
    for part in _parts(getattr(grader, name)):
        assert not getattr(grader, name)(tailored, part=part)
    out = capsys.readouterr().out
    assert f"❌ {getattr(grader, name).exercise_name}" in out


def _twin_cases():
    for param in PAIRS:
        path, name = param.values
        for spec in getattr(_modules(path)[1], name).twins:
            yield pytest.param(path, name, spec, id=f"{param.id}-{spec.rsplit('.', 1)[-1]}")


@pytest.mark.parametrize("path, name, spec", list(_twin_cases()))
def test_each_twin_and_a_function_calling_it_fail_the_hidden_test_naming_it(path, name, spec, capsys):
    check = getattr(_modules(path)[1], name)
    twin = resolve(spec)

    def calls_it(*args, **kwargs):
        return twin(*args, **kwargs)

    for answer in (twin, calls_it):
        with pytest.raises(ExerciseFailed, match=re.escape(f"{spec.split('.')[0]}'s {twin.__qualname__}")):
            check(answer, strict=True, part=_parts(check)[0])


def test_the_grader_is_not_part_of_the_course_package():
    assert "coursework" not in exercises.__file__
    for path in NOTEBOOKS:
        practice, grader = _modules(path)
        assert "coursework" not in inspect.getsource(practice)

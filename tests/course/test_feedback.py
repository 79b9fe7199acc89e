"""backprop_course.exercises.feedback and .answers: the printed ✅/❌/⏳ lines, raising when
graded, twins, parts and hidden tests; calling a learner's answer and judging it (one place for
each: the learner's line, a missing return, math on arrays, shapes, warnings, the inputs of an
unnamed mistake); and, across every notebook's exercise module, the "not attempted yet" promise
that lets a student version run top to bottom."""

import importlib
import inspect
import math
import pkgutil
import re

import numpy as np
import pytest
from conftest import unanswered

import backprop_course.exercises as exercises_pkg
from backprop_course.exercises import CheckResult, ExerciseFailed, diagnose, exercise, graded
from backprop_course.exercises.answers import call_answer, format_inputs, results

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


def _twin_cases():
    for param in CHECKS:
        (check,) = param.values
        for spec in check.twins:
            yield pytest.param(
                check, spec, id=f"{param.id}-{spec.rsplit('.', 2)[-2]}.{spec.rsplit('.', 1)[-1]}"
            )


@pytest.mark.parametrize("check, spec", list(_twin_cases()))
def test_each_declared_twin_and_a_function_calling_it_earn_nothing(check, spec, capsys):
    from backprop_course.exercises.feedback import resolve

    twin = resolve(spec)

    def calls_it(*args, **kwargs):
        return twin(*args, **kwargs)

    name = f"{spec.split('.')[0]}'s {twin.__qualname__}"  # backprop_lib's, or the course's
    for answer, verb in ((twin, "is"), (calls_it, "calls")):
        assert not check(answer)
        out = capsys.readouterr().out
        assert f": this {verb} {name}" in out, out
        with pytest.raises(ExerciseFailed, match=re.escape(name)):
            check(answer, strict=True)


def test_where_the_engine_is_a_twin_so_are_a_nodes_vjp_and_autograd():
    """Walking a graph with ``node.vjp`` differentiates as ``.backward()`` does; only notebook
    10's exercises (which are about the engine) may use it. autograd, installed with the
    series, differentiates anything: it is a twin wherever the engine is."""
    from backprop_course.exercises.feedback import AUTOGRAD_TWINS

    engine = [p for p in CHECKS if "backprop_lib.autodiff.Value.backward" in p.values[0].twins]
    assert len(engine) >= 10
    for param in engine:
        twins = param.values[0].twins
        if not param.id.startswith("nb10"):
            assert "backprop_lib.autodiff.Value.vjp" in twins, param.id
        if param.id != "nb10_from_backprop_to_autodiff.check_backward_pass":
            assert set(AUTOGRAD_TWINS) <= set(twins), param.id


def test_autograds_derivative_operators_earn_nothing(capsys):
    import autograd.numpy as anp
    from autograd import elementwise_grad, grad, jacobian

    from backprop_course.exercises.nb03_backprop_by_hand import check_dloss_dyhat, check_sigmoid_derivative

    def by_grad(y, yhat):
        return grad(lambda q: anp.sum((y - q) ** 2))(yhat)

    def by_elementwise_grad(z):
        return elementwise_grad(lambda u: 1 / (1 + anp.exp(-u)))(z)

    def by_jacobian(z):
        flat = z.ravel()
        return anp.diag(jacobian(lambda u: 1 / (1 + anp.exp(-u)))(flat)).reshape(z.shape)

    assert not check_dloss_dyhat(by_grad)
    assert not check_sigmoid_derivative(by_elementwise_grad)
    assert not check_sigmoid_derivative(by_jacobian)
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3 and all("this calls autograd's make_vjp" in line for line in out), out


def test_a_walk_with_the_engines_vjp_earns_nothing(capsys):
    from backprop_course.exercises.nb07_softmax_digits import check_softmax_backward
    from backprop_lib.autodiff import Value, softmax, topological_order

    def by_the_engine(da, a):  # no .backward(): each node's vjp, walked by hand
        z = Value(np.log(a))
        out = softmax(z)
        out.grad = da
        for node in reversed(topological_order(out)):
            for parent, contribution in zip(node.parents, node.vjp(node.grad)):
                parent.grad = parent.grad + contribution
        return z.grad

    assert not check_softmax_backward(by_the_engine)
    assert "this calls backprop_lib's Value.vjp" in capsys.readouterr().out


def test_every_check_but_09s_backward_variances_declares_twins():
    without = sorted(param.id for param in CHECKS if not param.values[0].twins)
    assert without == ["nb09_initialization_and_vanishing_gradients.check_backward_variances"]


@pytest.mark.parametrize("check", CHECKS)
def test_every_check_reports_an_unanswered_exercise_as_not_attempted(check, capsys):
    assert not check(unanswered)
    assert "not attempted yet" in capsys.readouterr().out
    with pytest.raises(ExerciseFailed, match="not attempted yet"):
        check(unanswered, strict=True)


# -- graded verdicts: one line, no checker traceback ------------------------------------------


def test_a_graded_failure_renders_as_its_verdict_alone(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(ExerciseFailed) as err:
        check_double(lambda x: x)
    assert err.value._render_traceback_() == [
        "❌ double: your answer is the input itself: did you forget to multiply by 2?"
    ]


def test_an_error_in_the_learners_code_when_graded_names_their_line_not_the_checker(monkeypatch):
    def answer(x):
        return x[7]  # IndexError on every input of the check

    with pytest.raises(ZeroDivisionError):  # practising: the learner's own error, in full
        check_double(lambda x: 1 / 0)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(ExerciseFailed) as err:
        check_double(answer)
    message = str(err.value)
    assert message.startswith("double: your code raised IndexError: index 7 is out of bounds")
    assert re.search(
        r"\(line \d+ of answer: `return x\[7\]  # IndexError on every input of the check`\)$", message
    )
    assert "diagnose" not in message and "feedback.py" not in message


def test_an_error_of_the_checker_itself_is_not_blamed_on_the_learner(monkeypatch):
    from pathlib import Path

    from backprop_course.exercises import feedback

    here = str(Path(__file__).resolve().parent)  # this check is checker code, as the grader's are
    monkeypatch.setattr(feedback, "_CHECKER_DIRS", [*feedback._CHECKER_DIRS, here])

    @exercise("broken check")
    def check_broken(f):
        f(np.zeros(2))
        return {}["missing"]  # a bug in the check, after the learner's code returned

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(KeyError):
        check_broken(lambda x: x)


def test_a_missing_return_is_named_in_one_way():
    with pytest.raises(ExerciseFailed, match=r"^dW is None: did you forget the `return`\?$"):
        diagnose(None, np.zeros(2), {}, what="dW")
    with pytest.raises(
        ExerciseFailed, match=r"^the result of your function is None: did you forget the `return`\?$"
    ):
        call_answer(lambda a: None, 1.0)


# -- twins: the library's own implementation of an exercise earns nothing ----------------------

MOMENTUM = "backprop_lib.optimizers.momentum_update"


@exercise("momentum step", twins=[MOMENTUM], shortcut="write the update yourself")
def check_momentum(step, seed=0):
    from backprop_lib.optimizers import momentum_update

    rng = np.random.default_rng(seed)
    theta, g, v = rng.normal(size=(3, 4))
    expected = momentum_update(theta, g, v, 0.1, 0.9)  # the check itself may use its twin
    got = step(theta, g, v, 0.1, 0.9)
    diagnose(got[0], expected[0], {}, what="θ")
    diagnose(got[1], expected[1], {}, what="v")


def own_momentum(theta, g, v, lr, beta):
    v = beta * v + g
    return theta - lr * v, v


def test_an_own_answer_passes_and_the_twin_is_restored(capsys):
    import backprop_lib.optimizers as opt

    code = opt.momentum_update.__code__
    assert check_momentum(own_momentum)
    assert opt.momentum_update.__code__ is code
    assert capsys.readouterr().out == "✅ momentum step: correct\n"
    assert check_momentum.twins == (MOMENTUM,)


def _momentum_shortcuts():
    import functools

    import backprop_lib as bp
    from backprop_lib.optimizers import momentum_update

    def through_module(theta, g, v, lr, beta):
        return bp.optimizers.momentum_update(theta, g, v, lr, beta)

    def through_optimizer(theta, g, v, lr, beta):  # the library calls its rule internally
        theta, state = bp.Momentum(lr, beta).rule(theta, g, {"v": v})
        return theta, state["v"]

    def hidden_name(theta, g, v, lr, beta):  # nothing to read: only the stub sees it
        update = getattr(bp.optimizers, "momentum" + "_update")
        try:
            return update(theta, g, v, lr, beta)
        except Exception:  # swallowing the stub's error does not help
            return own_momentum(theta, g, v, lr, beta)

    def unexecuted_branch(theta, g, v, lr, beta):  # read in the code, never run by the check
        if np.ndim(theta) > 5:
            return momentum_update(theta, g, v, lr, beta)
        return own_momentum(theta, g, v, lr, beta)

    import types

    code = momentum_update.__code__
    copy = types.FunctionType(code, momentum_update.__globals__, "mine", momentum_update.__defaults__)
    renamed = types.FunctionType(
        code.replace(co_name="mine", co_consts=(None, *code.co_consts[1:])),  # no docstring either
        momentum_update.__globals__,
        "mine",
    )
    kept = {"update": copy}

    def through_a_copy_in_a_container(theta, g, v, lr, beta):  # nothing to read: only the profile hook
        return kept["update"](theta, g, v, lr, beta)

    def through_the_registry(theta, g, v, lr, beta):  # the checker's own callable copy
        from backprop_course.exercises import feedback

        return feedback._twin(MOMENTUM).original(theta, g, v, lr, beta)

    return {
        "alias": (momentum_update, "is backprop_lib's momentum_update itself"),
        "code copy": (copy, "is backprop_lib's momentum_update itself"),
        "renamed code copy": (renamed, "is backprop_lib's momentum_update itself"),
        "copy in a container": (through_a_copy_in_a_container, "calls backprop_lib's momentum_update"),
        "checker's copy": (through_the_registry, "calls backprop_lib's momentum_update"),
        "partial": (functools.partial(momentum_update, beta=0.9), "itself"),
        "module attribute": (through_module, "calls backprop_lib's momentum_update"),
        "optimizer object": (through_optimizer, "calls backprop_lib's momentum_update"),
        "hidden name": (hidden_name, "calls backprop_lib's momentum_update"),
        "unexecuted branch": (unexecuted_branch, "calls backprop_lib's momentum_update"),
    }


@pytest.mark.parametrize("case", list(_momentum_shortcuts()))
def test_each_way_of_calling_the_twin_fails_naming_it(case, capsys):
    answer, expected = _momentum_shortcuts()[case]
    assert not check_momentum(answer)
    out = capsys.readouterr().out
    assert out.startswith("❌ momentum step: this ") and expected in out, out
    assert out.rstrip().endswith("; write the update yourself")
    with pytest.raises(ExerciseFailed, match="momentum_update"):
        check_momentum(answer, strict=True)


def test_method_twins_are_stubbed_for_every_instance_and_read_next_to_their_class(capsys):
    import backprop_lib as bp

    @exercise("softmax Jacobian", twins=["backprop_lib.activations.Softmax.jacobian"])
    def check_jacobian(jacobian):
        z = np.array([0.1, 0.5, -0.3])
        diagnose(jacobian(z), bp.Softmax().jacobian(z), {})

    def read(z):
        return bp.Softmax().jacobian(z)

    softmax = bp.Softmax()

    def run(z):  # an instance made elsewhere: only the stub sees it
        return softmax.jacobian(z)

    def own(z):
        a = bp.Softmax().forward(z.reshape(1, -1))[0]
        return np.diag(a) - np.outer(a, a)

    assert check_jacobian(own)
    for answer in (read, run, bp.Softmax().jacobian):
        assert not check_jacobian(answer)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "✅ softmax Jacobian: correct"
    assert all("backprop_lib's Softmax.jacobian" in line for line in out[1:]) and len(out) == 4


def test_value_backward_is_a_twin_the_check_itself_may_call(capsys):
    from backprop_lib.autodiff import Value, topological_order

    @exercise("backward pass", twins=["backprop_lib.autodiff.Value.backward"])
    def check_backward(backward_pass):
        x = Value(np.array([1.5, -2.0]), name="x")
        out = (x * x).sum()
        out.backward()  # the reference, outside the learner's code
        expected = x.grad.copy()
        x.grad = None
        backward_pass(topological_order(out))
        diagnose(x.grad, expected, {}, what="x.grad")

    def shortcut(order):
        order[-1].backward()

    assert not check_backward(shortcut)
    assert "this calls backprop_lib's Value.backward" in capsys.readouterr().out


def test_twin_declarations_are_checked():
    with pytest.raises(ValueError, match="no such module attribute"):
        exercise("x", twins=["backprop_lib.optimizers.no_such_update"])
    with pytest.raises(ValueError, match="expected a Python function"):
        exercise("x", twins=["backprop_lib.TOLERANCE"])
    with pytest.raises(TypeError, match="expected a list of dotted paths, got the string"):
        exercise("x", twins=MOMENTUM)


def test_a_twin_using_super_keeps_its_closure():
    from backprop_course.exercises import feedback

    class Base:
        def value(self, x):
            return x + 1

    class Child(Base):
        def value(self, x):
            return super().value(x) * 2

    import sys
    import types

    module = types.ModuleType("twin_with_super")
    module.Child = Child
    sys.modules["twin_with_super"] = module
    try:
        twin = feedback._twin("twin_with_super.Child.value")
        with feedback._StubTwins([twin]):
            assert Child().value(1) == 4  # outside learner code: the original runs
        assert Child.value.__code__ is twin.original_code
    finally:
        del sys.modules["twin_with_super"]


# -- parts: one graded cell per part, for partial credit --------------------------------------


@exercise("affine map", parts=("slope", "offset"))
def check_affine(f, part=None):
    x = np.array([0.0, 1.0, 2.0])
    y = np.asarray(f(x), dtype=float)
    if part in (None, "offset"):
        diagnose(y[0], 1.0, {}, what="f(0)")
    if part in (None, "slope"):
        diagnose(y[2] - y[1], 3.0, {}, what="the slope")


def test_parts_are_checked_and_labelled_separately(capsys):
    def wrong_offset(x):
        return 3 * x

    assert check_affine(wrong_offset, part="slope")
    assert not check_affine(wrong_offset, part="offset")
    assert not check_affine(wrong_offset)  # every part
    assert capsys.readouterr().out.splitlines() == [
        "✅ affine map [slope]: correct",
        "❌ affine map [offset]: f(0) is off: got 0, expected 1",
        "❌ affine map: f(0) is off: got 0, expected 1",
    ]
    with pytest.raises(ExerciseFailed, match=r"^affine map \[offset\]: f\(0\) is off"):
        check_affine(wrong_offset, part="offset", strict=True)
    assert check_affine.parts == ("slope", "offset")


def test_an_unknown_part_is_refused():
    with pytest.raises(ValueError, match=r"part='intercept', expected one of \('slope', 'offset'\)"):
        check_affine(lambda x: x, part="intercept")
    with pytest.raises(ValueError, match="expected no part"):
        check_double(lambda x: 2 * x, part="slope")


# -- hidden tests: from the grader, which only the instructor's autograding has ---------------


def test_hidden_tests_without_the_grader_say_so_and_fail_loudly_when_graded(monkeypatch, capsys):
    from backprop_course.exercises.feedback import GraderMissing, hidden_tests

    assert hidden_tests("no_such_grader.nb99:check_weight_gradient", lambda x: x) is None
    assert capsys.readouterr().out == (
        "🔒 the hidden tests of this check run only when your instructor grades the notebook\n"
    )
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(GraderMissing, match="'no_such_grader.nb99' is not importable while grading"):
        hidden_tests("no_such_grader.nb99:check_weight_gradient", lambda x: x)
    with pytest.raises(ValueError, match="expected 'package.module:function'"):
        hidden_tests("no_such_grader.check_weight_gradient", lambda x: x)


def test_hidden_tests_run_the_graders_test(tmp_path, monkeypatch, capsys):
    from backprop_course.exercises.feedback import hidden_tests

    (tmp_path / "grader_for_test.py").write_text(
        "import numpy as np\n"
        "from backprop_course.exercises import diagnose, exercise\n\n\n"
        "@exercise('double (hidden)')\n"
        "def check_double(f, seed=0):\n"
        "    x = np.random.default_rng(seed + 100).normal(size=5)\n"
        "    diagnose(f(x), 2 * x, {})\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert hidden_tests("grader_for_test:check_double", lambda x: 2 * x)
    assert capsys.readouterr().out == "✅ double (hidden): correct\n"
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(ExerciseFailed, match="double \\(hidden\\): your answer is off"):
        hidden_tests("grader_for_test:check_double", lambda x: x, seed=3)


# -- calling and judging a learner's answer (backprop_course.exercises.answers) --------------


def test_math_on_an_array_is_named_with_the_learners_line():
    def sigmoid_with_math(z):
        return 1 / (1 + math.exp(-z))

    with pytest.raises(ExerciseFailed, match="a function from `math` got a whole numpy array") as err:
        call_answer(sigmoid_with_math, np.zeros(3))
    assert "return 1 / (1 + math.exp(-z))" in str(err.value) and "np.exp" in str(err.value)
    assert call_answer(sigmoid_with_math, 0.0) == 0.5  # on a number, math is fine


def test_call_answer_names_shape_errors_and_a_missing_return():
    def product(a, b):
        return a @ b

    with pytest.raises(
        ExerciseFailed,
        match=r"raised ValueError \(line \d+ of product: `return a @ b`\): matmul .*a is \(2, 3\)",
    ):
        call_answer(product, np.ones((2, 3)), np.ones((2, 3)), shapes="a is (2, 3)")
    with pytest.raises(ExerciseFailed, match="forget the `return`"):
        call_answer(lambda a: None, 1.0)
    with pytest.raises(NotImplementedError):  # "not attempted yet" is the exercise wrapper's job
        call_answer(unanswered, 1.0)
    with pytest.raises(ZeroDivisionError):  # any other error keeps Python's own traceback
        call_answer(lambda a: 1 / 0, 1.0)


def test_call_answer_passes_copies_unless_told():
    x = np.zeros(3)

    def spoil(a):
        a += 1
        return a

    call_answer(spoil, x)
    assert not x.any()
    call_answer(spoil, x, copies=False)
    assert x.all()


def test_diagnose_shows_the_input_only_when_no_mistake_is_named():
    mistakes = {"is 2× too large": np.array([2.0, 4.0])}
    with pytest.raises(ExerciseFailed) as err:
        diagnose(np.array([2.0, 4.0]), np.array([1.0, 2.0]), mistakes, "g", {"x": np.array([1.0, 2.0])})
    assert str(err.value) == "g is 2× too large"
    with pytest.raises(ExerciseFailed) as err:
        diagnose(
            np.array([1.0, 2.5]), np.array([1.0, 2.0]), mistakes, "g", {"x": np.array([1.0, 2.0]), "k": 3}
        )
    assert (
        str(err.value)
        == "g is off at index (1,): got 2.5, expected 2 (the check's input: x = [1., 2.], k = 3)"
    )
    with pytest.raises(ExerciseFailed, match=r"has shape \(3,\), expected \(2,\)$"):
        diagnose(np.zeros(3), np.zeros(2), mistakes, "g", {"x": 1.0})
    diagnose(np.array([1.0, 2.0]), np.array([1.0, 2.0]), mistakes, "g", {})


def test_results_and_format_inputs():
    dW, db = results((np.ones((2, 2)), [1.0, 2.0]), ("dW", "db"))
    assert dW.shape == (2, 2) and db.dtype == float
    with pytest.raises(ExerciseFailed, match=r"should return 2 arrays \(dW, db\), got tuple of length 3"):
        results((1, 2, 3), ("dW", "db"))
    with pytest.raises(ExerciseFailed, match="db is None"):
        results((np.ones(2), None), ("dW", "db"))
    assert format_inputs({"x": 0.123456789, "name": "relu", "z": np.array([[1.0, -0.5]])}) == (
        "x = 0.123457, name = 'relu', z = [[ 1. , -0.5]]"
    )


def test_diagnose_names_a_transposed_square_matrix():
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(
        ExerciseFailed, match=r"^dB is the transpose of the right matrix: the shapes agree only"
    ):
        diagnose(expected.T, expected, {}, what="dB")
    with pytest.raises(ExerciseFailed, match="a named mistake first"):  # a named mistake wins
        diagnose(expected.T, expected, {"a named mistake first": expected.T}, what="dB")
    with pytest.raises(
        ExerciseFailed, match=r"shape \(3, 2\), expected \(2, 3\) — a missing or extra transpose"
    ):
        diagnose(np.zeros((3, 2)), np.zeros((2, 3)), {})


def test_call_answer_silences_numpy_warnings_and_may_expect_no_result(recwarn):
    def overflowing(z):
        return np.exp(z) / np.exp(z).sum()

    out = call_answer(overflowing, np.array([1000.0, 0.0]))
    assert np.isnan(out).any() and not recwarn.list  # the NaN is named by diagnose, not a warning
    with pytest.raises(ExerciseFailed, match="contains NaN or inf"):
        diagnose(out, np.array([1.0, 0.0]), {})
    filled = []
    assert call_answer(filled.append, 3, returns=False) is None and filled == [3]


def test_every_notebook_module_calls_answers_through_the_one_helper():
    for name in MODULES:
        source = inspect.getsource(importlib.import_module(f"backprop_course.exercises.{name}"))
        assert "call_answer(" in source, name
        assert "import warnings" not in source, name  # silencing the learner's warnings: call_answer's
        assert "`return`" not in source and "returned None" not in source, name  # answers.missing_return
        assert "def _call" not in source, name  # no private copy of call_answer or results

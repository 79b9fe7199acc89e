"""The machinery every exercise check shares: verdicts, twins, parts and hidden tests.

A check is a plain function that takes the learner's answer (usually a function they
wrote), calls it through ``answers.call_answer``, compares with ``answers.diagnose`` and
raises ``ExerciseFailed("what is wrong")`` on a mistake. Decorating it with
``@exercise("name")`` makes it friendly in a notebook:

* correct            -> prints "✅ name: correct";
* a mistake          -> prints "❌ name: <the message>";
* not attempted yet  -> (the learner's function raises NotImplementedError, as nbgrader's
                        student versions do) prints "⏳ name: not attempted yet".

It returns a ``CheckResult``, true only when the answer is correct; the printed line is the
feedback, so the result shows nothing more when it ends a notebook cell.

So a notebook with unanswered exercises still runs top to bottom. When graded (nbgrader
sets ``NBGRADER_EXECUTION`` while it autogrades or validates) or with ``strict=True``, the
wrapper raises instead, so the grader withholds the points. The raised ``ExerciseFailed``
shows in a notebook (and on nbgrader's feedback page) as its one verdict line, never as a
traceback through the checker's code; an error inside the learner's own code is reported,
when graded, as that error with the learner's line (``learner_line``, which ``answers`` uses
for its messages too), again without the checker's frames.

Shortcuts. ``@exercise("Adam step", twins=["backprop_lib.optimizers.adam_update"],
shortcut="write the update yourself")`` declares the library's own implementations of the
exercise (its *twins*). While the learner's function runs inside the check, each twin is
replaced, wherever it is referenced from (an alias, a bound method, the library calling it
internally), by a stub that records the call and stops it; the check then fails with "this
calls backprop_lib's adam_update; write the update yourself". Before running anything
the learner's code is also read: an answer that *is* a twin, or whose code loads one (by a
global name, through a module or class attribute, or a twin method's name next to its class),
fails the same way, even on a branch the random inputs never reach; so does a function made
from a copy of a twin's code (``types.FunctionType(twin.__code__, ...)``, renamed or not), read
in the code and, while the learner's function runs, seen by a profile hook. The check's own code may
still use the twins (to compute a reference, say): stubs stop a call only while the learner's
function is on the stack.

Parts. ``@exercise("Adam step", parts=("moments", "step"))`` lets graded cells check one part
each (``check_adam_step(adam_step, part="moments")``) for partial credit; the check receives
``part`` (None: every part) and tests only what it names.

Hidden tests. ``hidden_tests("coursework.grader.nb08_optimizers_and_minibatches:check_adam_step",
answer)`` runs a test from the grader, a package that only the instructor's autograding has on
its path (``coursework/grader``): a learner's environment does not have it, and there the call
prints one line saying so; under nbgrader a missing grader fails loudly, so a misconfigured
autograde never hands out points.
"""

import dis
import functools
import importlib
import inspect
import os
import sys
import traceback
import types
from pathlib import Path

import numpy as np


class ExerciseFailed(AssertionError):
    """A specific, named mistake in an exercise answer."""

    def _render_traceback_(self):
        """What IPython shows for this error: the verdict alone, not the checker's frames."""
        return [f"❌ {self}"]


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


# --------------------------------------------------------------------------- twins

DEFAULT_SHORTCUT = "write it yourself, without the library's own version"

# autograd (installed with the series: notebook 10 compares the engine with it) differentiates
# anything written with autograd.numpy; every one of its derivative operators (grad,
# elementwise_grad, jacobian, value_and_grad, make_vjp, ...) goes through these.
AUTOGRAD_TWINS = ["autograd.core.make_vjp", "autograd.core.make_jvp", "autograd.core.backward_pass"]

# Every numerical or automatic derivative the learner could call instead of deriving one: the
# twins of each exercise whose answer is a derivative (each notebook adds its own twins).
NUMERICAL_TWINS = ["backprop_lib.gradcheck.central_difference", "backprop_lib.gradcheck.numerical_gradient"]
AUTODIFF_TWINS = ["backprop_lib.autodiff.Value.backward", "backprop_lib.autodiff.Value.vjp", *AUTOGRAD_TWINS]
DERIVATIVE_TWINS = [*NUMERICAL_TWINS, *AUTODIFF_TWINS]


class ShortcutUsed(ExerciseFailed):
    """The learner's code called (or loads) one of the library's twins of the exercise."""


def resolve(spec):
    """The function a dotted path names: ``'backprop_lib.optimizers.momentum_update'`` or a
    method, ``'backprop_lib.activations.Softmax.jacobian'``. Raises ``ValueError`` if none."""
    if not isinstance(spec, str) or not spec:
        raise TypeError(
            f"twin: expected a dotted path such as 'backprop_lib.losses.Loss.fused_dz', got {spec!r}"
        )
    parts = spec.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for name in parts[cut:]:
                obj = inspect.getattr_static(obj, name)
        except AttributeError:
            break
        obj = getattr(obj, "__func__", obj)  # staticmethod / classmethod
        if isinstance(obj, types.FunctionType):
            return obj
        raise ValueError(f"twin {spec!r}: expected a Python function or method, got {type(obj).__name__}")
    raise ValueError(f"twin {spec!r}: no such module attribute (expected 'package.module.function')")


class _Twin:
    """One twin: the function object, a callable copy of its original code, and its stub code."""

    def __init__(self, spec):
        self.spec = spec
        self.function = resolve(spec)
        self.name = self.function.__qualname__
        self.package = spec.split(".")[0]  # backprop_lib, or the course package for course code
        self.original_code = self.function.__code__
        self.original = types.FunctionType(
            self.original_code,
            self.function.__globals__,
            self.function.__name__,
            self.function.__defaults__,
            self.function.__closure__,
        )
        self.original.__kwdefaults__ = self.function.__kwdefaults__
        self.stub_code = _stub_code(self.function, spec)


def _stub_code(function, key):
    """A code object with ``function``'s signature (and free variables) that hands every call
    to ``_twin_call(key, ...)``; swapped into the function while a check runs."""
    signature = inspect.signature(function)
    params, forward, seen_star = [], [], False
    for p in signature.parameters.values():
        if p.kind is p.POSITIONAL_ONLY:
            params.append(p.name)
            forward.append(p.name)
        elif p.kind is p.POSITIONAL_OR_KEYWORD:
            params.append(p.name)
            forward.append(p.name)
        elif p.kind is p.VAR_POSITIONAL:
            params.append(f"*{p.name}")
            forward.append(f"*{p.name}")
            seen_star = True
        elif p.kind is p.KEYWORD_ONLY:
            if not seen_star:
                params.append("*")
                seen_star = True
            params.append(p.name)
            forward.append(f"{p.name}={p.name}")
        else:
            params.append(f"**{p.name}")
            forward.append(f"**{p.name}")
    positional_only = [p for p in signature.parameters.values() if p.kind is p.POSITIONAL_ONLY]
    if positional_only:
        params.insert(len(positional_only), "/")
    free = function.__code__.co_freevars
    # The stub runs with the library module's globals: it finds this module by its name.
    dispatch = f"__import__({__name__!r}, fromlist=['_twin_call'])._twin_call"
    body = f"    return {dispatch}({key!r}, {', '.join(forward)})"
    if free:  # keep the same free variables (e.g. __class__ of a method using super())
        body = f"    ({', '.join(free)},)\n" + body
    source = f"def {function.__name__}({', '.join(params)}):\n" + body
    if free:
        source = (
            f"def _outer():\n    {' = '.join(free)} = None\n"
            + "\n".join("    " + line for line in source.split("\n"))
            + f"\n    return {function.__name__}"
        )
    namespace = {}
    exec(compile(source, f"<stub of {key}>", "exec"), namespace)
    made = namespace["_outer"]() if free else namespace[function.__name__]
    code = made.__code__
    if code.co_freevars != free:
        raise ValueError(f"twin {key!r}: cannot stub a function with free variables {free}")
    return code


_TWINS = {}  # spec -> _Twin, built once per spec
_active = {}  # spec -> how many running checks stub it
_learner_depth = 0  # > 0 while a learner's function is on the stack
_hits = []  # twins the learner's code called during the running check


def _twin(spec):
    if spec not in _TWINS:
        _TWINS[spec] = _Twin(spec)
        _code_twin.clear()  # a code seen before may be this new twin's
    return _TWINS[spec]


def _twin_call(key, *args, **kwargs):
    """Where a stubbed twin's calls land: stopped inside learner code, passed on otherwise."""
    twin = _TWINS[key]
    if _learner_depth > 0:
        _hits.append(twin)
        raise ShortcutUsed(f"this calls {twin.package}'s {twin.name}")
    return twin.original(*args, **kwargs)


class _StubTwins:
    """Context manager: the twins' code replaced by stubs (re-entrant), restored on exit."""

    def __init__(self, twins):
        self.twins = twins

    def __enter__(self):
        for twin in self.twins:
            if _active.get(twin.spec, 0) == 0:
                twin.function.__code__ = twin.stub_code
            _active[twin.spec] = _active.get(twin.spec, 0) + 1
        return self

    def __exit__(self, *exc):
        for twin in self.twins:
            _active[twin.spec] -= 1
            if _active[twin.spec] == 0:
                twin.function.__code__ = twin.original_code


def as_learner(fun):
    """``fun`` wrapped so that the twins' stubs know the learner's code is running; while it
    runs, a profile hook also records any call of a twin's *code* (a copy made with
    ``types.FunctionType(twin.__code__, ...)`` or ``code.replace(...)``, which the stub swapped
    into the twin itself does not reach)."""

    @functools.wraps(fun)
    def learner(*args, **kwargs):
        global _learner_depth
        outermost = _learner_depth == 0
        previous = sys.getprofile()
        if outermost:
            sys.setprofile(_watch_twin_code(previous))
        _learner_depth += 1
        try:
            return fun(*args, **kwargs)
        finally:
            _learner_depth -= 1
            if outermost:
                sys.setprofile(previous)

    return learner


def _same_code(code, original):
    """True if ``code`` is a copy of ``original``: the same bytecode on the same names, from the
    same place of the library's source (whatever its name or constants). The place matters: a
    learner who writes a short twin (logsumexp, σ′) the usual way compiles the same bytecode in
    their own cell, and that is their own work."""
    return code is original or (
        code.co_filename == original.co_filename
        and code.co_firstlineno == original.co_firstlineno
        and code.co_code == original.co_code
        and code.co_names == original.co_names
    )


_code_twin = {}  # id(code) -> (code, the twin whose original code it is, or None)


def _twin_of_code(code):
    cached = _code_twin.get(id(code))
    if cached is None or cached[0] is not code:
        twin = next((t for t in _TWINS.values() if _same_code(code, t.original_code)), None)
        cached = _code_twin[id(code)] = (code, twin)
    return cached[1]


def _watch_twin_code(previous):
    """A profile function recording each call of an active twin's original code."""

    def watch(frame, event, arg):
        if event == "call":
            twin = _twin_of_code(frame.f_code)
            if twin is not None and _active.get(twin.spec, 0) > 0:
                _hits.append(twin)
        if previous is not None:
            previous(frame, event, arg)

    return watch


def _underlying(fun):
    """The plain function behind a bound method, partial, staticmethod or ``functools.wraps``."""
    seen = set()
    while id(fun) not in seen:
        seen.add(id(fun))
        if isinstance(fun, functools.partial):
            fun = fun.func
        elif hasattr(fun, "__func__"):
            fun = fun.__func__
        elif hasattr(fun, "__wrapped__"):
            fun = fun.__wrapped__
        else:
            break
    return fun


def _is_twin(obj, twin):
    """``obj`` is the twin, wraps it, or is a function made from a copy of its code."""
    fun = _underlying(obj)
    if obj is twin.function or fun is twin.function:
        return True
    code = getattr(fun, "__code__", None)
    return isinstance(code, types.CodeType) and _same_code(code, twin.original_code)


def twins_in_code(fun, twins):
    """Names of the ``twins`` the code of ``fun`` loads, read from its bytecode (nested
    functions included): a global or closure name bound to a twin, an attribute chain from one
    (``bp.optimizers.momentum_update``), or a twin method's name where the code also loads
    that method's class (``bp.Softmax().jacobian``)."""
    fun = _underlying(fun)
    code = getattr(fun, "__code__", None)
    if code is None:
        return []
    scope = dict(vars(__builtins__) if isinstance(__builtins__, types.ModuleType) else __builtins__)
    scope.update(getattr(fun, "__globals__", {}))
    closure = zip(code.co_freevars, getattr(fun, "__closure__", None) or ())
    cells = {name: cell.cell_contents for name, cell in closure if _filled(cell)}
    found, classes, attributes = [], set(), set()

    def visit(code, cells):
        current = None
        for ins in dis.get_instructions(code):
            if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME"):
                current = scope.get(ins.argval, _MISSING)
            elif ins.opname == "LOAD_DEREF":
                current = cells.get(ins.argval, _MISSING)
            elif ins.opname in ("LOAD_ATTR", "LOAD_METHOD"):
                attributes.add(ins.argval)
                if isinstance(current, (types.ModuleType, type)):
                    current = inspect.getattr_static(current, ins.argval, _MISSING)
                    current = getattr(current, "__func__", current)
                else:
                    current = _MISSING
            else:
                if ins.opname not in ("PRECALL", "CACHE", "PUSH_NULL", "COPY_FREE_VARS", "RESUME"):
                    current = _MISSING
                continue
            if isinstance(current, type):
                classes.add(current)
            for twin in twins:
                if current is not _MISSING and _is_twin(current, twin) and twin.name not in found:
                    found.append(twin.name)
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                visit(const, {})

    visit(code, cells)
    for twin in twins:
        owner, _, method = twin.name.rpartition(".")
        if owner and method in attributes and twin.name not in found:
            if any(cls.__qualname__ == owner and method in vars(cls) for cls in _mro_all(classes)):
                found.append(twin.name)
    return found


_MISSING = object()


def _filled(cell):
    try:
        _ = cell.cell_contents  # an empty cell raises ValueError
    except ValueError:
        return False
    return True


def _mro_all(classes):
    return {base for cls in classes for base in cls.__mro__}


# --------------------------------------------------------------------------- learner errors

_CHECKER_DIRS = [str(Path(__file__).resolve().parent.parent)]  # backprop_course


def checker_directory(path):
    """Also treat files under ``path`` as checker code (the grader registers itself here):
    their frames never show in a graded verdict."""
    path = str(Path(path).resolve())
    if path not in _CHECKER_DIRS:
        _CHECKER_DIRS.append(path)


def learner_line(tb):
    """``'line 3 of weight_gradient: `return a[5]`'`` for the deepest frame of the traceback
    ``tb`` that is neither checker code nor an installed library (numpy, backprop_lib): the
    learner's own line. ``''`` if the traceback has none."""
    library = [str(Path(p).resolve()) for p in {sys.prefix, sys.base_prefix}]
    library.append(str(Path(np.__file__).resolve().parent.parent))
    learner = None
    for frame in traceback.extract_tb(tb):
        path = str(Path(frame.filename).resolve()) if not frame.filename.startswith("<") else frame.filename
        if any(path.startswith(d) for d in _CHECKER_DIRS + library) or "backprop_lib" in Path(path).parts:
            continue
        learner = frame
    if learner is None:
        return ""
    code = f": `{learner.line.strip()}`" if learner.line else ""
    return f"line {learner.lineno} of {learner.name}{code}"


# --------------------------------------------------------------------------- the decorator


def exercise(name, twins=(), shortcut=DEFAULT_SHORTCUT, parts=None):
    """Decorator turning a raising check into notebook feedback (see the module docstring).

    ``twins``: dotted paths of the library's own implementations of the exercise; calling or
    loading one fails with "this calls backprop_lib's <twin>; <shortcut>". ``parts``: the
    names a graded cell may pass as ``part=`` to check one part only.
    """
    if isinstance(twins, str):
        raise TypeError(f"twins: expected a list of dotted paths, got the string {twins!r}")
    declared = [_twin(spec) for spec in twins]
    if parts is not None and (isinstance(parts, str) or not all(isinstance(p, str) for p in parts)):
        raise TypeError(f"parts: expected a tuple of names such as ('moments', 'step'), got {parts!r}")

    def wrap(check):
        @functools.wraps(check)
        def run(*args, strict=False, part=None, **kwargs):
            label = name
            if part is not None:
                if parts is None or part not in parts:
                    expected = f"one of {tuple(parts)}" if parts else "no part (this check has none)"
                    raise ValueError(f"{name}: part={part!r}, expected {expected}")
                label = f"{name} [{part}]"
            if parts is not None:
                kwargs["part"] = part
            raise_errors = strict or graded()
            try:
                _run_check(check, declared, shortcut, args, kwargs)
            except NotImplementedError:
                if raise_errors:
                    raise ExerciseFailed(f"{label}: not attempted yet") from None
                print(f"⏳ {label}: not attempted yet — replace `raise NotImplementedError()` with your code")
                return CheckResult(False)
            except ExerciseFailed as err:
                if raise_errors:
                    raise type(err)(f"{label}: {err}") from None
                print(f"❌ {label}: {err}")
                return CheckResult(False)
            except Exception as err:
                where = learner_line(err.__traceback__)
                if not graded() or not where:
                    raise  # practising: the learner's error in full; no learner frame: the checker's
                raise ExerciseFailed(
                    f"{label}: your code raised {type(err).__name__}: {err} ({where})"
                ) from None
            print(f"✅ {label}: correct")
            return CheckResult(True)

        run.check = check  # the raw, raising check, for tests
        run.exercise_name, run.shortcut = name, shortcut  # for the grader's hidden version
        run.twins = tuple(t.spec for t in declared)
        run.parts = tuple(parts) if parts is not None else None
        return run

    return wrap


def _run_check(check, twins, shortcut, args, kwargs):
    """Call ``check`` with the learner's callables marked, the twins stubbed; a twin the
    learner's code is, loads or calls turns into ``ShortcutUsed`` naming it."""
    if not twins:
        return check(*args, **kwargs)
    answers = [a for a in args if callable(a) and not isinstance(a, type)]
    for answer in answers:
        for twin in twins:
            if _is_twin(answer, twin):
                raise ShortcutUsed(f"this is {twin.package}'s {twin.name} itself; {shortcut}")
        used = twins_in_code(answer, twins)
        if used:
            package = next(t.package for t in twins if t.name == used[0])
            raise ShortcutUsed(f"this calls {package}'s {used[0]}; {shortcut}")
    marked = [as_learner(a) if callable(a) and not isinstance(a, type) else a for a in args]
    start = len(_hits)
    try:
        with _StubTwins(twins):
            check(*marked, **kwargs)
    except Exception:
        if len(_hits) == start:
            raise
    finally:
        called = list(dict.fromkeys(_hits[start:]))
        del _hits[start:]
    if called:
        raise ShortcutUsed(f"this calls {called[0].package}'s {called[0].name}; {shortcut}")


# --------------------------------------------------------------------------- hidden tests

GRADER_MISSING = "🔒 the hidden tests of this check run only when your instructor grades the notebook"


class GraderMissing(ExerciseFailed):
    """The grader is not importable while nbgrader grades: the autograde set-up is wrong."""


def hidden_tests(test, *answers, **kwargs):
    """Run the grader's hidden test ``test`` (``"package.module:function"``) on ``answers``.

    In the instructor's autograding the grader is on the path and the test raises on a wrong
    answer (scoring the cell 0). Where the grader is not installed (a learner's environment,
    the solution notebooks in the repository) this prints one line saying so and returns None;
    under nbgrader that raises ``GraderMissing`` instead, naming the set-up step.
    """
    if not isinstance(test, str) or test.count(":") != 1:
        raise ValueError(f"test: expected 'package.module:function', got {test!r}")
    module_name, function = test.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if not err.name or not module_name.startswith(err.name):
            raise  # the grader is there but imports something missing: show it
        if graded():
            raise GraderMissing(
                f"the grader module {module_name!r} is not importable while grading: run autograde "
                "from the course made by `make assignments` (its grading_settings.py puts the "
                "grader on the kernel's path; docs/instructors.md)"
            ) from None
        print(GRADER_MISSING)
        return None
    return getattr(module, function)(*answers, **kwargs)

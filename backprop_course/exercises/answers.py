"""Calling a learner's answer, and judging it, with feedback a learner can act on.

The checks of notebooks 01–06 call the learner's function through ``call_answer``:

* array arguments are copies, so an answer that changes its inputs cannot spoil the check;
* a forgotten ``return`` is named;
* a ``math`` function (``math.exp``, ``math.tanh``, ...) applied to a numpy array is named,
  with the line it happened on, instead of a traceback through the check's own files;
* a matrix product or an index that does not fit the shapes is named, with the line and the
  shapes of the inputs;
* ``NotImplementedError`` (an exercise not attempted yet) and every other error pass through
  unchanged, so ``feedback.exercise`` and Python's own traceback handle them.

``judge`` is ``feedback.diagnose`` plus one thing: when a wrong answer matches none of the
named mistakes, the message shows the inputs the check used, so the learner can reproduce it.
"""

import re
import traceback

import numpy as np

from .feedback import ExerciseFailed, diagnose

# numpy's words when a 1-element-only conversion gets a whole array (numpy 2.x, then 1.x).
_MATH_ON_ARRAY = re.compile(
    r"only (0-dimensional|length-1|size-1) arrays can be converted to Python scalars"
    r"|must be real number, not (numpy\.ndarray|list)"
)
_SHAPE_ERRORS = ("matmul", "could not be broadcast", "shapes", "not aligned")


def _learner_line(err):
    """The last line of the traceback that is not numpy's or this package's: the learner's."""
    for frame in reversed(traceback.extract_tb(err.__traceback__)):
        name = frame.filename.replace("\\", "/")
        if "/numpy/" not in name and "/backprop_course/" not in name and frame.line:
            return frame.line.strip()
    return None


def _where(err):
    line = _learner_line(err)
    return f" in the line `{line}`" if line else ""


def format_inputs(inputs):
    """``{"x": array, "i": 2}`` as ``x = [0.1234, -1.5], i = 2`` (4 significant digits)."""
    parts = []
    for name, value in inputs.items():
        if isinstance(value, np.ndarray):
            text = np.array2string(value, precision=4, separator=", ", suppress_small=True)
            text = " ".join(text.split())  # one line
        elif isinstance(value, float):
            text = f"{value:.6g}"
        else:
            text = repr(value) if isinstance(value, str) else str(value)
        parts.append(f"{name} = {text}")
    return ", ".join(parts)


def call_answer(fun, *args, shapes=None, copies=True):
    """``fun(*args)``, with the mistakes of calling it named (see the module docstring).

    ``shapes`` is a sentence about the inputs' shapes, added when a product or an index does
    not fit (for example ``"a_prev is (5, 3), dz is (5, 4)"``). ``copies=False`` passes the
    arrays themselves, for a check that looks at whether the answer changed them.
    """
    if copies:
        args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    try:
        out = fun(*args)
    except TypeError as err:
        if _MATH_ON_ARRAY.search(str(err)):
            raise ExerciseFailed(
                f"a function from `math` got a whole numpy array{_where(err)}. math.exp, math.tanh, "
                "math.log, ... take one number at a time; numpy's np.exp, np.tanh, np.log, ... work "
                "on every entry of an array at once."
            ) from None
        raise
    except (ValueError, IndexError) as err:
        message = str(err)
        if isinstance(err, IndexError) or any(word in message for word in _SHAPE_ERRORS):
            if message.startswith("matmul") and "(size" in message:  # numpy's gufunc jargon, trimmed
                message = "matmul " + message[message.index("(size") :]
            note = f" Here {shapes}." if shapes else ""
            raise ExerciseFailed(
                f"your function raised {type(err).__name__}{_where(err)}: {message}. The shapes do "
                f"not fit: usually a missing transpose, an index in the wrong place, or `@` where "
                f"an elementwise `*` belongs.{note}"
            ) from None
        raise
    if out is None:
        raise ExerciseFailed("returned None: did you forget the `return`?")
    return out


def results(out, names):
    """``out`` as a list of ``len(names)`` float arrays, or a named mistake."""
    if not isinstance(out, (tuple, list)) or len(out) != len(names):
        got = type(out).__name__ + (f" of length {len(out)}" if isinstance(out, (tuple, list)) else "")
        raise ExerciseFailed(f"should return {len(names)} arrays ({', '.join(names)}), got {got}")
    arrays = []
    for value, name in zip(out, names):
        if value is None:
            raise ExerciseFailed(f"{name} is None: compute it and return it")
        try:
            arrays.append(np.asarray(value, dtype=float))
        except (TypeError, ValueError):
            raise ExerciseFailed(
                f"{name} should be an array of numbers, got {type(value).__name__}"
            ) from None
    return arrays


def judge(got, expected, mistakes, what, inputs, rtol=1e-6, atol=1e-9):
    """``feedback.diagnose``; a wrong answer that no mistake names also shows ``inputs``."""
    try:
        diagnose(got, expected, mistakes, what=what, rtol=rtol, atol=atol)
    except ExerciseFailed as err:
        value = np.asarray(got, dtype=float) if _numeric(got) else None
        named = value is None or value.shape != np.shape(expected) or not np.isfinite(value).all()
        named = named or any(
            np.shape(wrong) == value.shape and np.allclose(value, wrong, rtol=rtol, atol=atol)
            for wrong in mistakes.values()
        )
        if named:
            raise
        raise ExerciseFailed(f"{err} (the check's input: {format_inputs(inputs)})") from None


def _numeric(value):
    try:
        np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return True

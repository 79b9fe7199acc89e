"""Calling a learner's answer, and judging what it returns: the one place for both.

Every check of every notebook calls the learner's function through ``call_answer`` and
compares what it returns with ``diagnose`` (several named arrays: ``results`` first):

* ``call_answer`` passes copies of the array arguments, so an answer that changes its inputs
  cannot spoil the check (``copies=False`` when the check looks at exactly that); silences
  numpy's floating-point warnings while the answer runs (a wrong answer's overflow is named
  from its NaN or inf instead, and nbgrader scores 0 for any cell that writes a warning to
  stderr, right answer or not); runs it as learner code, so that the library's twins of the
  exercise are stopped inside it (``feedback.exercise``); and names, with the learner's own line
  (``feedback.learner_line``):

  - a forgotten ``return`` (``missing_return``, the same words ``diagnose`` uses for None);
  - a ``math`` function (``math.exp``, ``math.tanh``, ...) applied to a numpy array;
  - a matrix product or an index that does not fit the shapes, with the inputs' shapes.

  ``NotImplementedError`` (not attempted yet) and every other error pass through unchanged:
  ``feedback.exercise`` reports them (when graded, with the learner's line and without the
  checker's frames).
* ``results`` turns a returned tuple into named float arrays, or names what is wrong with it.
* ``diagnose`` compares with the expected value: the shape first (a transpose named), NaN or
  inf, then the named mistakes, then a transposed square matrix; a mistake it cannot name
  shows where the answer is off and, given ``inputs``, the inputs the check used, so that the
  learner can reproduce it.
"""

import re
import warnings

import numpy as np

from .feedback import ExerciseFailed, as_learner, learner_line

# numpy's words when a 1-element-only conversion gets a whole array (numpy 2.x, then 1.x).
_MATH_ON_ARRAY = re.compile(
    r"only (0-dimensional|length-1|size-1) arrays can be converted to Python scalars"
    r"|must be real number, not (numpy\.ndarray|list)"
)
_SHAPE_ERRORS = ("matmul", "could not be broadcast", "shapes", "not aligned")


def missing_return(what):
    """The one verdict for an answer that gives back None: a forgotten ``return``."""
    return ExerciseFailed(f"{what} is None: did you forget the `return`?")


def _where(err):
    line = learner_line(err.__traceback__)
    return f" ({line})" if line else ""


def call_answer(fun, *args, shapes=None, copies=True, returns=True):
    """``fun(*args)``, with the mistakes of calling it named (see the module docstring).

    ``shapes`` is a sentence about the inputs' shapes, added when a product or an index does
    not fit (for example ``"a_prev is (5, 3), dz is (5, 4)"``). ``copies=False`` passes the
    arrays themselves, for a check that looks at whether the answer changed them.
    ``returns=False`` is for an answer that works by changing its input (and returns None).
    """
    if copies:
        args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            out = as_learner(fun)(*args)  # the twins' stubs stop any call it makes to them
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
    if returns and out is None:
        raise missing_return("the result of your function")
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


def diagnose(got, expected, mistakes, what="your answer", inputs=None, rtol=1e-6, atol=1e-9):
    """Raise ``ExerciseFailed`` unless ``got`` equals ``expected``, naming the likely mistake.

    ``mistakes`` maps a description ("is 2× too large: the derivative of σ is σ(1−σ), not
    2σ(1−σ)") to the value that mistake would produce; the first one that matches ``got``
    is reported. Shapes are checked first, with the transpose named when it fits, and a square
    answer that is the transpose of the right one is named too. ``inputs`` (a dict): shown when
    the answer is wrong in a way no mistake names.
    """
    if got is None:
        raise missing_return(what)
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
        if wrong is None:
            continue
        wrong = np.asarray(wrong, dtype=float)
        if wrong.shape == got.shape and np.allclose(got, wrong, rtol=rtol, atol=atol):
            raise ExerciseFailed(f"{what} {description}")
    if (
        got.ndim == 2
        and got.shape[0] == got.shape[1] > 1
        and np.allclose(got, expected.T, rtol=rtol, atol=atol)
    ):
        raise ExerciseFailed(
            f"{what} is the transpose of the right matrix: the shapes agree only because it is "
            "square, so check the order of the factors and where a transpose belongs"
        )
    worst = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape) if got.ndim else ()
    at = f" at index {tuple(int(i) for i in worst)}" if got.ndim else ""
    given = f" (the check's input: {format_inputs(inputs)})" if inputs else ""
    raise ExerciseFailed(f"{what} is off{at}: got {got[worst]:.6g}, expected {expected[worst]:.6g}{given}")

"""The grader: hidden tests for the series' exercises, run only by the instructor's autograding.

Where it lives and why. This package sits in the tooling (``coursework/``), which is never
installed in a student's environment and never part of the hand-out (``make handout``), so
neither its tests nor its reference answers reach students. The generated
``grading_settings.py`` of the nbgrader course puts this repository on the ``PYTHONPATH`` of
the kernels nbgrader starts, so a hidden-test cell can import it while autograding.

The convention (one module per notebook, ``coursework/grader/nbNN_topic.py``, named like the
notebook's exercise module). Each graded check cell of notebook NN ends with::

    ### BEGIN HIDDEN TESTS
    hidden_tests("coursework.grader.nbNN_topic:check_x", x)              # or part="..."
    ### END HIDDEN TESTS

(``hidden_tests`` comes from ``backprop_course.exercises.feedback``, imported in the
notebook's locked set-up cell),
and the module defines ``check_x`` with ``@exercise(..., twins=..., parts=...)`` like the
practice check, but on inputs of its own: other shapes and edge cases (one sample, one unit,
saturated units), drawn from ``rng(name)``, which a term secret can seed
(``BACKPROP_GRADER_SECRET`` in the instructor's ``nbgrader_config.py``) so that nobody can
predict them from this public source. Its reference answers are computed here, never in the
course package.

What a student sees: the release version has no hidden-test region (nbgrader removes it), so
nothing. Had they a solution notebook, the call prints "🔒 … hidden tests run only when your
instructor grades this notebook" (the grader is not importable there); under nbgrader a
missing grader fails the cell loudly (``GraderMissing``) instead of handing out points.
"""

import hashlib
import os
from pathlib import Path

import numpy as np

from backprop_course.exercises.feedback import checker_directory

SECRET_VARIABLE = "BACKPROP_GRADER_SECRET"

checker_directory(Path(__file__).resolve().parent)  # grader frames never show in a verdict


def rng(name):
    """A generator for the hidden inputs of test ``name``, seeded by the term secret (if set)."""
    secret = os.environ.get(SECRET_VARIABLE, "")
    digest = hashlib.sha256(f"{secret}:{name}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))

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
and the module defines ``check_x`` decorated with ``@hidden(practice.check_x)``: the practice
check's name with "(hidden)", its twins, its advice and its parts, so a shortcut fails the same
way here. It runs on inputs of its own: other shapes and edge cases (one sample, one unit, a
square layer, saturated units, a first step and a late one, one layer and many), drawn from
``rng(name)``, seeded by the term's secret (``BACKPROP_GRADER_SECRET``, drawn into the
instructor's ``nbgrader_config.py`` by ``make assignments``) so that nobody can predict them from
this public source and hard-code the answers. Its reference
answers are computed here (with the library where it has the algorithm, never a second copy of
one), never in the course package. The practice check in the same cell names the typical
mistakes on its own inputs; a hidden test names what only its inputs show (one sample, a tie,
an overflow) and otherwise says where the answer is off.

What a student sees: the release version has no hidden-test region (nbgrader removes it), so
nothing. In a solution notebook the call prints "🔒 the hidden tests of this check run only when
your instructor grades the notebook" (the grader is not importable there); under nbgrader a
missing grader fails the cell loudly (``GraderMissing``) instead of handing out points.
"""

import hashlib
import os
from pathlib import Path

import numpy as np

from backprop_course.exercises.feedback import checker_directory, exercise

SECRET_VARIABLE = "BACKPROP_GRADER_SECRET"

checker_directory(Path(__file__).resolve().parent)  # grader frames never show in a verdict


def rng(name):
    """A generator for the hidden inputs of test ``name``, seeded by the term secret (if set)."""
    secret = os.environ.get(SECRET_VARIABLE, "")
    digest = hashlib.sha256(f"{secret}:{name}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def hidden(practice):
    """The decorator of the hidden version of the practice check ``practice``: the same name with
    " (hidden)", the same twins, advice and parts."""
    return exercise(
        f"{practice.exercise_name} (hidden)",
        twins=list(practice.twins),
        shortcut=practice.shortcut,
        parts=practice.parts,
    )

"""Exercise checks for the notebooks: immediate feedback that names the mistake.

Each notebook has its own module here (``nb01_total_derivatives`` and so on) whose check
functions are built with ``feedback.exercise`` and call the learner's answer through
``answers`` (``call_answer``, ``results``, ``diagnose``). The graded versions of the checks
(hidden tests) live in the grader, ``coursework/grader/``, which students never receive.
"""

from .answers import call_answer, diagnose, results
from .feedback import CheckResult, ExerciseFailed, exercise, graded, hidden_tests

__all__ = [
    "CheckResult",
    "ExerciseFailed",
    "call_answer",
    "diagnose",
    "exercise",
    "graded",
    "hidden_tests",
    "results",
]

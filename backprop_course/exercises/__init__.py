"""Exercise checks for the notebooks: immediate feedback that names the mistake.

Each notebook has its own module here (``nb01_total_derivatives`` and so on) whose check
functions are built with ``feedback.exercise``.
"""

from .feedback import CheckResult, ExerciseFailed, diagnose, exercise, graded

__all__ = ["CheckResult", "ExerciseFailed", "diagnose", "exercise", "graded"]

"""Coursework tooling: nbgrader assignments and student versions, generated from notebooks/.

Instructor-only (needs ``requirements-instructor.txt``); learners never import it. See
``docs/instructors.md`` and ``python -m coursework.build --help``.
"""

"""The committed student versions (student/) and the points table match a fresh build.

The solution notebooks in notebooks/ are the single source: after editing one, run
`make student` and commit student/ and docs/instructors.md. Builds them with nbgrader:
marked ``coursework`` and ``slow``.
"""

import pytest

from coursework import build
from coursework.testing import require_nbgrader

pytestmark = [pytest.mark.coursework, pytest.mark.slow]


def test_student_versions_and_points_table_are_up_to_date():
    require_nbgrader()
    problems = build.stale_student(build.notebook_paths())
    assert not problems, (
        "\n".join(problems) + "\nrun `make student` and commit student/ and docs/instructors.md"
    )

"""The committed student versions (student/) and the points table match a fresh build.

The solution notebooks in notebooks/ are the single source: after editing one, run
`make student` and commit student/ and docs/instructors.md.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the coursework/ tooling lives at the repository root

from coursework import build  # noqa: E402
from coursework.testing import require_nbgrader  # noqa: E402


def test_student_versions_and_points_table_are_up_to_date():
    require_nbgrader()
    problems = build.stale_student(build.notebook_paths())
    assert not problems, "\n".join(problems) + "\nrun `make student` and commit student/ and docs/instructors.md"

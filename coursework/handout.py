"""The hand-out: what a student receives for graded work, and nothing else.

    python -m coursework.handout                        # dist/handout/ (make handout)
    python -m coursework.handout --repo https://git.example.edu/course/backprop-handout --branch v0.2.0

It holds the student versions of the notebooks (``student/``, as ``notebooks/``, so the layout
and every link work as in the series), the library and the course package (``backprop_lib/``,
``backprop_course/``), and the environment files (``pyproject.toml``, ``requirements.txt``,
``constraints.txt``, ``binder/``), with a short README of its own. It holds no solution notebook,
no grader and no coursework tooling, tests, benchmarks or instructor guide.

Every Binder link in the hand-out's notebooks opens the hand-out itself when ``--repo`` (and
``--branch``) say where you will publish it (any git host); without them they open the student
versions in this repository's ``student/`` folder, never the solutions. Push the folder to a
repository of your own, tag it for the term, and use that repository in the nbgitpuller link
(docs/instructors.md).
"""

import argparse
import shutil
import sys
from pathlib import Path

from . import links
from .build import ROOT, STUDENT

PACKAGES = ("backprop_lib", "backprop_course")
FILES = ("pyproject.toml", "requirements.txt", "constraints.txt")
FOLDERS = ("binder",)
OUT = ROOT / "dist" / "handout"

README = """\
# Back-propagation, step by step: your notebooks

Open `notebooks/00_start_here.ipynb` first: it maps the series. Each notebook from 01 on has
exercises: complete the function in the cell marked for it, run the cell after it, and read the
feedback (✅ correct, ❌ the mistake it found, ⏳ not attempted yet). Your instructor grades the
exercises with other inputs than the ones you see, and reads your written answers.

On your own machine, with Python 3.11:

```bash
python -m venv .venv && . .venv/bin/activate
pip install -c constraints.txt -r requirements.txt
jupyter lab notebooks/00_start_here.ipynb
```

{origin}
"""


def build(out=OUT, repo=None, branch=None, student=STUDENT, root=ROOT):
    """Write the hand-out into ``out`` (replacing it); returns the paths written, relative."""
    out, student, root = Path(out), Path(student), Path(root)
    notebooks = sorted(student.glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"no student versions in {student}: run `make student` first")
    if repo is None:
        repo, branch, folder = links.REPO, branch or links.BRANCH, "student"
    else:
        branch, folder = branch or links.BRANCH, links.NOTEBOOK_DIR
    links.binder_url(repo=repo, branch=branch, folder=folder)  # refuses a malformed repo or branch
    if out.exists():
        shutil.rmtree(out)
    (out / links.NOTEBOOK_DIR).mkdir(parents=True)
    for path in notebooks:
        text = path.read_text(encoding="utf-8")
        (out / links.NOTEBOOK_DIR / path.name).write_text(
            links.retarget(text, repo, branch, folder), encoding="utf-8"
        )
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in PACKAGES + FOLDERS:
        shutil.copytree(root / name, out / name, ignore=ignore)
    for name in FILES:
        shutil.copy2(root / name, out / name)
    origin = (
        f"This hand-out is published at {links.repo_url(repo)} ({branch})."
        if folder == links.NOTEBOOK_DIR
        else "Your instructor publishes this hand-out; the Binder links open its notebooks online."
    )
    (out / "README.md").write_text(README.format(origin=origin), encoding="utf-8")
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where to write it (default dist/handout)")
    parser.add_argument(
        "--repo", help="where you will publish it: owner/name on GitHub or any https git address"
    )
    parser.add_argument("--branch", help="its branch or tag (default main)")
    args = parser.parse_args(argv)
    try:
        files = build(args.out, args.repo, args.branch)
    except (FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    notebooks = [f for f in files if f.startswith(links.NOTEBOOK_DIR + "/")]
    print(f"wrote {args.out}: {len(notebooks)} student notebooks, {', '.join(PACKAGES)}, environment files")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One-click links into the series: Binder badges and nbgitpuller links for a JupyterHub.

The repository's public GitHub path is set ONCE, here, in ``REPO`` (and its branch in
``BRANCH``). Every Binder badge and nbgitpuller link in README.md, docs/ and the notebooks is
generated from these two names; after changing them run ``make links`` (which runs
``python -m coursework.links sync``) to rewrite the links already written into those files,
and ``tests/test_links.py`` checks that every link agrees with them.

    >>> binder_url("00_start_here.ipynb")
    'https://mybinder.org/v2/gh/backprop-notebooks/backprop-notebooks/main?urlpath=lab/tree/notebooks/00_start_here.ipynb'
"""

import re
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

# The GitHub "owner/name" of the series: the one place to set it. A placeholder until the
# public repository exists: set it here, then run `make links`.
REPO = "backprop-notebooks/backprop-notebooks"
BRANCH = "main"

BINDER = "https://mybinder.org"
BADGE_IMAGE = "https://mybinder.org/badge_logo.svg"
NOTEBOOK_DIR = "notebooks"
START_HERE = "00_start_here.ipynb"

ROOT = Path(__file__).resolve().parent.parent
_NAME = re.compile(r"^(\d\d)_[A-Za-z0-9_]+\.ipynb$")
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_BRANCH = re.compile(r"^[A-Za-z0-9_./-]+$")
# A Binder link to any GitHub repository, as written into README/notebooks/docs.
BINDER_LINK = re.compile(r"https://mybinder\.org/v2/gh/[^\s)\"'<>\\]+")


def notebooks(root=None):
    """File names of the series' notebooks, sorted: ``['00_start_here.ipynb', ...]``."""
    folder = Path(root or ROOT) / NOTEBOOK_DIR
    return sorted(p.name for p in folder.glob("[0-9][0-9]_*.ipynb") if _NAME.match(p.name))


def notebook_name(notebook, root=None):
    """The file name ``'NN_topic.ipynb'`` for ``notebook``.

    ``notebook`` may be a number (``1``), its two digits (``'01'``), a stem
    (``'01_total_derivatives'``), a file name or a path ending in one. A number or two digits
    is looked up among the existing notebooks; a full name is only checked for its form.
    """
    if isinstance(notebook, bool) or not isinstance(notebook, (int, str, Path)):
        raise TypeError(
            f"notebook: expected a number, 'NN' or 'NN_topic.ipynb', got {type(notebook).__name__}"
        )
    if isinstance(notebook, int) or (isinstance(notebook, str) and re.fullmatch(r"\d{1,2}", notebook)):
        number = f"{int(notebook):02d}"
        found = [n for n in notebooks(root) if n.startswith(number + "_")]
        if len(found) != 1:
            raise ValueError(
                f"notebook: expected exactly one notebook numbered {number} in "
                f"{Path(root or ROOT) / NOTEBOOK_DIR}, found {found or 'none'}"
            )
        return found[0]
    name = Path(notebook).name
    if not name.endswith(".ipynb"):
        name += ".ipynb"
    if not _NAME.match(name):
        raise ValueError(f"notebook: expected a name like '01_total_derivatives.ipynb', got {notebook!r}")
    return name


def _check_repo_branch(repo, branch):
    if not isinstance(repo, str) or not _REPO.match(repo):
        raise ValueError(f"repo: expected a GitHub path 'owner/name', got {repo!r}")
    if not isinstance(branch, str) or not _BRANCH.match(branch) or ".." in branch:
        raise ValueError(f"branch: expected a git branch or tag name, got {branch!r}")


def binder_url(notebook=START_HERE, repo=None, branch=None):
    """mybinder.org link that builds ``repo`` at ``branch`` and opens ``notebook`` in JupyterLab.

    Form: ``https://mybinder.org/v2/gh/<repo>/<branch>?urlpath=lab/tree/notebooks/<NN_x>.ipynb``.
    """
    repo, branch = repo or REPO, branch or BRANCH
    _check_repo_branch(repo, branch)
    name = notebook_name(notebook)
    return f"{BINDER}/v2/gh/{repo}/{branch}?urlpath=lab/tree/{NOTEBOOK_DIR}/{name}"


def binder_badge_markdown(notebook=START_HERE, repo=None, branch=None):
    """Markdown for the standard "launch binder" badge linking to ``binder_url(notebook)``."""
    return f"[![Open in Binder]({BADGE_IMAGE})]({binder_url(notebook, repo, branch)})"


def nbgitpuller_url(hub, notebook=START_HERE, repo=None, branch=None, app="lab"):
    """nbgitpuller link: a JupyterHub user clicks it, gets (or updates) a clone of the series in
    their home directory and lands on ``notebook`` in JupyterLab (``app='lab'``) or the
    Notebook interface (``app='tree'``).

    ``hub`` is the hub's base URL, e.g. ``'https://hub.example.edu'`` (or with a path prefix,
    ``'https://example.edu/jupyter'``). nbgitpuller clones into a folder named after the
    repository, so the opened path is ``<name>/notebooks/<notebook>``. The hub's user image
    must have nbgitpuller and the series' dependencies installed (docs/instructors.md).
    """
    repo, branch = repo or REPO, branch or BRANCH
    _check_repo_branch(repo, branch)
    if app not in ("lab", "tree"):
        raise ValueError(f"app: expected 'lab' (JupyterLab) or 'tree' (Notebook), got {app!r}")
    if not isinstance(hub, str):
        raise TypeError(f"hub: expected the hub's URL as a string, got {type(hub).__name__}")
    parts = urlsplit(hub)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"hub: expected a URL such as 'https://hub.example.edu', got {hub!r}")
    folder = repo.split("/")[1]
    prefix = "lab/tree" if app == "lab" else "tree"
    urlpath = f"{prefix}/{folder}/{NOTEBOOK_DIR}/{notebook_name(notebook)}"
    query = urlencode({"repo": f"https://github.com/{repo}", "urlpath": urlpath, "branch": branch})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def badge_lines(repo=None, branch=None, root=None):
    """One markdown line per notebook, ``NN_topic.ipynb <badge>``, for the map in notebook 00."""
    return [f"`{name}` {binder_badge_markdown(name, repo, branch)}" for name in notebooks(root)]


EXAMPLE_HUB = "https://hub.example.edu"
GUIDE_BEGIN = "<!-- links:begin (generated from coursework/links.py by `make links`; edit there) -->"
GUIDE_END = "<!-- links:end -->"
_GUIDE_BLOCK = re.compile(re.escape(GUIDE_BEGIN) + r".*?" + re.escape(GUIDE_END), re.S)


def hub_guide_markdown(hub=EXAMPLE_HUB, repo=None, branch=None):
    """The repository-specific part of docs/instructors.md's JupyterHub section (markdown):
    the nbgitpuller link for ``hub``, its parameters, and the image build steps."""
    repo, branch = repo or REPO, branch or BRANCH
    url = nbgitpuller_url(hub, repo=repo, branch=branch)
    folder = repo.split("/")[1]
    return f"""{GUIDE_BEGIN}
The link for a hub at `{hub}` (replace it with yours):

```text
{url}
```

Its parameters (URL-encoded in the link; the helper below does that for you):

| parameter | value here | meaning |
|---|---|---|
| hub URL | `{hub}` | your hub's base address, with its path prefix if it has one (`https://example.edu/jupyter`); the link goes to `<hub>/hub/user-redirect/git-pull` |
| `repo` | `https://github.com/{repo}` | the repository to clone (a fork of yours works too) |
| `branch` | `{branch}` | the branch (or a tag, to freeze the version a class sees) |
| `urlpath` | `lab/tree/{folder}/{NOTEBOOK_DIR}/{START_HERE}` | where the student lands after the pull: `lab/tree/` opens JupyterLab (`tree/` the Notebook interface), then the path in the home directory, which starts with the clone's folder, named after the repository |

Generate a link for your hub, branch or notebook instead of editing one by hand:

```bash
python -m coursework.links hub {hub}
python -c "from coursework.links import nbgitpuller_url; print(nbgitpuller_url('{hub}', notebook='03'))"
```

Build steps for the students' image (the series' pinned dependencies, `backprop_lib` and
`backprop_course`, which the notebooks import, and nbgitpuller):

```bash
git clone https://github.com/{repo} /opt/{folder}
cd /opt/{folder} && pip install -c constraints.txt -r binder/requirements.txt nbgitpuller
```
{GUIDE_END}"""


def sync(paths, repo=None, branch=None):
    """Rewrite every Binder link in the files ``paths`` to point at ``repo``/``branch``, and
    regenerate the block between ``GUIDE_BEGIN`` and ``GUIDE_END`` (``hub_guide_markdown()``).

    Only the ``<owner>/<name>/<branch>`` part of each Binder link changes, so a notebook's .py
    source and its .ipynb stay identical to each other. Returns the paths that changed.
    """
    repo, branch = repo or REPO, branch or BRANCH
    _check_repo_branch(repo, branch)
    prefix = re.compile(r"https://mybinder\.org/v2/gh/[^/\s]+/[^/\s]+/[^?\s)\"'<>\\]+\?")
    guide = hub_guide_markdown(repo=repo, branch=branch)
    changed = []
    for path in map(Path, paths):
        text = path.read_text(encoding="utf-8")
        new = prefix.sub(f"{BINDER}/v2/gh/{repo}/{branch}?", text)
        new = _GUIDE_BLOCK.sub(lambda m: guide, new)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def files_with_links(root=None):
    """The files whose Binder links must agree with ``REPO``/``BRANCH``: README, docs, notebooks."""
    root = Path(root or ROOT)
    candidates = [root / "README.md", *sorted((root / "docs").glob("*.md"))]
    candidates += sorted((root / NOTEBOOK_DIR).glob("[0-9][0-9]_*.py"))
    candidates += sorted((root / NOTEBOOK_DIR).glob("[0-9][0-9]_*.ipynb"))
    return [p for p in candidates if p.is_file()]


def main(argv=None):
    """``python -m coursework.links [badges|sync|hub URL]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    command = args.pop(0) if args else "badges"
    if command == "badges":
        print(binder_badge_markdown(START_HERE))
        print()
        print("\n".join(badge_lines()))
    elif command == "sync":
        for path in sync(files_with_links()):
            print(f"updated {path.relative_to(ROOT)}")
    elif command == "hub" and len(args) == 1:
        print(nbgitpuller_url(args[0]))
    else:
        print(main.__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

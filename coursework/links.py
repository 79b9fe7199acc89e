"""One-click links into the series: Binder badges and nbgitpuller links for a JupyterHub.

The repository's public GitHub path is set ONCE, here, in ``REPO`` (and its branch in
``BRANCH``). Every Binder badge and nbgitpuller link in README.md, docs/ and the notebooks is
generated from these two names; after changing them run ``make links`` (which runs
``python -m coursework.links sync``) to rewrite the links already written into those files,
and ``tests/test_links.py`` checks that every link agrees with them.

Any other repository works too, on any host: ``repo`` is a GitHub ``owner/name`` or the
https address of any git repository (``https://gitlab.com/me/course``,
``https://git.example.edu/course/handout.git``), and ``folder`` names the folder of the
notebooks in it: ``notebooks`` (this repository's solutions, or a hand-out made by ``make
handout``, whose ``notebooks/`` holds the student versions) or ``student``.

    >>> binder_url("00_start_here.ipynb")
    'https://mybinder.org/v2/gh/backprop-notebooks/backprop-notebooks/main?urlpath=lab/tree/notebooks/00_start_here.ipynb'
"""

import re
import sys
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

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
_FOLDER = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")
# A Binder link to any GitHub repository, as written into README/notebooks/docs.
BINDER_LINK = re.compile(r"https://mybinder\.org/v2/gh/[^\s)\"'<>\\]+")
# A Binder link to a repository on any host (gh, gl or git), with the notebook it opens.
ANY_BINDER_LINK = re.compile(
    r"https://mybinder\.org/v2/(?:gh|gl|git)/[^\s?)\"'<>\\]+\?urlpath=lab/tree/[^\s)\"'<>\\]*?(\d\d_[A-Za-z0-9_]+\.ipynb)"
)


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


def _check_repo_branch(repo, branch, folder=NOTEBOOK_DIR):
    if not isinstance(repo, str) or not (_REPO.match(repo) or _is_url(repo)):
        raise ValueError(
            "repo: expected a GitHub path 'owner/name' or a repository's https address "
            f"('https://gitlab.com/me/course'), got {repo!r}"
        )
    if not isinstance(branch, str) or not _BRANCH.match(branch) or ".." in branch:
        raise ValueError(f"branch: expected a git branch or tag name, got {branch!r}")
    if not isinstance(folder, str) or not _FOLDER.match(folder) or ".." in folder.split("/"):
        raise ValueError(
            f"folder: expected the notebooks' folder in the repository ('notebooks'), got {folder!r}"
        )


def _is_url(repo):
    parts = urlsplit(repo)
    return (
        parts.scheme == "https"
        and bool(parts.netloc)
        and len(parts.path.strip("/").split("/")) >= 2
        and not (parts.query or parts.fragment)
    )


def repo_url(repo=None):
    """The https address of ``repo``: ``owner/name`` is on GitHub, an address stays as it is."""
    repo = repo or REPO
    _check_repo_branch(repo, BRANCH)
    return repo if _is_url(repo) else f"https://github.com/{repo}"


def clone_folder(repo=None):
    """The folder a clone of ``repo`` gets (its last path part, without ``.git``)."""
    return repo_url(repo).rstrip("/").rsplit("/", 1)[1].removesuffix(".git")


def binder_url(notebook=START_HERE, repo=None, branch=None, folder=NOTEBOOK_DIR):
    """mybinder.org link that builds ``repo`` at ``branch`` and opens ``notebook`` in JupyterLab.

    Form (GitHub): ``https://mybinder.org/v2/gh/<repo>/<branch>?urlpath=lab/tree/notebooks/<NN_x>.ipynb``;
    gitlab.com repositories use ``/v2/gl/``, any other host ``/v2/git/<its address>``.
    """
    repo, branch = repo or REPO, branch or BRANCH
    _check_repo_branch(repo, branch, folder)
    name = notebook_name(notebook)
    if not _is_url(repo):
        provider = f"gh/{repo}/{branch}"
    elif urlsplit(repo).netloc == "gitlab.com":
        provider = f"gl/{quote(urlsplit(repo).path.strip('/').removesuffix('.git'), safe='')}/{branch}"
    else:
        provider = f"git/{quote(repo, safe='')}/{quote(branch, safe='')}"
    return f"{BINDER}/v2/{provider}?urlpath=lab/tree/{folder}/{name}"


def binder_badge_markdown(notebook=START_HERE, repo=None, branch=None, folder=NOTEBOOK_DIR):
    """Markdown for the standard "launch binder" badge linking to ``binder_url(notebook)``."""
    return f"[![Open in Binder]({BADGE_IMAGE})]({binder_url(notebook, repo, branch, folder)})"


def retarget(text, repo, branch, folder=NOTEBOOK_DIR):
    """``text`` with every Binder link (any host) pointing at ``repo``/``branch``/``folder``,
    each still opening its own notebook."""
    return ANY_BINDER_LINK.sub(lambda m: binder_url(m.group(1), repo, branch, folder), text)


def nbgitpuller_url(hub, notebook=START_HERE, repo=None, branch=None, app="lab", folder=NOTEBOOK_DIR):
    """nbgitpuller link: a JupyterHub user clicks it, gets (or updates) a clone of the series in
    their home directory and lands on ``notebook`` in JupyterLab (``app='lab'``) or the
    Notebook interface (``app='tree'``).

    ``hub`` is the hub's base URL, e.g. ``'https://hub.example.edu'`` (or with a path prefix,
    ``'https://example.edu/jupyter'``). ``repo`` is a GitHub ``owner/name`` or any git
    repository's https address. nbgitpuller clones into a folder named after the repository,
    so the opened path is ``<name>/<folder>/<notebook>``. The hub's user image must have
    nbgitpuller and the series' dependencies installed (docs/instructors.md).
    """
    repo, branch = repo or REPO, branch or BRANCH
    _check_repo_branch(repo, branch, folder)
    if app not in ("lab", "tree"):
        raise ValueError(f"app: expected 'lab' (JupyterLab) or 'tree' (Notebook), got {app!r}")
    if not isinstance(hub, str):
        raise TypeError(f"hub: expected the hub's URL as a string, got {type(hub).__name__}")
    parts = urlsplit(hub)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"hub: expected a URL such as 'https://hub.example.edu', got {hub!r}")
    prefix = "lab/tree" if app == "lab" else "tree"
    urlpath = f"{prefix}/{clone_folder(repo)}/{folder}/{notebook_name(notebook)}"
    query = urlencode({"repo": repo_url(repo), "urlpath": urlpath, "branch": branch})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def badge_lines(repo=None, branch=None, root=None):
    """One markdown line per notebook, ``NN_topic.ipynb <badge>``, for the map in notebook 00."""
    return [f"`{name}` {binder_badge_markdown(name, repo, branch)}" for name in notebooks(root)]


EXAMPLE_HUB = "https://hub.example.edu"
EXAMPLE_HANDOUT = "https://git.example.edu/course/backprop-handout"  # any host
EXAMPLE_TAG = "v0.2.0"
GUIDE_BEGIN = "<!-- links:begin (generated from coursework/links.py by `make links`; edit there) -->"
GUIDE_END = "<!-- links:end -->"
_GUIDE_BLOCK = re.compile(re.escape(GUIDE_BEGIN) + r".*?" + re.escape(GUIDE_END), re.S)


def hub_guide_markdown(hub=EXAMPLE_HUB, repo=EXAMPLE_HANDOUT, branch=EXAMPLE_TAG):
    """The repository-specific part of docs/instructors.md's JupyterHub section (markdown):
    the nbgitpuller link into a hand-out repository, its parameters, and the image build."""
    url = nbgitpuller_url(hub, repo=repo, branch=branch)
    folder = clone_folder(repo)
    return f"""{GUIDE_BEGIN}
For a hand-out (`make handout`, pushed to `{repo}`, tagged `{branch}`) and a hub at
`{hub}` (replace both with yours):

```text
{url}
```

Its parameters (URL-encoded in the link; the helper below does that for you):

| parameter | value here | meaning |
|---|---|---|
| hub URL | `{hub}` | your hub's base address, with its path prefix if it has one (`https://example.edu/jupyter`); the link goes to `<hub>/hub/user-redirect/git-pull` |
| `repo` | `{repo_url(repo)}` | the repository to clone: your hand-out, on any git host (never this repository, which holds the solutions) |
| `branch` | `{branch}` | a branch, or the term's tag, so every student gets the same version |
| `urlpath` | `lab/tree/{folder}/{NOTEBOOK_DIR}/{START_HERE}` | where the student lands after the pull: `lab/tree/` opens JupyterLab (`tree/` the Notebook interface), then the path in the home directory, which starts with the clone's folder, named after the repository |

Generate a link for your hub, repository, tag or notebook instead of editing one by hand:

```bash
python -m coursework.links hub {hub} --repo {repo} --branch {branch}
python -m coursework.links hub {hub} --repo {repo} --branch {branch} --notebook 03
```

Build steps for the students' image, from the same tag of the hand-out (the series' pinned
dependencies, `backprop_lib` and `backprop_course`, nbgitpuller, and nbgrader for the
Assignments panel, without the instructor's panels, locked so that students cannot switch
them back on in JupyterLab, and pointed at the course's exchange):

```bash
git clone --depth 1 --branch {branch} {repo_url(repo)} /tmp/{folder}
pip install -c /tmp/{folder}/constraints.txt "/tmp/{folder}[course,lab]" nbgitpuller==1.3.0 nbgrader==0.9.6
jupyter labextension disable --level=sys_prefix @jupyter/nbgrader:formgrader
jupyter labextension disable --level=sys_prefix @jupyter/nbgrader:create-assignment
jupyter labextension lock --level=sys_prefix @jupyter/nbgrader:formgrader @jupyter/nbgrader:create-assignment
jupyter server extension disable --sys-prefix nbgrader.server_extensions.formgrader
mkdir -p "$(python -c 'import sys; print(sys.prefix)')/etc/jupyter"
cat > "$(python -c 'import sys; print(sys.prefix)')/etc/jupyter/nbgrader_config.py" <<'EOF'
c = get_config()
c.Exchange.root = "/srv/nbgrader/exchange"  # the shared volume, as in the instructor's config
c.CourseDirectory.course_id = "backprop-notebooks"
EOF
rm -rf /tmp/{folder}
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
    guide = hub_guide_markdown()
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
    """``python -m coursework.links [badges|sync|hub URL [--repo R] [--branch B] [--folder F]
    [--notebook N]]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    command = args.pop(0) if args else "badges"
    if command == "badges":
        print(binder_badge_markdown(START_HERE))
        print()
        print("\n".join(badge_lines()))
    elif command == "sync":
        for path in sync(files_with_links()):
            print(f"updated {path.relative_to(ROOT)}")
    elif command == "hub" and len(args) % 2 == 1:
        options = dict(zip(args[1::2], args[2::2]))
        known = {"--repo": "repo", "--branch": "branch", "--folder": "folder", "--notebook": "notebook"}
        if set(options) - set(known):
            print(main.__doc__, file=sys.stderr)
            return 2
        try:
            print(nbgitpuller_url(args[0], **{known[k]: v for k, v in options.items()}))
        except (ValueError, TypeError) as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
    else:
        print(main.__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

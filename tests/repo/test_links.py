"""Binder badges and nbgitpuller links: well-formed, pointing at notebooks that exist, and all
generated from the one place the repository's GitHub path is set (coursework.links.REPO)."""

import re
import shutil
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ROOT

from coursework import links

NOTEBOOKS = links.notebooks()
HUB = "https://hub.example.edu"


def parse_binder(url):
    """(repo, branch, notebook) of a Binder link of the series' form, or an AssertionError."""
    m = re.fullmatch(
        r"https://mybinder\.org/v2/gh/([^/]+/[^/]+)/([^?]+)\?urlpath=lab/tree/notebooks/(\d\d_[A-Za-z0-9_]+\.ipynb)",
        url,
    )
    assert m, (
        "not of the form https://mybinder.org/v2/gh/<owner>/<repo>/<branch>"
        f"?urlpath=lab/tree/notebooks/NN_x.ipynb: {url}"
    )
    return m.groups()


def test_there_are_notebooks_and_start_here_is_first():
    assert NOTEBOOKS and NOTEBOOKS[0] == links.START_HERE


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_binder_url_of_every_notebook(name):
    url = links.binder_url(name)
    assert parse_binder(url) == (links.REPO, links.BRANCH, name)
    assert (ROOT / "notebooks" / name).is_file()
    badge = links.binder_badge_markdown(name)
    assert badge == f"[![Open in Binder](https://mybinder.org/badge_logo.svg)]({url})"


def test_notebook_names_are_resolved_and_checked():
    assert links.notebook_name(0) == links.notebook_name("00") == "00_start_here.ipynb"
    assert links.notebook_name("00_start_here") == "00_start_here.ipynb"
    assert links.notebook_name("notebooks/00_start_here.ipynb") == "00_start_here.ipynb"
    with pytest.raises(ValueError, match="numbered 99"):
        links.notebook_name(99)
    with pytest.raises(ValueError, match="expected a name like"):
        links.notebook_name("start here.ipynb")
    with pytest.raises(TypeError, match="expected a number"):
        links.notebook_name(1.5)


def test_bad_repo_branch_and_hub_are_refused():
    with pytest.raises(ValueError, match="owner/name"):
        links.binder_url(repo="just-a-name")
    with pytest.raises(ValueError, match="owner/name"):
        links.binder_url(repo="https://github.com/only")
    with pytest.raises(ValueError, match="branch"):
        links.binder_url(branch="a b")
    with pytest.raises(ValueError, match="hub: expected a URL"):
        links.nbgitpuller_url("hub.example.edu")
    with pytest.raises(ValueError, match="app"):
        links.nbgitpuller_url(HUB, app="rstudio")
    with pytest.raises(TypeError, match="hub"):
        links.nbgitpuller_url(None)


def test_nbgitpuller_url_opens_start_here_of_the_clone_in_jupyterlab():
    url = links.nbgitpuller_url(HUB + "/")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "hub.example.edu",
        "/hub/user-redirect/git-pull",
    )
    query = parse_qs(parts.query, strict_parsing=True)
    folder = links.REPO.split("/")[1]  # nbgitpuller clones into a folder named after the repo
    assert query == {
        "repo": [f"https://github.com/{links.REPO}"],
        "urlpath": [f"lab/tree/{folder}/notebooks/00_start_here.ipynb"],
        "branch": [links.BRANCH],
    }
    tree = parse_qs(urlsplit(links.nbgitpuller_url("https://x.org/jupyter", app="tree")).query)
    assert tree["urlpath"] == [f"tree/{folder}/notebooks/00_start_here.ipynb"]
    assert links.nbgitpuller_url("https://x.org/jupyter").startswith(
        "https://x.org/jupyter/hub/user-redirect/"
    )


def test_every_binder_link_in_readme_docs_and_notebooks_agrees_with_links_py():
    checked = 0
    for path in links.files_with_links():
        for url in links.BINDER_LINK.findall(path.read_text(encoding="utf-8")):
            repo, branch, name = parse_binder(url)
            where = path.relative_to(ROOT)
            assert (repo, branch) == (links.REPO, links.BRANCH), (
                f"{where} links to {repo}@{branch}, links.py says {links.REPO}@{links.BRANCH}: "
                "run `make links`"
            )
            assert name in NOTEBOOKS, f"{where} links to notebooks/{name}, which does not exist"
            checked += 1
    assert checked >= 1  # at least the README badge


def test_readme_has_the_badge_for_start_here():
    assert links.binder_badge_markdown(links.START_HERE) in (ROOT / "README.md").read_text()


def test_start_here_map_has_one_badge_per_notebook():
    text = (ROOT / "notebooks" / "00_start_here.py").read_text(encoding="utf-8")
    linked = {parse_binder(u)[2] for u in links.BINDER_LINK.findall(text)}
    if not linked:
        pytest.skip(
            "notebook 00 has no Binder badges yet: its map takes one per notebook "
            "(`python -m coursework.links badges` prints them)"
        )
    missing = sorted(set(NOTEBOOKS) - linked)
    assert not missing, f"00_start_here's map has no Binder badge for {missing}"


def test_instructor_guide_shows_the_generated_nbgitpuller_link_into_a_hand_out():
    guide = (ROOT / "docs" / "instructors.md").read_text()
    assert "## Handing the series to a class on a JupyterHub" in guide
    assert links.hub_guide_markdown() in guide, "docs/instructors.md is out of date: run `make links`"
    handout = links.nbgitpuller_url(HUB, repo=links.EXAMPLE_HANDOUT, branch=links.EXAMPLE_TAG)
    assert handout in guide
    assert links.nbgitpuller_url(HUB) not in guide, "a hub link must not hand students the solutions"
    assert f"git clone https://github.com/{links.REPO}" not in guide, "the image must not hold the solutions"


def test_links_work_for_any_git_host_and_folder():
    gitlab = links.binder_url(3, repo="https://gitlab.com/me/course", branch="v1", folder="student")
    assert gitlab == (
        "https://mybinder.org/v2/gl/me%2Fcourse/v1?urlpath=lab/tree/student/03_backprop_by_hand.ipynb"
    )
    own = links.binder_url(3, repo="https://git.example.edu/course/handout.git", branch="v1")
    assert own == (
        "https://mybinder.org/v2/git/https%3A%2F%2Fgit.example.edu%2Fcourse%2Fhandout.git/v1"
        "?urlpath=lab/tree/notebooks/03_backprop_by_hand.ipynb"
    )
    url = links.nbgitpuller_url(HUB, 3, repo="https://git.example.edu/course/handout.git", branch="v1")
    query = parse_qs(urlsplit(url).query, strict_parsing=True)
    assert query == {
        "repo": ["https://git.example.edu/course/handout.git"],
        "urlpath": ["lab/tree/handout/notebooks/03_backprop_by_hand.ipynb"],  # the clone's folder
        "branch": ["v1"],
    }
    student = parse_qs(urlsplit(links.nbgitpuller_url(HUB, 0, folder="student")).query)
    assert student["urlpath"] == [f"lab/tree/{links.REPO.split('/')[1]}/student/00_start_here.ipynb"]
    for bad in ("http://insecure.example/x/y", "https://host-only.example", "ftp://x/y/z"):
        with pytest.raises(ValueError, match="repository's https address"):
            links.binder_url(repo=bad)
    with pytest.raises(ValueError, match="folder"):
        links.binder_url(folder="../notebooks")


def test_retarget_points_every_binder_link_at_another_repository_keeping_its_notebook():
    text = f"{links.binder_badge_markdown(0)} and {links.binder_url(3)}"
    out = links.retarget(text, "https://git.example.edu/c/h.git", "v2", "notebooks")
    assert links.binder_url(0, "https://git.example.edu/c/h.git", "v2") in out
    assert links.binder_url(3, "https://git.example.edu/c/h.git", "v2") in out
    assert links.REPO not in out
    assert links.retarget(out, links.REPO, links.BRANCH, "student").count("/student/") == 2


def test_sync_regenerates_the_guide_block(tmp_path):
    guide = tmp_path / "instructors.md"
    guide.write_text(f"# Guide\n\n{links.hub_guide_markdown(repo='old/name', branch='dev')}\n\nAfter.\n")
    assert links.sync([guide]) == [guide]
    assert guide.read_text() == f"# Guide\n\n{links.hub_guide_markdown()}\n\nAfter.\n"
    assert "old/name" not in guide.read_text()


def test_sync_rewrites_only_the_repository_part(tmp_path):
    old = "https://mybinder.org/v2/gh/someone/old-name/dev?urlpath=lab/tree/notebooks/00_start_here.ipynb"
    doc = tmp_path / "doc.md"
    doc.write_text(f"[![b](https://mybinder.org/badge_logo.svg)]({old}) and text\n")
    untouched = tmp_path / "other.md"
    shutil.copy(doc, untouched)
    assert links.sync([doc], repo="me/series", branch="main") == [doc]
    assert doc.read_text() == (
        "[![b](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/me/series/main"
        "?urlpath=lab/tree/notebooks/00_start_here.ipynb) and text\n"
    )
    assert links.sync([doc], repo="me/series", branch="main") == []  # idempotent
    assert untouched.read_text().count("someone/old-name/dev") == 1


def test_command_line(capsys):
    assert links.main(["badges"]) == 0
    out = capsys.readouterr().out
    assert links.binder_badge_markdown(links.START_HERE) in out
    assert all(f"`{name}`" in out for name in NOTEBOOKS)
    assert links.main(["hub", HUB]) == 0
    assert capsys.readouterr().out.strip() == links.nbgitpuller_url(HUB)
    assert links.main(["hub", HUB, "--repo", links.EXAMPLE_HANDOUT, "--branch", "v1", "--notebook", "3"]) == 0
    assert capsys.readouterr().out.strip() == links.nbgitpuller_url(HUB, 3, links.EXAMPLE_HANDOUT, "v1")
    assert links.main(["hub", HUB, "--repo", "not a repo"]) == 2
    assert "error: repo: expected" in capsys.readouterr().err
    assert links.main(["hub", HUB, "--colour", "red"]) == 2
    assert links.main(["nonsense"]) == 2


def test_the_module_runs_from_the_repository_root():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "coursework.links", "hub", HUB],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert out.strip() == links.nbgitpuller_url(HUB)

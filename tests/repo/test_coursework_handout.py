"""`make handout`: the student versions, the library, the course package and the environment
files, and nothing a student should not have (no solution, no grader, no tooling)."""

import nbformat
import pytest
from conftest import ROOT

from coursework import handout, links
from coursework.testing import leaks

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
HANDOUT_REPO = "https://git.example.edu/course/backprop-handout.git"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("handout") / "handout"
    return out, handout.build(out)


def test_it_holds_exactly_what_a_student_needs(made):
    out, files = made
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["README.md", "backprop_course", "backprop_lib", "binder", "constraints.txt", "notebooks"]
        + ["pyproject.toml", "requirements.txt"]
    )
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == NOTEBOOKS
    assert not [f for f in files if "__pycache__" in f or f.endswith(".pyc")]
    for absent in ("coursework", "tests", "docs", "benchmarks", "student", "Makefile", ".ci"):
        assert not (out / absent).exists(), absent


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_solution_or_hidden_test_reaches_the_hand_out(made, name):
    out, _ = made
    solution = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    given = nbformat.read(out / "notebooks" / name, as_version=4)
    assert not leaks(solution, given)
    assert all(not c.get("outputs") for c in given.cells if c.cell_type == "code")


def test_no_notebook_names_the_grader_or_a_solution_region(made):
    out, files = made
    for name in files:
        if name.startswith("notebooks/") and name != "notebooks/00_start_here.ipynb":
            sources = "".join(c.source for c in nbformat.read(out / name, as_version=4).cells)
            assert "hidden_tests(" not in sources and "coursework" not in sources, name
            assert "### BEGIN SOLUTION" not in sources and "### BEGIN HIDDEN TESTS" not in sources


def _binder_links(out):
    text = "".join((out / "notebooks" / n).read_text(encoding="utf-8") for n in NOTEBOOKS)
    return links.ANY_BINDER_LINK.findall(text), links.ANY_BINDER_LINK.finditer(text)


def test_its_links_open_student_versions_never_solutions(made):
    out, _ = made
    found = [m.group(0) for m in _binder_links(out)[1]]
    for url in found:
        assert "/tree/student/" in url and "/tree/notebooks/" not in url, url


def test_published_hand_out_links_to_itself(tmp_path):
    out = tmp_path / "published"
    handout.build(out, repo=HANDOUT_REPO, branch="v0.2.0")
    for m in _binder_links(out)[1]:
        assert m.group(0) == links.binder_url(m.group(1), HANDOUT_REPO, "v0.2.0"), m.group(0)
    assert HANDOUT_REPO in (out / "README.md").read_text()


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match="repository's https address"):
        handout.build(tmp_path / "x", repo="not a repository")
    with pytest.raises(FileNotFoundError, match="run `make student` first"):
        handout.build(tmp_path / "y", student=tmp_path)
    assert handout.main(["--out", str(tmp_path / "z"), "--repo", "nope"]) == 2


@pytest.mark.slow
def test_a_hand_out_notebook_runs_on_the_hand_outs_own_packages(made, monkeypatch):
    import nbclient

    out, _ = made
    monkeypatch.setenv("PYTHONPATH", str(out))  # as a clone of the hand-out, without this repository
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    nb = nbformat.read(out / "notebooks" / NOTEBOOKS[1], as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell("import backprop_lib, backprop_course\nprint(backprop_lib.__file__)")
    )
    nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(out / "notebooks")}}
    ).execute()
    assert nb.cells[-1].outputs[0].text.strip() == str(out / "backprop_lib" / "__init__.py")

"""Each committed notebook matches its jupytext source and was executed before commit."""

import jupytext
import nbformat
import pytest
from conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"
SOURCES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))


def test_there_are_notebooks():
    assert SOURCES, f"no jupytext sources found in {NOTEBOOKS}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_ipynb_is_in_sync_with_its_py_source(source):
    ipynb = source.with_suffix(".ipynb")
    assert ipynb.exists(), f"{ipynb.name} missing: run `make notebooks`"
    from_py = [(c.cell_type, c.source) for c in jupytext.read(source).cells]
    committed = nbformat.read(ipynb, as_version=4)
    from_ipynb = [(c.cell_type, c.source) for c in committed.cells]
    assert from_py == from_ipynb, f"{ipynb.name} is out of date with {source.name}: run `make notebooks`"
    code = [c for c in committed.cells if c.cell_type == "code" and c.source.strip()]
    assert all(c.execution_count for c in code), f"{ipynb.name} has unexecuted cells"

"""docs/in_practice.md, the appendix to notebook 07, runs as written: its examples are a doctest,
so every number the page shows is the output of the code above it."""

import doctest

from conftest import ROOT

APPENDIX = ROOT / "docs" / "in_practice.md"


def test_the_appendix_to_notebook_07_runs_as_written():
    result = doctest.testfile(str(APPENDIX), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 30, f"only {result.attempted} examples found in {APPENDIX.name}"
    assert result.failed == 0, f"{result.failed} examples of {APPENDIX.name} differ from what they print"


def test_notebook_07_links_to_the_appendix():
    source = (ROOT / "notebooks" / "07_softmax_digits.py").read_text(encoding="utf-8")
    assert "](../docs/in_practice.md)" in source

"""Packaging: one constraints file pins every install; requirements.txt and binder/ are that file
plus the learner's extras (course, lab) and no test tool; whatever a notebook or the course
package imports is provided by those extras. The slow check that a fresh Binder environment
really runs every notebook is tests/e2e/test_binder_env.py."""

import ast
import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, packages_distributions, requires, version

import pytest
from conftest import ROOT
from packaging.requirements import Requirement

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
LEARNER_EXTRAS = ("course", "lab")
TEST_TOOLS = {
    "pytest",
    "nbval",
    "hypothesis",
    "ruff",
    "jupytext",
    "playwright",
    "nbgitpuller",
    "nbgrader",
    "pandas",
}


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_lines(path):
    """Non-empty lines of a requirements file, comments stripped."""
    return [line for raw in path.read_text().splitlines() if (line := raw.split("#", 1)[0].strip())]


def pins():
    """``{normalised name: version}`` of constraints.txt, which must hold only ``name==version`` lines."""
    out = {}
    for line in requirement_lines(ROOT / "constraints.txt"):
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([0-9][A-Za-z0-9.+!-]*)", line)
        assert match, f"constraints.txt: {line!r} is not name==version"
        assert normalise(match[1]) not in out, f"constraints.txt pins {match[1]} twice"
        out[normalise(match[1])] = match[2]
    return out


def declared(extras):
    """The requirements of the core plus those extras, as ``Requirement`` objects."""
    return [Requirement(r) for r in PROJECT["dependencies"]] + [
        Requirement(r) for extra in extras for r in PROJECT["optional-dependencies"][extra]
    ]


def closure(reqs):
    """Normalised names of ``reqs`` and everything they pull in, from the installed metadata."""
    seen, todo = set(), list(reqs)
    while todo:
        req = todo.pop()
        key = (normalise(req.name), tuple(sorted(req.extras)))
        if key in seen:
            continue
        seen.add(key)
        try:
            deps = requires(req.name) or []
        except PackageNotFoundError:
            pytest.fail(f"{req.name} is not installed: run `make install-test`")
        for dep in map(Requirement, deps):
            extras = [""] + sorted(req.extras)
            if dep.marker is None or any(dep.marker.evaluate({"extra": e}) for e in extras):
                todo.append(dep)
    return {name for name, _ in seen}


def test_the_learners_files_are_the_constraints_and_the_extras():
    # pip reads the path after -c relative to the requirements file, the one after -e relative
    # to the working directory (the repository root, where Binder and `make install` run pip)
    assert requirement_lines(ROOT / "requirements.txt") == ["-c constraints.txt", "-e .[course,lab]"]
    assert requirement_lines(ROOT / "binder" / "requirements.txt") == [
        "-c ../constraints.txt",
        "-e .[course,lab]",
    ]
    assert (ROOT / "binder" / "../constraints.txt").resolve() == (ROOT / "constraints.txt").resolve()
    assert not (ROOT / "requirements-instructor.txt").exists()


def test_binder_folder_holds_only_what_repo2docker_needs():
    # a binder/ folder replaces every root-level config file; keep it to these two
    assert sorted(p.name for p in (ROOT / "binder").iterdir()) == ["requirements.txt", "runtime.txt"]


def test_runtime_is_the_python_the_tests_use_and_the_project_requires():
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    here = f"python-{sys.version_info.major}.{sys.version_info.minor}"
    assert runtime == here == "python-3.11", f"binder/runtime.txt says {runtime!r}, the tests run on {here}"
    assert PROJECT["requires-python"] == ">=3.11,<3.12"


def test_every_declared_requirement_is_pinned_within_its_range():
    pinned = pins()
    extras = list(PROJECT["optional-dependencies"])
    assert set(extras) == {"course", "lab", "test", "browser", "instructor"}
    for req in declared(extras):
        name = normalise(req.name)
        assert name in pinned, f"{req} is not pinned in constraints.txt"
        assert req.specifier.contains(pinned[name], prereleases=True), (
            f"constraints.txt pins {name}=={pinned[name]}, outside {req}"
        )


def test_no_pin_is_stale():
    needed = closure(declared(PROJECT["optional-dependencies"]))
    stale = sorted(set(pins()) - needed)
    assert not stale, f"constraints.txt pins what nothing installs: {stale}"


def test_the_environment_is_the_pinned_one():
    wrong = {name: (pin, version(name)) for name, pin in pins().items() if version(name) != pin}
    assert not wrong, (
        f"installed versions differ from constraints.txt (pin, installed): {wrong}; run `make install-test`"
    )


def test_a_learner_installs_no_test_tool():
    learner = closure(declared(LEARNER_EXTRAS))
    assert {"numpy", "matplotlib", "ipywidgets", "scikit-learn", "jupyterlab", "ipykernel"} <= learner
    assert not learner & TEST_TOOLS, f"test tools in a learner's install: {sorted(learner & TEST_TOOLS)}"


def imports_of(path):
    """Top-level names of the absolute imports in a Python source."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("where", ["notebooks", "backprop_course"])
def test_every_import_of_the_notebooks_and_the_course_comes_with_the_learners_extras(where):
    """A fast guard beside the slow fresh-environment test: each import is the standard library,
    the series' own package, or a distribution the course and lab extras install."""
    paths = (
        sorted((ROOT / where).glob("[0-9][0-9]_*.py"))
        if where == "notebooks"
        else sorted((ROOT / where).rglob("*.py"))
    )
    assert paths
    learner = closure(declared(LEARNER_EXTRAS))
    owners = packages_distributions()
    missing = set()
    for path in paths:
        for top in imports_of(path):
            if top in sys.stdlib_module_names or top in ("backprop_lib", "backprop_course"):
                continue
            dists = {normalise(d) for d in owners.get(top, [top])}
            if not dists & learner:
                missing.add(f"{top} ({path.relative_to(ROOT)})")
    assert not missing, f"imported but not installed by the course/lab extras: {sorted(missing)}"

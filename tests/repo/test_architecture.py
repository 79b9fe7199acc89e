"""The three rooms of DESIGN.md and the one direction of their arrows: the core (backprop_lib),
the course (backprop_course), the tooling (coursework, benchmarks); sizes of the core; the test
layout that mirrors them."""

import ast
import sys
import tomllib

import pytest
from conftest import ROOT

LIB, COURSE = ROOT / "backprop_lib", ROOT / "backprop_course"
TOOLING = ("coursework", "benchmarks")


def sources(folder):
    return sorted(folder.rglob("*.py"))


def lines(path):
    return len(path.read_text(encoding="utf-8").splitlines())


def imported_modules(path):
    """The absolute module names ``path`` imports (``from . import`` is left out)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module)
    return names


def top_level_imports(paths):
    """``{top-level package: sorted files importing it}``."""
    found = {}
    for path in paths:
        for name in imported_modules(path):
            found.setdefault(name.split(".")[0], set()).add(path.relative_to(ROOT).as_posix())
    return {name: sorted(files) for name, files in found.items()}


def test_layer_and_mlp_read_as_the_equations():
    total = lines(LIB / "layer.py") + lines(LIB / "mlp.py")
    assert total <= 180, f"layer.py + mlp.py have {total} lines; DESIGN.md allows 180"


def test_the_core_stays_small():
    total = sum(lines(path) for path in sources(LIB))
    assert total <= 2500, f"backprop_lib/ has {total} lines; DESIGN.md allows about 2,500"


def test_the_core_needs_numpy_and_the_standard_library_only():
    found = top_level_imports(sources(LIB))
    allowed = {"numpy", "backprop_lib"} | set(sys.stdlib_module_names)
    others = {name: files for name, files in found.items() if name not in allowed}
    # scikit-learn only behind the estimator, which backprop_lib/__init__ does not import
    assert others == {"sklearn": ["backprop_lib/sklearn_estimator.py"]}, others


def test_the_arrows_point_one_way():
    lib = top_level_imports(sources(LIB))
    assert not {"backprop_course", *TOOLING} & set(lib), {
        k: lib[k] for k in {"backprop_course", *TOOLING} & set(lib)
    }
    course = top_level_imports(sources(COURSE))
    assert "backprop_lib" in course  # the course is built on the core
    assert not set(TOOLING) & set(course), {k: course[k] for k in set(TOOLING) & set(course)}
    notebooks = top_level_imports(sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py")))
    assert not set(TOOLING) & set(notebooks), "a notebook imports the tooling"


def test_the_tooling_is_never_installed():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["tool"]["setuptools"]["packages"]["find"]["include"] == [
        "backprop_lib*",
        "backprop_course*",
    ]
    assert project["project"]["dependencies"] == ["numpy>=1.24"]  # the core depends on numpy alone


def test_no_hidden_buffers_in_the_core():
    problems = []
    for path in sources(LIB):
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT).as_posix()
        for word in ("getrefcount", "inspect.signature"):
            if word in text:
                problems.append(f"{where}: {word}")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.keyword) and node.arg == "out":
                problems.append(f"{where}:{node.value.lineno}: out= in a call")
            if isinstance(node, ast.arguments):
                params = node.posonlyargs + node.args + node.kwonlyargs
                problems += [f"{where}:{p.lineno}: a parameter named out" for p in params if p.arg == "out"]
    assert not problems, problems


def test_the_checks_catch_what_they_look_for(tmp_path):
    # the AST helpers above can fail: a file with every forbidden thing
    bad = tmp_path / "bad.py"
    bad.write_text("import backprop_course.errata\nfrom coursework import build\nnp.exp(z, out=buf)\n")
    assert {"backprop_course.errata", "coursework"} <= imported_modules(bad)
    assert any(isinstance(n, ast.keyword) and n.arg == "out" for n in ast.walk(ast.parse(bad.read_text())))


# -- the tests mirror the rooms ------------------------------------------------------------------


def test_one_test_file_per_core_module():
    modules = {p.stem for p in LIB.glob("*.py") if p.stem != "__init__"}
    tests = {p.stem.removeprefix("test_") for p in (ROOT / "tests" / "lib").glob("test_*.py")}
    assert tests == modules


def test_one_test_file_per_notebook_and_per_shared_course_module():
    stems = [
        p.stem for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py")) if not p.stem.startswith("00_")
    ]
    expected = {f"nb{stem[:2]}_{stem[3:]}" for stem in stems}
    for package in ("explorers", "exercises"):
        modules = {p.stem for p in (COURSE / package).glob("nb*.py")}
        assert modules == expected, f"backprop_course/{package} vs notebooks/: {sorted(modules ^ expected)}"
    shared = {p.stem for p in COURSE.glob("*.py") if p.stem != "__init__"} | {"feedback"}
    tests = {p.stem.removeprefix("test_") for p in (ROOT / "tests" / "course").glob("test_*.py")}
    assert tests == expected | shared


@pytest.mark.parametrize("folder", ["lib", "course", "repo", "e2e"])
def test_the_test_folders_have_no_init_files(folder):
    # conftest.py at tests/ is imported as `conftest` by every folder (rootdir-relative imports)
    assert not (ROOT / "tests" / folder / "__init__.py").exists()


def test_every_marker_used_is_registered():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    registered = {line.split(":")[0] for line in config["markers"]}
    assert registered == {"slow", "browser", "binder", "coursework", "server"}
    used = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Attribute)
                and isinstance(node.value.value, ast.Name)
                and node.value.value.id == "pytest"
                and node.value.attr == "mark"
            ):
                used.add(node.attr)
    builtin = {"parametrize", "skip", "skipif", "xfail", "usefixtures", "filterwarnings"}
    assert used - builtin <= registered, used - builtin - registered


def module_markers(path):
    """The marker names of a test module's ``pytestmark``."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "pytestmark" for t in node.targets):
            return {n.attr for n in ast.walk(node.value) if isinstance(n, ast.Attribute)} - {"mark"}
    return set()


def test_end_to_end_runs_are_marked_and_unit_tests_run_nothing_heavy():
    for path in sorted((ROOT / "tests" / "e2e").glob("test_*.py")):
        assert "slow" in module_markers(path), f"{path.name}: an end-to-end module without the slow marker"
    heavy = {"nbclient", "nbconvert", "jupyter_client", "coursework", "benchmarks", "nbgrader", "playwright"}
    for folder in ("lib", "course"):
        for path in sorted((ROOT / "tests" / folder).glob("test_*.py")):
            assert not module_markers(path), f"{path.name}: marked {module_markers(path)}"
            assert not heavy & {name.split(".")[0] for name in imported_modules(path)}, path.name

"""binder/ is what mybinder.org (repo2docker) builds: check it is well-formed and agrees with
requirements.txt. The slow check that it really runs every notebook is test_binder_env.py."""

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([0-9][A-Za-z0-9.+!-]*)$")


def requirement_lines(path):
    """Non-empty lines of a requirements file, comments stripped."""
    lines = []
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def pins(path):
    """{normalised name: version} of the ``name==version`` lines of a requirements file."""
    out = {}
    for line in requirement_lines(path):
        m = PIN.match(line)
        if m:
            out[re.sub(r"[-_.]+", "-", m.group(1)).lower()] = m.group(2)
    return out


def test_binder_folder_holds_only_what_repo2docker_needs():
    # a binder/ folder replaces every root-level config file; keep it to these two
    assert sorted(p.name for p in BINDER.iterdir()) == ["requirements.txt", "runtime.txt"]


def test_runtime_is_the_python_the_tests_use():
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert runtime == f"python-{sys.version_info.major}.{sys.version_info.minor}", (
        f"binder/runtime.txt says {runtime!r} but the tests run on Python "
        f"{sys.version_info.major}.{sys.version_info.minor}"
    )
    assert runtime == "python-3.11"


def test_every_line_is_a_pin_or_the_package_itself():
    lines = requirement_lines(BINDER / "requirements.txt")
    others = [line for line in lines if not PIN.match(line)]
    # repo2docker runs `pip install -r binder/requirements.txt` in the repository root, and pip
    # resolves the path after -e against the working directory: "." is the repository
    # ("-e .." would be its parent). Nested -r paths would be relative to this file instead.
    assert others == ["-e ."], f"expected only name==version pins and '-e .', also got {others}"


def test_binder_pins_agree_with_requirements_txt():
    binder, main = pins(BINDER / "requirements.txt"), pins(ROOT / "requirements.txt")
    missing = sorted(set(binder) - set(main))
    assert not missing, f"pinned in binder/ but not in requirements.txt: {missing}"
    differ = {n: (v, main[n]) for n, v in binder.items() if main[n] != v}
    assert not differ, f"binder/ vs requirements.txt pins differ (binder, root): {differ}"


def test_binder_pins_the_package_dependencies_and_jupyter():
    binder = pins(BINDER / "requirements.txt")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    needed = {re.split(r"[<>=!~ \[;]", dep, maxsplit=1)[0].lower() for dep in project["dependencies"]}
    needed |= {"ipykernel", "jupyterlab", "notebook"}
    unpinned = sorted(n for n in needed if re.sub(r"[-_.]+", "-", n) not in binder)
    assert not unpinned, f"binder/requirements.txt does not pin {unpinned}"


def test_binder_has_no_test_tools():
    binder = pins(BINDER / "requirements.txt")
    tools = {"pytest", "nbval", "hypothesis", "playwright", "nbgrader"} & set(binder)
    assert not tools, f"test/instructor tools in the learners' Binder image: {sorted(tools)}"


def test_binder_provides_every_package_the_notebooks_import():
    """A fast guard beside the slow fresh-environment test: each import in a notebook source
    is the standard library, backprop_lib, or a distribution pinned in binder/."""
    import ast
    from importlib.metadata import packages_distributions

    binder = pins(BINDER / "requirements.txt")
    owners = packages_distributions()
    missing = set()
    for source in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py")):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                # IPython is the kernel itself (ipykernel, pinned, depends on it).
                if top in sys.stdlib_module_names or top in ("backprop_lib", "IPython"):
                    continue
                dists = {re.sub(r"[-_.]+", "-", d).lower() for d in owners.get(top, [top])}
                if not dists & set(binder):
                    missing.add(f"{top} ({source.name})")
    assert not missing, f"imported by notebooks but not pinned in binder/requirements.txt: {sorted(missing)}"

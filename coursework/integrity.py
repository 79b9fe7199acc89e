"""Submissions that tamper with their own grading, found by reading their answer cells.

nbgrader runs a submission in one kernel: the answer cells run before the check cells that
grade them, so an answer cell can rebind what a check cell calls. Four lines in notebook 08's
Adam answer (``def check_adam_step(*a, **k): return True`` and the same for ``hidden_tests``)
scored its 3 points with ``return theta, m, v``. Nothing inside that kernel can stop code that
runs before the checks; what can be done is to read every answer cell of every submission and
name what it rebinds, for a human to look at. ``suspicious_cells(nb)`` reports, for each code
cell the student could edit or add (every one but the check and locked cells, whose sources
nbgrader restores):

* a name it binds at the top level (``def``, ``class``, ``=``, ``import ... as``, ``for`` ...)
  that a check cell uses (a check, ``hidden_tests``), other than the answer functions;
* an attribute it sets on something imported or defined by the locked set-up
  (``feedback.hidden_tests = ...``, ``bp.Value.backward = ...``);
* a call that rewrites code or namespaces from a string or by name: ``setattr``, ``delattr``,
  ``exec``, ``eval``, ``compile``, ``globals``, ``__import__``, ``sys.modules``, ``builtins``.

``python -m coursework.term autograde`` runs it on the assignment's submissions after grading
and lists each finding; the scores stand until someone has looked.
"""

import ast
from pathlib import Path

import nbformat

_REWRITING = {"setattr", "delattr", "exec", "eval", "compile", "globals", "__import__"}
_PLACES = {("sys", "modules"), ("builtins",), ("__builtins__",)}


def _role(cell):
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("solution") and cell.cell_type == "code":
        return "answer"
    if meta.get("grade") and cell.cell_type == "code":
        return "check"
    if meta.get("locked") and cell.cell_type == "code":
        return "locked"
    return ""


def _parse(source):
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def _top_level_bindings(tree):
    """Names a module body binds at its top level (not inside functions or classes)."""
    names = set()

    def targets(node):
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                names.add(sub.id)

    def visit(statements):
        for node in statements:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
                for target in getattr(node, "targets", None) or [node.target]:
                    targets(target)
            elif isinstance(node, ast.For | ast.AsyncFor):
                targets(node.target)
                visit(node.body + node.orelse)
            elif isinstance(node, ast.With | ast.AsyncWith):
                for item in node.items:
                    if item.optional_vars is not None:
                        targets(item.optional_vars)
                visit(node.body)
            elif isinstance(node, ast.If | ast.While):
                visit(node.body + node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body])
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.NamedExpr):
                names.add(node.value.target.id)

    visit(tree.body)
    return names


def _imported(tree):
    """Names bound by imports anywhere in ``tree``."""
    return {
        (a.asname or a.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for a in node.names
    }


def _root(node):
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _chain(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.insert(0, node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.insert(0, node.id)
    return tuple(parts)


def suspicious_cells(nb, source=None):
    """``[(cell, [reason, ...])]`` for the cells of ``nb`` that tamper (module doc); ``cell`` is an
    answer cell's grade id, or "code cell N" (N counted among the code cells, from 1).
    ``source``: the assignment's source notebook, whose check cells (with their hidden tests) and
    locked cells nbgrader runs in place of the submission's."""
    cells = [(cell, _role(cell), _parse(cell.source)) for cell in nb.cells if cell.cell_type == "code"]
    restored = [
        (_role(cell), _parse(cell.source)) for cell in (source or nb).cells if cell.cell_type == "code"
    ]
    called = set()
    defined = set()
    imported = set()
    for _, _, tree in cells:
        if tree is not None:
            imported |= _imported(tree)
    for role, tree in restored:  # what nbgrader runs: the source's check and locked cells
        if tree is None:
            continue
        imported |= _imported(tree)
        if role == "check":
            called |= {
                n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
            }
        elif role == "locked":
            defined |= _top_level_bindings(tree)
    answers = {cell.metadata["nbgrader"]["grade_id"] for cell, role, _ in cells if role == "answer"}
    found = []
    for k, (cell, role, tree) in enumerate(cells):
        if role in ("check", "locked") or tree is None:
            continue  # nbgrader restores these cells' sources: only the others are the student's
        label = cell.metadata["nbgrader"]["grade_id"] if role == "answer" else f"code cell {k + 1}"
        reasons = []
        rebound = sorted((_top_level_bindings(tree) & called) - answers)
        if rebound:
            reasons.append(f"rebinds {', '.join(rebound)} (called by the check cells)")
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store | ast.Del):
                root = _root(node)
                if root in imported or root in defined:
                    reasons.append(f"sets {'.'.join(_chain(node)) or root} (an attribute of {root})")
            elif (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _REWRITING
            ):
                reasons.append(f"calls {node.func.id}()")
            elif isinstance(node, ast.Attribute | ast.Name):
                chain = _chain(node)
                if any(chain[: len(place)] == place for place in _PLACES):
                    reasons.append(f"uses {'.'.join(chain)}")
        if reasons:
            found.append((label, list(dict.fromkeys(reasons))))
    return found


def scan_submissions(course, assignment):
    """``[(student, notebook file name, grade_id, reasons)]`` over ``submitted/*/<assignment>``."""
    report = []
    for path in sorted(Path(course, "submitted").glob(f"*/{assignment}/*.ipynb")):
        student = path.parent.parent.name
        source_path = Path(course, "source", assignment, path.name)
        source = nbformat.read(source_path, as_version=4) if source_path.exists() else None
        for grade_id, reasons in suspicious_cells(nbformat.read(path, as_version=4), source):
            report.append((student, path.name, grade_id, reasons))
    return report

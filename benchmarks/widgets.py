"""Median latency of every explorer control's callback.

Discovery is generic: every module of ``backprop_course.explorers`` is imported and each public
function whose name ends in ``explorer``, ``stepper`` or ``widget`` is called (with the
arguments from ``REGISTRY`` when it needs some). Whatever ipywidgets controls the returned
widget holds — as attributes or as children, recursively — are then driven: each slider (or
selection, checkbox) is set to a sweep of values across its range, twice, and every
assignment is timed. Assigning ``value`` runs the observers synchronously, so the time is
the callback's: compute, figure redraw and rendering included.

``Play`` widgets are skipped: they drive their linked slider in the browser (jslink), and the
slider's callback is measured. Free-text inputs are not driven (no valid values to guess).

Budgets (from the performance issue): 50 ms median per callback, 150 ms for explorers that
redraw a decision boundary (``REDRAW_BUDGET`` / modules whose source draws one).

By default the measurement runs inside a fresh Jupyter kernel (``run_in_kernel``), with the
inline matplotlib backend and the widget comm messages a learner's session has.
"""

import importlib
import inspect
import json
import os
import pkgutil
import re
import tempfile
import time

import numpy as np

BUILDER_NAME = re.compile(r"(explorer|stepper|widget)$")
BUDGET_MS = 50.0
REDRAW_BUDGET_MS = 150.0
VALUES_PER_CONTROL = 5
PASSES = 2


def _softmax_digits_args():
    """A small softmax network trained briefly on scikit-learn's digits (as notebook 07 does)."""
    from sklearn.datasets import load_digits

    import backprop_lib as bp

    digits = load_digits()
    X, labels = digits.data / 16.0, digits.target
    net = bp.MLP([64, 32, 10], ["relu", "softmax"], loss="cross_entropy", seed=0)
    Y = np.eye(10)[labels]
    bp.train(net, X, Y, 0.5, 50)
    return {"net": net, "X": X[-300:], "labels": labels[-300:], "images": digits.images[-300:]}


# "module.function" -> a function returning the keyword arguments its builder needs.
REGISTRY = {
    "nb07_softmax_digits.softmax_digits_explorer": _softmax_digits_args,
}

# Explorers that redraw a decision boundary get the larger budget (besides auto-detection).
REDRAW_BUDGET = {"nb06_training_two_circles"}


def _widget_classes():
    import ipywidgets as w

    sliders = (
        w.IntSlider,
        w.FloatSlider,
        w.FloatLogSlider,
        w.SelectionSlider,
        w.BoundedIntText,
        w.BoundedFloatText,
    )
    choices = (w.Dropdown, w.ToggleButtons, w.RadioButtons, w.SelectionSlider, w.Select)
    toggles = (w.Checkbox, w.ToggleButton)
    return w, sliders, choices, toggles


def find_controls(root):
    """``[(label, widget)]`` of the drivable controls reachable from ``root``.

    Follows ``children`` and the attributes of every widget (and lists, tuples and dicts of
    widgets held in attributes), so controls exposed as attributes are named after them.
    """
    w, sliders, choices, toggles = _widget_classes()
    found, seen = [], set()

    def visit(obj, label):
        if isinstance(obj, (list, tuple)):
            for i, item in enumerate(obj):
                visit(item, f"{label}[{i}]")
            return
        if isinstance(obj, dict):
            for key, item in obj.items():
                visit(item, f"{label}[{key!r}]")
            return
        if not isinstance(obj, w.Widget) or id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, w.Play):
            return
        if isinstance(obj, sliders + choices + toggles):
            found.append((label, obj))
        for name, value in vars(obj).items():
            if not name.startswith("_"):
                visit(value, name)
        if isinstance(obj, w.Box):
            for i, child in enumerate(obj.children):
                visit(child, f"{label}.children[{i}]" if label else f"children[{i}]")

    visit(root, "")
    # Prefer the attribute name over a children[...] path for the same widget.
    return [(label or getattr(ctrl, "description", "") or type(ctrl).__name__, ctrl) for label, ctrl in found]


def sweep_values(ctrl, k=VALUES_PER_CONTROL):
    """Up to ``k`` values for ``ctrl`` across its range, excluding its current value."""
    w, sliders, choices, toggles = _widget_classes()
    current = ctrl.value
    if isinstance(ctrl, toggles):
        return [not current]
    if isinstance(ctrl, choices):
        options = list(ctrl.options)
        values = [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in options]
        picks = [values[int(i)] for i in np.linspace(0, len(values) - 1, min(k + 1, len(values)))]
    elif isinstance(ctrl, w.FloatLogSlider):
        exps = np.linspace(ctrl.min, ctrl.max, k + 1)
        picks = [float(ctrl.base**e) for e in exps]
    else:
        lo, hi, step = ctrl.min, ctrl.max, getattr(ctrl, "step", None) or 1
        raw = np.linspace(lo, hi, k + 1)
        picks = [min(hi, lo + round((x - lo) / step) * step) for x in raw]
        if isinstance(ctrl.value, int):
            picks = [int(x) for x in picks]
    out = []
    for v in picks:
        if v != current and v not in out:
            out.append(v)
    return out[:k] or [current]


def time_control(ctrl, passes=PASSES):
    """``(times_ms, cold_times_ms, error)``: each assignment of a sweep value, ``passes`` times."""
    original = ctrl.value
    values = sweep_values(ctrl) + [original]  # each pass ends where the explorer started
    times, cold, error = [], [], None
    seen = set()
    for _ in range(passes):
        for v in values:
            if v == ctrl.value:
                continue
            t0 = time.perf_counter()
            try:
                ctrl.value = v
            except Exception as err:  # a broken callback is reported, not fatal
                error = f"{type(err).__name__}: {err}"[:120]
                break
            dt = 1e3 * (time.perf_counter() - t0)
            times.append(dt)
            key = repr(v)
            if key not in seen:
                cold.append(dt)
                seen.add(key)
        if error:
            break
    if error:
        try:
            ctrl.value = original
        except Exception:
            pass
    return times, cold, error


def explorer_builders(package="backprop_course.explorers"):
    """``[(module_short_name, function_name, builder, kwargs_factory or None)]``."""
    pkg = importlib.import_module(package)
    out = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{package}.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_") or not BUILDER_NAME.search(name):
                continue
            out.append((info.name, name, fn, REGISTRY.get(f"{info.name}.{name}")))
    return out


def _needs_arguments(fn):
    return any(
        p.default is inspect.Parameter.empty
        and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        for p in inspect.signature(fn).parameters.values()
    )


def _budget(module_name):
    if module_name in REDRAW_BUDGET:
        return REDRAW_BUDGET_MS
    try:
        source = inspect.getsource(importlib.import_module(f"backprop_course.explorers.{module_name}"))
    except (OSError, ImportError):
        return BUDGET_MS
    return REDRAW_BUDGET_MS if "decision_boundary" in source else BUDGET_MS


def measure_all(package="backprop_course.explorers", passes=PASSES):
    """``{"controls": [row], "explorers": [row]}``; rows are plain dicts (JSON-ready)."""
    import matplotlib.pyplot as plt

    w = _widget_classes()[0]
    controls, explorers = [], []
    for module_name, fn_name, fn, factory in explorer_builders(package):
        label = f"{module_name}.{fn_name}"
        entry = {"explorer": label, "build_ms": None, "status": "ok"}
        explorers.append(entry)
        if factory is None and _needs_arguments(fn):
            entry["status"] = "needs arguments: add it to benchmarks.widgets.REGISTRY"
            continue
        try:
            kwargs = factory() if factory else {}
            t0 = time.perf_counter()
            widget = fn(**kwargs)
            entry["build_ms"] = 1e3 * (time.perf_counter() - t0)
        except Exception as err:
            entry["status"] = f"build failed: {type(err).__name__}: {err}"[:160]
            continue
        if not isinstance(widget, w.Widget):
            entry["status"] = f"returned {type(widget).__name__}, not a widget"
            continue
        budget = _budget(module_name)
        found = find_controls(widget)
        if not found:
            entry["status"] = "no drivable controls found"
        for name, ctrl in found:
            times, cold, error = time_control(ctrl, passes)
            controls.append(
                {
                    "explorer": label,
                    "control": f"{name} ({type(ctrl).__name__})",
                    "n": len(times),
                    "median_ms": float(np.median(times)) if times else None,
                    "cold_median_ms": float(np.median(cold)) if cold else None,
                    "max_ms": float(np.max(times)) if times else None,
                    "budget_ms": budget,
                    "error": error,
                }
            )
        plt.close("all")
    return {"controls": controls, "explorers": explorers}


def run_in_kernel(timeout=1800):
    """``measure_all()`` inside a fresh Jupyter kernel (inline backend, real comms)."""
    import nbformat
    from nbclient import NotebookClient

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    fd, out_path = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    code = (
        "import json, sys\n"
        f"sys.path.insert(0, {root!r})\n"
        "from benchmarks.widgets import measure_all\n"
        f"json.dump(measure_all(), open({out_path!r}, 'w'))\n"
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": os.path.join(root, "notebooks")}},
    )
    try:
        client.execute()
        with open(out_path) as f:
            return json.load(f)
    finally:
        os.remove(out_path)

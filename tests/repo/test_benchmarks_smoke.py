"""Smoke test of the benchmark code (benchmarks/): it runs on tiny shapes and prints
well-formed tables. No timing assertions: timings belong to `make bench`, not to tests."""

import os

import numpy as np
import pytest

from benchmarks import report, run, steps, workloads


def _tables(text):
    """Every markdown table in ``text`` as a list of rows (lists of cells)."""
    tables, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            current.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif current:
            tables.append(current)
            current = []
    return tables


def _assert_well_formed(table):
    header, rule, *rows = table
    assert all(set(c) == {"-"} for c in rule) and len(rule) == len(header)
    assert rows and all(len(row) == len(header) for row in rows)


def test_every_contender_takes_the_same_step_from_the_same_start():
    for wl in workloads.tiny_workloads():
        diffs = steps.check_same_step(wl)
        assert steps.SKLEARN in diffs
        assert all(d < 1e-12 for d in diffs.values()), diffs


def test_gemm_floor_runs_the_products_of_a_step():
    wl = workloads.tiny_workloads()[1]
    init = steps.initial_parameters(wl)
    for preallocate in (False, True):
        step, params = steps.make_gemm_floor(wl, init, preallocate=preallocate)
        step()
        assert params is None


def test_step_benchmark_prints_well_formed_tables(capsys):
    assert run.main(["--only", "steps", "--tiny", "--rounds", "2"]) == 0
    text = capsys.readouterr().out
    tables = _tables(text)
    assert len(tables) == 2  # medians, then minima
    for table in tables:
        _assert_well_formed(table)
        assert [row[0] for row in table[2:]] == [wl.describe() for wl in workloads.tiny_workloads()]
    medians = tables[0]
    lib = medians[0].index("backprop_lib (ms)")
    assert all(float(row[lib]) > 0 for row in medians[2:])
    assert "max |Δparameter| after one step" in text and "Targets:" in text
    try:
        import torch  # noqa: F401
    except ImportError:
        assert "PyTorch not installed: skipped" in text


def test_missing_torch_is_skipped_with_a_message(monkeypatch):
    monkeypatch.setattr(steps, "torch_or_reason", lambda: (None, "PyTorch not installed: skipped"))
    result = steps.run_workload(workloads.tiny_workloads()[0], rounds=2, warmup=1)
    assert steps.TORCH not in result.median_ms
    assert result.skipped[steps.TORCH] == "PyTorch not installed: skipped"
    assert report.steps_table([result]).count("—") >= 2


def test_widget_harness_drives_every_kind_of_control():
    import ipywidgets as w

    from benchmarks import widgets

    calls = []
    box = w.VBox()
    box.n = w.IntSlider(value=3, min=0, max=10)
    box.lr = w.SelectionSlider(options=[0.01, 0.1, 1.0], value=0.1)
    box.show = {"sgd": w.Checkbox(value=True)}
    box.play = w.Play(value=0, min=0, max=5)  # skipped: it drives its slider in the browser
    box.children = [box.n, w.HBox([box.lr]), box.show["sgd"], box.play]
    for ctrl in (box.n, box.lr, box.show["sgd"], box.play):
        ctrl.observe(lambda change: calls.append(change["new"]), names="value")

    found = widgets.find_controls(box)
    assert [label for label, _ in found] == ["n", "lr", "show['sgd']"]
    rows = []
    for label, ctrl in found:
        times, cold, error = widgets.time_control(ctrl)
        assert error is None and times and len(cold) <= len(times)
        rows.append(
            {
                "explorer": "fake",
                "control": label,
                "n": len(times),
                "median_ms": float(np.median(times)),
                "cold_median_ms": float(np.median(cold)),
                "max_ms": max(times),
                "budget_ms": 50.0,
                "error": None,
            }
        )
    assert (box.n.value, box.lr.value, box.show["sgd"].value) == (3, 0.1, True)  # restored
    assert len(calls) == sum(r["n"] for r in rows)
    _assert_well_formed(_tables(report.widgets_table({"controls": rows, "explorers": []}))[0])


@pytest.mark.slow  # starts two kernels
def test_series_benchmark_executes_a_notebook_in_a_fresh_kernel(tmp_path):
    import nbformat

    from benchmarks import series

    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("x = 1 + 1"), nbformat.v4.new_code_cell("assert x == 2")]
    )
    nbformat.write(nb, tmp_path / "01_tiny.ipynb")
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")]), tmp_path / "02_broken.ipynb"
    )
    paths = series.notebook_paths(str(tmp_path))
    assert [os.path.basename(p) for p in paths] == ["01_tiny.ipynb", "02_broken.ipynb"]
    result = series.run_series(paths, timeout=120)
    assert [status for _, _, status in result["notebooks"]] == ["ok", "error: CellExecutionError"]
    _assert_well_formed(_tables(report.series_table(result))[0])


@pytest.mark.parametrize("bad", [["--only", "nonsense"]])
def test_command_line_rejects_unknown_parts(bad):
    with pytest.raises(SystemExit):
        run.main(bad)

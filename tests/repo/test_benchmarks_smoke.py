"""Smoke test of the benchmark code (benchmarks/): it runs on tiny shapes and prints
well-formed tables. No timing assertions: timings belong to `make bench`, not to tests."""

import importlib.util
import os

import numpy as np
import pytest

from benchmarks import browser, contenders, imports, report, run, steps, timing, workloads
from benchmarks.workloads import FLOOR, LIB, SKLEARN, TORCH, TORCH_FLOOR


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


@pytest.mark.parametrize("wl", workloads.tiny_workloads(), ids=lambda wl: wl.describe())
def test_every_contender_does_the_same_work_from_the_same_start(wl):
    names, _ = steps.available(wl)
    diffs = steps.check_same_work(wl, [n for n in names if n != FLOOR])
    assert SKLEARN in diffs
    assert all(d < 1e-12 for d in diffs.values()), diffs


def test_an_epoch_sees_every_sample_once_and_records_both_losses():
    wl = workloads.tiny_workloads()[2]
    init = contenders.initial_parameters(wl)
    for name in (LIB, SKLEARN):
        contender = contenders.FACTORIES[name](wl, init)
        contender.run()
        before, after = contender.losses
        assert np.isfinite(before) and np.isfinite(after) and after != before
    # the same work check can fail: a contender that skips an epoch's last batch differs
    short = workloads.synthetic((8, 16, 8, 5), n=60, name="tiny", batch_size=16)
    lib = contenders.make_backprop_lib(short, init)
    lib.run()
    cut = workloads.synthetic((8, 16, 8, 5), n=60, name="tiny", batch_size=16)
    cut.X, cut.labels = cut.X[:48], cut.labels[:48]
    other = contenders.make_backprop_lib(cut, init)
    other.run()
    assert max(np.abs(W - Wo).max() for (W, _), (Wo, _) in zip(lib.params(), other.params())) > 1e-6


def test_the_gemm_floor_is_a_full_batch_step_only():
    full, epoch = workloads.tiny_workloads()[1], workloads.tiny_workloads()[2]
    contenders.make_gemm_floor(full, contenders.initial_parameters(full)).run()
    with pytest.raises(ValueError, match="full-batch"):
        contenders.make_gemm_floor(epoch, contenders.initial_parameters(epoch))
    assert FLOOR in steps.available(epoch)[1]
    if importlib.util.find_spec("torch") is not None:  # the same products through torch's BLAS
        contenders.make_torch_gemm_floor(full, contenders.initial_parameters(full)).run()
        assert TORCH_FLOOR in steps.available(full)[0] and TORCH_FLOOR in steps.available(epoch)[1]


class _Fake:
    def __init__(self, name, calls):
        self.name, self.calls = name, calls

    def block(self, block, warmup_s):
        self.calls.append(self.name)
        return [0.001 * (1 + len(self.calls))] * block

    def close(self):
        pass


def test_blocks_are_interleaved_in_a_rotating_order():
    calls = []
    medians = timing.interleaved_blocks([_Fake(n, calls) for n in "abc"], rounds=3, block=2)
    assert calls == list("abcbcacab")
    assert {k: len(v) for k, v in medians.items()} == {"a": 3, "b": 3, "c": 3}


def test_a_block_warms_up_then_times_each_run():
    runs = []
    times = timing.block_times(lambda: runs.append(1), block=4, warmup_s=0.0)
    assert len(times) == 4 and len(runs) == 5 and all(t >= 0 for t in times)


def test_a_contender_runs_in_a_process_of_its_own():
    wl = workloads.tiny_workloads()[2]
    result = steps.run_workload(wl, 2, 2, wanted=(LIB, SKLEARN), own_process=True, warmup_s=0.01)
    assert set(result.block_medians) == {LIB, SKLEARN}
    assert all(len(v) == 2 and min(v) > 0 for v in result.block_medians.values())
    low, high = result.ratio_range(SKLEARN)
    assert low <= result.ratio(SKLEARN) * (1 + 1e-9) and result.ratio(SKLEARN) <= high * (1 + 1e-9)


def test_targets_are_judged_strictly_or_not():
    result = steps.Result("w", "step", 1, 1, block_medians={LIB: [1.0], SKLEARN: [1.0], TORCH: [1.0]})
    result.targets = {SKLEARN: (1.0, True), TORCH: (1.0, False)}
    assert [(name, met) for name, _, _, _, met in result.verdicts()] == [(SKLEARN, False), (TORCH, True)]


def test_step_benchmark_prints_well_formed_tables(capsys):
    assert run.main(["--only", "steps", "--tiny", "--rounds", "2", "--block", "2", "--warmup", "0.01"]) == 0
    text = capsys.readouterr().out
    tables = _tables(text)
    assert len(tables) == 2  # full-batch steps, then mini-batch epochs
    described = [wl.describe() for wl in workloads.tiny_workloads()]
    for table, unit in zip(tables, ("full batch", "one epoch")):
        _assert_well_formed(table)
        assert [row[0] for row in table[2:]] == [d for d in described if unit in d]
        lib = table[0].index("backprop_lib (ms)")
        assert all(float(row[lib]) > 0 for row in table[2:])
    assert "after one step vs backprop_lib" in text and "after one epoch vs backprop_lib" in text
    assert "Targets:" in text and "(target < 1.00)" in text
    if importlib.util.find_spec("torch") is None:
        assert "PyTorch not installed: skipped" in text


def test_missing_torch_is_skipped_with_a_message(monkeypatch):
    monkeypatch.setattr(steps, "torch_or_reason", lambda: (None, "PyTorch not installed: skipped"))
    result = steps.run_workload(workloads.tiny_workloads()[0], rounds=1, block=1, warmup_s=0.01)
    assert TORCH not in result.block_medians
    assert result.skipped[TORCH] == "PyTorch not installed: skipped"
    assert report.steps_table([result]).count("—") >= 2


def test_import_time_is_measured_in_fresh_interpreters():
    probes = (("import backprop_lib", "backprop_lib", {}), ("import json", "json", {}))
    times = imports.measure(probes, runs=1)
    assert all(len(t) == 1 and 0 < t[0] < 30 for t in times.values())
    table = _tables(report.imports_table(times, imports.TARGET_S))[0]
    _assert_well_formed(table)
    assert "target ≤ 0.15 s" in table[2][-1] and table[3][-1] == ""


@pytest.mark.parametrize(
    "position, keys",
    [
        ((0, 0, 10), ["ArrowRight"] * 3 + ["ArrowLeft"] * 3),
        ((10, 0, 10), ["ArrowLeft"] * 3 + ["ArrowRight"] * 3),
        ((1, 0, 2), ["ArrowRight", "ArrowLeft", "ArrowLeft", "ArrowRight", "ArrowRight", "ArrowLeft"]),
        ((0, 0, 0), []),
    ],
)
def test_a_slider_sweep_turns_at_the_ends_and_comes_back(position, keys):
    sweep = browser.walk(position, moves=3)
    assert sweep == keys
    now, low, high = position
    for key in sweep:
        now += 1 if key == "ArrowRight" else -1
        assert low <= now <= high
    assert now == position[0]


def test_sliders_with_the_same_label_are_numbered():
    assert browser.numbered(["x", "lr", "lr", "T"]) == ["x", "lr (1 of 2)", "lr (2 of 2)", "T"]


def test_a_slider_row_counts_first_visits_and_moves_without_a_change():
    records = [
        {"key": "ArrowRight", "value": 1, "dom": 10.0, "painted": 30.0},
        {"key": "ArrowRight", "value": 2, "dom": 10.0, "painted": 50.0},
        {"key": "ArrowLeft", "value": 1, "dom": 5.0, "painted": 20.0},
        {"key": "ArrowLeft", "value": 0, "timeout": True},
    ]
    row = browser.summarise("nb.ipynb", "x", records)
    assert row["moves"] == 4 and row["no_change"] == 1
    assert row["median_ms"] == 30.0 and row["first_visit_max_ms"] == 50.0
    assert row["max_ms"] == browser.MOVE_TIMEOUT_S * 1000
    table = _tables(report.browser_table({"sliders": [row], "notebooks": []}, 100, 250))[0]
    _assert_well_formed(table)
    assert table[2][-1] == "FAIL"


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
                "error": None,
            }
        )
    assert (box.n.value, box.lr.value, box.show["sgd"].value) == (3, 0.1, True)  # restored
    assert len(calls) == sum(r["n"] for r in rows)
    _assert_well_formed(_tables(report.widgets_table({"controls": rows, "explorers": []}))[0])


@pytest.mark.slow  # starts four kernels
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
    result = series.run_series(paths, timeout=120, runs=2)
    assert [row[-1] for row in result["notebooks"]] == ["ok", "error: CellExecutionError"]
    assert len(result["run_totals"]) == 2
    assert all(run_s > 0 and shutdown_s > 0 for _, run_s, shutdown_s, _ in result["notebooks"])
    assert result["total_s"] == sum(run_s for _, run_s, _, _ in result["notebooks"])
    _assert_well_formed(_tables(report.series_table(result))[0])


EXPLORER = """
import ipywidgets as w
shown = w.HTML("x = 2")
x = w.IntSlider(value=2, min=0, max=4, description="x")
x.observe(lambda change: setattr(shown, "value", f"x = {change['new']}"), names="value")
still = w.IntSlider(value=0, min=0, max=3, description="nothing")  # changes nothing it shows
w.VBox([x, still, shown])
"""


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.server
def test_browser_benchmark_times_a_slider_and_catches_one_that_changes_nothing(tmp_path, monkeypatch):
    import nbformat

    if browser.lab.find_chromium() is None:
        pytest.skip("no Chromium found: install Debian's chromium (`make browser`)")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(EXPLORER)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_path / "01_x.ipynb")
    monkeypatch.setattr(browser, "MOVE_TIMEOUT_S", 2.0)
    result = browser.measure_series(moves=2, folder=tmp_path)
    assert result["notebooks"] == [{"notebook": "01_x.ipynb", "status": "ok"}]
    x, still = result["sliders"]
    assert (x["slider"], x["moves"], x["no_change"], x["error"]) == ("x", 4, 0, None)
    assert 0 < x["dom_median_ms"] <= x["median_ms"] < 2000
    assert (still["slider"], still["no_change"], still["max_ms"]) == ("nothing", 4, 2000.0)
    rows = _tables(report.browser_table(result, 100, 250))[0][2:]
    assert rows[1][-1] == "FAIL"


@pytest.mark.parametrize("bad", [["--only", "nonsense"]])
def test_command_line_rejects_unknown_parts(bad):
    with pytest.raises(SystemExit):
        run.main(bad)


def test_the_line_profile_names_the_library_lines_or_says_what_is_missing(capsys):
    from benchmarks import line_profile

    code = line_profile.main(["two circles [2, 4, 3, 1] n=1000, full batch", "--units", "1"])
    out, err = capsys.readouterr()
    if importlib.util.find_spec("line_profiler") is None:
        assert code == 2 and "pip install line_profiler" in err
        return
    assert code == 0 and "1 steps of two circles" in out
    assert "z = a_prev @ self.W + self.b" in out and "dW = a_prevᵀ dz" in out


def test_notebooks_are_named_in_full_or_by_their_start(tmp_path):
    names = ["02_network_equations.ipynb", "10_from_backprop_to_autodiff.ipynb"]
    assert browser._one_notebook(names, "02") == names[0]
    assert browser._one_notebook(names, names[1]) == names[1]
    with pytest.raises(ValueError, match=r"'0' matched \['02_network_equations.ipynb'"):
        browser._one_notebook(names + ["03_backprop_by_hand.ipynb"], "0")
    with pytest.raises(ValueError, match="'99' matched"):
        browser.measure_series(["99"], folder=tmp_path)

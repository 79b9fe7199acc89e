"""The notebook 05 and 06 explorers, driven without a browser."""

import numpy as np
import pytest

from backprop_lib.explorers.gradcheck_explorer import (
    entries_html, gradcheck_explorer, gradient_view, summary_lines,
)
from backprop_lib.explorers.training_explorer import (
    TrajectoryCache, circles_split, epoch_summary, training_explorer,
)


def test_gradient_view_and_text():
    assert gradient_view(None, 2, "b").passed
    row = gradient_view(3, 1, "W")
    assert not row.passed and row.cosine == pytest.approx(-1)
    assert any("FAIL" in line for line in summary_lines(1))
    assert all("pass" in line for line in summary_lines(None))
    assert "shape mismatch" not in entries_html(row) and "FAIL" in entries_html(row)
    with pytest.raises(ValueError, match="layer"):
        gradient_view(None, 4, "W")
    with pytest.raises(ValueError, match="param"):
        gradient_view(None, 1, "z")
    with pytest.raises(ValueError, match="bug"):
        gradient_view(9, 1, "W")


def test_gradcheck_explorer_follows_its_controls():
    box = gradcheck_explorer()
    assert box.row().passed and "pass" in box.entries.value
    png = box.image.value
    box.bug.value = 5
    assert "FAIL" in box.summary.value
    assert "pass" in box.entries.value  # W1 is fine under erratum 5...
    box.param.value = "b"
    assert box.row().name == "b1" and "FAIL" in box.entries.value  # ...b1 is not
    box.layer.value = 3
    assert box.row().name == "b3"
    a, g = box.points.get_data()
    np.testing.assert_allclose(g, 20 * np.asarray(a), rtol=1e-6)  # slope n = 20
    # Both axes are in units of s, the largest |entry|, which the title names.
    assert np.abs(g).max() == pytest.approx(1.0)
    assert f"s = largest |entry| = {np.abs(box.row().numeric).max():.3g}" in box.ax.get_title()
    assert box.image.value != png


@pytest.fixture(scope="module")
def small_explorer():
    data = circles_split()
    return training_explorer(data=data, learning_rates=(0.1, 0.3), lr=0.3, epochs=40,
                             snapshot_every=10, resolution=20, train_all=False)


def test_training_explorer_epoch_slider_loads_snapshots(small_explorer):
    box = small_explorer
    traj = box.cache.get(0.3)
    assert box.epoch.value == 40 and "epoch 40" in box.status.value
    at_end = box.proba().copy()
    box.epoch.value = 0
    assert "epoch 0" in box.status.value
    assert f"loss {traj.losses[0]:.6f}" in box.status.value
    assert not np.allclose(box.proba(), at_end)
    np.testing.assert_allclose(box.artists["image"].get_array(), box.proba())
    assert list(box.marker.get_xdata()) == [0, 0]
    box.epoch.value = 40


def test_training_explorer_new_rate_trains_once(small_explorer):
    box = small_explorer
    assert 0.1 not in box.cache
    box.lr.value = 0.1
    assert 0.1 in box.cache and set(box.loss_lines) == {0.1, 0.3}
    assert box.progress.layout.visibility == "hidden" and box.progress.value == 40
    assert "lr 0.1" in box.status.value
    first = box.cache.get(0.1)
    box.lr.value = 0.3
    box.lr.value = 0.1
    assert box.cache.get(0.1) is first  # cached, not retrained
    box.lr.value = 0.3


def test_training_explorer_trains_every_rate_up_front_by_default():
    box = training_explorer(data=circles_split(), learning_rates=(0.03, 0.1, 0.3), lr=0.3,
                            epochs=20, snapshot_every=10, resolution=20)
    assert all(value in box.cache for value in (0.03, 0.1, 0.3))
    assert set(box.loss_lines) == {0.03, 0.1, 0.3}  # every curve from the start
    runs = {value: box.cache.get(value) for value in (0.03, 0.1, 0.3)}
    box.lr.value = 0.03
    assert box.cache.get(0.03) is runs[0.03]  # nothing retrained
    widths = {value: line.get_linewidth() for value, line in box.loss_lines.items()}
    assert widths[0.03] > widths[0.1] == widths[0.3]  # the chosen rate is highlighted
    assert "lr 0.03" in box.status.value


def test_training_explorer_validation_and_summary():
    with pytest.raises(ValueError, match="lr: expected one of"):
        training_explorer(learning_rates=(0.1,), lr=0.5)
    cache = TrajectoryCache(circles_split(), epochs=3, snapshot_every=1)
    text = epoch_summary(cache.get(0.3), 99)
    assert text.startswith("lr 0.3, epoch 3:") and "test accuracy" in text

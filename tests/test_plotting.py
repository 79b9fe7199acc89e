"""Plotting helpers draw what they promise and update in place."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from backprop_lib.plotting import (
    FastPNG, epoch_marker, plot_decision_boundary, plot_loss_and_accuracy, plot_loss_curve,
    update_decision_boundary,
)
from backprop_lib.training import decision_grid


@pytest.fixture
def grid():
    X = np.array([[-1.0, -1.0], [1.0, 1.0], [0.5, -0.5]])
    y = np.array([0, 1, 1])
    xx, yy, points = decision_grid(X, resolution=30)
    return X, y, xx, yy, points


def test_decision_boundary_artists_and_update(grid):
    X, y, xx, yy, points = grid
    ax = Figure().subplots()
    proba = 1 / (1 + np.exp(-(xx + yy)))
    art = plot_decision_boundary(ax, xx, yy, proba, X, y, title="t")
    assert art["contour"] is not None and ax.get_title() == "t"
    assert len(art["points"][1].get_offsets()) == 2  # two points of class 1
    np.testing.assert_allclose(art["image"].get_array(), proba)
    update_decision_boundary(art, np.full(xx.shape, 0.9))
    np.testing.assert_allclose(art["image"].get_array(), 0.9)
    assert art["contour"] is None  # a constant prediction has no boundary
    with pytest.raises(ValueError, match="expected proba of shape"):
        update_decision_boundary(art, np.zeros((2, 2)))
    with pytest.raises(ValueError, match="one 2-D shape"):
        plot_decision_boundary(ax, xx, yy, np.zeros(3), X, y)


def test_loss_curve_and_marker():
    ax = Figure().subplots()
    line = plot_loss_curve(ax, [1.0, 0.5, 0.25], label="a")
    np.testing.assert_array_equal(line.get_ydata(), [1.0, 0.5, 0.25])
    assert ax.get_yscale() == "log"
    marker = epoch_marker(ax, 1)
    assert list(marker.get_xdata()) == [1, 1]
    with pytest.raises(ValueError, match="1-D array"):
        plot_loss_curve(ax, [])


def test_loss_and_accuracy_twin_axes():
    ax = Figure().subplots()
    ax, ax_acc = plot_loss_and_accuracy(ax, np.arange(5.0), np.linspace(0.5, 1, 5), title="x")
    assert ax_acc.get_lines()[0].get_ydata()[-1] == 1.0
    with pytest.raises(ValueError, match="two 1-D arrays"):
        plot_loss_and_accuracy(ax, np.arange(3.0), np.arange(4.0))


def test_fast_png_redraws_the_moving_artists():
    fig = Figure(figsize=(2, 2), dpi=50)
    ax = fig.subplots()
    ax.set_xlim(0, 1); ax.set_ylim(0, 1)
    (line,) = ax.plot([0, 1], [0, 1])
    renderer = FastPNG(fig)
    first = renderer.png([line])
    assert first.startswith(b"\x89PNG")
    line.set_ydata([1, 0])
    second = renderer.png([line])
    assert second != first
    line.set_ydata([0, 1])
    assert renderer.png([line]) == first


def test_encode_png_round_trips_through_a_real_decoder():
    import io

    from PIL import Image

    from backprop_lib.plotting import encode_png

    rgb = np.random.default_rng(0).integers(0, 256, size=(7, 5, 3), dtype=np.uint8)
    decoded = np.asarray(Image.open(io.BytesIO(encode_png(rgb))).convert("RGB"))
    np.testing.assert_array_equal(decoded, rgb)
    with pytest.raises(ValueError, match=r"\(height, width, 3\) uint8"):
        encode_png(rgb.astype(float))

"""backprop_course.plotting: the plotting grid, figures that widgets update in place, fast PNG
rendering (texts kept as pixels), log-axis limits and the cache of rendered states."""

import numpy as np
import pytest
from conftest import png_pixels
from matplotlib.figure import Figure

import backprop_lib as bp
from backprop_course.plotting import (
    FastPNG,
    TextPixels,
    decade_limits,
    decision_grid,
    encode_png,
    epoch_marker,
    grid_probabilities,
    plot_decision_boundary,
    plot_loss_and_accuracy,
    plot_loss_curve,
    remember_png,
    update_decision_boundary,
)


def test_decision_grid_and_probabilities():
    X = np.array([[0.0, 0.0], [1.0, 2.0]])
    xx, yy, points = decision_grid(X, resolution=5, margin=0.5)
    assert xx.shape == yy.shape == (5, 5) and points.shape == (25, 2)
    assert xx.min() == -0.5 and xx.max() == 1.5 and yy.min() == -0.5 and yy.max() == 2.5
    np.testing.assert_array_equal(points[:, 0], xx.ravel())
    net = bp.MLP([2, 3, 1], ["relu", "sigmoid"], seed=0)
    proba = grid_probabilities(net, xx, points)
    assert proba.shape == (5, 5) and ((proba > 0) & (proba < 1)).all()
    np.testing.assert_array_equal(proba.ravel(), net.output(points)[:, 0])
    with pytest.raises(
        ValueError, match=r"decision_grid: expected 2-D points X of shape \(n, 2\), got \(3, 3\)"
    ):
        decision_grid(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="resolution: expected an integer >= 2, got 1"):
        decision_grid(X, resolution=1)


def test_grid_probabilities_load_the_given_parameters_first():
    X = np.array([[0.0, 0.0], [1.0, 2.0]])
    xx, _, points = decision_grid(X, resolution=4)
    net = bp.MLP([2, 3, 1], ["relu", "sigmoid"], seed=0)
    zero = {name: np.zeros_like(p) for name, p in net.parameters()}
    np.testing.assert_array_equal(grid_probabilities(net, xx, points, zero), 0.5)
    assert all(not p.any() for _, p in net.parameters())  # the network now holds them


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
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    (line,) = ax.plot([0, 1], [0, 1])
    renderer = FastPNG(fig)
    first = renderer.png([line])
    assert first.startswith(b"\x89PNG")
    line.set_ydata([1, 0])
    second = renderer.png([line])
    assert second != first
    line.set_ydata([0, 1])
    assert renderer.png([line]) == first


def _labelled_figure():
    """A figure with a line, a label in a box (drawn over the line) and an arrow."""
    fig = Figure(figsize=(3, 2), dpi=60)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_axis_off()
    (line,) = ax.plot([0, 1], [0, 1], color="tab:blue", lw=3, animated=True)
    label = ax.text(
        0.5,
        0.5,
        "∂L/∂w = −0.1234",
        ha="center",
        animated=True,
        bbox={"boxstyle": "round", "facecolor": "#ffe0a3", "alpha": 0.85},
    )
    arrow = ax.annotate("", xy=(0.9, 0.1), xytext=(0.1, 0.9), arrowprops={"arrowstyle": "->"}, animated=True)
    return fig, [line, label, arrow], label


def test_kept_texts_look_as_matplotlib_draws_them():
    (fig, artists, label), (fig2, artists2, label2) = _labelled_figure(), _labelled_figure()
    drawn, kept = FastPNG(fig), FastPNG(fig2, keep_texts=True)  # one canvas per figure
    for colour in ("#ffe0a3", "#d9c2f0"):
        for t in (label, label2):
            t.get_bbox_patch().set_facecolor(colour)
            t.set_text(f"box {colour}")
        a, b = png_pixels(drawn.png(artists)).astype(int), png_pixels(kept.png(artists2)).astype(int)
        assert np.abs(a - b).max() <= 2  # rounding only
        assert (a != png_pixels(drawn.png(artists[:1]))).any(axis=2).sum() > 500  # the label and arrow show


def test_text_pixels_render_each_state_once():
    fig, artists, label = _labelled_figure()
    renderer = FastPNG(fig, keep_texts=True)
    texts = renderer.texts
    assert TextPixels.handles(label) and not TextPixels.handles(artists[2])  # arrows are drawn
    first = renderer.png(artists)
    assert len(texts.pixels) == 2  # the box and the letters
    assert renderer.png(artists) == first and len(texts.pixels) == 2
    label.get_bbox_patch().set_facecolor("#d9c2f0")  # a new box colour: only the box again
    recoloured = renderer.png(artists)
    assert recoloured != first and len(texts.pixels) == 3
    label.set_text("∂L/∂w = 0.5")  # a new string: its box and its letters
    assert renderer.png(artists) != recoloured and len(texts.pixels) == 5
    label.set_visible(False)
    assert renderer.png(artists) == renderer.png(artists[::2]) and len(texts.pixels) == 5
    label.set_visible(True)
    label.set_text("")
    assert renderer.png(artists) == renderer.png(artists[::2])


def test_text_pixels_keep_at_most_their_limit():
    fig, artists, label = _labelled_figure()
    renderer = FastPNG(fig, keep_texts=True)
    renderer.texts.limit = 4
    for k in range(7):
        label.set_text(f"step {k}")
        renderer.png(artists)
        assert len(renderer.texts.pixels) <= 4


def test_encode_png_round_trips_through_a_real_decoder():
    rgb = np.random.default_rng(0).integers(0, 256, size=(7, 5, 3), dtype=np.uint8)
    decoded = png_pixels(encode_png(rgb))
    np.testing.assert_array_equal(decoded, rgb)
    with pytest.raises(ValueError, match=r"\(height, width, 3\) uint8"):
        encode_png(rgb.astype(float))


@pytest.mark.parametrize(
    "values, kwargs, expected",
    [
        ([0.06, 0.5], {}, (1e-2, 1.0)),
        ([1e-22, 0.03], {}, (1e-23, 1e-1)),
        ([0.0, 1e-300], {}, (1e-301, 1e-299)),  # zeros (underflow) are left out
        ([0.0, np.nan], {}, (1e-3, 1.0)),  # nothing positive and finite
        ([0.02, 0.7], {"min_decades": 1, "margin": 0.1}, (1e-2, 1.0)),
        ([0.3, 0.4], {"min_decades": 1, "margin": 0.1}, (1e-1, 1.0)),
    ],
)
def test_decade_limits_are_powers_of_ten_around_the_data(values, kwargs, expected):
    low, high = decade_limits(values, **kwargs)
    assert isinstance(low, float) and isinstance(high, float)
    assert (low, high) == pytest.approx(expected, rel=1e-12)
    positive = np.asarray(values)[np.asarray(values) > 0]
    assert ((positive >= low) & (positive <= high)).all()


def test_remember_png_renders_once_per_key_and_forgets_the_least_recent():
    cache, calls = {}, []

    def render(tag):
        return lambda: calls.append(tag) or tag.encode()

    assert remember_png(cache, "a", render("a"), size=2) == b"a"
    assert remember_png(cache, "b", render("b"), size=2) == b"b"
    assert remember_png(cache, "a", render("a!"), size=2) == b"a"  # kept: not drawn again
    remember_png(cache, "c", render("c"), size=2)  # "b" is now the least recent
    assert list(cache) == ["a", "c"] and calls == ["a", "b", "c"]

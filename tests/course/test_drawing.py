"""backprop_course.drawing: headless, updated in place, highlights exactly what it is told."""

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest

from backprop_course.drawing import (
    ACTIVATION_HTML,
    ACTIVATION_TEX,
    BASE_EDGE,
    FOCUS,
    NEGATIVE,
    POSITIVE,
    USED,
    NetworkDrawing,
)
from backprop_lib.activations import ACTIVATIONS

SIZES = [3, 4, 2, 2]


@pytest.fixture
def drawing():
    return NetworkDrawing(SIZES, activations=["sigmoid", "tanh", "sigmoid"])


def same_color(a, b):
    return np.allclose(mcolors.to_rgb(a), mcolors.to_rgb(b))


def pixel(d, x, y):
    """RGB (0-255) of the rendered drawing at data coordinates (x, y)."""
    rgba = d.to_rgba()
    px, py = d.ax.transData.transform((x, y))
    return rgba[int(round(rgba.shape[0] - py)), int(round(px)), :3].astype(int)


def test_builds_headless_without_pyplot(drawing):
    assert plt.get_fignums() == []  # a bare Figure on an Agg canvas: nothing pops up
    assert len(drawing.circles) == sum(SIZES) == 11
    assert len(drawing.lines) == 3 * 4 + 4 * 2 + 2 * 2 == 24
    assert set(drawing.lines) == {
        (k, j, i) for k in (1, 2, 3) for j in range(SIZES[k - 1]) for i in range(SIZES[k])
    }
    png = drawing.to_png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert drawing.to_rgba().shape == (round(5.1 * 90), round(8.4 * 90), 4)


def test_kept_texts_draw_what_matplotlib_draws():
    """keep_texts (a stepper's labels kept as pixels) changes the cost, not the picture."""
    drawn, kept = (NetworkDrawing(SIZES, static_values=True, keep_texts=keep) for keep in (False, True))
    assert drawn.texts is None and kept.texts is not None
    states = [
        ({(3, 0): "∂L/∂ŷ = 0.5273"}, {}, "step 1"),
        (
            {(3, 0): "∂L/∂z = 0.1311", (2, 0): "∂L/∂a = −0.1133"},
            {(3, 0, 1): "$w^{(3)}_{12}$ = −0.69"},
            "step 11",
        ),
        ({(3, 0): "∂L/∂ŷ = 0.5273"}, {}, "step 1"),  # back: everything kept
    ]
    for grads, edge_labels, title in states:
        for d in (drawn, kept):
            d.highlight(edges=edge_labels, focus_nodes=grads)
            d.set_grads(grads)
            d.set_edge_labels(edge_labels)
            d.set_title(title)
        assert np.abs(drawn.to_rgba().astype(int) - kept.to_rgba().astype(int)).max() <= 3  # rounding
    assert len(kept.texts.pixels) == 3 + 7  # boxes, letters, titles of states 1 and 2; none for 3
    with pytest.raises(ValueError, match="expected 3 names"):
        NetworkDrawing(SIZES, activations=["tanh"], keep_texts=True)


def test_highlight_marks_exactly_the_named_edges_and_nodes(drawing):
    used, focus = [(3, 0, 0), (3, 0, 1)], [(2, 1, 0)]
    drawing.highlight(edges=used, nodes=[(3, 0), (3, 1)], focus_edges=focus, focus_nodes=[(2, 0)])
    for edge, line in drawing.lines.items():
        if edge in focus:
            assert same_color(line.get_color(), FOCUS) and line.get_linewidth() == 5.0
        elif edge in used:
            assert same_color(line.get_color(), USED) and line.get_linewidth() == 4.2
        else:
            assert same_color(line.get_color(), BASE_EDGE) and line.get_linewidth() == 1.2
    visible = {node for node, ring in drawing.rings.items() if ring.get_visible()}
    assert visible == {(3, 0), (3, 1), (2, 0)}
    assert same_color(drawing.rings[(2, 0)].get_edgecolor(), FOCUS)
    assert same_color(drawing.rings[(3, 1)].get_edgecolor(), USED)
    # Highlighted edges are drawn last, on top of the grey ones.
    assert drawing._edge_order[-1] == (2, 1, 0) and set(drawing._edge_order[-3:-1]) == set(used)
    # A new highlight replaces the old one entirely.
    drawing.highlight(edges=[(1, 2, 3)])
    assert drawing.highlighted_edges == {(1, 2, 3)} and not drawing.focus_edges
    assert same_color(drawing.lines[(3, 0, 0)].get_color(), BASE_EDGE)
    assert not any(ring.get_visible() for ring in drawing.rings.values())


def test_highlighted_edge_is_visible_in_the_rendered_pixels(drawing):
    line = drawing.lines[(2, 3, 1)]
    mid = (np.mean(line.get_xdata()), np.mean(line.get_ydata()))
    before = pixel(drawing, *mid)
    drawing.highlight(edges=[(2, 3, 1)])
    after = pixel(drawing, *mid)
    amber = (np.array(mcolors.to_rgb(USED)) * 255).astype(int)
    assert np.abs(after - amber).max() <= 3, (before, after)
    assert np.abs(before - amber).max() > 40
    drawing.highlight()
    assert np.abs(pixel(drawing, *mid) - before).max() <= 3  # back to what it was


def test_values_grads_and_labels_update_the_same_artists(drawing):
    fig, text = drawing.figure, drawing.value_texts[(1, 2)]
    drawing.set_values([[0.5, -1.0, 2.0], [0.1, 0.2, -0.3, 0.4], [0.5, 0.6], [0.7, 0.8]])
    assert text.get_text() == "−0.300" and drawing.value_texts[(0, 1)].get_text() == "−1.000"
    first = drawing.to_png()
    drawing.set_values([[0.5, -1.0, 2.0], [0.1, 0.2, 0.9, 0.4], [0.5, 0.6], [0.7, 0.8]])
    assert drawing.value_texts[(1, 2)] is text and text.get_text() == "0.900"
    assert drawing.figure is fig and drawing.to_png() != first
    drawing.set_grads({(3, 0): 0.52734, (2, 1): -0.1})
    shown = {n: t.get_text() for n, t in drawing.grad_texts.items() if t.get_text()}
    assert shown == {(3, 0): "0.5273", (2, 1): "−0.1000"}
    drawing.set_edge_labels({(3, 1, 0): "w = 0.5"})
    assert [e for e, t in drawing.edge_texts.items() if t.get_visible()] == [(3, 1, 0)]
    drawing.set_side_labels({(3, 1): "y = 0.9"})
    assert drawing.side_texts[(3, 1)].get_text() == "y = 0.9"
    assert drawing.side_texts[(3, 0)].get_text() == ""


def test_static_values_are_redrawn_when_they_change():
    d = NetworkDrawing([2, 2], static_values=True)
    d.set_values([[1, 2], [3, 4]])
    first = d.to_png()
    assert d.to_png() == first  # nothing changed: same picture from the cached background
    d.set_values([[1, 2], [3, 5]])
    assert d.to_png() != first


def test_cached_background_follows_labels_and_legend(drawing):
    first = drawing.to_png()
    drawing.set_legend("a legend")
    drawing.set_side_labels({(3, 0): "y = 0.2"})
    assert not drawing.legend.get_animated() and not drawing.side_texts[(3, 0)].get_animated()
    second = drawing.to_png()
    assert second != first
    drawing.set_legend("a legend")  # unchanged: the cached background stays valid
    assert drawing._background is not None and drawing.to_png() == second


def test_weights_style_the_edges(drawing):
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=(a, b)) for a, b in zip(SIZES[:-1], SIZES[1:])]
    weights[1][2, 1] = -5.0  # the largest |w|: the widest edge
    drawing.set_weights(weights)
    assert same_color(drawing.lines[(2, 2, 1)].get_color(), NEGATIVE)
    widths = {e: line.get_linewidth() for e, line in drawing.lines.items()}
    assert max(widths, key=widths.get) == (2, 2, 1)
    k, j, i = next(e for e in drawing.lines if weights[e[0] - 1][e[1], e[2]] > 0)
    assert same_color(drawing.lines[(k, j, i)].get_color(), POSITIVE)
    drawing.highlight(focus_edges=[(2, 2, 1)])
    assert same_color(drawing.lines[(2, 2, 1)].get_color(), FOCUS)
    drawing.highlight()
    assert same_color(drawing.lines[(2, 2, 1)].get_color(), NEGATIVE)  # back to its weight style


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda d: d.highlight(edges=[(4, 0, 0)]), ValueError),
        (lambda d: d.highlight(edges=[(1, 3, 0)]), ValueError),  # layer 0 has units 0, 1, 2
        (lambda d: d.highlight(nodes=[(1, 4)]), ValueError),
        (lambda d: d.highlight(nodes=["ab"]), TypeError),
        (lambda d: d.set_values([[1, 2, 3]]), ValueError),
        (lambda d: d.set_values([[1, 2], [1, 2, 3, 4], [1, 2], [1, 2]]), ValueError),
        (lambda d: d.set_weights([np.zeros((4, 3)), np.zeros((4, 2)), np.zeros((2, 2))]), ValueError),
        (lambda d: d.set_grads([0.1]), TypeError),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(drawing, call, error):
    with pytest.raises(error):
        call(drawing)


@pytest.mark.parametrize("sizes", [[3], [3, 0, 2], [2.5, 3], "abc", [3, 11]])
def test_bad_sizes(sizes):
    with pytest.raises((ValueError, TypeError)):
        NetworkDrawing(sizes)


def test_every_activation_has_a_tex_and_an_html_name():
    names = {activation.name for activation in ACTIVATIONS.values()}  # "linear" is an alias
    assert set(ACTIVATION_TEX) == set(ACTIVATION_HTML) == names

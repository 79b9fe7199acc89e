"""Plotting helpers: decision boundaries and loss curves that widgets can update in place.

Each ``plot_*`` function draws on a given matplotlib ``Axes`` and returns the artists it
made, so a widget can build the figure once and later call the matching ``update_*``.
"""

import io
import struct
import zlib

import numpy as np

from backprop_lib.validation import as_float_matrix, check_int

CLASS_COLOURS = ("#1f77b4", "#d62728")  # class 0, class 1
PROBA_CMAP = "RdBu_r"


def decision_grid(X, resolution=100, margin=0.5):
    """A square grid over the 2-D points X ``(n, 2)`` plus ``margin`` on every side.

    Returns ``(xx, yy, points)``: ``xx``, ``yy`` ``(resolution, resolution)`` from
    ``np.meshgrid`` and ``points`` ``(resolution², 2)`` to feed to a network.
    """
    X = as_float_matrix(X, "X")
    if X.shape[1] != 2:
        raise ValueError(f"decision_grid: expected 2-D points X of shape (n, 2), got {X.shape}")
    resolution = check_int(resolution, "resolution", low=2)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def grid_probabilities(net, xx, points, params=None):
    """P(class 1) of ``net`` on the grid, shaped like ``xx``; loads ``params`` first if given."""
    if params is not None:
        net.set_parameters(params)
    return net.output(points)[:, 0].reshape(xx.shape)


def _check_grid(xx, yy, proba):
    xx, yy, proba = np.asarray(xx), np.asarray(yy), np.asarray(proba, dtype=float)
    if not (xx.ndim == 2 and xx.shape == yy.shape == proba.shape):
        raise ValueError(
            "decision boundary: expected xx, yy and proba of one 2-D shape (from decision_grid), "
            f"got {xx.shape}, {yy.shape} and {proba.shape}"
        )
    return xx, yy, proba


def plot_decision_boundary(ax, xx, yy, proba, X, y, title=None):
    """P(class 1) on the grid as a shaded image, the 0.5 contour, and the points X ``(n, 2)``.

    ``xx``, ``yy``, ``proba`` ``(r, r)`` (see ``decision_grid``);
    y ``(n,)`` or ``(n, 1)`` of 0/1. Returns a dict of artists: ``image``, ``contour``,
    ``points``.
    """
    xx, yy, proba = _check_grid(xx, yy, proba)
    X = np.asarray(X, dtype=float)
    labels = np.asarray(y).reshape(len(X), -1)[:, 0] > 0.5
    extent = (xx.min(), xx.max(), yy.min(), yy.max())
    image = ax.imshow(
        proba,
        origin="lower",
        extent=extent,
        cmap=PROBA_CMAP,
        vmin=0,
        vmax=1,
        alpha=0.4,
        aspect="auto",
        interpolation="bilinear",
    )
    points = [
        ax.scatter(*X[labels == c].T, s=8, c=CLASS_COLOURS[c], edgecolors="none", label=f"class {c}")
        for c in (0, 1)
    ]
    artists = {"image": image, "points": points, "contour": None, "xx": xx, "yy": yy}
    _draw_contour(ax, artists, proba)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title is not None:
        ax.set_title(title)
    return artists


def _draw_contour(ax, artists, proba):
    if artists["contour"] is not None:
        artists["contour"].remove()
        artists["contour"] = None
    if proba.min() < 0.5 < proba.max():  # a constant prediction has no boundary to draw
        artists["contour"] = ax.contour(
            artists["xx"], artists["yy"], proba, levels=[0.5], colors="k", linewidths=1.5
        )


def update_decision_boundary(artists, proba):
    """Show a new probability grid ``proba`` (same shape) in the artists of a previous plot."""
    proba = np.asarray(proba, dtype=float)
    if proba.shape != artists["xx"].shape:
        raise ValueError(
            f"update_decision_boundary: expected proba of shape {artists['xx'].shape}, got {proba.shape}"
        )
    artists["image"].set_data(proba)
    _draw_contour(artists["image"].axes, artists, proba)


def plot_loss_curve(ax, losses, label=None, logy=True, **kwargs):
    """The loss per epoch ``losses`` ``(epochs + 1,)`` as a line; returns the ``Line2D``."""
    losses = np.asarray(losses, dtype=float)
    if losses.ndim != 1 or losses.size == 0:
        raise ValueError(f"plot_loss_curve: expected a 1-D array of losses, got shape {losses.shape}")
    (line,) = ax.plot(np.arange(losses.size), losses, label=label, **kwargs)
    if logy and np.nanmin(losses) > 0:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    return line


def epoch_marker(ax, epoch):
    """A vertical dashed line at ``epoch``; move it later with ``marker.set_xdata([e, e])``."""
    return ax.axvline(epoch, color="0.3", linestyle="--", linewidth=1)


def plot_loss_and_accuracy(ax, losses, accuracies, title=None):
    """Loss (left axis) and accuracy (right axis) per iteration; returns ``(ax, ax_acc)``."""
    losses, accuracies = np.asarray(losses, float), np.asarray(accuracies, float)
    if losses.shape != accuracies.shape or losses.ndim != 1:
        raise ValueError(
            "plot_loss_and_accuracy: expected two 1-D arrays of one length, "
            f"got {losses.shape} and {accuracies.shape}"
        )
    it = np.arange(losses.size)
    ax.plot(it, losses, color="C0")
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss", color="C0")
    ax_acc = ax.twinx()
    ax_acc.plot(it, accuracies, color="C3")
    ax_acc.set_ylabel("accuracy", color="C3")
    ax_acc.set_ylim(0.4, 1.02)
    if title is not None:
        ax.set_title(title)
    return ax, ax_acc


class TextPixels:
    """Texts drawn once, then blended into the canvas as pixels whenever they come back.

    matplotlib lays out and rasterises a text at every draw, 1–3 ms for a label with a box, so
    an explorer that redraws a dozen labels per move spends most of its time there, though most
    labels are the ones it drew a move before. ``draw(text)`` renders ``text`` once onto a
    transparent canvas of the same size, keeps the pixels it covers (with their coverage as
    alpha), and from then on blends them into ``canvas`` where matplotlib would have drawn them.

    A text's box and its letters are kept apart, each under what can change it: the box under
    the string and the box's colours, the letters under the string and their colour. So a box
    that only changes colour costs one box, not its letters. Everything else about a text
    (position, font, rotation, box style) must stay as it was when first drawn, as in a figure
    built once whose labels are then updated. Annotations (texts with arrows) are not texts here.
    At most ``limit`` renderings are kept; past that the store starts afresh.
    """

    def __init__(self, canvas, limit=512):
        from matplotlib.backends.backend_agg import RendererAgg

        width, height = canvas.get_width_height(physical=True)
        self.canvas, self.limit, self.pixels = canvas, limit, {}
        self._scratch = RendererAgg(width, height, canvas.figure.dpi)

    @staticmethod
    def handles(artist):
        """Whether ``artist`` is a plain text (what ``draw`` can keep)."""
        from matplotlib.text import Annotation, Text

        return isinstance(artist, Text) and not isinstance(artist, Annotation)

    def _render(self, draw):
        """``(row, column, rgba)``: the pixels that ``draw(renderer)`` covers (None if none)."""
        self._scratch.clear()  # transparent
        draw(self._scratch)
        rgba = np.asarray(self._scratch.buffer_rgba())
        covered = rgba[..., 3] > 0  # cleared pixels are transparent (white, alpha 0)
        rows, columns = np.flatnonzero(covered.any(axis=1)), np.flatnonzero(covered.any(axis=0))
        if rows.size == 0:
            return None
        r0, r1, c0, c1 = rows[0], rows[-1] + 1, columns[0], columns[-1] + 1
        return r0, c0, rgba[r0:r1, c0:c1].copy()

    def _blend(self, key, draw):
        if key not in self.pixels:
            if len(self.pixels) >= self.limit:
                self.pixels.clear()
            self.pixels[key] = self._render(draw)
        if self.pixels[key] is None:
            return
        r0, c0, rgba = self.pixels[key]
        h, w = rgba.shape[:2]
        below = np.asarray(self.canvas.buffer_rgba())[r0 : r0 + h, c0 : c0 + w, :3]
        alpha = rgba[..., 3:].astype(np.uint16)  # "over" compositing, as matplotlib draws
        below[...] = (below * (255 - alpha) + rgba[..., :3] * alpha + 127) // 255

    def draw(self, text):
        """Draw ``text`` (its box, then its letters) onto the canvas; nothing if hidden or empty."""
        from matplotlib.colors import to_rgba

        if not (text.get_visible() and text.get_text()):
            return
        string, box = text.get_text(), text.get_bbox_patch()
        if box is not None and box.get_visible():

            def draw_box(renderer):
                text.update_bbox_position_size(renderer)
                box.draw(renderer)

            self._blend((id(text), "box", string, box.get_facecolor(), box.get_edgecolor()), draw_box)

        def draw_letters(renderer):
            shown = box is not None and box.get_visible()
            if shown:
                box.set_visible(False)
            try:
                text.draw(renderer)
            finally:
                if shown:
                    box.set_visible(True)

        self._blend((id(text), "letters", string, to_rgba(text.get_color())), draw_letters)


class FastPNG:
    """Renders a matplotlib ``Figure`` to PNG bytes, redrawing only the moving artists.

    The static parts (axes, ticks, labels, legend) are drawn once and kept as a pixel
    background; :meth:`png` restores it and draws the given ``animated`` artists on top,
    which keeps a slider callback in the tens of milliseconds. Call :meth:`invalidate`
    after changing anything static (limits, a legend, a new line that is not animated).
    With ``keep_texts=True``, animated texts are drawn by a ``TextPixels`` (for figures whose
    labels change their strings or colours, never their place).
    """

    def __init__(self, fig, keep_texts=False):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.background = None
        self.texts = TextPixels(self.canvas) if keep_texts else None

    def invalidate(self):
        self.background = None

    def png(self, animated):
        """PNG bytes of the figure with ``animated`` (a list of artists) drawn on top."""
        animated = [a for a in animated if a is not None]
        if self.background is None:
            for artist in animated:
                artist.set_animated(True)
            self.canvas.draw()
            self.background = self.canvas.copy_from_bbox(self.fig.bbox)
        self.canvas.restore_region(self.background)
        for artist in animated:
            artist.set_animated(True)
            if self.texts is not None and self.texts.handles(artist):
                self.texts.draw(artist)
            else:
                artist.axes.draw_artist(artist)
        return encode_png(np.asarray(self.canvas.buffer_rgba())[..., :3])


def _png_chunk(tag, data):
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def encode_png(rgb):
    """An ``(height, width, 3)`` uint8 image as PNG bytes.

    Written directly (no per-row filters, fast zlib) because a general encoder spends most
    of a slider callback choosing filters; this takes a few milliseconds.
    """
    rgb = np.asarray(rgb)
    if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(
            f"encode_png: expected a (height, width, 3) uint8 array, got {rgb.shape} {rgb.dtype}"
        )
    height, width, _ = rgb.shape
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # filter byte 0 = none
    rows[:, 1:] = rgb.reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
        + _png_chunk(b"IEND", b"")
    )


def decade_limits(values, min_decades=2, margin=0.3):
    """Log-axis limits ``(low, high)``, whole powers of ten around the positive ``values``.

    At least ``min_decades`` decades apart and at least ``margin`` decades beyond the
    data, so a log axis always shows two or more labelled decades, and the limits change
    only when the data cross a power of ten. Zeros (e.g. an underflowed gradient) and
    non-finite values are left out; no positive value gives ``(1e-3, 1)``.
    """
    values = np.asarray(values, dtype=float)
    positive = values[np.isfinite(values) & (values > 0)]
    if positive.size == 0:
        return 1e-3, 1.0
    low = np.floor(np.log10(positive.min()) - margin)
    high = np.ceil(np.log10(positive.max()) + margin)
    while high - low < min_decades:  # widen alternately upwards and downwards
        if (high - low) % 2:
            low -= 1
        else:
            high += 1
    return float(10.0**low), float(10.0**high)


def remember_png(cache, key, render, size=64):
    """``cache[key]``, rendering it with ``render()`` (→ PNG bytes) the first time.

    ``cache`` is a dict kept in least-recently-used order and trimmed to ``size`` entries,
    so an explorer shows a state it has shown before without drawing it again.
    """
    png = cache.pop(key, None)
    if png is None:
        png = render()
    cache[key] = png
    while len(cache) > size:
        cache.pop(next(iter(cache)))
    return png


class StaticFigure:
    """A matplotlib ``Figure`` that shows itself as a PNG when it ends a notebook cell.

    For the static figures the course draws (no pyplot state, so nothing is shown twice or
    kept alive); ``fig`` is the figure itself, for tests and for further drawing.
    """

    def __init__(self, fig, dpi=80):
        self.fig, self.dpi = fig, dpi

    @property
    def axes(self):
        return self.fig.axes

    def _repr_png_(self):
        buffer = io.BytesIO()
        self.fig.savefig(buffer, format="png", dpi=self.dpi)
        return buffer.getvalue()

    def __repr__(self):
        title = self.fig.get_suptitle()
        return f"StaticFigure({len(self.fig.axes)} axes{', ' + repr(title) if title else ''})"


def new_figure(*shape, figsize=(6.0, 3.6), dpi=100):
    """A matplotlib ``Figure`` with a grid of axes ``shape`` (rows, columns; default one), made
    without pyplot, so nothing is shown until it is displayed (as a ``StaticFigure``).

    Returns ``(fig, axes)``: one ``Axes`` for the default shape, else numpy's array of them.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi)
    axes = fig.subplots(*shape) if shape else fig.subplots()
    return fig, axes

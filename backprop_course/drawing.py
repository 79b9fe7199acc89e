"""Draw a fully connected network with matplotlib, once, and update it in place.

Keys follow the maths of the notebooks, with units counted from 0 as numpy does:

* a **node** is ``(layer, unit)``: layer 0 is the input, layer L the output;
* an **edge** is ``(k, j, i)``: the weight w⁽ᵏ⁾ⱼᵢ = ``net.layers[k - 1].W[j, i]`` from unit j
  of layer k−1 to unit i of layer k (k = 1 … L).

The figure is built once, on an Agg canvas (no display needed, and it never pops up by itself in
a notebook). Its unchanging parts (filled circles, unit names, layer headings) are rendered once
into a background; everything the ``set_*`` and ``highlight`` methods change (edges, rings,
numbers, labels) is an *animated* artist redrawn over that background by ``to_png()``. So an
update costs a few milliseconds plus the PNG encoding, not a full re-render.

    d = NetworkDrawing([3, 4, 2, 2], activations=["sigmoid", "tanh", "sigmoid"])
    d.set_values([x, h1, h2, yhat])            # one sequence of numbers per layer
    d.highlight(edges=[(3, 0, 1)], nodes=[(2, 0), (3, 1)])
    png = d.to_png()                           # bytes for ipywidgets.Image / IPython Image
"""

import numpy as np

from .plotting import TextPixels, encode_png

# matplotlib is imported where a drawing is made, not here: the naming functions below
# (unit_tex, unit_html, node_name) are used by notebooks that draw nothing.

# Colours: grey wiring, amber for "used by this step", purple for "the quantity itself",
# blue/red for positive/negative weights, dark red for gradients.
BASE_EDGE = "#c4c4c4"
USED = "#f29e0c"
FOCUS = "#6a3d9a"
POSITIVE = "#3b75af"
NEGATIVE = "#d1495b"
GRAD = "#b2182b"
NODE_EDGE = "#333333"
LAYER_FILL = {"input": "#e6f2e6", "hidden": "#e3edf7", "output": "#fdf1d8"}

DX = 1.9  # horizontal distance between layers (data units)
DY = 1.1  # vertical distance between units of a layer
RADIUS = 0.33

ACTIVATION_TEX = {
    "sigmoid": r"\sigma",
    "tanh": r"\tanh",
    "identity": r"\mathrm{id}",
    "relu": r"\mathrm{ReLU}",
    "leaky_relu": r"\mathrm{LReLU}",
    "softmax": r"\mathrm{softmax}",
}
ACTIVATION_HTML = {  # the same names for HTML outputs, which show without MathJax
    "sigmoid": "σ",
    "tanh": "tanh",
    "identity": "id",
    "relu": "ReLU",
    "leaky_relu": "LReLU",
    "softmax": "softmax",
}


def unit_tex(layer, unit, n_layers):
    """LaTeX name of the output of a unit (``unit`` from 0): x_{1}, a^{(1)}_{3}, \\hat{y}_{2}.

    The notation of the series: a^{(k)}_i is the output of unit i of layer k, with the layer
    index always a superscript; a^{(0)} is the input x and a^{(K)} the network's output ŷ.
    """
    if layer == 0:
        return f"x_{{{unit + 1}}}"
    if layer == n_layers:
        return rf"\hat{{y}}_{{{unit + 1}}}"
    return f"a^{{({layer})}}_{{{unit + 1}}}"


def node_name(layer, unit, n_layers):
    """Mathtext name of a node, ``unit_tex`` between dollars: $x_{1}$, $a^{(1)}_{3}$, $\\hat{y}_{2}$."""
    return f"${unit_tex(layer, unit, n_layers)}$"


def symbol_html(letter, layer=None, index=""):
    """``<i>a</i><sup>(2)</sup><sub>1</sub>``: a symbol with the layer as a superscript, as in the
    maths, for HTML outputs (which a browser shows at once, without a MathJax pass)."""
    sup = f"<sup>({layer})</sup>" if layer is not None else ""
    return f"<i>{letter}</i>{sup}<sub>{index}</sub>"


def unit_html(layer, unit, n_layers):
    """The HTML twin of ``unit_tex``: x<sub>1</sub>, a<sup>(1)</sup><sub>3</sub>, ŷ<sub>2</sub>."""
    if layer == 0:
        return symbol_html("x", index=unit + 1)
    if layer == n_layers:
        return symbol_html("ŷ", index=unit + 1)
    return symbol_html("a", layer, unit + 1)


def _minus(text):
    """Typographic minus signs in numbers (outside mathtext)."""
    return text.replace("-", "−")


def _check_sizes(layer_sizes):
    try:
        sizes = [int(n) for n in layer_sizes]
    except (TypeError, ValueError):
        raise TypeError(
            f"layer_sizes: expected a sequence of positive integers, got {layer_sizes!r}"
        ) from None
    if len(sizes) < 2 or min(sizes) < 1 or sizes != list(layer_sizes):
        raise ValueError(f"layer_sizes: expected at least two positive integers, got {list(layer_sizes)!r}")
    if max(sizes) > 10:
        raise ValueError(f"layer_sizes: at most 10 units per layer can be drawn, got {max(sizes)}")
    return sizes


class NetworkDrawing:
    """A drawn network (sizes e.g. ``[3, 4, 2, 2]``) whose artists are updated in place.

    Attributes: ``figure``, ``ax``; artists keyed by node ``(layer, unit)``: ``circles``,
    ``rings``, ``value_texts``, ``grad_texts``, ``side_texts``; keyed by edge ``(k, j, i)``:
    ``lines``, ``edge_texts``. ``highlighted_edges`` etc. record the last ``highlight``.
    """

    def __init__(
        self, layer_sizes, activations=None, figsize=(8.4, 5.1), dpi=90, static_values=False, keep_texts=False
    ):
        self.sizes = _check_sizes(layer_sizes)
        # static_values: the numbers in the nodes and the caption rarely change (a stepper), so
        # they join the labels beside the nodes and the legend in the cached background, which
        # is re-rendered only when one of them changes. keep_texts: the changing labels come back
        # (a stepper's gradients, titles), so each is kept as pixels once drawn (TextPixels).
        self.static_values = bool(static_values)
        self.n_layers = len(self.sizes) - 1
        if activations is not None and len(activations) != self.n_layers:
            raise ValueError(
                f"activations: expected {self.n_layers} names (one per layer after the input), "
                f"got {len(activations)}"
            )
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=figsize, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.texts = TextPixels(self.canvas) if keep_texts else None
        self.ax = self.figure.add_axes([0.0, 0.0, 1.0, 1.0])
        self.ax.set_axis_off()
        self.ax.set_aspect("equal")
        top = (max(self.sizes) - 1) / 2 * DY
        self.ax.set_xlim(-1.0, self.n_layers * DX + 1.3)
        self.ax.set_ylim(-top - 1.0, top + 1.5)
        self.positions = {
            (layer, unit): (layer * DX, ((n - 1) / 2 - unit) * DY)
            for layer, n in enumerate(self.sizes)
            for unit in range(n)
        }
        self._dynamic = []  # animated artists, in drawing order
        self._draw_edges()
        self._draw_nodes()
        self._draw_headings(activations, top)
        self.title = self._text(-0.9, top + 1.45, "", fontsize=11.5, ha="left", va="top", weight="bold")
        make = self.ax.text if self.static_values else self._text
        self.caption = make(-0.9, -top - 0.75, "", fontsize=9.5, ha="left", va="center")
        self.legend = self.ax.text(
            self.n_layers * DX + 1.2, -top - 0.75, "", fontsize=9.5, ha="right", va="center", color="#444444"
        )
        self._base_edge_style = {e: (BASE_EDGE, 1.2) for e in self.lines}
        self.highlighted_edges = self.highlighted_nodes = frozenset()
        self.focus_edges = self.focus_nodes = frozenset()
        self._restyle()
        self._background = None

    # -- construction ---------------------------------------------------------------

    def _text(self, *args, **kwargs):
        text = self.ax.text(*args, animated=True, **kwargs)
        self._dynamic.append(text)
        return text

    def _draw_edges(self):
        from matplotlib.lines import Line2D

        self.lines, self.edge_texts = {}, {}
        for k in range(1, self.n_layers + 1):
            for j in range(self.sizes[k - 1]):
                for i in range(self.sizes[k]):
                    (x0, y0), (x1, y1) = self.positions[(k - 1, j)], self.positions[(k, i)]
                    ux, uy = np.array([x1 - x0, y1 - y0]) / np.hypot(x1 - x0, y1 - y0)
                    gap = RADIUS + 0.04  # stop short of the circles: edges never cover a unit
                    line = Line2D(
                        [x0 + gap * ux, x1 - gap * ux],
                        [y0 + gap * uy, y1 - gap * uy],
                        color=BASE_EDGE,
                        linewidth=1.2,
                        solid_capstyle="butt",
                        animated=True,
                    )
                    self.ax.add_line(line)
                    self.lines[(k, j, i)] = line
        # Edges go first in the drawing order; labels are added after the nodes' texts.
        self._dynamic.extend(self.lines.values())
        self._edge_order = list(self.lines)

    def _draw_nodes(self):
        from matplotlib.patches import Circle

        self.circles, self.rings = {}, {}
        self.value_texts, self.grad_texts, self.side_texts = {}, {}, {}
        for (layer, unit), (x, y) in self.positions.items():
            kind = "input" if layer == 0 else "output" if layer == self.n_layers else "hidden"
            self.circles[(layer, unit)] = self.ax.add_patch(
                Circle(
                    (x, y),
                    RADIUS,
                    facecolor=LAYER_FILL[kind],
                    edgecolor=NODE_EDGE,
                    linewidth=1.4,
                    zorder=3,
                )
            )
            self.ax.text(
                x,
                y + 0.1,
                node_name(layer, unit, self.n_layers),
                fontsize=11,
                ha="center",
                va="center",
                zorder=4,
            )
            ring = self.ax.add_patch(
                Circle(
                    (x, y),
                    RADIUS,
                    fill=False,
                    linewidth=3.8,
                    visible=False,
                    animated=True,
                )
            )
            self.rings[(layer, unit)] = ring
            self._dynamic.append(ring)
        make = self.ax.text if self.static_values else self._text
        for node, (x, y) in self.positions.items():
            self.value_texts[node] = make(x, y - 0.15, "", fontsize=9, ha="center", va="center", zorder=4)
            self.side_texts[node] = self.ax.text(
                x + RADIUS + 0.1, y, "", fontsize=9.5, ha="left", va="center", zorder=4
            )
        for node, (x, y) in self.positions.items():
            self.grad_texts[node] = self._text(
                x,
                y + RADIUS + 0.06,
                "",
                fontsize=9,
                color=GRAD,
                ha="center",
                va="bottom",
                weight="bold",
                bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.85),
            )
        self.edge_texts = {}
        for (k, j, i), line in self.lines.items():
            (x0, x1), (y0, y1) = line.get_xdata(), line.get_ydata()
            length = np.hypot(x1 - x0, y1 - y0)
            nx, ny = -(y1 - y0) / length, (x1 - x0) / length  # normal, pointing up
            # Written along the edge, just above it, so the label never hides its own edge; a
            # little before the middle, clear of the gradient label above the unit it points to.
            at = 0.42
            self.edge_texts[(k, j, i)] = self._text(
                x0 + at * (x1 - x0) + 0.06 * nx,
                y0 + at * (y1 - y0) + 0.06 * ny,
                "",
                fontsize=9,
                ha="center",
                va="bottom",
                visible=False,
                rotation_mode="anchor",
                rotation=float(np.degrees(np.arctan2(y1 - y0, x1 - x0))),
                bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.8),
            )

    def _draw_headings(self, activations, top):
        for layer in range(self.n_layers + 1):
            if layer == 0:
                head = "input\nlayer 0"
            else:
                kind = "output" if layer == self.n_layers else "hidden"
                head = f"{kind}\nlayer {layer}"
                if activations is not None:
                    name = str(getattr(activations[layer - 1], "name", activations[layer - 1]))
                    head += rf", $f_{{{layer}}} = {ACTIVATION_TEX.get(name, name)}$"
            self.ax.text(
                layer * DX,
                top + 0.68,
                head,
                fontsize=9,
                ha="center",
                va="bottom",
                color="#444444",
                linespacing=1.1,
            )

    # -- checks ---------------------------------------------------------------------

    def _keys(self, keys, table, what):
        try:
            keys = frozenset(tuple(int(v) for v in key) for key in keys)
        except (TypeError, ValueError):
            raise TypeError(f"{what}: expected a collection of integer tuples, got {keys!r}") from None
        unknown = sorted(keys - table.keys())
        if unknown:
            raise ValueError(
                f"{what}: {unknown[0]} is not in the drawing of sizes {self.sizes} "
                "(nodes are (layer, unit), edges (k, j, i); units counted from 0)"
            )
        return keys

    def _lookup(self, mapping, table, what):
        if not hasattr(mapping, "items"):
            raise TypeError(f"{what}: expected a dict keyed by node or edge, got {type(mapping).__name__}")
        self._keys(mapping.keys(), table, what)
        return {tuple(int(v) for v in key): value for key, value in mapping.items()}

    # -- updates --------------------------------------------------------------------

    def set_values(self, values, fmt="{:.3f}"):
        """Write a number in every node: ``values[layer]`` has ``sizes[layer]`` entries."""
        if len(values) != len(self.sizes):
            raise ValueError(f"set_values: expected {len(self.sizes)} layers of values, got {len(values)}")
        for layer, (vals, n) in enumerate(zip(values, self.sizes)):
            vals = np.asarray(vals, dtype=float).ravel()
            if vals.size != n:
                raise ValueError(f"set_values: layer {layer} has {n} units, got {vals.size} values")
            for unit, v in enumerate(vals):
                self._set_text(self.value_texts[(layer, unit)], _minus(fmt.format(v)))

    def set_grads(self, grads, fmt="{:.4f}"):
        """Show a gradient in red above the nodes of ``grads`` ``{(layer, unit): value}``, a
        number (written with ``fmt``) or a ready label such as ``"∂L/∂z = 0.0123"``; the other
        nodes' gradient labels are cleared."""
        lookup = self._lookup(grads, self.circles, "set_grads")
        for node, text in self.grad_texts.items():
            value = lookup.get(node)
            label = "" if value is None else value if isinstance(value, str) else fmt.format(value)
            text.set_text(_minus(label))
            text.set_visible(node in lookup)

    def set_side_labels(self, labels):
        """Text right of some nodes (e.g. targets ``{(3, 0): "$y_1$ = 0.20"}``); others cleared."""
        lookup = self._lookup(labels, self.circles, "set_side_labels")
        for node, text in self.side_texts.items():
            self._set_text(text, str(lookup.get(node, "")))

    def _set_text(self, text, value):
        if not text.get_animated() and text.get_text() != value:
            self._background = None  # part of the background: render it again
        text.set_text(value)

    def set_edge_labels(self, labels):
        """Show a label on the edges of ``labels`` ``{(k, j, i): text}``; hide the others."""
        lookup = self._lookup(labels, self.lines, "set_edge_labels")
        for edge, text in self.edge_texts.items():
            text.set_visible(edge in lookup)
            if edge in lookup:
                text.set_text(str(lookup[edge]))

    def set_weights(self, weights):
        """Base edge style from the weights: width ∝ |w|, blue if w ≥ 0, red if w < 0.

        ``weights[k - 1]`` is W of layer k, shape ``(sizes[k - 1], sizes[k])``.
        ``None`` goes back to plain grey edges.
        """
        if weights is None:
            self._base_edge_style = {e: (BASE_EDGE, 1.2) for e in self.lines}
            self._restyle()
            return
        if len(weights) != self.n_layers:
            raise ValueError(f"set_weights: expected {self.n_layers} weight matrices, got {len(weights)}")
        weights = [np.asarray(W, dtype=float) for W in weights]
        for k, W in enumerate(weights, start=1):
            expected = (self.sizes[k - 1], self.sizes[k])
            if W.shape != expected:
                raise ValueError(f"set_weights: W of layer {k} should have shape {expected}, got {W.shape}")
        scale = max(float(np.abs(W).max()) for W in weights) or 1.0
        self._base_edge_style = {
            (k, j, i): (POSITIVE if w >= 0 else NEGATIVE, 0.5 + 3.5 * abs(w) / scale)
            for k, W in enumerate(weights, start=1)
            for (j, i), w in np.ndenumerate(W)
        }
        self._restyle()

    def highlight(self, edges=(), nodes=(), focus_edges=(), focus_nodes=()):
        """Mark what a step uses (amber) and the quantity itself (purple, ``focus_*``).

        Edges are ``(k, j, i)``, nodes ``(layer, unit)``; everything not named returns to its
        base style.
        """
        self.highlighted_edges = self._keys(edges, self.lines, "highlight edges")
        self.highlighted_nodes = self._keys(nodes, self.circles, "highlight nodes")
        self.focus_edges = self._keys(focus_edges, self.lines, "highlight focus_edges")
        self.focus_nodes = self._keys(focus_nodes, self.circles, "highlight focus_nodes")
        self._restyle()

    def _restyle(self):
        for edge, line in self.lines.items():
            if edge in self.focus_edges:
                line.set(color=FOCUS, linewidth=5.0, alpha=1.0)
            elif edge in self.highlighted_edges:
                line.set(color=USED, linewidth=4.2, alpha=1.0)
            else:
                color, width = self._base_edge_style[edge]
                line.set(color=color, linewidth=width, alpha=0.85)
        # Highlighted edges are drawn last so that no grey edge crosses over them.
        rank = {e: (e in self.highlighted_edges) + 2 * (e in self.focus_edges) for e in self.lines}
        self._edge_order = sorted(self.lines, key=lambda e: rank[e])
        for node, ring in self.rings.items():
            color = FOCUS if node in self.focus_nodes else USED
            ring.set(edgecolor=color, visible=node in self.focus_nodes | self.highlighted_nodes)

    def set_title(self, text):
        self.title.set_text(text)

    def set_caption(self, text):
        """Text at the bottom left (e.g. the loss)."""
        self._set_text(self.caption, text)

    def set_legend(self, text):
        """Text at the bottom right that rarely changes (kept in the cached background)."""
        self._set_text(self.legend, text)

    # -- output ---------------------------------------------------------------------

    def render(self):
        """Draw the current state onto the canvas (background once, then the changing artists)."""
        if self._background is None:
            self.canvas.draw()  # animated artists are skipped: this is the static background
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        self.canvas.restore_region(self._background)
        for edge in self._edge_order:
            self.ax.draw_artist(self.lines[edge])
        for artist in self._dynamic[len(self.lines) :]:
            if self.texts is not None and TextPixels.handles(artist):
                self.texts.draw(artist)
            elif artist.get_visible() and not (hasattr(artist, "get_text") and not artist.get_text()):
                self.ax.draw_artist(artist)  # empty texts skipped: laying them out costs time

    def to_rgba(self):
        """The current state as an ``(height, width, 4)`` uint8 array."""
        self.render()
        return np.asarray(self.canvas.buffer_rgba()).copy()

    def to_png(self):
        """The current state as PNG bytes (for ``ipywidgets.Image`` or ``IPython.display.Image``)."""
        self.render()
        return encode_png(np.asarray(self.canvas.buffer_rgba())[..., :3])

    def __repr__(self):
        return f"NetworkDrawing({self.sizes})"

"""Notebook 10: the backward pass of a reverse-mode autodiff engine, one node at a time.

The example is one tanh neuron with a squared error and weight decay,

    L = (tanh(w·x + b) − y)² + λ·w²,

written with ``backprop_lib.autodiff.Value``. The weight w is used twice (in w·x and in w²),
so ∂L/∂w arrives in two contributions that the engine adds up.

``backward_steps(L)`` replays ``L.backward()`` for a graph of scalars and records every step:
the node visited (in reverse topological order), its finished gradient ∂L/∂node, and for each
parent the local derivative ∂node/∂parent, the contribution and the parent's running total.
``graph_layout`` and ``GraphDrawing`` draw the graph (``graph_image`` one step of it, for a
static picture); ``autodiff_stepper`` only displays the steps.
"""

import html
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from backprop_lib.autodiff import Value, topological_order

from ..plotting import FastPNG

# -- the running example -------------------------------------------------------------------


def example_graph(x=1.5, w=0.8, b=-0.4, y=0.5, lam=0.1):
    """``(L, nodes)``: L = (tanh(w·x + b) − y)² + λ·w² as a graph of scalar Values.

    ``nodes`` maps every name (x, w, b, y, λ, u, z, a, e, s, r, p, L) to its Value.
    """
    nodes = {name: Value(v, name=name) for name, v in [("x", x), ("w", w), ("b", b), ("y", y), ("λ", lam)]}
    n = nodes

    def named(value, name):
        value.name = name
        nodes[name] = value
        return value

    u = named(n["w"] * n["x"], "u")
    z = named(u + n["b"], "z")
    a = named(z.tanh(), "a")
    e = named(a - n["y"], "e")
    s = named(e**2, "s")
    r = named(n["w"] ** 2, "r")
    p = named(n["λ"] * r, "p")
    L = named(s + p, "L")
    return L, nodes


# -- labels and the steps --------------------------------------------------------------------


def node_labels(root):
    """``{id(node): name}`` for every node; unnamed nodes get v1, v2, ... in topological order."""
    labels, k = {}, 0
    for node in topological_order(root):
        if node.name:
            labels[id(node)] = node.name
        else:
            k += 1
            labels[id(node)] = f"v{k}"
    return labels


_BINARY = {"+", "−", "×", "÷", "@"}
_SUPERSCRIPTS = {"^2": "²", "^3": "³"}


def expression(node, labels):
    """How the node was computed, in words: ``"w × x"``, ``"tanh(z)"``, ``"e^2"``; leaves: ``""``."""
    names = [labels[id(p)] for p in node.parents]
    if not names:
        return ""
    if node.op in _BINARY and len(names) == 2:
        return f"{names[0]} {node.op} {names[1]}"
    if node.op.startswith("^"):
        return f"{names[0]}{_SUPERSCRIPTS.get(node.op, node.op)}"
    if node.op == "neg":
        return f"−{names[0]}"
    return f"{node.op}({', '.join(names)})"


def local_rule(node, labels):
    """The node's local derivatives in its own names, e.g. ``∂u/∂w = x, ∂u/∂x = w``."""
    n = labels[id(node)]
    ps = [labels[id(p)] for p in node.parents]
    d = [f"∂{n}/∂{p}" for p in ps]
    op = node.op
    if op == "+" and len(ps) == 2:
        return f"{d[0]} = 1, {d[1]} = 1"
    if op == "−" and len(ps) == 2:
        return f"{d[0]} = 1, {d[1]} = −1"
    if op == "×" and len(ps) == 2:
        return f"{d[0]} = {ps[1]}, {d[1]} = {ps[0]}"
    if op == "÷" and len(ps) == 2:
        return f"{d[0]} = 1/{ps[1]}, {d[1]} = −{ps[0]}/{ps[1]}²"
    if op.startswith("^"):
        k = float(op[1:])
        power = ps[0] if k == 2 else f"{ps[0]}^{k - 1:g}"
        return f"{d[0]} = {k:g}·{power}"
    single = {
        "tanh": f"1 − {n}²",
        "exp": n,
        "log": f"1/{ps[0]}" if ps else "",
        "σ": f"{n}(1 − {n})",
        "relu": f"1 if {ps[0]} > 0 else 0" if ps else "",
        "neg": "−1",
    }
    if op in single and len(ps) == 1:
        return f"{d[0]} = {single[op]}"
    return node.rule


def _num(v):
    return f"{float(v):.4f}".replace("-", "−")


@dataclass(frozen=True)
class BackwardStep:
    """One step of the backward pass.

    ``node`` is the Value visited (None for step 0, which seeds ∂L/∂L = 1), ``upstream`` its
    finished gradient ∂L/∂node, ``terms`` one ``(parent, local, contribution, total)`` per
    parent: local = ∂node/∂parent, contribution = upstream · local, total = the parent's
    gradient after this step. ``grads`` maps ``id(node)`` to every gradient after the step.
    """

    index: int
    node: object
    upstream: float
    terms: tuple
    grads: dict
    text: str


def backward_steps(root):
    """Replay ``root.backward()`` on a graph of scalars as a list of ``BackwardStep``.

    The gradients after the last step equal those ``root.backward()`` leaves in ``.grad``.
    """
    if not isinstance(root, Value):
        raise TypeError(f"backward_steps: expected a Value, got {type(root).__name__}")
    order = topological_order(root)
    big = [node for node in order if node.data.ndim]
    if big:
        raise ValueError(f"backward_steps: walks graphs of scalars; a node has shape {big[0].shape}")
    labels = node_labels(root)
    grads = {id(node): 0.0 for node in order}
    grads[id(root)] = 1.0
    name = labels[id(root)]
    steps = [BackwardStep(0, None, 1.0, (), dict(grads), f"start at the output: ∂{name}/∂{name} = 1")]
    seen = {id(root)}
    for node in reversed(order):
        if node.is_leaf:
            continue
        upstream = grads[id(node)]
        terms, lines = [], []
        for parent, local in zip(node.parents, node.local_derivatives()):
            contribution = upstream * float(local)
            grads[id(parent)] += contribution
            again = id(parent) in seen
            seen.add(id(parent))
            terms.append((parent, float(local), contribution, grads[id(parent)]))
            p = labels[id(parent)]
            lines.append(
                f"∂{name}/∂{p} += ∂{name}/∂{labels[id(node)]} · ∂{labels[id(node)]}/∂{p} = "
                f"{_num(upstream)} × {_num(local)} = {_num(contribution)} → {_num(grads[id(parent)])}"
                + ("   (a second path: added to what was there)" if again else "")
            )
        text = (
            f"visit {labels[id(node)]} = {expression(node, labels)}: local derivatives "
            f"{local_rule(node, labels)}; ∂{name}/∂{labels[id(node)]} = {_num(upstream)}\n" + "\n".join(lines)
        )
        steps.append(BackwardStep(len(steps), node, upstream, tuple(terms), dict(grads), text))
    return steps


def gradient_after_each_step(steps, node):
    """``[∂L/∂node after step 0, after step 1, ...]``: how one gradient builds up during the walk."""
    return [step.grads[id(node)] for step in steps]


def steps_lines(steps):
    """The whole walk as printable lines (rounded numbers)."""
    out = []
    for step in steps:
        first, *rest = step.text.split("\n")
        out.append(f"step {step.index}: {first}")
        out += [f"    {line}" for line in rest]
    return out


# -- drawing ---------------------------------------------------------------------------------


def graph_layout(root, sweeps=4):
    """``{id(node): (x, y)}``: every node sits as far right as it can (one column before the
    first node that uses it, the output last); y orders each column so that edges cross
    little (a few barycentre sweeps, as in layered graph drawing)."""
    order = topological_order(root)
    users = {id(node): [] for node in order}
    for node in order:
        for p in node.parents:
            users[id(p)].append(node)
    column = {}
    for node in reversed(order):  # users come later in the order, so they are placed first
        column[id(node)] = min((column[id(u)] for u in users[id(node)]), default=1) - 1
    columns = {}
    for node in order:
        columns.setdefault(column[id(node)], []).append(node)
    xs = sorted(columns)
    rank = {id(node): float(k) for x in xs for k, node in enumerate(columns[x])}

    def barycentre(node, neighbours):
        ranks = [rank[id(n)] for n in neighbours]
        return np.mean(ranks) if ranks else rank[id(node)]

    for _ in range(sweeps):
        for x in xs[1:]:
            columns[x].sort(key=lambda n: barycentre(n, n.parents))
            rank.update({id(n): float(k) for k, n in enumerate(columns[x])})
        for x in reversed(xs[:-1]):
            columns[x].sort(key=lambda n: barycentre(n, users[id(n)]))
            rank.update({id(n): float(k) for k, n in enumerate(columns[x])})
    return {id(node): (float(x - xs[0]), -rank[id(node)]) for x in xs for node in columns[x]}


COLOURS = {"plain": "#f4f4f4", "focus": "#d9c2f0", "parent": "#ffe0a3", "done": "#e6f2e6"}


class GraphDrawing:
    """A matplotlib drawing of a scalar graph: a box per node (name, how it was made, value)
    and a red ∂L/∂node under it; arrows from parents to children. ``show(step)`` colours
    the visited node (purple) and its parents (amber) and writes the gradients so far.

    Rendering is split so a step costs little: the plain graph (every box uncoloured, every
    arrow grey) is drawn once as a pixel background; ``png()`` draws over it only what the
    step changes — the highlighted arrows, the coloured boxes (and any box such an arrow
    passes under, so boxes stay on top), the gradients and the title. Those texts are kept as
    pixels once drawn (``plotting.TextPixels``): a box in a colour it had before, or a gradient
    label seen at another step, costs a blend, not matplotlib's text layout. ``boxes`` and
    ``arrows`` hold those overlay artists, coloured by ``show`` for every node and edge;
    ``overlay`` lists the ones the current step draws.
    """

    def __init__(self, root, figsize=(11, 4.2), dpi=80):
        self.root = root
        self.order = topological_order(root)
        self.labels = node_labels(root)
        self.pos = graph_layout(root)
        xs = [p[0] for p in self.pos.values()]
        ys = [p[1] for p in self.pos.values()]
        self.fig = Figure(figsize=figsize, dpi=dpi)
        self.renderer = FastPNG(self.fig, keep_texts=True)
        ax = self.ax = self.fig.add_axes([0, 0, 1, 0.92])
        ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
        ax.set_ylim(min(ys) - 0.9, max(ys) + 0.7)
        ax.axis("off")
        # A figure-level title, as an axes artist so it can be redrawn on its own.
        self.title = ax.text(
            0.5, 0.98, "", transform=self.fig.transFigure, ha="center", va="top", fontsize=11, animated=True
        )
        self.boxes, self.grad_texts, self.arrows = {}, {}, {}
        plain_boxes, plain_arrows = {}, {}
        for node in self.order:
            x, y = self.pos[id(node)]
            name = self.labels[id(node)]
            expr = expression(node, self.labels)
            label = f"{name} = {expr}\n{_num(node.data)}" if expr else f"{name} = {_num(node.data)}"
            for boxes, animated in ((plain_boxes, False), (self.boxes, True)):
                boxes[id(node)] = ax.text(
                    x,
                    y,
                    label,
                    ha="center",
                    va="center",
                    fontsize=9,
                    zorder=3,
                    animated=animated,
                    bbox={"boxstyle": "round,pad=0.35", "facecolor": COLOURS["plain"], "edgecolor": "#555"},
                )
            self.grad_texts[id(node)] = ax.text(
                x, y - 0.36, "", ha="center", va="top", fontsize=8.5, color="#b2182b", zorder=3, animated=True
            )
            for parent in node.parents:
                px, py = self.pos[id(parent)]
                # An edge that skips columns bends below the nodes it would otherwise cross.
                bend = 0.12 if x - px > 1 else 0.0
                for arrows, animated in ((plain_arrows, False), (self.arrows, True)):
                    arrows[(id(parent), id(node))] = ax.annotate(
                        "",
                        xy=(x - 0.28, y),
                        xytext=(px + 0.28, py),
                        zorder=1,
                        animated=animated,
                        arrowprops={
                            "arrowstyle": "->",
                            "color": "#bbb",
                            "lw": 1.0,
                            "connectionstyle": f"arc3,rad={bend}",
                        },
                    )
        self._under = self._boxes_under_arrows(plain_boxes, plain_arrows)
        self.overlay = []

    def _boxes_under_arrows(self, boxes, arrows):
        """``{edge: [node ids]}``: the boxes each arrow's extent overlaps (its ends included)."""
        renderer = self.renderer.canvas.get_renderer()
        pad = 0.35 * 9 * self.fig.dpi / 72 + 2  # the box's padding in pixels, and its edge
        extents = {key: box.get_window_extent(renderer).padded(pad) for key, box in boxes.items()}
        under = {}
        for edge, arrow in arrows.items():
            extent = arrow.get_window_extent(renderer)  # an arrow's extent costs ~1 ms: once per arrow
            under[edge] = [key for key in self.boxes if extents[key].overlaps(extent)]
        return under

    def show(self, step, n_steps):
        """Colour and label the drawing for ``step`` (a ``BackwardStep``)."""
        focus = id(step.node) if step.node is not None else id(self.root)
        parents = {id(t[0]) for t in step.terms}
        for node in self.order:
            key = id(node)
            colour = (
                COLOURS["focus"]
                if key == focus
                else COLOURS["parent"]
                if key in parents
                else COLOURS["plain"]
            )
            self.boxes[key].get_bbox_patch().set_facecolor(colour)
            g = step.grads[key]
            touched = g != 0.0 or key == id(self.root)
            self.grad_texts[key].set_text(f"∂L/∂{self.labels[key]} = {_num(g)}" if touched else "")
        active = []
        for (p, c), arrow in self.arrows.items():
            on = c == focus and p in parents
            arrow.arrow_patch.set_color("#e08a00" if on else "#bbb")
            arrow.arrow_patch.set_linewidth(2.2 if on else 1.0)
            if on:
                active.append((p, c))
        name = self.labels[focus]
        self.title.set_text(
            f"step {step.index} of {n_steps - 1}: "
            + ("seed ∂L/∂L = 1" if step.node is None else f"visit {name}")
        )
        redrawn = {focus} | parents | {key for edge in active for key in self._under[edge]}
        self.overlay = (
            [self.arrows[edge] for edge in active]
            + [self.boxes[id(n)] for n in self.order if id(n) in redrawn]
            + [t for t in self.grad_texts.values() if t.get_text()]
            + [self.title]
        )

    def png(self):
        """PNG bytes of the drawing as ``show`` left it (the plain graph if never shown)."""
        return self.renderer.png(self.overlay)


# -- the explorer ----------------------------------------------------------------------------


def step_html(step, labels):
    """The step's explanation as HTML (one line per parent)."""
    first, *rest = html.escape(step.text).split("\n")
    return f"<b>Step {step.index}</b>: {first}" + "".join(f"<br>&nbsp;&nbsp;{line}" for line in rest)


def grads_table_html(step, order, labels):
    """A table of every node's value and its gradient after ``step`` (blank until reached)."""
    head = "".join(f"<th style='padding:0 6px'>{html.escape(labels[id(n)])}</th>" for n in order)
    values = "".join(f"<td style='padding:0 6px'>{_num(n.data)}</td>" for n in order)
    shown = [_num(step.grads[id(n)]) if step.grads[id(n)] != 0 else "" for n in order]
    grads = "".join(f"<td style='padding:0 6px;color:#b2182b'>{g}</td>" for g in shown)
    return (
        f"<table><tr><th></th>{head}</tr><tr><th>value</th>{values}</tr>"
        f"<tr><th>∂L/∂·</th>{grads}</tr></table>"
    )


class AutodiffStepper(widgets.VBox):
    """Controls: ``step_slider`` and ``play`` (linked in the browser). Outputs: ``equation``
    (HTML: what this step does, with numbers), ``table`` (HTML: every gradient so far),
    ``image`` (PNG of ``drawing``). ``steps`` is the list from ``backward_steps``."""

    def __init__(self, root):
        self.steps = backward_steps(root)
        self.drawing = GraphDrawing(root)
        self.order, self.labels = self.drawing.order, self.drawing.labels
        n = len(self.steps)
        self.step_slider = widgets.IntSlider(
            value=0, min=0, max=n - 1, description="step", layout=widgets.Layout(width="480px")
        )
        self.play = widgets.Play(value=0, min=0, max=n - 1, interval=1800, description="play")
        widgets.jslink((self.play, "value"), (self.step_slider, "value"))
        self.equation = widgets.HTML()
        self.table = widgets.HTML()
        self.image = widgets.Image(format="png")
        self._pngs = {}  # step index -> PNG bytes: the steps are fixed, each is drawn once
        self.step_slider.observe(lambda change: self.update(), names="value")
        super().__init__([widgets.HBox([self.play, self.step_slider]), self.equation, self.image, self.table])
        self.update()

    @property
    def step(self):
        return self.steps[self.step_slider.value]

    def update(self):
        step = self.step
        self.drawing.show(step, len(self.steps))
        if step.index not in self._pngs:
            self._pngs[step.index] = self.drawing.png()
        self.image.value = self._pngs[step.index]
        self.equation.value = step_html(step, self.labels)
        self.table.value = grads_table_html(step, self.order, self.labels)


def graph_image(root, step=0, title=None):
    """The drawing of ``root``'s graph at ``step`` of its backward walk, as an ``IPython`` Image."""
    from IPython.display import Image

    steps = backward_steps(root)
    drawing = GraphDrawing(root)
    drawing.show(steps[step], len(steps))
    if title is not None:
        drawing.title.set_text(title)
    return Image(data=drawing.png())


def autodiff_stepper(root=None):
    """The widget for the graph of ``root`` (a scalar Value); default: ``example_graph()``."""
    if root is None:
        root, _ = example_graph()
    return AutodiffStepper(root)

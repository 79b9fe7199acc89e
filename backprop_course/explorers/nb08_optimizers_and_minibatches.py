"""Notebook 08: compare gradient descent, SGD, momentum and Adam on one task, with loss curves.

The task is small on purpose so that a training run takes a fraction of a second: 300
training points of scikit-learn's two circles, a ``[2, 8, 8, 1]`` ReLU/ReLU/sigmoid MLP, and
200 points each, drawn afresh, for validation and test. Seed s fixes the initial weights and
the sequence of mini-batches, and every optimiser sees the same ones for the same s, so runs
of one seed differ only by the update rule, its learning rate and the batch size.

:func:`train_run` is one run (``bp.train`` with a callback that records the validation
loss), cached; :func:`loss_curve` checks its arguments and returns a copy. The notebook
chooses each method's learning rate by the mean validation loss over ``SEEDS``; the widget
(:func:`optimizers_explorer`) shows seed 0. :func:`quadratic_path` steps an optimiser on a
quadratic bowl exactly as it steps a network.
"""

from functools import lru_cache

import numpy as np

import backprop_lib as bp
from backprop_lib.validation import check_int, check_learning_rate, check_parameters

from .. import datasets
from ..plotting import StaticFigure, decade_limits, remember_png

N_SAMPLES = 300  # training points; validation and test have N_HELD_OUT each
N_HELD_OUT = 200
TRAIN_SEED, VALIDATION_SEED, TEST_SEED = 0, 1, 2  # the seed of each set's datasets.two_circles
LAYER_SIZES = (2, 8, 8, 1)
ACTIVATIONS = ("relu", "relu", "sigmoid")
N_EPOCHS = 20
SEEDS = tuple(range(3))
OPTIMIZER_NAMES = ("sgd", "momentum", "adam")
LABELS = {"sgd": "SGD", "momentum": "Momentum (β = 0.9)", "adam": "Adam"}
COLOURS = {"sgd": "C0", "momentum": "C1", "adam": "C2"}
LR_OPTIONS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
# The rate of LR_OPTIONS with the lowest mean validation loss over SEEDS after N_EPOCHS at
# batch size 32, as notebook 08 finds (and checks against these numbers).
DEFAULT_LR = {"sgd": 0.3, "momentum": 0.3, "adam": 0.03}
BATCH_OPTIONS = (8, 16, 32, 64, 128, N_SAMPLES)  # the last one is the full batch: plain GD
BATCH_SIZE = 32  # the default: where the learning rates were tuned and the explorer starts


@lru_cache(maxsize=4)
def _circles(n_samples, seed):
    X, y = datasets.two_circles(n_samples, seed)
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def two_circles(n_samples=N_SAMPLES, seed=TRAIN_SEED):
    """Points of the two circles: X ``(n_samples, 2)``, y ``(n_samples, 1)`` of 0.0/1.0 (read-only).

    ``seed=TRAIN_SEED`` gives the training set; ``VALIDATION_SEED`` and ``TEST_SEED`` (with
    ``N_HELD_OUT`` points) draw the validation and test sets from the same distribution.
    """
    return _circles(int(n_samples), int(seed))


def comparison_net(seed=0):
    """The network every run starts from: ``MLP([2, 8, 8, 1], relu/relu/sigmoid, bce)``, He init."""
    return bp.MLP(list(LAYER_SIZES), list(ACTIVATIONS), loss="bce", seed=seed)


def _check_name(optimizer):
    if not isinstance(optimizer, str) or optimizer.lower() not in OPTIMIZER_NAMES:
        raise ValueError(f"optimizer: expected one of {OPTIMIZER_NAMES}, got {optimizer!r}")
    return optimizer.lower()


@lru_cache(maxsize=1024)
def train_run(optimizer, lr, batch_size, n_epochs, seed):
    """One run of the comparison: ``(train_losses, val_losses, params, diverged_at, n_steps)``.

    Unchecked and cached; use :func:`loss_curve`. Losses are per epoch (epoch 0 is the
    start), NaN after a divergence; ``params`` are the final weights ``{name: array}``.
    """
    X, y = two_circles()
    X_val, y_val = two_circles(N_HELD_OUT, VALIDATION_SEED)
    net = comparison_net(seed)
    val_losses = []

    def record(epoch, net):
        val_losses.append(net.loss(X_val, y_val))

    batches = np.random.default_rng([seed, 1])  # the same batches for every optimiser
    history = bp.train(net, X, y, bp.get_optimizer(optimizer, lr), n_epochs, batch_size, batches, record)
    train_losses, val = np.full(n_epochs + 1, np.nan), np.full(n_epochs + 1, np.nan)
    train_losses[: len(history.losses)] = history.losses
    val[: len(history.losses)] = val_losses[: len(history.losses)]
    params = dict(net.parameters())  # the arrays are replaced by each step, never changed: no copies
    for values in (train_losses, val, *params.values()):
        values.setflags(write=False)
    diverged_at = history.epochs_done + 1 if history.diverged else None
    n_steps = history.epochs_done * -(-len(X) // batch_size)  # steps of the completed epochs
    return train_losses, val, params, diverged_at, n_steps


def loss_curve(optimizer, lr, batch_size=BATCH_SIZE, n_epochs=N_EPOCHS, seed=0):
    """Train the comparison net with one optimiser; a dict describing the run.

    ``optimizer`` is ``"sgd"``, ``"momentum"`` (β = 0.9) or ``"adam"`` (default betas);
    ``batch_size`` >= 300 is full-batch gradient descent; ``seed`` draws the initial weights
    and the batches. Keys: ``loss`` and ``val_loss`` — the mean loss on the 300 training
    points and on the 200 validation points, before training and after each epoch, shape
    ``(n_epochs + 1,)`` (NaN after a divergence); ``accuracy`` — training accuracy at the end;
    ``diverged_at`` — the epoch in which a step would have made a parameter or the loss
    non-finite, or None; ``n_steps`` — parameter updates in the completed epochs. Cached.
    """
    optimizer = _check_name(optimizer)
    lr = check_learning_rate(lr)
    batch_size = min(check_int(batch_size, "batch_size", low=1), N_SAMPLES)
    n_epochs = check_int(n_epochs, "n_epochs", low=1)
    seed = check_int(seed, "seed", low=0)
    train_losses, val_losses, params, diverged_at, n_steps = train_run(
        optimizer, lr, batch_size, n_epochs, seed
    )
    net = trained_net(optimizer, lr, batch_size, n_epochs, seed)
    X, y = two_circles()
    return {
        "loss": train_losses.copy(),
        "val_loss": val_losses.copy(),
        "accuracy": bp.accuracy(y, net.output(X)),
        "diverged_at": diverged_at,
        "n_steps": n_steps,
    }


def trained_net(optimizer, lr, batch_size=BATCH_SIZE, n_epochs=N_EPOCHS, seed=0):
    """The network at the end of that run (after its last finite epoch), a fresh ``MLP``."""
    optimizer = _check_name(optimizer)
    batch_size = min(check_int(batch_size, "batch_size", low=1), N_SAMPLES)
    n_epochs, seed = check_int(n_epochs, "n_epochs", low=1), check_int(seed, "seed", low=0)
    params = train_run(optimizer, check_learning_rate(lr), batch_size, n_epochs, seed)[2]
    net = comparison_net(seed)
    net.set_parameters({name: value.copy() for name, value in params.items()})  # the cache stays intact
    return net


class _Bowl:
    """A point θ on f(θ) = ½ Σᵢ hᵢ θᵢ², offering what ``Optimizer.step`` uses of a network."""

    def __init__(self, h, theta):
        self.h, self.theta = h, theta

    def parameters(self):
        return [("theta", self.theta)]

    def gradients(self):
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run: step() refuses it
            return [("theta", self.h * self.theta)]

    def set_parameters(self, new):
        self.theta = check_parameters(new, dict(self.parameters()))["theta"]


def quadratic_path(optimizer, h, theta0, n_steps):
    """Positions of ``optimizer`` on f(θ) = ½ Σᵢ hᵢ θᵢ², whose gradient is h ⊙ θ.

    ``h`` and ``theta0`` of shape ``(d,)`` (h > 0); returns ``(n_steps + 1, d)``, row t
    being θ after t steps. It calls ``optimizer.step`` exactly as training a network does.
    """
    if not isinstance(optimizer, bp.Optimizer):
        raise TypeError(
            f"optimizer: expected an Optimizer such as Momentum(0.1), got {type(optimizer).__name__}"
        )
    h = np.asarray(h, dtype=float)
    bowl = _Bowl(h, np.array(theta0, dtype=float))
    if h.ndim != 1 or bowl.theta.shape != h.shape:
        raise ValueError(f"theta0: expected the shape of h {h.shape} (1-D), got {bowl.theta.shape}")
    if not (np.isfinite(h).all() and (h > 0).all()):
        raise ValueError(f"h: expected finite curvatures > 0, got {h}")
    path = [bowl.theta]
    for _ in range(int(n_steps)):
        optimizer.step(bowl)
        path.append(bowl.theta)
    return np.array(path)


def quadratic_loss(h, path):
    """f(θ) = ½ Σᵢ hᵢ θᵢ² for every row of ``path`` ``(n, d)``; returns ``(n,)``."""
    return 0.5 * (np.asarray(path) ** 2 @ np.asarray(h, dtype=float))


# -- static figures of notebook 08 ---------------------------------------------------------


def quadratic_figure(h, paths, n_shown=40):
    """The first ``n_shown`` steps of each path on the contours of f, and f per step (log scale).

    ``h`` ``(2,)`` curvatures; ``paths`` maps a label to a ``quadratic_path`` ``(steps + 1, 2)``.
    """
    from matplotlib.figure import Figure

    h = np.asarray(h, dtype=float)
    start = next(iter(paths.values()))[0]
    fig = Figure(figsize=(11, 4))
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.13, top=0.92, wspace=0.2)
    ax_path, ax_loss = fig.subplots(1, 2)
    reach = 1.15 * np.abs(start).max()
    G1, G2 = np.meshgrid(np.linspace(-reach, reach, 200), np.linspace(-1.6, 1.6, 120))
    ax_path.contour(G1, G2, 0.5 * (h[0] * G1**2 + h[1] * G2**2), levels=12, colors="0.8")
    for k, (label, path) in enumerate(paths.items()):
        ax_path.plot(path[:n_shown, 0], path[:n_shown, 1], ".-", color=f"C{k}", label=label, lw=1, ms=4)
        ax_loss.semilogy(quadratic_loss(h, path), color=f"C{k}", label=label)
    ax_path.set(
        xlabel=rf"$\theta_1$ (h = {h[0]:g})",
        ylabel=rf"$\theta_2$ (h = {h[1]:g})",
        title=f"first {n_shown} steps from ({start[0]:g}, {start[1]:g})",
    )
    ax_loss.set(xlabel="step", ylabel=r"$f(\theta)$", title="loss per step", ylim=(1e-12, 1e3))
    ax_loss.legend(fontsize=8)
    return StaticFigure(fig)


def curves_figure(curves, key="loss", ylabel="training loss (mean BCE)"):
    """Mean (line) and range (band) over seeds of one quantity per epoch, for several methods.

    ``curves`` maps a label to a list of run dicts (one per seed, from :func:`loss_curve`);
    ``key`` is ``"loss"`` or ``"val_loss"``.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 3.8))
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.13, top=0.92)
    ax = fig.subplots()
    for k, (label, runs) in enumerate(curves.items()):
        values = np.array([run[key] for run in runs])
        epochs = np.arange(values.shape[1])
        ax.fill_between(
            epochs, np.nanmin(values, axis=0), np.nanmax(values, axis=0), color=f"C{k}", alpha=0.2
        )
        ax.semilogy(epochs, np.nanmean(values, axis=0), color=f"C{k}", lw=2, label=label)
    ax.set(xlabel="epoch (one pass over the 300 points)", ylabel=ylabel)
    ax.set_title(f"mean over {len(values)} seeds, band: lowest to highest", fontsize=10)
    ax.legend(fontsize=9)
    return StaticFigure(fig)


def opening_figure(seed=0):
    """The explorer's opening state as a static figure: each optimiser at its default rate, batch 32."""
    return curves_figure(
        {
            f"{LABELS[name]}, lr {DEFAULT_LR[name]:g}": [loss_curve(name, DEFAULT_LR[name], seed=seed)]
            for name in OPTIMIZER_NAMES
        }
    )


def tuning_figure(scores, chosen):
    """Mean validation loss per learning rate, one line per method, the chosen rate circled.

    ``scores`` maps a method's label to ``{lr: mean validation loss}`` (inf for a diverged
    run); ``chosen`` maps the label to its chosen lr.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.5, 3.6))
    fig.subplots_adjust(left=0.15, right=0.98, bottom=0.14, top=0.91)
    ax = fig.subplots()
    for k, (label, by_lr) in enumerate(scores.items()):
        lrs = np.array(sorted(by_lr))
        values = np.array([by_lr[lr] for lr in lrs])
        finite = np.isfinite(values)
        ax.loglog(lrs[finite], values[finite], "o-", color=f"C{k}", label=label)
        ax.plot([chosen[label]], [by_lr[chosen[label]]], "o", ms=12, mfc="none", color=f"C{k}")
    ax.set(xlabel="learning rate", ylabel="validation loss after the last epoch")
    ax.set_title("mean over the seeds; circled: the rate chosen", fontsize=10)
    ax.legend(fontsize=8)
    return StaticFigure(fig)


# -- the explorer --------------------------------------------------------------------------


def summary_table(runs):
    """An HTML table of final losses, accuracy, steps per run; ``runs`` maps a label to a run dict."""
    rows = []
    for label, run in runs.items():
        done = np.isfinite(run["loss"])
        final, final_val = run["loss"][done][-1], run["val_loss"][done][-1]
        status = f"diverged in epoch {run['diverged_at']}" if run["diverged_at"] else "ok"
        rows.append(
            f"<tr><td>{label}</td><td>{final:.4f}</td><td>{final_val:.4f}</td><td>{run['accuracy']:.3f}</td>"
            f"<td>{run['n_steps']}</td><td>{status}</td></tr>"
        )
    head = (
        "<tr><th>optimiser</th><th>final loss</th><th>validation loss</th><th>accuracy</th>"
        "<th>steps</th><th></th></tr>"
    )
    return "<table>" + head + "".join(rows) + "</table>"


def warm_up(batch_size=BATCH_SIZE, n_epochs=N_EPOCHS, seed=0):
    """Train, into the cache, the runs one slider move away from the explorer's start.

    Every learning rate of every optimiser at ``batch_size``, and every batch size at each
    optimiser's default learning rate: 18 + 18 runs, a few seconds in a fresh kernel, less in
    notebook 08, which has already trained the first 18 (and more) to choose the rates.
    """
    for name in OPTIMIZER_NAMES:
        for lr in LR_OPTIONS:
            train_run(name, float(lr), batch_size, n_epochs, seed)
        for size in BATCH_OPTIONS:
            train_run(name, float(DEFAULT_LR[name]), min(size, N_SAMPLES), n_epochs, seed)


def optimizers_explorer(n_epochs=N_EPOCHS, seed=0, warm=True):
    """The widget: pick optimisers, each one's learning rate, and the batch size.

    Returns an ``ipywidgets.VBox`` with attributes ``show`` and ``lr`` (dicts from
    ``"sgd"``/``"momentum"``/``"adam"`` to a Checkbox and a SelectionSlider),
    ``batch_size`` (SelectionSlider; 300 = full batch), ``table`` (HTML: final training and
    validation loss, accuracy, steps of each shown run), ``image`` (the figure as PNG),
    ``fig``, ``ax``, ``lines`` (one ``Line2D`` per optimiser, hidden when unticked), ``runs``
    (the run dicts shown) and ``update()``. It shows the runs of one ``seed``.

    Rendering: the figure is laid out once; its frame, x axis, labels and title are drawn
    once and kept as pixels, and a callback redraws only the y axis (whole decades around
    the curves shown), the curves and the legend (``plotting.FastPNG``).
    A run not seen before trains the network (tens to hundreds of milliseconds); runs
    and the images of settings already shown are cached. With ``warm`` (default) the runs
    one move away from the start are trained first (:func:`warm_up`), so that moving any
    single slider from there never waits for training.
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure
    from matplotlib.ticker import LogLocator, NullFormatter

    from ..plotting import FastPNG

    if warm:
        warm_up(BATCH_SIZE, n_epochs, seed)

    show = {
        name: widgets.Checkbox(
            value=True, description=LABELS[name], indent=False, layout=widgets.Layout(width="190px")
        )
        for name in OPTIMIZER_NAMES
    }
    lr = {
        name: widgets.SelectionSlider(
            options=list(LR_OPTIONS), value=DEFAULT_LR[name], description="lr", continuous_update=False
        )
        for name in OPTIMIZER_NAMES
    }
    batch_options = [(f"{b} (full: GD)" if b == N_SAMPLES else str(b), b) for b in BATCH_OPTIONS]
    batch_size = widgets.SelectionSlider(
        options=batch_options,
        value=BATCH_SIZE,
        description="batch size",
        continuous_update=False,
        style={"description_width": "initial"},
    )
    table = widgets.HTML()
    image = widgets.Image(format="png")

    fig = Figure(figsize=(7.5, 3.6), dpi=72)
    fig.subplots_adjust(left=0.11, right=0.98, bottom=0.14, top=0.9)
    ax = fig.add_subplot()
    epochs = np.arange(n_epochs + 1)
    lines = {
        name: ax.plot(epochs, np.ones_like(epochs, dtype=float), color=COLOURS[name], lw=2)[0]
        for name in OPTIMIZER_NAMES
    }
    ax.set_yscale("log")
    ax.yaxis.set_minor_locator(LogLocator(subs=(2, 5)))  # few, unlabelled: cheap to redraw
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlim(0, n_epochs)
    ax.set_xlabel("epoch (one pass over the 300 points)")
    # the y label as a plain text: drawn once, not re-placed around the ticks every redraw
    ax.text(
        0.012,
        0.52,
        "training loss (mean BCE)",
        transform=fig.transFigure,
        rotation=90,
        ha="left",
        va="center",
    )
    ax.grid(True, which="major", alpha=0.3)
    ax.set_title(f"seed {seed}: the same initial weights, the same mini-batches for every run", fontsize=10)
    renderer = FastPNG(fig)
    pngs = {}  # (shown optimisers and their lr, batch size) -> PNG bytes of a state already drawn
    box = widgets.VBox()
    box.runs = {}

    def update(change=None):
        box.runs = {}
        shown = []
        for name in OPTIMIZER_NAMES:
            line = lines[name]
            line.set_visible(show[name].value)
            if not show[name].value:
                continue
            run = loss_curve(name, lr[name].value, batch_size.value, n_epochs, seed)
            label = f"{LABELS[name]}, lr {lr[name].value:g}"
            box.runs[label] = run
            line.set_ydata(run["loss"])
            line.set_label(
                label + (f" (diverged in epoch {run['diverged_at']})" if run["diverged_at"] else "")
            )
            shown.append(run["loss"])
        if shown:
            ax.set_ylim(*decade_limits(np.concatenate(shown), min_decades=1, margin=0.1))
        ticked = [name for name in OPTIMIZER_NAMES if show[name].value]
        legend = ax.get_legend()
        if legend is not None:
            legend.remove()
        if ticked:
            legend = ax.legend(handles=[lines[name] for name in ticked], loc="lower left", fontsize=9)
        table.value = summary_table(box.runs) if box.runs else "<i>tick an optimiser</i>"
        # hidden lines draw nothing; the y axis moves with the limits
        moving = [ax.yaxis, *lines.values(), ax.get_legend()]
        state = (tuple((name, lr[name].value) for name in ticked), batch_size.value)
        image.value = remember_png(pngs, state, lambda: renderer.png(moving))

    for control in [*show.values(), *lr.values(), batch_size]:
        control.observe(update, names="value")
    rows = [widgets.HBox([show[name], lr[name]]) for name in OPTIMIZER_NAMES]
    box.children = [*rows, batch_size, widgets.HBox([image, table])]
    box.show, box.lr, box.batch_size, box.table, box.image = show, lr, batch_size, table, image
    box.fig, box.ax, box.lines, box.update = fig, ax, lines, update
    update()
    return box

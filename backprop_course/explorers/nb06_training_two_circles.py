"""Notebook 06: two explorers and the notebook's figures.

* ``rates_explorer``: log sliders for η_W and η_b and toggles for the original's errata 1, 4 and
  5, over the original run. Every setting of the toggles is one pair (η_W, η_b) of learning
  rates on the mean loss (``original.effective_learning_rates``); the explorer trains the
  corrected network with that pair (``rates_run``, 150 iterations, about 0.1 s) and overlays
  its loss and accuracy on the original's.
* ``training_explorer``: learning-rate and epoch sliders for the corrected network. For each
  learning rate the whole training run is computed once and kept: the loss, the accuracies and
  the parameters every ``snapshot_every`` epochs. By default every learning rate is trained when
  the explorer is built (about two seconds), so that no slider waits for training; moving the
  epoch slider only loads a snapshot and evaluates the network on the plotting grid.

The data are the original's two circles split into training, validation and test sets
(``circles_split``), the network the corrected ``[2, 4, 3, 1]`` ReLU/ReLU/sigmoid MLP with He
initialisation (``new_network``).
"""

import itertools
from functools import lru_cache

import numpy as np

from backprop_lib import MLP

from ..original import (
    DIVERGENCE_RISE,
    ERRATA_IN_CODE,
    LEARNING_RATE,
    N_EPOCHS,
    effective_learning_rates,
    max_loss_rise,
    run_original,
)
from ..plotting import (
    FastPNG,
    StaticFigure,
    decision_grid,
    epoch_marker,
    grid_probabilities,
    new_figure,
    plot_decision_boundary,
    plot_loss_curve,
    update_decision_boundary,
)
from ..trajectory import record_training

LEARNING_RATES = (0.03, 0.1, 0.3, 1.0, 3.0)
LOSS_LIMITS = (1e-3, 3.0)
ARCHITECTURE = ([2, 4, 3, 1], ["relu", "relu", "sigmoid"])


def circles_split(seed=0):
    """The original's 1000 circles split, stratified, into training, validation and test sets:
    ``X_train, X_val, X_test, y_train, y_val, y_test`` of 600, 150 and 250 samples.

    X ``(n, 2)``, y ``(n, 1)``. Settings are chosen on the validation set; the test set is
    used once, for the chosen setting.
    """
    from sklearn.model_selection import train_test_split

    from ..original import make_original_data

    X, y = make_original_data()
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=250, random_state=seed, stratify=y[:, 0]
    )
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest, y_rest, test_size=150, random_state=seed, stratify=y_rest[:, 0]
    )
    return X_train, X_val, X_test, y_train, y_val, y_test


def new_network(seed=1):
    """The corrected model: ``MLP([2, 4, 3, 1], relu/relu/sigmoid, bce)``, He init."""
    return MLP(*ARCHITECTURE, loss="bce", seed=seed)


class TrajectoryCache:
    """One ``Trajectory`` per learning rate, computed on demand. ``data`` is ``(X_train, X_val,
    y_train, y_val)``: the runs train on the first and record their accuracy on the second."""

    def __init__(self, data, epochs=600, seed=1, snapshot_every=10):
        self.X_train, self.X_val, self.y_train, self.y_val = data
        self.epochs, self.seed, self.snapshot_every = epochs, seed, snapshot_every
        self._runs = {}

    def __contains__(self, lr):
        return float(lr) in self._runs

    def validation_loss(self, lr, epoch=None):
        """The mean loss on the validation set of the run for ``lr`` after ``epoch`` (default: its last)."""
        traj = self.get(lr)
        net = new_network(self.seed)
        net.set_parameters(traj.params_at(traj.epochs_done if epoch is None else epoch))
        return net.loss(self.X_val, self.y_val)

    def get(self, lr):
        """The trajectory for ``lr`` (trained first if needed)."""
        lr = float(lr)
        if lr not in self._runs:
            self._runs[lr] = record_training(
                new_network(self.seed),
                self.X_train,
                self.y_train,
                lr,
                self.epochs,
                self.X_val,
                self.y_val,
                snapshot_every=self.snapshot_every,
            )
        return self._runs[lr]


def choose_learning_rate(cache, learning_rates):
    """``(best, {lr: validation loss})``: the learning rate whose run ends with the lowest mean
    loss on the validation set (a finer measure than accuracy, which ties near 1)."""
    losses = {float(lr): cache.validation_loss(lr) for lr in learning_rates}
    return min(losses, key=losses.get), losses


def epoch_summary(trajectory, epoch, held_out="validation"):
    """Text for one epoch: ``lr 0.3, epoch 600: loss 0.022260, train accuracy 0.996, validation
    accuracy 0.993`` (``held_out`` names the data the trajectory's second accuracy is on)."""
    e = min(int(epoch), trajectory.epochs_done)
    text = (
        f"lr {trajectory.lr:g}, epoch {e}: loss {trajectory.losses[e]:.6f}, "
        f"train accuracy {trajectory.train_accuracy[e]:.3f}"
    )
    if trajectory.test_accuracy is not None:
        text += f", {held_out} accuracy {trajectory.test_accuracy[e]:.3f}"
    if trajectory.diverged:
        text += f" (diverged after epoch {trajectory.epochs_done})"
    return text


def training_explorer(
    data=None,
    learning_rates=LEARNING_RATES,
    lr=0.3,
    epochs=600,
    seed=1,
    snapshot_every=10,
    resolution=80,
    train_all=True,
):
    """The widget: a learning-rate slider, an epoch slider, decision boundary and loss curve.

    ``data`` is ``(X_train, X_val, y_train, y_val)`` (default: from :func:`circles_split`).
    ``train_all``: train every learning rate now and draw all their loss curves, the
    chosen one highlighted (default); otherwise a learning rate trains on its first visit
    and its curve joins the plot then.
    Returns an ``ipywidgets.VBox`` with attributes ``lr`` (SelectionSlider),
    ``epoch`` (IntSlider), ``status`` (HTML: the numbers of the shown epoch), ``image`` (the figure as
    PNG), ``fig``, ``artists`` (decision-boundary artists), ``loss_lines`` (one loss curve
    per learning rate computed so far), ``marker`` (epoch line), ``cache``
    (:class:`TrajectoryCache`), ``proba()`` (the grid probabilities shown) and ``update()``.
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    learning_rates = tuple(float(v) for v in learning_rates)
    if float(lr) not in learning_rates:
        raise ValueError(f"lr: expected one of {learning_rates}, got {lr!r}")
    if data is None:
        X_train, X_val, _, y_train, y_val, _ = circles_split()
        data = (X_train, X_val, y_train, y_val)
    cache = TrajectoryCache(data, epochs=epochs, seed=seed, snapshot_every=snapshot_every)
    X_train, _, y_train, _ = data
    xx, yy, points = decision_grid(X_train, resolution=resolution)
    net = new_network(seed)

    lr_w = widgets.SelectionSlider(
        options=list(learning_rates),
        value=float(lr),
        description="learning rate",
        continuous_update=False,
        style={"description_width": "initial"},
    )
    epoch_w = widgets.IntSlider(
        value=epochs, min=0, max=epochs, step=snapshot_every, description="epoch", continuous_update=True
    )
    status = widgets.HTML()
    image = widgets.Image(format="png")

    fig = Figure(figsize=(9.5, 3.8), dpi=80)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.9, wspace=0.25)
    ax_map, ax_loss = fig.subplots(1, 2)
    state = {"proba": None}

    first = cache.get(float(lr))
    state["proba"] = grid_probabilities(net, xx, points, first.params_at(epochs))
    artists = plot_decision_boundary(ax_map, xx, yy, state["proba"], X_train, y_train)
    loss_lines = {}
    ax_loss.set_title("training loss; dashed: the shown epoch", fontsize=10)
    marker = epoch_marker(ax_loss, epochs)
    renderer = FastPNG(fig)

    def add_loss_line(traj):
        if traj.lr not in loss_lines:
            loss_lines[traj.lr] = plot_loss_curve(ax_loss, traj.losses, label=f"lr {traj.lr:g}")
            ax_loss.set_xlim(0, epochs)
            ax_loss.set_ylim(*LOSS_LIMITS)
            for line in loss_lines.values():  # the legend copies each line's current style
                line.set_linewidth(1.5)
                line.set_alpha(1.0)
            ax_loss.legend(loc="lower left", fontsize=8)
            renderer.invalidate()  # the legend is part of the static background

    def highlight(lr_value):
        for value, line in loss_lines.items():
            line.set_linewidth(2.5 if value == lr_value else 1.0)
            line.set_alpha(1.0 if value == lr_value else 0.35)

    def update(change=None):
        traj = cache.get(float(lr_w.value))
        add_loss_line(traj)
        highlight(traj.lr)
        e = min(epoch_w.value, traj.epochs_done)
        state["proba"] = grid_probabilities(net, xx, points, traj.params_at(e))
        update_decision_boundary(artists, state["proba"])
        ax_map.set_title(f"P(class 1) after epoch {e}, lr {traj.lr:g}", fontsize=10)
        marker.set_xdata([e, e])
        status.value = epoch_summary(traj, epoch_w.value)
        moving = [artists["image"], artists["contour"], *artists["points"], ax_map.title, marker]
        image.value = renderer.png(moving + list(loss_lines.values()))

    if train_all:  # every curve drawn now: the legend and frame never change after this
        for value in learning_rates:
            add_loss_line(cache.get(value))
    lr_w.observe(update, names="value")
    epoch_w.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox([lr_w, epoch_w]), status, image])
    box.lr, box.epoch, box.status, box.image = lr_w, epoch_w, status, image
    box.fig, box.artists, box.loss_lines, box.marker, box.cache = fig, artists, loss_lines, marker, cache
    box.proba = lambda: state["proba"]
    box.update = update
    return box


# -- the rates explorer: η_W and η_b over the original run ------------------------------------

RATE_LIMITS = {"W": (1e-3, 1e2), "b": (1e-6, 1e2)}


@lru_cache(maxsize=128)
def rates_run(lr_W, lr_b, epochs=N_EPOCHS):
    """The original's network and start with correct gradients (no errata) and the mean loss,
    trained with learning rate ``lr_W`` for the weights and ``lr_b`` for the biases: an
    ``OriginalRun`` (``losses`` are means). Cached: runs are read-only."""
    lr_W, lr_b = float(lr_W), float(lr_b)
    for name, value in (("lr_W", lr_W), ("lr_b", lr_b)):
        if not np.isfinite(value) or value <= 0:
            raise ValueError(f"{name}: expected a learning rate > 0, got {value}")
    return run_original(errata=(), lr=lr_W, epochs=epochs, bias_ratio=lr_b / lr_W)


def errata_giving(lr_W, lr_b, lr=LEARNING_RATE):
    """The sets of the original's errata (from 1, 4, 5) that, with learning rate ``lr``, act as
    (``lr_W``, ``lr_b``) on the mean loss; [] if none does."""
    found = []
    for k in range(len(ERRATA_IN_CODE) + 1):
        for errata in itertools.combinations(ERRATA_IN_CODE, k):
            W, b = effective_learning_rates(errata, lr)
            if np.isclose(W, lr_W, rtol=1e-9) and np.isclose(b, lr_b, rtol=1e-9):
                found.append(errata)
    return found


def rates_summary(run, lr_W, lr_b):
    """One line about a run of ``rates_run``: its errata equivalent, accuracies, divergence."""
    errata = errata_giving(lr_W, lr_b)
    if errata:
        names = ", ".join(map(str, errata[0])) or "none"
        origin = f"what the original's code does with errata {{{names}}} and η = {LEARNING_RATE:g}"
    else:
        origin = "no combination of errata 1, 4, 5 gives these rates"
    acc = run.accuracies[np.isfinite(run.accuracies)]
    rise = max_loss_rise(run.losses)
    verdict = (
        f"diverged: one step raised the loss by {100 * rise:.1f} %"
        if rise > DIVERGENCE_RISE or not run.finite
        else "no step raised the loss by more than 1 %"
    )
    return (
        f"η_W = {lr_W:.3g}, η_b = {lr_b:.3g} ({origin}): final accuracy {acc[-1]:.3f}, best "
        f"{acc.max():.3f} at iteration {int(np.argmax(acc))}; {verdict}"
    )


def _build_rates_figure(original):
    """Loss (a mean) and accuracy per iteration: the original in grey, the chosen rates in colour."""
    fig, (ax_loss, ax_acc) = new_figure(1, 2, figsize=(10, 3.4), dpi=80)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.16, top=0.86, wspace=0.25)
    iterations = np.arange(len(original.losses))
    grey = dict(color="0.55", lw=4, alpha=0.45)  # wide and pale: visible under a run that follows it
    ax_loss.plot(iterations, original.losses / 1000, label="the original (its sum ÷ 1000)", **grey)
    ax_acc.plot(iterations, original.accuracies, label="the original", **grey)
    (loss_line,) = ax_loss.plot([], [], color="C0", lw=1.5, label="these rates")
    (acc_line,) = ax_acc.plot([], [], color="C3", lw=1.5, label="these rates")
    ax_loss.set_ylim(0.3, 1.1)  # ln 2 ≈ 0.69 is where every run starts
    ax_loss.set_xlim(0, len(iterations) - 1)
    ax_loss.set_xlabel("iteration")
    ax_loss.set_ylabel("mean cross-entropy")
    ax_acc.set_ylim(0.4, 1.02)
    ax_acc.set_xlim(0, len(iterations) - 1)
    ax_acc.set_xlabel("iteration")
    ax_acc.set_ylabel("training accuracy")
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper right")
    ax_acc.set_title("grey: the original run", fontsize=10)
    return fig, {"loss": loss_line, "accuracy": acc_line, "title": ax_loss.title}


def _show_run(artists, run, lr_W, lr_b):
    iterations = np.arange(len(run.losses))
    artists["loss"].set_data(iterations, run.losses)
    artists["accuracy"].set_data(iterations, run.accuracies)
    artists["title"].set_text(f"η_W = {lr_W:.3g}, η_b = {lr_b:.3g}")
    artists["title"].set_fontsize(10)


@lru_cache(maxsize=1)
def original_run():
    """The original run (``original.run_original()``), computed once: the explorer's grey curves."""
    return run_original()


def rates_explorer(lr_W=10.0, lr_b=0.01):
    """The widget: log sliders for η_W and η_b, toggles for errata 1, 4 and 5 (on, as in the
    original's code, which sets the sliders to the rates they amount to with η = 0.005), and the
    run of those rates over the original run.

    Returns an ``ipywidgets.VBox`` with attributes ``lr_W``, ``lr_b`` (FloatLogSlider),
    ``errata`` (``{1: Checkbox, 4: ..., 5: ...}``), ``status`` (HTML), ``image``, ``fig``,
    ``artists``, ``run()`` (the ``OriginalRun`` shown) and ``update()``.
    """
    import ipywidgets as widgets

    rates_run(lr_W, lr_b)  # validates the starting values
    sliders = {}
    for name, value in (("W", lr_W), ("b", lr_b)):
        low, high = RATE_LIMITS[name]
        sliders[name] = widgets.FloatLogSlider(
            value=value,
            base=10,
            min=np.log10(low),
            max=np.log10(high),
            step=0.05,
            description=f"η_{name}",
            readout_format=".3g",
            continuous_update=False,
        )
    errata = {
        number: widgets.Checkbox(value=True, description=f"erratum {number} ({text})", indent=False)
        for number, text in ((1, "σ′ × 2"), (4, "loss a sum"), (5, "db a mean"))
    }
    status = widgets.HTML()
    image = widgets.Image(format="png")
    fig, artists = _build_rates_figure(original_run())
    renderer = FastPNG(fig)
    state = {"busy": False}

    def current():
        return rates_run(sliders["W"].value, sliders["b"].value)

    def update(change=None):
        if state["busy"]:
            return
        W, b = sliders["W"].value, sliders["b"].value
        run = rates_run(W, b)
        _show_run(artists, run, W, b)
        status.value = rates_summary(run, W, b)
        image.value = renderer.png([artists["loss"], artists["accuracy"], artists["title"]])

    def on_errata(change):
        on = tuple(number for number, box in errata.items() if box.value)
        W, b = effective_learning_rates(on, LEARNING_RATE)
        state["busy"] = True  # move both sliders, then run once
        try:
            sliders["W"].value, sliders["b"].value = W, b
        finally:
            state["busy"] = False
        update()

    for slider in sliders.values():
        slider.observe(update, names="value")
    for box in errata.values():
        box.observe(on_errata, names="value")
    update()
    controls = widgets.HBox([widgets.VBox([sliders["W"], sliders["b"]]), widgets.VBox(list(errata.values()))])
    box = widgets.VBox([controls, status, image])
    box.lr_W, box.lr_b, box.errata, box.status, box.image = sliders["W"], sliders["b"], errata, status, image
    box.fig, box.artists, box.run, box.update = fig, artists, current, update
    return box


# -- the notebook's static figures -------------------------------------------------------------


def _mean_losses(run):
    """A run's losses as means over the 1000 samples (the original's erratum 4 printed a sum)."""
    return run.losses / 1000 if 4 in run.errata else run.losses


def original_figure(run):
    """The original run: its printed loss (a sum over 1000 samples) and its accuracy per iteration."""
    from ..plotting import plot_loss_and_accuracy

    fig, ax = new_figure(figsize=(7, 3))
    fig.subplots_adjust(left=0.1, right=0.9, bottom=0.16, top=0.88)
    plot_loss_and_accuracy(
        ax, run.losses, run.accuracies, title="the original run: loss (a sum) and accuracy"
    )
    return StaticFigure(fig, dpi=fig.dpi)


def ablation_figure(rows, extra=None):
    """One small panel per row of ``original.ablation``: accuracy (red) and mean loss (blue).

    ``extra`` is ``(label, OriginalRun)`` for one more panel (e.g. a longer run). Separate
    panels, so no run hides behind another at 50 %; few ticks, so it draws quickly.
    """
    from matplotlib.ticker import MaxNLocator

    panels = [(_row_label(r), r["run"]) for r in rows] + ([extra] if extra else [])
    columns = 3
    n_rows = -(-len(panels) // columns)
    fig, axes = new_figure(n_rows, columns, figsize=(11, 2.0 * n_rows + 0.5), dpi=80)
    fig.subplots_adjust(left=0.05, right=0.92, bottom=0.06, top=0.9, wspace=0.5, hspace=0.55)
    for ax, (label, run) in zip(axes.ravel(), panels):
        iterations = np.arange(len(run.losses))
        ax.plot(iterations, run.accuracies, color="C3", lw=1.4)
        ax.set_ylim(0.4, 1.0)
        ax.set_yticks([0.5, 0.75, 1.0])
        ax.set_xticks([0, len(iterations) // 2, len(iterations)])
        ax.set_title(label, fontsize=8.5)
        ax.tick_params(labelsize=7)
        loss_ax = ax.twinx()
        loss_ax.plot(iterations, _mean_losses(run), color="C0", lw=1.0)
        loss_ax.yaxis.set_major_locator(MaxNLocator(3))
        loss_ax.ticklabel_format(axis="y", useOffset=False)
        loss_ax.tick_params(labelsize=7, colors="C0")
    for ax in axes.ravel()[len(panels) :]:
        ax.set_axis_off()
    axes.ravel()[0].set_ylabel("accuracy", color="C3", fontsize=8)
    fig.suptitle(
        "ablation: accuracy (red, left axis) and mean loss (blue, right axis) per iteration", fontsize=10
    )
    return StaticFigure(fig, dpi=fig.dpi)


def _row_label(row):
    fixed = "none" if not row["fixed"] else ", ".join(map(str, row["fixed"]))
    return f"fixed: {fixed} (η_W = {row['lr_W']:g}, η_b = {row['lr_b']:g})"


def decision_figure(net, X, y, losses, title="corrected model: P(class 1), test points"):
    """P(class 1) of ``net`` with the points (X, y), and the loss curve ``losses``."""
    xx, yy, grid_points = decision_grid(X, resolution=100)
    fig, (ax_map, ax_loss) = new_figure(1, 2, figsize=(10, 3.8))
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.9, wspace=0.25)
    plot_decision_boundary(ax_map, xx, yy, grid_probabilities(net, xx, grid_points), X, y, title=title)
    plot_loss_curve(ax_loss, losses, label="training loss (mean cross-entropy)")
    ax_loss.legend(fontsize=8)
    return StaticFigure(fig, dpi=fig.dpi)


def snapshots_figure(trajectory, X, y, epochs=(0, 50, 150, 600), seed=1):
    """The decision map of ``trajectory`` at a few ``epochs``, with the points (X, y)."""
    xx, yy, grid_points = decision_grid(X, resolution=80)
    fig, axes = new_figure(1, len(epochs), figsize=(3.5 * len(epochs), 3.3))
    fig.subplots_adjust(left=0.06, right=0.99, bottom=0.15, top=0.9, wspace=0.3)
    for ax, epoch in zip(axes, epochs):
        proba = grid_probabilities(new_network(seed), xx, grid_points, trajectory.params_at(epoch))
        title = f"epoch {epoch}: train acc {trajectory.train_accuracy[epoch]:.3f}"
        plot_decision_boundary(ax, xx, yy, proba, X, y, title=title)
    return StaticFigure(fig, dpi=fig.dpi)

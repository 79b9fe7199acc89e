"""Notebook 06: the training explorer — learning rate and epoch sliders.

For each learning rate the whole training run is computed once and kept: the loss, the
accuracies and the parameters every ``snapshot_every`` epochs. By default every learning
rate is trained when the explorer is built (about a second), so that no slider waits for
training; moving the epoch slider only loads a snapshot and evaluates the network on the
plotting grid, which takes milliseconds.

The data are the original's two circles split into train and test sets, the network the
corrected ``[2, 4, 3, 1]`` ReLU/ReLU/sigmoid MLP with He initialisation.
"""

from backprop_lib import MLP

from ..original import make_original_data
from ..plotting import (
    FastPNG,
    decision_grid,
    epoch_marker,
    grid_probabilities,
    plot_decision_boundary,
    plot_loss_curve,
    update_decision_boundary,
)
from ..trajectory import record_training

LEARNING_RATES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
LOSS_LIMITS = (1e-3, 3.0)
ARCHITECTURE = ([2, 4, 3, 1], ["relu", "relu", "sigmoid"])


def circles_split(test_size=0.25, seed=0):
    """The original's 1000 circles split (stratified) into ``X_train, X_test, y_train, y_test``.

    X ``(n, 2)``, y ``(n, 1)``; 750/250 samples with the default ``test_size``.
    """
    from sklearn.model_selection import train_test_split

    X, y = make_original_data()
    return train_test_split(X, y, test_size=test_size, random_state=seed, stratify=y[:, 0])


def new_network(seed=1):
    """The corrected model: ``MLP([2, 4, 3, 1], relu/relu/sigmoid, bce)``, He init."""
    return MLP(*ARCHITECTURE, loss="bce", seed=seed)


class TrajectoryCache:
    """One ``Trajectory`` per learning rate, computed on demand."""

    def __init__(self, data, epochs=600, seed=1, snapshot_every=10):
        self.X_train, self.X_test, self.y_train, self.y_test = data
        self.epochs, self.seed, self.snapshot_every = epochs, seed, snapshot_every
        self._runs = {}

    def __contains__(self, lr):
        return float(lr) in self._runs

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
                self.X_test,
                self.y_test,
                snapshot_every=self.snapshot_every,
            )
        return self._runs[lr]


def epoch_summary(trajectory, epoch):
    """Text for one epoch: ``lr 0.3, epoch 600: loss 0.022260, train 0.996, test 0.996``."""
    e = min(int(epoch), trajectory.epochs_done)
    text = (
        f"lr {trajectory.lr:g}, epoch {e}: loss {trajectory.losses[e]:.6f}, "
        f"train accuracy {trajectory.train_accuracy[e]:.3f}"
    )
    if trajectory.test_accuracy is not None:
        text += f", test accuracy {trajectory.test_accuracy[e]:.3f}"
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

    ``data`` is ``(X_train, X_test, y_train, y_test)`` (default :func:`circles_split`).
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
    data = circles_split() if data is None else data
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

"""Training loops that keep their history, and the grid for drawing decision boundaries.

Small and general on purpose: any :class:`backprop_lib.MLP` with one sigmoid output (or
several softmax outputs) can be trained by :func:`train`, which records the loss,
accuracies and a copy of the parameters after every ``snapshot_every`` epochs, so that a
widget can show epoch e instantly by loading snapshot e instead of re-training.
"""

from dataclasses import dataclass, field

import numpy as np

from .validation import as_float_matrix, check_learning_rate


def accuracy(y, yhat, threshold=0.5):
    """Fraction of correct predictions; y ``(n,)`` or ``(n, k)``, ŷ the network output.

    One output column: predicted class is ``ŷ > threshold``. Several columns: the argmax
    (y one-hot or integer labels ``(n,)``).
    """
    yhat = np.asarray(yhat, dtype=float)
    y = np.asarray(y)
    if yhat.ndim == 1:
        yhat = yhat.reshape(-1, 1)
    if yhat.ndim != 2 or len(yhat) == 0:
        raise ValueError(f"accuracy: expected ŷ of shape (n_samples, n_outputs), got {yhat.shape}")
    if len(y) != len(yhat):
        raise ValueError(f"accuracy: expected {len(yhat)} targets to match ŷ, got {len(y)}")
    if yhat.shape[1] == 1:
        predicted = (yhat[:, 0] > threshold).astype(int)
        truth = y.reshape(len(y), -1)[:, 0] > 0.5
    else:
        predicted = yhat.argmax(axis=1)
        truth = y.argmax(axis=1) if y.ndim == 2 else y
    return float(np.mean(predicted == truth))


def get_parameters(net):
    """A copy of every layer's ``(W, b)``: ``[(W1, b1), (W2, b2), ...]``."""
    return [(layer.W.copy(), layer.b.copy()) for layer in net.layers]


def set_parameters(net, params):
    """Load ``[(W1, b1), ...]`` (as from :func:`get_parameters`) into ``net`` (copies)."""
    if len(params) != len(net.layers):
        raise ValueError(f"set_parameters: expected {len(net.layers)} (W, b) pairs, got {len(params)}")
    for k, (layer, (W, b)) in enumerate(zip(net.layers, params), start=1):
        if np.shape(W) != layer.W.shape or np.shape(b) != layer.b.shape:
            raise ValueError(
                f"set_parameters: layer {k} expected W {layer.W.shape} and b {layer.b.shape}, "
                f"got {np.shape(W)} and {np.shape(b)}"
            )
        layer.W, layer.b = np.array(W, dtype=float), np.array(b, dtype=float)


@dataclass
class Trajectory:
    """The history of one training run.

    ``losses[e]`` and ``train_accuracy[e]`` (and ``test_accuracy[e]`` if a test set was
    given) describe the network after ``e`` epochs, e = 0 .. epochs_done (length
    ``epochs_done + 1``). ``snapshots[i]`` are the parameters after epoch
    ``snapshot_epochs[i]``. ``diverged`` is set when an update would have made a parameter
    non-finite; training stopped there.
    """

    lr: float
    epochs: int
    losses: np.ndarray
    train_accuracy: np.ndarray
    test_accuracy: np.ndarray = None
    snapshot_epochs: list = field(default_factory=list)
    snapshots: list = field(default_factory=list)
    diverged: bool = False

    @property
    def epochs_done(self):
        return len(self.losses) - 1

    def params_at(self, epoch):
        """The snapshot at the latest recorded epoch ≤ ``epoch``: ``[(W, b), ...]``."""
        if not self.snapshots:
            raise ValueError("params_at: this trajectory kept no snapshots")
        i = int(np.searchsorted(self.snapshot_epochs, epoch, side="right")) - 1
        return self.snapshots[max(i, 0)]

    def __repr__(self):
        return (
            f"Trajectory(lr={self.lr:g}, epochs={self.epochs_done}/{self.epochs}, "
            f"final loss={self.losses[-1]:.6g}, final train acc={self.train_accuracy[-1]:.3f}"
            + (", diverged" if self.diverged else "") + ")"
        )


def train(net, X, y, lr, epochs, X_test=None, y_test=None, snapshot_every=1, progress=None):
    """Full-batch gradient descent on ``net`` for ``epochs`` epochs; returns a :class:`Trajectory`.

    X ``(n, n_features)``, y ``(n, n_outputs)`` (1-D for one output). ``progress`` is an
    optional callable ``progress(epochs_done, epochs)`` called every ``max(1, epochs // 50)``
    epochs and at the end (e.g. to move a progress bar). ``net`` is trained in place.
    """
    lr = check_learning_rate(lr)
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
        raise ValueError(f"epochs: expected an integer >= 0, got {epochs!r}")
    if isinstance(snapshot_every, bool) or not isinstance(snapshot_every, (int, np.integer)) \
            or snapshot_every < 1:
        raise ValueError(f"snapshot_every: expected an integer >= 1, got {snapshot_every!r}")
    X = as_float_matrix(X, "X")
    has_test = X_test is not None
    losses, train_acc, test_acc = [], [], []
    snapshot_epochs, snapshots = [], []
    tick = max(1, epochs // 50)
    diverged = False

    def record(epoch):
        if has_test:
            test_acc.append(accuracy(y_test, net.forward(X_test)))
        # The training forward pass comes last, so its caches feed the next backward.
        losses.append(net.loss(X, y))
        train_acc.append(accuracy(y, net.layers[-1].a))
        if epoch % snapshot_every == 0 or epoch == epochs:
            snapshot_epochs.append(epoch)
            snapshots.append(get_parameters(net))

    # A diverging run overflows somewhere; that is recorded as divergence, not warned about.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        record(0)
        for epoch in range(1, epochs + 1):
            net.backward(y)
            try:
                net.update(lr)
            except FloatingPointError:
                diverged = True
                break
            record(epoch)
            if not np.isfinite(losses[-1]):
                diverged = True
                break
            if progress is not None and epoch % tick == 0:
                progress(epoch, epochs)
    if progress is not None:
        progress(epochs, epochs)
    if not diverged and epochs and snapshot_epochs[-1] != len(losses) - 1:
        snapshot_epochs.append(len(losses) - 1)
        snapshots.append(get_parameters(net))
    return Trajectory(
        lr, epochs, np.array(losses), np.array(train_acc),
        np.array(test_acc) if has_test else None, snapshot_epochs, snapshots, diverged,
    )


def decision_grid(X, resolution=100, margin=0.5):
    """A square grid covering the 2-D data X ``(n, 2)`` plus ``margin`` on every side.

    Returns ``(xx, yy, points)``: ``xx``, ``yy`` ``(resolution, resolution)`` from
    ``np.meshgrid`` and ``points`` ``(resolution², 2)`` to feed to a network.
    """
    X = as_float_matrix(X, "X")
    if X.shape[1] != 2:
        raise ValueError(f"decision_grid: expected 2-D points X of shape (n, 2), got {X.shape}")
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) or resolution < 2:
        raise ValueError(f"resolution: expected an integer >= 2, got {resolution!r}")
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def grid_probabilities(net, xx, points, params=None):
    """P(class 1) of ``net`` on the grid, shaped like ``xx``; loads ``params`` first if given."""
    if params is not None:
        set_parameters(net, params)
    return net.forward(points)[:, 0].reshape(xx.shape)

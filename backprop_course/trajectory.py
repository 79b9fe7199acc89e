"""Training runs that keep their history, so an explorer can show any epoch without re-training.

``record_training`` trains with ``backprop_lib.train`` and records, through its callback,
the accuracies and a snapshot of the parameters every ``snapshot_every`` epochs.
"""

from dataclasses import dataclass, field

import numpy as np

import backprop_lib as bp
from backprop_lib.validation import check_int


@dataclass
class Trajectory:
    """One run. ``losses[e]``, ``train_accuracy[e]`` (and ``test_accuracy[e]``) describe the
    network after e epochs, e = 0 … epochs_done; ``snapshots[i]`` holds the parameters
    ``{"W1": ..., ...}`` after epoch ``snapshot_epochs[i]``."""

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
        """The snapshot at the latest recorded epoch ≤ ``epoch``."""
        i = int(np.searchsorted(self.snapshot_epochs, epoch, side="right")) - 1
        return self.snapshots[max(i, 0)]

    def __repr__(self):
        return (
            f"Trajectory(lr={self.lr:g}, epochs={self.epochs_done}/{self.epochs}, "
            f"final loss={self.losses[-1]:.6g}, final train acc={self.train_accuracy[-1]:.3f}"
            + (", diverged" if self.diverged else "")
            + ")"
        )


def record_training(net, X, y, lr, epochs, X_test=None, y_test=None, snapshot_every=1):
    """Full-batch gradient descent on ``net`` (in place) with ``bp.train``; a ``Trajectory``."""
    snapshot_every = check_int(snapshot_every, "snapshot_every", low=1)
    train_acc, test_acc, snapshot_epochs, snapshots = [], [], [], []

    def record(epoch, net):
        train_acc.append(bp.accuracy(y, net.output(X)))
        if X_test is not None:
            test_acc.append(bp.accuracy(y_test, net.output(X_test)))
        if epoch % snapshot_every == 0 or epoch == epochs:
            snapshot_epochs.append(epoch)
            snapshots.append(dict(net.parameters()))  # the arrays are replaced, never changed

    history = bp.train(net, X, y, lr, epochs, callback=record)
    if snapshot_epochs[-1] != history.epochs_done:  # a diverged run: keep its last finite state
        snapshot_epochs.append(history.epochs_done)
        snapshots.append(dict(net.parameters()))
    return Trajectory(
        float(lr),
        epochs,
        np.array(history.losses),
        np.array(train_acc),
        np.array(test_acc) if X_test is not None else None,
        snapshot_epochs,
        snapshots,
        history.diverged,
    )

"""The training loop: mini-batches, epochs and a callback. Every notebook trains with it."""

from dataclasses import dataclass

import numpy as np

from .optimizers import SGD, Optimizer
from .validation import as_float_matrix, check_int


def minibatches(X, y, batch_size=None, rng=None):
    """The ``(X_batch, y_batch)`` of one epoch: every sample exactly once.

    ``batch_size=None`` gives the whole batch, in order. Otherwise the samples are shuffled
    by ``rng`` (a ``numpy.random.Generator`` or a seed) and cut into batches of
    ``batch_size`` rows; the last batch holds what is left over (n mod batch_size rows).
    """
    if len(y) != len(X):
        raise ValueError(f"y: expected {len(X)} rows to match X, got {len(y)}")
    if batch_size is None:
        yield X, y
        return
    batch_size = check_int(batch_size, "batch_size", low=1)
    order = np.random.default_rng(rng).permutation(len(X))
    for start in range(0, len(X), batch_size):
        rows = order[start : start + batch_size]
        yield X[rows], y[rows]


@dataclass
class History:
    """``losses[e]``: the mean loss on the training data after e epochs (e = 0 is the start).

    ``diverged``: training stopped because a step would have made a parameter, or the loss,
    infinite or NaN. ``losses`` ends with the last finite loss, and the network is left as it
    was then (after epoch ``epochs_done``).
    """

    losses: list
    diverged: bool = False

    @property
    def epochs_done(self):
        return len(self.losses) - 1


def train(net, X, y, optimizer, epochs, batch_size=None, rng=None, callback=None):
    """Train ``net`` on X ``(n, n_0)``, y ``(n, n_K)`` for ``epochs`` passes; returns a ``History``.

    ``optimizer`` is an ``Optimizer`` such as ``Adam(0.01)``, or a learning rate for plain
    gradient descent (``SGD``). ``batch_size=None`` trains on the whole batch at
    every step; otherwise on shuffled mini-batches drawn by ``rng``. ``callback(epoch, net)``
    runs before training (epoch 0) and after every epoch; if it returns True, training stops.
    """
    X = as_float_matrix(X, "X")
    epochs = check_int(epochs, "epochs", low=0)
    if not isinstance(optimizer, Optimizer):
        optimizer = SGD(optimizer)  # a learning rate: plain gradient descent
    rng = np.random.default_rng(rng)
    history = History([net.loss(X, y)])
    if callback is not None and callback(0, net):
        return history
    # A diverging run overflows on its way to infinity: it is recorded, not warned about.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(1, epochs + 1):
            last = dict(net.parameters())  # the arrays are replaced, never changed: no copies
            try:
                for X_batch, y_batch in minibatches(X, y, batch_size, rng):
                    net.forward(X_batch)
                    net.backward(y_batch)
                    optimizer.step(net)
                loss = net.loss(X, y)
            except FloatingPointError:
                loss = np.nan
            if not np.isfinite(loss):
                net.set_parameters(last)  # back to the state of the last finite loss
                history.diverged = True
                return history
            history.losses.append(loss)
            if callback is not None and callback(epoch, net):
                break
    return history


def accuracy(y, yhat, threshold=0.5):
    """Fraction of correct predictions. y ``(n,)`` or ``(n, k)``; ŷ the network's output ``(n, k)``.

    One output column: the predicted class is ŷ > threshold. Several: the argmax (y one-hot,
    or integer labels ``(n,)``).
    """
    yhat, y = np.asarray(yhat, dtype=float), np.asarray(y)
    if len(y) != len(yhat) or len(y) == 0:
        raise ValueError(
            f"accuracy: expected as many targets as predictions (>= 1), got {len(y)} and {len(yhat)}"
        )
    yhat = yhat.reshape(len(yhat), -1)
    if yhat.shape[1] == 1:
        predicted = yhat[:, 0] > threshold
        truth = y.reshape(len(y), -1)[:, 0] > 0.5
    else:
        predicted = yhat.argmax(axis=1)
        truth = y.argmax(axis=1) if y.ndim == 2 else y
    return float(np.mean(predicted == truth))

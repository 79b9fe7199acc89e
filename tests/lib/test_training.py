"""backprop_lib.training: mini-batches, the one training loop, its History, and accuracy."""

import numpy as np
import pytest
from conftest import FailingAt, assert_parameters_equal, one_pass, parameters_copy, small_problem

import backprop_lib as bp
from backprop_lib.optimizers import SGD, Adam, Momentum
from backprop_lib.training import History, minibatches


class Recording(SGD):
    """SGD that records the rows of every batch it steps on (the first layer's input)."""

    def __init__(self, lr):
        super().__init__(lr)
        self.batches = []

    def step(self, net):
        self.batches.append(net.layers[0].a_prev.copy())
        super().step(net)


# -- mini-batches ----------------------------------------------------------------------


@pytest.mark.parametrize("n, batch_size", [(10, 3), (10, 5), (7, 1), (5, 5), (4, 9)])
def test_minibatches_cover_every_sample_once_and_the_last_batch_is_smaller(n, batch_size):
    X = np.arange(2 * n, dtype=float).reshape(n, 2)
    y = np.arange(n)
    batches = list(minibatches(X, y, batch_size, np.random.default_rng(0)))
    sizes = [len(xb) for xb, _ in batches]
    if batch_size >= n:
        assert sizes == [n]
    else:
        assert sizes == [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    seen = np.concatenate([yb for _, yb in batches])
    assert sorted(seen.tolist()) == list(range(n))
    for xb, yb in batches:  # rows stay paired with their targets
        np.testing.assert_array_equal(xb[:, 0], 2 * yb)


def test_without_a_batch_size_the_whole_batch_comes_in_order():
    X, y = np.arange(8.0).reshape(4, 2), np.arange(4)
    ((xb, yb),) = list(minibatches(X, y))
    assert xb is X and yb is y


def test_minibatches_shuffle_reproducibly_and_differently_each_epoch():
    X, y = np.arange(40.0).reshape(20, 2), np.arange(20)
    rng = np.random.default_rng(3)
    first = np.concatenate([yb for _, yb in minibatches(X, y, 6, rng)])
    second = np.concatenate([yb for _, yb in minibatches(X, y, 6, rng)])
    again = np.concatenate([yb for _, yb in minibatches(X, y, 6, np.random.default_rng(3))])
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, second)
    assert not np.array_equal(first, np.arange(20))
    seeded = np.concatenate([yb for _, yb in minibatches(X, y, 6, 3)])  # an int seed works too
    np.testing.assert_array_equal(seeded, first)


@pytest.mark.parametrize(
    "batch_size, error, message",
    [
        (0, ValueError, "batch_size: expected an integer >= 1, got 0"),
        (-3, ValueError, "batch_size: expected an integer >= 1, got -3"),
        (2.5, TypeError, r"batch_size: expected an integer >= 1, got 2.5 \(float\)"),
        (True, TypeError, r"got True \(bool\)"),
        ("8", TypeError, r"got '8' \(str\)"),
    ],
)
def test_minibatches_validate_batch_size(batch_size, error, message):
    with pytest.raises(error, match=message):
        next(minibatches(np.zeros((4, 2)), np.zeros(4), batch_size, np.random.default_rng(0)))


def test_minibatches_need_one_target_per_row():
    with pytest.raises(ValueError, match="y: expected 4 rows to match X, got 3"):
        next(minibatches(np.zeros((4, 2)), np.zeros(3), 2, 0))


def test_batch_gradients_weighted_by_size_average_to_the_full_gradient():
    net, X, y = small_problem(n=23)
    full = one_pass(net, X, y)
    total = {name: np.zeros_like(g) for name, g in full.items()}
    for X_batch, y_batch in minibatches(X, y, 5, np.random.default_rng(1)):
        for name, g in one_pass(net, X_batch, y_batch).items():
            total[name] += len(X_batch) / len(X) * g
    for name in full:
        np.testing.assert_allclose(total[name], full[name], rtol=1e-12, atol=1e-15)


# -- train -------------------------------------------------------------------------------


def test_full_batch_training_with_a_learning_rate_is_plain_gradient_descent():
    net_a, X, y = small_problem()
    net_b, _, _ = small_problem()
    history = bp.train(net_a, X, y, 0.5, 10)  # a number: SGD; batch_size None: full batch
    expected = [net_b.loss(X, y)]
    for _ in range(10):
        one_pass(net_b, X, y)
        net_b.update(0.5)
        expected.append(net_b.loss(X, y))
    assert isinstance(history, History) and history.epochs_done == 10 and not history.diverged
    np.testing.assert_allclose(history.losses, expected, rtol=1e-12)
    for (_, p), (_, q) in zip(net_a.parameters(), net_b.parameters()):
        np.testing.assert_allclose(p, q, rtol=1e-12)


def test_every_epoch_steps_on_shuffled_batches_that_cover_every_sample_once():
    net, X, y = small_problem(n=23)
    opt = Recording(0.1)
    bp.train(net, X, y, opt, 3, batch_size=5, rng=7)
    assert [len(b) for b in opt.batches] == [5, 5, 5, 5, 3] * 3
    orders = []
    for epoch in range(3):
        rows = np.concatenate(opt.batches[5 * epoch : 5 * epoch + 5])
        order = [int(np.flatnonzero((X == row).all(axis=1))[0]) for row in rows]
        assert sorted(order) == list(range(23))
        orders.append(order)
    assert orders[0] != orders[1] != orders[2]  # shuffled anew every epoch
    again = Recording(0.1)
    bp.train(small_problem(n=23)[0], X, y, again, 3, batch_size=5, rng=7)
    for a, b in zip(opt.batches, again.batches):
        np.testing.assert_array_equal(a, b)  # the same seed, the same batches


def test_the_callback_sees_every_epoch_and_can_stop_training():
    net, X, y = small_problem()
    seen = []
    history = bp.train(net, X, y, 0.1, 5, callback=lambda epoch, n: seen.append((epoch, n.loss(X, y))))
    assert [e for e, _ in seen] == [0, 1, 2, 3, 4, 5]
    np.testing.assert_allclose([loss for _, loss in seen], history.losses, rtol=1e-15)
    net, X, y = small_problem()
    history = bp.train(net, X, y, 0.1, 10, callback=lambda epoch, n: epoch == 3)
    assert history.epochs_done == 3 and len(history.losses) == 4 and not history.diverged
    net, X, y = small_problem()
    before = parameters_copy(net)
    history = bp.train(net, X, y, 0.1, 10, callback=lambda epoch, n: True)
    assert history.losses == [net.loss(X, y)] and history.epochs_done == 0
    assert all(np.array_equal(p, before[name]) for name, p in net.parameters())  # stopped before any step


@pytest.mark.parametrize("opt", [SGD(0.3), Momentum(0.03), Adam(0.01)], ids=repr)
def test_every_optimiser_lowers_the_loss(opt):
    net, X, y = small_problem(n=64)
    history = bp.train(net, X, y, opt, 20, batch_size=8, rng=0)
    assert history.losses[-1] < 0.8 * history.losses[0]


def test_training_reduces_the_loss_on_two_circles():
    from sklearn.datasets import make_circles

    X, y = make_circles(n_samples=300, factor=0.5, noise=0.05, random_state=0)
    net = bp.MLP([2, 16, 1], ["tanh", "sigmoid"], loss="bce", seed=0)
    history = bp.train(net, X, y, 1.0, 300)
    assert history.losses[-1] < 0.5 * history.losses[0]
    assert (net.predict(X) == y).mean() > 0.95


def test_a_diverging_run_stops_and_says_so():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 2)), rng.normal(size=(20, 1))
    net = bp.MLP([2, 5, 1], ["tanh", "identity"], loss="mse", seed=0)
    history = bp.train(net, X, y, 50.0, 200)
    assert history.diverged and history.epochs_done < 200
    assert np.isfinite(history.losses).all()  # the last loss is the last finite one
    assert all(np.isfinite(p).all() for _, p in net.parameters())
    assert history.losses[-1] == pytest.approx(net.loss(X, y), rel=1e-12)  # the network as it stopped


class Overflowing(SGD):
    """A step to finite parameters so large that the loss overflows to inf."""

    def step(self, net):
        net.set_parameters({name: np.full_like(p, 1e200) for name, p in net.parameters()})


def snapshots(net, X, y, optimizer, epochs, **kwargs):
    """``(history, {epoch: parameters after it})`` of one ``train`` run."""
    after = {}
    history = bp.train(
        net,
        X,
        y,
        optimizer,
        epochs,
        callback=lambda epoch, n: after.update({epoch: dict(n.parameters())}),
        **kwargs,
    )
    return history, after


@pytest.mark.parametrize("batch_size, fail_at, epochs_done", [(None, 3, 2), (5, 7, 1)])
def test_a_refused_step_ends_the_history_at_the_last_finite_epoch(batch_size, fail_at, epochs_done):
    net, X, y = small_problem()  # 24 samples: 5 batches of at most 5 per epoch
    history, after = snapshots(net, X, y, FailingAt(fail_at), 10, batch_size=batch_size, rng=0)
    assert history.diverged and history.epochs_done == epochs_done == len(history.losses) - 1
    # the network is left as after the last finite epoch, not mid-way through the next one
    assert_parameters_equal(net, after[epochs_done])
    assert net.loss(X, y) == history.losses[-1]


def test_a_loss_that_overflows_ends_the_history_with_the_network_before_that_epoch():
    net = bp.MLP([3, 2, 1], ["identity", "identity"], loss="mse", seed=0)
    _, X, y = small_problem()
    before = parameters_copy(net)
    history, _ = snapshots(net, X, y, Overflowing(0.1), 10)
    assert history.diverged and history.epochs_done == 0 and np.isfinite(history.losses).all()
    assert_parameters_equal(net, before)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"epochs": -1}, ValueError, "epochs: expected an integer >= 0, got -1"),
        ({"epochs": 2.5}, TypeError, r"epochs: expected an integer >= 0, got 2.5 \(float\)"),
        ({"optimizer": -1.0}, ValueError, r"learning rate: expected a finite number in \(0, inf\], got -1.0"),
        ({"optimizer": "adam"}, TypeError, "learning rate: expected a real number, got str"),
        ({"batch_size": 0}, ValueError, "batch_size: expected an integer >= 1, got 0"),
        ({"X": np.zeros(4)}, ValueError, r"X: expected a 2-D array .*got shape \(4,\)"),
        ({"y": np.zeros((3, 1))}, ValueError, r"y: expected shape \(4, 1\) .*got shape \(3, 1\)"),
    ],
)
def test_train_rejects_bad_arguments(kwargs, error, match):
    net = bp.MLP([2, 3, 1], ["relu", "sigmoid"], seed=0)
    args = {"X": np.zeros((4, 2)), "y": np.zeros((4, 1)), "optimizer": 0.1, "epochs": 3, **kwargs}
    with pytest.raises(error, match=match):
        bp.train(net, **args)


# -- accuracy -----------------------------------------------------------------------------


def test_accuracy_binary_and_multiclass():
    y = np.array([0, 1, 1, 0])
    assert bp.accuracy(y, np.array([[0.2], [0.9], [0.5], [0.7]])) == 0.5  # 0.5 is not > 0.5
    assert bp.accuracy(y.reshape(-1, 1), np.array([0.2, 0.9, 0.6, 0.1])) == 1.0
    assert bp.accuracy(y, np.array([[0.2], [0.9], [0.5], [0.7]]), threshold=0.4) == 0.75
    onehot = np.eye(3)[[0, 2, 1]]
    scores = np.array([[0.8, 0.1, 0.1], [0.1, 0.2, 0.7], [0.6, 0.3, 0.1]])
    assert bp.accuracy(onehot, scores) == pytest.approx(2 / 3)
    assert bp.accuracy(np.array([0, 2, 1]), scores) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match=r"expected as many targets as predictions \(>= 1\), got 2 and 3"):
        bp.accuracy(np.zeros(2), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="got 0 and 0"):
        bp.accuracy(np.zeros(0), np.zeros((0, 1)))

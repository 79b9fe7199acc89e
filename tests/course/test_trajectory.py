"""backprop_course.trajectory: a training run that keeps its history, so an explorer can show
any epoch without training again."""

import numpy as np
import pytest
from conftest import parameters_copy

import backprop_lib as bp
from backprop_course.trajectory import Trajectory, record_training


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 2))
    y = (X[:, :1] ** 2 + X[:, 1:] ** 2 < 1.2).astype(float)
    return X[:60], X[60:], y[:60], y[60:]


def new_network():
    return bp.MLP([2, 6, 1], ["tanh", "sigmoid"], loss="bce", seed=1)


def test_every_epoch_is_recorded_and_snapshots_are_kept(data):
    X_train, X_test, y_train, y_test = data
    net = new_network()
    start = parameters_copy(net)
    traj = record_training(net, X_train, y_train, 0.3, 25, X_test, y_test, snapshot_every=10)
    assert isinstance(traj, Trajectory) and traj.epochs_done == 25 and not traj.diverged
    assert len(traj.losses) == len(traj.train_accuracy) == len(traj.test_accuracy) == 26
    assert traj.snapshot_epochs == [0, 10, 20, 25]
    # the loss and accuracies recorded at epoch e are those of snapshot e
    for epoch, params in zip(traj.snapshot_epochs, traj.snapshots):
        probe = new_network()
        probe.set_parameters(params)
        assert probe.loss(X_train, y_train) == pytest.approx(traj.losses[epoch], rel=1e-12)
        assert bp.accuracy(y_train, probe.output(X_train)) == traj.train_accuracy[epoch]
        assert bp.accuracy(y_test, probe.output(X_test)) == traj.test_accuracy[epoch]
    for name, value in start.items():  # snapshot 0 is the start, never changed by training
        np.testing.assert_array_equal(traj.snapshots[0][name], value)
    assert traj.params_at(14) is traj.snapshots[1] and traj.params_at(10) is traj.snapshots[1]
    assert traj.params_at(9) is traj.snapshots[0] and traj.params_at(99) is traj.snapshots[-1]
    for name, p in net.parameters():  # the last one is the network itself
        np.testing.assert_array_equal(traj.params_at(25)[name], p)
    assert traj.losses[-1] < traj.losses[0]
    assert repr(traj) == (
        f"Trajectory(lr=0.3, epochs=25/25, final loss={traj.losses[-1]:.6g}, "
        f"final train acc={traj.train_accuracy[-1]:.3f})"
    )


def test_without_test_data_there_is_no_test_accuracy(data):
    X_train, _, y_train, _ = data
    traj = record_training(new_network(), X_train, y_train, 0.1, 3)
    assert traj.test_accuracy is None and traj.snapshot_epochs == [0, 1, 2, 3]
    assert traj.lr == 0.1 and traj.epochs == 3


def test_a_diverging_run_stops_says_so_and_keeps_its_last_finite_state():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 2)), rng.normal(size=(20, 1))
    net = bp.MLP([2, 5, 1], ["tanh", "identity"], loss="mse", seed=0)
    traj = record_training(net, X, y, 50.0, 200, snapshot_every=50)
    assert traj.diverged and traj.epochs_done < 200
    assert "diverged" in repr(traj) and f"epochs={traj.epochs_done}/200" in repr(traj)
    assert traj.snapshot_epochs[-1] == traj.epochs_done
    probe = bp.MLP([2, 5, 1], ["tanh", "identity"], loss="mse", seed=0)
    probe.set_parameters(traj.params_at(traj.epochs_done))
    assert probe.loss(X, y) == pytest.approx(traj.losses[-1], rel=1e-12)  # finite, and the recorded one


def test_bad_arguments_are_refused(data):
    X_train, _, y_train, _ = data
    with pytest.raises(ValueError, match="snapshot_every: expected an integer >= 1, got 0"):
        record_training(new_network(), X_train, y_train, 0.1, 3, snapshot_every=0)
    with pytest.raises(ValueError, match="epochs: expected an integer >= 0, got -1"):
        record_training(new_network(), X_train, y_train, 0.1, -1)
    with pytest.raises(ValueError, match=r"learning rate: expected a finite number in \(0, inf\], got -1.0"):
        record_training(new_network(), X_train, y_train, -1.0, 3)

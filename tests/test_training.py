"""Training loop with history, accuracy, parameters in and out, the plotting grid."""

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib.explorers.training_explorer import circles_split, new_network
from backprop_lib.training import (
    accuracy, decision_grid, get_parameters, grid_probabilities, set_parameters, train,
)


@pytest.fixture(scope="module")
def split():
    return circles_split()


def test_accuracy_binary_and_multiclass():
    y = np.array([0, 1, 1, 0])
    assert accuracy(y, np.array([[0.2], [0.9], [0.5], [0.7]])) == 0.5  # 0.5 is not > 0.5
    assert accuracy(y.reshape(-1, 1), np.array([0.2, 0.9, 0.6, 0.1])) == 1.0
    assert accuracy(y, np.array([[0.2], [0.9], [0.5], [0.7]]), threshold=0.4) == 0.75
    onehot = np.eye(3)[[0, 2, 1]]
    scores = np.array([[0.8, 0.1, 0.1], [0.1, 0.2, 0.7], [0.6, 0.3, 0.1]])
    assert accuracy(onehot, scores) == pytest.approx(2 / 3)
    assert accuracy(np.array([0, 2, 1]), scores) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="expected 3 targets"):
        accuracy(np.zeros(2), np.zeros((3, 1)))


def test_the_corrected_model_reaches_the_promised_accuracy(split):
    X_train, X_test, y_train, y_test = split
    assert X_train.shape == (750, 2) and X_test.shape == (250, 2)
    traj = train(new_network(seed=1), X_train, y_train, 0.3, 600, X_test, y_test, snapshot_every=100)
    assert traj.train_accuracy[-1] >= 0.99
    assert traj.test_accuracy[-1] >= 0.98
    assert not traj.diverged and np.all(np.diff(traj.losses) < 0)  # not one step uphill


def test_trajectory_records_every_epoch_and_snapshots(split):
    X_train, X_test, y_train, y_test = split
    calls = []
    net = new_network(seed=1)
    traj = train(net, X_train, y_train, 0.3, 25, X_test, y_test, snapshot_every=10,
                 progress=lambda done, total: calls.append((done, total)))
    assert len(traj.losses) == len(traj.train_accuracy) == len(traj.test_accuracy) == 26
    assert traj.snapshot_epochs == [0, 10, 20, 25]
    assert calls[-1] == (25, 25)
    # the loss recorded at epoch e is the loss of snapshot e, and the last one is the net itself
    probe = new_network(seed=1)
    set_parameters(probe, traj.params_at(10))
    assert probe.loss(X_train, y_train) == pytest.approx(traj.losses[10], rel=1e-12)
    assert traj.params_at(14) is traj.snapshots[1]
    for (W, b), layer in zip(traj.params_at(25), net.layers):
        np.testing.assert_array_equal(W, layer.W)
    assert "lr=0.3" in repr(traj)


def test_a_diverging_run_stops_and_says_so():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 2)), rng.normal(size=(20, 1))
    net = bp.MLP([2, 5, 1], ["tanh", "identity"], loss="mse", seed=0)
    traj = train(net, X, y, 50.0, 200)
    assert traj.diverged and traj.epochs_done < 200
    assert "diverged" in repr(traj)


@pytest.mark.parametrize("kwargs, match", [
    ({"epochs": -1}, "epochs"), ({"epochs": 2.5}, "epochs"),
    ({"snapshot_every": 0}, "snapshot_every"), ({"lr": -1.0}, "learning rate"),
])
def test_train_rejects_bad_arguments(kwargs, match):
    net = bp.MLP([2, 3, 1], ["relu", "sigmoid"], seed=0)
    args = {"lr": 0.1, "epochs": 3, **kwargs}
    with pytest.raises(ValueError, match=match):
        train(net, np.zeros((4, 2)), np.zeros((4, 1)), args.pop("lr"), args.pop("epochs"), **args)


def test_parameters_round_trip_and_validation():
    net = bp.MLP([2, 3, 1], ["relu", "sigmoid"], seed=0)
    params = get_parameters(net)
    params[0][0][0, 0] = 99.0  # a copy: the network is unchanged
    assert net.layers[0].W[0, 0] != 99.0
    set_parameters(net, params)
    assert net.layers[0].W[0, 0] == 99.0
    with pytest.raises(ValueError, match="expected 2"):
        set_parameters(net, params[:1])
    with pytest.raises(ValueError, match="layer 1 expected W"):
        set_parameters(net, [(np.zeros((3, 3)), np.zeros((1, 3))), params[1]])


def test_decision_grid_and_probabilities():
    X = np.array([[0.0, 0.0], [1.0, 2.0]])
    xx, yy, points = decision_grid(X, resolution=5, margin=0.5)
    assert xx.shape == yy.shape == (5, 5) and points.shape == (25, 2)
    assert xx.min() == -0.5 and yy.max() == 2.5
    net = bp.MLP([2, 3, 1], ["relu", "sigmoid"], seed=0)
    proba = grid_probabilities(net, xx, points)
    assert proba.shape == (5, 5) and ((proba > 0) & (proba < 1)).all()
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        decision_grid(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="resolution"):
        decision_grid(X, resolution=1)

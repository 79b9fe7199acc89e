"""Notebook 06 (training on two circles): the data split and the corrected model, the training
explorer (learning-rate and epoch sliders) driven without a browser; the exercise checks
(accuracy, the output layer's dz), each typical mistake named."""

import numpy as np
import pytest
from conftest import printed_feedback

from backprop_course.exercises import ExerciseFailed
from backprop_course.exercises.nb06_training_two_circles import check_accuracy, check_output_dz
from backprop_course.explorers.nb06_training_two_circles import (
    ARCHITECTURE,
    TrajectoryCache,
    circles_split,
    epoch_summary,
    new_network,
    training_explorer,
)
from backprop_course.trajectory import Trajectory, record_training


@pytest.fixture(scope="module")
def split():
    return circles_split()


def test_the_split_is_the_originals_circles_stratified(split):
    X_train, X_test, y_train, y_test = split
    assert X_train.shape == (750, 2) and X_test.shape == (250, 2)
    assert y_train.shape == (750, 1) and y_test.shape == (250, 1)
    assert y_train.mean() == y_test.mean() == 0.5  # stratified: half of each class
    again = circles_split()
    np.testing.assert_array_equal(again[0], X_train)  # seeded


def test_the_corrected_model_reaches_the_promised_accuracy(split):
    X_train, X_test, y_train, y_test = split
    net = new_network(seed=1)
    assert net.layer_sizes == ARCHITECTURE[0] and net.loss_fn.name == "bce"
    traj = record_training(net, X_train, y_train, 0.3, 600, X_test, y_test, snapshot_every=100)
    assert traj.train_accuracy[-1] >= 0.99
    assert traj.test_accuracy[-1] >= 0.98
    assert not traj.diverged and np.all(np.diff(traj.losses) < 0)  # not one step uphill


@pytest.fixture(scope="module")
def small_explorer(split):
    return training_explorer(
        data=split,
        learning_rates=(0.1, 0.3),
        lr=0.3,
        epochs=40,
        snapshot_every=10,
        resolution=20,
        train_all=False,
    )


def test_training_explorer_epoch_slider_loads_snapshots(small_explorer):
    box = small_explorer
    traj = box.cache.get(0.3)
    assert box.epoch.value == 40 and "epoch 40" in box.status.value
    at_end = box.proba().copy()
    box.epoch.value = 0
    assert "epoch 0" in box.status.value
    assert f"loss {traj.losses[0]:.6f}" in box.status.value
    assert not np.allclose(box.proba(), at_end)
    np.testing.assert_allclose(box.artists["image"].get_array(), box.proba())
    assert list(box.marker.get_xdata()) == [0, 0]
    # the map is the network of that epoch on the plotting grid
    net = new_network(1)
    net.set_parameters(traj.params_at(0))
    np.testing.assert_allclose(box.proba().ravel()[:5], net.output(grid_points(box)[:5])[:, 0], rtol=1e-12)
    box.epoch.value = 40


def test_training_explorer_new_rate_trains_once(small_explorer):
    box = small_explorer
    assert 0.1 not in box.cache
    box.lr.value = 0.1
    assert 0.1 in box.cache and set(box.loss_lines) == {0.1, 0.3}
    assert "lr 0.1" in box.status.value
    first = box.cache.get(0.1)
    box.lr.value = 0.3
    box.lr.value = 0.1
    assert box.cache.get(0.1) is first  # cached, not retrained
    box.lr.value = 0.3


def grid_points(box):
    """The points of the explorer's plotting grid, from its decision-boundary artists."""
    return np.column_stack([box.artists["xx"].ravel(), box.artists["yy"].ravel()])


def test_training_explorer_trains_every_rate_up_front_by_default(split):
    box = training_explorer(
        data=split, learning_rates=(0.03, 0.1, 0.3), lr=0.3, epochs=20, snapshot_every=10, resolution=20
    )
    assert all(value in box.cache for value in (0.03, 0.1, 0.3))
    assert set(box.loss_lines) == {0.03, 0.1, 0.3}  # every curve from the start
    runs = {value: box.cache.get(value) for value in (0.03, 0.1, 0.3)}
    box.lr.value = 0.03
    assert box.cache.get(0.03) is runs[0.03]  # nothing retrained
    widths = {value: line.get_linewidth() for value, line in box.loss_lines.items()}
    assert widths[0.03] > widths[0.1] == widths[0.3]  # the chosen rate is highlighted
    assert "lr 0.03" in box.status.value


def test_training_explorer_validation_and_summary(split):
    with pytest.raises(ValueError, match=r"lr: expected one of \(0.1,\), got 0.5"):
        training_explorer(learning_rates=(0.1,), lr=0.5)
    cache = TrajectoryCache(split, epochs=3, snapshot_every=1)
    traj = cache.get(0.3)
    text = epoch_summary(traj, 99)  # past the end: the last epoch
    assert text == (
        f"lr 0.3, epoch 3: loss {traj.losses[3]:.6f}, train accuracy {traj.train_accuracy[3]:.3f}, "
        f"test accuracy {traj.test_accuracy[3]:.3f}"
    )
    diverged = Trajectory(0.3, 10, traj.losses, traj.train_accuracy, diverged=True)
    assert epoch_summary(diverged, 2).endswith(
        f"train accuracy {traj.train_accuracy[2]:.3f} (diverged after epoch 3)"
    )


# -- nb06: accuracy -----------------------------------------------------------------------


def good_accuracy(y, yhat):
    return float(np.mean((yhat[:, 0] > 0.5).astype(int) == y))


@pytest.mark.parametrize("seed", [0, 1])
def test_accuracy_correct(seed, capsys):
    ok, out = printed_feedback(check_accuracy, good_accuracy, capsys, seed=seed)
    assert ok and "✅ accuracy: correct" in out


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda y, yhat: 1 - good_accuracy(y, yhat), "error rate"),
        (lambda y, yhat: float(np.sum((yhat[:, 0] > 0.5) == y)), "a count"),
        (lambda y, yhat: float(np.mean((yhat[:, 0] >= 0.5) == y)), "ŷ = 0.5 as class 1"),
        (lambda y, yhat: float(np.mean((yhat > 0.5) == y)), "broadcasting"),
        (lambda y, yhat: float(np.mean(yhat[:, 0] == y)), "threshold ŷ at 0.5"),
        (lambda y, yhat: (yhat[:, 0] > 0.5) == y, "one number"),
    ],
)
def test_accuracy_mistakes_are_named(answer, phrase, capsys):
    ok, out = printed_feedback(check_accuracy, answer, capsys)
    assert not ok and phrase in out


# -- nb06: output dz ----------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1])
def test_output_dz_correct(seed, capsys):
    ok, out = printed_feedback(check_output_dz, lambda y, yhat: (yhat - y) / len(y), capsys, seed=seed)
    assert ok and "✅ output dz: correct" in out


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda y, yhat: 2 * (yhat - y) / len(y), "erratum 1"),
        (lambda y, yhat: yhat - y, "erratum 4"),
        (lambda y, yhat: 2 * (yhat - y), "both of the original's errata"),
        (lambda y, yhat: (y - yhat) / len(y), "wrong sign"),
        (lambda y, yhat: ((yhat - y) / len(y)).T, "transpose"),
    ],
)
def test_output_dz_mistakes_are_named(answer, phrase, capsys):
    ok, out = printed_feedback(check_output_dz, answer, capsys)
    assert not ok and phrase in out


def test_output_dz_mistakes_raise_when_strict():
    with pytest.raises(ExerciseFailed, match="erratum 1"):
        check_output_dz(lambda y, yhat: 2 * (yhat - y) / len(y), strict=True)

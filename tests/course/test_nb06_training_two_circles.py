"""Notebook 06 (training on two circles): the data split and the corrected model, the learning
rate chosen on the validation set, the two explorers (η_W/η_b with the errata toggles over the
original run; learning rate and epoch) driven without a browser, the static figures; the
exercise checks (accuracy, the gradient of the L2 penalty), each typical mistake named."""

import numpy as np
import pytest
from conftest import printed_feedback

import backprop_lib as bp
from backprop_course.exercises import ExerciseFailed
from backprop_course.exercises.nb06_training_two_circles import check_accuracy, check_penalised_gradients
from backprop_course.explorers.nb06_training_two_circles import (
    ARCHITECTURE,
    LEARNING_RATES,
    TrajectoryCache,
    ablation_figure,
    choose_learning_rate,
    circles_split,
    decision_figure,
    epoch_summary,
    errata_giving,
    new_network,
    original_figure,
    original_run,
    rates_explorer,
    rates_run,
    rates_summary,
    snapshots_figure,
    training_explorer,
)
from backprop_course.original import ablation, effective_learning_rates, run_original
from backprop_course.trajectory import Trajectory, record_training


@pytest.fixture(scope="module")
def split():
    return circles_split()


@pytest.fixture(scope="module")
def held_out(split):
    """(X_train, X_val, y_train, y_val): what the training explorer trains on and reports."""
    X_train, X_val, _, y_train, y_val, _ = split
    return X_train, X_val, y_train, y_val


def test_the_split_is_the_originals_circles_stratified_in_three(split):
    X_train, X_val, X_test, y_train, y_val, y_test = split
    assert (len(X_train), len(X_val), len(X_test)) == (600, 150, 250)
    assert y_train.shape == (600, 1) and y_val.shape == (150, 1) and y_test.shape == (250, 1)
    assert y_train.mean() == y_val.mean() == y_test.mean() == 0.5  # stratified: half of each class
    rows = {tuple(row) for row in np.vstack([X_train, X_val, X_test])}
    assert len(rows) == 1000  # no sample in two sets
    np.testing.assert_array_equal(circles_split()[0], X_train)  # seeded


def test_the_corrected_model_learns_without_a_step_uphill(split):
    X_train, X_val, _, y_train, y_val, _ = split
    net = new_network(seed=1)
    assert net.layer_sizes == ARCHITECTURE[0] and net.loss_fn.name == "bce"
    traj = record_training(net, X_train, y_train, 0.3, 600, X_val, y_val, snapshot_every=100)
    assert traj.train_accuracy[-1] >= 0.99 and traj.test_accuracy[-1] >= 0.98  # seed 1, as in the notebook
    assert not traj.diverged and np.all(np.diff(traj.losses) < 0)  # not one step uphill


def test_the_learning_rate_is_chosen_by_the_validation_loss(held_out):
    cache = TrajectoryCache(held_out, epochs=60, snapshot_every=30)
    best, losses = choose_learning_rate(cache, (0.01, 0.3, 3.0))
    assert set(losses) == {0.01, 0.3, 3.0} and best == min(losses, key=losses.get)
    net = new_network(1)
    net.set_parameters(cache.get(best).params_at(60))
    assert losses[best] == pytest.approx(net.loss(held_out[1], held_out[3]), rel=1e-12)
    assert cache.validation_loss(best, epoch=0) == pytest.approx(
        new_network(1).loss(held_out[1], held_out[3])
    )


@pytest.fixture(scope="module")
def small_explorer(held_out):
    return training_explorer(
        data=held_out,
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


def test_training_explorer_trains_every_rate_up_front_by_default(held_out):
    box = training_explorer(
        data=held_out, learning_rates=(0.03, 0.1, 0.3), lr=0.3, epochs=20, snapshot_every=10, resolution=20
    )
    assert all(value in box.cache for value in (0.03, 0.1, 0.3))
    assert set(box.loss_lines) == {0.03, 0.1, 0.3}  # every curve from the start
    runs = {value: box.cache.get(value) for value in (0.03, 0.1, 0.3)}
    box.lr.value = 0.03
    assert box.cache.get(0.03) is runs[0.03]  # nothing retrained
    widths = {value: line.get_linewidth() for value, line in box.loss_lines.items()}
    assert widths[0.03] > widths[0.1] == widths[0.3]  # the chosen rate is highlighted
    assert "lr 0.03" in box.status.value


def test_training_explorer_validation_and_summary(held_out):
    with pytest.raises(ValueError, match=r"lr: expected one of \(0.1,\), got 0.5"):
        training_explorer(learning_rates=(0.1,), lr=0.5)
    cache = TrajectoryCache(held_out, epochs=3, snapshot_every=1)
    traj = cache.get(0.3)
    text = epoch_summary(traj, 99)  # past the end: the last epoch
    assert text == (
        f"lr 0.3, epoch 3: loss {traj.losses[3]:.6f}, train accuracy {traj.train_accuracy[3]:.3f}, "
        f"validation accuracy {traj.test_accuracy[3]:.3f}"
    )
    assert epoch_summary(traj, 3, held_out="test").endswith(f"test accuracy {traj.test_accuracy[3]:.3f}")
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


# -- nb06: the rates explorer: η_W and η_b over the original run ------------------------------


@pytest.mark.parametrize("errata", [(1, 4, 5), (4, 5), (1, 4), (5,)])
def test_every_errata_setting_is_a_pair_of_rates(errata):
    """The explorer's premise: the original's code with errata (from 1, 4, 5) and η = 0.005 is the
    corrected network with the pair of effective rates; same accuracies, losses a sum if 4 is on."""
    lr_W, lr_b = effective_learning_rates(errata)
    code, rates = run_original(errata), rates_run(lr_W, lr_b)
    np.testing.assert_array_equal(code.accuracies, rates.accuracies)
    scale = 1000 if 4 in errata else 1
    np.testing.assert_allclose(code.losses, scale * rates.losses, rtol=1e-9)
    assert errata_giving(lr_W, lr_b)[0] == tuple(sorted(errata))


def test_rates_summary_names_the_errata_and_the_divergence():
    text = rates_summary(rates_run(10.0, 0.01), 10.0, 0.01)
    assert text.startswith(
        "η_W = 10, η_b = 0.01 (what the original's code does with errata {1, 4, 5} and η = 0.005)"
    )
    assert "best 0.922 at iteration 121" in text and "diverged: one step raised the loss by 5.9 %" in text
    calm = rates_summary(rates_run(1.0, 0.01), 1.0, 0.01)
    assert "no combination of errata 1, 4, 5 gives these rates" in calm
    with pytest.raises(ValueError, match="lr_b: expected a learning rate > 0, got 0.0"):
        rates_run(1.0, 0.0)


def test_rates_explorer_follows_its_sliders_and_toggles():
    box = rates_explorer()
    assert (box.lr_W.value, box.lr_b.value) == (10.0, 0.01) and "errata {1, 4, 5}" in box.status.value
    assert box.fig.axes[0].get_title() == "η_W = 10, η_b = 0.01"
    png = box.image.value
    np.testing.assert_array_equal(box.artists["accuracy"].get_ydata(), run_original().accuracies)
    box.errata[5].value = False  # erratum 5 fixed: the biases get the weights' rate
    assert (box.lr_W.value, box.lr_b.value) == effective_learning_rates((1, 4)) == (10.0, 10.0)
    assert "errata {1, 4}" in box.status.value and "diverged" in box.status.value
    assert box.run() is rates_run(10.0, 10.0) and box.image.value != png
    box.lr_W.value = 1.0
    assert "no combination" in box.status.value
    np.testing.assert_array_equal(box.artists["loss"].get_ydata(), rates_run(1.0, 10.0).losses)
    box.errata[5].value = True
    assert (box.lr_W.value, box.lr_b.value) == (10.0, 0.01)


# -- nb06: the static figures ------------------------------------------------------------------


def test_the_static_figures_draw_what_they_are_given(split):
    original = run_original()
    fig = original_figure(original)
    np.testing.assert_array_equal(fig.axes[0].get_lines()[0].get_ydata(), original.losses)
    rows = ablation(fixes=((), (5,)))
    fig = ablation_figure(rows, extra=("fix 1, 300 iterations", run_original((4, 5), epochs=300)))
    titled = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titled == [
        "fixed: none (η_W = 10, η_b = 0.01)",
        "fixed: 5 (η_W = 10, η_b = 10)",
        "fix 1, 300 iterations",
    ]
    first_loss_axis = next(ax for ax in fig.axes if not ax.get_title())  # the panels' twins come last
    np.testing.assert_allclose(first_loss_axis.get_lines()[0].get_ydata(), original.losses / 1000)  # a mean
    assert original_run() is original_run()  # computed once, for every rates explorer
    np.testing.assert_array_equal(original_run().losses, original.losses)
    X_train, _, X_test, y_train, _, y_test = split
    net = new_network(1)
    history = bp.train(net, X_train, y_train, 0.3, 5)
    assert len(decision_figure(net, X_test, y_test, history.losses).axes) >= 2
    traj = record_training(new_network(1), X_train, y_train, 0.3, 20, snapshot_every=10)
    fig = snapshots_figure(traj, X_train, y_train, epochs=(0, 10, 20))
    assert [ax.get_title() for ax in fig.axes[:3]] == [
        f"epoch {e}: train acc {traj.train_accuracy[e]:.3f}" for e in (0, 10, 20)
    ]


def test_the_learning_rates_of_the_explorer_are_the_candidates():
    assert LEARNING_RATES == (0.03, 0.1, 0.3, 1.0, 3.0)


# -- nb06: the gradient of the L2 penalty ------------------------------------------------------


def penalised_right(dW, db, W, b, alpha, n):
    return dW + alpha * W / n, db


def test_the_penalty_gradient_is_what_central_differences_measure():
    rng = np.random.default_rng(2)
    W, b, alpha, n = rng.normal(size=(3, 4)), rng.normal(size=(1, 4)), 0.3, 50
    W_probe = W.copy()
    numeric = bp.numerical_gradient(lambda: alpha / (2 * n) * np.sum(W_probe**2), W_probe)
    dW, _ = penalised_right(np.zeros_like(W), np.zeros_like(b), W, b, alpha, n)
    np.testing.assert_allclose(dW, numeric, rtol=1e-7)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_penalised_gradients_correct(seed, capsys):
    ok, out = printed_feedback(check_penalised_gradients, penalised_right, capsys, seed=seed)
    assert ok and "✅ gradient of the L2 penalty: correct" in out


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda dW, db, W, b, alpha, n: (dW + alpha * W, db), "misses the 1/n"),
        (lambda dW, db, W, b, alpha, n: (dW + 2 * alpha * W / n, db), "the ½ of (α/2n)"),
        (lambda dW, db, W, b, alpha, n: (dW - alpha * W / n, db), "subtracts the penalty"),
        (lambda dW, db, W, b, alpha, n: (alpha * W / n, db), "is only the penalty's gradient"),
        (lambda dW, db, W, b, alpha, n: (dW, db), "forgets the penalty"),
        (lambda dW, db, W, b, alpha, n: (dW + alpha * W / n, db + alpha * b / n), "penalises the biases too"),
        (lambda dW, db, W, b, alpha, n: (dW + alpha * W / n,), "should return 2 arrays"),
        (lambda dW, db, W, b, alpha, n: (dW + alpha * W / n + 1e-3, db), "the check's input: dW = "),
    ],
)
def test_penalised_gradients_mistakes_are_named(answer, phrase, capsys):
    ok, out = printed_feedback(check_penalised_gradients, answer, capsys)
    assert not ok and phrase in out, out


def test_penalised_gradients_mistakes_raise_when_strict():
    with pytest.raises(ExerciseFailed, match="misses the 1/n"):
        check_penalised_gradients(lambda dW, db, W, b, alpha, n: (dW + alpha * W, db), strict=True)


def test_the_penalised_gradients_have_a_dw_part_and_a_db_part(capsys):
    def penalises_the_biases(dW, db, W, b, alpha, n):
        return dW + alpha * W / n, db + alpha * b / n

    assert check_penalised_gradients.parts == ("dW", "db")
    assert check_penalised_gradients(penalises_the_biases, part="dW")
    assert not check_penalised_gradients(penalises_the_biases, part="db")
    assert "[db]: db (layer 2 → 4, n = 750" in capsys.readouterr().out


def test_the_librarys_accuracy_and_autodiff_earn_nothing(capsys):
    from backprop_lib.autodiff import Value

    def penalty_by_autodiff(dW, db, W, b, alpha, n):
        weights = Value(W)
        (weights * weights * (alpha / (2 * n))).sum().backward()
        return dW + weights.grad, db

    for check, shortcut, twin in [
        (check_accuracy, bp.accuracy, "is backprop_lib's accuracy itself"),
        (check_accuracy, lambda y, yhat: bp.accuracy(y, yhat), "calls backprop_lib's accuracy"),
        (check_penalised_gradients, penalty_by_autodiff, "calls backprop_lib's Value.backward"),
    ]:
        check.check(shortcut)  # without the twins stopped, it would pass: a real shortcut
        assert not check(shortcut)
        assert twin in capsys.readouterr().out

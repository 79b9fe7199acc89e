"""Notebook 08 (optimisers and mini-batches): the comparison runs (cached, reproducible, every
optimiser of a seed from the same start on the same batches, validation losses recorded), the
static figures, the quadratic bowl, the explorer driven without a browser; the exercise checks
(Nesterov's transition matrix, the Adam step), each typical mistake named."""

import numpy as np
import pytest
from conftest import FailingAt, assert_correct, expect_mistake

import backprop_lib as bp
from backprop_course.exercises.feedback import ExerciseFailed
from backprop_course.exercises.nb08_optimizers_and_minibatches import check_adam_step, check_nesterov_matrix
from backprop_course.explorers import nb08_optimizers_and_minibatches as oe
from backprop_lib.optimizers import SGD, Adam, Momentum, adam_update, momentum_update


def test_two_circles_and_comparison_net():
    X, y = oe.two_circles()
    assert X.shape == (300, 2) and y.shape == (300, 1)
    assert set(np.unique(y)) == {0.0, 1.0}
    with pytest.raises(ValueError):
        X[0, 0] = 1.0  # cached data are read-only
    X_val, _ = oe.two_circles(oe.N_HELD_OUT, oe.VALIDATION_SEED)
    X_test, _ = oe.two_circles(oe.N_HELD_OUT, oe.TEST_SEED)
    assert X_val.shape == X_test.shape == (200, 2)
    assert not np.isin(X_val[:, 0], X[:, 0]).any() and not np.isin(X_test[:, 0], X_val[:, 0]).any()
    assert oe.comparison_net().layer_sizes == [2, 8, 8, 1]


def test_loss_curve_is_deterministic_cached_and_returns_copies():
    run = oe.loss_curve("adam", 0.01, 64, n_epochs=5)
    assert run["loss"].shape == run["val_loss"].shape == (6,)
    assert run["n_steps"] == 5 * 5  # ceil(300 / 64) = 5 batches per epoch
    assert run["diverged_at"] is None
    assert run["loss"][-1] < run["loss"][0] and run["val_loss"][-1] < run["val_loss"][0]
    run["loss"][:] = 0.0
    again = oe.loss_curve("adam", 0.01, 64, n_epochs=5)
    assert again["loss"][0] > 0.5


def test_loss_curve_is_the_librarys_training_loop_with_the_same_batches():
    X, y = oe.two_circles()
    X_val, y_val = oe.two_circles(oe.N_HELD_OUT, oe.VALIDATION_SEED)
    net = oe.comparison_net(3)
    val = []
    history = bp.train(
        net,
        X,
        y,
        Momentum(0.03),
        3,
        batch_size=32,
        rng=np.random.default_rng([3, 1]),
        callback=lambda epoch, n: val.append(n.loss(X_val, y_val)),
    )
    run = oe.loss_curve("momentum", 0.03, 32, n_epochs=3, seed=3)
    np.testing.assert_allclose(run["loss"], history.losses, rtol=1e-12)
    np.testing.assert_allclose(run["val_loss"], val, rtol=1e-12)
    assert run["accuracy"] == bp.accuracy(y, net.output(X))
    assert run["n_steps"] == 3 * 10  # ceil(300 / 32) = 10 batches per epoch


def test_trained_net_is_the_end_of_the_run_and_a_copy():
    X, y = oe.two_circles()
    run = oe.loss_curve("sgd", 0.3, 32, n_epochs=4, seed=2)
    net = oe.trained_net("sgd", 0.3, 32, n_epochs=4, seed=2)
    assert net.loss(X, y) == pytest.approx(run["loss"][-1], rel=1e-12)
    net.layers[0].W[0, 0] += 1.0  # the learner's copy is writable; the cached run is untouched
    assert oe.trained_net("sgd", 0.3, 32, n_epochs=4, seed=2).loss(X, y) == pytest.approx(run["loss"][-1])


def test_every_run_of_a_seed_starts_from_the_same_weights_and_seeds_differ():
    first = {name: oe.loss_curve(name, 0.1, 300, n_epochs=1)["loss"][0] for name in oe.OPTIMIZER_NAMES}
    assert len(set(first.values())) == 1
    assert oe.loss_curve("sgd", 0.1, 300, n_epochs=1, seed=1)["loss"][0] != first["sgd"]


def test_full_batch_is_one_step_per_epoch_and_large_batch_sizes_are_clipped():
    assert oe.loss_curve("sgd", 1.0, 300, n_epochs=4)["n_steps"] == 4
    np.testing.assert_array_equal(
        oe.loss_curve("sgd", 1.0, 1000, n_epochs=4)["loss"],
        oe.loss_curve("sgd", 1.0, 300, n_epochs=4)["loss"],
    )


@pytest.mark.parametrize(
    "args, error, message",
    [
        (
            ("rmsprop", 0.1),
            ValueError,
            r"optimizer: expected one of \('sgd', 'momentum', 'adam'\), got 'rmsprop'",
        ),
        (("sgd", 0.0), ValueError, r"learning rate: expected a finite number in \(0, inf\], got 0.0"),
        (("sgd", 0.1, 0), ValueError, "batch_size: expected an integer >= 1, got 0"),
        (("sgd", 0.1, 32, 0), ValueError, "n_epochs: expected an integer >= 1, got 0"),
        (("sgd", 0.1, 32, 2.5), TypeError, r"n_epochs: expected an integer >= 1, got 2.5 \(float\)"),
        (("sgd", 0.1, 32, 3, -1), ValueError, "seed: expected an integer >= 0, got -1"),
    ],
)
def test_loss_curve_validates(args, error, message):
    with pytest.raises(error, match=message):
        oe.loss_curve(*args)


def test_a_diverging_run_is_recorded_not_raised(monkeypatch):
    # batch size 300: one step per epoch, so the second step is epoch 2
    monkeypatch.setattr(oe.bp, "get_optimizer", lambda name, lr: FailingAt(2, lr))
    oe.train_run.cache_clear()
    try:
        run = oe.loss_curve("sgd", 0.123, 300, n_epochs=4)
    finally:
        oe.train_run.cache_clear()
    assert run["diverged_at"] == 2 and run["n_steps"] == 1  # the steps of the completed epochs
    for key in ("loss", "val_loss"):
        assert np.isfinite(run[key][:2]).all() and np.isnan(run[key][2:]).all()
    # the accuracy is that of the network after the last finite epoch, as its loss is
    X, y = oe.two_circles()
    net = oe.comparison_net(0)
    bp.train(net, X, y, SGD(0.123), 1)
    assert run["loss"][1] == pytest.approx(net.loss(X, y), rel=1e-12)
    assert run["accuracy"] == bp.accuracy(y, net.output(X))
    assert "diverged in epoch 2" in oe.summary_table({"x": run})


def test_static_figures():
    runs = [oe.loss_curve("sgd", 0.3, 64, n_epochs=3, seed=s) for s in (0, 1)]
    fig = oe.curves_figure({"SGD": runs, "SGD again": runs}).fig
    ax = fig.axes[0]
    assert len(ax.get_lines()) == 2 and len(ax.collections) == 2  # a mean line and a band each
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), (runs[0]["loss"] + runs[1]["loss"]) / 2)
    fig = oe.tuning_figure({"SGD": {0.1: 0.5, 0.3: 0.2, 1.0: np.inf}}, {"SGD": 0.3}).fig
    assert list(fig.axes[0].get_lines()[0].get_xdata()) == [0.1, 0.3]  # the diverged rate left out
    opening = oe.opening_figure().fig.axes[0].get_lines()
    np.testing.assert_array_equal(
        opening[2].get_ydata(), oe.loss_curve("adam", oe.DEFAULT_LR["adam"])["loss"]
    )
    path = oe.quadratic_path(SGD(0.1), [1.0, 4.0], [-2.0, 1.0], 10)
    assert len(oe.quadratic_figure([1.0, 4.0], {"GD": path}).fig.axes) == 2


def test_quadratic_path_closed_forms():
    h = np.array([1.0, 4.0])
    path = oe.quadratic_path(SGD(0.1), h, [1.0, -2.0], 10)
    assert path.shape == (11, 2)
    np.testing.assert_allclose(path[-1], [1.0 * 0.9**10, -2.0 * 0.6**10], rtol=1e-12)
    np.testing.assert_allclose(oe.quadratic_loss(h, path[:1]), [0.5 * (1 + 4 * 4)])
    adam = oe.quadratic_path(Adam(0.05), h, [1.0, -2.0], 1)
    np.testing.assert_allclose(adam[1] - adam[0], [-0.05, 0.05], rtol=1e-6)


def test_quadratic_path_refuses_divergence_without_warnings():
    with pytest.raises(FloatingPointError, match="theta would become infinite or NaN"):
        oe.quadratic_path(SGD(1.0), [1000.0], [1.0], 500)


def test_quadratic_path_steps_as_a_network_is_stepped():
    # Momentum keeps its velocity per parameter across the steps of one path
    h, lr, beta = 4.0, 0.05, 0.7
    path = oe.quadratic_path(Momentum(lr, beta), [h], [1.5], 20)
    A = np.array([[1 - lr * h, -lr * beta], [h, beta]])  # (θ, v)_{t+1} = A (θ, v)_t
    closed = [(np.linalg.matrix_power(A, t) @ np.array([1.5, 0.0]))[0] for t in range(21)]
    np.testing.assert_allclose(path[:, 0], closed, rtol=1e-10)


@pytest.mark.parametrize(
    "args, error",
    [
        (("sgd", [1.0], [1.0], 3), TypeError),
        ((SGD(0.1), [1.0, 2.0], [1.0], 3), ValueError),
        ((SGD(0.1), [-1.0], [1.0], 3), ValueError),
    ],
)
def test_quadratic_path_validates(args, error):
    with pytest.raises(error):
        oe.quadratic_path(*args)


# Warming up is the subject of one test; the others build lazy explorers (the same pictures).
def test_optimizers_explorer_default_state_and_controls():
    w = oe.optimizers_explorer(n_epochs=6, warm=False)
    assert set(w.show) == set(w.lr) == set(oe.OPTIMIZER_NAMES)
    for name in oe.OPTIMIZER_NAMES:
        assert w.lr[name].value == oe.DEFAULT_LR[name]
        np.testing.assert_array_equal(
            w.lines[name].get_ydata(), oe.loss_curve(name, oe.DEFAULT_LR[name], 32, 6)["loss"]
        )
    assert w.batch_size.value == 32
    assert f"Adam, lr {oe.DEFAULT_LR['adam']:g}" in w.table.value
    assert w.image.value[:4] == b"\x89PNG"


def test_a_warm_explorer_trains_nothing_when_one_slider_moves():
    w = oe.optimizers_explorer(n_epochs=3, seed=7)  # a seed no other test uses: a cold cache
    trained = oe.train_run.cache_info().misses
    for name in oe.OPTIMIZER_NAMES:
        for lr in oe.LR_OPTIONS:
            w.lr[name].value = lr
        w.lr[name].value = oe.DEFAULT_LR[name]
    for size in oe.BATCH_OPTIONS:
        w.batch_size.value = size
    assert oe.train_run.cache_info().misses == trained
    w.batch_size.value = 8
    w.lr["adam"].value = 0.01  # two moves away: trained on demand
    assert oe.train_run.cache_info().misses == trained + 1


def test_a_cold_explorer_trains_on_demand():
    w = oe.optimizers_explorer(n_epochs=2, seed=8, warm=False)
    trained = oe.train_run.cache_info().misses
    w.lr["sgd"].value = 0.01
    assert oe.train_run.cache_info().misses == trained + 1


def test_optimizers_explorer_reacts_to_every_control():
    w = oe.optimizers_explorer(n_epochs=4, warm=False)
    png, table = w.image.value, w.table.value
    w.lr["adam"].value = 0.1
    assert "Adam, lr 0.1" in w.table.value and w.image.value != png
    np.testing.assert_array_equal(w.lines["adam"].get_ydata(), oe.loss_curve("adam", 0.1, 32, 4)["loss"])
    w.batch_size.value = 300
    assert "<td>4</td>" in w.table.value  # 4 full-batch steps
    sgd_lr = oe.DEFAULT_LR["sgd"]
    np.testing.assert_array_equal(w.lines["sgd"].get_ydata(), oe.loss_curve("sgd", sgd_lr, 300, 4)["loss"])
    w.show["sgd"].value = False
    assert not w.lines["sgd"].get_visible() and "SGD" not in w.table.value
    for name in ("momentum", "adam"):
        w.show[name].value = False
    assert "tick an optimiser" in w.table.value
    assert table != w.table.value


def test_optimizers_explorer_images_depend_only_on_the_settings():
    w = oe.optimizers_explorer(n_epochs=5, warm=False)
    first = w.image.value
    w.lr["adam"].value = 0.1
    w.show["sgd"].value = False
    fresh = oe.optimizers_explorer(n_epochs=5)  # warm, and the same settings reached in another order
    fresh.show["sgd"].value = False
    fresh.lr["adam"].value = 0.1
    assert w.image.value == fresh.image.value != first
    w.show["sgd"].value = True
    w.lr["adam"].value = oe.DEFAULT_LR["adam"]
    assert w.image.value == first  # back where it started: the same picture
    low, high = w.ax.get_ylim()
    curves = np.concatenate([line.get_ydata() for line in w.lines.values()])
    assert low <= np.nanmin(curves) and np.nanmax(curves) <= high
    assert np.log10(low) == round(np.log10(low)) and np.log10(high) == round(np.log10(high))
    legend = [t.get_text() for t in w.ax.get_legend().get_texts()]
    assert legend == [f"{oe.LABELS[name]}, lr {oe.DEFAULT_LR[name]:g}" for name in oe.OPTIMIZER_NAMES]


# -- 08: Nesterov's matrix ---------------------------------------------------------------


def nesterov_right(h, lr, beta):
    c = 1 - lr * h
    return np.array([[c, -lr * beta * c], [h, beta * c]])


def test_nesterov_right_answers_pass(capsys):
    assert_correct(check_nesterov_matrix, nesterov_right, capsys)
    check_nesterov_matrix(lambda h, lr, b: nesterov_right(h, lr, b).tolist(), strict=True)  # lists are fine


def test_nesterov_matrix_is_what_the_rule_does_on_a_bowl():
    # the closed form against the library-free rule, stepped 25 times on f = ½hθ²
    h, lr, beta = 3.0, 0.12, 0.8
    theta, v = 1.3, -0.4
    for _ in range(25):
        g = h * (theta - lr * beta * v)
        v = beta * v + g
        theta = theta - lr * v
    np.testing.assert_allclose(
        np.linalg.matrix_power(nesterov_right(h, lr, beta), 25) @ [1.3, -0.4], [theta, v], rtol=1e-12
    )


def heavy_ball(h, lr, beta):
    return np.array([[1 - lr * h, -lr * beta], [h, beta]])


@pytest.mark.parametrize(
    "wrong, named",
    [
        (heavy_ball, "heavy-ball momentum's matrix"),
        (
            lambda h, lr, b: np.array([[1 - lr * h, -lr * b * (1 + lr * h)], [h, b * (1 + lr * h)]]),
            "looks ahead the wrong way",
        ),
        (lambda h, lr, b: np.array([[1 - lr * h, -lr * (b - lr * h)], [h, b - lr * h]]), "looks ahead by ηv"),
        (lambda h, lr, b: nesterov_right(h, lr, b).T, "is transposed"),
        (lambda h, lr, b: nesterov_right(h, lr, b)[::-1], "rows swapped"),
        (lambda h, lr, b: np.array([[1.0, -lr], [h, b * (1 - lr * h)]]), "old velocity"),
        (  # v ← βv + η∇f(θ − βv), θ ← θ − v
            lambda h, lr, b: np.array([[1 - lr * h, -b * (1 - lr * h)], [lr * h, b * (1 - lr * h)]]),
            "puts η inside the velocity",
        ),
        (  # v ← βv − η∇f(θ + βv), θ ← θ + v
            lambda h, lr, b: np.array([[1 - lr * h, b * (1 - lr * h)], [-lr * h, b * (1 - lr * h)]]),
            "uses the sign convention of cs231n's notes",
        ),
        (
            lambda h, lr, b: np.array([[1 + lr * h, lr * b * (1 - lr * h)], [h, b * (1 - lr * h)]]),
            "wrong sign in θ_t",
        ),
        (lambda h, lr, b: 2 * nesterov_right(h, lr, b), r"is off at index"),
        (
            lambda h, lr, b: np.linalg.eigvals(nesterov_right(h, lr, b)),  # complex or real, by the draw
            r"complex entries — eigenvalues|has shape \(2,\), expected \(2, 2\)",
        ),
        (
            lambda h, lr, b: np.diag(nesterov_right(h, lr, b)),
            r"has shape \(2,\), expected \(2, 2\)",
        ),
    ],
)
def test_nesterov_mistakes_are_named(wrong, named):
    expect_mistake(check_nesterov_matrix, wrong, named)


# -- 08: Adam ----------------------------------------------------------------------------


def adam_right(theta, g, m, v, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def adam_variant(
    m_rule=None, v_rule=None, correct=lambda m, v, t, b1, b2: (m / (1 - b1**t), v / (1 - b2**t)), step=None
):
    """adam_right with one piece replaced."""

    def answer(theta, g, m, v, t, lr, b1, b2, eps):
        m_new = m_rule(m, g, b1) if m_rule else b1 * m + (1 - b1) * g
        v_new = v_rule(v, g, b2) if v_rule else b2 * v + (1 - b2) * g**2
        m_hat, v_hat = correct(m_new, v_new, t, b1, b2)
        if step:
            return step(theta, lr, m_hat, v_hat, eps), m_new, v_new
        return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new

    return answer


def test_adam_right_answers_pass(capsys):
    assert check_adam_step(adam_right)
    assert "✅ Adam step: correct" in capsys.readouterr().out
    for seed in range(5):
        check_adam_step(adam_right, seed=seed, strict=True)


@pytest.mark.parametrize(
    "wrong, named",
    [
        (adam_variant(correct=lambda m, v, t, b1, b2: (m, v)), "has no bias correction"),
        (
            adam_variant(correct=lambda m, v, t, b1, b2: (m / (1 - b1 ** (t + 1)), v / (1 - b2 ** (t + 1)))),
            "t starting at 0",
        ),
        (
            adam_variant(correct=lambda m, v, t, b1, b2: (m / (1 - b1 ** (t - 1)), v / (1 - b2 ** (t - 1)))),
            r"NaN or inf .*t = 1.*1 − β⁰ = 0",
        ),
        (adam_variant(correct=lambda m, v, t, b1, b2: (m / (1 - b1**t), v)), "corrects only m"),
        (adam_variant(correct=lambda m, v, t, b1, b2: (m, v / (1 - b2**t))), "corrects only v"),
        (adam_variant(step=lambda th, lr, mh, vh, eps: th - lr * mh / (vh + eps)), "forgot the square root"),
        # ε's place shows only where gradients are as small as ε (the hidden test has such a case)
        (
            adam_variant(step=lambda th, lr, mh, vh, eps: th - lr * mh / np.sqrt(vh + eps)),
            "ε inside the square",
        ),
        (adam_variant(step=lambda th, lr, mh, vh, eps: th - lr * mh / np.sqrt(vh)), "leaves out ε"),
        (
            adam_variant(step=lambda th, lr, mh, vh, eps: th + lr * mh / (np.sqrt(vh) + eps)),
            "has the wrong sign",
        ),
        (adam_variant(m_rule=lambda m, g, b1: b1 * m + g), r"missing the \(1 − β₁\)"),
        (adam_variant(m_rule=lambda m, g, b1: (1 - b1) * m + b1 * g), "swapped β₁ and 1 − β₁"),
        (adam_variant(v_rule=lambda v, g, b2: b2 * v + (1 - b2) * g), "averages g, not g²"),
        (adam_variant(v_rule=lambda v, g, b2: b2 * v + (1 - b2) * np.abs(g)), r"averages \|g\|"),
        (adam_variant(v_rule=lambda v, g, b2: b2 * v + g * g), r"missing the \(1 − β₂\)"),
    ],
)
def test_adam_mistakes_are_named(wrong, named):
    expect_mistake(check_adam_step, wrong, named)


def test_adam_returning_corrected_moments_is_named():
    def answer(theta, g, m, v, t, lr, b1, b2, eps):
        m = (b1 * m + (1 - b1) * g) / (1 - b1**t)
        v = b2 * v + (1 - b2) * g**2
        return theta - lr * m / (np.sqrt(v / (1 - b2**t)) + eps), m, v

    expect_mistake(check_adam_step, answer, "m is already bias-corrected")


def test_adam_stepping_with_old_moments_is_named():
    def answer(theta, g, m, v, t, lr, b1, b2, eps):
        step = theta - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        return step, b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g**2

    # at t = 1 (m = v = 0) this answer does not move θ at all; from t = 3 on it is named
    with pytest.raises(ExerciseFailed, match="the new θ"):
        check_adam_step(answer, strict=True)


def _stepped_matrix(step, h, lr, beta):
    """The matrix of a linear rule (θ, v) -> (θ', v'), from the two unit states."""
    return np.array([step(1.0, 0.0, h, lr, beta), step(0.0, 1.0, h, lr, beta)]).T


def test_the_two_other_momentum_conventions_are_what_those_rules_do():
    def inside(theta, v, h, lr, beta):  # η inside the velocity
        v = beta * v + lr * h * (theta - beta * v)
        return theta - v, v

    def cs231n(theta, v, h, lr, beta):  # v ← βv − η∇f(θ + βv), θ ← θ + v
        v = beta * v - lr * h * (theta + beta * v)
        return theta + v, v

    h, lr, beta = 2.5, 0.1, 0.7
    c = 1 - lr * h
    np.testing.assert_allclose(_stepped_matrix(inside, h, lr, beta), [[c, -beta * c], [lr * h, beta * c]])
    np.testing.assert_allclose(_stepped_matrix(cs231n, h, lr, beta), [[c, beta * c], [-lr * h, beta * c]])


def test_the_adam_check_has_a_moments_part_and_a_step_part():
    missing_one_minus_beta1 = adam_variant(m_rule=lambda m, g, b1: b1 * m + g)
    returns_corrected_moments = adam_variant()

    def corrected(theta, g, m, v, t, lr, b1, b2, eps):  # returns m̂ and v̂, steps right
        theta, m, v = adam_right(theta, g, m, v, t, lr, b1, b2, eps)
        return theta, m / (1 - b1**t), v / (1 - b2**t)

    assert check_adam_step.parts == ("moments", "step")
    for seed in (0, 1, 2):
        # a wrong moment costs the moments part; its step, right for those moments, keeps the other
        assert not check_adam_step(missing_one_minus_beta1, seed=seed, part="moments")
        assert check_adam_step(missing_one_minus_beta1, seed=seed, part="step")
        assert not check_adam_step(corrected, seed=seed, part="moments")
        assert check_adam_step(corrected, seed=seed, part="step")
        assert check_adam_step(returns_corrected_moments, seed=seed, part="step")
        no_sqrt = adam_variant(step=lambda th, lr, mh, vh, eps: th - lr * mh / (vh + eps))
        assert check_adam_step(no_sqrt, seed=seed, part="moments")
        assert not check_adam_step(no_sqrt, seed=seed, part="step")


def test_the_librarys_update_rules_earn_nothing(capsys):
    def nesterov_by_the_library(h, lr, beta):
        def step(theta, v, h, lr, beta):
            theta, v = momentum_update(np.array(theta), h * (theta - lr * beta * v), np.array(v), lr, beta)
            return float(theta), float(v)

        return _stepped_matrix(step, h, lr, beta)

    def adam_by_the_optimizer(theta, g, m, v, t, lr, beta1, beta2, eps):
        theta, state = bp.Adam(lr, beta1, beta2, eps).rule(theta, g, {"m": m, "v": v, "t": t - 1})
        return theta, state["m"], state["v"]

    for check, shortcut, twin in [
        (check_nesterov_matrix, nesterov_by_the_library, "calls backprop_lib's momentum_update"),
        (check_adam_step, adam_update, "is backprop_lib's adam_update itself"),
        (check_adam_step, lambda *args: adam_update(*args), "calls backprop_lib's adam_update"),
    ]:
        check.check(shortcut)  # without the twins stopped, it would pass: a real shortcut
        assert not check(shortcut)
        assert twin in capsys.readouterr().out
    check_adam_step.check(adam_by_the_optimizer)
    assert not check_adam_step(adam_by_the_optimizer)
    assert "calls backprop_lib's Adam.rule" in capsys.readouterr().out

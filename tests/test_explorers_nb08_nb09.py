"""The explorers of notebooks 08 and 09: plain compute functions and widgets driven without a browser."""

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib.explorers import initialisation_explorer as ie
from backprop_lib.explorers import optimizers_explorer as oe
from backprop_lib.optimizers import SGD, Adam, Momentum
from backprop_lib.plotting import decade_limits, remember_png

# -- notebook 08 --------------------------------------------------------------------------


def test_two_circles_and_comparison_net():
    X, y = oe.two_circles()
    assert X.shape == (300, 2) and y.shape == (300, 1)
    assert set(np.unique(y)) == {0.0, 1.0}
    with pytest.raises(ValueError):
        X[0, 0] = 1.0  # cached data are read-only
    assert oe.comparison_net().layer_sizes == [2, 8, 8, 1]


def test_loss_curve_is_deterministic_cached_and_returns_copies():
    run = oe.loss_curve("adam", 0.01, 64, n_epochs=5)
    assert run["loss"].shape == (6,)
    assert run["n_steps"] == 5 * 5  # ceil(300 / 64) = 5 batches per epoch
    assert run["diverged_at"] is None
    assert run["loss"][-1] < run["loss"][0]
    run["loss"][:] = 0.0
    again = oe.loss_curve("adam", 0.01, 64, n_epochs=5)
    assert again["loss"][0] > 0.5


def test_loss_curve_matches_train_epochs_with_the_same_batches():
    X, y = oe.two_circles()
    net = oe.comparison_net(0)
    losses = bp.optimizers.train_epochs(net, X, y, Momentum(0.03), 3, batch_size=32,
                                        rng=np.random.default_rng([0, 1]))
    np.testing.assert_allclose(oe.loss_curve("momentum", 0.03, 32, n_epochs=3)["loss"], losses, rtol=1e-12)


def test_every_run_starts_from_the_same_weights():
    first = {name: oe.loss_curve(name, 0.1, 300, n_epochs=1)["loss"][0] for name in oe.OPTIMIZER_NAMES}
    assert len(set(first.values())) == 1


def test_full_batch_is_one_step_per_epoch_and_large_batch_sizes_are_clipped():
    assert oe.loss_curve("sgd", 1.0, 300, n_epochs=4)["n_steps"] == 4
    np.testing.assert_array_equal(oe.loss_curve("sgd", 1.0, 1000, n_epochs=4)["loss"],
                                  oe.loss_curve("sgd", 1.0, 300, n_epochs=4)["loss"])


@pytest.mark.parametrize("args, error, message", [
    (("rmsprop", 0.1), ValueError, "optimizer: expected one of"),
    (("sgd", 0.0), ValueError, "lr"),
    (("sgd", 0.1, 0), ValueError, "batch_size"),
    (("sgd", 0.1, 32, 0), ValueError, "n_epochs: expected an integer >= 1"),
])
def test_loss_curve_validates(args, error, message):
    with pytest.raises(error, match=message):
        oe.loss_curve(*args)


def test_a_diverging_run_is_recorded_not_raised(monkeypatch):
    class Exploding(SGD):
        def step(self, params, grads):
            raise FloatingPointError("boom")

    monkeypatch.setattr(oe, "get_optimizer", lambda name, lr: Exploding(lr))
    oe._run.cache_clear()
    try:
        run = oe.loss_curve("sgd", 0.123, 32, n_epochs=3)
    finally:
        oe._run.cache_clear()
    assert run["diverged_at"] == 1
    assert np.isfinite(run["loss"][0]) and np.isnan(run["loss"][1:]).all()
    assert "diverged in epoch 1" in oe.summary_table({"x": run})


def test_tune_scores_by_the_last_epochs():
    best, scores = oe.tune("sgd", batch_size=300, lrs=(0.01, 1.0), n_epochs=5, last=2)
    assert best == 1.0 and set(scores) == {0.01, 1.0}
    assert scores[1.0] == pytest.approx(np.mean(oe.loss_curve("sgd", 1.0, 300, n_epochs=5)["loss"][-2:]))


def test_default_learning_rates_are_the_tuned_ones():
    for name in oe.OPTIMIZER_NAMES:
        assert oe.tune(name, batch_size=32)[0] == oe.DEFAULT_LR[name]


def test_quadratic_path_closed_forms():
    h = np.array([1.0, 4.0])
    path = oe.quadratic_path(SGD(0.1), h, [1.0, -2.0], 10)
    assert path.shape == (11, 2)
    np.testing.assert_allclose(path[-1], [1.0 * 0.9**10, -2.0 * 0.6**10], rtol=1e-12)
    np.testing.assert_allclose(oe.quadratic_loss(h, path[:1]), [0.5 * (1 + 4 * 4)])
    adam = oe.quadratic_path(Adam(0.05), h, [1.0, -2.0], 1)
    np.testing.assert_allclose(adam[1] - adam[0], [-0.05, 0.05], rtol=1e-6)


def test_quadratic_path_refuses_divergence_without_warnings():
    with pytest.raises(FloatingPointError):
        oe.quadratic_path(SGD(1.0), [1000.0], [1.0], 500)


@pytest.mark.parametrize("args, error", [
    (("sgd", [1.0], [1.0], 3), TypeError),
    ((SGD(0.1), [1.0, 2.0], [1.0], 3), ValueError),
    ((SGD(0.1), [-1.0], [1.0], 3), ValueError),
])
def test_quadratic_path_validates(args, error):
    with pytest.raises(error):
        oe.quadratic_path(*args)


def test_optimizers_explorer_default_state_and_controls():
    w = oe.optimizers_explorer(n_epochs=6)
    assert set(w.show) == set(w.lr) == set(oe.OPTIMIZER_NAMES)
    for name in oe.OPTIMIZER_NAMES:
        assert w.lr[name].value == oe.DEFAULT_LR[name]
        np.testing.assert_array_equal(w.lines[name].get_ydata(),
                                      oe.loss_curve(name, oe.DEFAULT_LR[name], 32, 6)["loss"])
    assert w.batch_size.value == 32
    assert "Adam, lr 0.3" in w.table.value
    assert w.image.value[:4] == b"\x89PNG"


def test_a_warm_explorer_trains_nothing_when_one_slider_moves():
    w = oe.optimizers_explorer(n_epochs=3, seed=7)  # a seed no other test uses: a cold cache
    trained = oe._run.cache_info().misses
    for name in oe.OPTIMIZER_NAMES:
        for lr in oe.LR_OPTIONS:
            w.lr[name].value = lr
        w.lr[name].value = oe.DEFAULT_LR[name]
    for size in oe.BATCH_OPTIONS:
        w.batch_size.value = size
    assert oe._run.cache_info().misses == trained
    w.batch_size.value = 8
    w.lr["adam"].value = 0.001  # two moves away: trained on demand
    assert oe._run.cache_info().misses == trained + 1


def test_a_cold_explorer_trains_on_demand():
    w = oe.optimizers_explorer(n_epochs=2, seed=8, warm=False)
    trained = oe._run.cache_info().misses
    w.lr["sgd"].value = 0.001
    assert oe._run.cache_info().misses == trained + 1


def test_optimizers_explorer_reacts_to_every_control():
    w = oe.optimizers_explorer(n_epochs=4)
    png, table = w.image.value, w.table.value
    w.lr["adam"].value = 0.01
    assert "Adam, lr 0.01" in w.table.value and w.image.value != png
    np.testing.assert_array_equal(w.lines["adam"].get_ydata(), oe.loss_curve("adam", 0.01, 32, 4)["loss"])
    w.batch_size.value = 300
    assert "<td>4</td>" in w.table.value  # 4 full-batch steps
    np.testing.assert_array_equal(w.lines["sgd"].get_ydata(), oe.loss_curve("sgd", 1.0, 300, 4)["loss"])
    w.show["sgd"].value = False
    assert not w.lines["sgd"].get_visible() and "SGD" not in w.table.value
    for name in ("momentum", "adam"):
        w.show[name].value = False
    assert "tick an optimiser" in w.table.value
    assert table != w.table.value


# -- notebook 09 --------------------------------------------------------------------------


def test_layer_profile_shapes_and_validation():
    p = ie.layer_profile(7, "tanh", "xavier", width=16, n_samples=32)
    assert set(p) == {"z_std", "a_std", "grad_norm", "dz_std"}
    assert all(v.shape == (7,) for v in p.values())
    with pytest.raises(ValueError, match="activation: expected one of"):
        ie.layer_profile(3, "softplus", "he")
    with pytest.raises(ValueError, match="init: expected one of"):
        ie.layer_profile(3, "relu", "lecun")


def test_layer_profile_tells_the_initialisations_apart():
    small = ie.layer_profile(10, "relu", "normal")
    he = ie.layer_profile(10, "relu", "he")
    assert np.median(he["grad_norm"]) > 100 * np.median(small["grad_norm"])
    sigmoid = ie.layer_profile(30, "sigmoid", "normal")
    assert sigmoid["grad_norm"][0] < 1e-15 * sigmoid["grad_norm"][-1]  # no underflow warning either
    assert "ratio ‖dW₁‖/‖dW_L‖" in ie.profile_summary(he)


def test_original_start_is_the_originals_network_with_correct_gradients():
    net, X, y = ie.original_start()
    assert X.shape == (1000, 2) and y.shape == (1000, 1)
    # the original printed a summed loss of 693.62972747 at the start: the mean is 1000× smaller
    assert net.loss(X, y) * 1000 == pytest.approx(693.62972747, abs=1e-7)
    assert max(bp.check_network(net, X[:100], y[:100], eps=1e-5).values()) < 1e-7


def test_initialisation_explorer_controls_change_the_plots():
    w = ie.initialisation_explorer()
    assert (w.depth.value, w.activation.value, w.init.value) == (10, "relu", "normal")
    np.testing.assert_array_equal(w.lines["a_std"].get_ydata(), ie.layer_profile(10, "relu", "normal")["a_std"])
    summary, png = w.summary.value, w.image.value
    w.init.value = "he"
    assert w.summary.value != summary and w.image.value != png
    np.testing.assert_array_equal(w.lines["grad_norm"].get_ydata(), ie.layer_profile(10, "relu", "he")["grad_norm"])
    w.depth.value = 25
    assert len(w.lines["a_std"].get_xdata()) == 25 and "layer 25" in w.summary.value
    w.activation.value = "sigmoid"
    np.testing.assert_array_equal(w.profile["grad_norm"], ie.layer_profile(25, "sigmoid", "he")["grad_norm"])
    w.depth.value = 1
    assert len(w.lines["grad_norm"].get_ydata()) == 1


# -- rendering helpers shared by both explorers ---------------------------------------------


@pytest.mark.parametrize("values, kwargs, expected", [
    ([0.06, 0.5], {}, (1e-2, 1.0)),
    ([1e-22, 0.03], {}, (1e-23, 1e-1)),
    ([0.0, 1e-300], {}, (1e-301, 1e-299)),  # zeros (underflow) are left out
    ([0.0, np.nan], {}, (1e-3, 1.0)),  # nothing positive and finite
    ([0.02, 0.7], {"min_decades": 1, "margin": 0.1}, (1e-2, 1.0)),
    ([0.3, 0.4], {"min_decades": 1, "margin": 0.1}, (1e-1, 1.0)),
])
def test_decade_limits_are_powers_of_ten_around_the_data(values, kwargs, expected):
    low, high = decade_limits(values, **kwargs)
    assert isinstance(low, float) and isinstance(high, float)
    assert (low, high) == pytest.approx(expected, rel=1e-12)
    positive = np.asarray(values)[np.asarray(values) > 0]
    assert ((positive >= low) & (positive <= high)).all()


def test_remember_png_renders_once_per_key_and_forgets_the_least_recent():
    cache, calls = {}, []

    def render(tag):
        return lambda: calls.append(tag) or tag.encode()

    assert remember_png(cache, "a", render("a"), size=2) == b"a"
    assert remember_png(cache, "b", render("b"), size=2) == b"b"
    assert remember_png(cache, "a", render("a!"), size=2) == b"a"  # kept: not drawn again
    remember_png(cache, "c", render("c"), size=2)  # "b" is now the least recent
    assert list(cache) == ["a", "c"] and calls == ["a", "b", "c"]


def test_optimizers_explorer_images_depend_only_on_the_settings():
    w = oe.optimizers_explorer(n_epochs=5)
    first = w.image.value
    w.lr["adam"].value = 0.01
    w.show["sgd"].value = False
    fresh = oe.optimizers_explorer(n_epochs=5)  # the same settings reached in another order
    fresh.show["sgd"].value = False
    fresh.lr["adam"].value = 0.01
    assert w.image.value == fresh.image.value != first
    w.show["sgd"].value = True
    w.lr["adam"].value = oe.DEFAULT_LR["adam"]
    assert w.image.value == first  # back where it started: the same picture
    low, high = w.ax.get_ylim()
    curves = np.concatenate([line.get_ydata() for line in w.lines.values()])
    assert low <= np.nanmin(curves) and np.nanmax(curves) <= high
    assert np.log10(low) == round(np.log10(low)) and np.log10(high) == round(np.log10(high))
    legend = [t.get_text() for t in w.ax.get_legend().get_texts()]
    assert legend == ["SGD, lr 1", "Momentum (β = 0.9), lr 0.3", "Adam, lr 0.3"]


def test_initialisation_explorer_images_depend_only_on_the_settings():
    w = ie.initialisation_explorer()
    first = w.image.value
    w.depth.value = 25
    w.activation.value = "tanh"
    assert w.heading.get_text() == "25 hidden layers of 64 tanh units, init σ = 0.1"
    assert w.image.value == ie.initialisation_explorer(depth=25, activation="tanh").image.value
    w.depth.value = 1
    assert w.heading.get_text().startswith("1 hidden layer of")
    w.depth.value, w.activation.value = 10, "relu"
    assert w.image.value == first
    for key, ax in zip(("a_std", "grad_norm"), w.fig.axes):
        low, high = ax.get_ylim()
        assert low < w.profile[key].min() and w.profile[key].max() < high
        assert ax.get_xlim() == (0.5, ie.MAX_DEPTH + 0.5)  # fixed: deeper nets draw longer curves

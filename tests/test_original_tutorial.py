"""The replica of the original tutorial reproduces its printed figures exactly."""

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib.original_tutorial import (
    DIVERGENCE_RISE, Errata, OriginalMLP, ablation, effective_learning_rates, format_ablation,
    make_original_data, max_loss_rise, run_original,
)


@pytest.fixture(scope="module")
def original():
    return run_original()


@pytest.fixture(scope="module")
def data():
    return make_original_data()


def test_the_original_printed_table_is_reproduced_exactly(original):
    assert round(original.before[0], 8) == 693.62972747
    assert original.before[1] == 0.5
    printed = {
        0: (693.62972747, 0.5), 1: (693.62166655, 0.5), 2: (693.61534159, 0.5),
        3: (693.60994018, 0.5), 145: (664.60120828, 0.818), 146: (697.97739669, 0.58),
        147: (681.08653776, 0.642), 148: (665.06165774, 0.71), 149: (683.6170298, 0.614),
    }
    for i, (loss, acc) in printed.items():
        assert round(original.losses[i], 8) == loss, i
        assert original.accuracies[i] == acc, i
    assert len(original.losses) == 150 and original.finite


def test_the_table_reads_like_the_original(original):
    text = original.table(rows=[145, 149])
    assert "Before training - loss 693.62972747 accuracy 0.5" in text
    assert "Iteration 145 - loss 664.60120828 accuracy 0.818" in text
    assert "Iteration 149 - loss 683.6170298" in text


def test_the_global_random_state_is_left_alone():
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    run_original(epochs=2)
    assert np.array_equal(np.random.get_state()[1], before)


def test_data_and_weights_follow_the_seeded_global_streams(data):
    from sklearn.datasets import make_circles

    state = np.random.get_state()
    try:
        np.random.seed(0)
        X, y = make_circles(n_samples=1000, factor=0.5, noise=0.1)
        np.random.seed(42)
        W1 = np.random.randn(2, 4) * 0.1
        b1 = np.random.randn(1, 4) * 0.1
    finally:
        np.random.set_state(state)
    assert np.array_equal(data[0], X) and np.array_equal(data[1][:, 0], y)
    model = OriginalMLP().initialize()
    assert np.array_equal(model.W[1], W1) and np.array_equal(model.b[1], b1)


def test_the_corrected_replica_computes_what_the_library_computes(data):
    X, y = data[0][:50], data[1][:50]
    model = OriginalMLP(errata=Errata.none()).initialize(seed=3, sigma=0.7)
    yhat = model.forward(X)
    model.backward(y, yhat)
    net = bp.MLP([2, 4, 3, 1], ["relu", "relu", "sigmoid"], loss="bce")
    for k, layer in enumerate(net.layers, start=1):
        layer.W, layer.b = model.W[k].copy(), model.b[k].copy()
    np.testing.assert_allclose(net.forward(X), yhat, rtol=1e-12)
    net.backward(y)
    for k, layer in enumerate(net.layers, start=1):
        np.testing.assert_allclose(layer.dW, model.dW[k], rtol=1e-9, atol=1e-15)
        np.testing.assert_allclose(layer.db, model.db[k], rtol=1e-9, atol=1e-15)
    assert model.loss(y, yhat) == pytest.approx(net.loss(X, y), rel=1e-12)


def test_each_erratum_switch_changes_what_it_claims(data):
    X, y = data[0][:40], data[1][:40]
    grads = {}
    for errata in [Errata.original(), Errata.original().fixing(1), Errata.original().fixing(5),
                   Errata.original().fixing(4)]:
        model = OriginalMLP(errata=errata).initialize()
        yhat = model.forward(X)
        model.backward(y, yhat)
        grads[errata.active] = (model.dW[3].copy(), model.db[3].copy(), model.loss(y, yhat))
    dW, db, loss = grads[(1, 4, 5)]
    np.testing.assert_allclose(grads[(4, 5)][0], dW / 2)          # erratum 1: factor 2
    np.testing.assert_allclose(grads[(1, 4)][1], db * 40)         # erratum 5: mean vs sum
    np.testing.assert_allclose(grads[(1, 5)][0], dW / 40)         # erratum 4: sum vs mean
    assert grads[(1, 5)][2] == pytest.approx(loss / 40)


def test_the_original_is_correct_descent_with_two_learning_rates(original):
    assert effective_learning_rates(Errata.original()) == (10.0, 0.01)
    assert effective_learning_rates(Errata.none()) == (0.005, 0.005)
    same = run_original(Errata.none(), lr=10.0, lr_b=0.01)
    np.testing.assert_array_equal(same.accuracies, original.accuracies)
    np.testing.assert_allclose(same.losses * 1000, original.losses, rtol=1e-12)


def test_ablation_rows_tell_the_story(data):
    calls = []
    rows = ablation(fixes=((), (1,), (5,), (1, 4, 5)), data=data, progress=lambda *a: calls.append(a))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    rows = {r["fixed"]: r for r in rows}
    assert rows[()]["diverged"] and rows[()]["best_accuracy"] == 0.922
    assert rows[()]["best_iteration"] == 121 and rows[()]["final_accuracy"] == 0.614
    assert not rows[(1,)]["diverged"] and rows[(1,)]["final_accuracy"] == 0.5
    assert rows[(5,)]["diverged"] and rows[(5,)]["max_rise"] > 0.09
    assert not rows[(1, 4, 5)]["diverged"] and rows[(1, 4, 5)]["best_accuracy"] == 0.5
    text = format_ablation(list(rows.values()))
    assert "none" in text and "all" in text and "0.922 (121)" in text


def test_max_loss_rise_and_threshold():
    assert max_loss_rise([3.0, 2.0, 1.0]) < 0
    assert max_loss_rise([1.0, 1.5, 1.2]) == pytest.approx(0.5)
    assert max_loss_rise([1.0, np.nan]) == 0.0
    assert DIVERGENCE_RISE == 0.01


def test_the_original_initialisation_leaves_the_corrected_network_dead(data):
    run = run_original(Errata.none(), lr=0.5, epochs=150, data=data)
    assert run.accuracies[-1] == 0.5
    assert run.losses[-1] == pytest.approx(np.log(2), abs=1e-4)
    model = run.model
    model.forward(data[0])
    assert not (model.z[2] > 0).any()  # every layer-2 ReLU is dead


def test_a_run_that_overflows_is_recorded_not_warned():
    run = run_original(Errata.original().fixing(5), lr=50.0, epochs=30)
    assert len(run.losses) == 30  # no exception, no warning (warnings are errors here)


def test_errata_objects():
    assert Errata.original().active == (1, 4, 5)
    assert str(Errata.none()) == "no errata"
    assert str(Errata.original().fixing(4)) == "errata 1, 5"
    with pytest.raises(ValueError, match="erratum numbers from"):
        Errata.original().fixing(2)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"layer_sizes": (2,)}, ValueError, "2\\+ positive sizes"),
        ({"activations": ("relu", "sigmoid")}, ValueError, "expected 3"),
        ({"activations": ("relu", "tanh", "sigmoid")}, ValueError, "'relu' or 'sigmoid'"),
        ({"errata": "all"}, TypeError, "expected an Errata"),
    ],
)
def test_bad_construction_is_explained(kwargs, error, match):
    with pytest.raises(error, match=match):
        OriginalMLP(**kwargs)


def test_repr_names_the_errata():
    assert repr(OriginalMLP()) == "OriginalMLP([2, 4, 3, 1], ['relu', 'relu', 'sigmoid'], errata 1, 4, 5)"

"""backprop_course.original: the original tutorial's run, rebuilt on backprop_lib.MLP with its
errata switched on, reproduces every figure of its printed table exactly; and what dissects it
(the errata one at a time, the two effective learning rates, the ablation)."""

import numpy as np
import pytest
from conftest import one_pass

import backprop_lib as bp
from backprop_course.errata import ErratumDense, ErratumSigmoid
from backprop_course.original import (
    DIVERGENCE_RISE,
    EPSILON,
    ERRATA_IN_CODE,
    LegacyNormal,
    OriginalCrossEntropy,
    OriginalRun,
    ablation,
    effective_learning_rates,
    format_ablation,
    make_original_data,
    max_loss_rise,
    original_network,
    run_original,
)

# The original's printed figures (DESIGN.md): (loss, accuracy) before training and at iterations
# 145, 146 and 149. The only bit-exact comparison of the suite: the loss rounded to 8 decimals.
BEFORE = (693.62972747, 0.5)
PRINTED = {145: (664.60120828, 0.818), 146: (697.97739669, 0.58), 149: (683.6170298, 0.614)}


@pytest.fixture(scope="module")
def original():
    return run_original()


@pytest.fixture(scope="module")
def data():
    return make_original_data()


def test_the_original_printed_table_is_reproduced_exactly(original):
    assert round(original.before[0], 8) == BEFORE[0]
    assert original.before[1] == BEFORE[1]
    for i, (loss, acc) in PRINTED.items():
        assert round(original.losses[i], 8) == loss, i
        assert original.accuracies[i] == acc, i
    assert len(original.losses) == len(original.accuracies) == 150 and original.finite
    assert original.errata == frozenset(ERRATA_IN_CODE) == {1, 4, 5}


def test_the_table_reads_like_the_original(original):
    lines = original.table(rows=[145, 146, 149]).splitlines()
    assert lines == [
        "Before training - loss 693.62972747 accuracy 0.5",
        "Iteration 145 - loss 664.60120828 accuracy 0.818",
        "Iteration 146 - loss 697.97739669 accuracy 0.58",
        "Iteration 149 - loss 683.6170298 accuracy 0.614",
    ]
    assert len(original.table().splitlines()) == 1 + 150


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
        expected = []
        for n_in, n_out in [(2, 4), (4, 3), (3, 1)]:
            expected += [np.random.randn(n_in, n_out) * 0.1, np.random.randn(1, n_out) * 0.1]
    finally:
        np.random.set_state(state)
    assert np.array_equal(data[0], X) and np.array_equal(data[1][:, 0], y) and data[1].shape == (1000, 1)
    net = original_network()
    for (name, p), e in zip(net.parameters(), expected):
        assert np.array_equal(p, e), name
    W, b = LegacyNormal(42, 0.1)(2, 4, rng=None)  # the generator passed in is not used
    assert np.array_equal(W, expected[0]) and np.array_equal(b, expected[1])


def test_the_original_network_is_this_series_network_with_hooks():
    net = original_network()
    assert isinstance(net, bp.MLP) and net.layer_sizes == [2, 4, 3, 1]
    assert all(isinstance(layer, ErratumDense) for layer in net.layers)
    assert isinstance(net.layers[-1].activation, ErratumSigmoid)  # erratum 1
    assert net.errata == {1, 5} and net.loss_fn.erratum_4  # erratum 4 lives in the loss
    corrected = original_network(())
    assert corrected.errata == frozenset() and not corrected.loss_fn.erratum_4
    assert corrected.layers[-1].activation.name == "sigmoid"


def test_the_original_cross_entropy_is_a_sum_with_erratum_4_and_a_mean_without(data):
    y = data[1][:50]
    yhat = np.clip(np.random.default_rng(0).uniform(size=(50, 1)), 0.01, 0.99)
    mean = bp.BinaryCrossEntropy()
    assert OriginalCrossEntropy(False).value(y, yhat) == pytest.approx(mean.value(y, yhat), rel=1e-12)
    assert OriginalCrossEntropy(True).value(y, yhat) == pytest.approx(50 * mean.value(y, yhat), rel=1e-12)
    np.testing.assert_allclose(
        OriginalCrossEntropy(False).gradient(y, yhat), mean.gradient(y, yhat), rtol=1e-10
    )
    np.testing.assert_allclose(
        OriginalCrossEntropy(True).gradient(y, yhat), 50 * mean.gradient(y, yhat), rtol=1e-10
    )
    # the logs are kept at or above machine ε, as in the original
    assert OriginalCrossEntropy(False).value(np.ones((1, 1)), np.zeros((1, 1))) == pytest.approx(
        -np.log(EPSILON)
    )


def test_the_corrected_replica_computes_what_the_library_computes(data):
    X, y = data[0][:50], data[1][:50]
    replica = original_network((), seed=3, sigma=0.7)
    net = bp.MLP([2, 4, 3, 1], ["relu", "relu", "sigmoid"], loss="bce", seed=0)
    net.set_parameters(dict(replica.parameters()))
    np.testing.assert_allclose(replica.output(X), net.output(X), rtol=1e-12)
    assert replica.loss(X, y) == pytest.approx(net.loss(X, y), rel=1e-12)
    expected, got = one_pass(net, X, y), one_pass(replica, X, y)  # fused vs through σ' by hand
    for name, g in expected.items():
        np.testing.assert_allclose(got[name], g, rtol=1e-9, atol=1e-15, err_msg=name)


def test_each_erratum_switch_changes_what_it_claims(data):
    X, y = data[0][:40], data[1][:40]
    grads, losses = {}, {}
    for errata in [(1, 4, 5), (4, 5), (1, 4), (1, 5)]:
        net = original_network(errata)
        grads[errata], losses[errata] = one_pass(net, X, y), net.loss(X, y)
    g = grads[(1, 4, 5)]
    np.testing.assert_allclose(grads[(4, 5)]["W3"], g["W3"] / 2, rtol=1e-12)  # erratum 1: factor 2
    np.testing.assert_allclose(grads[(1, 4)]["b3"], g["b3"] * 40, rtol=1e-12)  # erratum 5: mean vs sum
    np.testing.assert_allclose(grads[(1, 5)]["W3"], g["W3"] / 40, rtol=1e-12)  # erratum 4: sum vs mean
    assert losses[(1, 5)] == pytest.approx(losses[(1, 4, 5)] / 40, rel=1e-12)


# The σ = 0.1 start leaves tiny gradients: with ε = 1e-6 round-off alone reaches ~1e-7 on this
# 693-sized loss, so these checks use ε = 1e-5 (truncation ε² ≈ 1e-10 is still far below).
EPS = 1e-5


def test_with_the_originals_errata_every_gradient_fails_the_check(data):
    rows = bp.gradient_report(original_network(), *data, eps=EPS)
    assert not any(row.passed for row in rows), bp.format_report(rows)


def test_fixing_erratum_1_makes_the_weights_pass_and_leaves_the_biases_1000_times_too_small(data):
    rows = {row.name: row for row in bp.gradient_report(original_network((4, 5)), *data, eps=EPS)}
    for k in (1, 2, 3):
        assert rows[f"W{k}"].passed, bp.format_report(rows.values())
        assert not rows[f"b{k}"].passed and rows[f"b{k}"].scale == pytest.approx(1000, rel=1e-6)


def test_fixing_errata_1_and_5_passes_everything_although_erratum_4_is_still_on(data):
    net = original_network((4,))
    rows = bp.gradient_report(net, *data, eps=EPS)
    assert all(row.passed for row in rows), bp.format_report(rows)
    assert net.loss(*data) == pytest.approx(1000 * original_network(()).loss(*data), rel=1e-12)  # still a sum


def test_the_two_effective_learning_rates():
    assert effective_learning_rates() == (10.0, 0.01)
    assert effective_learning_rates(()) == (0.005, 0.005)
    assert effective_learning_rates((1,)) == (0.01, 0.01)
    assert effective_learning_rates((4, 5)) == (5.0, 0.005)
    assert effective_learning_rates((1, 4, 5), lr=0.01, n_samples=100) == (2.0, 0.02)


def test_the_original_is_correct_descent_with_two_learning_rates(original):
    same = run_original((), lr=10.0, bias_ratio=0.001)  # η_W = 10, η_b = 10 · 0.001 = 0.01
    np.testing.assert_array_equal(same.accuracies, original.accuracies)
    np.testing.assert_allclose(same.losses * 1000, original.losses, rtol=1e-12)  # a mean, not a sum


def test_ablation_rows_tell_the_story(data, original):
    calls = []
    rows = ablation(fixes=((), (1,), (5,), (1, 4, 5)), data=data, progress=lambda *a: calls.append(a))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    rows = {r["fixed"]: r for r in rows}
    none = rows[()]
    np.testing.assert_array_equal(none["run"].accuracies, original.accuracies)  # the original run itself
    assert none["diverged"] and none["final_accuracy"] == PRINTED[149][1]
    assert none["best_accuracy"] == original.accuracies.max() >= PRINTED[145][1]
    assert none["best_iteration"] == int(np.argmax(original.accuracies))
    assert none["max_rise"] == pytest.approx(max_loss_rise(original.losses), rel=1e-15)
    assert none["max_rise"] > DIVERGENCE_RISE
    assert (none["lr_W"], none["lr_b"]) == (10.0, 0.01)
    assert not rows[(1,)]["diverged"] and rows[(1,)]["final_accuracy"] == 0.5
    assert rows[(5,)]["diverged"] and rows[(5,)]["max_rise"] > 0.09
    assert rows[(1, 4, 5)]["errata"] == frozenset()
    assert not rows[(1, 4, 5)]["diverged"] and rows[(1, 4, 5)]["best_accuracy"] == 0.5  # erratum 9
    text = format_ablation(list(rows.values())).splitlines()
    assert text[0].split()[:3] == ["errata", "fixed", "η_W"] and set(text[1]) == {"-"}
    assert text[2].split()[0] == "none" and text[-1].split()[0] == "all"
    assert f"{none['best_accuracy']:.3f} ({none['best_iteration']})" in text[2] and text[2].endswith("yes")
    assert text[-1].endswith("no")


def test_max_loss_rise_and_threshold():
    assert max_loss_rise([3.0, 2.0, 1.0]) == pytest.approx(-1 / 3)
    assert max_loss_rise([1.0, 1.5, 1.2]) == pytest.approx(0.5)
    assert max_loss_rise([1.0, np.nan]) == 0.0
    assert max_loss_rise([2.0, np.nan, 3.0]) == pytest.approx(0.5)  # over the finite losses
    assert DIVERGENCE_RISE == 0.01


def test_the_original_initialisation_leaves_the_corrected_network_dead(data):
    run = run_original((), lr=0.5, epochs=150, data=data)
    assert run.accuracies[-1] == 0.5
    assert run.losses[-1] == pytest.approx(np.log(2), abs=1e-4)  # the mean loss of a coin toss
    run.net.forward(data[0])
    assert not (run.net.layers[1].z > 0).any()  # every layer-2 ReLU is dead


def test_a_run_that_saturates_is_recorded_not_warned():
    run = run_original((1, 4), lr=50.0, epochs=30)  # erratum 5 fixed: biases step 1000× further
    assert isinstance(run, OriginalRun) and len(run.losses) == 30  # no exception, no warning
    assert max_loss_rise(run.losses) > DIVERGENCE_RISE


def test_bad_errata_are_refused():
    with pytest.raises(ValueError, match=r"errata: expected numbers from \(1, 2, 3, 4, 5\), got \[7\]"):
        run_original((7,), epochs=1)

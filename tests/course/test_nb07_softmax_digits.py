"""Notebook 07 (softmax on digits): the chain panel (−y/ŷ times a Jacobian row against the fused
ŷ − y, both checked against central differences, and where float64 breaks the chain route), the
digits explorer driven without a browser, the static figures; the exercise checks (softmax
backward without J, class-weighted cross-entropy), each typical mistake named."""

import numpy as np
import pytest
from conftest import assert_correct, expect_mistake, mistake_message, named, png_pixels
from matplotlib.figure import Figure

import backprop_lib as bp
from backprop_course.exercises import ExerciseFailed
from backprop_course.exercises.nb07_softmax_digits import check_softmax_backward, check_weighted_ce_gradient
from backprop_course.explorers import nb07_softmax_digits as sd
from backprop_course.plotting import StaticFigure


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_chain_panel_numbers():
    z = np.array([2.0, -1.0, 0.5, 0.0])
    panel = sd.chain_panel(z, 2)
    p = softmax(z)
    y = np.eye(4)[2]
    np.testing.assert_allclose(panel["yhat"], p, rtol=1e-14)
    np.testing.assert_allclose(panel["J_row"], (np.diag(p) - np.outer(p, p))[2], atol=1e-16)
    assert panel["dyhat_t"] == pytest.approx(-1 / p[2], rel=1e-14)
    np.testing.assert_allclose(panel["dz_fused"], p - y, atol=1e-16)
    np.testing.assert_allclose(panel["dz_chain"], p - y, atol=1e-15)
    np.testing.assert_allclose(panel["dz_numeric"], p - y, atol=1e-8)
    assert panel["err_chain"] < 1e-8 and panel["err_fused"] < 1e-8
    assert panel["loss"] == pytest.approx(-np.log(p[2]), rel=1e-13)
    assert panel["prediction"] == 0


def test_a_huge_derivative_times_a_tiny_jacobian_row_is_finite():
    z = np.array([3.0, 1.0, -2.0, 0.5, 0.0])
    panel = sd.chain_panel(z, 0, shift=-40)  # the true class is pushed 40 below the others
    assert -panel["dyhat_t"] > 1e15 and np.max(np.abs(panel["J_row"])) < 1e-15
    np.testing.assert_allclose(panel["dz_chain"], panel["dz_fused"], rtol=1e-12, atol=1e-15)
    assert panel["dz_fused"][0] == pytest.approx(-1.0) and panel["err_chain"] < bp.TOLERANCE
    assert panel["loss"] == pytest.approx(np.log(np.exp(z[1:]).sum()) - (z[0] - 40), rel=1e-12)


@pytest.mark.parametrize("shift", [-720, -750, -800])
def test_float64_breaks_the_chain_route_but_not_the_fused_form(shift):
    z = np.array([5.0, 1.0, -2.0, 0.5])  # the true class 0 is the largest logit
    panel = sd.chain_panel(z, 0, shift=shift)
    assert not np.isfinite(panel["dz_chain"]).all() and panel["err_chain"] == np.inf
    assert panel["err_fused"] < bp.TOLERANCE  # the loss from the logits is exact at any shift
    assert panel["loss"] == pytest.approx(-(shift + 5.0) + np.log(np.exp([1.0, -2.0, 0.5]).sum()), rel=1e-12)


def test_the_chain_route_holds_until_one_over_yhat_overflows():
    z = np.array([5.0, 1.0, -2.0, 0.5])
    assert sd.chain_panel(z, 0, shift=-700)["err_chain"] < bp.TOLERANCE  # ŷ_t ≈ e^-700 ≈ 1e-304
    assert sd.chain_panel(z, 0, shift=-715)["err_chain"] == np.inf  # 1/ŷ_t > 1.8e308


def test_chain_panel_rejects_bad_input():
    with pytest.raises(ValueError, match="label"):
        sd.chain_panel(np.zeros(3), 3)
    with pytest.raises(ValueError, match="shift"):
        sd.chain_panel(np.zeros(3), 0, shift=np.inf)
    with pytest.raises(ValueError, match="1-D"):
        sd.chain_panel(np.zeros((2, 3)), 0)
    with pytest.raises(ValueError, match="finite"):
        sd.chain_panel(np.array([0.0, np.nan]), 0)


@pytest.fixture(scope="module")
def digits_net():
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1, (12, 16))
    labels = rng.integers(0, 4, 12)
    net = bp.MLP([16, 8, 4], ["relu", "softmax"], loss="cross_entropy", seed=0)
    return net, X, labels


def test_network_logits_are_the_output_layers_z_without_a_forward_pass(digits_net):
    net, X, labels = digits_net
    cached = net.layers[-1].z
    logits = sd.network_logits(net, X)
    np.testing.assert_allclose(bp.Softmax().forward(logits), net.output(X), rtol=1e-13)
    assert net.layers[-1].z is cached  # the caches are left alone
    with pytest.raises(
        ValueError, match=r"X: expected 16 features \(columns\) for this network, got shape \(2, 5\)"
    ):
        sd.network_logits(net, np.ones((2, 5)))


def test_softmax_explorer_follows_its_sliders(digits_net):
    net, X, labels = digits_net
    explorer = sd.softmax_digits_explorer(net, X, labels)  # 16 features: 4 × 4 images
    first_png = explorer.image.value
    explorer.index.value = 5
    logits = sd.network_logits(net, X)
    expected = sd.chain_panel(logits[5], int(labels[5]))
    np.testing.assert_allclose([b.get_height() for b in explorer.artists["bars_p"]], expected["yhat"])
    np.testing.assert_allclose([b.get_height() for b in explorer.artists["bars_g"]], expected["dz_fused"])
    np.testing.assert_array_equal(explorer.artists["digit"].get_array(), X[5].reshape(4, 4))
    assert f"true class <b>{labels[5]}</b>" in explorer.info.value
    assert explorer.image.value != first_png
    explorer.shift.value = -20
    pushed = sd.chain_panel(logits[5], int(labels[5]), -20)
    np.testing.assert_allclose([b.get_height() for b in explorer.artists["bars_p"]], pushed["yhat"])
    assert "Δ = -20" in explorer.info.value and "✗" not in explorer.info.value
    assert f"{pushed['dyhat_t']:.3g}" in explorer.info.value  # the huge factor, shown
    explorer.shift.value = -800
    assert "chain route <span style='color:#b2182b'>✗</span> (rel. error not finite)" in explorer.info.value
    assert "fused ŷ − y <span style='color:#1a7f37'>✓</span>" in explorer.info.value


def test_softmax_explorer_order_and_caches(digits_net):
    net, X, labels = digits_net
    net.forward(X[:3])
    cached = net.layers[0].a_prev
    explorer = sd.softmax_digits_explorer(net, X, labels, images=X.reshape(-1, 4, 4), order=[7, 2])
    assert explorer.index.max == 1 and explorer.sample == 7
    explorer.index.value = 1
    assert explorer.sample == 2
    assert net.layers[0].a_prev is cached  # the explorer does not run net.forward


def test_softmax_explorer_rejects_what_it_cannot_show(digits_net):
    net, X, labels = digits_net
    with pytest.raises(ValueError, match="softmax output"):
        sd.softmax_digits_explorer(bp.MLP([16, 1], ["sigmoid"]), X, labels)
    with pytest.raises(ValueError, match="labels"):
        sd.softmax_digits_explorer(net, X, labels[:-1])
    with pytest.raises(ValueError, match="shift"):
        sd.softmax_digits_explorer(net, X, labels, shift=-3)
    with pytest.raises(ValueError, match="not a square image"):
        sd.softmax_digits_explorer(
            bp.MLP([5, 3], ["softmax"], loss="cross_entropy"), np.ones((2, 5)), np.zeros(2, dtype=int)
        )


def test_softmax_explorer_redraw_leaves_nothing_behind(digits_net):
    net, X, labels = digits_net
    explorer = sd.softmax_digits_explorer(net, X, labels)
    explorer.index.value = 5
    explorer.shift.value = -10
    shown = explorer.image.value
    explorer.index.value = 9
    explorer.shift.value = 5
    assert explorer.image.value != shown
    explorer.index.value = 5
    explorer.shift.value = -10
    assert explorer.image.value == shown  # the same state gives the same pixels


def test_static_figures():
    curves = {f"seed {s}": (np.linspace(2, 0.1, 6), np.linspace(2, 0.2, 6)) for s in range(3)}
    fig = sd.loss_curves_figure(curves, "lr 1").fig
    assert [len(ax.get_lines()) for ax in fig.axes] == [3, 3]
    cm = np.array([[5, 1, 0], [0, 4, 0], [2, 0, 3]])
    fig = sd.confusion_figure(cm).fig
    assert len(fig.axes[0].texts) == np.count_nonzero(cm)
    np.testing.assert_allclose([b.get_height() for b in fig.axes[1].patches], [1 / 6, 0, 2 / 5])
    images = np.zeros((5, 4, 4))
    labels, predicted = np.array([0, 1, 2, 1, 0]), np.array([0, 2, 2, 0, 0])
    proba = np.full((5, 3), 1 / 3)
    fig = sd.mistakes_figure(images, labels, predicted, proba).fig
    assert sum(bool(ax.images) for ax in fig.axes) == 2
    assert sd.mistakes_figure(images, labels, labels, proba) is None
    assert len(sd.class_examples_figure(images, labels, K=3).fig.axes) == 3


# -- exercise 1: softmax backward without J -----------------------------------------------------


def right_backward(da, a):
    return a * (da - (da * a).sum(axis=1, keepdims=True))


def jacobian_backward(da, a):  # right numbers, but a K × K matrix per sample
    return np.vstack([row_da @ (np.diag(row_a) - np.outer(row_a, row_a)) for row_da, row_a in zip(da, a)])


BACKWARDS = {
    "correct": right_backward,
    "treats softmax as elementwise": lambda da, a: da * a * (1 - a),
    "has the sum without the weights a_i": lambda da, a: a * (da - da.sum(axis=1, keepdims=True)),
    "sums over the batch (axis 0)": lambda da, a: a * (da - (da * a).sum(axis=0, keepdims=True)),
    "has the wrong sign": lambda da, a: -right_backward(da, a),
    "is missing the factor a_k in front": lambda da, a: da - (da * a).sum(axis=1, keepdims=True),
    "is ŷ − y-like": lambda da, a: a - da,
    "forms the K × K Jacobian": jacobian_backward,
    "a missing or extra transpose": lambda da, a: right_backward(da, a).T,
}


@pytest.mark.parametrize("seed", [0, 1, 7])
@pytest.mark.parametrize("mistake", sorted(BACKWARDS))
def test_softmax_backward_check(mistake, seed):
    expect_mistake(check_softmax_backward, BACKWARDS[mistake], named(mistake), seeds=(seed,))


def test_softmax_backward_right_answers_pass(capsys):
    assert_correct(check_softmax_backward, right_backward, capsys)

    def one_row_at_a_time(da, a):  # a loop over samples is fine, as long as no J is formed
        return np.vstack([ra * (rd - rd @ ra) for rd, ra in zip(da, a)])

    check_softmax_backward(one_row_at_a_time, strict=True)


def test_the_jacobian_answer_is_right_but_named_for_its_memory():
    with pytest.raises(Exception, match=r"for K = 1500 your function allocated \d+ MB"):
        check_softmax_backward(jacobian_backward, strict=True)


# -- exercise 2: class-weighted cross-entropy --------------------------------------------------


def weight_of(Y, c):
    return (Y * c).sum(axis=1, keepdims=True)


WEIGHTED = {
    "correct": lambda Z, Y, c: weight_of(Y, c) * (softmax(Z) - Y) / len(Z),
    "ignores the class weights": lambda Z, Y, c: (softmax(Z) - Y) / len(Z),
    "weights column k by c_k": lambda Z, Y, c: c * (softmax(Z) - Y) / len(Z),
    "is (ŷ − c ⊙ y)/n": lambda Z, Y, c: (softmax(Z) - c * Y) / len(Z),
    "divides by the total weight": lambda Z, Y, c: weight_of(Y, c) * (softmax(Z) - Y) / weight_of(Y, c).sum(),
    "is n times too large": lambda Z, Y, c: weight_of(Y, c) * (softmax(Z) - Y),
    "has the wrong sign": lambda Z, Y, c: weight_of(Y, c) * (Y - softmax(Z)) / len(Z),
    "divides by K, the number of classes": lambda Z, Y, c: weight_of(Y, c) * (softmax(Z) - Y) / Z.shape[1],
    "Subtract each row's max(z)": lambda Z, Y, c: (
        weight_of(Y, c) * (np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True) - Y) / len(Z)
    ),
    "a missing or extra transpose": lambda Z, Y, c: (weight_of(Y, c) * (softmax(Z) - Y) / len(Z)).T,
    "takes the softmax down each column (axis 0": lambda Z, Y, c: (
        weight_of(Y, c) * (np.exp(Z) / np.exp(Z).sum(axis=0, keepdims=True) - Y) / len(Z)
    ),
    "subtracts the maximum of the whole matrix": lambda Z, Y, c: (
        weight_of(Y, c) * (np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=1, keepdims=True) - Y) / len(Z)
    ),
}


@pytest.mark.parametrize("seed", [0, 1, 7])
@pytest.mark.parametrize("mistake", sorted(WEIGHTED))
def test_weighted_ce_gradient_check(mistake, seed):
    expect_mistake(check_weighted_ce_gradient, WEIGHTED[mistake], named(mistake), seeds=(seed,))


def test_weighted_ce_reference_is_the_gradient_of_the_weighted_loss():
    # the check's formula w_s (ŷ_s − y_s)/n against central differences of the loss itself
    rng = np.random.default_rng(3)
    Z, c = rng.normal(size=(5, 4)), rng.uniform(0.3, 3.0, 4)
    Y = np.eye(4)[rng.integers(0, 4, 5)]

    def loss():
        return -np.sum(c * Y * np.log(softmax(Z))) / len(Z)

    assert bp.rel_error(WEIGHTED["correct"](Z, Y, c), bp.numerical_gradient(loss, Z)) < 1e-8


def test_nb07_checks_print_feedback(capsys):
    assert check_softmax_backward(right_backward)
    assert capsys.readouterr().out == "✅ softmax backward without the Jacobian: correct\n"
    assert not check_weighted_ce_gradient(WEIGHTED["ignores the class weights"])
    assert capsys.readouterr().out.startswith(
        "❌ class-weighted cross-entropy gradient: ∂L/∂Z for n = 4, K = 3 ignores the class weights"
    )


def test_overflow_in_the_learners_code_prints_no_warning(recwarn):
    check_weighted_ce_gradient(WEIGHTED["Subtract each row's max(z)"])
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_static_figures_show_themselves_as_png():
    # plotting.StaticFigure, which every static figure of notebooks 07-09 returns
    fig = Figure(figsize=(2, 1))
    fig.subplots(1, 2)
    fig.suptitle("two panels")
    shown = StaticFigure(fig, dpi=50)
    assert png_pixels(shown._repr_png_()).shape == (50, 100, 3)
    assert repr(shown) == "StaticFigure(2 axes, 'two panels')"
    assert shown.fig is fig


def test_the_two_overflows_are_told_apart_by_the_rows_they_break():
    with pytest.raises(
        ExerciseFailed, match=r"NaN or inf in rows whose logits are near \+1000: e\^1000 overflows"
    ):
        check_weighted_ce_gradient(WEIGHTED["Subtract each row's max(z)"], strict=True)
    message = mistake_message(
        check_weighted_ce_gradient, WEIGHTED["subtracts the maximum of the whole matrix"]
    )
    assert "near −1000, though not in the rows near +1000" in message
    assert "Subtract each row's own maximum, Z.max(axis=1, keepdims=True)" in message


# -- the library's softmax, cross-entropy and autodiff earn nothing ------------------------------


def weighted_by_the_library(Z, Y, c):
    return weight_of(Y, c) * bp.CategoricalCrossEntropy().fused_dz(Y, bp.Softmax().forward(Z))


@pytest.mark.parametrize(
    "check, shortcut, twin",
    [
        (check_softmax_backward, lambda da, a: bp.Softmax().backward(da, None, a), "Softmax.backward"),
        (check_weighted_ce_gradient, weighted_by_the_library, "CategoricalCrossEntropy.fused_dz"),
    ],
)
def test_a_working_shortcut_through_the_library_earns_nothing(check, shortcut, twin, capsys):
    check.check(shortcut)  # without the twins stopped, it would pass: a real shortcut
    assert not check(shortcut)
    assert f"backprop_lib's {twin}" in capsys.readouterr().out

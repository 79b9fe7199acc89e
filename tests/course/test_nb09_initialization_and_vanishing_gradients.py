"""Notebook 09 (initialisation and vanishing gradients): layer profiles, the original start with
correct gradients, the explorer (depth, width, initialisation, activation) driven without a
browser, the static figure; the exercise checks (variances going backwards through f′ and the
fan-out, variance through a ReLU stack), each typical mistake named."""

import numpy as np
import pytest
from conftest import assert_correct, expect_mistake

import backprop_lib as bp
from backprop_course.exercises.feedback import ExerciseFailed
from backprop_course.exercises.nb09_initialization_and_vanishing_gradients import (
    check_backward_variances,
    check_relu_stack_variance,
)
from backprop_course.explorers import nb09_initialization_and_vanishing_gradients as ie

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


def test_initialization_explorer_controls_change_the_plots():
    w = ie.initialization_explorer()
    assert (w.depth.value, w.activation.value, w.init.value) == (10, "relu", "normal")
    np.testing.assert_array_equal(
        w.lines["a_std"].get_ydata(), ie.layer_profile(10, "relu", "normal")["a_std"]
    )
    summary, png = w.summary.value, w.image.value
    w.init.value = "he"
    assert w.summary.value != summary and w.image.value != png
    np.testing.assert_array_equal(
        w.lines["grad_norm"].get_ydata(), ie.layer_profile(10, "relu", "he")["grad_norm"]
    )
    w.depth.value = 25
    assert len(w.lines["a_std"].get_xdata()) == 25 and "layer 25" in w.summary.value
    w.activation.value = "sigmoid"
    np.testing.assert_array_equal(w.profile["grad_norm"], ie.layer_profile(25, "sigmoid", "he")["grad_norm"])
    w.depth.value = 1
    assert len(w.lines["grad_norm"].get_ydata()) == 1


def test_initialization_explorer_images_depend_only_on_the_settings():
    w = ie.initialization_explorer()
    first = w.image.value
    w.depth.value = 25
    w.activation.value = "tanh"
    assert w.heading.get_text() == "25 hidden layers of 64 tanh units, init σ = 0.1"
    assert w.image.value == ie.initialization_explorer(depth=25, activation="tanh").image.value
    w.depth.value = 1
    assert w.heading.get_text().startswith("1 hidden layer of")
    w.depth.value, w.activation.value = 10, "relu"
    assert w.image.value == first
    for key, ax in zip(("a_std", "grad_norm"), w.fig.axes):
        low, high = ax.get_ylim()
        assert low < w.profile[key].min() and w.profile[key].max() < high
        assert ax.get_xlim() == (0.5, ie.MAX_DEPTH + 0.5)  # fixed: deeper nets draw longer curves


def test_initialization_explorer_width_slider():
    w = ie.initialization_explorer()
    assert w.width.value == 64 and tuple(w.width.options) == ie.WIDTH_OPTIONS
    png = w.image.value
    w.width.value = 256
    assert w.heading.get_text() == "10 hidden layers of 256 relu units, init σ = 0.1"
    np.testing.assert_array_equal(
        w.profile["a_std"], ie.layer_profile(10, "relu", "normal", width=256)["a_std"]
    )
    assert w.image.value != png
    w.width.value = 64
    assert w.image.value == png
    with pytest.raises(ValueError, match="width: expected one of"):
        ie.initialization_explorer(width=48)


def test_wider_he_stacks_drift_less_from_the_prediction():
    # the claim of notebook 09: the realised std of z_10 scatters less around √2 in wider stacks
    def spread(width):
        ratios = [
            ie.layer_profile(10, "relu", "he", width=width, seed=s)["z_std"][-1] / np.sqrt(2)
            for s in range(8)
        ]
        return np.std(np.log(ratios))

    assert spread(256) < spread(64) < spread(16)


def test_profiles_figure_draws_one_line_per_seed():
    profiles = {
        ("relu", init): [ie.layer_profile(4, "relu", init, seed=s) for s in (0, 1)] for init in ie.INIT_NAMES
    }
    fig = ie.profiles_figure(profiles).fig
    assert len(fig.axes) == 2  # one activation: a column of two panels
    assert [len(ax.get_lines()) for ax in fig.axes] == [6, 6]
    np.testing.assert_array_equal(
        fig.axes[1].get_lines()[0].get_ydata(), profiles[("relu", "normal")][0]["grad_norm"]
    )


# -- 09: backward variances --------------------------------------------------------------


def backward_right(var_top, widths, var_w, fprime2):
    out = [var_top]
    for n_above in reversed(widths[1:]):  # from the top layer down: the fan-out of the layer below
        out.insert(0, fprime2 * n_above * var_w * out[0])
    return np.array(out)


def backward_by_fan_in(var_top, widths, var_w, fprime2):
    out = [var_top]
    for n_below in reversed(widths[:-1]):  # the width of the layer being computed: its fan-in
        out.insert(0, fprime2 * n_below * var_w * out[0])
    return np.array(out)


def test_backward_variances_right_answers_pass(capsys):
    assert_correct(check_backward_variances, backward_right, capsys)
    check_backward_variances(lambda *a: list(backward_right(*a)), strict=True)  # a list is fine


def test_backward_variance_formula_matches_a_sampled_network():
    """The reference is right: push a random dz_K down a sampled stack with f′ of ReLU or sigmoid."""
    rng = np.random.default_rng(1)
    widths, var_w, var_top = [300, 200, 400, 250], 1.5 / 300, 0.7
    for activation in (bp.ReLU(), bp.Sigmoid()):
        z = [rng.normal(size=(2000, n)) for n in widths]  # the layers' pre-activations, N(0, 1)
        fprime2 = np.mean(activation.derivative(rng.normal(size=10**6)) ** 2)
        dz = rng.normal(scale=np.sqrt(var_top), size=(2000, widths[-1]))
        measured = [dz.var()]
        for k in range(len(widths) - 1, 0, -1):
            W = rng.normal(scale=np.sqrt(var_w), size=(widths[k - 1], widths[k]))
            dz = (dz @ W.T) * activation.derivative(z[k - 1])  # da = dz Wᵀ, then ⊙ f′(z)
            measured.insert(0, dz.var())
        np.testing.assert_allclose(measured, backward_right(var_top, widths, var_w, fprime2), rtol=0.08)


@pytest.mark.parametrize(
    "wrong, named",
    [
        (lambda vt, ws, vw, f: backward_right(vt, ws, vw, 1.0), "forgot f′"),
        (backward_by_fan_in, "used the fan-in"),
        (lambda vt, ws, vw, f: backward_right(vt * f, ws, vw, f), "applied f′ at the top"),
        (lambda vt, ws, vw, f: np.sqrt(backward_right(vt, ws, vw, f)), "are standard deviations"),
        (lambda vt, ws, vw, f: backward_right(vt, ws, vw, f)[::-1], "in the wrong order"),
        (lambda vt, ws, vw, f: backward_right(vt, ws, vw, f * f), r"uses E\[f′\]² in place of E\[f′²\]"),
        (lambda vt, ws, vw, f: 2 * backward_right(vt, ws, vw, f), r"is off at index"),
    ],
)
def test_backward_variances_mistakes_are_named(wrong, named):
    expect_mistake(check_backward_variances, wrong, named)


def test_backward_variances_wrong_length_is_explained():
    with pytest.raises(ExerciseFailed, match="has 3 entries, expected 2"):
        check_backward_variances(lambda vt, ws, vw, f: np.ones(len(ws) + 1), strict=True)
    with pytest.raises(ExerciseFailed, match="forget the `return`"):
        check_backward_variances(lambda vt, ws, vw, f: None, strict=True)


# -- 09: variance through a ReLU stack ---------------------------------------------------


def stack_right(var_x, n, var_w, depth):
    out = [n * var_w * var_x]
    for _ in range(depth - 1):
        out.append(n * var_w * out[-1] / 2)
    return np.array(out)


def test_relu_stack_right_answers_pass(capsys):
    assert check_relu_stack_variance(stack_right)
    assert "✅ variance through a ReLU stack: correct" in capsys.readouterr().out
    for seed in range(5):
        check_relu_stack_variance(stack_right, seed=seed, strict=True)
    check_relu_stack_variance(lambda vx, n, vw, d: list(stack_right(vx, n, vw, d)), strict=True)


def test_relu_stack_formula_matches_a_sampled_network():
    """The reference answer is right: sample a ReLU stack and measure Var(z_k)."""
    rng = np.random.default_rng(0)
    n, var_w, var_x, depth = 256, 2.4 / 256, 1.3, 4
    a = rng.normal(scale=np.sqrt(var_x), size=(4000, n))
    measured = []
    for _ in range(depth):
        z = a @ rng.normal(scale=np.sqrt(var_w), size=(n, n))
        measured.append(z.var())
        a = np.maximum(z, 0)
    np.testing.assert_allclose(measured, stack_right(var_x, n, var_w, depth), rtol=0.1)


@pytest.mark.parametrize(
    "wrong, named",
    [
        (lambda vx, n, vw, d: vx * (n * vw) ** np.arange(1, d + 1), "forgot that ReLU halves"),
        (lambda vx, n, vw, d: vx * (n * vw / 2) ** np.arange(1, d + 1), "halves already at layer 1"),
        (lambda vx, n, vw, d: np.sqrt(stack_right(vx, n, vw, d)), "are standard deviations"),
        (lambda vx, n, vw, d: vx * vw * (vw / 2) ** np.arange(d), "forgot the fan-in n"),
        (lambda vx, n, vw, d: vx * (n * vw / 2) ** np.arange(d), "shifted by one layer"),
    ],
)
def test_relu_stack_mistakes_are_named(wrong, named):
    with pytest.raises(ExerciseFailed, match=named):
        check_relu_stack_variance(wrong, strict=True)


def test_the_notebooks_prediction_is_the_twin_of_the_relu_stack_exercise(capsys):
    """Check 4's prediction (biases included) lives in the course package, out of the student
    version's sight; with zero biases it is exercise 2's answer, and the check refuses it."""
    np.testing.assert_allclose(ie.predicted_z_variances(5, 64, 0.03, 0.0, 1.3), stack_right(1.3, 64, 0.03, 5))
    with_bias = ie.predicted_z_variances(3, 64, 0.01, 0.01)
    np.testing.assert_allclose(with_bias, [0.65, 0.218, 0.07976])

    def by_the_course(var_x, n, var_w, depth):
        return ie.predicted_z_variances(depth, n, var_w, 0.0, var_x)

    check_relu_stack_variance.check(by_the_course)  # without the twin stopped, it would pass
    assert not check_relu_stack_variance(by_the_course)
    out = capsys.readouterr().out
    assert "this calls backprop_course's predicted_z_variances; apply section 2's two formulas" in out


def test_relu_stack_wrong_length_is_explained():
    with pytest.raises(ExerciseFailed, match="has 5 entries, expected 4"):
        check_relu_stack_variance(lambda vx, n, vw, d: np.ones(d + 1), strict=True)
    with pytest.raises(ExerciseFailed, match="forget the `return`"):
        check_relu_stack_variance(lambda vx, n, vw, d: None, strict=True)


def test_the_first_stack_is_deep_enough_for_every_mistake_to_give_its_own_numbers():
    depths = []

    def spy(var_x, n, var_w, depth):
        depths.append(depth)
        return stack_right(var_x, n, var_w, depth)

    check_relu_stack_variance(spy, strict=True)
    assert depths[0] >= 2 and 1 in depths  # one layer is still tried, last
    var_x, n, var_w = 1.3, 50, 0.05  # the first case's numbers: every named mistake differs
    k = np.arange(1, depths[0] + 1)
    gain = n * var_w
    candidates = [
        stack_right(var_x, n, var_w, depths[0]),
        var_x * gain**k,
        var_x * (gain / 2) ** k,
        np.sqrt(stack_right(var_x, n, var_w, depths[0])),
        var_x * var_w * (var_w / 2) ** (k - 1),
        var_x * (gain / 2) ** (k - 1),
    ]
    for i, a in enumerate(candidates):
        assert all(not np.allclose(a, b) for b in candidates[i + 1 :])
    one_layer = [c[:1] for c in (candidates[0], candidates[1])]
    assert np.allclose(*one_layer), "with one layer, a forgotten ½ gives the right number"

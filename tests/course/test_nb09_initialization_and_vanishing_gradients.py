"""Notebook 09 (initialisation and vanishing gradients): layer profiles, the original start with
correct gradients, the explorer driven without a browser; the exercise checks (He's standard
deviation, variance through a ReLU stack), each typical mistake named."""

import numpy as np
import pytest
from conftest import expect_mistake

import backprop_lib as bp
from backprop_course.exercises.feedback import ExerciseFailed
from backprop_course.exercises.nb09_initialization_and_vanishing_gradients import (
    check_he_std,
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


# -- 09: He standard deviation --------------------------------------------------------


def test_he_std_right_answers_pass(capsys):
    assert check_he_std(lambda n_in, n_out: np.sqrt(2 / n_in))
    assert "✅ He standard deviation: correct" in capsys.readouterr().out
    for seed in range(5):
        check_he_std(lambda n_in, n_out: (2 / n_in) ** 0.5, seed=seed, strict=True)
    check_he_std(lambda n_in, n_out: np.array([np.sqrt(2 / n_in)]), strict=True)  # shape (1,) ok


@pytest.mark.parametrize(
    "wrong, named",
    [
        (lambda n_in, n_out: np.sqrt(2 / n_out), "used the fan-out"),
        (lambda n_in, n_out: np.sqrt(1 / n_in), "forgot the factor 2"),
        (lambda n_in, n_out: 2 / n_in, "is the variance 2/n_in, not the standard deviation"),
        (lambda n_in, n_out: np.sqrt(2 / (n_in + n_out)), "is Xavier's"),
        (lambda n_in, n_out: np.sqrt(2) / n_in, r"is √2 / n_in"),
    ],
)
def test_he_std_mistakes_are_named(wrong, named):
    expect_mistake(check_he_std, wrong, named)


def test_he_std_non_numbers_are_explained():
    with pytest.raises(ExerciseFailed, match="should be a number, got NoneType"):
        check_he_std(lambda n_in, n_out: None, strict=True)
    with pytest.raises(ExerciseFailed, match="should be one number"):
        check_he_std(lambda n_in, n_out: [1.0, 2.0], strict=True)


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


def test_relu_stack_wrong_length_is_explained():
    with pytest.raises(ExerciseFailed, match="has 2 entries, expected 1"):
        check_relu_stack_variance(lambda vx, n, vw, d: np.ones(d + 1), strict=True)
    with pytest.raises(ExerciseFailed, match="returned None"):
        check_relu_stack_variance(lambda vx, n, vw, d: None, strict=True)

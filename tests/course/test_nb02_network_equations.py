"""Notebook 02 (the network as equations): the running example, the unit equations with numbers,
the network explorer driven without a browser; the exercise checks, each typical mistake named."""

import copy
import re

import numpy as np
import pytest
from conftest import assert_correct

import backprop_lib as bp
from backprop_course.exercises import ExerciseFailed
from backprop_course.exercises.nb02_network_equations import (
    check_layer_forward,
    check_squared_error,
    check_unit_preactivation,
    check_unit_weight_gradient,
)
from backprop_course.explorers.nb02_network_equations import (
    check_sample,
    example_network,
    example_or_sample,
    loss_equation,
    loss_equation_html,
    network_explorer,
    num,
    sample_loss,
    unit_equation,
    unit_equation_html,
    weight_choices,
    weight_label,
    weight_tex,
)


@pytest.fixture
def example():
    return example_network()


# -- compute functions -------------------------------------------------------------------------


def test_example_is_the_3_4_2_2_network_of_the_original_figure(example):
    net, x, y = example
    assert net.layer_sizes == [3, 4, 2, 2] and x.shape == (3,) and y.shape == (2,)
    assert [layer.activation.name for layer in net.layers] == ["sigmoid", "tanh", "sigmoid"]
    assert net.loss_fn.name == "mse"
    assert all(np.abs(layer.b).min() > 0 for layer in net.layers)  # every bias matters
    again = example_network()
    assert again[0] is not net  # a fresh object at every call...
    np.testing.assert_array_equal(again[0].layers[1].W, net.layers[1].W)  # ...seeded


def test_loops_equal_the_matrix_forward_and_the_loss(example):
    net, x, y = example
    z, a = bp.forward_by_loops(net, x)
    yhat = net.forward(x[None])
    np.testing.assert_allclose(a[-1], yhat[0], rtol=1e-13)
    for k, layer in enumerate(net.layers, start=1):
        np.testing.assert_allclose(z[k], layer.z[0], rtol=1e-13)
        np.testing.assert_allclose(a[k], layer.a[0], rtol=1e-13)
    # one sample: the sum of squares is the library's mean squared error over a batch of one
    assert sample_loss(y, a[-1]) == pytest.approx(net.loss(x[None], y[None]), rel=1e-13)
    assert sample_loss([1.0, 2.0], [0.5, 4.0]) == 0.25 + 4.0
    with pytest.raises(ValueError, match=r"sample_loss: y has shape \(2,\) but ŷ has shape \(3,\)"):
        sample_loss([1.0, 2.0], [1.0, 2.0, 3.0])


def test_unit_equation_substitutes_the_right_numbers(example):
    net, x, _ = example
    z, a = bp.forward_by_loops(net, x)
    tex = unit_equation(net, x, 2, 1, boxed=3)
    assert tex.startswith(
        r"\begin{aligned} a^{(2)}_{2} &= f_{2}\Big(\sum_{j=1}^{4} a^{(1)}_{j}\, w^{(2)}_{j2}"
    )
    assert tex.endswith(r"\end{aligned}") and tex.count("&=") == 3
    assert rf"\tanh({z[2][1]:.4f}) = {a[2][1]:.4f}" in tex
    assert rf"\boxed{{{num(a[1][3], 3)} \cdot {num(net.layers[1].W[3, 1], 3)}}}" in tex
    assert tex.count(r"\boxed") == 1
    out = unit_equation(net, x, 3, 0)
    assert out.startswith(r"\begin{aligned} \hat{y}_{1} &= f_{3}") and r"\sigma" in out
    assert r"\boxed" not in out
    with pytest.raises(ValueError, match="k: expected a layer number from 1 to 3, got 4"):
        unit_equation(net, x, 4, 0)
    with pytest.raises(ValueError, match=r"i: layer 1 has units 0 … 3 \(counted from 0\), got 4"):
        unit_equation(net, x, 1, 4)


def test_the_html_equations_carry_the_same_numbers_as_the_tex(example):
    """The explorer shows HTML (no MathJax pass per slider move); it must say what the TeX says."""
    net, x, y = example
    html_eq, tex = unit_equation_html(net, x, 2, 1, boxed=3), unit_equation(net, x, 2, 1, boxed=3)
    numbers = re.findall(r"-?\d+\.\d+", tex)
    assert numbers and re.findall(r"−?\d+\.\d+", re.sub("<[^>]+>", "", html_eq)) == [
        n.replace("-", "−") for n in numbers
    ]
    assert html_eq.count("border:1px solid") == 1
    assert "<i>ŷ</i><sub>1</sub>" in unit_equation_html(net, x, 3, 0)
    yhat = net.output(x[None])[0]
    loss_html = loss_equation_html(y, yhat)
    assert loss_html.endswith(f"= {net.loss(x[None], y[None]):.4f}</div>")
    assert re.findall(r"\d+\.\d+", re.sub("<[^>]+>", "", loss_html)) == re.findall(
        r"\d+\.\d+", loss_equation(y, yhat)
    )
    with pytest.raises(ValueError):
        unit_equation_html(net, x, 4, 0)


def test_loss_equation_numbers_and_weight_names(example):
    net, x, y = example
    yhat = net.forward(x[None])[0]
    assert loss_equation(y, yhat).endswith(f"= {net.loss(x[None], y[None]):.4f}")
    assert num(0.5) == "0.5000" and num(-0.25, 2) == "(-0.25)"
    assert weight_label(2, 2, 0) == "w⁽²⁾₃₁" and weight_tex(2, 2, 0) == "w^{(2)}_{31}"
    keys = [key for _, key in weight_choices(net)]
    assert len(keys) == 3 * 4 + 4 * 2 + 2 * 2 and len(set(keys)) == len(keys)
    assert keys[0] == (1, 0, 0) and keys[-1] == (3, 1, 1)


@pytest.mark.parametrize(
    "x, error, message",
    [
        (np.zeros(4), ValueError, r"x: expected one sample of shape \(3,\), got shape \(4,\)"),
        (np.zeros((2, 3)), ValueError, r"got shape \(2, 3\)"),
        ([np.nan, 0, 0], ValueError, "x: expected finite numbers"),
        ("abc", TypeError, "x: expected numbers, got str"),
    ],
)
def test_bad_samples_are_refused(example, x, error, message):
    net, _, y = example
    with pytest.raises(error, match=message):
        check_sample(net, x, y)
    with pytest.raises(error, match=message):
        network_explorer(net, x, y)
    with pytest.raises((ValueError, TypeError)):  # the library's loops refuse it too
        unit_equation(net, x, 1, 0)


def test_a_sample_comes_with_its_network(example):
    net, x, y = example
    assert check_sample(net, x[None], y)[0].shape == (3,)  # one row is one sample
    assert check_sample(net, x)[1] is None
    with pytest.raises(ValueError, match="network_explorer: give both x and y with a network of your own"):
        example_or_sample(net, x, None, "network_explorer")
    with pytest.raises(TypeError, match="net: expected a backprop_lib.MLP, got str"):
        check_sample("net", x, y)
    default, x0, y0 = example_or_sample(None, None, [0.0, 1.0], "who")
    np.testing.assert_array_equal(x0, x)
    np.testing.assert_array_equal(y0, [0.0, 1.0])


# -- the widget ----------------------------------------------------------------------------------


def test_input_slider_updates_values_drawing_and_loss(example):
    net, x, y = example
    w = network_explorer(net, x, y)
    fig, png = w.drawing.figure, w.image.value
    w.x_sliders[2].value = -1.5
    x_new = np.array([x[0], x[1], -1.5])
    z, a = bp.forward_by_loops(net, x_new)
    assert w.drawing.value_texts[(0, 2)].get_text() == "−1.500"
    assert w.drawing.value_texts[(1, 0)].get_text() == f"{a[1][0]:.3f}".replace("-", "−")
    assert w.drawing.value_texts[(3, 1)].get_text() == f"{a[3][1]:.3f}".replace("-", "−")
    assert f"= {sample_loss(y, a[3]):.4f}" in w.loss.value
    assert w.image.value != png and w.drawing.figure is fig


def test_weight_picker_and_slider_change_only_the_explorers_copy(example):
    net, x, y = example
    original = copy.deepcopy(net.layers[0].W)
    w = network_explorer(net, x, y)
    w.weight_picker.value = (1, 2, 3)
    assert w.weight_slider.value == pytest.approx(net.layers[0].W[2, 3])
    assert w.drawing.focus_edges == {(1, 2, 3)} and w.drawing.highlighted_nodes == {(0, 2), (1, 3)}
    box = "<span style='border:1px solid; padding:0 3px'>"
    assert w.equation.value.count(box) == 1 and "<i>a</i><sup>(1)</sup><sub>4</sub>" in w.equation.value
    w.weight_slider.value = 1.5
    assert w.net.layers[0].W[2, 3] == 1.5
    np.testing.assert_array_equal(net.layers[0].W, original)  # the caller's net is untouched
    assert f"{box}2.000 · 1.500</span>" in w.equation.value
    _, a = bp.forward_by_loops(w.net, x)
    assert f"= {a[1][3]:.4f}".replace("-", "−") in w.equation.value
    label = w.drawing.edge_texts[(1, 2, 3)]
    assert label.get_visible() and label.get_text().endswith("= 1.50")


# -- exercises: correct answers, written with loops as a learner would --------------------------


def unit_preactivation(a_prev, W, b, i):
    z = 0.0
    for j in range(len(a_prev)):
        z += a_prev[j] * W[j, i]
    return z + b[i]


def layer_forward(a_prev, W, b, f):
    return np.array([f(unit_preactivation(a_prev, W, b, i)) for i in range(W.shape[1])])


def squared_error(y, yhat):
    return sum((y[i] - yhat[i]) ** 2 for i in range(len(y)))


def tanh_prime(z):
    return 1 - np.tanh(z) ** 2


def unit_weight_gradient(a_prev, W, b, i, f, fprime):
    return fprime(unit_preactivation(a_prev, W, b, i)) * a_prev


@pytest.mark.parametrize(
    "check, answer",
    [
        (check_unit_preactivation, unit_preactivation),
        (check_layer_forward, layer_forward),
        (check_squared_error, squared_error),
        (check_unit_weight_gradient, unit_weight_gradient),
    ],
    ids=lambda v: getattr(v, "__name__", "x"),
)
def test_correct_answers_pass_on_several_seeds(check, answer, capsys):
    assert_correct(check, answer, capsys)


def test_a_forgotten_return_is_named():
    with pytest.raises(ExerciseFailed, match="forget the `return`"):
        check_unit_preactivation.check(lambda a, W, b, i: None)


PREACTIVATION_MISTAKES = {
    "uses W\\[i, j\\]": lambda a, W, b, i: sum(a[j] * W[i, j] for j in range(len(a))) + b[i],
    "missing the bias": lambda a, W, b, i: sum(a[j] * W[j, i] for j in range(len(a))),
    "once per input": lambda a, W, b, i: sum(a[j] * W[j, i] + b[i] for j in range(len(a))),
    "forgets to multiply": lambda a, W, b, i: sum(W[j, i] for j in range(len(a))) + b[i],
    "multiply first": lambda a, W, b, i: sum(a) * sum(W[:, i]) + b[i],
}


@pytest.mark.parametrize("message", PREACTIVATION_MISTAKES)
def test_preactivation_mistakes_are_named(message):
    with pytest.raises(ExerciseFailed, match=message):
        check_unit_preactivation.check(PREACTIVATION_MISTAKES[message])


def test_an_index_error_from_swapped_indices_is_explained():
    # W[i, j] on a non-square W runs off the end: the check explains the row convention.
    def swapped(a, W, b, i):
        return sum(a[j] * W[i, j] for j in range(len(a))) + b[i]

    with pytest.raises(ExerciseFailed, match="uses W\\[i, j\\]"):
        check_unit_preactivation.check(swapped)  # caught on the square case first
    with pytest.raises(ExerciseFailed, match="IndexError.*W\\[j, i\\]"):
        check_layer_forward.check(
            lambda a, W, b, f: (
                np.array(
                    [f(sum(a[j] * W[i, j] for j in range(W.shape[0])) + b[i]) for i in range(W.shape[1])]
                )
                if W.shape[0] != W.shape[1]
                else f(a @ W + b)
            )
        )


LAYER_MISTAKES = {
    "returns z, not f\\(z\\)": lambda a, W, b, f: a @ W + b,
    "missing the bias": lambda a, W, b, f: f(a @ W),
    "adds the bias after the activation": lambda a, W, b, f: f(a @ W) + b,
    "applies f before the sum, to each product a_prev": lambda a, W, b, f: f(a[:, None] * W).sum(0) + b,
    "applies f before the sum, to each product including": lambda a, W, b, f: f(a[:, None] * W + b).sum(0),
    "applies f to the inputs": lambda a, W, b, f: f(a) @ W + b,
    "uses W\\[i, j\\]": lambda a, W, b, f: f(W @ a + b) if W.shape[0] == W.shape[1] else f(a @ W + b),
    "is a column of shape": lambda a, W, b, f: f(a @ W + b)[:, None],
}


@pytest.mark.parametrize("message", LAYER_MISTAKES)
def test_layer_forward_mistakes_are_named(message):
    with pytest.raises(ExerciseFailed, match=message):
        check_layer_forward.check(LAYER_MISTAKES[message])


def test_layer_forward_accepts_a_list_or_a_one_row_matrix():
    check_layer_forward.check(lambda a, W, b, f: list(f(a @ W + b)))
    check_layer_forward.check(lambda a, W, b, f: f(a[None, :] @ W + b))


LOSS_MISTAKES = {
    "divides by the number of outputs": lambda y, yh: np.mean((y - yh) ** 2),
    "factor ½": lambda y, yh: 0.5 * np.sum((y - yh) ** 2),
    "forgets to square": lambda y, yh: np.sum(y - yh),
    "absolute values": lambda y, yh: np.sum(np.abs(y - yh)),
    "square root": lambda y, yh: np.linalg.norm(y - yh),
    "squares the sum": lambda y, yh: np.sum(y - yh) ** 2,
}


@pytest.mark.parametrize("message", LOSS_MISTAKES)
def test_squared_error_mistakes_are_named(message):
    with pytest.raises(ExerciseFailed, match=message):
        check_squared_error.check(LOSS_MISTAKES[message])


# -- exercise 4: ∂a_i/∂w_ji of one unit, a derivation the notebook does not show -----------------


def test_the_unit_weight_gradient_is_what_central_differences_measure():
    rng = np.random.default_rng(3)
    for n_in, n_out in [(3, 3), (4, 2), (2, 5)]:
        a_prev, W, b = rng.normal(size=n_in), rng.normal(size=(n_in, n_out)), rng.normal(size=n_out)
        i = n_out - 1
        numeric = bp.numerical_gradient(lambda: np.tanh(a_prev @ W[:, i] + b[i]), W)[:, i]
        np.testing.assert_allclose(
            unit_weight_gradient(a_prev, W, b, i, np.tanh, tanh_prime), numeric, rtol=1e-7
        )


def fp(a, W, b, i, fprime):
    return fprime(a @ W[:, i] + b[i])


WEIGHT_GRADIENT_MISTAKES = {
    "forgets f′": lambda a, W, b, i, f, fprime: a,
    "uses the weights where the inputs belong": lambda a, W, b, i, f, fprime: (
        fp(a, W, b, i, fprime) * W[:, i]
    ),
    "uses f\\(z_i\\) instead of its derivative": lambda a, W, b, i, f, fprime: f(a @ W[:, i] + b[i]) * a,
    "evaluates f′ at the unit's output": lambda a, W, b, i, f, fprime: fprime(f(a @ W[:, i] + b[i])) * a,
    "wrong sign": lambda a, W, b, i, f, fprime: -fp(a, W, b, i, fprime) * a,
    "uses W\\[i, j\\]": lambda a, W, b, i, f, fprime: fprime(a @ W[i, :] + b[i]) * a,
}


@pytest.mark.parametrize("message", WEIGHT_GRADIENT_MISTAKES)
def test_unit_weight_gradient_mistakes_are_named(message):
    with pytest.raises(ExerciseFailed, match=message):
        check_unit_weight_gradient.check(WEIGHT_GRADIENT_MISTAKES[message])


def test_unit_weight_gradient_unnamed_mistake_shows_the_input():
    def off(a, W, b, i, f, fprime):
        return unit_weight_gradient(a, W, b, i, f, fprime) + 0.01

    with pytest.raises(ExerciseFailed, match=r"is off at index .*the check's input: a_prev = \[.*i = \d"):
        check_unit_weight_gradient.check(off)


# -- the library's own layer, loss and backward pass earn nothing -----------------------------


def preactivation_by_the_layer(a_prev, W, b, i):
    return bp.Dense(W, b[None, :], bp.Identity()).apply(a_prev[None, :])[0][0, i]


def forward_by_the_network(a_prev, W, b, f):
    net = bp.MLP([len(a_prev), len(b)], ["identity"], loss="mse")
    net.set_parameters({"W1": W, "b1": b[None, :]})
    return f(net.evaluate(a_prev[None, :])[0])


def squared_error_by_the_loss(y, yhat):
    return bp.MeanSquaredError().value(y[None, :], yhat[None, :])


def weight_gradient_numerically(a_prev, W, b, i, f, fprime):
    W = W.copy()
    return bp.numerical_gradient(lambda: f(a_prev @ W[:, i] + b[i]), W)[:, i]


@pytest.mark.parametrize(
    "check, shortcut, twin",
    [
        (check_unit_preactivation, preactivation_by_the_layer, "Dense.apply"),
        (check_layer_forward, forward_by_the_network, "MLP.evaluate"),
        (check_squared_error, squared_error_by_the_loss, "MeanSquaredError.value"),
        (check_unit_weight_gradient, weight_gradient_numerically, "numerical_gradient"),
    ],
)
def test_a_working_shortcut_through_the_library_earns_nothing(check, shortcut, twin, capsys):
    check.check(shortcut)  # without the twins stopped, it would pass: a real shortcut
    assert not check(shortcut)
    assert f"this calls backprop_lib's {twin}; " in capsys.readouterr().out

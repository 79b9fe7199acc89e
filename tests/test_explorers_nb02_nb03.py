"""The explorers of notebooks 02 and 03: plain compute functions and widgets driven without a
browser (set a control's value, read what the outputs changed to)."""

import copy

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib.explorers.backprop_steps import (
    TOLERANCE,
    backprop_stepper,
    backward_by_loops,
    backward_steps,
    format_rel_error,
    loss_from_layer,
    loss_from_preactivation,
    steps_table,
)
from backprop_lib.explorers.network_equations import (
    example_network,
    forward_by_loops,
    loss_equation,
    network_explorer,
    num,
    sample_loss,
    unit_equation,
    weight_choices,
    weight_label,
)


@pytest.fixture
def example():
    return example_network()


# -- notebook 02: compute functions ----------------------------------------------------------


def test_example_is_the_3_4_2_2_network_of_the_original_figure(example):
    net, x, y = example
    assert net.layer_sizes == [3, 4, 2, 2] and x.shape == (3,) and y.shape == (2,)
    assert [layer.activation.name for layer in net.layers] == ["sigmoid", "tanh", "sigmoid"]
    assert net.loss_fn.name == "mse"
    assert all(np.abs(layer.b).min() > 0 for layer in net.layers)  # every bias matters
    np.testing.assert_array_equal(example_network()[0].layers[1].W, net.layers[1].W)  # seeded


def test_loops_equal_the_matrix_forward_and_the_loss(example):
    net, x, y = example
    z, a = forward_by_loops(net, x)
    yhat = net.forward(x[None])
    np.testing.assert_allclose(a[-1], yhat[0], rtol=1e-13)
    for k, layer in enumerate(net.layers, start=1):
        np.testing.assert_allclose(z[k], layer.z[0], rtol=1e-13)
        np.testing.assert_allclose(a[k], layer.a[0], rtol=1e-13)
    assert sample_loss(y, a[-1]) == pytest.approx(net.loss(x[None], y[None]), rel=1e-13)


def test_unit_equation_substitutes_the_right_numbers(example):
    net, x, _ = example
    z, a = forward_by_loops(net, x)
    tex = unit_equation(net, x, 2, 1, boxed=3)
    assert tex.startswith(r"\begin{aligned} h_{2,2} &= f_{2}\Big(\sum_{j=1}^{4} h_{1,j}\, w^{(2)}_{j2}")
    assert tex.endswith(r"\end{aligned}") and tex.count("&=") == 3
    assert rf"\tanh({z[2][1]:.4f}) = {a[2][1]:.4f}" in tex
    assert rf"\boxed{{{num(a[1][3], 3)} \cdot {num(net.layers[1].W[3, 1], 3)}}}" in tex
    assert tex.count(r"\boxed") == 1
    out = unit_equation(net, x, 3, 0)
    assert out.startswith(r"\begin{aligned} \hat{y}_{1} &= f_{3}") and r"\sigma" in out
    assert r"\boxed" not in out
    with pytest.raises(ValueError):
        unit_equation(net, x, 4, 0)
    with pytest.raises(ValueError):
        unit_equation(net, x, 1, 4)


def test_loss_equation_and_weight_names(example):
    net, x, y = example
    yhat = net.forward(x[None])[0]
    assert loss_equation(y, yhat).endswith(f"= {net.loss(x[None], y[None]):.4f}")
    assert weight_label(2, 2, 0) == "w⁽²⁾₃₁"
    keys = [key for _, key in weight_choices(net)]
    assert len(keys) == 3 * 4 + 4 * 2 + 2 * 2 and len(set(keys)) == len(keys)


@pytest.mark.parametrize("x", [np.zeros(4), np.zeros((2, 3)), [np.nan, 0, 0], "abc"])
def test_bad_samples_are_refused(example, x):
    net, _, _ = example
    with pytest.raises((ValueError, TypeError)):
        forward_by_loops(net, x)


# -- notebook 02: the widget -----------------------------------------------------------------


def test_input_slider_updates_values_drawing_and_loss(example):
    net, x, y = example
    w = network_explorer(net, x, y)
    fig, png = w.drawing.figure, w.image.value
    w.x_sliders[2].value = -1.5
    x_new = np.array([x[0], x[1], -1.5])
    z, a = forward_by_loops(net, x_new)
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
    assert w.equation.value.count(r"\boxed") == 1 and "h_{1,4}" in w.equation.value
    w.weight_slider.value = 1.5
    assert w.net.layers[0].W[2, 3] == 1.5
    np.testing.assert_array_equal(net.layers[0].W, original)  # the caller's net is untouched
    assert r"\boxed{2.000 \cdot 1.500}" in w.equation.value
    _, a = forward_by_loops(w.net, x)
    assert f"= {a[1][3]:.4f}" in w.equation.value
    label = w.drawing.edge_texts[(1, 2, 3)]
    assert label.get_visible() and label.get_text().endswith("= 1.50")


# -- notebook 03: the list of steps ----------------------------------------------------------


def test_steps_come_in_back_propagation_order(example):
    steps = backward_steps(*example)
    assert len(steps) == 2 + (2 + 4 + 2 + 2) + (2 + 8 + 2 + 4) + (4 + 12 + 4) == 48
    kinds = [s.kind for s in steps]
    assert kinds[:12] == ["dyhat"] * 2 + ["dz"] * 2 + ["dW"] * 4 + ["db"] * 2 + ["da"] * 2
    assert [s.layer for s in steps if s.kind == "dz"] == [3, 3, 2, 2, 1, 1, 1, 1]
    assert steps[0].label == "∂L/∂ŷ₁" and steps[10].label == "∂L/∂h₂,₁"
    assert steps[5].label == "∂L/∂w⁽³⁾₂₁" and steps[5].index == (1, 0)


def test_step_values_equal_mlp_backward_and_central_differences(example):
    net, x, y = example
    steps = backward_steps(net, x, y)
    net.forward(x[None])
    net.backward(y[None])  # one sample: the batch mean is the sample's own gradient
    for s in steps:
        layer = net.layers[s.layer - 1]
        expected = {
            "dyhat": lambda: layer.da[0, s.index[0]],
            "da": lambda: layer.da[0, s.index[0]],
            "dz": lambda: layer.dz[0, s.index[0]],
            "dW": lambda: layer.dW[s.index],
            "db": lambda: layer.db[0, s.index[0]],
        }[s.kind]()
        assert s.value == pytest.approx(expected, rel=1e-12, abs=1e-15), s.label
        assert s.numeric == pytest.approx(s.value, rel=1e-6), s.label
        assert s.rel_error < TOLERANCE and s.passed, (s.label, s.rel_error)
    assert steps[0].value == pytest.approx(-2 * (y[0] - net.forward(x[None])[0, 0]))


@pytest.mark.parametrize(
    "sizes, acts, seed",
    [([2, 3, 2], ["tanh", "identity"], 1), ([3, 4, 2, 2], ["sigmoid"] * 3, 2),
     ([4, 3, 3, 2, 1], ["tanh", "sigmoid", "tanh", "identity"], 3)],
)
def test_steps_on_other_networks(sizes, acts, seed):
    rng = np.random.default_rng(seed)
    net = bp.MLP(sizes, acts, loss="mse", seed=seed, init=bp.Normal(0.8))
    x, y = rng.normal(size=sizes[0]), rng.normal(size=sizes[-1])
    steps = backward_steps(net, x, y)
    grads = bp.scalar_backward(net, x[None], y[None])
    for s in steps:
        if s.kind == "dW":
            assert s.value == pytest.approx(grads[s.layer - 1][0][s.index], rel=1e-12, abs=1e-15)
        if s.kind == "db":
            assert s.value == pytest.approx(grads[s.layer - 1][1][0, s.index[0]], rel=1e-12, abs=1e-15)
    for s in steps:  # relative error is only meaningful away from zero
        assert s.rel_error < TOLERANCE or abs(s.value - s.numeric) < 1e-10, (s.label, s.value)
    assert sum(s.kind == "dW" for s in steps) == sum(a * b for a, b in zip(sizes, sizes[1:]))


def test_steps_mark_what_they_use(example):
    steps = backward_steps(*example)
    dw = next(s for s in steps if s.kind == "dW" and s.layer == 2 and s.index == (2, 1))
    assert dw.focus_edges == {(2, 2, 1)} and dw.nodes == {(1, 2), (2, 1)} and not dw.edges
    dh = next(s for s in steps if s.kind == "da" and s.layer == 1 and s.index == (3,))
    assert dh.edges == {(2, 3, 0), (2, 3, 1)} and dh.focus_nodes == {(1, 3)}
    assert dh.nodes == {(2, 0), (2, 1)}
    first = steps[0]
    assert first.focus_nodes == {(3, 0)} and not first.edges


def test_step_equations_show_the_numbers(example):
    net, x, y = example
    steps = backward_steps(net, x, y)
    _, a = forward_by_loops(net, x)
    assert rf"-2\,({y[0]:.4f} - {a[3][0]:.4f}) = {steps[0].value:.4f}" in steps[0].latex
    dh = steps[10]  # ∂L/∂h_{2,1}: a sum over both outputs, with a fresh index i
    assert r"\sum_{i=1}^{2}" in dh.latex and "w^{(3)}_{1i}" in dh.latex
    assert f"{net.layers[2].W[0, 1]:.4f}".lstrip("-") in dh.latex
    assert dh.latex.count(r"\cdot") == 2


def test_loss_helpers_are_pure(example):
    net, x, y = example
    net.forward(x[None])
    cached = net.layers[0].a.copy()
    _, a = forward_by_loops(net, x)
    L = sample_loss(y, a[-1])
    assert loss_from_layer(net, 0, x, y) == pytest.approx(L)
    assert loss_from_layer(net, 2, a[2], y) == pytest.approx(L)
    assert loss_from_preactivation(net, 1, net.layers[0].z[0], y) == pytest.approx(L)
    np.testing.assert_array_equal(net.layers[0].a, cached)


def test_loops_agree_with_the_library_for_hidden_unit_gradients(example):
    net, x, y = example
    g = backward_by_loops(net, x, y)
    net.forward(x[None])
    net.backward(y[None])
    # layers[k - 1] is layer k of the maths; its da is ∂L/∂ of its own outputs.
    np.testing.assert_allclose(g["da"][3], net.layers[2].da[0], rtol=1e-12)  # ∂L/∂ŷ
    np.testing.assert_allclose(g["da"][2], net.layers[1].da[0], rtol=1e-12)  # ∂L/∂h₂
    np.testing.assert_allclose(g["da"][1], net.layers[0].da[0], rtol=1e-12)  # ∂L/∂h₁


def test_steps_refuse_what_the_derivation_does_not_cover():
    x, y = np.zeros(2), np.zeros(2)
    with pytest.raises(ValueError, match="mse"):
        backward_steps(bp.MLP([2, 2], ["sigmoid"], loss="bce", seed=0), x, [0.0, 1.0])
    with pytest.raises(ValueError, match="softmax"):
        backward_steps(bp.MLP([2, 2], ["softmax"], loss="mse", seed=0), x, y)
    with pytest.raises(TypeError):
        backward_steps("net", x, y)


def test_table_and_rel_error_format_are_machine_independent(example):
    steps = backward_steps(*example)
    table = steps_table(steps).splitlines()
    assert len(table) == 49 and "< 1e-8 ✓" in table[1]
    assert format_rel_error(3e-11) == "< 1e-8 ✓"
    assert format_rel_error(2.5e-8) == "2.5e-08 ✓"
    assert format_rel_error(1e-3) == "1.0e-03 ✗"


# -- notebook 03: the stepper ----------------------------------------------------------------


def test_moving_the_step_slider_shows_that_steps_numbers(example):
    w = backprop_stepper(*example)
    assert w.step_slider.max == len(w.steps) - 1 == w.play.max
    fig, png = w.drawing.figure, w.image.value
    first = w.equation.value
    w.step_slider.value = 3
    s = w.steps[3]
    assert s.label == "∂L/∂z⁽³⁾₂"
    assert w.equation.value != first and s.latex in w.equation.value
    assert f"= {s.value:.4f}" in w.equation.value and "Step 4 of 48" in w.equation.value
    assert f"{s.numeric:.6f}" in w.check.value and "✓" in w.check.value
    assert w.drawing.focus_nodes == {(3, 1)}
    assert w.image.value != png and w.drawing.figure is fig

    w.step_slider.value = 10  # ∂L/∂h_{2,1}: both paths highlighted, weights labelled
    s = w.steps[10]
    assert w.drawing.highlighted_edges == {(3, 0, 0), (3, 0, 1)}
    assert f"{s.value:.4f}" in w.equation.value
    labels = {e: t.get_text() for e, t in w.drawing.edge_texts.items() if t.get_visible()}
    W3 = example[0].layers[2].W
    assert labels == {(3, 0, i): f"$w^{{(3)}}_{{1{i + 1}}}$ = {W3[0, i]:.2f}".replace("-", "−")
                      for i in range(2)}
    shown = {n for n, t in w.drawing.grad_texts.items() if t.get_text()}
    assert shown == {(3, 0), (3, 1), (2, 0)}  # ∂L/∂ŷ₁, ∂L/∂ŷ₂ and the new ∂L/∂h₂,₁

    w.step_slider.value = 0  # going back hides what is not found yet
    assert {n for n, t in w.drawing.grad_texts.items() if t.get_text()} == {(3, 0)}

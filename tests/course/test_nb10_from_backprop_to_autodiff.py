"""Notebook 10 (from back-propagation to autodiff): the example graph, the backward steps and
their drawing, the stepper driven without a browser; the exercise checks (the backward walk,
the matmul rule), each typical mistake named."""

import numpy as np
import pytest
from conftest import expect_mistake, named, png_pixels

import backprop_lib as bp
from backprop_course.exercises.nb10_from_backprop_to_autodiff import (
    check_backward_pass,
    check_logsumexp_rows,
)
from backprop_course.explorers import nb10_from_backprop_to_autodiff as ad
from backprop_lib.autodiff import Value

# -- notebook 10 ----------------------------------------------------------------------------


def test_example_graph_backward_equals_central_differences():
    L, nodes = ad.example_graph()
    L.backward()
    point = np.array([1.5, 0.8, -0.4, 0.5, 0.1])

    def loss():
        x, w, b, y, lam = point
        return (np.tanh(w * x + b) - y) ** 2 + lam * w * w

    assert float(L.data) == pytest.approx(loss(), rel=1e-15)
    numeric = bp.numerical_gradient(loss, point)
    for k, name in enumerate(["x", "w", "b", "y", "λ"]):
        assert bp.rel_error(nodes[name].grad, numeric[k]) < 1e-8


def test_gradient_after_each_step_shows_w_arriving_by_two_paths():
    L, nodes = ad.example_graph()
    steps = ad.backward_steps(L)
    history = ad.gradient_after_each_step(steps, nodes["w"])
    assert len(history) == len(steps) and history[0] == 0.0
    changes = [k for k in range(1, len(steps)) if history[k] != history[k - 1]]
    assert len(changes) == 2  # the weight-decay path, then the path through u
    assert history[changes[0]] == pytest.approx(2 * 0.1 * 0.8)  # ∂L/∂r · ∂r/∂w = λ · 2w
    L.backward()
    assert history[-1] == pytest.approx(float(nodes["w"].grad), rel=1e-15)


def test_graph_image_is_a_png_of_the_chosen_step():
    L, _ = ad.example_graph()
    first, last = ad.graph_image(L), ad.graph_image(L, step=len(ad.backward_steps(L)) - 1, title="done")
    assert first.data[:4] == b"\x89PNG" and first.data != last.data
    assert png_pixels(first.data).shape == png_pixels(last.data).shape


def test_backward_steps_replay_backward_and_show_the_second_path():
    L, nodes = ad.example_graph()
    steps = ad.backward_steps(L)
    L.backward()
    assert len(steps) == 1 + sum(1 for n in ad.topological_order(L) if not n.is_leaf)
    assert steps[0].node is None and steps[0].grads[id(L)] == 1.0
    for node in ad.topological_order(L):
        assert steps[-1].grads[id(node)] == pytest.approx(float(node.grad), rel=1e-15)
    visited = [s.node.name for s in steps[1:]]
    assert visited[0] == "L" and visited[-1] == "u"
    # Each node is visited only after every node that uses it: its gradient is final.
    for step in steps[1:]:
        assert step.upstream == pytest.approx(steps[-1].grads[id(step.node)], rel=1e-15)
    w_steps = [s for s in steps if any(t[0] is nodes["w"] for t in s.terms)]
    assert len(w_steps) == 2
    assert "second path" in w_steps[1].text and "second path" not in w_steps[0].text
    assert w_steps[1].terms[0][3] == pytest.approx(float(nodes["w"].grad), rel=1e-15)
    lines = ad.steps_lines(steps)
    assert lines[0] == "step 0: start at the output: ∂L/∂L = 1"
    assert any("∂u/∂w = x, ∂u/∂x = w" in line for line in lines)


def test_backward_steps_only_for_scalar_graphs():
    with pytest.raises(ValueError, match="graphs of scalars"):
        ad.backward_steps(Value(np.ones(3)).exp().sum())
    with pytest.raises(TypeError):
        ad.backward_steps(1.0)


def test_layout_puts_parents_left_of_their_users():
    L, _ = ad.example_graph()
    pos = ad.graph_layout(L)
    for node in ad.topological_order(L):
        for p in node.parents:
            assert pos[id(p)][0] < pos[id(node)][0]
    assert len(set(pos.values())) == len(pos)  # no two nodes on one spot


def test_stepper_follows_its_slider():
    stepper = ad.autodiff_stepper()
    assert "Step 0" in stepper.equation.value
    first = stepper.image.value
    stepper.step_slider.value = len(stepper.steps) - 1
    assert "visit u" in stepper.equation.value and "second path" in stepper.equation.value
    assert "0.4351" in stepper.table.value  # ∂L/∂w, both paths summed
    assert stepper.image.value != first
    drawing = stepper.drawing
    u = [n for n in drawing.order if n.name == "u"][0]
    w = [n for n in drawing.order if n.name == "w"][0]
    assert (
        drawing.boxes[id(u)].get_bbox_patch().get_facecolor()[:3]
        != drawing.boxes[id(w)].get_bbox_patch().get_facecolor()[:3]
    )
    assert drawing.grad_texts[id(w)].get_text() == "∂L/∂w = 0.4351"
    stepper.step_slider.value = 3  # r = w²: only the weight-decay path has reached w
    assert drawing.grad_texts[id(w)].get_text() == "∂L/∂w = 0.1600"


def test_stepper_on_a_graph_of_ones_own():
    x = Value(2.0, name="x")
    stepper = ad.autodiff_stepper(x * x + x.exp())
    stepper.step_slider.value = stepper.step_slider.max
    assert f"{4 + np.exp(2):.4f}" in stepper.table.value


def test_graph_drawing_redraw_is_the_same_for_the_same_step():
    L, _ = ad.example_graph()
    steps = ad.backward_steps(L)
    drawing = ad.GraphDrawing(L)
    drawing.show(steps[5], len(steps))
    first = drawing.png()
    drawing.show(steps[2], len(steps))
    assert drawing.png() != first
    drawing.show(steps[5], len(steps))
    assert drawing.png() == first


def test_stepper_image_shows_the_step_colours():
    stepper = ad.autodiff_stepper()
    stepper.step_slider.value = len(stepper.steps) - 1  # visit u; its parents are w and x
    drawing = stepper.drawing
    image = png_pixels(stepper.image.value)
    height = image.shape[0]
    expected = {"u": ad.COLOURS["focus"], "w": ad.COLOURS["parent"], "L": ad.COLOURS["plain"]}
    for name, colour in expected.items():
        node = [n for n in drawing.order if n.name == name][0]
        box = drawing.boxes[id(node)].get_bbox_patch().get_window_extent()
        x, y = int(box.x0 + 2.5), int(height - (box.y0 + box.y1) / 2)  # in the padding
        rgb = tuple(int(colour[k : k + 2], 16) for k in (1, 3, 5))
        np.testing.assert_allclose(image[y, x], rgb, atol=3, err_msg=name)
    # Back to a step already drawn: the cached image, and the drawing follows the slider.
    last = stepper.image.value
    stepper.step_slider.value = 0
    stepper.step_slider.value = len(stepper.steps) - 1
    assert stepper.image.value == last
    assert drawing.title.get_text().endswith("visit u")


# -- notebook 10: the backward walk --------------------------------------------------------


def walk_correct(order):
    order[-1].grad = np.ones_like(order[-1].data)
    for node in reversed(order):
        for parent, g in zip(node.parents, node.vjp(node.grad)):
            parent.grad += g


def walk_overwrites(order):
    order[-1].grad = np.ones_like(order[-1].data)
    for node in reversed(order):
        for parent, g in zip(node.parents, node.vjp(node.grad)):
            parent.grad = g


def walk_forwards(order):
    order[-1].grad = np.ones_like(order[-1].data)
    for node in order:
        for parent, g in zip(node.parents, node.vjp(node.grad)):
            parent.grad = parent.grad + g


def walk_unseeded(order):
    for node in reversed(order):
        for parent, g in zip(node.parents, node.vjp(node.grad)):
            parent.grad = parent.grad + g


def walk_with_the_engine(order):
    order[-1].backward()


def walk_scalar_grads(order):
    walk_correct(order)
    for node in order:
        node.grad = float(np.sum(node.grad))


WALKS = {
    "correct": walk_correct,
    "this calls backprop_lib's Value.backward; walk the graph yourself": walk_with_the_engine,
    "keeps only the last contribution": walk_overwrites,
    "walks the graph forwards": walk_forwards,
    "leaves every gradient at zero": walk_unseeded,
    "a gradient has shape": walk_scalar_grads,
}


@pytest.mark.parametrize("seed", [0, 1, 7])
@pytest.mark.parametrize("mistake", sorted(WALKS))
def test_backward_pass_check(mistake, seed):
    expect_mistake(check_backward_pass, WALKS[mistake], named(mistake), seeds=(seed,))


# -- notebook 10: a new operation's VJP ----------------------------------------------------


def lse(z):
    m = z.max(axis=1, keepdims=True)
    return m + np.log(np.exp(z - m).sum(axis=1, keepdims=True))


def lse_node(vjp_rule, forward=lse):
    """An answer: one node from z whose vjp is ``vjp_rule(g, z_data, out_data)``."""

    def answer(z):
        out = forward(z.data)
        return Value(out, (z,), "logsumexp", lambda g: (vjp_rule(g, z.data, out),))

    return answer


LOGSUMEXPS = {
    "correct": lse_node(lambda g, z, out: g * np.exp(z - out)),
    "the rule of a plain sum": lse_node(lambda g, z, out: np.broadcast_to(g, z.shape).copy()),
    "is the softmax without g": lse_node(lambda g, z, out: np.exp(z - out)),
    "is g ⊙ e^z: the derivative of the log divides": lse_node(lambda g, z, out: g * np.exp(z)),
    "normalise each row by its own sum": lse_node(lambda g, z, out: g * np.exp(z) / np.exp(z).sum()),
    "has one entry per element": lse_node(lambda g, z, out: g * np.exp(z - out), forward=lambda z: z),
    "return a tuple with one": lambda z: Value(
        lse(z.data), (z,), "lse", lambda g: g * np.exp(z.data - lse(z.data))
    ),
    "the result should be one node whose only parent is z": lambda z: (
        (z - Value(z.data.max(axis=1, keepdims=True))).exp().sum(axis=1, keepdims=True).log()
        + Value(z.data.max(axis=1, keepdims=True))
    ),
    "return a Value": lambda z: lse(z.data),
    "the value gives NaN or inf in rows near +1000: e^1000 overflows": lse_node(
        lambda g, z, out: g * np.exp(z) / np.exp(z).sum(axis=1, keepdims=True),
        forward=lambda z: np.log(np.exp(z).sum(axis=1, keepdims=True)),
    ),
    "keep the summed axis": lse_node(lambda g, z, out: g * np.exp(z - out), forward=lambda z: lse(z)[:, 0]),
    "it sums down each column (axis 0)": lse_node(
        lambda g, z, out: g * np.exp(z - out), forward=lambda z: lse(z.T).T
    ),
    "takes out the maximum of the whole array": lse_node(
        lambda g, z, out: g * np.exp(z - out),
        forward=lambda z: z.max() + np.log(np.exp(z - z.max()).sum(axis=1, keepdims=True)),
    ),
    "this calls backprop_lib's logsumexp; compute the value": lse_node(
        lambda g, z, out: g * np.exp(z - out), forward=lambda z: bp.losses.logsumexp(z)
    ),
}


@pytest.mark.parametrize("seed", [0, 1, 7])
@pytest.mark.parametrize("mistake", sorted(LOGSUMEXPS))
def test_logsumexp_check(mistake, seed):
    expect_mistake(check_logsumexp_rows, LOGSUMEXPS[mistake], named(mistake), seeds=(seed,))


def test_logsumexp_reference_is_central_differences_of_the_value():
    # the check's vjp g ⊙ softmax(z), against central differences of Σ g ⊙ logsumexp(z)
    rng = np.random.default_rng(4)
    z, g = rng.normal(size=(3, 5)), rng.normal(size=(3, 1))
    out = LOGSUMEXPS["correct"](Value(z))
    numeric = bp.numerical_gradient(lambda: np.sum(g * lse(z)), z)
    assert bp.rel_error(out.vjp(g)[0], numeric) < 1e-8


def test_logsumexp_feedback_is_printed(capsys):
    assert check_logsumexp_rows(LOGSUMEXPS["correct"])
    assert capsys.readouterr().out == "✅ logsumexp's vector-Jacobian product: correct\n"


def test_the_logsumexp_check_has_a_value_part_and_a_vjp_part(capsys):
    plain_sum_rule = LOGSUMEXPS["the rule of a plain sum"]
    unshifted = lse_node(  # an unstable value, and a rule that computes its softmax stably on its own
        lambda g, z, out: g * np.exp(z - lse(z)), forward=lambda z: np.log(np.exp(z).sum(1, keepdims=True))
    )
    assert check_logsumexp_rows.parts == ("value", "vjp")
    assert check_logsumexp_rows(plain_sum_rule, part="value")
    assert not check_logsumexp_rows(plain_sum_rule, part="vjp")
    assert not check_logsumexp_rows(unshifted, part="value")
    assert check_logsumexp_rows(unshifted, part="vjp")  # its rule is right, and stable
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith(
        "❌ logsumexp's vector-Jacobian product [vjp]: vjp(g) for z of shape (3, 4) is g copied"
    )
    assert "[value]: the value gives NaN or inf in rows near +1000" in out[2]


def test_a_matrix_wide_maximum_in_the_rule_is_named():
    def rule_with_the_global_max(g, z, out):
        e = np.exp(z - z.max())
        return g * e / e.sum(axis=1, keepdims=True)

    with pytest.raises(
        Exception, match="near −1000, though not in the rows near \\+1000: it takes out the maximum"
    ):
        check_logsumexp_rows(lse_node(rule_with_the_global_max), part="vjp", strict=True)

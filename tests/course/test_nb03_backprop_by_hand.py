"""Notebook 03 (back-propagation by hand): the list of steps (values by loops, checks by central
differences, what each uses in the drawing, the slips of the "your turn" mode), the stepper in
both modes driven without a browser; the exercise checks, each typical mistake named."""

import re
from html.parser import HTMLParser

import ipywidgets as widgets
import numpy as np
import pytest
from conftest import assert_correct, mistake_message, plain

import backprop_lib as bp
from backprop_course.exercises import ExerciseFailed
from backprop_course.exercises.nb03_backprop_by_hand import (
    check_dloss_da_hidden,
    check_dloss_dx,
    check_dloss_dyhat,
    check_sigmoid_derivative,
)
from backprop_course.explorers.nb02_network_equations import example_network, sample_loss
from backprop_course.explorers.nb03_backprop_by_hand import (
    backprop_stepper,
    backward_steps,
    found_labels,
    grad_label,
    loss_from_layer,
    loss_from_preactivation,
    report,
    steps_table,
)
from backprop_course.explorers.your_turn import close, judge, parse_number


@pytest.fixture
def example():
    return example_network()


# -- the list of steps ---------------------------------------------------------------------------


def test_steps_come_in_back_propagation_order(example):
    steps = backward_steps(*example)
    assert len(steps) == 2 + (2 + 4 + 2 + 2) + (2 + 8 + 2 + 4) + (4 + 12 + 4) == 48
    kinds = [s.kind for s in steps]
    assert kinds[:12] == ["dyhat"] * 2 + ["dz"] * 2 + ["dW"] * 4 + ["db"] * 2 + ["da"] * 2
    assert [s.layer for s in steps if s.kind == "dz"] == [3, 3, 2, 2, 1, 1, 1, 1]
    assert steps[0].label == "∂L/∂ŷ₁" and steps[10].label == "∂L/∂a⁽²⁾₁"
    assert steps[5].label == "∂L/∂w⁽³⁾₂₁" and steps[5].index == (1, 0)


def test_step_values_equal_mlp_backward_and_central_differences(example):
    net, x, y = example
    steps = backward_steps(net, x, y)
    net.forward(x[None])
    net.backward(y[None])  # one sample: the batch mean is the sample's own gradient
    dyhat = net.loss_fn.gradient(y[None], net.layers[-1].a)  # the output layer's da (MSE: not fused)
    for s in steps:
        layer = net.layers[s.layer - 1]
        expected = {
            "dyhat": lambda: dyhat[0, s.index[0]],
            "da": lambda: layer.da[0, s.index[0]],
            "dz": lambda: layer.dz[0, s.index[0]],
            "dW": lambda: layer.dW[s.index],
            "db": lambda: layer.db[0, s.index[0]],
        }[s.kind]()
        assert s.value == pytest.approx(expected, rel=1e-12, abs=1e-15), s.label
        assert s.numeric == pytest.approx(s.value, rel=1e-6), s.label
        assert s.rel_error < bp.TOLERANCE and s.passed, (s.label, s.rel_error)
    assert steps[0].value == pytest.approx(-2 * (y[0] - net.output(x[None])[0, 0]), rel=1e-12)


def test_the_callers_network_is_never_changed(example):
    net, x, y = example
    before = {name: p.copy() for name, p in net.parameters()}
    backward_steps(net, x, y)
    for name, p in net.parameters():
        np.testing.assert_array_equal(p, before[name])
    assert net.layers[0].z is None  # not even a forward pass


@pytest.mark.parametrize(
    "sizes, acts, seed",
    [
        ([2, 3, 2], ["tanh", "identity"], 1),
        ([3, 4, 2, 2], ["sigmoid"] * 3, 2),
        ([4, 3, 3, 2, 1], ["tanh", "sigmoid", "tanh", "identity"], 3),
    ],
)
def test_steps_on_other_networks(sizes, acts, seed):
    rng = np.random.default_rng(seed)
    net = bp.MLP(sizes, acts, loss="mse", seed=seed, init=bp.Normal(0.8))
    x, y = rng.normal(size=sizes[0]), rng.normal(size=sizes[-1])
    steps = backward_steps(net, x, y)
    grads = bp.gradients_by_loops(net, x[None], y[None])
    for s in steps:
        if s.kind == "dW":
            assert s.value == pytest.approx(grads[s.layer - 1][0][s.index], rel=1e-12, abs=1e-15)
        if s.kind == "db":
            assert s.value == pytest.approx(grads[s.layer - 1][1][0, s.index[0]], rel=1e-12, abs=1e-15)
    # Relative error is only meaningful away from zero; near it, the round-off of a central
    # difference, about 1e-16·L/ε = 1e-10·L for ε = 1e-6, bounds the absolute difference.
    round_off = 1e-10 * max(1.0, loss_from_layer(net, 0, x, y))
    for s in steps:
        assert s.rel_error < bp.TOLERANCE or abs(s.value - s.numeric) < 5 * round_off, (s.label, s.value)
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
    _, a = bp.forward_by_loops(net, x)
    assert rf"-2\,({y[0]:.4f} - {a[3][0]:.4f}) = {steps[0].value:.4f}" in steps[0].latex
    dh = steps[10]  # ∂L/∂a⁽²⁾₁: a sum over both outputs, with a fresh index i
    assert r"\sum_{i=1}^{2}" in dh.latex and "w^{(3)}_{1i}" in dh.latex
    assert f"{net.layers[2].W[0, 1]:.4f}".lstrip("-") in dh.latex
    assert dh.latex.count(r"\cdot") == 2
    assert "erratum 3" in steps[0].note and "erratum 7" in dh.note
    for s in steps:  # the rule alone, then the rule with numbers and the value
        assert s.latex.startswith(s.rule + " = ") and s.latex.endswith(f"= {s.value:.4f}")
        assert s.symbol in s.rule
        assert not re.search(r"\^\{[^{}]*\}_\{[^{}]*\}\^", s.latex), s.latex  # a^{(2)}_{1}^2: TeX error


class _Nesting(HTMLParser):
    """Records whether every tag of an HTML fragment is closed, in order."""

    def __init__(self, text):
        super().__init__()
        self.open, self.ok = [], True
        self.feed(text)
        self.ok = self.ok and not self.open

    def handle_starttag(self, tag, attrs):
        if tag != "br":  # the one void element these fragments use
            self.open.append(tag)

    def handle_endtag(self, tag):
        self.ok = self.ok and bool(self.open) and self.open.pop() == tag


def _numbers(text):
    return re.findall(r"-?\d+\.\d+", text.replace("−", "-"))


def test_every_step_has_an_html_equation_with_the_numbers_of_its_tex(example):
    """The stepper shows the HTML (no MathJax pass per step); it must say what the LaTeX says."""
    steps = backward_steps(*example)
    for s in steps:
        text = plain(s.html)
        assert _Nesting(s.html).ok, s.label
        assert _numbers(s.latex) and _numbers(text) == _numbers(s.latex), s.label
        assert text.startswith("∂L∂") and text.endswith(f"= {s.value:.4f}".replace("-", "−"))
        assert "\\" not in s.html and "$" not in s.html  # no TeX left for a browser to show raw
    first, dz2, dh = steps[0], steps[12], steps[10]  # ∂L/∂ŷ₁, ∂L/∂z⁽²⁾₁ (tanh), ∂L/∂a⁽²⁾₁
    assert "border-bottom:1px solid" in first.html and "<i>ŷ</i><sub>1</sub>" in first.html
    assert "−2 (<i>y</i><sub>1</sub> − <i>ŷ</i><sub>1</sub>)" in first.html
    assert "(1 − (<i>a</i><sup>(2)</sup><sub>1</sub>)<sup>2</sup>)" in dz2.html
    assert "Σ<sub>i=1</sub><sup>2</sup>" in dh.html and "<i>w</i><sup>(3)</sup><sub>1i</sub>" in dh.html
    assert plain(dh.html).count(" · ") == 2


def test_loss_helpers_are_pure(example):
    net, x, y = example
    net.forward(x[None])
    cached = net.layers[0].a
    _, a = bp.forward_by_loops(net, x)
    L = sample_loss(y, a[-1])
    assert loss_from_layer(net, 0, x, y) == pytest.approx(L, rel=1e-13)
    assert loss_from_layer(net, 2, a[2], y) == pytest.approx(L, rel=1e-13)
    assert loss_from_layer(net, 3, a[3], y) == pytest.approx(L, rel=1e-13)
    assert loss_from_preactivation(net, 1, net.layers[0].z[0], y) == pytest.approx(L, rel=1e-13)
    assert net.layers[0].a is cached


def test_steps_refuse_what_the_derivation_does_not_cover():
    x, y = np.zeros(2), np.zeros(2)
    with pytest.raises(ValueError, match=r"for the squared error \(loss='mse'\), got loss='bce'"):
        backward_steps(bp.MLP([2, 2], ["sigmoid"], loss="bce", seed=0), x, [0.0, 1.0])
    with pytest.raises(ValueError, match="needs elementwise activations, got softmax"):
        backward_steps(bp.MLP([2, 2], ["softmax"], loss="mse", seed=0), x, y)
    with pytest.raises(TypeError, match="net: expected a backprop_lib.MLP, got str"):
        backward_steps("net", x, y)


def test_table_and_report_are_machine_independent(example):
    steps = backward_steps(*example)
    table = steps_table(steps).splitlines()
    assert len(table) == 49 and table[1].endswith("< 1e-8 ✓")
    assert all(line.endswith("✓") for line in table[1:])
    assert table[1].split()[:2] == ["1", "∂L/∂ŷ₁"] and f"{steps[0].value:.6f}" in table[1]
    line = report("dW", [0.1234567, -2.0], [0.1234567, -2.0])
    assert (
        line == "dW: by loops [0.123457, -2.0], central differences [0.123457, -2.0], relative error < 1e-8 ✓"
    )
    assert report("db", [1.0], [1.1]).endswith("relative error 4.8e-02 ✗")


# -- the stepper ---------------------------------------------------------------------------------


def test_moving_the_step_slider_shows_that_steps_numbers(example):
    w = backprop_stepper(*example)
    n = len(w.steps)
    assert (w.step_slider.min, w.step_slider.max) == (1, n) == (w.play.min, w.play.max)
    assert w.step is w.steps[0] and "Step 1 of 48" in w.equation.value
    fig, png = w.drawing.figure, w.image.value
    first = w.equation.value
    w.step_slider.value = 4  # the slider reads what the panel says: step 4 of 48
    s = w.steps[3]
    assert w.step is s and s.label == "∂L/∂z⁽³⁾₂"
    assert w.equation.value != first and s.html in w.equation.value
    assert f"= {s.value:.4f}".replace("-", "−") in w.equation.value and "Step 4 of 48" in w.equation.value
    assert f"{s.numeric:.6f}" in w.check.value and "✓" in w.check.value
    assert w.drawing.focus_nodes == {(3, 1)}
    assert w.image.value != png and w.drawing.figure is fig

    w.step_slider.value = 11  # ∂L/∂a⁽²⁾₁: both paths highlighted, weights labelled
    s = w.steps[10]
    assert w.drawing.highlighted_edges == {(3, 0, 0), (3, 0, 1)}
    assert f"{s.value:.4f}" in w.equation.value
    labels = {e: t.get_text() for e, t in w.drawing.edge_texts.items() if t.get_visible()}
    W3 = example[0].layers[2].W
    assert labels == {
        (3, 0, i): f"$w^{{(3)}}_{{1{i + 1}}}$ = {W3[0, i]:.2f}".replace("-", "−") for i in range(2)
    }
    # red labels name their quantity: ∂L/∂z at the outputs (found after ∂L/∂ŷ), ∂L/∂a just found
    shown = {node: t.get_text() for node, t in w.drawing.grad_texts.items() if t.get_text()}
    assert set(shown) == {(3, 0), (3, 1), (2, 0)}
    assert shown[(3, 0)] == f"∂L/∂z = {w.steps[2].value:.4f}".replace("-", "−")
    assert shown[(2, 0)] == f"∂L/∂a = {s.value:.4f}".replace("-", "−")

    w.step_slider.value = 1  # going back hides what is not found yet
    shown = {node: t.get_text() for node, t in w.drawing.grad_texts.items() if t.get_text()}
    assert shown == {(3, 0): f"∂L/∂ŷ = {w.steps[0].value:.4f}".replace("-", "−")}
    w.next_button.click()
    assert w.step_slider.value == 2


def test_every_step_renders_without_mathjax(example):
    w = backprop_stepper(*example)
    assert isinstance(w.equation, widgets.HTML) and not isinstance(w.equation, widgets.HTMLMath)
    images = {w.image.value}
    for n, s in enumerate(w.steps, start=1):
        w.step_slider.value = n
        assert f"Step {n} of 48: {s.label}" in w.equation.value and s.html in w.equation.value
        assert _Nesting(w.equation.value).ok and "$" not in w.equation.value
        assert f"{s.value:.6f}" in w.check.value and "✓" in w.check.value
        images.add(w.image.value)
    assert len(images) == len(w.steps)  # every step draws its own picture


def test_found_labels_follow_the_steps(example):
    steps = backward_steps(*example)
    assert found_labels(steps, 0) == {}
    labels = found_labels(steps, 4)  # ∂L/∂ŷ₁, ∂L/∂ŷ₂, then ∂L/∂z⁽³⁾₁, ∂L/∂z⁽³⁾₂ replace them
    assert labels == {(3, i): grad_label("dz", steps[2 + i].value) for i in range(2)}
    assert grad_label("da", -0.5) == "∂L/∂a = -0.5000"


# -- the "your turn" mode ----------------------------------------------------------------------


def test_every_step_names_its_slips_and_none_of_them_is_right(example):
    steps = backward_steps(*example)
    for s in steps:
        assert s.slips, s.label
        assert judge(s.question, f"{s.value:.6f}").right
        for description, wrong in s.slips:
            verdict = judge(s.question, f"{wrong:.6f}")
            if not close(wrong, s.value):
                assert verdict.status == "slip", (s.label, description)


def test_the_slips_the_issue_names_are_named(example):
    steps = backward_steps(*example)
    dz = next(s for s in steps if s.kind == "dz" and s.layer == 2)
    da_value = next(v for d, v in dz.slips if d.startswith("forget f′"))
    assert "forget f′" in judge(dz.question, f"{da_value:.6f}").message  # forgot f′
    sign = judge(dz.question, f"{-dz.value:.6f}").message
    assert "flip the sign" in sign
    dh = next(s for s in steps if s.kind == "da" and s.layer == 2 and s.index == (0,))
    W3 = example[0].layers[2].W
    dz3 = [s.value for s in steps if s.kind == "dz" and s.layer == 3]
    one_path = dz3[0] * W3[0, 0]  # the path through ŷ₂ dropped
    assert "drop the path through unit 2 of layer 3" in judge(dh.question, f"{one_path:.6f}").message
    swapped = dz3[0] * W3[0, 0] + dz3[1] * W3[1, 0]  # w_ij for w_ji
    assert "mix up the weight indices" in judge(dh.question, f"{swapped:.6f}").message
    dw = next(s for s in steps if s.kind == "dW" and s.layer == 3 and s.index == (1, 0))
    a = bp.forward_by_loops(example[0], example[1])[1]
    assert "erratum 2" in judge(dw.question, f"{dz3[0] * a[3][0]:.6f}").message
    assert "mix up the indices" in judge(dw.question, f"{dz3[0] * a[2][0]:.6f}").message


def test_your_turn_mode_hides_the_step_until_it_is_answered(example):
    w = backprop_stepper(*example)
    w.step_slider.value = 11  # ∂L/∂a⁽²⁾₁
    s = w.step
    w.mode.value = "your turn"
    assert w.turn_box.layout.display is None
    assert f"{s.value:.4f}" not in w.equation.value and "= ?" in w.equation.value
    assert w.check.value == "" and w.answer.question == s.question
    assert not w.drawing.highlighted_edges and w.drawing.focus_nodes == s.focus_nodes  # ask, do not tell
    assert (2, 0) not in {n for n, t in w.drawing.grad_texts.items() if t.get_text()}
    assert "What you know" in w.known.value and "w⁽³⁾ⱼᵢ" in w.known.value
    known = plain(w.known.value)
    assert f"{w.steps[2].value:.6f}" in known  # ∂L/∂z⁽³⁾₁, found at step 3, is known
    assert f"{s.value:.6f}" not in known  # the answer itself is not

    w.answer.text.value = f"{s.slips[0][1]:.5f}"
    w.answer.check_button.click()
    assert w.answer.verdict.status == "slip" and not w.solved
    assert "= ?" in w.equation.value

    w.answer.text.value = f"{s.value:.5f}"
    w.answer.check_button.click()
    assert w.solved and f"= {s.value:.4f}" in w.equation.value and "✓" in w.check.value
    assert w.drawing.highlighted_edges == s.edges

    w.next_button.click()
    assert w.step_slider.value == 12 and not w.solved and "= ?" in w.equation.value
    w.mode.value = "watch"
    assert w.turn_box.layout.display == "none" and f"{w.step.value:.4f}" in w.equation.value


def test_the_answer_box_reads_numbers_as_learners_type_them():
    assert parse_number(" −0,25 ") == -0.25 and parse_number("1e-3") == 0.001
    with pytest.raises(ValueError, match="expected a number such as -0.1234, got 'x'"):
        parse_number("x")
    with pytest.raises(ValueError, match="expected a finite number"):
        parse_number("nan")


def test_the_stepper_on_a_network_of_ones_own():
    net = bp.MLP([2, 2, 1], ["tanh", "identity"], loss="mse", seed=0, init=bp.Normal(0.5))
    w = backprop_stepper(net, [0.3, -0.7], [0.5])
    assert len(w.steps) == 1 + (1 + 2 + 1 + 2) + (2 + 4 + 2) == 15
    with pytest.raises(ValueError, match="backprop_stepper: give both x and y"):
        backprop_stepper(net, [0.3, -0.7])


# -- exercises -----------------------------------------------------------------------------------


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dloss_da_hidden(dL_dyhat, fprime_z, W):
    n_in, n_out = W.shape
    return np.array([sum(dL_dyhat[i] * fprime_z[i] * W[j, i] for i in range(n_out)) for j in range(n_in)])


def dloss_dx(dL_da1, a1, W1):
    return W1 @ (dL_da1 * a1 * (1 - a1))


@pytest.mark.parametrize(
    "check, answer",
    [
        (check_dloss_dyhat, lambda y, yhat: -2 * (y - yhat)),
        (check_dloss_da_hidden, dloss_da_hidden),
        (check_sigmoid_derivative, lambda z: sigmoid(z) * (1 - sigmoid(z))),
        (check_dloss_dx, dloss_dx),
    ],
    ids=["dloss_dyhat", "dloss_da_hidden", "sigmoid_derivative", "dloss_dx"],
)
def test_correct_answers_pass_on_several_seeds(check, answer, capsys):
    assert_correct(check, answer, capsys)


def test_a_forgotten_return_is_named():
    with pytest.raises(ExerciseFailed, match="forget the `return`"):
        check_dloss_dyhat.check(lambda y, yhat: None)


DYHAT_MISTAKES = {
    "wrong sign.*erratum 3": lambda y, yh: 2 * (y - yh),
    "missing the factor 2": lambda y, yh: yh - y,
    "missing both the factor 2 and the minus sign": lambda y, yh: y - yh,
    "divides by the number of outputs": lambda y, yh: -2 * (y - yh) / len(y),
    "not its derivative": lambda y, yh: (y - yh) ** 2,
}


@pytest.mark.parametrize("message", DYHAT_MISTAKES)
def test_dloss_dyhat_mistakes_are_named(message):
    with pytest.raises(ExerciseFailed, match=message):
        check_dloss_dyhat.check(DYHAT_MISTAKES[message])


DH_MISTAKES = {
    "missing the factor f′": lambda d, fp, W: W @ d,
    "uses W\\[i, j\\]": lambda d, fp, W: (d * fp) @ W if W.shape[0] == W.shape[1] else W @ (d * fp),
    "only one path, i = j": lambda d, fp, W: np.array([d[j] * fp[j] * W[j, j] for j in range(W.shape[0])]),
    "only the path through output 1": lambda d, fp, W: W[:, 0] * d[0] * fp[0],
    "sums over the wrong index": lambda d, fp, W: (
        (W * (d * fp)).sum(axis=0) if W.shape[0] == W.shape[1] else W @ (d * fp)
    ),
    "not summed": lambda d, fp, W: W * (d * fp),
}


@pytest.mark.parametrize("message", DH_MISTAKES)
def test_dloss_da_hidden_mistakes_are_named(message):
    with pytest.raises(ExerciseFailed, match=message):
        check_dloss_da_hidden.check(DH_MISTAKES[message])


SIGMOID_MISTAKES = {
    "2× too large.*erratum 1": lambda z: 2 * sigmoid(z) * (1 - sigmoid(z)),
    "is σ\\(z\\) itself": sigmoid,
    "wrong sign": lambda z: -sigmoid(z) * (1 - sigmoid(z)),
    "tanh's derivative": lambda z: 1 - sigmoid(z) ** 2,
    "compute a = σ\\(z\\) first": lambda z: z * (1 - z),
}


@pytest.mark.parametrize("message", SIGMOID_MISTAKES)
def test_sigmoid_derivative_mistakes_are_named(message, capsys):
    with pytest.raises(ExerciseFailed, match=message):
        check_sigmoid_derivative.check(SIGMOID_MISTAKES[message])
    # In the notebook the same mistake prints as a ❌ line, without raising.
    assert not check_sigmoid_derivative(SIGMOID_MISTAKES[message])
    assert "❌ derivative of the sigmoid" in capsys.readouterr().out


def test_a_wrong_shape_is_named():
    message = mistake_message(check_sigmoid_derivative, lambda z: (sigmoid(z) * (1 - sigmoid(z))).ravel())
    assert "has shape (12,), expected (3, 4)" in message


def test_an_unnamed_mistake_says_where_and_on_which_input():
    with pytest.raises(ExerciseFailed, match=r"is off at index .*\(the check's input: z = \["):
        check_sigmoid_derivative.check(lambda z: sigmoid(z) * (1 - sigmoid(z)) + 0.01 * (z > 1))


def test_math_exp_on_an_array_is_named():
    import math

    def with_math(z):
        s = 1 / (1 + math.exp(-z))
        return s * (1 - s)

    message = mistake_message(check_sigmoid_derivative, with_math)
    assert "`math`" in message and "s = 1 / (1 + math.exp(-z))" in message and "np.exp" in message


def test_dloss_dx_is_what_central_differences_measure():
    rng = np.random.default_rng(4)
    W1, b1 = rng.normal(size=(3, 4)), rng.normal(size=4)
    v = rng.normal(size=4)  # L = v · σ(x W1 + b1), so ∂L/∂a1 = v
    x = rng.normal(size=3)
    a1 = sigmoid(x @ W1 + b1)
    numeric = bp.numerical_gradient(lambda: float(v @ sigmoid(x @ W1 + b1)), x)
    np.testing.assert_allclose(dloss_dx(v, a1, W1), numeric, rtol=1e-7)


DX_MISTAKES = {
    "missing σ′": lambda d, a1, W1: W1 @ d,
    "erratum 1": lambda d, a1, W1: 2 * dloss_dx(d, a1, W1),
    "tanh's derivative": lambda d, a1, W1: W1 @ (d * (1 - a1**2)),
    "only the path through unit 1": lambda d, a1, W1: W1[:, 0] * d[0] * a1[0] * (1 - a1[0]),
    "wrong sign": lambda d, a1, W1: -dloss_dx(d, a1, W1),
    "uses W1\\[i, j\\]": lambda d, a1, W1: (
        (d * a1 * (1 - a1)) @ W1 if W1.shape[0] == W1.shape[1] else 0 * W1[:, 0]
    ),
    "not summed over i": lambda d, a1, W1: W1 * (d * a1 * (1 - a1)),
}


@pytest.mark.parametrize("message", DX_MISTAKES)
def test_dloss_dx_mistakes_are_named(message):
    with pytest.raises(ExerciseFailed, match=message):
        check_dloss_dx.check(DX_MISTAKES[message])


# -- the library's own loss, sigmoid and layer earn nothing -------------------------------


def dyhat_by_the_loss(y, yhat):
    return bp.MeanSquaredError().gradient(y[None, :], yhat[None, :])[0]


def da_hidden_by_the_layer(dL_dyhat, fprime_z, W):
    layer = bp.Dense(W, np.zeros((1, W.shape[1])), bp.Identity())
    layer.a_prev = np.zeros((1, W.shape[0]))
    return layer.backward_from_dz((dL_dyhat * fprime_z)[None, :])[0]


def dx_by_the_layer(dL_da1, a1, W1):
    layer = bp.Dense(W1, np.zeros((1, W1.shape[1])), bp.Sigmoid())
    layer.a_prev, layer.a, layer.z = np.zeros((1, W1.shape[0])), a1[None, :], None
    return layer.backward(dL_da1[None, :])[0]


@pytest.mark.parametrize(
    "check, shortcut, twin",
    [
        (check_dloss_dyhat, dyhat_by_the_loss, "MeanSquaredError.gradient"),
        (check_sigmoid_derivative, bp.Sigmoid().derivative, "Sigmoid.derivative"),
        (check_sigmoid_derivative, lambda z: bp.Sigmoid().derivative(z), "Sigmoid.derivative"),
        (check_dloss_da_hidden, da_hidden_by_the_layer, "Dense.backward_from_dz"),
        (check_dloss_dx, dx_by_the_layer, "Dense.backward"),
    ],
)
def test_a_working_shortcut_through_the_library_earns_nothing(check, shortcut, twin, capsys):
    check.check(shortcut)  # without the twins stopped, it would pass: a real shortcut
    assert not check(shortcut)
    assert f"backprop_lib's {twin}" in capsys.readouterr().out

"""The explorers of notebooks 07 (softmax on digits) and 10 (autodiff steps), driven without a
browser: set a control, check what the outputs and the figure now show."""

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib.autodiff import Value
from backprop_lib.explorers import autodiff_steps as ad
from backprop_lib.explorers import softmax_digits as sd

# -- notebook 07 ----------------------------------------------------------------------------


def test_softmax_panel_numbers():
    z = np.array([2.0, -1.0, 0.5, 0.0])
    panel = sd.softmax_panel(z, 2, temperature=0.5)
    u = z / 0.5
    p = np.exp(u - u.max()) / np.exp(u - u.max()).sum()
    np.testing.assert_allclose(panel["yhat"], p, rtol=1e-14)
    np.testing.assert_allclose(panel["jacobian"], np.diag(p) - np.outer(p, p), atol=1e-16)
    np.testing.assert_allclose(panel["du_fused"], p - np.eye(4)[2], atol=1e-16)
    np.testing.assert_allclose(panel["du_chain"], panel["du_fused"], atol=1e-15)
    assert panel["rel_error"] < 1e-14
    assert panel["prediction"] == 0
    assert panel["loss"] == pytest.approx(-np.log(p[2]), rel=1e-14)


def test_softmax_panel_jacobian_is_central_differences_of_softmax():
    rng = np.random.default_rng(0)
    z = rng.normal(size=6)
    J = sd.softmax_panel(z, 0)["jacobian"]
    for i in range(6):
        row = bp.numerical_gradient(lambda: bp.Softmax().forward(z.reshape(1, -1))[0, i], z)
        assert bp.rel_error(J[i], row) < 1e-8


def test_softmax_panel_survives_extreme_temperatures_and_rejects_bad_input():
    panel = sd.softmax_panel(np.array([30.0, -30.0, 0.0]), 1, temperature=0.2)
    assert np.isfinite(panel["du_chain"]).all() and panel["rel_error"] < 1e-7
    with pytest.raises(ValueError, match="label"):
        sd.softmax_panel(np.zeros(3), 3)
    with pytest.raises(ValueError, match="temperature"):
        sd.softmax_panel(np.zeros(3), 0, temperature=0)
    with pytest.raises(ValueError, match="1-D"):
        sd.softmax_panel(np.zeros((2, 3)), 0)


@pytest.fixture(scope="module")
def digits_net():
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1, (12, 16))
    labels = rng.integers(0, 4, 12)
    net = bp.MLP([16, 8, 4], ["relu", "softmax"], loss="cross_entropy", seed=0)
    return net, X, labels


def test_softmax_explorer_follows_its_sliders(digits_net):
    net, X, labels = digits_net
    explorer = sd.softmax_digits_explorer(net, X, labels)  # 16 features: 4 × 4 images
    first_png = explorer.image.value
    explorer.index.value = 5
    logits = sd.network_logits(net, X)
    expected = sd.softmax_panel(logits[5], int(labels[5]))
    np.testing.assert_allclose([b.get_height() for b in explorer.artists["bars_p"]], expected["yhat"])
    np.testing.assert_allclose([b.get_height() for b in explorer.artists["bars_g"]], expected["du_fused"])
    np.testing.assert_array_equal(explorer.artists["digit"].get_array(), X[5].reshape(4, 4))
    np.testing.assert_allclose(explorer.artists["jacobian"].get_array(), expected["jacobian"])
    assert f"true class <b>{labels[5]}</b>" in explorer.info.value
    assert explorer.image.value != first_png
    explorer.temperature.value = 2.0
    hot = sd.softmax_panel(logits[5], int(labels[5]), 2.0)
    np.testing.assert_allclose([b.get_height() for b in explorer.artists["bars_p"]], hot["yhat"])
    assert "T = 2.00" in explorer.info.value and "✓" in explorer.info.value


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
    with pytest.raises(ValueError, match="not a square image"):
        sd.softmax_digits_explorer(bp.MLP([5, 3], ["softmax"], loss="cross_entropy"),
                                   np.ones((2, 5)), np.zeros(2, dtype=int))


# -- notebook 10 ----------------------------------------------------------------------------


def test_example_graph_backward_equals_the_hand_derivation_and_central_differences():
    L, nodes = ad.example_graph()
    L.backward()
    by_hand = ad.example_gradients_by_hand()
    point = np.array([1.5, 0.8, -0.4, 0.5, 0.1])

    def loss():
        x, w, b, y, lam = point
        return (np.tanh(w * x + b) - y) ** 2 + lam * w * w

    numeric = bp.numerical_gradient(loss, point)
    for k, name in enumerate(["x", "w", "b", "y", "λ"]):
        assert float(nodes[name].grad) == pytest.approx(by_hand[name], rel=1e-14)
        assert bp.rel_error(nodes[name].grad, numeric[k]) < 1e-8


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
    for k, step in enumerate(steps[1:], start=1):
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
    assert drawing.boxes[id(u)].get_bbox_patch().get_facecolor()[:3] != drawing.boxes[id(w)].get_bbox_patch().get_facecolor()[:3]
    assert drawing.grad_texts[id(w)].get_text() == "∂L/∂w = 0.4351"
    stepper.step_slider.value = 3  # r = w²: only the weight-decay path has reached w
    assert drawing.grad_texts[id(w)].get_text() == "∂L/∂w = 0.1600"


def test_stepper_on_a_graph_of_ones_own():
    x = Value(2.0, name="x")
    stepper = ad.autodiff_stepper(x * x + x.exp())
    stepper.step_slider.value = stepper.step_slider.max
    assert f"{4 + np.exp(2):.4f}" in stepper.table.value


# -- fast rendering: redraws paint over a fixed background --------------------------------


def _pixels(png):
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_softmax_explorer_redraw_leaves_nothing_behind(digits_net):
    net, X, labels = digits_net
    explorer = sd.softmax_digits_explorer(net, X, labels)
    explorer.index.value = 5
    explorer.temperature.value = 0.5
    shown = explorer.image.value
    explorer.index.value = 9
    explorer.temperature.value = 2.0
    assert explorer.image.value != shown
    explorer.index.value = 5
    explorer.temperature.value = 0.5
    assert explorer.image.value == shown  # the same state gives the same pixels


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
    image = _pixels(stepper.image.value)
    height = image.shape[0]
    expected = {"u": ad.COLOURS["focus"], "w": ad.COLOURS["parent"], "L": ad.COLOURS["plain"]}
    for name, colour in expected.items():
        node = [n for n in drawing.order if n.name == name][0]
        box = drawing.boxes[id(node)].get_bbox_patch().get_window_extent()
        x, y = int(box.x0 + 2.5), int(height - (box.y0 + box.y1) / 2)  # in the padding
        rgb = tuple(int(colour[k:k + 2], 16) for k in (1, 3, 5))
        np.testing.assert_allclose(image[y, x], rgb, atol=3, err_msg=name)
    # Back to a step already drawn: the cached image, and the drawing follows the slider.
    last = stepper.image.value
    stepper.step_slider.value = 0
    stepper.step_slider.value = len(stepper.steps) - 1
    assert stepper.image.value == last
    assert drawing.title.get_text().endswith("visit u")

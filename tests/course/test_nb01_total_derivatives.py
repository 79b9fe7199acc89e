"""Notebook 01 (total derivatives): the explorer's numbers are right and its widget follows
its controls; the "your turn" questions on the chain-rule terms name each slip; the exercise
checks pass right answers and name each typical mistake, or show the input they used, and
refuse the library's numerical and automatic derivatives."""

import io
import math

import numpy as np
import PIL.Image
import pytest

import backprop_lib as bp
from backprop_course.exercises.feedback import ExerciseFailed
from backprop_course.exercises.nb01_total_derivatives import check_neuron_differential, check_total_derivative
from backprop_course.explorers import nb01_total_derivatives as td
from backprop_course.explorers.your_turn import judge

# -- 01: compute functions -----------------------------------------------------------------


@pytest.mark.parametrize("x", [-1.9, -0.4, 0.0, 0.8, 1.7])
def test_each_ingredient_matches_central_differences(x):
    h = 1e-6
    t, u, v = td.inner(x)
    for (name, p), d in zip(zip(td.NAMES, td.partials(t, u, v)), td.inner_derivatives(x)):
        # the partial derivative of the outer function, holding the other two fixed
        args = {"t": t, "u": u, "v": v}
        plus, minus = dict(args), dict(args)
        plus[name] += h
        minus[name] -= h
        assert abs((td.outer(**plus) - td.outer(**minus)) / (2 * h) - p) < 1e-7
        # the inner derivative
        index = td.NAMES.index(name)
        numeric = (td.inner(x + h)[index] - td.inner(x - h)[index]) / (2 * h)
        assert abs(numeric - d) < 1e-7


@pytest.mark.parametrize("x", [-1.9, -0.4, 0.8, 1.7])
def test_total_derivative_is_the_sum_of_terms_and_matches_numerics(x):
    terms = td.chain_rule_terms(x)
    assert terms["total"] == pytest.approx(sum(terms[n]["term"] for n in td.NAMES))
    closed_form = 2 * x * math.sin(x) + x**2 * math.cos(x) + math.exp(x)
    assert terms["total"] == pytest.approx(closed_form, rel=1e-12)
    assert bp.rel_error(terms["total"], td.central_difference(x)) < 1e-7
    h = 1e-4
    numeric_f2 = (td.composite(x + h) - 2 * td.composite(x) + td.composite(x - h)) / h**2
    assert td.second_derivative(x) == pytest.approx(numeric_f2, rel=1e-5, abs=1e-5)


def test_total_differential_error_shrinks_like_dx_squared():
    dxs = np.logspace(-1, -5, 5)
    errors = td.differential_errors(1.0, dxs)
    assert td.fitted_slope(dxs, errors) == pytest.approx(2.0, abs=0.02)
    small = td.total_differential(1.0, 1e-4)
    assert small["error_over_dx2"] == pytest.approx(td.second_derivative(1.0) / 2, rel=1e-3)
    assert small["df"] == pytest.approx(td.total_derivative(1.0) * 1e-4)


def test_compute_functions_reject_bad_input():
    with pytest.raises(TypeError, match="real number"):
        td.chain_rule_terms("1.0")
    with pytest.raises(ValueError, match="finite"):
        td.total_differential(float("nan"), 0.1)
    with pytest.raises(ValueError, match="non-zero"):
        td.total_differential(1.0, 0)
    with pytest.raises(ValueError, match="positive"):
        td.fitted_slope([0.1, 0.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="x: expected a value in"):
        td.total_derivative_explorer(x=5.0)


# -- 01: the explorer -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def explorer01():
    return td.total_derivative_explorer()


def test_explorer01_shows_the_terms_and_their_sum(explorer01):
    w = explorer01
    w.x_slider.value = 1.2
    w.dx_slider.value = 0.1
    text = w.terms_html.value
    x = 1.2
    assert "x = 1.200" in text
    assert f"{math.sin(x) * 2 * x:.6f}" in text  # ∂f/∂t · dt/dx = u · 2x
    assert f"{x**2 * math.cos(x):.6f}" in text  # ∂f/∂u · du/dx = t · cos x
    assert f"{math.exp(x):.6f}" in text  # ∂f/∂v · dv/dx = 2v · v/2
    total = 2 * x * math.sin(x) + x**2 * math.cos(x) + math.exp(x)
    assert text.count(f"{total:.6f}") == 2  # the sum and the central difference
    true_change = td.composite(x + 0.1) - td.composite(x)
    assert f"{true_change:.6f}" in text and f"{total * 0.1:.6f}" in text


def test_explorer01_moves_its_lines(explorer01):
    w = explorer01
    w.x_slider.value = 0.5
    w.dx_slider.value = 0.5
    tangent_before = np.array(w.artists["tangent"].get_ydata(), dtype=float)
    error_before = np.array(w.artists["err_curve"].get_ydata(), dtype=float)
    png_before = w.image.value
    w.x_slider.value = -1.0
    x = -1.0
    tangent = np.array(w.artists["tangent"].get_ydata(), dtype=float)
    xs = np.array(w.artists["tangent"].get_xdata(), dtype=float)
    assert not np.allclose(tangent, tangent_before)
    np.testing.assert_allclose(tangent, td.composite(x) + td.total_derivative(x) * (xs - x))
    assert list(w.artists["point"].get_xdata()) == [x]
    assert not np.allclose(w.artists["err_curve"].get_ydata(), error_before)
    assert w.image.value != png_before
    picture = PIL.Image.open(io.BytesIO(w.image.value))
    picture.load()  # a valid PNG of the whole figure
    assert picture.size == tuple(int(v) for v in w.fig.bbox.size) and picture.mode == "RGB"

    w.dx_slider.value = 0.01
    gap = np.array(w.artists["gap"].get_ydata(), dtype=float)
    change = td.total_differential(x, 0.01)
    assert abs(gap[1] - gap[0]) == pytest.approx(abs(change["error"]), rel=1e-9)
    assert float(w.artists["err_point"].get_xdata()[0]) == pytest.approx(0.01)


# -- 01: dg/dx for g = p·q − r², p = cos x, q = x², r = e^(−x) -------------------------


def dg_dx_right(x):
    return -(x**2) * math.sin(x) + 2 * x * math.cos(x) + 2 * math.exp(-2 * x)


def test_total_derivative_right_answer_passes(capsys):
    assert check_total_derivative(dg_dx_right)
    assert "✅" in capsys.readouterr().out
    check_total_derivative(dg_dx_right, seed=1, strict=True)
    check_total_derivative(lambda x: np.array([dg_dx_right(x)]), strict=True)  # shape (1,) is fine


def test_total_derivative_agrees_with_central_differences():
    def g(x):
        return math.cos(x) * x**2 - math.exp(-x) ** 2

    for x in (-1.7, 0.3, 1.9):
        numeric = (g(x + 1e-6) - g(x - 1e-6)) / 2e-6
        assert abs(dg_dx_right(x) - numeric) < 1e-7


@pytest.mark.parametrize(
    "wrong, named",
    [
        (lambda x: 2 * x * math.cos(x) + 2 * math.exp(-2 * x), "misses the term ∂g/∂p·dp/dx"),
        (lambda x: -(x**2) * math.sin(x) + 2 * math.exp(-2 * x), "misses the term ∂g/∂q·dq/dx"),
        (lambda x: -(x**2) * math.sin(x) + 2 * x * math.cos(x), "misses the term ∂g/∂r·dr/dx"),
        (lambda x: x**2 + 2 * x * math.cos(x) + 2 * math.exp(-2 * x), "drops the inner derivative dp/dx"),
        (
            lambda x: -(x**2) * math.sin(x) + math.cos(x) + 2 * math.exp(-2 * x),
            "drops the inner derivative dq/dx",
        ),
        (
            lambda x: -(x**2) * math.sin(x) + 2 * x * math.cos(x) - 2 * math.exp(-x),
            "drops the inner derivative dr/dx",
        ),
        (lambda x: x**2 + math.cos(x) - 2 * math.exp(-x), "multiplies none of them"),
        (
            lambda x: x**2 * math.sin(x) + 2 * x * math.cos(x) + 2 * math.exp(-2 * x),
            "wrong sign in the p-term",
        ),
        (
            lambda x: -(x**2) * math.sin(x) + 2 * x * math.cos(x) - 2 * math.exp(-2 * x),
            "wrong sign in the r-term",
        ),
        (lambda x: -(x**2) * math.sin(x) + 2 * x * math.cos(x) + math.exp(-2 * x), "half as large"),
    ],
)
def test_total_derivative_mistakes_are_named(wrong, named):
    with pytest.raises(ExerciseFailed, match=named.replace("(", r"\(").replace(")", r"\)")):
        check_total_derivative.check(wrong)


def test_total_derivative_unnamed_mistake_and_bad_returns():
    with pytest.raises(ExerciseFailed, match=r"dg/dx is off at index .*\(the check's input: x = \[") as err:
        check_total_derivative.check(lambda x: dg_dx_right(x) + 0.1)
    x = np.random.default_rng(0).uniform(-2.0, 2.0, size=8)
    assert f"{x[0]:.4f}" in str(err.value)  # the very inputs the answer was wrong on
    with pytest.raises(ExerciseFailed, match="forget the `return`"):
        check_total_derivative.check(lambda x: None)
    with pytest.raises(ExerciseFailed, match="one number"):
        check_total_derivative.check(lambda x: [1.0, 2.0])


# -- 01: the total differential of a = tanh(w·x + b) ------------------------------------


def neuron_differential_right(w, x, b, dw, dx, db):
    return (1 - math.tanh(w * x + b) ** 2) * (x * dw + w * dx + db)


def test_neuron_differential_right_answer_passes(capsys):
    assert check_neuron_differential(neuron_differential_right)
    check_neuron_differential(neuron_differential_right, seed=3, strict=True)


def test_neuron_differential_is_the_linear_approximation():
    w, x, b, dw, dx, db = 0.7, -1.2, 0.3, 1e-4, -2e-4, 3e-4
    delta = math.tanh((w + dw) * (x + dx) + b + db) - math.tanh(w * x + b)
    da = neuron_differential_right(w, x, b, dw, dx, db)
    assert abs(delta - da) < 1e-7 and abs(da) > 1e-5


def _fp(w, x, b):
    return 1 - math.tanh(w * x + b) ** 2


@pytest.mark.parametrize(
    "wrong, named",
    [
        (lambda w, x, b, dw, dx, db: _fp(w, x, b) * (w * dx + db), "misses the term x·dw"),
        (lambda w, x, b, dw, dx, db: _fp(w, x, b) * (x * dw + db), "misses the term w·dx"),
        (lambda w, x, b, dw, dx, db: _fp(w, x, b) * (x * dw + w * dx), "misses the term db"),
        (lambda w, x, b, dw, dx, db: x * dw + w * dx + db, "is dz, not da"),
        (lambda w, x, b, dw, dx, db: _fp(w, x, b) * (w * dw + x * dx + db), "swaps ∂z/∂w and ∂z/∂x"),
        (lambda w, x, b, dw, dx, db: (1 - (w * x + b) ** 2) * (x * dw + w * dx + db), "uses 1 − z²"),
        (lambda w, x, b, dw, dx, db: -_fp(w, x, b) * (x * dw + w * dx + db), "wrong sign"),
    ],
)
def test_neuron_differential_mistakes_are_named(wrong, named):
    with pytest.raises(ExerciseFailed, match=named):
        check_neuron_differential.check(wrong)


# -- 01: your turn, the chain-rule terms ---------------------------------------------------


@pytest.mark.parametrize("x", [0.7, -1.3, 1.9])
def test_chain_rule_questions_hold_the_terms_and_their_sum(x):
    questions = td.chain_rule_questions(x)
    terms = td.chain_rule_terms(x)
    assert [q.value for q in questions] == [terms[n]["term"] for n in td.NAMES] + [terms["total"]]
    for q in questions:
        assert judge(q, f"{q.value:.4f}").right
        assert judge(q, f"{q.value:.6f}".replace("-", "−")).right  # a typographic minus is read
        for description, wrong in q.slips:
            verdict = judge(q, f"{wrong:.6f}")
            if abs(wrong - q.value) > 0.01 * max(abs(q.value), 0.1):  # a slip that differs is named
                assert verdict.status == "slip" and description in verdict.message, (q.label, description)


def test_the_quiz_names_the_forgotten_inner_derivative_and_a_dropped_path():
    q = td.chain_rule_questions(0.7)
    t, u, v = td.inner(0.7)
    verdict = judge(q[0], f"{u:.4f}")  # ∂f/∂t alone, without dt/dx
    assert verdict.status == "slip" and "forget the inner derivative" in verdict.message
    total = q[3]
    missing_v = total.value - q[2].value
    assert "leave out the path through v" in judge(total, f"{missing_v:.4f}").message
    assert judge(total, "12").status == "wrong" and judge(total, "twelve").status == "unreadable"


def test_chain_rule_quiz_widget_checks_typed_values():
    quiz = td.chain_rule_quiz(0.7)
    assert len(quiz.boxes) == 4 and "x = 0.7" in quiz.children[0].value
    box, question = quiz.boxes[1], quiz.questions[1]
    box.text.value = f"{question.value:.4f}"
    box.check_button.click()
    assert box.verdict.right and "✓" in box.feedback.value and question.answer in box.feedback.value
    box.text.value = f"{-question.value:.4f}"
    box.check_button.click()
    assert box.verdict.status == "slip" and "−cos x" in box.feedback.value
    box.hint_button.click()
    assert question.hint in box.feedback.value


def test_error_figure_is_a_static_figure():
    from backprop_course.plotting import StaticFigure

    dxs = np.logspace(-5, -1, 9)
    fig = td.error_figure(1.0, dxs)
    assert isinstance(fig, StaticFigure) and fig._repr_png_().startswith(b"\x89PNG")
    (ax,) = fig.axes
    measured, reference = ax.get_lines()
    np.testing.assert_allclose(measured.get_ydata(), td.differential_errors(1.0, dxs))
    assert "fitted slope 2.00" in ax.get_title()


# -- 01: the library's numerical and automatic derivatives earn nothing --------------------------


def dg_dx_numerically(x):
    point = np.array([x])
    return bp.numerical_gradient(lambda: math.cos(point[0]) * point[0] ** 2 - math.exp(-2 * point[0]), point)[
        0
    ]


def neuron_by_autodiff(w, x, b, dw, dx, db):
    from backprop_lib.autodiff import Value

    leaves = [Value(w), Value(x), Value(b)]
    (leaves[0] * leaves[1] + leaves[2]).tanh().backward()
    return float(leaves[0].grad * dw + leaves[1].grad * dx + leaves[2].grad * db)


@pytest.mark.parametrize(
    "check, shortcut, twin",
    [
        (check_total_derivative, dg_dx_numerically, "numerical_gradient"),
        (check_neuron_differential, neuron_by_autodiff, "Value.backward"),
    ],
)
def test_a_working_shortcut_through_the_library_earns_nothing(check, shortcut, twin, capsys):
    check.check(shortcut)  # without the twins stopped, it would pass: a real shortcut
    assert not check(shortcut)
    assert f"this calls backprop_lib's {twin}; derive it by the chain rule" in capsys.readouterr().out

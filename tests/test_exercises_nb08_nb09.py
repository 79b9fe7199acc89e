"""Exercise checks of notebooks 08 and 09: right answers pass, each named mistake is named."""

import numpy as np
import pytest

from backprop_lib.exercises.feedback import ExerciseFailed
from backprop_lib.exercises.nb08_optimisers import check_adam_step, check_momentum_step
from backprop_lib.exercises.nb09_initialisation import check_he_std, check_relu_stack_variance
from backprop_lib.optimizers import adam_update, momentum_update


# An unanswered exercise ("not attempted yet", and under strict=True): every check at once in
# tests/test_coursework_feedback.py.


def expect_mistake(check, answer, named):
    with pytest.raises(ExerciseFailed, match=named):
        check(answer, strict=True)
    for seed in (1, 2):  # named on other random inputs too
        with pytest.raises(ExerciseFailed, match=named):
            check(answer, seed=seed, strict=True)


# -- 08: momentum ----------------------------------------------------------------------


def momentum_right(theta, g, v, lr, beta):
    v = beta * v + g
    return theta - lr * v, v


def test_momentum_right_answers_pass(capsys):
    assert check_momentum_step(momentum_right)
    assert "✅ momentum step: correct" in capsys.readouterr().out
    for seed in range(5):
        check_momentum_step(momentum_right, seed=seed, strict=True)
    check_momentum_step(lambda *a: momentum_update(*a), strict=True)  # the library's own


def test_momentum_in_place_answer_passes():
    def in_place(theta, g, v, lr, beta):
        v *= beta
        v += g
        theta -= lr * v
        return theta, v

    check_momentum_step(in_place, strict=True)


@pytest.mark.parametrize("wrong, named", [
    (lambda th, g, v, lr, b: (th - lr * g, g), "forgot to carry v"),
    (lambda th, g, v, lr, b: (th - lr * (b * v + lr * g), b * v + lr * g), "applied lr twice"),
    (lambda th, g, v, lr, b: (th + lr * (b * v + g), b * v + g), "has the wrong sign"),
    (lambda th, g, v, lr, b: (th - lr * (b * v - g), b * v - g), "sign of g flipped"),
    (lambda th, g, v, lr, b: (th - lr * v, b * v + g), "uses the old v"),
    (lambda th, g, v, lr, b: (th - lr * g, b * v + g), "ignores the velocity"),
    (lambda th, g, v, lr, b: (th - lr * (v + b * g), v + b * g), "puts β on the gradient"),
    (lambda th, g, v, lr, b: (th - lr * (b * v + (1 - b) * g), b * v + (1 - b) * g), "averaging form"),
])
def test_momentum_mistakes_are_named(wrong, named):
    expect_mistake(check_momentum_step, wrong, named)


def test_momentum_wrong_return_shape_is_explained():
    with pytest.raises(ExerciseFailed, match=r"should return 2 arrays \(theta, v\), got ndarray"):
        check_momentum_step(lambda th, g, v, lr, b: th - lr * g, strict=True)
    with pytest.raises(ExerciseFailed, match="v is None"):
        check_momentum_step(lambda th, g, v, lr, b: (th, None), strict=True)


# -- 08: Adam ----------------------------------------------------------------------------


def adam_right(theta, g, m, v, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def adam_variant(m_rule=None, v_rule=None, correct=lambda m, v, t, b1, b2: (m / (1 - b1**t), v / (1 - b2**t)),
                 step=None):
    """adam_right with one piece replaced."""
    def answer(theta, g, m, v, t, lr, b1, b2, eps):
        m_new = m_rule(m, g, b1) if m_rule else b1 * m + (1 - b1) * g
        v_new = v_rule(v, g, b2) if v_rule else b2 * v + (1 - b2) * g**2
        m_hat, v_hat = correct(m_new, v_new, t, b1, b2)
        if step:
            return step(theta, lr, m_hat, v_hat, eps), m_new, v_new
        return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
    return answer


def test_adam_right_answers_pass(capsys):
    assert check_adam_step(adam_right)
    assert "✅ Adam step: correct" in capsys.readouterr().out
    for seed in range(5):
        check_adam_step(adam_right, seed=seed, strict=True)
    check_adam_step(lambda *a: adam_update(*a), strict=True)


@pytest.mark.parametrize("wrong, named", [
    (adam_variant(correct=lambda m, v, t, b1, b2: (m, v)), "has no bias correction"),
    (adam_variant(correct=lambda m, v, t, b1, b2: (m / (1 - b1 ** (t + 1)), v / (1 - b2 ** (t + 1)))),
     "t starting at 0"),
    (adam_variant(correct=lambda m, v, t, b1, b2: (m / (1 - b1 ** (t - 1)), v / (1 - b2 ** (t - 1)))),
     r"NaN or inf .*t = 1.*1 − β⁰ = 0"),
    (adam_variant(correct=lambda m, v, t, b1, b2: (m / (1 - b1**t), v)), "corrects only m"),
    (adam_variant(correct=lambda m, v, t, b1, b2: (m, v / (1 - b2**t))), "corrects only v"),
    (adam_variant(step=lambda th, lr, mh, vh, eps: th - lr * mh / (vh + eps)), "forgot the square root"),
    (adam_variant(step=lambda th, lr, mh, vh, eps: th + lr * mh / (np.sqrt(vh) + eps)), "has the wrong sign"),
    (adam_variant(m_rule=lambda m, g, b1: b1 * m + g), r"missing the \(1 − β₁\)"),
    (adam_variant(m_rule=lambda m, g, b1: (1 - b1) * m + b1 * g), "swapped β₁ and 1 − β₁"),
    (adam_variant(v_rule=lambda v, g, b2: b2 * v + (1 - b2) * g), "averages g, not g²"),
    (adam_variant(v_rule=lambda v, g, b2: b2 * v + (1 - b2) * np.abs(g)), r"averages \|g\|"),
    (adam_variant(v_rule=lambda v, g, b2: b2 * v + g * g), r"missing the \(1 − β₂\)"),
])
def test_adam_mistakes_are_named(wrong, named):
    expect_mistake(check_adam_step, wrong, named)


def test_adam_returning_corrected_moments_is_named():
    def answer(theta, g, m, v, t, lr, b1, b2, eps):
        m = (b1 * m + (1 - b1) * g) / (1 - b1**t)
        v = b2 * v + (1 - b2) * g**2
        return theta - lr * m / (np.sqrt(v / (1 - b2**t)) + eps), m, v

    expect_mistake(check_adam_step, answer, "m is already bias-corrected")


def test_adam_stepping_with_old_moments_is_named():
    def answer(theta, g, m, v, t, lr, b1, b2, eps):
        step = theta - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        return step, b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g**2

    # at t = 1 (m = v = 0) this answer does not move θ at all; from t = 3 on it is named
    with pytest.raises(ExerciseFailed, match="the new θ"):
        check_adam_step(answer, strict=True)


# -- 09: He standard deviation --------------------------------------------------------


def test_he_std_right_answers_pass(capsys):
    assert check_he_std(lambda n_in, n_out: np.sqrt(2 / n_in))
    assert "✅ He standard deviation: correct" in capsys.readouterr().out
    for seed in range(5):
        check_he_std(lambda n_in, n_out: (2 / n_in) ** 0.5, seed=seed, strict=True)
    check_he_std(lambda n_in, n_out: np.array([np.sqrt(2 / n_in)]), strict=True)  # shape (1,) ok


@pytest.mark.parametrize("wrong, named", [
    (lambda n_in, n_out: np.sqrt(2 / n_out), "used the fan-out"),
    (lambda n_in, n_out: np.sqrt(1 / n_in), "forgot the factor 2"),
    (lambda n_in, n_out: 2 / n_in, "is the variance 2/n_in, not the standard deviation"),
    (lambda n_in, n_out: np.sqrt(2 / (n_in + n_out)), "is Xavier's"),
    (lambda n_in, n_out: np.sqrt(2) / n_in, r"is √2 / n_in"),
])
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


@pytest.mark.parametrize("wrong, named", [
    (lambda vx, n, vw, d: vx * (n * vw) ** np.arange(1, d + 1), "forgot that ReLU halves"),
    (lambda vx, n, vw, d: vx * (n * vw / 2) ** np.arange(1, d + 1), "halves already at layer 1"),
    (lambda vx, n, vw, d: np.sqrt(stack_right(vx, n, vw, d)), "are standard deviations"),
    (lambda vx, n, vw, d: vx * vw * (vw / 2) ** np.arange(d), "forgot the fan-in n"),
    (lambda vx, n, vw, d: vx * (n * vw / 2) ** np.arange(d), "shifted by one layer"),
])
def test_relu_stack_mistakes_are_named(wrong, named):
    with pytest.raises(ExerciseFailed, match=named):
        check_relu_stack_variance(wrong, strict=True)


def test_relu_stack_wrong_length_is_explained():
    with pytest.raises(ExerciseFailed, match="has 2 entries, expected 1"):
        check_relu_stack_variance(lambda vx, n, vw, d: np.ones(d + 1), strict=True)
    with pytest.raises(ExerciseFailed, match="returned None"):
        check_relu_stack_variance(lambda vx, n, vw, d: None, strict=True)

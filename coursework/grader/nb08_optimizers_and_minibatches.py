"""Hidden tests of notebook 08 (optimisers): Nesterov without momentum (β = 0), on a nearly flat
bowl, with ηh > 1; Adam at its first step on one entry, at step 200, with gradients so small
that ε matters (in two parts, as the practice check; the step judged on the learner's own
moments too)."""

import numpy as np

from backprop_course.exercises import ExerciseFailed, call_answer, diagnose, results
from backprop_course.exercises import nb08_optimizers_and_minibatches as practice
from backprop_lib.optimizers import adam_update

from . import hidden, rng


def _nesterov(theta, v, h, lr, beta):
    """One step of the exercise's rule on f = ½hθ²: the gradient at θ − ηβv."""
    g = h * (theta - lr * beta * v)
    v = beta * v + g
    return theta - lr * v, v


@hidden(practice.check_nesterov_matrix)
def check_nesterov_matrix(nesterov_matrix):
    gen = rng("nesterov_matrix")
    for h, lr, beta in ((2.0, 0.2, 0.0), (0.01, 0.3, 0.9), (10.0, 0.15, float(gen.uniform(0.5, 0.9)))):
        got = call_answer(nesterov_matrix, h, lr, beta)
        if np.iscomplexobj(got):
            raise ExerciseFailed("A has complex entries: return the matrix itself, not its eigenvalues")
        expected = np.array([_nesterov(1.0, 0.0, h, lr, beta), _nesterov(0.0, 1.0, h, lr, beta)]).T
        diagnose(got, expected, {}, f"A for h = {h:g}, η = {lr:g}, β = {beta:.3g}")


@hidden(practice.check_adam_step)
def check_adam_step(adam_step, part=None):
    gen = rng("adam_step")
    eps = 1e-8
    for shape, t, scale in (((1,), 1, 1.0), ((4, 2), 200, 1.0), ((3,), 5, 1e-9)):  # 1e-9: ε matters
        theta, g = gen.normal(size=shape), gen.normal(scale=scale, size=shape)
        m = np.zeros(shape) if t == 1 else gen.normal(scale=scale, size=shape)
        v = np.zeros(shape) if t == 1 else gen.uniform(0.1, 1.0, size=shape) * scale**2
        lr, beta1, beta2 = float(gen.uniform(0.001, 0.05)), float(gen.uniform(0.85, 0.95)), 0.999
        out = call_answer(adam_step, theta, g, m, v, t, lr, beta1, beta2, eps)
        theta_new, m_new, v_new = results(out, ("theta", "m", "v"))
        theta_true, m_true, v_true = adam_update(theta, g, m, v, t, lr, beta1, beta2, eps)
        where = f"(shape {shape}, t = {t}, |g| of order {scale:g})"
        if part in (None, "moments"):
            diagnose(m_new, m_true, {}, f"the new m {where}")
            diagnose(v_new, v_true, {}, f"the new v {where}", atol=1e-30)
        if part in (None, "step"):
            with np.errstate(all="ignore"):  # the learner's own moments may be anything
                own = theta - lr * (m_new / (1 - beta1**t)) / (np.sqrt(v_new / (1 - beta2**t)) + eps)
            if not np.allclose(theta_new, own, rtol=1e-6, atol=1e-12):  # the right step on their moments
                diagnose(theta_new, theta_true, {}, f"the new θ {where}", atol=1e-12)

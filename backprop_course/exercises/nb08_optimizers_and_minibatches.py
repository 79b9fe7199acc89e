"""Exercise checks for notebook 08 (optimisers and mini-batches).

1. ``check_nesterov_matrix(nesterov_matrix)``: Nesterov's momentum on the quadratic
   f(θ) = ½hθ², ``nesterov_matrix(h, lr, beta) -> A`` ``(2, 2)`` with
   (θ_t, v_t) = A (θ_{t−1}, v_{t−1}) for the rule g = f'(θ − ηβv), v ← βv + g, θ ← θ − ηv.
   The reference is built by stepping that rule from the unit states, not from a formula.
2. ``check_adam_step(adam_step)``: one Adam step with bias correction,
   ``adam_step(theta, g, m, v, t, lr, beta1, beta2, eps) -> (theta, m, v)``.

Inputs are random curvatures, learning rates and decay rates (never the round defaults),
and for Adam random arrays of several shapes and random non-zero states, so a rule that
looks ahead the wrong way, flips a sign or skips the bias correction cannot pass by
coincidence. Adam is tested at t = 1 (from m = v = 0), at later steps and with gradients as
small as ε (where ε inside the square root, or no ε, shows as it does in the hidden test), in two parts for
partial credit: ``moments`` (the new m and v) and ``step`` (the new θ, judged on the learner's
own moments too, so that a mistake in the moments costs only the moments part). Nesterov's
check also names the two other ways of writing momentum (η inside the velocity; the sign
convention of cs231n's notes), whose matrices differ because their v does. The references
are the rule itself stepped from unit states, and the library's ``adam_update``; the
library's update rules are the twins a learner's answer may not call.
"""

import numpy as np

from backprop_lib.optimizers import adam_update

from .answers import call_answer, diagnose, results
from .feedback import ExerciseFailed, exercise

SHAPES = ((3,), (2, 4), (1, 5))


def _nesterov_step(theta, v, h, lr, beta):
    """One Nesterov step on f(θ) = ½hθ², by the rule itself: the gradient at the look-ahead point."""
    g = h * (theta - lr * beta * v)
    v = beta * v + g
    return theta - lr * v, v


def _matrix_of(step, h, lr, beta):
    """The 2 × 2 matrix of a linear step (θ, v) -> (θ', v'), column by column from unit states."""
    columns = [step(theta, v, h, lr, beta) for theta, v in ((1.0, 0.0), (0.0, 1.0))]
    return np.array(columns).T


@exercise(
    "Nesterov's transition matrix",
    twins=["backprop_lib.optimizers.momentum_update", "backprop_lib.optimizers.Momentum.rule"],
    shortcut="derive A from the update rule yourself",
)
def check_nesterov_matrix(nesterov_matrix, seed=0):
    """``nesterov_matrix(h, lr, beta)`` -> A ``(2, 2)`` with (θ_t, v_t) = A (θ_{t−1}, v_{t−1})."""
    rng = np.random.default_rng(seed)
    for _ in range(4):
        h, lr, beta = (
            float(rng.uniform(0.5, 8.0)),
            float(rng.uniform(0.02, 0.3)),
            float(rng.uniform(0.3, 0.95)),
        )
        note = f" for h = {h:.3f}, η = {lr:.3f}, β = {beta:.3f}"
        got = call_answer(nesterov_matrix, h, lr, beta)
        if np.iscomplexobj(got):
            raise ExerciseFailed(
                f"A{note} has complex entries — eigenvalues? Return the matrix A itself, whose "
                "eigenvalues give the rate of convergence"
            )
        c = 1 - lr * h
        diagnose(
            got,
            _matrix_of(_nesterov_step, h, lr, beta),
            {
                "is heavy-ball momentum's matrix: Nesterov takes the gradient at the look-ahead "
                "point θ − ηβv, not at θ, so v enters g too": np.array([[c, -lr * beta], [h, beta]]),
                "looks ahead the wrong way: the look-ahead point is θ − ηβv (where momentum is about "
                "to carry θ), not θ + ηβv": np.array(
                    [[c, -lr * beta * (1 + lr * h)], [h, beta * (1 + lr * h)]]
                ),
                "looks ahead by ηv: the momentum step about to be taken is ηβv, so the gradient "
                "is h(θ − ηβv)": np.array([[c, -lr * (beta - lr * h)], [h, beta - lr * h]]),
                "is transposed: row 1 gives θ_t, row 2 gives v_t, each from (θ_{t−1}, v_{t−1})": np.array(
                    [[c, h], [-lr * beta * c, beta * c]]
                ),
                "has its rows swapped: the state is (θ, v), so row 1 is θ_t and row 2 is v_t": np.array(
                    [[h, beta * c], [c, -lr * beta * c]]
                ),
                "steps θ with the old velocity: θ_t = θ_{t−1} − η v_t uses the new one": np.array(
                    [[1.0, -lr], [h, beta * c]]
                ),
                "has the wrong sign in θ_t: θ_t = θ_{t−1} − η v_t": np.array(
                    [[1 + lr * h, lr * beta * c], [h, beta * c]]
                ),
                "puts η inside the velocity, v ← βv + η∇f(θ − βv), θ ← θ − v: a valid way to write "
                "the rule, but its v is η times the exercise's, so A differs. Write A for "
                "v ← βv + g, θ ← θ − ηv": np.array([[c, -beta * c], [lr * h, beta * c]]),
                "uses the sign convention of cs231n's notes, v ← βv − η∇f(θ + βv), θ ← θ + v: a "
                "valid way to write the rule, but its v is −η times the exercise's, so A differs. "
                "Write A for v ← βv + g, θ ← θ − ηv": np.array([[c, beta * c], [-lr * h, beta * c]]),
            },
            what="A" + note,
        )


@exercise(
    "Adam step",
    twins=["backprop_lib.optimizers.adam_update", "backprop_lib.optimizers.Adam.rule"],
    shortcut="write the update yourself",
    parts=("moments", "step"),
)
def check_adam_step(adam_step, seed=0, part=None):
    """``adam_step(theta, g, m, v, t, lr, beta1, beta2, eps) -> (theta, m, v)``, t from 1."""
    rng = np.random.default_rng(seed)
    eps = 1e-8
    # The last case has gradients of order ε: there √v̂ is comparable with ε, so where ε goes shows.
    for shape, t, scale in zip((*SHAPES, (2, 3)), (1, 3, 12, 4), (1.0, 1.0, 1.0, 1e-8)):
        theta, g = rng.normal(size=shape), scale * rng.normal(size=shape)
        if t == 1:
            m, v = np.zeros(shape), np.zeros(shape)  # the state before the first step
        else:
            m, v = 0.3 * scale * rng.normal(size=shape), scale**2 * rng.uniform(0.05, 0.5, size=shape)
        lr = float(rng.uniform(0.01, 0.1))
        beta1, beta2 = float(rng.uniform(0.8, 0.95)), float(rng.uniform(0.95, 0.999))
        out = call_answer(adam_step, theta, g, m, v, t, lr, beta1, beta2, eps)
        theta_new, m_new, v_new = results(out, ("theta", "m", "v"))
        note = f" (shape {shape}, t = {t}, lr = {lr:.3f}, β₁ = {beta1:.3f}, β₂ = {beta2:.3f})"
        if scale != 1.0:
            note = f" (shape {shape}, t = {t}, gradients of order {scale:g}, ε = {eps:g})"
        theta_true, m_true, v_true = adam_update(theta, g, m, v, t, lr, beta1, beta2, eps)
        if part in (None, "moments"):
            _check_moments(m_new, v_new, m_true, v_true, g, m, v, t, beta1, beta2, note)
        if part in (None, "step"):
            _check_step(
                theta_new, (m_new, v_new), (m_true, v_true), theta, m, v, t, lr, beta1, beta2, eps, note
            )


def _check_moments(m_new, v_new, m_true, v_true, g, m, v, t, beta1, beta2, note):
    first = (
        {  # from m = v = 0, two different mistakes give the same numbers
            "is g itself: either it is missing the (1 − β₁) on g (m ← β₁·m + (1 − β₁)·g), or "
            "m is already bias-corrected (return the raw m; correct a copy for the step).": g,
        }
        if t == 1
        else {}
    )
    diagnose(
        m_new,
        m_true,
        {
            **first,
            "is missing the (1 − β₁) on g: m ← β₁·m + (1 − β₁)·g.": beta1 * m + g,
            "is already bias-corrected: return the raw moment m, and correct a copy "
            "(m̂ = m / (1 − β₁ᵗ)) only for the step.": m_true / (1 - beta1**t),
            "swapped β₁ and 1 − β₁: m ← β₁·m + (1 − β₁)·g.": (1 - beta1) * m + beta1 * g,
        },
        what="the new m" + note,
    )
    first = (
        {
            "is g² itself: either it is missing the (1 − β₂) on g² (v ← β₂·v + (1 − β₂)·g²), "
            "or v is already bias-corrected (return the raw v).": g * g,
        }
        if t == 1
        else {}
    )
    diagnose(
        v_new,
        v_true,
        {
            **first,
            "averages g, not g²: v ← β₂·v + (1 − β₂)·g² (elementwise square).": beta2 * v + (1 - beta2) * g,
            "averages |g|, not g²: v ← β₂·v + (1 − β₂)·g².": beta2 * v + (1 - beta2) * np.abs(g),
            "is missing the (1 − β₂) on g²: v ← β₂·v + (1 − β₂)·g².": beta2 * v + g * g,
            "is already bias-corrected: return the raw moment v, and use v̂ = v / (1 − β₂ᵗ) "
            "only for the step.": v_true / (1 - beta2**t),
        },
        what="the new v" + note,
    )


def _check_step(theta_new, learners, true, theta, m, v, t, lr, beta1, beta2, eps, note):
    """The new θ: right if it is the step from the true moments, or from the learner's own."""

    def step(m_hat, v_hat):
        with np.errstate(divide="ignore", invalid="ignore"):  # 1 − β⁰ = 0 in a mistake
            return theta - lr * m_hat / (np.sqrt(v_hat) + eps)

    def corrected(m_, v_, k=t):
        with np.errstate(divide="ignore", invalid="ignore"):
            return m_ / (1 - beta1**k), v_ / (1 - beta2**k)

    if not np.isfinite(theta_new).all():
        hint = (
            " — with t = 1, a correction 1 − βᵗ⁻¹ is 1 − β⁰ = 0: t counts the steps "
            "from 1, so the first step uses 1 − β¹."
            if t == 1
            else ""
        )
        raise ExerciseFailed(f"the new θ contains NaN or inf{note}{hint}")
    own = step(*corrected(*learners))
    if np.isfinite(own).all() and np.allclose(theta_new, own, rtol=1e-6, atol=1e-9):
        return  # the right step on the learner's own moments: a moment's mistake is not charged twice
    m_true, v_true = true
    m_hat, v_hat = corrected(m_true, v_true)
    diagnose(
        theta_new,
        step(m_hat, v_hat),
        {
            "has no bias correction: at the start m and v are biased towards 0; use "
            "m̂ = m / (1 − β₁ᵗ) and v̂ = v / (1 − β₂ᵗ).": step(m_true, v_true),
            "corrects with t + 1 — t starting at 0? Here t is the number of this step, "
            "1 for the first: m̂ = m / (1 − β₁ᵗ).": step(*corrected(m_true, v_true, t + 1)),
            "corrects with t − 1: t is the number of this step (1 for the first), so "
            "m̂ = m / (1 − β₁ᵗ).": step(*corrected(m_true, v_true, t - 1)) if t > 1 else None,
            "corrects only m: v needs its own correction v̂ = v / (1 − β₂ᵗ).": step(m_hat, v_true),
            "corrects only v: m needs its own correction m̂ = m / (1 − β₁ᵗ).": step(m_true, v_hat),
            "forgot the square root: divide by √v̂ + ε, so the step has the units of θ.": theta
            - lr * m_hat / (v_hat + eps),
            "puts ε inside the square root: divide by √v̂ + ε, ε added after the root (where "
            "gradients are as small as ε the two differ by orders of magnitude).": theta
            - lr * m_hat / np.sqrt(v_hat + eps),
            "leaves out ε: divide by √v̂ + ε; ε keeps the step finite where v̂ is (nearly) 0.": theta
            - lr * m_hat / np.sqrt(v_hat),
            "has the wrong sign: θ ← θ − lr·m̂/(√v̂ + ε).": 2 * theta - step(m_hat, v_hat),
            "steps with the old moments: update m and v first, then step with the new ones.": step(
                *corrected(m, v)
            ),
        },
        what="the new θ" + note,
    )

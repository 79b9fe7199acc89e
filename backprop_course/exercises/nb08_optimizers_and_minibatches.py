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
coincidence. Adam is tested at t = 1 (from m = v = 0) and at later steps.
"""

import numpy as np

from .feedback import ExerciseFailed, diagnose, exercise

SHAPES = ((3,), (2, 4), (1, 5))


def _call(fun, args, names):
    """The learner's result as float arrays, after checking it is a tuple of ``names``."""
    with np.errstate(all="ignore"):  # a division by zero is reported as a named mistake
        result = fun(*args)
    if not isinstance(result, (tuple, list)) or len(result) != len(names):
        raise ExerciseFailed(
            f"should return {len(names)} arrays ({', '.join(names)}), got {type(result).__name__}"
            + (f" of length {len(result)}" if isinstance(result, (tuple, list)) else "")
        )
    out = []
    for value, name in zip(result, names):
        if value is None:
            raise ExerciseFailed(f"{name} is None: compute it and return it")
        try:
            out.append(np.asarray(value, dtype=float))
        except (TypeError, ValueError):
            raise ExerciseFailed(
                f"{name} should be an array of numbers, got {type(value).__name__}"
            ) from None
    return out


def _nesterov_step(theta, v, h, lr, beta):
    """One Nesterov step on f(θ) = ½hθ², by the rule itself: the gradient at the look-ahead point."""
    g = h * (theta - lr * beta * v)
    v = beta * v + g
    return theta - lr * v, v


def _matrix_of(step, h, lr, beta):
    """The 2 × 2 matrix of a linear step (θ, v) -> (θ', v'), column by column from unit states."""
    columns = [step(theta, v, h, lr, beta) for theta, v in ((1.0, 0.0), (0.0, 1.0))]
    return np.array(columns).T


@exercise("Nesterov's transition matrix")
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
        with np.errstate(all="ignore"):  # a division by zero is reported as a named mistake
            got = nesterov_matrix(h, lr, beta)
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
            },
            what="A" + note,
        )


@exercise("Adam step")
def check_adam_step(adam_step, seed=0):
    """``adam_step(theta, g, m, v, t, lr, beta1, beta2, eps) -> (theta, m, v)``, t from 1."""
    rng = np.random.default_rng(seed)
    eps = 1e-8
    for shape, t in zip(SHAPES, (1, 3, 12)):
        theta, g = rng.normal(size=shape), rng.normal(size=shape)
        if t == 1:
            m, v = np.zeros(shape), np.zeros(shape)  # the state before the first step
        else:
            m, v = 0.3 * rng.normal(size=shape), rng.uniform(0.05, 0.5, size=shape)
        lr = float(rng.uniform(0.01, 0.1))
        beta1, beta2 = float(rng.uniform(0.8, 0.95)), float(rng.uniform(0.95, 0.999))
        args = (theta.copy(), g.copy(), m.copy(), v.copy(), t, lr, beta1, beta2, eps)
        theta_new, m_new, v_new = _call(adam_step, args, ("theta", "m", "v"))
        note = f" (shape {shape}, t = {t}, lr = {lr:.3f}, β₁ = {beta1:.3f}, β₂ = {beta2:.3f})"

        m_true = beta1 * m + (1 - beta1) * g
        v_true = beta2 * v + (1 - beta2) * g * g
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
                "averages g, not g²: v ← β₂·v + (1 − β₂)·g² (elementwise square).": beta2 * v
                + (1 - beta2) * g,
                "averages |g|, not g²: v ← β₂·v + (1 − β₂)·g².": beta2 * v + (1 - beta2) * np.abs(g),
                "is missing the (1 − β₂) on g²: v ← β₂·v + (1 − β₂)·g².": beta2 * v + g * g,
                "is already bias-corrected: return the raw moment v, and use v̂ = v / (1 − β₂ᵗ) "
                "only for the step.": v_true / (1 - beta2**t),
            },
            what="the new v" + note,
        )

        def step(m_hat, v_hat):
            with np.errstate(divide="ignore", invalid="ignore"):  # 1 − β⁰ = 0 in a mistake
                return theta - lr * m_hat / (np.sqrt(v_hat) + eps)

        m_hat, v_hat = m_true / (1 - beta1**t), v_true / (1 - beta2**t)
        if not np.isfinite(theta_new).all():
            hint = (
                " — with t = 1, a correction 1 − βᵗ⁻¹ is 1 − β⁰ = 0: t counts the steps "
                "from 1, so the first step uses 1 − β¹."
                if t == 1
                else ""
            )
            raise ExerciseFailed(f"the new θ contains NaN or inf{note}{hint}")
        diagnose(
            theta_new,
            step(m_hat, v_hat),
            {
                "has no bias correction: at the start m and v are biased towards 0; use "
                "m̂ = m / (1 − β₁ᵗ) and v̂ = v / (1 − β₂ᵗ).": step(m_true, v_true),
                "corrects with t + 1 — t starting at 0? Here t is the number of this step, "
                "1 for the first: m̂ = m / (1 − β₁ᵗ).": step(
                    m_true / (1 - beta1 ** (t + 1)), v_true / (1 - beta2 ** (t + 1))
                ),
                "corrects with t − 1: t is the number of this step (1 for the first), so "
                "m̂ = m / (1 − β₁ᵗ).": step(m_true / (1 - beta1 ** (t - 1)), v_true / (1 - beta2 ** (t - 1)))
                if t > 1
                else np.full(shape, np.nan),
                "corrects only m: v needs its own correction v̂ = v / (1 − β₂ᵗ).": step(m_hat, v_true),
                "corrects only v: m needs its own correction m̂ = m / (1 − β₁ᵗ).": step(m_true, v_hat),
                "forgot the square root: divide by √v̂ + ε, so the step has the units of θ.": theta
                - lr * m_hat / (v_hat + eps),
                "has the wrong sign: θ ← θ − lr·m̂/(√v̂ + ε).": 2 * theta - step(m_hat, v_hat),
                "steps with the old moments: update m and v first, then step with the new ones.": step(
                    m / (1 - beta1**t), v / (1 - beta2**t)
                ),
            },
            what="the new θ" + note,
        )

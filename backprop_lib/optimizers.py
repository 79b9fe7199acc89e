"""Optimisers: gradient descent, momentum and Adam, each written once as a pure update rule.

A rule takes one parameter array θ, its gradient g and the rule's state, and returns new
arrays, changing none of its inputs: ``adam_update(theta, g, m, v, t, lr) -> (theta, m, v)``.

An optimiser object applies its rule to every parameter of a network after ``backward``:
``optimizer.step(net)``. Like ``MLP.update`` it *replaces* the parameter arrays (an array you
kept keeps its values) and changes nothing if any new value would be infinite or NaN (it
raises ``FloatingPointError``).
"""

import numpy as np

from .validation import as_array, check_int, check_learning_rate, check_real, check_same_shape, lookup


def _arrays(theta, **others):
    """θ and the other arrays as float64, each checked to have θ's shape."""
    theta = as_array(theta, "theta")
    out = [theta]
    for name, value in others.items():
        value = as_array(value, name)
        check_same_shape(theta, value, "theta", name)
        out.append(value)
    return out


def _beta(value, name="beta"):
    return check_real(value, name, low=0.0, high=1.0, high_open=True)


def sgd_update(theta, g, lr):
    """θ ← θ − lr·g; returns the new θ."""
    theta, g = _arrays(theta, g=g)
    return theta - check_learning_rate(lr) * g


def momentum_update(theta, g, v, lr, beta=0.9):
    """Heavy-ball momentum: v ← β·v + g, then θ ← θ − lr·v; returns ``(theta, v)``.

    v = 0 before the first step. With a constant gradient v tends to g / (1 − β), so the
    step grows to lr / (1 − β) times the gradient: 10× for β = 0.9.
    """
    theta, g, v = _arrays(theta, g=g, v=v)
    lr, beta = check_learning_rate(lr), _beta(beta)
    v = beta * v + g
    return theta - lr * v, v


def adam_update(theta, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step (Kingma & Ba, 2015), ``t`` = 1 for the first step; returns ``(theta, m, v)``.

    m ← β₁·m + (1 − β₁)·g            running mean of g
    v ← β₂·v + (1 − β₂)·g²           running mean of g², elementwise
    m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)   bias correction (m = v = 0 at the start)
    θ ← θ − lr · m̂ / (√v̂ + ε)

    On the first step m̂ = g and v̂ = g², so each entry moves by about lr·sign(g).
    """
    theta, g, m, v = _arrays(theta, g=g, m=m, v=v)
    t, lr = check_int(t, "t (step count, 1 for the first step)", low=1), check_learning_rate(lr)
    beta1, beta2 = _beta(beta1, "beta1"), _beta(beta2, "beta2")
    eps = check_real(eps, "eps", low=0.0, low_open=True)
    m = beta1 * m + (1.0 - beta1) * g
    v = beta2 * v + (1.0 - beta2) * g * g
    m_hat = m / (1.0 - beta1**t)
    v_hat = v / (1.0 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


class Optimizer:
    """Base class. ``rule(theta, g, state) -> (new_theta, new_state)`` for one parameter;
    ``state`` is None before that parameter's first step."""

    name = "optimizer"

    def __init__(self, lr):
        self.lr = check_learning_rate(lr)
        self.state = {}

    def step(self, net):
        """Update every parameter of ``net`` from its gradient (call after ``net.backward``)."""
        new, state = {}, {}
        with np.errstate(over="ignore", invalid="ignore"):  # net.set_parameters refuses inf and NaN
            for (name, theta), (_, g) in zip(net.parameters(), net.gradients()):
                if g is None:
                    raise RuntimeError(f"{self!r}: no gradient of {name}; call net.backward(y) first")
                old = self.state.get(name)
                reshaped = old is not None and any(
                    isinstance(s, np.ndarray) and s.shape != theta.shape for s in old.values()
                )
                if reshaped:
                    raise ValueError(
                        f"{name}: got shape {theta.shape}, unlike in earlier steps "
                        "(a different network? call reset() first)"
                    )
                new[name], state[name] = self.rule(theta, g, old)
        net.set_parameters(new)
        self.state = state

    def reset(self):
        """Forget every velocity, moment and step count."""
        self.state = {}

    def rule(self, theta, g, state):
        raise NotImplementedError


class SGD(Optimizer):
    """θ ← θ − lr·g. Stateless."""

    name = "sgd"

    def rule(self, theta, g, state):
        return sgd_update(theta, g, self.lr), {}

    def __repr__(self):
        return f"SGD(lr={self.lr:g})"


class Momentum(Optimizer):
    """v ← β·v + g, θ ← θ − lr·v, with a velocity v per parameter."""

    name = "momentum"

    def __init__(self, lr, beta=0.9):
        super().__init__(lr)
        self.beta = _beta(beta)

    def rule(self, theta, g, state):
        v = np.zeros_like(theta) if state is None else state["v"]
        theta, v = momentum_update(theta, g, v, self.lr, self.beta)
        return theta, {"v": v}

    def __repr__(self):
        return f"Momentum(lr={self.lr:g}, beta={self.beta:g})"


class Adam(Optimizer):
    """Adam with bias correction: moments m, v and a step count t per parameter."""

    name = "adam"

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.beta1, self.beta2 = _beta(beta1, "beta1"), _beta(beta2, "beta2")
        self.eps = check_real(eps, "eps", low=0.0, low_open=True)

    def rule(self, theta, g, state):
        if state is None:  # the first step: m = v = 0
            state = {"m": np.zeros_like(theta), "v": np.zeros_like(theta), "t": 0}
        t = state["t"] + 1
        theta, m, v = adam_update(
            theta, g, state["m"], state["v"], t, self.lr, self.beta1, self.beta2, self.eps
        )
        return theta, {"m": m, "v": v, "t": t}

    def __repr__(self):
        return f"Adam(lr={self.lr:g}, beta1={self.beta1:g}, beta2={self.beta2:g}, eps={self.eps:g})"


OPTIMIZERS = {cls.name: cls for cls in (SGD, Momentum, Adam)}


def get_optimizer(spec, lr=None):
    """An optimiser from its name (``"sgd"``, ``"momentum"``, ``"adam"``) and ``lr``, or an Optimizer."""
    if isinstance(spec, str) and lr is None:
        raise TypeError(f"get_optimizer({spec!r}): expected a learning rate lr as well")
    return lookup(spec, OPTIMIZERS, Optimizer, "optimiser", lr=lr)

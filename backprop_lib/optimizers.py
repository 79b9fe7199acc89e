"""Optimisers: gradient descent, momentum and Adam as pure update rules, plus mini-batches.

Each rule exists twice, written as the textbook equations:

* a pure function on one parameter array, returning new arrays and changing none of its
  inputs, e.g. ``adam_update(theta, g, m, v, t, lr) -> (theta, m, v)``;
* a class (``SGD``, ``Momentum``, ``Adam``) whose ``step(params, grads)`` applies that
  function to every ``(name, array)`` pair of ``net.parameters()`` / ``net.gradients()``,
  keeping its state (velocity, moments, step count) per parameter name, and writing the
  new values into the parameter arrays in place (so the network sees them).

``step`` computes every new value first and writes nothing if any would be non-finite: it
raises ``FloatingPointError`` and leaves parameters and state unchanged, as ``MLP.update``
does.

``minibatches(X, y, batch_size, rng)`` yields the shuffled batches of one epoch.
"""

import numbers

import numpy as np

from .validation import as_float_matrix

# -- validation -----------------------------------------------------------------------


def _check_real(value, name, low, high, low_open=False, high_open=True):
    """``value`` as a float in the interval [low, high) (ends as flagged); else Type/ValueError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a real number, got {type(value).__name__}")
    value = float(value)
    left = "(" if low_open else "["
    right = ")" if high_open else "]"
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if not np.isfinite(value) or too_low or too_high:
        raise ValueError(f"{name}: expected a finite number in {left}{low:g}, {high:g}{right}, got {value}")
    return value


def check_lr(lr):
    """A learning rate: a finite number > 0."""
    return _check_real(lr, "lr (learning rate)", 0.0, np.inf, low_open=True)


def check_beta(beta, name="beta"):
    """A decay rate: a number in [0, 1)."""
    return _check_real(beta, name, 0.0, 1.0)


def check_eps(eps):
    """Adam's ε: a finite number > 0."""
    return _check_real(eps, "eps", 0.0, np.inf, low_open=True)


def check_step_count(t):
    """Adam's step count: an integer >= 1 (the first update has t = 1)."""
    if isinstance(t, bool) or not isinstance(t, numbers.Integral):
        raise TypeError(f"t (step count): expected an integer >= 1, got {type(t).__name__}")
    if t < 1:
        raise ValueError(f"t (step count): expected an integer >= 1 (the first step is t = 1), got {t}")
    return int(t)


def _as_array(x, name):
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name}: expected a numeric array, got {type(x).__name__}")
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected a numeric array, got {type(x).__name__}") from None


def _same_shape(ref, other, ref_name, other_name):
    if ref.shape != other.shape:
        raise ValueError(
            f"{other_name}: expected the shape of {ref_name} {ref.shape}, got {other.shape}"
        )


# -- the update rules as pure functions -----------------------------------------------


def sgd_update(theta, g, lr):
    """θ ← θ − lr·g. ``theta`` and ``g`` of one shape; returns the new θ (a new array)."""
    theta, g = _as_array(theta, "theta"), _as_array(g, "g")
    _same_shape(theta, g, "theta", "g")
    return _sgd_rule(theta, g, check_lr(lr))


def momentum_update(theta, g, v, lr, beta=0.9):
    """Heavy-ball momentum: v ← β·v + g, then θ ← θ − lr·v.

    ``theta``, ``g``, ``v`` of one shape (v = 0 before the first step); returns the new
    ``(theta, v)``. With a constant gradient v tends to g / (1 − β): the step grows to
    lr / (1 − β) times the gradient, 10× for β = 0.9.
    """
    theta, g, v = _as_array(theta, "theta"), _as_array(g, "g"), _as_array(v, "v")
    _same_shape(theta, g, "theta", "g")
    _same_shape(theta, v, "theta", "v")
    return _momentum_rule(theta, g, v, check_lr(lr), check_beta(beta))


def adam_update(theta, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step (Kingma & Ba, 2015) for step number ``t`` (1 for the first step).

    m ← β₁·m + (1 − β₁)·g            first moment (running mean of g)
    v ← β₂·v + (1 − β₂)·g²           second moment (running mean of g², elementwise)
    m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)   bias correction (m = v = 0 at the start)
    θ ← θ − lr · m̂ / (√v̂ + ε)

    ``theta``, ``g``, ``m``, ``v`` of one shape; returns the new ``(theta, m, v)``. On the
    first step m̂ = g and v̂ = g², so θ moves by lr·g/(|g| + ε) ≈ lr·sign(g) per entry.
    """
    theta, g = _as_array(theta, "theta"), _as_array(g, "g")
    m, v = _as_array(m, "m"), _as_array(v, "v")
    for other, name in ((g, "g"), (m, "m"), (v, "v")):
        _same_shape(theta, other, "theta", name)
    t, lr, eps = check_step_count(t), check_lr(lr), check_eps(eps)
    beta1, beta2 = check_beta(beta1, "beta1"), check_beta(beta2, "beta2")
    return _adam_rule(theta, g, m, v, t, lr, beta1, beta2, eps)


# The equations themselves, without the checks (the classes validate once per step).


def _sgd_rule(theta, g, lr):
    return theta - lr * g


def _momentum_rule(theta, g, v, lr, beta):
    v = beta * v + g
    return theta - lr * v, v


def _adam_rule(theta, g, m, v, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1.0 - beta1) * g
    v = beta2 * v + (1.0 - beta2) * g * g
    m_hat = m / (1.0 - beta1**t)
    v_hat = v / (1.0 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


# -- the same rules on a whole network's parameter list -------------------------------


def _check_pairs(params, grads):
    """Validate ``[(name, array)]`` lists of parameters and gradients; return them as lists."""
    for pairs, what in ((params, "params"), (grads, "grads")):
        if isinstance(pairs, (str, bytes, dict)) or not hasattr(pairs, "__iter__"):
            raise TypeError(
                f"{what}: expected a list of (name, array) pairs such as net.parameters(), "
                f"got {type(pairs).__name__}"
            )
    params, grads = list(params), list(grads)
    for pairs, what in ((params, "params"), (grads, "grads")):
        for item in pairs:
            if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)):
                raise TypeError(f"{what}: expected (name, array) pairs, got an item {item!r:.60}")
    names = [name for name, _ in params]
    if names != [name for name, _ in grads]:
        raise ValueError(
            f"grads: expected the parameter names {names} in the same order, "
            f"got {[name for name, _ in grads]}"
        )
    if len(set(names)) != len(names):
        raise ValueError(f"params: expected distinct parameter names, got {names}")
    for (name, theta), (_, g) in zip(params, grads):
        if not isinstance(theta, np.ndarray) or theta.dtype != np.float64:
            raise TypeError(
                f"parameter {name}: expected a float64 numpy array (updated in place), "
                f"got {type(theta).__name__}"
            )
        if g is None:
            raise ValueError(f"gradient of {name}: got None — call net.backward(y) first")
        g = _as_array(g, f"gradient of {name}")
        _same_shape(theta, g, f"parameter {name}", f"gradient of {name}")
    return params, grads


class Optimizer:
    """Base class: ``step(params, grads)`` updates every parameter array in place.

    Subclasses implement ``_update(name, theta, g, state) -> (new_theta, new_state)``
    with a pure function; ``state`` is this parameter's entry of ``self.state`` (a dict,
    empty before its first step).
    """

    def __init__(self, lr):
        self.lr = check_lr(lr)
        self.state = {}

    def step(self, params, grads):
        """Apply one update to every ``(name, array)`` of ``params`` with ``grads``.

        Raises ``FloatingPointError`` (changing neither parameters nor state) if any new
        value would be non-finite.
        """
        params, grads = _check_pairs(params, grads)
        updates = []
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for (name, theta), (_, g) in zip(params, grads):
                state = self.state.get(name, {})
                for key, value in state.items():
                    if isinstance(value, np.ndarray) and value.shape != theta.shape:
                        raise ValueError(
                            f"parameter {name}: expected the shape {value.shape} this optimiser "
                            f"saw before, got {theta.shape} (a different network? call reset())"
                        )
                new_theta, new_state = self._update(name, theta, np.asarray(g, float), state)
                updates.append((name, theta, new_theta, new_state))
        for name, _, new_theta, _ in updates:
            if not np.isfinite(new_theta).all():
                raise FloatingPointError(
                    f"{self!r}: the step would make parameter {name} non-finite (the training "
                    "diverged); parameters left unchanged. Try a smaller learning rate."
                )
        for name, theta, new_theta, new_state in updates:
            theta[...] = new_theta
            self.state[name] = new_state

    def step_net(self, net):
        """``step(net.parameters(), net.gradients())``: one update of an MLP after backward."""
        self.step(net.parameters(), net.gradients())

    def reset(self):
        """Forget all state (velocities, moments, step counts)."""
        self.state = {}

    def _update(self, name, theta, g, state):
        raise NotImplementedError


class SGD(Optimizer):
    """Plain (mini-batch) gradient descent: θ ← θ − lr·g. Stateless."""

    name = "sgd"

    def _update(self, name, theta, g, state):
        return _sgd_rule(theta, g, self.lr), {}

    def __repr__(self):
        return f"SGD(lr={self.lr:g})"


class Momentum(Optimizer):
    """Heavy-ball momentum: v ← β·v + g, θ ← θ − lr·v; a velocity ``v`` per parameter."""

    name = "momentum"

    def __init__(self, lr, beta=0.9):
        super().__init__(lr)
        self.beta = check_beta(beta)

    def _update(self, name, theta, g, state):
        v = state["v"] if "v" in state else np.zeros_like(theta)
        theta, v = _momentum_rule(theta, g, v, self.lr, self.beta)
        return theta, {"v": v}

    def __repr__(self):
        return f"Momentum(lr={self.lr:g}, beta={self.beta:g})"


class Adam(Optimizer):
    """Adam with bias correction; moments ``m``, ``v`` and step count ``t`` per parameter."""

    name = "adam"

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.beta1 = check_beta(beta1, "beta1")
        self.beta2 = check_beta(beta2, "beta2")
        self.eps = check_eps(eps)

    def _update(self, name, theta, g, state):
        if not state:  # the first step: m = v = 0
            state = {"m": np.zeros_like(theta), "v": np.zeros_like(theta), "t": 0}
        m, v, t = state["m"], state["v"], state["t"] + 1
        theta, m, v = _adam_rule(theta, g, m, v, t, self.lr, self.beta1, self.beta2, self.eps)
        return theta, {"m": m, "v": v, "t": t}

    def __repr__(self):
        return (
            f"Adam(lr={self.lr:g}, beta1={self.beta1:g}, beta2={self.beta2:g}, eps={self.eps:g})"
        )


OPTIMIZERS = {cls.name: cls for cls in (SGD, Momentum, Adam)}


def get_optimizer(spec, lr, **hyper):
    """An optimiser from its name (``"sgd"``, ``"momentum"``, ``"adam"``) and lr, or as given."""
    if isinstance(spec, Optimizer):
        return spec
    if isinstance(spec, str):
        key = spec.lower()
        if key not in OPTIMIZERS:
            raise ValueError(f"unknown optimiser {spec!r}: expected one of {sorted(OPTIMIZERS)}")
        return OPTIMIZERS[key](lr, **hyper)
    raise TypeError(
        f"optimiser: expected a name (str) or an Optimizer object, got {type(spec).__name__}"
    )


# -- mini-batches ---------------------------------------------------------------------


def check_batch_size(batch_size):
    """A batch size: a positive integer."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral):
        raise TypeError(
            f"batch_size: expected a positive integer, got {batch_size!r} "
            f"({type(batch_size).__name__})"
        )
    if batch_size < 1:
        raise ValueError(f"batch_size: expected a positive integer, got {batch_size}")
    return int(batch_size)


def minibatches(X, y, batch_size, rng):
    """Yield ``(X_batch, y_batch)`` for one epoch: a fresh shuffle, each sample exactly once.

    ``X`` ``(n, n_features)``, ``y`` ``(n,)`` or ``(n, n_outputs)``; batches have
    ``batch_size`` rows except the last, which holds the remaining ``n % batch_size``
    (a ``batch_size`` >= n gives one full batch). ``rng`` is a ``numpy.random.Generator``
    (or an int seed) that decides the order.
    """
    X = as_float_matrix(X, "X")
    y = np.asarray(y)
    if y.ndim not in (1, 2) or len(y) != len(X):
        raise ValueError(
            f"y: expected {len(X)} rows to match X {X.shape}, got shape {y.shape}"
        )
    batch_size = check_batch_size(batch_size)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        rng = np.random.default_rng(rng)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "rng: expected a numpy.random.Generator (np.random.default_rng(seed)) or an int "
            f"seed, got {type(rng).__name__}"
        )
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]


def train_epochs(net, X, y, optimizer, n_epochs, batch_size=None, rng=0):
    """Train ``net`` with ``optimizer`` on mini-batches; the mean loss over X after each epoch.

    ``batch_size=None`` is full-batch gradient descent. Returns a float array of length
    ``n_epochs + 1`` (the loss before training first). If a step would diverge the
    ``FloatingPointError`` propagates; parameters keep their last finite values.
    """
    if isinstance(n_epochs, bool) or not isinstance(n_epochs, numbers.Integral) or n_epochs < 0:
        raise ValueError(f"n_epochs: expected an integer >= 0, got {n_epochs!r}")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer: expected an Optimizer such as Adam(0.01), got {type(optimizer).__name__}")
    X = as_float_matrix(X, "X")
    batch_size = len(X) if batch_size is None else check_batch_size(batch_size)
    if not isinstance(rng, np.random.Generator):
        rng = np.random.default_rng(rng)
    losses = [net.loss(X, y)]
    for _ in range(n_epochs):
        for X_batch, y_batch in minibatches(X, y, batch_size, rng):
            net.forward(X_batch)
            net.backward(y_batch)
            optimizer.step_net(net)
        losses.append(net.loss(X, y))
    return np.array(losses)

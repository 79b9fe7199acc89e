"""Exercise checks for notebook 05 (implementing back-propagation).

* ``check_layer_backward_from_dz(f)`` — ``f(dz, a_prev, W) -> (dW, db, da_prev)``, the backward
  step of one dense layer in the row convention, tested on random batches of several
  shapes and then used for every layer of a small network whose gradients are compared
  with central differences.
* ``check_central_difference(f)`` — ``f(loss, x, eps) -> gradient``, the numerical
  gradient of a scalar function of an array by central differences.
"""

import numpy as np

from backprop_lib import MLP, TOLERANCE, numerical_gradient, rel_error

from .feedback import ExerciseFailed, diagnose, exercise

# (n_samples, n_in, n_out): rectangular ones expose transposes by shape, square ones by value.
_LAYER_SHAPES = [(5, 3, 4), (7, 4, 2), (4, 3, 3), (1, 2, 5)]


def _as_triple(result):
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise ExerciseFailed(
            f"should return three arrays (dW, db, da_prev), got {type(result).__name__}"
            + (f" of length {len(result)}" if isinstance(result, (tuple, list)) else "")
        )
    return result


@exercise("layer backward from dz")
def check_layer_backward_from_dz(layer_backward_from_dz, seed=0):
    """``layer_backward_from_dz(dz, a_prev, W)`` must return ``(a_prevᵀ dz, Σ_rows dz, dz Wᵀ)``."""
    rng = np.random.default_rng(seed)
    for n, n_in, n_out in _LAYER_SHAPES:
        dz = rng.normal(size=(n, n_out))
        a_prev = rng.normal(size=(n, n_in))
        W = rng.normal(size=(n_in, n_out))
        dW, db, da_prev = _as_triple(layer_backward_from_dz(dz.copy(), a_prev.copy(), W.copy()))
        where = f" (batch of {n}, layer {n_in} → {n_out})"
        diagnose(
            dW,
            a_prev.T @ dz,
            {
                "is the transpose of a_prevᵀ·dz: the row convention needs dW = a_prevᵀ dz, "
                "shaped like W (n_in, n_out)": dz.T @ a_prev,
                "is averaged over the batch: dz already carries the 1/n of the mean loss, so "
                "dW = a_prevᵀ dz sums over the samples": a_prev.T @ dz / n,
            },
            what="dW" + where,
        )
        diagnose(
            db,
            dz.sum(axis=0, keepdims=True),
            {
                "is the batch mean of dz: dz already carries the 1/n, so db must sum its rows "
                "(as dW does) — the original's erratum 5": dz.mean(axis=0, keepdims=True),
            },
            what="db" + where,
        )
        # dz W only has the right shape for a square W; otherwise the shape check speaks.
        wrong_da = {"uses W where Wᵀ belongs: da_prev = dz Wᵀ": dz @ W} if n_in == n_out else {}
        diagnose(da_prev, dz @ W.T, wrong_da, what="da_prev" + where)
    _network_check(layer_backward_from_dz, rng)


def _network_check(layer_backward_from_dz, rng):
    """Back-propagate through a 3 → 4 → 2 tanh/sigmoid MLP with the learner's layer step."""
    net = MLP([3, 4, 2], ["tanh", "sigmoid"], loss="bce", seed=int(rng.integers(1000)))
    X = rng.normal(size=(6, 3))
    y = rng.integers(0, 2, size=(6, 2)).astype(float)
    yhat = net.forward(X)
    dz = (yhat - y) / len(X)  # sigmoid + mean BCE at the output
    grads = {}
    for k in range(len(net.layers), 0, -1):
        layer = net.layers[k - 1]
        dW, db, da_prev = layer_backward_from_dz(dz, layer.a_prev, layer.W)
        grads[f"W{k}"], grads[f"b{k}"] = dW, db
        if k > 1:
            below = net.layers[k - 2]
            dz = da_prev * below.activation.derivative(below.z)
    for name, param in net.parameters():
        numeric = numerical_gradient(lambda: net.loss(X, y), param)
        error = rel_error(np.asarray(grads[name], float).reshape(numeric.shape), numeric)
        if error > TOLERANCE:
            raise ExerciseFailed(
                f"gradient check of a 3-4-2 network fails for {name}: relative error {error:.2e}"
            )


def _reference_central(loss, x, eps):
    x = np.array(x, dtype=float)
    return numerical_gradient(lambda: loss(x), x, eps)


def _one_sided(loss, x, eps, forward=True):
    grad = np.zeros_like(x)
    base = loss(x)
    for idx in np.ndindex(x.shape):
        moved = x.copy()
        moved[idx] += eps if forward else -eps
        grad[idx] = (loss(moved) - base) / eps if forward else (base - loss(moved)) / eps
    return grad


@exercise("central differences")
def check_central_difference(central_difference, seed=0):
    """``central_difference(loss, x, eps)``: (loss(x + ε e_i) − loss(x − ε e_i)) / 2ε per entry."""
    rng = np.random.default_rng(seed)
    eps = 1e-3  # large enough that one-sided differences are visibly worse
    for shape in [(3,), (2, 3), (4, 1)]:
        x = rng.normal(size=shape)
        c = rng.normal(size=shape)
        loss = lambda v, c=c: float(np.sum(c * np.sin(v) * v**2) + np.sum(v) ** 2)  # noqa: E731
        x_before = x.copy()
        got = central_difference(loss, x, eps)
        if not np.array_equal(x, x_before):
            raise ExerciseFailed(
                "changed x itself: perturb a copy (or restore each entry) "
                "so the caller's array is left as it was"
            )
        central = _reference_central(loss, x, eps)
        diagnose(
            got,
            central,
            {
                "is a forward difference (f(x+ε) − f(x))/ε: its error shrinks like ε, the "
                "central difference's like ε²": _one_sided(loss, x, eps, forward=True),
                "is a backward difference (f(x) − f(x−ε))/ε: use both sides, "
                "(f(x+ε) − f(x−ε))/2ε": _one_sided(loss, x, eps, forward=False),
                "is 2× too large: the two points are 2ε apart, divide by 2ε": 2 * central,
                "has the wrong sign: f(x+ε) comes first": -central,
            },
            what=f"the gradient for x of shape {shape}",
            rtol=1e-7,
            atol=1e-10,
        )

"""Gradient checking: compare analytic gradients with central differences."""

import numpy as np


def numerical_gradient(f, x, eps=1e-6):
    """∂f/∂x by central differences, (f(x + ε) − f(x − ε)) / 2ε, one entry at a time.

    ``f`` takes no arguments and returns a scalar that depends on the array ``x``, which
    is perturbed in place and restored. Returns an array of ``x``'s shape.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError(
            f"numerical_gradient: expected x as a float64 numpy array (perturbed in place), "
            f"got {type(x).__name__}" + (f" of {x.dtype}" if isinstance(x, np.ndarray) else "")
        )
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        f_plus = float(f())
        x[idx] = old - eps
        f_minus = float(f())
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def rel_error(analytic, numeric):
    """‖a − n‖ / (‖a‖ + ‖n‖): 0 when equal, 1 when unrelated; 0 if both are zero."""
    analytic, numeric = np.asarray(analytic, float), np.asarray(numeric, float)
    if analytic.shape != numeric.shape:
        raise ValueError(
            f"rel_error: expected arrays of the same shape, got {analytic.shape} and {numeric.shape}"
        )
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    if scale == 0.0:
        return 0.0
    return float(np.linalg.norm(analytic - numeric) / scale)


def check_network(net, X, y, eps=1e-6):
    """Relative error (``rel_error``) of every parameter's gradient: ``{"W1": 3e-10, ...}``.

    One number per parameter array, numbered as in the maths (W1, b1 for layer 1);
    ``max(report.values())`` is the worst. Below ~1e-7 in float64 means the analytic
    gradient is right; a bug typically gives 1e-2 or more.

    Runs ``net.forward(X)`` and ``net.backward(y)`` for the analytic gradients, then
    perturbs each parameter and re-evaluates ``net.loss(X, y)``.
    """
    net.forward(X)
    net.backward(y)
    analytic = {name: grad.copy() for name, grad in net.gradients()}
    report = {}
    for name, param in net.parameters():
        numeric = numerical_gradient(lambda: net.loss(X, y), param, eps)
        report[name] = rel_error(analytic[name], numeric)
    net.forward(X)
    net.backward(y)  # leave the caches describing the unperturbed network
    return report

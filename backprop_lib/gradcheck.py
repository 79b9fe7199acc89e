"""Gradient checking: analytic gradients against central differences.

A central difference knows nothing about back-propagation, so agreement is evidence:

    ∂f/∂x ≈ (f(x + ε) − f(x − ε)) / 2ε,   error ≈ ε² f'''(x) / 6 plus round-off ≈ 1e-16 / ε.

In float64 with ε = 1e-6 a correct gradient gives a relative error (``rel_error``) far
below ``TOLERANCE`` = 1e-7; a bug typically gives 1e-2 or more.
"""

from dataclasses import dataclass

import numpy as np

from .validation import as_array

TOLERANCE = 1e-7  # the series' pass line for a relative error in float64
EPS = 1e-6  # the step ε of the central differences


def central_difference(f, x, index, eps=EPS):
    """∂f/∂x[index] ≈ (f() − f()) / 2ε, with x[index] moved by +ε and by −ε, then restored.

    ``f`` takes no arguments and reads the float64 array ``x``, which it sees perturbed in
    place; for example ``lambda: net.loss(X, y)`` with ``x`` one of the network's W.
    ``f`` may return a number or an array (then this is a column of the Jacobian).
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        got = f"{type(x).__name__}" + (f" of {x.dtype}" if isinstance(x, np.ndarray) else "")
        raise TypeError(
            f"central_difference: expected x as a float64 numpy array (perturbed in place), got {got}"
        )
    old = x[index]
    try:
        x[index] = old + eps
        f_plus = np.array(f(), dtype=float)  # a copy: f() may return a view of x itself
        x[index] = old - eps
        f_minus = np.array(f(), dtype=float)
    finally:
        x[index] = old
    return (f_plus - f_minus) / (2.0 * eps)


def numerical_gradient(f, x, eps=EPS):
    """∂f/∂x for every entry of x by ``central_difference``: an array of x's shape.

    ``f`` takes no arguments and returns a number that depends on the array ``x``.
    """
    grad = np.zeros(np.shape(x))
    for index in np.ndindex(grad.shape):
        grad[index] = float(central_difference(f, x, index, eps))
    return grad


def rel_error(analytic, numeric):
    """‖a − n‖ / (‖a‖ + ‖n‖): 0 when equal, 1 when opposite; 0 if both are zero."""
    analytic, numeric = as_array(analytic, "analytic"), as_array(numeric, "numeric")
    if analytic.shape != numeric.shape:
        raise ValueError(
            f"rel_error: expected arrays of the same shape, got {analytic.shape} and {numeric.shape}"
        )
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return 0.0 if scale == 0.0 else float(np.linalg.norm(analytic - numeric) / scale)


def format_rel_error(err):
    """A relative error as printed in the notebooks: the same on every machine.

    At round-off level (below 1e-8, where the exact value depends on the machine) it reads
    ``< 1e-8 ✓``; above, its value with ✓ below ``TOLERANCE`` and ✗ from there on.
    """
    if err < 1e-8:
        return "< 1e-8 ✓"
    return f"{err:.1e} " + ("✓" if err < TOLERANCE else "✗")


def check_line(name, analytic, numeric):
    """``"name: relative error < 1e-8 ✓"``: one printed line comparing two arrays."""
    return f"{name}: relative error {format_rel_error(rel_error(analytic, numeric))}"


@dataclass
class GradientRow:
    """One parameter's check: ``numeric ≈ scale × analytic`` (least squares), ``cosine`` between.

    ``rel_error`` is ``inf`` and ``shape_ok`` False when the analytic gradient has the wrong shape.
    """

    name: str
    analytic: np.ndarray
    numeric: np.ndarray
    rel_error: float
    scale: float = np.nan
    cosine: float = np.nan
    shape_ok: bool = True

    @property
    def passed(self):
        return self.shape_ok and self.rel_error < TOLERANCE

    def verdict(self):
        if not self.shape_ok:
            return f"FAIL: shape {self.analytic.shape}, expected {self.numeric.shape}"
        if self.passed:
            return "pass"
        return f"FAIL: numeric ≈ {self.scale:.4g} × analytic, cosine {self.cosine:+.3f}"


def compare(name, analytic, numeric):
    """A ``GradientRow`` for one parameter."""
    analytic = np.asarray(analytic, dtype=float)
    if analytic.shape != numeric.shape:
        return GradientRow(name, analytic, numeric, np.inf, shape_ok=False)
    a, g = analytic.ravel(), numeric.ravel()
    aa, gg = float(a @ a), float(g @ g)
    scale = float(a @ g / aa) if aa > 0 else np.nan
    cosine = float(a @ g / np.sqrt(aa * gg)) if aa > 0 and gg > 0 else np.nan
    return GradientRow(name, analytic, numeric, rel_error(analytic, numeric), scale, cosine)


def gradient_report(net, X, y, eps=EPS):
    """A ``GradientRow`` per parameter of ``net`` (W1, b1, ...) on the batch (X, y).

    The analytic gradients come from ``net.forward(X)`` and ``net.backward(y)``, the numeric
    ones from ``net.loss(X, y)`` with each parameter entry perturbed.
    """
    net.forward(X)
    net.backward(y)
    analytic = [(name, np.array(grad)) for name, grad in net.gradients()]
    params = dict(net.parameters())
    return [
        compare(name, grad, numerical_gradient(lambda: net.loss(X, y), params[name], eps))
        for name, grad in analytic
    ]


def check_network(net, X, y, eps=EPS):
    """``{"W1": relative error, "b1": ..., ...}`` of ``net``'s gradients on (X, y).

    ``max(report.values()) < TOLERANCE`` means every analytic gradient is right.
    """
    return {row.name: row.rel_error for row in gradient_report(net, X, y, eps)}


def format_report(rows):
    """``GradientRow`` s as a fixed-width table, rounded so that it reads the same on any machine."""
    lines = [f"{'param':<6}{'rel. error':>12}  verdict"]
    for row in rows:
        if not row.shape_ok:
            error = "shape!"
        elif row.passed:
            error = f"< {TOLERANCE:.0e}"
        else:
            error = f"{row.rel_error:.3g}"
        lines.append(f"{row.name:<6}{error:>12}  {row.verdict()}")
    return "\n".join(lines)

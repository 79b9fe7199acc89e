"""The original tutorial's errata, injected one at a time into a correct network.

:class:`BuggyMLP` is :class:`backprop_lib.MLP` with a copy of its backward pass in which
one erratum can be switched on; :func:`gradient_report` compares any network's analytic
gradients with central differences and describes each disagreement by two numbers that
point at the kind of bug: the *scale* (numeric ≈ scale × analytic, by least squares) and
the *cosine* between the two gradients.

======  =========================================  ==========================================
number  erratum                                    what a gradient check sees
======  =========================================  ==========================================
1       σ'(z) taken as 2σ(1−σ)                      every gradient below a sigmoid 2× too big
2       dW_k = a_kᵀ dz_k (own output, not input)    wrong shape, or (square layers) wrong values
3       dL/dŷ of the squared error without its −     every gradient reversed: cosine −1
4       loss divided by n_outputs, not n_samples    loss n× larger than what backward differentiates
5       db averaged while dW is summed              b gradients n× off, W gradients fine
======  =========================================  ==========================================

Shapes as in :mod:`backprop_lib.mlp`: X ``(n, n_0)``, y ``(n, n_L)``.
"""

from dataclasses import dataclass

import numpy as np

from .gradcheck import numerical_gradient, rel_error
from .mlp import MLP
from .validation import check_y

ERRATA = {
    1: "sigmoid derivative ×2",
    2: "dW with the wrong activation (a_k, not a_{k-1})",
    3: "dropped minus sign in dL/dŷ",
    4: "loss divided by the number of outputs, not samples",
    5: "db averaged over the batch while dW is summed",
}

# The threshold the series uses for float64 central differences with ε = 1e-6.
PASS_BELOW = 1e-7


class BuggyMLP(MLP):
    """An :class:`MLP` with erratum ``bug`` (a key of :data:`ERRATA`, or None) injected.

    Same constructor as :class:`MLP` plus ``bug``. ``backward`` re-implements the correct
    backward pass step by step, with the erratum at its place; ``loss`` carries erratum 4.
    With ``bug=None`` it computes exactly what :class:`MLP` computes.
    """

    def __init__(self, layer_sizes, activations, loss="bce", seed=None, init="auto", bug=None):
        if bug is not None and bug not in ERRATA:
            raise ValueError(f"bug: expected None or one of {sorted(ERRATA)}, got {bug!r}")
        super().__init__(layer_sizes, activations, loss=loss, seed=seed, init=init)
        self.bug = bug

    def loss(self, X, y):
        mean = super().loss(X, y)
        if self.bug == 4:
            n_samples, n_outputs = self.layers[-1].a.shape
            return mean * n_samples / n_outputs  # Σ over samples / n_outputs
        return mean

    def backward(self, y):
        out = self.layers[-1]
        if out.a is None:
            raise RuntimeError("backward: call forward(X) first; there is no batch to differentiate")
        y = check_y(y, self.layer_sizes[-1], len(out.a))
        if self._fused:
            dz = self.loss_fn.fused_dz(y, out.a)          # dL/dŷ ⊙ f'(z) in one step
            if self.bug == 3:
                dz = -dz
            if self.bug == 1 and out.activation.name == "sigmoid":
                dz = 2.0 * dz
            da = None
        else:
            da = self.loss_fn.gradient(y, out.a)           # dL/dŷ
            if self.bug == 3:
                da = -da
        for k in range(len(self.layers) - 1, -1, -1):
            layer = self.layers[k]
            if da is not None:                             # (the fused output layer has dz)
                layer.da = da
                dz = layer.activation.backward(da, layer.z, layer.a)   # da ⊙ f'(z)
                if self.bug == 1 and layer.activation.name == "sigmoid":
                    dz = 2.0 * dz
            layer.dz = dz
            a_in = layer.a if self.bug == 2 else layer.a_prev
            layer.dW = a_in.T @ dz
            if self.bug == 5:
                layer.db = dz.mean(axis=0, keepdims=True)
            else:
                layer.db = dz.sum(axis=0, keepdims=True)
            da = dz @ layer.W.T

    def __repr__(self):
        return super().__repr__()[:-1] + f", bug={self.bug!r})"


@dataclass
class GradientRow:
    """One parameter's comparison: ``numeric ≈ scale × analytic`` with ``cosine`` between.

    ``rel_error`` is ``inf`` (and ``shape_ok`` False) when the analytic gradient does not
    even have the parameter's shape.
    """

    name: str
    analytic: np.ndarray
    numeric: np.ndarray
    rel_error: float
    scale: float
    cosine: float
    shape_ok: bool = True

    @property
    def passed(self):
        return self.shape_ok and self.rel_error < PASS_BELOW

    def verdict(self):
        if not self.shape_ok:
            return f"FAIL: shape {self.analytic.shape}, expected {self.numeric.shape}"
        if self.passed:
            return "pass"
        return f"FAIL: numeric ≈ {self.scale:.4g} × analytic, cosine {self.cosine:+.3f}"


def compare_gradients(params, grads, loss, eps=1e-6):
    """Compare analytic ``grads`` with central differences of ``loss()`` for each parameter.

    ``params``: ``[(name, array)]`` of the live parameter arrays (perturbed in place and
    restored); ``grads``: ``{name: analytic gradient}``; ``loss``: a zero-argument callable
    returning the scalar loss. Returns a list of :class:`GradientRow`.
    """
    rows = []
    for name, param in params:
        if name not in grads:
            raise ValueError(f"compare_gradients: no analytic gradient for {name!r}")
        analytic = np.asarray(grads[name], dtype=float)
        numeric = numerical_gradient(loss, param, eps)
        if analytic.shape != numeric.shape:
            rows.append(GradientRow(name, analytic, numeric, np.inf, np.nan, np.nan, False))
            continue
        a, g = analytic.ravel(), numeric.ravel()
        aa, gg = float(a @ a), float(g @ g)
        scale = float(a @ g / aa) if aa > 0 else np.nan
        cosine = float(a @ g / np.sqrt(aa * gg)) if aa > 0 and gg > 0 else np.nan
        rows.append(GradientRow(name, analytic, numeric, rel_error(analytic, numeric), scale, cosine))
    return rows


def gradient_report(net, X, y, eps=1e-6):
    """:func:`compare_gradients` for an :class:`MLP` (or :class:`BuggyMLP`) on (X, y)."""
    net.forward(X)
    net.backward(y)
    grads = {name: g.copy() for name, g in net.gradients()}
    rows = compare_gradients(net.parameters(), grads, lambda: net.loss(X, y), eps)
    net.forward(X)
    return rows


def original_gradient_report(model, X, y, eps=1e-6):
    """:func:`compare_gradients` for the replica :class:`~backprop_lib.original_tutorial.OriginalMLP`.

    The reference is the loss the replica itself reports (the original's
    ``cross_entropy``): the check asks whether its backward pass differentiates it.
    """
    yhat = model.forward(X)
    model.backward(y, yhat)
    grads = {name: g.copy() for name, g in model.gradients()}
    rows = compare_gradients(model.parameters(), grads, lambda: model.loss(y, model.forward(X)), eps)
    model.forward(X)
    return rows


def bug_hunt_network(bug=None, seed=0):
    """The network every erratum fits into: 3 → 3 → 3 → 3, ReLU, sigmoid, sigmoid, MSE.

    Square weight matrices let erratum 2 run without a shape error, the sigmoid layers
    host erratum 1 and the squared error (not fused with sigmoid) hosts erratum 3.
    """
    return BuggyMLP([3, 3, 3, 3], ["relu", "sigmoid", "sigmoid"], loss="mse", seed=seed, bug=bug)


def bug_hunt_data(n_samples=20, seed=0):
    """Inputs X ``(n, 3)`` ~ N(0, 1) and targets y ``(n, 3)`` ~ U(0, 1) for the bug hunt."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n_samples, 3)), rng.uniform(size=(n_samples, 3))


def format_report(rows):
    """A fixed-width text table of :class:`GradientRow` s (rounded, so it can be compared)."""
    lines = [f"{'param':<6}{'rel. error':>12}  verdict"]
    for row in rows:
        if not row.shape_ok:
            err = "shape!"
        elif row.passed:
            err = f"< {PASS_BELOW:.0e}"  # the exact tiny value depends on the machine
        else:
            err = f"{row.rel_error:.3g}"
        lines.append(f"{row.name:<6}{err:>12}  {row.verdict()}")
    return "\n".join(lines)

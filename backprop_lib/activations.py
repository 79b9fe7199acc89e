"""Activation functions, each paired with its derivative.

Every activation acts on a pre-activation array ``z`` of shape ``(n_samples, n_units)``
and returns ``a = f(z)`` of the same shape. ``backward(da, z, a)`` turns the upstream
gradient ``da = dL/da`` into ``dz = dL/dz``; for elementwise functions that is
``da * f'(z)``, for softmax it is a Jacobian-vector product per row.

The built-in ``forward`` and ``backward`` also take ``out=``, as numpy's functions do: an
array to write the result into (a layer passes last pass's ``a`` or ``dz``; see buffers.py).
An activation you write yourself needn't: a layer gives it no ``out`` and keeps what it returns.
"""

import numpy as np


class Activation:
    """Base class: ``forward`` is f(z), ``derivative`` is f'(z), elementwise."""

    name = "activation"

    def forward(self, z):
        raise NotImplementedError

    def derivative(self, z):
        raise NotImplementedError

    def backward(self, da, z, a, out=None):
        """dz = da ⊙ f'(z). Shapes: all ``(n_samples, n_units)``."""
        return np.multiply(da, self.derivative(z), out=out)

    def __call__(self, z):
        return self.forward(z)

    def __repr__(self):
        return f"{type(self).__name__}()"


class Identity(Activation):
    name = "identity"

    def forward(self, z, out=None):
        return z  # a is z itself: nothing to compute or write

    def derivative(self, z):
        return np.ones_like(z)

    def backward(self, da, z, a, out=None):
        return da


class Sigmoid(Activation):
    """σ(z) = 1 / (1 + e^(-z)), computed without overflow for any finite z."""

    name = "sigmoid"

    def forward(self, z, out=None):
        # e = e^(-|z|) never overflows, and σ(z) = 1/(1 + e) for z ≥ 0, e/(1 + e) for z < 0.
        e = np.exp(-np.abs(z))
        return np.divide(np.where(z >= 0, 1.0, e), 1.0 + e, out=out)

    def derivative(self, z):
        s = self.forward(z)
        return s * (1.0 - s)

    def backward(self, da, z, a, out=None):
        # σ'(z) = σ(z)(1 − σ(z)) = a(1 − a): reuse the forward output.
        return np.multiply(da * a, 1.0 - a, out=out)


class Tanh(Activation):
    name = "tanh"

    def forward(self, z, out=None):
        return np.tanh(z, out=out)

    def derivative(self, z):
        return 1.0 - np.tanh(z) ** 2

    def backward(self, da, z, a, out=None):
        return np.multiply(da, 1.0 - a * a, out=out)


class ReLU(Activation):
    """max(0, z); the derivative at the kink z = 0 is taken as 0."""

    name = "relu"

    def forward(self, z, out=None):
        return np.maximum(z, 0.0, out=out)

    def derivative(self, z):
        return (z > 0).astype(float)

    def backward(self, da, z, a, out=None):
        # dz = da ⊙ 1[z > 0]. Multiplying by the boolean mask is about twice as fast as
        # np.where(z > 0, da, 0.0). "+= 0.0" turns the −0.0 that a negative da times 0
        # gives into +0.0, so printed gradients read "0." as before, never "-0.".
        with np.errstate(invalid="ignore"):  # inf·0 at an inactive unit: nan, no warning
            dz = np.multiply(da, z > 0, out=out)
        dz += 0.0
        return dz


class LeakyReLU(Activation):
    """z for z > 0, ``alpha * z`` otherwise."""

    name = "leaky_relu"

    def __init__(self, alpha=0.01):
        if not np.isfinite(alpha) or alpha < 0:
            raise ValueError(f"LeakyReLU alpha: expected a finite number >= 0, got {alpha!r}")
        self.alpha = float(alpha)

    def forward(self, z, out=None):
        return np.multiply(z, np.where(z > 0, 1.0, self.alpha), out=out)

    def derivative(self, z):
        return np.where(z > 0, 1.0, self.alpha)

    def __repr__(self):
        return f"LeakyReLU(alpha={self.alpha})"


class Softmax(Activation):
    """softmax(z)_i = e^(z_i) / Σ_k e^(z_k), along each row.

    Not elementwise: its derivative is a Jacobian per sample,
    J_ik = ∂a_i/∂z_k = a_i (δ_ik − a_k).
    """

    name = "softmax"

    def forward(self, z, out=None):
        # Subtracting each row's max changes nothing in the result and keeps e^z from overflowing.
        # (The dtype keeps integer input from making an integer array that exp can't write into.)
        shifted = np.subtract(z, z.max(axis=1, keepdims=True), out=out, dtype=np.result_type(z, 1.0))
        e = np.exp(shifted, out=shifted)
        e /= e.sum(axis=1, keepdims=True)
        return e

    def derivative(self, z):
        raise TypeError(
            "softmax has no elementwise derivative; use jacobian(z) for one sample "
            "or backward(da, z, a) for a batch"
        )

    def jacobian(self, z):
        """J of one sample: z of shape ``(n_units,)`` -> J of shape ``(n_units, n_units)``."""
        a = self.forward(np.asarray(z, dtype=float).reshape(1, -1))[0]
        return np.diag(a) - np.outer(a, a)

    def backward(self, da, z, a, out=None):
        # dz_k = Σ_i da_i a_i (δ_ik − a_k) = a_k (da_k − Σ_i da_i a_i), row by row.
        return np.multiply(a, da - (da * a).sum(axis=1, keepdims=True), out=out)


ACTIVATIONS = {
    cls.name: cls for cls in (Identity, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax)
}
ACTIVATIONS["linear"] = Identity


def get_activation(spec):
    """An activation from its name (``"relu"``) or an ``Activation`` object."""
    if isinstance(spec, Activation):
        return spec
    if isinstance(spec, str):
        key = spec.lower()
        if key not in ACTIVATIONS:
            raise ValueError(
                f"unknown activation {spec!r}: expected one of {sorted(ACTIVATIONS)}"
            )
        return ACTIVATIONS[key]()
    raise TypeError(
        f"activation: expected a name (str) or an Activation object, got {type(spec).__name__}"
    )

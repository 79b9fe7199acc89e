"""Activation functions, each paired with its derivative.

An activation maps pre-activations ``z`` ``(n_samples, n_units)`` to ``a = f(z)`` of the
same shape. ``backward(da, z, a)`` turns ``da = ∂L/∂a`` into ``dz = ∂L/∂z``: for an
elementwise f that is ``da * f'(z)``; for softmax, a Jacobian-vector product per row.
"""

import numpy as np

from .validation import check_real, lookup


class Activation:
    """Base class: ``forward`` is f(z), ``derivative`` is f'(z), elementwise."""

    name = "activation"

    def forward(self, z):
        raise NotImplementedError

    def derivative(self, z):
        raise NotImplementedError

    def backward(self, da, z, a):
        """dz = da ⊙ f'(z); all of shape ``(n_samples, n_units)``."""
        return da * self.derivative(z)

    def __call__(self, z):
        return self.forward(z)

    def __repr__(self):
        return f"{type(self).__name__}()"


class Identity(Activation):
    name = "identity"

    def forward(self, z):
        return z

    def derivative(self, z):
        return np.ones_like(z)

    def backward(self, da, z, a):
        return da


class Sigmoid(Activation):
    """σ(z) = 1 / (1 + e^(−z)), computed without overflow for any z."""

    name = "sigmoid"

    def forward(self, z):
        # e = e^(−|z|) never overflows: σ(z) = 1/(1 + e) for z ≥ 0 and e/(1 + e) for z < 0.
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0, e) / (1.0 + e)

    def derivative(self, z):
        s = self.forward(z)
        return s * (1.0 - s)

    def backward(self, da, z, a):
        return da * (a * (1.0 - a))  # σ'(z) = σ(z)(1 − σ(z)) = a(1 − a): reuses the forward output


class Tanh(Activation):
    name = "tanh"

    def forward(self, z):
        return np.tanh(z)

    def derivative(self, z):
        return 1.0 - np.tanh(z) ** 2

    def backward(self, da, z, a):
        return da * (1.0 - a * a)  # tanh'(z) = 1 − tanh²(z) = 1 − a²


class ReLU(Activation):
    """max(0, z). At the kink z = 0 the derivative is taken as 0."""

    name = "relu"

    def forward(self, z):
        return np.maximum(z, 0.0)

    def derivative(self, z):
        return (z > 0).astype(float)

    def backward(self, da, z, a):
        return da * (z > 0)  # da ⊙ f'(z): f'(z) is 1 where the unit is active (z > 0), 0 elsewhere


class LeakyReLU(Activation):
    """z for z > 0, ``alpha * z`` otherwise."""

    name = "leaky_relu"

    def __init__(self, alpha=0.01):
        self.alpha = check_real(alpha, "LeakyReLU alpha", low=0.0)

    def forward(self, z):
        return np.where(z > 0, z, self.alpha * z)

    def derivative(self, z):
        return np.where(z > 0, 1.0, self.alpha)

    def __repr__(self):
        return f"LeakyReLU(alpha={self.alpha})"


class Softmax(Activation):
    """softmax(z)_i = e^(z_i) / Σ_k e^(z_k), along each row.

    Not elementwise: each sample has a Jacobian J_ik = ∂a_i/∂z_k = a_i (δ_ik − a_k).
    """

    name = "softmax"

    def forward(self, z):
        e = np.exp(z - z.max(axis=1, keepdims=True))  # the row's max changes nothing but overflow
        return e / e.sum(axis=1, keepdims=True)

    def derivative(self, z):
        raise TypeError(
            "softmax has no elementwise derivative; use jacobian(z) for one sample "
            "or backward(da, z, a) for a batch"
        )

    def jacobian(self, z):
        """J of one sample: z ``(n_units,)`` -> J ``(n_units, n_units)``."""
        a = self.forward(np.asarray(z, dtype=float).reshape(1, -1))[0]
        return np.diag(a) - np.outer(a, a)

    def backward(self, da, z, a):
        # dz_k = Σ_i da_i a_i (δ_ik − a_k) = a_k (da_k − Σ_i da_i a_i), row by row: J never formed.
        return a * (da - (da * a).sum(axis=1, keepdims=True))


ACTIVATIONS = {cls.name: cls for cls in (Identity, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax)}
ACTIVATIONS["linear"] = Identity


def get_activation(spec):
    """An activation from its name (``"relu"``) or an ``Activation`` object."""
    return lookup(spec, ACTIVATIONS, Activation, "activation")

"""Weight initialisers: ``init(n_in, n_out, rng) -> (W, b)``.

``W`` has shape ``(n_in, n_out)`` and ``b`` shape ``(1, n_out)``; ``rng`` is a
``numpy.random.Generator`` so that every draw is reproducible without global state.
"""

import numpy as np

from .validation import check_real, lookup


class Initializer:
    name = "initializer"

    def __call__(self, n_in, n_out, rng):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}()"


class He(Initializer):
    """W ~ N(0, 2/n_in), b = 0: keeps the variance of ReLU activations constant with depth."""

    name = "he"

    def __call__(self, n_in, n_out, rng):
        return rng.normal(0.0, np.sqrt(2.0 / n_in), (n_in, n_out)), np.zeros((1, n_out))


class Xavier(Initializer):
    """W ~ N(0, 2/(n_in + n_out)), b = 0 (Glorot): suits tanh, sigmoid and linear layers."""

    name = "xavier"

    def __call__(self, n_in, n_out, rng):
        std = np.sqrt(2.0 / (n_in + n_out))
        return rng.normal(0.0, std, (n_in, n_out)), np.zeros((1, n_out))


class Normal(Initializer):
    """W and b ~ N(0, σ²), the original tutorial's scheme (σ = 0.1 there)."""

    name = "normal"

    def __init__(self, sigma=0.1):
        self.sigma = check_real(sigma, "Normal sigma", low=0.0, low_open=True)

    def __call__(self, n_in, n_out, rng):
        W = rng.normal(0.0, self.sigma, (n_in, n_out))
        b = rng.normal(0.0, self.sigma, (1, n_out))
        return W, b

    def __repr__(self):
        return f"Normal(sigma={self.sigma})"


INITIALIZERS = {"he": He, "xavier": Xavier, "glorot": Xavier, "normal": Normal}

_RELU_FAMILY = {"relu", "leaky_relu"}


def get_initializer(spec, activation_name="identity"):
    """An initialiser from a name (``"he"``, ``"xavier"``, ``"normal"``, ``"auto"``) or an object.

    ``"auto"`` picks He for the ReLU family and Xavier for every other activation.
    """
    if isinstance(spec, str) and spec.lower() == "auto":
        return He() if activation_name in _RELU_FAMILY else Xavier()
    return lookup(spec, INITIALIZERS, Initializer, "initialiser", extra=["auto"])

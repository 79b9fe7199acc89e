"""Loss functions, each paired with its gradient.

Arguments follow scikit-learn's order: ``y`` (targets) first, then ``yhat`` (predictions),
both of shape ``(n_samples, n_outputs)``. Every loss is the **mean over the batch** of the
per-sample loss, and every gradient is the gradient of that mean, so it carries the 1/n.

An output activation and a loss that belong together (sigmoid + binary cross-entropy,
softmax + categorical cross-entropy, identity + squared error) have a fused form: the loss
computed from the logits ``z`` and the gradient dL/dz in one simple, stable expression.
"""

import numpy as np

from .validation import lookup

# Predictions are kept this far from 0 and 1 before taking logarithms.
_EPS = 1e-12


def softplus(z):
    """log(1 + e^z) without overflow."""
    return np.logaddexp(0.0, z)


def logsumexp(z):
    """log Σ_k e^(z_k) along each row, shape ``(n, k) -> (n, 1)``, without overflow."""
    m = z.max(axis=1, keepdims=True)
    return m + np.log(np.exp(z - m).sum(axis=1, keepdims=True))


class Loss:
    """Base class. ``fused_activation`` names the output activation with a fused gradient."""

    name = "loss"
    fused_activation = None

    def value(self, y, yhat):
        raise NotImplementedError

    def gradient(self, y, yhat):
        """dL/dŷ of the batch mean, shape ``(n_samples, n_outputs)``."""
        raise NotImplementedError

    def value_from_logits(self, y, z):
        """L computed from the output layer's z (only for the fused activation)."""
        raise NotImplementedError

    def fused_dz(self, y, yhat):
        """dL/dz of the output layer for the fused activation, shape ``(n, n_outputs)``."""
        raise NotImplementedError

    def check_targets(self, y):
        """Raise ``ValueError`` if the targets make no sense for this loss."""

    def __call__(self, y, yhat):
        return self.value(y, yhat)

    def __repr__(self):
        return f"{type(self).__name__}()"


class MeanSquaredError(Loss):
    """L = (1/n) Σ_samples Σ_i (y_i − ŷ_i)², as in the original tutorial (no factor ½).

    dL/dŷ_i = −2 (y_i − ŷ_i) / n; fused with identity, dL/dz = 2 (ŷ − y) / n.
    """

    name = "mse"
    fused_activation = "identity"

    def value(self, y, yhat):
        return float(np.sum((y - yhat) ** 2) / len(y))

    def gradient(self, y, yhat):
        return -2.0 * (y - yhat) / len(y)

    def value_from_logits(self, y, z):
        return self.value(y, z)

    def fused_dz(self, y, yhat):
        return 2.0 * (yhat - y) / len(y)


class BinaryCrossEntropy(Loss):
    """L = −(1/n) Σ_samples Σ_i [y_i log ŷ_i + (1 − y_i) log(1 − ŷ_i)], y_i in [0, 1].

    Fused with sigmoid: L = (1/n) Σ [softplus(z) − y z] and dL/dz = (ŷ − y) / n.
    """

    name = "bce"
    fused_activation = "sigmoid"

    def value(self, y, yhat):
        p = np.clip(yhat, _EPS, 1.0 - _EPS)
        return float(-np.sum(y * np.log(p) + (1.0 - y) * np.log1p(-p)) / len(y))

    def gradient(self, y, yhat):
        p = np.clip(yhat, _EPS, 1.0 - _EPS)
        return (p - y) / (p * (1.0 - p)) / len(y)

    def value_from_logits(self, y, z):
        # −[y log σ(z) + (1−y) log(1−σ(z))] = softplus(z) − y z
        return float(np.sum(softplus(z) - y * z) / len(y))

    def fused_dz(self, y, yhat):
        return (yhat - y) / len(y)

    def check_targets(self, y):
        if y.size and (y.min() < 0 or y.max() > 1):
            raise ValueError(
                "binary cross-entropy: expected targets y in [0, 1], "
                f"got values from {y.min():g} to {y.max():g}"
            )


class CategoricalCrossEntropy(Loss):
    """L = −(1/n) Σ_samples Σ_i y_i log ŷ_i, each row of y a probability vector (one-hot).

    Fused with softmax: L = (1/n) Σ [logsumexp(z) − Σ_i y_i z_i] and dL/dz = (ŷ − y) / n.
    """

    name = "cross_entropy"
    fused_activation = "softmax"

    def value(self, y, yhat):
        return float(-np.sum(y * np.log(np.clip(yhat, _EPS, None))) / len(y))

    def gradient(self, y, yhat):
        return -y / np.clip(yhat, _EPS, None) / len(y)

    def value_from_logits(self, y, z):
        return float(np.sum(y * (logsumexp(z) - z)) / len(y))

    def fused_dz(self, y, yhat):
        return (yhat - y) / len(y)

    def check_targets(self, y):
        if not y.size:
            return
        if y.min() < 0 or y.max() > 1:
            raise ValueError(
                "categorical cross-entropy: expected targets y in [0, 1] (one-hot rows), "
                f"got values from {y.min():g} to {y.max():g}"
            )
        sums = y.sum(axis=1)
        bad = np.flatnonzero(np.abs(sums - 1.0) > 1e-6)
        if bad.size:
            raise ValueError(
                "categorical cross-entropy: expected each row of y to sum to 1 (one-hot), "
                f"got row {bad[0]} summing to {sums[bad[0]]:g}"
            )


LOSSES = {cls.name: cls for cls in (MeanSquaredError, BinaryCrossEntropy, CategoricalCrossEntropy)}
LOSSES.update(
    {
        "squared_error": MeanSquaredError,
        "binary_cross_entropy": BinaryCrossEntropy,
        "log_loss": BinaryCrossEntropy,
        "categorical_cross_entropy": CategoricalCrossEntropy,
        "ce": CategoricalCrossEntropy,
    }
)


def get_loss(spec):
    """A loss from its name (``"bce"``, ``"mse"``, ``"cross_entropy"``) or a ``Loss`` object."""
    return lookup(spec, LOSSES, Loss, "loss")

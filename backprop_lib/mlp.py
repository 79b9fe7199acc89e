"""The multilayer perceptron: forward pass, backward pass, gradient-descent update."""

import numpy as np

from .activations import get_activation
from .initializers import get_initializer
from .layer import Dense
from .losses import get_loss
from .validation import check_architecture, check_learning_rate, check_parameters, check_X, check_y


class MLP:
    """A fully connected network, one sample per row.

    ``MLP([2, 4, 3, 1], ["relu", "relu", "sigmoid"], loss="bce", seed=42)`` has layers of
    4, 3 and 1 units on 2 inputs. ``layers[k]`` is layer k + 1 of the maths (a ``Dense``).
    ``init``: "auto" (He for ReLU layers, Xavier otherwise), "he", "xavier", "normal"
    (σ = 0.1, the original tutorial's) or an Initializer. ``seed`` seeds a private
    ``numpy.random.Generator``; no global random state is touched.
    """

    def __init__(self, layer_sizes, activations, loss="bce", seed=None, init="auto"):
        self.layer_sizes, activations = check_architecture(layer_sizes, activations)
        self.loss_fn = get_loss(loss)
        self.rng = np.random.default_rng(seed)
        self.layers = []
        for n_in, n_out, spec in zip(self.layer_sizes, self.layer_sizes[1:], activations):
            activation = get_activation(spec)
            W, b = get_initializer(init, activation.name)(n_in, n_out, self.rng)
            self.layers.append(Dense(W, b, activation))

    def forward(self, X):
        """X ``(n, n_0)`` -> ŷ ``(n, n_K)``; every layer keeps its z and a for ``backward``."""
        a = check_X(X, self.layer_sizes[0])
        for layer in self.layers:
            a = layer.forward(a)
        return a

    def backward(self, y):
        """Gradients of the mean loss on the last forward batch, y ``(n, n_K)`` its targets
        (1-D for one output): every layer's dz, dW and db."""
        top = self.layers[-1]
        if top.a is None:
            raise RuntimeError("backward: call forward(X) first; there is no batch to differentiate")
        y = self._targets(y, len(top.a))
        first = self.layers[0]
        if self.fused:  # the output pair's ∂L/∂z in one stable step, e.g. (ŷ − y)/n
            da = top.backward_from_dz(self.loss_fn.fused_dz(y, top.a), first=top is first)
        else:
            da = top.backward(self.loss_fn.gradient(y, top.a), first=top is first)  # from ∂L/∂ŷ
        for layer in reversed(self.layers[:-1]):
            da = layer.backward(da, first=layer is first)

    def update(self, lr):
        """One step of gradient descent, W ← W − lr·dW and b ← b − lr·db, in every layer.

        The new arrays replace the old ones (an array you kept keeps its values). If any new
        value would be infinite or NaN, nothing changes and ``FloatingPointError`` is raised.
        """
        lr = check_learning_rate(lr)
        if self.layers[-1].dW is None:
            raise RuntimeError("update: call backward(y) first; there are no gradients yet")
        new = {}
        with np.errstate(over="ignore", invalid="ignore"):  # set_parameters refuses inf and NaN
            for k, layer in enumerate(self.layers, start=1):
                new[f"W{k}"] = layer.W - lr * layer.dW
                new[f"b{k}"] = layer.b - lr * layer.db
        self.set_parameters(new)

    # -- without touching the caches ------------------------------------------------------

    def evaluate(self, X):
        """``(z, ŷ)`` of the output layer for X ``(n, n_0)``, without changing any layer's cache."""
        a = check_X(X, self.layer_sizes[0])
        for layer in self.layers:
            z, a = layer.apply(a)
        return z, a

    def output(self, X):
        """ŷ ``(n, n_K)`` for X, without changing any layer's cache."""
        return self.evaluate(X)[1]

    def loss(self, X, y):
        """The mean loss on (X, y); the caches of the last forward pass stay as they were."""
        z, yhat = self.evaluate(X)
        y = self._targets(y, len(yhat))
        if self.fused:  # from the logits: exact even where ŷ rounds to 0 or 1
            return self.loss_fn.value_from_logits(y, z)
        return self.loss_fn.value(y, yhat)

    def predict(self, X):
        """Labels ``(n,)``: ŷ > 0.5 for one sigmoid output, the argmax for several outputs, else ŷ."""
        yhat = self.output(X)
        if yhat.shape[1] > 1:
            return yhat.argmax(axis=1)
        if self.layers[-1].activation.name == "sigmoid":
            return (yhat[:, 0] > 0.5).astype(int)
        return yhat[:, 0]

    def parameters(self):
        """``[(name, array)]``: W1, b1, W2, b2, ... (numbered from 1, as in the maths)."""
        return [(f"{p}{k}", getattr(layer, p)) for k, layer in enumerate(self.layers, 1) for p in "Wb"]

    def gradients(self):
        """``[(name, ∂L/∂parameter)]`` after ``backward``, named after the parameter: W1, b1, ..."""
        return [(f"{p}{k}", getattr(layer, "d" + p)) for k, layer in enumerate(self.layers, 1) for p in "Wb"]

    def set_parameters(self, new):
        """Replace parameters by name, ``{"W1": array, ...}``: all of them, or none if one is
        misnamed or misshapen (``ValueError``) or not finite (``FloatingPointError``)."""
        for name, value in check_parameters(new, dict(self.parameters())).items():
            setattr(self.layers[int(name[1:]) - 1], name[0], value)

    @property
    def fused(self):
        """Whether the output activation and the loss have a fused ∂L/∂z (e.g. sigmoid + BCE)."""
        return self.layers[-1].activation.name == self.loss_fn.fused_activation

    def _targets(self, y, n_samples):
        y = check_y(y, self.layer_sizes[-1], n_samples)
        self.loss_fn.check_targets(y)
        return y

    def __repr__(self):
        names = [layer.activation.name for layer in self.layers]
        return f"MLP({self.layer_sizes}, {names}, loss={self.loss_fn.name!r})"

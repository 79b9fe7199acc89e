"""The multilayer perceptron: forward, backward and gradient-descent update."""

import numpy as np

from .activations import get_activation
from .buffers import reusable
from .initializers import get_initializer
from .layer import Dense
from .losses import get_loss
from .validation import check_layer_sizes, check_learning_rate, check_X, check_y


class MLP:
    """A fully connected network in the row convention (one sample per row).

    ``MLP([2, 4, 3, 1], ["relu", "relu", "sigmoid"], loss="bce", seed=42)`` builds
    layers of 4, 3 and 1 units on 2 inputs. ``layers[k]`` is layer k + 1 of the maths,
    with ``W`` ``(n_k-1, n_k)``, ``b`` ``(1, n_k)`` and, after a pass, ``z``, ``a``,
    ``dz``, ``dW``, ``db``.

    ``init`` is ``"auto"`` (He for ReLU layers, Xavier otherwise), ``"he"``,
    ``"xavier"``, ``"normal"`` (σ = 0.1, the original tutorial's) or an Initializer.
    ``seed`` seeds a private ``numpy.random.Generator``; no global state is touched.
    """

    def __init__(self, layer_sizes, activations, loss="bce", seed=None, init="auto"):
        sizes = check_layer_sizes(layer_sizes)
        if isinstance(activations, (str, bytes)) or not hasattr(activations, "__len__"):
            raise TypeError(
                "activations: expected a list with one activation per layer, "
                f"got {type(activations).__name__}"
            )
        if len(activations) != len(sizes) - 1:
            raise ValueError(
                f"activations: expected {len(sizes) - 1} (one per layer after the input "
                f"for layer_sizes {sizes}), got {len(activations)}"
            )
        self.layer_sizes = sizes
        self.loss_fn = get_loss(loss)
        self.rng = np.random.default_rng(seed)
        self.layers = []
        for n_in, n_out, spec in zip(sizes[:-1], sizes[1:], activations):
            activation = get_activation(spec)
            W, b = get_initializer(init, activation.name)(n_in, n_out, self.rng)
            self.layers.append(Dense(W, b, activation))
        self._y_batch = None

    # -- the three steps of training ------------------------------------------------

    def forward(self, X):
        """X ``(n_samples, n_features)`` -> ŷ ``(n_samples, n_outputs)``; caches z and a."""
        a = check_X(X, self.layer_sizes[0])
        # Each layer's `a_prev` is the layer below's `a`: drop last pass's links first, so
        # that those arrays are held by their own layer only and can be written into again.
        for layer in self.layers:
            layer.a_prev = None
        for layer in self.layers:
            a = layer.forward(a)
        return a

    def backward(self, y):
        """Gradients of the mean loss over the last forward batch, into every layer's dW, db.

        ``y`` has shape ``(n_samples, n_outputs)`` (1-D is fine for a single output).
        """
        out = self.layers[-1]
        if out.a is None:
            raise RuntimeError("backward: call forward(X) first; there is no batch to differentiate")
        y = check_y(y, self.layer_sizes[-1], len(out.a))
        self.loss_fn.check_targets(y)
        if self._fused:
            # dL/dz of the output layer in one stable step, e.g. (ŷ − y)/n for sigmoid + BCE.
            out.da = None
            dz = self.loss_fn.fused_dz(y, out.a)
        else:
            da = self.loss_fn.gradient(y, out.a)
        for k in reversed(range(len(self.layers))):
            layer = self.layers[k]
            # Below the first layer, da would be dL/dX, which training never needs. Elsewhere it
            # goes into the previous da array of the layer below, if nobody else holds that.
            need_da_prev = k > 0
            da_prev_out = reusable(self.layers[k - 1], "da", (len(y), layer.n_in)) if need_da_prev else None
            if layer is out and self._fused:
                da = layer.backward_from_dz(dz, need_da_prev, da_prev_out)
            else:
                da = layer.backward(da, need_da_prev, da_prev_out)

    def update(self, lr):
        """One gradient-descent step W ← W − lr·dW, b ← b − lr·db on every layer.

        Raises ``FloatingPointError`` (leaving the parameters unchanged) if the step
        would make any parameter non-finite.
        """
        lr = check_learning_rate(lr)
        if any(layer.dW is None for layer in self.layers):
            raise RuntimeError("update: call backward(y) first; there are no gradients yet")
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is detected just below
            new = [(layer.W - lr * layer.dW, layer.b - lr * layer.db) for layer in self.layers]
        for k, (W, b) in enumerate(new, start=1):
            if not (np.isfinite(W).all() and np.isfinite(b).all()):
                raise FloatingPointError(
                    f"update with learning rate {lr:g} would make layer {k}'s parameters "
                    "non-finite (the training diverged); parameters left unchanged. "
                    "Try a smaller learning rate."
                )
        for layer, (W, b) in zip(self.layers, new):
            layer.W, layer.b = W, b

    # -- conveniences -----------------------------------------------------------------

    def loss(self, X, y):
        """Mean loss over the batch (from the logits when the output pair is fused)."""
        yhat = self.forward(X)
        y = check_y(y, self.layer_sizes[-1], len(yhat))
        self.loss_fn.check_targets(y)
        if self._fused:
            return self.loss_fn.value_from_logits(y, self.layers[-1].z)
        return self.loss_fn.value(y, yhat)

    def train_step(self, X, y, lr):
        """forward, backward, update; returns the loss before the step."""
        value = self.loss(X, y)
        self.backward(y)
        self.update(lr)
        return value

    def predict(self, X):
        """Class labels: ŷ > 0.5 for one sigmoid output, argmax for several, ŷ otherwise."""
        yhat = self.forward(X)
        if self.layers[-1].activation.name == "sigmoid" and yhat.shape[1] == 1:
            return (yhat[:, 0] > 0.5).astype(int)
        if yhat.shape[1] > 1:
            return yhat.argmax(axis=1)
        return yhat[:, 0]

    def parameters(self):
        """``[(name, array)]`` for W1, b1, W2, ... (numbered as in the maths, from 1)."""
        out = []
        for k, layer in enumerate(self.layers, start=1):
            out += [(f"W{k}", layer.W), (f"b{k}", layer.b)]
        return out

    def gradients(self):
        """``[(name, array)]`` for dW1, db1, ... after ``backward``."""
        out = []
        for k, layer in enumerate(self.layers, start=1):
            out += [(f"W{k}", layer.dW), (f"b{k}", layer.db)]
        return out

    @property
    def _fused(self):
        return self.layers[-1].activation.name == self.loss_fn.fused_activation

    def __repr__(self):
        acts = [layer.activation.name for layer in self.layers]
        return f"MLP({self.layer_sizes}, {acts}, loss={self.loss_fn.name!r})"

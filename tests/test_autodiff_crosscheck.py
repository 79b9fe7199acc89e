"""backprop_lib's gradients against an independent reverse-mode autodiff engine (autograd).

The forward pass here is written again in autograd.numpy, so a shared mistake in
backprop_lib's activations or losses cannot hide.
"""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

import backprop_lib as bp
from conftest import random_case

FORWARD = {
    "identity": lambda z: z,
    "sigmoid": lambda z: 1 / (1 + anp.exp(-z)),
    "tanh": anp.tanh,
    "relu": lambda z: anp.maximum(z, 0.0),
    "leaky_relu": lambda z: anp.where(z > 0, z, 0.01 * z),
    "softmax": lambda z: anp.exp(z) / anp.sum(anp.exp(z), axis=1, keepdims=True),
}
LOSS = {
    "mse": lambda y, p: anp.sum((y - p) ** 2) / y.shape[0],
    "bce": lambda y, p: -anp.sum(y * anp.log(p) + (1 - y) * anp.log(1 - p)) / y.shape[0],
    "cross_entropy": lambda y, p: -anp.sum(y * anp.log(p)) / y.shape[0],
}


def autograd_loss(params, acts, loss, X, y):
    a = X
    for (W, b), act in zip(params, acts):
        a = FORWARD[act](anp.dot(a, W) + b)
    return LOSS[loss](y, a)


@pytest.mark.parametrize("seed", range(25))
def test_gradients_equal_autograd_on_random_architectures(seed):
    sizes, acts, loss, X, y = random_case(seed)
    net = bp.MLP(sizes, acts, loss=loss, seed=seed)
    net.forward(X)
    net.backward(y)
    params = [(layer.W.copy(), layer.b.copy()) for layer in net.layers]
    expected = grad(autograd_loss)(params, acts, loss, X, y)
    for k, (layer, (dW, db)) in enumerate(zip(net.layers, expected), start=1):
        assert bp.rel_error(layer.dW, dW) < 1e-10, f"W{k} of {sizes} {acts} {loss}"
        assert bp.rel_error(layer.db, db) < 1e-10, f"b{k} of {sizes} {acts} {loss}"

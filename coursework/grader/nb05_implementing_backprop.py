"""Hidden tests of notebook 05 (implementing back-propagation): a network of one input and
one output unit on one sample, a deeper one of four layers, saturated sigmoids (in two parts,
as the practice check); central differences of a function of a 3-D array and of a single
entry, with another ε."""

import numpy as np

from backprop_course.exercises import ExerciseFailed, call_answer, diagnose, results
from backprop_course.exercises import nb05_implementing_backprop as practice
from backprop_lib import MLP, numerical_gradient

from . import hidden, rng

NETWORKS = [  # (layer sizes, activations, batch size, scale of the inputs)
    ([1, 3, 1], ["tanh", "tanh"], 1, 1.0),
    ([5, 2, 2, 3, 2], ["sigmoid", "relu", "tanh", "tanh"], 4, 1.0),
    ([3, 4, 2], ["sigmoid", "tanh"], 6, 8.0),  # saturated sigmoids
]


@hidden(practice.check_backward_pass)
def check_backward_pass(backward_pass, part=None):
    gen = rng("backward_pass")
    for sizes, activations, n, scale in NETWORKS:
        net = MLP(sizes, activations, loss=practice.HalfSquaredError(), seed=int(gen.integers(10_000)))
        y = gen.uniform(-0.9, 0.9, size=(n, sizes[-1]))
        net.forward(gen.normal(scale=scale, size=(n, sizes[0])))
        net.backward(y)  # the library's backward pass: the reference
        out = call_answer(backward_pass, y, practice.given_layers(net))
        K = len(net.layers)
        if not isinstance(out, (list, tuple)) or len(out) != K:
            raise ExerciseFailed(f"should return a list of {K} pairs (dW, db) for layer sizes {sizes}")
        grads = [results(pair, ("dW", "db")) for pair in out]
        c = practice.output_scale(grads[-1], net.layers[-1]) if part == "hidden" else 1.0
        judged = {"output": [K], "hidden": range(1, K)}.get(part, range(1, K + 1))
        for k in judged:
            (dW, db), layer = grads[k - 1], net.layers[k - 1]
            diagnose(dW, c * layer.dW, {}, f"dW of layer {k} (layer sizes {sizes}, n = {n})")
            diagnose(db, c * layer.db, {}, f"db of layer {k} (layer sizes {sizes}, n = {n})")


@hidden(practice.check_central_difference)
def check_central_difference(central_difference):
    gen = rng("central_difference")
    for shape, eps in (((2, 2, 3), 1e-4), ((1,), 1e-2)):
        c = gen.normal(size=shape)

        def loss(v, c=c):
            return float(np.sum(np.exp(0.3 * v) * c) + np.sum(v**3))

        x = gen.normal(size=shape)
        got = call_answer(central_difference, loss, x, eps)
        probe = x.copy()
        diagnose(
            got,
            numerical_gradient(lambda: loss(probe), probe, eps),
            {},
            f"the gradient for x of shape {shape}",
        )

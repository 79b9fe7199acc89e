"""Hidden tests of notebook 02 (the network as equations): layers with one input or one unit,
a square one; ReLU and identity activations; one output; saturated sigmoids."""

import numpy as np

from backprop_course.exercises import call_answer, diagnose
from backprop_course.exercises import nb02_network_equations as practice
from backprop_lib import Identity, ReLU, Sigmoid, Tanh

from . import hidden, rng

SHAPES = [(1, 1), (1, 4), (5, 1), (4, 4)]  # (n_in, n_out)


def _layer(gen, n_in, n_out, scale=1.0):
    return gen.normal(size=n_in), gen.normal(scale=scale, size=(n_in, n_out)), gen.normal(size=n_out)


@hidden(practice.check_unit_preactivation)
def check_unit_preactivation(unit_preactivation):
    gen = rng("unit_preactivation")
    for n_in, n_out in SHAPES:
        a_prev, W, b = _layer(gen, n_in, n_out)
        for i in range(n_out):
            got = call_answer(unit_preactivation, a_prev, W, b, i)
            diagnose(got, a_prev @ W[:, i] + b[i], {}, f"z_{i} (n_in = {n_in}, n_out = {n_out})")


@hidden(practice.check_layer_forward)
def check_layer_forward(layer_forward):
    gen = rng("layer_forward")
    for (n_in, n_out), activation in zip(SHAPES, [ReLU(), Identity(), ReLU(), Tanh()]):
        a_prev, W, b = _layer(gen, n_in, n_out)
        f = activation.forward
        got = np.asarray(call_answer(layer_forward, a_prev, W, b, f), dtype=float).reshape(-1)
        diagnose(got, f(a_prev @ W + b), {}, f"a (n_in = {n_in}, n_out = {n_out}, f = {activation.name})")


@hidden(practice.check_squared_error)
def check_squared_error(squared_error):
    gen = rng("squared_error")
    for n_out in (1, 7):
        y, yhat = gen.normal(size=(2, n_out))
        got = call_answer(squared_error, y, yhat)
        diagnose(got, np.sum((y - yhat) ** 2), {}, f"L (n_out = {n_out})")


@hidden(practice.check_unit_weight_gradient)
def check_unit_weight_gradient(unit_weight_gradient):
    gen = rng("unit_weight_gradient")
    cases = [((1, 1), 1.0, Sigmoid()), ((5, 3), 6.0, Sigmoid()), ((4, 4), 1.0, Tanh())]  # 6: saturated units
    for (n_in, n_out), scale, activation in cases:
        f, fprime = activation.forward, activation.derivative
        a_prev, W, b = _layer(gen, n_in, n_out, scale)
        i = int(gen.integers(n_out))
        got = call_answer(unit_weight_gradient, a_prev, W, b, i, f, fprime)
        expected = fprime(a_prev @ W[:, i] + b[i]) * a_prev
        diagnose(got, expected, {}, f"∂a_{i}/∂w_j{i} (n_in = {n_in}, n_out = {n_out})")

"""Hidden tests of notebook 03 (back-propagation by hand): one output, many outputs; z of
three dimensions, at 0 and saturated; layers with one unit on either side and a square one;
sigmoid outputs close to 0 and 1."""

import numpy as np

from backprop_course.exercises import call_answer, diagnose
from backprop_course.exercises import nb03_backprop_by_hand as practice
from backprop_lib import Sigmoid

from . import hidden, rng

SHAPES = [(1, 1), (1, 4), (5, 1), (4, 4)]  # (n_in, n_out)


@hidden(practice.check_dloss_dyhat)
def check_dloss_dyhat(dloss_dyhat):
    gen = rng("dloss_dyhat")
    for n_out in (1, 6):
        y, yhat = gen.normal(size=(2, n_out))
        got = call_answer(dloss_dyhat, y, yhat)
        diagnose(got, -2 * (y - yhat), {}, f"∂L/∂ŷ (n_out = {n_out})")


@hidden(practice.check_sigmoid_derivative)
def check_sigmoid_derivative(sigmoid_derivative):
    gen = rng("sigmoid_derivative")
    for z in (np.zeros((1, 1)), gen.normal(scale=3.0, size=(2, 3, 4)), np.array([-30.0, -12.0, 12.0, 30.0])):
        s = Sigmoid().forward(z)
        diagnose(call_answer(sigmoid_derivative, z), s * (1 - s), {}, f"σ′(z) for z of shape {z.shape}")


@hidden(practice.check_dloss_da_hidden)
def check_dloss_da_hidden(dloss_da_hidden):
    gen = rng("dloss_da_hidden")
    for n_in, n_out in SHAPES:
        d, fp, W = gen.normal(size=n_out), gen.uniform(0.01, 0.25, size=n_out), gen.normal(size=(n_in, n_out))
        got = call_answer(dloss_da_hidden, d, fp, W)
        diagnose(got, W @ (d * fp), {}, f"∂L/∂a (n_in = {n_in}, n_out = {n_out})")


@hidden(practice.check_dloss_dx)
def check_dloss_dx(dloss_dx):
    gen = rng("dloss_dx")
    for n_0, n_1 in SHAPES:
        d = gen.normal(size=n_1)
        a1 = Sigmoid().forward(gen.normal(scale=5.0, size=n_1))  # some units close to 0 or 1
        W1 = gen.normal(size=(n_0, n_1))
        got = call_answer(dloss_dx, d, a1, W1)
        diagnose(got, W1 @ (d * a1 * (1 - a1)), {}, f"∂L/∂x (n_0 = {n_0}, n_1 = {n_1})")

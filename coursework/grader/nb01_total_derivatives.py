"""Hidden tests of notebook 01 (total derivatives): x far outside the practice range [−2, 2]
and at 0, π/2 and −π; a saturated neuron and one at z = 0."""

import math

import numpy as np

from backprop_course.exercises import call_answer, diagnose
from backprop_course.exercises import nb01_total_derivatives as practice

from . import hidden, rng


def _at_numbers(fun, *columns):
    """``fun`` called with plain floats, one row of ``columns`` at a time."""
    return np.array(
        [float(np.asarray(call_answer(fun, *map(float, row))).reshape(())) for row in zip(*columns)]
    )


@hidden(practice.check_total_derivative)
def check_total_derivative(dg_dx):
    x = np.concatenate([rng("total_derivative").uniform(-5.0, 5.0, 6), [0.0, math.pi / 2, -math.pi]])
    expected = -(x**2) * np.sin(x) + 2 * x * np.cos(x) + 2 * np.exp(-2 * x)
    diagnose(_at_numbers(dg_dx, x), expected, {}, "dg/dx at x from −5 to 5")


@hidden(practice.check_neuron_differential)
def check_neuron_differential(neuron_differential):
    gen = rng("neuron_differential")
    w, x = gen.normal(scale=3.0, size=(2, 6))
    b = np.append(gen.normal(size=5), -w[5] * x[5])  # the last neuron sits at z = 0
    w[0], x[0] = 4.0, 3.0  # z ≈ 12: saturated, tanh′ ≈ 1e-10
    dw, dx, db = gen.normal(scale=0.01, size=(3, 6))
    expected = (1 - np.tanh(w * x + b) ** 2) * (x * dw + w * dx + db)
    got = _at_numbers(neuron_differential, w, x, b, dw, dx, db)
    diagnose(got, expected, {}, "da (saturated units and z = 0 among them)")

"""Hidden tests of notebook 10 (autodiff): a node used three times, a long chain, broadcasting
and a matrix product used twice; logsumexp of one entry, of rows near ±1000 with ties, in a
graph that uses it three times (in two parts, as the practice check)."""

import numpy as np

from backprop_course.exercises import ExerciseFailed, call_answer, diagnose
from backprop_course.exercises import nb10_from_backprop_to_autodiff as practice
from backprop_lib import Softmax
from backprop_lib.autodiff import Value, topological_order
from backprop_lib.losses import logsumexp

from . import hidden, rng


def _graphs(gen):
    """Fresh graphs, each made twice from the same numbers: ``[(name, make)]``."""
    x0, M0, b0 = gen.normal(), gen.normal(size=(3, 3)), gen.normal(size=(1, 3))

    def three_uses():
        x = Value(x0, name="x")
        return x * x * x + x.tanh()

    def chain():
        out = Value(x0, name="x")
        for _ in range(12):
            out = (out * 0.9).tanh() + out * 0.1
        return out

    def matrices():
        M, b = Value(M0, name="M"), Value(b0, name="b")
        h = (M @ M + b).sigmoid()
        return (h @ M).sum() + (h * b).sum()

    return [("x used three times", three_uses), ("a chain of 12 steps", chain), ("matrices", matrices)]


@hidden(practice.check_backward_pass)
def check_backward_pass(backward_pass):
    for name, make in _graphs(rng("backward_pass")):
        order = topological_order(make())
        for node in order:
            node.grad = np.zeros_like(node.data)
        call_answer(backward_pass, order, returns=False)
        reference = topological_order(make())
        reference[-1].backward()
        got = [np.asarray(node.grad, dtype=float) for node in order]
        if any(g.shape != node.data.shape for g, node in zip(got, order)):
            raise ExerciseFailed(f"on the graph '{name}' a gradient does not have its node's shape")
        diagnose(
            np.concatenate([g.ravel() for g in got]),
            np.concatenate([node.grad.ravel() for node in reference]),
            {},
            f"on the graph '{name}', your walk",
        )


@hidden(practice.check_logsumexp_rows)
def check_logsumexp_rows(logsumexp_rows, part=None):
    gen = rng("logsumexp_rows")
    huge = gen.normal(size=(4, 3)) + np.array([1000.0, -1000.0, 0.0, -1000.0])[:, None]
    huge[0, :2] = huge[0].max()  # a tie for the maximum
    for z_data in (gen.normal(size=(1, 1)), huge):
        z = Value(z_data.copy(), name="z")
        out = call_answer(logsumexp_rows, z)
        if not isinstance(out, Value) or out.parents != (z,) or out.data.shape != (len(z_data), 1):
            raise ExerciseFailed(
                f"for z of shape {z_data.shape}: return one Value of shape (n, 1) made from z"
            )
        if part in (None, "value"):
            diagnose(out.data, logsumexp(z_data), {}, f"the value for z of shape {z_data.shape}")
        if part in (None, "vjp"):
            g = gen.normal(size=(len(z_data), 1))
            contributions = call_answer(out.vjp, g)
            if len(contributions) != 1:
                raise ExerciseFailed("vjp should return a tuple with one contribution, for the one parent z")
            diagnose(
                contributions[0], g * Softmax().forward(z_data), {}, f"vjp(g) for z of shape {z_data.shape}"
            )
    if part in (None, "vjp"):
        z_data = gen.normal(size=(2, 4))
        z = Value(z_data.copy(), name="z")
        out = call_answer(logsumexp_rows, z)
        (out * out * out).sum().backward()  # the engine adds three contributions of the learner's rule
        diagnose(z.grad, 3 * out.data**2 * Softmax().forward(z_data), {}, "∂L/∂z of L = Σ lse(z)³")

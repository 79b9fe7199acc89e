"""Exercise checks for notebook 10 (reverse-mode autodiff).

* ``check_backward_pass(f)``: ``f(order)`` receives the nodes of a graph in topological order
  (``backprop_lib.autodiff.topological_order``: parents first, the scalar output last) and
  fills every node's ``.grad`` by walking it backwards, *adding* each contribution
  ``node.vjp(node.grad)`` to the parents' ``.grad``.
* ``check_logsumexp_rows(f)``: ``f(z)`` with z a Value ``(n, K)`` returns a new Value
  ``(n, 1)``, log Σ_k e^{z_k} of each row, whose only parent is z and whose vjp is the
  learner's own: g ⊙ softmax(z). Checked on its value, its vjp for random upstream
  gradients, in a graph that uses it twice, and for rows near +1000 and rows near −1000 (no
  shift, and a shift by the maximum of the whole matrix instead of each row's, are told apart).
  Two parts for partial credit: ``value`` and ``vjp``.

The references are the library's own: ``Value.backward`` (the walk the exercise rebuilds, the
twin a learner's answer may not call, nor ``mlp_gradients``), and ``losses.logsumexp`` with the
softmax of ``Softmax`` (``losses.logsumexp`` is the twin of the value).
"""

import numpy as np

from backprop_lib import Softmax
from backprop_lib.autodiff import Value, topological_order
from backprop_lib.losses import logsumexp

from .answers import call_answer, diagnose
from .feedback import AUTOGRAD_TWINS, ExerciseFailed, exercise

ENGINE_TWINS = ["backprop_lib.autodiff.Value.backward", "backprop_lib.autodiff.mlp_gradients"]

# -- the backward walk --------------------------------------------------------------------


def _graphs(rng):
    """Fresh graphs in which some nodes are used more than once: ``[(output, nodes)]``."""
    x, y = Value(rng.normal(), name="x"), Value(rng.normal(), name="y")
    h = x * y
    scalar = h * h + x.exp() * y + x  # x, y and h are each used twice or more

    X = Value(rng.normal(size=(4, 3)), name="X")
    W = Value(rng.normal(size=(3, 2)), name="W")
    b = Value(rng.normal(size=(1, 2)), name="b")
    z = X @ W + b
    tensor = (z.tanh() * z).sum() + (W * W).sum() * 0.1  # z and W used twice
    return [scalar, tensor]


def _zero_grads(order):
    for node in order:
        node.grad = np.zeros_like(node.data)


def _overwriting_walk(order):
    """A typical wrong walk: each contribution replaces the parent's gradient."""
    order[-1].grad = np.ones_like(order[-1].data)
    for node in reversed(order):
        for parent, contribution in zip(node.parents, node.vjp(node.grad)):
            parent.grad = contribution


def _forward_walk(order):
    """A typical wrong walk: the nodes visited parents first."""
    order[-1].grad = np.ones_like(order[-1].data)
    for node in order:
        for parent, contribution in zip(node.parents, node.vjp(node.grad)):
            parent.grad = parent.grad + contribution


def _all_grads(order):
    return np.concatenate([np.ravel(node.grad) for node in order])


@exercise("backward pass", twins=ENGINE_TWINS, shortcut="walk the graph yourself, without .backward()")
def check_backward_pass(backward_pass, seed=0):
    n_graphs = len(_graphs(np.random.default_rng(seed)))
    for k in range(n_graphs):
        results = {}
        for variant, walk in {
            "learner": None,
            "overwrite": _overwriting_walk,
            "forward": _forward_walk,
            "unseeded": lambda order: None,  # nothing done: every gradient stays zero
        }.items():
            graph = _graphs(np.random.default_rng(seed))[k]  # the same numbers every time
            order = topological_order(graph)
            _zero_grads(order)
            if walk is None:
                call_answer(backward_pass, order, returns=False)
                for node in order:
                    if np.shape(node.grad) != node.data.shape:
                        raise ExerciseFailed(
                            f"a gradient has shape {np.shape(node.grad)}, expected {node.data.shape} "
                            "(each node's .grad has the shape of its .data)"
                        )
            else:
                walk(order)
            results[variant] = _all_grads(order)
        reference = topological_order(_graphs(np.random.default_rng(seed))[k])
        reference[-1].backward()  # the library's walk
        diagnose(
            results["learner"],
            _all_grads(reference),
            {
                "keeps only the last contribution for a node used twice: add each contribution "
                "(parent.grad += …), since the chain rule sums over paths": results["overwrite"],
                "walks the graph forwards: visit the nodes in reverse topological order "
                "(output first), so a node's gradient is complete before it is passed on": results["forward"],
                "leaves every gradient at zero: start from ∂L/∂L = 1 on the output "
                "(order[-1].grad = 1)": results["unseeded"],
            },
            what="on the " + ("scalar" if k == 0 else "tensor") + " graph, your walk",
        )


# -- a new operation: logsumexp along rows ------------------------------------------------


_softmax = Softmax().forward  # row by row, the library's


def _node_of(logsumexp_rows, z, what):
    """The learner's node for z, checked to be one Value made from z with a rule of its own."""
    out = call_answer(logsumexp_rows, z)
    if not isinstance(out, Value):
        raise ExerciseFailed(f"{what}: return a Value, got {type(out).__name__}")
    if out.parents != (z,):
        raise ExerciseFailed(
            f"{what}: the result should be one node whose only parent is z, with your own vjp; "
            "composing exp, sum and log from the engine lets autodiff do the work the exercise asks "
            "for (and its ÷ by Σ e^z overflows where a fused rule does not)"
        )
    return out


def _huge_rows(rng, n_rows=4, K=5):
    """Entries near +1000 in the even rows and near −1000 in the odd ones."""
    return rng.normal(0.0, 3.0, (n_rows, K)) + np.where(np.arange(n_rows) % 2 == 0, 1000.0, -1000.0)[:, None]


def _overflow(values, z_data, what):
    """A named mistake if ``values`` (one row per row of z) has NaN or inf, else None."""
    broken = ~np.isfinite(values).reshape(len(z_data), -1).all(axis=1)
    if not broken.any():
        return None
    if broken[z_data.max(axis=1) > 0].any():
        return (
            f"{what} gives NaN or inf in rows near +1000: e^1000 overflows. Use "
            "log Σ e^{z_k} = m + log Σ e^{z_k − m} with m the row's maximum, and e^{z_k − lse} "
            "for the softmax"
        )
    return (
        f"{what} gives NaN or inf in rows near −1000, though not in the rows near +1000: it takes "
        "out the maximum of the whole array, which leaves e^(−2000) = 0 for every entry of those "
        "rows. Take out each row's own maximum, z.max(axis=1, keepdims=True)"
    )


def _contribution(out, g, what):
    """The learner's vjp of ``out`` for the upstream gradient ``g``: its one contribution."""
    contributions = call_answer(out.vjp, g)
    if len(contributions) != 1:
        raise ExerciseFailed(
            f"vjp {what} returned {len(contributions)} contributions: return a tuple with one, "
            "for the one parent z, e.g. (dz,)"
        )
    return contributions[0]


@exercise(
    "logsumexp's vector-Jacobian product",
    twins=["backprop_lib.losses.logsumexp", "backprop_lib.autodiff.Value.backward", *AUTOGRAD_TWINS],
    shortcut="compute the value and derive its rule yourself",
    parts=("value", "vjp"),
)
def check_logsumexp_rows(logsumexp_rows, seed=0, part=None):
    rng = np.random.default_rng(seed)
    for n, K in ((3, 4), (1, 6), (5, 2), (4, 7)):
        z_data = rng.normal(0.0, 2.0, (n, K))
        z = Value(z_data.copy(), name="z")
        what = f"for z of shape ({n}, {K})"
        out = _node_of(logsumexp_rows, z, what)
        if out.data.shape == (n, K):
            raise ExerciseFailed(
                f"the value {what} has one entry per element: sum over each row (axis 1) and keep a "
                "column, shape (n, 1)"
            )
        if out.data.shape == (1, K):
            raise ExerciseFailed(
                f"the value {what} has shape (1, {K}): it sums down each column (axis 0), over the "
                "samples. Each row has its own log Σ_k e^{z_k}: sum along axis 1, shape (n, 1)"
            )
        if out.data.shape == (n,):
            raise ExerciseFailed(
                f"the value {what} has shape ({n},): keep the summed axis (keepdims=True), so that the "
                "result is a column (n, 1) that broadcasts against z"
            )
        if part in (None, "value"):
            diagnose(out.data, logsumexp(z_data), {}, what=f"the value {what}")
        if part in (None, "vjp"):
            g = rng.normal(0.0, 1.0, (n, 1))  # an upstream gradient ∂L/∂out, the shape of out
            soft = _softmax(z_data)
            diagnose(
                _contribution(out, g, what),
                g * soft,
                {
                    "is g copied to every entry — the rule of a plain sum; but ∂/∂z_k log Σ e^z = "
                    "e^{z_k} / Σ e^z, the softmax": np.broadcast_to(g, (n, K)),
                    "is the softmax without g: multiply by the upstream gradient g = ∂L/∂out, "
                    "one number per row": soft,
                    "is g ⊙ e^z: the derivative of the log divides by Σ_k e^{z_k}": g * np.exp(z_data),
                    "is g ⊙ e^z / Σ over the whole array: normalise each row by its own sum": g
                    * np.exp(z_data)
                    / np.exp(z_data).sum(),
                    "normalises down each column (axis 0, over the samples): each row's softmax is "
                    "e^{z_k} over its own row's Σ e^z (axis 1)": g * _softmax(z_data.T).T,
                },
                what=f"vjp(g) {what}",
            )
    z_data = _huge_rows(rng)
    z = Value(z_data.copy(), name="z")
    out = _node_of(logsumexp_rows, z, "for rows near ±1000")
    if part in (None, "value"):
        problem = _overflow(out.data, z_data, "the value")
        if problem:
            raise ExerciseFailed(problem)
        diagnose(out.data, logsumexp(z_data), {}, what="the value for rows near ±1000")
    if part in (None, "vjp"):
        dz = _contribution(out, np.ones((len(z_data), 1)), "for rows near ±1000")
        problem = _overflow(dz, z_data, "vjp(1)")
        if problem:
            raise ExerciseFailed(problem)
        diagnose(dz, _softmax(z_data), {}, what="vjp(1) for rows near ±1000")
        # In a graph that uses the node twice: the engine adds the two contributions of its vjp.
        z_data = rng.normal(0.0, 1.0, (3, 5))
        R = rng.normal(0.0, 1.0, (3, 1))
        z = Value(z_data.copy(), name="z")
        out = _node_of(logsumexp_rows, z, "in a graph")
        L = (out * R).sum() + (out * out).sum()
        L.backward()  # the engine's walk; it calls the learner's vjp, which is all that is judged
        diagnose(
            z.grad,
            (R + 2 * out.data) * _softmax(z_data),
            {},
            what="∂L/∂z of L = Σ R ⊙ lse(z) + Σ lse(z)²",
        )

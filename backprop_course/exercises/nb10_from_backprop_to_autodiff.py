"""Exercise checks for notebook 10 (reverse-mode autodiff).

* ``check_backward_pass(f)``: ``f(order)`` receives the nodes of a graph in topological order
  (``backprop_lib.autodiff.topological_order``: parents first, the scalar output last) and
  fills every node's ``.grad`` by walking it backwards, *adding* each contribution
  ``node.vjp(node.grad)`` to the parents' ``.grad``.
* ``check_logsumexp_rows(f)``: ``f(z)`` with z a Value ``(n, K)`` returns a new Value
  ``(n, 1)``, log Σ_k e^{z_k} of each row, whose only parent is z and whose vjp is the
  learner's own: g ⊙ softmax(z). Checked on its value, its vjp for random upstream
  gradients, in a graph that uses it twice, and for entries near 1000.
"""

import numpy as np

from backprop_lib.autodiff import Value, topological_order

from .feedback import ExerciseFailed, diagnose, exercise

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


def _walk(order, accumulate=True, reverse=True, seed_output=True):
    """The reference walk and, with a flag switched off, the typical wrong ones."""
    for node in order:
        node.grad = np.zeros_like(node.data)
    if seed_output:
        order[-1].grad = np.ones_like(order[-1].data)
    for node in reversed(order) if reverse else order:
        for parent, contribution in zip(node.parents, node.vjp(node.grad)):
            parent.grad = parent.grad + contribution if accumulate else contribution


def _all_grads(order):
    return np.concatenate([np.ravel(node.grad) for node in order])


@exercise("backward pass")
def check_backward_pass(backward_pass, seed=0):
    n_graphs = len(_graphs(np.random.default_rng(seed)))
    for k in range(n_graphs):
        results = {}
        for variant, flags in {
            "learner": None,
            "expected": {},
            "overwrite": {"accumulate": False},
            "forward": {"reverse": False},
            "unseeded": {"seed_output": False},
        }.items():
            graph = _graphs(np.random.default_rng(seed))[k]  # the same numbers every time
            order = topological_order(graph)
            if flags is None:
                backward_pass(order)
                for node in order:
                    if np.shape(node.grad) != node.data.shape:
                        raise ExerciseFailed(
                            f"a gradient has shape {np.shape(node.grad)}, expected {node.data.shape} "
                            "(each node's .grad has the shape of its .data)"
                        )
            else:
                _walk(order, **flags)
            results[variant] = _all_grads(order)
        diagnose(
            results["learner"],
            results["expected"],
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


def _logsumexp(z):
    m = z.max(axis=1, keepdims=True)
    return m + np.log(np.exp(z - m).sum(axis=1, keepdims=True))


def _softmax(z):
    return np.exp(z - _logsumexp(z))


def _node_of(logsumexp_rows, z, what):
    """The learner's node for z, checked to be one Value made from z with a rule of its own."""
    with np.errstate(all="ignore"):  # an overflow is reported below, as a named mistake
        out = logsumexp_rows(z)
    if not isinstance(out, Value):
        raise ExerciseFailed(f"{what}: return a Value, got {type(out).__name__}")
    if out.parents != (z,):
        raise ExerciseFailed(
            f"{what}: the result should be one node whose only parent is z, with your own vjp; "
            "composing exp, sum and log from the engine lets autodiff do the work the exercise asks "
            "for (and its ÷ by Σ e^z overflows where a fused rule does not)"
        )
    return out


@exercise("logsumexp's vector-Jacobian product")
def check_logsumexp_rows(logsumexp_rows, seed=0):
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
        if out.data.shape == (n,):
            raise ExerciseFailed(
                f"the value {what} has shape ({n},): keep the summed axis (keepdims=True), so that the "
                "result is a column (n, 1) that broadcasts against z"
            )
        diagnose(out.data, _logsumexp(z_data), {}, what=f"the value {what}")
        g = rng.normal(0.0, 1.0, (n, 1))  # an upstream gradient ∂L/∂out, the shape of out
        with np.errstate(all="ignore"):
            contributions = out.vjp(g)
        if len(contributions) != 1:
            raise ExerciseFailed(
                f"vjp {what} returned {len(contributions)} contributions: return a tuple with one, "
                "for the one parent z, e.g. (dz,)"
            )
        soft = _softmax(z_data)
        diagnose(
            contributions[0],
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
            },
            what=f"vjp(g) {what}",
        )
    # In a graph that uses the node twice: the engine adds the two contributions of its vjp.
    z_data = rng.normal(0.0, 1.0, (3, 5))
    R = rng.normal(0.0, 1.0, (3, 1))
    z = Value(z_data.copy(), name="z")
    out = _node_of(logsumexp_rows, z, "in a graph")
    L = (out * R).sum() + (out * out).sum()
    L.backward()
    lse = _logsumexp(z_data)
    diagnose(z.grad, (R + 2 * lse) * _softmax(z_data), {}, what="∂L/∂z of L = Σ R ⊙ lse(z) + Σ lse(z)²")
    # Huge entries: e^1000 overflows unless the row maximum is taken out first.
    z_data = rng.normal(0.0, 1.0, (2, 4))
    z_data[:, 1] = 1000.0
    z = Value(z_data.copy(), name="z")
    out = _node_of(logsumexp_rows, z, "for entries near 1000")
    with np.errstate(all="ignore"):
        dz = out.vjp(np.ones((2, 1)))[0]
    if not (np.isfinite(out.data).all() and np.isfinite(dz).all()):
        raise ExerciseFailed(
            "gives NaN or inf for entries near 1000: e^1000 overflows. Use "
            "log Σ e^{z_k} = m + log Σ e^{z_k − m} with m the row's maximum, and e^{z_k − lse} "
            "for the softmax"
        )
    diagnose(out.data, _logsumexp(z_data), {}, what="the value for entries near 1000")
    diagnose(dz, _softmax(z_data), {}, what="vjp(1) for entries near 1000")

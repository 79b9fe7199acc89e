"""Exercise checks for notebook 10 (reverse-mode autodiff).

* ``check_backward_pass(f)``: ``f(order)`` receives the nodes of a graph in topological order
  (``backprop_lib.autodiff.topological_order``: parents first, the scalar output last) and
  fills every node's ``.grad`` by walking it backwards, *adding* each contribution
  ``node.vjp(node.grad)`` to the parents' ``.grad``.
* ``check_matmul_backward(f)``: ``f(A, B, G)`` with C = A B, A ``(n, k)``, B ``(k, m)`` and
  G = ∂L/∂C ``(n, m)`` returns ``(dA, dB) = (G Bᵀ, Aᵀ G)``.
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


# -- the matrix-product rule ---------------------------------------------------------------


def _as_pair(out, what):
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise ExerciseFailed(f"{what}: return a pair (dA, dB), got {type(out).__name__}")
    return out


@exercise("matmul backward")
def check_matmul_backward(matmul_backward, seed=0):
    rng = np.random.default_rng(seed)
    # Square matrices first: every wrong formula has the right shape and can be named.
    A, B, G = (rng.normal(size=(3, 3)) for _ in range(3))
    dA, dB = _as_pair(matmul_backward(A.copy(), B.copy(), G.copy()), "matmul_backward")
    if np.allclose(dA, A.T @ G) and np.allclose(dB, G @ B.T):
        raise ExerciseFailed("returns (dB, dA): the first result should be ∂L/∂A = G Bᵀ")
    diagnose(
        dA,
        G @ B.T,
        {
            "is G B: the transpose of B is missing (∂L/∂A = G Bᵀ)": G @ B,
            "is Bᵀ G: the operands are swapped (∂L/∂A = G Bᵀ, G on the left)": B.T @ G,
            "is G ⊙ B, an elementwise product: a matrix product needs G Bᵀ": G * B,
        },
        what="dA",
    )
    diagnose(
        dB,
        A.T @ G,
        {
            "is A G: the transpose of A is missing (∂L/∂B = Aᵀ G)": A @ G,
            "is G Aᵀ: the operands are swapped (∂L/∂B = Aᵀ G, Aᵀ on the left)": G @ A.T,
            "is A ⊙ G, an elementwise product: a matrix product needs Aᵀ G": A * G,
        },
        what="dB",
    )
    # Then rectangular shapes, where a missing transpose cannot hide.
    for n, k, m in ((2, 3, 4), (5, 1, 2), (1, 4, 3), (6, 2, 1)):
        A, B, G = rng.normal(size=(n, k)), rng.normal(size=(k, m)), rng.normal(size=(n, m))
        try:
            dA, dB = _as_pair(matmul_backward(A.copy(), B.copy(), G.copy()), "matmul_backward")
        except ValueError as err:
            raise ExerciseFailed(
                f"fails for A {A.shape}, B {B.shape}, G {G.shape} ({err}): check the transposes — "
                "dA must have A's shape (n, k) and dB B's shape (k, m)"
            ) from None
        diagnose(dA, G @ B.T, {}, what=f"dA for A {A.shape}, B {B.shape}")
        diagnose(dB, A.T @ G, {}, what=f"dB for A {A.shape}, B {B.shape}")

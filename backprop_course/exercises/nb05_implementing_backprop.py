"""Exercise checks for notebook 05 (implementing back-propagation).

* ``check_backward_pass(f)`` — ``f(y, layers) -> [(dW, db), ...]``: the whole backward pass of a
  network with a tanh output under L = (1/2n) Σ_s Σ_i (y_si − ŷ_si)², assembled from the four
  formulas of 04. The output layer's ∂L/∂ŷ of this loss (with its ½) is the learner's own
  derivation. Each layer is given as the dict ``{"a_prev", "z", "a", "W", "fprime"}`` of its
  forward pass, layer 1 first. Two parts, for partial credit: ``output`` (the last layer's dW
  and db: ∂L/∂ŷ, tanh′, the layer formulas) and ``hidden`` (the layers below it: the
  propagation, judged on the learner's own output gradient, so that a wrong scale of ∂L/∂ŷ,
  which every layer inherits, costs only the output part).
* ``check_central_difference(f)`` — ``f(loss, x, eps) -> gradient``, the numerical gradient of a
  scalar function of an array by central differences.

The reference gradients come from ``backprop_lib``'s own backward pass on the same network
(its loss the library's squared error halved), and the named mistakes from that pass with one
step changed: ∂L/∂ŷ without the ½ or without the 1/n or with the wrong sign, tanh′ forgotten at
the output, f′ forgotten in the hidden layers. The library's backward passes (and its numerical
and automatic derivatives) are the twins a learner's answer may not call.
"""

import copy

import numpy as np

from backprop_lib import MLP, Loss, MeanSquaredError, numerical_gradient

from .answers import call_answer, diagnose, results
from .feedback import AUTODIFF_TWINS, NUMERICAL_TWINS, ExerciseFailed, exercise

BACKWARD_TWINS = [
    "backprop_lib.layer.Dense.backward",
    "backprop_lib.layer.Dense.backward_from_dz",
    "backprop_lib.mlp.MLP.backward",
    "backprop_lib.loops.backward_by_loops",
    "backprop_lib.loops.gradients_by_loops",
    "backprop_lib.autodiff.mlp_gradients",
    *AUTODIFF_TWINS,
    "backprop_lib.losses.MeanSquaredError.gradient",
    *NUMERICAL_TWINS,
]


class HalfSquaredError(Loss):
    """L = (1/2n) Σ_s Σ_i (y_si − ŷ_si)²: the library's squared error (no ½) halved."""

    name = "half squared error"

    def value(self, y, yhat):
        return MeanSquaredError().value(y, yhat) / 2

    def gradient(self, y, yhat):
        return MeanSquaredError().gradient(y, yhat) / 2


# (layer sizes, activations, batch size): every n differs from the widths, so a transpose or a
# sum over the wrong axis shows in a shape; the last case has a square layer.
_NETWORKS = [
    ([3, 4, 2], ["sigmoid", "tanh"], 5),
    ([2, 5, 3, 4], ["relu", "sigmoid", "tanh"], 6),
    ([4, 3, 3, 2], ["tanh", "tanh", "tanh"], 7),
]


def _case(sizes, activations, n, rng):
    """A network with the check's loss after ``forward`` and ``backward`` on a random batch."""
    net = MLP(sizes, activations, loss=HalfSquaredError(), seed=int(rng.integers(10_000)))
    X = rng.normal(size=(n, sizes[0]))
    y = rng.uniform(-0.9, 0.9, size=(n, sizes[-1]))
    net.forward(X)
    net.backward(y)
    return net, y


def _chain(net, da, output_fprime=True, hidden_fprime=True):
    """``[(dW, db)]``, layer 1 first: the library's backward pass from the output's ``da``,
    optionally skipping f′ (``backward_from_dz`` with dz = da) at the output or below it."""
    layers = copy.deepcopy(net.layers)
    grads = []
    for k in range(len(layers), 0, -1):
        layer = layers[k - 1]
        with_fprime = output_fprime if k == len(layers) else hidden_fprime
        step = layer.backward if with_fprime else layer.backward_from_dz
        da = step(da, first=k == 1)
        grads.append((layer.dW, layer.db))
    return grads[::-1]


def _flat(grads):
    return np.concatenate([np.ravel(g) for pair in grads for g in pair])


def _shape_problem(k, dW, db, layer, n):
    """A named mistake if layer k's dW or db has the wrong shape, else None."""
    n_in, n_out = layer.W.shape
    if dW.shape == (n_out, n_out) and n_out != n_in:
        return (
            f"dW of layer {k} has shape {dW.shape} = (n_k, n_k): it pairs dz with the layer's own "
            f"output a({k}). The weights multiply the layer's input: dW = a({k - 1})ᵀ dz (erratum 2)."
        )
    if dW.shape == (n_out, n_in) and n_out != n_in:
        return (
            f"dW of layer {k} has shape {dW.shape}, W has {layer.W.shape}: a missing transpose, "
            "dW = a_prevᵀ dz."
        )
    if dW.shape != (n_in, n_out):
        return f"dW of layer {k} has shape {dW.shape}, expected W's shape {layer.W.shape}."
    if db.shape == (n_out,):
        return (
            f"db of layer {k} has shape ({n_out},): keep b's shape (1, {n_out}), "
            "dz.sum(axis=0, keepdims=True)."
        )
    if db.shape == (n, n_out):
        return f"db of layer {k} has one row per sample, {db.shape}: sum dz over the batch (axis=0)."
    if db.shape != (1, n_out):
        return f"db of layer {k} has shape {db.shape}, expected b's shape (1, {n_out}): sum dz over the rows."
    return None


def output_scale(output_grads, output_layer):
    """c with the learner's ``(dW, db)`` of the output layer = c·(the layer's own dW, db): a wrong
    ∂L/∂ŷ scales every gradient by one number. 1 if they are not multiples of each other."""
    got, expected = _flat([output_grads]), _flat([(output_layer.dW, output_layer.db)])
    if got.shape != expected.shape:
        return 1.0
    c = float(np.dot(got, expected) / np.dot(expected, expected))
    return c if np.allclose(got, c * expected, rtol=1e-6, atol=1e-9) else 1.0


def given_layers(net):
    """What the learner's function receives: each layer's forward values and f′."""
    return [
        {
            "a_prev": layer.a_prev.copy(),
            "z": layer.z.copy(),
            "a": layer.a.copy(),
            "W": layer.W.copy(),
            "fprime": layer.activation.derivative,
        }
        for layer in net.layers
    ]


@exercise(
    "the whole backward pass",
    twins=BACKWARD_TWINS,
    shortcut="assemble it from the four formulas yourself",
    parts=("output", "hidden"),
)
def check_backward_pass(backward_pass, seed=0, part=None):
    """``backward_pass(y, layers)`` -> ``[(dW, db)]`` for every layer, layer 1 first."""
    rng = np.random.default_rng(seed)
    for sizes, activations, n in _NETWORKS:
        net, y = _case(sizes, activations, n, rng)
        out = call_answer(
            backward_pass, y, given_layers(net), shapes=f"layer sizes {sizes}, a batch of n = {n} rows"
        )
        K = len(net.layers)
        if not isinstance(out, (list, tuple)) or len(out) != K:
            got = type(out).__name__ + (f" of length {len(out)}" if isinstance(out, (list, tuple)) else "")
            raise ExerciseFailed(f"should return a list of {K} pairs (dW, db), one per layer, got {got}")
        grads = [results(pair, ("dW", "db")) for pair in out]
        right = [(layer.dW, layer.db) for layer in net.layers]
        if K > 1 and all(dW.shape == W.shape for (dW, _), (W, _) in zip(grads[::-1], right)):
            if not all(dW.shape == W.shape for (dW, _), (W, _) in zip(grads, right)):
                raise ExerciseFailed(
                    "returns the layers last-first: back-propagation finds them from the output "
                    "down, but the list should start with layer 1 (reverse it before returning)."
                )
        for k, ((dW, db), layer) in enumerate(zip(grads, net.layers), start=1):
            problem = _shape_problem(k, dW, db, layer, n)
            if problem:
                raise ExerciseFailed(problem)
        da = net.loss_fn.gradient(y, net.layers[-1].a)
        scaled = {  # a wrong ∂L/∂ŷ: every gradient off by the same number
            "2× too large: the ½ of this loss cancels the 2 of the square, so ∂L/∂ŷ = "
            "(ŷ − y)/n, not 2(ŷ − y)/n.": 2,
            "n× too large: the loss is a mean over the n samples, so ∂L/∂ŷ carries 1/n.": n,
            "2n× too large: ∂L/∂ŷ of this loss is (ŷ − y)/n, with the ½ and the 1/n.": 2 * n,
            "of the wrong sign: ∂L/∂ŷ = (ŷ − y)/n; ∂/∂ŷ of (y − ŷ)² brings a −1.": -1,
        }
        wrong_passes = {text: [(c * dW, c * db) for dW, db in right] for text, c in scaled.items()}
        if part == "hidden":  # judged on the learner's own output scale: those cost the output part
            wrong_passes = {}
        wrong_passes |= {
            "without tanh′ at the output: dz(K) = ∂L/∂ŷ ⊙ (1 − ŷ²), since ŷ = tanh(z(K)).": _chain(
                net, da, output_fprime=False
            ),
            "without f′ in the hidden layers: every layer needs dz = da ⊙ f′(z) before dW, db and "
            "da_prev, not only the output layer.": _chain(net, da, hidden_fprime=False),
        }
        if part is None:
            got = _flat(grads)
            if np.allclose(got, _flat(right), rtol=1e-6, atol=1e-9):
                continue
            for text, wrong in wrong_passes.items():
                if np.allclose(got, _flat(wrong), rtol=1e-6, atol=1e-9):
                    raise ExerciseFailed(f"the gradients (every dW and db) are {text}")
        judged = {"output": [K], "hidden": range(1, K)}.get(part, range(1, K + 1))
        c = output_scale(grads[-1], net.layers[-1]) if part == "hidden" else 1.0
        inputs = {"layer sizes": sizes, "activations": activations, "n": n, "y": y}
        for k in sorted(judged, reverse=True):  # from the output down: the first layer that is off
            (dW, db), (dW_right, db_right) = grads[k - 1], right[k - 1]
            named = {f"is {text}": wrong[k - 1] for text, wrong in wrong_passes.items()}
            mean = "is averaged over the batch: dz already carries the 1/n of the mean, so sum the rows"
            diagnose(
                dW,
                c * dW_right,
                {
                    **{t: c * wrong[0] for t, wrong in named.items()},
                    mean + " (dW = a_prevᵀ dz).": c * dW_right / n,
                    "is transposed: dW = a_prevᵀ dz has W's shape (n_(k-1), n_k); a square layer "
                    "hides the shape, not the values.": c * dW_right.T,
                },
                f"dW of layer {k}",
                inputs,
            )
            diagnose(
                db,
                c * db_right,
                {
                    **{t: c * wrong[1] for t, wrong in named.items()},
                    mean + " (the original's erratum 5).": c * db_right / n,
                },
                f"db of layer {k}",
                inputs,
            )


def _reference_central(loss, x, eps):
    x = np.array(x, dtype=float)
    return numerical_gradient(lambda: loss(x), x, eps)


def _one_sided(loss, x, eps, forward=True):
    grad = np.zeros_like(x)
    base = loss(x)
    for idx in np.ndindex(x.shape):
        moved = x.copy()
        moved[idx] += eps if forward else -eps
        grad[idx] = (loss(moved) - base) / eps if forward else (base - loss(moved)) / eps
    return grad


def _test_function(c):
    """A smooth function of an array shaped like ``c``: Σ c·sin(v)·v² + (Σ v)²."""

    def loss(v):
        return float(np.sum(c * np.sin(v) * v**2) + np.sum(v) ** 2)

    return loss


@exercise("central differences", twins=NUMERICAL_TWINS, shortcut="write the central difference yourself")
def check_central_difference(central_difference, seed=0):
    """``central_difference(loss, x, eps)``: (loss(x + ε e_i) − loss(x − ε e_i)) / 2ε per entry."""
    rng = np.random.default_rng(seed)
    eps = 1e-3  # large enough that one-sided differences are visibly worse
    for shape in [(3,), (2, 3), (4, 1)]:
        x = rng.normal(size=shape)
        loss = _test_function(rng.normal(size=shape))
        x_before = x.copy()
        got = call_answer(central_difference, loss, x, eps, copies=False)  # x itself: was it changed?
        if not np.array_equal(x, x_before):
            raise ExerciseFailed(
                "changed x itself: perturb a copy (or restore each entry) "
                "so the caller's array is left as it was"
            )
        central = _reference_central(loss, x, eps)
        diagnose(
            got,
            central,
            {
                "is a forward difference (f(x+ε) − f(x))/ε: its error shrinks like ε, the "
                "central difference's like ε²": _one_sided(loss, x, eps, forward=True),
                "is a backward difference (f(x) − f(x−ε))/ε: use both sides, "
                "(f(x+ε) − f(x−ε))/2ε": _one_sided(loss, x, eps, forward=False),
                "is 2× too large: the two points are 2ε apart, divide by 2ε": 2 * central,
                "has the wrong sign: f(x+ε) comes first": -central,
            },
            f"the gradient for x of shape {shape}",
            {"x": x, "eps": eps},
            rtol=1e-7,
            atol=1e-10,
        )

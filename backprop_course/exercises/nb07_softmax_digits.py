"""Exercise checks for notebook 07 (softmax and categorical cross-entropy).

* ``check_softmax_backward(f)``: ``f(da, a)`` with a = softmax(z) and any upstream gradient
  da = ∂L/∂a, both ``(n, K)``, returns dz = ∂L/∂z ``(n, K)``: row by row the product of da
  with the softmax Jacobian, dz_k = a_k (da_k − Σ_i da_i a_i), *without* forming the K × K
  Jacobian (a large K case measures the memory the answer allocates).
* ``check_weighted_ce_gradient(f)``: ``f(Z, Y, c)`` with logits Z, one-hot Y ``(n, K)`` and
  class weights c ``(K,)`` returns ∂L/∂Z of L = −(1/n) Σ_s Σ_i c_i y_si log softmax(z_s)_i,
  which is w_s (ŷ_s − y_s) / n with w_s = c of sample s's class.

Both run on random inputs of several shapes (n ≠ K, so a wrong axis shows), with upstream
gradients and weights that are not special, then on huge logits: rows whose logits lie near
+1000 and rows near −1000, so that no shift and a shift by the maximum of the whole matrix
(rather than each row's) are told apart. The references: the explicit Jacobian product (the
formula of the notebook's section 2), and the library's autodiff engine on the weighted loss
written from log-sum-exp. The library's softmax and cross-entropy gradients, its backward
passes, its numerical derivatives and the engine are the twins a learner's answer may not call.
"""

import tracemalloc

import numpy as np

from backprop_lib import Softmax
from backprop_lib.autodiff import Value

from .answers import call_answer, diagnose
from .feedback import DERIVATIVE_TWINS, ExerciseFailed, exercise

BACKWARD_TWINS = [*DERIVATIVE_TWINS, "backprop_lib.mlp.MLP.backward", "backprop_lib.layer.Dense.backward"]
SOFTMAX_TWINS = ["backprop_lib.activations.Softmax.backward", "backprop_lib.activations.Softmax.jacobian"]
CE_TWINS = [
    "backprop_lib.losses.CategoricalCrossEntropy.fused_dz",
    "backprop_lib.losses.CategoricalCrossEntropy.gradient",
]

SHAPES = ((4, 3), (7, 10), (1, 5), (6, 2))
MEMORY_K, MEMORY_N = 1500, 4  # a K × K float64 Jacobian is 18 MB; the answer needs ~50 kB
MEMORY_LIMIT = 4e6  # bytes of peak allocation that no J-free answer comes near


_softmax = Softmax().forward  # row by row, the library's


def _peak_memory(f, *args):
    """``(call_answer(f, *args), peak bytes allocated while it ran)``, measured by tracemalloc."""
    was_tracing = tracemalloc.is_tracing()
    if was_tracing:
        tracemalloc.reset_peak()
    else:
        tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        out = call_answer(f, *args, copies=False)
        return out, tracemalloc.get_traced_memory()[1] - baseline
    finally:
        if not was_tracing:
            tracemalloc.stop()


def _jacobian_product(da, a):
    """Reference: each row of da times that row's Jacobian diag(a) − aaᵀ, formed explicitly."""
    J = np.einsum("nk,ik->nik", a, np.eye(a.shape[1])) - np.einsum("ni,nk->nik", a, a)
    return np.einsum("ni,nik->nk", da, J)


@exercise(
    "softmax backward without the Jacobian",
    twins=SOFTMAX_TWINS + BACKWARD_TWINS,
    shortcut="derive the J-free formula and write it yourself",
)
def check_softmax_backward(softmax_backward, seed=0):
    rng = np.random.default_rng(seed)
    for n, K in SHAPES:
        a = _softmax(rng.normal(0.0, 2.0, (n, K)))
        da = rng.normal(0.0, 1.0, (n, K))
        expected = _jacobian_product(da, a)
        got = call_answer(softmax_backward, da, a)
        inner = (da * a).sum(axis=1, keepdims=True)
        diagnose(
            got,
            expected,
            {
                "is da ⊙ a(1 − a): that treats softmax as elementwise like σ; every a_k also "
                "depends on the other logits, which adds −a_k Σ_i da_i a_i": da * a * (1 - a),
                "has the sum without the weights a_i: it is Σ_i da_i a_i, since J_ik = a_i(δ_ik − a_k) "
                "carries a_i": a * (da - da.sum(axis=1, keepdims=True)),
                "sums over the batch (axis 0): each sample has its own Jacobian, so Σ_i da_i a_i "
                "runs along the row (axis 1)": a * (da - (da * a).sum(axis=0, keepdims=True)),
                "has the wrong sign: dz_k = a_k (da_k − Σ_i da_i a_i)": a * (inner - da),
                "is missing the factor a_k in front: dz_k = a_k (da_k − Σ_i da_i a_i)": da - inner,
                "is ŷ − y-like: a − da holds only for cross-entropy's da = −y/ŷ (and with 1/n); "
                "here da is any upstream gradient": a - da,
            },
            what=f"dz for n = {n}, K = {K}",
        )
    # Huge logits: a is exactly one-hot in float64, and the answer must stay finite.
    Z = rng.normal(0.0, 1.0, (3, 4)) * 800.0
    a, da = _softmax(Z), rng.normal(0.0, 1.0, (3, 4))
    diagnose(
        call_answer(softmax_backward, da, a),
        _jacobian_product(da, a),
        {},
        what="dz for a one-hot a",
    )
    # Large K: the Jacobian of one sample alone would be K² numbers.
    a = _softmax(rng.normal(0.0, 1.0, (MEMORY_N, MEMORY_K)))
    da = rng.normal(0.0, 1.0, (MEMORY_N, MEMORY_K))
    got, peak = _peak_memory(softmax_backward, da.copy(), a.copy())
    if peak > MEMORY_LIMIT:
        raise ExerciseFailed(
            f"forms the K × K Jacobian: for K = {MEMORY_K} your function allocated {peak / 1e6:.0f} MB at "
            f"its peak, while da and a hold {2 * da.nbytes / 1e6:.2f} MB. Expand Σ_i da_i J_ik into "
            "a_k (da_k − Σ_i da_i a_i): one inner product per row, no K × K matrix"
        )
    expected = Softmax().backward(da, None, a)  # the library's rule (a twin the check itself may run)
    diagnose(got, expected, {}, what=f"dz for n = {MEMORY_N}, K = {MEMORY_K}")


def _weighted_ce_gradient(Z, Y, c):
    """∂L/∂Z of L = (1/n) Σ_s Σ_i c_i y_si (logsumexp(z_s) − z_si), by the autodiff engine;
    −log softmax(z)_i = logsumexp(z) − z_i, computed with each row's maximum taken out."""
    z = Value(Z)
    shift = Value(Z.max(axis=1, keepdims=True))
    lse = (z - shift).exp().sum(axis=1, keepdims=True).log() + shift
    (((lse - z) * (Y * c)).sum() / len(Z)).backward()
    return z.grad


def _huge_logits(rng, n_rows=4, K=5):
    """Logits near +1000 in the even rows and near −1000 in the odd ones, with one-hot targets."""
    Z = rng.normal(0.0, 3.0, (n_rows, K)) + np.where(np.arange(n_rows) % 2 == 0, 1000.0, -1000.0)[:, None]
    return Z, np.eye(K)[rng.integers(0, K, n_rows)], rng.uniform(0.3, 3.0, K)


def _overflow(got, Z):
    """A named mistake if ``got`` has NaN or inf in the rows of huge logits, else None."""
    broken = ~np.isfinite(got).all(axis=1)
    if not broken.any():
        return None
    high = Z.max(axis=1) > 0
    if broken[high].any():
        return (
            "∂L/∂Z contains NaN or inf in rows whose logits are near +1000: e^1000 overflows. "
            "Subtract each row's max(z) before exponentiating — softmax(z − c) = softmax(z)"
        )
    return (
        "∂L/∂Z contains NaN or inf in rows whose logits are near −1000, though not in the rows "
        "near +1000: it subtracts the maximum of the whole matrix, which leaves e^(−2000) = 0 "
        "in every entry of those rows (0/0). Subtract each row's own maximum, "
        "Z.max(axis=1, keepdims=True)"
    )


@exercise(
    "class-weighted cross-entropy gradient",
    twins=CE_TWINS + SOFTMAX_TWINS + BACKWARD_TWINS,
    shortcut="derive ∂L/∂Z of the weighted loss yourself",
)
def check_weighted_ce_gradient(weighted_ce_gradient, seed=0):
    rng = np.random.default_rng(seed)
    for n, K in SHAPES:
        Z = rng.normal(0.0, 2.0, (n, K))
        labels = rng.integers(0, K, n)
        Y = np.eye(K)[labels]
        c = rng.uniform(0.3, 3.0, K)
        P = _softmax(Z)
        w = c[labels][:, None]  # each sample's weight: that of its class
        got = call_answer(weighted_ce_gradient, Z, Y, c)
        diagnose(
            got,
            _weighted_ce_gradient(Z, Y, c),
            {
                "ignores the class weights: it is the unweighted (ŷ − y)/n": (P - Y) / n,
                "weights column k by c_k: the weight belongs to the sample's class, "
                "w_s = Σ_i c_i y_si, and multiplies the whole row ŷ_s − y_s": c * (P - Y) / n,
                "is (ŷ − c ⊙ y)/n: the softmax normaliser brings ŷ_k times Σ_i c_i y_si, "
                "so ŷ is weighted too": (P - c * Y) / n,
                "divides by the total weight Σ_s w_s (a weighted mean, as PyTorch's weight= does); "
                "this L divides by n": w * (P - Y) / w.sum(),
                "is n times too large: the loss is a mean over the n samples": w * (P - Y),
                "has the wrong sign: it is w_s (ŷ_s − y_s)/n": w * (Y - P) / n,
                "divides by K, the number of classes, instead of n": w * (P - Y) / K,
                "takes the softmax down each column (axis 0, over the samples): each sample's "
                "probabilities are its own row's softmax (axis=1)": w * (_softmax(Z.T).T - Y) / n,
            },
            what=f"∂L/∂Z for n = {n}, K = {K}",
        )
    Z, Y, c = _huge_logits(rng)
    got = np.asarray(call_answer(weighted_ce_gradient, Z, Y, c), dtype=float)
    if got.shape == Z.shape and _overflow(got, Z):
        raise ExerciseFailed(_overflow(got, Z))
    diagnose(got, _weighted_ce_gradient(Z, Y, c), {}, what="∂L/∂Z for huge logits")

"""Exercise checks for notebook 07 (softmax and categorical cross-entropy).

* ``check_softmax_backward(f)``: ``f(da, a)`` with a = softmax(z) and any upstream gradient
  da = ∂L/∂a, both ``(n, K)``, returns dz = ∂L/∂z ``(n, K)``: row by row the product of da
  with the softmax Jacobian, dz_k = a_k (da_k − Σ_i da_i a_i), *without* forming the K × K
  Jacobian (a large K case measures the memory the answer allocates).
* ``check_weighted_ce_gradient(f)``: ``f(Z, Y, c)`` with logits Z, one-hot Y ``(n, K)`` and
  class weights c ``(K,)`` returns ∂L/∂Z of L = −(1/n) Σ_s Σ_i c_i y_si log softmax(z_s)_i,
  which is w_s (ŷ_s − y_s) / n with w_s = c of sample s's class.

Both run on random inputs of several shapes (n ≠ K, so a wrong axis shows), with upstream
gradients and weights that are not special, then on huge logits.
"""

import tracemalloc
import warnings

import numpy as np

from .feedback import ExerciseFailed, diagnose, exercise

SHAPES = ((4, 3), (7, 10), (1, 5), (6, 2))
MEMORY_K, MEMORY_N = 1500, 4  # a K × K float64 Jacobian is 18 MB; the answer needs ~50 kB
MEMORY_LIMIT = 4e6  # bytes of peak allocation that no J-free answer comes near


def _softmax(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _call_quietly(f, *args):
    """The learner's f(*args) with numpy's overflow warnings silenced (the check reports them)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return f(*args)


def _peak_memory(f, *args):
    """``(f(*args), peak bytes allocated while it ran)``, measured by tracemalloc."""
    was_tracing = tracemalloc.is_tracing()
    if was_tracing:
        tracemalloc.reset_peak()
    else:
        tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        out = _call_quietly(f, *args)
        return out, tracemalloc.get_traced_memory()[1] - baseline
    finally:
        if not was_tracing:
            tracemalloc.stop()


def _jacobian_product(da, a):
    """Reference: each row of da times that row's Jacobian diag(a) − aaᵀ, formed explicitly."""
    J = np.einsum("nk,ik->nik", a, np.eye(a.shape[1])) - np.einsum("ni,nk->nik", a, a)
    return np.einsum("ni,nik->nk", da, J)


@exercise("softmax backward without the Jacobian")
def check_softmax_backward(softmax_backward, seed=0):
    rng = np.random.default_rng(seed)
    for n, K in SHAPES:
        a = _softmax(rng.normal(0.0, 2.0, (n, K)))
        da = rng.normal(0.0, 1.0, (n, K))
        expected = _jacobian_product(da, a)
        got = _call_quietly(softmax_backward, da.copy(), a.copy())
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
        _call_quietly(softmax_backward, da.copy(), a.copy()),
        _jacobian_product(da, a),
        {},
        what="dz for a one-hot a",
    )
    # Large K: the Jacobian of one sample alone would be K² numbers.
    a = _softmax(rng.normal(0.0, 1.0, (MEMORY_N, MEMORY_K)))
    da = rng.normal(0.0, 1.0, (MEMORY_N, MEMORY_K))
    got, peak = _peak_memory(softmax_backward, da, a)
    if peak > MEMORY_LIMIT:
        raise ExerciseFailed(
            f"forms the K × K Jacobian: for K = {MEMORY_K} your function allocated {peak / 1e6:.0f} MB at "
            f"its peak, while da and a hold {2 * da.nbytes / 1e6:.2f} MB. Expand Σ_i da_i J_ik into "
            "a_k (da_k − Σ_i da_i a_i): one inner product per row, no K × K matrix"
        )
    inner = (da * a).sum(axis=1, keepdims=True)
    diagnose(got, a * (da - inner), {}, what=f"dz for n = {MEMORY_N}, K = {MEMORY_K}")


@exercise("class-weighted cross-entropy gradient")
def check_weighted_ce_gradient(weighted_ce_gradient, seed=0):
    rng = np.random.default_rng(seed)
    for n, K in SHAPES:
        Z = rng.normal(0.0, 2.0, (n, K))
        labels = rng.integers(0, K, n)
        Y = np.eye(K)[labels]
        c = rng.uniform(0.3, 3.0, K)
        P = _softmax(Z)
        w = c[labels][:, None]  # each sample's weight: that of its class
        expected = w * (P - Y) / n
        got = _call_quietly(weighted_ce_gradient, Z.copy(), Y.copy(), c.copy())
        diagnose(
            got,
            expected,
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
            },
            what=f"∂L/∂Z for n = {n}, K = {K}",
        )
    Z = rng.normal(0.0, 1.0, (3, 4)) * 800.0
    Z[np.arange(3), rng.integers(0, 4, 3)] = 1000.0  # e^1000 overflows without the max shift
    labels = rng.integers(0, 4, 3)
    Y, c = np.eye(4)[labels], rng.uniform(0.3, 3.0, 4)
    got = np.asarray(_call_quietly(weighted_ce_gradient, Z.copy(), Y.copy(), c.copy()), dtype=float)
    if got.shape == Z.shape and not np.isfinite(got).all():
        raise ExerciseFailed(
            "∂L/∂Z contains NaN or inf for large logits such as z = 1000: e^1000 overflows. "
            "Subtract each row's max(z) before exponentiating — softmax(z − c) = softmax(z)"
        )
    diagnose(got, c[labels][:, None] * (_softmax(Z) - Y) / 3, {}, what="∂L/∂Z for huge logits")

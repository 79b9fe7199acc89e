"""Exercise checks for notebook 04 (back-propagation in matrix form).

1. ``check_layer_backward(layer_backward)``: one layer's backward pass in the row
   convention, ``layer_backward(da, z, a_prev, W, fprime) -> (dz, dW, db, da_prev)``.
2. ``check_layer_backward_columns(layer_backward_columns)``: the same in the column
   convention (samples as columns), ``(dz, a_prev, W) -> (dW, db, da_prev)``.

Inputs are random, with batch size n, n_{k-1} and n_k all different, so a missing
transpose, the wrong activation (a_k for a_{k-1}), a sum taken over the wrong axis or a
1/n too many cannot pass by coincidence.
"""

import numpy as np

from .feedback import ExerciseFailed, diagnose, exercise


def _tanh_prime(z):
    return 1.0 - np.tanh(z) ** 2


def _distinct_sizes(rng):
    """(n, n_in, n_out): three different integers from 2 to 7."""
    n, n_in, n_out = rng.choice(np.arange(2, 8), size=3, replace=False)
    return int(n), int(n_in), int(n_out)


def _call(fun, args, names, shapes_note):
    """Call the learner's function; turn shape errors into feedback that names the fix."""
    try:
        result = fun(*args)
    except (ValueError, TypeError, IndexError) as err:
        message = str(err)
        if message.startswith("matmul") and "(size" in message:  # drop numpy's gufunc jargon
            message = "matmul " + message[message.index("(size") :]
        raise ExerciseFailed(
            f"your function raised {type(err).__name__}: {message}. The shapes of a matrix "
            f"product did not line up — usually a missing transpose (and ⊙ is elementwise, "
            f"`*` in numpy, not `@`). Here {shapes_note}"
        ) from None
    if not isinstance(result, (tuple, list)) or len(result) != len(names):
        raise ExerciseFailed(
            f"should return {len(names)} arrays ({', '.join(names)}), got {type(result).__name__}"
            + (f" of length {len(result)}" if isinstance(result, (tuple, list)) else "")
        )
    return [np.asarray(r, dtype=float) if r is not None else None for r in result]


def _require(value, name):
    if value is None:
        raise ExerciseFailed(f"{name} is None: compute it and return it")
    return value


def _check_row_case(layer_backward, n, n_in, n_out, rng):
    da = rng.normal(size=(n, n_out)) / n  # as from a mean loss: the 1/n is already in da
    z = rng.normal(size=(n, n_out))
    a_prev = rng.normal(size=(n, n_in))
    W = rng.normal(size=(n_in, n_out))
    note = (
        f"n = {n} samples, n_(k-1) = {n_in}, n_k = {n_out}: da and z are (n, n_k) = {da.shape}, "
        f"a_prev is (n, n_(k-1)) = {a_prev.shape}, W is (n_(k-1), n_k) = {W.shape}; "
        f"dW = a_prevᵀ dz and da_prev = dz Wᵀ."
    )
    names = ("dz", "dW", "db", "da_prev")
    result = _call(layer_backward, (da.copy(), z.copy(), a_prev.copy(), W.copy(), _tanh_prime), names, note)
    dz, dW, db, da_prev = (_require(r, name) for r, name in zip(result, names))
    dz_true = da * _tanh_prime(z)

    diagnose(
        dz,
        dz_true,
        {
            "is da itself: multiply by the activation's derivative, dz = da ⊙ f'(z).": da,
            "divides by n again: da already carries the 1/n of the mean loss.": dz_true / n,
        },
        what="dz",
    )

    dW_true = a_prev.T @ dz_true
    if dW.shape == (n_out, n_in):
        raise ExerciseFailed(
            f"dW has shape {dW.shape}, expected (n_(k-1), n_k) = {dW_true.shape} — a missing or "
            "extra transpose: dW = a_prevᵀ dz, so it has W's shape."
        )
    if dW.shape == (n_out, n_out):
        raise ExerciseFailed(
            f"dW has shape (n_k, n_k) = {dW.shape}, expected (n_(k-1), n_k) = {dW_true.shape}: "
            "it pairs dz with this layer's own output (a_k or z_k). The weights multiply the "
            "layer's input, so dW = a_(k-1)ᵀ dz (the original tutorial's erratum 2)."
        )
    diagnose(
        dW,
        dW_true,
        {
            "is averaged over the batch (divided by n): dz already carries the 1/n of the mean "
            "loss, so sum over the batch: dW = a_prevᵀ dz.": dW_true / n,
            "is n× too large: dz already carries the 1/n of the mean loss; do not multiply by n.": dW_true
            * n,
            "uses da instead of dz: dW = a_prevᵀ dz with dz = da ⊙ f'(z).": a_prev.T @ da,
        },
        what="dW",
    )

    db_true = dz_true.sum(axis=0, keepdims=True)
    if db.shape == (n_out,):
        db = db.reshape(1, n_out)  # a 1-D db is fine: it broadcasts like b
    if db.shape in {(n,), (n, 1), (1, n)}:
        raise ExerciseFailed(
            f"db has shape {db.shape}: it was summed over the wrong axis (over the units, axis=1). "
            f"Sum dz over the batch, the rows: dz.sum(axis=0, keepdims=True) has shape {db_true.shape}."
        )
    if db.shape == (n, n_out):
        raise ExerciseFailed(
            f"db has one row per sample, shape {db.shape}: sum dz over the batch (axis=0) to get "
            f"b's shape {db_true.shape}."
        )
    if db.size == 1:
        raise ExerciseFailed(
            "db is a single number: it was summed over both axes. Sum over the rows only "
            f"(axis=0), giving shape {db_true.shape}."
        )
    diagnose(
        db,
        db_true,
        {
            "is averaged over the batch (a mean, divided by n): dz already carries the 1/n of the "
            "mean loss, so sum: db = Σ_rows dz (the original tutorial's erratum 5).": db_true / n,
            "is n× too large: dz already carries the 1/n of the mean loss; do not multiply by n.": db_true
            * n,
            "sums da instead of dz.": da.sum(axis=0, keepdims=True),
        },
        what="db",
    )

    da_prev_true = dz_true @ W.T
    if da_prev.shape == (n_in, n):
        raise ExerciseFailed(
            f"da_prev has shape {da_prev.shape}, expected (n, n_(k-1)) = {da_prev_true.shape} — a "
            "missing or extra transpose: in the row convention da_prev = dz Wᵀ (one row per sample)."
        )
    diagnose(
        da_prev,
        da_prev_true,
        {
            "uses da instead of dz: da_prev = dz Wᵀ with dz = da ⊙ f'(z).": da @ W.T,
            "is divided by n again: dz already carries the 1/n.": da_prev_true / n,
        },
        what="da_prev",
    )


@exercise("layer_backward (row convention)")
def check_layer_backward(layer_backward, seed=0):
    """``layer_backward(da, z, a_prev, W, fprime) -> (dz, dW, db, da_prev)`` on two random layers."""
    rng = np.random.default_rng(seed)
    for _ in range(2):
        _check_row_case(layer_backward, *_distinct_sizes(rng), rng)


def _check_column_case(layer_backward_columns, n, n_in, n_out, rng):
    dz = rng.normal(size=(n_out, n)) / n
    a_prev = rng.normal(size=(n_in, n))
    W = rng.normal(size=(n_out, n_in))
    note = (
        f"n = {n} samples as columns, n_(k-1) = {n_in}, n_k = {n_out}: dz is (n_k, n) = {dz.shape}, "
        f"a_prev is (n_(k-1), n) = {a_prev.shape}, W is (n_k, n_(k-1)) = {W.shape}; "
        "dW = dz a_prevᵀ and da_prev = Wᵀ dz."
    )
    names = ("dW", "db", "da_prev")
    result = _call(layer_backward_columns, (dz.copy(), a_prev.copy(), W.copy()), names, note)
    dW, db, da_prev = (_require(r, name) for r, name in zip(result, names))
    dW_true = dz @ a_prev.T
    if dW.shape == (n_in, n_out):
        raise ExerciseFailed(
            f"dW has shape {dW.shape}, expected (n_k, n_(k-1)) = {dW_true.shape}: that is the row "
            "convention's dW (the transpose). In the column convention W_k is (n_k, n_(k-1)), "
            "so dW = dz a_prevᵀ."
        )
    diagnose(
        dW,
        dW_true,
        {
            "is averaged over the batch (divided by n): dz already carries the 1/n; sum over the "
            "samples (the columns).": dW_true / n,
            "is n× too large: dz already carries the 1/n of the mean loss.": dW_true * n,
        },
        what="dW",
    )

    db_true = dz.sum(axis=1, keepdims=True)
    if db.shape == (n_out,):
        db = db.reshape(n_out, 1)
    if db.shape in {(n,), (1, n), (n, 1)}:
        raise ExerciseFailed(
            f"db has shape {db.shape}: it was summed over the wrong axis. With samples as "
            f"columns, sum over the columns: dz.sum(axis=1, keepdims=True), shape {db_true.shape}."
        )
    if db.shape == (n_out, n):
        raise ExerciseFailed(
            f"db has one column per sample, shape {db.shape}: sum dz over the samples (axis=1)."
        )
    diagnose(
        db,
        db_true,
        {
            "is averaged over the batch (divided by n): dz already carries the 1/n; sum.": db_true / n,
            "is n× too large: dz already carries the 1/n of the mean loss.": db_true * n,
        },
        what="db",
    )

    da_prev_true = W.T @ dz
    if da_prev.shape == (n, n_in):
        raise ExerciseFailed(
            f"da_prev has shape {da_prev.shape}, expected (n_(k-1), n) = {da_prev_true.shape}: that "
            "is the row convention's layout. With samples as columns, da_prev = Wᵀ dz."
        )
    diagnose(
        da_prev,
        da_prev_true,
        {
            "is divided by n again: dz already carries the 1/n.": da_prev_true / n,
        },
        what="da_prev",
    )


@exercise("layer_backward_columns (column convention)")
def check_layer_backward_columns(layer_backward_columns, seed=0):
    """``layer_backward_columns(dz, a_prev, W) -> (dW, db, da_prev)``, samples as columns."""
    rng = np.random.default_rng(seed)
    for _ in range(2):
        _check_column_case(layer_backward_columns, *_distinct_sizes(rng), rng)

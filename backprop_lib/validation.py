"""Checks at the public boundary: clear errors that say what was expected and what was got."""

import numbers

import numpy as np


def as_float_matrix(arr, name):
    """``arr`` as a finite, non-empty float64 array of shape ``(n_samples, n_columns)``."""
    if isinstance(arr, (str, bytes)) or arr is None:
        raise TypeError(f"{name}: expected a numeric array, got {type(arr).__name__}")
    try:
        out = np.asarray(arr, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name}: expected a numeric array, got {type(arr).__name__} ({err})")
    if out.ndim != 2:
        raise ValueError(
            f"{name}: expected a 2-D array of shape (n_samples, n_columns), got shape {out.shape}"
            + (" (use .reshape(1, -1) for a single sample)" if out.ndim == 1 else "")
        )
    if out.shape[0] == 0:
        raise ValueError(f"{name}: expected at least one sample, got an empty batch {out.shape}")
    if not np.isfinite(out).all():
        bad = np.argwhere(~np.isfinite(out))[0]
        raise ValueError(
            f"{name}: expected finite values, got {out[tuple(bad)]} at index {tuple(bad.tolist())}"
        )
    return out


def check_X(X, n_features):
    X = as_float_matrix(X, "X")
    if X.shape[1] != n_features:
        raise ValueError(
            f"X: expected {n_features} features (columns) for this network, "
            f"got shape {X.shape}"
        )
    return X


def check_y(y, n_outputs, n_samples):
    """Targets of shape ``(n_samples, n_outputs)``; a 1-D y is accepted when n_outputs == 1."""
    arr = np.asarray(y) if not isinstance(y, (str, bytes)) and y is not None else y
    if isinstance(arr, np.ndarray) and arr.ndim == 1 and n_outputs == 1:
        arr = arr.reshape(-1, 1)
    y = as_float_matrix(arr, "y")
    if y.shape != (n_samples, n_outputs):
        raise ValueError(
            f"y: expected shape ({n_samples}, {n_outputs}) to match {n_samples} samples and "
            f"{n_outputs} network outputs, got shape {y.shape}"
        )
    return y


def check_layer_sizes(layer_sizes):
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(
            f"layer_sizes: expected a list of integers such as [2, 4, 3, 1], "
            f"got {type(layer_sizes).__name__}"
        )
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"layer_sizes: expected at least 2 sizes (inputs and outputs), got {sizes}"
        )
    for k, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(
                f"layer_sizes[{k}]: expected a positive integer, got {n!r} ({type(n).__name__})"
            )
        if n <= 0:
            raise ValueError(f"layer_sizes[{k}]: expected a positive integer, got {n}")
    return [int(n) for n in sizes]


def check_learning_rate(lr):
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
        raise TypeError(f"learning rate: expected a real number, got {type(lr).__name__}")
    if not np.isfinite(lr) or lr < 0:
        raise ValueError(f"learning rate: expected a finite number >= 0, got {lr}")
    return float(lr)

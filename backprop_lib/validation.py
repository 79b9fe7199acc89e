"""Every argument check of the library, in one place.

Each raises ``TypeError`` (wrong kind of thing) or ``ValueError`` (right kind, wrong value)
with a message that says what was expected and what was got.
"""

import math
import numbers

import numpy as np


def as_array(value, name):
    """``value`` as a float64 numpy array of any shape."""
    if type(value) is np.ndarray and value.dtype == np.float64:  # the common case, checked first
        return value
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name}: expected a numeric array, got {type(value).__name__}")
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name}: expected a numeric array, got {type(value).__name__} ({err})") from None


def as_float_matrix(value, name):
    """``value`` as a finite, non-empty float64 array of shape ``(n_samples, n_columns)``."""
    out = as_array(value, name)
    if out.ndim != 2:
        hint = " (use .reshape(1, -1) for a single sample)" if out.ndim == 1 else ""
        raise ValueError(
            f"{name}: expected a 2-D array of shape (n_samples, n_columns), got shape {out.shape}{hint}"
        )
    if out.shape[0] == 0:
        raise ValueError(f"{name}: expected at least one sample, got an empty batch {out.shape}")
    if not np.isfinite(out).all():
        bad = tuple(np.argwhere(~np.isfinite(out))[0].tolist())
        raise ValueError(f"{name}: expected finite values, got {out[bad]} at index {bad}")
    return out


def check_X(X, n_features):
    X = as_float_matrix(X, "X")
    if X.shape[1] != n_features:
        raise ValueError(f"X: expected {n_features} features (columns) for this network, got shape {X.shape}")
    return X


def check_y(y, n_outputs, n_samples):
    """Targets of shape ``(n_samples, n_outputs)``; a 1-D y is accepted when n_outputs == 1."""
    if not isinstance(y, (str, bytes)) and y is not None and np.ndim(y) == 1 and n_outputs == 1:
        y = np.reshape(y, (-1, 1))
    y = as_float_matrix(y, "y")
    if y.shape != (n_samples, n_outputs):
        raise ValueError(
            f"y: expected shape ({n_samples}, {n_outputs}) to match {n_samples} samples and "
            f"{n_outputs} network outputs, got shape {y.shape}"
        )
    return y


def check_same_shape(reference, other, reference_name, other_name):
    if reference.shape != other.shape:
        raise ValueError(
            f"{other_name}: expected the shape of {reference_name} {reference.shape}, got {other.shape}"
        )


def check_int(value, name, low):
    """``value`` as an int >= ``low``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected an integer >= {low}, got {value!r} ({type(value).__name__})")
    if value < low:
        raise ValueError(f"{name}: expected an integer >= {low}, got {value}")
    return int(value)


def check_real(value, name, low=-np.inf, high=np.inf, low_open=False, high_open=False):
    """``value`` as a finite float between ``low`` and ``high`` (ends included unless open)."""
    if type(value) is not float and (isinstance(value, bool) or not isinstance(value, numbers.Real)):
        raise TypeError(f"{name}: expected a real number, got {type(value).__name__}")
    value = float(value)
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if not math.isfinite(value) or too_low or too_high:
        interval = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        raise ValueError(f"{name}: expected a finite number in {interval}, got {value}")
    return value


def check_learning_rate(lr):
    """A learning rate: a finite number > 0 (the one rule for every optimiser)."""
    return check_real(lr, "learning rate", low=0.0, low_open=True)


def check_layer_sizes(layer_sizes):
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(
            f"layer_sizes: expected a list of integers such as [2, 4, 3, 1], got {type(layer_sizes).__name__}"
        )
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes: expected at least 2 sizes (inputs and outputs), got {sizes}")
    return [check_int(n, f"layer_sizes[{k}]", low=1) for k, n in enumerate(sizes)]


def check_architecture(layer_sizes, activations):
    """``(sizes, activations)``: the sizes as ints, and one activation (a name or an object)
    per layer after the input."""
    sizes = check_layer_sizes(layer_sizes)
    if isinstance(activations, (str, bytes)) or not hasattr(activations, "__len__"):
        raise TypeError(
            f"activations: expected a list with one activation per layer, got {type(activations).__name__}"
        )
    if len(activations) != len(sizes) - 1:
        raise ValueError(
            f"activations: expected {len(sizes) - 1} (one per layer after the input for "
            f"layer_sizes {sizes}), got {len(activations)}"
        )
    return sizes, list(activations)


def check_parameters(new, current):
    """New values ``{name: array}`` for parameters ``current`` ``{name: array}``, as float64.

    ``ValueError`` for an unknown name or a wrong shape; ``FloatingPointError`` for a value
    that is infinite or NaN, which is what a diverging training run produces.
    """
    checked = {}
    for name, value in new.items():
        if name not in current:
            raise ValueError(f"parameters: expected names from {list(current)}, got {name!r}")
        value = as_array(value, name)
        check_same_shape(current[name], value, name, f"new {name}")
        if not np.isfinite(value).all():
            raise FloatingPointError(
                f"{name} would become infinite or NaN (the training diverged); "
                "parameters left unchanged. Try a smaller learning rate."
            )
        checked[name] = value
    return checked


def lookup(spec, registry, base, what, extra=(), **kwargs):
    """``spec`` if it is a ``base`` object; else a new ``registry[spec](**kwargs)`` for a name."""
    if isinstance(spec, base):
        return spec
    if isinstance(spec, str):
        key = spec.lower()
        if key not in registry:
            raise ValueError(f"unknown {what} {spec!r}: expected one of {sorted([*registry, *extra])}")
        return registry[key](**kwargs)
    raise TypeError(f"{what}: expected a name (str) or a {base.__name__} object, got {type(spec).__name__}")

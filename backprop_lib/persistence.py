"""Save a trained MLP to an ``.npz`` file and load it back, without pickle.

The file holds plain arrays only, so ``np.load(path, allow_pickle=False)`` can read it and
loading a file from someone else cannot run code:

==================  ==========================================================
key                 content
==================  ==========================================================
``format``          ``"backprop_lib.MLP"``
``version``         ``1``
``layer_sizes``     int array ``[n_0, n_1, ..., n_L]``
``activations``     str array, one name per layer (``"relu"``, ``"softmax"``...)
``alphas``          float array, LeakyReLU's alpha per layer (NaN for the others)
``loss``            str, the loss name (``"bce"``, ``"cross_entropy"``, ``"mse"``)
``W1, b1, ...``     float64 arrays of shapes ``(n_k-1, n_k)`` and ``(1, n_k)``
==================  ==========================================================

Only the named activations and losses can be saved; a custom object raises a clear error
instead of being lost silently.
"""

import os
import zipfile
import zlib

import numpy as np

from .activations import ACTIVATIONS, LeakyReLU
from .losses import LOSSES
from .mlp import MLP

FORMAT = "backprop_lib.MLP"
VERSION = 1
_HEADER_KEYS = ("format", "version", "layer_sizes", "activations", "alphas", "loss")


def _canonical_name(obj, registry, what, where):
    """The registry name of ``obj`` if it is exactly one of the named classes."""
    name = getattr(obj, "name", None)
    if name not in registry or type(obj) is not registry[name]:
        raise ValueError(
            f"save: {where} uses {what} {obj!r}, which is not one of the named ones "
            f"{sorted(set(registry))}; only those can be saved (rebuild the network with names)"
        )
    return name


def save(net, path):
    """Write ``net``'s architecture and weights to ``path`` (an ``.npz`` file); returns the path.

    ``numpy.savez`` appends ``.npz`` to a file name without that extension; the returned
    path is the file actually written.
    """
    if not isinstance(net, MLP):
        raise TypeError(f"save: expected a backprop_lib.MLP, got {type(net).__name__}")
    activations, alphas = [], []
    for k, layer in enumerate(net.layers, start=1):
        act = layer.activation
        activations.append(_canonical_name(act, ACTIVATIONS, "activation", f"layer {k}"))
        alphas.append(act.alpha if isinstance(act, LeakyReLU) else np.nan)
    loss = _canonical_name(net.loss_fn, LOSSES, "loss", "the network")
    arrays = {
        "format": np.array(FORMAT),
        "version": np.array(VERSION),
        "layer_sizes": np.array(net.layer_sizes, dtype=np.int64),
        "activations": np.array(activations),
        "alphas": np.array(alphas, dtype=np.float64),
        "loss": np.array(loss),
    }
    for name, param in net.parameters():
        arrays[name] = np.asarray(param, dtype=np.float64)
    path = os.fspath(path)
    if not path.endswith(".npz"):
        path += ".npz"
    np.savez(path, **arrays)
    return path


def _read_all(path):
    """Every array of the ``.npz`` at ``path`` as a dict, or a ValueError saying why not."""
    with open(path, "rb") as file:  # our own handle: closed even when numpy gives up
        try:
            data = np.load(file, allow_pickle=False)
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:
            # numpy's message for a non-numpy file suggests allow_pickle=True: not here.
            reason = "neither an .npz nor an .npy file" if "pickle" in str(err) else str(err)
            raise ValueError(
                f"load: {path} is not a readable backprop_lib weights file (an .npz written by "
                f"backprop_lib.persistence.save): {reason}"
            ) from None
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise ValueError(f"load: {path} holds a single array, not an .npz archive written by save")
        try:
            with data:
                arrays = {key: data[key] for key in data.files}
        except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as err:
            raise ValueError(f"load: {path}: an array in the archive cannot be read: {err}") from None
    for key, value in arrays.items():
        if not isinstance(value, np.ndarray):  # numpy returns raw bytes for a non-.npy member
            raise ValueError(f"load: {path}: member {key!r} cannot be read as a numpy array")
    return arrays


def _text(data, key, path):
    value = data[key]
    if value.shape != () or value.dtype.kind != "U":
        raise ValueError(
            f"load: {path}: '{key}' should be one string, got {value.dtype} of shape {value.shape}"
        )
    return str(value)


def load(path):
    """The ``MLP`` stored at ``path`` by ``save``; ValueError if the file is not such a file.

    Checks the format marker, that every key is present, that the names are known and that
    every W and b has the shape its layer sizes say.
    """
    data = _read_all(path)
    missing = [key for key in _HEADER_KEYS if key not in data]
    if missing:
        raise ValueError(
            f"load: {path}: missing {missing}; not a file written by backprop_lib.persistence.save"
        )
    if _text(data, "format", path) != FORMAT:
        raise ValueError(f"load: {path}: format is {str(data['format'])!r}, expected {FORMAT!r}")
    if data["version"].shape != () or int(data["version"]) != VERSION:
        raise ValueError(
            f"load: {path}: version {data['version']!r}, this backprop_lib reads version {VERSION}"
        )
    sizes = data["layer_sizes"]
    if sizes.ndim != 1 or sizes.dtype.kind not in "iu" or len(sizes) < 2 or (sizes < 1).any():
        raise ValueError(f"load: {path}: layer_sizes should be >= 2 positive integers, got {sizes!r}")
    sizes = [int(n) for n in sizes]
    n_layers = len(sizes) - 1
    names, alphas = data["activations"], data["alphas"]
    if names.dtype.kind != "U" or names.shape != (n_layers,):
        raise ValueError(
            f"load: {path}: expected {n_layers} activation names for layer_sizes {sizes}, got {names!r}"
        )
    if alphas.dtype.kind != "f" or alphas.shape != (n_layers,):
        raise ValueError(f"load: {path}: expected {n_layers} alphas for layer_sizes {sizes}, got {alphas!r}")
    activations = []
    for k, (name, alpha) in enumerate(zip(names.tolist(), alphas.tolist()), start=1):
        if name not in ACTIVATIONS:
            raise ValueError(
                f"load: {path}: layer {k} has unknown activation {name!r}; known: {sorted(ACTIVATIONS)}"
            )
        activations.append(LeakyReLU(alpha) if name == LeakyReLU.name else name)
    loss = _text(data, "loss", path)
    if loss not in LOSSES:
        raise ValueError(f"load: {path}: unknown loss {loss!r}; known: {sorted(LOSSES)}")

    expected = {}
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        expected[f"W{k}"], expected[f"b{k}"] = (n_in, n_out), (1, n_out)
    extra = sorted(set(data) - set(_HEADER_KEYS) - set(expected))
    if extra:
        raise ValueError(f"load: {path}: unexpected arrays {extra} for layer_sizes {sizes}")
    for key, shape in expected.items():
        if key not in data:
            raise ValueError(f"load: {path}: missing array {key!r} for layer_sizes {sizes}")
        arr = data[key]
        if arr.shape != shape:
            raise ValueError(
                f"load: {path}: {key} has shape {arr.shape}, expected {shape} from layer_sizes {sizes}"
            )
        if arr.dtype.kind != "f" or not np.isfinite(arr).all():
            raise ValueError(f"load: {path}: {key} should hold finite floats, got {arr.dtype}")
    net = MLP(sizes, activations, loss=loss, seed=0)
    net.set_parameters({key: data[key] for key in expected})
    return net

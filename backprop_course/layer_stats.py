"""Per-layer statistics of a network: how activations and gradients change with depth.

Used by notebook 09 (initialisation and vanishing gradients) to measure, layer by layer,
the spread of the pre-activations ``z`` and activations ``a`` on the way forward and the
size of the gradients ``dW`` and ``da`` on the way back.
"""

import numpy as np

from backprop_lib import MLP, get_initializer
from backprop_lib.validation import check_int

#: Display names of the initialisations compared in notebook 09.
INIT_LABELS = {"normal": "σ = 0.1", "xavier": "Xavier", "he": "He"}


def deep_mlp(depth, width, activation, init, n_in=None, seed=0):
    """A deep, narrow MLP: ``depth`` hidden layers of ``width`` units and one sigmoid output.

    ``n_in`` defaults to ``width``; ``init`` is ``"normal"`` (σ = 0.1 for W and b, the
    original tutorial's), ``"xavier"``, ``"he"`` or an Initializer (used for every layer,
    the output layer included). Binary cross-entropy loss.
    """
    depth = check_int(depth, "depth (hidden layers)", low=1)
    width = check_int(width, "width (units per hidden layer)", low=1)
    n_in = width if n_in is None else n_in
    sizes = [n_in] + [int(width)] * int(depth) + [1]
    return MLP(sizes, [activation] * depth + ["sigmoid"], loss="bce", seed=seed, init=get_initializer(init))


def layer_statistics(net, X, y):
    """One forward and backward pass; per-layer statistics as arrays of length ``len(net.layers)``.

    ``X`` ``(n, n_features)``, ``y`` ``(n, n_outputs)``. Keys:

    * ``z_std``, ``a_std``: standard deviation of all entries of z_k and a_k;
    * ``a_rms``: √(mean a_k²), the second moment that feeds the next layer;
    * ``dW_norm``: Frobenius norm ‖dW_k‖ of the weight gradient;
    * ``dz_std``: standard deviation of dL/dz_k (the signal travelling backwards).
    """
    net.forward(X)
    net.backward(y)
    stats = {key: [] for key in ("z_std", "a_std", "a_rms", "dW_norm", "dz_std")}
    for layer in net.layers:
        stats["z_std"].append(layer.z.std())
        stats["a_std"].append(layer.a.std())
        stats["a_rms"].append(np.sqrt(np.mean(layer.a**2)))
        stats["dW_norm"].append(np.linalg.norm(layer.dW))
        stats["dz_std"].append(layer.dz.std())
    return {key: np.array(values) for key, values in stats.items()}


def active_fraction(net, X):
    """For every layer but the output: the fraction of samples on which each unit has z > 0.

    Returns a list of arrays, one per hidden layer, of shape ``(n_units,)``. A ReLU unit at
    0 is dead for the whole batch (no gradient flows through it); at 1 it is always on,
    i.e. linear on this data.
    """
    net.forward(X)
    return [(layer.z > 0).mean(axis=0) for layer in net.layers[:-1]]

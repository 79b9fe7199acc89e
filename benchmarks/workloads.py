"""The training workloads: data, layer sizes, regime (full batch or mini-batch epoch), targets.

| name        | layers              | n    | unit of work                     | output        |
|-------------|---------------------|------|----------------------------------|---------------|
| two circles | [2, 4, 3, 1]        | 1000 | one full-batch step              | sigmoid + BCE |
| digits      | [64, 128, 64, 10]   | 1797 | one full-batch step              | softmax + CE  |
| synthetic   | [256, 512, 512, 10] | 8192 | one full-batch step              | softmax + CE  |
| digits      | [64, 128, 64, 10]   | 1797 | one epoch of batches of 32 rows  | softmax + CE  |
| two circles | [2, 4, 3, 1]        | 1000 | one epoch of batches of 32 rows  | sigmoid + BCE |

Hidden layers are ReLU in all of them, as scikit-learn's ``activation="relu"`` builds them.
The mini-batch epochs are the regime notebooks 07 and 08 train in.
"""

from dataclasses import dataclass, field

import numpy as np

LIB, SKLEARN, TORCH, FLOOR = "backprop_lib", "scikit-learn", "PyTorch", "GEMM floor"
TORCH_FLOOR = "PyTorch's GEMM floor"  # the same products in torch (its BLAS), for information


@dataclass
class Workload:
    """One benchmark problem: ``X`` ``(n, sizes[0])``, integer ``labels`` ``(n,)``.

    ``batch_size=None``: the unit of work is one full-batch training step. Otherwise it is one
    epoch of shuffled mini-batches of ``batch_size`` rows, with the mean training loss
    recorded before and after it (what ``bp.train(..., epochs=1)`` does).
    ``targets``: ``{contender: (limit, strict)}``, the issue's bound on backprop_lib's time
    divided by that contender's (``strict``: below the limit; otherwise at most the limit).
    """

    name: str
    sizes: list
    X: np.ndarray
    labels: np.ndarray
    rounds: int  # blocks per contender, interleaved
    block: int  # timed units per block
    batch_size: int = None
    targets: dict = field(default_factory=dict)

    @property
    def n(self):
        return len(self.X)

    @property
    def n_classes(self):
        return 2 if self.sizes[-1] == 1 else self.sizes[-1]

    @property
    def activations(self):
        out = "sigmoid" if self.sizes[-1] == 1 else "softmax"
        return ["relu"] * (len(self.sizes) - 2) + [out]

    @property
    def loss(self):
        return "bce" if self.sizes[-1] == 1 else "cross_entropy"

    @property
    def Y(self):
        """Targets in backprop_lib's form: ``(n, 1)`` 0/1 for BCE, one-hot ``(n, k)`` for CE."""
        if self.sizes[-1] == 1:
            return self.labels.reshape(-1, 1).astype(np.float64)
        return np.eye(self.sizes[-1])[self.labels]

    @property
    def unit(self):
        return "step" if self.batch_size is None else "epoch"

    def describe(self):
        regime = "full batch" if self.batch_size is None else f"one epoch at batch {self.batch_size}"
        return f"{self.name} {self.sizes} n={self.n}, {regime}"


FASTER = (1.0, True)  # "faster than": the ratio below 1


def two_circles(n=1000, batch_size=None, rounds=15, block=None):
    from sklearn.datasets import make_circles

    X, y = make_circles(n_samples=n, factor=0.5, noise=0.1, random_state=0)
    targets = {SKLEARN: FASTER, TORCH: FASTER if batch_size is None else (0.70, False)}
    block = block or (200 if batch_size is None else 10)
    X = np.ascontiguousarray(X, np.float64)
    return Workload("two circles", [2, 4, 3, 1], X, y, rounds, block, batch_size, targets)


def digits(batch_size=None, rounds=15, block=None):
    from sklearn.datasets import load_digits  # ships with scikit-learn: no download

    data = load_digits()
    X = np.ascontiguousarray(data.data / 16.0, dtype=np.float64)
    targets = {SKLEARN: FASTER, TORCH: (1.15, False) if batch_size is None else (0.70, False)}
    block = block or (30 if batch_size is None else 5)
    return Workload("digits", [64, 128, 64, 10], X, data.target, rounds, block, batch_size, targets)


def synthetic(
    sizes=(256, 512, 512, 10), n=8192, seed=0, name="synthetic", rounds=7, block=5, batch_size=None
):
    """Gaussian inputs labelled by a random linear teacher (argmax over the classes)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, sizes[0]))
    k = max(sizes[-1], 2)
    labels = (X @ rng.normal(size=(sizes[0], k))).argmax(axis=1)
    if sizes[-1] == 1:
        labels = labels % 2
    targets = {SKLEARN: FASTER, TORCH: (1.05, False), FLOOR: (1.30, False)}
    return Workload(name, list(sizes), X, labels, rounds, block, batch_size, targets)


def default_workloads():
    """The five workloads of ``make bench``: three full-batch steps, then two mini-batch epochs."""
    return [two_circles(), digits(), synthetic(), digits(batch_size=32), two_circles(batch_size=32)]


def tiny_workloads():
    """Small shapes with the same structure, for the smoke test (fast; not for timing)."""
    return [
        synthetic((2, 4, 3, 1), n=50, name="tiny binary", rounds=2, block=2),
        synthetic((8, 16, 8, 5), n=60, name="tiny multiclass", rounds=2, block=2),
        synthetic((8, 16, 8, 5), n=60, name="tiny multiclass", rounds=2, block=2, batch_size=16),
        synthetic((2, 4, 3, 1), n=50, name="tiny binary", rounds=2, block=2, batch_size=16),
    ]

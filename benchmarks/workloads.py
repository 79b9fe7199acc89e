"""The three training-step workloads: data, layer sizes, activations and loss.

| name    | layers              | n    | output            |
|---------|---------------------|------|-------------------|
| circles | [2, 4, 3, 1]        | 1000 | sigmoid + BCE     |
| digits  | [64, 128, 64, 10]   | 1797 | softmax + CE      |
| large   | [256, 512, 512, 10] | 8192 | softmax + CE      |

Hidden layers are ReLU in all three, as scikit-learn's ``activation="relu"`` builds them.
"""

from dataclasses import dataclass

import numpy as np


@dataclass
class Workload:
    """One benchmark problem: ``X`` ``(n, sizes[0])``, integer ``labels`` ``(n,)``."""

    name: str
    sizes: list
    X: np.ndarray
    labels: np.ndarray
    reps: int  # default number of timed repetitions (rounds)

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

    def describe(self):
        return f"{self.name} {self.sizes} n={self.n}"


def two_circles(n=1000):
    from sklearn.datasets import make_circles

    X, y = make_circles(n_samples=n, factor=0.5, noise=0.1, random_state=0)
    return Workload("two circles", [2, 4, 3, 1], np.ascontiguousarray(X, np.float64), y, reps=300)


def digits():
    from sklearn.datasets import load_digits  # ships with scikit-learn: no download

    data = load_digits()
    X = np.ascontiguousarray(data.data / 16.0, dtype=np.float64)
    return Workload("digits", [64, 128, 64, 10], X, data.target, reps=100)


def synthetic(sizes=(256, 512, 512, 10), n=8192, seed=0, name="synthetic", reps=30):
    """Gaussian inputs labelled by a random linear teacher (argmax over the classes)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, sizes[0]))
    k = max(sizes[-1], 2)
    labels = (X @ rng.normal(size=(sizes[0], k))).argmax(axis=1)
    if sizes[-1] == 1:
        labels = labels % 2
    return Workload(name, list(sizes), X, labels, reps=reps)


def default_workloads():
    """The three workloads of the benchmark, in order of size."""
    return [two_circles(), digits(), synthetic()]


def tiny_workloads():
    """Small shapes with the same structure, for the smoke test (fast; not for timing)."""
    return [
        synthetic((2, 4, 3, 1), n=50, name="tiny binary", reps=3),
        synthetic((8, 16, 8, 5), n=60, name="tiny multiclass", reps=3),
    ]

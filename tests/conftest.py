import os

import numpy as np
import pytest
from hypothesis import settings

from backprop_lib.activations import Activation

# Property tests draw the same examples on every run, so CI is reproducible;
# HYPOTHESIS_PROFILE=explore searches afresh each time.
settings.register_profile("default", derandomize=True)
settings.register_profile("explore", derandomize=False, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


def make_targets(loss, n, n_out, rng):
    """Random targets that suit ``loss``: one-hot for CE, 0/1 for BCE, reals for MSE."""
    if loss == "cross_entropy":
        return np.eye(n_out)[rng.integers(0, n_out, n)]
    if loss == "bce":
        return rng.integers(0, 2, (n, n_out)).astype(float)
    return rng.normal(size=(n, n_out))


def random_case(seed):
    """A random MLP with a loss that suits its output, and a batch."""
    rng = np.random.default_rng(seed)
    depth = int(rng.integers(1, 5))
    sizes = [int(n) for n in rng.integers(1, 7, depth + 1)]
    hidden = [str(a) for a in rng.choice(["sigmoid", "tanh", "relu", "leaky_relu", "identity"], depth - 1)]
    loss, out = [("mse", "identity"), ("bce", "sigmoid"), ("cross_entropy", "softmax"),
                 ("mse", "tanh"), ("bce", "softmax")][int(rng.integers(0, 5))]
    if out == "softmax":
        sizes[-1] = max(sizes[-1], 2)
    n = int(rng.integers(1, 9))
    X = rng.normal(size=(n, sizes[0]))
    y = make_targets(loss, n, sizes[-1], rng)
    return sizes, hidden + [out], loss, X, y


class Cube(Activation):
    """A learner's own activation, f(z) = z³: forward and derivative only (no ``out=``)."""

    name = "cube"

    def forward(self, z):
        return z**3

    def derivative(self, z):
        return 3 * z**2

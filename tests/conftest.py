import numpy as np
import pytest


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

"""The series' data: the two circles, the 8×8 digits and a stratified split.

``import sklearn`` takes about 1.2 s (it loads SciPy and pandas), longer than most notebooks
take to run, and notebooks 05, 07, 08 and 09 need only its data. So:

* :func:`two_circles` draws exactly the points of scikit-learn's ``make_circles`` for the
  same seed (the original tutorial's data; ``tests/course/test_datasets.py`` compares);
* :func:`digits` reads the copy of the UCI handwritten digits that ships with scikit-learn,
  the file ``load_digits`` reads, without importing scikit-learn;
* :func:`stratified_split` cuts a data set into parts of given sizes, each with the classes'
  shares of the whole.
"""

import gzip
import importlib.util
from pathlib import Path

import numpy as np

from backprop_lib.validation import check_int, check_real


def two_circles(n_samples, seed, noise=0.1, factor=0.5):
    """``n_samples`` points on two noisy concentric circles: X ``(n, 2)``, y ``(n, 1)`` of 0.0/1.0.

    Half (rounded down) lie on the unit circle (class 0), the rest on a circle of radius
    ``factor`` (class 1), evenly spaced; the points are shuffled and then moved by Gaussian
    noise of standard deviation ``noise``, both from ``np.random.RandomState(seed)``. The same
    points as ``sklearn.datasets.make_circles(n_samples, noise=noise, factor=factor,
    random_state=seed)``.
    """
    n_samples, seed = check_int(n_samples, "n_samples", low=2), check_int(seed, "seed", low=0)
    noise = check_real(noise, "noise", low=0.0)
    factor = check_real(factor, "factor", low=0.0, high=1.0, low_open=True, high_open=True)
    rng = np.random.RandomState(seed)
    n_outer = n_samples // 2
    n_inner = n_samples - n_outer
    angles = [np.linspace(0, 2 * np.pi, n, endpoint=False) for n in (n_outer, n_inner)]
    radii = np.concatenate([np.ones(n_outer), np.full(n_inner, factor)])
    angle = np.concatenate(angles)
    X = np.column_stack([radii * np.cos(angle), radii * np.sin(angle)])
    y = np.concatenate([np.zeros(n_outer), np.ones(n_inner)]).reshape(-1, 1)
    order = np.arange(n_samples)
    rng.shuffle(order)
    X, y = X[order], y[order]
    return X + rng.normal(scale=noise, size=X.shape), y


def digits_file():
    """The path of scikit-learn's ``digits.csv.gz`` (found without importing scikit-learn)."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("the digits come with scikit-learn: pip install scikit-learn")
    return Path(spec.origin).parent / "datasets" / "data" / "digits.csv.gz"


def digits():
    """The 1797 handwritten digits: images ``(1797, 8, 8)`` with pixel values 0 … 16, labels ``(1797,)``.

    The same arrays as ``load_digits().images`` and ``load_digits().target``; each row of the
    file is an image's 64 pixels, row by row, then its label.
    """
    with gzip.open(digits_file(), "rt") as f:
        table = np.loadtxt(f, delimiter=",")
    return table[:, :-1].reshape(-1, 8, 8), table[:, -1].astype(int)


def stratified_split(y, sizes, seed=0):
    """Index arrays of the given ``sizes`` (adding up to ``len(y)``), each with y's class shares.

    Every class's members are shuffled and spread evenly over [0, 1); the parts are then
    consecutive runs of all the samples sorted by that position, so a part of s samples holds
    s·(its share) of each class, give or take one. Each part is returned in shuffled order.
    """
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"y: expected one label per sample, shape (n,) or (n, 1), got shape {y.shape}")
    sizes = [check_int(size, "sizes[k]", low=1) for size in sizes]
    if sum(sizes) != len(y):
        raise ValueError(
            f"sizes: expected sizes adding up to the {len(y)} samples, got {sizes} (sum {sum(sizes)})"
        )
    rng = np.random.default_rng(check_int(seed, "seed", low=0))
    position = np.empty(len(y))
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        position[members] = (np.arange(len(members)) + rng.random()) / len(members)
    order = np.argsort(position, kind="stable")
    parts = np.split(order, np.cumsum(sizes)[:-1])
    return [rng.permutation(part) for part in parts]

import subprocess
import sys

import numpy as np
import pytest

from backprop_course import datasets


@pytest.mark.parametrize("n_samples, seed", [(1000, 0), (300, 0), (200, 1), (200, 2), (7, 3), (2, 5)])
def test_two_circles_are_scikit_learns_points(n_samples, seed):
    from sklearn.datasets import make_circles

    X, y = datasets.two_circles(n_samples, seed)
    X_sk, y_sk = make_circles(n_samples=n_samples, factor=0.5, noise=0.1, random_state=seed)
    np.testing.assert_array_equal(X, X_sk)
    np.testing.assert_array_equal(y[:, 0], y_sk)
    assert X.shape == (n_samples, 2) and y.shape == (n_samples, 1) and y.dtype == np.float64


def test_two_circles_other_noise_and_factor_and_bad_input():
    from sklearn.datasets import make_circles

    X, y = datasets.two_circles(50, 4, noise=0.0, factor=0.3)
    X_sk, _ = make_circles(n_samples=50, factor=0.3, noise=0.0, random_state=4)
    np.testing.assert_array_equal(X, X_sk)
    radii = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radii, np.where(y[:, 0] == 1, 0.3, 1.0))
    with pytest.raises(ValueError, match="factor"):
        datasets.two_circles(10, 0, factor=1.5)
    with pytest.raises(TypeError, match="n_samples"):
        datasets.two_circles(10.5, 0)


def test_digits_are_load_digits():
    from sklearn.datasets import load_digits

    images, labels = datasets.digits()
    reference = load_digits()
    np.testing.assert_array_equal(images, reference.images)
    np.testing.assert_array_equal(labels, reference.target)
    assert images.shape == (1797, 8, 8) and labels.dtype.kind == "i"


def test_the_course_data_do_not_import_scikit_learn():
    code = (
        "import sys\n"
        "from backprop_course import datasets\n"
        "from backprop_course.original import make_original_data\n"
        "from backprop_course.explorers import nb08_optimizers_and_minibatches as oe\n"
        "datasets.digits(); make_original_data(); oe.two_circles()\n"
        "datasets.stratified_split([0, 1] * 5, [6, 4])\n"
        "print('sklearn' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_stratified_split_sizes_cover_every_sample_once_and_keep_the_shares():
    labels = datasets.digits()[1]
    parts = datasets.stratified_split(labels, [1000, 347, 450], seed=0)
    assert [len(p) for p in parts] == [1000, 347, 450]
    assert np.array_equal(np.sort(np.concatenate(parts)), np.arange(len(labels)))
    share = np.bincount(labels) / len(labels)
    for part in parts:
        counts = np.bincount(labels[part], minlength=10)
        assert np.all(np.abs(counts - share * len(part)) <= 1), counts


def test_stratified_split_is_seeded_shuffled_and_takes_column_labels():
    y = np.repeat([0.0, 1.0], [30, 70]).reshape(-1, 1)
    a = datasets.stratified_split(y, [60, 40], seed=3)
    b = datasets.stratified_split(y[:, 0], [60, 40], seed=3)
    c = datasets.stratified_split(y, [60, 40], seed=4)
    assert all(np.array_equal(p, q) for p, q in zip(a, b))
    assert not np.array_equal(a[0], c[0])
    assert not np.array_equal(a[0], np.sort(a[0]))  # each part is shuffled, not in class order
    assert np.bincount(y[a[1], 0].astype(int)).tolist() == [12, 28]


def test_stratified_split_names_bad_sizes_and_labels():
    with pytest.raises(ValueError, match=r"adding up to the 10 samples, got \[6, 3\]"):
        datasets.stratified_split(np.arange(10) % 2, [6, 3])
    with pytest.raises(ValueError, match=r"one label per sample.*\(5, 2\)"):
        datasets.stratified_split(np.zeros((5, 2)), [3, 2])
    with pytest.raises(ValueError, match="sizes"):
        datasets.stratified_split(np.arange(10) % 2, [10, 0])

"""BackpropClassifier as a scikit-learn estimator: scikit-learn's own check suite, use in
Pipeline, cross_val_score and GridSearchCV; and it is the only core module that needs
scikit-learn, so ``import backprop_lib`` stays light."""

import json
import pickle
import subprocess
import sys

import numpy as np
import pytest
from conftest import one_pass
from sklearn.datasets import load_iris, make_blobs
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

import backprop_lib as bp
from backprop_lib.sklearn_estimator import BackpropClassifier

HEAVY = ("matplotlib", "ipywidgets", "scipy", "sklearn", "pandas", "backprop_course", "autograd", "IPython")
CORE = (
    "activations",
    "autodiff",
    "gradcheck",
    "initializers",
    "layer",
    "loops",
    "losses",
    "mlp",
    "optimizers",
    "persistence",
    "training",
    "validation",
)


def test_importing_the_library_loads_numpy_and_nothing_heavy_and_the_estimator_brings_sklearn(tmp_path):
    """In a fresh interpreter: sys.modules after the whole core, then after the estimator."""
    code = "\n".join(
        [
            "import json, sys",
            "import backprop_lib",
            *(f"import backprop_lib.{m}" for m in CORE),
            "core = sorted(sys.modules)",
            "import backprop_lib.sklearn_estimator",
            "print(json.dumps([core, sorted(sys.modules)]))",
        ]
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True, timeout=120
    ).stdout
    core, estimator = ({name.split(".")[0] for name in names} for names in json.loads(out))
    assert "numpy" in core and "backprop_lib" in core
    assert not core & set(HEAVY), sorted(core & set(HEAVY))
    assert "sklearn" in estimator  # the check sees a heavy import when there is one
    assert not hasattr(bp, "BackpropClassifier")


# scikit-learn's whole estimator suite (about 55 checks), every one expected to pass:
# no expected_failed_checks. A few epochs keep it quick; the training checks still need
# > 83 % training accuracy on blobs, which this reaches. tests/conftest.py sets SCIPY_ARRAY_API,
# without which scikit-learn would skip its array-API check.
@parametrize_with_checks([BackpropClassifier(max_epochs=30)])
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)


def test_learns_iris_in_a_pipeline_with_a_scaler(iris):
    X_train, X_test, y_train, y_test = iris
    model = make_pipeline(StandardScaler(), BackpropClassifier(max_epochs=60, random_state=0))
    model.fit(X_train, y_train)
    assert model.score(X_test, y_test) >= 0.9
    proba = model.predict_proba(X_test)
    assert proba.shape == (len(X_test), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_cross_val_score_and_grid_search(iris):
    X_train, _, y_train, _ = iris
    model = make_pipeline(StandardScaler(), BackpropClassifier(max_epochs=30, random_state=0))
    scores = cross_val_score(model, X_train, y_train, cv=3)
    assert scores.shape == (3,) and scores.min() >= 0.8
    grid = GridSearchCV(
        model,
        {
            "backpropclassifier__hidden_layer_sizes": [(4,), (16,)],
            "backpropclassifier__learning_rate": [1e-4, 0.1],
        },
        cv=3,
    ).fit(X_train, y_train)
    # A learning rate of 1e-4 barely moves the weights in 30 epochs: the search must see it.
    assert grid.best_params_["backpropclassifier__learning_rate"] == 0.1
    assert grid.best_score_ >= 0.8


def test_binary_problems_use_one_sigmoid_output_and_keep_their_labels():
    X, y = make_blobs(n_samples=80, centers=2, random_state=1)  # separable blobs
    labels = np.where(y == 1, "spam", "ham")
    clf = BackpropClassifier(max_epochs=20, random_state=0).fit(X, labels)
    assert clf.net_.layer_sizes == [2, 32, 1]
    assert clf.net_.layers[-1].activation.name == "sigmoid"
    assert clf.net_.loss_fn.name == "bce"
    assert list(clf.classes_) == ["ham", "spam"]
    assert set(clf.predict(X)) <= {"ham", "spam"}
    assert clf.score(X, labels) == 1.0
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba[:, 1], clf.net_.output(X)[:, 0], rtol=1e-15)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-15)


def test_multiclass_uses_softmax_and_cross_entropy():
    X, y = make_blobs(n_samples=90, centers=3, random_state=1)
    clf = BackpropClassifier(hidden_layer_sizes=(8, 6), activation="tanh", max_epochs=5, random_state=0).fit(
        X, y
    )
    assert clf.net_.layer_sizes == [2, 8, 6, 3]
    assert [layer.activation.name for layer in clf.net_.layers] == ["tanh", "tanh", "softmax"]
    assert clf.net_.loss_fn.name == "cross_entropy"
    assert clf.n_iter_ == 5 and len(clf.loss_curve_) == 5
    assert clf.n_features_in_ == 2


def test_no_hidden_layer_is_softmax_regression_and_an_int_is_one_layer():
    X, y = make_blobs(n_samples=60, centers=3, random_state=2)
    assert BackpropClassifier(hidden_layer_sizes=(), max_epochs=10, random_state=0).fit(
        X, y
    ).net_.layer_sizes == [2, 3]
    assert BackpropClassifier(hidden_layer_sizes=7, max_epochs=1, random_state=0).fit(
        X, y
    ).net_.layer_sizes == [2, 7, 3]
    logistic = BackpropClassifier(activation="logistic", max_epochs=1, random_state=0).fit(X, y)
    assert logistic.net_.layers[0].activation.name == "sigmoid"


def test_training_loss_goes_down_and_seeds_reproduce():
    X, y = make_blobs(n_samples=120, centers=3, random_state=3)
    X = StandardScaler().fit_transform(X)
    a = BackpropClassifier(max_epochs=15, random_state=5).fit(X, y)
    b = BackpropClassifier(max_epochs=15, random_state=5).fit(X, y)
    assert a.loss_curve_[-1] < 0.5 * a.loss_curve_[0]
    assert a.loss_curve_ == b.loss_curve_
    assert np.array_equal(a.predict_proba(X), b.predict_proba(X))


def test_the_training_loop_is_mean_loss_gradient_descent():
    # One epoch on one batch of all the samples: exactly one gradient-descent step on the mean
    # loss (the batch is shuffled, which changes the mean only by round-off).
    X, y = make_blobs(n_samples=30, centers=3, random_state=4)
    clf = BackpropClassifier(
        hidden_layer_sizes=(5,), max_epochs=1, batch_size=30, learning_rate=0.05, random_state=0
    ).fit(X, y)
    init_seed = np.random.RandomState(0).randint(np.iinfo(np.int32).max, size=2)[0]
    net = bp.MLP([2, 5, 3], ["relu", "softmax"], loss="cross_entropy", seed=int(init_seed))
    one_pass(net, X, np.eye(3)[y])
    net.update(0.05)
    assert clf.loss_curve_ == pytest.approx([net.loss(X, np.eye(3)[y])], rel=1e-12)
    for (_, p), (_, q) in zip(clf.net_.parameters(), net.parameters()):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-15)


def test_pickles_and_predicts_the_same():
    X, y = make_blobs(n_samples=50, centers=3, random_state=0)
    clf = BackpropClassifier(max_epochs=3, random_state=0).fit(X, y)
    again = pickle.loads(pickle.dumps(clf))
    assert np.array_equal(again.predict_proba(X), clf.predict_proba(X))


@pytest.mark.parametrize(
    "params, error, message",
    [
        ({"hidden_layer_sizes": (4, 0)}, ValueError, "hidden_layer_sizes: expected an integer >= 1, got 0"),
        (
            {"hidden_layer_sizes": "32"},
            TypeError,
            "BackpropClassifier: hidden_layer_sizes: expected a tuple of ints, got '32'",
        ),
        (
            {"activation": "softmax"},
            ValueError,
            r"BackpropClassifier: activation: expected one of \[.*'relu'.*\], got 'softmax'",
        ),
        (
            {"learning_rate": 0.0},
            ValueError,
            r"learning rate: expected a finite number in \(0, inf\], got 0.0",
        ),
        ({"learning_rate": np.inf}, ValueError, "learning rate: expected a finite number .*got inf"),
        ({"max_epochs": 0}, ValueError, "max_epochs: expected an integer >= 1, got 0"),
        ({"batch_size": 2.5}, TypeError, r"batch_size: expected an integer >= 1, got 2.5 \(float\)"),
        ({"init": "zeros"}, ValueError, "unknown initialiser 'zeros'"),
    ],
)
def test_bad_parameters_give_clear_errors_in_fit(params, error, message):
    X, y = make_blobs(n_samples=20, centers=2, random_state=0)
    clf = BackpropClassifier(**params)  # __init__ only stores them
    with pytest.raises(error, match=message):
        clf.fit(X, y)


def test_unfitted_and_one_class_give_clear_errors():
    X, _ = make_blobs(n_samples=20, centers=2, random_state=0)
    with pytest.raises(NotFittedError):
        BackpropClassifier().predict(X)
    with pytest.raises(
        ValueError, match=r"needs samples of at least 2 classes, got only one class: np.float64\(0.0\)"
    ):
        BackpropClassifier().fit(X, np.zeros(len(X)))


def test_divergence_is_reported_with_advice():
    X, y = make_blobs(n_samples=40, centers=3, random_state=0)
    with pytest.raises(
        FloatingPointError,
        match=r"training diverged in epoch 1 \(learning_rate=1e\+300\); try a smaller learning_rate",
    ):
        BackpropClassifier(learning_rate=1e300, max_epochs=3, random_state=0).fit(X * 1e10, y)


def test_predicting_does_not_touch_the_network_caches():
    X, y = make_blobs(n_samples=30, centers=3, random_state=0)
    clf = BackpropClassifier(max_epochs=2, random_state=0).fit(X, y)
    before = [(layer.a_prev, layer.z, layer.a, layer.dz) for layer in clf.net_.layers]
    clf.predict(X[:5])
    clf.predict_proba(X[:7])
    assert all(
        a is b
        for layer, kept in zip(clf.net_.layers, before)
        for a, b in zip((layer.a_prev, layer.z, layer.a, layer.dz), kept)
    )

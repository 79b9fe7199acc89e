"""BackpropClassifier as a scikit-learn estimator: scikit-learn's own check suite, and use in
Pipeline, cross_val_score and GridSearchCV."""

import pickle

import numpy as np
import pytest
from sklearn.datasets import load_iris, make_blobs
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

import backprop_lib as bp
from backprop_lib.sklearn_estimator import BackpropClassifier


# scikit-learn's whole estimator suite (about 55 checks), every one expected to pass:
# no expected_failed_checks. A few epochs keep it quick; the training checks still need
# > 83 % training accuracy on blobs, which this reaches. Checks scikit-learn skips by itself
# (array API input without SCIPY_ARRAY_API set) show as skipped.
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
        {"backpropclassifier__hidden_layer_sizes": [(4,), (16,)],
         "backpropclassifier__learning_rate": [1e-4, 0.1]},
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


def test_multiclass_uses_softmax_and_cross_entropy():
    X, y = make_blobs(n_samples=90, centers=3, random_state=1)
    clf = BackpropClassifier(hidden_layer_sizes=(8, 6), activation="tanh", max_epochs=5,
                             random_state=0).fit(X, y)
    assert clf.net_.layer_sizes == [2, 8, 6, 3]
    assert [layer.activation.name for layer in clf.net_.layers] == ["tanh", "tanh", "softmax"]
    assert clf.net_.loss_fn.name == "cross_entropy"
    assert clf.n_iter_ == 5 and len(clf.loss_curve_) == 5
    assert clf.n_features_in_ == 2


def test_no_hidden_layer_is_softmax_regression():
    X, y = make_blobs(n_samples=60, centers=3, random_state=2)
    clf = BackpropClassifier(hidden_layer_sizes=(), max_epochs=10, random_state=0).fit(X, y)
    assert clf.net_.layer_sizes == [2, 3]


def test_training_loss_goes_down_and_seeds_reproduce():
    X, y = make_blobs(n_samples=120, centers=3, random_state=3)
    X = StandardScaler().fit_transform(X)
    a = BackpropClassifier(max_epochs=15, random_state=5).fit(X, y)
    b = BackpropClassifier(max_epochs=15, random_state=5).fit(X, y)
    assert a.loss_curve_[-1] < 0.5 * a.loss_curve_[0]
    assert a.loss_curve_ == b.loss_curve_
    assert np.array_equal(a.predict_proba(X), b.predict_proba(X))


def test_the_training_loop_is_mean_loss_gradient_descent():
    # One epoch, one full batch, no shuffling: exactly one MLP.train_step.
    X, y = make_blobs(n_samples=30, centers=3, random_state=4)
    clf = BackpropClassifier(hidden_layer_sizes=(5,), max_epochs=1, batch_size=30, shuffle=False,
                             learning_rate=0.05, random_state=0)
    clf.fit(X, y)
    init_seed = np.random.RandomState(0).randint(np.iinfo(np.int32).max, size=2)[0]
    net = bp.MLP([2, 5, 3], ["relu", "softmax"], loss="cross_entropy", seed=int(init_seed))
    first_loss = net.train_step(X, np.eye(3)[y], 0.05)
    assert clf.loss_curve_ == [first_loss]
    for (_, p), (_, q) in zip(clf.net_.parameters(), net.parameters()):
        np.testing.assert_array_equal(p, q)


def test_pickles_and_predicts_the_same():
    X, y = make_blobs(n_samples=50, centers=3, random_state=0)
    clf = BackpropClassifier(max_epochs=3, random_state=0).fit(X, y)
    again = pickle.loads(pickle.dumps(clf))
    assert np.array_equal(again.predict_proba(X), clf.predict_proba(X))


def test_unfitted_and_bad_parameters_give_clear_errors():
    X, y = make_blobs(n_samples=20, centers=2, random_state=0)
    with pytest.raises(NotFittedError):
        BackpropClassifier().predict(X)
    bad = [
        ({"hidden_layer_sizes": (4, 0)}, "hidden_layer_sizes: expected positive integers"),
        ({"hidden_layer_sizes": "32"}, "hidden_layer_sizes: expected a tuple of ints"),
        ({"activation": "softmax"}, "activation: expected one of"),
        ({"learning_rate": 0.0}, "learning_rate: expected a finite number > 0"),
        ({"learning_rate": np.inf}, "learning_rate"),
        ({"max_epochs": 0}, "max_epochs: expected an integer >= 1"),
        ({"batch_size": 2.5}, "batch_size: expected an integer >= 1"),
        ({"init": "zeros"}, "unknown initialiser 'zeros'"),
    ]
    for params, message in bad:
        with pytest.raises((ValueError, TypeError), match=message):
            BackpropClassifier(**params).fit(X, y)
    with pytest.raises(ValueError, match="at least 2 classes, got only one class"):
        BackpropClassifier().fit(X, np.zeros(len(X)))


def test_divergence_is_reported_with_advice():
    X, y = make_blobs(n_samples=40, centers=3, random_state=0)
    with pytest.raises(FloatingPointError, match="training diverged .* smaller learning_rate"):
        BackpropClassifier(learning_rate=1e300, max_epochs=3, random_state=0).fit(X * 1e10, y)


def test_predicting_does_not_touch_the_network_caches():
    X, y = make_blobs(n_samples=30, centers=3, random_state=0)
    clf = BackpropClassifier(max_epochs=2, random_state=0).fit(X, y)
    before = clf.net_.layers[0].a_prev
    clf.predict(X[:5])
    assert clf.net_.layers[0].a_prev is before

"""``BackpropClassifier``: backprop_lib's MLP as a scikit-learn classifier.

It follows scikit-learn's estimator rules, so it works in a ``Pipeline``, in
``cross_val_score`` and in ``GridSearchCV``, and it passes ``check_estimator``:

* ``__init__`` only stores its arguments; they are checked in ``fit``;
* what ``fit`` learns ends with an underscore: ``classes_``, ``n_features_in_``,
  ``net_`` (the trained ``backprop_lib.MLP``), ``n_iter_``, ``loss_curve_``;
* any labels work (strings, -1/1, ...): they are encoded as 0..K−1 and decoded back.

Two classes get one sigmoid output with binary cross-entropy; three or more get a softmax
output with categorical cross-entropy. Training is plain mini-batch gradient descent on
the mean loss of each batch (shuffled anew every epoch), for exactly ``max_epochs`` passes over
the data, by ``backprop_lib.train``.
"""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from .mlp import MLP
from .training import train
from .validation import check_int, check_learning_rate

# Hidden-layer activations by name (scikit-learn's "logistic" is our "sigmoid").
HIDDEN_ACTIVATIONS = {
    "relu": "relu",
    "leaky_relu": "leaky_relu",
    "tanh": "tanh",
    "sigmoid": "sigmoid",
    "logistic": "sigmoid",
    "identity": "identity",
}


class BackpropClassifier(ClassifierMixin, BaseEstimator):
    """A multilayer perceptron classifier trained with backprop_lib.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(32,)
        Units per hidden layer; ``()`` gives softmax (or logistic) regression.
    activation : str, default="relu"
        Hidden activation: "relu", "leaky_relu", "tanh", "sigmoid"/"logistic", "identity".
    learning_rate : float, default=0.1
        Step size of gradient descent.
    max_epochs : int, default=100
        Passes over the training data.
    batch_size : int, default=32
        Samples per gradient step (capped at the number of samples).
    init : str, default="auto"
        Weight initialisation (see ``backprop_lib.MLP``): "auto", "he", "xavier", "normal".
    random_state : int, RandomState or None, default=None
        Seeds the initial weights and the shuffling.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    n_features_in_ : int
    net_ : backprop_lib.MLP — layer sizes ``[n_features, *hidden_layer_sizes, n_outputs]``
    n_iter_ : int — epochs run
    loss_curve_ : list of float — mean training loss after each epoch
    """

    def __init__(
        self,
        hidden_layer_sizes=(32,),
        activation="relu",
        learning_rate=0.1,
        max_epochs=100,
        batch_size=32,
        init="auto",
        random_state=None,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.learning_rate = learning_rate
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.init = init
        self.random_state = random_state

    # -- fit ----------------------------------------------------------------------------

    def fit(self, X, y):
        """Train on X ``(n_samples, n_features)`` and labels y ``(n_samples,)``; returns self."""
        name = type(self).__name__
        hidden = self._hidden_sizes()
        if not isinstance(self.activation, str) or self.activation not in HIDDEN_ACTIVATIONS:
            raise ValueError(
                f"{name}: activation: expected one of {sorted(HIDDEN_ACTIVATIONS)}, got {self.activation!r}"
            )
        lr = check_learning_rate(self.learning_rate)
        epochs = check_int(self.max_epochs, "max_epochs", low=1)
        batch_size = check_int(self.batch_size, "batch_size", low=1)
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        classes, y_index = np.unique(y, return_inverse=True)
        if len(classes) < 2:
            raise ValueError(
                f"{name} needs samples of at least 2 classes, got only one class: {classes[0]!r}"
            )
        if len(classes) == 2:
            targets, output, loss = y_index.reshape(-1, 1).astype(np.float64), "sigmoid", "bce"
        else:
            targets, output, loss = np.eye(len(classes))[y_index], "softmax", "cross_entropy"

        init_seed, shuffle_seed = check_random_state(self.random_state).randint(
            np.iinfo(np.int32).max, size=2
        )
        net = MLP(
            [X.shape[1], *hidden, targets.shape[1]],
            [HIDDEN_ACTIVATIONS[self.activation]] * len(hidden) + [output],
            loss=loss,
            seed=int(init_seed),
            init=self.init,
        )
        history = train(
            net, X, targets, lr, epochs, batch_size=min(batch_size, len(X)), rng=int(shuffle_seed)
        )
        if history.diverged:
            raise FloatingPointError(
                f"{name}: training diverged in epoch {history.epochs_done + 1} (learning_rate={lr!r}); "
                "try a smaller learning_rate or standardise X (e.g. StandardScaler in a Pipeline)"
            )
        self.classes_ = classes
        self.net_ = net
        self.n_iter_ = epochs
        self.loss_curve_ = history.losses[1:]
        return self

    def _hidden_sizes(self):
        """``hidden_layer_sizes`` as a tuple of ints (a single int is one layer)."""
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, numbers.Integral) and not isinstance(sizes, bool):
            sizes = (sizes,)
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
            raise TypeError(
                f"{type(self).__name__}: hidden_layer_sizes: expected a tuple of ints, got {sizes!r}"
            )
        return tuple(check_int(n, "hidden_layer_sizes", low=1) for n in sizes)

    # -- predict ------------------------------------------------------------------------

    def predict_proba(self, X):
        """Class probabilities ``(n_samples, n_classes)``, columns in the order of ``classes_``."""
        check_is_fitted(self)
        a = self.net_.output(validate_data(self, X, reset=False, dtype=np.float64))
        if a.shape[1] == 1:
            return np.hstack([1.0 - a, a])
        return a

    def predict(self, X):
        """Labels ``(n_samples,)``: the class of highest probability."""
        check_is_fitted(self)
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

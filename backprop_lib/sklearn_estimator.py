"""``BackpropClassifier``: backprop_lib's MLP as a scikit-learn classifier.

It follows scikit-learn's estimator rules, so it works in a ``Pipeline``, in
``cross_val_score`` and in ``GridSearchCV``, and it passes ``check_estimator``:

* ``__init__`` only stores its arguments; they are checked in ``fit``;
* what ``fit`` learns ends with an underscore: ``classes_``, ``n_features_in_``,
  ``net_`` (the trained ``backprop_lib.MLP``), ``n_iter_``, ``loss_curve_``;
* any labels work (strings, -1/1, ...): they are encoded as 0..K−1 and decoded back.

Two classes get one sigmoid output with binary cross-entropy; three or more get a softmax
output with categorical cross-entropy. Training is plain mini-batch gradient descent on
the mean loss of each batch, for exactly ``max_epochs`` passes over the data.
"""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from .mlp import MLP

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
    shuffle : bool, default=True
        Shuffle the samples before every epoch.
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
    loss_curve_ : list of float — mean training loss of each epoch
    """

    def __init__(
        self,
        hidden_layer_sizes=(32,),
        activation="relu",
        learning_rate=0.1,
        max_epochs=100,
        batch_size=32,
        shuffle=True,
        init="auto",
        random_state=None,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.learning_rate = learning_rate
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.init = init
        self.random_state = random_state

    # -- fit ----------------------------------------------------------------------------

    def fit(self, X, y):
        """Train on X ``(n_samples, n_features)`` and labels y ``(n_samples,)``; returns self."""
        hidden, activation = self._checked_params()
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        classes, y_index = np.unique(y, return_inverse=True)
        if len(classes) < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes, "
                f"got only one class: {classes[0]!r}"
            )
        if len(classes) == 2:
            targets = y_index.reshape(-1, 1).astype(np.float64)
            output, loss = "sigmoid", "bce"
        else:
            targets = np.eye(len(classes))[y_index]
            output, loss = "softmax", "cross_entropy"

        random_state = check_random_state(self.random_state)
        init_seed, shuffle_seed = random_state.randint(np.iinfo(np.int32).max, size=2)
        net = MLP(
            [X.shape[1], *hidden, targets.shape[1]],
            [activation] * len(hidden) + [output],
            loss=loss,
            seed=int(init_seed),
            init=self.init,
        )
        shuffler = np.random.default_rng(int(shuffle_seed))
        n = len(X)
        batch = min(self.batch_size, n)
        curve = []
        for epoch in range(1, self.max_epochs + 1):
            order = shuffler.permutation(n) if self.shuffle else np.arange(n)
            total = 0.0
            for start in range(0, n, batch):
                rows = order[start:start + batch]
                try:
                    total += net.train_step(X[rows], targets[rows], self.learning_rate) * len(rows)
                except FloatingPointError as err:
                    raise FloatingPointError(
                        f"{type(self).__name__}: training diverged in epoch {epoch} "
                        f"(learning_rate={self.learning_rate!r}); try a smaller learning_rate "
                        "or standardise X (e.g. StandardScaler in a Pipeline)"
                    ) from err
            curve.append(total / n)

        self.classes_ = classes
        self.net_ = net
        self.n_iter_ = self.max_epochs
        self.loss_curve_ = curve
        return self

    def _checked_params(self):
        """The hidden sizes as a tuple and the activation name, or a clear error."""
        name = type(self).__name__
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, numbers.Integral) and not isinstance(sizes, bool):
            sizes = (sizes,)
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
            raise TypeError(f"{name}: hidden_layer_sizes: expected a tuple of ints, got {sizes!r}")
        sizes = tuple(sizes)
        for n in sizes:
            if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
                raise ValueError(
                    f"{name}: hidden_layer_sizes: expected positive integers, got {self.hidden_layer_sizes!r}"
                )
        if not isinstance(self.activation, str) or self.activation not in HIDDEN_ACTIVATIONS:
            raise ValueError(
                f"{name}: activation: expected one of {sorted(HIDDEN_ACTIVATIONS)}, got {self.activation!r}"
            )
        lr = self.learning_rate
        if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not np.isfinite(lr) or lr <= 0:
            raise ValueError(f"{name}: learning_rate: expected a finite number > 0, got {lr!r}")
        for param in ("max_epochs", "batch_size"):
            value = getattr(self, param)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
                raise ValueError(f"{name}: {param}: expected an integer >= 1, got {value!r}")
        return tuple(int(n) for n in sizes), HIDDEN_ACTIVATIONS[self.activation]

    # -- predict ------------------------------------------------------------------------

    def predict_proba(self, X):
        """Class probabilities ``(n_samples, n_classes)``, columns in the order of ``classes_``."""
        check_is_fitted(self)
        a = validate_data(self, X, reset=False, dtype=np.float64)
        # The forward pass without the layers' caches, so predicting changes nothing.
        for layer in self.net_.layers:
            a = layer.activation.forward(a @ layer.W + layer.b)
        if a.shape[1] == 1:
            return np.hstack([1.0 - a, a])
        return a

    def predict(self, X):
        """Labels ``(n_samples,)``: the class of highest probability."""
        check_is_fitted(self)
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

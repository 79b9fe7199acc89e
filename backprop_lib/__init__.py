"""backprop_lib: back-propagation in numpy, written to be read beside the notebooks.

It needs numpy and nothing else. ``BackpropClassifier`` (``backprop_lib.sklearn_estimator``)
needs scikit-learn and is therefore not imported here.
"""

from .activations import Activation, Identity, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh, get_activation
from .gradcheck import (
    TOLERANCE,
    central_difference,
    check_line,
    check_network,
    format_rel_error,
    format_report,
    gradient_report,
    numerical_gradient,
    rel_error,
)
from .initializers import He, Initializer, Normal, Xavier, get_initializer
from .layer import Dense
from .loops import backward_by_loops, forward_by_loops, gradients_by_loops
from .losses import BinaryCrossEntropy, CategoricalCrossEntropy, Loss, MeanSquaredError, get_loss
from .mlp import MLP
from .optimizers import SGD, Adam, Momentum, Optimizer, get_optimizer
from .training import History, accuracy, minibatches, train

__version__ = "0.2.0"

"""backprop_lib: back-propagation in numpy, written to be read alongside the notebooks."""

from .activations import (
    Activation,
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
    get_activation,
)
from .gradcheck import check_network, numerical_gradient, rel_error
from .initializers import He, Initializer, Normal, Xavier, get_initializer
from .layer import Dense
from .losses import (
    BinaryCrossEntropy,
    CategoricalCrossEntropy,
    Loss,
    MeanSquaredError,
    get_loss,
)
from .mlp import MLP
from .scalar import scalar_backward, scalar_forward_sample

__version__ = "0.1.0"

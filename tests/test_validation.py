import numpy as np
import pytest

import backprop_lib as bp


@pytest.fixture
def net():
    return bp.MLP([3, 4, 2], ["relu", "sigmoid"], loss="bce", seed=0)


@pytest.mark.parametrize(
    "sizes, acts, error, message",
    [
        ([3, 0, 1], ["relu", "sigmoid"], ValueError, r"layer_sizes\[1\]: expected a positive integer, got 0"),
        ([3, -2, 1], ["relu", "sigmoid"], ValueError, "got -2"),
        ([3, 2.5, 1], ["relu", "sigmoid"], TypeError, r"layer_sizes\[1\].*got 2.5 \(float\)"),
        ([3, True, 1], ["relu", "sigmoid"], TypeError, "got True"),
        ([3], [], ValueError, "at least 2 sizes"),
        ("3-4-1", ["relu"], TypeError, "list of integers"),
        ([3, 4, 1], ["relu"], ValueError, r"activations: expected 2 .*got 1"),
        ([3, 4, 1], "relu", TypeError, "one activation per layer"),
        ([3, 4, 1], ["relu", "softplus"], ValueError, "unknown activation 'softplus'"),
        ([3, 4, 1], ["relu", "sigmoid"], ValueError, "unknown loss"),
    ],
)
def test_bad_construction(sizes, acts, error, message):
    loss = "nope" if message == "unknown loss" else "bce"
    with pytest.raises(error, match=message):
        bp.MLP(sizes, acts, loss=loss)


def test_bad_initialiser_name():
    with pytest.raises(ValueError, match="unknown initialiser 'zeros'"):
        bp.MLP([2, 1], ["sigmoid"], init="zeros")


@pytest.mark.parametrize(
    "X, error, message",
    [
        (np.ones((5, 2)), ValueError, r"expected 3 features .*got shape \(5, 2\)"),
        (np.ones(3), ValueError, r"2-D array .*got shape \(3,\).*reshape\(1, -1\)"),
        (np.ones((0, 3)), ValueError, "at least one sample"),
        (np.array([[1.0, np.nan, 0.0]]), ValueError, r"finite values, got nan at index \(0, 1\)"),
        (np.array([[1.0, np.inf, 0.0]]), ValueError, "got inf"),
        ([["a", "b", "c"]], TypeError, "numeric array"),
        ("abc", TypeError, "numeric array, got str"),
    ],
)
def test_bad_X(net, X, error, message):
    with pytest.raises(error, match=message):
        net.forward(X)


@pytest.mark.parametrize(
    "y, error, message",
    [
        (np.ones((5, 1)), ValueError, r"expected shape \(5, 2\).*got shape \(5, 1\)"),
        (np.ones((4, 2)), ValueError, r"expected shape \(5, 2\).*got shape \(4, 2\)"),
        (np.ones(5), ValueError, "2-D array"),
        (np.full((5, 2), np.nan), ValueError, "finite values"),
        (np.full((5, 2), 2.0), ValueError, r"targets y in \[0, 1\]"),
    ],
)
def test_bad_y(net, y, error, message):
    net.forward(np.ones((5, 3)))
    with pytest.raises(error, match=message):
        net.backward(y)
    with pytest.raises(error, match=message):
        net.loss(np.ones((5, 3)), y)


@pytest.mark.parametrize(
    "lr, error, message",
    [(-0.1, ValueError, "got -0.1"), (np.nan, ValueError, "got nan"), (np.inf, ValueError, "got inf"),
     ("0.1", TypeError, "real number, got str"), (None, TypeError, "got NoneType")],
)
def test_bad_learning_rate(net, lr, error, message):
    net.forward(np.ones((5, 3)))
    net.backward(np.zeros((5, 2)))
    with pytest.raises(error, match=message):
        net.update(lr)


def test_order_of_calls_is_explained(net):
    with pytest.raises(RuntimeError, match="call forward"):
        net.backward(np.zeros((1, 2)))
    with pytest.raises(RuntimeError, match="call backward"):
        net.update(0.1)


def test_gradcheck_inputs():
    with pytest.raises(TypeError, match="float64 numpy array"):
        bp.numerical_gradient(lambda: 0.0, [1.0, 2.0])
    with pytest.raises(ValueError, match="same shape"):
        bp.rel_error(np.zeros(2), np.zeros(3))
    assert bp.rel_error(np.zeros(3), np.zeros(3)) == 0.0

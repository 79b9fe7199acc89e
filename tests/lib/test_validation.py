"""backprop_lib.validation: every argument check, and that each message says what was expected
and what was got, wherever the library is entered."""

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib import validation as v


@pytest.fixture
def net():
    return bp.MLP([3, 4, 2], ["relu", "sigmoid"], loss="bce", seed=0)


@pytest.mark.parametrize(
    "sizes, acts, error, message",
    [
        ([3, 0, 1], ["relu", "sigmoid"], ValueError, r"layer_sizes\[1\]: expected an integer >= 1, got 0"),
        ([3, -2, 1], ["relu", "sigmoid"], ValueError, r"layer_sizes\[1\]: expected an integer >= 1, got -2"),
        (
            [3, 2.5, 1],
            ["relu", "sigmoid"],
            TypeError,
            r"layer_sizes\[1\]: expected an integer >= 1, got 2.5 \(float\)",
        ),
        ([3, True, 1], ["relu", "sigmoid"], TypeError, r"got True \(bool\)"),
        ([3], [], ValueError, r"layer_sizes: expected at least 2 sizes \(inputs and outputs\), got \[3\]"),
        (
            "3-4-1",
            ["relu"],
            TypeError,
            r"layer_sizes: expected a list of integers such as \[2, 4, 3, 1\], got str",
        ),
        (
            [3, 4, 1],
            ["relu"],
            ValueError,
            r"activations: expected 2 \(one per layer after the input for layer_sizes \[3, 4, 1\]\), got 1",
        ),
        ([3, 4, 1], "relu", TypeError, "activations: expected a list with one activation per layer, got str"),
        ([3, 4, 1], ["relu", "softplus"], ValueError, r"unknown activation 'softplus': expected one of \["),
    ],
)
def test_bad_construction(sizes, acts, error, message):
    with pytest.raises(error, match=message):
        bp.MLP(sizes, acts)


def test_bad_loss_name():
    with pytest.raises(ValueError, match=r"unknown loss 'nope': expected one of \["):
        bp.MLP([3, 4, 1], ["relu", "sigmoid"], loss="nope")


@pytest.mark.parametrize(
    "X, error, message",
    [
        (
            np.ones((5, 2)),
            ValueError,
            r"X: expected 3 features \(columns\) for this network, got shape \(5, 2\)",
        ),
        (
            np.ones(3),
            ValueError,
            r"X: expected a 2-D array .*got shape \(3,\) \(use .reshape\(1, -1\) for a single",
        ),
        (np.ones((2, 3, 1)), ValueError, r"got shape \(2, 3, 1\)$"),
        (np.ones((0, 3)), ValueError, r"X: expected at least one sample, got an empty batch \(0, 3\)"),
        (np.array([[1.0, np.nan, 0.0]]), ValueError, r"X: expected finite values, got nan at index \(0, 1\)"),
        (np.array([[1.0, np.inf, 0.0]]), ValueError, r"got inf at index \(0, 1\)"),
        ([["a", "b", "c"]], TypeError, "X: expected a numeric array, got list"),
        ("abc", TypeError, "X: expected a numeric array, got str"),
        (None, TypeError, "X: expected a numeric array, got NoneType"),
    ],
)
def test_bad_X_is_refused_by_every_entry(net, X, error, message):
    for entry in (
        net.forward,
        net.evaluate,
        net.output,
        net.predict,
        lambda X: net.loss(X, np.zeros((5, 2))),
    ):
        with pytest.raises(error, match=message):
            entry(X)


@pytest.mark.parametrize(
    "y, error, message",
    [
        (
            np.ones((5, 1)),
            ValueError,
            r"y: expected shape \(5, 2\) to match 5 samples and 2 network outputs, got shape \(5, 1\)",
        ),
        (np.ones((4, 2)), ValueError, r"y: expected shape \(5, 2\).*got shape \(4, 2\)"),
        (np.ones(5), ValueError, r"y: expected a 2-D array .*got shape \(5,\)"),
        (np.full((5, 2), np.nan), ValueError, "y: expected finite values, got nan"),
        (np.full((5, 2), 2.0), ValueError, r"expected targets y in \[0, 1\], got values from 2 to 2"),
        ("ab", TypeError, "y: expected a numeric array, got str"),
    ],
)
def test_bad_y(net, y, error, message):
    net.forward(np.ones((5, 3)))
    with pytest.raises(error, match=message):
        net.backward(y)
    with pytest.raises(error, match=message):
        net.loss(np.ones((5, 3)), y)


BAD_LEARNING_RATES = [
    (0.0, ValueError, r"learning rate: expected a finite number in \(0, inf\], got 0.0"),
    (-0.1, ValueError, "got -0.1"),
    (np.nan, ValueError, "got nan"),
    (np.inf, ValueError, "got inf"),
    ("0.1", TypeError, "learning rate: expected a real number, got str"),
    (None, TypeError, "learning rate: expected a real number, got NoneType"),
    (True, TypeError, "learning rate: expected a real number, got bool"),
]


def _update(lr):
    net = bp.MLP([3, 4, 2], ["relu", "sigmoid"], loss="bce", seed=0)
    net.forward(np.ones((5, 3)))
    net.backward(np.zeros((5, 2)))
    net.update(lr)


def _train(lr):
    bp.train(bp.MLP([3, 2], ["sigmoid"], seed=0), np.ones((4, 3)), np.zeros((4, 2)), lr, 1)


LEARNING_RATE_ENTRIES = {
    "MLP.update": _update,
    "train": _train,
    "SGD": bp.SGD,
    "Momentum": bp.Momentum,
    "Adam": bp.Adam,
    "get_optimizer": lambda lr: bp.get_optimizer("adam", lr),
    "sgd_update": lambda lr: bp.optimizers.sgd_update([1.0], [1.0], lr),
}


@pytest.mark.parametrize("entry", LEARNING_RATE_ENTRIES)
@pytest.mark.parametrize("lr, error, message", BAD_LEARNING_RATES)
def test_one_learning_rate_rule_everywhere(entry, lr, error, message):
    if entry == "get_optimizer" and lr is None:  # a name without a learning rate
        message = r"get_optimizer\('adam'\): expected a learning rate lr as well"
    with pytest.raises(error, match=message):
        LEARNING_RATE_ENTRIES[entry](lr)


def test_every_lookup_says_the_same_thing():
    for get, what, base in [
        (bp.get_activation, "activation", "Activation"),
        (bp.get_loss, "loss", "Loss"),
        (bp.get_initializer, "initialiser", "Initializer"),
        (lambda spec: bp.get_optimizer(spec, 0.1), "optimiser", "Optimizer"),
    ]:
        with pytest.raises(ValueError, match=rf"unknown {what} 'nope': expected one of \['"):
            get("nope")
        with pytest.raises(TypeError, match=rf"{what}: expected a name \(str\) or a {base} object, got list"):
            get([1])


# -- the checks themselves ---------------------------------------------------------------


def test_as_array_converts_to_float64_without_copying_float64():
    x = np.ones(3)
    assert v.as_array(x, "x") is x
    converted = v.as_array([1, 2], "x")
    assert converted.dtype == np.float64 and converted.tolist() == [1.0, 2.0]
    with pytest.raises(TypeError, match=r"x: expected a numeric array, got list \(.*\)"):
        v.as_array([1, "a"], "x")


@pytest.mark.parametrize(
    "value, low, error, message",
    [
        (3, 1, None, None),
        (np.int64(2), 1, None, None),
        (0, 1, ValueError, "n: expected an integer >= 1, got 0"),
        (-1, 0, ValueError, "n: expected an integer >= 0, got -1"),
        (2.0, 1, TypeError, r"n: expected an integer >= 1, got 2.0 \(float\)"),
        (False, 0, TypeError, r"n: expected an integer >= 0, got False \(bool\)"),
        ("3", 1, TypeError, r"n: expected an integer >= 1, got '3' \(str\)"),
    ],
)
def test_check_int(value, low, error, message):
    if error is None:
        assert v.check_int(value, "n", low) == value and type(v.check_int(value, "n", low)) is int
    else:
        with pytest.raises(error, match=message):
            v.check_int(value, "n", low)


@pytest.mark.parametrize(
    "kwargs, value, message",
    [
        ({"low": 0.0, "high": 1.0}, 1.5, r"r: expected a finite number in \[0, 1\], got 1.5"),
        ({"low": 0.0, "high": 1.0, "high_open": True}, 1.0, r"in \[0, 1\), got 1.0"),
        ({"low": 0.0, "low_open": True}, 0.0, r"in \(0, inf\], got 0.0"),
        ({}, np.nan, r"in \[-inf, inf\], got nan"),
        ({}, -np.inf, "got -inf"),
    ],
)
def test_check_real_names_its_interval(kwargs, value, message):
    with pytest.raises(ValueError, match=message):
        v.check_real(value, "r", **kwargs)


def test_check_real_accepts_numbers_inside_and_refuses_non_numbers():
    assert v.check_real(np.float32(0.5), "r", low=0.0, high=1.0) == 0.5
    assert v.check_real(1, "r", low=0.0, high=1.0) == 1.0  # ends included unless open
    with pytest.raises(TypeError, match="r: expected a real number, got complex"):
        v.check_real(1j, "r")


def test_check_parameters_checks_names_shapes_and_finiteness():
    current = {"W1": np.zeros((2, 3)), "b1": np.zeros((1, 3))}
    checked = v.check_parameters({"b1": [[1, 2, 3]]}, current)
    assert list(checked) == ["b1"] and checked["b1"].dtype == np.float64
    with pytest.raises(ValueError, match=r"parameters: expected names from \['W1', 'b1'\], got 'W2'"):
        v.check_parameters({"W2": np.zeros((2, 3))}, current)
    with pytest.raises(ValueError, match=r"new W1: expected the shape of W1 \(2, 3\), got \(3, 2\)"):
        v.check_parameters({"W1": np.zeros((3, 2))}, current)
    with pytest.raises(FloatingPointError, match="b1 would become infinite or NaN"):
        v.check_parameters({"b1": [[1.0, np.inf, 0.0]]}, current)

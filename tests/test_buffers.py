"""A pass writes into last pass's arrays only when nobody else holds them (backprop_lib/buffers.py)."""

import weakref

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib.buffers import reusable
from conftest import Cube, make_targets

ARRAYS = ("a_prev", "z", "a", "da", "dz", "dW", "db")

ARCHITECTURES = [
    ([3, 5, 4, 2], ["relu", "relu", "softmax"], "cross_entropy"),  # fused output
    ([3, 5, 4, 1], ["tanh", "leaky_relu", "sigmoid"], "bce"),
    ([3, 5, 4, 2], ["sigmoid", "identity", "identity"], "mse"),   # a is z in identity layers
    ([4, 3, 3], ["tanh", "softmax"], "mse"),                       # softmax Jacobian path
]


def one_pass(net, X, y):
    net.forward(X)
    net.backward(y)


def batch(sizes, loss, n, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, sizes[0])), make_targets(loss, n, sizes[-1], rng)


def test_arrays_nobody_holds_are_written_into_again():
    net = bp.MLP([3, 5, 4, 2], ["relu", "relu", "softmax"], loss="cross_entropy", seed=0)
    one_pass(net, *batch(net.layer_sizes, "cross_entropy", 6, seed=1))
    # Weak references see the arrays without holding them.
    names = {0: ("z", "a", "da", "dz", "dW"), 1: ("z", "a", "da", "dz", "dW"), 2: ("z", "a", "dW")}
    seen = {(k, name): weakref.ref(getattr(net.layers[k], name)) for k, ns in names.items() for name in ns}
    one_pass(net, *batch(net.layer_sizes, "cross_entropy", 6, seed=2))
    not_reused = [key for key, ref in seen.items() if ref() is not getattr(net.layers[key[0]], key[1])]
    assert not_reused == []


@pytest.mark.parametrize("sizes, acts, loss", ARCHITECTURES)
def test_an_array_you_keep_never_changes(sizes, acts, loss):
    net = bp.MLP(sizes, acts, loss=loss, seed=0)
    one_pass(net, *batch(sizes, loss, 6, seed=1))
    kept = [(k, name, getattr(layer, name)) for k, layer in enumerate(net.layers)
            for name in ARRAYS if getattr(layer, name) is not None]
    copies = [array.copy() for _, _, array in kept]
    one_pass(net, *batch(sizes, loss, 6, seed=2))
    for (k, name, array), before in zip(kept, copies):
        assert np.array_equal(array, before), f"layer {k + 1}'s kept {name} changed"
    z_kept = next(array for k, name, array in kept if (k, name) == (0, "z"))
    assert not np.array_equal(net.layers[0].z, z_kept)  # the network did move on


def test_a_view_you_keep_never_changes():
    net = bp.MLP([3, 5, 1], ["relu", "sigmoid"], loss="bce", seed=0)
    one_pass(net, *batch([3, 5, 1], "bce", 6, seed=1))
    first_rows = net.layers[0].z[:2]
    before = first_rows.copy()
    one_pass(net, *batch([3, 5, 1], "bce", 6, seed=2))
    assert np.array_equal(first_rows, before)


@pytest.mark.parametrize("sizes, acts, loss", ARCHITECTURES)
@pytest.mark.parametrize("n_first, n_second", [(6, 6), (6, 9), (9, 4)])
def test_a_second_pass_equals_a_first_pass_of_a_fresh_network(sizes, acts, loss, n_first, n_second):
    reused = bp.MLP(sizes, acts, loss=loss, seed=0)
    fresh = bp.MLP(sizes, acts, loss=loss, seed=0)
    one_pass(reused, *batch(sizes, loss, n_first, seed=1))
    second = batch(sizes, loss, n_second, seed=2)
    one_pass(reused, *second)
    one_pass(fresh, *second)
    for k, (a, b) in enumerate(zip(reused.layers, fresh.layers), start=1):
        for name in ARRAYS:
            x, y = getattr(a, name), getattr(b, name)
            assert (x is None) == (y is None), (k, name)
            if x is not None:
                assert x.shape == y.shape and np.array_equal(x, y), f"layer {k}: {name}"


def test_training_steps_equal_those_of_fresh_copies():
    # Each step on a fresh network with the current weights must give the same weights.
    sizes, acts, loss = [3, 6, 4, 2], ["relu", "tanh", "softmax"], "cross_entropy"
    X, y = batch(sizes, loss, 10, seed=3)
    net = bp.MLP(sizes, acts, loss=loss, seed=0)
    for _ in range(5):
        fresh = bp.MLP(sizes, acts, loss=loss, seed=0)
        for layer, source in zip(fresh.layers, net.layers):
            layer.W, layer.b = source.W.copy(), source.b.copy()
        net.train_step(X, y, 0.5)
        fresh.train_step(X, y, 0.5)
        for layer, source in zip(fresh.layers, net.layers):
            assert np.array_equal(layer.W, source.W) and np.array_equal(layer.b, source.b)


class CubeWithOwnBackward(Cube):
    """...and one that also writes its own ``backward``, again without ``out=``."""

    def backward(self, da, z, a):
        return da * 3 * z**2


@pytest.mark.parametrize("activation", [Cube(), CubeWithOwnBackward()])
def test_an_activation_without_out_still_trains_and_checks(activation, rng):
    net = bp.MLP([2, 3, 1], [activation, "sigmoid"], loss="bce", seed=0)
    X = rng.normal(size=(5, 2)) * 0.5
    y = make_targets("bce", 5, 1, rng)
    for _ in range(2):
        one_pass(net, X, y)
    assert max(bp.check_network(net, X, y).values()) < 1e-7


# -- the rule itself ------------------------------------------------------------------


class Holder:
    pass


def holding(array):
    holder = Holder()
    holder.buffer = array
    return holder


def test_an_array_only_the_attribute_holds_is_returned():
    holder = holding(np.zeros((2, 3)))
    address = holder.buffer.ctypes.data  # an int: holds no reference
    assert reusable(holder, "buffer", (2, 3)).ctypes.data == address


def test_an_array_someone_else_holds_is_not_returned():
    kept = np.zeros((2, 3))
    holder = holding(kept)
    out = reusable(holder, "buffer", (2, 3))
    assert out is not kept and out.shape == (2, 3)


@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda: np.zeros((2, 3)), (3, 2)),                  # wrong shape
        (lambda: np.zeros((2, 3), dtype=np.float32), (2, 3)),  # wrong dtype
        (lambda: np.zeros((4, 3))[:2], (2, 3)),              # a view of another array
        (lambda: np.asfortranarray(np.zeros((2, 3))), (2, 3)),  # not C-ordered
        (lambda: [[0.0] * 3] * 2, (2, 3)),                   # not an array
        (lambda: None, (2, 3)),                              # nothing yet
    ],
)
def test_an_unsuitable_array_is_not_returned(make, shape):
    holder = holding(make())
    before = id(holder.buffer)
    out = reusable(holder, "buffer", shape)
    assert id(out) != before and out.shape == shape and out.dtype == np.float64


def test_a_read_only_array_is_not_returned():
    array = np.zeros((2, 3))
    array.flags.writeable = False
    holder = holding(array)
    del array
    address = holder.buffer.ctypes.data
    assert reusable(holder, "buffer", (2, 3)).ctypes.data != address

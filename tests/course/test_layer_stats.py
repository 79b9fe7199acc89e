"""backprop_course.layer_stats: per-layer statistics and the deep networks of notebook 09."""

import numpy as np
import pytest

import backprop_lib as bp
from backprop_course.layer_stats import active_fraction, deep_mlp, layer_statistics


def probe(width=32, n=128, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, width)), rng.integers(0, 2, size=(n, 1)).astype(float)


def test_deep_mlp_shapes_init_and_repr():
    net = deep_mlp(5, 16, "tanh", "xavier", n_in=3, seed=0)
    assert net.layer_sizes == [3, 16, 16, 16, 16, 16, 1]
    assert [layer.activation.name for layer in net.layers] == ["tanh"] * 5 + ["sigmoid"]
    assert all(np.all(layer.b == 0) for layer in net.layers)  # Xavier: zero biases
    normal = deep_mlp(3, 200, "relu", "normal", seed=0)
    assert normal.layers[1].W.std() == pytest.approx(0.1, rel=0.02)
    assert normal.layers[1].b.std() > 0  # the original's scheme draws biases too
    he = deep_mlp(3, 200, "relu", "he", seed=0)
    assert he.layers[1].W.std() == pytest.approx(np.sqrt(2 / 200), rel=0.02)


@pytest.mark.parametrize(
    "depth, width, error, message",
    [
        (0, 8, ValueError, r"depth \(hidden layers\): expected an integer >= 1, got 0"),
        (2.5, 8, TypeError, r"depth \(hidden layers\): expected an integer >= 1, got 2.5 \(float\)"),
        (True, 8, TypeError, r"got True \(bool\)"),
        (3, 0, ValueError, r"width \(units per hidden layer\): expected an integer >= 1, got 0"),
        (3, "8", TypeError, r"width \(units per hidden layer\): expected an integer >= 1, got '8' \(str\)"),
    ],
)
def test_deep_mlp_validates(depth, width, error, message):
    with pytest.raises(error, match=message):
        deep_mlp(depth, width, "relu", "he")


def test_layer_statistics_match_the_cached_values():
    net = deep_mlp(3, 8, "relu", "he", seed=1)
    X, y = probe(8, 20)
    stats = layer_statistics(net, X, y)
    assert set(stats) == {"z_std", "a_std", "a_rms", "dW_norm", "dz_std"}
    assert all(v.shape == (4,) for v in stats.values())
    for k, layer in enumerate(net.layers):
        assert stats["z_std"][k] == pytest.approx(layer.z.std(), rel=1e-12)
        assert stats["a_std"][k] == pytest.approx(layer.a.std(), rel=1e-12)
        assert stats["a_rms"][k] == pytest.approx(np.sqrt(np.mean(layer.a**2)), rel=1e-12)
        assert stats["dW_norm"][k] == pytest.approx(np.linalg.norm(layer.dW), rel=1e-12)
        assert stats["dz_std"][k] == pytest.approx(layer.dz.std(), rel=1e-12)


def test_he_keeps_relu_activations_and_xavier_shrinks_them():
    X, y = probe(64, 256)
    # averaged over a few networks, He keeps Var(z) at 2 per layer; Xavier halves it
    he = np.mean(
        [layer_statistics(deep_mlp(8, 64, "relu", "he", seed=s), X, y)["z_std"][:8] ** 2 for s in range(6)],
        axis=0,
    )
    xavier = np.mean(
        [
            layer_statistics(deep_mlp(8, 64, "relu", "xavier", seed=s), X, y)["z_std"][:8] ** 2
            for s in range(6)
        ],
        axis=0,
    )
    np.testing.assert_allclose(he, 2.0, rtol=0.35)
    np.testing.assert_allclose(xavier, 0.5 ** np.arange(8), rtol=0.35)


def test_sigmoid_gradients_vanish_with_depth_and_he_relu_ones_do_not():
    X, y = probe(64, 256)
    sig = layer_statistics(deep_mlp(10, 64, "sigmoid", "xavier", seed=0), X, y)["dW_norm"]
    relu = layer_statistics(deep_mlp(10, 64, "relu", "he", seed=0), X, y)["dW_norm"]
    assert sig[0] / sig[9] < 1e-4
    assert 0.05 < relu[0] / relu[9] < 20


def test_the_measured_gradients_are_correct():
    net = deep_mlp(4, 6, "tanh", "xavier", seed=2)
    X, y = probe(6, 7, seed=3)
    assert max(bp.check_network(net, X, y).values()) < bp.TOLERANCE


def test_active_fraction_finds_dead_and_always_on_units():
    net = bp.MLP([2, 3, 1], ["relu", "sigmoid"], loss="bce", seed=0)
    net.set_parameters({"W1": np.zeros((2, 3)), "b1": [[-1.0, 1.0, 0.0]]})
    X = np.random.default_rng(0).normal(size=(10, 2))
    (fraction,) = active_fraction(net, X)
    np.testing.assert_array_equal(fraction, [0.0, 1.0, 0.0])

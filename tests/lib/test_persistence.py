"""Saving and loading MLP weights with numpy.savez / np.load(allow_pickle=False)."""

import zipfile
from pathlib import Path

import numpy as np
import pytest
from conftest import Cube

import backprop_lib as bp
from backprop_lib.persistence import load, save

ARCHITECTURES = [
    ([2, 4, 3, 1], ["relu", "relu", "sigmoid"], "bce"),
    ([5, 6, 4], [bp.LeakyReLU(0.3), "softmax"], "cross_entropy"),
    ([3, 2], ["identity"], "mse"),
    ([4, 7, 7, 2], ["tanh", "sigmoid", "tanh"], "mse"),
]


@pytest.mark.parametrize("sizes, acts, loss", ARCHITECTURES)
def test_round_trip_gives_the_same_predictions_bit_for_bit(tmp_path, sizes, acts, loss):
    net = bp.MLP(sizes, acts, loss=loss, seed=7)
    X = np.random.default_rng(7).normal(size=(9, sizes[0]))
    path = save(net, tmp_path / "weights.npz")
    again = load(path)
    assert again.layer_sizes == net.layer_sizes
    assert repr(again) == repr(net)
    for (name, p), (name2, q) in zip(net.parameters(), again.parameters()):
        assert name == name2 and np.array_equal(p, q) and q.dtype == np.float64
    assert np.array_equal(net.output(X), again.output(X))


def test_leaky_relu_alpha_survives(tmp_path):
    net = bp.MLP([2, 3, 1], [bp.LeakyReLU(0.25), "sigmoid"], seed=0)
    again = load(save(net, tmp_path / "w.npz"))
    assert again.layers[0].activation.alpha == 0.25


def test_save_adds_the_npz_extension_and_says_so(tmp_path):
    path = save(bp.MLP([2, 1], ["sigmoid"], seed=0), tmp_path / "weights")
    assert path.endswith("weights.npz")
    assert load(path).layer_sizes == [2, 1]


def test_the_file_holds_plain_arrays_only(tmp_path):
    path = save(bp.MLP([2, 3, 1], ["relu", "sigmoid"], seed=0), tmp_path / "w.npz")
    with np.load(path, allow_pickle=False) as data:
        assert sorted(data.files) == sorted(
            ["format", "version", "layer_sizes", "activations", "alphas", "loss", "W1", "b1", "W2", "b2"]
        )
        assert all(data[key].dtype != object for key in data.files)


def test_a_trained_estimator_net_round_trips(tmp_path):
    from backprop_lib.sklearn_estimator import BackpropClassifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    clf = BackpropClassifier(max_epochs=5, random_state=0).fit(X, y)
    again = load(save(clf.net_, tmp_path / "clf.npz"))
    assert np.array_equal(again.output(X)[:, 0], clf.predict_proba(X)[:, 1])


# -- what cannot be saved -------------------------------------------------------------


class MyReLU(bp.ReLU):
    """Same name as a known activation, different class: must not be saved as plain relu."""


@pytest.mark.parametrize("custom", [Cube(), MyReLU()])
def test_custom_activation_objects_are_refused_clearly(tmp_path, custom):
    net = bp.MLP([2, 3, 1], [custom, "sigmoid"], seed=0)
    with pytest.raises(ValueError, match="layer 1 uses activation .* not one of the named"):
        save(net, tmp_path / "w.npz")
    assert not (tmp_path / "w.npz").exists()


class MyMSE(bp.MeanSquaredError):
    """A loss of one's own with a known name: refused too, not saved as plain mse."""


def test_custom_loss_objects_are_refused_clearly(tmp_path):
    net = bp.MLP([2, 1], ["identity"], loss=MyMSE(), seed=0)
    with pytest.raises(
        ValueError, match=r"the network uses loss MyMSE\(\), which is not one of the named ones \[.*'mse'"
    ):
        save(net, tmp_path / "w.npz")
    assert not (tmp_path / "w.npz").exists()


def test_a_trained_network_round_trips_and_trains_on_independently(tmp_path):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(8, 3)), rng.normal(size=(8, 2))
    net = bp.MLP([3, 4, 2], ["tanh", "identity"], loss="mse", seed=1)
    bp.train(net, X, y, 0.1, 3)
    again = load(save(net, tmp_path / "trained.npz"))
    assert again.loss(X, y) == net.loss(X, y)
    bp.train(again, X, y, 0.1, 3)
    assert again.loss(X, y) < net.loss(X, y)
    assert load(tmp_path / "trained.npz").loss(X, y) == net.loss(X, y)  # the file is unchanged


def test_save_needs_an_mlp(tmp_path):
    with pytest.raises(TypeError, match="expected a backprop_lib.MLP"):
        save({"W1": np.ones((2, 2))}, tmp_path / "w.npz")


# -- malformed or mismatched files ----------------------------------------------------


def write(path, **arrays):
    np.savez(path, **arrays)
    return path


def valid_arrays():
    net = bp.MLP([3, 4, 2], ["relu", "softmax"], loss="cross_entropy", seed=0)
    arrays = {
        "format": np.array("backprop_lib.MLP"),
        "version": np.array(1),
        "layer_sizes": np.array([3, 4, 2]),
        "activations": np.array(["relu", "softmax"]),
        "alphas": np.array([np.nan, np.nan]),
        "loss": np.array("cross_entropy"),
    }
    arrays.update(dict(net.parameters()))
    return arrays


def test_the_hand_written_valid_file_loads(tmp_path):
    assert repr(load(write(tmp_path / "ok.npz", **valid_arrays()))) == repr(
        bp.MLP([3, 4, 2], ["relu", "softmax"], loss="cross_entropy")
    )


@pytest.mark.parametrize(
    "change, message",
    [
        ({"W1": np.ones((4, 3))}, r"W1 has shape \(4, 3\), expected \(3, 4\) from layer_sizes \[3, 4, 2\]"),
        ({"b2": np.ones(2)}, r"b2 has shape \(2,\), expected \(1, 2\)"),
        ({"layer_sizes": np.array([3, 5, 2])}, r"W1 has shape \(3, 4\), expected \(3, 5\)"),
        ({"activations": np.array(["relu", "swish"])}, "layer 2 has unknown activation 'swish'"),
        ({"activations": np.array(["relu"])}, "expected 2 activation names"),
        ({"loss": np.array("hinge")}, "unknown loss 'hinge'"),
        ({"format": np.array("something else")}, "format is 'something else'"),
        ({"version": np.array(2)}, "version"),
        ({"W3": np.ones((2, 2))}, r"unexpected arrays \['W3'\]"),
        ({"layer_sizes": np.array([3.0, 4.0, 2.0])}, "positive integers"),
        ({"W2": np.full((4, 2), np.nan)}, "W2 should hold finite floats"),
        ({"W2": np.ones((4, 2), dtype=int)}, "W2 should hold finite floats"),
    ],
)
def test_mismatched_files_name_the_problem(tmp_path, change, message):
    arrays = valid_arrays()
    arrays.update(change)
    with pytest.raises(ValueError, match=message):
        load(write(tmp_path / "bad.npz", **arrays))


@pytest.mark.parametrize("key", ["loss", "layer_sizes", "W2", "b1"])
def test_missing_keys_are_named(tmp_path, key):
    arrays = valid_arrays()
    del arrays[key]
    with pytest.raises(ValueError, match=f"missing.*{key}"):
        load(write(tmp_path / "bad.npz", **arrays))


def test_files_that_are_not_npz_archives(tmp_path):
    text = tmp_path / "notes.npz"
    text.write_text("these are not weights")
    with pytest.raises(
        ValueError, match="not a readable backprop_lib weights file.*neither an .npz nor an .npy"
    ):
        load(text)
    empty = tmp_path / "empty.npz"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="not a readable backprop_lib weights file"):
        load(empty)
    single = tmp_path / "single.npy"
    np.save(single, np.zeros(3))
    with pytest.raises(ValueError, match="single array"):
        load(single)
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nowhere.npz")


def test_truncated_and_corrupt_archives(tmp_path):
    good = save(bp.MLP([3, 4, 2], ["relu", "softmax"], loss="cross_entropy", seed=0), tmp_path / "g.npz")
    data = Path(good).read_bytes()
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="not a readable backprop_lib weights file"):
        load(truncated)
    # A valid archive in which one member is not an .npy array.
    odd = tmp_path / "odd.npz"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(odd, "w") as dst:
        for item in src.infolist():
            content = src.read(item) if item.filename != "W1.npy" else b"garbage, not an npy header"
            dst.writestr(item, content)
    with pytest.raises(ValueError, match="'W1' cannot be read as a numpy array"):
        load(odd)


def test_pickled_object_arrays_are_refused(tmp_path):
    arrays = valid_arrays()
    arrays["activations"] = np.array(["relu", "softmax"], dtype=object)
    with pytest.raises(ValueError, match="cannot be read"):
        load(write(tmp_path / "pickled.npz", **arrays))

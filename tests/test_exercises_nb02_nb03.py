"""The exercise checks of notebooks 02 and 03: right answers pass, each typical mistake is
reported by name. (An unanswered exercise: tests/test_coursework_feedback.py, for every check.)"""

import numpy as np
import pytest

from backprop_lib.exercises import ExerciseFailed
from backprop_lib.exercises.nb02_network_equations import (
    check_layer_forward,
    check_squared_error,
    check_unit_preactivation,
)
from backprop_lib.exercises.nb03_backprop_by_hand import (
    check_dloss_dh,
    check_dloss_dyhat,
    check_sigmoid_derivative,
)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# -- correct answers, written with loops as a learner would ----------------------------------


def unit_preactivation(a_prev, W, b, i):
    z = 0.0
    for j in range(len(a_prev)):
        z += a_prev[j] * W[j, i]
    return z + b[i]


def layer_forward(a_prev, W, b, f):
    return np.array([f(unit_preactivation(a_prev, W, b, i)) for i in range(W.shape[1])])


def squared_error(y, yhat):
    return sum((y[i] - yhat[i]) ** 2 for i in range(len(y)))


def dloss_dyhat(y, yhat):
    return -2 * (y - yhat)


def dloss_dh(dL_dyhat, fprime_z, W):
    n_in, n_out = W.shape
    return np.array([sum(dL_dyhat[i] * fprime_z[i] * W[j, i] for i in range(n_out))
                     for j in range(n_in)])


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1 - s)


CORRECT = [
    (check_unit_preactivation, unit_preactivation),
    (check_layer_forward, layer_forward),
    (check_squared_error, squared_error),
    (check_dloss_dyhat, dloss_dyhat),
    (check_dloss_dh, dloss_dh),
    (check_sigmoid_derivative, sigmoid_derivative),
]


@pytest.mark.parametrize("check, answer", CORRECT, ids=lambda v: getattr(v, "__name__", "x"))
def test_correct_answers_pass_on_several_seeds(check, answer, capsys):
    for seed in range(4):
        assert check(answer, seed=seed)
        check(answer, seed=seed, strict=True)
    assert "✅" in capsys.readouterr().out


def test_a_forgotten_return_is_named():
    with pytest.raises(ExerciseFailed, match="forget the `return`"):
        check_dloss_dyhat.check(lambda y, yhat: None)
    with pytest.raises(ExerciseFailed, match="forget the `return`"):
        check_unit_preactivation.check(lambda a, W, b, i: None)


# -- notebook 02 mistakes --------------------------------------------------------------------

PREACTIVATION_MISTAKES = {
    "uses W\\[i, j\\]": lambda a, W, b, i: sum(a[j] * W[i, j] for j in range(len(a))) + b[i],
    "missing the bias": lambda a, W, b, i: sum(a[j] * W[j, i] for j in range(len(a))),
    "once per input": lambda a, W, b, i: sum(a[j] * W[j, i] + b[i] for j in range(len(a))),
    "forgets to multiply": lambda a, W, b, i: sum(W[j, i] for j in range(len(a))) + b[i],
    "multiply first": lambda a, W, b, i: sum(a) * sum(W[:, i]) + b[i],
}


@pytest.mark.parametrize("message", PREACTIVATION_MISTAKES)
def test_preactivation_mistakes_are_named(message):
    with pytest.raises(ExerciseFailed, match=message):
        check_unit_preactivation.check(PREACTIVATION_MISTAKES[message])


def test_an_index_error_from_swapped_indices_is_explained():
    # W[i, j] on a non-square W runs off the end: the check explains the row convention.
    def swapped(a, W, b, i):
        return sum(a[j] * W[i, j] for j in range(len(a))) + b[i]

    with pytest.raises(ExerciseFailed, match="uses W\\[i, j\\]"):
        check_unit_preactivation.check(swapped)  # caught on the square case first
    with pytest.raises(ExerciseFailed, match="IndexError.*W\\[j, i\\]"):
        check_layer_forward.check(lambda a, W, b, f: np.array(
            [f(sum(a[j] * W[i, j] for j in range(W.shape[0])) + b[i]) for i in range(W.shape[1])]
        ) if W.shape[0] != W.shape[1] else f(a @ W + b))


LAYER_MISTAKES = {
    "returns z, not f\\(z\\)": lambda a, W, b, f: a @ W + b,
    "missing the bias": lambda a, W, b, f: f(a @ W),
    "adds the bias after the activation": lambda a, W, b, f: f(a @ W) + b,
    "applies f before the sum, to each product a_prev": lambda a, W, b, f: f(a[:, None] * W).sum(0) + b,
    "applies f before the sum, to each product including": lambda a, W, b, f: f(a[:, None] * W + b).sum(0),
    "applies f to the inputs": lambda a, W, b, f: f(a) @ W + b,
    "uses W\\[i, j\\]": lambda a, W, b, f: f(W @ a + b) if W.shape[0] == W.shape[1] else f(a @ W + b),
    "is a column of shape": lambda a, W, b, f: f(a @ W + b)[:, None],
}


@pytest.mark.parametrize("message", LAYER_MISTAKES)
def test_layer_forward_mistakes_are_named(message):
    with pytest.raises(ExerciseFailed, match=message):
        check_layer_forward.check(LAYER_MISTAKES[message])


def test_layer_forward_accepts_a_list_or_a_one_row_matrix():
    check_layer_forward.check(lambda a, W, b, f: list(f(a @ W + b)))
    check_layer_forward.check(lambda a, W, b, f: f(a[None, :] @ W + b))


LOSS_MISTAKES = {
    "divides by the number of outputs": lambda y, yh: np.mean((y - yh) ** 2),
    "factor ½": lambda y, yh: 0.5 * np.sum((y - yh) ** 2),
    "forgets to square": lambda y, yh: np.sum(y - yh),
    "absolute values": lambda y, yh: np.sum(np.abs(y - yh)),
    "square root": lambda y, yh: np.linalg.norm(y - yh),
    "squares the sum": lambda y, yh: np.sum(y - yh) ** 2,
}


@pytest.mark.parametrize("message", LOSS_MISTAKES)
def test_squared_error_mistakes_are_named(message):
    with pytest.raises(ExerciseFailed, match=message):
        check_squared_error.check(LOSS_MISTAKES[message])


# -- notebook 03 mistakes --------------------------------------------------------------------

DYHAT_MISTAKES = {
    "wrong sign.*erratum 3": lambda y, yh: 2 * (y - yh),
    "missing the factor 2": lambda y, yh: yh - y,
    "missing both the factor 2 and the minus sign": lambda y, yh: y - yh,
    "divides by the number of outputs": lambda y, yh: -2 * (y - yh) / len(y),
    "not its derivative": lambda y, yh: (y - yh) ** 2,
}


@pytest.mark.parametrize("message", DYHAT_MISTAKES)
def test_dloss_dyhat_mistakes_are_named(message):
    with pytest.raises(ExerciseFailed, match=message):
        check_dloss_dyhat.check(DYHAT_MISTAKES[message])


DH_MISTAKES = {
    "missing the factor f′": lambda d, fp, W: W @ d,
    "uses W\\[i, j\\]": lambda d, fp, W: (d * fp) @ W if W.shape[0] == W.shape[1] else W @ (d * fp),
    "only one path, i = j": lambda d, fp, W: np.array(
        [d[j] * fp[j] * W[j, j] for j in range(W.shape[0])]),
    "only the path through output 1": lambda d, fp, W: W[:, 0] * d[0] * fp[0],
    "sums over the wrong index": lambda d, fp, W: (W * (d * fp)).sum(axis=0)
        if W.shape[0] == W.shape[1] else W @ (d * fp),
    "not summed": lambda d, fp, W: W * (d * fp),
}


@pytest.mark.parametrize("message", DH_MISTAKES)
def test_dloss_dh_mistakes_are_named(message):
    with pytest.raises(ExerciseFailed, match=message):
        check_dloss_dh.check(DH_MISTAKES[message])


SIGMOID_MISTAKES = {
    "2× too large.*erratum 1": lambda z: 2 * sigmoid(z) * (1 - sigmoid(z)),
    "is σ\\(z\\) itself": sigmoid,
    "wrong sign": lambda z: -sigmoid(z) * (1 - sigmoid(z)),
    "tanh's derivative": lambda z: 1 - sigmoid(z) ** 2,
    "compute a = σ\\(z\\) first": lambda z: z * (1 - z),
}


@pytest.mark.parametrize("message", SIGMOID_MISTAKES)
def test_sigmoid_derivative_mistakes_are_named(message, capsys):
    with pytest.raises(ExerciseFailed, match=message):
        check_sigmoid_derivative.check(SIGMOID_MISTAKES[message])
    # In the notebook the same mistake prints as a ❌ line, without raising.
    assert not check_sigmoid_derivative(SIGMOID_MISTAKES[message])
    assert "❌ derivative of the sigmoid" in capsys.readouterr().out


def test_an_unnamed_mistake_still_says_where():
    with pytest.raises(ExerciseFailed, match="is off at index"):
        check_sigmoid_derivative.check(lambda z: sigmoid(z) * (1 - sigmoid(z)) + 0.01 * (z > 1))

"""The exercise checks of notebooks 07 and 10: a correct answer passes, every named mistake is
reported by name, an unanswered exercise says "not attempted yet"."""

import re

import numpy as np
import pytest

from backprop_lib.exercises import ExerciseFailed
from backprop_lib.exercises.nb07_softmax_digits import check_softmax_ce_gradient, check_softmax_jacobian
from backprop_lib.exercises.nb10_autodiff import check_backward_pass, check_matmul_backward


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_unshifted(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def unanswered(*args):
    raise NotImplementedError()


# -- notebook 07 ------------------------------------------------------------------------

JACOBIANS = {
    "correct": lambda z: np.diag(softmax(z)) - np.outer(softmax(z), softmax(z)),
    "diag(ŷ) only": lambda z: np.diag(softmax(z)),
    "treats softmax as elementwise": lambda z: np.diag(softmax(z) * (1 - softmax(z))),
    "the δ_ik ŷ_i term (diag(ŷ)) is missing": lambda z: -np.outer(softmax(z), softmax(z)),
    "wrong sign": lambda z: np.outer(softmax(z), softmax(z)) - np.diag(softmax(z)),
    "Subtract max(z)": lambda z: np.diag(softmax_unshifted(z)) - np.outer(softmax_unshifted(z), softmax_unshifted(z)),
    "shape (3,)": lambda z: softmax(z),
}


@pytest.mark.parametrize("seed", [0, 1, 7])
@pytest.mark.parametrize("mistake", sorted(JACOBIANS))
def test_softmax_jacobian_check(mistake, seed):
    answer = JACOBIANS[mistake]
    if mistake == "correct":
        check_softmax_jacobian(answer, seed=seed, strict=True)
    else:
        with pytest.raises(ExerciseFailed, match=re.escape(mistake)):
            check_softmax_jacobian(answer, seed=seed, strict=True)


GRADIENTS = {
    "correct": lambda Z, Y: (softmax(Z) - Y) / len(Z),
    "n times too large": lambda Z, Y: softmax(Z) - Y,
    "wrong sign: it is": lambda Z, Y: (Y - softmax(Z)) / len(Z),
    "wrong sign and no 1/n": lambda Z, Y: Y - softmax(Z),
    "number of classes K instead of the number of samples n": lambda Z, Y: (softmax(Z) - Y) / Z.shape[1],
    "gradient with respect to the probabilities": lambda Z, Y: -Y / softmax(Z) / len(Z),
    "uses the logits z": lambda Z, Y: (Z - Y) / len(Z),
    "Subtract max(z)": lambda Z, Y: (softmax_unshifted(Z) - Y) / len(Z),
    "a missing or extra transpose": lambda Z, Y: ((softmax(Z) - Y) / len(Z)).T,
}


@pytest.mark.parametrize("seed", [0, 1, 7])
@pytest.mark.parametrize("mistake", sorted(GRADIENTS))
def test_softmax_ce_gradient_check(mistake, seed):
    answer = GRADIENTS[mistake]
    if mistake == "correct":
        check_softmax_ce_gradient(answer, seed=seed, strict=True)
    elif mistake == "a missing or extra transpose":
        # Only (n, K) with n ≠ K shows the transpose by shape.
        with pytest.raises(ExerciseFailed, match="shape"):
            check_softmax_ce_gradient(answer, seed=seed, strict=True)
    else:
        with pytest.raises(ExerciseFailed, match=re.escape(mistake)):
            check_softmax_ce_gradient(answer, seed=seed, strict=True)


def test_nb07_checks_print_feedback_and_not_attempted(capsys):
    assert check_softmax_jacobian(JACOBIANS["correct"])
    assert "✅ softmax Jacobian: correct" in capsys.readouterr().out
    assert not check_softmax_ce_gradient(GRADIENTS["n times too large"])
    assert "❌" in capsys.readouterr().out
    assert not check_softmax_jacobian(unanswered)
    assert not check_softmax_ce_gradient(unanswered)
    out = capsys.readouterr().out
    assert out.count("not attempted yet") == 2


def test_overflow_in_the_learners_code_prints_no_warning(recwarn):
    check_softmax_jacobian(JACOBIANS["Subtract max(z)"])
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


# -- notebook 10: the backward walk --------------------------------------------------------


def walk_correct(order):
    order[-1].grad = np.ones_like(order[-1].data)
    for node in reversed(order):
        for parent, g in zip(node.parents, node.vjp(node.grad)):
            parent.grad += g


def walk_overwrites(order):
    order[-1].grad = np.ones_like(order[-1].data)
    for node in reversed(order):
        for parent, g in zip(node.parents, node.vjp(node.grad)):
            parent.grad = g


def walk_forwards(order):
    order[-1].grad = np.ones_like(order[-1].data)
    for node in order:
        for parent, g in zip(node.parents, node.vjp(node.grad)):
            parent.grad = parent.grad + g


def walk_unseeded(order):
    for node in reversed(order):
        for parent, g in zip(node.parents, node.vjp(node.grad)):
            parent.grad = parent.grad + g


def walk_with_the_engine(order):
    order[-1].backward()


def walk_scalar_grads(order):
    walk_correct(order)
    for node in order:
        node.grad = float(np.sum(node.grad))


WALKS = {
    "correct": walk_correct,
    "engine": walk_with_the_engine,
    "keeps only the last contribution": walk_overwrites,
    "walks the graph forwards": walk_forwards,
    "leaves every gradient at zero": walk_unseeded,
    "a gradient has shape": walk_scalar_grads,
}


@pytest.mark.parametrize("seed", [0, 1, 7])
@pytest.mark.parametrize("mistake", sorted(WALKS))
def test_backward_pass_check(mistake, seed):
    if mistake in ("correct", "engine"):
        check_backward_pass(WALKS[mistake], seed=seed, strict=True)
    else:
        with pytest.raises(ExerciseFailed, match=re.escape(mistake)):
            check_backward_pass(WALKS[mistake], seed=seed, strict=True)


# -- notebook 10: the matmul rule ----------------------------------------------------------

MATMULS = {
    "correct": lambda A, B, G: (G @ B.T, A.T @ G),
    "dA is G B: the transpose of B is missing": lambda A, B, G: (G @ B, A.T @ G),
    "dA is Bᵀ G: the operands are swapped": lambda A, B, G: (B.T @ G, A.T @ G),
    "dA is G ⊙ B": lambda A, B, G: (G * B, A.T @ G),
    "dB is A G: the transpose of A is missing": lambda A, B, G: (G @ B.T, A @ G),
    "dB is G Aᵀ: the operands are swapped": lambda A, B, G: (G @ B.T, G @ A.T),
    "dB is A ⊙ G": lambda A, B, G: (G @ B.T, A * G),
    "returns (dB, dA)": lambda A, B, G: (A.T @ G, G @ B.T),
    "return a pair": lambda A, B, G: G @ B.T,
}


@pytest.mark.parametrize("seed", [0, 1, 7])
@pytest.mark.parametrize("mistake", sorted(MATMULS))
def test_matmul_backward_check(mistake, seed):
    if mistake == "correct":
        check_matmul_backward(MATMULS[mistake], seed=seed, strict=True)
    else:
        with pytest.raises(ExerciseFailed, match=re.escape(mistake)):
            check_matmul_backward(MATMULS[mistake], seed=seed, strict=True)


def test_a_rule_that_only_works_for_square_matrices_is_caught():
    def square_only(A, B, G):
        # Right on square inputs, a wrong transpose pattern on rectangular ones.
        return (G @ B.T, A.T @ G) if A.shape[0] == A.shape[1] == B.shape[1] else (G @ B, A @ G)

    with pytest.raises(ExerciseFailed, match="check the transposes"):
        check_matmul_backward(square_only, strict=True)


def test_nb10_checks_not_attempted(capsys):
    assert not check_backward_pass(unanswered)
    assert not check_matmul_backward(unanswered)
    assert capsys.readouterr().out.count("not attempted yet") == 2

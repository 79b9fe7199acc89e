"""Fixtures and helpers shared by every test folder (tests/lib, course, repo, e2e).

The folders have no ``__init__.py``: pytest puts this folder on ``sys.path`` when it loads
this file, so a test anywhere below imports these helpers with ``from conftest import ...``.
The tooling (``coursework/``, ``benchmarks/``) is never installed; it is imported from the
repository root, which is put on ``sys.path`` here, once.
"""

import io
import os
import re
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

import backprop_lib as bp
from backprop_lib.activations import Activation

# scikit-learn's estimator suite checks that array-API dispatch leaves a numpy-only estimator's
# results unchanged, and runs that check only with this set (before SciPy is first imported).
os.environ.setdefault("SCIPY_ARRAY_API", "1")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Property tests draw the same examples on every run, so CI is reproducible;
# HYPOTHESIS_PROFILE=explore searches afresh each time.
settings.register_profile("default", derandomize=True)
settings.register_profile("explore", derandomize=False, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


# -- networks and data ------------------------------------------------------------------

# (layer sizes, activations, loss): fused outputs, and the unfused paths through σ' and
# the softmax Jacobian.
ARCHITECTURES = [
    ([2, 4, 3, 1], ["relu", "relu", "sigmoid"], "bce"),
    ([3, 4, 2, 2], ["sigmoid", "sigmoid", "sigmoid"], "mse"),
    ([3, 4, 2, 2], ["tanh", "tanh", "identity"], "mse"),
    ([5, 6, 4], ["leaky_relu", "softmax"], "cross_entropy"),
    ([4, 3, 3], ["tanh", "softmax"], "mse"),  # not fused: softmax Jacobian path
    ([4, 3, 2], ["relu", "sigmoid"], "mse"),  # not fused: sigmoid output under MSE
    ([3, 5, 2], ["relu", "sigmoid"], "cross_entropy"),  # not fused: CE through σ'
]


def make_targets(loss, n, n_out, rng):
    """Random targets that suit ``loss``: one-hot for CE, 0/1 for BCE, reals for MSE."""
    if loss == "cross_entropy":
        return np.eye(n_out)[rng.integers(0, n_out, n)]
    if loss == "bce":
        return rng.integers(0, 2, (n, n_out)).astype(float)
    return rng.normal(size=(n, n_out))


def make_batch(sizes, loss, n, seed):
    """A batch X ``(n, sizes[0])`` ~ N(0, 1) with targets for ``loss``."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, sizes[0])), make_targets(loss, n, sizes[-1], rng)


def random_case(seed):
    """A random MLP with a loss that suits its output, and a batch."""
    rng = np.random.default_rng(seed)
    depth = int(rng.integers(1, 5))
    sizes = [int(n) for n in rng.integers(1, 7, depth + 1)]
    hidden = [str(a) for a in rng.choice(["sigmoid", "tanh", "relu", "leaky_relu", "identity"], depth - 1)]
    loss, out = [
        ("mse", "identity"),
        ("bce", "sigmoid"),
        ("cross_entropy", "softmax"),
        ("mse", "tanh"),
        ("bce", "softmax"),
    ][int(rng.integers(0, 5))]
    if out == "softmax":
        sizes[-1] = max(sizes[-1], 2)
    n = int(rng.integers(1, 9))
    X = rng.normal(size=(n, sizes[0]))
    y = make_targets(loss, n, sizes[-1], rng)
    return sizes, hidden + [out], loss, X, y


def small_problem(seed=0, n=24):
    """A [3, 5, 4, 1] tanh/relu/sigmoid network and ``n`` samples of a quadrant problem."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = (X[:, :1] * X[:, 1:2] > 0).astype(float)
    net = bp.MLP([3, 5, 4, 1], ["tanh", "relu", "sigmoid"], loss="bce", seed=seed)
    return net, X, y


class FailingAt(bp.SGD):
    """SGD whose step number ``step`` (from 1) is refused as a non-finite one: it raises
    ``FloatingPointError`` and changes nothing, as ``set_parameters`` does."""

    def __init__(self, step, lr=0.1):
        super().__init__(lr)
        self.fail_at, self.steps = step, 0

    def step(self, net):
        self.steps += 1
        if self.steps == self.fail_at:
            raise FloatingPointError("W1 would become infinite or NaN")
        super().step(net)


def one_pass(net, X, y):
    """``net.forward(X)`` then ``net.backward(y)``; returns ``{name: gradient}`` (copies)."""
    net.forward(X)
    net.backward(y)
    return {name: np.array(g) for name, g in net.gradients()}


def parameters_copy(net):
    """``{name: copy of the array}`` of every parameter of ``net``."""
    return {name: p.copy() for name, p in net.parameters()}


def assert_parameters_equal(net, expected):
    """Every parameter of ``net`` holds exactly the values of ``expected`` ``{name: array}``."""
    params = dict(net.parameters())
    assert set(params) == set(expected)
    for name, value in expected.items():
        np.testing.assert_array_equal(params[name], value, err_msg=name)


def autograd_loss(params, acts, loss, X, y):
    """The mean loss of an MLP written again in autograd.numpy, for an independent reference.

    ``params`` is ``[(W1, b1), (W2, b2), ...]``; ``acts`` and ``loss`` are names. A mistake
    shared by backprop_lib's activations or losses cannot hide behind this copy.
    """
    import autograd.numpy as anp

    forward = {
        "identity": lambda z: z,
        "sigmoid": lambda z: 1 / (1 + anp.exp(-z)),
        "tanh": anp.tanh,
        "relu": lambda z: anp.maximum(z, 0.0),
        "leaky_relu": lambda z: anp.where(z > 0, z, 0.01 * z),
        "softmax": lambda z: anp.exp(z) / anp.sum(anp.exp(z), axis=1, keepdims=True),
    }
    losses = {
        "mse": lambda y, p: anp.sum((y - p) ** 2) / y.shape[0],
        "bce": lambda y, p: -anp.sum(y * anp.log(p) + (1 - y) * anp.log(1 - p)) / y.shape[0],
        "cross_entropy": lambda y, p: -anp.sum(y * anp.log(p)) / y.shape[0],
    }
    a = X
    for (W, b), act in zip(params, acts):
        a = forward[act](anp.dot(a, W) + b)
    return losses[loss](y, a)


class Cube(Activation):
    """A learner's own activation, f(z) = z³: forward and derivative only."""

    name = "cube"

    def forward(self, z):
        return z**3

    def derivative(self, z):
        return 3 * z**2


# -- widgets and pictures ---------------------------------------------------------------


def png_pixels(png):
    """The RGB pixels ``(height, width, 3)`` of PNG bytes, decoded by Pillow (a real decoder)."""
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def plain(html_text):
    """The text of an HTML fragment, tags removed."""
    return re.sub(r"<[^>]+>", "", html_text)


# -- exercise checks --------------------------------------------------------------------


def unanswered(*args, **kwargs):
    """A student version's answer: ``raise NotImplementedError()``."""
    raise NotImplementedError()


def mistake_message(check, answer, **kwargs):
    """The message of the ``ExerciseFailed`` the raw ``check`` raises for ``answer``."""
    from backprop_course.exercises import ExerciseFailed

    with pytest.raises(ExerciseFailed) as err:
        check.check(answer, **kwargs)
    return str(err.value)


def assert_correct(check, answer, capsys, seeds=range(4)):
    """A right ``answer`` passes ``check`` on the inputs of every seed: ✅, a true result, and
    no exception when strict."""
    for seed in seeds:
        assert check(answer, seed=seed)
        check(answer, seed=seed, strict=True)
    out = capsys.readouterr().out
    assert "✅" in out and "❌" not in out


def expect_mistake(check, answer, named, seeds=(0, 1, 2)):
    """``check`` (strict) names the mistake matching the regex ``named`` on the inputs of every
    seed; ``named=None``: the answer is right and passes on each of them."""
    from backprop_course.exercises import ExerciseFailed

    for seed in seeds:  # named on other random inputs too
        if named is None:
            check(answer, seed=seed, strict=True)
            continue
        with pytest.raises(ExerciseFailed, match=named):
            check(answer, seed=seed, strict=True)


def named(mistake, right=("correct",)):
    """The regex ``expect_mistake`` looks for: the mistake's text, or None for a right answer."""
    return None if mistake in right else re.escape(mistake)


def printed_feedback(check, answer, capsys, **kwargs):
    """``(passed, printed line)`` of the notebook form of ``check`` (no raising)."""
    passed = bool(check(answer, **kwargs))
    return passed, capsys.readouterr().out


# -- processes ---------------------------------------------------------------------------


def free_port():
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def execute_notebooks(paths, out, *, python=sys.executable, cwd=None, env=None, cell_timeout=600):
    """Execute the notebooks ``paths`` with nbconvert into the folder ``out``, in two processes at
    once (one per core, each with every other notebook: their kernels are independent). Raises
    ``AssertionError`` with nbconvert's output if a notebook fails."""
    command = [str(python), "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
               f"--ExecutePreprocessor.timeout={cell_timeout}", "--ExecutePreprocessor.kernel_name=python3",
               "--output-dir", str(out)]  # fmt: skip

    def run(part):
        result = subprocess.run(
            command + [str(p) for p in part], cwd=cwd, env=env, capture_output=True, text=True, timeout=1800
        )
        if result.returncode != 0:
            raise AssertionError(
                f"nbconvert failed on {[Path(p).name for p in part]} ({result.returncode}):\n"
                f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
            )

    with ThreadPoolExecutor(2) as pool:
        for done in [pool.submit(run, part) for part in (paths[0::2], paths[1::2]) if part]:
            done.result()

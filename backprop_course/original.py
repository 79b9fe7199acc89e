"""The original tutorial's experiment, rebuilt on ``backprop_lib.MLP`` with its errata switched on.

The original trained a ``[2, 4, 3, 1]`` ReLU/ReLU/sigmoid network on scikit-learn's two
circles (1000 points) by full-batch gradient descent, η = 0.005 for 150 iterations, and
printed a table that climbs to 81.8 % accuracy at iteration 145 and then falls apart. Its
code carries errata 1, 4 and 5 (see ``errata.ERRATA``). Here that run is this series' own
network and training loop with those errata injected (``errata.with_errata``), plus three
facts needed to repeat its numbers digit for digit:

* the data: ``make_circles(1000, factor=0.5, noise=0.1)`` after ``np.random.seed(0)``;
* the start: W and b of each layer ~ N(0, 0.1²), drawn in that order after ``np.random.seed(42)``;
* the loss it printed and differentiated: binary cross-entropy with ŷ clipped at machine ε,
  summed over the samples and divided by ``y.shape[1]`` = 1 (erratum 4).

Both random streams come from private ``RandomState`` objects; numpy's global state is untouched.
"""

from dataclasses import dataclass

import numpy as np

import backprop_lib as bp

from .datasets import two_circles
from .errata import check_errata, with_errata

LAYER_SIZES = (2, 4, 3, 1)
ACTIVATIONS = ("relu", "relu", "sigmoid")
LEARNING_RATE = 0.005
N_EPOCHS = 150
DATA_SEED, INIT_SEED, INIT_SIGMA = 0, 42, 0.1
ERRATA_IN_CODE = (1, 4, 5)
EPSILON = np.finfo(float).eps  # the original keeps log's argument at or above this


def make_original_data(n_samples=1000, seed=DATA_SEED):
    """The original's two circles: X ``(n, 2)``, y ``(n, 1)`` of 0.0/1.0."""
    return two_circles(n_samples, seed)


class LegacyNormal(bp.Initializer):
    """W, then b, of each layer ~ N(0, σ²) from numpy's legacy ``RandomState(seed)`` stream."""

    name = "legacy_normal"

    def __init__(self, seed=INIT_SEED, sigma=INIT_SIGMA):
        self.stream, self.sigma = np.random.RandomState(seed), sigma

    def __call__(self, n_in, n_out, rng):
        W = self.stream.randn(n_in, n_out) * self.sigma
        b = self.stream.randn(1, n_out) * self.sigma
        return W, b


class OriginalCrossEntropy(bp.Loss):
    """Binary cross-entropy as the original computed it, for y, ŷ ``(n, 1)``.

    ℓ_s = −[y_s log ŷ_s + (1 − y_s) log(1 − ŷ_s)] with both logs' arguments clipped at
    machine ε; the loss is Σ_s ℓ_s ÷ ``y.shape[1]`` with erratum 4, Σ_s ℓ_s ÷ n without.
    """

    name = "bce (original)"

    def __init__(self, erratum_4=True):
        self.erratum_4 = erratum_4

    def _divisor(self, y):
        return y.shape[1] if self.erratum_4 else y.shape[0]

    def value(self, y, yhat):
        total = y.T @ np.log(np.maximum(yhat, EPSILON)) + (1 - y.T) @ np.log(np.maximum(1 - yhat, EPSILON))
        return float(-total[0, 0] / self._divisor(y))

    def gradient(self, y, yhat):
        dl = (1 - y) / np.maximum(1 - yhat, EPSILON) - y / np.maximum(yhat, EPSILON)  # ∂ℓ_s/∂ŷ_s
        return dl / self._divisor(y)


def original_network(errata=ERRATA_IN_CODE, seed=INIT_SEED, sigma=INIT_SIGMA, bias_ratio=1.0):
    """The original's network and loss, with the errata numbered ``errata`` switched on.

    Errata 1 and 5 are injected by ``with_errata``, erratum 4 lives in its loss.
    ``bias_ratio`` scales db, giving the biases a learning rate ``bias_ratio`` times η.
    """
    errata = check_errata(errata)
    net = bp.MLP(
        LAYER_SIZES, list(ACTIVATIONS), loss=OriginalCrossEntropy(4 in errata), init=LegacyNormal(seed, sigma)
    )
    return with_errata(net, errata - {4}, bias_ratio)


@dataclass
class OriginalRun:
    """The printed table of one run: ``losses[i]``, ``accuracies[i]`` are those of iteration i,
    from its forward pass before its update (NaN after a divergence); ``net`` as it ended."""

    errata: frozenset
    losses: np.ndarray
    accuracies: np.ndarray
    net: bp.MLP

    @property
    def before(self):
        """(loss, accuracy) of the untrained network, which is also iteration 0's."""
        return self.losses[0], self.accuracies[0]

    @property
    def finite(self):
        return bool(np.isfinite(self.losses).all())

    def table(self, rows=None):
        """Lines in the original's format: ``Iteration 145 - loss 664.60120828 accuracy 0.818``."""
        rows = range(len(self.losses)) if rows is None else rows
        lines = [f"Before training - loss {_eight_decimals(self.before[0])} accuracy {self.before[1]:g}"]
        lines += [
            f"Iteration {i} - loss {_eight_decimals(self.losses[i])} accuracy {self.accuracies[i]:g}"
            for i in rows
        ]
        return "\n".join(lines)


def _eight_decimals(x):
    """A loss as the original printed it: at most 8 decimals, trailing zeros dropped."""
    return np.format_float_positional(x, precision=8, trim="-")


def run_original(
    errata=ERRATA_IN_CODE,
    lr=LEARNING_RATE,
    epochs=N_EPOCHS,
    data=None,
    bias_ratio=1.0,
    seed=INIT_SEED,
    sigma=INIT_SIGMA,
):
    """Train ``original_network(errata)`` as the original did, with ``backprop_lib.train``."""
    X, y = make_original_data() if data is None else data
    net = original_network(errata, seed, sigma, bias_ratio)
    accuracies = []
    history = bp.train(
        net, X, y, lr, epochs, callback=lambda epoch, net: accuracies.append(bp.accuracy(y, net.output(X)))
    )
    losses, accuracy = np.full(epochs, np.nan), np.full(epochs, np.nan)
    done = min(epochs, len(history.losses))
    losses[:done], accuracy[:done] = history.losses[:done], accuracies[:done]
    return OriginalRun(check_errata(errata), losses, accuracy, net)


# -- dissecting the run ------------------------------------------------------------------

# A step that raises the loss by more than this fraction counts as divergence: gradient
# descent with a small enough learning rate never raises the loss.
DIVERGENCE_RISE = 0.01


def effective_learning_rates(errata=ERRATA_IN_CODE, lr=LEARNING_RATE, n_samples=1000):
    """``(η_W, η_b)``: the step sizes the run really applies to the gradient of the *mean* loss.

    Erratum 1 doubles every gradient, erratum 4 makes them n times larger (a sum), erratum 5
    divides db by n again: η = 0.005 acts as η_W = 10 and η_b = 0.01 on 1000 samples.
    """
    errata = check_errata(errata)
    lr_W = lr * (2.0 if 1 in errata else 1.0) * (n_samples if 4 in errata else 1.0)
    lr_b = lr_W / n_samples if 5 in errata else lr_W
    return lr_W, lr_b


def max_loss_rise(losses):
    """Largest one-step relative rise of the loss, ``max (L[i+1] − L[i]) / L[i]``."""
    losses = np.asarray(losses, dtype=float)
    losses = losses[np.isfinite(losses)]
    if losses.size < 2:
        return 0.0
    return float(np.max(np.diff(losses) / np.abs(losses[:-1])))


ABLATION_FIXES = ((), (1,), (4,), (5,), (1, 5), (1, 4), (4, 5), (1, 4, 5))


def ablation(fixes=ABLATION_FIXES, epochs=N_EPOCHS, lr=LEARNING_RATE, data=None, progress=None):
    """The original run again with each set of errata in ``fixes`` switched off.

    One dict per run: ``fixed``, ``errata``, ``lr_W``, ``lr_b`` (``effective_learning_rates``),
    ``final_accuracy``, ``best_accuracy``, ``best_iteration``, ``max_rise``, ``diverged`` (a
    rise above ``DIVERGENCE_RISE`` or a non-finite loss) and ``run``. ``progress(done, total)``
    is called after each run if given.
    """
    data = make_original_data() if data is None else data
    rows = []
    for fixed in fixes:
        errata = frozenset(ERRATA_IN_CODE) - set(check_errata(fixed))
        run = run_original(errata, lr=lr, epochs=epochs, data=data)
        acc = run.accuracies[np.isfinite(run.accuracies)]
        rise = max_loss_rise(run.losses)
        lr_W, lr_b = effective_learning_rates(errata, lr, len(data[0]))
        rows.append(
            {
                "fixed": tuple(fixed),
                "errata": errata,
                "lr_W": lr_W,
                "lr_b": lr_b,
                "final_accuracy": float(acc[-1]),
                "best_accuracy": float(acc.max()),
                "best_iteration": int(np.argmax(acc)),
                "max_rise": rise,
                "diverged": bool(rise > DIVERGENCE_RISE or not run.finite),
                "run": run,
            }
        )
        if progress is not None:
            progress(len(rows), len(fixes))
    return rows


def format_ablation(rows):
    """The rows of ``ablation`` as a fixed-width text table (rounded)."""
    head = (
        f"{'errata fixed':<14}{'η_W':>8}{'η_b':>8}{'final acc':>11}{'best acc (iter)':>17}"
        f"{'max loss rise':>15}  diverged"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        fixed = (
            "none"
            if not r["fixed"]
            else ("all" if set(r["fixed"]) == set(ERRATA_IN_CODE) else ", ".join(map(str, r["fixed"])))
        )
        best = f"{r['best_accuracy']:.3f} ({r['best_iteration']})"
        lines.append(
            f"{fixed:<14}{r['lr_W']:>8g}{r['lr_b']:>8g}{r['final_accuracy']:>11.3f}"
            f"{best:>17}{100 * max(r['max_rise'], 0):>14.1f}%  {'yes' if r['diverged'] else 'no'}"
        )
    return "\n".join(lines)

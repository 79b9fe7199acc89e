"""A faithful replica of the original tutorial's network, errata included.

**Use it only to reproduce and dissect the original results.** Everything else in the
series uses :class:`backprop_lib.MLP`, which is correct.

The original tutorial ("Application of differentiations in neural networks", 2021)
trained a ``[2, 4, 3, 1]`` ReLU/ReLU/sigmoid network on scikit-learn's two circles with
full-batch gradient descent and printed a table that climbs to 81.8 % accuracy at
iteration 145 and then falls apart. This module re-implements that computation (written
anew for this series, operation for operation, so the floating-point results are the same)
and makes each of the three errata in its *code* switchable:

* erratum 1 — the sigmoid derivative is ``2 σ(1 − σ)`` instead of ``σ(1 − σ)``;
* erratum 4 — the "average" cross-entropy divides by ``y.shape[1]`` (the number of
  outputs, 1) instead of the number of samples, so the loss is a *sum* over the batch,
  and the backward pass (which has no 1/n either) differentiates that sum;
* erratum 5 — ``dW`` sums the per-sample gradients over the batch while ``db`` averages
  them, so weights and biases follow gradients of two different losses.

Errata 2 and 3 live in the tutorial's maths text, not in its code; see
:mod:`backprop_lib.errata` for injecting them into a correct network.

Randomness is drawn from private ``numpy.random.RandomState`` objects that produce the
same streams as the original's ``np.random.seed(0)`` / ``np.random.seed(42)``, so the
global numpy state is never touched.

Shapes (row convention, as in the original code): ``X`` ``(n, 2)``, ``y`` ``(n, 1)``,
``W[l]`` ``(n_{l-1}, n_l)``, ``b[l]`` ``(1, n_l)``; lists are indexed by the layer number
``l = 1 .. L`` of the maths (index 0 holds the input in ``a`` and is unused otherwise).
"""

from dataclasses import dataclass, replace

import numpy as np

# The original's settings.
LAYER_SIZES = (2, 4, 3, 1)
ACTIVATIONS = ("relu", "relu", "sigmoid")
LEARNING_RATE = 0.005
N_EPOCHS = 150
DATA_SEED = 0
INIT_SEED = 42
INIT_SIGMA = 0.1

# The smallest positive float64 step at 1.0; the original clips log arguments to it.
EPSILON = np.finfo(float).eps

ERRATA_IN_CODE = (1, 4, 5)


# -- activations and the loss, as the original wrote them --------------------------------


def sigmoid(z):
    """σ(z) with z clipped to [−500, 500] as in the original; any shape."""
    return 1 / (1 + np.exp(-z.clip(-500, 500)))


def sigmoid_derivative(z, factor=2.0):
    """``factor · σ(z)(1 − σ(z))``; the original used ``factor = 2`` (erratum 1)."""
    s = sigmoid(z)
    return factor * s * (1 - s)


def relu(z):
    """max(0, z); any shape."""
    return np.maximum(0, z)


def relu_derivative(z):
    """1 where z > 0, else 0; any shape."""
    return (z > 0).astype(float)


def cross_entropy(y, yhat, divisor):
    """−Σ[y log ŷ + (1−y) log(1−ŷ)] / divisor as a float; y, ŷ ``(n, 1)``.

    The original divides by ``y.shape[1]`` (= 1, erratum 4), which makes this the sum
    over the batch; dividing by ``y.shape[0]`` gives the mean its docstring promised.
    """
    log_p = np.log(yhat.clip(EPSILON))
    log_q = np.log((1 - yhat).clip(EPSILON))
    total = y.T @ log_p + (1 - y.T) @ log_q  # (1, 1): a sum over the samples
    return float((-total / divisor)[0, 0])


def cross_entropy_derivative(y, yhat):
    """dℓ/dŷ of each sample's own cross-entropy, ``(n, 1)`` (no 1/n anywhere)."""
    return -np.divide(y, yhat.clip(EPSILON)) + np.divide(1 - y, (1 - yhat).clip(EPSILON))


# -- which errata are switched on --------------------------------------------------------


@dataclass(frozen=True)
class Errata:
    """Which of the code's errata the replica reproduces (all three by default).

    ``sigmoid_times_two`` (erratum 1), ``loss_sums_over_samples`` (erratum 4: loss and
    its gradient are sums over the batch rather than means) and ``db_averages``
    (erratum 5: ``db`` is the batch mean of dz while ``dW`` is the batch sum).
    With all three off the replica computes the mean cross-entropy and its exact gradient.
    """

    sigmoid_times_two: bool = True
    loss_sums_over_samples: bool = True
    db_averages: bool = True

    _FIELDS = {1: "sigmoid_times_two", 4: "loss_sums_over_samples", 5: "db_averages"}

    @classmethod
    def original(cls):
        """All three errata, as the tutorial ran."""
        return cls()

    @classmethod
    def none(cls):
        """No errata: the corrected computation."""
        return cls(False, False, False)

    def fixing(self, *numbers):
        """A copy with the errata numbered ``numbers`` (from 1, 4, 5) switched off."""
        changes = {}
        for number in numbers:
            if number not in self._FIELDS:
                raise ValueError(
                    f"fixing: expected erratum numbers from {ERRATA_IN_CODE} (the ones in the "
                    f"original code), got {number!r}"
                )
            changes[self._FIELDS[number]] = False
        return replace(self, **changes)

    @property
    def active(self):
        """The numbers of the errata switched on, e.g. ``(1, 4, 5)``."""
        return tuple(n for n, field in self._FIELDS.items() if getattr(self, field))

    def __str__(self):
        return "errata " + ", ".join(map(str, self.active)) if self.active else "no errata"


# -- the network -------------------------------------------------------------------------

_FUNCTIONS = {"relu": (relu, relu_derivative), "sigmoid": (sigmoid, sigmoid_derivative)}


class OriginalMLP:
    """The original tutorial's ``mlp`` class, with its errata as switches.

    ``OriginalMLP()`` is the original ``[2, 4, 3, 1]`` ReLU/ReLU/sigmoid network with all
    three code errata; ``OriginalMLP(errata=Errata.none())`` is the corrected one.
    Parameters are drawn by :meth:`initialize`, as in the original.
    """

    def __init__(self, layer_sizes=LAYER_SIZES, activations=ACTIVATIONS, errata=None):
        layer_sizes = tuple(int(n) for n in layer_sizes)
        activations = tuple(activations)
        if len(layer_sizes) < 2 or min(layer_sizes) < 1:
            raise ValueError(f"layer_sizes: expected 2+ positive sizes, got {layer_sizes}")
        if len(activations) != len(layer_sizes) - 1:
            raise ValueError(
                f"activations: expected {len(layer_sizes) - 1} (one per layer), "
                f"got {len(activations)}"
            )
        unknown = [name for name in activations if name not in _FUNCTIONS]
        if unknown:
            raise ValueError(f"activations: expected 'relu' or 'sigmoid', got {unknown}")
        self.errata = Errata.original() if errata is None else errata
        if not isinstance(self.errata, Errata):
            raise TypeError(f"errata: expected an Errata, got {type(self.errata).__name__}")
        self.layer_sizes = layer_sizes
        self.activations = activations
        n_slots = len(layer_sizes)  # slot 0 is the input; layers are 1 .. L
        self.z, self.a, self.W, self.b = ([None] * n_slots for _ in range(4))
        self.dz, self.da, self.dW, self.db = ([None] * n_slots for _ in range(4))

    @property
    def n_layers(self):
        return len(self.layer_sizes) - 1

    def initialize(self, seed=INIT_SEED, sigma=INIT_SIGMA):
        """W[l], b[l] ~ N(0, σ²), drawn W then b for l = 1 .. L from ``RandomState(seed)``.

        Same numbers as the original's ``np.random.seed(seed)`` followed by
        ``np.random.randn`` calls, without touching numpy's global state.
        """
        rs = np.random.RandomState(seed)
        for l in range(1, self.n_layers + 1):
            n_in, n_out = self.layer_sizes[l - 1], self.layer_sizes[l]
            self.W[l] = rs.randn(n_in, n_out) * sigma
            self.b[l] = rs.randn(1, n_out) * sigma
        return self

    def forward(self, X):
        """X ``(n, n_0)`` -> ŷ ``(n, n_L)``; keeps z[l] and a[l] for the backward pass."""
        self.a[0] = X
        for l, name in enumerate(self.activations, start=1):
            f = _FUNCTIONS[name][0]
            self.z[l] = (self.a[l - 1] @ self.W[l]) + self.b[l]
            self.a[l] = f(self.z[l])
        return self.a[-1]

    def loss_divisor(self, y):
        """``y.shape[1]`` with erratum 4 (the original), ``y.shape[0]`` (n) without."""
        return y.shape[1] if self.errata.loss_sums_over_samples else y.shape[0]

    def loss(self, y, yhat):
        """The cross-entropy this replica reports and trains on (a float)."""
        return cross_entropy(y, yhat, self.loss_divisor(y))

    def backward(self, y, yhat):
        """dz, dW, db, da of every layer from targets y and output ŷ, both ``(n, n_L)``."""
        factor = 2.0 if self.errata.sigmoid_times_two else 1.0
        self.da[-1] = cross_entropy_derivative(y, yhat) / self.loss_divisor(y)
        for l in range(self.n_layers, 0, -1):
            name = self.activations[l - 1]
            if name == "sigmoid":
                f_prime = sigmoid_derivative(self.z[l], factor)
            else:
                f_prime = relu_derivative(self.z[l])
            self.dz[l] = self.da[l] * f_prime
            self.dW[l] = self.a[l - 1].T @ self.dz[l]  # a sum over the batch
            if self.errata.db_averages:
                self.db[l] = np.mean(self.dz[l], axis=0, keepdims=True)
            else:
                self.db[l] = self.dz[l].sum(axis=0, keepdims=True)
            self.da[l - 1] = self.dz[l] @ self.W[l].T

    def update(self, eta, eta_b=None):
        """W[l] -= η dW[l], b[l] -= η_b db[l] in place (η_b = η unless given)."""
        eta_b = eta if eta_b is None else eta_b
        for l in range(1, self.n_layers + 1):
            self.W[l] -= eta * self.dW[l]
            self.b[l] -= eta_b * self.db[l]

    def parameters(self):
        """``[(name, array)]`` for W1, b1, W2, ... (the live arrays)."""
        return [(f"{p}{l}", getattr(self, p)[l]) for l in range(1, self.n_layers + 1) for p in "Wb"]

    def gradients(self):
        """``[(name, array)]`` for dW1, db1, ... after :meth:`backward`."""
        return [
            (f"{p}{l}", getattr(self, "d" + p)[l]) for l in range(1, self.n_layers + 1) for p in "Wb"
        ]

    def __repr__(self):
        return f"OriginalMLP({list(self.layer_sizes)}, {list(self.activations)}, {self.errata})"


# -- data and the training run -----------------------------------------------------------


def make_original_data(n_samples=1000, seed=DATA_SEED):
    """The original's two circles: X ``(n, 2)``, y ``(n, 1)`` of 0.0/1.0.

    ``make_circles(factor=0.5, noise=0.1)`` drawing from ``RandomState(seed)``, the same
    numbers as the original's ``np.random.seed(0)`` before ``make_circles``.
    """
    from sklearn.datasets import make_circles

    X, y = make_circles(
        n_samples=n_samples, factor=0.5, noise=0.1, random_state=np.random.RandomState(seed)
    )
    return X, y.reshape(-1, 1)


def accuracy(y, yhat):
    """Fraction of samples with (ŷ > 0.5) equal to y; y, ŷ ``(n, 1)``."""
    return float(np.mean((yhat > 0.5) == (y > 0.5)))


@dataclass
class OriginalRun:
    """What :func:`run_original` printed: the table and the network it ended with.

    ``losses[i]``/``accuracies[i]`` belong to iteration i and come from the forward pass
    *before* that iteration's update (as printed by the original); ``before`` is the
    (loss, accuracy) of the untrained network.
    """

    errata: Errata
    before: tuple
    losses: np.ndarray
    accuracies: np.ndarray
    model: OriginalMLP

    @property
    def finite(self):
        return bool(np.isfinite(self.losses).all())

    def table(self, rows=None):
        """Lines like the original's output: ``Iteration 145 - loss 664.60120828 accuracy 0.818``."""
        rows = range(len(self.losses)) if rows is None else rows
        fmt = lambda x: np.format_float_positional(x, precision=8)  # noqa: E731
        lines = [f"Before training - loss {fmt(self.before[0])} accuracy {self.before[1]:g}"]
        lines += [f"Iteration {i} - loss {fmt(self.losses[i])} accuracy {self.accuracies[i]:g}" for i in rows]
        return "\n".join(lines)


def run_original(errata=None, lr=LEARNING_RATE, epochs=N_EPOCHS, data=None,
                 init_seed=INIT_SEED, sigma=INIT_SIGMA, lr_b=None):
    """Train the replica exactly as the original did and return an :class:`OriginalRun`.

    Full-batch gradient descent for ``epochs`` iterations; each iteration records the loss
    and accuracy of its own forward pass, then steps. ``data`` is ``(X, y)`` (default: the
    original's circles); ``lr_b`` gives the biases their own learning rate. A run whose numbers overflow is recorded with ``nan`` from there on.
    """
    X, y = make_original_data() if data is None else data
    model = OriginalMLP(errata=errata).initialize(init_seed, sigma)
    losses = np.full(epochs, np.nan)
    accuracies = np.full(epochs, np.nan)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        yhat = model.forward(X)
        before = (model.loss(y, yhat), accuracy(y, yhat))
        for n in range(epochs):
            yhat = model.forward(X)
            model.backward(y, yhat)
            model.update(lr, lr_b)
            losses[n] = model.loss(y, yhat)
            accuracies[n] = accuracy(y, yhat)
            if not np.isfinite(losses[n]) or not all(np.isfinite(p).all() for _, p in model.parameters()):
                losses[n] = np.nan
                break
    return OriginalRun(model.errata, before, losses, accuracies, model)


# -- dissecting the run ------------------------------------------------------------------

# A step that raises the loss by more than this fraction counts as divergence: plain
# gradient descent with a small enough learning rate never raises the loss.
DIVERGENCE_RISE = 0.01


def effective_learning_rates(errata, lr=LEARNING_RATE, n_samples=1000):
    """``(η_W, η_b)``: the step sizes the replica really applies to the *mean* loss's gradient.

    The original's ``dW`` is ``2 n`` times the gradient of the mean cross-entropy (factor 2
    from erratum 1, n from the sum of erratum 4) and its ``db`` is ``2`` times it (erratum 5
    averages the sum back), so η = 0.005 acts as η_W = 10 and η_b = 0.01 on 1000 samples.
    """
    factor = 2.0 if errata.sigmoid_times_two else 1.0
    scale = n_samples if errata.loss_sums_over_samples else 1.0
    lr_W = lr * factor * scale
    lr_b = lr_W / n_samples if errata.db_averages else lr_W
    return lr_W, lr_b


def max_loss_rise(losses):
    """Largest one-step relative increase of the loss, ``max (L[i+1] − L[i]) / L[i]`` (≥ 0 if any)."""
    losses = np.asarray(losses, dtype=float)
    losses = losses[np.isfinite(losses)]
    if losses.size < 2:
        return 0.0
    return float(np.max(np.diff(losses) / np.abs(losses[:-1])))


def ablation(fixes=((), (1,), (4,), (5,), (1, 5), (1, 4), (4, 5), (1, 4, 5)), epochs=N_EPOCHS,
             lr=LEARNING_RATE, data=None, progress=None):
    """Re-run the original with each set of errata in ``fixes`` switched off.

    Returns one dict per run: ``fixed`` (tuple), ``errata`` (:class:`Errata`), ``lr_W``,
    ``lr_b`` (see :func:`effective_learning_rates`), ``final_accuracy``, ``best_accuracy``,
    ``best_iteration``, ``max_rise`` (:func:`max_loss_rise`), ``diverged`` (a rise above
    :data:`DIVERGENCE_RISE` or a non-finite loss) and ``run`` (the :class:`OriginalRun`).
    ``progress``, if given, is called as ``progress(runs_done, n_runs)`` after each run.
    """
    data = make_original_data() if data is None else data
    rows = []
    for fixed in fixes:
        errata = Errata.original().fixing(*fixed)
        run = run_original(errata, lr=lr, epochs=epochs, data=data)
        acc = run.accuracies[np.isfinite(run.accuracies)]
        rise = max_loss_rise(run.losses)
        lr_W, lr_b = effective_learning_rates(errata, lr, len(data[0]))
        rows.append({
            "fixed": tuple(fixed), "errata": errata, "lr_W": lr_W, "lr_b": lr_b,
            "final_accuracy": float(acc[-1]), "best_accuracy": float(acc.max()),
            "best_iteration": int(np.argmax(acc)), "max_rise": rise,
            "diverged": bool(rise > DIVERGENCE_RISE or not run.finite), "run": run,
        })
        if progress is not None:
            progress(len(rows), len(fixes))
    return rows


def format_ablation(rows):
    """The rows of :func:`ablation` as a fixed-width text table (rounded)."""
    head = (f"{'errata fixed':<14}{'η_W':>8}{'η_b':>8}{'final acc':>11}{'best acc (iter)':>17}"
            f"{'max loss rise':>15}  diverged")
    lines = [head, "-" * len(head)]
    for r in rows:
        fixed = "none" if not r["fixed"] else ("all" if set(r["fixed"]) == set(ERRATA_IN_CODE)
                                               else ", ".join(map(str, r["fixed"])))
        best = f"{r['best_accuracy']:.3f} ({r['best_iteration']})"
        lines.append(f"{fixed:<14}{r['lr_W']:>8g}{r['lr_b']:>8g}{r['final_accuracy']:>11.3f}"
                     f"{best:>17}{100 * max(r['max_rise'], 0):>14.1f}%  {'yes' if r['diverged'] else 'no'}")
    return "\n".join(lines)

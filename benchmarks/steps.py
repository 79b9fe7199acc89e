"""One full-batch training step (forward + backward + update), float64, side by side.

Every contender starts from the same weights (backprop_lib's seeded initialisation) and
takes the same step: same layers, mean loss over the batch, plain gradient descent with
no momentum and no weight decay. ``check_same_step`` verifies that before timing.

Contenders
- ``backprop_lib``: ``net.forward(X)``, ``net.backward(Y)``, ``net.update(lr)`` (validates its input).
- ``scikit-learn``: ``MLPClassifier.partial_fit`` with ``solver="sgd"``, ``batch_size=n``,
  ``momentum=0``, ``alpha=0``, ``shuffle=False`` (shuffling a full batch would only add a copy).
- ``PyTorch``: ``nn.Linear``/``nn.ReLU`` in float64 on the CPU, ``BCEWithLogitsLoss`` or
  ``CrossEntropyLoss``, ``optim.SGD``; skipped with a message when torch is not installed.
- ``GEMM floor``: only the matrix products a training step cannot avoid — forward
  ``a_{k-1} @ W_k`` for every layer, ``a_{k-1}ᵀ @ dz_k`` for every layer and ``dz_k @ W_kᵀ``
  for every layer but the first (no one needs dL/dX) — each written to a new array as ``@`` does.
- ``BLAS only``: the same products into preallocated arrays (``np.matmul(..., out=)``); for
  information: the gap to the GEMM floor is what allocating fresh result arrays costs here.

Timing: a few warm-up steps each, then ``rounds`` rounds; in every round each contender runs
once, in a rotating order, so that load from other processes hits all of them alike. We report
the median of the per-round times and ratios of medians from the same run.
"""

import gc
import time
from dataclasses import dataclass, field

import numpy as np

import backprop_lib as bp

LEARNING_RATE = 0.01
LIB, SKLEARN, TORCH, FLOOR, BLAS = "backprop_lib", "scikit-learn", "PyTorch", "GEMM floor", "BLAS only"
CONTENDERS = (LIB, SKLEARN, TORCH, FLOOR, BLAS)


# -- the contenders: each factory returns (step, params) -------------------------------------
# ``step()`` performs one training step; ``params()`` returns [(W, b)] as numpy arrays in the
# row convention (W ``(n_in, n_out)``, b ``(1, n_out)``) for the same-step check.


def initial_parameters(wl, seed=0):
    """The common starting point: backprop_lib's seeded weights ``[(W, b)]``."""
    net = bp.MLP(wl.sizes, wl.activations, loss=wl.loss, seed=seed)
    return [(layer.W.copy(), layer.b.copy()) for layer in net.layers]


def make_backprop_lib(wl, init, lr=LEARNING_RATE):
    net = bp.MLP(wl.sizes, wl.activations, loss=wl.loss, seed=0)
    net.set_parameters({f"{p}{k}": value for k, pair in enumerate(init, 1) for p, value in zip("Wb", pair)})
    X, Y = wl.X, wl.Y

    def step():
        net.forward(X)
        net.backward(Y)
        net.update(lr)

    return step, lambda: [(layer.W, layer.b) for layer in net.layers]


def make_sklearn(wl, init, lr=LEARNING_RATE):
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(
        hidden_layer_sizes=tuple(wl.sizes[1:-1]),
        activation="relu",
        solver="sgd",
        batch_size=wl.n,
        learning_rate="constant",
        learning_rate_init=lr,
        momentum=0.0,
        nesterovs_momentum=False,
        alpha=0.0,
        shuffle=False,
        random_state=0,
    )
    X, labels = wl.X, wl.labels
    clf.partial_fit(X, labels, classes=np.arange(wl.n_classes))  # builds layers and optimizer
    # Overwrite in place: the optimizer holds references to these very arrays.
    for Wc, bc, (W, b) in zip(clf.coefs_, clf.intercepts_, init):
        Wc[...] = W
        bc[...] = b[0]

    def step():
        clf.partial_fit(X, labels)

    return step, lambda: [(W, b.reshape(1, -1)) for W, b in zip(clf.coefs_, clf.intercepts_)]


def torch_or_reason():
    """``(torch, None)`` or ``(None, why it is skipped)``."""
    try:
        import torch
    except ImportError:
        return None, "PyTorch not installed: skipped (optional: pip install torch==2.13.0)"
    return torch, None


def make_torch(wl, init, lr=LEARNING_RATE):
    torch, reason = torch_or_reason()
    if torch is None:
        raise RuntimeError(reason)
    modules = []
    for k, (W, b) in enumerate(init):
        linear = torch.nn.Linear(*W.shape, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W.T))  # torch stores W as (n_out, n_in)
            linear.bias.copy_(torch.from_numpy(b[0]))
        modules.append(linear)
        if k < len(init) - 1:
            modules.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*modules)
    X = torch.from_numpy(wl.X)  # shares memory with the numpy array: no copy
    if wl.sizes[-1] == 1:
        loss_fn = torch.nn.BCEWithLogitsLoss()
        target = torch.from_numpy(wl.Y)
    else:
        loss_fn = torch.nn.CrossEntropyLoss()
        target = torch.from_numpy(wl.labels.astype(np.int64))
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.0)

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(model(X), target).backward()
        opt.step()

    def params():
        linears = [m for m in model if isinstance(m, torch.nn.Linear)]
        return [(m.weight.detach().numpy().T, m.bias.detach().numpy().reshape(1, -1)) for m in linears]

    return step, params


def make_gemm_floor(wl, init, lr=LEARNING_RATE, preallocate=False):
    """The unavoidable matrix products of one step, on the workload's shapes."""
    X = wl.X
    Ws = [W for W, _ in init]
    n = len(X)
    # Stand-ins for a_k and dz_k with the right shapes (their values don't change the time).
    acts = [X] + [np.full((n, W.shape[1]), 0.5) for W in Ws]
    if preallocate:
        z_out = [np.empty((n, W.shape[1])) for W in Ws]
        dW_out = [np.empty(W.shape) for W in Ws]
        da_out = [np.empty((n, W.shape[0])) for W in Ws]

    def step():
        for k, W in enumerate(Ws):
            if preallocate:
                np.matmul(acts[k], W, out=z_out[k])
            else:
                acts[k] @ W
        for k in reversed(range(len(Ws))):
            dz = acts[k + 1]
            if preallocate:
                np.matmul(acts[k].T, dz, out=dW_out[k])
                if k:
                    np.matmul(dz, Ws[k].T, out=da_out[k])
            else:
                acts[k].T @ dz
                if k:
                    dz @ Ws[k].T

    return step, None


FACTORIES = {
    LIB: make_backprop_lib,
    SKLEARN: make_sklearn,
    TORCH: make_torch,
    FLOOR: make_gemm_floor,
    BLAS: lambda wl, init, lr=LEARNING_RATE: make_gemm_floor(wl, init, lr, preallocate=True),
}


# -- checks and timing ---------------------------------------------------------------------


def check_same_step(wl, contenders=(LIB, SKLEARN, TORCH), lr=LEARNING_RATE):
    """Largest |parameter difference| to backprop_lib after one step from the same start.

    Returns ``{name: max_abs_diff}`` for every contender that could be built.
    """
    init = initial_parameters(wl)
    after = {}
    for name in contenders:
        try:
            step, params = FACTORIES[name](wl, init, lr)
        except RuntimeError:
            continue
        step()
        after[name] = [(np.array(W), np.array(b)) for W, b in params()]
    ref = after[LIB]
    return {
        name: max(max(np.abs(W - Wr).max(), np.abs(b - br).max()) for (W, b), (Wr, br) in zip(p, ref))
        for name, p in after.items()
        if name != LIB
    }


def time_round_robin(steps, rounds, warmup=3):
    """``{name: [seconds per call]}``; each round calls every step once, in a rotating order."""
    names = list(steps)
    for name in names:
        for _ in range(warmup):
            steps[name]()
    times = {name: [] for name in names}
    gc_was_enabled = gc.isenabled()
    gc.collect()
    # As timeit does: no collector pauses while timing. Not collecting between rounds either:
    # a gc.collect() makes the next PyTorch step ~100x slower here, which is no fair test.
    gc.disable()
    try:
        for r in range(rounds):
            for i in range(len(names)):
                name = names[(r + i) % len(names)]
                t0 = time.perf_counter()
                steps[name]()
                times[name].append(time.perf_counter() - t0)
    finally:
        if gc_was_enabled:
            gc.enable()
    return times


@dataclass
class StepResult:
    workload: str
    rounds: int
    median_ms: dict = field(default_factory=dict)  # contender -> median time of one step (ms)
    min_ms: dict = field(default_factory=dict)  # contender -> fastest round (ms)
    skipped: dict = field(default_factory=dict)  # contender -> why it did not run
    same_step: dict = field(default_factory=dict)  # contender -> max |Δparam| vs backprop_lib

    def ratio(self, other):
        """backprop_lib time ÷ ``other``'s time (below 1 means backprop_lib is faster)."""
        if LIB not in self.median_ms or other not in self.median_ms:
            return None
        return self.median_ms[LIB] / self.median_ms[other]


def run_workload(wl, rounds=None, warmup=3, contenders=CONTENDERS, lr=LEARNING_RATE):
    """Check the step, then time every available contender on ``wl``."""
    rounds = rounds or wl.reps
    result = StepResult(wl.describe(), rounds)
    torch, reason = torch_or_reason()
    if torch is None and TORCH in contenders:
        result.skipped[TORCH] = reason
        contenders = [c for c in contenders if c != TORCH]
    result.same_step = check_same_step(wl, [c for c in contenders if c in (LIB, SKLEARN, TORCH)], lr)
    init = initial_parameters(wl)
    steps = {name: FACTORIES[name](wl, init, lr)[0] for name in contenders}
    times = time_round_robin(steps, rounds, warmup)
    result.median_ms = {name: 1e3 * float(np.median(t)) for name, t in times.items()}
    result.min_ms = {name: 1e3 * float(np.min(t)) for name, t in times.items()}
    return result

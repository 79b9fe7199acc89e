"""The contenders: the same unit of training work, done by each library, float64 on the CPU.

Each factory ``make_*(wl, init, lr)`` returns a ``Contender`` whose ``run()`` does one unit of
``wl`` (see ``workloads``) and whose ``params()`` gives ``[(W, b)]`` as numpy arrays in the row
convention (W ``(n_in, n_out)``, b ``(1, n_out)``). Every contender starts from ``init``
(backprop_lib's seeded weights) and uses plain gradient descent on the mean loss of a batch:
no momentum, no weight decay. ``steps.check_same_work`` verifies that they agree.

One full-batch step (``wl.batch_size is None``)
- backprop_lib: ``net.forward(X)``, ``net.backward(Y)``, ``net.update(lr)`` (validation included).
- scikit-learn: ``MLPClassifier(solver="sgd", batch_size=n, shuffle=False, momentum=0, alpha=0)``
  and one ``partial_fit(X, labels)``.
- PyTorch: ``nn.Linear``/``nn.ReLU`` in float64, ``BCEWithLogitsLoss`` or ``CrossEntropyLoss``,
  ``optim.SGD``: ``zero_grad``, loss, ``backward``, ``step``.
- GEMM floor: only the matrix products a step cannot avoid (see ``make_gemm_floor``); and, for
  information, PyTorch's GEMM floor: the same products on torch tensors, through torch's BLAS.

One mini-batch epoch (``wl.batch_size`` rows per batch): every contender draws the epoch's order
with ``rng.permutation(n)`` from its own ``numpy.random.default_rng(SHUFFLE_SEED)``, so all of
them see the same batches in the same order (the last one holds n mod batch_size rows), and
records the mean training loss on all n samples before and after the epoch.
- backprop_lib: ``bp.train(net, X, Y, lr, 1, batch_size, rng)``, the library's one training loop
  (it shuffles, validates every batch, records both losses and checks them for divergence).
- scikit-learn: the losses from ``predict_proba(X)``; the epoch is one
  ``partial_fit(X[order], labels[order])`` with ``batch_size`` and ``shuffle=False``, which cuts
  the reordered data into the same batches (and keeps its own running mean of batch losses).
- PyTorch: a plain loop over slices of the order tensor, ``X[rows]`` and the four calls of a
  step per batch, the losses under ``torch.no_grad()``. No ``DataLoader``: it would add
  per-sample collation that is not part of the work compared here.
"""

from dataclasses import dataclass

import numpy as np

import backprop_lib as bp

from .workloads import FLOOR, LIB, SKLEARN, TORCH, TORCH_FLOOR

LEARNING_RATE = 0.01
SHUFFLE_SEED = 0


@dataclass
class Contender:
    name: str
    run: object  # () -> None: one step or one epoch
    params: object  # () -> [(W, b)], or None (the GEMM floor has no parameters)
    losses: list = None  # the losses the last epoch recorded: [before, after]


def initial_parameters(wl, seed=0):
    """The common starting point: backprop_lib's seeded weights ``[(W, b)]``."""
    net = bp.MLP(wl.sizes, wl.activations, loss=wl.loss, seed=seed)
    return [(layer.W.copy(), layer.b.copy()) for layer in net.layers]


def make_backprop_lib(wl, init, lr=LEARNING_RATE, lib=bp):
    """backprop_lib's step or epoch; ``lib``: another version of the module (``compare``)."""
    net = lib.MLP(wl.sizes, wl.activations, loss=wl.loss, seed=0)
    net.set_parameters({f"{p}{k}": value for k, pair in enumerate(init, 1) for p, value in zip("Wb", pair)})
    X, Y = wl.X, wl.Y
    me = Contender(LIB, None, lambda: [(layer.W, layer.b) for layer in net.layers])

    def step():
        net.forward(X)
        net.backward(Y)
        net.update(lr)

    rng = np.random.default_rng(SHUFFLE_SEED)

    def epoch():
        me.losses = lib.train(net, X, Y, lr, 1, batch_size=wl.batch_size, rng=rng).losses

    me.run = step if wl.batch_size is None else epoch
    return me


def make_sklearn(wl, init, lr=LEARNING_RATE):
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(
        hidden_layer_sizes=tuple(wl.sizes[1:-1]),
        activation="relu",
        solver="sgd",
        batch_size=wl.batch_size or wl.n,
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

    def params():
        return [(W, b.reshape(1, -1)) for W, b in zip(clf.coefs_, clf.intercepts_)]

    me = Contender(SKLEARN, None, params)
    rows = np.arange(wl.n)

    def mean_loss():
        return float(-np.mean(np.log(clf.predict_proba(X)[rows, labels])))

    def step():
        clf.partial_fit(X, labels)

    rng = np.random.default_rng(SHUFFLE_SEED)

    def epoch():
        order = rng.permutation(wl.n)
        before = mean_loss()
        clf.partial_fit(X[order], labels[order])
        me.losses = [before, mean_loss()]

    me.run = step if wl.batch_size is None else epoch
    return me


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

    def params():
        linears = [m for m in model if isinstance(m, torch.nn.Linear)]
        return [(m.weight.detach().numpy().T, m.bias.detach().numpy().reshape(1, -1)) for m in linears]

    me = Contender(TORCH, None, params)

    def train_on(xb, yb):
        opt.zero_grad(set_to_none=True)
        loss_fn(model(xb), yb).backward()
        opt.step()

    def mean_loss():
        with torch.no_grad():
            return loss_fn(model(X), target).item()

    rng = np.random.default_rng(SHUFFLE_SEED)

    def epoch():
        order = torch.from_numpy(rng.permutation(wl.n))
        before = mean_loss()
        for start in range(0, wl.n, wl.batch_size):
            rows = order[start : start + wl.batch_size]
            train_on(X[rows], target[rows])
        me.losses = [before, mean_loss()]

    me.run = (lambda: train_on(X, target)) if wl.batch_size is None else epoch
    return me


def make_gemm_floor(wl, init, lr=LEARNING_RATE, in_torch=False):
    """The products one full-batch step cannot avoid, each into a new array as ``@`` makes it:
    ``a_{k-1} @ W_k`` and ``a_{k-1}ᵀ @ dz_k`` for every layer, ``dz_k @ W_kᵀ`` for every layer
    but the first (nobody needs ∂L/∂X). Their operands are stand-ins of the right shapes: the
    values do not change the time of a product. ``in_torch``: the same products on torch
    tensors (torch's BLAS), to tell a faster BLAS from less work around the products."""
    if wl.batch_size is not None:
        raise ValueError("the GEMM floor is defined for a full-batch step only")
    Ws = [W for W, _ in init]
    acts = [wl.X] + [np.full((wl.n, W.shape[1]), 0.5) for W in Ws]
    if in_torch:
        torch, reason = torch_or_reason()
        if torch is None:
            raise RuntimeError(reason)
        Ws, acts = [torch.from_numpy(W) for W in Ws], [torch.from_numpy(a) for a in acts]

    def step():
        for k, W in enumerate(Ws):
            acts[k] @ W
        for k in reversed(range(len(Ws))):
            dz = acts[k + 1]
            acts[k].T @ dz
            if k:
                dz @ Ws[k].T

    return Contender(TORCH_FLOOR if in_torch else FLOOR, step, None)


def make_torch_gemm_floor(wl, init, lr=LEARNING_RATE):
    return make_gemm_floor(wl, init, lr, in_torch=True)


FACTORIES = {
    LIB: make_backprop_lib,
    SKLEARN: make_sklearn,
    TORCH: make_torch,
    FLOOR: make_gemm_floor,
    TORCH_FLOOR: make_torch_gemm_floor,
}

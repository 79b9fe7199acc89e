"""The same maths as ``MLP``, written as loops over units: one sample at a time, one number at a time.

Slow by design, for reading beside notebooks 02 and 03. With ``w_ji`` the weight from unit j of
layer k−1 to unit i of layer k (``W[j, i]``), and lists indexed by the layer number k:

    z_i = Σ_j a_prev_j w_ji + b_i                a_i = f(z_i)
    dz_i = da_i f'(z_i)                          (softmax: dz_i = Σ_m da_m ∂a_m/∂z_i)
    dw_ji = a_prev_j dz_i      db_i = dz_i       da_prev_j = Σ_i w_ji dz_i   (a sum over paths)

``gradients_by_loops`` averages the per-sample gradients over a batch, which is what
``MLP.backward`` computes with matrices.
"""

import numpy as np

from .validation import check_X, check_y


def forward_by_loops(net, x):
    """One sample x ``(n_0,)`` through ``net`` unit by unit.

    Returns ``(z, a)``: lists of floats ``z[k]`` and ``a[k]`` for the layers k = 1 … K, with
    ``a[0] = x`` and ``z[0] = None``.
    """
    x = check_X([x], net.layer_sizes[0])[0]  # one sample: a batch of one row
    z, a = [None], [[float(v) for v in x]]
    for layer in net.layers:
        n_in, n_out = layer.W.shape
        z_k = [sum(a[-1][j] * layer.W[j, i] for j in range(n_in)) + layer.b[0, i] for i in range(n_out)]
        z.append([float(v) for v in z_k])
        a.append([float(v) for v in layer.activation.forward(np.array([z_k]))[0]])
    return z, a


def backward_by_loops(net, x, y):
    """Every derivative of one sample's own loss (no 1/n) by loops over units.

    x ``(n_0,)``, y ``(n_K,)``. Returns a dict of lists indexed by the layer k = 1 … K (entry 0
    unused): ``z``, ``a`` (``a[0] = x``), ``da`` (``da[K]`` = ∂ℓ/∂ŷ; ∂ℓ/∂x is not computed),
    ``dz``, ``db`` (``[i]``) and ``dW`` (``[j][i]``).
    """
    z, a = forward_by_loops(net, x)
    K = len(net.layers)
    da, dz, dW, db = ([None] * (K + 1) for _ in range(4))
    y_row, yhat_row = check_y([y], net.layer_sizes[-1], 1), np.array([a[K]])
    da[K] = [float(v) for v in net.loss_fn.gradient(y_row, yhat_row)[0]]  # a batch of one: ℓ itself
    for k in range(K, 0, -1):
        layer = net.layers[k - 1]
        n_in, n_out = layer.W.shape
        dz[k] = _dz_by_loops(layer.activation, z[k], da[k])
        dW[k] = [[a[k - 1][j] * dz[k][i] for i in range(n_out)] for j in range(n_in)]
        db[k] = list(dz[k])
        if k > 1:
            da[k - 1] = [float(sum(layer.W[j, i] * dz[k][i] for i in range(n_out))) for j in range(n_in)]
    return {"z": z, "a": a, "da": da, "dz": dz, "dW": dW, "db": db}


def _dz_by_loops(activation, z, da):
    """dz_i = da_i f'(z_i), or Σ_m da_m ∂a_m/∂z_i when f is softmax (not elementwise)."""
    if activation.name == "softmax":
        J = activation.jacobian(z)  # J[m, i] = ∂a_m/∂z_i
        return [float(sum(da[m] * J[m, i] for m in range(len(z)))) for i in range(len(z))]
    fprime = activation.derivative(np.array([z]))[0]
    return [float(da[i] * fprime[i]) for i in range(len(z))]


def gradients_by_loops(net, X, y):
    """Gradients of the mean loss over the batch: ``[(dW, db)]`` per layer, as float arrays.

    X ``(n, n_0)``, y ``(n, n_K)``: the average of ``backward_by_loops`` over the samples.
    """
    X = check_X(X, net.layer_sizes[0])
    y = check_y(y, net.layer_sizes[-1], len(X))
    total = [(np.zeros_like(layer.W), np.zeros_like(layer.b)) for layer in net.layers]
    for x_s, y_s in zip(X, y):
        sample = backward_by_loops(net, x_s, y_s)
        for k, (dW, db) in enumerate(total, start=1):
            dW += np.array(sample["dW"][k])
            db += np.array([sample["db"][k]])
    return [(dW / len(X), db / len(X)) for dW, db in total]

"""Back-propagation unit by unit: the per-unit equations as literal loops.

For teaching only (slow by design). With ``w_ji`` the weight from unit j of layer k−1 to
unit i of layer k (``W[j, i]`` in the row convention):

    z_i  = Σ_j a_prev_j w_ji + b_i,        a_i = f(z_i)
    dz_i = da_i f'(z_i),  dw_ji = a_prev_j dz_i,  db_i = dz_i,  da_prev_j = Σ_i w_ji dz_i

Every gradient is averaged over the samples, like ``MLP.backward``.
"""

import numpy as np


def scalar_forward_sample(net, x):
    """One sample ``x`` of length n_0 -> per layer ``(z, a)`` as Python lists of floats."""
    a_prev = [float(v) for v in x]
    out = []
    for layer in net.layers:
        z = [
            sum(a_prev[j] * layer.W[j, i] for j in range(layer.n_in)) + layer.b[0, i]
            for i in range(layer.n_out)
        ]
        a = [float(v) for v in layer.activation.forward(np.array([z]))[0]]
        out.append((z, a))
        a_prev = a
    return out


def _dz_from_da(activation, z, a, da):
    """dz_i for one sample: da_i f'(z_i), or Σ_k da_k ∂a_k/∂z_i when f is softmax."""
    if activation.name == "softmax":
        J = activation.jacobian(z)  # J[k, i] = ∂a_k/∂z_i
        return [sum(da[k] * J[k, i] for k in range(len(z))) for i in range(len(z))]
    fprime = activation.derivative(np.array([z]))[0]
    return [da[i] * fprime[i] for i in range(len(z))]


def scalar_backward(net, X, y):
    """Mean gradients over the batch by loops: ``[(dW, db)]`` per layer as float arrays.

    ``X`` ``(n, n_0)`` and ``y`` ``(n, n_L)``; uses ``net``'s W, b, activations and loss.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).reshape(len(X), -1)
    n = len(X)
    grads = [(np.zeros_like(layer.W), np.zeros_like(layer.b)) for layer in net.layers]
    for x_s, y_s in zip(X, y):
        cache = scalar_forward_sample(net, x_s)
        yhat = np.array([cache[-1][1]])
        # dL/dŷ_i of this one sample's loss (a batch of one, so no 1/n yet).
        da = [float(v) for v in net.loss_fn.gradient(y_s.reshape(1, -1), yhat)[0]]
        for k in reversed(range(len(net.layers))):
            layer = net.layers[k]
            z, a = cache[k]
            a_prev = cache[k - 1][1] if k > 0 else [float(v) for v in x_s]
            dz = _dz_from_da(layer.activation, z, a, da)
            dW, db = grads[k]
            for i in range(layer.n_out):
                db[0, i] += dz[i] / n
                for j in range(layer.n_in):
                    dW[j, i] += a_prev[j] * dz[i] / n
            # Total derivative: unit j of the layer below reaches the loss through every unit i.
            da = [sum(layer.W[j, i] * dz[i] for i in range(layer.n_out)) for j in range(layer.n_in)]
    return grads

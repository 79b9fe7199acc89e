"""One fully connected layer in the row convention: z = a_prev @ W + b, a = f(z)."""

import functools
import inspect

import numpy as np

from .buffers import reusable


class Dense:
    """A layer of ``n_out`` units fed by ``n_in`` inputs.

    Parameters ``W`` ``(n_in, n_out)`` and ``b`` ``(1, n_out)``. After ``forward`` it holds
    ``a_prev`` ``(n, n_in)``, ``z`` and ``a`` ``(n, n_out)``; after ``backward`` it holds
    ``da`` and ``dz`` ``(n, n_out)`` and the gradients ``dW``, ``db`` (shapes of W and b).

    Each pass writes ``z``, ``a``, ``dz`` and ``dW`` into the previous pass's arrays when
    nothing outside the layer holds them (``buffers.py``): an array you keep never changes.
    """

    def __init__(self, W, b, activation):
        self.W = W
        self.b = b
        self.activation = activation
        self.a_prev = self.z = self.a = None
        self.da = self.dz = self.dW = self.db = None

    @property
    def n_in(self):
        return self.W.shape[0]

    @property
    def n_out(self):
        return self.W.shape[1]

    def forward(self, a_prev):
        """a_prev ``(n, n_in)`` -> a ``(n, n_out)``."""
        self.a_prev = a_prev
        shape = np.shape(a_prev)[:-1] + (self.n_out,)
        z_out, a_out = reusable(self, "z", shape), reusable(self, "a", shape)
        # z = a_prev W + b, with the bias added in place: `a_prev @ W + b` would make a second array.
        self.z = np.matmul(a_prev, self.W, out=z_out)
        self.z += self.b
        self.a = self._activation_call("forward", self.z, out=a_out)  # a = f(z)
        return self.a

    def backward_from_dz(self, dz, need_da_prev=True, out=None):
        """Given dz = dL/dz ``(n, n_out)``: store dW, db and return da_prev ``(n, n_in)``.

        ``out``, if given, is an array to write da_prev into (the MLP passes the layer
        below's previous ``da``). With ``need_da_prev=False`` it returns None without
        computing da_prev: the MLP does that for its first layer, whose da_prev would be
        dL/dX, which training never uses (skipping it saves a product as large as the
        layer's forward one).
        """
        self.dz = dz
        dW_out = reusable(self, "dW", self.W.shape)
        self.dW = np.matmul(self.a_prev.T, dz, out=dW_out)  # dW = a_{k-1}ᵀ dz
        self.db = dz.sum(axis=0, keepdims=True)  # db = Σ over the batch of dz
        if not need_da_prev:
            return None
        return np.matmul(dz, self.W.T, out=out)  # da_{k-1} = dz Wᵀ

    def backward(self, da, need_da_prev=True, out=None):
        """Given da = dL/da ``(n, n_out)``: dz = da ⊙ f'(z), then as ``backward_from_dz``."""
        self.da = da
        dz_out = reusable(self, "dz", np.shape(da))
        dz = self._activation_call("backward", da, self.z, self.a, out=dz_out)  # dz = da ⊙ f'(z)
        return self.backward_from_dz(dz, need_da_prev, out)

    def _activation_call(self, method, *args, out):
        """``activation.<method>(*args, out=out)``, or without ``out`` if the activation takes none."""
        if takes_out(type(self.activation), method):
            return getattr(self.activation, method)(*args, out=out)
        return getattr(self.activation, method)(*args)

    def __repr__(self):
        return f"Dense({self.n_in} -> {self.n_out}, {self.activation.name})"


@functools.cache
def takes_out(cls, method):
    """Whether ``cls.<method>`` accepts ``out=``: the built-in activations do, yours needn't."""
    return "out" in inspect.signature(getattr(cls, method)).parameters

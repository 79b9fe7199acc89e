"""One fully connected layer in the row convention: z = a_prev @ W + b, a = f(z)."""

import numpy as np


class Dense:
    """A layer of ``n_out`` units fed by ``n_in`` inputs.

    Parameters ``W`` ``(n_in, n_out)`` and ``b`` ``(1, n_out)``. After ``forward`` it holds
    ``a_prev`` ``(n, n_in)``, ``z`` and ``a`` ``(n, n_out)``; after ``backward`` it holds
    ``da`` and ``dz`` ``(n, n_out)`` and the gradients ``dW``, ``db`` (shapes of W and b).
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
        # In place on the fresh product: `a_prev @ W + b` would allocate a second (n, n_out) array.
        self.z = a_prev @ self.W
        self.z += self.b
        self.a = self.activation.forward(self.z)
        return self.a

    def backward_from_dz(self, dz, need_da_prev=True):
        """Given dz = dL/dz ``(n, n_out)``: store dW, db and return da_prev ``(n, n_in)``.

        With ``need_da_prev=False`` it returns None without computing da_prev: the MLP
        does that for its first layer, whose da_prev would be dL/dX, which training never
        uses (skipping it saves a product as large as the layer's forward one).
        """
        self.dz = dz
        self.dW = self.a_prev.T @ dz          # dW = a_{k-1}ᵀ dz
        self.db = dz.sum(axis=0, keepdims=True)  # db = Σ over the batch of dz
        if not need_da_prev:
            return None
        return dz @ self.W.T                   # da_{k-1} = dz Wᵀ

    def backward(self, da, need_da_prev=True):
        """Given da = dL/da ``(n, n_out)``: dz = da ⊙ f'(z), then as ``backward_from_dz``."""
        self.da = da
        dz = self.activation.backward(da, self.z, self.a)
        return self.backward_from_dz(dz, need_da_prev)

    def __repr__(self):
        return f"Dense({self.n_in} -> {self.n_out}, {self.activation.name})"

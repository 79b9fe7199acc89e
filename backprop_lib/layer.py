"""One fully connected layer, in the row convention: z = a_prev W + b, a = f(z)."""


class Dense:
    """``n_out`` units fed by ``n_in`` inputs; one sample per row.

    Parameters: ``W`` ``(n_in, n_out)`` and ``b`` ``(1, n_out)``. A forward pass keeps
    ``a_prev`` ``(n, n_in)``, ``z`` and ``a`` ``(n, n_out)``; a backward pass keeps ``da``,
    ``dz`` ``(n, n_out)`` and the gradients ``dW``, ``db`` (shapes of W and b).

    Where the 1/n of the mean loss lives: in ``dz``. The network's first ``da`` (or the output
    layer's ``dz``) is the gradient of the *mean* loss, so it already carries 1/n, and every
    line below just follows the chain rule. That is why ``dW`` and ``db`` both *sum* over the
    batch: each sample's share is already divided by n.
    """

    def __init__(self, W, b, activation):
        self.W, self.b, self.activation = W, b, activation
        self.a_prev = self.z = self.a = None
        self.da = self.dz = self.dW = self.db = None

    def apply(self, a_prev):
        """``(z, a)`` for the inputs a_prev ``(n, n_in)``; keeps nothing."""
        z = a_prev @ self.W + self.b  # z = a_prev W + b
        a = self.activation.forward(z)  # a = f(z)
        return z, a

    def forward(self, a_prev):
        """a_prev ``(n, n_in)`` -> a ``(n, n_out)``, keeping a_prev, z and a for the backward pass."""
        self.a_prev = a_prev
        self.z, self.a = self.apply(a_prev)
        return self.a

    def backward(self, da, first=False):
        """da = ∂L/∂a ``(n, n_out)`` -> da_prev = ∂L/∂a_prev ``(n, n_in)``; keeps dz, dW, db."""
        self.da = da
        dz = self.activation.backward(da, self.z, self.a)  # dz = da ⊙ f'(z)
        return self.backward_from_dz(dz, first)

    def backward_from_dz(self, dz, first=False):
        """The same, starting from dz = ∂L/∂z ``(n, n_out)``."""
        self.dz = dz
        self.dW = self.a_prev.T @ dz  # dW = a_prevᵀ dz
        self.db = dz.sum(axis=0, keepdims=True)  # db = Σ over the samples of dz
        if first:  # below the first layer is X itself: nothing needs ∂L/∂X
            return None
        return dz @ self.W.T  # da_prev = dz Wᵀ

    def __repr__(self):
        n_in, n_out = self.W.shape
        return f"Dense({n_in} -> {n_out}, {self.activation.name})"

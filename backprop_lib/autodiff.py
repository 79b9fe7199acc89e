"""A tiny reverse-mode automatic differentiation engine on numpy arrays.

Every ``Value`` holds an array ``data`` and remembers how it was made: the ``parents`` it
was computed from, the operation ``op`` and a ``vjp`` rule. The rule is the operation's
*local* derivative in the only form reverse mode needs, a vector-Jacobian product: given
``g = ∂L/∂(this value)`` (the shape of ``data``) it returns ``∂L/∂parent`` contributions,
one per parent, each of that parent's shape.

``L.backward()`` then visits the graph in reverse topological order (every node after all
the nodes that use it) and *adds* each contribution to the parent's ``grad``: a value used
twice receives two contributions, which is the chain rule's sum over paths.

    x = Value(2.0, name="x")
    L = x * x + x.exp()          # x used twice
    L.backward()                 # x.grad == 2x + e^x

Values are tensors, so a whole MLP can be written with them (``@`` for the matrix
product, ``+`` broadcasting a bias row over the batch); ``mlp_loss`` does exactly that
for a ``backprop_lib.MLP`` and ``mlp_gradients`` returns its dW, db.
"""

import numbers

import numpy as np

from .validation import as_array, check_X, check_y

__all__ = [
    "Value",
    "topological_order",
    "softmax",
    "mlp_loss",
    "mlp_gradients",
]


def _as_array(data, what="Value data"):
    return np.array(as_array(data, what))  # a copy: a Value owns its data


def _unbroadcast(g, shape):
    """Sum ``g`` over the axes numpy broadcast, so it gets ``shape`` back.

    A bias b of shape ``(1, n)`` added to z of shape ``(batch, n)`` is copied to every
    row; its gradient is therefore the sum of the rows of g.
    """
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for axis, n in enumerate(shape):
        if n == 1 and g.shape[axis] != 1:
            g = g.sum(axis=axis, keepdims=True)
    return g


class Value:
    """A node of the computation graph: an array ``data`` of any shape and, after
    ``backward``, ``grad = ∂L/∂data`` of the same shape.

    ``parents`` are the Values it was computed from, ``op`` names the operation
    (``""`` for a leaf), ``vjp(g)`` returns the tuple of contributions to the parents'
    gradients and ``rule`` says the local derivative in words. ``name`` is for display.
    """

    # numpy array ∘ Value must call Value's reflected operator (y * v -> v.__rmul__(y)),
    # not build an object array of Values element by element.
    __array_ufunc__ = None

    def __init__(self, data, parents=(), op="", vjp=None, rule="", name=None):
        self.data = _as_array(data)
        self.grad = np.zeros_like(self.data)
        self.parents = tuple(parents)
        for p in self.parents:
            if not isinstance(p, Value):
                raise TypeError(f"Value parents: expected Value objects, got {type(p).__name__}")
        if self.parents and vjp is None:
            raise ValueError("Value: a node with parents needs a vjp rule")
        self.op = op
        self._vjp = vjp
        self.rule = rule
        self.name = name

    # -- plumbing ---------------------------------------------------------------------

    @property
    def shape(self):
        return self.data.shape

    @property
    def is_leaf(self):
        return not self.parents

    def vjp(self, g):
        """Contributions ``(∂L/∂parent_1, ...)`` given ``g = ∂L/∂self`` (shape of ``data``)."""
        if self.is_leaf:
            return ()
        g = np.asarray(g, dtype=np.float64)
        if g.shape != self.data.shape:
            raise ValueError(f"vjp of {self.op!r}: expected g of shape {self.data.shape}, got {g.shape}")
        return tuple(self._vjp(g))

    def local_derivatives(self):
        """For a scalar node: ``∂self/∂parent`` for each parent (the vjp of 1)."""
        if self.data.ndim:
            raise ValueError(f"local_derivatives: only for scalar nodes, this one has shape {self.shape}")
        return self.vjp(np.ones(()))

    def detach(self):
        """The same numbers as a new leaf: gradients do not flow through it."""
        return Value(self.data.copy(), name=self.name)

    def backward(self, grad=None):
        """Fill ``grad`` of every node this Value depends on, in reverse topological order.

        ``grad`` is ∂L/∂self; it defaults to 1 and must be given unless self is a scalar.
        Gradients are reset first, then each node *adds* its contributions to its parents.
        """
        if grad is None:
            if self.data.size != 1:
                raise ValueError(
                    f"backward: the output has shape {self.shape}; pass grad= of that shape "
                    "or reduce it to a scalar first (e.g. .sum())"
                )
            grad = np.ones_like(self.data)
        grad = _as_array(grad, "backward grad")
        if grad.shape != self.shape:
            raise ValueError(f"backward: expected grad of shape {self.shape}, got {grad.shape}")
        order = topological_order(self)
        for node in order:
            node.grad = np.zeros_like(node.data)
        self.grad = grad.copy()
        for node in reversed(order):
            for parent, contribution in zip(node.parents, node.vjp(node.grad)):
                parent.grad = parent.grad + contribution
        return self

    def __repr__(self):
        label = f"{self.name}=" if self.name else ""
        origin = f", op={self.op!r}" if self.op else ""
        if self.data.ndim == 0:
            return f"Value({label}{float(self.data):.6g}{origin})"
        return f"Value({label}array of shape {self.shape}{origin})"

    # -- elementary operations: forward and local derivative side by side -------------

    def __add__(self, other):
        other = _lift(other)
        a, b = self.data, other.data

        def vjp(g):  # ∂(a+b)/∂a = ∂(a+b)/∂b = 1 (summed over broadcast axes)
            return _unbroadcast(g, a.shape), _unbroadcast(g, b.shape)

        return Value(a + b, (self, other), "+", vjp, "∂(a+b)/∂a = 1, ∂(a+b)/∂b = 1")

    def __radd__(self, other):
        return _lift(other) + self

    def __neg__(self):
        def vjp(g):
            return (-g,)

        return Value(-self.data, (self,), "neg", vjp, "∂(−a)/∂a = −1")

    def __sub__(self, other):
        other = _lift(other)
        a, b = self.data, other.data

        def vjp(g):
            return _unbroadcast(g, a.shape), _unbroadcast(-g, b.shape)

        return Value(a - b, (self, other), "−", vjp, "∂(a−b)/∂a = 1, ∂(a−b)/∂b = −1")

    def __rsub__(self, other):
        return _lift(other) - self

    def __mul__(self, other):
        other = _lift(other)
        a, b = self.data, other.data

        def vjp(g):  # elementwise: ∂(ab)/∂a = b, ∂(ab)/∂b = a
            return _unbroadcast(g * b, a.shape), _unbroadcast(g * a, b.shape)

        return Value(a * b, (self, other), "×", vjp, "∂(ab)/∂a = b, ∂(ab)/∂b = a")

    def __rmul__(self, other):
        return _lift(other) * self

    def __truediv__(self, other):
        other = _lift(other)
        a, b = self.data, other.data

        def vjp(g):
            return _unbroadcast(g / b, a.shape), _unbroadcast(-g * a / (b * b), b.shape)

        return Value(a / b, (self, other), "÷", vjp, "∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b²")

    def __rtruediv__(self, other):
        return _lift(other) / self

    def __pow__(self, p):
        if isinstance(p, Value) or isinstance(p, bool) or not isinstance(p, numbers.Real):
            raise TypeError(f"Value ** p: expected a constant real exponent, got {type(p).__name__}")
        a, p = self.data, float(p)

        def vjp(g):
            return (g * p * a ** (p - 1),)

        return Value(a**p, (self,), f"^{p:g}", vjp, f"∂(a^{p:g})/∂a = {p:g}·a^{p - 1:g}")

    def __matmul__(self, other):
        other = _lift(other)
        A, B = self.data, other.data
        if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
            raise ValueError(f"A @ B: expected shapes (n, k) and (k, m), got {A.shape} and {B.shape}")

        def vjp(G):  # C = A B: dA = G Bᵀ (n, k), dB = Aᵀ G (k, m)
            return G @ B.T, A.T @ G

        return Value(A @ B, (self, other), "@", vjp, "C = AB: ∂L/∂A = G Bᵀ, ∂L/∂B = Aᵀ G")

    def __rmatmul__(self, other):
        return _lift(other) @ self

    def sum(self, axis=None, keepdims=False):
        """Σ over ``axis`` (all entries by default); the gradient is copied back to each."""
        a = self.data

        def vjp(g):
            if axis is not None and not keepdims:
                g = np.expand_dims(g, axis)
            return (np.broadcast_to(g, a.shape).copy(),)

        out = a.sum(axis=axis, keepdims=keepdims)
        return Value(out, (self,), "sum", vjp, "∂(Σa)/∂a_i = 1")

    def mean(self, axis=None, keepdims=False):
        n = self.data.size if axis is None else self.data.shape[axis]
        return self.sum(axis=axis, keepdims=keepdims) / n

    def exp(self):
        e = np.exp(self.data)

        def vjp(g):
            return (g * e,)

        return Value(e, (self,), "exp", vjp, "∂eᵃ/∂a = eᵃ")

    def log(self):
        a = self.data

        def vjp(g):
            return (g / a,)

        return Value(np.log(a), (self,), "log", vjp, "∂log a/∂a = 1/a")

    def tanh(self):
        t = np.tanh(self.data)

        def vjp(g):
            return (g * (1.0 - t * t),)

        return Value(t, (self,), "tanh", vjp, "∂tanh a/∂a = 1 − tanh²a")

    def sigmoid(self):
        a = self.data
        e = np.exp(-np.abs(a))  # stable for any sign, as backprop_lib's Sigmoid
        s = np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

        def vjp(g):
            return (g * s * (1.0 - s),)

        return Value(s, (self,), "σ", vjp, "∂σ(a)/∂a = σ(a)(1 − σ(a))")

    def relu(self):
        a = self.data

        def vjp(g):
            return (np.where(a > 0, g, 0.0),)

        return Value(np.maximum(a, 0.0), (self,), "relu", vjp, "∂relu(a)/∂a = 1 if a > 0 else 0")

    def leaky_relu(self, alpha=0.01):
        a, alpha = self.data, float(alpha)

        def vjp(g):
            return (g * np.where(a > 0, 1.0, alpha),)

        return Value(
            np.where(a > 0, a, alpha * a), (self,), "leaky_relu", vjp, f"∂/∂a = 1 if a > 0 else {alpha:g}"
        )


def _lift(x):
    """A constant (number or array) as a leaf Value; Values pass through."""
    return x if isinstance(x, Value) else Value(x)


def topological_order(root):
    """Every node ``root`` depends on, each listed after all of its parents (root last)."""
    if not isinstance(root, Value):
        raise TypeError(f"topological_order: expected a Value, got {type(root).__name__}")
    order, seen = [], set()
    stack = [(root, False)]
    while stack:  # iterative depth-first search: deep graphs do not hit the recursion limit
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for parent in reversed(node.parents):
            if id(parent) not in seen:
                stack.append((parent, False))
    return order


def softmax(z):
    """Row-wise softmax of z ``(n, K)`` built from exp, sum and ÷ only.

    The row maximum is subtracted as a *constant* (``detach``) to avoid overflow; softmax
    does not change when a constant is added to a row, so neither does its derivative.
    """
    if not isinstance(z, Value) or z.data.ndim != 2:
        raise ValueError("softmax: expected a 2-D Value of shape (n_samples, n_classes)")
    shift = Value(z.data.max(axis=1, keepdims=True))
    e = (z - shift).exp()
    return e / e.sum(axis=1, keepdims=True)


_ACTIVATIONS = {
    "identity": lambda z, act: z,
    "sigmoid": lambda z, act: z.sigmoid(),
    "tanh": lambda z, act: z.tanh(),
    "relu": lambda z, act: z.relu(),
    "leaky_relu": lambda z, act: z.leaky_relu(act.alpha),
    "softmax": lambda z, act: softmax(z),
}


def _loss(name, y, yhat):
    """The mean loss over the batch, written from elementary operations (no fused form)."""
    n = y.shape[0]
    if name == "mse":
        return ((y - yhat) ** 2).sum() / n
    if name == "bce":
        return -(y * yhat.log() + (1.0 - y) * (1.0 - yhat).log()).sum() / n
    if name == "cross_entropy":
        return -(y * yhat.log()).sum() / n
    raise ValueError(f"mlp_loss: no autodiff form for loss {name!r}")


def mlp_loss(net, X, y):
    """The loss of ``net`` on (X, y) as a Value graph, and the parameter leaves.

    Uses the network's current W and b (copied); ``X`` ``(n, n_0)``, ``y`` ``(n, n_L)``.
    Returns ``(L, params)`` with ``params = [(W1, b1), (W2, b2), ...]`` as Values.
    """
    X = check_X(X, net.layer_sizes[0])
    y = check_y(y, net.layer_sizes[-1], len(X))
    params, a = [], Value(X, name="X")
    for k, layer in enumerate(net.layers, start=1):
        act = layer.activation
        if act.name not in _ACTIVATIONS:
            raise ValueError(f"mlp_loss: no autodiff form for activation {act!r}")
        W = Value(layer.W.copy(), name=f"W{k}")
        b = Value(layer.b.copy(), name=f"b{k}")
        params.append((W, b))
        a = _ACTIVATIONS[act.name](a @ W + b, act)
    return _loss(net.loss_fn.name, Value(y, name="y"), a), params


def mlp_gradients(net, X, y):
    """``[(name, gradient)]`` for W1, b1, W2, ... by reverse-mode autodiff.

    The same list shape as ``net.gradients()`` after ``net.forward(X); net.backward(y)``.
    """
    L, params = mlp_loss(net, X, y)
    L.backward()
    out = []
    for W, b in params:
        out += [(W.name, W.grad), (b.name, b.grad)]
    return out

# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 10 · From back-propagation to automatic differentiation
#
# Every gradient in this series so far was derived by hand: layer by layer, activation by
# activation, loss by loss — and then checked, because hand derivations go wrong (the
# original tutorial had five errata). Deep-learning libraries derive nothing by hand.
# They know the derivative of each *elementary* operation, record which operations the
# forward pass performed, and apply the chain rule to that record backwards. This is
# **reverse-mode automatic differentiation**, and back-propagation is its special case for
# layered networks. This notebook builds a tiny engine of that kind,
# `backprop_lib.autodiff`, watches it work node by node, and lets it reproduce the
# hand-derived MLP gradients of the earlier notebooks to round-off (a relative error below
# $10^{-12}$).
#
# **After this notebook you can**
# - describe a computation as a graph of elementary operations, each with a local derivative;
# - run the backward pass by hand in reverse topological order, and explain why a value
#   used twice must *add up* its gradient contributions;
# - derive the backward rule of the matrix product, $\partial L/\partial A = G B^{\mathsf T}$,
#   $\partial L/\partial B = A^{\mathsf T} G$, and of a broadcast bias;
# - add an operation to the engine with a vector–Jacobian product of your own derivation;
# - show that autodiff of an MLP gives `MLP.backward`'s $dW$ and $db$ to round-off;
# - relate the engine to how PyTorch and JAX compute gradients.
#
# **Before this notebook:** 01 (total derivatives, the sum over paths), 03–04 (the backward
# pass by hand and in matrix form), 07 (softmax and cross-entropy). **Time:** about 70
# minutes, 25 of them for the exercises.

# %% locked="setup"
import numpy as np
from IPython.display import Image, display

import backprop_lib as bp
from backprop_course.exercises import hidden_tests
from backprop_course.exercises.nb10_from_backprop_to_autodiff import (
    check_backward_pass,
    check_logsumexp_rows,
)
from backprop_course.explorers import nb10_from_backprop_to_autodiff as ad
from backprop_lib import check_line
from backprop_lib.autodiff import Value, mlp_gradients, mlp_loss, topological_order

# %% [markdown]
# ## 1 · A computation is a graph
#
# Take one tanh neuron with a squared error and a weight-decay penalty,
#
# $$L = \big(\tanh(w x + b) - y\big)^2 + \lambda w^2 .$$
#
# Computed one elementary operation at a time, it is a chain of small steps, each with an
# easy **local derivative**:
#
# | node | computed as | local derivatives |
# |---|---|---|
# | $u$ | $w \cdot x$ | $\partial u/\partial w = x$, $\partial u/\partial x = w$ |
# | $z$ | $u + b$ | $\partial z/\partial u = 1$, $\partial z/\partial b = 1$ |
# | $a$ | $\tanh z$ | $\partial a/\partial z = 1 - a^2$ |
# | $e$ | $a - y$ | $\partial e/\partial a = 1$, $\partial e/\partial y = -1$ |
# | $s$ | $e^2$ | $\partial s/\partial e = 2e$ |
# | $r$ | $w^2$ | $\partial r/\partial w = 2w$ |
# | $p$ | $\lambda \cdot r$ | $\partial p/\partial \lambda = r$, $\partial p/\partial r = \lambda$ |
# | $L$ | $s + p$ | $\partial L/\partial s = 1$, $\partial L/\partial p = 1$ |
#
# `Value` is a number (or array) that remembers the operation that made it, its parents and
# its local derivative rule. Writing the formula with Values builds the graph as a side
# effect of computing it:

# %%
x, w, b, y, lam = (
    Value(1.5, name="x"),
    Value(0.8, name="w"),
    Value(-0.4, name="b"),
    Value(0.5, name="y"),
    Value(0.1, name="λ"),
)
L = (((w * x) + b).tanh() - y) ** 2 + lam * w**2
print("L =", f"{float(L.data):.6f}")
print("nodes in the graph:", len(topological_order(L)))
print("L was made by", repr(L.op), "from", [p.op or p.name for p in L.parents])

# %% [markdown]
# `ad.example_graph()` builds the same graph with every intermediate node named as in the
# table. Drawn with parents on the left:

# %% tags=["nbval-ignore-output"]
L, nodes = ad.example_graph()
ad.graph_image(L, title="L = (tanh(w·x + b) − y)² + λ·w²: forward values, and the seed ∂L/∂L = 1")

# %% [markdown]
# ## 2 · The backward pass
#
# We want $\partial L/\partial(\text{every node})$. Start at the output with
# $\partial L/\partial L = 1$. Then, for a node $v$ whose gradient $\partial L/\partial v$ is
# known, each parent $q$ of $v$ receives the contribution
#
# $$\frac{\partial L}{\partial v}\cdot\frac{\partial v}{\partial q}
# \qquad\text{(upstream gradient × local derivative).}$$
#
# Two rules make this correct:
#
# 1. **Add the contributions.** $w$ reaches $L$ along two paths, through $u = wx$ and through
#    $r = w^2$. Its gradient is the total derivative of notebook 01, the *sum* over paths:
#    $\partial L/\partial w = \frac{\partial L}{\partial u}x + \frac{\partial L}{\partial r}2w$.
# 2. **Visit nodes in reverse topological order**: a node only after every node that uses it,
#    so its gradient is complete before it is passed on. `topological_order(L)` lists each node
#    after its parents; the backward pass walks that list from the end.
#
# Here is every step for our example, with the numbers:

# %%
steps = ad.backward_steps(L)
print("\n".join(ad.steps_lines(steps)))

# %% [markdown]
# `L.backward()` does exactly this walk. Compare it with the derivation by hand, the way
# notebook 03 did it: follow the chain rule from $L$ down, and add the two paths to $w$.
# With $a = \tanh z$, $z = wx + b$ and $e = a - y$,
#
# $$
# \frac{\partial L}{\partial a} = 2e,\qquad
# \frac{\partial L}{\partial z} = \frac{\partial L}{\partial a}\,\frac{\partial a}{\partial z} = 2e\,(1 - a^2),
# $$
#
# $$
# \frac{\partial L}{\partial w} = \underbrace{\frac{\partial L}{\partial z}\,x}_{\text{through } u = wx}
# + \underbrace{\lambda\cdot 2w}_{\text{through } r = w^2},\qquad
# \frac{\partial L}{\partial b} = \frac{\partial L}{\partial z},\qquad
# \frac{\partial L}{\partial x} = \frac{\partial L}{\partial z}\,w,\qquad
# \frac{\partial L}{\partial y} = -2e,\qquad
# \frac{\partial L}{\partial \lambda} = w^2 .
# $$
#
# In code, and side by side with the engine and with central differences of $L$:

# %%
L.backward()
x_, w_, b_, y_, lam_ = 1.5, 0.8, -0.4, 0.5, 0.1
a_ = np.tanh(w_ * x_ + b_)
dL_dz = 2 * (a_ - y_) * (1 - a_**2)
by_hand = {"x": dL_dz * w_, "w": dL_dz * x_ + lam_ * 2 * w_, "b": dL_dz, "y": -2 * (a_ - y_), "λ": w_**2}
point = np.array([x_, w_, b_, y_, lam_])


def loss_of(point):
    x_, w_, b_, y_, lam_ = point
    return (np.tanh(w_ * x_ + b_) - y_) ** 2 + lam_ * w_**2


numeric = bp.numerical_gradient(lambda: loss_of(point), point)
for k, name in enumerate(["x", "w", "b", "y", "λ"]):
    grad = float(nodes[name].grad)
    print(
        f"∂L/∂{name}: autodiff {grad: .6f}   by hand {by_hand[name]: .6f}   "
        + check_line("vs central differences", grad, numeric[k])
    )

# %% [markdown]
# ## 3 · Explorer: the walk, node by node
#
# Move the slider (or press play). Purple: the node being visited, whose gradient is now
# final; amber: its parents, which receive a contribution along the highlighted edges. Red
# numbers under the nodes are the gradients found so far; the table repeats them.
#
# **Try:**
# 1. Watch $\partial L/\partial w$: after which step does it first appear, and with what value?
# 2. At which step does it reach its final value, and what does that step add?
# 3. Which leaves' gradients never pass through the tanh, and when are they complete?
#
# The answers, from the explorer's own steps: every leaf's gradient after each step.

# %%
steps = ad.backward_steps(L)
print("step   " + "".join(f"{k:>8d}" for k in range(len(steps))))
for name in ["x", "w", "b", "y", "λ"]:
    history = ad.gradient_after_each_step(steps, nodes[name])
    print(f"∂L/∂{name}  " + "".join(f"{g:8.4f}" for g in history))

# %% [markdown]
# 1. $\partial L/\partial w$ first appears at step 3, the visit of $r = w^2$: the weight-decay
#    path, $\lambda\cdot 2w$.
# 2. It is complete at step 8, the visit of $u = wx$, which adds the path through the tanh
#    to what was there (the walk above prints the addition): the total derivative as a sum
#    over paths.
# 3. $\lambda$ and $y$: $\lambda$ reaches $L$ only through $p = \lambda r$ (complete at step 2),
#    $y$ only through $e = a - y$ (step 5). $x$, $w$ and $b$ wait for the tanh, visited at step 6.

# %% tags=["nbval-ignore-output"]
stepper = ad.autodiff_stepper()
stepper

# %% [markdown]
# Without a running kernel (on GitHub or nbviewer) the explorer cannot redraw; this is its
# last step, with every gradient in place:

# %% tags=["nbval-ignore-output"]
stepper.step_slider.value = len(stepper.steps) - 1
display(Image(data=stepper.image.value))

# %%
last = stepper.steps[-1]
print(
    "after the last step:",
    ", ".join(f"∂L/∂{stepper.labels[id(n)]} = {last.grads[id(n)]:.4f}" for n in stepper.order if n.is_leaf),
)

# %% [markdown]
# ## 4 · Exercise 1: write the backward walk
#
# Write `backward_pass(order)`. It receives the graph's nodes in topological order (parents
# first, the scalar output last), as `topological_order` returns them. Every node starts with
# `node.grad` all zeros (the shape of `node.data`); `node.parents` is a tuple of Values and
# `node.vjp(g)` returns one contribution per parent, given `g` $= \partial L/\partial$ node
# (it multiplies `g` by the local derivative for you). Fill in every node's `.grad` —
# without calling `.backward()`. The check runs your walk on a scalar graph and on a graph
# of matrices, both with nodes used more than once.


# %%
def backward_pass(order):
    """Fill node.grad = ∂L/∂node for every node; order: topological, output L last."""
    ### BEGIN SOLUTION
    order[-1].grad = np.ones_like(order[-1].data)
    for node in reversed(order):
        for parent, contribution in zip(node.parents, node.vjp(node.grad)):
            parent.grad = parent.grad + contribution
    ### END SOLUTION


# %% points=2
check_backward_pass(backward_pass)
### BEGIN HIDDEN TESTS
hidden_tests("coursework.grader.nb10_from_backprop_to_autodiff:check_backward_pass", backward_pass)
### END HIDDEN TESTS

# %% [markdown]
# ## 5 · Tensors: the same engine on arrays
#
# A network is not a graph of scalars; it is a graph of matrices. A `Value` may hold an
# array of any shape, and its `.grad` then has the same shape. The rule of each operation
# is a **vector–Jacobian product**: given $G = \partial L/\partial(\text{output})$, it returns
# $\partial L/\partial(\text{input})$ directly. Nobody forms the Jacobian, which for a
# matrix product of modest size would have billions of entries.
#
# **The matrix product.** Let $C = AB$ with $A$ of shape $(n, k)$ and $B$ of shape
# $(k, m)$, so $C_{ij} = \sum_{q=1}^{k} A_{iq} B_{qj}$, and $G_{ij} = \partial L/\partial C_{ij}$.
# The entry $A_{iq}$ appears in every $C_{ij}$ of row $i$, with factor $B_{qj}$, so
#
# $$\frac{\partial L}{\partial A_{iq}} = \sum_{j=1}^{m} G_{ij} B_{qj} = (G B^{\mathsf T})_{iq},
# \qquad
# \frac{\partial L}{\partial B_{qj}} = \sum_{i=1}^{n} A_{iq} G_{ij} = (A^{\mathsf T} G)_{qj}.$$
#
# With $A = a_{k-1}$ and $B = W_k$ this is notebook 04's $dW_k = a_{k-1}^{\mathsf T} dz_k$
# and $da_{k-1} = dz_k W_k^{\mathsf T}$: the layer rules were the matrix product's rules all
# along.
#
# **Broadcasting.** In $z = a W + b$ the bias row $b$ of shape $(1, m)$ is added to each of the
# $n$ rows; each copy passes its gradient back, so $\partial L/\partial b = \sum_{s} G_{s\cdot}$,
# the column sums — notebook 04's $db$. The engine does this for any broadcast.
#
# Both rules against central differences, with $L = \sum_{ij} R_{ij}\,(AB + b)_{ij}$ for a fixed
# random $R$ (so that $G = R$):

# %%
rng = np.random.default_rng(0)
A_, B_, b_ = rng.normal(size=(4, 3)), rng.normal(size=(3, 5)), rng.normal(size=(1, 5))
R = rng.normal(size=(4, 5))
A, B, bias = Value(A_), Value(B_), Value(b_)
((A @ B + bias) * R).sum().backward()


def f():
    return np.sum(R * (A_ @ B_ + b_))


print(check_line("∂L/∂A = G Bᵀ  vs central differences", A.grad, bp.numerical_gradient(f, A_)))
print(check_line("∂L/∂B = Aᵀ G  vs central differences", B.grad, bp.numerical_gradient(f, B_)))
print(check_line("∂L/∂b = Σ rows vs central differences", bp.numerical_gradient(f, b_), bias.grad))
print("shapes:", A.grad.shape, B.grad.shape, bias.grad.shape)

# %% [markdown]
# ## 6 · A whole MLP, differentiated automatically
#
# `mlp_loss(net, X, y)` writes the forward pass of a `backprop_lib.MLP` with Values — a
# matrix product, a broadcast bias and an activation per layer, then the loss — and returns
# the loss node with the parameter leaves. Softmax is composed from `exp`, `sum` and `÷`
# (after subtracting the row maximum as a constant), and cross-entropy from `log`: nobody
# told the engine about the softmax Jacobian or the fused $(\hat y - y)/n$ of notebook 07.
# Compare with the hand-derived `MLP.backward` on several architectures and all three losses:

# %%
cases = [
    ([3, 4, 3, 1], ["relu", "relu", "sigmoid"], "bce"),
    ([5, 8, 4], ["tanh", "softmax"], "cross_entropy"),
    ([2, 6, 6, 6, 2], ["leaky_relu", "sigmoid", "tanh", "identity"], "mse"),
    ([64, 32, 10], ["relu", "softmax"], "cross_entropy"),
]
rng = np.random.default_rng(1)
for sizes, acts, loss in cases:
    net = bp.MLP(sizes, acts, loss=loss, seed=1)
    X = rng.normal(size=(16, sizes[0]))
    if loss == "cross_entropy":
        Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], 16)]
    elif loss == "bce":
        Y = rng.integers(0, 2, (16, sizes[-1])).astype(float)
    else:
        Y = rng.normal(size=(16, sizes[-1]))
    net.forward(X)
    net.backward(Y)
    by_hand = dict(net.gradients())
    by_autodiff = dict(mlp_gradients(net, X, Y))
    worst = max(bp.rel_error(by_autodiff[k], by_hand[k]) for k in by_hand)
    L_node, _ = mlp_loss(net, X, Y)
    print(
        f"{str(sizes):<18} {loss:<14} {len(topological_order(L_node)):>3} nodes   "
        f"autodiff vs MLP.backward: worst relative error {'< 1e-12 ✓' if worst < 1e-12 else f'{worst:.1e} ✗'}"
    )

# %% [markdown]
# Agreement to round-off: the engine found the same gradients as every derivation of
# notebooks 03–07, without one of them. One more check on the last network, against central
# differences of the loss itself:

# %%
L_node, params = mlp_loss(net, X, Y)
L_node.backward()
W1 = net.layers[0].W
print(
    check_line(
        "∂L/∂W1 by autodiff vs central differences",
        params[0][0].grad,
        bp.numerical_gradient(lambda: net.loss(X, Y), W1),
    )
)

# %% [markdown]
# ## 7 · Exercise 2: a new operation with its own rule
#
# The engine differentiates whatever it is given, one elementary operation at a time. That
# is not always wise: cross-entropy from logits needs $\log\sum_k e^{z_k}$ for every row, and
# composed from `exp`, `sum` and `log` its backward pass goes through $1/\sum_k e^{z_k}$ —
# the kind of route that overflowed in notebook 07. Libraries give such a function its own
# node and its own vector–Jacobian product. Add one.
#
# Write `logsumexp_rows(z)`: `z` is a `Value` of shape `(n, K)`; return a **new** `Value` of
# shape `(n, 1)`, each row's $\log\sum_k e^{z_k}$ computed stably, with `z` as its only parent
# and a `vjp` of your own: given $g = \partial L/\partial(\text{output})$ of shape `(n, 1)`, it
# returns the tuple `(dz,)` with $\mathrm dz = \partial L/\partial z$ of shape `(n, K)`. Derive
# $\partial/\partial z_k$ of $\log\sum_m e^{z_m}$ first. Build the node as the engine's own
# operations do, `Value(data, (z,), "logsumexp", vjp)`. The check tests the value, the rule
# for random $g$ on several shapes, a graph that uses your node twice, and entries near
# $\pm 1000$. Graded in two parts: the value and the vjp.


# %%
def logsumexp_rows(z):
    """A Value (n, 1): log Σ_k e^{z_k} of each row of the Value z (n, K), with its own vjp."""
    ### BEGIN SOLUTION
    m = z.data.max(axis=1, keepdims=True)
    out = m + np.log(np.exp(z.data - m).sum(axis=1, keepdims=True))

    def vjp(g):  # ∂ out_i / ∂ z_ik = e^{z_ik − out_i}: row i's softmax
        return (g * np.exp(z.data - out),)

    return Value(out, (z,), "logsumexp", vjp)
    ### END SOLUTION


# %% points=1
check_logsumexp_rows(logsumexp_rows, part="value")
### BEGIN HIDDEN TESTS
hidden_tests(
    "coursework.grader.nb10_from_backprop_to_autodiff:check_logsumexp_rows", logsumexp_rows, part="value"
)
### END HIDDEN TESTS


# %% points=2
check_logsumexp_rows(logsumexp_rows, part="vjp")
### BEGIN HIDDEN TESTS
hidden_tests(
    "coursework.grader.nb10_from_backprop_to_autodiff:check_logsumexp_rows", logsumexp_rows, part="vjp"
)
### END HIDDEN TESTS

# %% [markdown]
# ## 8 · How PyTorch and JAX do it
#
# The engine above is the whole idea; production libraries add speed, GPUs and thousands of
# operations. The correspondences:
#
# | here | PyTorch | JAX |
# |---|---|---|
# | `Value(data)` | `torch.tensor(data, requires_grad=True)` | an array traced inside `jax.grad` |
# | the graph recorded while computing | the autograd graph, built as the code runs ("define-by-run"); `loss.grad_fn` is its last node | a `jaxpr`: `jax.grad` traces the Python function into a program, then differentiates that program |
# | `node.vjp(g)` | each operation's `backward` (write your own with `torch.autograd.Function`) | `jax.vjp(f, x)` returns the VJP function; write your own with `jax.custom_vjp` |
# | `L.backward()`: reverse topological walk, contributions added | `loss.backward()` | `jax.grad(f)(x)` returns the gradient (no `.grad` attribute: functions, not state) |
# | `.grad` reset at every `backward()` | `.grad` **accumulates** across `backward()` calls, hence `optimizer.zero_grad()` | nothing to reset |
# | layers keep `a_prev`, `z`, `a` for the backward pass | saved tensors on the graph | residuals of the linearisation |
#
# In code, the neuron of section 1 would read (not run here; the notebook needs neither library):
#
# ```python
# # PyTorch
# w = torch.tensor(0.8, requires_grad=True)
# L = (torch.tanh(w * 1.5 - 0.4) - 0.5) ** 2 + 0.1 * w ** 2
# L.backward();  w.grad        # 0.4351
#
# # JAX
# f = lambda w: (jnp.tanh(w * 1.5 - 0.4) - 0.5) ** 2 + 0.1 * w ** 2
# jax.grad(f)(0.8)             # 0.4351
# ```
#
# JAX's `grad` interface comes from the `autograd` package, which this series' tests use
# as an independent check of `backprop_lib`. It runs here, and agrees:

# %%
import autograd.numpy as anp
from autograd import grad


def f_w(w_):
    return (anp.tanh(w_ * 1.5 - 0.4) - 0.5) ** 2 + 0.1 * w_**2


print(f"autograd: ∂L/∂w = {grad(f_w)(0.8):.6f}   our engine: {float(nodes['w'].grad):.6f}")

# %% [markdown]
# **Why reverse mode.** There is also a *forward* mode: push a derivative
# $\partial(\cdot)/\partial\theta$ for *one* input $\theta$ forward alongside the values
# (`jax.jvp`, PyTorch's `torch.func.jvp`). It costs about one forward pass per input. Reverse
# mode costs about one forward plus one backward pass for the gradient with respect to
# *all* inputs at once — for a loss, one number, that depends on many parameters, it is
# the only sensible choice. Central differences need two forward passes per parameter:

# %%
digits_net = bp.MLP([64, 64, 10], ["relu", "softmax"], loss="cross_entropy", seed=0)
n_params = sum(p.size for _, p in digits_net.parameters())
print(f"notebook 07's network has {n_params} parameters")
print(
    f"one gradient: reverse mode ≈ 1 forward + 1 backward pass; forward mode {n_params} passes; "
    f"central differences {2 * n_params} forward passes"
)

# %% [markdown]
# The price of reverse mode is memory: every intermediate value of the forward pass must be
# kept until the backward pass has used it — the `a_prev`, `z` and `a` every `Dense` layer
# stores. And hand-derived, **fused** rules still matter: libraries give softmax with
# cross-entropy its own backward rule ($(\hat y - y)/n$ from logits) because the composed
# rule passes through $-y/\hat y$, which overflows when $\hat y \to 0$.
#
# ## Summary
#
# - A computation is a graph of elementary operations; each knows only its local derivative,
#   in the form of a vector–Jacobian product.
# - The backward pass starts from $\partial L/\partial L = 1$, visits nodes in reverse
#   topological order and *adds* each contribution: the total derivative over paths.
# - The matrix product's rules $G B^{\mathsf T}$ and $A^{\mathsf T} G$, and the column sum for
#   a broadcast bias, are the layer rules $dW$, $da$, $db$ of back-propagation.
# - A new operation joins the engine with its value and one rule, its vector–Jacobian
#   product; a fused rule (logsumexp's softmax) avoids the overflow of the composed one.
# - `backprop_lib.autodiff` reproduces `MLP.backward` to round-off on every architecture and
#   loss tried here; PyTorch (`loss.backward()`, accumulating `.grad`) and JAX (`jax.grad`, a
#   function transformation) work on the same principle, at scale.
#
# ## Think
#
# 1. Exercise 1's walk adds contributions with `parent.grad = parent.grad + contribution`.
#    PyTorch adds into `.grad` across whole `backward()` calls too. When is that what you
#    want, and when is it a bug?
# 2. Your logsumexp node keeps `out` from the forward pass for its rule. What does that cost
#    in memory for a batch of $n$ rows, against the composed version's intermediate nodes?
# 3. Forward mode needs one pass per input. For which functions would it beat reverse mode?

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
# # 05 · Implementing back-propagation
#
# Notebook 04 turned the unit-by-unit chain rule into four matrix equations. Here those
# equations become code, and we learn the one habit that keeps such code honest: the
# **gradient check**. Then we go bug hunting: every erratum of the tutorial this series
# grew from is injected into correct code, one at a time, and we watch the check catch it
# (or, in one instructive case, fail to).
#
# **After this notebook you can**
# - read `backprop_lib`'s `MLP` (forward, backward, update) line by line against the matrix equations;
# - check any gradient against central differences and say what a relative error of
#   $10^{-9}$, $10^{-5}$ or $0.33$ means;
# - recognise a bug from the *pattern* of a failed check (a constant factor, a sign, one
#   parameter type only) — and know what a gradient check cannot see.

# %%
import matplotlib.pyplot as plt
import numpy as np

import backprop_lib as bp
from backprop_course.errata import bug_hunt_data, bug_hunt_network, with_errata
from backprop_course.original import make_original_data, original_network
from backprop_lib import format_report, gradient_report

X_all, y_all = make_original_data()  # the original's two circles: X (1000, 2), y (1000, 1)
X, y = X_all[:8], y_all[:8]  # a small batch to follow by hand
print(X.shape, y.shape)

# %% [markdown]
# ## 1 · The `MLP` against the matrix equations
#
# In the row convention (one sample per row, $n$ samples in a batch), layer $k$ computes
#
# $$
# \mathbf Z_k = \mathbf A_{k-1}\mathbf W_k + \mathbf 1\,\mathbf b_k, \qquad \mathbf A_k = f_k(\mathbf Z_k),
# \qquad \mathbf A_0 = \mathbf X,
# $$
#
# with $\mathbf W_k$ of shape $(n_{k-1}, n_k)$ and $\mathbf b_k$ of shape $(1, n_k)$.
# With the **mean** loss $L = \frac1n\sum_{s=1}^{n}\ell(\mathbf y_s, \hat{\mathbf y}_s)$
# and $\mathrm d\mathbf A_k = \partial L/\partial\mathbf A_k$ (same for Z, W, b), notebook 04 gave
#
# $$
# \begin{aligned}
# \mathrm d\mathbf Z_k &= \mathrm d\mathbf A_k \odot f_k'(\mathbf Z_k) &\quad (n, n_k)\\
# \mathrm d\mathbf W_k &= \mathbf A_{k-1}^\top\,\mathrm d\mathbf Z_k &\quad (n_{k-1}, n_k)\\
# \mathrm d\mathbf b_k &= \mathbf 1^\top\,\mathrm d\mathbf Z_k \;=\; \textstyle\sum_{s=1}^{n} (\mathrm d\mathbf Z_k)_{s,:} &\quad (1, n_k)\\
# \mathrm d\mathbf A_{k-1} &= \mathrm d\mathbf Z_k\,\mathbf W_k^\top &\quad (n, n_{k-1})
# \end{aligned}
# $$
#
# and, for a sigmoid output with binary cross-entropy, the fused start
# $\mathrm d\mathbf Z_L = (\hat{\mathbf Y} - \mathbf Y)/n$. The $1/n$ of the mean lives in
# $\mathrm d\mathbf Z$, so both $\mathrm d\mathbf W$ and $\mathrm d\mathbf b$ *sum* over the
# batch — they are gradients of the same loss. The update is
# $\mathbf W_k \leftarrow \mathbf W_k - \eta\,\mathrm d\mathbf W_k$, likewise for $\mathbf b_k$.
#
# `bp.MLP` stores exactly these quantities on each layer (`net.layers[k-1]` is layer $k$).
# Let us redo one forward pass, one backward pass and one update with bare numpy and
# compare with the library.

# %%
net = bp.MLP([2, 4, 3, 1], ["relu", "relu", "sigmoid"], loss="bce", seed=0)
print(net)
for k, layer in enumerate(net.layers, start=1):
    print(f"layer {k}: W{k} {layer.W.shape}, b{k} {layer.b.shape}, {layer.activation.name}")


# %%
# forward by hand: Z_k = A_{k-1} W_k + b_k, A_k = f_k(Z_k)
def relu(Z):
    return np.maximum(Z, 0)


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


W = [layer.W for layer in net.layers]
b = [layer.b for layer in net.layers]
A0 = X
Z1 = A0 @ W[0] + b[0]
A1 = relu(Z1)
Z2 = A1 @ W[1] + b[1]
A2 = relu(Z2)
Z3 = A2 @ W[2] + b[2]
A3 = sigmoid(Z3)

yhat = net.forward(X)
print("ŷ by hand equals net.forward(X):", np.allclose(A3, yhat, rtol=1e-12, atol=0))
print(
    "cached Z and A equal:",
    all(
        np.allclose(Z, layer.z) and np.allclose(A, layer.a)
        for Z, A, layer in zip([Z1, Z2, Z3], [A1, A2, A3], net.layers)
    ),
)

# %%
# backward by hand, from the fused output start dZ3 = (ŷ − y)/n
n = len(X)
dZ3 = (A3 - y) / n
dW3, db3, dA2 = A2.T @ dZ3, dZ3.sum(axis=0, keepdims=True), dZ3 @ W[2].T
dZ2 = dA2 * (Z2 > 0)
dW2, db2, dA1 = A1.T @ dZ2, dZ2.sum(axis=0, keepdims=True), dZ2 @ W[1].T
dZ1 = dA1 * (Z1 > 0)
dW1, db1 = A0.T @ dZ1, dZ1.sum(axis=0, keepdims=True)

net.backward(y)
by_hand = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2, "W3": dW3, "b3": db3}
for name, grad in net.gradients():
    print(
        f"d{name} {str(grad.shape):7} by hand equals the library's: {np.allclose(by_hand[name], grad, rtol=1e-12, atol=1e-15)}"
    )

# %%
# the update: W ← W − η dW
eta = 0.5
expected = [
    (Wk - eta * dWk, bk - eta * dbk) for Wk, bk, dWk, dbk in zip(W, b, [dW1, dW2, dW3], [db1, db2, db3])
]
net.update(eta)
print(
    "update equals W − η dW for every layer:",
    all(
        np.allclose(layer.W, We) and np.allclose(layer.b, be) for layer, (We, be) in zip(net.layers, expected)
    ),
)

# %% [markdown]
# Every line of the library is one line of the maths. That is necessary, but it is not
# proof: a derivation can be wrong in exactly the same way as the code that follows it.
# For proof we need an independent witness.

# %% [markdown]
# ## 2 · Gradient checking as a working tool
#
# The witness is the definition of the derivative. Nudge one parameter $\theta$ by $\pm\varepsilon$
# and re-evaluate the loss:
#
# $$
# \frac{\partial L}{\partial\theta} \approx \frac{L(\theta+\varepsilon) - L(\theta-\varepsilon)}{2\varepsilon},
# \qquad \text{error} = \frac{\varepsilon^2}{6}\,L'''(\theta) + O(\varepsilon^4).
# $$
#
# The central difference knows nothing about back-propagation, so agreement is
# evidence. We compare the analytic gradient $\mathbf g_a$ with the numerical one
# $\mathbf g_n$ of a whole parameter array by the **relative error**
#
# $$
# r = \frac{\lVert\mathbf g_a - \mathbf g_n\rVert}{\lVert\mathbf g_a\rVert + \lVert\mathbf g_n\rVert},
# $$
#
# which is 0 for equal arrays, 1 for opposite ones, and does not care whether the
# gradients are large or small. `bp.check_network` does this for every parameter.

# %%
net = bp.MLP([2, 4, 3, 1], ["relu", "relu", "sigmoid"], loss="bce", seed=0)
report = bp.check_network(net, X_all, y_all)  # the whole network, all 1000 samples
for name, r in report.items():
    print(f"{name}: relative error {'< 1e-7  ✓ pass' if r < 1e-7 else f'{r:.3g}  ✗ FAIL'}")

# %% [markdown]
# ### What a threshold means
#
# Why $10^{-7}$? Two errors compete in a central difference. **Truncation** shrinks like
# $\varepsilon^2$; **rounding** grows like $\epsilon_{\text{mach}}/\varepsilon$ (the loss is
# known only to about $10^{-16}$ of its size, and we divide by $2\varepsilon$). Their sum is
# smallest near $\varepsilon \approx 10^{-5}$–$10^{-6}$ in float64, where a correct gradient
# typically gives $r \approx 10^{-8}$–$10^{-11}$. The figure sweeps $\varepsilon$ for
# $\mathbf W_1$ of two networks on 100 circles: a smooth one (tanh) and ours (ReLU). The ReLU
# curve jumps up for large $\varepsilon$: a step that large moves some $z$ across the kink at 0,
# where the function is not differentiable, and the central difference averages two slopes.

# %% tags=["nbval-ignore-output"]
eps_values = 10.0 ** -np.arange(1, 11)
Xs, ys = X_all[:100], y_all[:100]
fig, ax = plt.subplots(figsize=(6, 3.6))
for acts, colour in [(["tanh", "tanh", "sigmoid"], "C0"), (["relu", "relu", "sigmoid"], "C3")]:
    sweep_net = bp.MLP([2, 4, 3, 1], acts, seed=0)
    sweep_net.forward(Xs)
    sweep_net.backward(ys)
    analytic = sweep_net.layers[0].dW.copy()
    errors = [
        bp.rel_error(
            analytic, bp.numerical_gradient(lambda: sweep_net.loss(Xs, ys), sweep_net.layers[0].W, eps)
        )
        for eps in eps_values
    ]
    ax.loglog(eps_values, errors, "o-", color=colour, label=f"{acts[0]} network")
ax.loglog(eps_values, 0.4 * eps_values**2, "k:", lw=1, label="∝ ε² (truncation)")
ax.loglog(eps_values, 1e-15 / eps_values, "k--", lw=1, label="∝ 1/ε (rounding)")
ax.axhline(1e-7, color="0.5", lw=1)
ax.text(2e-10, 1.5e-7, "pass threshold 1e-7", fontsize=8, color="0.4")
ax.set_xlabel("ε")
ax.set_ylabel("relative error of dW₁")
ax.set_ylim(1e-12, 1)
ax.invert_xaxis()
ax.legend(fontsize=8, loc="upper right")
ax.set_title("correct gradients, checked with different steps ε", fontsize=10)
plt.show()

# %% [markdown]
# A working scale for float64 with $\varepsilon = 10^{-6}$:
#
# | relative error | reading |
# |---|---|
# | $< 10^{-7}$ | correct (this series' pass line) |
# | $10^{-7}$ to $10^{-4}$ | look closer: a kink (ReLU) within $\varepsilon$, a badly scaled loss (a *sum* over many samples is known to fewer digits), or a subtle bug in a few entries |
# | $> 10^{-4}$ | a bug — and the exact value is a clue |
#
# The clue: if the analytic gradient is off by a constant factor $c$ ($\mathbf g_a = c\,\mathbf g_n$),
# then $r = |c-1|/(|c|+1)$: a factor 2 gives $r = 1/3$, a factor 4 gives $0.6$, a sign
# error gives exactly $1$, and a factor $n$ gives $(n-1)/(n+1)$, close to 1. The reports
# below therefore also print the **scale** $c'$ with $\mathbf g_n \approx c'\,\mathbf g_a$
# (least squares) and the **cosine** between the two arrays: a cosine of $+1$ with a scale
# $\neq 1$ means "right direction, wrong size"; any other cosine means the direction is wrong.

# %%
for c in [2, 4, -1, 20, 1000]:
    print(f"analytic = {c:>4} × numeric  →  relative error {abs(c - 1) / (abs(c) + 1):.3f}")

# %% [markdown]
# ## 3 · The bug hunt
#
# The tutorial this series started from has five errata in its maths and code (see the
# design notes): a sigmoid derivative with a stray factor 2, a weight gradient written with
# the wrong activation, a dropped minus sign, a loss divided along the wrong axis, and
# weight and bias gradients of different losses. We inject each one, alone, into the
# library's correct network (`backprop_course.errata.with_errata` swaps in a sigmoid, a layer
# or a loss that carries the erratum) and run the check.
#
# So that every erratum has a place to live, the test network is
# $3 \to 3 \to 3 \to 3$ with ReLU, sigmoid, sigmoid and the squared error
# $L = \frac1n\sum_s\sum_i (y_{si}-\hat y_{si})^2$ on 20 random samples: the sigmoids host
# erratum 1, the square weight matrices let erratum 2 run without a shape error, and the
# squared error hosts erratum 3. First, the correct code:

# %%
Xb, yb = bug_hunt_data()  # X (20, 3), y (20, 3)
print(bug_hunt_network())
print(format_report(gradient_report(bug_hunt_network(), Xb, yb)))

# %% [markdown]
# ### Erratum 1 · the sigmoid derivative ×2
#
# The original's `dsigmoid` returned $2\sigma(z)(1-\sigma(z))$; the derivative is
# $\sigma(z)(1-\sigma(z))$. Every $\mathrm d\mathbf Z$ computed through a sigmoid is doubled,
# and the doubling is passed down to every layer below.

# %%
print(format_report(gradient_report(bug_hunt_network([1]), Xb, yb)))

# %% [markdown]
# The pattern is the diagnosis: cosine $+1$ everywhere (the direction is right) and a
# scale of exactly $\tfrac12$ for layer 3 (one sigmoid between it and the loss) and
# $\tfrac14$ for layers 1 and 2 (two sigmoids). Relative errors $1/3$ and $0.6$, as the
# table above predicted.
#
# ### Erratum 2 · dW with the wrong activation
#
# The tutorial's matrix section writes $\partial L/\partial\mathbf W_k$ with $\mathbf a_k$,
# the layer's own output; it is the layer's *input*: $\mathrm d\mathbf W_k = \mathbf A_{k-1}^\top\mathrm d\mathbf Z_k$.
# (The tutorial's code got this right.) In our $[2, 4, 3, 1]$ network the mistake cannot even run
# unnoticed: $\mathbf A_k^\top\mathrm d\mathbf Z_k$ has shape $(n_k, n_k)$, not that of $\mathbf W_k$:

# %%
shape_net = with_errata(bp.MLP([2, 4, 3, 1], ["relu", "relu", "sigmoid"], seed=0), [2])
print(format_report(gradient_report(shape_net, X, y)))

# %% [markdown]
# With square layers the shapes agree by accident, and only the numbers can tell:

# %%
print(format_report(gradient_report(bug_hunt_network([2]), Xb, yb)))

# %% [markdown]
# No single factor this time: the cosines are neither $+1$ nor $-1$, the direction
# itself is wrong. The biases pass, because $\mathrm d\mathbf b_k$ never involves an activation.
#
# ### Erratum 3 · the dropped minus sign
#
# For $L = \sum_i (y_i-\hat y_i)^2$ the tutorial wrote $\partial L/\partial\hat y_i = 2(y_i-\hat y_i)$;
# the chain rule through $-\hat y_i$ gives $-2(y_i-\hat y_i)$. Every gradient flips:

# %%
print(format_report(gradient_report(bug_hunt_network([3]), Xb, yb)))

# %% [markdown]
# Relative error exactly 1 and cosine $-1$: the textbook signature of a sign error.
# Training with it is gradient *ascent*.
#
# ### Erratum 4 · the loss divided by the wrong axis
#
# The original's `cross_entropy` divides by `y.shape[1]` — the number of outputs — where
# its docstring promises an average over the samples, `y.shape[0]`. Its backward pass has no
# $1/n$ either, so loss and gradient belong together. Injected that way (the loss and its
# gradient both divided by 3 outputs instead of 20 samples):

# %%
print(format_report(gradient_report(bug_hunt_network([4]), Xb, yb)))

# %% [markdown]
# Every parameter passes. Loss and gradient are both $20/3$ times those of the mean, and they
# agree with each other, which is all a gradient check can ask. What the erratum changes is
# the size of every step: a learning rate $\eta$ acts as $\tfrac{20}{3}\eta$ on the mean loss.
# We come back to this below, on the original's own network.
#
# ### Erratum 5 · dW summed, db averaged
#
# The original sums $\mathrm d\mathbf W$ over the batch (through the matrix product) but takes
# the *mean* of $\mathrm d\mathbf Z$ for $\mathrm d\mathbf b$. Injected here (our $\mathrm d\mathbf Z$
# already carries the $1/n$), the biases get $1/n$ of their gradient:

# %%
print(format_report(gradient_report(bug_hunt_network([5]), Xb, yb)))

# %% [markdown]
# Only the biases fail, each by a factor $n = 20$; the weights pass. A check that tested only
# $\mathbf W$ — or only the whole gradient vector, where the biases are a few entries among
# many — could miss it.
#
# ### What a gradient check cannot see
#
# A gradient check asks one question: *does the backward pass differentiate the loss
# function the code reports?* Run it on the original tutorial's network with the three errata
# of its code (`backprop_course.original.original_network`: its start, its loss, errata 1, 4
# and 5), on all 1000 circles, with $\varepsilon = 10^{-5}$ because a sum of 1000 terms is
# known to fewer digits, and switch the errata off one by one:

# %%
for errata in [(1, 4, 5), (4, 5), (4,)]:
    print(f"--- the original's network with errata {', '.join(map(str, errata))} ---")
    print(format_report(gradient_report(original_network(errata), X_all, y_all, eps=1e-5)))

# %% [markdown]
# With all three errata every parameter fails. The weights are off by the factor 2 of
# erratum 1 (scale ½). The biases are off by a factor 500: the loss is a sum over 1000 samples
# (erratum 4), so its true bias gradient is 1000 times the batch *mean* that `db` computes
# (erratum 5), and `db` also carries the factor 2 of erratum 1: $1000/2 = 500$.
# Fix erratum 1 and the weights pass; fix erratum 5 as well and **everything passes — although
# erratum 4 is still there.** The original's backward pass has no $1/n$ anywhere, so it is the
# exact gradient of the *summed* loss its `cross_entropy` really computes. Loss and gradient
# are wrong *consistently*, and a consistency check cannot object.
#
# The price is paid elsewhere: the gradient of a sum is $n = 1000$ times the gradient of the
# mean, so a learning rate of 0.005 on the sum is a learning rate of 5 on the mean. Notebook 06
# shows what that did to the original training run. Other things no gradient check sees:
# a wrong *choice* of loss, a wrong sign in the **update** (the check never calls `update`),
# a learning rate, bad data.
#
# | erratum | caught by the check? | signature |
# |---|---|---|
# | 1 · σ′ × 2 | yes | cosine +1, scale ½ per sigmoid on the path |
# | 2 · dW with $\mathbf a_k$ | yes (shape error, or values) | wrong shape, or cosine ≠ ±1; biases pass |
# | 3 · dropped minus | yes | relative error 1, cosine −1 |
# | 4 · loss ÷ outputs | no: loss and gradient are scaled together, as in the original code | every step $n/n_{\text{out}}$ times larger |
# | 5 · db mean, dW sum | yes, on the biases only | biases off by $n$, weights pass |

# %% [markdown]
# ## 4 · Explorer: analytic against numeric, entry by entry
#
# Choose an erratum to inject, a layer and W or b. The scatter plot puts every entry's
# analytic gradient on the horizontal axis and its central difference on the vertical one:
# a correct gradient lies on the dashed diagonal, erratum 1 on a line of slope ½ or ¼,
# erratum 3 on slope −1, erratum 5 (biases) on slope 20. The table lists the entries with
# their ratio. First the static overview for $\mathbf W_1$ under every choice (what the
# explorer shows for layer 1, W):

# %% tags=["nbval-ignore-output"]
from backprop_course.explorers.nb05_implementing_backprop import (
    BUG_CHOICES,
    gradcheck_explorer,
    gradient_view,
)

fig, axes = plt.subplots(1, 6, figsize=(15, 2.9))
for ax, (_label, bug) in zip(axes, BUG_CHOICES):
    view = gradient_view(bug, layer=1, param="W" if bug != 5 else "b")
    a = view.analytic.ravel() if view.shape_ok else np.zeros(view.numeric.size)
    g = view.numeric.ravel()
    lim = 1.15 * max(np.abs(a).max(), np.abs(g).max())
    ax.plot([-lim, lim], [-lim, lim], "--", color="0.6", lw=1)
    ax.plot(a, g, "o", color="C3" if not view.passed else "C2", ms=5)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_title(("correct" if bug is None else f"erratum {bug}") + f": {view.name}", fontsize=9)
    ax.set_xlabel("analytic", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.locator_params(nbins=4)
axes[0].set_ylabel("numeric")
fig.tight_layout()
plt.show()

# %% tags=["nbval-ignore-output"]
gradcheck_explorer(bug=1, layer=1, param="W")

# %% [markdown]
# ## 5 · Exercises
#
# ### Exercise 1 · one layer backward
#
# Write `layer_backward_from_dz(dz, a_prev, W)` for one dense layer in the row convention: given
# $\mathrm d\mathbf Z$ of shape `(n, n_out)`, the layer's input $\mathbf A_{k-1}$ `(n, n_in)` and
# $\mathbf W$ `(n_in, n_out)`, return the tuple `(dW, db, da_prev)` with shapes `(n_in, n_out)`,
# `(1, n_out)` and `(n, n_in)`. As in the library, `dz` already contains the $1/n$ of the
# mean loss. The check tries random batches of four shapes (square and not), then uses your
# function for every layer of a 3–4–2 network and gradient-checks the result.


# %%
def layer_backward_from_dz(dz, a_prev, W):
    """(dW, db, da_prev) of one layer; dz (n, n_out), a_prev (n, n_in), W (n_in, n_out)."""
    ### BEGIN SOLUTION
    dW = a_prev.T @ dz
    db = dz.sum(axis=0, keepdims=True)
    da_prev = dz @ W.T
    return dW, db, da_prev
    ### END SOLUTION


# %%
from backprop_course.exercises.nb05_implementing_backprop import (
    check_central_difference,
    check_layer_backward_from_dz,
)

check_layer_backward_from_dz(layer_backward_from_dz)
### BEGIN HIDDEN TESTS
check_layer_backward_from_dz(layer_backward_from_dz, seed=1, strict=True)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2 · a gradient check of your own
#
# Write `central_difference(loss, x, eps)`: `loss` takes an array shaped like `x` and returns
# a number; return the array of
# $\big(\text{loss}(x + \varepsilon e_i) - \text{loss}(x - \varepsilon e_i)\big) / 2\varepsilon$,
# one entry per entry $i$ of `x` (any shape). Leave the caller's `x` unchanged. The check
# uses several shapes and a large $\varepsilon$, so that one-sided differences stand out.


# %%
def central_difference(loss, x, eps=1e-6):
    """Numerical gradient of loss at x (any shape) by central differences; x unchanged."""
    ### BEGIN SOLUTION
    grad = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        plus, minus = x.astype(float), x.astype(float)
        plus[idx] += eps
        minus[idx] -= eps
        grad[idx] = (loss(plus) - loss(minus)) / (2 * eps)
    return grad
    ### END SOLUTION


# %%
check_central_difference(central_difference)
### BEGIN HIDDEN TESTS
check_central_difference(central_difference, seed=1, strict=True)
### END HIDDEN TESTS

# %% [markdown]
# ## Summary
#
# - `bp.MLP` is the matrix equations line for line: $\mathrm d\mathbf Z = \mathrm d\mathbf A\odot f'(\mathbf Z)$,
#   $\mathrm d\mathbf W = \mathbf A_{k-1}^\top\mathrm d\mathbf Z$, $\mathrm d\mathbf b = \mathbf 1^\top\mathrm d\mathbf Z$,
#   $\mathrm d\mathbf A_{k-1} = \mathrm d\mathbf Z\,\mathbf W^\top$, with the $1/n$ of the mean loss inside $\mathrm d\mathbf Z$.
# - A gradient check compares the backward pass with central differences of the reported loss.
#   In float64 with $\varepsilon \approx 10^{-6}$, correct code gives $r < 10^{-7}$; kinks and
#   badly scaled losses push $r$ up; a bug gives $r$ of order 1, and the scale and cosine
#   say which kind of bug.
# - Errata 1, 2, 3 and 5 are each caught, with signatures ½ (per sigmoid), wrong
#   direction, −1 and "biases only, ×n". Erratum 4 is not: loss and gradient agree — on the
#   *sum* — and the damage is a learning rate 1000 times larger than intended. That is the
#   story of notebook 06.

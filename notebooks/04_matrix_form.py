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
# # 04 · Back-propagation in matrix form
#
# Notebook 03 derived every gradient of the network one unit and one sample at a time, with
# loops over indices. Here the same rules become four matrix formulas per layer. We first
# recompute notebook 03's numbers with them, on the same network and the same sample; then we
# change one thing at a time: a whole batch of samples, then a new loss, binary cross-entropy,
# which every later notebook uses. The matrix form is shorter to write, easier to check
# (shapes catch many mistakes), and much faster to run.
#
# **After this notebook you can**
#
# - write the backward pass of a layer with four formulas in the row convention:
#   $d\mathbf z^{(k)} = d\mathbf a^{(k)} \odot f_k'(\mathbf z^{(k)})$,
#   $d\mathbf W^{(k)} = \mathbf a^{(k-1)\top} d\mathbf z^{(k)}$,
#   $d\mathbf b^{(k)} = \sum_{\text{rows}} d\mathbf z^{(k)}$,
#   $d\mathbf a^{(k-1)} = d\mathbf z^{(k)} \mathbf W^{(k)\top}$, and state the shape of
#   every quantity;
# - read them off the Jacobians of a layer;
# - say where the $1/n$ of a mean loss lives, and why averaging once more is a bug;
# - define binary cross-entropy, derive its gradient, and derive why a sigmoid output under it
#   starts the backward pass with the simple $(\hat{\mathbf y} - \mathbf y)/n$;
# - say where the original tutorial went wrong (errata 2, 4, 5 and 6);
# - confirm that loops and matrices give the same gradients, and measure the speed-up.
#
# **Prerequisites.** Notebook 03 (the rules of back-propagation, unit by unit) and notebook
# 02's notation table; matrix multiplication and transposes.
#
# **Time.** Our estimate: 60 minutes, plus 30 for the exercises.
#
# **Notation.** From here on, $d\mathbf X$ means $\partial L/\partial \mathbf X$, an array
# with the shape of $\mathbf X$; bold letters hold a whole layer, one row per sample (notebook
# 02, section 2).

# %% locked="setup"
import math

import numpy as np
from IPython.display import HTML, display

import backprop_lib as bp
from backprop_course.exercises import hidden_tests
from backprop_course.exercises.nb04_matrix_form import check_layer_backward_columns, check_output_dz
from backprop_course.explorers import nb04_matrix_form as mf
from backprop_course.explorers.nb02_network_equations import example_network

# %% [markdown]
# ## 1. Notebook 03's numbers, with four matrix formulas
#
# Take notebook 03's network, sample and target. Store the sample as a **row**,
# $\mathbf a^{(0)} = \mathbf x$ of shape $(1, n_0)$, and each layer's outputs as a row
# $\mathbf a^{(k)}$ of shape $(1, n_k)$. The unit-by-unit equations of notebook 02,
# $z^{(k)}_i = \sum_j a^{(k-1)}_j w^{(k)}_{ji} + b^{(k)}_i$ for every $i$, are then one
# vector-matrix product per layer:
#
# $$\mathbf z^{(k)} = \mathbf a^{(k-1)}\mathbf W^{(k)} + \mathbf b^{(k)}, \qquad
#   \mathbf a^{(k)} = f_k(\mathbf z^{(k)}),$$
#
# with $\mathbf W^{(k)}$ of shape $(n_{k-1}, n_k)$, entry $(j, i)$ the weight $w^{(k)}_{ji}$.

# %%
net, x, y = example_network()  # notebook 03's network, sample and target
K = len(net.layers)
a = [x[None]]  # a[k] is the row a(k); a[0] is the sample, shape (1, 3)
z = [None]
for layer in net.layers:
    z.append(a[-1] @ layer.W + layer.b)
    a.append(layer.activation.forward(z[-1]))
L = np.sum((y[None] - a[K]) ** 2)
print("yhat =", np.round(a[K], 6).tolist(), f"  L = {L:.6f}   (notebook 03: the same)")

# %% [markdown]
# Now the four rules of notebook 03's table (its section 7), each written for all units of a
# layer at once:
#
# | notebook 03, one unit | all units of layer $k$ | shapes |
# |---|---|---|
# | $\partial L/\partial z^{(k)}_i = \partial L/\partial a^{(k)}_i\; f_k'(z^{(k)}_i)$ for every $i$ | $d\mathbf z^{(k)} = d\mathbf a^{(k)} \odot f_k'(\mathbf z^{(k)})$ | $(1, n_k)$ |
# | $\partial L/\partial w^{(k)}_{ji} = a^{(k-1)}_j\; \partial L/\partial z^{(k)}_i$ for every $j, i$ | $d\mathbf W^{(k)} = \mathbf a^{(k-1)\top} d\mathbf z^{(k)}$ | $(n_{k-1}, 1)\cdot(1, n_k) \to (n_{k-1}, n_k)$ |
# | $\partial L/\partial b^{(k)}_i = \partial L/\partial z^{(k)}_i$ | $d\mathbf b^{(k)} = d\mathbf z^{(k)}$ | $(1, n_k)$ |
# | $\partial L/\partial a^{(k-1)}_j = \sum_i \partial L/\partial z^{(k)}_i\; w^{(k)}_{ji}$ | $d\mathbf a^{(k-1)} = d\mathbf z^{(k)}\, \mathbf W^{(k)\top}$ | $(1, n_k)\cdot(n_k, n_{k-1}) \to (1, n_{k-1})$ |
#
# Check each line with the shapes: the weight gradient pairs every input $a^{(k-1)}_j$ with
# every $dz^{(k)}_i$, which is the outer product of a column and a row; the sum over $i$ in
# the last rule is exactly what a product with $\mathbf W^{(k)\top}$ computes (row $j$ of
# $\mathbf W^{(k)}$ holds the weights $w^{(k)}_{ji}$ leaving unit $j$). The backward pass
# starts from $d\mathbf a^{(K)} = \partial L/\partial \hat{\mathbf y} = -2(\mathbf y - \hat{\mathbf y})$
# and runs from layer $K$ down:

# %%
da = -2 * (y[None] - a[K])  # dL/dyhat for both outputs at once
grads = {}
for k in range(K, 0, -1):
    layer = net.layers[k - 1]
    dz = da * layer.activation.derivative(z[k])  # dz(k) = da(k) ⊙ f_k'(z(k))
    grads[f"W{k}"] = a[k - 1].T @ dz  # dW(k) = a(k-1)ᵀ dz(k)
    grads[f"b{k}"] = dz  # db(k) = dz(k) (one sample)
    da = dz @ layer.W.T  # da(k-1) = dz(k) W(k)ᵀ

loops = bp.backward_by_loops(net, x, y)  # notebook 03's loops, in the library
print("dW3 by the matrix formulas:", np.round(grads["W3"], 6).tolist())
print("dW3 by notebook 03's loops:", np.round(loops["dW"][3], 6).tolist())
worst = max(
    max(
        np.abs(grads[f"W{k}"] - np.array(loops["dW"][k])).max(),
        np.abs(grads[f"b{k}"][0] - loops["db"][k]).max(),
    )
    for k in range(1, K + 1)
)
print(f"largest difference over all {sum(g.size for g in grads.values())} gradients: {round(worst, 12)}")

# %% [markdown]
# The same numbers as notebook 03, to the last digits of floating point. Nothing new has been
# derived: the matrix formulas are 03's rules, written for whole layers.
#
# ## 2. Jacobians: what one layer does to a gradient
#
# The same formulas can be read off the **Jacobians** of a layer. Drop the layer index for a
# moment: $z_i = \sum_j a_j w_{ji} + b_i$. The Jacobian of $\mathbf z$ with respect to
# $\mathbf a$ collects every partial derivative, row $i$ for output $z_i$, column $j$ for
# input $a_j$:
#
# $$\Big(\frac{\partial \mathbf z}{\partial \mathbf a}\Big)_{ij}
#   = \frac{\partial z_i}{\partial a_j} = w_{ji}
#   \qquad\Longrightarrow\qquad \frac{\partial \mathbf z}{\partial \mathbf a} = \mathbf W^\top,$$
#
# an $(n_k, n_{k-1})$ matrix. Check it on layer 2 of our example:

# %%
layer = net.layers[1]
a_row = a[1][0].copy()
J = mf.numerical_jacobian(lambda v: v @ layer.W + layer.b[0], a_row)
print("numerical Jacobian ∂z(2)/∂a(1) (rounded):")
print(np.round(J, 3) + 0.0)
print("W(2)ᵀ (rounded):")
print(np.round(layer.W.T, 3) + 0.0)
print(f"max |J − W(2)ᵀ| < 1e-8: {np.abs(J - layer.W.T).max() < 1e-8}")

# %% [markdown]
# An elementwise activation $a_i = f(z_i)$ has a diagonal Jacobian,
# $\partial a_i / \partial z_m = f'(z_i)$ if $m = i$ and $0$ otherwise. Layer 1 (a sigmoid,
# four units):

# %%
z_row = z[1][0].copy()
J_act = mf.numerical_jacobian(lambda v: net.layers[0].activation.forward(v[None])[0], z_row)
print(np.round(J_act, 4) + 0.0)
print("f'(z) =", np.round(net.layers[0].activation.derivative(z[1])[0], 4))

# %% [markdown]
# Gradients are rows too, and the chain rule (the total derivative of notebook 01, summed over
# every unit $i$ that $a_j$ feeds) multiplies a gradient row by a Jacobian:
#
# $$da_j = \sum_i dz_i \frac{\partial z_i}{\partial a_j} = \sum_i dz_i\, w_{ji}
#   \quad\Longrightarrow\quad d\mathbf a = d\mathbf z\, \mathbf W^\top ,$$
#
# $$dz_i = \sum_m da_m \frac{\partial a_m}{\partial z_i} = da_i\, f'(z_i)
#   \quad\Longrightarrow\quad d\mathbf z = d\mathbf a \odot f'(\mathbf z) .$$
#
# The diagonal Jacobian is never built: multiplying by it is an elementwise product $\odot$.
#
# ## 3. A batch of samples
#
# Stack $n$ samples as the rows of $\mathbf X$, of shape $(n, n_0)$, as scikit-learn and
# `backprop_lib` do, and write $\mathbf a^{(0)} = \mathbf X$. Every row of $\mathbf z^{(k)}$
# and $\mathbf a^{(k)}$ now belongs to one sample $s$: entry $(s, i)$ is $z^{(k)}_{si}$. The
# bias row $\mathbf b^{(k)}$ is added to every row. The loss is the **mean** over the batch of
# the per-sample losses, $L = \frac1n\sum_s \ell_s$.
#
# The formulas for $d\mathbf z^{(k)}$ and $d\mathbf a^{(k-1)}$ hold row by row. The parameters
# are different: **every sample uses the same $\mathbf W^{(k)}$ and $\mathbf b^{(k)}$**, so
# their gradient adds the contributions of all samples (a total derivative once more):
#
# $$dw^{(k)}_{ji} = \sum_{s} a^{(k-1)}_{sj}\; dz^{(k)}_{si}, \qquad db^{(k)}_i = \sum_s dz^{(k)}_{si} .$$
#
# The first sum over $s$ is exactly a matrix product. Together, in the row convention:
#
# $$\boxed{\begin{aligned}
# d\mathbf z^{(k)} &= d\mathbf a^{(k)} \odot f_k'(\mathbf z^{(k)}) && (n, n_k)\\
# d\mathbf W^{(k)} &= \mathbf a^{(k-1)\top}\, d\mathbf z^{(k)} && (n_{k-1}, n) \cdot (n, n_k) \to (n_{k-1}, n_k)\\
# d\mathbf b^{(k)} &= \textstyle\sum_{\text{rows}} d\mathbf z^{(k)} && (1, n_k)\\
# d\mathbf a^{(k-1)} &= d\mathbf z^{(k)}\, \mathbf W^{(k)\top} && (n, n_k)\cdot(n_k, n_{k-1}) \to (n, n_{k-1})
# \end{aligned}}$$
#
# Our running example again, with notebook 03's sample and four more:

# %%
rng = np.random.default_rng(0)
X = np.vstack([x, rng.normal(size=(4, 3))])  # n = 5 samples, the first is notebook 03's
Y = np.vstack([y, rng.uniform(size=(4, 2))])
print(mf.shapes_text(net.layer_sizes, len(X)))

# %% [markdown]
# The batch size $n$ appears in $\mathbf z$, $\mathbf a$ and their gradients, never in a
# parameter or its gradient: the product $\mathbf a^{(k-1)\top} d\mathbf z^{(k)}$ sums it
# away. `MLP.backward` computes exactly these formulas (notebook 05 reads its code). Check
# what every layer of it keeps against central differences of the mean loss, each as a
# function of the quantity differentiated (`mf.formula_checks` prints one line per check):

# %%
print(mf.formula_checks(net, X, Y))

# %% [markdown]
# ### Where the $1/n$ lives
#
# The loss is a mean, so each row of $d\mathbf a^{(K)} = \partial L/\partial \hat{\mathbf y}$
# is $\frac1n\,\partial \ell_s/\partial \hat{\mathbf y}_s$, and the $1/n$ travels down with
# it into every $d\mathbf z^{(k)}$. The sums over rows in $d\mathbf W^{(k)}$ and
# $d\mathbf b^{(k)}$ then produce the **mean** of the per-sample gradients. Check: average
# the gradients of the five one-sample batches.

# %%
per_sample = []
for s in range(len(X)):
    net.forward(X[s : s + 1])
    net.backward(Y[s : s + 1])
    per_sample.append([(layer.dW.copy(), layer.db.copy()) for layer in net.layers])
net.forward(X)
net.backward(Y)
worst = max(
    max(
        np.abs(np.mean([g[k][0] for g in per_sample], axis=0) - layer.dW).max(),
        np.abs(np.mean([g[k][1] for g in per_sample], axis=0) - layer.db).max(),
    )
    for k, layer in enumerate(net.layers)
)
print(f"max |mean of per-sample gradients − batch gradient| = {worst:.12f}")
db_averaged_again = net.layers[0].dz.mean(axis=0, keepdims=True)
print("db(1) / (db(1) averaged over the batch again) =", np.round(net.layers[0].db / db_averaged_again, 6))

# %% [markdown]
# Averaging once more (`np.mean` instead of a sum) makes the gradient $n$ times too small. The
# original tutorial did this for $d\mathbf b$ but not for $d\mathbf W$, so its weights and
# biases followed gradients of two different losses:
# [erratum 5](00_start_here.ipynb#Errata-of-the-original-tutorial), whose consequences
# notebook 06 measures.
#
# ## 4. A new loss: binary cross-entropy
#
# From notebook 05 on, the network classifies: each output $\hat y$ is read as the probability
# that a sample belongs to class 1, and its target $y$ is 0 or 1. The squared error is a poor
# measure of a wrong probability; the standard loss is **binary cross-entropy** (BCE), the
# negative log of the probability the network gave to the right answer:
#
# $$\ell(y, \hat y) = -\big[\, y \ln \hat y + (1 - y)\ln(1 - \hat y)\,\big], \qquad
#   L = \frac1n \sum_{s} \sum_i \ell(y_{si}, \hat y_{si}) .$$
#
# For $y = 1$ it is $-\ln \hat y$: zero when $\hat y = 1$, growing without bound as $\hat y \to 0$.
# A network that says $\hat y = \tfrac12$ for everything pays $\ln 2$ per sample and output,
# whatever the label. That explains a number of the original tutorial: before training it
# printed a "loss value" of 693.62972747 (its printed output, reproduced in notebook 06) for
# 1000 samples and one output:

# %%
print(f"ln 2 = {math.log(2):.6f},   1000 · ln 2 = {1000 * math.log(2):.3f}")

# %% [markdown]
# The original's untrained network outputs values close to $\tfrac12$ (notebook 06 prints
# them), so $693.6 \approx 1000\ln 2$: its "average" cross-entropy is a **sum** over the 1000
# samples, not a mean. Its code divides by the number of outputs where it meant the number of
# samples: [erratum 4](00_start_here.ipynb#Errata-of-the-original-tutorial).
#
# **Its derivative.** With $\frac{d}{d\hat y}\ln \hat y = 1/\hat y$ and
# $\frac{d}{d\hat y}\ln(1 - \hat y) = -1/(1 - \hat y)$:
#
# $$\frac{\partial \ell}{\partial \hat y} = -\frac{y}{\hat y} + \frac{1 - y}{1 - \hat y}
#   = \frac{\hat y - y}{\hat y\,(1 - \hat y)}, \qquad
#   \frac{\partial L}{\partial \hat y_{si}} = \frac1n\,\frac{\hat y_{si} - y_{si}}{\hat y_{si}(1 - \hat y_{si})} .$$
#
# Check it on our network with the loss switched to BCE (same weights, sigmoid outputs, 0/1
# targets):

# %%
bce_net = bp.MLP([3, 4, 2, 2], ["sigmoid", "tanh", "sigmoid"], loss="bce", seed=6, init=bp.Normal(0.8))
Y01 = rng.integers(0, 2, size=(len(X), 2)).astype(float)
yhat = bce_net.forward(X)
dL_dyhat = (yhat - Y01) / (yhat * (1 - yhat)) / len(X)
probe = yhat.copy()
numeric = bp.numerical_gradient(lambda: mf.loss_from_a(bce_net, K, probe, Y01), probe)
print(bp.check_line("dL/dyhat of the mean BCE", dL_dyhat, numeric))

# %% [markdown]
# ### Exercise 1 — the output layer's $d\mathbf z$ for a sigmoid and BCE
#
# The output layer is a sigmoid, $\hat{\mathbf y} = \sigma(\mathbf z^{(K)})$, and
# $\sigma' = \sigma(1 - \sigma)$ (notebook 03). Derive
# $d\mathbf z^{(K)} = \partial L/\partial \mathbf z^{(K)}$ for the mean BCE and simplify it as
# far as you can before reading on. Then write `output_dz(y, yhat)` returning it, for `y` and
# `yhat` of shape `(n, m)` ($n$ samples, $m$ outputs). The check uses several batch sizes, and
# names, among others, the two errata of the original that hide in this formula.


# %%
def output_dz(y, yhat):
    """∂L/∂z of the output layer for sigmoid + mean BCE; y, yhat (n, m) -> (n, m)."""
    ### BEGIN SOLUTION
    return (yhat - y) / len(y)
    ### END SOLUTION


# %% practice=true
check_output_dz(output_dz)

# %% [markdown]
# Multiply $\partial L/\partial \hat y$ by $\sigma'(z) = \hat y(1 - \hat y)$, and the
# denominator cancels:
#
# $$d\mathbf z^{(K)} = \frac1n\,\frac{\hat{\mathbf y} - \mathbf y}{\hat{\mathbf y}\odot(1 - \hat{\mathbf y})}
#   \odot \hat{\mathbf y}\odot(1 - \hat{\mathbf y}) = \frac{\hat{\mathbf y} - \mathbf y}{n} .$$
#
# A gradient check, with the loss as a function of $\mathbf z^{(K)}$, and the value the
# library's backward pass starts from:

# %%
zK = bce_net.layers[-1].z.copy()
numeric = bp.numerical_gradient(lambda: mf.loss_from_z(bce_net, K, zK, Y01), zK)
print(bp.check_line("dz(K) = (yhat - y)/n", (yhat - Y01) / len(X), numeric))
bce_net.backward(Y01)
print(
    "the library's dz(K) is the same:", np.allclose(bce_net.layers[-1].dz, (yhat - Y01) / len(X), rtol=1e-14)
)

# %% [markdown]
# The library uses this fused form whenever a sigmoid output meets BCE, not only because it is
# simpler. Where a unit saturates, $\hat y$ rounds to exactly 1 in float64, $\hat y(1 - \hat y)$
# becomes 0, and the two-step chain rule would divide by zero; the fused form never divides:

# %%
y_hat = 1 / (1 + math.exp(-40.0))  # σ(40) in float64
print(f"σ(40) = {y_hat!r}, ŷ(1 − ŷ) = {y_hat * (1 - y_hat)!r}, fused ŷ − y for y = 0: {y_hat - 0.0!r}")

# %% [markdown]
# ## 5. Explorer: $d\mathbf W^{(k)} = \mathbf a^{(k-1)\top} d\mathbf z^{(k)}$ with numbers, and the wrong formulas
#
# The explorer shows the product behind $d\mathbf W^{(k)}$ for a small batch of our running
# example (the squared error of section 3): the transposed input
# $\mathbf a^{(k-1)\top}$ (one column per sample), $d\mathbf z^{(k)}$ (one row per sample), the
# result, and one entry written out as its sum over the samples. The highlighted row and
# column are the ones that entry uses. Then switch to a **wrong formula**:
#
# - $\mathbf a^{(k)\top} d\mathbf z^{(k)}$, the layer's *output* in place of its input: the
#   original's [erratum 2](00_start_here.ipynb#Errata-of-the-original-tutorial);
# - $\mathbf a^{(k-1)} d\mathbf z^{(k)}$, the transpose forgotten;
# - $d\mathbf z^{(k)\top} \mathbf a^{(k-1)}$, the factors in the other order;
# - $\mathbf a^{(k-1)\top} d\mathbf z^{(k)} / n$, a mean over the batch instead of a sum.
#
# Each one fails in one of three ways: numpy refuses the product, the result has the wrong
# shape, or (the dangerous case) the shape happens to be right and only the gradient check
# against central differences catches it. Things to try: layer 3, where $\mathbf W^{(3)}$ is
# square; a batch of $n = 1$ for the mean; a batch size equal to a layer's width.

# %% tags=["nbval-ignore-output"]
dw = mf.dw_explorer(k=2, formula=mf.RIGHT, n=3)
dw

# %% [markdown]
# Without a running kernel, here is its starting state, followed by the verdict of every
# formula for every layer, for the batch of three:

# %% tags=["nbval-ignore-output"]
display(HTML(mf.dw_html(mf.dw_view(2, mf.RIGHT, 3))))

# %%
for k in (1, 2, 3):
    for formula in mf.FORMULAS:
        print(f"layer {k}  {formula:<27} {mf.dw_view(k, formula, 3).verdict}")

# %% [markdown]
# A lesson for the rest of the series: test with **non-square** layers, several batch sizes
# and random inputs, and always run a gradient check, since lucky shapes let a wrong formula
# through.
#
# ## 6. Two conventions, one set of numbers
#
# Many texts store one sample per **column** instead of per row. The original tutorial wrote
# its maths that way ($\mathbf z = \mathbf W \mathbf a + \mathbf b$) while its code computes
# `a @ W + b` on rows, and its shape comments describe the column layout the code does not
# use: [erratum 6](00_start_here.ipynb#Errata-of-the-original-tutorial). Neither convention is
# wrong; mixing them is. In the column convention, $\mathbf a^{(k-1)}$ has shape
# $(n_{k-1}, n)$, the weight matrix $\mathbf W^{(k)}_{\text{col}}$ shape $(n_k, n_{k-1})$, and
#
# $$\mathbf z^{(k)}_{\text{col}} = \mathbf W^{(k)}_{\text{col}}\, \mathbf a^{(k-1)}_{\text{col}} + \mathbf b^{(k)}_{\text{col}} .$$
#
# ### Exercise 2 — the backward pass in the column convention
#
# Derive the three formulas of a layer's backward pass in the column convention. (Hint: each
# column quantity is the transpose of a row quantity, and $(\mathbf A\mathbf B)^\top =
# \mathbf B^\top \mathbf A^\top$.) Then write `layer_backward_columns(dz, a_prev, W)` for
# $d\mathbf z$ of shape $(n_k, n)$, $\mathbf a^{(k-1)}$ of shape $(n_{k-1}, n)$ and
# $\mathbf W$ of shape $(n_k, n_{k-1})$, returning `(dW, db, da_prev)` of shapes
# $(n_k, n_{k-1})$, $(n_k, 1)$ and $(n_{k-1}, n)$. As in the row convention, `dz` already
# carries the $1/n$. The check names row-convention formulas used by mistake, sums over the
# wrong axis and a stray $1/n$. Graded in three parts: `dW`, `db` and `da_prev`.


# %%
def layer_backward_columns(dz, a_prev, W):
    """Backward pass of one layer, column convention (one sample per column).

    dz: (n_k, n); a_prev: (n_{k-1}, n); W: (n_k, n_{k-1}).
    Returns dW (n_k, n_{k-1}), db (n_k, 1), da_prev (n_{k-1}, n).
    """
    ### BEGIN SOLUTION
    dW = dz @ a_prev.T
    db = dz.sum(axis=1, keepdims=True)
    da_prev = W.T @ dz
    return dW, db, da_prev
    ### END SOLUTION


# %% points=1
check_layer_backward_columns(layer_backward_columns, part="dW")
### BEGIN HIDDEN TESTS
hidden_tests(
    "coursework.grader.nb04_matrix_form:check_layer_backward_columns", layer_backward_columns, part="dW"
)
### END HIDDEN TESTS


# %% points=1
check_layer_backward_columns(layer_backward_columns, part="db")
### BEGIN HIDDEN TESTS
hidden_tests(
    "coursework.grader.nb04_matrix_form:check_layer_backward_columns", layer_backward_columns, part="db"
)
### END HIDDEN TESTS


# %% points=1
check_layer_backward_columns(layer_backward_columns, part="da_prev")
### BEGIN HIDDEN TESTS
hidden_tests(
    "coursework.grader.nb04_matrix_form:check_layer_backward_columns", layer_backward_columns, part="da_prev"
)
### END HIDDEN TESTS

# %% [markdown] worked="layer_backward_columns"
# The two conventions are transposes of each other,
# $(\mathbf a \mathbf W + \mathbf b)^\top = \mathbf W^\top \mathbf a^\top + \mathbf b^\top$, so
# $\mathbf W_{\text{col}} = \mathbf W^\top$ and every formula transposes:
#
# | | row convention (this series) | column convention |
# |---|---|---|
# | forward | $\mathbf z = \mathbf a_{\text{prev}}\mathbf W + \mathbf b$ | $\mathbf z_{\text{col}} = \mathbf W_{\text{col}} \mathbf a_{\text{prev,col}} + \mathbf b_{\text{col}}$ |
# | weights | $d\mathbf W = \mathbf a_{\text{prev}}^\top d\mathbf z$, $(n_{k-1}, n_k)$ | $d\mathbf W_{\text{col}} = d\mathbf z_{\text{col}}\, \mathbf a_{\text{prev,col}}^\top$, $(n_k, n_{k-1})$ |
# | biases | sum over rows, $(1, n_k)$ | sum over columns, $(n_k, 1)$ |
# | input gradient | $d\mathbf a_{\text{prev}} = d\mathbf z\, \mathbf W^\top$ | $d\mathbf a_{\text{prev,col}} = \mathbf W_{\text{col}}^\top d\mathbf z_{\text{col}}$ |
#
# Compute layer 2 of the batch both ways and compare (the column results transposed back):

# %% worked="layer_backward_columns"
net.forward(X)
net.backward(Y)
layer = net.layers[1]
W_col, b_col = layer.W.T, layer.b.T  # (n_2, n_1) and (n_2, 1)
a_prev_col, dz_col = layer.a_prev.T, layer.dz.T  # one column per sample
z_col = W_col @ a_prev_col + b_col
dW_col = dz_col @ a_prev_col.T
db_col = dz_col.sum(axis=1, keepdims=True)
da_prev_col = W_col.T @ dz_col
for name, col, row in [
    ("z(2)", z_col, layer.z),
    ("dW(2)", dW_col, layer.dW),
    ("db(2)", db_col, layer.db),
    ("da(1)", da_prev_col, layer.dz @ layer.W.T),
]:
    print(
        f"{name:<6} column {str(col.shape):<7} row {str(row.shape):<7} "
        f"max |columnᵀ − row| = {np.abs(col.T - row).max():.12f}"
    )

# %% [markdown]
# ## 7. Loops equal matrices, and why the matrix form is fast
#
# `bp.gradients_by_loops` is the unit-by-unit version of notebook 03 for a batch: Python loops
# over samples, units and weights, each line one of the scalar equations, averaged over the
# samples. `net.backward` uses the four matrix formulas. They must agree to rounding error:

# %%
loop_grads = bp.gradients_by_loops(net, X, Y)
net.forward(X)
net.backward(Y)
worst = max(
    max(np.abs(dW - layer.dW).max(), np.abs(db - layer.db).max())
    for (dW, db), layer in zip(loop_grads, net.layers)
)
print(f"max |loops − matrices| over every dW and db: {worst:.12f}")

# %% [markdown]
# Both versions do the same multiply-adds. The loops pay the Python interpreter for each one
# (looking up `W[j, i]`, creating a float object, adding); the cell below prints what that
# costs per multiply-add on the machine that runs it. The matrix version makes a handful of
# numpy calls per layer, each with a fixed overhead and then all its multiply-adds in compiled
# code. So the loop time grows with the batch while the matrix time barely moves. Measured
# here (the numbers vary from run to run and machine to machine):

# %% tags=["nbval-ignore-output"]
print(" batch n   loops (ms)   matrices (ms)   matrices are … × faster   loops per multiply-add (µs)")
for n in (8, 64, 256):
    Xn = rng.normal(size=(n, 3))
    Yn = rng.uniform(size=(n, 2))
    times = mf.time_backward(net, Xn, Yn, repeat=3)
    print(
        f"{n:>8}   {times['loops'] * 1e3:10.2f}   {times['matrix'] * 1e3:13.3f}   {times['ratio']:23.0f}"
        f"   {times['per_operation'] * 1e6:27.2f}"
    )

# %% [markdown]
# For a network this small most of the matrix time is call overhead; with wider layers the
# gap grows further, because the compiled matrix product (BLAS) also uses the processor's
# vector units and caches well. This speed is why every framework writes back-propagation in
# matrix form, and why getting the transposes and axes right matters.

# %% [markdown]
# ### Exercise 3 — why $d\mathbf W$ needs the layer's input
#
# Answer in a few sentences in the cell below; it is read and graded by hand (2 points). The
# original writes the gradient of $\mathbf W^{(k)}$ with $\mathbf a^{(k)}$, the layer's own output
# ([erratum 2](00_start_here.ipynb#Errata-of-the-original-tutorial)). From
# $\mathbf z^{(k)} = \mathbf a^{(k-1)}\mathbf W^{(k)} + \mathbf b^{(k)}$, explain why it is
# $\mathbf a^{(k-1)}$, and why the shapes alone rule out $\mathbf a^{(k)\top} d\mathbf z^{(k)}$ for
# most layers but not all.

# %% [markdown] written="why_dW_needs_the_layer_input" points=2
# **Model answer.** The weight $w^{(k)}_{ji}$ appears in one pre-activation only, $z^{(k)}_i$, in
# the term $a^{(k-1)}_j w^{(k)}_{ji}$: the factor it multiplies is the layer's *input*
# $a^{(k-1)}_j$, so $\partial z^{(k)}_i/\partial w^{(k)}_{ji} = a^{(k-1)}_j$ and, summed over the
# samples, $d\mathbf W^{(k)} = \mathbf a^{(k-1)\top} d\mathbf z^{(k)}$. The output
# $\mathbf a^{(k)} = f_k(\mathbf z^{(k)})$ comes after the weight and depends on it; it is not its
# coefficient. Shapes: $d\mathbf W^{(k)}$ must have the shape of $\mathbf W^{(k)}$,
# $(n_{k-1}, n_k)$, while $\mathbf a^{(k)\top} d\mathbf z^{(k)}$ is $(n_k, n_k)$; the two agree only
# when $n_{k-1} = n_k$, and there only a gradient check catches the mistake (section 5, layer 3).
#
# **Rubric.**
# - 2: the coefficient argument (∂z/∂w is the input the weight multiplies, a_(k−1)) and the shape
#   argument (n_k × n_k against W's n_(k−1) × n_k, equal only for a square W)
# - 1: one of the two
# - 0: neither

# %% [markdown]
# ## Summary
#
# - In the row convention a layer is $\mathbf z^{(k)} = \mathbf a^{(k-1)}\mathbf W^{(k)} + \mathbf b^{(k)}$,
#   and its backward pass is four formulas, notebook 03's rules for whole layers:
#   $d\mathbf z^{(k)} = d\mathbf a^{(k)} \odot f_k'(\mathbf z^{(k)})$,
#   $d\mathbf W^{(k)} = \mathbf a^{(k-1)\top} d\mathbf z^{(k)}$,
#   $d\mathbf b^{(k)} = \sum_{\text{rows}} d\mathbf z^{(k)}$,
#   $d\mathbf a^{(k-1)} = d\mathbf z^{(k)} \mathbf W^{(k)\top}$. They recompute notebook 03's
#   gradients exactly, and each agrees with central differences.
# - A gradient has the shape of its parameter. The batch dimension is summed away in
#   $d\mathbf W$ and $d\mathbf b$; the $1/n$ of the mean loss is already in $d\mathbf z$, so
#   averaging again is a bug (erratum 5).
# - Binary cross-entropy is $-[y\ln\hat y + (1-y)\ln(1-\hat y)]$; with a sigmoid output the
#   backward pass starts from $d\mathbf z^{(K)} = (\hat{\mathbf y} - \mathbf y)/n$. The
#   original's "average" of 693.6 was a sum (erratum 4).
# - $d\mathbf W^{(k)}$ needs the layer's input $\mathbf a^{(k-1)}$, not its output (erratum 2);
#   the row and column conventions are transposes of each other (erratum 6).
# - Loops and matrices give the same gradients; the matrix form is far faster.
#
# ## Think
#
# 1. In section 5, why does the mean formula pass every check when $n = 1$, and which
#    formulas pass the shape test by accident when $n$ equals a layer's width?
# 2. With a sigmoid output and the *squared* error instead of BCE, does $d\mathbf z^{(K)}$
#    simplify the same way? What happens to it when a unit saturates at $\hat y \approx 1$
#    while $y = 0$?
# 3. A framework gives you $d\mathbf W$ for a batch of 32. Without looking at its code, how
#    could you tell whether its loss is a sum or a mean over the batch?
#
# **Next:** notebook 05 reads `backprop_lib`'s own code against these formulas, and hunts the
# original's errata with a gradient check.

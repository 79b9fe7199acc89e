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
# loops over indices. Here the same equations become four matrix formulas per layer, for a
# whole batch at once. They are shorter to write, easier to check (shapes catch many
# mistakes), and much faster to run.
#
# **After this notebook you can**
#
# - write the backward pass of a layer for a batch with four formulas in the row convention:
#   $d\mathbf z_k = d\mathbf a_k \odot f_k'(\mathbf z_k)$,
#   $d\mathbf W_k = \mathbf a_{k-1}^\top d\mathbf z_k$,
#   $d\mathbf b_k = \sum_{\text{rows}} d\mathbf z_k$,
#   $d\mathbf a_{k-1} = d\mathbf z_k \mathbf W_k^\top$;
# - read them off the Jacobians of a layer, and state the shape of every quantity;
# - say where the original tutorial went wrong (its $d\mathbf W$ used $\mathbf a_k$; its maths
#   and its code used different conventions) and how the two conventions relate;
# - confirm that loops and matrices give the same gradients, and measure the speed-up.

# %%
import numpy as np

import backprop_lib as bp
from backprop_course.exercises.nb04_matrix_form import (
    check_layer_backward,
    check_layer_backward_columns,
)
from backprop_course.explorers import nb04_matrix_form as mf

# %% [markdown]
# ## 1. Notation: a batch of samples as rows
#
# Stack $n$ samples as the rows of $\mathbf X$, of shape $(n, n_0)$, as scikit-learn and
# `backprop_lib` do, and write $\mathbf a_0 = \mathbf X$. Layer $k$ has $n_k$ units and computes
#
# $$\mathbf z_k = \mathbf a_{k-1}\mathbf W_k + \mathbf b_k, \qquad \mathbf a_k = f_k(\mathbf z_k),$$
#
# with $\mathbf W_k$ of shape $(n_{k-1}, n_k)$ and $\mathbf b_k$ of shape $(1, n_k)$, added to
# every row. The entry $w^{(k)}_{ji}$ = `W[j, i]` is the weight from unit $j$ of layer $k-1$
# to unit $i$ of layer $k$. In indices, for sample $s$:
#
# $$z_{k,si} = \sum_{j} a_{k-1,sj}\, w^{(k)}_{ji} + b_{k,i} .$$
#
# For the gradients of the loss $L$ we write $d\mathbf z_k = \partial L/\partial \mathbf z_k$,
# and likewise $d\mathbf a_k$, $d\mathbf W_k$, $d\mathbf b_k$: each has the shape of the
# quantity it belongs to. $L$ is the **mean** loss over the batch.
#
# Our running example is the 3-4-2-2 network of the original tutorial's figure, with tanh
# hidden layers, sigmoid outputs and binary cross-entropy, on a batch of $n = 5$ samples:

# %%
net = bp.MLP([3, 4, 2, 2], ["tanh", "tanh", "sigmoid"], loss="bce", seed=1)
rng = np.random.default_rng(0)
X = rng.normal(size=(5, 3))
y = rng.integers(0, 2, size=(5, 2)).astype(float)
net.forward(X)
net.backward(y)
print(net)
print(mf.shapes_text(net.layer_sizes, len(X)))

# %% [markdown]
# The table lists the shape of every quantity of every layer (all of $\mathbf z_k$,
# $\mathbf a_k$, $d\mathbf a_k$, $d\mathbf z_k$ share one column). It is computed from the
# layer sizes alone; check it against the arrays the network actually holds:

# %%
agree = all(
    row["a_prev"] == layer.a_prev.shape
    and row["W"] == layer.W.shape
    and row["b"] == layer.b.shape
    and row["z"] == layer.z.shape == layer.dz.shape
    and row["dW"] == layer.dW.shape
    and row["db"] == layer.db.shape
    for row, layer in zip(mf.shapes(net.layer_sizes, len(X)), net.layers)
)
print(f"every shape in the table matches the network's arrays: {agree}")

# %% [markdown]
# ## 2. Jacobians: what one layer does to a gradient
#
# Take one sample, a row $\mathbf a$ of length $n_{k-1}$, and drop the layer index for a
# moment: $z_i = \sum_j a_j w_{ji} + b_i$. The **Jacobian** of $\mathbf z$ with respect to
# $\mathbf a$ collects every partial derivative, row $i$ for output $z_i$, column $j$ for
# input $a_j$:
#
# $$\Big(\frac{\partial \mathbf z}{\partial \mathbf a}\Big)_{ij}
#   = \frac{\partial z_i}{\partial a_j} = w_{ji}
#   \qquad\Longrightarrow\qquad \frac{\partial \mathbf z}{\partial \mathbf a} = \mathbf W^\top,$$
#
# an $(n_k, n_{k-1})$ matrix. Check it on layer 2 of the network (first sample):

# %%
layer = net.layers[1]
a_row = layer.a_prev[0].copy()
J = mf.numerical_jacobian(lambda a: a @ layer.W + layer.b[0], a_row)
print("numerical Jacobian ∂z_2/∂a_1 (rounded):")
print(np.round(J, 3) + 0.0)
print("W_2ᵀ (rounded):")
print(np.round(layer.W.T, 3) + 0.0)
print(f"max |J − W_2ᵀ| < 1e-8: {np.abs(J - layer.W.T).max() < 1e-8}")

# %% [markdown]
# An elementwise activation $a_i = f(z_i)$ has a diagonal Jacobian,
# $\partial a_i / \partial z_m = f'(z_i)$ if $m = i$ and $0$ otherwise. Layer 1 (tanh, four
# units), first sample:

# %%
layer = net.layers[0]
z_row = layer.z[0].copy()
J_act = mf.numerical_jacobian(lambda z: np.tanh(z), z_row)
print(np.round(J_act, 4) + 0.0)
print("f'(z) =", np.round(layer.activation.derivative(layer.z[:1])[0], 4))

# %% [markdown]
# Gradients are rows too, $d\mathbf a = \partial L / \partial \mathbf a$, and the chain rule
# (the total derivative of notebook 01, summed over every unit $i$ that $a_j$ feeds) multiplies
# a gradient row by a Jacobian:
#
# $$da_j = \sum_i dz_i \frac{\partial z_i}{\partial a_j} = \sum_i dz_i\, w_{ji}
#   \quad\Longrightarrow\quad d\mathbf a = d\mathbf z\, \mathbf W^\top ,$$
#
# $$dz_i = \sum_m da_m \frac{\partial a_m}{\partial z_i} = da_i\, f'(z_i)
#   \quad\Longrightarrow\quad d\mathbf z = d\mathbf a \odot f'(\mathbf z) .$$
#
# The diagonal Jacobian is never built: multiplying by it is an elementwise product $\odot$.
# For the parameters, $w_{ji}$ appears only in $z_i$, with $\partial z_i/\partial w_{ji} = a_j$,
# and $\partial z_i/\partial b_i = 1$:
#
# $$dw_{ji} = a_j\, dz_i \quad\Longrightarrow\quad d\mathbf W = \mathbf a^\top d\mathbf z
#   \ \ \text{(a column times a row: an outer product)}, \qquad d\mathbf b = d\mathbf z .$$

# %% [markdown]
# ## 3. The whole batch: four formulas
#
# With $n$ samples, every row of $\mathbf z_k$ and $\mathbf a_k$ belongs to one sample, and
# the one-sample formulas for $d\mathbf z_k$ and $d\mathbf a_{k-1}$ hold row by row. The
# parameters are different: **every sample uses the same $\mathbf W_k$ and $\mathbf b_k$**, so
# their gradient adds the contributions of all samples (a total derivative once more):
#
# $$dw^{(k)}_{ji} = \sum_{s} a_{k-1,sj}\; dz_{k,si}, \qquad db_{k,i} = \sum_s dz_{k,si} .$$
#
# The first sum over $s$ is exactly a matrix product. Together, in the row convention:
#
# $$\boxed{\begin{aligned}
# d\mathbf z_k &= d\mathbf a_k \odot f_k'(\mathbf z_k) && (n, n_k)\\
# d\mathbf W_k &= \mathbf a_{k-1}^\top\, d\mathbf z_k && (n_{k-1}, n) \cdot (n, n_k) \to (n_{k-1}, n_k)\\
# d\mathbf b_k &= \textstyle\sum_{\text{rows}} d\mathbf z_k && (1, n_k)\\
# d\mathbf a_{k-1} &= d\mathbf z_k\, \mathbf W_k^\top && (n, n_k)\cdot(n_k, n_{k-1}) \to (n, n_{k-1})
# \end{aligned}}$$
#
# Back-propagation starts from $d\mathbf a_L = \partial L/\partial \hat{\mathbf y}$ and applies
# these from layer $L$ down to layer 1. Check **every** formula against central differences
# of the loss, layer by layer. (`mf.loss_from_z(net, k, z, y)` is the loss as a function of
# $\mathbf z_k$, the rest of the network held fixed; `mf.loss_from_a` likewise for $\mathbf a_k$.)


# %%
def verdict(analytic, numeric):
    error = bp.rel_error(analytic, numeric)
    return "< 1e-7 ✓" if error < 1e-7 else f"{error:.1e} ✗"


net.forward(X)
da = net.loss_fn.gradient(y, net.layers[-1].a)  # dL/dŷ of the mean loss (it carries the 1/n)
print("layer  quantity  formula                relative error vs central differences")
for k in range(len(net.layers), 0, -1):
    layer = net.layers[k - 1]
    a_prev, z, W = layer.a_prev.copy(), layer.z.copy(), layer.W
    dz = da * layer.activation.derivative(z)
    dW = a_prev.T @ dz
    db = dz.sum(axis=0, keepdims=True)
    da_prev = dz @ W.T
    checks = [
        (f"dz_{k}", f"da_{k} ⊙ f'(z_{k})", dz, lambda: mf.loss_from_z(net, k, z, y), z),
        (f"dW_{k}", f"a_{k - 1}ᵀ dz_{k}", dW, lambda: net.loss(X, y), layer.W),
        (f"db_{k}", f"Σ_rows dz_{k}", db, lambda: net.loss(X, y), layer.b),
        (f"da_{k - 1}", f"dz_{k} W_{k}ᵀ", da_prev, lambda: mf.loss_from_a(net, k - 1, a_prev, y), a_prev),
    ]
    for name, formula, analytic, loss, wrt in checks:
        print(f"{k:>5}  {name:<8}  {formula:<21}  {verdict(analytic, bp.numerical_gradient(loss, wrt))}")
    net.forward(X)  # the numerical checks re-ran parts of the network: restore its caches
    da = da_prev

# %% [markdown]
# At the output, sigmoid and binary cross-entropy combine into a simple expression,
# $d\mathbf z_L = (\hat{\mathbf y} - \mathbf y)/n$, which `backprop_lib` uses because it is
# numerically safer. It is the same number as $d\mathbf a_L \odot \sigma'(\mathbf z_L)$:

# %%
net.forward(X)
net.backward(y)
out = net.layers[-1]
dz_chain = net.loss_fn.gradient(y, out.a) * out.activation.derivative(out.z)
print(f"max |da_3 ⊙ σ'(z_3) − (ŷ − y)/n| = {np.abs(dz_chain - (out.a - y) / len(X)).max():.12f}")

# %% [markdown]
# ### Where the $1/n$ lives
#
# The loss is a mean, $L = \frac1n\sum_s \ell_s$, so each row of $d\mathbf z_k$ is
# $\frac1n \partial \ell_s/\partial \mathbf z_k$: the $1/n$ is already inside $d\mathbf z_k$.
# The sum over rows in $d\mathbf W_k$ and $d\mathbf b_k$ then produces the **mean** of the
# per-sample gradients. Check: average the gradients of the five one-sample batches.

# %%
per_sample = []
for s in range(len(X)):
    net.forward(X[s : s + 1])
    net.backward(y[s : s + 1])
    per_sample.append([(layer.dW.copy(), layer.db.copy()) for layer in net.layers])
net.forward(X)
net.backward(y)
worst = max(
    max(
        np.abs(np.mean([g[k][0] for g in per_sample], axis=0) - layer.dW).max(),
        np.abs(np.mean([g[k][1] for g in per_sample], axis=0) - layer.db).max(),
    )
    for k, layer in enumerate(net.layers)
)
print(f"max |mean of per-sample gradients − batch gradient| = {worst:.12f}")
db_averaged_again = net.layers[0].dz.mean(axis=0, keepdims=True)
print("db_1 / (db_1 averaged over the batch again) =", np.round(net.layers[0].db / db_averaged_again, 6))

# %% [markdown]
# Averaging once more (`np.mean` instead of a sum) makes the gradient $n$ times too small.
# The original tutorial did this for $d\mathbf b$ but not for $d\mathbf W$, so its weights and
# biases followed gradients of two different losses (erratum 5, examined in notebook 06).

# %% [markdown]
# ## 4. Where the original tutorial went wrong
#
# ### $d\mathbf W_k$ needs $\mathbf a_{k-1}$, not $\mathbf a_k$ (erratum 2)
#
# The original wrote the weight gradient with $\mathbf a_k$, the output of the layer, in place
# of $\mathbf a_{k-1}$, its input. A weight multiplies the layer's input, so only
# $\mathbf a_{k-1}$ can appear. Shapes expose the slip in layers 1 and 2; layer 3 happens to
# be square, $(2, 2)$, so there only a gradient check catches it:

# %%
net.forward(X)
net.backward(y)
print("layer  W_k shape  a_kᵀ dz_k shape  verdict")
for k, layer in enumerate(net.layers, start=1):
    wrong = layer.a.T @ layer.dz
    if wrong.shape != layer.W.shape:
        verdict_k = "wrong shape: cannot be a gradient of W_k"
    else:
        numeric = bp.numerical_gradient(lambda: net.loss(X, y), layer.W)
        verdict_k = f"right shape, wrong values: relative error {bp.rel_error(wrong, numeric):.2f}"
    print(f"{k:>5}  {str(layer.W.shape):<9}  {str(wrong.shape):<15}  {verdict_k}")
net.forward(X)
net.backward(y)

# %% [markdown]
# A lesson for the rest of the series: test with **non-square** layers and random inputs, and
# always run a gradient check, since square shapes let a wrong formula through.
#
# ### Two conventions, one set of numbers (erratum 6)
#
# Many texts store one sample per **column** instead: $\mathbf a$ of shape $(n_{k-1}, n)$,
# $\mathbf W^{\text{col}}_k$ of shape $(n_k, n_{k-1})$, and $\mathbf z^{\text{col}}_k =
# \mathbf W^{\text{col}}_k \mathbf a^{\text{col}}_{k-1} + \mathbf b^{\text{col}}_k$. The original
# tutorial wrote its maths this way, while its code computes `a @ W + b` on rows, and its shape
# comments describe the column layout the code does not use. Neither convention is wrong;
# mixing them is. They are transposes of each other,
# $(\mathbf a \mathbf W + \mathbf b)^\top = \mathbf W^\top \mathbf a^\top + \mathbf b^\top$, so
# $\mathbf W^{\text{col}} = \mathbf W^\top$ and every formula transposes:
#
# | | row convention (this series) | column convention |
# |---|---|---|
# | forward | $\mathbf z_k = \mathbf a_{k-1}\mathbf W_k + \mathbf b_k$ | $\mathbf z^{\text{col}}_k = \mathbf W^{\text{col}}_k \mathbf a^{\text{col}}_{k-1} + \mathbf b^{\text{col}}_k$ |
# | weights | $d\mathbf W_k = \mathbf a_{k-1}^\top d\mathbf z_k$, $(n_{k-1}, n_k)$ | $d\mathbf W^{\text{col}}_k = d\mathbf z^{\text{col}}_k (\mathbf a^{\text{col}}_{k-1})^\top$, $(n_k, n_{k-1})$ |
# | biases | sum over rows, $(1, n_k)$ | sum over columns, $(n_k, 1)$ |
# | input gradient | $d\mathbf a_{k-1} = d\mathbf z_k \mathbf W_k^\top$ | $d\mathbf a^{\text{col}}_{k-1} = (\mathbf W^{\text{col}}_k)^\top d\mathbf z^{\text{col}}_k$ |
#
# Compute layer 2 both ways and compare (the column results transposed back):

# %%
layer = net.layers[1]
W_col, b_col = layer.W.T, layer.b.T  # (n_2, n_1) and (n_2, 1)
a_prev_col, dz_col = layer.a_prev.T, layer.dz.T  # one column per sample
z_col = W_col @ a_prev_col + b_col
dW_col = dz_col @ a_prev_col.T
db_col = dz_col.sum(axis=1, keepdims=True)
da_prev_col = W_col.T @ dz_col
for name, col, row in [
    ("z_2", z_col, layer.z),
    ("dW_2", dW_col, layer.dW),
    ("db_2", db_col, layer.db),
    ("da_1", da_prev_col, layer.dz @ layer.W.T),
]:
    print(
        f"{name:<5} column {str(col.shape):<7} row {str(row.shape):<7} "
        f"max |columnᵀ − row| = {np.abs(col.T - row).max():.12f}"
    )

# %% [markdown]
# ## 5. Loops equal matrices
#
# `bp.gradients_by_loops` is the unit-by-unit version of notebook 03: Python loops over samples,
# units and weights, each line one of the scalar equations. `net.backward` uses the four
# matrix formulas. They must agree to rounding error:

# %%
loop_grads = bp.gradients_by_loops(net, X, y)
net.forward(X)
net.backward(y)
worst = max(
    max(np.abs(dW - layer.dW).max(), np.abs(db - layer.db).max())
    for (dW, db), layer in zip(loop_grads, net.layers)
)
print(f"max |loops − matrices| over every dW and db: {worst:.12f}")
print(
    f"worst relative error of net.backward vs central differences below 1e-7: "
    f"{max(bp.check_network(net, X, y).values()) < 1e-7}"
)

# %% [markdown]
# ## 6. Why the matrix form is fast
#
# Both versions do the same multiply-adds. The loops pay the Python interpreter for each one
# (looking up `W[j, i]`, boxing a float, adding), roughly a hundred nanoseconds apiece. The
# matrix version makes a handful of numpy calls per layer; each call costs a microsecond or
# so of overhead and then runs all its multiply-adds in compiled, vectorised code. So the loop
# time grows with the batch while the matrix time barely moves. Measured on this machine (the
# numbers vary from run to run and machine to machine):

# %% tags=["nbval-ignore-output"]
print(" batch n   loops (ms)   matrices (ms)   matrices are … × faster")
for n in (8, 64, 256):
    Xn = rng.normal(size=(n, 3))
    yn = rng.integers(0, 2, size=(n, 2)).astype(float)
    times = mf.time_backward(net, Xn, yn, repeat=3)
    print(f"{n:>8}   {times['loops'] * 1e3:10.2f}   {times['matrix'] * 1e3:13.3f}   {times['ratio']:10.0f}")
net.forward(X)
net.backward(y)

# %% [markdown]
# For a network this small most of the matrix time is call overhead; with wider layers the
# gap grows further, because the compiled matrix product (BLAS) also uses the processor's
# vector units and caches well. This speed is why every framework writes back-propagation in
# matrix form, and why getting the transposes and axes right matters.

# %% [markdown]
# ## 7. Explorer: the shape of everything
#
# Choose the layer widths (the input size first, e.g. `3, 4, 2, 2`) and the batch size $n$.
# The table shows the shape of every quantity of every layer, and the matrix product behind
# $d\mathbf W_k$ and $d\mathbf a_{k-1}$. The batch size $n$ (coloured) appears in
# $\mathbf z$, $\mathbf a$, $d\mathbf z$, $d\mathbf a$, but never in a parameter or its
# gradient: the product $\mathbf a_{k-1}^\top d\mathbf z_k$ sums it away. The button times
# loops against matrices for the current sizes.
#
# Things to try: set $n$ equal to one of the widths and see which wrong formulas would then
# have the right shape by accident; make every layer the same width (square $\mathbf W$) and
# count how many transposes the shapes could no longer catch.

# %% tags=["nbval-ignore-output"]
explorer = mf.shape_explorer(layer_sizes=(3, 4, 2, 2), batch_size=5)
explorer

# %% [markdown]
# Its starting state, for readers without a running kernel, is the table of section 1:

# %%
print(mf.shapes_text([3, 4, 2, 2], 5))

# %% [markdown]
# ## 8. Exercises
#
# ### Exercise 1 — one layer backward, row convention
#
# Complete `layer_backward(da, z, a_prev, W, fprime)`. It receives $d\mathbf a_k$ and
# $\mathbf z_k$ of shape $(n, n_k)$, $\mathbf a_{k-1}$ of shape $(n, n_{k-1})$,
# $\mathbf W_k$ of shape $(n_{k-1}, n_k)$ and the activation's derivative `fprime` (a function
# applied elementwise), and returns `(dz, dW, db, da_prev)` with the shapes of the table above
# (`db` of shape $(1, n_k)$; a 1-D `db` is accepted too). `da` comes from a mean loss, so it
# already carries the $1/n$. The check uses random layers in which $n$, $n_{k-1}$ and $n_k$ all
# differ and names the usual mistakes: a missing transpose, $\mathbf a_k$ in place of
# $\mathbf a_{k-1}$, a mean instead of a sum over the batch, and the wrong axis for `db`.


# %%
def layer_backward(da, z, a_prev, W, fprime):
    """Backward pass of one layer, row convention.

    da, z: (n, n_k); a_prev: (n, n_{k-1}); W: (n_{k-1}, n_k); fprime: elementwise f'.
    Returns dz (n, n_k), dW (n_{k-1}, n_k), db (1, n_k), da_prev (n, n_{k-1}).
    """
    ### BEGIN SOLUTION
    dz = da * fprime(z)
    dW = a_prev.T @ dz
    db = dz.sum(axis=0, keepdims=True)
    da_prev = dz @ W.T
    return dz, dW, db, da_prev
    ### END SOLUTION


# %%
check_layer_backward(layer_backward)
### BEGIN HIDDEN TESTS
check_layer_backward(layer_backward, seed=1, strict=True)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2 — the same layer in the column convention
#
# Now store one sample per **column**, as the original tutorial's maths did. Complete
# `layer_backward_columns(dz, a_prev, W)` for $d\mathbf z_k$ of shape $(n_k, n)$,
# $\mathbf a_{k-1}$ of shape $(n_{k-1}, n)$ and $\mathbf W_k$ of shape $(n_k, n_{k-1})$,
# returning `(dW, db, da_prev)` of shapes $(n_k, n_{k-1})$, $(n_k, 1)$ and $(n_{k-1}, n)$.
# Use the table of section 4; the check names row-convention formulas used by mistake, sums
# over the wrong axis and a stray $1/n$.


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


# %%
check_layer_backward_columns(layer_backward_columns)
### BEGIN HIDDEN TESTS
check_layer_backward_columns(layer_backward_columns, seed=1, strict=True)
### END HIDDEN TESTS

# %% [markdown]
# ## Summary
#
# - In the row convention a layer is $\mathbf z_k = \mathbf a_{k-1}\mathbf W_k + \mathbf b_k$,
#   and its backward pass is four formulas:
#   $d\mathbf z_k = d\mathbf a_k \odot f_k'(\mathbf z_k)$, $d\mathbf W_k = \mathbf a_{k-1}^\top
#   d\mathbf z_k$, $d\mathbf b_k = \sum_{\text{rows}} d\mathbf z_k$,
#   $d\mathbf a_{k-1} = d\mathbf z_k \mathbf W_k^\top$. Each agrees with central differences.
# - They come from Jacobians: $\partial \mathbf z/\partial \mathbf a = \mathbf W^\top$, and an
#   elementwise activation has a diagonal Jacobian, applied as $\odot f'(\mathbf z)$.
# - A gradient has the shape of its parameter. The batch dimension is summed away in
#   $d\mathbf W$ and $d\mathbf b$; the $1/n$ of the mean loss is already in $d\mathbf z$, so
#   averaging again is a bug.
# - The original tutorial's $d\mathbf W_k$ used $\mathbf a_k$ (should be $\mathbf a_{k-1}$),
#   and its maths used the column convention while its code used rows; the two conventions
#   are transposes of each other.
# - Loops and matrices give the same gradients; the matrix form is tens to hundreds of times
#   faster even for this tiny network, and the gap grows with the batch. Notebook 05 builds
#   the complete network from these formulas.

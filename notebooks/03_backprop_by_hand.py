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
# # 03 · Back-propagation by hand
#
# Gradient descent (notebook 02, section 9) needs one number per parameter: how fast the loss
# changes when that weight or bias moves, $\partial L/\partial w^{(k)}_{ji}$ and
# $\partial L/\partial b^{(k)}_i$. In this notebook we derive every one of them for the
# network of notebook 02 with the chain rule, **starting at the loss and walking backwards**
# through the layers, and we compute each quantity with explicit loops over units, the way
# you would on paper. Every formula is checked against central differences the moment it is
# derived, and the explorer at the end lets you do the derivation yourself, step by step.
#
# **After this notebook you can**
#
# - derive $\partial L/\partial \hat y_i$, $\partial L/\partial z^{(3)}_i$,
#   $\partial L/\partial w^{(3)}_{ji}$ and $\partial L/\partial b^{(3)}_i$ for the output layer;
# - explain why $\partial L/\partial a^{(2)}_j$ is a **total derivative** (a sum over every
#   path from $a^{(2)}_j$ to the loss) and write it with indices that do not clash;
# - apply the same rules to layer 2 and layer 1, and see why reusing each layer's result for
#   the layer below is called back-propagation;
# - check a gradient against central differences, and compare your loops with `MLP.backward`;
# - recognise errata 1, 3 and 7 of the original tutorial.
#
# **Prerequisites.** Notebook 01 (total derivatives, central differences) and notebook 02
# (the network, its notation table, gradient descent).
#
# **Time.** Our estimate: 75 minutes, plus 30 for the exercises and the "your turn" mode.
#
# The exercises come *before* the derivations that answer them: try each one first, then read
# on.

# %% locked="setup"
import numpy as np
from IPython.display import Image, Math, display

import backprop_lib as bp
from backprop_course.exercises import hidden_tests
from backprop_course.exercises.nb03_backprop_by_hand import (
    check_dloss_da_hidden,
    check_dloss_dx,
    check_dloss_dyhat,
    check_sigmoid_derivative,
)
from backprop_course.explorers.nb03_backprop_by_hand import (
    backprop_stepper,
    backward_steps,
    loss_from_layer,
    loss_from_preactivation,
    report,
    steps_table,
)

# %% [markdown]
# ## 0. The network, one sample, and a way to check
#
# The network, sample and target of notebook 02: $f_1 = \sigma$, $f_2 = \tanh$,
# $f_3 = \sigma$, and $L = \sum_{m=1}^{2} (y_m - \hat y_m)^2$.

# %%
net = bp.MLP([3, 4, 2, 2], ["sigmoid", "tanh", "sigmoid"], loss="mse", seed=6, init=bp.Normal(0.8))
x = np.array([0.5, -1.0, 2.0])
y = np.array([0.2, 0.9])

z, a = bp.forward_by_loops(net, x)  # z[k], a[k]: lists of floats; a[0] = x
a1, a2, yhat = np.array(a[1]), np.array(a[2]), np.array(a[3])
z1, z2, z3 = np.array(z[1]), np.array(z[2]), np.array(z[3])
W1, W2, W3 = (layer.W for layer in net.layers)
L = sum((y[m] - yhat[m]) ** 2 for m in range(2))
print("a(1) =", np.round(a1, 6).tolist())
print("a(2) =", np.round(a2, 6).tolist())
print("yhat =", np.round(yhat, 6).tolist(), "  y =", y.tolist())
print(f"L    = {L:.6f}")

# %% [markdown]
# **How we check.** As in notebook 01: nudge one quantity up and down by $\varepsilon$ while
# everything else stays put, and compare the losses,
#
# $$\frac{\partial L}{\partial \theta} \approx
#   \frac{L(\theta + \varepsilon) - L(\theta - \varepsilon)}{2\varepsilon} ,$$
#
# with the library's $\varepsilon$ (`bp.gradcheck.EPS`, printed below). These **central
# differences** are accurate to about $\varepsilon^2$, far better than we need.
# `bp.numerical_gradient(f, array)` does this for every entry of an array that `f`, a function
# of no arguments, reads. To nudge a quantity *inside* the network (an output, a hidden unit,
# a pre-activation) we need the loss as a function of that quantity: `loss_from_layer(net, k,
# a_k, y)` feeds given outputs of layer $k$ through the rest of the network, and
# `loss_from_preactivation(net, k, z_k, y)` does the same from a layer's pre-activations.
# `report` prints our loop result next to the numerical one, with their relative error
# $\lVert a - n\rVert / (\lVert a\rVert + \lVert n\rVert)$, which should be below $10^{-7}$
# (`bp.TOLERANCE`). An error at the level of floating-point round-off prints as "< 1e-8":
# its exact value carries no information.

# %%
print(f"ε = {bp.gradcheck.EPS:g}, pass line {bp.TOLERANCE:g}")
print(
    f"{loss_from_layer(net, 0, x, y):.6f} {loss_from_layer(net, 2, a2, y):.6f} "
    f"{loss_from_preactivation(net, 3, z3, y):.6f}   (three ways to the same L)"
)

# %% [markdown]
# ## 1. Start at the loss: $\partial L/\partial \hat y_i$
#
# The loss is a sum over the outputs. We call its summation index $m$, keeping $i$ free for
# the output we differentiate by:
#
# $$L = \sum_{m=1}^{n_3} (y_m - \hat y_m)^2 .$$
#
# ### Exercise 1 — $\partial L/\partial \hat y$ of the squared error
#
# Derive $\partial L/\partial \hat y_i$ before reading on. Write `dloss_dyhat(y, yhat)`
# returning the array of $\partial L/\partial \hat y_i$ (both arguments and the result of
# shape `(n_out,)`). The check names the usual slips, including one the original tutorial made.


# %%
def dloss_dyhat(y, yhat):
    """∂L/∂ŷ_i for L = Σ_i (y_i − ŷ_i)²; y, yhat (n_out,) -> (n_out,)."""
    ### BEGIN SOLUTION
    return -2 * (y - yhat)
    ### END SOLUTION


# %% practice=true
check_dloss_dyhat(dloss_dyhat)

# %% [markdown]
# Only the term $m = i$ contains $\hat y_i$. By the chain rule, the derivative of
# $(y_i - \hat y_i)^2$ is $2(y_i - \hat y_i)$ times the derivative of the inside,
# $\partial(y_i - \hat y_i)/\partial \hat y_i = -1$:
#
# $$\boxed{\frac{\partial L}{\partial \hat y_i} = -2\,(y_i - \hat y_i)}, \qquad i = 1,\dots,n_3 .$$
#
# **[Erratum 3](00_start_here.ipynb#Errata-of-the-original-tutorial).** The original writes
# $2(y_i - \hat y_i)$, dropping the $-1$. The sign is not a detail: if $\hat y_i$ is too
# large, the loss *grows* with $\hat y_i$ and the derivative must be positive;
# $-2(y_i - \hat y_i) > 0$ exactly then. With the wrong sign, gradient descent would push
# every output away from its target.

# %%
dL_dyhat = np.zeros(2)
for i in range(2):
    dL_dyhat[i] = -2 * (y[i] - yhat[i])

yhat_probe = yhat.copy()
numeric = bp.numerical_gradient(lambda: loss_from_layer(net, 3, yhat_probe, y), yhat_probe)
print(report("dL/dyhat", dL_dyhat, numeric))
print("the original's 2(y - yhat): relative error", round(bp.rel_error(2 * (y - yhat), numeric), 6))

# %% [markdown]
# A relative error of 1 means "pointing the opposite way": the original's formula is off by
# exactly the sign.
#
# ## 2. Through the output activation: $\partial L/\partial z^{(3)}_i$
#
# Write the output layer with its pre-activation named,
#
# $$\hat y_i = f_3\big(z^{(3)}_i\big), \qquad
#   z^{(3)}_i = \sum_{m=1}^{n_2} a^{(2)}_m\, w^{(3)}_{mi} + b^{(3)}_i .$$
#
# (The original writes $f_3'(\sum_j \dots)$ in full inside every formula; giving the sum a
# name, $z$, keeps the formulas short, and it is what the code calls `z`.) The loss sees
# $z^{(3)}_i$ only through $\hat y_i$, so one application of the chain rule gives
#
# $$\boxed{\frac{\partial L}{\partial z^{(3)}_i} = \frac{\partial L}{\partial \hat y_i}\,
#   f_3'\big(z^{(3)}_i\big)} .$$
#
# For the sigmoid $f_3 = \sigma$, $\sigma(z) = 1/(1 + e^{-z})$, we need its derivative.
#
# ### Exercise 2 — the derivative of the sigmoid
#
# Derive $\sigma'(z)$ and write it in terms of $\sigma(z)$ itself. Then write
# `sigmoid_derivative(z)` returning $\sigma'(z)$ elementwise, for `z` a numpy array of any
# shape. The check compares with the true derivative and names the usual slips, among them
# the original tutorial's.


# %%
def sigmoid_derivative(z):
    """σ'(z), elementwise; z a numpy array of any shape -> the same shape."""
    ### BEGIN SOLUTION
    s = 1 / (1 + np.exp(-z))
    return s * (1 - s)
    ### END SOLUTION


# %% practice=true
check_sigmoid_derivative(sigmoid_derivative)

# %% [markdown]
# By the chain rule on $(1 + e^{-z})^{-1}$, and then with
# $\frac{e^{-z}}{1 + e^{-z}} = 1 - \frac{1}{1 + e^{-z}}$:
#
# $$\sigma'(z) = \frac{e^{-z}}{(1 + e^{-z})^2} = \sigma(z)\,\big(1 - \sigma(z)\big),
#   \qquad\text{so}\qquad f_3'\big(z^{(3)}_i\big) = \hat y_i\,(1 - \hat y_i) .$$
#
# **[Erratum 1](00_start_here.ipynb#Errata-of-the-original-tutorial).** The original's code
# has `dsigmoid` return `2 * s * (1 - s)`, twice the derivative (a reader spotted it in the
# comments). Let us settle it numerically first:

# %%
z_probe = np.array([-2.0, -0.5, 0.0, 1.0, 3.0])
sigma = 1 / (1 + np.exp(-z_probe))
numeric = bp.numerical_gradient(lambda: np.sum(1 / (1 + np.exp(-z_probe))), z_probe)
print(report("sigma'(z) = sigma (1 - sigma)", sigma * (1 - sigma), numeric))
print(
    "the original's 2 sigma (1 - sigma) / numeric:", np.round(2 * sigma * (1 - sigma) / numeric, 6).tolist()
)

# %% [markdown]
# (Summing $\sigma$ over independent entries makes each entry's gradient equal to its own
# $\sigma'$.) Now the output layer's $\partial L/\partial z^{(3)}_i$, by a loop:

# %%
dL_dz3 = np.zeros(2)
for i in range(2):
    dL_dz3[i] = dL_dyhat[i] * yhat[i] * (1 - yhat[i])

z3_probe = z3.copy()
numeric = bp.numerical_gradient(lambda: loss_from_preactivation(net, 3, z3_probe, y), z3_probe)
print(report("dL/dz3", dL_dz3, numeric))

# %% [markdown]
# ## 3. Output-layer weights and biases
#
# Where does the weight $w^{(3)}_{ji}$ appear? In exactly one pre-activation, $z^{(3)}_i$
# (the unit it points to), and there in exactly one term, $a^{(2)}_j\, w^{(3)}_{ji}$. So
# $\partial z^{(3)}_i / \partial w^{(3)}_{ji} = a^{(2)}_j$, and there is a single path from
# the weight to the loss (the same step as exercise 4 of notebook 02):
#
# $$\boxed{\frac{\partial L}{\partial w^{(3)}_{ji}} = \frac{\partial L}{\partial z^{(3)}_i}\,
#   a^{(2)}_j}, \qquad
#   \boxed{\frac{\partial L}{\partial b^{(3)}_i} = \frac{\partial L}{\partial z^{(3)}_i}}
#   \quad\text{(the bias enters } z^{(3)}_i \text{ with coefficient 1).}$$
#
# We store the weight gradients like the weights, `dW3[j, i]`, shape $(n_2, n_3)$. For the
# numerical check we nudge the entries of the network's own `W3` and `b3` (the loss is then
# recomputed from the input $x$):

# %%
dW3, db3 = np.zeros((2, 2)), np.zeros(2)
for i in range(2):
    for j in range(2):
        dW3[j, i] = dL_dz3[i] * a2[j]
    db3[i] = dL_dz3[i]


def loss_of_params():  # reads W and b as they are when called
    return loss_from_layer(net, 0, x, y)


print(report("dL/dW3", dW3, bp.numerical_gradient(loss_of_params, W3)))
print(report("dL/db3", db3, bp.numerical_gradient(loss_of_params, net.layers[2].b)[0]))

# %% [markdown]
# ## 4. Into the hidden layer: $\partial L/\partial a^{(2)}_j$ is a total derivative
#
# Now the interesting one. The hidden output $a^{(2)}_j$ is an input of **both** output
# units: it appears in $z^{(3)}_1$ *and* in $z^{(3)}_2$. Nudge it, and both outputs move, and
# both changes reach the loss. There are two paths,
#
# $$a^{(2)}_j \;\to\; z^{(3)}_1 \;\to\; \hat y_1 \;\to\; L
#   \qquad\text{and}\qquad
#   a^{(2)}_j \;\to\; z^{(3)}_2 \;\to\; \hat y_2 \;\to\; L .$$
#
# ### Exercise 3 — $\partial L/\partial a_j$ as a sum over paths
#
# Derive $\partial L/\partial a^{(2)}_j$ before reading on: notebook 01 told you what to do
# with several paths. Then write `dloss_da_hidden(dL_dyhat, fprime_z, W)` for a last hidden
# layer (`n_in` units) feeding the outputs (`n_out` units) through weights `W` of shape
# `(n_in, n_out)`. `dL_dyhat` holds $\partial L/\partial \hat y_i$ and `fprime_z` holds
# $f'(z_i)$ of the output units, both of shape `(n_out,)`. Return the array of shape
# `(n_in,)` of $\partial L/\partial a_j$. The check names the usual slips: a path left out,
# a factor forgotten, indices swapped.


# %%
def dloss_da_hidden(dL_dyhat, fprime_z, W):
    """∂L/∂a_j of the last hidden layer, for every j; W (n_in, n_out) -> (n_in,)."""
    ### BEGIN SOLUTION
    n_in, n_out = W.shape
    out = np.zeros(n_in)
    for j in range(n_in):
        for i in range(n_out):
            out[j] += dL_dyhat[i] * fprime_z[i] * W[j, i]
    return out
    ### END SOLUTION


# %% practice=true
check_dloss_da_hidden(dloss_da_hidden)

# %% [markdown]
# Exactly as in notebook 01, the total derivative **adds the contributions of all paths**.
# Each path contributes $\frac{\partial L}{\partial z^{(3)}_i}
# \frac{\partial z^{(3)}_i}{\partial a^{(2)}_j}$, and
# $\partial z^{(3)}_i / \partial a^{(2)}_j = w^{(3)}_{ji}$:
#
# $$\boxed{\frac{\partial L}{\partial a^{(2)}_j}
#   = \sum_{i=1}^{n_3} \frac{\partial L}{\partial z^{(3)}_i}\, w^{(3)}_{ji}
#   = \sum_{i=1}^{n_3} \frac{\partial L}{\partial \hat y_i}\,
#     f_3'\Big(\sum_{m=1}^{n_2} a^{(2)}_m\, w^{(3)}_{mi} + b^{(3)}_i\Big)\, w^{(3)}_{ji}},
#   \qquad j = 1,\dots,n_2 .$$
#
# **[Erratum 7](00_start_here.ipynb#Errata-of-the-original-tutorial).** The original writes
# the inner sum as $\sum_{j=1}^{n_2} w^{(3)}_{ij}\, h_{2j}$ inside a formula whose free index
# is already $j$. The same letter then means two different things ("the hidden unit we
# differentiate by" and "every hidden unit, summed"), and read literally the formula is wrong.
# The cure is a fresh letter ($m$ above) or, simpler, naming the inner sum $z^{(3)}_i$.
#
# In code the sum over paths is an inner loop over $i$:

# %%
dL_da2 = np.zeros(2)
for j in range(2):  # the hidden unit we differentiate by
    for i in range(2):  # every output it feeds: one path each
        dL_da2[j] += dL_dz3[i] * W3[j, i]

a2_probe = a2.copy()
numeric = bp.numerical_gradient(lambda: loss_from_layer(net, 2, a2_probe, y), a2_probe)
print(report("dL/da2", dL_da2, numeric))
for j in range(2):
    paths = [dL_dz3[i] * W3[j, i] for i in range(2)]
    sign = "+" if paths[1] >= 0 else "-"
    print(f"  dL/da(2)_{j + 1} = {paths[0]:.6f} (via yhat_1) {sign} {abs(paths[1]):.6f} (via yhat_2)")
one_path = np.array([dL_dz3[0] * W3[j, 0] for j in range(2)])
print("keeping only the path through yhat_1: relative error", round(bp.rel_error(one_path, numeric), 4))

# %% [markdown]
# Forgetting a path is not a small error: for $a^{(2)}_1$ the path through $\hat y_2$
# contributes *more* than the one through $\hat y_1$ (the two terms printed above).
#
# ## 5. Layer 2: the same three rules again
#
# Here is the point of the whole method. We now know $\partial L/\partial a^{(2)}_i$, the
# loss's sensitivity to the *outputs* of layer 2. That is precisely the role
# $\partial L/\partial \hat y_i$ played for layer 3. So layer 2 needs nothing new, only the
# same three rules, with $f_2 = \tanh$ and $\tanh'(z) = 1 - \tanh^2(z) = 1 - (a^{(2)}_i)^2$:
#
# $$\begin{aligned}
# \frac{\partial L}{\partial z^{(2)}_i} &= \frac{\partial L}{\partial a^{(2)}_i}\, f_2'\big(z^{(2)}_i\big)
#   = \frac{\partial L}{\partial a^{(2)}_i}\,\big(1 - (a^{(2)}_i)^2\big), \\
# \frac{\partial L}{\partial w^{(2)}_{ji}} &= \frac{\partial L}{\partial z^{(2)}_i}\, a^{(1)}_j,
#   \qquad \frac{\partial L}{\partial b^{(2)}_i} = \frac{\partial L}{\partial z^{(2)}_i}, \\
# \frac{\partial L}{\partial a^{(1)}_j} &= \sum_{i=1}^{n_2} \frac{\partial L}{\partial z^{(2)}_i}\, w^{(2)}_{ji}
#   \qquad\text{(again a sum over paths: } a^{(1)}_j \text{ feeds both units of layer 2).}
# \end{aligned}$$

# %%
dL_dz2 = np.zeros(2)
for i in range(2):
    dL_dz2[i] = dL_da2[i] * (1 - a2[i] ** 2)

z2_probe = z2.copy()
numeric = bp.numerical_gradient(lambda: loss_from_preactivation(net, 2, z2_probe, y), z2_probe)
print(report("dL/dz2", dL_dz2, numeric))

# %%
dW2, db2 = np.zeros((4, 2)), np.zeros(2)
for i in range(2):
    for j in range(4):
        dW2[j, i] = dL_dz2[i] * a1[j]
    db2[i] = dL_dz2[i]
print(report("dL/dW2", dW2, bp.numerical_gradient(loss_of_params, W2)))
print(report("dL/db2", db2, bp.numerical_gradient(loss_of_params, net.layers[1].b)[0]))

# %%
dL_da1 = np.zeros(4)
for j in range(4):
    for i in range(2):
        dL_da1[j] += dL_dz2[i] * W2[j, i]

a1_probe = a1.copy()
numeric = bp.numerical_gradient(lambda: loss_from_layer(net, 1, a1_probe, y), a1_probe)
print(report("dL/da1", dL_da1, numeric))

# %% [markdown]
# ## 6. Layer 1
#
# Once more, with $f_1 = \sigma$ (so $f_1'(z^{(1)}_i) = a^{(1)}_i(1 - a^{(1)}_i)$) and the
# inputs $x_j$ in the place of the previous layer's outputs:
#
# $$\frac{\partial L}{\partial z^{(1)}_i} = \frac{\partial L}{\partial a^{(1)}_i}\, a^{(1)}_i\,(1 - a^{(1)}_i),
#   \qquad
#   \frac{\partial L}{\partial w^{(1)}_{ji}} = \frac{\partial L}{\partial z^{(1)}_i}\, x_j,
#   \qquad
#   \frac{\partial L}{\partial b^{(1)}_i} = \frac{\partial L}{\partial z^{(1)}_i} .$$
#
# We stop here: the inputs are data, not parameters, so training does not need
# $\partial L/\partial x_j$. (Exercise 4 derives it anyway.)

# %%
dL_dz1 = np.zeros(4)
for i in range(4):
    dL_dz1[i] = dL_da1[i] * a1[i] * (1 - a1[i])

z1_probe = z1.copy()
numeric = bp.numerical_gradient(lambda: loss_from_preactivation(net, 1, z1_probe, y), z1_probe)
print(report("dL/dz1", dL_dz1, numeric))

# %%
dW1, db1 = np.zeros((3, 4)), np.zeros(4)
for i in range(4):
    for j in range(3):
        dW1[j, i] = dL_dz1[i] * x[j]
    db1[i] = dL_dz1[i]
print(report("dL/dW1", dW1, bp.numerical_gradient(loss_of_params, W1)))
print(report("dL/db1", db1, bp.numerical_gradient(loss_of_params, net.layers[0].b)[0]))
print("gradients found:", sum(g.size for g in (dW1, db1, dW2, db2, dW3, db3)), "(one per parameter)")

# %% [markdown]
# Every gradient is done, each one confirmed numerically.
#
# ## 7. Why it is called back-propagation
#
# Look at what each layer needed: only $\partial L/\partial(\text{its outputs})$, handed down
# from the layer above, plus its own stored forward values. From that it produced its
# weight and bias gradients *and* $\partial L/\partial(\text{the outputs of the layer
# below})$, which it handed further down. The gradient information flows **backwards**,
# layer by layer, and each intermediate result is computed once and reused by everything
# beneath it:
#
# | step | rule | uses |
# |---|---|---|
# | through the activation | $\partial L/\partial z^{(k)}_i = \partial L/\partial a^{(k)}_i\; f_k'(z^{(k)}_i)$ | the unit's own $z$ |
# | weights | $\partial L/\partial w^{(k)}_{ji} = \partial L/\partial z^{(k)}_i\; a^{(k-1)}_j$ | one edge |
# | biases | $\partial L/\partial b^{(k)}_i = \partial L/\partial z^{(k)}_i$ | the unit's own $z$ |
# | one layer down | $\partial L/\partial a^{(k-1)}_j = \sum_i \partial L/\partial z^{(k)}_i\; w^{(k)}_{ji}$ | all edges leaving unit $j$ |
#
# (with $a^{(0)} = x$ and $a^{(3)} = \hat y$). The whole backward pass costs about as much as
# one or two forward passes, however many parameters there are. The numerical check, by
# contrast, needed two loss evaluations **per parameter**: manageable here, hopeless for the
# millions of parameters of a real network.
#
# ## 8. The same numbers from `MLP.backward`
#
# `backprop_lib` does the same computation with matrices (notebook 04). Its `backward`
# returns the gradients of the loss **averaged over the samples of the batch**; for a batch
# of one sample that is our $L$ exactly:

# %%
net.forward(x[None])
net.backward(y[None])
ours = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2, "W3": dW3, "b3": db3}
for name, grad in net.gradients():
    diff = np.abs(grad - ours[name].reshape(grad.shape)).max()
    print(f"d{name}: largest |loops - MLP.backward| = {round(diff, 12)}")

# %% [markdown]
# With several samples, the library's gradient is the **mean** of the per-sample gradients
# (because its loss is the mean of the per-sample losses). Three samples, checked with
# `bp.backward_by_loops`, the library's version of this notebook's loops:

# %%
rng = np.random.default_rng(0)
X_batch, Y_batch = rng.normal(size=(3, 3)), rng.uniform(size=(3, 2))
per_sample_dW1 = [
    np.array(bp.backward_by_loops(net, x_s, y_s)["dW"][1]) for x_s, y_s in zip(X_batch, Y_batch)
]
net.forward(X_batch)
net.backward(Y_batch)
diff = np.abs(np.mean(per_sample_dW1, axis=0) - net.layers[0].dW).max()
print("dW1 of the batch = mean of the per-sample dW1:", round(diff, 12) == 0)

# %% [markdown]
# ## 9. Explorer: step through the backward pass, then do it yourself
#
# The explorer below walks the backward pass of our sample **one quantity at a time**, in
# the order we derived them, from $\partial L/\partial \hat y_1$ down to
# $\partial L/\partial b^{(1)}_4$. Press ▶ or drag the slider (it counts steps as the panel
# does, from 1). In **watch** mode you see at each step:
#
# - the equation, with the numbers of this sample substituted;
# - in the drawing, the quantity itself in **purple** (a unit, or an edge for a weight) and
#   what it uses in **amber**; the red label above a unit is the latest derivative found
#   there, first $\partial L/\partial a$ (or $\partial L/\partial \hat y$), then
#   $\partial L/\partial z$, the quantity the weight and bias steps use. Watch them appear from
#   right to left;
# - the central-difference check of that single number, with its relative error.
#
# Things to look for: the steps $\partial L/\partial a^{(2)}_j$ light up *two* edges, the two
# paths being summed; the steps $\partial L/\partial a^{(1)}_j$ do the same with the edges of
# layer 2. Every weight step lights up exactly one edge. And every $\partial L/\partial w$ step
# reuses a $\partial L/\partial z$ found a few steps earlier, never recomputing it.
#
# In **your turn** mode the explorer hides each step's value and its equation: you see the
# question (say $\partial L/\partial w^{(3)}_{21} = ?$), a table of everything known so far
# (every unit's $z$ and $a$, the derivatives found in earlier steps, the weights of the layer),
# and a box to type your value. *Check* compares it with the true value and, when it matches a
# typical slip, names it: a forgotten $f'$, the wrong weight index, a path of the sum dropped,
# the sign. *Hint* shows the rule, *Show the answer* the numbers. When you are right, the step's
# equation and check appear; *next step* moves on.

# %% tags=["nbval-ignore-output"]
stepper = backprop_stepper(net, x, y)
stepper

# %% [markdown]
# Without a running kernel (GitHub, nbviewer) the explorer cannot move. Here is its state
# at the first $\partial L/\partial a^{(2)}_1$ step, and below it every step with its two values.

# %% tags=["nbval-ignore-output"]
stepper.step_slider.value = 1 + next(n for n, s in enumerate(stepper.steps) if s.kind == "da")
display(Image(data=stepper.image.value))
display(Math(stepper.step.latex))

# %%
print(steps_table(backward_steps(net, x, y)))

# %% [markdown]
# ## 10. Exercise 4 — $\partial L/\partial x$, a derivation not shown
#
# Section 6 stopped at the first layer. Derive how the loss depends on the **inputs** $x_j$
# themselves (useful to see which inputs a network is sensitive to). Layer 1 is a sigmoid
# layer; you know $\partial L/\partial a^{(1)}_i$ for each of its units. Write
# `dloss_dx(dL_da1, a1, W1)` with `dL_da1` and `a1` of shape `(n_1,)` (the derivatives and the
# sigmoid outputs of layer 1) and `W1` of shape `(n_0, n_1)`, returning
# $\partial L/\partial x$ of shape `(n_0,)`. The check uses random layers, square and not.


# %%
def dloss_dx(dL_da1, a1, W1):
    """∂L/∂x_j through a sigmoid layer 1; dL_da1, a1 (n_1,), W1 (n_0, n_1) -> (n_0,)."""
    ### BEGIN SOLUTION
    dL_dz1 = dL_da1 * a1 * (1 - a1)  # through σ: σ'(z) = a(1 − a)
    return W1 @ dL_dz1  # a sum over the paths through every unit of layer 1
    ### END SOLUTION


# %% points=2
check_dloss_dx(dloss_dx)
### BEGIN HIDDEN TESTS
hidden_tests("coursework.grader.nb03_backprop_by_hand:check_dloss_dx", dloss_dx)
### END HIDDEN TESTS

# %% [markdown]
# ## Summary
#
# - Start at the loss: $\partial L/\partial \hat y_i = -2(y_i - \hat y_i)$, with the minus
#   sign the original drops (erratum 3).
# - Through an activation, multiply by its slope: $\partial L/\partial z^{(k)}_i =
#   \partial L/\partial a^{(k)}_i\; f_k'(z^{(k)}_i)$, with $\sigma' = \sigma(1-\sigma)$ (not
#   twice that: erratum 1) and $\tanh' = 1 - \tanh^2$.
# - A weight has one path to the loss: $\partial L/\partial w^{(k)}_{ji} =
#   \partial L/\partial z^{(k)}_i\; a^{(k-1)}_j$; a bias gets $\partial L/\partial z^{(k)}_i$.
# - A hidden unit has one path per unit it feeds, and its derivative is the **total
#   derivative**, the sum over those paths: $\partial L/\partial a^{(k-1)}_j =
#   \sum_i \partial L/\partial z^{(k)}_i\; w^{(k)}_{ji}$, written with a summation index that
#   differs from the free one (erratum 7).
# - Repeating these rules layer by layer, from the output back to the input, reusing each
#   layer's result, is back-propagation. Every number agreed with central differences and
#   with `MLP.backward`.
#
# ## Think
#
# 1. The derivation never needed the *value* of the loss, only $\partial L/\partial \hat y$.
#    Which single step would change for a different loss, and which would stay?
# 2. If a hidden unit of layer 2 fed ten units of layer 3 instead of two, how many terms would
#    its $\partial L/\partial a^{(2)}_j$ have, and how many more multiplications would the
#    whole backward pass need?
# 3. A sigmoid unit with $z = 8$ has $a \approx 1$. What is its $f'$, and what happens to the
#    gradients of every weight *below* it?
#
# **Next:** notebook 04 packs these loops into vectors and matrices,
# $d\mathbf W^{(k)} = \mathbf a^{(k-1)\top} d\mathbf z^{(k)}$ and
# $d\mathbf a^{(k-1)} = d\mathbf z^{(k)}\,\mathbf W^{(k)\top}$, and shows they compute the
# same numbers, much faster.

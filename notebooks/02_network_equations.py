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
# # 02 · The network as equations
#
# A neural network looks like a picture of circles and arrows, but it is nothing more than a
# handful of equations: every unit takes a weighted sum of the units before it, adds a bias,
# and passes the result through a function. Before we differentiate anything (notebook 03),
# we write the network of the original tutorial's figure down, **one unit at a time**, and
# compute it with plain loops — so that later every derivative has a concrete number behind
# it.
#
# **After this notebook you can**
#
# - name every quantity of a small fully connected network: inputs $x_j$, pre-activations
#   $z^{(k)}_i$, hidden outputs $h_{k,i}$, outputs $\hat y_i$, weights $w^{(k)}_{ji}$ and
#   biases $b^{(k)}_i$;
# - write any unit as $h_{k,i} = f_k\big(\sum_j h_{k-1,j}\, w^{(k)}_{ji} + b^{(k)}_i\big)$ and
#   compute it with a loop;
# - read the indices of a weight in the row convention — `W[j, i]` goes *from* unit $j$ *to*
#   unit $i$ — and avoid the classic index swap;
# - compute the squared-error loss of one sample and say how it relates to
#   `backprop_lib`'s `"mse"`.

# %%
import math

import numpy as np
from IPython.display import Image, Math, display

import backprop_lib as bp
from backprop_course.drawing import NetworkDrawing
from backprop_course.exercises.nb02_network_equations import (
    check_layer_forward,
    check_squared_error,
    check_unit_preactivation,
)
from backprop_course.explorers.nb02_network_equations import (
    example_network,
    network_explorer,
    unit_equation,
)

# %% [markdown]
# ## 1. The network of the figure
#
# The original tutorial uses a small network with four layers of units. We number them from
# the input:
#
# | layer $k$ | what it is | units $n_k$ | its outputs |
# |---|---|---|---|
# | 0 | input | $n_0 = 3$ | $x_1, x_2, x_3$ |
# | 1 | first hidden layer | $n_1 = 4$ | $h_{1,1}, \dots, h_{1,4}$ |
# | 2 | second hidden layer | $n_2 = 2$ | $h_{2,1}, h_{2,2}$ |
# | 3 | output | $n_3 = 2$ | $\hat y_1, \hat y_2$ |
#
# Every unit of a layer is connected to every unit of the layer before ("fully connected"),
# so there are $3\cdot4 + 4\cdot2 + 2\cdot2 = 24$ weights, one per arrow, and
# $4 + 2 + 2 = 8$ biases, one per unit after the input. Here it is, drawn by
# `backprop_lib.drawing` (the same drawing the explorers below update):

# %% tags=["nbval-ignore-output"]
picture = NetworkDrawing([3, 4, 2, 2])
picture.set_title("the 3-4-2-2 network: 24 weights (arrows), 8 biases (one per unit after the input)")
display(Image(data=picture.to_png()))

# %% [markdown]
# ## 2. One unit, one equation
#
# Take unit $i$ of the first hidden layer. It multiplies each input $x_j$ by its own weight,
# adds everything up together with a bias, and applies the layer's **activation function**
# $f_1$:
#
# $$z^{(1)}_i = \sum_{j=1}^{n_0} x_j\, w^{(1)}_{ji} + b^{(1)}_i, \qquad
#   h_{1,i} = f_1\big(z^{(1)}_i\big), \qquad i = 1, \dots, n_1 .$$
#
# The number $z^{(1)}_i$ before the activation is the unit's **pre-activation**. Every other
# layer follows the same pattern, fed by the layer before it:
#
# $$\begin{aligned}
# h_{1,i} &= f_1\Big(\sum_{j=1}^{n_0} x_j\, w^{(1)}_{ji} + b^{(1)}_i\Big), & i &= 1,\dots,n_1,\\
# h_{2,i} &= f_2\Big(\sum_{j=1}^{n_1} h_{1,j}\, w^{(2)}_{ji} + b^{(2)}_i\Big), & i &= 1,\dots,n_2,\\
# \hat y_i &= f_3\Big(\sum_{j=1}^{n_2} h_{2,j}\, w^{(3)}_{ji} + b^{(3)}_i\Big), & i &= 1,\dots,n_3.
# \end{aligned}$$
#
# **Reading the indices.** $w^{(k)}_{ji}$ is the weight of the arrow *from* unit $j$ of
# layer $k-1$ *to* unit $i$ of layer $k$: read the subscript left to right, like the arrow.
# The index $i$ says which unit we are computing; $j$ runs over the units that feed it and
# is summed away. We write the hidden outputs with a comma, $h_{2,1}$ (layer 2, unit 1),
# where the original writes $h_{21}$.
#
# **Row convention.** This series stores one sample as a *row* and a layer's weights as a
# matrix `W` of shape $(n_{k-1}, n_k)$, so that a whole layer is `z = a_prev @ W + b`
# (notebook 04), exactly as the original's code does. Then $w^{(k)}_{ji}$ is `W[j, i]`:
# row = where the arrow starts, column = where it ends. The original's equations write
# $w_{ij}$ and $z = Wa + b$ (the column convention, with the transposed matrix) while its
# code uses $aW + b$ — erratum 6 of our list; both give the same numbers, but mixing them is
# the most common source of index bugs. Finally, the maths counts units from 1 and Python
# from 0: $w^{(2)}_{31}$ is `net.layers[1].W[2, 0]`.

# %% [markdown]
# ## 3. The example network in code
#
# We give the network concrete weights and one sample to push through it:

# %%
net = bp.MLP([3, 4, 2, 2], ["sigmoid", "tanh", "sigmoid"], loss="mse", seed=6, init=bp.Normal(0.8))
x = np.array([0.5, -1.0, 2.0])  # one sample: n_0 = 3 inputs
y = np.array([0.2, 0.9])  # its targets: n_3 = 2 outputs
print(net)
for k, layer in enumerate(net.layers, start=1):
    print(f"layer {k}: W{k} {layer.W.shape}, b{k} {layer.b.shape}, f{k} = {layer.activation.name}")
print("number of parameters:", sum(p.size for _, p in net.parameters()))

# %% [markdown]
# Why these choices?
#
# - **Different activations per layer** ($f_1 = \sigma$, $f_2 = \tanh$, $f_3 = \sigma$)
#   make the point that each layer has its own $f_k$, and give notebook 03 two different
#   derivatives to work with.
# - **A sigmoid output** keeps $\hat y_i$ in $(0, 1)$, where the targets live. It also means
#   that *every* layer has a non-trivial slope $f_k'$: with an identity output the factor
#   $f_3' = 1$ would silently drop out of the chain rule, and we want to see every factor.
# - **Weights and biases drawn from $N(0, 0.8^2)$** instead of the library's default (which
#   sets biases to zero): every bias then has a visible effect, and no unit is pushed deep
#   into the flat part of its activation.
# - **`loss="mse"`**: the squared error of section 6.
#
# The explorers of notebooks 02 and 03 use exactly this network, sample and target, as
# `example_network()` — let us make sure:

# %%
same_net, same_x, same_y = example_network()
print(
    all(np.array_equal(p, q) for (_, p), (_, q) in zip(net.parameters(), same_net.parameters()))
    and np.array_equal(x, same_x)
    and np.array_equal(y, same_y)
)

# %% [markdown]
# A single weight, found by its indices — remember the shift by one:

# %%
W2 = net.layers[1].W
print("W2 has shape", W2.shape, "= (n_1, n_2): row j = from h_1,j; column i = to h_2,i")
print(f"w(2)_31 = W2[2, 0] = {W2[2, 0]:.6f}   (from h_1,3 to h_2,1)")
try:
    W2[0, 2]  # the indices swapped
except IndexError as err:
    print("W2[0, 2] fails:", err)

# %% [markdown]
# Here the swap fails loudly, because `W2` is not square. On a square matrix it would quietly
# return a different weight — which is why the exercises below test square layers too.

# %% [markdown]
# ## 4. One unit by hand
#
# Compute $h_{1,1}$ literally from its equation: a loop over the three inputs, the bias, then
# the sigmoid $\sigma(z) = 1/(1 + e^{-z})$.

# %%
W1, b1 = net.layers[0].W, net.layers[0].b[0]
i = 0  # unit h_1,1 (counted from 0 in Python)
z_11 = 0.0
for j in range(3):  # sum over the units that feed it
    z_11 += x[j] * W1[j, i]
    print(f"  + x_{j + 1} * w(1)_{j + 1}{i + 1} = {x[j]:.3f} * {W1[j, i]:.6f} = {x[j] * W1[j, i]:.6f}")
z_11 += b1[i]
print(f"  + b(1)_1 = {b1[i]:.6f}")
h_11 = 1 / (1 + math.exp(-z_11))
print(f"z(1)_1 = {z_11:.6f},  h_1,1 = sigmoid(z(1)_1) = {h_11:.6f}")

# %% [markdown]
# The function `unit_equation` writes the same computation as an equation with the numbers
# substituted (the explorer below shows it live):

# %%
display(Math(unit_equation(net, x, 1, 0)))

# %% [markdown]
# ## 5. Every unit: loops versus matrices
#
# `bp.forward_by_loops(net, x)` is the set of equations of section 2 as loops — one
# sum over $j$ for every unit $i$ of every layer. It returns the lists of pre-activations
# `z[k]` and outputs `a[k]` of every layer $k$ (with `a[0]` the input $x$):

# %%
z_loops, a_loops = bp.forward_by_loops(net, x)
names = ["h_1", "h_2", "yhat"]
for k in range(1, 4):
    print(f"layer {k}: z = {np.round(z_loops[k], 6).tolist()}")
    print(f"         {names[k - 1]:<4} = {np.round(a_loops[k], 6).tolist()}")

# %% [markdown]
# `MLP.forward` computes the same thing with one matrix product per layer, for a whole batch
# of samples at once (a batch of one here: `x[None]` has shape $(1, 3)$). The two must agree
# to the last few bits of floating point:

# %%
yhat = net.forward(x[None])[0]
max_diff = max(np.abs(np.array(a_loops[k]) - layer.a[0]).max() for k, layer in enumerate(net.layers, 1))
print("yhat by MLP.forward:", np.round(yhat, 6).tolist())
print("largest |loops - matrices| over all units, rounded to 12 decimals:", round(max_diff, 12))

# %% [markdown]
# ## 6. The loss of one sample
#
# To train, we need a single number that says how wrong the outputs are. The original uses
# the squared error, summed over the outputs, for one sample:
#
# $$L = \sum_{i=1}^{n_3} \big(y_i - \hat y_i\big)^2 .$$

# %%
L = 0.0
for i in range(2):
    L += (y[i] - yhat[i]) ** 2
    print(f"  (y_{i + 1} - yhat_{i + 1})^2 = ({y[i]:.1f} - {yhat[i]:.6f})^2 = {(y[i] - yhat[i]) ** 2:.6f}")
print(f"L = {L:.6f}")
print(f"net.loss(x[None], y[None]) = {net.loss(x[None], y[None]):.6f}")

# %% [markdown]
# `backprop_lib`'s `"mse"` is this loss **summed over the outputs and averaged over the
# samples** of a batch: $\frac{1}{n}\sum_{s=1}^{n}\sum_i (y_{s,i} - \hat y_{s,i})^2$. For one
# sample the two are the same number; for a batch, the library's value is the mean of the
# per-sample losses:

# %%
rng = np.random.default_rng(0)
X_batch, Y_batch = rng.normal(size=(3, 3)), rng.uniform(size=(3, 2))
per_sample = []
for x_s, y_s in zip(X_batch, Y_batch):
    yhat_s = bp.forward_by_loops(net, x_s)[1][-1]
    per_sample.append(sum((y_s[i] - yhat_s[i]) ** 2 for i in range(2)))
print("per-sample losses:", np.round(per_sample, 6).tolist())
print(f"their mean {np.mean(per_sample):.6f}  =  net.loss(X, Y) {net.loss(X_batch, Y_batch):.6f}")

# %% [markdown]
# ## 7. Explorer: move an input or a weight
#
# Run the next cell and play:
#
# - **Move $x_1$.** Every unit of layer 1 changes (each is fed by $x_1$), then everything
#   after it. The loss at the bottom moves with them.
# - **Pick a weight** in the drop-down, e.g. $w^{(2)}_{11}$, and move its slider. Only *one*
#   unit of its layer changes — the unit it points to, whose equation is shown with the
#   weight's term boxed — and then every unit downstream of it. This is the picture to keep
#   in mind for notebook 03: a weight reaches the loss only through the unit it feeds.
# - **Set $x_3 = 0$** and move a weight $w^{(1)}_{3i}$: nothing happens. Its term is
#   $x_3\, w^{(1)}_{3i} = 0$ whatever the weight. (So its gradient will be zero too.)
# - With a single weight of layer 3, bring the **loss below 0.065**. Then explain why no
#   single weight of layer 3 can bring it below 0.05. (Hint: which outputs does it feed?)
#
# Edges are blue for positive and red for negative weights, thicker for larger $|w|$; the
# explorer works on a copy, so the `net` of this notebook does not change.

# %% tags=["nbval-ignore-output"]
explorer = network_explorer(net, x, y)
explorer

# %% [markdown]
# Without a running kernel (on GitHub or nbviewer) the explorer cannot draw; here is its
# starting state, followed by the equation it shows and every value of the network.

# %% tags=["nbval-ignore-output"]
display(Image(data=explorer.image.value))
display(Math(unit_equation(net, x, 2, 0, boxed=0)))

# %%
z_all, a_all = bp.forward_by_loops(net, x)
print(f"{'unit':<8}{'z':>11}{'value':>11}")
for j in range(3):
    print(f"{f'x_{j + 1}':<8}{'':>11}{a_all[0][j]:>11.6f}")
for k, prefix in [(1, "h_1,"), (2, "h_2,"), (3, "yhat_")]:
    for i in range(len(a_all[k])):
        print(f"{prefix + str(i + 1):<8}{z_all[k][i]:>11.6f}{a_all[k][i]:>11.6f}")
print(f"loss L = {L:.6f}")

# %% [markdown]
# ## 8. Exercises
#
# ### Exercise 1 — the pre-activation of one unit
#
# Write `unit_preactivation(a_prev, W, b, i)` returning the number
# $z_i = \sum_j a_{\text{prev},j}\, w_{ji} + b_i$ for unit `i` (counted from 0) of a layer.
# `a_prev` has shape `(n_in,)`, `W` shape `(n_in, n_out)` (row convention: `W[j, i]` goes from
# input `j` to unit `i`), `b` shape `(n_out,)`. Use a loop over `j`. The check tries several
# layer shapes, square and not, and names the usual slips: swapped indices, a forgotten or
# repeated bias, a missing multiplication.


# %%
def unit_preactivation(a_prev, W, b, i):
    """z_i = Σ_j a_prev[j]·W[j, i] + b[i]; a_prev (n_in,), W (n_in, n_out), b (n_out,) -> float."""
    ### BEGIN SOLUTION
    z = 0.0
    for j in range(len(a_prev)):
        z += a_prev[j] * W[j, i]
    return z + b[i]
    ### END SOLUTION


# %%
check_unit_preactivation(unit_preactivation)
### BEGIN HIDDEN TESTS
check_unit_preactivation(unit_preactivation, seed=1, strict=True)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2 — one layer, forward
#
# Write `layer_forward(a_prev, W, b, f)` returning the outputs $a_i = f(z_i)$ of **all** units
# of a layer, as an array of shape `(n_out,)`, for one sample. Shapes as in exercise 1; `f`
# is the activation, a function that accepts a number or an array (the check passes `np.tanh`
# and a sigmoid). Loops or numpy, your choice. The check names: applying $f$ before the sum,
# adding the bias outside $f$, forgetting $f$ or the bias, and swapping `W[j, i]` for `W[i, j]`.


# %%
def layer_forward(a_prev, W, b, f):
    """a = f(z) with z_i = Σ_j a_prev[j]·W[j, i] + b[i]; returns shape (n_out,)."""
    ### BEGIN SOLUTION
    n_in, n_out = W.shape
    z = np.zeros(n_out)
    for i in range(n_out):
        for j in range(n_in):
            z[i] += a_prev[j] * W[j, i]
        z[i] += b[i]
    return f(z)
    ### END SOLUTION


# %%
check_layer_forward(layer_forward)
### BEGIN HIDDEN TESTS
check_layer_forward(layer_forward, seed=1, strict=True)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 3 — the loss of one sample
#
# Write `squared_error(y, yhat)` returning $L = \sum_i (y_i - \hat y_i)^2$ for one sample
# (`y` and `yhat` of shape `(n_out,)`). The check names a mean instead of a sum, a factor
# $\tfrac12$, a missing square, and their relatives.


# %%
def squared_error(y, yhat):
    """L = Σ_i (y_i − ŷ_i)² of one sample; y, yhat (n_out,) -> float."""
    ### BEGIN SOLUTION
    return float(np.sum((y - yhat) ** 2))
    ### END SOLUTION


# %%
check_squared_error(squared_error)
### BEGIN HIDDEN TESTS
check_squared_error(squared_error, seed=1, strict=True)
### END HIDDEN TESTS

# %% [markdown]
# ## Summary
#
# - A fully connected network is a list of equations, one per unit:
#   $h_{k,i} = f_k(z^{(k)}_i)$ with $z^{(k)}_i = \sum_j h_{k-1,j}\, w^{(k)}_{ji} + b^{(k)}_i$
#   ($h_0 = x$, and the last layer's outputs are $\hat y$).
# - $w^{(k)}_{ji}$ points *from* unit $j$ of layer $k-1$ *to* unit $i$ of layer $k$; in the
#   row convention of the code it is `W[j, i]` of a matrix with shape $(n_{k-1}, n_k)$.
# - Loops over units (`bp.forward_by_loops`) and matrix products (`MLP.forward`) compute
#   the same numbers; the loops are how we *think*, the matrices how we *compute*.
# - For one sample $L = \sum_i (y_i - \hat y_i)^2$; `backprop_lib`'s `"mse"` averages this
#   over the samples of a batch.
# - A weight influences the loss only through the one unit it feeds, and everything
#   downstream of that unit.
#
# **Next:** notebook 03 differentiates $L$ with respect to every weight and bias of this
# network, by hand, starting from the loss and walking backwards — back-propagation.

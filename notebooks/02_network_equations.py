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
# we write the network of the original tutorial's figure down, **one unit at a time**, compute
# it with plain loops, and fix the notation the rest of the series uses. At the end we meet
# the rule that trains a network, gradient descent, and see why it needs every derivative of
# the loss.
#
# **After this notebook you can**
#
# - name every quantity of a small fully connected network with the series' notation (the
#   table in section 2): inputs $x_j$, pre-activations $z^{(k)}_i$, outputs $a^{(k)}_i$,
#   weights $w^{(k)}_{ji}$, biases $b^{(k)}_i$, the network's output $\hat y_i$;
# - write any unit as $a^{(k)}_i = f_k\big(\sum_j a^{(k-1)}_j\, w^{(k)}_{ji} + b^{(k)}_i\big)$
#   and compute it with a loop;
# - read the indices of a weight in the row convention (`W[j, i]` goes *from* unit $j$ *to*
#   unit $i$) and avoid the classic index swap;
# - compute the squared-error loss of one sample;
# - take one step of gradient descent, $\theta \leftarrow \theta - \eta\,\partial L/\partial\theta$,
#   and predict how much it lowers the loss with notebook 01's total differential.
#
# **Prerequisites.** Notebook 01 (the chain rule and the total differential). Python loops
# and numpy arrays; no machine learning.
#
# **Time.** Our estimate: 45 minutes, plus 30 for the exercises.

# %% locked="setup"
import math

import numpy as np
from IPython.display import Image, Math, display

import backprop_lib as bp
from backprop_course.drawing import NetworkDrawing
from backprop_course.exercises import hidden_tests
from backprop_course.exercises.nb02_network_equations import (
    check_layer_forward,
    check_squared_error,
    check_unit_preactivation,
    check_unit_weight_gradient,
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
# the input, layer 0, to the output, layer $K = 3$:
#
# | layer $k$ | what it is | units $n_k$ | its outputs |
# |---|---|---|---|
# | 0 | input | $n_0 = 3$ | $x_1, x_2, x_3$ |
# | 1 | first hidden layer | $n_1 = 4$ | $a^{(1)}_1, \dots, a^{(1)}_4$ |
# | 2 | second hidden layer | $n_2 = 2$ | $a^{(2)}_1, a^{(2)}_2$ |
# | 3 | output | $n_3 = 2$ | $\hat y_1, \hat y_2$ |
#
# Every unit of a layer is connected to every unit of the layer before ("fully connected"),
# so there is one weight per arrow and one bias per unit after the input; the cell after the
# network is built counts them. Here is the network, drawn by `backprop_course.drawing` (the
# same drawing the explorers below update):

# %% tags=["nbval-ignore-output"]
picture = NetworkDrawing([3, 4, 2, 2])
picture.set_title("the 3-4-2-2 network: one weight per arrow, one bias per unit after the input")
display(Image(data=picture.to_png()))

# %% [markdown]
# ## 2. Notation
#
# One table, followed by every later notebook. On every quantity of a layer (its weights,
# biases, pre-activations and outputs, one unit's or all of them) the layer index $k$ is a
# superscript in parentheses, $w^{(k)}_{ji}$, $\mathbf W^{(k)}$; subscripts number units (and,
# from notebook 04 on, samples). Only the layer's size $n_k$ and its function $f_k$ carry $k$
# below.
#
# | symbol | meaning | in code |
# |---|---|---|
# | $K$ | number of layers with weights; the output layer is layer $K$ | `len(net.layers)` |
# | $n_k$ | number of units in layer $k$; $n_0$ inputs | `net.layer_sizes[k]` |
# | $x_j$ | input $j$; also written $a^{(0)}_j$ | `x[j - 1]` |
# | $w^{(k)}_{ji}$ | weight of the arrow **from** unit $j$ of layer $k-1$ **to** unit $i$ of layer $k$ | `net.layers[k - 1].W[j - 1, i - 1]` |
# | $b^{(k)}_i$ | bias of unit $i$ of layer $k$ | `net.layers[k - 1].b[0, i - 1]` |
# | $z^{(k)}_i$ | pre-activation of unit $i$: $\sum_j a^{(k-1)}_j w^{(k)}_{ji} + b^{(k)}_i$ | `layer.z` |
# | $f_k$ | activation function of layer $k$ | `layer.activation` |
# | $a^{(k)}_i$ | output of unit $i$ of layer $k$: $f_k(z^{(k)}_i)$ | `layer.a` |
# | $\hat y_i$ | output $i$ of the network: $a^{(K)}_i$ | `net.forward(X)` |
# | $y_i$ | target for output $i$ | `y` |
# | $L$ | the loss: of one sample here and in 03; from 04 on the **mean** over a batch | `net.loss(X, y)` |
# | $\eta$ | learning rate (section 9) | `lr` |
# | from 04 on: $n$, $s$ | number of samples in a batch; index of a sample | `len(X)` |
# | from 04 on: $\mathbf z^{(k)}, \mathbf a^{(k)}$ | all of layer $k$ for every sample: one row per sample, shape $(n, n_k)$ | `layer.z`, `layer.a` |
# | from 04 on: $\mathbf W^{(k)}, \mathbf b^{(k)}$ | the weights as a matrix $(n_{k-1}, n_k)$, the biases as a row $(1, n_k)$ | `layer.W`, `layer.b` |
# | in 01: $dx$, $dt$ | a small change (the total differential) | |
# | from 04 on: $d\mathbf X$ | $\partial L/\partial \mathbf X$, an array of $\mathbf X$'s shape | `layer.dW`, `layer.dz`, ... |
# | $\odot$ | elementwise product | `*` |
#
# Two warnings about other texts. Many (and the original tutorial) write $w_{ij}$ for the
# weight from unit $j$ to unit $i$, with the indices the other way round from ours; and the
# original writes $h_{ki}$ for the outputs of hidden units, where we write $a^{(k)}_i$ for
# every layer, as the code does.

# %% [markdown]
# ## 3. One unit, one equation
#
# Take unit $i$ of the first hidden layer. It multiplies each input $x_j$ by its own weight,
# adds everything up together with a bias, and applies the layer's **activation function**
# $f_1$:
#
# $$z^{(1)}_i = \sum_{j=1}^{n_0} x_j\, w^{(1)}_{ji} + b^{(1)}_i, \qquad
#   a^{(1)}_i = f_1\big(z^{(1)}_i\big), \qquad i = 1, \dots, n_1 .$$
#
# The number $z^{(1)}_i$ before the activation is the unit's **pre-activation**. Every other
# layer follows the same pattern, fed by the layer before it:
#
# $$\begin{aligned}
# a^{(1)}_i &= f_1\Big(\sum_{j=1}^{n_0} x_j\, w^{(1)}_{ji} + b^{(1)}_i\Big), & i &= 1,\dots,n_1,\\
# a^{(2)}_i &= f_2\Big(\sum_{j=1}^{n_1} a^{(1)}_j\, w^{(2)}_{ji} + b^{(2)}_i\Big), & i &= 1,\dots,n_2,\\
# \hat y_i &= f_3\Big(\sum_{j=1}^{n_2} a^{(2)}_j\, w^{(3)}_{ji} + b^{(3)}_i\Big), & i &= 1,\dots,n_3.
# \end{aligned}$$
#
# **Reading the indices.** $w^{(k)}_{ji}$ is the weight of the arrow *from* unit $j$ of
# layer $k-1$ *to* unit $i$ of layer $k$: read the subscript left to right, like the arrow.
# The index $i$ says which unit we are computing; $j$ runs over the units that feed it and
# is summed away.
#
# **Row convention.** This series stores one sample as a *row* and a layer's weights as a
# matrix `W` of shape $(n_{k-1}, n_k)$, so that a whole layer is `z = a_prev @ W + b`
# (notebook 04), exactly as the original's code does. Then $w^{(k)}_{ji}$ is `W[j, i]`:
# row = where the arrow starts, column = where it ends. The original's equations write
# $w_{ij}$ and $z = Wa + b$ (the column convention, with the transposed matrix) while its
# code uses $aW + b$: [erratum 6](00_start_here.ipynb#Errata-of-the-original-tutorial) of
# the list in notebook 00. Both give the same numbers, but mixing them is the most common
# source of index bugs. Finally, the maths counts units from 1 and Python from 0:
# $w^{(2)}_{31}$ is `net.layers[1].W[2, 0]`.

# %% [markdown]
# ## 4. The example network in code
#
# We give the network concrete weights and one sample to push through it:

# %%
net = bp.MLP([3, 4, 2, 2], ["sigmoid", "tanh", "sigmoid"], loss="mse", seed=6, init=bp.Normal(0.8))
x = np.array([0.5, -1.0, 2.0])  # one sample: n_0 = 3 inputs
y = np.array([0.2, 0.9])  # its targets: n_3 = 2 outputs
print(net)
for k, layer in enumerate(net.layers, start=1):
    print(f"layer {k}: W{k} {layer.W.shape}, b{k} {layer.b.shape}, f{k} = {layer.activation.name}")
n_weights = sum(layer.W.size for layer in net.layers)
n_biases = sum(layer.b.size for layer in net.layers)
print(f"{n_weights} weights (one per arrow), {n_biases} biases (one per unit after the input)")

# %% [markdown]
# Why these choices?
#
# - **Different activations per layer**, the **sigmoid** $\sigma(z) = 1/(1 + e^{-z})$ in
#   layers 1 and 3 and $\tanh$ in layer 2, make the point that each layer has its own
#   $f_k$, and give notebook 03 two different derivatives to work with.
# - **A sigmoid output** keeps $\hat y_i$ between 0 and 1, where the targets live. It also
#   means that *every* layer has a non-trivial slope $f_k'$: with an identity output the
#   factor $f_3' = 1$ would silently drop out of the chain rule, and we want to see every factor.
# - **Weights and biases drawn from a normal distribution with standard deviation 0.8**
#   (`bp.Normal(0.8)`) instead of the library's default (which sets biases to zero): every
#   bias then has a visible effect, and no unit is pushed deep into the flat part of its
#   activation.
# - **`loss="mse"`**: the squared error of section 7.
#
# The explorers of notebooks 02 and 03 use exactly this network, sample and target, as
# `example_network()`. Let us make sure:

# %%
same_net, same_x, same_y = example_network()
print(
    all(np.array_equal(p, q) for (_, p), (_, q) in zip(net.parameters(), same_net.parameters()))
    and np.array_equal(x, same_x)
    and np.array_equal(y, same_y)
)

# %% [markdown]
# A single weight, found by its indices (remember the shift by one):

# %%
W2 = net.layers[1].W
print("W2 has shape", W2.shape, "= (n_1, n_2): row j = from a(1)_j; column i = to a(2)_i")
print(f"w(2)_31 = W2[2, 0] = {W2[2, 0]:.6f}   (from a(1)_3 to a(2)_1)")
try:
    W2[0, 2]  # the indices swapped
except IndexError as err:
    print("W2[0, 2] fails:", err)

# %% [markdown]
# Here the swap fails loudly, because `W2` is not square. On a square matrix it would quietly
# return a different weight, which is why the exercises below test square layers too.
#
# ### Exercise 1 — the pre-activation of one unit
#
# Before section 5 computes a unit by hand, write it yourself:
# `unit_preactivation(a_prev, W, b, i)` returns the number
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


# %% practice=true
check_unit_preactivation(unit_preactivation)

# %% [markdown]
# ## 5. One unit by hand
#
# Compute $a^{(1)}_1$ literally from its equation: a loop over the three inputs, the bias,
# then the sigmoid.

# %%
W1, b1 = net.layers[0].W, net.layers[0].b[0]
i = 0  # unit a(1)_1 (counted from 0 in Python)
z_11 = 0.0
for j in range(3):  # sum over the units that feed it
    z_11 += x[j] * W1[j, i]
    print(f"  + x_{j + 1} * w(1)_{j + 1}{i + 1} = {x[j]:.3f} * {W1[j, i]:.6f} = {x[j] * W1[j, i]:.6f}")
z_11 += b1[i]
print(f"  + b(1)_1 = {b1[i]:.6f}")
a_11 = 1 / (1 + math.exp(-z_11))
print(f"z(1)_1 = {z_11:.6f},  a(1)_1 = sigmoid(z(1)_1) = {a_11:.6f}")

# %% [markdown]
# The function `unit_equation` writes the same computation as an equation with the numbers
# substituted (the explorer below shows it live):

# %%
display(Math(unit_equation(net, x, 1, 0)))

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


# %% points=1
check_layer_forward(layer_forward)
### BEGIN HIDDEN TESTS
hidden_tests("coursework.grader.nb02_network_equations:check_layer_forward", layer_forward)
### END HIDDEN TESTS

# %% [markdown]
# ## 6. Every unit: loops versus matrices
#
# `bp.forward_by_loops(net, x)` is the set of equations of section 3 as loops: one
# sum over $j$ for every unit $i$ of every layer. It returns the lists of pre-activations
# `z[k]` and outputs `a[k]` of every layer $k$ (with `a[0]` the input $x$):

# %%
z_loops, a_loops = bp.forward_by_loops(net, x)
names = ["a(1)", "a(2)", "yhat"]
for k in range(1, 4):
    print(f"layer {k}: z    = {np.round(z_loops[k], 6).tolist()}")
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
# ## 7. The loss of one sample
#
# To train, we need a single number that says how wrong the outputs are. The original uses
# the squared error, summed over the outputs, for one sample:
#
# $$L = \sum_{i=1}^{n_3} \big(y_i - \hat y_i\big)^2 .$$
#
# ### Exercise 3 — the loss of one sample
#
# Write `squared_error(y, yhat)` returning $L$ for one sample (`y` and `yhat` of shape
# `(n_out,)`). The check names a mean instead of a sum, a factor $\tfrac12$, a missing square,
# and their relatives.


# %%
def squared_error(y, yhat):
    """L = Σ_i (y_i − ŷ_i)² of one sample; y, yhat (n_out,) -> float."""
    ### BEGIN SOLUTION
    return float(np.sum((y - yhat) ** 2))
    ### END SOLUTION


# %% practice=true
check_squared_error(squared_error)

# %% [markdown]
# Our example's loss, term by term:

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
# ## 8. Explorer: move an input or a weight
#
# Run the next cell and play:
#
# - **Move $x_1$.** Every unit of layer 1 changes (each is fed by $x_1$), then everything
#   after it. The loss at the bottom moves with them.
# - **Pick a weight** in the drop-down, e.g. $w^{(2)}_{11}$, and move its slider. Only *one*
#   unit of its layer changes (the unit it points to, whose equation is shown with the
#   weight's term boxed) and then every unit downstream of it. This is the picture to keep
#   in mind for notebook 03: a weight reaches the loss only through the unit it feeds.
# - **Set $x_3 = 0$** and move a weight $w^{(1)}_{3i}$: nothing happens. Its term is
#   $x_3\, w^{(1)}_{3i} = 0$ whatever the weight. (So its gradient will be zero too.)
# - Pick a weight of layer 3 and find how low the loss goes as you move it alone. Then explain
#   why no single weight of layer 3 can bring the loss near 0. (Hint: which outputs does it
#   feed?)
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
for k, prefix in [(1, "a(1)_"), (2, "a(2)_"), (3, "yhat_")]:
    for i in range(len(a_all[k])):
        print(f"{prefix + str(i + 1):<8}{z_all[k][i]:>11.6f}{a_all[k][i]:>11.6f}")
print(f"loss L = {L:.6f}")

# %% [markdown]
# ## 9. What training does with the loss: gradient descent
#
# Training means changing the parameters, every $w^{(k)}_{ji}$ and $b^{(k)}_i$, so that the
# loss goes down. Call them all $\theta$, one long list. Notebook 01's total differential says
# how the loss answers small changes $d\theta_m$ of all of them at once:
#
# $$dL = \sum_m \frac{\partial L}{\partial \theta_m}\, d\theta_m .$$
#
# Which changes lower $L$ the most, for a given size of step? Those that point against the
# gradient $g_m = \partial L/\partial \theta_m$. **Gradient descent** takes the step
# $d\theta_m = -\eta\, g_m$ with a small **learning rate** $\eta > 0$:
#
# $$\boxed{\theta \leftarrow \theta - \eta\, \frac{\partial L}{\partial \theta}} ,
# \qquad\text{so}\qquad dL = \sum_m g_m\,(-\eta\, g_m) = -\eta\, \lVert g \rVert^2 \le 0 .$$
#
# The prediction $\Delta L \approx -\eta\lVert g\rVert^2$ has the error of every total
# differential: second order in the step. Try one step on our example. We do not know how to
# compute the gradient efficiently yet (that is notebook 03), so we measure it: central
# differences of the loss for every one of the parameters, two evaluations each.

# %%
params = dict(net.parameters())  # {"W1": array, "b1": ..., ...}, the arrays the network uses


def loss_now():
    return net.loss(x[None], y[None])


g = {name: bp.numerical_gradient(loss_now, p) for name, p in params.items()}
g_squared = sum(np.sum(gp**2) for gp in g.values())
print(f"{sum(p.size for p in params.values())} parameters, L = {loss_now():.6f}, |g|² = {g_squared:.6f}")
for eta in (0.5, 0.1, 0.02):
    stepped = example_network()[0]
    stepped.set_parameters({name: p - eta * g[name] for name, p in params.items()})
    change = stepped.loss(x[None], y[None]) - loss_now()
    print(
        f"eta = {eta:<5}  true change ΔL = {change:+.6f}   predicted -eta |g|² = {-eta * g_squared:+.6f}"
        f"   ratio {change / (-eta * g_squared):.4f}"
    )

# %% [markdown]
# Every step lowers the loss, and the smaller the step, the closer the true change comes to
# the prediction (the ratio approaches 1), as a first-order approximation must. Repeating such
# steps is all that training is. The expensive part is the gradient: the cell above evaluated
# the loss twice per parameter. Notebook 03 derives all of them from **one** pass backwards
# through the network.
#
# ### Exercise 4 — how a unit's output depends on its weights
#
# A derivation this notebook has not shown: for one unit $a_i = f(z_i)$ with
# $z_i = \sum_j a_{\text{prev},j}\, w_{ji} + b_i$, what is $\partial a_i/\partial w_{ji}$, for
# every input $j$? Use the chain rule of notebook 01. Write
# `unit_weight_gradient(a_prev, W, b, i, f, fprime)` returning the array of shape `(n_in,)`
# whose entry $j$ is $\partial a_i/\partial w_{ji}$. `f` is the activation and `fprime` its
# derivative $f'$, both functions of a number or an array. The check tries square and
# non-square layers with tanh and the sigmoid, and names the usual slips.


# %%
def unit_weight_gradient(a_prev, W, b, i, f, fprime):
    """∂a_i/∂W[j, i] for every j, a_i = f(Σ_j a_prev[j]·W[j, i] + b[i]); returns shape (n_in,)."""
    ### BEGIN SOLUTION
    z_i = a_prev @ W[:, i] + b[i]
    return fprime(z_i) * a_prev  # ∂a_i/∂z_i · ∂z_i/∂w_ji, and ∂z_i/∂w_ji = a_prev[j]
    ### END SOLUTION


# %% points=2
check_unit_weight_gradient(unit_weight_gradient)
### BEGIN HIDDEN TESTS
hidden_tests("coursework.grader.nb02_network_equations:check_unit_weight_gradient", unit_weight_gradient)
### END HIDDEN TESTS

# %% [markdown]
# ## Summary
#
# - A fully connected network is a list of equations, one per unit:
#   $a^{(k)}_i = f_k(z^{(k)}_i)$ with $z^{(k)}_i = \sum_j a^{(k-1)}_j\, w^{(k)}_{ji} + b^{(k)}_i$
#   ($a^{(0)} = x$, and the last layer's outputs are $\hat y$). The notation table of
#   section 2 holds for the whole series.
# - $w^{(k)}_{ji}$ points *from* unit $j$ of layer $k-1$ *to* unit $i$ of layer $k$; in the
#   row convention of the code it is `W[j, i]` of a matrix with shape $(n_{k-1}, n_k)$.
# - Loops over units (`bp.forward_by_loops`) and matrix products (`MLP.forward`) compute
#   the same numbers; the loops are how we *think*, the matrices how we *compute*.
# - For one sample $L = \sum_i (y_i - \hat y_i)^2$; `backprop_lib`'s `"mse"` averages this
#   over the samples of a batch.
# - Gradient descent, $\theta \leftarrow \theta - \eta\,\partial L/\partial\theta$, lowers the
#   loss by about $\eta\lVert g\rVert^2$ per small step: notebook 01's total differential.
#
# ## Think
#
# 1. Section 9 measured the gradient with two loss evaluations per parameter. How many
#    evaluations would a network with a million parameters need for one step?
# 2. In the explorer, a weight $w^{(1)}_{3i}$ did nothing while $x_3 = 0$. What will its
#    gradient be for that sample, and what does that say about which weights one sample can
#    teach?
# 3. The prediction $-\eta\lVert g\rVert^2$ is always negative. Can a real step of gradient
#    descent still raise the loss? When? (Notebook 06 shows it happening.)
#
# **Next:** notebook 03 differentiates $L$ with respect to every weight and bias of this
# network, by hand, starting from the loss and walking backwards: back-propagation.

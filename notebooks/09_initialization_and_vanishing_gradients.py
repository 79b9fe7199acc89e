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
# # 09 · Initialisation and vanishing gradients
#
# Notebook 06 found that the tutorial's network, once its gradients are correct, sits at
# 50 % accuracy from its very first step: the original initialisation, every weight and bias
# drawn from $\mathcal N(0, 0.1^2)$, leaves it with dead units and almost no gradient
# (erratum 9). This notebook explains why with one tool — **how variance propagates through
# a layer** — and derives from it the two standard cures, Xavier and He initialisation. The
# same tool explains why deep sigmoid networks were long considered untrainable.
#
# **After this notebook you can**
# - compute the variance of a layer's pre-activations from the variance of its weights and
#   the second moment of its inputs, forwards and backwards;
# - derive He ($\mathrm{Var}(w) = 2/n_{k-1}$) and Xavier ($2/(n_{k-1}+n_k)$) initialisation
#   and say which activation each one suits;
# - read per-layer plots of activation spread and gradient norm, and recognise vanishing and
#   exploding signals;
# - explain the original's stall at 50 % and fix it by initialising sensibly.
#
# Notation as in notebooks 04–05 (row convention): layer $k$ computes
# $\mathbf z_k = \mathbf a_{k-1}\mathbf W_k + \mathbf b_k$ and $\mathbf a_k = f(\mathbf z_k)$, with
# $\mathbf W_k$ of shape $(n_{k-1}, n_k)$; $w^{(k)}_{ji}$ = `W[j, i]` is the weight from unit $j$
# of layer $k-1$ to unit $i$ of layer $k$.

# %%
import matplotlib.pyplot as plt
import numpy as np

import backprop_lib as bp
from backprop_course.explorers.nb09_initialization_and_vanishing_gradients import (
    layer_profile,
    original_start,
)
from backprop_course.layer_stats import INIT_LABELS, active_fraction, deep_mlp, layer_statistics

net0, X, y = original_start()  # the original's circles and its σ = 0.1 weights (seed 42)
print(net0, X.shape, y.shape)
for k, layer in enumerate(net0.layers, start=1):
    print(f"W{k} {layer.W.shape}: std {layer.W.std():.3f};  b{k}: {np.round(layer.b, 3)}")

# %% [markdown]
# ## 1 · The stall, measured
#
# `net0` is a `bp.MLP` holding exactly the original's initial weights; its loss is the
# **mean** binary cross-entropy and its gradients are correct. First the check: analytic
# gradients against central differences. (The gradients here are tiny, around $10^{-4}$, so
# the difference step is $\epsilon = 10^{-5}$ instead of the usual $10^{-6}$: with a smaller
# step the round-off of the loss, $\sim 10^{-16}/\epsilon$, would dominate the comparison.)

# %%
report = bp.check_network(net0, X, y, eps=1e-5)
print("worst relative error:", f"{max(report.values()):.1e}", "< 1e-7:", max(report.values()) < 1e-7)
stats0 = layer_statistics(net0, X, y)
print("‖dW_k‖ at the start:", np.array2string(stats0["dW_norm"], precision=6))

# %% [markdown]
# Correct, and tiny. Training with the original's schedule (learning rate 0.005, 150
# full-batch epochs) and with a learning rate 200 times larger for twice as long:

# %%
for lr, epochs in [(0.005, 150), (1.0, 300)]:
    net, _, _ = original_start()
    bp.train(net, X, y, lr, epochs)
    accuracy = np.mean(net.predict(X) == y[:, 0])
    print(
        f"lr {lr:5}, {epochs} epochs: loss {net.loss(X, y):.6f} (ln 2 = {np.log(2):.6f}), "
        f"accuracy {accuracy:.3f}"
    )

# %% [markdown]
# Stuck at 50 % both times. Which units fire, and for what fraction of the 1000 samples?
# And how large is the part of $\mathbf z_2$ that depends on the input, $\mathbf a_1\mathbf W_2$,
# compared with the bias $\mathbf b_2$?

# %%
for k, fraction in enumerate(active_fraction(net0, X), start=1):
    print(f"layer {k}: fraction of samples with z > 0 per unit: {np.round(fraction, 3)}")
a1 = net0.layers[0].a
signal = a1 @ net0.layers[1].W
print("layer 2, std over samples of a1·W2 per unit:", np.round(signal.std(axis=0), 4))
print("layer 2, bias b2 per unit:                  ", np.round(net0.layers[1].b[0], 4))

# %% [markdown]
# The input-dependent part of $\mathbf z_2$ varies by less than 0.005 from sample to sample,
# while the biases are 0.01 to 0.12 away from zero. So each unit of layer 2 has the **same
# sign for every sample**: two are dead for all of them (ReLU′ = 0, no gradient will ever
# reach their weights) and the third is on for 84 % of the samples — effectively a linear
# unit. A network whose hidden layer is dead or linear cannot bend its decision boundary
# around a circle, and the correct gradient descent then kills the last unit too (notebook 06
# shows the aftermath). Why is the input's contribution so small? That is what variance
# propagation answers.
#
# ## 2 · Variance propagation, forwards
#
# Take one unit $i$ of layer $k$: $z_i = \sum_{j=1}^{n_{k-1}} a_j\,w_{ji} + b_i$. Assume, as at
# initialisation, that the weights $w_{ji}$ are independent, with mean 0 and variance
# $\mathrm{Var}(w)$, independent of the inputs $a_j$, and that $b_i = 0$. Each term $a_j w_{ji}$ has
# mean $\mathbb E[a_j]\,\mathbb E[w_{ji}] = 0$ and variance $\mathbb E[a_j^2]\,\mathbb E[w_{ji}^2] = \mathbb E[a^2]\,\mathrm{Var}(w)$,
# and the $n_{k-1}$ terms are uncorrelated, so
#
# $$
# \mathrm{Var}(z_i) = n_{k-1}\,\mathrm{Var}(w)\,\mathbb E[a^2].
# $$
#
# Note the **second moment** $\mathbb E[a^2]$, not $\mathrm{Var}(a)$: the two agree only when
# the activations have mean zero (tanh, linear), not for ReLU or sigmoid outputs.
#
# For a ReLU fed by a zero-mean, symmetric $z$, half of the mass is cut off and the other
# half kept, so $\mathbb E[\mathrm{relu}(z)^2] = \tfrac12\mathbb E[z^2] = \tfrac12\mathrm{Var}(z)$.
# A stack of ReLU layers of width $n$ therefore multiplies the variance by
# $\tfrac12 n\,\mathrm{Var}(w)$ per layer. With the original's $\sigma = 0.1$ and $n = 4$ that
# factor is $\tfrac12\cdot 4\cdot 0.01 = 0.02$: the input's signal loses 98 % of its variance
# in every layer, and the biases, of variance 0.01, take over — exactly what section 1 saw.
#
# **Check 1** — sample it. ReLU inputs $a = \mathrm{relu}(z)$ with $z \sim \mathcal N(0, 1.7^2)$,
# 400 independent units of fan-in 64 with $\mathrm{Var}(w) = 0.03$:

# %%
rng = np.random.default_rng(0)
n_in, var_w = 64, 0.03
a = np.maximum(rng.normal(0.0, 1.7, size=(4000, n_in)), 0.0)
W = rng.normal(0.0, np.sqrt(var_w), size=(n_in, 400))
z = a @ W
print(f"measured Var(z)            {z.var():.3f}")
print(f"n·Var(w)·E[a²]             {n_in * var_w * np.mean(a**2):.3f}   (the formula)")
print(f"n·Var(w)·Var(a)            {n_in * var_w * a.var():.3f}   (Var(a) in place of E[a²]: wrong)")
print(f"E[relu(z)²] = {np.mean(a**2):.3f},  Var(z)/2 = {1.7**2 / 2:.3f}")

# %% [markdown]
# Keeping the variance constant from layer to layer, $\mathrm{Var}(z_k) = \mathrm{Var}(z_{k-1})$,
# requires
#
# $$
# \text{ReLU:}\quad \tfrac12\,n_{k-1}\mathrm{Var}(w) = 1 \;\Longrightarrow\; \mathrm{Var}(w) = \frac{2}{n_{k-1}}
# \quad\text{(He et al., 2015)}, \qquad
# \text{tanh (slope 1 at 0):}\quad \mathrm{Var}(w) = \frac{1}{n_{k-1}} .
# $$
#
# ## 3 · Variance propagation, backwards
#
# The backward pass is the same kind of sum. From $\mathrm d\mathbf a_{k-1} = \mathrm d\mathbf z_k\mathbf W_k^\top$,
# $\mathrm da_j = \sum_{i=1}^{n_k}\mathrm dz_i\,w_{ji}$: a sum of $n_k$ terms, so
#
# $$
# \mathrm{Var}(\mathrm da_j) = n_k\,\mathrm{Var}(w)\,\mathbb E[\mathrm dz^2], \qquad
# \mathrm dz_i = \mathrm da_i\, f'(z_i) \;\Rightarrow\; \mathbb E[\mathrm dz^2] = \mathbb E[\mathrm da^2]\,\mathbb E[f'(z)^2]
# $$
#
# (treating $\mathrm da_i$ and $z_i$ as independent). For ReLU, $\mathbb E[f'(z)^2] = \tfrac12$; for
# tanh near 0 it is about 1; for the sigmoid it is at most $(1/4)^2$ because $\sigma' \le 1/4$.
# Keeping gradients constant going back asks for $\tfrac12 n_k\mathrm{Var}(w) = 1$ with ReLU —
# the *fan-out* this time. Glorot and Bengio's compromise for tanh (2010),
#
# $$
# \mathrm{Var}(w) = \frac{2}{n_{k-1} + n_k}\quad\text{(Xavier)},
# $$
#
# satisfies both directions when the widths are equal; He uses the fan-in, which keeps the
# forward pass exact (both are `bp.MLP` initialisers: `init="he"`, `init="xavier"`). A
# weight gradient $\mathrm d\mathbf W_k = \mathbf a_{k-1}^\top\mathrm d\mathbf z_k$ is a product of the two
# signals, so it shrinks if either the activations shrink going forward or $\mathrm d\mathbf z$
# shrinks going back.
#
# **Check 2** — the backward formula by sampling ($n_k = 48$, $\mathrm{Var}(w) = 0.05$), and the
# back-propagation itself against central differences on two deep, narrow networks:

# %%
n_out, var_w = 48, 0.05
dz = rng.normal(0.0, 0.8, size=(4000, n_out))
W = rng.normal(0.0, np.sqrt(var_w), size=(400, n_out))  # 400 units j of layer k − 1
da_prev = dz @ W.T
print(f"measured Var(da_prev) {da_prev.var():.4f};  n_k·Var(w)·E[dz²] = {n_out * var_w * np.mean(dz**2):.4f}")
for activation, init in [("tanh", "xavier"), ("relu", "he")]:
    deep = deep_mlp(6, 8, activation, init, seed=1)
    X_small, y_small = rng.normal(size=(10, 8)), rng.integers(0, 2, size=(10, 1)).astype(float)
    worst = max(bp.check_network(deep, X_small, y_small).values())
    print(f"6 × 8 {activation:4s} network, {init:6s}: worst gradient-check error < 1e-7: {worst < 1e-7}")

# %% [markdown]
# ## 4 · Deep networks: sigmoid, tanh and ReLU under three initialisations
#
# Ten hidden layers of 64 units, one sigmoid output, a batch of 256 standard-normal inputs
# with random labels (`layer_profile` in the explorer module). For each activation and
# initialisation: the spread of the activations $\mathbf a_k$ and the gradient norm
# $\lVert\mathrm d\mathbf W_k\rVert$ per hidden layer, after one forward and backward pass.
# "σ = 0.1" is the original's scheme (weights *and* biases $\sim\mathcal N(0, 0.01)$); Xavier
# and He set the biases to zero.

# %%
profiles = {
    (act, init): layer_profile(10, act, init)
    for act in ("sigmoid", "tanh", "relu")
    for init in ("normal", "xavier", "he")
}
print(f"{'':20s} {'std a_1':>8s} {'std a_5':>8s} {'std a_10':>8s}   {'‖dW_1‖':>8s} {'‖dW_10‖':>8s}  ratio")
for (act, init), p in profiles.items():
    a_std, g = p["a_std"], p["grad_norm"]
    print(
        f"{act + ', ' + INIT_LABELS[init]:20s} {a_std[0]:8.3f} {a_std[4]:8.3f} {a_std[9]:8.3f}   "
        f"{g[0]:8.1e} {g[9]:8.1e}  {g[0] / g[9]:7.1e}"
    )

# %%
# NBVAL_IGNORE_OUTPUT
fig, axes = plt.subplots(2, 3, figsize=(13, 6), sharex=True)
layers = np.arange(1, 11)
for col, act in enumerate(("sigmoid", "tanh", "relu")):
    for init, marker in zip(("normal", "xavier", "he"), "o^s"):
        p = profiles[(act, init)]
        axes[0, col].semilogy(layers, p["a_std"], marker + "-", label=INIT_LABELS[init])
        axes[1, col].semilogy(layers, p["grad_norm"], marker + "-", label=INIT_LABELS[init])
    axes[0, col].set_title(f"{act}: std of $a_k$")
    axes[1, col].set_title(rf"{act}: $\|dW_k\|$")
    axes[1, col].set_xlabel("hidden layer k")
axes[0, 0].legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# Read the table with the two formulas:
#
# - **ReLU** multiplies the forward variance by $\tfrac12\cdot 64\cdot\mathrm{Var}(w)$ per layer:
#   0.32 for σ = 0.1, 0.5 for Xavier ($\mathrm{Var}(w) = 2/128$), 1 for He. So the spread shrinks
#   by $\sqrt{0.32} = 0.57$ and $\sqrt{0.5} = 0.71$ per layer for the first two — until, with
#   σ = 0.1, the random biases (variance 0.01) put a floor under it, a floor that does not
#   depend on the input. The backward signal $\mathrm d\mathbf z_k$ shrinks by the same factor per
#   layer going down. Since $\mathrm d\mathbf W_k = \mathbf a_{k-1}^\top\mathrm d\mathbf z_k$ multiplies the two,
#   a layer low in the stack (large $\mathbf a$, small $\mathrm d\mathbf z$) and one high up (small
#   $\mathbf a$, larger $\mathrm d\mathbf z$) end with gradients of similar size — similarly *tiny*:
#   around $10^{-3}$ with σ = 0.1 and Xavier, hundreds of times below He's. Every layer learns
#   slowly, not just the first. He keeps both signals at one scale.
# - **Sigmoid** vanishes under *every* initialisation: its derivative is at most 1/4, so even
#   with $n_k\mathrm{Var}(w) = 1$ each layer divides the gradient's variance by about
#   $1/\mathbb E[\sigma'(z)^2] \approx 18$ and its size by about 4, while its activations
#   (around 0.5, never small) do not compensate. Over nine layers that is the ratio of
#   $10^{-5}$ to $10^{-7}$ between the first and the last layer's gradient in the table: the
#   classic *vanishing gradient* that kept deep sigmoid networks from training before ReLUs
#   and careful initialisation.
# - **Tanh** is zero-centred with slope 1 at 0: Xavier keeps its gradients level across
#   layers; σ = 0.1 ($64\cdot 0.01 = 0.64 < 1$) shrinks both signals, so its gradients are ten
#   times smaller; He ($64\cdot\frac{2}{64} = 2$) keeps the activations larger, in tanh's
#   saturating range, without harm at this depth.
#
# **Check 3** — the ReLU prediction with the biases included: for σ = 0.1,
# $\mathrm{Var}(z_k) = \tfrac12\,64\cdot 0.01\,\mathrm{Var}(z_{k-1}) + 0.01$ and
# $\mathrm{Var}(z_1) = 64\cdot 0.01\cdot 1 + 0.01$ (unit-variance inputs); for He and Xavier the
# bias term is 0. The formula is an average over random weights, so we compare it with
# $\mathrm{Var}(z_k)$ averaged over ten random networks (seeds 0–9), and also show the single
# network (seed 0) of the table.

# %%
for init, var_weight, var_bias in [("normal", 0.01, 0.01), ("xavier", 2 / 128, 0.0), ("he", 2 / 64, 0.0)]:
    predicted = [64 * var_weight * 1.0 + var_bias]
    for _ in range(9):
        predicted.append(0.5 * 64 * var_weight * predicted[-1] + var_bias)
    averaged = np.mean([layer_profile(10, "relu", init, seed=s)["z_std"] ** 2 for s in range(10)], axis=0)
    single = profiles[("relu", init)]["z_std"]
    print(
        f"ReLU, {INIT_LABELS[init]:7s} std of z_k, k = 1, 4, 7, 10: predicted "
        f"{np.round(np.sqrt(predicted)[[0, 3, 6, 9]], 3)}, 10 networks {np.round(np.sqrt(averaged)[[0, 3, 6, 9]], 3)}, "
        f"seed 0 {np.round(single[[0, 3, 6, 9]], 3)}"
    )

# %% [markdown]
# Averaged over networks, the predictions hold. A single network of width 64 drifts away
# from them: each layer's realised gain is itself random (its relative spread is of order
# $\sqrt{2/64} \approx 18\,\%$ per layer), and over ten layers these errors compound — seed 0
# with He ends at about half the predicted spread, other seeds above it. Wider layers drift
# less.
#
# ## 5 · Fixing the original's stall
#
# Back to the $[2, 4, 3, 1]$ network on the original's circles, trained by full-batch gradient
# descent with correct gradients, learning rate 1 and 300 epochs, from eight random starts
# with σ = 0.1 and the same eight seeds with He initialisation (`bp.MLP`'s default for ReLU
# layers):


# %%
def final_accuracy(init, seed, lr=1.0, epochs=300):
    net = bp.MLP([2, 4, 3, 1], ["relu", "relu", "sigmoid"], loss="bce", seed=seed, init=init)
    bp.train(net, X, y, lr, epochs)
    return np.mean(net.predict(X) == y[:, 0])


results = {init: [final_accuracy(init, seed) for seed in range(8)] for init in ("normal", "he")}
for init, accs in results.items():
    print(
        f"{INIT_LABELS[init]:8s}: accuracies {np.round(accs, 3)};  ≥ 0.95 in {sum(a >= 0.95 for a in accs)} of 8"
    )

# %% [markdown]
# With σ = 0.1, two of eight starts learn the circles in 300 epochs and the others are still
# below 85 % or stuck at 50 %. With He initialisation seven of eight reach 99 %. The eighth
# (seed 3) shows that a sensible scale is not a guarantee: it starts with one of its three
# layer-2 units dead for every sample, and within about 50 steps at this large learning rate
# the other two die as well (`active_fraction` shows it). In a layer of three units one
# unlucky draw matters; wider layers make it unlikely. Notebook 06 trains this network with
# He initialisation to 99.6 % on held-out data.
#
# ## 6 · Explorer: depth, initialisation, activation
#
# Choose the depth (1 to 30 hidden layers of 64 units), the initialisation and the
# activation; the two panels show the spread of the activations and the gradient norm per
# hidden layer (log scales), recomputed from a fresh network in a few milliseconds. Try:
# ReLU with σ = 0.1, Xavier and He at depth 30; sigmoid at depth 30 under any
# initialisation; tanh with σ = 0.1 against Xavier. The table shows the default state
# (ReLU, σ = 0.1, depth 10), which the explorer opens with; the figure of section 4 shows it
# too (right-hand column, circles).

# %%
default = profiles[("relu", "normal")]
print("layer k      " + "".join(f"{k:>9d}" for k in range(1, 11)))
print("std of a_k   " + "".join(f"{v:9.4f}" for v in default["a_std"]))
print("‖dW_k‖       " + "".join(f"{v:9.1e}" for v in default["grad_norm"]))

# %%
# NBVAL_IGNORE_OUTPUT
from backprop_course.explorers.nb09_initialization_and_vanishing_gradients import initialization_explorer

explorer = initialization_explorer(depth=10, activation="relu", init="normal")
explorer

# %% [markdown]
# ## 7 · Exercises
#
# ### Exercise 1 — He's standard deviation
#
# Write `he_std(n_in, n_out)` returning the **standard deviation** with which He
# initialisation draws the weights of a layer with `n_in` inputs and `n_out` units. The
# check tries several layers whose fan-in and fan-out differ, and names the usual
# mistakes: using the fan-out, forgetting the factor 2, returning the variance, or Xavier's
# formula.

# %%
from backprop_course.exercises.nb09_initialization_and_vanishing_gradients import (
    check_he_std,
    check_relu_stack_variance,
)


def he_std(n_in, n_out):
    """Standard deviation of He initialisation for W of shape (n_in, n_out); a float."""
    ### BEGIN SOLUTION
    return np.sqrt(2.0 / n_in)
    ### END SOLUTION


# %%
check_he_std(he_std)
### BEGIN HIDDEN TESTS
check_he_std(he_std, seed=1, strict=True)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2 — variance through a ReLU stack
#
# Inputs $\mathbf x$ with mean 0 and variance `var_x` enter a stack of `depth` ReLU layers, each
# of width `n` (the inputs too have `n` features), with weights of variance `var_w` and zero
# biases. Write `relu_stack_variance(var_x, n, var_w, depth)` returning the array
# $[\mathrm{Var}(z_1), \dots, \mathrm{Var}(z_{\text{depth}})]$ of shape `(depth,)` predicted by section 2.
# Careful with layer 1: its inputs are not ReLU outputs. The check uses random widths and
# variances and names a missing ½, a ½ at layer 1, standard deviations for variances, a
# missing fan-in and an off-by-one layer.


# %%
def relu_stack_variance(var_x, n, var_w, depth):
    """Predicted Var(z_k) for k = 1..depth of a ReLU stack of width n; array of shape (depth,)."""
    ### BEGIN SOLUTION
    variances = [n * var_w * var_x]
    for _ in range(depth - 1):
        variances.append(n * var_w * variances[-1] / 2)
    return np.array(variances)
    ### END SOLUTION


# %%
check_relu_stack_variance(relu_stack_variance)
### BEGIN HIDDEN TESTS
check_relu_stack_variance(relu_stack_variance, seed=1, strict=True)
### END HIDDEN TESTS

# %% [markdown]
# ## Summary
#
# - For $z_i = \sum_j a_j w_{ji}$ with independent zero-mean weights,
#   $\mathrm{Var}(z) = n_{k-1}\mathrm{Var}(w)\,\mathbb E[a^2]$ going forward and
#   $\mathrm{Var}(\mathrm da) = n_k\mathrm{Var}(w)\,\mathbb E[\mathrm dz^2]$ going back; a ReLU halves the
#   second moment, a sigmoid's derivative divides the gradient by about 4 per layer.
# - He initialisation, $\mathrm{Var}(w) = 2/n_{k-1}$, keeps ReLU activations at one scale
#   through any depth; Xavier, $2/(n_{k-1}+n_k)$, does the same for tanh in both directions.
#   No initialisation saves a deep sigmoid stack from vanishing gradients.
# - The original's $\mathcal N(0, 0.1^2)$ start gives its width-4 layer 2 a variance gain of
#   0.02: the input's signal is drowned by the biases, two ReLUs are dead for every sample,
#   the third is linear, and the correct gradients are about $10^{-4}$ — the network sits at
#   50 % whatever the learning rate (erratum 9). With He initialisation the same network
#   learns the circles from seven of eight random starts.
# - `backprop_course.layer_stats` measures per-layer statistics (`layer_statistics`,
#   `active_fraction`) of any `MLP`; `deep_mlp` builds the deep stacks used here.

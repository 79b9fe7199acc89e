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
# same tool explains why deep sigmoid networks were long considered untrainable. At the end
# we measure, over several seeds and learning rates, how much the start really matters for
# the original's network.
#
# **After this notebook you can**
# - compute the variance of a layer's pre-activations from the variance of its weights and
#   the second moment of its inputs, forwards, and of its gradients backwards, with the
#   activation's $\mathbb E[f'(z)^2]$;
# - derive He ($\mathrm{Var}(w) = 2/n_{k-1}$) and Xavier ($2/(n_{k-1}+n_k)$) initialisation
#   and say which activation each one suits;
# - read per-layer plots of activation spread and gradient norm, recognise vanishing and
#   exploding signals, and say why a single narrow network strays from the average;
# - compare initialisations fairly, and explain the original's stall.
#
# **Before this notebook:** 04 (the backward pass in matrix form), 06 (the original's run and
# erratum 9), 07 (a validation split). Some probability: the variance of a sum of independent
# terms. **Time:** about 75 minutes, 25 of them for the exercises.
#
# Notation as in notebooks 04–05 (row convention): layer $k$ computes
# $\mathbf z_k = \mathbf a_{k-1}\mathbf W_k + \mathbf b_k$ and $\mathbf a_k = f(\mathbf z_k)$, with
# $\mathbf W_k$ of shape $(n_{k-1}, n_k)$; $w^{(k)}_{ji}$ = `W[j, i]` is the weight from unit $j$
# of layer $k-1$ to unit $i$ of layer $k$.

# %% locked="setup"
import inspect

import numpy as np
from IPython.display import Code

import backprop_lib as bp
from backprop_course.explorers import nb09_initialization_and_vanishing_gradients as ie
from backprop_course.layer_stats import INIT_LABELS, active_fraction, deep_mlp, layer_statistics

net0, X, y = ie.original_start()  # the original's circles and its σ = 0.1 weights (seed 42)
print(net0, X.shape, y.shape)
for k, layer in enumerate(net0.layers, start=1):
    print(f"W{k} {layer.W.shape}: std {layer.W.std():.3f};  b{k}: {np.round(layer.b, 3)}")
from backprop_course.exercises import hidden_tests
from backprop_course.exercises.nb09_initialization_and_vanishing_gradients import (
    check_backward_variances,
    check_relu_stack_variance,
)

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
# Correct, and tiny. Training this start with the original's schedule (learning rate 0.005,
# 150 full-batch epochs) and with a learning rate 200 times larger for twice as long:

# %%
for lr, epochs in [(0.005, 150), (1.0, 300)]:
    net, _, _ = ie.original_start()
    bp.train(net, X, y, lr, epochs)
    accuracy = np.mean(net.predict(X) == y[:, 0])
    print(
        f"lr {lr:5}, {epochs} epochs: loss {net.loss(X, y):.6f} (ln 2 = {np.log(2):.6f}), "
        f"accuracy {accuracy:.3f}"
    )

# %% [markdown]
# This start is stuck at 50 % at both rates. (Whether *every* small start is stuck, and at
# *every* rate, is a question for several seeds and rates: section 5.) Which units fire, and
# for what fraction of the 1000 samples? And how large is the part of $\mathbf z_2$ that
# depends on the input, $\mathbf a_1\mathbf W_2$, compared with the bias $\mathbf b_2$?

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
# reach their weights) and the third is on for a fraction 0.835 of them — nearly a linear
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
# $\mathrm da_j = \sum_{i=1}^{n_k}\mathrm dz_i\,w_{ji}$: a sum of $n_k$ terms — as many as
# layer $k$ has units, the **fan-out** of layer $k-1$ — so
#
# $$
# \mathrm{Var}(\mathrm da_j) = n_k\,\mathrm{Var}(w)\,\mathbb E[\mathrm dz^2], \qquad
# \mathrm dz_j = \mathrm da_j\, f'(z_j) \;\Rightarrow\; \mathbb E[\mathrm dz^2] = \mathbb E[\mathrm da^2]\,\mathbb E[f'(z)^2]
# $$
#
# (treating $\mathrm da_j$ and $z_j$ as independent). The activation enters through
# $\mathbb E[f'(z)^2]$. For ReLU, $f'(z)$ is 1 for $z > 0$ and 0 otherwise, so for any
# zero-mean, symmetric $z$ it is $\tfrac12$. For the sigmoid, $\sigma'(z) = \sigma(z)(1-\sigma(z))$
# is at most $\tfrac14$ (at $z = 0$), so $\mathbb E[\sigma'(z)^2] \le \tfrac1{16}$, and less the
# wider $z$ spreads.
#
# **Check 2 — $\mathbb E[f'(z)^2]$ by sampling**, for $z \sim \mathcal N(0, s^2)$ at several
# spreads $s$, against the same expectation computed by quadrature on a fine grid (a
# different method, no random numbers):

# %%
rng = np.random.default_rng(1)
grid = np.linspace(-60, 60, 24_000)  # for the quadrature: wide enough for every s, and 0 between two points
print(f"{'s':>4}  {'ReLU: sampled':>14} {'quadrature':>10}   {'sigmoid: sampled':>16} {'quadrature':>10}")
for s in (0.5, 1.0, 2.0, 4.0):
    z = rng.normal(0.0, s, size=200_000)
    density = np.exp(-0.5 * (grid / s) ** 2) / (s * np.sqrt(2 * np.pi))
    row = []
    for activation in (bp.ReLU(), bp.Sigmoid()):
        sampled = np.mean(activation.derivative(z) ** 2)
        exact = np.trapezoid(activation.derivative(grid) ** 2 * density, grid)
        row.append(f"{sampled:14.4f} {exact:10.4f}")
    print(f"{s:4g}  {row[0]}   {row[1]:>27}")
print(f"bound for the sigmoid: (1/4)² = {0.25**2:.4f}")

# %% [markdown]
# ReLU passes back half of the gradient's second moment at every spread. The sigmoid passes
# back at most a sixteenth, and the table shows how much less when $z$ is wide: the
# activation alone shrinks the gradient's variance by a factor of 16 or more in every sigmoid
# layer, and only the weights' factor $n_k\mathrm{Var}(w)$ could make up for it.
#
# Keeping gradients constant going back asks for $\tfrac12 n_k\mathrm{Var}(w) = 1$ with ReLU —
# the fan-out this time. Glorot and Bengio's compromise for tanh (2010),
#
# $$
# \mathrm{Var}(w) = \frac{2}{n_{k-1} + n_k}\quad\text{(Xavier)},
# $$
#
# satisfies both directions when the widths are equal; He uses the fan-in, which keeps the
# forward variance constant from layer to layer — in expectation over the random weights,
# not exactly for any one network (section 4 measures the difference). Both are `bp.MLP`
# initialisers: `init="he"`, `init="xavier"`. A weight gradient
# $\mathrm d\mathbf W_k = \mathbf a_{k-1}^\top\mathrm d\mathbf z_k$ is a product of the two
# signals, so it shrinks if either the activations shrink going forward or $\mathrm d\mathbf z$
# shrinks going back.
#
# **Check 3** — the backward formula by sampling, one layer down: $n_k = 48$ units with
# $\mathrm{Var}(w) = 0.05$ pass $\mathrm d\mathbf z_k$ back to 400 units of layer $k-1$, through
# ReLU and through the sigmoid (with $z_{k-1} \sim \mathcal N(0, 1)$); then the
# back-propagation itself against central differences on two deep, narrow networks:

# %%
n_out, var_w = 48, 0.05
dz = rng.normal(0.0, 0.8, size=(4000, n_out))
W = rng.normal(0.0, np.sqrt(var_w), size=(400, n_out))  # 400 units j of layer k − 1
z_below = rng.normal(0.0, 1.0, size=(4000, 400))
da_prev = dz @ W.T
print(
    f"Var(da_(k−1)): measured {da_prev.var():.4f};  n_k·Var(w)·E[dz²] = {n_out * var_w * np.mean(dz**2):.4f}"
)
for activation in (bp.ReLU(), bp.Sigmoid()):
    dz_prev = da_prev * activation.derivative(z_below)
    fprime2 = np.mean(activation.derivative(z_below) ** 2)
    predicted = n_out * var_w * np.mean(dz**2) * fprime2
    print(f"Var(dz_(k−1)), {activation.name:7s}: measured {dz_prev.var():.4f};  × E[f′²] = {predicted:.4f}")
for activation, init in [("tanh", "xavier"), ("relu", "he")]:
    deep = deep_mlp(6, 8, activation, init, seed=1)
    X_small, y_small = rng.normal(size=(10, 8)), rng.integers(0, 2, size=(10, 1)).astype(float)
    worst = max(bp.check_network(deep, X_small, y_small).values())
    print(f"6 × 8 {activation:4s} network, {init:6s}: worst gradient-check error < 1e-7: {worst < 1e-7}")

# %% [markdown]
# ## 4 · Deep networks: sigmoid, tanh and ReLU under three initialisations
#
# Ten hidden layers of 64 units, one sigmoid output, a batch of 256 standard-normal inputs
# with random labels. For each activation and initialisation: the spread of the activations
# $\mathbf a_k$ and the gradient norm $\lVert\mathrm d\mathbf W_k\rVert$ per hidden layer, after
# one forward and backward pass. "σ = 0.1" is the original's scheme (weights *and* biases
# $\sim\mathcal N(0, 0.01)$); Xavier and He set the biases to zero. The statistics come from
# `layer_statistics`, one `forward` and one `backward` of the library's `MLP`:

# %%
Code(inspect.getsource(layer_statistics), language="python")

# %% [markdown]
# Each setting is drawn from five seeds (the weights and the batch); the table gives the
# lowest and highest value over them.

# %%
seeds = range(5)
profiles = {
    (act, init): [ie.layer_profile(10, act, init, seed=s) for s in seeds]
    for act in ("sigmoid", "tanh", "relu")
    for init in ("normal", "xavier", "he")
}


def spread(values):
    return f"{min(values):.1e}–{max(values):.1e}"


print(f"{'':18s} {'std a_1':>13s} {'std a_10':>13s} {'‖dW_1‖':>17s} {'‖dW_10‖':>17s}  ratio ‖dW_1‖/‖dW_10‖")
for (act, init), runs in profiles.items():
    a1, a10 = [p["a_std"][0] for p in runs], [p["a_std"][9] for p in runs]
    g1, g10 = [p["grad_norm"][0] for p in runs], [p["grad_norm"][9] for p in runs]
    ratio = [first / last for first, last in zip(g1, g10)]
    print(
        f"{act + ', ' + INIT_LABELS[init]:18s} {min(a1):.3f}–{max(a1):.3f} {min(a10):.3f}–{max(a10):.3f} "
        f"{spread(g1):>17s} {spread(g10):>17s}  {spread(ratio)}"
    )

# %% tags=["nbval-ignore-output"]
ie.profiles_figure(profiles)

# %% [markdown]
# Read the table with the two formulas:
#
# - **ReLU** multiplies the forward variance by $\tfrac12\cdot 64\cdot\mathrm{Var}(w)$ per layer:
#   0.32 for σ = 0.1, 0.5 for Xavier ($\mathrm{Var}(w) = 2/128$), 1 for He. With σ = 0.1 and
#   Xavier the spread of the activations falls from layer 1 to layer 10; with σ = 0.1 the
#   random biases (variance 0.01) stop the fall at a floor that does not depend on the
#   input. Going back, $\mathrm d\mathbf z$ shrinks by the same gain per layer, with no floor.
#   $\mathrm d\mathbf W_k = \mathbf a_{k-1}^\top\mathrm d\mathbf z_k$ multiplies the two signals:
#   with Xavier, a large $\mathbf a$ and a small $\mathrm d\mathbf z$ at the bottom balance a
#   small $\mathbf a$ and a large $\mathrm d\mathbf z$ at the top, and the ratio column stays
#   around 1; with σ = 0.1 the forward floor breaks the balance, and the first layer's
#   gradient is the smallest. He keeps both signals at one scale: its activations keep their
#   spread to layer 10, and its gradients are an order of magnitude or more above the other
#   two schemes' at both layers shown, in every seed.
# - **Sigmoid** vanishes under *every* initialisation: check 2 measured what its derivative
#   passes back, and its activations (between 0 and 1, centred near ½, never small) do not
#   make up for it. Over
#   nine layers the first layer's gradient ends four to seven orders of magnitude below the
#   last's (the ratio column): the classic *vanishing gradient* that kept deep sigmoid
#   networks from training before ReLUs and careful initialisation.
# - **Tanh** is zero-centred with slope 1 at 0: Xavier keeps its gradients level across
#   layers (a ratio a little below 1); σ = 0.1 ($64\cdot 0.01 = 0.64 < 1$) shrinks both signals,
#   and its gradients are several times smaller than Xavier's; He ($64\cdot\frac{2}{64} = 2$)
#   keeps the activations larger, in tanh's saturating range, without harm at this depth.
#
# **Check 4** — the ReLU prediction with the biases included: for σ = 0.1,
# $\mathrm{Var}(z_k) = \tfrac12\,64\cdot 0.01\,\mathrm{Var}(z_{k-1}) + 0.01$ and
# $\mathrm{Var}(z_1) = 64\cdot 0.01\cdot 1 + 0.01$ (unit-variance inputs); for He and Xavier the
# bias term is 0. The formula is an average over random weights, so we compare it with
# $\mathrm{Var}(z_k)$ averaged over ten random networks (seeds 0–9), and also show the single
# network of seed 0.

# %%
for init, var_weight, var_bias in [("normal", 0.01, 0.01), ("xavier", 2 / 128, 0.0), ("he", 2 / 64, 0.0)]:
    predicted = ie.predicted_z_variances(10, 64, var_weight, var_bias)  # the two formulas above
    averaged = np.mean([ie.layer_profile(10, "relu", init, seed=s)["z_std"] ** 2 for s in range(10)], axis=0)
    single = profiles[("relu", init)][0]["z_std"]
    print(
        f"ReLU, {INIT_LABELS[init]:7s} std of z_k, k = 1, 4, 7, 10: predicted "
        f"{np.round(np.sqrt(predicted)[[0, 3, 6, 9]], 3)}, 10 networks {np.round(np.sqrt(averaged)[[0, 3, 6, 9]], 3)}, "
        f"seed 0 {np.round(single[[0, 3, 6, 9]], 3)}"
    )

# %% [markdown]
# Averaged over networks, the predictions hold. A single network strays from them: each
# layer's realised gain is itself random, with a relative spread of order $\sqrt{2/n}$ for
# $n$ units (the gain is an average over the layer's units), and over ten layers these
# errors compound. So a wider network should stray less. **Check 5** — He-initialised ReLU
# stacks of three widths, ten seeds each: the realised standard deviation of $\mathbf z_{10}$
# divided by the predicted $\sqrt 2$, and the spread of its logarithm over the seeds.

# %%
for width in (16, 64, 256):
    ratios = [
        ie.layer_profile(10, "relu", "he", width=width, seed=s)["z_std"][9] / np.sqrt(2) for s in range(10)
    ]
    print(
        f"width {width:3d}: std(z_10)/√2 per seed {np.round(ratios, 2)};  "
        f"spread of log {np.std(np.log(ratios)):.3f},  √(2/n) = {np.sqrt(2 / width):.3f}"
    )

# %% [markdown]
# Quadrupling the width halves $\sqrt{2/n}$, and the measured spread falls by about as much
# each time (the explorer below has a width slider to see it layer by layer). A width-4 layer, like the
# original's, has a spread of order 1: its start is a lottery.
#
# ## 5 · Fixing the original's stall, fairly
#
# Back to the $[2, 4, 3, 1]$ network on the original's circles, trained by full-batch gradient
# descent with correct gradients for 300 epochs. Does the σ = 0.1 start stall at *every*
# learning rate and from *every* seed, and how much better is He initialisation
# (`bp.MLP`'s default for ReLU layers)? To compare the two fairly we split the 1000 points
# into training (600), validation (200) and test (200) sets, give both initialisations the
# same budget, seeds 0–4 and the learning rates 0.3, 1 and 3, choose each one's rate on the
# validation set, and look at the test set once.

# %%
from backprop_course.datasets import stratified_split

train, val, test = stratified_split(y, [600, 200, 200], seed=0)  # index arrays, half of each class
X_train, X_val, X_test = X[train], X[val], X[test]
y_train, y_val, y_test = y[train], y[val], y[test]


def train_circles(init, lr, seed, epochs=300):
    """A fresh [2, 4, 3, 1] network with init "normal" (σ = 0.1) or "he", trained by bp.train."""
    net = bp.MLP([2, 4, 3, 1], ["relu", "relu", "sigmoid"], loss="bce", seed=seed, init=init)
    bp.train(net, X_train, y_train, lr, epochs)
    return net


rates, seeds = (0.3, 1.0, 3.0), range(5)
nets = {(init, lr, s): train_circles(init, lr, s) for init in ("normal", "he") for lr in rates for s in seeds}
chosen = {}
for init in ("normal", "he"):
    for lr in rates:
        val_loss = [nets[init, lr, s].loss(X_val, y_val) for s in seeds]
        val_acc = [np.mean(nets[init, lr, s].predict(X_val) == y_val[:, 0]) for s in seeds]
        print(
            f"{INIT_LABELS[init]:8s} lr {lr:3g}: validation loss {np.mean(val_loss):.4f} "
            f"(range {min(val_loss):.3f}–{max(val_loss):.3f}), accuracy per seed {np.round(val_acc, 3)}"
        )
    chosen[init] = min(rates, key=lambda lr: np.mean([nets[init, lr, s].loss(X_val, y_val) for s in seeds]))
print("chosen rates:", {INIT_LABELS[init]: lr for init, lr in chosen.items()})

# %% [markdown]
# The σ = 0.1 start does not stall at every rate, nor from every seed. At learning rate 1
# some of its seeds all but solve the problem on the validation set while others stay at or
# near chance; at 0.3 it has barely moved in 300 epochs, and at 3 every seed ends at 0.5.
# He initialisation is better at every rate, and at rate 1 four of its five seeds reach
# 0.98 or more; the fifth stays at chance — with three units in layer 2, a sensible scale is
# no guarantee (check 5: a narrow layer's start is a lottery). Both choose rate 1.
#
# The test set, once, at each initialisation's chosen rate:

# %%
for init, lr in chosen.items():
    test_acc = np.array([np.mean(nets[init, lr, s].predict(X_test) == y_test[:, 0]) for s in seeds])
    print(
        f"{INIT_LABELS[init]:8s} lr {lr:g}: test accuracy per seed {np.round(test_acc, 3)}; "
        f"mean {test_acc.mean():.3f}, ≥ 0.95 in {np.sum(test_acc >= 0.95)} of {len(test_acc)}"
    )

# %% [markdown]
# With the same budget and each at its chosen rate, the original's initialisation is not
# hopeless: some seeds learn the circles. But it makes learning a coin toss, and He
# initialisation wins it far more often. Five seeds give counts, not precise rates; the
# ranking, not the exact fraction, is what they support.
#
# ## 6 · Explorer: depth, width, initialisation, activation
#
# Choose the depth (1 to 30 hidden layers), the width of every hidden layer, the
# initialisation and the activation; the two panels show the spread of the activations and
# the gradient norm per hidden layer (log scales), recomputed from a fresh network (seed 0)
# in milliseconds.
#
# **Try:**
# 1. ReLU at depth 30 with σ = 0.1, Xavier and He: which keeps the activations' spread?
# 2. sigmoid at depth 30, under each initialisation: how small does ‖dW₁‖ get?
# 3. tanh with σ = 0.1 against Xavier, at depth 10;
# 4. ReLU with He at depth 30, widths 16 and 256: how far does the last layer stray?
#
# The answers, from the explorer's own function (`layer_profile`, seed 0): the spread of
# the activations at the first and last layer and the gradient norms there.

# %%
tries = [
    ("1", "relu", "normal", 30, 64),
    ("1", "relu", "xavier", 30, 64),
    ("1", "relu", "he", 30, 64),
    ("2", "sigmoid", "normal", 30, 64),
    ("2", "sigmoid", "xavier", 30, 64),
    ("2", "sigmoid", "he", 30, 64),
    ("3", "tanh", "normal", 10, 64),
    ("3", "tanh", "xavier", 10, 64),
    ("4", "relu", "he", 30, 16),
    ("4", "relu", "he", 30, 256),
]
print(f"   {'':26s} {'std a_1':>8s} {'std a_L':>9s} {'‖dW_1‖':>9s} {'‖dW_L‖':>9s}")
for number, act, init, depth, width in tries:
    p = ie.layer_profile(depth, act, init, width=width)
    name = f"{act}, {INIT_LABELS[init]}, {depth} × {width}"
    print(
        f"{number}. {name:26s} {p['a_std'][0]:8.3f} {p['a_std'][-1]:9.2e} {p['grad_norm'][0]:9.1e} {p['grad_norm'][-1]:9.1e}"
    )

# %% [markdown]
# 1. At depth 30, ReLU with σ = 0.1 keeps a spread only thanks to the biases' floor, and its
#    first layer's gradient is about a millionth of the last one's; with Xavier the
#    activations fade to almost nothing and so do all the gradients; with He the spread and
#    the gradients stay at one scale through all 30 layers.
# 2. Sigmoid at depth 30: the first layer's gradient is below $10^{-15}$ under every
#    initialisation — no start rescues it.
# 3. Tanh at depth 10: σ = 0.1's gradients are roughly a tenth of Xavier's at both ends.
# 4. He at depth 30: with 16 units per layer the last layer's spread strays far below the
#    first's, with 256 it stays the same order of magnitude (above it, for this seed) — the
#    lottery of check 5, compounded over 30 layers.
#
# The explorer opens on ReLU, σ = 0.1, depth 10, width 64; its curves are seed 0's lines of
# the figure in section 4 (right-hand column, circles), and this table shows them:

# %%
default = profiles[("relu", "normal")][0]
print("layer k      " + "".join(f"{k:>9d}" for k in range(1, 11)))
print("std of a_k   " + "".join(f"{v:9.4f}" for v in default["a_std"]))
print("‖dW_k‖       " + "".join(f"{v:9.1e}" for v in default["grad_norm"]))

# %% tags=["nbval-ignore-output"]
explorer = ie.initialization_explorer(depth=10, activation="relu", init="normal")
explorer

# %% [markdown]
# ## 7 · Exercises
#
# ### Exercise 1 — the backward variance, layer by layer
#
# A stack of $K$ layers has $n_1, \dots, n_K$ units, all weights have variance `var_w`, and
# every hidden activation has $\mathbb E[f'(z)^2]$ = `fprime2`. The gradient arriving at the top
# layer has $\mathrm{Var}(\mathrm dz_K)$ = `var_top`. Write
# `backward_variances(var_top, widths, var_w, fprime2)` returning
# $[\mathrm{Var}(\mathrm dz_1), \dots, \mathrm{Var}(\mathrm dz_K)]$ as an array of shape `(K,)`, with
# `widths` $= [n_1, \dots, n_K]$. Use section 3, and think about which width each step
# down uses. The check uses random widths (all different), variances and `fprime2`.


# %%
def backward_variances(var_top, widths, var_w, fprime2):
    """Predicted Var(dz_k) for k = 1..K, from Var(dz_K) = var_top at the top; array of shape (K,)."""
    ### BEGIN SOLUTION
    variances = [var_top]
    for n_above in reversed(widths[1:]):  # going from layer k to k − 1 sums over layer k's units
        variances.insert(0, fprime2 * n_above * var_w * variances[0])
    return np.array(variances)
    ### END SOLUTION


# %% points=2
check_backward_variances(backward_variances)
### BEGIN HIDDEN TESTS
hidden_tests(
    "coursework.grader.nb09_initialization_and_vanishing_gradients:check_backward_variances",
    backward_variances,
)
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


# %% points=2
check_relu_stack_variance(relu_stack_variance)
### BEGIN HIDDEN TESTS
hidden_tests(
    "coursework.grader.nb09_initialization_and_vanishing_gradients:check_relu_stack_variance",
    relu_stack_variance,
)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 3 — why the original's start stalls
#
# Answer in a few sentences in the cell below; it is read and graded by hand (2 points). Explain
# with variance propagation (section 2) why the original's $\mathcal N(0, 0.1^2)$ start leaves its
# $[2, 4, 3, 1]$ ReLU network near 50 %, although its gradients are correct (section 1). Which
# variance of the weights would keep the input's signal from layer to layer instead, and why?

# %% [markdown] written="why_small_init_stalls" points=2
# **Model answer.** A ReLU layer multiplies the variance of the signal it receives by
# $\tfrac12 n\,\mathrm{Var}(w)$; with $n = 4$ and $\mathrm{Var}(w) = 0.01$ that is 0.02 (section 2),
# so after a layer the part of $z$ that depends on the input is tiny next to the biases
# (section 1 measured it below 0.005, against biases 0.01 to 0.12 away from 0). Each unit of
# layer 2 then has the same sign for every sample: dead (ReLU′ = 0, so no gradient reaches its
# weights) or always on (a linear unit). A network whose hidden units are dead or linear cannot
# bend its decision boundary around a circle, and the gradients that do flow are products of
# small weights, tiny; so the correct gradient descent stays at the 50 % of a constant guess.
# He's variance $\mathrm{Var}(w) = 2/n_{k-1}$ makes the gain $\tfrac12 n_{k-1}\mathrm{Var}(w)$
# exactly 1, so the signal keeps its scale from layer to layer (in expectation).
#
# **Rubric.**
# - 2: the variance gain ½·n·Var(w) far below 1 (0.02) drowning the input's signal in the biases,
#   with its consequence (units dead or linear for every sample, no bent boundary); and He's
#   Var(w) = 2/n_(k−1), which makes that gain 1
# - 1: one of the two
# - 0: neither, or blames the gradients or the learning rate

# %% [markdown]
# ## Summary
#
# - For $z_i = \sum_j a_j w_{ji}$ with independent zero-mean weights,
#   $\mathrm{Var}(z) = n_{k-1}\mathrm{Var}(w)\,\mathbb E[a^2]$ going forward and
#   $\mathrm{Var}(\mathrm da) = n_k\mathrm{Var}(w)\,\mathbb E[\mathrm dz^2]$ going back, then
#   $\times\,\mathbb E[f'(z)^2]$ through the activation: ½ for ReLU, at most $\frac1{16}$ for the
#   sigmoid, both measured.
# - He initialisation, $\mathrm{Var}(w) = 2/n_{k-1}$, keeps ReLU activations at one scale in
#   expectation; Xavier, $2/(n_{k-1}+n_k)$, does the same for tanh in both directions. No
#   initialisation saves a deep sigmoid stack from vanishing gradients. A single network
#   strays from the expectation, the less the wider its layers.
# - The original's $\mathcal N(0, 0.1^2)$ start gives its width-4 layer 2 a variance gain of
#   0.02: the input's signal is drowned by the biases, units die, and the correct gradients
#   are tiny. Over five seeds, each at its best learning rate, that start learns the circles
#   from some seeds and not from others; He initialisation from far more of them.
# - `backprop_course.layer_stats` measures per-layer statistics (`layer_statistics`,
#   `active_fraction`) of any `MLP`; `deep_mlp` builds the deep stacks used here.
#
# ## Think
#
# 1. Check 3 assumed $\mathrm da_j$ and $z_j$ independent. In a trained network they are not.
#    Why does the assumption hold at initialisation, and what breaks it later?
# 2. He initialisation uses the fan-in; a He "fan-out" variant keeps the backward variance
#    instead. For a layer of 784 inputs and 10 outputs, how different are the two, and which
#    signal would each protect?
# 3. Section 5 chose each initialisation's learning rate on the validation set, and both
#    chose 1. Would fixing the rate at 1 in advance have been just as fair? What if σ = 0.1
#    had needed a rate outside the grid?

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
# Notebook 04 turned the chain rule into four matrix formulas per layer. Here we read the code
# that `backprop_lib` built from them, **its real source, line by line**, against those
# formulas. Then we sharpen the one tool that keeps such code honest, the gradient check, and
# go bug hunting: every formula erratum of the tutorial this series grew from is injected into
# correct code, one at a time, and we watch the check catch it (or, in one instructive case,
# fail to). At the end you assemble a whole backward pass yourself.
#
# **After this notebook you can**
#
# - define the ReLU activation and its derivative, and say what happens at its kink;
# - read `backprop_lib`'s `Dense` and `MLP` (forward, backward, update) against the equations;
# - read a gradient-check report (relative error, scale, cosine) and say what a relative error
#   of $10^{-9}$, $10^{-5}$ or $0.33$ means;
# - recognise a bug from the *pattern* of a failed check, and know what a check cannot see;
# - write the backward pass of a whole network from the four formulas.
#
# **Prerequisites.** Notebook 03 (central differences, the relative error) and notebook 04
# (the four formulas, binary cross-entropy and its fused gradient).
#
# **Time.** Our estimate: 60 minutes, plus 40 for the exercises.

# %% locked="setup"
import numpy as np
from IPython.display import display

import backprop_lib as bp
from backprop_course.errata import bug_hunt_data, bug_hunt_network
from backprop_course.exercises import hidden_tests
from backprop_course.exercises.nb05_implementing_backprop import check_backward_pass, check_central_difference
from backprop_course.explorers import nb05_implementing_backprop as ib
from backprop_course.original import effective_learning_rates, make_original_data, original_network

X_all, y_all = make_original_data()  # the original's two circles: X (1000, 2), y (1000, 1)
X, y = X_all[:8], y_all[:8]  # a small batch
print(X.shape, y.shape)

# %% [markdown]
# ## 1 · One more activation: ReLU
#
# The original tutorial's network, which notebook 06 trains, uses the **rectified linear unit**
# in its hidden layers:
#
# $$\mathrm{ReLU}(z) = \max(0, z), \qquad
#   \mathrm{ReLU}'(z) = \begin{cases} 1 & z > 0 \\ 0 & z < 0 \end{cases}$$
#
# It passes positive inputs through unchanged and silences negative ones. At $z = 0$ the graph
# has a **kink**: the slope jumps from 0 to 1, and there is no derivative. Code must still
# return a number there; `backprop_lib`, like most libraries, takes $\mathrm{ReLU}'(0) = 0$.
# A central difference that straddles the kink sees half of each slope:

# %%
relu = bp.ReLU()
z_probe = np.array([-1.0, -1e-3, 0.0, 1e-3, 2.0])
numeric = bp.numerical_gradient(lambda: np.sum(relu.forward(z_probe)), z_probe)
print("      z    ReLU(z)   ReLU'(z), library   central difference")
for z_value, slope, estimate in zip(z_probe, relu.derivative(z_probe), numeric):
    print(f"{z_value:7.3f}   {max(z_value, 0.0):7.3f}   {slope:17.1f}   {estimate:18.3f}")

# %% [markdown]
# Away from the kink the two agree; at $z = 0$ the central difference averages the slopes 0
# and 1. Section 3 shows what that does to a gradient check. In the backward pass a ReLU
# layer needs no multiplication: $d\mathbf z = d\mathbf a \odot \mathrm{ReLU}'(\mathbf z)$
# keeps $d\mathbf a$ where the unit was active and zeroes it elsewhere. The library's code:

# %%
display(ib.source_walk(bp.ReLU.derivative))
display(ib.source_walk(bp.ReLU.backward))

# %% [markdown]
# ## 2 · The library's code against the equations
#
# `inspect.getsource` shows the source of a function as Python loaded it: the code that runs,
# not a copy in a notebook. The tables below are built that way; each line that computes an
# equation of notebook 04 has that equation beside it. First one layer, `bp.Dense`:
# `apply` computes the forward pass of a layer without keeping anything, `forward` keeps what
# the backward pass will need.

# %%
display(ib.source_walk(bp.Dense.apply))
display(ib.source_walk(bp.Dense.forward))

# %% [markdown]
# The backward pass of a layer is the four formulas. `backward` takes $d\mathbf a^{(k)}$ and
# applies the activation's derivative; `backward_from_dz` does the rest, starting from
# $d\mathbf z^{(k)}$, and hands $d\mathbf a^{(k-1)}$ down. The first layer skips that last
# product: nothing needs $\partial L/\partial \mathbf X$.

# %%
display(ib.source_walk(bp.Dense.backward))
display(ib.source_walk(bp.Dense.backward_from_dz))

# %% [markdown]
# Where is the $1/n$? Not in these lines: notebook 04 showed it arrives with the first
# $d\mathbf a^{(K)}$ (or $d\mathbf z^{(K)}$) and rides down inside every $d\mathbf z$, which
# is why both $d\mathbf W$ and $d\mathbf b$ simply *sum* over the rows. The network starts the
# backward pass at the loss, with the fused $(\hat{\mathbf y} - \mathbf y)/n$ of notebook 04
# when a sigmoid output meets binary cross-entropy, and walks the layers from the top:

# %%
display(ib.source_walk(bp.BinaryCrossEntropy.fused_dz))
display(ib.source_walk(bp.MLP.forward))
display(ib.source_walk(bp.MLP.backward))

# %% [markdown]
# Last, gradient descent (notebook 02, section 9): every parameter steps against its gradient.
# `update` builds all the new arrays first and swaps them in together; if any value would be
# infinite or NaN, it refuses and leaves the network as it was.

# %%
display(ib.source_walk(bp.MLP.update))

# %% [markdown]
# Every computing line of the library is one line of the maths. That is necessary, but it is
# not proof: a derivation can be wrong in exactly the same way as the code that follows it.
# For proof we need an independent witness.
#
# ## 3 · Gradient checking as a working tool
#
# The witness is the central difference of notebooks 01 and 03: it knows nothing about
# back-propagation, so agreement is evidence. `bp.check_network` compares every parameter's
# analytic gradient $\mathbf g_a$ with its central differences $\mathbf g_n$ by the relative
# error $r = \lVert\mathbf g_a - \mathbf g_n\rVert / (\lVert\mathbf g_a\rVert + \lVert\mathbf g_n\rVert)$,
# which is 0 for equal arrays, 1 for opposite ones, and does not care whether the gradients
# are large or small. On the original's network shape, with all 1000 circles:

# %%
net = bp.MLP([2, 4, 3, 1], ["relu", "relu", "sigmoid"], loss="bce", seed=0)
for name, r in bp.check_network(net, X_all, y_all).items():
    print(f"{name}: relative error {'below 1e-7  ✓' if r < bp.TOLERANCE else f'{r:.3g}  ✗'}")

# %% [markdown]
# ### What a threshold means
#
# Why $10^{-7}$? Two errors compete in a central difference with step $\varepsilon$.
# **Truncation** shrinks like $\varepsilon^2$ (the next Taylor term, $\varepsilon^2 L'''/6$);
# **rounding** grows like $\epsilon_{\text{mach}}/\varepsilon$, because the loss is known only
# to the relative precision $\epsilon_{\text{mach}}$ of float64 (printed below) and we divide
# by $2\varepsilon$. Their sum is smallest for an
# $\varepsilon$ in between, and that is where a correct gradient gives its smallest relative
# error. The figure sweeps $\varepsilon$ for $\mathbf W^{(1)}$ of two networks on 100 circles:
# a smooth one (tanh) and ours (ReLU). Read the minimum of each curve off the figure. The ReLU
# curve jumps up for large $\varepsilon$: a step that large moves some $z$ across the kink at
# 0, and the central difference averages two slopes, as in section 1.

# %%
print(f"machine epsilon of float64: {np.finfo(float).eps:.2e}")

# %% tags=["nbval-ignore-output"]
ib.eps_sweep_figure(X_all[:100], y_all[:100])

# %% [markdown]
# A working scale for float64 with the library's $\varepsilon = 10^{-6}$:
#
# | relative error | reading |
# |---|---|
# | below $10^{-7}$ | correct (this series' pass line) |
# | $10^{-7}$ to $10^{-4}$ | look closer: a kink (ReLU) within $\varepsilon$, a badly scaled loss (a *sum* over many samples is known to fewer digits), or a subtle bug in a few entries |
# | above $10^{-4}$ | a bug, and the exact value is a clue |
#
# The clue: if the analytic gradient is off by a constant factor $c$,
# $\mathbf g_a = c\,\mathbf g_n$, then $r = |c-1|\,\lVert\mathbf g_n\rVert / \big((|c|+1)\lVert\mathbf g_n\rVert\big)
# = |c-1|/(|c|+1)$, whatever $\mathbf g_n$ is. Check the formula against `bp.rel_error` on a
# random gradient:

# %%
g = np.random.default_rng(0).normal(size=(4, 3))
print("    c   |c−1|/(|c|+1)   bp.rel_error(c·g, g)")
for c in [2, 4, 0.5, -1, 20, 1000]:
    print(f"{c:>5}   {abs(c - 1) / (abs(c) + 1):13.6f}   {bp.rel_error(c * g, g):20.6f}")

# %% [markdown]
# A factor 2 gives $r = 1/3$, a factor 4 gives $0.6$, a sign error gives exactly $1$, and a
# factor $n$ gives $(n-1)/(n+1)$, close to 1. The reports below therefore also print the
# **scale** $c'$ with $\mathbf g_n \approx c'\,\mathbf g_a$ (least squares) and the **cosine**
# between the two arrays: a cosine of $+1$ with a scale $\neq 1$ means "right direction, wrong
# size"; any other cosine means the direction is wrong.
#
# ## 4 · The bug hunt
#
# The tutorial this series started from has five errata in its formulas and code (the table
# in notebook 00): a sigmoid derivative with a stray factor 2, a weight gradient written with
# the wrong activation, a dropped minus sign, a loss divided along the wrong axis, and weight
# and bias gradients of different losses. We inject each one, alone, into the library's
# correct network (`backprop_course.errata.with_errata` swaps in a sigmoid, a layer or a loss
# that carries the erratum) and run the check.
#
# So that every erratum has a place to live, the test network is $3 \to 3 \to 3 \to 3$ with
# ReLU, sigmoid, sigmoid and the squared error $L = \frac1n\sum_s\sum_i (y_{si}-\hat y_{si})^2$
# on 20 random samples: the sigmoids host erratum 1, the square weight matrices let erratum 2
# run without a shape error, and the squared error hosts erratum 3. First, the correct code:

# %%
Xb, yb = bug_hunt_data()
print(bug_hunt_network(), " X", Xb.shape, " y", yb.shape)
print(bp.format_report(bp.gradient_report(bug_hunt_network(), Xb, yb)))

# %% [markdown]
# ### [Erratum 1](00_start_here.ipynb#Errata-of-the-original-tutorial) · the sigmoid derivative ×2
#
# The original's `dsigmoid` returned $2\sigma(z)(1-\sigma(z))$ (notebook 03, section 2). Every
# $d\mathbf z$ computed through a sigmoid is doubled, and the doubling is passed down to every
# layer below.

# %%
print(bp.format_report(bp.gradient_report(bug_hunt_network([1]), Xb, yb)))

# %% [markdown]
# The pattern is the diagnosis: cosine $+1$ everywhere (the direction is right) and a
# scale of $\tfrac12$ for layer 3 (one sigmoid between it and the loss) and
# $\tfrac14$ for layers 1 and 2 (two sigmoids). Relative errors $1/3$ and $0.6$, as the
# formula of section 3 predicts.
#
# ### [Erratum 2](00_start_here.ipynb#Errata-of-the-original-tutorial) · dW with the wrong activation
#
# The tutorial's matrix section writes $\partial L/\partial\mathbf W^{(k)}$ with
# $\mathbf a^{(k)}$, the layer's own output, where the layer's *input* $\mathbf a^{(k-1)}$
# belongs (notebook 04's explorer shows it failing in all three ways). With square layers the
# shapes agree by accident, and only the numbers can tell:

# %%
print(bp.format_report(bp.gradient_report(bug_hunt_network([2]), Xb, yb)))

# %% [markdown]
# No single factor this time: the cosines are neither $+1$ nor $-1$, the direction itself is
# wrong. The biases pass, because $d\mathbf b^{(k)}$ never involves an activation.
#
# ### [Erratum 3](00_start_here.ipynb#Errata-of-the-original-tutorial) · the dropped minus sign
#
# For $L = \sum_i (y_i-\hat y_i)^2$ the tutorial wrote $\partial L/\partial\hat y_i = 2(y_i-\hat y_i)$
# (notebook 03, section 1). Every gradient flips:

# %%
print(bp.format_report(bp.gradient_report(bug_hunt_network([3]), Xb, yb)))

# %% [markdown]
# Relative error exactly 1 and cosine $-1$: the textbook signature of a sign error.
# Training with it is gradient *ascent*.
#
# ### [Erratum 4](00_start_here.ipynb#Errata-of-the-original-tutorial) · the loss divided by the wrong axis
#
# The original's `cross_entropy` divides by `y.shape[1]`, the number of outputs, where its
# docstring promises an average over the samples, `y.shape[0]` (notebook 04, section 4). Its
# backward pass has no $1/n$ either, so loss and gradient belong together. Injected that way
# (the loss and its gradient both divided by the 3 outputs instead of the 20 samples):

# %%
print(bp.format_report(bp.gradient_report(bug_hunt_network([4]), Xb, yb)))

# %% [markdown]
# Every parameter passes. Loss and gradient are both $20/3$ times those of the mean (the ratio
# of the losses is printed below), and they agree with each other, which is all a gradient
# check can ask. What the erratum changes is
# the size of every step: a learning rate $\eta$ acts as $\tfrac{20}{3}\eta$ on the mean loss.
# We come back to this below, on the original's own network.

# %%
print(
    f"loss with erratum 4 / loss without: {bug_hunt_network([4]).loss(Xb, yb) / bug_hunt_network().loss(Xb, yb):.4f}"
)

# %% [markdown]
#
# ### [Erratum 5](00_start_here.ipynb#Errata-of-the-original-tutorial) · dW summed, db averaged
#
# The original sums $d\mathbf W$ over the batch (through the matrix product) but takes the
# *mean* of $d\mathbf z$ for $d\mathbf b$ (notebook 04, section 3). Injected here (our
# $d\mathbf z$ already carries the $1/n$), the biases get $1/n$ of their gradient:

# %%
print(bp.format_report(bp.gradient_report(bug_hunt_network([5]), Xb, yb)))

# %% [markdown]
# Only the biases fail, each by the factor $n = 20$ (the scale column); the weights pass. A
# check that tested only $\mathbf W$, or only the whole gradient vector where the biases are a
# few entries among many, could miss it.
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
    print(bp.format_report(bp.gradient_report(original_network(errata), X_all, y_all, eps=1e-5)))

# %% [markdown]
# With all three errata every parameter fails. The weights are off by the factor 2 of
# erratum 1 (scale ½). The biases are off by a factor 500: the loss is a sum over 1000 samples
# (erratum 4), so its true bias gradient is 1000 times the batch *mean* that `db` computes
# (erratum 5), and `db` also carries the factor 2 of erratum 1: $1000/2 = 500$.
# Fix erratum 1 and the weights pass; fix erratum 5 as well and **everything passes, although
# erratum 4 is still there.** The original's backward pass has no $1/n$ anywhere, so it is the
# exact gradient of the *summed* loss its `cross_entropy` really computes. Loss and gradient
# are wrong *consistently*, and a consistency check cannot object.
#
# The price is paid elsewhere: the gradient of a sum is $n = 1000$ times the gradient of the
# mean, so the original's learning rate of 0.005 on the sum is a learning rate 1000 times larger
# on the mean (`effective_learning_rates` below: weights and biases, with erratum 4 alone).
# Notebook 06 shows what the three errata together did to the original training run. Other things no gradient check sees:
# a wrong *choice* of loss, a wrong sign in the **update** (the check never calls `update`),
# a learning rate, bad data.
#
# %%
print("learning rates on the mean loss (η_W, η_b), erratum 4 alone:", effective_learning_rates((4,)))

# %% [markdown]
# | erratum | caught by the check? | signature |
# |---|---|---|
# | 1 · σ′ × 2 | yes | cosine +1, scale ½ per sigmoid on the path |
# | 2 · dW with $\mathbf a^{(k)}$ | yes (shape error, or values) | wrong shape, or cosine ≠ ±1; biases pass |
# | 3 · dropped minus | yes | relative error 1, cosine −1 |
# | 4 · loss ÷ outputs | no: loss and gradient are scaled together, as in the original code | every step $n/n_{\text{out}}$ times larger |
# | 5 · db mean, dW sum | yes, on the biases only | biases off by $n$, weights pass |
#
# ## 5 · Explorer: analytic against numeric, entry by entry
#
# Choose an erratum to inject, a layer and W or b. The scatter plot puts every entry's
# analytic gradient on the horizontal axis and its central difference on the vertical one:
# a correct gradient lies on the dashed diagonal, erratum 1 on a line of slope ½ or ¼,
# erratum 3 on slope −1, erratum 5 (biases) on slope 20. The table lists the entries with
# their ratio. First the static overview for layer 1 under every choice ($\mathbf b^{(1)}$
# for erratum 5, where only the biases fail), for readers without a kernel:

# %% tags=["nbval-ignore-output"]
ib.overview_figure()

# %% tags=["nbval-ignore-output"]
ib.gradcheck_explorer(bug=1, layer=1, param="W")

# %% [markdown]
# ## 6 · Exercises
#
# ### Exercise 1 · the whole backward pass
#
# Assemble the backward pass of a whole network from the four formulas. The network's output
# layer is a **tanh**, and its loss has the factor ½ that many texts use:
#
# $$L = \frac{1}{2n}\sum_{s=1}^{n}\sum_i \big(y_{si} - \hat y_{si}\big)^2 .$$
#
# Deriving $\partial L/\partial \hat{\mathbf y}$ of this loss is part of the exercise. Write
# `backward_pass(y, layers)`: `y` has shape `(n, n_K)`; `layers` is a list with one dict per
# layer, layer 1 first, holding what its forward pass kept:
# `"a_prev"` $(n, n_{k-1})$, `"z"` and `"a"` $(n, n_k)$, `"W"` $(n_{k-1}, n_k)$ and
# `"fprime"`, the derivative $f_k'$ of its activation as a function of an array. Return the
# list of `(dW, db)` per layer, layer 1 first, with `dW` of `W`'s shape and `db` of shape
# $(1, n_k)$. The check builds networks of several shapes (one with a square layer) and names
# the usual mistakes: the ½, the $1/n$, a forgotten $f'$, a missing transpose, a mean for
# `db`, the list in the wrong order. Graded in two parts: the output layer's `(dW, db)`, and
# the hidden layers', judged on your own output layer, so that a slip in
# $\partial L/\partial \hat{\mathbf y}$ costs only the first.


# %%
def backward_pass(y, layers):
    """[(dW, db)] of every layer, layer 1 first, for a tanh output and L = Σ (y − ŷ)² / 2n."""
    ### BEGIN SOLUTION
    yhat = layers[-1]["a"]
    da = (yhat - y) / len(y)  # ∂L/∂ŷ: the ½ cancels the 2 of the square, 1/n from the mean
    grads = []
    for layer in reversed(layers):
        dz = da * layer["fprime"](layer["z"])  # dz = da ⊙ f'(z)
        grads.append((layer["a_prev"].T @ dz, dz.sum(axis=0, keepdims=True)))
        da = dz @ layer["W"].T  # da_prev = dz Wᵀ
    return grads[::-1]
    ### END SOLUTION


# %% points=2
check_backward_pass(backward_pass, part="output")
### BEGIN HIDDEN TESTS
hidden_tests("coursework.grader.nb05_implementing_backprop:check_backward_pass", backward_pass, part="output")
### END HIDDEN TESTS


# %% points=2
check_backward_pass(backward_pass, part="hidden")
### BEGIN HIDDEN TESTS
hidden_tests("coursework.grader.nb05_implementing_backprop:check_backward_pass", backward_pass, part="hidden")
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


# %% points=2
check_central_difference(central_difference)
### BEGIN HIDDEN TESTS
hidden_tests("coursework.grader.nb05_implementing_backprop:check_central_difference", central_difference)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 3 · what a gradient check cannot see
#
# Answer in a few sentences in the cell below; it is read and graded by hand (2 points).
# Section 4 found that the original's network passes the gradient check once errata 1 and 5
# are fixed, although erratum 4 is still there. Why can a gradient check not catch erratum 4?
# Propose a check that would.

# %% [markdown] written="why_gradient_check_misses_erratum_4" points=2
# **Model answer.** A gradient check compares the backward pass with central differences of
# the loss the code *reports*. With erratum 4 the reported loss is a sum over the 1000 samples,
# not a mean, and the original's backward pass has no $1/n$ anywhere: it is exactly the
# gradient of that sum. Loss and gradient are wrong together, consistently, so they agree and
# the relative error stays tiny; the damage is a step $n$ times larger than intended. A check
# of the loss itself catches it: a mean does not change when the batch is duplicated (the
# sum doubles), and a network that outputs $\hat y = \tfrac12$ for every sample must report
# $\ln 2$ per output, not $n \ln 2$ (notebook 04's 693.6 for 1000 samples).
#
# **Rubric.**
# - 2: the check only tests that the gradient fits the reported loss, and both are those of the
#   sum (consistent); and a check that would catch it, on the loss's scale (duplicated batch,
#   a known value such as ln 2, a batch of one against the mean of its samples)
# - 1: one of the two
# - 0: neither, or claims that the gradient check should have failed

# %% [markdown]
# ## Summary
#
# - $\mathrm{ReLU}(z) = \max(0, z)$ has slope 1 above 0 and 0 below; at the kink the library
#   takes 0, and a central difference across the kink sees ½.
# - `backprop_lib`'s `Dense` and `MLP` are notebook 04's formulas line for line, as their own
#   source shows: $d\mathbf z = d\mathbf a\odot f'(\mathbf z)$,
#   $d\mathbf W = \mathbf a^{(k-1)\top}d\mathbf z$, $d\mathbf b = \sum_{\text{rows}} d\mathbf z$,
#   $d\mathbf a^{(k-1)} = d\mathbf z\,\mathbf W^\top$, with the $1/n$ of the mean loss inside
#   $d\mathbf z$, and the update $\theta \leftarrow \theta - \eta\, d\theta$.
# - A gradient check compares the backward pass with central differences of the reported loss.
#   A correct gradient gives a relative error below $10^{-7}$ in float64; kinks and badly
#   scaled losses push it up; a bug gives a relative error of order 1, and the scale and cosine
#   say which kind of bug.
# - Errata 1, 2, 3 and 5 are each caught, with signatures ½ (per sigmoid), wrong direction,
#   −1 and "biases only, ×n". Erratum 4 is not: loss and gradient agree, on the *sum*, and the
#   damage is a learning rate 1000 times larger than intended. That is the story of notebook 06.
#
# ## Think
#
# 1. A gradient check passes on a batch where no ReLU input is near 0, and fails on another.
#    Is the backward pass wrong? How would you tell?
# 2. Why does a bug that affects only the biases (erratum 5) hide more easily in a check of the
#    whole gradient vector than in a check per parameter array?
# 3. The check never calls `update`. Write down a bug in `update` that no gradient check can
#    catch, and a test that would catch it.

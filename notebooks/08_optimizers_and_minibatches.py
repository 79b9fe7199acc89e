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
# # 08 · Optimisers and mini-batches
#
# Back-propagation gives the gradient; an *optimiser* decides what to do with it. So far
# almost every network in this series took plain gradient-descent steps,
# $\boldsymbol\theta \leftarrow \boldsymbol\theta - \eta\,\mathbf g$. This notebook derives three
# improvements used in practice — mini-batches, momentum and Adam — checks each derivation
# against a closed form or a measurement, and compares them on one task: the same budget for
# every method, three random seeds, learning rates chosen on a validation set, and the test set
# looked at once.
#
# **After this notebook you can**
# - show by sampling that the gradient of a random mini-batch is an unbiased estimate of the
#   full gradient, and say how its noise shrinks with the batch size;
# - write the momentum, Nesterov and Adam update rules, and say what momentum's velocity and
#   Adam's bias correction are for;
# - predict, on a quadratic, how fast gradient descent and momentum converge;
# - compare optimisers fairly: same start and batches per seed, several seeds, each method at
#   its own learning rate chosen on validation data.
#
# **Before this notebook:** 05–07 (the `MLP` class, `bp.train`, mini-batches and a validation
# split in 07). **Time:** about 90 minutes, 30 of them for the exercises.
#
# Notation: $\boldsymbol\theta$ is any parameter array (a $\mathbf W_k$ or a $\mathbf b_k$),
# $\mathbf g_t$ the gradient used at step $t = 1, 2, \dots$, $\eta$ the learning rate (`lr` in
# code). All operations on arrays are elementwise.

# %% locked="setup"
import inspect

import numpy as np
from IPython.display import Code

from backprop_course.exercises import hidden_tests
from backprop_course.exercises.nb08_optimizers_and_minibatches import check_adam_step, check_nesterov_matrix
from backprop_course.explorers import nb08_optimizers_and_minibatches as oe
from backprop_course.explorers.nb08_optimizers_and_minibatches import (
    quadratic_figure,
    quadratic_loss,
    quadratic_path,
)
from backprop_lib import SGD, Adam, Momentum, minibatches
from backprop_lib.optimizers import adam_update, momentum_update

X, y = oe.two_circles()  # 300 training points of scikit-learn's two circles: X (300, 2), y (300, 1)
X_val, y_val = oe.two_circles(200, seed=oe.VALIDATION_SEED)  # 200 more, for choosing settings
X_test, y_test = oe.two_circles(200, seed=oe.TEST_SEED)  # 200 more, looked at once, at the end
net = oe.comparison_net(seed=0)
print(X.shape, X_val.shape, X_test.shape, net)

# %% [markdown]
# ## 1 · Mini-batches
#
# The loss is a mean over the $n$ training samples, $L = \frac1n\sum_{s=1}^{n}\ell_s$, so its
# gradient is the mean of the per-sample gradients $\mathbf g_s = \nabla\ell_s$:
# $\nabla L = \frac1n \sum_{s=1}^{n}\mathbf g_s$. A full-batch step touches every sample to move
# once. A **mini-batch** $B$ of $|B|$ samples gives the estimate
#
# $$
# \hat{\mathbf g}_B = \frac1{|B|}\sum_{s\in B}\mathbf g_s ,
# $$
#
# which is the gradient of the mean loss over the batch — exactly what `net.backward`
# computes when we pass it the batch. One **epoch** shuffles the samples, cuts them into
# batches of `batch_size` (the last one may be smaller) and takes one step per batch:
# $\lceil n/|B|\rceil$ steps for the price of one full-batch gradient.

# %%
rng = np.random.default_rng(0)
batches = list(minibatches(X, y, batch_size=32, rng=rng))
print("batch sizes:", [len(X_batch) for X_batch, _ in batches])
print(
    "every sample exactly once:",
    np.array_equal(np.sort(np.concatenate([X_batch[:, 0] for X_batch, _ in batches])), np.sort(X[:, 0])),
)

# %% [markdown]
# **Check 1 — the batches of one epoch add up to the full gradient.** The batches partition
# the samples, so weighting each batch gradient by its share of the data gives back the
# full gradient exactly:
# $\sum_{B} \frac{|B|}{n}\,\hat{\mathbf g}_B = \frac1n\sum_{B}\sum_{s\in B}\mathbf g_s = \nabla L$.


# %%
def gradient_vector(net, X_part, y_part):
    """All parameter gradients of the mean loss on (X_part, y_part), as one flat vector."""
    net.forward(X_part)
    net.backward(y_part)
    return np.concatenate([g.ravel() for _, g in net.gradients()])


full = gradient_vector(net, X, y)
weighted = sum(len(X_b) / len(X) * gradient_vector(net, X_b, y_b) for X_b, y_b in batches)
print(
    f"{full.size} gradient entries; max |weighted batch sum − full gradient| < 1e-15:",
    bool(np.max(np.abs(weighted - full)) < 1e-15),
)

# %% [markdown]
# That is an identity of one epoch's partition; it says nothing yet about a *random* batch.
#
# **Check 2 — the noise of a batch.** A batch drawn at random (without replacement) is a
# sample mean from a finite population. Its spread follows from the variance of such a mean:
# with $\sigma^2 = \frac1n\sum_{s=1}^n \lVert\mathbf g_s - \nabla L\rVert^2$,
#
# $$
# \mathbb E\,\lVert\hat{\mathbf g}_B - \nabla L\rVert^2 = \frac{\sigma^2}{|B|}\cdot\frac{n-|B|}{n-1}.
# $$
#
# The first factor alone would make four times the batch halve the noise's standard
# deviation. The second, the finite-population correction, is close to 1 only while
# $|B| \ll n$; it vanishes for the full batch ($|B| = n$), which has no noise at all. We
# measure $\sigma^2$ from the 300 per-sample gradients, then draw 400 random batches of each
# size and compare; the last column is the ratio of standard deviations from one size to
# the next.

# %%
per_sample = np.array([gradient_vector(net, X[s : s + 1], y[s : s + 1]) for s in range(len(X))])
sigma2 = np.mean(np.sum((per_sample - full) ** 2, axis=1))
n = len(X)


def predicted_noise(size):
    return sigma2 / size * (n - size) / (n - 1)


print(f"σ² = {sigma2:.6f}")
print(
    f"{'|B|':>5} {'measured':>10} {'predicted':>10} {'ratio':>6}   std ratio to the previous size: measured / predicted"
)
previous = None
for size in (8, 32, 128):
    draws = [rng.choice(n, size=size, replace=False) for _ in range(400)]
    measured = np.mean([np.sum((gradient_vector(net, X[idx], y[idx]) - full) ** 2) for idx in draws])
    line = f"{size:5d} {measured:10.6f} {predicted_noise(size):10.6f} {measured / predicted_noise(size):6.2f}"
    if previous is not None:
        ratio_measured = np.sqrt(previous[1] / measured)
        ratio_predicted = np.sqrt(predicted_noise(previous[0]) / predicted_noise(size))
        line += f"   {ratio_measured:.2f} / {ratio_predicted:.2f}"
    print(line)
    previous = (size, measured)

# %% [markdown]
# The measured noise matches the formula to within the sampling error of 400 draws, and so
# do the ratios: from 8 to 32 samples the standard deviation falls by a little more than
# 2, from 32 to 128 (almost half the data) by clearly more, as the correction predicts.
#
# **Check 3 — unbiased: the average of many random batches is the full gradient.** Check 2
# measured the spread around $\nabla L$; it would look the same around a wrong centre. The
# claim $\mathbb E[\hat{\mathbf g}_B] = \nabla L$ is tested by averaging $M$ independent batch
# gradients: if it holds, the error of the average is pure noise and shrinks like $1/M$,
# $\mathbb E\lVert\bar{\mathbf g}_M - \nabla L\rVert^2 = \frac{1}{M}\,\mathbb E\lVert\hat{\mathbf g}_B - \nabla L\rVert^2$.
# A biased estimate stops improving at its bias. Two thousand random batches, cut into
# groups of $M$, give many averages of each size. For contrast, the last column averages a
# typical slip, each batch's *sum* of gradients divided by $n$ instead of $|B|$, whose mean
# is $\frac{|B|}{n}\nabla L$: its squared error can fall no lower than
# $(1 - |B|/n)^2\lVert\nabla L\rVert^2$.

# %%
size, total = 8, 2000
draws = [rng.choice(n, size=size, replace=False) for _ in range(total)]
batch_gradients = np.array([gradient_vector(net, X[idx], y[idx]) for idx in draws])  # (2000, 105)
floor = (1 - size / n) ** 2 * np.sum(full**2)
print(f"{total} random batches of {size}, cut into groups of M; squared error of each group's average,")
print("averaged over the groups:")
print(f"{'M':>6} {'groups':>7} {'batch gradients':>16} {'predicted':>10} {'sum / n instead':>16}")
for M in (5, 50, 500):
    averages = batch_gradients.reshape(total // M, M, -1).mean(axis=1)  # one row per group
    error = np.mean(np.sum((averages - full) ** 2, axis=1))
    slip = np.mean(np.sum((size / n * averages - full) ** 2, axis=1))  # each batch's sum divided by n
    print(f"{M:6d} {total // M:7d} {error:16.6f} {predicted_noise(size) / M:10.6f} {slip:16.6f}")
print(f"the slip's floor (1 − |B|/n)²‖∇L‖² = {floor:.6f}")

# %% [markdown]
# The error of the averaged batch gradients follows the prediction for pure noise, falling
# roughly tenfold with every tenfold $M$ (the last row averages only four groups, so it
# scatters most): no bias shows, down to a small fraction of one batch's error. The slip's
# error sits at its floor whatever $M$.
#
# Small batches buy many cheap, noisy steps; large batches fewer, accurate ones. The noise
# also means the loss of mini-batch SGD does not fall at every step, and the learning rate
# has to be small enough for the noise, not only for the curvature.
#
# ## 2 · Gradient descent and momentum on a quadratic
#
# Near a minimum every smooth loss looks like a quadratic, and on a quadratic every
# optimiser here can be solved by hand. Take one parameter and
# $f(\theta) = \tfrac12 h\theta^2$ with curvature $h > 0$, so $g = h\theta$. Gradient descent
# multiplies $\theta$ by the same factor at every step:
#
# $$
# \theta_t = \theta_{t-1} - \eta h\,\theta_{t-1} = (1 - \eta h)\,\theta_{t-1}
# \quad\Longrightarrow\quad \theta_t = (1-\eta h)^t\,\theta_0 ,
# $$
#
# which converges if and only if $|1 - \eta h| < 1$, i.e. $\eta < 2/h$.
#
# **Momentum** (the *heavy ball*) keeps a velocity $v$, a running sum of past gradients
# that decays by $\beta \in [0, 1)$ per step:
#
# $$
# v_t = \beta\, v_{t-1} + g_t, \qquad \theta_t = \theta_{t-1} - \eta\, v_t, \qquad v_0 = 0 .
# $$
#
# Unrolled, $v_t = \sum_{s=1}^{t}\beta^{\,t-s} g_s$: recent gradients count most. Where the
# gradient keeps its direction the steps add up; where it flips sign they cancel. On the
# quadratic, $g_t = h\theta_{t-1}$ and the pair $(\theta, v)$ evolves linearly,
#
# $$
# \begin{pmatrix}\theta_t\\ v_t\end{pmatrix} = \mathbf A\begin{pmatrix}\theta_{t-1}\\ v_{t-1}\end{pmatrix},
# \qquad
# \mathbf A = \begin{pmatrix}1-\eta h & -\eta\beta\\ h & \beta\end{pmatrix},
# $$
#
# (substitute $v_t$ into $\theta_t = \theta_{t-1} - \eta v_t$ for the first row), so
# $(\theta_t, v_t) = \mathbf A^t(\theta_0, 0)$, and the convergence rate per step is the
# spectral radius $\rho(\mathbf A)$, the largest $|\lambda|$ of its eigenvalues.
#
# **Check 4** — the library's `SGD` and `Momentum` classes, run for 30 steps on this
# quadratic, against the closed forms $(1-\eta h)^t\theta_0$ and $\mathbf A^t(\theta_0, 0)$.
# (With one well-conditioned direction and this $\eta$, momentum is *slower* than plain
# gradient descent: its velocity overshoots. Its advantage appears with many directions.)

# %%
h, lr, beta, theta0, steps = 3.0, 0.2, 0.6, 1.5, 30
gd_path = quadratic_path(SGD(lr), [h], [theta0], steps)[:, 0]
mom = Momentum(lr, beta)
mom_path = quadratic_path(mom, [h], [theta0], steps)[:, 0]
A = np.array([[1 - lr * h, -lr * beta], [h, beta]])
t = np.arange(steps + 1)
gd_closed = (1 - lr * h) ** t * theta0
mom_closed = np.array([np.linalg.matrix_power(A, k) @ [theta0, 0.0] for k in t])[:, 0]
print(f"GD:       max |library − (1 − ηh)^t θ0| = {np.max(np.abs(gd_path - gd_closed)):.1e}")
print(f"momentum: max |library − A^t (θ0, 0)|  = {np.max(np.abs(mom_path - mom_closed)):.1e}")
print(
    f"rates per step: GD |1 − ηh| = {abs(1 - lr * h):.4f}, momentum ρ(A) = "
    f"{np.max(np.abs(np.linalg.eigvals(A))):.4f}"
)

# %% [markdown]
# **Why momentum helps: ill-conditioning.** A real loss has many directions with very
# different curvatures, $f(\boldsymbol\theta) = \frac12\sum_i h_i\theta_i^2$ near a minimum.
# One learning rate must serve them all: stability in the steepest direction needs
# $\eta < 2/h_{\max}$, and then the flattest direction crawls at rate $1 - \eta h_{\min}$. With the
# best choice $\eta = 2/(h_{\min} + h_{\max})$ gradient descent contracts by
# $\frac{\kappa - 1}{\kappa + 1}$ per step, where $\kappa = h_{\max}/h_{\min}$ is the *condition
# number*. Momentum with $\eta = 4/(\sqrt{h_{\max}} + \sqrt{h_{\min}})^2$ and
# $\beta = \bigl(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\bigr)^2$ (Polyak's choice) contracts by
# $\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}$ in *every* direction: $\sqrt\kappa$ in place of $\kappa$.
#
# **Check 5** — for $h = (1, 25)$, $\kappa = 25$: the predicted rates are $24/26 = 0.9231$ and
# $4/6 = 0.6667$. We compute $\rho(\mathbf A)$ for both curvatures and count the steps each
# method needs to bring $f$ from its start below $10^{-6}$ of it.

# %%
hs = np.array([1.0, 25.0])
kappa = hs.max() / hs.min()
lr_gd = 2 / (hs.min() + hs.max())
lr_mom = 4 / (np.sqrt(hs.max()) + np.sqrt(hs.min())) ** 2
beta_mom = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
rho = [
    np.max(np.abs(np.linalg.eigvals(np.array([[1 - lr_mom * hi, -lr_mom * beta_mom], [hi, beta_mom]]))))
    for hi in hs
]
print(
    f"GD: η = {lr_gd:.4f}, rates |1 − η h_i| = {np.round(np.abs(1 - lr_gd * hs), 4)}, "
    f"predicted (κ−1)/(κ+1) = {(kappa - 1) / (kappa + 1):.4f}"
)
print(
    f"momentum: η = {lr_mom:.4f}, β = {beta_mom:.4f}, rates ρ(A) = {np.round(rho, 4)}, "
    f"predicted (√κ−1)/(√κ+1) = {(np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1):.4f}"
)

start = np.array([-4.0, 1.0])
paths = {
    f"GD, η = {lr_gd:.3f}": quadratic_path(SGD(lr_gd), hs, start, 120),
    f"momentum, η = {lr_mom:.3f}, β = {beta_mom:.3f}": quadratic_path(
        Momentum(lr_mom, beta_mom), hs, start, 120
    ),
    "Adam, η = 0.3": quadratic_path(Adam(0.3), hs, start, 120),
}
for name, path in paths.items():
    f = quadratic_loss(hs, path)
    below = np.flatnonzero(f < 1e-6 * f[0])
    first = below[0] if below.size else "> 120"
    print(
        f"{name:32s}: f < 1e-6·f(θ0) first after {first} steps; after 120 steps f/f(θ0) = {f[-1] / f[0]:.1e}"
    )

# %% tags=["nbval-ignore-output"]
quadratic_figure(hs, paths)

# %% [markdown]
# Gradient descent zig-zags across the steep direction while it creeps along the flat one
# (rate 0.923 in both). Momentum overshoots at first too, further than gradient descent,
# but its oscillations die at rate 0.667 per step in *every* direction while its velocity
# builds up speed along the flat one. Adam (next section) moves each coordinate by about
# $\eta$ per step whatever its curvature, so it reaches the valley floor quickly; with a fixed
# $\eta$ it then oscillates around the minimum, and its loss falls slowly and unevenly (it
# first dips below $10^{-6}$ of the start at step 115, then rises again). Near a quadratic
# minimum that is a weakness; on networks, far from any quadratic, its indifference to the
# scale of the gradient is what counts.
#
# **Check 6 — a constant gradient** (a long slope, or a plateau of the loss): then
# $v_t = g\,(1-\beta^t)/(1-\beta) \to g/(1-\beta)$, and momentum's step grows to
# $\eta/(1-\beta)$ times the gradient — ten times for $\beta = 0.9$. Summing the steps,
#
# $$
# \theta_t = \theta_0 - \frac{\eta\, g}{1-\beta}\Bigl(t - \beta\,\frac{1-\beta^{t}}{1-\beta}\Bigr).
# $$

# %%
lr, beta, g, t_end = 0.1, 0.9, 0.5, 25
theta, v = np.zeros(1), np.zeros(1)
for _ in range(t_end):
    theta, v = momentum_update(theta, np.array([g]), v, lr, beta)
closed = -lr * g / (1 - beta) * (t_end - beta * (1 - beta**t_end) / (1 - beta))
print(f"θ after {t_end} steps: library {theta[0]:.10f}, closed form {closed:.10f}")
print(f"velocity {v[0]:.6f} → limit g/(1−β) = {g / (1 - beta):.6f}")

# %% [markdown]
# ## 3 · Adam
#
# Adam (Kingma & Ba, 2015) keeps, for every parameter entry, a running mean of the gradient
# and of its square, with decay rates $\beta_1$ (0.9) and $\beta_2$ (0.999), both starting at 0:
#
# $$
# m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t, \qquad
# v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2 ,
# $$
#
# and steps by their ratio:
#
# $$
# \hat m_t = \frac{m_t}{1-\beta_1^{\,t}}, \qquad \hat v_t = \frac{v_t}{1-\beta_2^{\,t}}, \qquad
# \theta_t = \theta_{t-1} - \eta\,\frac{\hat m_t}{\sqrt{\hat v_t} + \varepsilon} .
# $$
#
# $\hat m_t/\sqrt{\hat v_t}$ is a gradient measured in units of its own typical size, so
# every entry moves by about $\eta$ per step where the gradient is consistent and by less
# where it is noisy; multiplying the loss by any constant $c > 0$ changes nothing (up to
# $\varepsilon$).
#
# **Where the bias correction comes from.** Unrolling the recursion from $m_0 = 0$,
# $m_t = (1-\beta_1)\sum_{s=1}^{t}\beta_1^{\,t-s} g_s$. If the gradients have a steady mean,
# $\mathbb E[g_s] = \mu$, then
#
# $$
# \mathbb E[m_t] = \mu\,(1-\beta_1)\sum_{s=1}^{t}\beta_1^{\,t-s} = \mu\,(1-\beta_1^{\,t}),
# $$
#
# a geometric sum. Early on $m_t$ is biased towards its zero start (at $t = 1$ it is only a
# tenth of $g_1$); dividing by $1-\beta_1^{\,t}$ removes the bias exactly, and likewise for
# $v_t$. At $t = 1$ it gives $\hat m_1 = g_1$ and $\hat v_1 = g_1^2$, so **the first step is
# $\eta\,g_1/(|g_1|+\varepsilon) \approx \eta\,\mathrm{sign}(g_1)$ for every entry**, whatever the
# size of the gradient. Without the correction it would be
# $\eta\,(1-\beta_1)/\sqrt{1-\beta_2} = 3.16\,\eta$ — larger than intended, at the moment
# when the moment estimates are least reliable.
#
# **Check 7** — the library's `adam_update` on a gradient whose entries span six orders of
# magnitude; then a constant gradient, for which $\hat m_t = g$ and $\hat v_t = g^2$ exactly at
# every step, so $\theta_t = \theta_0 - t\,\eta\,g/(|g|+\varepsilon)$.

# %%
g = np.array([3e-3, -0.7, 25.0, -400.0])
theta_1, m_1, v_1 = adam_update(np.zeros(4), g, np.zeros(4), np.zeros(4), t=1, lr=0.01)
print("gradient:            ", g)
print("first step / η:      ", np.round(-theta_1 / 0.01, 6))
no_correction = 0.01 * m_1 / (np.sqrt(v_1) + 1e-8)
print(
    "without correction/η:",
    np.round(no_correction / 0.01, 4),
    " (1 − β₁)/√(1 − β₂) =",
    round(0.1 / np.sqrt(0.001), 4),
)

theta, m, v, g_const = 0.0, 0.0, 0.0, -0.37
for t in range(1, 11):
    theta, m, v = adam_update(theta, g_const, m, v, t, lr=0.05)
print(
    f"constant g: θ_10 = {theta:.12f}, closed form 10·η·|g|/(|g|+ε) = {10 * 0.05 * 0.37 / (0.37 + 1e-8):.12f}"
)

# %% [markdown]
# **Check 8 — scale invariance.** Adam on the quadratic of section 2 and on the same loss
# multiplied by 1000 (gradients 1000 times larger): the two paths agree to within the
# effect of $\varepsilon$. Gradient descent with the same $\eta$ is stable on the first loss
# and explodes on the second.

# %%
adam_1 = quadratic_path(Adam(0.3), hs, start, 60)
adam_1000 = quadratic_path(Adam(0.3), 1000 * hs, start, 60)
print(f"Adam: max |path(f) − path(1000 f)| over 60 steps = {np.max(np.abs(adam_1 - adam_1000)):.1e}")
gd_1 = quadratic_path(SGD(lr_gd), hs, start, 10)
try:
    quadratic_path(SGD(lr_gd), 1000 * hs, start, 400)
    print("GD on 1000 f: converged")
except FloatingPointError as err:
    print(
        f"GD on f: |θ_10| = {np.linalg.norm(gd_1[-1]):.4f};  GD on 1000 f: FloatingPointError — "
        f"{str(err).split(';')[0]}"
    )

# %% [markdown]
# The optimisers refuse to write a non-finite parameter, like `MLP.update`: the step that
# would overflow raises `FloatingPointError` and leaves the parameters as they were.
#
# ## 4 · The comparison on two circles
#
# The task: the 300 training points, a $[2, 8, 8, 1]$ ReLU/ReLU/sigmoid network with He
# initialisation, mean binary cross-entropy, and a budget of 20 epochs for every method — 20
# passes over the data, so every method computes the same number of per-sample gradients.
# Seed $s$ fixes the initial weights and the sequence of batches, the same for every method;
# three seeds give three such starts. One run is `bp.train` (notebook 07 shows its source) with
# a callback that records the validation loss after every epoch:

# %%
Code(inspect.getsource(oe.train_run), language="python")

# %% [markdown]
# **Choosing the learning rates.** Each method gets each rate of the grid
# $\eta \in \{0.01, 0.03, 0.1, 0.3, 1\}$ from all three starts, batches of 32 for the
# mini-batch methods and the whole batch for gradient descent, which also gets $\eta = 3$
# (with one step per epoch it needs the largest steps). A rate's score is its validation
# loss after the last epoch, averaged over the seeds (a run that diverged scores ∞).

# %%
methods = {  # label: (optimiser, batch size)
    "GD (full batch)": ("sgd", 300),
    "SGD": ("sgd", 32),
    "Momentum (β = 0.9)": ("momentum", 32),
    "Adam": ("adam", 32),
}
scores, best = {}, {}
print(f"{'mean validation loss':<20}" + "".join(f"{lr:>8g}" for lr in oe.LR_OPTIONS) + "   chosen")
for label, (optimizer, batch) in methods.items():
    scores[label] = {}
    for lr in oe.LR_OPTIONS if batch == 300 else oe.LR_OPTIONS[:-1]:  # mini-batch methods: up to 1
        runs = [oe.loss_curve(optimizer, lr, batch, seed=seed) for seed in oe.SEEDS]
        finals = [np.inf if run["diverged_at"] else run["val_loss"][-1] for run in runs]
        scores[label][lr] = np.mean(finals)
    best[label] = min(scores[label], key=scores[label].get)
    cells = [f"{scores[label][lr]:8.4f}" if lr in scores[label] else f"{'—':>8}" for lr in oe.LR_OPTIONS]
    print(f"{label:<20}" + "".join(cells) + f"   {best[label]:g}")
tuned = {name: best[label] for label, (name, batch) in methods.items() if batch == 32}
print("the explorer below starts at these rates:", tuned == oe.DEFAULT_LR)

# %% tags=["nbval-ignore-output"]
oe.tuning_figure(scores, best)

# %% [markdown]
# Every chosen rate has worse rates on both sides, so the grid is wide enough. Adam and
# momentum have several good rates in a row (Adam from 0.01 to 0.3, momentum from 0.03 to
# 0.3), plain SGD two (0.3 and 1); that is what "easy to tune" means. Gradient descent, with
# one step per epoch, is far behind at every rate.
#
# **The methods at their chosen rates**, training loss after 0, 5, 10, 15 and 20 epochs:
# the mean over the three seeds and, in brackets, the lowest and highest.

# %%
chosen = {
    label: [oe.loss_curve(opt, best[label], batch, seed=s) for s in oe.SEEDS]
    for label, (opt, batch) in methods.items()
}
print(f"{'':28s} {'steps':>5s}  training loss after epoch " + " / ".join(str(e) for e in (0, 5, 10, 15, 20)))
for label, runs in chosen.items():
    losses = np.array([run["loss"] for run in runs])
    cells = [
        f"{losses[:, e].mean():.3f} ({losses[:, e].min():.3f}–{losses[:, e].max():.3f})"
        for e in (5, 10, 15, 20)
    ]
    name = f"{label}, lr {best[label]:g}"
    print(f"{name:28s} {runs[0]['n_steps']:5d}  {losses[:, 0].mean():.3f} / " + " / ".join(cells))

# %% tags=["nbval-ignore-output"]
oe.curves_figure({f"{label}, lr {best[label]:g}": runs for label, runs in chosen.items()})

# %% [markdown]
# **The test set, once.** Each method's three networks, trained at its chosen rate, on the
# 200 test points:

# %%
print(f"{'':28s} {'test loss, mean ± std (range)':<34} test accuracy, mean (range)")
for label, (optimizer, batch) in methods.items():
    nets = [oe.trained_net(optimizer, best[label], batch, seed=s) for s in oe.SEEDS]
    loss = np.array([net.loss(X_test, y_test) for net in nets])
    acc = np.array([np.mean(net.predict(X_test) == y_test[:, 0]) for net in nets])
    name = f"{label}, lr {best[label]:g}"
    print(
        f"{name:28s} {loss.mean():.4f} ± {loss.std():.4f} ({loss.min():.4f}–{loss.max():.4f})   "
        f"{acc.mean():.3f} ({acc.min():.3f}–{acc.max():.3f})"
    )

# %% [markdown]
# In 20 passes over the data gradient descent has taken 20 steps, the mini-batch methods
# 200 each, and it is far behind on every measure. Among the mini-batch methods, on average
# over the seeds Adam has the lowest training loss at every epoch shown, then momentum, then
# SGD — but the ranges overlap, and on the test set the differences in accuracy are smaller
# than the spread between seeds. The ranking is for *this* task and budget: on larger
# problems well-tuned SGD, with or without momentum, has been found to generalise better
# than adaptive methods such as Adam (Wilson et al., *The Marginal Value of Adaptive Gradient
# Methods in Machine Learning*, 2017). What is general: mini-batches give more steps per
# pass, momentum smooths noisy and zig-zagging gradients, and Adam's per-parameter scale
# makes its learning rate easy to choose.
#
# ## 5 · Explorer: optimisers, learning rates, batch size
#
# Tick the optimisers to show, choose each one's learning rate and the common batch size
# (300 is the full batch: plain gradient descent). The explorer shows the runs of seed 0:
# every run starts from the same weights and sees the same batches; the table beside the
# curves gives the final training and validation losses. A run takes a fraction of a second
# the first time and is cached. It opens at the rates chosen above, batch size 32.
#
# **Try:**
# 1. every optimiser at the full batch (300): what do 20 steps achieve?
# 2. batch size 8, at the rates chosen for 32: which method suffers?
# 3. Adam at 0.01 and at 3, either side of its chosen rate;
# 4. momentum at 1, where plain SGD still works.
#
# The answers, from the explorer's own runs (seed 0), final training and validation loss:

# %%
tries = {
    "1. full batch, SGD": ("sgd", oe.DEFAULT_LR["sgd"], 300),
    "1. full batch, momentum": ("momentum", oe.DEFAULT_LR["momentum"], 300),
    "1. full batch, Adam": ("adam", oe.DEFAULT_LR["adam"], 300),
    "2. batch 8, SGD": ("sgd", oe.DEFAULT_LR["sgd"], 8),
    "2. batch 8, momentum": ("momentum", oe.DEFAULT_LR["momentum"], 8),
    "2. batch 8, Adam": ("adam", oe.DEFAULT_LR["adam"], 8),
    "3. Adam, lr 0.01": ("adam", 0.01, 32),
    "3. Adam, its chosen lr": ("adam", oe.DEFAULT_LR["adam"], 32),
    "3. Adam, lr 3": ("adam", 3.0, 32),
    "4. momentum, lr 1": ("momentum", 1.0, 32),
    "4. SGD, lr 1": ("sgd", 1.0, 32),
}
for name, (optimizer, lr, batch) in tries.items():
    run = oe.loss_curve(optimizer, lr, batch)
    status = (
        f"diverged in epoch {run['diverged_at']}" if run["diverged_at"] else f"accuracy {run['accuracy']:.3f}"
    )
    print(
        f"{name:<24} lr {lr:<5g} loss {run['loss'][-1]:.4f}, validation {run['val_loss'][-1]:.4f}, {status}"
    )

# %% [markdown]
# 1. At the full batch, 20 steps are not enough for any of them: none gets near the losses
#    of the mini-batch runs, and momentum gets furthest.
# 2. At batch 8 there are four times as many steps per epoch, each noisier. SGD and Adam
#    still learn; momentum at 0.3 ends at 50 %: its steps, up to ten times η for β = 0.9
#    (check 6), are too large for such noisy gradients. Lower its rate.
# 3. Adam at 0.01 learns, a little more slowly than at its chosen rate; at 3 it ends at 50 %.
#    Even a scale-free rule has a largest useful step.
# 4. Momentum at 1 ends at 50 % while SGD at 1 learns: the velocity multiplies the step.
#
# The static figure shows the explorer's opening state (seed 0, the chosen rates, batch 32)
# for readers without a kernel.

# %% tags=["nbval-ignore-output"]
oe.opening_figure()

# %% tags=["nbval-ignore-output"]
explorer = oe.optimizers_explorer()
explorer

# %% [markdown]
# ## 6 · Exercises
#
# ### Exercise 1 — Nesterov's momentum on a quadratic
#
# Nesterov's variant of momentum takes the gradient not at $\theta_{t-1}$ but at the point
# the momentum is about to carry it to, $\theta_{t-1} - \eta\beta v_{t-1}$:
#
# $$
# g_t = \nabla f\big(\theta_{t-1} - \eta\beta\, v_{t-1}\big), \qquad v_t = \beta v_{t-1} + g_t, \qquad
# \theta_t = \theta_{t-1} - \eta\, v_t .
# $$
#
# On the quadratic $f(\theta) = \tfrac12 h\theta^2$ of section 2 the pair $(\theta, v)$ again
# evolves linearly, $(\theta_t, v_t) = \mathbf A_{\mathrm N}(\theta_{t-1}, v_{t-1})$. Derive
# $\mathbf A_{\mathrm N}$ as section 2 derived $\mathbf A$ for heavy-ball momentum, and write
# `nesterov_matrix(h, lr, beta)` returning it as a `(2, 2)` array (row 1 gives $\theta_t$,
# row 2 gives $v_t$). The check compares with the rule itself, stepped from the two unit
# states, for random $h$, $\eta$ and $\beta$, and names the usual slips: the gradient at
# $\theta$ (heavy ball), a look-ahead in the wrong direction or without its $\beta$, a
# transposed matrix, and the rule written with $\eta$ inside $v$ or with the opposite sign of
# $v$ (two other common ways to write momentum, whose $v$ and so whose matrix differ).


# %%
def nesterov_matrix(h, lr, beta):
    """A (2, 2) with (θ_t, v_t) = A (θ_{t−1}, v_{t−1}) for Nesterov's momentum on f = ½hθ²."""
    ### BEGIN SOLUTION
    shrink = 1 - lr * h  # the look-ahead gradient h(θ − ηβv) brings (1 − ηh) onto the v terms
    return np.array([[shrink, -lr * beta * shrink], [h, beta * shrink]])
    ### END SOLUTION


# %% points=3
check_nesterov_matrix(nesterov_matrix)
### BEGIN HIDDEN TESTS
hidden_tests("coursework.grader.nb08_optimizers_and_minibatches:check_nesterov_matrix", nesterov_matrix)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2 — Adam with bias correction
#
# Write `adam_step(theta, g, m, v, t, lr, beta1, beta2, eps)` returning the new
# `(theta, m, v)`: update the two moments, correct them with $1-\beta_1^{\,t}$ and
# $1-\beta_2^{\,t}$, and step. `t` is the number of this step — **1 for the first** — and `m`,
# `v` are the raw (uncorrected) moments carried between steps. The check runs a first step
# from $m = v = 0$ and later steps from random moments, with random $\eta$, $\beta_1$, $\beta_2$;
# it names a missing bias correction, a step counter that starts at 0, a correction of only
# one moment, a missing square root and moments updated with the wrong weights. Graded in
# two parts: the moments `m`, `v`, and the step, which is judged on your own moments too.


# %%
def adam_step(theta, g, m, v, t, lr, beta1, beta2, eps):
    """One Adam step number t (t = 1 first). theta, g, m, v: one shape. Returns (theta, m, v)."""
    ### BEGIN SOLUTION
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    return theta, m, v
    ### END SOLUTION


# %% points=1
check_adam_step(adam_step, part="moments")
### BEGIN HIDDEN TESTS
hidden_tests("coursework.grader.nb08_optimizers_and_minibatches:check_adam_step", adam_step, part="moments")
### END HIDDEN TESTS


# %% points=2
check_adam_step(adam_step, part="step")
### BEGIN HIDDEN TESTS
hidden_tests("coursework.grader.nb08_optimizers_and_minibatches:check_adam_step", adam_step, part="step")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 3 — what the bias correction corrects
#
# Answer in a few sentences in the cell below; it is read and graded by hand (2 points). At the
# first step, $t = 1$, from $m = v = 0$: what are $m$ and $v$ after their update, what do the
# corrections make of them, and how large is the first step of each entry with the correction
# and without it (in terms of $\eta$, $\beta_1$, $\beta_2$ and the sign of $g$)?

# %% [markdown] written="why_bias_correction" points=2
# **Model answer.** After one update $m = (1-\beta_1)\,g$ and $v = (1-\beta_2)\,g^2$: running means
# that started from 0, so they are biased towards 0 by the factors $1-\beta_1$ and $1-\beta_2$.
# Dividing by $1-\beta_1^{\,1}$ and $1-\beta_2^{\,1}$ removes exactly those factors: $\hat m = g$,
# $\hat v = g^2$, and the first step is $\eta\, g/(|g| + \varepsilon) \approx \eta\,\mathrm{sign}(g)$ for
# each entry. Without the correction it would be
# $\eta\,(1-\beta_1)\,g/(\sqrt{1-\beta_2}\,|g| + \varepsilon) \approx \eta\,\frac{1-\beta_1}{\sqrt{1-\beta_2}}\,\mathrm{sign}(g)$:
# not $\eta$ but that factor times it, larger than $\eta$ for the usual $\beta_1 = 0.9$,
# $\beta_2 = 0.999$ since $0.1 > \sqrt{0.001}$. As $t$ grows, $\beta^t \to 0$ and the corrections
# fade to 1.
#
# **Rubric.**
# - 2: m = (1 − β₁)g and v = (1 − β₂)g² are biased towards 0 and the corrections give m̂ = g,
#   v̂ = g², a first step of about η per entry; and the uncorrected step's factor (1 − β₁)/√(1 − β₂)
#   (or: it is not η, and too large for the usual β's)
# - 1: one of the two
# - 0: neither

# %% [markdown]
# ## Summary
#
# - A mini-batch gradient is the gradient of the mean loss over the batch: an unbiased
#   estimate of the full gradient (averages of many batches converge to it like $1/M$) whose
#   squared error is $\frac{\sigma^2}{|B|}\frac{n-|B|}{n-1}$. The batches of an epoch average
#   back to the full gradient exactly.
# - Gradient descent on a quadratic contracts by $|1-\eta h|$ per step; with curvatures
#   spread by a condition number $\kappa$ its best rate is $\frac{\kappa-1}{\kappa+1}$.
#   Momentum ($v \leftarrow \beta v + g$, $\theta \leftarrow \theta - \eta v$) reaches
#   $\frac{\sqrt\kappa-1}{\sqrt\kappa+1}$, and on a constant slope its step grows to $\eta/(1-\beta)$.
#   Nesterov's variant takes the gradient where the momentum is about to go.
# - Adam divides a running mean of the gradient by the root of a running mean of its square,
#   entry by entry; the bias correction $1/(1-\beta^t)$ undoes the zero start, makes the first
#   step exactly $\eta\,\mathrm{sign}(g)$ (up to $\varepsilon$), and the rule is invariant to the
#   scale of the loss.
# - `backprop_lib.optimizers` has each rule as a pure function (`sgd_update`,
#   `momentum_update`, `adam_update`) and as a class (`SGD`, `Momentum`, `Adam`) whose
#   `step(net)` keeps its state per parameter name and refuses non-finite steps;
#   `bp.train` runs the epochs over `bp.minibatches`.
# - A fair comparison gives every method the same budget and starts, several seeds, and its
#   own learning rate chosen on validation data; the test set is looked at once. On two
#   circles with 20 epochs, the mini-batch methods beat full-batch gradient descent by far,
#   and Adam ended lowest on average, then momentum, then SGD, with ranges over the seeds
#   that overlap.
#
# Next: notebook 09 looks at the other half of a good start — the initial weights.
#
# ## Think
#
# 1. Check 3 averaged many batch gradients at *one* point $\theta$. Training takes each step
#    from a new point. Does unbiasedness at every point make SGD's path follow gradient
#    descent's on average? What could go wrong?
# 2. Momentum at $\eta = 1$ fails where plain SGD at $\eta = 1$ still learns. Using
#    check 6's constant-gradient result, what rate of plain SGD is momentum's $\eta$ "worth"?
# 3. The comparison used 20 epochs. If the budget were 200 epochs, which parts of the
#    conclusion would you expect to change, and how would you find out without touching the
#    test set?

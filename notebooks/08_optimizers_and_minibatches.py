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
# every network in this series took full-batch gradient-descent steps,
# $\boldsymbol\theta \leftarrow \boldsymbol\theta - \eta\,\mathbf g$. This notebook derives three
# improvements used in practice — mini-batches, momentum and Adam — checks each derivation
# against a closed form, and compares them on one task with the same start and the same data.
#
# **After this notebook you can**
# - explain why the gradient of a random mini-batch is an unbiased but noisy estimate of the
#   full gradient, and how its noise shrinks with the batch size;
# - write the momentum and Adam update rules, and say what momentum's velocity and Adam's
#   bias correction are for;
# - predict, on a quadratic, how fast gradient descent and momentum converge;
# - compare optimisers fairly: same initial weights, same batches, loss per epoch.
#
# Notation: $\boldsymbol\theta$ is any parameter array (a $\mathbf W_k$ or a $\mathbf b_k$),
# $\mathbf g_t$ the gradient used at step $t = 1, 2, \dots$, $\eta$ the learning rate (`lr` in
# code). All operations on arrays are elementwise.

# %%
import matplotlib.pyplot as plt
import numpy as np

from backprop_course.explorers.nb08_optimizers_and_minibatches import (
    LABELS,
    LR_OPTIONS,
    comparison_net,
    loss_curve,
    quadratic_loss,
    quadratic_path,
    tune,
    two_circles,
)
from backprop_lib import SGD, Adam, Momentum, minibatches
from backprop_lib.optimizers import adam_update, momentum_update

X, y = two_circles()  # 300 points of scikit-learn's two circles: X (300, 2), y (300, 1)
net = comparison_net(seed=0)
print(X.shape, y.shape, net)

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
# **Check 2 — the noise of a batch.** A batch drawn at random (without replacement) gives an
# *unbiased* estimate, $\mathbb E[\hat{\mathbf g}_B] = \nabla L$. Its spread follows from the
# variance of a sample mean drawn without replacement from a finite population: with
# $\sigma^2 = \frac1n\sum_{s=1}^n \lVert\mathbf g_s - \nabla L\rVert^2$,
#
# $$
# \mathbb E\,\lVert\hat{\mathbf g}_B - \nabla L\rVert^2 = \frac{\sigma^2}{|B|}\cdot\frac{n-|B|}{n-1}.
# $$
#
# Four times the batch halves the noise's standard deviation; the full batch ($|B| = n$)
# has none. We measure $\sigma^2$ from the 300 per-sample gradients, then draw 400 random
# batches of each size and compare.

# %%
per_sample = np.array([gradient_vector(net, X[s : s + 1], y[s : s + 1]) for s in range(len(X))])
sigma2 = np.mean(np.sum((per_sample - full) ** 2, axis=1))
n = len(X)
print(f"σ² = {sigma2:.6f}")
for size in (8, 32, 128):
    draws = [rng.choice(n, size=size, replace=False) for _ in range(400)]
    measured = np.mean([np.sum((gradient_vector(net, X[idx], y[idx]) - full) ** 2) for idx in draws])
    predicted = sigma2 / size * (n - size) / (n - 1)
    print(
        f"|B| = {size:3d}: measured {measured:.6f}, predicted {predicted:.6f}, "
        f"ratio {measured / predicted:.2f}"
    )

# %% [markdown]
# The measured noise matches the formula to within the sampling error of 400 draws. Small
# batches buy many cheap, noisy steps; large batches fewer, accurate ones. The noise also
# means the loss of mini-batch SGD does not fall at every step, and the learning rate has
# to be small enough for the noise, not only for the curvature.
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
# **Check 3** — the library's `SGD` and `Momentum` classes, run for 30 steps on this
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
# **Check 4** — for $h = (1, 25)$, $\kappa = 25$: the predicted rates are $24/26 = 0.9231$ and
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
    print(f"{name:32s}: f < 1e-6·f(θ0) after {below[0] if below.size else '> 120'} steps")

# %%
# NBVAL_IGNORE_OUTPUT
fig, (ax_path, ax_loss) = plt.subplots(1, 2, figsize=(11, 4))
grid = np.linspace(-4.5, 4.5, 200)
G1, G2 = np.meshgrid(grid, np.linspace(-1.6, 1.6, 120))
ax_path.contour(G1, G2, 0.5 * (hs[0] * G1**2 + hs[1] * G2**2), levels=12, colors="0.8")
for (name, path), colour in zip(paths.items(), ["C0", "C1", "C2"]):
    ax_path.plot(path[:40, 0], path[:40, 1], ".-", color=colour, label=name, lw=1, ms=4)
    ax_loss.semilogy(quadratic_loss(hs, path), color=colour, label=name)
ax_path.set(xlabel=r"$\theta_1$ (h = 1)", ylabel=r"$\theta_2$ (h = 25)", title="first 40 steps from (−4, 1)")
ax_loss.set(xlabel="step", ylabel=r"$f(\theta)$", title="loss per step", ylim=(1e-12, 1e3))
ax_loss.legend(fontsize=8)
fig.tight_layout()
plt.show()

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
# **Check 5 — a constant gradient** (a long slope, or a plateau of the loss): then
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
# **Check 6** — the library's `adam_update` on a gradient whose entries span six orders of
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
# **Check 7 — scale invariance.** Adam on the quadratic of section 2 and on the same loss
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
# The task: the 300 points above, a $[2, 8, 8, 1]$ ReLU/ReLU/sigmoid network with He
# initialisation, mean binary cross-entropy, 30 epochs. Every run starts from **the same
# weights** (seed 0) and sees **the same sequence of batches**, so the curves differ only by
# the update rule and its learning rate. The loss is measured on all 300 points after every
# epoch, so the horizontal axis counts passes over the data (equal work), not steps.
#
# A fair comparison gives every method its own best learning rate. We try the grid
# $\eta \in \{0.001, 0.003, \dots, 1, 3\}$ at batch size 32 and score each run by its mean loss
# over the last 5 epochs (so a lucky final epoch does not win; a diverged run scores ∞):

# %%
best = {}
print("lr      " + "".join(f"{lr:>8g}" for lr in LR_OPTIONS))
for name in ("sgd", "momentum", "adam"):
    best[name], scores = tune(name, batch_size=32)
    good = sum(score < 0.1 for score in scores.values())
    print(
        f"{name:8s}"
        + "".join(f"{scores[lr]:8.4f}" for lr in LR_OPTIONS)
        + f"   best lr {best[name]:g}; {good} of {len(scores)} rates below 0.1"
    )
best_gd, gd_scores = tune("sgd", batch_size=300)
print(f"GD (full batch, 30 steps): best lr {best_gd:g}, score {gd_scores[best_gd]:.4f}")

# %%
# NBVAL_IGNORE_OUTPUT
fig, axes = plt.subplots(1, 3, figsize=(13, 3.4), sharey=True)
for ax, name in zip(axes, ["sgd", "momentum", "adam"]):
    for lr in LR_OPTIONS[2:]:
        ax.semilogy(loss_curve(name, lr, 32)["loss"], label=f"lr {lr:g}", lw=2 if lr == best[name] else 1)
    ax.set(title=LABELS[name] + ", batch 32", xlabel="epoch")
    ax.legend(fontsize=7, ncol=2)
axes[0].set_ylabel("training loss")
fig.tight_layout()
plt.show()

# %% [markdown]
# The best rates are $\eta = 1$ for SGD, $0.3$ for momentum (effective rate
# $\eta/(1-\beta) = 3$, at which plain SGD fails) and $0.3$ for Adam. The last column says
# how forgiving each method is: only one rate of the grid brings SGD below a loss of 0.1,
# three do for momentum and four for Adam. Now the four methods, each at its best rate:

# %%
settings = {
    f"GD (full batch), lr {best_gd:g}": ("sgd", best_gd, 300),
    f"SGD, lr {best['sgd']:g}": ("sgd", best["sgd"], 32),
    f"Momentum (β = 0.9), lr {best['momentum']:g}": ("momentum", best["momentum"], 32),
    f"Adam, lr {best['adam']:g}": ("adam", best["adam"], 32),
}
runs = {name: loss_curve(opt, lr, batch) for name, (opt, lr, batch) in settings.items()}
print(f"{'':29s} {'steps':>5s}  loss after epoch 0 / 5 / 10 / 20 / 30      accuracy")
for name, run in runs.items():
    losses = " / ".join(f"{run['loss'][e]:.4f}" for e in (0, 5, 10, 20, 30))
    print(f"{name:29s} {run['n_steps']:5d}  {losses}   {run['accuracy']:.3f}")

# %% [markdown]
# In 30 passes over the data, full-batch gradient descent has taken 30 steps, the mini-batch
# methods 300 each; that alone puts them far ahead. Among the mini-batch methods, tuned SGD
# ends several times higher than momentum and Adam (mean loss over the last five epochs
# 0.040 against 0.006 and 0.005), which end close to each other; Adam gets there first. This
# ranking is for *this* task and budget; on other problems well-tuned SGD with momentum
# often generalises as well as or better than Adam. What is general: mini-batches give more
# steps per pass, momentum smooths noisy and zig-zagging gradients, and Adam's
# per-parameter scale makes its learning rate easy to choose.
#
# ## 5 · Explorer: optimisers, learning rates, batch size
#
# Tick the optimisers to show, choose each one's learning rate and the common batch size
# (300 is the full batch: plain gradient descent). Every run starts from the same weights and
# sees the same batches; a run takes a fraction of a second the first time and is cached.
# Try: every optimiser at the full batch (30 steps are not enough for any of them); batch 8,
# where the rates tuned for batch 32 meet noisier gradients and momentum at lr 0.3 gets
# stuck at 50 % (lower its lr); Adam at its textbook default lr 0.001 (far too cautious for
# 30 epochs) and at lr 1 (too large even for Adam).
# The static figure shows the explorer's default state: the tuned rates at batch size 32,
# with full-batch gradient descent for reference.

# %%
# NBVAL_IGNORE_OUTPUT
fig, ax = plt.subplots(figsize=(7.5, 3.8))
for name, run in runs.items():
    ax.semilogy(run["loss"], label=name, lw=2)
ax.set(
    xlabel="epoch (one pass over the 300 points)",
    ylabel="training loss (mean BCE)",
    title="same start, same batches; batch size 32",
)
ax.legend()
plt.show()

# %%
# NBVAL_IGNORE_OUTPUT
from backprop_course.explorers.nb08_optimizers_and_minibatches import optimizers_explorer

explorer = optimizers_explorer()
explorer

# %% [markdown]
# ## 6 · Exercises
#
# ### Exercise 1 — the momentum step
#
# Write `momentum_step(theta, g, v, lr, beta)` returning the new `(theta, v)` for arrays
# `theta`, `g`, `v` of one shape: $v \leftarrow \beta v + g$, then
# $\theta \leftarrow \theta - \eta v$. The check uses random arrays of three shapes, random
# $\eta$ and $\beta$ and a non-zero starting velocity, and names the usual mistakes: a velocity
# that is not carried over, the learning rate applied twice, a flipped sign, stepping with
# the old velocity.

# %%
from backprop_course.exercises.nb08_optimizers_and_minibatches import check_adam_step, check_momentum_step


def momentum_step(theta, g, v, lr, beta):
    """One heavy-ball step. theta, g, v: arrays of one shape. Returns (theta, v), same shapes."""
    ### BEGIN SOLUTION
    v = beta * v + g
    theta = theta - lr * v
    return theta, v
    ### END SOLUTION


# %%
check_momentum_step(momentum_step)
### BEGIN HIDDEN TESTS
check_momentum_step(momentum_step, seed=1, strict=True)
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
# one moment, a missing square root and moments updated with the wrong weights.


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


# %%
check_adam_step(adam_step)
### BEGIN HIDDEN TESTS
check_adam_step(adam_step, seed=1, strict=True)
### END HIDDEN TESTS

# %% [markdown]
# ## Summary
#
# - A mini-batch gradient is the gradient of the mean loss over the batch: an unbiased
#   estimate of the full gradient whose squared error is
#   $\frac{\sigma^2}{|B|}\frac{n-|B|}{n-1}$. The batches of an epoch average back to the full
#   gradient exactly.
# - Gradient descent on a quadratic contracts by $|1-\eta h|$ per step; with curvatures
#   spread by a condition number $\kappa$ its best rate is $\frac{\kappa-1}{\kappa+1}$.
#   Momentum ($v \leftarrow \beta v + g$, $\theta \leftarrow \theta - \eta v$) reaches
#   $\frac{\sqrt\kappa-1}{\sqrt\kappa+1}$, and on a constant slope its step grows to $\eta/(1-\beta)$.
# - Adam divides a running mean of the gradient by the root of a running mean of its square,
#   entry by entry; the bias correction $1/(1-\beta^t)$ undoes the zero start, makes the first
#   step exactly $\eta\,\mathrm{sign}(g)$ (up to $\varepsilon$), and the rule is invariant to the
#   scale of the loss.
# - `backprop_lib.optimizers` has each rule as a pure function (`sgd_update`,
#   `momentum_update`, `adam_update`) and as a class (`SGD`, `Momentum`, `Adam`) whose
#   `step(net)` keeps its state per parameter name and refuses non-finite steps;
#   `bp.train` runs the epochs over `bp.minibatches`.
# - Compared fairly (same start, same batches, loss per epoch, each at its best learning
#   rate) on two circles, the mini-batch methods beat full-batch gradient descent by a wide
#   margin; momentum and Adam end several times below SGD, and Adam is the most
#   forgiving about its learning rate.
#
# Next: notebook 09 looks at the other half of a good start — the initial weights.

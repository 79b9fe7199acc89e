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
# # 07 · Softmax and cross-entropy: ten digits
#
# Until now the network answered one yes/no question with one sigmoid output. To recognise
# handwritten digits it has to pick one of ten classes. The output layer gets ten units, a
# **softmax** turns their ten numbers into ten probabilities, and the loss becomes the
# **categorical cross-entropy**. Softmax is the first activation that is *not* elementwise:
# every output depends on every input, so its derivative is a full matrix, a Jacobian. And
# yet the gradient that reaches the logits is as simple as it was for sigmoid with binary
# cross-entropy: $\hat y - y$, divided by the batch size. This notebook derives why, checks
# each step numerically, and then trains on scikit-learn's 8×8 digits — choosing the
# learning rate on a validation split, over several random seeds, and looking at the test
# set once, at the end.
#
# **After this notebook you can**
# - derive the softmax Jacobian $\partial \hat y_i / \partial z_k = \hat y_i(\delta_{ik} - \hat y_k)$
#   and check it with central differences;
# - show that softmax followed by cross-entropy gives $\partial L/\partial z = (\hat y - y)/n$,
#   and say why libraries compute it in that fused form (and where the unfused chain breaks);
# - multiply by the softmax Jacobian without forming it, and derive the gradient of a
#   class-weighted cross-entropy;
# - choose a learning rate on a validation split over several seeds, report the test set
#   once, and read a confusion matrix and a network's mistakes.
#
# **Before this notebook:** 04 (matrix form, row convention) and 05–06 (the `MLP` class,
# gradient checks, training with `bp.train`). **Time:** about 75 minutes, 25 of them for the
# exercises. The scikit-learn wrapper of this network, saving its weights and BLAS threads
# are in the appendix [docs/in_practice.md](../docs/in_practice.md).

# %% locked="setup"
import inspect

import numpy as np
from IPython.display import Code, Image, display

import backprop_lib as bp
from backprop_course.exercises import hidden_tests
from backprop_course.exercises.nb07_softmax_digits import check_softmax_backward, check_weighted_ce_gradient
from backprop_course.explorers import nb07_softmax_digits as sd

softmax = bp.Softmax()

# %% [markdown]
# ## 1 · From logits to probabilities
#
# For one sample the output layer computes, in the row convention of the series,
# $z = a_{L-1} W_L + b_L$: a row of $K$ numbers called **logits**, one per class. Softmax
# turns them into probabilities,
#
# $$\hat y_i = \operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_{m=1}^{K} e^{z_m}},
# \qquad i = 1, \dots, K .$$
#
# Each $\hat y_i$ is positive and they sum to 1. Adding the same constant $c$ to every
# logit changes nothing, because $e^{c}$ cancels between numerator and denominator. That is
# what makes softmax computable: $e^{1000}$ overflows in float64, so implementations
# subtract $\max_m z_m$ first and never exponentiate anything above 0.

# %%
z = np.array([[2.0, 1.0, 0.1]])
print("softmax(z)          :", np.round(softmax.forward(z), 6))
print("softmax(z + 1000)   :", np.round(softmax.forward(z + 1000), 6), "(max subtracted first)")
with np.errstate(over="ignore", invalid="ignore"):
    naive = np.exp(z + 1000) / np.exp(z + 1000).sum()
print("naive e^z / Σ e^z   :", naive, "(overflow: inf / inf)")

# %% [markdown]
# ## 2 · The softmax Jacobian
#
# Every $\hat y_i$ depends on every logit $z_k$ through the sum in the denominator, so the
# derivative of softmax is a $K \times K$ matrix, $J_{ik} = \partial \hat y_i / \partial z_k$.
# The shortest route goes through the logarithm,
#
# $$\log \hat y_i = z_i - \log \sum_{m} e^{z_m}
# \quad\Longrightarrow\quad
# \frac{\partial \log \hat y_i}{\partial z_k} = \delta_{ik} - \frac{e^{z_k}}{\sum_m e^{z_m}}
# = \delta_{ik} - \hat y_k ,$$
#
# where $\delta_{ik}$ is 1 if $i = k$ and 0 otherwise. Since
# $\partial \hat y_i/\partial z_k = \hat y_i \,\partial \log \hat y_i/\partial z_k$,
#
# $$J_{ik} = \frac{\partial \hat y_i}{\partial z_k} = \hat y_i(\delta_{ik} - \hat y_k),
# \qquad J = \operatorname{diag}(\hat y) - \hat y^{\mathsf T} \hat y$$
#
# (with $\hat y$ a row, $\hat y^{\mathsf T}\hat y$ is the $K\times K$ outer product). On the
# diagonal $\hat y_i(1-\hat y_i)$, the sigmoid's familiar form; off the diagonal
# $-\hat y_i \hat y_k$: raising one logit takes probability away from all the others.
# `bp.Softmax().jacobian(z)` computes it. Check it row by row against central differences:
# row $i$ is the gradient of the single output $\hat y_i$.

# %%
rng = np.random.default_rng(0)
z = rng.normal(size=5)
J = softmax.jacobian(z)
J_numeric = np.vstack(
    [bp.numerical_gradient(lambda: softmax.forward(z.reshape(1, -1))[0, i], z) for i in range(5)]
)
print("J =\n", np.round(J, 4))
print(bp.check_line("softmax Jacobian vs central differences", J, J_numeric))
print("each column sums to 0:", np.allclose(J.sum(axis=0), 0), "(the probabilities always sum to 1)")

# %% [markdown]
# ## 3 · Cross-entropy, and why the gradient is $\hat y - y$
#
# The target of a sample is one-hot: $y_i = 1$ for its class, 0 elsewhere. The categorical
# cross-entropy of the batch is the mean over its $n$ samples,
#
# $$L = -\frac{1}{n}\sum_{s=1}^{n} \sum_{i=1}^{K} y_{si} \log \hat y_{si},$$
#
# so a sample contributes $-\log$ of the probability it gives its true class. For sample
# $s$, the derivative with respect to its probabilities is
# $\partial L/\partial \hat y_{si} = -\,y_{si} / (n\, \hat y_{si})$. The chain rule through
# the Jacobian, a sum over every output $i$ that $z_{sk}$ influences, gives
#
# $$\frac{\partial L}{\partial z_{sk}}
# = \sum_{i=1}^{K} \frac{\partial L}{\partial \hat y_{si}} \, J_{ik}
# = -\frac{1}{n}\sum_{i=1}^{K} \frac{y_{si}}{\hat y_{si}}\, \hat y_{si}(\delta_{ik} - \hat y_{sk})
# = -\frac{1}{n}\Big(y_{sk} - \hat y_{sk}\sum_{i=1}^{K} y_{si}\Big)
# = \frac{\hat y_{sk} - y_{sk}}{n},$$
#
# because the one-hot row sums to 1. As rows: $\partial L/\partial z_s = (\partial L/\partial
# \hat y_s)\, J$, that is $J^{\mathsf T} (\partial L/\partial \hat y_s)^{\mathsf T}$ as a
# column; for the whole batch, $\partial L/\partial Z = (\hat Y - Y)/n$. Three ways to get
# the same numbers, checked on a random batch:

# %%
rng = np.random.default_rng(1)
n, K = 4, 5
Z = rng.normal(size=(n, K))
Y = np.eye(K)[rng.integers(0, K, n)]
Yhat = softmax.forward(Z)
ce = bp.CategoricalCrossEntropy()

dYhat = ce.gradient(Y, Yhat)  # −y / (n ŷ), shape (n, K)
dZ_chain = np.vstack([softmax.jacobian(Z[s]).T @ dYhat[s] for s in range(n)])  # Jᵀ · ∂L/∂ŷ
dZ_fused = (Yhat - Y) / n  # the fused form
dZ_numeric = bp.numerical_gradient(lambda: ce.value_from_logits(Y, Z), Z)

print(bp.check_line("Jᵀ·(∂L/∂ŷ) vs (ŷ − y)/n      ", dZ_chain, dZ_fused))
print(bp.check_line("(ŷ − y)/n vs central differences", dZ_fused, dZ_numeric))
print(bp.check_line("Softmax.backward vs (ŷ − y)/n ", softmax.backward(dYhat, Z, Yhat), dZ_fused))
print(bp.check_line("library fused_dz vs (ŷ − y)/n ", ce.fused_dz(Y, Yhat), dZ_fused))

# %% [markdown]
# Why libraries use the fused form (`MLP.backward` does whenever the output is softmax and
# the loss is cross-entropy, as PyTorch's `CrossEntropyLoss` takes logits):
#
# - **Stability.** $-y/\hat y$ is huge when the network is confidently wrong
#   ($\hat y_{\text{true}} \to 0$), and $\log 0 = -\infty$; $(\hat y - y)/n$ always lies in
#   $[-1/n, 1/n]$. The loss itself is computed from the logits as
#   $\log\sum_m e^{z_m} - z_{\text{true}}$ (a log-sum-exp), which never takes $\log 0$.
# - **Cost.** $\hat y - y$ is $K$ subtractions per sample; going through $J$ is a $K \times K$
#   product per sample.
#
# A confidently wrong sample shows the difference (the explorer of section 8 does the same
# for any test digit, and shows where float64 gives up):

# %%
z_bad = np.array([[30.0, -30.0, 0.0]])  # the true class is 1, given probability ~ e^-60
y_bad = np.array([[0.0, 1.0, 0.0]])
p_bad = softmax.forward(z_bad)
print("ŷ_true            :", f"{p_bad[0, 1]:.3e}")
print("∂L/∂ŷ_true = −y/ŷ :", f"{(-y_bad / p_bad)[0, 1]:.3e}")
print("fused ∂L/∂z       :", np.round(ce.fused_dz(y_bad, p_bad), 6))
print("loss from logits  :", f"{ce.value_from_logits(y_bad, z_bad):.6f}", " (= 60 + log(1 + e^-30 + e^-60))")

# %% [markdown]
# The whole network, checked end to end: a small softmax MLP, every parameter's gradient
# from `MLP.backward` against central differences of the loss.

# %%
rng = np.random.default_rng(2)
X_small = rng.normal(size=(6, 4))
y_small = np.eye(3)[rng.integers(0, 3, 6)]
small = bp.MLP([4, 5, 3], ["tanh", "softmax"], loss="cross_entropy", seed=2)
for name, err in bp.check_network(small, X_small, y_small).items():
    print(f"{name}: relative error {bp.format_rel_error(err)}")

# %% [markdown]
# ## 4 · The digits: training, validation and test sets
#
# scikit-learn ships 1797 handwritten digits (a copy of the UCI optical digits set), each an
# 8×8 image with pixel values 0 to 16; `datasets.digits()` reads that copy without importing
# scikit-learn. We divide by 16 so inputs lie in $[0, 1]$ and cut the data three ways, each
# stratified (every class in the same proportion, give or take one sample):
#
# - a **test set** of a quarter, put aside now and used once, at the very end;
# - a **validation set**, on which we compare settings such as the learning rate;
# - the **training set**, the only data the gradient ever sees.
#
# Choosing the learning rate by its test accuracy would make that accuracy an optimistic
# estimate: the test set would have helped to build the model.

# %%
from threadpoolctl import threadpool_limits  # installed with scikit-learn

from backprop_course.datasets import digits, stratified_split

images, y_all = digits()  # (1797, 8, 8) pixel values 0 … 16, (1797,) labels 0 … 9
X_all = images.reshape(-1, 64) / 16.0  # one image per row, in [0, 1]
train, val, test = stratified_split(y_all, [1000, 347, 450], seed=0)  # index arrays
X_train, X_val, X_test = X_all[train], X_all[val], X_all[test]
y_train, y_val, y_test = y_all[train], y_all[val], y_all[test]
img_test = images[test]
Y_train, Y_val = np.eye(10)[y_train], np.eye(10)[y_val]  # one-hot rows (n, 10)
print("all", X_all.shape, "pixel values", images.min(), "to", images.max())
print("train", X_train.shape, " validation", X_val.shape, " test", X_test.shape)
print("test samples per class:", np.bincount(y_test).tolist())

# %% tags=["nbval-ignore-output"]
sd.class_examples_figure(img_test, y_test)

# %% [markdown]
# ## 5 · The one training loop
#
# Every comparison in notebooks 07–09 trains with the library's one loop, `bp.train`. Here
# it is, after the generator of mini-batches it calls: each epoch shuffles the training
# set, cuts it into batches of `batch_size` rows and takes one gradient step per batch, each
# on the mean loss of that batch. So the $1/n$ of section 3 is $1/|B|$, the size of the
# batch at hand; and after every epoch the loop records the mean loss on the *whole*
# training set.

# %%
Code(inspect.getsource(bp.minibatches) + "\n\n" + inspect.getsource(bp.train), language="python")

# %% [markdown]
# The batches of one epoch are not all alike: the last one holds what is left over.

# %%
batch = 32
sizes = [len(X_b) for X_b, _ in bp.minibatches(X_train, Y_train, batch, rng=0)]
print(f"{len(X_train)} training samples = {len(sizes) - 1} × {batch} + {sizes[-1]}")
print(f"batch sizes in one epoch: {sizes[0]} ({len(sizes) - 1} times), then {sizes[-1]}")

# %% [markdown]
# ## 6 · Choosing the learning rate on the validation set
#
# The network is $[64, 64, 10]$: 64 ReLU hidden units, a softmax output, cross-entropy loss,
# plain gradient descent on batches of 32 for 20 epochs. Width, batch size and budget are
# fixed in advance; the learning rate is chosen. Each candidate rate is trained from three
# random starts (seed $s$ draws the initial weights and the order of the batches), and a
# `callback` records the validation loss after every epoch. The score of a rate is its
# validation loss after the last epoch, averaged over the three seeds.


# %%
def train_digits(lr, seed, batch_size=32, epochs=20):
    """A fresh [64, 64, 10] network trained by bp.train: (net, training losses, validation losses)."""
    net = bp.MLP([64, 64, 10], ["relu", "softmax"], loss="cross_entropy", seed=seed)
    val_losses = []

    def record(epoch, net):
        val_losses.append(net.loss(X_val, Y_val))

    # Small products: one BLAS thread avoids the stalls of two on a busy machine (appendix, section 5).
    with threadpool_limits(limits=1, user_api="blas"):
        history = bp.train(
            net, X_train, Y_train, lr, epochs, batch_size=batch_size, rng=seed, callback=record
        )
    return net, history.losses, val_losses


learning_rates, seeds = (0.1, 0.3, 1.0, 3.0), range(3)
runs = {(lr, seed): train_digits(lr, seed) for lr in learning_rates for seed in seeds}

print(f"{'lr':>5}  {f'validation loss over {len(seeds)} seeds':<34}{'validation accuracy':<24}training loss")
score = {}
for lr in learning_rates:
    val = np.array([runs[lr, seed][2][-1] for seed in seeds])
    acc = np.array([np.mean(runs[lr, seed][0].predict(X_val) == y_val) for seed in seeds])
    train = np.array([runs[lr, seed][1][-1] for seed in seeds])
    score[lr] = val.mean()
    print(
        f"{lr:>5g}  {val.mean():.4f} ± {val.std():.4f} ({val.min():.3f}–{val.max():.3f})    "
        f"{acc.mean():.4f} ({acc.min():.3f}–{acc.max():.3f})    {train.mean():.4f}"
    )
z_hidden = {seed: runs[3.0, seed][0].layers[0].apply(X_train)[0] for seed in seeds}  # z of the 64 ReLUs
alive = [int((z_hidden[seed] > 0).any(axis=0).sum()) for seed in seeds]
print(f"lr 3: hidden units positive for at least one training digit, per seed: {alive} of 64")
best_lr = min(score, key=score.get)
print(
    f"chosen: lr = {best_lr:g} (lowest mean validation loss); a uniform guess has loss ln 10 = {np.log(10):.4f}"
)

# %% tags=["nbval-ignore-output"]
sd.loss_curves_figure(
    {f"seed {seed}": runs[best_lr, seed][1:] for seed in seeds}, f"lr {best_lr:g}, batches of 32"
)

# %% [markdown]
# Read the table from both ends. At 0.1 and 0.3 the networks are still learning after 20
# epochs: a higher training loss, a higher validation loss. At 3 every seed ends at chance
# (validation accuracy about 0.10, a loss close to that of a uniform guess): the large first
# steps leave every hidden ReLU negative for every digit, and a dead ReLU passes back no
# gradient, so nothing is learned after that. Rate 1 has the lowest mean validation loss.
# The seeds matter, though: the ± is their standard deviation and the brackets their range,
# and the ranges of 0.3 and 1 overlap: rate 1 is ahead on average, which is what a choice
# over several seeds can say.
#
# Its curves show something that an average of the batch losses seen during each epoch
# would hide: the training loss, measured on all 1000 samples after each epoch, does not
# fall smoothly. Now and then it jumps up by an order of magnitude or more, and the next
# epochs repair the damage.
#
# ### Where the jumps come from
#
# The training loss is measured after every epoch, that is right after the epoch's last
# step — the step on the small left-over batch. Its gradient is a mean over a handful of
# samples, far noisier than a batch of 32 (notebook 08 measures by how much), and it gets
# the same learning rate. To test that explanation, train the chosen rate once more with
# batches of 40, which divide the 1000 samples exactly, and compare the largest rise of
# the training loss from one epoch to the next:

# %%
even = {seed: train_digits(best_lr, seed, batch_size=40) for seed in seeds}
for name, curves in [
    (f"batch 32 (last batch {len(X_train) % 32})", [runs[best_lr, seed][1] for seed in seeds]),
    (f"batch 40 (last batch {len(X_train) % 40 or 40})", [even[seed][1] for seed in seeds]),
]:
    rises = [np.max(np.array(losses[1:]) / np.array(losses[:-1])) for losses in curves]
    print(f"{name:<24}: largest epoch-to-epoch rise of the training loss, per seed {np.round(rises, 1)}")

# %% [markdown]
# Without the small last batch every seed's largest rise is smaller (the second line against
# the first), in two of the three seeds by a factor of about four and five; with it, the
# rises reach ten and twenty times. Much of the jumping was the 8-sample step; what remains,
# such as seed 0's ninefold rise, is the ordinary noise of mini-batch steps at a large rate.
# Batches of 40 were a diagnosis here, not a candidate: changing the batch size would be
# another setting to choose on the validation set (see the questions at the end).
#
# ## 7 · The test set, once
#
# The setting is chosen; now, and only now, the three networks trained at that rate meet
# the test set.

# %%
final = [runs[best_lr, seed][0] for seed in seeds]
test_acc = np.array([np.mean(net.predict(X_test) == y_test) for net in final])
print(f"lr {best_lr:g}, test accuracy per seed: {np.round(test_acc, 4)}")
print(f"mean {test_acc.mean():.4f} ± {test_acc.std():.4f} (range {test_acc.min():.4f}–{test_acc.max():.4f})")

# %% [markdown]
# The **confusion matrix** of the seed-0 network counts, for every true class (row), how
# often each class was predicted (column); the diagonal holds the correct answers.

# %%
net = final[0]
pred_test = net.predict(X_test)
proba_test = net.output(X_test)
cm = np.zeros((10, 10), dtype=int)
np.add.at(cm, (y_test, pred_test), 1)  # one count per test digit, at (true class, predicted class)
print("rows: true class 0 … 9, columns: predicted class 0 … 9")
print(cm)
wrong = np.flatnonzero(pred_test != y_test)
print(f"{len(wrong)} of {len(y_test)} test digits misclassified")

# %% tags=["nbval-ignore-output"]
sd.confusion_figure(cm)

# %% [markdown]
# Every misclassified test digit, with its true label, the prediction and the probability
# the network gave each:

# %% tags=["nbval-ignore-output"]
sd.mistakes_figure(img_test, y_test, pred_test, proba_test)

# %%
for s in wrong:
    print(
        f"test digit {s:3d}: true {y_test[s]}, predicted {pred_test[s]} "
        f"with ŷ = {proba_test[s, pred_test[s]]:.2f} (true class got {proba_test[s, y_test[s]]:.2f})"
    )

# %% [markdown]
# ## 8 · Explorer: a huge derivative times a tiny Jacobian
#
# Section 3 showed that the chain rule through the softmax, $J^{\mathsf T}\,\partial\ell/\partial\hat y$,
# collapses to $\hat y - y$. For one sample with true class $t$, only one entry of
# $\partial\ell/\partial\hat y$ is non-zero, $-1/\hat y_t$, so the product is row $t$ of the
# Jacobian times that number:
#
# $$\frac{\partial \ell}{\partial z_k} = -\frac{1}{\hat y_t}\,\hat y_t(\delta_{tk} - \hat y_k) = \hat y_k - \delta_{tk}.$$
#
# When the network is confidently wrong, $\hat y_t$ is tiny: the first factor is huge, the
# Jacobian row tiny, and their product an ordinary number between −1 and 1. The slider
# walks through the test set, the misclassified digits first; **Δ** adds a number to the
# true class's logit, to make the network as wrong (Δ < 0) or as right (Δ > 0) as you like.
# The table writes the product out for every class $k$, and both routes are checked against
# central differences of $\ell = \log\sum_m e^{z_m} - z_t$, computed from the logits.
#
# **Try:**
# 1. the first digit at Δ = 0: read $-1/\hat y_t$ and the Jacobian row, and multiply;
# 2. Δ = −40: how large is $-1/\hat y_t$, how small the Jacobian row, and what is $\hat y - y$?
# 3. Δ = −700, then −710 and −720: when does the chain route fail, and why not the fused one?
# 4. Δ = +10 on a misclassified digit: what happens to the prediction and to $\hat y - y$?
#
# The answers, computed with the explorer's own function for the first digit of its list:

# %%
order = np.r_[wrong, np.flatnonzero(pred_test == y_test)]
logits = sd.network_logits(net, X_test)
first, label = order[0], int(y_test[order[0]])
print(f"test digit {first}, true class {label}")
print(f"{'Δ':>5} {'ŷ_t':>10} {'−1/ŷ_t':>10} {'max |J_tk|':>10} {'ŷ_t − 1':>8}  predicted  chain  fused")
for shift in (0, -40, -700, -710, -720, 10):
    panel = sd.chain_panel(logits[first], label, shift)
    verdicts = ["✓" if err < bp.TOLERANCE else "✗" for err in (panel["err_chain"], panel["err_fused"])]
    print(
        f"{shift:>5} {panel['yhat'][label]:10.2e} {panel['dyhat_t']:10.2e} "
        f"{np.abs(panel['J_row']).max():10.2e} {panel['dz_fused'][label]:8.4f}  "
        f"{panel['prediction']:>9}  {verdicts[0]:>5}  {verdicts[1]:>5}"
    )
print(f"float64: largest {np.finfo(float).max:.2e}, smallest normal {np.finfo(float).tiny:.2e}")

# %% [markdown]
# 1. At Δ = 0 the network gives the true class some probability; $-1/\hat y_t$ is a modest
#    number, and its product with the Jacobian row is $\hat y_t - 1$ in the last column.
# 2. At Δ = −40, $\hat y_t$ is about $10^{-18}$: the factor $-1/\hat y_t$ is about $10^{18}$
#    and the Jacobian row about $10^{-18}$, and their product is $\hat y - y$ —
#    an ordinary number, −1 for the true class. Both routes pass their check.
# 3. At Δ = −700 the chain route still works. At −710, $\hat y_t$ falls below the smallest
#    normal float64 and $1/\hat y_t$ above the largest one (both printed above): $-1/\hat y_t$
#    becomes −inf and the chain route returns ±inf or NaN (✗). The fused $\hat y - y$ never
#    divides by $\hat y_t$, and the loss from the logits never takes its logarithm, so they
#    stay exact (✓). The network was not broken, only the unfused arithmetic.
# 4. At Δ = +10 the digit is classified correctly, $\hat y_t$ is close to 1 and $\hat y - y$
#    almost vanishes: a confident, right answer teaches the network almost nothing.

# %% tags=["nbval-ignore-output"]
explorer = sd.softmax_digits_explorer(net, X_test, y_test, images=img_test, order=order)
explorer

# %% [markdown]
# Without a running kernel (on GitHub or nbviewer) the explorer cannot redraw; this is its
# first view, the first misclassified digit at Δ = 0:

# %% tags=["nbval-ignore-output"]
display(Image(data=explorer.image.value))

# %% [markdown]
# ## 9 · Exercises
#
# **Exercise 1 — softmax backward without the Jacobian.** A softmax somewhere inside a
# network, not followed by cross-entropy, receives an arbitrary upstream gradient
# $\mathrm{d}a = \partial L/\partial a$ and must return $\mathrm{d}z_k = \sum_i \mathrm{d}a_i\, J_{ik}$
# for each row. Forming $J$ costs $K^2$ numbers per sample: for a vocabulary of 50 000
# words, 2.5 billion. Derive from $J_{ik} = a_i(\delta_{ik} - a_k)$ a formula that needs only
# one inner product per row, and write `softmax_backward(da, a)`: `da` and `a` are `(n, K)`,
# and so is the result. The check compares with the explicit product on random inputs of
# several shapes, and measures the memory your function allocates for $K = 1500$.


# %%
def softmax_backward(da, a):
    """dz = ∂L/∂z of a = softmax(z), row by row, without forming J. da, a (n, K) -> (n, K)."""
    ### BEGIN SOLUTION
    return a * (da - (da * a).sum(axis=1, keepdims=True))
    ### END SOLUTION


# %% points=2
check_softmax_backward(softmax_backward)
### BEGIN HIDDEN TESTS
hidden_tests("coursework.grader.nb07_softmax_digits:check_softmax_backward", softmax_backward)
### END HIDDEN TESTS

# %% [markdown]
# **Exercise 2 — a class-weighted cross-entropy.** When some classes are rare, or some
# mistakes costlier, each class $i$ gets a weight $c_i > 0$:
#
# $$L = -\frac1n\sum_{s=1}^{n}\sum_{i=1}^{K} c_i\, y_{si}\log \hat y_{si}, \qquad \hat y_s = \operatorname{softmax}(z_s).$$
#
# Derive $\partial L/\partial z_{sk}$ as in section 3 (the weighted one-hot row no longer sums
# to 1) and write `weighted_ce_gradient(Z, Y, c)`: logits `Z` and one-hot targets `Y` are
# `(n, K)`, the weights `c` are `(K,)`; return `(n, K)`. $L$ divides by $n$, not by the total
# weight. The check uses several shapes, random weights, and huge logits.


# %%
def weighted_ce_gradient(Z, Y, c):
    """∂L/∂Z of L = −(1/n) Σ_s Σ_i c_i y_si log softmax(z_s)_i. Z, Y (n, K), c (K,) -> (n, K)."""
    ### BEGIN SOLUTION
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    Yhat = e / e.sum(axis=1, keepdims=True)
    w = (Y * c).sum(axis=1, keepdims=True)  # each sample's weight: c of its class
    return w * (Yhat - Y) / len(Z)
    ### END SOLUTION


# %% points=3
check_weighted_ce_gradient(weighted_ce_gradient)
### BEGIN HIDDEN TESTS
hidden_tests("coursework.grader.nb07_softmax_digits:check_weighted_ce_gradient", weighted_ce_gradient)
### END HIDDEN TESTS

# %% [markdown]
# **Exercise 3 — why each row's own maximum.** Answer in a few sentences in the cell below; it
# is read and graded by hand (2 points). Softmax subtracts each row's maximum from the logits
# before exponentiating (section 1). Explain why this changes nothing but the overflow, and why
# subtracting the largest logit of the *whole* batch instead can still give NaN.

# %% [markdown] written="why_subtract_each_rows_maximum" points=2
# **Model answer.** For any constant $c$,
# $\operatorname{softmax}(z - c)_i = e^{z_i - c}/\sum_m e^{z_m - c} = e^{-c}e^{z_i}/(e^{-c}\sum_m e^{z_m})$:
# the factor $e^{-c}$ cancels, so the probabilities, the loss and their gradients are unchanged,
# for any $c$ chosen per row. With $c$ the row's own maximum every exponent is at most 0, so
# nothing overflows, and one of them is exactly 0, so the denominator is at least 1 and never
# 0. With the maximum of the whole batch, a row whose logits all lie far below it (say near
# $-1000$ when another row reaches $+1000$) gets $e^{-2000}$, which is 0 in float64, for every
# entry: its denominator underflows to 0 and $0/0$ is NaN.
#
# **Rubric.**
# - 2: the cancellation (a constant per row divides out of numerator and denominator) and the
#   underflow argument (with the row maximum every exponent is ≤ 0 and one is 0; with the batch's,
#   a row far below it underflows to 0/0)
# - 1: one of the two
# - 0: neither

# %% [markdown]
# ## Summary
#
# - Softmax turns $K$ logits into probabilities; subtracting $\max_m z_m$ first keeps it
#   finite and changes nothing.
# - Its Jacobian is $J = \operatorname{diag}(\hat y) - \hat y^{\mathsf T}\hat y$: not
#   elementwise, every output depends on every logit. A product with it never needs $J$
#   itself.
# - With cross-entropy, $J^{\mathsf T}\,\partial L/\partial \hat y$ collapses to
#   $(\hat y - y)/n$, the same simple form as sigmoid with binary cross-entropy. The unfused
#   route multiplies a huge $-1/\hat y_t$ by a tiny Jacobian row and breaks once $1/\hat y_t$
#   overflows; the fused form, with the loss from the logits, stays exact and is cheap —
#   which is why `MLP.backward` and deep-learning libraries use it.
# - Settings are chosen on a validation split, over several seeds, and the test set is
#   looked at once. The last, smaller batch of an epoch takes a noisier step than the others.
# - Next: notebook 08 replaces plain gradient descent with momentum and Adam. The appendix
#   [docs/in_practice.md](../docs/in_practice.md) wraps this network as a scikit-learn model,
#   saves it, and looks at BLAS threads.
#
# ## Think
#
# 1. The validation loss chose the learning rate. Why would choosing it by test accuracy
#    make the reported test accuracy too optimistic, though no gradient ever saw a test digit?
# 2. Batches of 40 removed the small last batch. Would you now switch to 40? What would you
#    have to do, and with which data, to decide that fairly?
# 3. In exercise 2, how does giving one class the weight $c_i = 3$ differ from tripling the
#    learning rate?

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
# # 06 · Training on two circles
#
# The tutorial this series grew from ends with an experiment: a $[2, 4, 3, 1]$ network
# (ReLU, ReLU, sigmoid) trained by full-batch gradient descent on scikit-learn's two
# circles. Its printed table climbs to 81.8 % accuracy at iteration 145 and then falls
# apart; the tutorial blames the learning rate. Here we reproduce that table to the last
# printed digit, take it apart erratum by erratum, and then train the corrected network
# properly: settings chosen on a validation set, accuracy measured on a test set the choice
# never saw, over several random starts.
#
# **After this notebook you can**
#
# - reproduce the original run exactly, and explain its divergence as two *effective learning
#   rates*, one for the weights and one for the biases, produced by its errata (erratum 8);
# - explore what each erratum did by moving those two rates;
# - see why the original's small initialisation leaves the corrected network stuck at 50 %
#   (erratum 9);
# - train the corrected network with a learning rate chosen on a validation set, report its
#   test accuracy over several seeds, and compare it with scikit-learn's `MLPClassifier` on
#   an equal budget of epochs;
# - derive the gradient of the L2 penalty scikit-learn adds to its loss.
#
# **Prerequisites.** Notebook 04 (binary cross-entropy, the fused $d\mathbf z$) and notebook 05
# (the errata injected, the gradient check, ReLU).
#
# **Time.** Our estimate: 60 minutes, plus 30 for the explorers and the exercises.

# %% locked="setup"
import time
import warnings

import numpy as np
from IPython.display import Image

import backprop_lib as bp
from backprop_course.exercises import hidden_tests
from backprop_course.exercises.nb06_training_two_circles import check_accuracy, check_penalised_gradients
from backprop_course.explorers import nb06_training_two_circles as tc
from backprop_course.original import (
    ablation,
    effective_learning_rates,
    format_ablation,
    make_original_data,
    original_network,
    run_original,
)

X, y = make_original_data()  # 1000 points: X (1000, 2), y (1000, 1)
print(X.shape, y.shape, "class 1 fraction:", y.mean())

# %% [markdown]
# ## 1 · The original run, reproduced exactly
#
# `backprop_course.original` rebuilds the original experiment on this series' own network
# and training loop, **errata included** ([the table in notebook 00](00_start_here.ipynb#Errata-of-the-original-tutorial)
# lists them): the errata hooks of notebook 05 switch on the
# sigmoid derivative $2\sigma(1-\sigma)$ (erratum 1), a cross-entropy divided by the number
# of outputs instead of samples (erratum 4) and `db` averaged while `dW` is summed
# (erratum 5). It draws its data and its initial weights (normal with standard deviation 0.1,
# seed 42, as the original's code does) from private random generators that repeat the
# original's `np.random.seed` streams. Each iteration prints the loss and accuracy of its
# network *before* that iteration's update, as the original did.

# %%
original = tc.original_run()  # run_original(): errata 1, 4 and 5; lr 0.005; 150 full-batch epochs
print(original.table(rows=[0, 1, 2, 3, 145, 146, 147, 148, 149]))

# %% [markdown]
# The original tutorial printed these figures (its published output): loss 693.62972747 and
# accuracy 0.5 before training, 664.60120828 and 0.818 at iteration 145, 697.97739669 and 0.58
# at 146, 683.6170298 and 0.614 at 149. Ours, rounded as the original printed them:

# %%
printed = {
    "before": (693.62972747, 0.5),
    145: (664.60120828, 0.818),
    146: (697.97739669, 0.58),
    149: (683.6170298, 0.614),
}
ours = {
    "before": original.before,
    **{i: (original.losses[i], original.accuracies[i]) for i in (145, 146, 149)},
}
print(
    "every printed figure of the original reproduced:",
    all(round(ours[k][0], 8) == v[0] and ours[k][1] == v[1] for k, v in printed.items()),
)
start_outputs = original_network().output(X)
print(f"untrained outputs ŷ from {start_outputs.min():.4f} to {start_outputs.max():.4f}: ln 2 per sample")

# %% [markdown]
# The untrained network gives nearly the same output, close to ½, for every sample (the range
# above), so each sample costs about $\ln 2$, and the printed 693.6 is their **sum** (notebook
# 04, section 4; erratum 4).
# The table the tutorial printed showed only iterations 0–3 and 145–149. The whole run:

# %% tags=["nbval-ignore-output"]
tc.original_figure(original)

# %%
acc = original.accuracies
print(
    f"best accuracy {acc.max():.3f} at iteration {acc.argmax()}; "
    f"iterations where the loss went up: {int((np.diff(original.losses) > 0).sum())} of 149"
)

# %% [markdown]
# The accuracy reached its best long before iteration 145, and the loss oscillated long
# before the end. Plain gradient descent with a small enough step never raises the loss
# (notebook 02, section 9), so every upward jump says: *the step is too large for the
# curvature here*.
#
# ## 2 · [Erratum 8](00_start_here.ipynb#Errata-of-the-original-tutorial): the divergence is two learning rates
#
# The tutorial blames the learning rate. Its learning rate was 0.005; what its errata did to
# the steps is the real story. Write $\bar L = \frac1n\sum_{s=1}^{n}\ell_s$ for the mean
# cross-entropy and $\bar{\mathbf g}_W = \partial\bar L/\partial\mathbf W$,
# $\bar{\mathbf g}_b = \partial\bar L/\partial\mathbf b$ for its gradients. What the original
# code computes instead:
#
# - its output-layer $d\mathbf z$ is $2(\hat{\mathbf y} - \mathbf y)$: factor 2 from erratum 1,
#   and no $1/n$ because the loss it differentiates is the **sum** $n\bar L$ (erratum 4);
# - `dW` $= \mathbf a^{(k-1)\top}d\mathbf z$ sums over the samples: $\;2n\,\bar{\mathbf g}_W$;
# - `db` $=$ the **mean** of $d\mathbf z$ over the samples (erratum 5): $\;2\,\bar{\mathbf g}_b$.
#
# So the update $\mathbf W \leftarrow \mathbf W - 0.005\cdot$`dW` is gradient descent on
# $\bar L$ with a weight learning rate $\eta_W = 0.005 \cdot 2 \cdot n$ and a bias learning
# rate $\eta_b = 0.005 \cdot 2$, with $n = 1000$:

# %%
print("effective learning rates of the original (η_W, η_b):", effective_learning_rates())

# %% [markdown]
# The weights take enormous steps and the biases barely move: a ratio of $n = 1000$. Test this
# reading directly: run the **corrected** network (no errata, mean loss, exact gradients) with
# those two learning rates, giving the biases theirs by scaling their gradient by
# $\eta_b/\eta_W$ (`bias_ratio`).

# %%
corrected_same_steps = run_original(errata=(), lr=10.0, bias_ratio=0.001)
gap = np.max(np.abs(corrected_same_steps.losses * 1000 - original.losses))
print(f"largest difference of the 150 losses (× 1000, a sum again): {gap:.1e}")
print("same 150 accuracies:", np.array_equal(corrected_same_steps.accuracies, original.accuracies))

# %% [markdown]
# Identical up to rounding: **the original is correct gradient descent with a weight
# learning rate of 10 and a bias learning rate of 0.01.** Its errata changed the step sizes,
# not the direction. Now the ablation: switch the errata off one at a time (and together)
# and re-run the same 150 iterations with the same $\eta = 0.005$. The columns $\eta_W$,
# $\eta_b$ are the effective learning rates on the mean loss; a run counts as *diverged* if
# one step raised the loss by more than 1 %.

# %%
rows = ablation()  # 8 runs of 150 iterations
print(format_ablation(rows))

# %% [markdown]
# Read it through the effective learning rates:
#
# - **Fix 1** halves both rates: the same road at half speed, still at 50 % after 150
#   iterations. Given time it follows the original's fate (below).
# - **Fix 4** (the loss and its gradient become means) divides both by 1000: far too small;
#   nothing happens in 150 iterations.
# - **Fix 5** alone gives the biases the weights' huge rate: the output bias overshoots on the
#   very first steps, the loss *rises* (the "max loss rise" column) and the network predicts
#   one class; it diverges without ever learning.
# - **Fix all**: the code is now correct, and $\eta = 0.005$ on the mean loss is simply tiny.
#
# No row that is "more correct" did better than the original in 150 iterations: the original's
# progress was an accident of its errata. Fixing erratum 4 only in the *printed* number
# (dividing the reported loss by 1000, leaving the backward pass alone) would change nothing
# in training; it would have printed the mean (below) instead of 693.63 and revealed that the
# "average loss" was a sum. And fix 1 given 300 iterations:

# %%
print(f"the original's first loss as a mean: {original.before[0] / 1000:.5f}")
half_speed = run_original(errata=(4, 5), epochs=300)
acc1 = half_speed.accuracies
print(
    f"fix 1, 300 iterations: best accuracy {acc1.max():.3f} at iteration {acc1.argmax()}, "
    f"final {acc1[-1]:.3f}; largest one-step loss rise {100 * np.max(np.diff(half_speed.losses) / half_speed.losses[:-1]):.0f} %"
)

# %% [markdown]
# Every run in its own panel (mean loss in blue on the right axis, so the runs whose accuracy
# never leaves 50 % still show what their loss did):

# %% tags=["nbval-ignore-output"]
tc.ablation_figure(rows, extra=("fix 1, 300 iterations", half_speed))

# %% [markdown]
# ### Explorer: $\eta_W$ and $\eta_b$ over the original run
#
# Every combination of the original's errata 1, 4 and 5 amounts to one pair of learning rates
# $(\eta_W, \eta_b)$ on the mean loss. The explorer trains the corrected network with the pair
# you choose, for the original's 150 iterations, and draws its loss and accuracy over the
# original run (grey). Tick or untick an erratum to set the sliders to what the original's
# code does with that combination and $\eta = 0.005$; or move the sliders (logarithmic) to any
# pair of your own. The line under the controls says which combination of errata, if any,
# gives your pair, and whether a step raised the loss by more than 1 %.
#
# Things to try: lower $\eta_W$ from 10 with $\eta_b$ at 0.01, and find where the divergence
# stops; then raise $\eta_b$ to $\eta_W$ (erratum 5 fixed) and watch the run die in the first
# few iterations; find a pair that reaches a high accuracy in 150 iterations without a single
# rise of the loss.

# %% tags=["nbval-ignore-output"]
rates = tc.rates_explorer(lr_W=10.0, lr_b=0.01)
rates

# %% [markdown]
# Its starting state, the original's own rates, for readers without a kernel:

# %% tags=["nbval-ignore-output"]
Image(data=rates.image.value)

# %%
print(tc.rates_summary(tc.rates_run(10.0, 0.01), 10.0, 0.01))

# %% [markdown]
# ## 3 · [Erratum 9](00_start_here.ipynb#Errata-of-the-original-tutorial): with correct gradients, the original's start is stuck
#
# All errata off, and a range of learning rates, from the original's 0.005 up to 10 (the
# weights' effective rate in the original):

# %%
dead_runs = {}
for lr in [0.005, 0.5, 2.0, 10.0]:
    run = dead_runs[lr] = run_original(errata=(), lr=lr, epochs=150)
    print(
        f"lr {lr:>5}: final loss {run.losses[-1]:.5f} (ln 2 = {np.log(2):.5f}), accuracy {run.accuracies[-1]:.3f}"
    )

# %% [markdown]
# Every run ends at 50 % with a loss of $\ln 2$ or above, the loss of a constant prediction.
# Look at the scale of the start and at which ReLU units ever fire:


# %%
def fraction_active(net, X):
    """Fraction of samples for which each hidden unit has z > 0, per hidden layer."""
    net.forward(X)
    return [np.round((layer.z > 0).mean(axis=0), 3) for layer in net.layers[:-1]]


start = original_network(errata=())  # standard deviation 0.1, seed 42
start.forward(X)
print(
    f"layer-1 outputs: mean {start.layers[0].a.mean():.3f}; layer-2 weights: mean |w| {np.abs(start.layers[1].W).mean():.3f}"
)
print("layer-2 biases at the start:", np.round(start.layers[1].b, 3))
print("at the start:      layer 1", *fraction_active(start, X)[:1], " layer 2", fraction_active(start, X)[1])
after = dead_runs[0.5].net  # trained above, lr 0.5
print("after 150 epochs:  layer 1", *fraction_active(after, X)[:1], " layer 2", fraction_active(after, X)[1])

# %% [markdown]
# Layer 1's outputs and the weights into layer 2 are both small, so $z^{(2)}$ is dominated by
# the biases $\mathbf b^{(2)}$: the units of layer 2 whose bias starts negative **never fire
# for any sample** (their fraction above is 0, and ReLU′ = 0: no gradient will ever revive
# them). The live unit carries everything; during training the correct bias gradient pushes it
# below zero as well, it dies too, the output becomes a constant, and every gradient except the
# output bias's is zero: a dead network at $\bar L = \ln 2$ (or worse, when a large step leaves
# the output bias off-centre). The original escaped only because erratum 5 moved its biases
# 1000 times slower than its weights.
#
# The cure is an initialisation scaled to the layer: **He** initialisation,
# $w_{ji} \sim \mathcal N(0, 2/n_{k-1})$ and $\mathbf b = 0$, keeps the spread of ReLU
# pre-activations from shrinking layer by layer (notebook 09 develops this). It is
# `bp.MLP`'s default for ReLU layers.
#
# ## 4 · The corrected model, measured honestly
#
# We split the 1000 points, stratified, into 600 for training, 150 for **validation** (to
# choose settings) and 250 for **testing** (used once, for the chosen setting):

# %%
X_train, X_val, X_test, y_train, y_val, y_test = tc.circles_split()
print("train", X_train.shape, "validation", X_val.shape, "test", X_test.shape)

# %% [markdown]
# The same $[2, 4, 3, 1]$ architecture, He initialisation, mean cross-entropy, full-batch
# gradient descent for 600 epochs. The learning rate is chosen from five candidates by the
# loss on the validation set after training (a finer measure than accuracy, which ties near
# 1). The explorer of section 5 trains exactly these runs (seed 1) and keeps them, so we build
# it now and read the choice from it:

# %% tags=["nbval-ignore-output"]
explorer = tc.training_explorer(data=(X_train, X_val, y_train, y_val), lr=0.3)

# %%
best_lr, val_losses = tc.choose_learning_rate(explorer.cache, tc.LEARNING_RATES)
for lr, loss in val_losses.items():
    run = explorer.cache.get(lr)
    print(
        f"lr {lr:>5}: validation loss {loss:.4f}, train accuracy {run.train_accuracy[-1]:.3f}, "
        f"validation accuracy {run.test_accuracy[-1]:.3f}"
    )
print("chosen learning rate:", best_lr)

# %% [markdown]
# A small network depends on its random start, so one run says little. Train the chosen
# setting from four starts (seeds 0 to 3; the explorer has trained seed 1 already) and measure
# each on the test set:

# %%
seeds = range(4)
nets, losses = [], []
start_time = time.perf_counter()
for seed in seeds:
    nets.append(tc.new_network(seed))
    if seed == 1:  # the explorer's run: the same start, rate and epochs
        nets[-1].set_parameters(explorer.cache.get(best_lr).params_at(600))
        losses.append(explorer.cache.get(best_lr).losses)
    else:
        losses.append(bp.train(nets[-1], X_train, y_train, best_lr, 600).losses)
ours_seconds = (time.perf_counter() - start_time) / (len(seeds) - 1)
test_accuracies = []
for seed, net, loss in zip(seeds, nets, losses):
    test_accuracies.append(bp.accuracy(y_test, net.output(X_test)))
    print(
        f"seed {seed}: train {bp.accuracy(y_train, net.output(X_train)):.3f}, test {test_accuracies[-1]:.3f}, "
        f"final loss {loss[-1]:.4f}, loss ever rose: {bool(np.any(np.diff(loss) > 0))}"
    )
print(f"test accuracy over seeds 0–3: from {min(test_accuracies):.3f} to {max(test_accuracies):.3f}")

# %% [markdown]
# Most starts separate the circles almost perfectly on data they never saw; some start slowly
# and are still far from done after 600 epochs (read the range and the final losses above). No
# run ever raised its loss. The decision boundary of the seed-1 network, a closed polygon
# between the two rings, with the test points:

# %% tags=["nbval-ignore-output"]
tc.decision_figure(nets[1], X_test, y_test, losses[1])

# %% [markdown]
# ## 5 · Explorer: learning rate and epochs
#
# The explorer holds the five runs of the learning-rate choice (600 epochs each, seed 1, the
# parameters kept every ten epochs), so both sliders move through saved runs. The left panel
# shows $P(\text{class }1)$ and the 0.5 boundary at the chosen epoch; the right panel the
# training loss of all five rates, the chosen one in bold. Try the smallest rates (too slow),
# the chosen one, and the largest (a step too far). First the static picture for the chosen
# rate at four epochs:

# %% tags=["nbval-ignore-output"]
tc.snapshots_figure(explorer.cache.get(best_lr), X_train, y_train)

# %% tags=["nbval-ignore-output"]
explorer.lr.value = best_lr
explorer

# %% [markdown]
# ## 6 · Side by side with scikit-learn
#
# scikit-learn's `MLPClassifier` with the same hidden sizes (4, 3) and ReLU, on the same
# split, with the same budget of at most 600 epochs (passes over the training data). Its
# defaults, printed first below, differ from our plain loop: the Adam optimiser on
# mini-batches (`"auto"` means 200 samples, or all of them if fewer, in scikit-learn's
# documentation), an L2 penalty (exercise 2 derives its gradient), and a stop once the loss
# has improved by less than the tolerance for as many epochs as the patience. Its learning
# rate is chosen like ours, by the validation loss (seed 0), then run from the same four seeds.

# %%
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss
from sklearn.neural_network import MLPClassifier


def sklearn_fit(lr, seed):
    """MLPClassifier with hidden sizes (4, 3) on the training set: (classifier, converged?)."""
    clf = MLPClassifier(hidden_layer_sizes=(4, 3), learning_rate_init=lr, max_iter=600, random_state=seed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        clf.fit(X_train, y_train[:, 0])
    return clf, not any(issubclass(w.category, ConvergenceWarning) for w in caught)


defaults = MLPClassifier()
print(f"activation {defaults.activation}, solver {defaults.solver}, batch size {defaults.batch_size}")
print(
    f"L2 penalty alpha {defaults.alpha}, tolerance {defaults.tol}, patience {defaults.n_iter_no_change} epochs"
)
start_time = time.perf_counter()
candidates = {lr: sklearn_fit(lr, 0) for lr in (0.01, 0.03, 0.1)}  # seed 0, for the choice
sk_losses = {lr: log_loss(y_val[:, 0], clf.predict_proba(X_val)) for lr, (clf, _) in candidates.items()}
sk_lr = min(sk_losses, key=sk_losses.get)
print("validation loss:", {lr: round(v, 4) for lr, v in sk_losses.items()}, "→ learning_rate_init", sk_lr)
sk_test = []
for seed in seeds:  # seed 0 of the chosen rate is trained already
    clf, converged = candidates[sk_lr] if seed == 0 else sklearn_fit(sk_lr, seed)
    sk_test.append(clf.score(X_test, y_test[:, 0]))
    state = "converged" if converged else "stopped at 600"
    print(
        f"seed {seed}: train {clf.score(X_train, y_train[:, 0]):.3f}, test {sk_test[-1]:.3f}, {clf.n_iter_} epochs, {state}"
    )
sklearn_seconds = (time.perf_counter() - start_time) / (len(candidates) + len(seeds) - 1)
print(f"scikit-learn test accuracy over seeds 0–3: from {min(sk_test):.3f} to {max(sk_test):.3f}")
print(
    f"backprop_lib test accuracy over seeds 0–3: from {min(test_accuracies):.3f} to {max(test_accuracies):.3f}"
)

# %% tags=["nbval-ignore-output"]
print(f"time per run: backprop_lib {ours_seconds:.2f} s (600 epochs), scikit-learn {sklearn_seconds:.2f} s")

# %% [markdown]
# Read the two ranges, not one lucky seed. The lesson is not "ours is better" or "theirs is":
# a hand-written loop, once its gradients are right and its learning rate and initialisation
# are sensible, behaves like a standard library, and both depend on their random start.
#
# ## 7 · Exercises
#
# ### Exercise 1 · accuracy
#
# Write `accuracy_of(y, yhat)`: `y` holds labels 0/1 with shape `(n,)`, `yhat` the network's
# output probabilities with shape `(n, 1)`. Return the fraction (a float) of samples whose
# prediction $\hat y > 0.5$ equals the label. Watch the shapes. The check uses several sizes
# and includes outputs exactly equal to 0.5.


# %%
def accuracy_of(y, yhat):
    """Fraction of samples with (ŷ > 0.5) == y; y (n,) of 0/1, yhat (n, 1)."""
    ### BEGIN SOLUTION
    predicted = (yhat[:, 0] > 0.5).astype(int)
    return float(np.mean(predicted == y))
    ### END SOLUTION


# %% points=1
check_accuracy(accuracy_of)
### BEGIN HIDDEN TESTS
hidden_tests("coursework.grader.nb06_training_two_circles:check_accuracy", accuracy_of)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2 · the gradient of scikit-learn's L2 penalty
#
# A derivation this notebook has not shown. scikit-learn's `MLPClassifier` minimises the mean
# loss plus a penalty on the size of the weights (not the biases),
#
# $$\bar L + \frac{\alpha}{2n}\sum_k \lVert \mathbf W^{(k)} \rVert^2, \qquad
#   \lVert \mathbf W \rVert^2 = \sum_{j,i} w_{ji}^2 .$$
#
# Derive the gradient of this penalised loss with respect to $\mathbf W^{(k)}$ and
# $\mathbf b^{(k)}$, given the gradients `dW`, `db` of $\bar L$ alone. Write
# `penalised_gradients(dW, db, W, b, alpha, n)` returning the pair `(dW_penalised,
# db_penalised)` for one layer, of the shapes of `W` and `b`. The check tries several layers,
# $\alpha$ and $n$, and names the usual slips. Graded in two parts, `dW` and `db`.


# %%
def penalised_gradients(dW, db, W, b, alpha, n):
    """Gradients of L̄ + (α/2n)·Σ W² for one layer, from those of L̄ (dW, db)."""
    ### BEGIN SOLUTION
    return dW + alpha * W / n, db
    ### END SOLUTION


# %% points=2
check_penalised_gradients(penalised_gradients, part="dW")
### BEGIN HIDDEN TESTS
hidden_tests(
    "coursework.grader.nb06_training_two_circles:check_penalised_gradients", penalised_gradients, part="dW"
)
### END HIDDEN TESTS


# %% points=1
check_penalised_gradients(penalised_gradients, part="db")
### BEGIN HIDDEN TESTS
hidden_tests(
    "coursework.grader.nb06_training_two_circles:check_penalised_gradients", penalised_gradients, part="db"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Summary
#
# - The replica reproduces the original's printed table exactly; its "average" loss of 693.6
#   was a sum over 1000 samples (erratum 4).
# - Its errata amount to correct gradient descent with two learning rates, a large one for the
#   weights and a 1000 times smaller one for the biases: running the corrected code with those
#   two rates reproduces the original run to rounding. The divergence is the weights' step
#   being far too large; the original's progress depended on its errata (erratum 8).
# - With correct gradients, the original's small normal start kills the ReLUs of layer 2 and
#   the network sits at 50 % whatever the learning rate (erratum 9).
# - With He initialisation and a learning rate chosen on a validation set, the same network
#   separates the circles on most random starts; its test accuracy is a range over seeds, and
#   scikit-learn's `MLPClassifier` on the same budget shows a range of its own.
#
# ## Think
#
# 1. Erratum 5 made the biases learn 1000 times slower than the weights, and that is what let
#    the original escape the dead start. Would you call erratum 5 a bug or an accidental cure?
#    What would you change instead?
# 2. Why choose the learning rate on a validation set rather than on the test set, if both
#    are data the network never trained on?
# 3. One seed in section 4 ended far from the others. What would you try first: more epochs, a
#    different learning rate, or a different initialisation? How would you decide without
#    looking at the test set?

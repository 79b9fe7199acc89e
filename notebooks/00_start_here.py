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
# # Back-propagation, step by step — start here
#
# This series teaches **back-propagation**, the algorithm that computes the gradients every
# neural network is trained with, from the chain rule up. We write a small multilayer
# perceptron as equations, derive each of its gradients by hand, turn the derivation into
# matrix form and into code, and train the network. Every formula is checked numerically
# where it is derived, and most notebooks have sliders that let you step through the maths
# and watch every number change.
#
# The series grew out of a short online tutorial on the same topic. That tutorial contains
# several errors (a derivative twice too large, a gradient with the wrong activation, a lost
# minus sign, a loss averaged over the wrong axis); we correct each one where it arises and
# show what it did to the original's training run. They are listed at the end of this page.
#
# **Who it is for.** You know what a derivative is, have met the chain rule and matrix
# multiplication, and can read a little Python and numpy. No machine learning is assumed,
# and no deep-learning framework is needed: everything runs on numpy, in the small library
# `backprop_lib` that comes with the series. Instructors can hand the notebooks out as
# coursework: the exercises give instant feedback and are ready for autograding with nbgrader.
#
# **Notation.** Notebook 02 sets up one table of symbols (which index is the layer, which the
# unit, what $d\mathbf W$ means) that every later notebook follows.
#
# **Time.** Our estimate for this page: 10 minutes. Each notebook states its own at the top.

# %% [markdown]
# ## The map
#
# Work through the notebooks in order; each builds on the previous ones. A Binder badge opens
# that notebook in JupyterLab in your browser, with nothing to install.
#
# | # | notebook | what you will learn | on Binder |
# |---|---|---|---|
# | 00 | [Start here](00_start_here.ipynb) | this page: the map, sliders, exercises, how to run | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/backprop-notebooks/backprop-notebooks/main?urlpath=lab/tree/notebooks/00_start_here.ipynb) |
# | 01 | [Total derivatives](01_total_derivatives.ipynb) | partial vs total derivatives; the chain rule as a sum over paths; the total differential as a linear approximation | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/backprop-notebooks/backprop-notebooks/main?urlpath=lab/tree/notebooks/01_total_derivatives.ipynb) |
# | 02 | [The network as equations](02_network_equations.ipynb) | a 3-4-2-2 network written unit by unit, the notation of the series, the loss, gradient descent | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/backprop-notebooks/backprop-notebooks/main?urlpath=lab/tree/notebooks/02_network_equations.ipynb) |
# | 03 | [Back-propagation by hand](03_backprop_by_hand.ipynb) | every gradient of that network derived step by step and checked numerically | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/backprop-notebooks/backprop-notebooks/main?urlpath=lab/tree/notebooks/03_backprop_by_hand.ipynb) |
# | 04 | [Matrix form](04_matrix_form.ipynb) | 03's gradients again with four matrix formulas; batches; binary cross-entropy; why matrices are fast | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/backprop-notebooks/backprop-notebooks/main?urlpath=lab/tree/notebooks/04_matrix_form.ipynb) |
# | 05 | [Implementing back-propagation](05_implementing_backprop.ipynb) | the library's own code against the equations; gradient checking; hunting the original's bugs | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/backprop-notebooks/backprop-notebooks/main?urlpath=lab/tree/notebooks/05_implementing_backprop.ipynb) |
# | 06 | [Training on two circles](06_training_two_circles.ipynb) | the original experiment reproduced, why it diverged, and the fixed model measured on held-out data | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/backprop-notebooks/backprop-notebooks/main?urlpath=lab/tree/notebooks/06_training_two_circles.ipynb) |
# | 07 | [Softmax on digits](07_softmax_digits.ipynb) | many classes: softmax and cross-entropy on handwritten digits | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/backprop-notebooks/backprop-notebooks/main?urlpath=lab/tree/notebooks/07_softmax_digits.ipynb) |
# | 08 | [Optimisers and mini-batches](08_optimizers_and_minibatches.ipynb) | mini-batch SGD, momentum and Adam | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/backprop-notebooks/backprop-notebooks/main?urlpath=lab/tree/notebooks/08_optimizers_and_minibatches.ipynb) |
# | 09 | [Initialisation and vanishing gradients](09_initialization_and_vanishing_gradients.ipynb) | why a network can fail to learn from the start, and how to initialise it | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/backprop-notebooks/backprop-notebooks/main?urlpath=lab/tree/notebooks/09_initialization_and_vanishing_gradients.ipynb) |
# | 10 | [From backprop to autodiff](10_from_backprop_to_autodiff.ipynb) | a tiny reverse-mode automatic differentiation engine, and how frameworks do it | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/backprop-notebooks/backprop-notebooks/main?urlpath=lab/tree/notebooks/10_from_backprop_to_autodiff.ipynb) |

# %% [markdown]
# ## How the explorers work
#
# Most notebooks contain **explorers**: small interactive panels of sliders, text boxes and
# buttons, with a figure or table that follows them. Run the notebook from the top
# (*Run ▸ Run All Cells*); an explorer appears under its cell. Move a slider and every number
# it controls is recomputed at once: the terms of a chain rule, a gradient, its
# finite-difference check, a tangent line.
#
# Explorers need a running Python kernel. Where none runs (the notebook as shown on GitHub
# or nbviewer), an explorer cannot draw, so next to each one you will find a **static
# figure or table** of its starting state. The notebook reads well either way; the sliders
# are for when you run it yourself.

# %% [markdown]
# ## How the exercises work
#
# Exercises sit where their topic is, and most come *before* the text that answers them: you
# try a derivation first, then read on and compare. Each notebook also has at least one
# exercise whose answer it never shows. An exercise has three cells:
#
# 1. a short **task**: what function to write, with the shapes of its inputs and outputs;
# 2. the **function** to complete. In the version of the series with solutions (the
#    repository's `notebooks/` folder) it holds a worked solution between the lines
#    `### BEGIN SOLUTION` and `### END SOLUTION`. The student versions (the repository's
#    `student/` folder, and what a course hands out) have `raise NotImplementedError()` in its
#    place, and replacing it is your job;
# 3. a **check** that runs your function on random inputs (several shapes, so wrong code
#    cannot pass by luck) and prints
#    - ✅ when the answer is right,
#    - ❌ with the likely mistake named (a missing transpose, a factor 2, a sign, a sum over
#      the wrong axis, ...) when it is wrong, or, for a mistake it cannot name, the input on
#      which your answer differs, so that you can reproduce it,
#    - ⏳ "not attempted yet" while the function still raises `NotImplementedError`, so a
#      notebook with open exercises still runs from top to bottom.
#
# A check also refuses an answer that hands the work to `backprop_lib`'s own version of the
# exercise (say, its `adam_update` for the exercise on Adam), even though that computes the
# right numbers: the exercise is to write it yourself. Later cells never use your exercise
# functions, so an unfinished exercise cannot break the rest of a notebook.
#
# **Graded coursework.** An instructor can grade the exercises with nbgrader. Each check is
# then worth points by its difficulty, some are split into parts graded on their own, and a
# few exercises ask for a written answer that a person reads. The try-then-read exercises of
# 02, 03 and 04, whose answer the notebook works out a few cells further on, are practice:
# checked with feedback like the others, worth no points. In the version with solutions a
# check cell ends with lines between `### BEGIN HIDDEN TESTS` and `### END HIDDEN TESTS`: when
# the notebook is graded they run hidden tests on inputs of their own (one sample, one unit,
# extreme values) from a grader that students never receive, and anywhere else they print one
# line saying so (🔒). The student versions do not have those lines, and the set-up cell at the
# top of each notebook is locked there, so that it cannot be lost by accident.
#
# Some explorers have a **your turn** mode as well: they hide the next number of a
# derivation, you type it, and the feedback names the slip (a forgotten derivative, a wrong
# index, a dropped term, the sign).
#
# Here is a check in action, on a warm-up question: the derivative of $x^3$.

# %%
import numpy as np
from IPython.display import Markdown

import backprop_lib as bp
from backprop_course.errata import errata_table
from backprop_course.exercises import diagnose, exercise


@exercise("derivative of x³")
def check_cube_derivative(derivative, seed=0):
    """derivative(x) -> d(x³)/dx for a numpy array x."""
    x = np.random.default_rng(seed).uniform(-2, 2, size=6)
    diagnose(
        derivative(x),
        3 * x**2,
        {
            "is 3× too small: bring the exponent down, d(x³)/dx = 3x², not x².": x**2,
            "has the exponent unchanged: d(x³)/dx = 3x², not 3x³.": 3 * x**3,
        },
        what="d(x³)/dx",
    )


def right(x):
    return 3 * x**2


def forgot_the_factor(x):
    return x**2


def not_started(x):
    raise NotImplementedError()


for answer in (right, forgot_the_factor, not_started):
    check_cube_derivative(answer)

# %% [markdown]
# The same library computes everything the notebooks show. One line builds the network of
# the original tutorial, and one more checks all its gradients against central differences
# (notebook 03 explains the check, notebook 05 this function):

# %%
net = bp.MLP([2, 4, 3, 1], ["relu", "relu", "sigmoid"], loss="bce", seed=0)
rng = np.random.default_rng(0)
X, y = rng.normal(size=(8, 2)), rng.integers(0, 2, size=(8, 1))
worst = max(bp.check_network(net, X, y).values())
print(net)
print(f"largest relative error against central differences: {bp.format_rel_error(worst)}")

# %% [markdown]
# ## Errata of the original tutorial
#
# The tutorial this series grew from has nine errata: five mistakes in its formulas and code,
# a clash of conventions, an index clash, and two conclusions its run does not support. Each
# is taught where the series reaches it (the last column links to that notebook and section),
# and notebooks 05 and 06 inject the five formula mistakes into correct code to show what each
# does. The table below is `backprop_course.errata.ERRATA`, the same list the notebooks use.

# %%
Markdown(errata_table())

# %% [markdown]
# ## Running the notebooks
#
# **On your machine.** You need Python 3.11 and `make`. In a copy of the repository:
#
# ```bash
# make lab     # first time: creates .venv, installs the pinned packages and the series;
#              # then opens this notebook in JupyterLab
# make test    # runs the library's tests and re-runs every notebook to compare its outputs
# ```
#
# **In the browser.** Click a notebook's Binder badge in the map above: Binder builds the
# series' environment (the first start can take a few minutes) and opens that notebook in
# JupyterLab. Changes made there are not saved when the session ends: download what you want
# to keep.
#
# **Exercises without the solutions.** The series comes in two versions with the same cells:
# with worked solutions (the repository's `notebooks/` folder) and without (the student versions
# in its `student/` folder, which is what a course hands out). If the exercise functions of the
# notebook you are reading end in `raise NotImplementedError()`, it is a student version: try
# each exercise, then compare with the version with solutions.
#
# Ready? Continue with [01 · Total derivatives](01_total_derivatives.ipynb).

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
# # 01 · Total derivatives
#
# Back-propagation is the chain rule plus careful bookkeeping. The one piece of calculus it
# needs beyond a first course is the **total derivative**: when a quantity depends on $x$
# along several paths, its derivative is the sum of the contributions of all the paths.
# In a network, every hidden unit feeds every unit of the next layer, so every hidden
# gradient is such a sum. This notebook takes the idea apart on a function of one variable.
#
# **After this notebook you can**
#
# - tell a partial derivative $\partial f/\partial t$ from a total derivative $df/dx$;
# - write $df/dx$ for $f(t(x), u(x), v(x))$ as one chain-rule term per path, and check it
#   against central differences;
# - use the total differential $df$ as a linear approximation of the true change $\Delta f$,
#   and explain why its error shrinks like $dx^2$.
#
# **Prerequisites.** A first calculus course: derivatives of $x^n$, $\sin$, $e^x$, and the
# chain rule for one variable. A little Python and numpy. Notebook 00 explains how explorers
# and exercises work.
#
# **Time.** Our estimate: 40 minutes, plus 20 for the exercises.

# %% locked="setup"
import math

import numpy as np
from IPython.display import HTML, Image, display

import backprop_lib as bp
from backprop_course.exercises import hidden_tests
from backprop_course.exercises.nb01_total_derivatives import (
    check_neuron_differential,
    check_total_derivative,
)
from backprop_course.explorers import nb01_total_derivatives as td

# %% [markdown]
# ## 1. Partial derivatives
#
# Take a function of three variables,
#
# $$f(t, u, v) = t\,u + v^2 .$$
#
# The **partial derivative** $\partial f/\partial t$ asks: how fast does $f$ change if $t$
# moves and $u$, $v$ stay exactly where they are? Treating $u$ and $v$ as constants,
#
# $$\frac{\partial f}{\partial t} = u, \qquad \frac{\partial f}{\partial u} = t, \qquad
# \frac{\partial f}{\partial v} = 2v .$$
#
# The curly $\partial$ is the reminder that the other arguments are held fixed.
#
# **Checking a derivative with numbers.** A derivative is a rate of change, so we can
# measure it: move one argument a tiny step $\varepsilon$ up and down, with the others held
# fixed, and divide the change of $f$ by the distance $2\varepsilon$,
#
# $$\frac{\partial f}{\partial t} \approx \frac{f(t + \varepsilon, u, v) - f(t - \varepsilon, u, v)}{2\varepsilon} .$$
#
# This **central difference** is what the whole series uses to check its formulas. The library
# does it with `bp.numerical_gradient(f, point)`, whose contract is worth knowing now:
#
# - `point` is a numpy array of floats, the arguments to move;
# - `f` is a function that takes **no** arguments and reads `point` when it is called;
# - for each entry in turn, `numerical_gradient` moves it by $+\varepsilon$, calls `f()`, moves
#   it by $-\varepsilon$, calls `f()` again, puts it back, and divides; it returns an array of
#   `point`'s shape with one derivative per entry.
#
# `lambda: td.outer(*point)` writes such a function on the spot: a function of no arguments
# that evaluates $f$ at whatever `point` holds at that moment. Check all three partial
# derivatives at one point:

# %%
t0, u0, v0 = 1.5, -0.5, 2.0
analytic = td.partials(t0, u0, v0)
point = np.array([t0, u0, v0])
numeric = bp.numerical_gradient(lambda: td.outer(*point), point)
for k, name in enumerate(td.NAMES):
    print(f"∂f/∂{name}: formula {analytic[k]: .6f}   central difference {numeric[k]: .6f}")

# %% [markdown]
# ## 2. When $t$, $u$ and $v$ all depend on $x$
#
# Now let the three arguments be functions of one number $x$:
#
# $$t(x) = x^2, \qquad u(x) = \sin x, \qquad v(x) = e^{x/2} .$$
#
# Then $f$ is a function of $x$ alone, $f(x) = x^2 \sin x + e^{x}$, and it is fair to ask
# for $df/dx$. Nudging $x$ moves $t$, $u$ and $v$ *at the same time*, and each of those moves
# changes $f$. There are three paths from $x$ to $f$:
#
# ```
#          dt/dx         ∂f/∂t
#      ┌──────────▶ t ──────────┐
#   x ─┼──────────▶ u ──────────┼──▶ f
#      └──────────▶ v ──────────┘
#          dv/dx         ∂f/∂v
# ```
#
# Along each path the chain rule multiplies the local derivatives; the paths add:
#
# $$\frac{df}{dx} = \frac{\partial f}{\partial t}\frac{dt}{dx}
#   + \frac{\partial f}{\partial u}\frac{du}{dx}
#   + \frac{\partial f}{\partial v}\frac{dv}{dx} .$$
#
# This is the **total derivative**: "total" because it follows $x$ through every path.
# For our example, with $dt/dx = 2x$, $du/dx = \cos x$ and $dv/dx = \tfrac12 e^{x/2}$:
#
# $$\frac{df}{dx} = \underbrace{\sin x \cdot 2x}_{\text{via } t}
#   + \underbrace{x^2 \cdot \cos x}_{\text{via } u}
#   + \underbrace{2e^{x/2} \cdot \tfrac12 e^{x/2}}_{\text{via } v}
#   = 2x\sin x + x^2\cos x + e^{x} ,$$
#
# which is exactly what differentiating $x^2\sin x + e^x$ directly gives. First check the
# three inner derivatives, then the sum, at $x = 1$:

# %%
x0 = 1.0
point = np.array([x0])
for k, (name, formula) in enumerate(zip(td.NAMES, td.inner_derivatives(x0))):
    numeric = bp.numerical_gradient(lambda: td.inner(point[0])[k], point)[0]
    print(f"d{name}/dx: formula {formula: .6f}   central difference {numeric: .6f}")

# %%
terms = td.chain_rule_terms(x0)
for name in td.NAMES:
    term = terms[name]
    print(f"∂f/∂{name} · d{name}/dx = {term['partial']: .6f} × {term['inner']: .6f} = {term['term']: .6f}")
numeric = td.central_difference(x0)
error = bp.rel_error(terms["total"], numeric)
print(f"sum of the three terms  df/dx = {terms['total']:.6f}")
print(f"central difference            = {numeric:.6f}")
print(f"relative error {bp.format_rel_error(error)}")

# %% [markdown]
# (The relative error $|a - n| / (|a| + |n|)$ compares two numbers whatever their size. The
# series counts a formula as confirmed when it is below $10^{-7}$, the library's
# `bp.TOLERANCE`; a ✓ marks that, and errors too small to matter print as "< 1e-8".)
#
# Compare with the partial derivative at the same point: $\partial f/\partial t = u = \sin 1$,
# printed above as the first factor of the first line, is one ingredient of $df/dx$, the sum
# printed below it. The partial derivative is one ingredient; the total derivative is the
# whole recipe.
#
# *Why it matters for networks.* In notebook 03 the loss $L$ depends on the output
# $a^{(2)}_j$ of a hidden unit through every output $\hat y_i$, and
# $\partial L/\partial a^{(2)}_j = \sum_i \frac{\partial L}{\partial \hat y_i}
# \frac{\partial \hat y_i}{\partial a^{(2)}_j}$ is the same sum over paths, one term per output.

# %% [markdown]
# ## 3. The total differential
#
# Multiply the total derivative by a small step $dx$. Writing $dt = \frac{dt}{dx}dx$ and
# likewise $du$, $dv$ gives the **total differential** below. Note what $dt$ is: not the true
# change $\Delta t = t(x + dx) - t(x)$, but its first-order part, the change the tangent line
# of $t$ predicts. (In this notebook a $d$ always means such a small change. From notebook 04
# on, $d\mathbf W$ will be shorthand for $\partial L/\partial \mathbf W$; notebook 02's
# notation table lists both.)
#
# $$df = \frac{\partial f}{\partial t}\,dt + \frac{\partial f}{\partial u}\,du
#   + \frac{\partial f}{\partial v}\,dv = \frac{df}{dx}\,dx .$$
#
# $df$ is the change predicted by the tangent line at $x$. The true change is
# $\Delta f = f(x + dx) - f(x)$, and Taylor's theorem says how far apart they are:
#
# $$\Delta f = \frac{df}{dx}\,dx + \tfrac12 f''(x)\,dx^2 + O(dx^3)
# \quad\Longrightarrow\quad \Delta f - df \approx \tfrac12 f''(x)\,dx^2 .$$
#
# So halving $dx$ should divide the error by about 4, and the error divided by $dx^2$ should
# settle at $\tfrac12 f''(1) \approx 2.860$. Check:

# %%
dxs = 0.2 / 2.0 ** np.arange(8)
errors = np.array([td.total_differential(x0, dx)["error"] for dx in dxs])
print("      dx        df = f'(x)·dx   Δf − df      ratio to previous   (Δf − df)/dx²")
for k, (dx, err) in enumerate(zip(dxs, errors)):
    ratio = f"{errors[k - 1] / err:8.3f}" if k else "        "
    df = td.total_differential(x0, dx)["df"]
    print(f"  {dx:.7f}   {df:.8f}     {err:.4e}   {ratio}            {err / dx**2:.3f}")
print(f"½ f''(1) = {td.second_derivative(x0) / 2:.3f}")

# %% [markdown]
# On a log-log plot an error proportional to $dx^2$ is a straight line of slope 2. Fit the
# slope over four decades of $dx$:

# %%
dx_grid = np.logspace(-5, -1, 9)
err_grid = td.differential_errors(x0, dx_grid)
slope = td.fitted_slope(dx_grid, err_grid)
print(f"fitted slope of log|Δf − df| against log dx: {slope:.2f}")

# %% tags=["nbval-ignore-output"]
td.error_figure(x0, dx_grid)

# %% [markdown]
# The tangent-line view is the heart of gradient descent, which notebook 02 introduces: a
# small step against the gradient changes the loss by about the total differential, and the
# neglected part is second order.

# %% [markdown]
# ## 4. Explorer: every number of the chain rule, live
#
# Move **x** to see the three chain-rule terms, their sum and the central-difference value
# (they agree to every printed digit), and the tangent line move along the curve. Move
# **dx** (a logarithmic slider) to compare the tangent's prediction $f(x) + df$ (square) with
# the true $f(x + dx)$ (dot); the red segment is the error $\Delta f - df$. The right panel
# shows that error for every $dx$ at once: a line of slope 2, sitting on
# $\tfrac12|f''(x)|\,dx^2$.
#
# Things to try:
#
# - Take $dx$ from 1 down to 0.001: the red segment vanishes much faster than $dx$ does.
# - Set $x = -0.15$ or $x = -1.49$, close to the inflection points where $f''(x) = 0$ (the
#   cell below prints $f''$ there and at $x = 1$). The dashed line $\tfrac12|f''(x)|\,dx^2$
#   drops with $|f''(x)|$; for most $dx$ the error now follows the next Taylor term,
#   proportional to $dx^3$ (a steeper line), and the dip marks the $dx$ where the $dx^2$ and
#   $dx^3$ terms cancel.
# - Find an $x$ where one of the three terms is negative while $df/dx$ is positive.

# %%
for x in (1.0, -0.15, -1.49):
    print(f"f''({x:5.2f}) = {td.second_derivative(x):8.4f}")

# %% tags=["nbval-ignore-output"]
explorer = td.total_derivative_explorer(x=1.0, dx=0.5)
explorer

# %% [markdown]
# Without a running kernel (on GitHub or nbviewer) the explorer above cannot draw. Here is
# its starting state, $x = 1$, $dx = 0.5$, as a static picture and table:

# %% tags=["nbval-ignore-output"]
display(Image(data=explorer.image.value))
display(HTML(td.terms_html(1.0, 0.5)))

# %% [markdown]
# ### Your turn
#
# Now compute the chain rule yourself, at a new point $x = 0.7$. Type each term, then their
# sum, and press *Check*: a wrong value that matches a typical slip (a forgotten inner
# derivative, the wrong partial, a sign, a path left out) is named; *Hint* shows the rule,
# *Show the answer* the numbers. (The boxes need a running kernel.)

# %% tags=["nbval-ignore-output"]
td.chain_rule_quiz(x=0.7)

# %% [markdown]
# ## 5. Exercises
#
# ### Exercise 1 — a total derivative
#
# Let $g(p, q, r) = p\,q - r^2$ with $p(x) = \cos x$, $q(x) = x^2$ and $r(x) = e^{-x}$.
# Complete `dg_dx(x)` so that it returns the total derivative $dg/dx$ at a number `x`.
# Derive each of the three chain-rule terms $\frac{\partial g}{\partial p}\frac{dp}{dx} +
# \dots$ and return their sum, rather than simplifying $g(x)$ first. `x` is a plain number, so
# `math.cos` and friends work (and so does numpy). The check evaluates your function at random
# `x` in $[-2, 2]$ and names the usual mistakes: a missing path, a dropped inner derivative, a
# sign.


# %%
def dg_dx(x):
    """dg/dx at a number x, for g = p·q − r², p = cos x, q = x², r = e^(−x)."""
    ### BEGIN SOLUTION
    p, q, r = math.cos(x), x**2, math.exp(-x)
    via_p = q * (-math.sin(x))  # ∂g/∂p · dp/dx
    via_q = p * (2 * x)  # ∂g/∂q · dq/dx
    via_r = (-2 * r) * (-math.exp(-x))  # ∂g/∂r · dr/dx
    return via_p + via_q + via_r
    ### END SOLUTION


# %% points=2
check_total_derivative(dg_dx)
### BEGIN HIDDEN TESTS
hidden_tests("coursework.grader.nb01_total_derivatives:check_total_derivative", dg_dx)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2 — the total differential of a neuron
#
# A single neuron computes $a = \tanh(z)$ with $z = w\,x + b$. If the weight, the input and
# the bias all change a little, by $dw$, $dx$ and $db$, the output changes by about
#
# $$da = \frac{\partial a}{\partial w}dw + \frac{\partial a}{\partial x}dx
#   + \frac{\partial a}{\partial b}db .$$
#
# Complete `neuron_differential(w, x, b, dw, dx, db)` to return $da$ (all arguments are
# numbers). Hint: each path goes through $z$, and $\tanh'(z) = 1 - \tanh^2(z)$. The check
# uses random values and names the usual mistakes (a missing term, a forgotten $\tanh'$,
# swapped roles of $w$ and $x$, a sign).


# %%
def neuron_differential(w, x, b, dw, dx, db):
    """da ≈ Δa for a = tanh(w·x + b) when w, x, b change by dw, dx, db (numbers)."""
    ### BEGIN SOLUTION
    a = math.tanh(w * x + b)
    dz = x * dw + w * dx + db  # ∂z/∂w = x, ∂z/∂x = w, ∂z/∂b = 1
    return (1 - a**2) * dz
    ### END SOLUTION


# %% points=2
check_neuron_differential(neuron_differential)
### BEGIN HIDDEN TESTS
hidden_tests("coursework.grader.nb01_total_derivatives:check_neuron_differential", neuron_differential)
### END HIDDEN TESTS

# %% [markdown]
# This is back-propagation in miniature: $\partial a/\partial w = \tanh'(z)\,x$ is the
# gradient a training step would use for $w$, and it is the product of the local derivative
# of the activation and the input that the weight multiplies, exactly the pattern
# $d\mathbf W^{(k)} = \mathbf a^{(k-1)\top} d\mathbf z^{(k)}$ of notebook 04.

# %% [markdown]
# ### Exercise 3 — why the paths add
#
# Answer in a few sentences in the cell below; it is read and graded by hand (2 points). In
# exercise 1, $g$ depends on $x$ through $p$, $q$ and $r$ at once. Why are the three
# chain-rule terms **added**, rather than multiplied, or the largest one kept? Argue with the
# total differential of section 3.

# %% [markdown] written="why_total_derivative_sums" points=2
# **Model answer.** Move $x$ by a small $dx$. Then $p$, $q$ and $r$ each change, by about
# $\frac{dp}{dx}dx$, $\frac{dq}{dx}dx$ and $\frac{dr}{dx}dx$, and the total differential of $g$
# says that the changes of $g$ caused by small changes of its arguments add up:
# $dg = \frac{\partial g}{\partial p}dp + \frac{\partial g}{\partial q}dq + \frac{\partial g}{\partial r}dr$.
# Each term is the change that reaches $g$ along one path; dividing by $dx$ gives the sum of the
# three products. Products of two small changes, such as $dp\,dq$, are of second order and
# vanish as $dx \to 0$, so nothing else contributes; and no path is a factor of another, each
# one brings its own change.
#
# **Rubric.**
# - 2: explains that each path contributes its own first-order change of g and that small
#   changes add (the total differential, or a linear approximation), and ties that to the terms
# - 1: says that the total derivative sums over the paths, without a reason, or with a reason that
#   does not hold (for example "because g is a sum")
# - 0: no answer, or says that the terms multiply or that the largest path wins

# %% [markdown]
# ## Summary
#
# - A **partial derivative** $\partial f/\partial t$ varies one argument and freezes the
#   others; a **total derivative** $df/dx$ lets everything that depends on $x$ move.
# - For $f(t(x), u(x), v(x))$: $\frac{df}{dx} = \frac{\partial f}{\partial t}\frac{dt}{dx}
#   + \frac{\partial f}{\partial u}\frac{du}{dx} + \frac{\partial f}{\partial v}\frac{dv}{dx}$,
#   one product per path, summed. Central differences (`bp.numerical_gradient`: a function of
#   no arguments and the array it reads) agree with it within the series' tolerance.
# - The **total differential** $df = \frac{df}{dx}dx$ is the tangent-line prediction of the
#   change of $f$; its error is $\tfrac12 f''(x)\,dx^2 + O(dx^3)$, slope 2 on a log-log plot.
# - Back-propagation computes exactly these sums over paths, layer by layer: notebook 02
#   writes the network as equations, notebook 03 differentiates it by hand.
#
# ## Think
#
# 1. The central difference divides by $2\varepsilon$. Why not take $\varepsilon$ as small as
#    the computer allows, say $10^{-15}$? (Notebook 05 measures it.)
# 2. If $f$ depended on $x$ through a hundred intermediate quantities instead of three, how
#    many terms would $df/dx$ have? And how many evaluations of $f$ would central differences
#    need for the derivatives with respect to a hundred inputs?
# 3. The error of $df$ shrinks faster than $dx^2$ where $f''(x) = 0$. Does that make such an
#    $x$ a better place to trust a linear approximation for a step of, say, $dx = 0.5$?

"""Notebook 09: activations and gradients layer by layer, for a chosen depth, width and initialisation.

A deep stack of ``width``-unit layers (``layer_stats.deep_mlp``) gets one
batch of standard-normal inputs with random 0/1 targets; one forward and one backward pass
give, for every hidden layer k, the spread of its activations a_k and the norm of its
weight gradient dW_k. One pass takes milliseconds (tens for the widest, deepest stacks), so
the sliders recompute live.

Plain functions: :func:`layer_profile`, :func:`original_start` (the original tutorial's
network and data, with correct gradients), :func:`predicted_z_variances` (section 2's
prediction, biases included), :func:`profiles_figure`; the widget is
:func:`initialization_explorer`.
"""

from functools import lru_cache

import numpy as np

import backprop_lib as bp

from ..layer_stats import INIT_LABELS, deep_mlp, layer_statistics
from ..plotting import StaticFigure, decade_limits, remember_png

ACTIVATION_NAMES = ("sigmoid", "tanh", "relu")
INIT_NAMES = ("normal", "xavier", "he")
MAX_DEPTH = 30
WIDTH = 64
WIDTH_OPTIONS = (16, 32, 64, 128, 256)
N_SAMPLES = 256


@lru_cache(maxsize=1)
def _blas_controller():
    from threadpoolctl import ThreadpoolController  # installed with scikit-learn

    return ThreadpoolController()


def _one_blas_thread():
    """A context running BLAS on one thread.

    These matrices (256 × 64 by default) are too small to gain from threads; on a busy machine
    OpenBLAS's threads made one profile ~20× slower (2 s instead of 0.1 s for nine).
    """
    return _blas_controller().limit(limits=1, user_api="blas")


@lru_cache(maxsize=8)
def probe_batch(width=WIDTH, n_samples=N_SAMPLES, seed=0):
    """Inputs X ~ N(0, 1) ``(n_samples, width)`` and random 0/1 targets y ``(n_samples, 1)``."""
    rng = np.random.default_rng([seed, 9])
    X = rng.normal(size=(n_samples, width))
    y = rng.integers(0, 2, size=(n_samples, 1)).astype(float)
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def layer_profile(depth=10, activation="relu", init="he", width=WIDTH, n_samples=N_SAMPLES, seed=0):
    """Statistics of the hidden layers 1..depth of a fresh deep net: a dict of ``(depth,)`` arrays.

    Keys ``z_std`` and ``a_std`` (spread of pre-activations and activations over the batch
    and the units), ``grad_norm`` (‖dW_k‖, Frobenius) and ``dz_std`` (spread of dL/dz_k).
    ``activation`` is ``"sigmoid"``, ``"tanh"`` or ``"relu"``; ``init`` is ``"normal"``
    (σ = 0.1), ``"xavier"`` or ``"he"``.
    """
    if activation not in ACTIVATION_NAMES:
        raise ValueError(f"activation: expected one of {ACTIVATION_NAMES}, got {activation!r}")
    if init not in INIT_NAMES:
        raise ValueError(f"init: expected one of {INIT_NAMES}, got {init!r}")
    net = deep_mlp(depth, width, activation, init, seed=seed)
    X, y = probe_batch(width, n_samples, seed)
    # σ = 0.1 sigmoid stacks shrink gradients below 1e-300: underflow to 0 is expected.
    with np.errstate(under="ignore"), _one_blas_thread():
        stats = layer_statistics(net, X, y)
    hidden = slice(0, depth)
    return {
        "z_std": stats["z_std"][hidden],
        "a_std": stats["a_std"][hidden],
        "grad_norm": stats["dW_norm"][hidden],
        "dz_std": stats["dz_std"][hidden],
    }


@lru_cache(maxsize=MAX_DEPTH * len(ACTIVATION_NAMES) * len(INIT_NAMES))
def _cached_profile(depth, activation, init, width):
    """:func:`layer_profile` for the explorer, computed once per setting (arrays read-only)."""
    profile = layer_profile(depth, activation, init, width)
    for values in profile.values():
        values.setflags(write=False)
    return profile


def profile_summary(profile):
    """One line: first/last layer activation spread and the gradient ratio ‖dW_1‖ / ‖dW_L‖."""
    a, g = profile["a_std"], profile["grad_norm"]
    ratio = g[0] / g[-1] if g[-1] > 0 else np.inf
    return (
        f"std of a: layer 1 {a[0]:.3g}, layer {len(a)} {a[-1]:.3g} · "
        f"‖dW‖: layer 1 {g[0]:.2e}, layer {len(g)} {g[-1]:.2e} · ratio ‖dW₁‖/‖dW_L‖ = {ratio:.2e}"
    )


def predicted_z_variances(depth, n, var_w, var_b=0.0, var_x=1.0):
    """Variance propagation's prediction ``[Var(z_1), …, Var(z_depth)]`` for a ReLU stack of
    width ``n`` with weights of variance ``var_w`` and biases of variance ``var_b``:
    Var(z_1) = n·Var(w)·Var(x) + Var(b), Var(z_k) = ½·n·Var(w)·Var(z_(k−1)) + Var(b).

    Here, not in the notebook, because with ``var_b = 0`` it is the answer to exercise 2
    (whose check refuses it as a twin)."""
    variances = [n * var_w * var_x + var_b]
    for _ in range(depth - 1):
        variances.append(0.5 * n * var_w * variances[-1] + var_b)
    return np.array(variances)


def original_start(layer_sizes=(2, 4, 3, 1), sigma=0.1, seed=42):
    """The original tutorial's start with *correct* gradients: ``(net, X, y)``.

    ``net`` is a :class:`backprop_lib.MLP` (ReLU, ReLU, sigmoid; mean binary
    cross-entropy) holding exactly the original's initial weights (W and b ~ N(0, σ²),
    drawn as after ``np.random.seed(42)``); X ``(1000, 2)`` and y ``(1000, 1)`` are the
    original's two circles.
    """
    from ..original import LegacyNormal, make_original_data

    sizes = [int(n) for n in layer_sizes]
    acts = ["relu"] * (len(sizes) - 2) + ["sigmoid"]
    net = bp.MLP(sizes, acts, loss="bce", init=LegacyNormal(seed, sigma))
    X, y = make_original_data()
    return net, X, y


def initialization_explorer(depth=10, activation="relu", init="normal", width=WIDTH):
    """The widget: depth and width sliders, initialisation and activation buttons, two log-scale plots.

    Returns an ``ipywidgets.VBox`` with attributes ``depth`` (IntSlider 1..30), ``width``
    (SelectionSlider over ``WIDTH_OPTIONS``), ``init`` and ``activation`` (ToggleButtons),
    ``summary`` (HTML), ``image`` (the figure as PNG),
    ``fig``, ``lines`` (``{"a_std": Line2D, "grad_norm": Line2D}``), ``heading`` (the
    figure's title, a ``Text``), ``profile`` (the dict of :func:`layer_profile` shown) and
    ``update()``.

    Rendering: the figure is laid out once; the frames, panel titles and axis labels are
    drawn once and kept as pixels (the x axis always spans 1..30 layers, so a deeper
    net draws a longer curve), and a callback redraws only what moves — the two lines,
    the y axes (their limits follow the data) and the heading — with
    ``plotting.FastPNG``. Profiles and images of the settings already
    shown are kept, so going back to one is immediate.
    """
    if width not in WIDTH_OPTIONS:
        raise ValueError(f"width: expected one of {WIDTH_OPTIONS}, got {width!r}")
    import ipywidgets as widgets
    from matplotlib.figure import Figure
    from matplotlib.ticker import LogLocator, NullLocator

    from ..plotting import FastPNG

    depth_w = widgets.IntSlider(
        value=depth, min=1, max=MAX_DEPTH, description="depth", continuous_update=False
    )
    width_w = widgets.SelectionSlider(
        options=list(WIDTH_OPTIONS), value=width, description="width", continuous_update=False
    )
    init_w = widgets.ToggleButtons(
        options=[(INIT_LABELS[k], k) for k in INIT_NAMES], value=init, description="init"
    )
    act_w = widgets.ToggleButtons(options=list(ACTIVATION_NAMES), value=activation, description="activation")
    summary = widgets.HTML()
    image = widgets.Image(format="png")

    fig = Figure(figsize=(9.5, 3.4), dpi=72)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.18, top=0.85, wspace=0.25)
    ax_a, ax_g = fig.subplots(1, 2)
    lines = {
        "a_std": ax_a.plot([1], [1], "o-", color="C0", ms=4)[0],
        "grad_norm": ax_g.plot([1], [1], "s-", color="C3", ms=4)[0],
    }
    for ax, title in ((ax_a, "std of the activations $a_k$"), (ax_g, r"gradient norm $\|dW_k\|$")):
        ax.set_yscale("log")
        ax.set_xlim(0.5, MAX_DEPTH + 0.5)  # fixed: a deeper net draws a longer curve
        ax.set_xticks([1, 5, 10, 15, 20, 25, 30])
        ax.yaxis.set_major_locator(LogLocator(numticks=6))  # a few decades, no minor ticks
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_title(title, fontsize=10)
        # axis labels as plain texts: drawn once, not re-placed around the ticks every redraw
        ax.text(0.5, -0.13, "hidden layer k", transform=ax.transAxes, ha="center", va="top")
        ax.grid(True, which="major", alpha=0.3)
    heading = ax_a.text(0.5, 0.97, "", transform=fig.transFigure, ha="center", va="top", fontsize=11)
    renderer = FastPNG(fig)
    moving = [*lines.values(), ax_a.yaxis, ax_g.yaxis, heading]  # the rest stays put
    pngs = {}  # (depth, width, activation, init) -> PNG bytes of a state already drawn
    box = widgets.VBox()

    def update(change=None):
        profile = _cached_profile(depth_w.value, act_w.value, init_w.value, width_w.value)
        box.profile = dict(profile)  # a learner may edit this dict; the cached one stays intact
        k = np.arange(1, depth_w.value + 1)
        for key, ax in (("a_std", ax_a), ("grad_norm", ax_g)):
            values = profile[key]
            lines[key].set_data(k, values)
            ax.set_ylim(*decade_limits(values))
        layers = "hidden layer" if depth_w.value == 1 else "hidden layers"
        units = f"{width_w.value} {act_w.value} units"
        heading.set_text(f"{depth_w.value} {layers} of {units}, init {INIT_LABELS[init_w.value]}")
        summary.value = profile_summary(profile)
        state = (depth_w.value, width_w.value, act_w.value, init_w.value)
        image.value = remember_png(pngs, state, lambda: renderer.png(moving))

    for control in (depth_w, width_w, init_w, act_w):
        control.observe(update, names="value")
    box.children = [widgets.HBox([depth_w, width_w]), init_w, act_w, summary, image]
    box.depth, box.width, box.init, box.activation = depth_w, width_w, init_w, act_w
    box.summary, box.image = summary, image
    box.fig, box.lines, box.heading, box.update = fig, lines, heading, update
    update()
    return box


def profiles_figure(profiles):
    """Spread of a_k (top row) and ‖dW_k‖ (bottom row) per hidden layer, one column per activation.

    ``profiles`` maps ``(activation, init)`` to a list of :func:`layer_profile` dicts (one per
    seed); each seed is a thin line, the initialisations distinguished by colour and marker.
    """
    from matplotlib.figure import Figure

    activations = [a for a in ACTIVATION_NAMES if any(key[0] == a for key in profiles)]
    fig = Figure(figsize=(13, 6))
    fig.subplots_adjust(left=0.06, right=0.99, bottom=0.08, top=0.95, hspace=0.2, wspace=0.18)
    axes = fig.subplots(2, len(activations), sharex=True, squeeze=False)
    for col, act in enumerate(activations):
        for k, (init, marker) in enumerate(zip(INIT_NAMES, "o^s")):
            for s, profile in enumerate(profiles.get((act, init), [])):
                layers = np.arange(1, len(profile["a_std"]) + 1)
                label = INIT_LABELS[init] if s == 0 else None
                style = dict(color=f"C{k}", marker=marker, ms=3, lw=0.8, alpha=0.7, label=label)
                axes[0, col].semilogy(layers, profile["a_std"], **style)
                axes[1, col].semilogy(layers, profile["grad_norm"], **style)
        axes[0, col].set_title(f"{act}: std of $a_k$")
        axes[1, col].set_title(rf"{act}: $\|dW_k\|$")
        axes[1, col].set_xlabel("hidden layer k")
    axes[0, 0].legend()
    return StaticFigure(fig)

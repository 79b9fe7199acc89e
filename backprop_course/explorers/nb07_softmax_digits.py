"""Notebook 07: softmax on the digits, one test example at a time.

For a test image the trained network gives logits z ``(K,)``; the explorer shows

* the image, with its true and predicted label;
* ŷ = softmax(z / T) as bars (T is a temperature: T < 1 sharpens, T > 1 flattens), and
  beside them ∂L/∂u = ŷ − y, the fused gradient for this one sample (u = z / T);
* the softmax Jacobian J = diag(ŷ) − ŷŷᵀ as a K × K heatmap;
* the check that Jᵀ·∂L/∂ŷ (the chain rule through the Jacobian) equals ŷ − y.

``softmax_panel`` computes all of it; ``softmax_digits_explorer`` only displays it.
"""

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from backprop_lib import MLP, TOLERANCE, Softmax, rel_error

from ..plotting import FastPNG

JACOBIAN_LIMIT = 0.25  # |J_ik| ≤ 1/4 for every softmax: J_ii = ŷ_i(1 − ŷ_i), J_ik = −ŷ_iŷ_k


def network_logits(net, X):
    """The output layer's z ``(n, K)`` for X ``(n, n_features)``, without touching net's caches."""
    if not isinstance(net, MLP):
        raise TypeError(f"net: expected a backprop_lib.MLP, got {type(net).__name__}")
    if net.layers[-1].activation.name != "softmax":
        raise ValueError(f"net: expected a softmax output layer, got {net.layers[-1].activation.name!r}")
    return net.evaluate(X)[0]


def softmax_panel(z, label, temperature=1.0):
    """Everything the explorer shows for one sample.

    ``z`` logits ``(K,)``, ``label`` the true class (0 … K−1), ``temperature`` T > 0.
    Returns a dict: ``u = z/T``, ``yhat`` ``(K,)``, ``y`` (one-hot), ``jacobian`` ``(K, K)``,
    ``dyhat = −y/ŷ`` (∂L/∂ŷ), ``du_chain = Jᵀ·dyhat``, ``du_fused = ŷ − y`` (both ∂L/∂u),
    ``rel_error`` between the two, ``loss = −log ŷ_label``, ``prediction`` (argmax).
    """
    z = np.asarray(z, dtype=float)
    if z.ndim != 1 or z.size < 2:
        raise ValueError(f"z: expected a 1-D array of at least 2 logits, got shape {z.shape}")
    K = z.size
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= label < K:
        raise ValueError(f"label: expected an integer class in 0 … {K - 1}, got {label!r}")
    if not np.isfinite(temperature) or temperature <= 0:
        raise ValueError(f"temperature: expected a finite number > 0, got {temperature!r}")
    u = z / temperature
    softmax = Softmax()
    yhat = softmax.forward(u.reshape(1, -1))[0]
    y = np.zeros(K)
    y[label] = 1.0
    J = softmax.jacobian(u)
    # ∂L/∂ŷ = −y/ŷ is huge when ŷ_label is tiny; the tiny floor only avoids a division by 0.
    dyhat = -y / np.maximum(yhat, 1e-300)
    du_chain = J.T @ dyhat
    du_fused = yhat - y
    return {
        "u": u,
        "yhat": yhat,
        "y": y,
        "jacobian": J,
        "dyhat": dyhat,
        "du_chain": du_chain,
        "du_fused": du_fused,
        "rel_error": rel_error(du_chain, du_fused),
        "loss": float(-np.log(max(yhat[label], 1e-300))),
        "prediction": int(np.argmax(yhat)),
    }


def panel_text(panel, label):
    """One HTML paragraph describing a panel (true/predicted class, loss, the gradient check)."""
    ok = panel["rel_error"] < TOLERANCE
    mark, colour = ("✓", "#1a7f37") if ok else ("✗", "#b2182b")
    verdict = "correct" if panel["prediction"] == label else "<b>wrong</b>"
    return (
        f"true class <b>{label}</b> · predicted <b>{panel['prediction']}</b> ({verdict}) · "
        f"ŷ<sub>{label}</sub> = {panel['yhat'][label]:.4f} · loss −log ŷ<sub>{label}</sub> = "
        f"{panel['loss']:.4f}<br>"
        f"<span style='color:{colour}'>Jᵀ·(∂L/∂ŷ) vs fused ŷ − y: relative error "
        f"{panel['rel_error']:.1e} {mark}</span>"
    )


class SoftmaxDigitsExplorer(widgets.VBox):
    """Controls: ``index`` (IntSlider over the test examples), ``temperature`` (FloatLogSlider).
    Outputs: ``info`` (HTML), ``image`` (PNG of ``fig``). ``panel`` is the current
    ``softmax_panel`` dict; ``artists`` the figure's moving parts.

    The figure's layout is solved once; axes, ticks, legend and colour bar stay as a pixel
    background (``renderer``, a ``FastPNG``) and a redraw paints only the moving parts.
    """

    def __init__(self, logits, labels, images, index=0, temperature=1.0, order=None):
        self.logits, self.labels, self.images = logits, labels, images
        self.order = np.arange(len(labels)) if order is None else np.asarray(order)
        K = logits.shape[1]
        self.index = widgets.IntSlider(
            value=index, min=0, max=len(self.order) - 1, description="example", continuous_update=False
        )
        self.temperature = widgets.FloatLogSlider(
            value=temperature,
            base=10,
            min=-0.7,
            max=0.7,
            step=0.05,
            description="T",
            continuous_update=False,
            readout_format=".2f",
        )
        self.info = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.fig, self.artists = self._build_figure(K)
        self.renderer = FastPNG(self.fig)
        self.index.observe(lambda change: self.update(), names="value")
        self.temperature.observe(lambda change: self.update(), names="value")
        super().__init__([widgets.HBox([self.index, self.temperature]), self.info, self.image])
        self.update()

    def _build_figure(self, K):
        # Constrained layout places the panels once, at the first draw (with a two-line title
        # set below); later redraws only paint the moving artists over that first image.
        fig = Figure(figsize=(11, 3.3), dpi=80, layout="constrained")
        ax_img, ax_bar, ax_jac = fig.subplots(1, 3, width_ratios=[1, 1.8, 1.25])
        digit = ax_img.imshow(self.images[self.order[0]], cmap="gray_r", animated=True)
        ax_img.set_xticks([])
        ax_img.set_yticks([])
        title = ax_img.set_title("example 0\ntrue 0 · predicted 0", fontsize=10)
        title.set_animated(True)
        classes = np.arange(K)
        width = 0.4
        bars_p = ax_bar.bar(classes - width / 2, np.zeros(K), width, color="C0", label="ŷ = softmax(z/T)")
        bars_g = ax_bar.bar(classes + width / 2, np.zeros(K), width, color="C3", label="∂L/∂u = ŷ − y")
        zero = ax_bar.axhline(0, color="black", lw=0.8, animated=True)  # redrawn over the bars
        ax_bar.set_ylim(-1.05, 1.05)
        ax_bar.set_xticks(classes)
        ax_bar.set_xlabel("class")
        # Above the axes, where no bar can reach (ŷ − y spans −1 … 1).
        ax_bar.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=9, frameon=False)
        jac = ax_jac.imshow(
            np.zeros((K, K)), cmap="RdBu_r", vmin=-JACOBIAN_LIMIT, vmax=JACOBIAN_LIMIT, animated=True
        )
        ax_jac.set_title("softmax Jacobian ∂ŷᵢ/∂uₖ", fontsize=10)
        ax_jac.set_xlabel("k")
        ax_jac.set_ylabel("i", rotation=0, labelpad=8)
        fig.colorbar(jac, ax=ax_jac, shrink=0.8)
        # The images' frames are redrawn over them.
        frames = [*ax_img.spines.values(), *ax_jac.spines.values()]
        for artist in (*bars_p, *bars_g, *frames):
            artist.set_animated(True)
        return fig, {
            "digit": digit,
            "ax_img": ax_img,
            "title": title,
            "bars_p": bars_p,
            "bars_g": bars_g,
            "zero": zero,
            "jacobian": jac,
            "frames": frames,
        }

    @property
    def sample(self):
        """The test-set row shown now."""
        return int(self.order[self.index.value])

    def update(self):
        """Recompute the panel for the current example and temperature, redraw."""
        row = self.sample
        label = int(self.labels[row])
        self.panel = panel = softmax_panel(self.logits[row], label, self.temperature.value)
        a = self.artists
        a["digit"].set_data(self.images[row])
        a["title"].set_text(f"example {row}\ntrue {label} · predicted {panel['prediction']}")
        for bar, h in zip(a["bars_p"], panel["yhat"]):
            bar.set_height(h)
        for bar, h in zip(a["bars_g"], panel["du_fused"]):
            bar.set_height(h)
        a["jacobian"].set_data(panel["jacobian"])
        self.info.value = f"T = {html.escape(f'{self.temperature.value:.2f}')} · " + panel_text(panel, label)
        self.image.value = self.renderer.png(
            [a["digit"], a["title"], *a["bars_p"], *a["bars_g"], a["zero"], a["jacobian"], *a["frames"]]
        )


def softmax_digits_explorer(net, X, labels, images=None, index=0, temperature=1.0, order=None):
    """The widget (see ``SoftmaxDigitsExplorer``) for a softmax ``net`` on X ``(n, n_features)``.

    ``labels`` ``(n,)`` integer classes; ``images`` ``(n, h, w)`` to draw (default: each row
    of X as a square image); ``order`` optional sample indices the slider walks through
    (e.g. the misclassified ones first).
    """
    logits = network_logits(net, X)
    labels = np.asarray(labels)
    if labels.shape != (len(logits),):
        raise ValueError(f"labels: expected shape ({len(logits)},), got {labels.shape}")
    if images is None:
        side = int(round(np.sqrt(X.shape[1])))
        if side * side != X.shape[1]:
            raise ValueError(f"images: X has {X.shape[1]} features, not a square image; pass images=")
        images = np.asarray(X, dtype=float).reshape(len(X), side, side)
    if len(images) != len(logits):
        raise ValueError(f"images: expected {len(logits)} images, got {len(images)}")
    return SoftmaxDigitsExplorer(logits, labels, images, index=index, temperature=temperature, order=order)

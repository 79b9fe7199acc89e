"""Notebook 07: softmax on the digits, one test example at a time.

For a test image the trained network gives logits z ``(K,)``; the explorer moves the true
class's logit by Δ and shows, for the loss ℓ = −log ŷ_t of that one sample (t its class),

* the image, with its true and predicted label;
* ŷ = softmax(z) as bars, and beside them ∂ℓ/∂z = ŷ − y, the fused gradient;
* the chain rule written out: ∂ℓ/∂ŷ_t = −y_t/ŷ_t (huge when ŷ_t is tiny) times the Jacobian
  row J_tk = ŷ_t (δ_tk − ŷ_k) (tiny then) gives ∂ℓ/∂z_k = ŷ_k − y_k, finite;
* both routes checked against central differences of ℓ computed from the logits.

Far enough down (Δ ≈ −710 or below) ŷ_t is so small that 1/ŷ_t overflows float64: the chain
route gives inf or NaN and its check fails, while the fused form stays exact.

``chain_panel`` computes all of it; ``softmax_digits_explorer`` only displays it. The static
figures of the notebook (loss curves, confusion matrix, mistakes) are drawn here too.
"""

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from backprop_lib import MLP, TOLERANCE, CategoricalCrossEntropy, Softmax, numerical_gradient, rel_error

from ..plotting import FastPNG, StaticFigure

# The explorer's Δ (added to the true class's logit): fine steps near 0, where ŷ_t moves,
# and around −710, where 1/ŷ_t overflows float64.
SHIFTS = (-800, -750, -720, -710, -705, -700, -400, -100, -40, -20, -10, -5, -2, 0, 2, 5, 10)
CHECK_EPS = 1e-4  # the loss is as large as |Δ|: a wider step keeps round-off below the truncation error


def network_logits(net, X):
    """The output layer's z ``(n, K)`` for X ``(n, n_features)``, without touching net's caches."""
    if not isinstance(net, MLP):
        raise TypeError(f"net: expected a backprop_lib.MLP, got {type(net).__name__}")
    if net.layers[-1].activation.name != "softmax":
        raise ValueError(f"net: expected a softmax output layer, got {net.layers[-1].activation.name!r}")
    return net.evaluate(X)[0]


def _check_sample(z, label):
    z = np.asarray(z, dtype=float)
    if z.ndim != 1 or z.size < 2:
        raise ValueError(f"z: expected a 1-D array of at least 2 logits, got shape {z.shape}")
    if not np.isfinite(z).all():
        raise ValueError("z: expected finite logits")
    K = z.size
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= label < K:
        raise ValueError(f"label: expected an integer class in 0 … {K - 1}, got {label!r}")
    return z, int(label)


def chain_panel(z, label, shift=0.0):
    """Everything the explorer shows for one sample whose true-class logit is moved by ``shift``.

    ``z`` logits ``(K,)``, ``label`` the true class t. Returns a dict with ``z`` (the moved
    logits), ``yhat``, ``y`` (one-hot), ``loss`` (ℓ = −log ŷ_t, from the logits), ``dyhat_t``
    (∂ℓ/∂ŷ_t = −1/ŷ_t), ``J_row`` (J_tk = ∂ŷ_t/∂z_k), ``dz_chain`` (Jᵀ·∂ℓ/∂ŷ), ``dz_fused``
    (ŷ − y), ``dz_numeric`` (central differences of ℓ), ``err_chain`` and ``err_fused``
    (relative errors against them; inf where the chain route is not finite) and ``prediction``.
    """
    z, label = _check_sample(z, label)
    if not np.isfinite(shift):
        raise ValueError(f"shift: expected a finite number, got {shift!r}")
    z = z.copy()
    z[label] += shift
    softmax, ce = Softmax(), CategoricalCrossEntropy()
    yhat = softmax.forward(z.reshape(1, -1))[0]
    y = np.zeros_like(z)
    y[label] = 1.0
    # The chain route in plain float64: 1/ŷ_t overflows once ŷ_t < 1/1.8e308, and then
    # inf × (a Jacobian entry that underflowed to 0) is NaN. That failure is the point.
    with np.errstate(over="ignore", divide="ignore", invalid="ignore", under="ignore"):
        dyhat_t = -1.0 / yhat[label]
        J_row = yhat[label] * (y - yhat)  # J_tk = ŷ_t (δ_tk − ŷ_k)
        dz_chain = dyhat_t * J_row  # only ∂ℓ/∂ŷ_t is non-zero, so Jᵀ·∂ℓ/∂ŷ is one row of J
    dz_fused = yhat - y
    z_check = z.reshape(1, -1).copy()
    dz_numeric = numerical_gradient(
        lambda: ce.value_from_logits(y.reshape(1, -1), z_check), z_check, CHECK_EPS
    )[0]
    finite = np.isfinite(dz_chain).all()
    return {
        "z": z,
        "yhat": yhat,
        "y": y,
        "loss": ce.value_from_logits(y.reshape(1, -1), z.reshape(1, -1)),
        "dyhat_t": dyhat_t,
        "J_row": J_row,
        "dz_chain": dz_chain,
        "dz_fused": dz_fused,
        "dz_numeric": dz_numeric,
        "err_chain": rel_error(dz_chain, dz_numeric) if finite else np.inf,
        "err_fused": rel_error(dz_fused, dz_numeric),
        "prediction": int(np.argmax(yhat)),
    }


def _verdict(err):
    if err < TOLERANCE:
        return "<span style='color:#1a7f37'>✓</span>", f"{err:.0e}" if err >= 1e-8 else "< 1e-8"
    shown = "not finite" if not np.isfinite(err) else f"{err:.1e}"
    return "<span style='color:#b2182b'>✗</span>", shown


def panel_text(panel, label):
    """HTML: the sample's verdict, then the chain rule for ∂ℓ/∂z_k with numbers, one row per class."""
    verdict = "correct" if panel["prediction"] == label else "<b>wrong</b>"
    head = (
        f"true class <b>{label}</b> · predicted <b>{panel['prediction']}</b> ({verdict}) · "
        f"ŷ<sub>{label}</sub> = {panel['yhat'][label]:.3g} · loss ℓ = −log ŷ<sub>{label}</sub> = "
        f"{panel['loss']:.4g} · ∂ℓ/∂ŷ<sub>{label}</sub> = −1/ŷ<sub>{label}</sub> = {panel['dyhat_t']:.3g}"
    )
    mark_c, err_c = _verdict(panel["err_chain"])
    mark_f, err_f = _verdict(panel["err_fused"])
    checks = (
        f"vs central differences of ℓ: chain route {mark_c} (rel. error {err_c}) · "
        f"fused ŷ − y {mark_f} (rel. error {err_f})"
    )
    rows = "".join(
        f"<tr><td>{k}</td><td>{panel['J_row'][k]:.3g}</td><td>{panel['dz_chain'][k]:.4g}</td>"
        f"<td>{panel['dz_fused'][k]:.4g}</td></tr>"
        for k in range(len(panel["z"]))
    )
    table = (
        "<table style='font-size:90%'><tr><th>k</th>"
        f"<th>J<sub>{label}k</sub> = ŷ<sub>{label}</sub>(δ<sub>{label}k</sub> − ŷ<sub>k</sub>)</th>"
        f"<th>× (−1/ŷ<sub>{label}</sub>) = chain</th><th>fused ŷ<sub>k</sub> − y<sub>k</sub></th></tr>"
        f"{rows}</table>"
    )
    return f"{head}<br>{checks}{table}"


class SoftmaxDigitsExplorer(widgets.VBox):
    """Controls: ``index`` (IntSlider over the test examples), ``shift`` (SelectionSlider: Δ
    added to the true class's logit). Outputs: ``info`` (HTML: the chain rule in numbers and
    the checks), ``image`` (PNG of ``fig``). ``panel`` is the current ``chain_panel`` dict;
    ``artists`` the figure's moving parts.

    The figure's layout is solved once; axes, ticks and legend stay as a pixel background
    (``renderer``, a ``FastPNG``) and a redraw paints only the moving parts.
    """

    def __init__(self, logits, labels, images, index=0, shift=0, order=None):
        self.logits, self.labels, self.images = logits, labels, images
        self.order = np.arange(len(labels)) if order is None else np.asarray(order)
        if shift not in SHIFTS:
            raise ValueError(f"shift: expected one of {SHIFTS}, got {shift!r}")
        self.index = widgets.IntSlider(
            value=index, min=0, max=len(self.order) - 1, description="example", continuous_update=False
        )
        self.shift = widgets.SelectionSlider(
            options=list(SHIFTS), value=shift, description="Δ on z_true", continuous_update=False
        )
        self.shift.style.description_width = "initial"
        self.info = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.fig, self.artists = self._build_figure(logits.shape[1])
        self.renderer = FastPNG(self.fig)
        self.index.observe(lambda change: self.update(), names="value")
        self.shift.observe(lambda change: self.update(), names="value")
        super().__init__([widgets.HBox([self.index, self.shift]), widgets.HBox([self.image, self.info])])
        self.update()

    def _build_figure(self, K):
        fig = Figure(figsize=(7.2, 3.0), dpi=80)
        fig.subplots_adjust(left=0.02, right=0.98, bottom=0.15, top=0.82, wspace=0.12)
        ax_img, ax_bar = fig.subplots(1, 2, width_ratios=[1, 2.2])
        digit = ax_img.imshow(self.images[self.order[0]], cmap="gray_r", animated=True)
        ax_img.set_xticks([])
        ax_img.set_yticks([])
        title = ax_img.set_title("example 0\ntrue 0 · predicted 0", fontsize=10)
        title.set_animated(True)
        classes = np.arange(K)
        width = 0.4
        bars_p = ax_bar.bar(classes - width / 2, np.zeros(K), width, color="C0", label="ŷ = softmax(z)")
        bars_g = ax_bar.bar(classes + width / 2, np.zeros(K), width, color="C3", label="∂ℓ/∂z = ŷ − y")
        zero = ax_bar.axhline(0, color="black", lw=0.8, animated=True)  # redrawn over the bars
        ax_bar.set_ylim(-1.05, 1.05)
        ax_bar.set_xticks(classes)
        ax_bar.set_xlabel("class k")
        # Above the axes, where no bar can reach (ŷ − y spans −1 … 1).
        ax_bar.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=9, frameon=False)
        frames = list(ax_img.spines.values())  # the image's frame is redrawn over it
        for artist in (*bars_p, *bars_g, *frames):
            artist.set_animated(True)
        return fig, {
            "digit": digit,
            "title": title,
            "bars_p": bars_p,
            "bars_g": bars_g,
            "zero": zero,
            "frames": frames,
        }

    @property
    def sample(self):
        """The test-set row shown now."""
        return int(self.order[self.index.value])

    def update(self):
        """Recompute the panel for the current example and Δ, redraw."""
        row = self.sample
        label = int(self.labels[row])
        self.panel = panel = chain_panel(self.logits[row], label, self.shift.value)
        a = self.artists
        a["digit"].set_data(self.images[row])
        a["title"].set_text(f"example {row}\ntrue {label} · predicted {panel['prediction']}")
        for bar, h in zip(a["bars_p"], panel["yhat"]):
            bar.set_height(h)
        for bar, h in zip(a["bars_g"], panel["dz_fused"]):
            bar.set_height(h)
        shift = html.escape(f"{self.shift.value:+d}")
        self.info.value = f"Δ = {shift} · " + panel_text(panel, label)
        self.image.value = self.renderer.png(
            [a["digit"], a["title"], *a["bars_p"], *a["bars_g"], a["zero"], *a["frames"]]
        )


def softmax_digits_explorer(net, X, labels, images=None, index=0, shift=0, order=None):
    """The widget (see ``SoftmaxDigitsExplorer``) for a softmax ``net`` on X ``(n, n_features)``.

    ``labels`` ``(n,)`` integer classes; ``images`` ``(n, h, w)`` to draw (default: each row
    of X as a square image); ``order`` optional sample indices the slider walks through
    (e.g. the misclassified ones first); ``shift`` the starting Δ, one of ``SHIFTS``.
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
    return SoftmaxDigitsExplorer(logits, labels, images, index=index, shift=shift, order=order)


# -- static figures of notebook 07 -----------------------------------------------------------


def loss_curves_figure(curves, title):
    """Training and validation loss per epoch, one thin line per run.

    ``curves`` maps a label (e.g. ``"seed 0"``) to ``(train_losses, val_losses)``, each of
    length epochs + 1 (epoch 0 is the start). Returns a ``StaticFigure``.
    """
    fig = Figure(figsize=(9, 3.2))
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.15, top=0.82, wspace=0.08)
    ax_train, ax_val = fig.subplots(1, 2, sharey=True)
    for k, (label, (train, val)) in enumerate(curves.items()):
        ax_train.semilogy(train, color=f"C{k}", lw=1.2, label=label)
        ax_val.semilogy(val, color=f"C{k}", lw=1.2)
    ax_train.set(xlabel="epoch", ylabel="mean loss", title="training set (after each epoch)")
    ax_val.set(xlabel="epoch", title="validation set")
    ax_train.legend(fontsize=8)
    fig.suptitle(title, fontsize=11)
    return StaticFigure(fig)


def confusion_figure(cm):
    """The confusion matrix ``cm`` ``(K, K)`` (rows: true class) and each class's error rate."""
    cm = np.asarray(cm)
    K = len(cm)
    fig = Figure(figsize=(10, 4))
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.12, top=0.92, wspace=0.2)
    ax_cm, ax_bar = fig.subplots(1, 2, width_ratios=[1.1, 1])
    ax_cm.imshow(cm, cmap="Blues")
    for i, k in zip(*np.nonzero(cm)):
        colour = "white" if cm[i, k] > cm.max() / 2 else "black"
        ax_cm.text(k, i, cm[i, k], ha="center", va="center", color=colour, fontsize=8)
    ax_cm.set(xticks=range(K), yticks=range(K), xlabel="predicted class", ylabel="true class")
    ax_cm.set_title("confusion matrix (test set)")
    ax_bar.bar(range(K), 1 - np.diag(cm) / cm.sum(axis=1), color="C3")
    ax_bar.set(xticks=range(K), xlabel="true class", ylabel="error rate", title="errors per class")
    return StaticFigure(fig)


def mistakes_figure(images, labels, predicted, proba, rows_of=8):
    """Every misclassified image, titled with its true class, the prediction and their ŷ.

    ``images`` ``(n, h, w)``, ``labels`` and ``predicted`` ``(n,)``, ``proba`` ``(n, K)``;
    at most ``rows_of`` images per row. Returns a ``StaticFigure``, or None if nothing is wrong.
    """
    wrong = np.flatnonzero(np.asarray(predicted) != np.asarray(labels))
    if wrong.size == 0:
        return None
    cols = min(len(wrong), rows_of)
    rows = int(np.ceil(len(wrong) / cols))
    fig = Figure(figsize=(1.5 * cols, 1.9 * rows))
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=1 - 0.45 / (1.9 * rows), hspace=0.45)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax in axes:
        ax.axis("off")
    for ax, s in zip(axes, wrong):
        ax.imshow(images[s], cmap="gray_r")
        t, p = labels[s], predicted[s]
        ax.set_title(f"true {t} ({proba[s, t]:.2f})\npred {p} ({proba[s, p]:.2f})", fontsize=8)
    return StaticFigure(fig)


def class_examples_figure(images, labels, K=10):
    """The first image of each class 0 … K−1 in a row."""
    fig = Figure(figsize=(K, 1.4))
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.8)
    for k, ax in enumerate(fig.subplots(1, K)):
        ax.imshow(images[np.flatnonzero(np.asarray(labels) == k)[0]], cmap="gray_r")
        ax.set_title(str(k))
        ax.axis("off")
    return StaticFigure(fig)

"""The original tutorial's errata, and hooks that inject them into a correct ``backprop_lib.MLP``.

``ERRATA`` lists all nine (what the original says, the correction, where the series teaches
it); ``errata_table()`` writes them as the Markdown table notebook 00 shows.

Errata 1–5 are mistakes in a formula; ``with_errata(net, errata)`` switches any of them on in
a network, without a second copy of the backward pass:

* 1 — the sigmoid layers get an activation whose derivative is 2σ(1 − σ);
* 2, 5 — the layers become ``ErratumDense``, whose backward pass runs ``Dense``'s and then
  redoes one line as the original wrote it (dW from a_k; db as a batch mean);
* 3, 4 — the loss is wrapped: ∂L/∂ŷ without its minus sign; the loss divided by the number
  of outputs instead of samples, its gradient with it (as in the original code).
"""

import numpy as np

import backprop_lib as bp
from backprop_lib.validation import check_real

# number: (what the original says, the correction, where the series teaches it: "NN §S", ...)
ERRATA = {
    1: ("dsigmoid returns 2·σ(z)(1 − σ(z))", "σ'(z) = σ(z)(1 − σ(z))", "03 §2, 05 §4, 06 §1"),
    2: ("∂L/∂W_k written with a_k", "dW⁽ᵏ⁾ = a⁽ᵏ⁻¹⁾ᵀ dz⁽ᵏ⁾, the layer's input", "04 §5, 05 §4"),
    3: ("∂L/∂ŷ_i = 2(y_i − ŷ_i) for L = Σ(y_i − ŷ_i)²", "∂L/∂ŷ_i = −2(y_i − ŷ_i)", "03 §1, 05 §4"),
    4: (
        "the 'average' cross-entropy divides by y.shape[1] (outputs)",
        "divide by the number of samples: the printed 693.6 is a sum",
        "04 §4, 05 §4, 06 §1",
    ),
    5: (
        "dW summed over the batch, db averaged",
        "sum both: they are gradients of one loss",
        "04 §3, 05 §4, 06 §2",
    ),
    6: (
        "maths in z = W a + b (columns), code in z = a W + b (rows)",
        "one convention; the series uses rows",
        "02 §3, 04 §6",
    ),
    7: (
        "j is both the free and the summation index in ∂L/∂h₂ⱼ",
        "a fresh index for the sum: Σ_i w_ji ∂L/∂z_i",
        "03 §4",
    ),
    8: (
        "the divergence after iteration 145 is blamed on the learning rate",
        "errata 1, 4, 5 set the step sizes: η_W = 10, η_b = 0.01",
        "06 §2",
    ),
    9: (
        "σ = 0.1 initialisation",
        "with correct gradients the [2, 4, 3, 1] ReLU network can sit at 50 %",
        "06 §3, 09",
    ),
}
NOTEBOOKS = {
    "02": "02_network_equations.ipynb",
    "03": "03_backprop_by_hand.ipynb",
    "04": "04_matrix_form.ipynb",
    "05": "05_implementing_backprop.ipynb",
    "06": "06_training_two_circles.ipynb",
    "09": "09_initialization_and_vanishing_gradients.ipynb",
}
INJECTABLE = (1, 2, 3, 4, 5)


def errata_table():
    """The nine errata as a Markdown table (number, what the original says, the correction,
    where the series teaches it), each place a link to its notebook."""
    rows = ["| # | the original says | the correction | taught in |", "|---:|---|---|---|"]
    for number, (says, correction, where) in ERRATA.items():
        links = []
        for place in where.split(", "):
            notebook = place.split()[0]
            links.append(f"[{place}]({NOTEBOOKS[notebook]})")
        rows.append(f"| {number} | {says} | {correction} | {', '.join(links)} |")
    return "\n".join(rows)


def check_errata(errata):
    """A frozenset of erratum numbers from ``INJECTABLE``."""
    numbers = frozenset(errata or ())
    unknown = sorted(numbers - set(INJECTABLE), key=str)
    if unknown:
        raise ValueError(f"errata: expected numbers from {INJECTABLE}, got {unknown}")
    return numbers


class ErratumSigmoid(bp.Sigmoid):
    """σ with the original's derivative, ``factor``·σ(1 − σ): factor 2 is erratum 1.

    Its own name keeps it from being fused with the cross-entropy, so the network really
    computes ∂L/∂ŷ ⊙ σ'(z), as the original did.
    """

    name = "sigmoid (original)"

    def __init__(self, factor=2.0):
        self.factor = float(factor)

    def derivative(self, z):
        s = self.forward(z)
        return self.factor * s * (1 - s)

    def backward(self, da, z, a):
        return da * self.derivative(z)

    def __repr__(self):
        return f"ErratumSigmoid(factor={self.factor:g})"


class ErratumDense(bp.Dense):
    """``Dense`` whose gradients carry errata 2 and 5, and optionally a bias step ratio.

    ``bias_ratio`` r multiplies db, so that one learning rate η gives the biases the
    effective rate r·η: a way to explore separate rates η_W and η_b.
    """

    def __init__(self, W, b, activation, errata=(), bias_ratio=1.0):
        super().__init__(W, b, activation)
        self.errata = check_errata(errata)
        self.bias_ratio = check_real(bias_ratio, "bias_ratio", low=0.0)

    def backward_from_dz(self, dz, first=False):
        da_prev = super().backward_from_dz(dz, first)
        if 2 in self.errata:
            self.dW = self.a.T @ dz  # the layer's own output a_k, not its input a_{k−1}
        if 5 in self.errata:
            self.db = self.db / len(dz)  # the batch mean, while dW stays a sum
        if self.bias_ratio != 1.0:
            self.db = self.db * self.bias_ratio
        return da_prev


class ErratumLoss(bp.Loss):
    """``base`` with erratum 3 (∂L/∂ŷ without its minus sign) and/or 4 (÷ outputs, not samples).

    Never fused with an activation: the backward pass starts from this ∂L/∂ŷ.
    """

    def __init__(self, base, errata):
        self.base, self.errata = bp.get_loss(base), check_errata(errata) & {3, 4}
        self.name = f"{self.base.name} (errata {sorted(self.errata)})"

    def _scale(self, y):
        return len(y) / y.shape[1] if 4 in self.errata else 1.0  # a sum over samples ÷ outputs

    def value(self, y, yhat):
        return self.base.value(y, yhat) * self._scale(y)

    def gradient(self, y, yhat):
        sign = -1.0 if 3 in self.errata else 1.0
        return sign * self.base.gradient(y, yhat) * self._scale(y)

    def check_targets(self, y):
        self.base.check_targets(y)


def with_errata(net, errata, bias_ratio=1.0):
    """``net`` (changed in place and returned) with the errata numbered ``errata`` switched on."""
    errata = check_errata(errata)
    if 1 in errata:
        for layer in net.layers:
            if layer.activation.name == "sigmoid":
                layer.activation = ErratumSigmoid(2.0)
    net.layers = [
        ErratumDense(layer.W, layer.b, layer.activation, errata, bias_ratio) for layer in net.layers
    ]
    if errata & {3, 4}:
        net.loss_fn = ErratumLoss(net.loss_fn, errata)
    net.errata = errata
    return net


def bug_hunt_network(errata=(), seed=0):
    """The network every erratum fits into: 3 → 3 → 3 → 3, ReLU, sigmoid, sigmoid, squared error.

    Square weight matrices let erratum 2 run without a shape error, the sigmoid layers host
    erratum 1 and the squared error (not fused with sigmoid) hosts erratum 3.
    """
    net = bp.MLP([3, 3, 3, 3], ["relu", "sigmoid", "sigmoid"], loss="mse", seed=seed)
    return with_errata(net, errata)


def bug_hunt_data(n_samples=20, seed=0):
    """Inputs X ``(n, 3)`` ~ N(0, 1) and targets y ``(n, 3)`` ~ U(0, 1) for the bug hunt."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n_samples, 3)), rng.uniform(size=(n_samples, 3))

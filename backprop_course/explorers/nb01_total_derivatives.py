"""Notebook 01: the total derivative of f(t(x), u(x), v(x)) and the total differential.

The running example of the notebook::

    f(t, u, v) = t·u + v²,   t(x) = x²,   u(x) = sin x,   v(x) = e^(x/2)

so that f(x) = x² sin x + e^x and, by the chain rule (the total derivative),

    df/dx = ∂f/∂t·dt/dx + ∂f/∂u·du/dx + ∂f/∂v·dv/dx = u·2x + t·cos x + 2v·(v/2).

The total differential df = (df/dx)·dx approximates the true change
Δf = f(x + dx) − f(x); the error Δf − df ≈ ½ f''(x)·dx² shrinks like dx².

Plain functions compute every number; ``total_derivative_explorer()`` returns the widget.
All compute functions take a float ``x`` (or a numpy array of any shape, elementwise).
"""

import html
import numbers

import numpy as np

from backprop_lib.gradcheck import numerical_gradient, rel_error

from ..plotting import FastPNG, StaticFigure

# Names of the three inner functions, in the order used everywhere below.
NAMES = ("t", "u", "v")


def _check_number(name, value):
    """``value`` as a finite float, or a clear error."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{name}: expected a real number, got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name}: expected a finite number, got {value}")
    return value


# -- the example and its derivatives ------------------------------------------------


def inner(x):
    """(t, u, v) = (x², sin x, e^(x/2)); each of x's shape."""
    return x**2, np.sin(x), np.exp(x / 2)


def inner_derivatives(x):
    """(dt/dx, du/dx, dv/dx) = (2x, cos x, ½e^(x/2)); each of x's shape."""
    return 2 * x, np.cos(x), 0.5 * np.exp(x / 2)


def outer(t, u, v):
    """f(t, u, v) = t·u + v², elementwise."""
    return t * u + v**2


def partials(t, u, v):
    """(∂f/∂t, ∂f/∂u, ∂f/∂v) = (u, t, 2v), elementwise."""
    return u, t, 2 * v


def composite(x):
    """f(t(x), u(x), v(x)) = x² sin x + e^x, of x's shape."""
    return outer(*inner(x))


def chain_rule_terms(x):
    """The three terms of df/dx at a number ``x``.

    Returns a dict: for each name in ``NAMES`` a dict with ``partial`` (∂f/∂·),
    ``inner`` (d·/dx) and ``term`` (their product); ``total`` is the sum of the terms.
    """
    x = _check_number("x", x)
    outer_partials = partials(*inner(x))
    inner_derivs = inner_derivatives(x)
    out = {}
    for name, p, d in zip(NAMES, outer_partials, inner_derivs):
        out[name] = {"partial": float(p), "inner": float(d), "term": float(p * d)}
    out["total"] = sum(out[name]["term"] for name in NAMES)
    return out


def total_derivative(x):
    """df/dx = Σ ∂f/∂·  ·  d·/dx, elementwise (x any shape)."""
    return sum(p * d for p, d in zip(partials(*inner(x)), inner_derivatives(x)))


def second_derivative(x):
    """f''(x) = 2 sin x + 4x cos x − x² sin x + e^x, elementwise."""
    return 2 * np.sin(x) + 4 * x * np.cos(x) - x**2 * np.sin(x) + np.exp(x)


def central_difference(x, eps=1e-6):
    """df/dx at a number ``x`` by central differences (``backprop_lib.gradcheck``)."""
    point = np.array([_check_number("x", x)])
    return float(numerical_gradient(lambda: composite(point[0]), point, eps)[0])


def total_differential(x, dx):
    """The linear approximation at a number ``x`` for a step ``dx``.

    Returns a dict: ``df`` = (df/dx)·dx, ``delta_f`` = f(x + dx) − f(x) (the true change),
    ``error`` = Δf − df, and ``error_over_dx2`` = error / dx² (→ ½ f''(x) as dx → 0).
    """
    x, dx = _check_number("x", x), _check_number("dx", dx)
    if dx == 0:
        raise ValueError("dx: expected a non-zero step, got 0")
    df = float(total_derivative(x)) * dx
    delta_f = float(composite(x + dx) - composite(x))
    error = delta_f - df
    return {"df": df, "delta_f": delta_f, "error": error, "error_over_dx2": error / dx**2}


def differential_errors(x, dxs):
    """|Δf − df| for each step in ``dxs`` (1-D array, shape kept)."""
    x = _check_number("x", x)
    dxs = np.asarray(dxs, dtype=float)
    return np.abs(composite(x + dxs) - composite(x) - total_derivative(x) * dxs)


def fitted_slope(dxs, errors):
    """Slope of the least-squares line through (log dx, log error): the order of the error."""
    dxs, errors = np.asarray(dxs, dtype=float), np.asarray(errors, dtype=float)
    if dxs.shape != errors.shape or dxs.ndim != 1 or len(dxs) < 2:
        raise ValueError(
            f"fitted_slope: expected two 1-D arrays of equal length >= 2, got shapes "
            f"{dxs.shape} and {errors.shape}"
        )
    if (dxs <= 0).any() or (errors <= 0).any():
        raise ValueError("fitted_slope: expected positive steps and errors (logarithms are taken)")
    return float(np.polyfit(np.log(dxs), np.log(errors), 1)[0])


# -- what the explorer shows --------------------------------------------------------

_TERM_FORMULAS = {
    "t": ("∂f/∂t · dt/dx", "u · 2x"),
    "u": ("∂f/∂u · du/dx", "t · cos x"),
    "v": ("∂f/∂v · dv/dx", "2v · ½e<sup>x/2</sup>"),
}


def terms_html(x, dx):
    """An HTML table of every number the explorer shows at ``x`` and step ``dx``."""
    terms = chain_rule_terms(x)
    numeric = central_difference(x)
    diff = total_differential(x, dx)
    rows = [f"<b>x = {x:.3f}</b>, &nbsp; <b>dx = {dx:.4g}</b>"]
    rows.append('<table style="border-collapse:collapse">')
    rows.append(
        "<tr><th align=left>term</th><th align=left>formula</th>"
        "<th align=right>∂f/∂·</th><th align=right>d·/dx</th><th align=right>product</th></tr>"
    )
    for name in NAMES:
        label, formula = _TERM_FORMULAS[name]
        term = terms[name]
        rows.append(
            f"<tr><td>{html.escape(label)}</td><td>{formula}</td>"
            f"<td align=right>{term['partial']:.6f}</td><td align=right>{term['inner']:.6f}</td>"
            f"<td align=right>{term['term']:.6f}</td></tr>"
        )
    rows.append(
        f"<tr><td colspan=4><b>sum = df/dx</b></td><td align=right><b>{terms['total']:.6f}</b></td></tr>"
    )
    rows.append(
        f"<tr><td colspan=4>central difference (f(x+ε) − f(x−ε))/2ε</td>"
        f"<td align=right>{numeric:.6f}</td></tr>"
    )
    rows.append(
        f"<tr><td colspan=4>relative error</td>"
        f"<td align=right>{rel_error(terms['total'], numeric):.1e}</td></tr>"
    )
    rows.append("</table>")
    rows.append('<table style="border-collapse:collapse;margin-top:6px">')
    rows.append(f"<tr><td>total differential df = (df/dx)·dx</td><td align=right>{diff['df']:.6f}</td></tr>")
    rows.append(
        f"<tr><td>true change Δf = f(x+dx) − f(x)</td><td align=right>{diff['delta_f']:.6f}</td></tr>"
    )
    rows.append(f"<tr><td>error Δf − df</td><td align=right>{diff['error']:.3e}</td></tr>")
    rows.append(
        f"<tr><td>error / dx² &nbsp;(→ ½f''(x) = {second_derivative(x) / 2:.4f})</td>"
        f"<td align=right>{diff['error_over_dx2']:.4f}</td></tr>"
    )
    rows.append("</table>")
    return "\n".join(rows)


X_RANGE = (-2.0, 2.0)
DX_RANGE = (1e-3, 1.0)
_DX_GRID = np.logspace(-4, 0, 81)


def _build_figure():
    """The explorer's figure and its moving artists (a dict), built once."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9.6, 3.6), dpi=90)
    fig.subplots_adjust(left=0.07, right=0.97, bottom=0.15, top=0.9, wspace=0.28)
    ax_f, ax_err = fig.subplots(1, 2)

    xs = np.linspace(X_RANGE[0] - 0.5, X_RANGE[1] + DX_RANGE[1] + 0.2, 400)
    ax_f.plot(xs, composite(xs), color="C0", lw=2, label="f(x) = x² sin x + eˣ")
    ax_f.set_xlim(xs[0], xs[-1])
    ax_f.set_ylim(-6, 24)
    ax_f.set_xlabel("x")
    ax_f.set_title("f and its tangent at x")
    ax_f.grid(alpha=0.3)
    art = {}
    (art["tangent"],) = ax_f.plot([], [], color="C1", lw=1.5, label="tangent: f(x) + (df/dx)·dx")
    (art["point"],) = ax_f.plot([], [], "o", color="C1", ms=6)
    (art["true_point"],) = ax_f.plot([], [], "o", color="C0", ms=5, label="f(x + dx)")
    (art["linear_point"],) = ax_f.plot([], [], "s", color="C1", ms=5, mfc="white", label="f(x) + df")
    (art["gap"],) = ax_f.plot([], [], color="C3", lw=2.5, label="error Δf − df")
    ax_f.legend(loc="upper left", fontsize=8, framealpha=0.9)

    ax_err.set_xscale("log")
    ax_err.set_yscale("log")
    ax_err.set_xlim(_DX_GRID[0], _DX_GRID[-1])
    ax_err.set_ylim(1e-10, 1e2)
    ax_err.set_xlabel("dx")
    ax_err.set_title("error of the total differential |Δf − df|")
    ax_err.grid(alpha=0.3, which="major")
    (art["err_curve"],) = ax_err.plot([], [], color="C3", lw=2, label="|Δf − df|")
    (art["err_ref"],) = ax_err.plot([], [], "k--", lw=1, label="½|f''(x)|·dx²  (slope 2)")
    (art["err_point"],) = ax_err.plot([], [], "o", color="C3", ms=6)
    ax_err.legend(loc="upper left", fontsize=8, framealpha=0.9)
    return fig, art


def _update_artists(art, x, dx):
    """Move every artist to the state at ``x``, ``dx``."""
    fx, slope = float(composite(x)), float(total_derivative(x))
    span = np.array([x - 1.5, x + DX_RANGE[1] + 0.5])
    art["tangent"].set_data(span, fx + slope * (span - x))
    art["point"].set_data([x], [fx])
    f_true = float(composite(x + dx))
    f_linear = fx + slope * dx
    art["true_point"].set_data([x + dx], [f_true])
    art["linear_point"].set_data([x + dx], [f_linear])
    art["gap"].set_data([x + dx, x + dx], [f_linear, f_true])

    tiny = 1e-300  # log axes cannot show 0; such points fall below the axis anyway
    errors = np.maximum(differential_errors(x, _DX_GRID), tiny)
    art["err_curve"].set_data(_DX_GRID, errors)
    half_f2 = max(abs(float(second_derivative(x))) / 2, tiny)
    art["err_ref"].set_data(_DX_GRID, half_f2 * _DX_GRID**2)
    art["err_point"].set_data([dx], [max(abs(f_true - f_linear), tiny)])


def total_derivative_explorer(x=1.0, dx=0.5):
    """The notebook's explorer: sliders for x and dx, the chain-rule numbers, a figure.

    Returns an ``ipywidgets.VBox`` with attributes ``x_slider``, ``dx_slider`` (a log
    slider), ``terms_html`` (the numbers, an ``HTML`` widget), ``image`` (the figure as an
    ``Image`` widget), ``fig`` and ``artists`` (the matplotlib Figure and its moving lines:
    ``tangent``, ``point``, ``true_point``, ``linear_point``, ``gap``, ``err_curve``,
    ``err_ref``, ``err_point``) and ``update()`` which redraws from the sliders.
    """
    import ipywidgets as widgets

    x = _check_number("x", x)
    dx = _check_number("dx", dx)
    if not (X_RANGE[0] <= x <= X_RANGE[1]):
        raise ValueError(f"x: expected a value in {list(X_RANGE)}, got {x}")
    if not (DX_RANGE[0] <= dx <= DX_RANGE[1]):
        raise ValueError(f"dx: expected a value in {list(DX_RANGE)}, got {dx}")

    x_slider = widgets.FloatSlider(
        value=x,
        min=X_RANGE[0],
        max=X_RANGE[1],
        step=0.01,
        description="x",
        readout_format=".2f",
        continuous_update=True,
    )
    dx_slider = widgets.FloatLogSlider(
        value=dx,
        base=10,
        min=np.log10(DX_RANGE[0]),
        max=np.log10(DX_RANGE[1]),
        step=0.05,
        description="dx",
        readout_format=".3g",
        continuous_update=True,
    )
    terms = widgets.HTML()
    image = widgets.Image(format="png")
    fig, art = _build_figure()
    _update_artists(art, x, dx)  # so the background is drawn with sensible limits
    renderer = FastPNG(fig)  # static parts drawn once; each update redraws only `art`

    def update(change=None):
        xv, dxv = float(x_slider.value), float(dx_slider.value)
        terms.value = terms_html(xv, dxv)
        _update_artists(art, xv, dxv)
        image.value = renderer.png(list(art.values()))

    x_slider.observe(update, names="value")
    dx_slider.observe(update, names="value")
    update()

    box = widgets.VBox([widgets.HBox([x_slider, dx_slider]), image, terms])
    box.x_slider, box.dx_slider = x_slider, dx_slider
    box.terms_html, box.image = terms, image
    box.fig, box.artists, box.update = fig, art, update
    return box


# -- the notebook's static figure ----------------------------------------------------------


def error_figure(x, dxs):
    """|Δf − df| at ``x`` for the steps ``dxs`` on log-log axes, with ½|f''(x)|·dx² beside it."""
    from ..plotting import new_figure

    errors = differential_errors(x, dxs)
    fig, ax = new_figure(figsize=(5.5, 3.6))
    fig.subplots_adjust(left=0.15, right=0.97, bottom=0.14, top=0.9)
    ax.loglog(dxs, errors, "o-", color="C3", label=f"|Δf − df| at x = {x:g}")
    ax.loglog(dxs, abs(second_derivative(x)) / 2 * dxs**2, "k--", lw=1, label=f"½|f''({x:g})|·dx²  (slope 2)")
    ax.set_xlabel("dx")
    ax.set_ylabel("error of the total differential")
    ax.set_title(f"the error shrinks like dx² (fitted slope {fitted_slope(dxs, errors):.2f})")
    ax.grid(alpha=0.3)
    ax.legend()
    return StaticFigure(fig, dpi=fig.dpi)


# -- your turn: the chain-rule terms -------------------------------------------------------


def chain_rule_questions(x):
    """The three chain-rule terms of df/dx at a number ``x`` and their sum, as "your turn"
    ``Question`` s, each with the values that typical slips give."""
    from .your_turn import Question

    x = _check_number("x", x)
    t, u, v = (float(w) for w in inner(x))
    dt, du, dv = (float(w) for w in inner_derivatives(x))
    terms = chain_rule_terms(x)
    via = {name: terms[name]["term"] for name in NAMES}
    total = terms["total"]
    questions = [
        Question(
            "∂f/∂t · dt/dx",
            r"\frac{\partial f}{\partial t}\frac{dt}{dx}",
            via["t"],
            (
                ("forget the inner derivative: the term is ∂f/∂t · dt/dx, not ∂f/∂t = u alone", u),
                ("keep only the inner derivative dt/dx = 2x: multiply it by ∂f/∂t = u", dt),
                ("take ∂f/∂t = t: in f = t·u + v², the factor next to t is u", t * dt),
                ("flip the sign", -via["t"]),
            ),
            r"\frac{\partial f}{\partial t}\frac{dt}{dx} = u \cdot 2x",
            rf"u \cdot 2x = {u:.4f} \cdot {dt:.4f} = {via['t']:.4f}",
        ),
        Question(
            "∂f/∂u · du/dx",
            r"\frac{\partial f}{\partial u}\frac{du}{dx}",
            via["u"],
            (
                ("forget the inner derivative: the term is ∂f/∂u · du/dx, not ∂f/∂u = t alone", t),
                ("keep only the inner derivative du/dx = cos x: multiply it by ∂f/∂u = t", du),
                ("take ∂f/∂u = u: in f = t·u + v², the factor next to u is t", u * du),
                ("differentiate sin x as −cos x: d(sin x)/dx = +cos x", -via["u"]),
            ),
            r"\frac{\partial f}{\partial u}\frac{du}{dx} = t \cdot \cos x",
            rf"t \cdot \cos x = {t:.4f} \cdot {du:.4f} = {via['u']:.4f}",
        ),
        Question(
            "∂f/∂v · dv/dx",
            r"\frac{\partial f}{\partial v}\frac{dv}{dx}",
            via["v"],
            (
                ("forget the inner derivative: the term is ∂f/∂v · dv/dx, not ∂f/∂v = 2v alone", 2 * v),
                ("keep only the inner derivative dv/dx = ½e^(x/2): multiply it by ∂f/∂v = 2v", dv),
                ("forget the 2 of ∂(v²)/∂v = 2v", v * dv),
                ("forget the ½ of d(e^(x/2))/dx = ½e^(x/2)", 2 * v * v),
            ),
            r"\frac{\partial f}{\partial v}\frac{dv}{dx} = 2v \cdot \tfrac12 e^{x/2}",
            rf"2v \cdot \tfrac12 e^{{x/2}} = {2 * v:.4f} \cdot {dv:.4f} = {via['v']:.4f}",
        ),
    ]
    total_slips = tuple(
        (f"leave out the path through {name}: df/dx adds one term per path", total - via[name])
        for name in NAMES
    ) + (("add the partial derivatives u + t + 2v without their inner derivatives", u + t + 2 * v),)
    questions.append(
        Question(
            "df/dx",
            r"\frac{df}{dx}",
            total,
            total_slips,
            r"\frac{df}{dx} = \frac{\partial f}{\partial t}\frac{dt}{dx} + \frac{\partial f}{\partial u}"
            r"\frac{du}{dx} + \frac{\partial f}{\partial v}\frac{dv}{dx}",
            " + ".join(f"{via[name]:.4f}" for name in NAMES) + f" = {total:.4f}",
        )
    )
    return questions


def chain_rule_quiz(x=0.7):
    """A widget: the values of t, u, v at ``x``, and one answer box per chain-rule term and for
    df/dx. Returns an ``ipywidgets.VBox`` with attributes ``questions`` and ``boxes`` (one
    ``your_turn.AnswerBox`` each)."""
    import ipywidgets as widgets

    from .your_turn import AnswerBox

    questions = chain_rule_questions(x)
    t, u, v = (float(w) for w in inner(x))
    given = widgets.HTMLMath(
        f"At $x = {x:g}$: $t = x^2 = {t:.4f}$, $u = \\sin x = {u:.4f}$, $v = e^{{x/2}} = {v:.4f}$. "
        "Type each term to 4 decimals (or more)."
    )
    boxes = []
    for question in questions:
        box = AnswerBox()
        box.ask(question)
        boxes.append(box)
    quiz = widgets.VBox([given] + [box.box for box in boxes])
    quiz.questions, quiz.boxes = questions, boxes
    return quiz

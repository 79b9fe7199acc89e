"""'Your turn': the learner types the value of the next quantity; the feedback names the slip.

A ``Question`` holds the right value and the values that typical slips would give (forgot f′,
the wrong weight index, a path of a sum dropped, the sign, ...). ``judge(question, text)``
compares what the learner typed with both, in plain Python, so tests drive it without a
browser. ``AnswerBox`` is the widget: a text box, Check, Hint and Show buttons, and the verdict.

A typed value counts as right when it is within ``TOLERANCE`` of the true value, relative, or
within ``ABS_TOLERANCE``: enough for a value computed by hand from the 4 to 6 decimals the
explorers print, and far tighter than the gap to any slip it names.
"""

import html
import math
import re
from dataclasses import dataclass

TOLERANCE = 5e-3  # relative
ABS_TOLERANCE = 5e-4


@dataclass(frozen=True)
class Question:
    """What to ask: ``label`` (plain text, e.g. ``∂L/∂z⁽³⁾₁``), ``latex`` (its symbol), ``value``,
    ``slips`` (``((description, value), ...)``), ``hint`` (LaTeX of the general rule) and
    ``answer`` (LaTeX of the rule with the numbers substituted)."""

    label: str
    latex: str
    value: float
    slips: tuple = ()
    hint: str = ""
    answer: str = ""


@dataclass(frozen=True)
class Verdict:
    """``status`` is "right", "slip" (a named mistake), "wrong" or "unreadable"."""

    status: str
    message: str

    @property
    def right(self):
        return self.status == "right"


def parse_number(text):
    """A typed number as a float: accepts ``-0.12``, ``−0.12`` (a typographic minus), ``1e-3``.

    Raises ``ValueError`` with a message that says what was expected and what was typed.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected the typed text (a str), got {type(text).__name__}")
    cleaned = text.strip().replace("−", "-").replace("–", "-").replace(" ", "")
    if re.fullmatch(r"[+-]?\d+,\d+", cleaned):  # a decimal comma
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"expected a number such as -0.1234, got {text.strip()!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {text.strip()!r}")
    return value


def close(a, b):
    """Whether a typed value ``a`` counts as the value ``b``."""
    return abs(a - b) <= max(ABS_TOLERANCE, TOLERANCE * abs(b))


def judge(question, text):
    """The ``Verdict`` for the typed ``text``: right, a named slip, or wrong."""
    try:
        value = parse_number(text)
    except (TypeError, ValueError) as err:
        return Verdict("unreadable", str(err))
    if close(value, question.value):
        return Verdict("right", f"right: {question.label} = {question.value:.6f}")
    for description, wrong in question.slips:
        if close(value, wrong) and not close(wrong, question.value):
            return Verdict("slip", f"{value:g} is what you get if you {description}")
    return Verdict(
        "wrong",
        f"{value:g} is not {question.label}, and not a slip this explorer knows. "
        "Check each factor against the rule (Hint), then try again.",
    )


class AnswerBox:
    """The widget part of a question: ``text`` (what the learner types), ``check_button``,
    ``hint_button``, ``show_button``, ``feedback`` (HTMLMath) and ``box`` (the VBox to display).

    ``ask(question)`` poses a new question; ``on_right(callback)`` is told when the learner got
    it right. ``verdict`` is the last ``Verdict`` (None before the first check).
    """

    def __init__(self, placeholder="your value, e.g. -0.1234"):
        import ipywidgets as widgets

        self.question, self.verdict, self._callbacks = None, None, []
        self.prompt = widgets.HTMLMath()
        # Enter (or leaving the box) commits the text and checks it, like the Check button.
        self.text = widgets.Text(
            placeholder=placeholder, continuous_update=False, layout=widgets.Layout(width="200px")
        )
        self.check_button = widgets.Button(description="Check", button_style="primary")
        self.hint_button = widgets.Button(description="Hint")
        self.show_button = widgets.Button(description="Show the answer")
        self.feedback = widgets.HTMLMath()
        self.check_button.on_click(lambda _: self.check())
        self.text.observe(lambda change: self.check() if change["new"].strip() else None, names="value")
        self.hint_button.on_click(lambda _: self.hint())
        self.show_button.on_click(lambda _: self.show())
        self.box = widgets.VBox(
            [
                self.prompt,
                widgets.HBox([self.text, self.check_button, self.hint_button, self.show_button]),
                self.feedback,
            ]
        )

    def ask(self, question):
        self.question, self.verdict = question, None
        self.text.value = ""
        self.feedback.value = ""
        self.prompt.value = f"<b>Your turn:</b> $$ {question.latex} = \\;? $$"

    def on_right(self, callback):
        self._callbacks.append(callback)

    def check(self):
        """Judge the typed text and show the verdict; returns it."""
        verdict = judge(self.question, self.text.value)
        self.verdict = verdict
        colour = {"right": "#1a7f37", "slip": "#b35900"}.get(verdict.status, "#b2182b")
        mark = {"right": "✓", "slip": "✗"}.get(verdict.status, "✗")
        text = html.escape(verdict.message)
        if verdict.right and self.question.answer:
            text += f"$$ {self.question.answer} $$"
        self.feedback.value = f"<span style='color:{colour}'>{mark} {text}</span>"
        if verdict.right:
            for callback in self._callbacks:
                callback(self.question)
        return verdict

    def hint(self):
        self.feedback.value = f"<b>Hint</b> — the rule: $$ {self.question.hint} $$"

    def show(self):
        self.feedback.value = f"<b>The answer</b>: $$ {self.question.answer} $$"

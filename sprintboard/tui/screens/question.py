"""A yes-or-no question whose safe answer is the easy one: the base of every such dialog.

Escape, n, and enter on the focused first button keep things as they are; only the
dialog's own key (y, or d to discard) or its second button acts. Each dialog declares
its keys in its own `BINDINGS` (with their keymap ids), bound to `answer(True)` and
`answer(False)`, and says its question, hint and buttons' words.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label


class Question(ModalScreen[bool]):
    """Asks `text`; dismisses True when the user acts, False when they keep."""

    def __init__(self, text: str, *, hint: str, keep: str, act: str) -> None:
        super().__init__()
        self.text = text
        """The question, as shown (terminal-safe already; never markup)."""
        self.hint = hint
        self.keep = keep
        self.act = act

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.text, classes="dialog-title", markup=False)
            yield Label(self.hint, classes="hint")
            with Horizontal(id="buttons"):
                # first, so it has the focus: enter keeps things as they are
                yield Button(self.keep, variant="primary", id="keep")
                yield Button(self.act, variant="error", id="act")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed, "#keep")
    def _kept(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#act")
    def _acted(self) -> None:
        self.dismiss(True)

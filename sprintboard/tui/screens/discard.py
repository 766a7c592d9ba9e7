"""Asking before unsaved typing is thrown away: "Discard your changes?".

The safe answer is the easy one: Escape (pressed again by habit), n, enter on the
focused "Keep editing" button all go back to the editor with everything typed. Only
d (or y, or the "Discard" button) throws the changes away.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from ...i18n import _


class DiscardChanges(ModalScreen[bool]):
    """Whether to throw away what was typed in `what`; dismisses True to discard."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d,y", "answer(True)", _("Discard"), id="discard.discard"),
        Binding("escape,n", "answer(False)", _("Keep editing"), id="discard.keep"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what
        """What holds the changes, as the question names it ("card aaaa0001")."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            question = _("Discard your changes to {what}?").format(what=self.what)
            yield Label(question, classes="dialog-title", markup=False)
            yield Label(_("d discards them · escape or n keeps editing"), classes="hint")
            with Horizontal(id="buttons"):
                # first, so it has the focus: enter keeps what is typed
                yield Button(_("Keep editing"), variant="primary", id="keep")
                yield Button(_("Discard"), variant="error", id="discard")

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)

    @on(Button.Pressed, "#keep")
    def _kept(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#discard")
    def _discarded(self) -> None:
        self.dismiss(True)

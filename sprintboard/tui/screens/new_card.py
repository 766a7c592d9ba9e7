"""Asking for the title of a new card: the one thing a card needs to exist."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ...i18n import _
from ...labels import stage_label
from ...model import Stage


class NewCardPrompt(ModalScreen[str | None]):
    """A one-line title for a new card in `stage`; dismisses with it, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Cancel"), id="new-card.cancel"),
    ]

    def __init__(self, stage: Stage) -> None:
        super().__init__()
        self.stage = stage
        """The column the card goes into."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            title = _("New card in {stage}").format(stage=stage_label(self.stage))
            yield Label(title, classes="dialog-title")
            yield Input(placeholder=_("title"), id="title")
            yield Label(
                _("enter adds it · escape cancels · e edits the rest later"), classes="hint"
            )

    @on(Input.Submitted, "#title")
    def _submitted(self, event: Input.Submitted) -> None:
        title = " ".join(event.value.split())
        self.dismiss(title or None)

    def action_cancel(self) -> None:
        self.dismiss(None)

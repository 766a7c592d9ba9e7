"""The card a facilitator presents, shown enlarged to everyone who follows.

Its title large and alone on the first line, then what the card view shows (body,
experiment and learning fields, who made it). It stays until presenting stops — the
board screen dismisses it then (`live_actions`) — or until this person stops
following (`F`) or closes it (`escape`: this card only; the next one presented shows
again). `P` here is the board's: a facilitator stops presenting from it.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ...i18n import _
from ...model import Card, Member
from ...safe_text import visible
from .card_view import card_text

Closed = Literal["close", "unfollow", "stop"]
"""Why the presented card was closed by this person: escape, F, or P."""


class PresentedCard(ModalScreen[Closed | None]):
    """One card, enlarged, for everyone; dismissed by the board when presenting stops."""

    DEFAULT_CSS = """
    PresentedCard {
        align: center middle;
        #presented {
            width: 90%;
            height: 90%;
            border: double $accent;
            border-title-style: bold;
            padding: 0 2;
            background: $surface;
        }
        #presented-title {
            width: 1fr;
            text-style: bold reverse;
            padding: 1 2;
            margin-bottom: 1;
        }
        #presented-keys { dock: bottom; color: $text-muted; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close('close')", _("Back to the board"), id="presented.close"),
        Binding("F", "close('unfollow')", _("Follow off"), id="presented.unfollow"),
        Binding("P", "close('stop')", _("Stop presenting"), id="presented.stop"),
    ]

    def __init__(
        self,
        card_id: str,
        card: Card,
        members: dict[str, Member],
        by: str,
        stopping: bool,
    ) -> None:
        super().__init__()
        self.card_id = card_id
        """The card shown."""
        self._card = card
        self._members = members
        self._by = by
        self._stopping = stopping

    def compose(self) -> ComposeResult:
        with Vertical(id="presented") as frame:
            frame.border_title = _("Presented by {name}").format(name=visible(self._by))
            yield Label(visible(self._card.title), id="presented-title", markup=False)
            with VerticalScroll():
                yield Static(self._text(), id="presented-card", markup=False)
            keys = _("escape: back to the board · F: follow off")
            if self._stopping:
                keys = _("escape: back to the board · P: stop presenting")
            yield Label(keys, id="presented-keys", classes="hint")

    def _text(self) -> Text:
        return card_text(self.card_id, self._card, self._members)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close" and parameters == ("stop",):
            return self._stopping  # only a facilitator sees P; the board refuses others anyway
        return True

    def action_close(self, why: Closed) -> None:
        self.dismiss(why)

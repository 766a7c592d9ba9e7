"""Asking for the title of a new card: the one thing a card needs to exist.

Someone who just walked in can be added on the way, as a guest member (ctrl+g: name
and side, `member_form`), who becomes a co-creator of the new card: the prompt
dismisses with the title and the guests, and the board screen saves both in one
operation (one undo takes both back). Anyone may add a guest: joining is no
facilitator's duty.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ... import ops
from ...i18n import _, ngettext
from ...labels import side_label, stage_label
from ...model import Side, Stage
from ...safe_text import visible
from ..widgets.keybar import KeyBar

GUEST_KEY = "ctrl+g"
"""The key that adds a guest in the new-card prompt and the card editor."""


@dataclass(frozen=True)
class NewCard:
    """What the prompt asks for: the title, and the guests who join as its co-creators."""

    title: str
    guests: tuple[ops.SetMember, ...] = ()


def guests_line(guests: Collection[ops.SetMember]) -> str:
    """The guests added so far, as the dialogs name them ("with Omar (external)")."""
    names = ", ".join(f"{g.name} ({side_label(Side(g.side))})" for g in guests)
    if not guests:
        return ""
    text = ngettext("with guest {names}", "with guests {names}", len(guests))
    return visible(text.format(names=names))


class NewCardPrompt(ModalScreen[NewCard | None]):
    """A one-line title for a new card in `stage`; dismisses with it, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Cancel"), id="new-card.cancel"),
        Binding(
            GUEST_KEY,
            "guest",
            _("Guest"),
            tooltip=_("Someone new joins: add them to the team as a co-creator of this card"),
            id="new-card.guest",
        ),
    ]

    def __init__(self, stage: Stage, members: Collection[str] = ()) -> None:
        super().__init__()
        self.stage = stage
        """The column the card goes into."""
        self.members = members
        """The board's member keys: a guest's key must differ."""
        self.guests: list[ops.SetMember] = []
        """Guests added so far, who become the card's co-creators."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            title = _("New card in {stage}").format(stage=stage_label(self.stage))
            yield Label(title, classes="dialog-title")
            yield Input(placeholder=_("title"), id="title")
            yield Label("", id="guests", classes="hint", markup=False)
            yield Label(
                _("enter adds it · escape cancels · e edits the rest later"), classes="hint"
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#guests", Label).display = False

    @on(Input.Submitted, "#title")
    def _submitted(self, event: Input.Submitted) -> None:
        title = " ".join(event.value.split())
        self.dismiss(NewCard(title, tuple(self.guests)) if title else None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_guest(self) -> None:
        from .member_form import MemberForm

        taken = {*self.members, *(g.key for g in self.guests)}
        self.app.push_screen(MemberForm(taken, guest=True), self._guest_added)

    def _guest_added(self, guest: ops.SetMember | None) -> None:
        if guest is not None:
            self.guests.append(guest)
            line = self.query_one("#guests", Label)
            line.update(guests_line(self.guests))
            line.display = True
        self.query_one("#title", Input).focus()

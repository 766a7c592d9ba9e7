"""A card opened: everything on it, read-only, with a key to edit it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ...model import Card, Member
from ..labels import EXPERIMENT_GROUP, LABELS, LEARNING_GROUP
from ..widgets.keybar import KeyBar


def card_text(card_id: str, card: Card, members: Mapping[str, Member]) -> Text:
    """The whole card as text: its frame, notes, experiment, learning and history."""

    def name(key: str) -> str:
        member = members.get(key)
        return member.name if member is not None else key

    text = Text()
    facts = [card.stage.value]
    if card.archived:
        facts.append("archived")
    if card.tags:
        facts.append(" ".join(f"#{tag}" for tag in card.tags))
    text.append(" · ".join(facts), style="bold")
    text.append(f"   id {card_id}\n", style="dim")
    if card.by:
        text.append("Co-created by ", style="dim")
        text.append(", ".join(name(key) for key in card.by) + "\n")
    if card.votes:
        votes = ", ".join(f"{name(key)} {dots}" for key, dots in card.votes.items())
        text.append("Dots ", style="dim")
        text.append(f"{card.dots} ({votes})\n")
    if card.body:
        text.append("\n" + card.body + "\n")
    for heading, fields in (("Experiment", EXPERIMENT_GROUP), ("Learning", LEARNING_GROUP)):
        filled = [field for field in fields if getattr(card, field)]
        if not filled:
            continue
        text.append(f"\n{heading}\n", style="bold underline")
        for field in filled:
            value = getattr(card, field)
            shown = value.value if field == "decision" else value
            text.append(f"{LABELS[field]} ", style="bold")
            text.append(f"{shown}\n")
    if card.history:
        text.append("\nHistory\n", style="bold underline")
        for entry in card.history:
            when = entry.at.strftime("%Y-%m-%d %H:%M")
            text.append(f"{when}  {entry.stage.value} · {name(entry.by)}\n")
    return text


class CardView(ModalScreen[str | None]):
    """One card in full. Dismisses with "edit" when the user asks to edit it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit", id="card.edit"),
        Binding("escape,enter,q", "close", "Close", id="card.close"),
    ]

    def __init__(self, card_id: str, card: Card, members: Mapping[str, Member]) -> None:
        super().__init__()
        self.card_id = card_id
        """The id of the card shown."""
        self.card = card
        """The card as it was when opened."""
        self.members = members
        """The board's members, for co-creators' names."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.card.title, classes="dialog-title", markup=False)
            with VerticalScroll():
                yield Static(card_text(self.card_id, self.card, self.members))
        yield KeyBar()

    def action_edit(self) -> None:
        self.dismiss("edit")

    def action_close(self) -> None:
        self.dismiss(None)

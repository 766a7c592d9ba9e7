"""A card opened: everything on it, read-only, with a key to edit it.

A card a git merge left undecided (`Card.conflicts`) shows each such field first,
with its two values side by side: "this copy" (the side merged into — after a sync,
your own) and "merged in" (the side that came with the merge — after a sync, the
team's), and which of them the board shows now. `1` / `2` (or the buttons) take
one: the view hands an `ops.ResolveConflict` to the board screen (`decide`), which
applies it like any other change (undo, saving), and shows the card as it is then.
"Edit" asks for the editor on that field instead: saving it decides the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import DescendantFocus
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Label, Static

from ... import fields, ops
from ...i18n import N_, _, dates, ngettext
from ...labels import decision_label, field_label, group_label, id_label, mark_label, stage_label
from ...model import CONFLICT_FIELDS, Board, Card, Conflict, Decision, Member
from ...safe_text import visible
from ..widgets.keybar import KeyBar

SIDES = {"ours": N_("this copy"), "theirs": N_("merged in")}
"""The two sides of a conflict in plain words, in the order shown (left, right)."""
EDITABLE = frozenset(fields.CONFLICTING) & frozenset(fields.EDITABLE)
"""Conflicted fields the editor can decide (by saving the field)."""

_FATES = {
    "archived": N_("archived the card"),
    "deleted": N_("deleted the card"),
}
"""What the side that archived or deleted the card did, in words."""


def side_text(name: str, value: object) -> str:
    """One side of the conflict in field `name`, in words."""
    fate = _FATES.get(name)
    if fate is not None:
        return _(fate) if value else _("kept the card (and edited it)")
    if value is None:
        return _("no decision")
    if value == "":
        return _("(empty)")
    # stage and decision marks hold the file's ids: a person reads their labels
    return id_label(name, value) or str(value)


def shown_side(card: Card, name: str, conflict: Conflict) -> str | None:
    """Which side ("ours" / "theirs") the board shows now for field `name`, if either."""
    now: object
    if name == "deleted":
        now = False  # the card is on the board
    elif name == "stage":
        now = card.stage.value
    elif name == "decision":
        now = card.decision.value if card.decision is not None else None
    else:
        now = getattr(card, name)
    return next((side for side in SIDES if getattr(conflict, side) == now), None)


@dataclass(frozen=True)
class EditRequest:
    """The card view asks for the editor; `decide`: the conflicted field saving decides."""

    decide: str | None = None


class Choice(Button):
    """A button deciding one conflicted field: take a side, or edit the field."""

    def __init__(self, label: str, field: str, take: str) -> None:
        super().__init__(label, compact=True, classes=f"choice -{take}")
        self.field = field
        """The conflicted field."""
        self.take = take
        """What it does: "ours" or "theirs" (take that value), or "edit"."""


def voters_hidden(board: Board | None, card_id: str) -> bool:
    """Whether the card's dots are shown without who gave them: the open round on its
    stage is anonymous, or (none open there) the last round that counted it was."""
    from ... import rounds

    card = board.cards.get(card_id) if board is not None else None
    if board is None or card is None:
        return False
    found = rounds.open_round(board)
    if found is not None and found[1].stage == card.stage:
        return found[1].anonymous  # its dots are this round's: starting one cleared them
    counted = [round_ for _id, round_ in rounds.closed_rounds(board) if card_id in round_.result]
    return bool(counted) and counted[0].anonymous


def card_text(
    card_id: str, card: Card, members: Mapping[str, Member], *, hide_voters: bool = False
) -> Text:
    """The whole card as text: its frame, notes, experiment, learning and history.

    `hide_voters`: the dots as a total only (an anonymous round's, see `voters_hidden`)."""

    def name(key: str) -> str:
        member = members.get(key)
        return visible(member.name) if member is not None else visible(key)

    text = Text()
    facts = [stage_label(card.stage)]
    if card.archived:
        facts.append(_("archived"))
    if card.tags:
        facts.append(visible(" ".join(f"#{tag}" for tag in card.tags)))
    text.append(" · ".join(facts), style="bold")
    text.append("   " + _("id {id}").format(id=card_id) + "\n", style="dim")
    if card.by:
        text.append(field_label("by") + " ", style="dim")
        text.append(", ".join(name(key) for key in card.by) + "\n")
    if card.votes:
        text.append(field_label("votes") + " ", style="dim")
        if hide_voters:
            text.append(f"{card.dots} " + _("(an anonymous vote: totals only)") + "\n")
        else:
            votes = ", ".join(f"{name(key)} {dots}" for key, dots in card.votes.items())
            text.append(f"{card.dots} ({votes})\n")
    if card.body:
        text.append("\n" + visible(card.body, lines=True) + "\n")
    for group in ("experiment", "learning"):
        filled = [field for field in fields.in_group(group) if getattr(card, field)]
        if not filled:
            continue
        text.append(f"\n{group_label(group)}\n", style="bold underline")
        for field in filled:
            value = getattr(card, field)
            shown = decision_label(value) if isinstance(value, Decision) else value
            text.append(f"{field_label(field)} ", style="bold")
            text.append(visible(shown, lines=True) + "\n")
    if card.history:
        text.append(f"\n{field_label('history')}\n", style="bold underline")
        for entry in card.history:
            when = dates.moment(entry.at)
            text.append(f"{when}  {stage_label(entry.stage)} · {name(entry.by)}\n")
    return text


class CardView(ModalScreen[EditRequest | None]):
    """One card in full. Dismisses with an `EditRequest` when the user asks to edit it."""

    CSS_PATH = "card_view.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", _("Edit"), id="card.edit"),
        Binding(
            "1",
            "take('ours')",
            _("This copy"),
            tooltip=_("Decide the highlighted field: keep this copy's value"),
            id="card.take-ours",
        ),
        Binding(
            "2",
            "take('theirs')",
            _("Merged-in"),
            tooltip=_("Decide the highlighted field: take the merged-in value"),
            id="card.take-theirs",
        ),
        Binding(
            "3",
            "take('edit')",
            _("Edit field"),
            tooltip=_("Decide the highlighted field by editing it"),
            id="card.edit-conflict",
        ),
        Binding("escape,enter,q", "close", _("Close"), id="card.close"),
    ]

    def __init__(
        self,
        card_id: str,
        card: Card,
        members: Mapping[str, Member],
        *,
        decide: Callable[[ops.ResolveConflict], Card | None] | None = None,
        board: Callable[[], Board | None] | None = None,
    ) -> None:
        super().__init__()
        self.card_id = card_id
        """The id of the card shown."""
        self.card = card
        """The card as it was when opened (or after the last decision taken here)."""
        self.members = members
        """The board's members, for co-creators' names."""
        self.decide = decide
        """Applies a decision to the board; gives the card after it (None: it is gone)."""
        self.board = board or (lambda: None)
        """The board as it is now: whether a vote round hides who gave the dots."""
        self.current: str | None = None
        """The conflicted field the keys 1, 2 and 3 decide (None: the first one)."""
        self.note = ""
        """What someone else did to the card while it was open (empty: nothing)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            title = visible(self.card.title)
            yield Label(title, classes="dialog-title", id="card-title", markup=False)
            yield Label(self.note, id="changed", classes="" if self.note else "-none", markup=False)
            with VerticalScroll():
                if self.card.conflicts and self.decide is not None:
                    yield from self._conflicts()
                yield Static(self._text(self.card), id="card-text")
        yield KeyBar()

    def _text(self, card: Card) -> Text:
        hidden = voters_hidden(self.board(), self.card_id)
        return card_text(self.card_id, card, self.members, hide_voters=hidden)

    def _fields(self) -> list[str]:
        return [name for name in CONFLICT_FIELDS if name in self.card.conflicts]

    def _conflicts(self) -> ComposeResult:
        marked = self._fields()
        current = self.current if self.current in marked else marked[0]
        head = ngettext(
            "! {n} field to decide after a merge",
            "! {n} fields to decide after a merge",
            len(marked),
        ).format(n=len(marked))
        with Vertical(id="conflicts"):
            yield Label(head, classes="conflict-head")
            yield Static(
                _(
                    "“This copy” is what this folder had before the merge (after a sync: "
                    "yours); “merged in” came with it (the team's). 1 or 2 takes one for "
                    "the highlighted field, 3 edits it; tab reaches the buttons."
                ),
                classes="hint",
            )
            for name in marked:
                conflict = self.card.conflicts[name]
                shown = shown_side(self.card, name, conflict)
                classes = "conflict -current" if name == current else "conflict"
                with Vertical(classes=classes, id=f"conflict-{name}"):
                    yield Label(mark_label(name), classes="conflict-field", markup=False)
                    with Horizontal(classes="sides"):
                        for number, (side, words) in enumerate(SIDES.items(), 1):
                            pane = Static(
                                visible(side_text(name, getattr(conflict, side)), lines=True),
                                classes="side -shown" if side == shown else "side",
                                markup=False,
                            )
                            pane.border_title = f"{number} · {_(words)}"
                            if side == shown:
                                pane.border_subtitle = _("on the board now")
                            yield pane
                    with Horizontal(classes="choices"):
                        yield Choice(_("1 Keep this copy"), name, "ours")
                        yield Choice(_("2 Take the merged-in"), name, "theirs")
                        if name in EDITABLE:
                            yield Choice(_("3 Edit…"), name, "edit")

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        node: Widget | None = event.widget
        while node is not None and not node.has_class("conflict"):
            parent = node.parent
            node = parent if isinstance(parent, Widget) else None
        if node is not None and node.id is not None:
            self._highlight(node.id.removeprefix("conflict-"))

    def _highlight(self, name: str) -> None:
        self.current = name
        for box in self.query(".conflict"):
            box.set_class(box.id == f"conflict-{name}", "-current")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take":
            marked = self._fields() if self.decide is not None else []
            if not marked:
                return False
            if parameters == ("edit",):
                return (self.current or marked[0]) in EDITABLE or None
        return True

    async def action_take(self, take: str) -> None:
        marked = self._fields()
        if self.decide is None or not marked:
            return
        await self._take(self.current if self.current in marked else marked[0], take)

    @on(Choice.Pressed)
    async def _chosen(self, event: Choice.Pressed) -> None:
        if isinstance(event.button, Choice):
            await self._take(event.button.field, event.button.take)

    async def _take(self, name: str, take: str) -> None:
        if take == "edit":
            if name in EDITABLE:
                self.dismiss(EditRequest(decide=name))
            return
        assert self.decide is not None
        card = self.decide(ops.ResolveConflict(self.card_id, name, take=take))
        if card is None:  # the decision was to delete it
            self.notify(
                _("Deleted “{title}”, as decided · u undoes").format(title=self.card.title),
                timeout=4,
            )
            self.dismiss(None)
            return
        if card is self.card:
            return  # refused: the board said why
        self.card = card
        if not card.conflicts:
            self.notify(_("Every field is decided"), timeout=3)
        await self.recompose()
        self.query_one(VerticalScroll).focus()
        self.refresh_bindings()

    def show_latest(self, card: Card | None) -> None:
        """The card changed on the board (None: deleted): show it as it is now, say so."""
        if card is self.card or card == self.card:  # equal: our own decision, saved
            return
        if card is None:
            self.note = _("Deleted by someone else: this is the card as it was.")
        else:
            self.note = _("Changed by someone else just now: this is the card as it is now.")
            conflicts_changed = card.conflicts != self.card.conflicts
            self.card = card
            if conflicts_changed:  # the decision buttons change too: build it again
                self.call_later(self.recompose)
                return
            self.query_one("#card-title", Label).update(visible(card.title))
            self.query_one("#card-text", Static).update(self._text(card))
        note = self.query_one("#changed", Label)
        note.update(self.note)
        note.remove_class("-none")

    def action_edit(self) -> None:
        self.dismiss(EditRequest())

    def action_close(self) -> None:
        self.dismiss(None)

"""The co-creation figure: how many cards have at least one external co-creator.

A facilitator wants to see at a glance whether the people from outside really take
part, so the figure counts cards (not people): a card counts as "external hands" when
its co-creators (`by`) include a member whose side is external. Archived cards are
left out; a co-creator the board does not know (never on a valid board) counts as not
external. Overall and per stage, in board order.

Pure: no Textual, no pydantic. It reads a board through the small protocols below, so
a validated `model.Board` and the first frame's outline (`outline.Outline`) give the
same figures; the header shows it from the first frame, and reports reuse it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from .vocabulary import Side, Stage


class _Member(Protocol):
    @property
    def side(self) -> Side: ...


class _Card(Protocol):
    @property
    def stage(self) -> Stage: ...
    @property
    def archived(self) -> bool: ...
    @property
    def by(self) -> Sequence[str]: ...


class Team(Protocol):
    """What the figure needs of a board: its members' sides and its cards' co-creators."""

    @property
    def members(self) -> Mapping[str, _Member]: ...
    @property
    def cards(self) -> Mapping[str, _Card]: ...


@dataclass(frozen=True, slots=True)
class Hands:
    """Cards with external hands: `external` of `total`, and per stage (external, total)."""

    total: int
    external: int
    per_stage: Mapping[Stage, tuple[int, int]]


def external_hands(board: Team) -> Hands:
    """The co-creation figure of `board` (see the module)."""
    outside = {key for key, member in board.members.items() if member.side == Side.EXTERNAL}
    counts = {stage: [0, 0] for stage in Stage}
    # one pass, a set test per card: the header pays this on every change it shows
    isdisjoint = outside.isdisjoint
    for card in board.cards.values():
        if card.archived:
            continue
        count = counts[card.stage]
        count[1] += 1
        if not isdisjoint(card.by):
            count[0] += 1
    per_stage = {stage: (ext, total) for stage, (ext, total) in counts.items()}
    return Hands(
        total=sum(total for _ext, total in per_stage.values()),
        external=sum(ext for ext, _total in per_stage.values()),
        per_stage=per_stage,
    )


class _Voted(_Card, Protocol):
    @property
    def votes(self) -> Mapping[str, int]: ...


class _Staffed(Protocol):
    @property
    def facilitators(self) -> Sequence[str]: ...


class Involved(Protocol):
    """What `involvement` reads of a board: its cards' co-creators and votes, its facilitators."""

    @property
    def cards(self) -> Mapping[str, _Voted]: ...
    @property
    def sprint(self) -> _Staffed: ...


@dataclass(frozen=True, slots=True)
class Involvement:
    """What the board holds of one member: what removing them with their references drops."""

    cards: int
    """Cards they co-created (archived ones too: removing the member touches those)."""
    dots: int
    """Dots they gave, over every card."""
    facilitator: bool

    @property
    def any(self) -> bool:
        return bool(self.cards or self.dots or self.facilitator)


def involvement(board: Involved, key: str) -> Involvement:
    """How member `key` is named on `board` (see `Involvement`)."""
    cards = sum(1 for card in board.cards.values() if key in card.by)
    dots = sum(card.votes.get(key, 0) for card in board.cards.values())
    return Involvement(cards, dots, key in board.sprint.facilitators)

"""What a sprint report says, in the order it says it (every format renders this).

The learnings come first: the point of a co-creation sprint is what it learned. Then
the experiments in test, the prototypes, and the ideas by dots (most first, board
order among equals). Archived cards are left out everywhere (`archived` says how
many); the team is split into the organisation's people and the outside ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from ..co_creation import Hands, external_hands
from ..flow import Flow, measure
from ..vocabulary import Side, Stage, in_column

if TYPE_CHECKING:
    from ..model import Board, Card, Member


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a report shows of `board` at `now`."""

    board: Board
    now: datetime
    internal: tuple[tuple[str, Member], ...]
    """The organisation's people, by key."""
    external: tuple[tuple[str, Member], ...]
    """The people from outside, by key."""
    learnings: tuple[tuple[str, Card], ...]
    """Cards in learned, board order."""
    experiments: tuple[tuple[str, Card], ...]
    """Cards in test, board order."""
    prototypes: tuple[tuple[str, Card], ...]
    """Cards in prototype, board order."""
    ideas: tuple[tuple[str, Card], ...]
    """Cards in idea, most dots first, board order among equals."""
    hands: Hands
    """The co-creation figure (`co_creation.external_hands`)."""
    flow: Flow
    """The flow figures (`flow.measure`)."""

    @property
    def archived(self) -> int:
        """Cards left out of the report because they are archived."""
        return self.flow.archived

    def name(self, key: str) -> str:
        """A member's name by key (the key itself for one the board does not know)."""
        member = self.board.members.get(key)
        return member.name if member is not None else key


def build(board: Board, now: datetime | None = None, tz: tzinfo = UTC) -> Report:
    """The report of `board` at `now` (default: this moment), days counted in `tz`."""
    now = now or datetime.now(UTC)
    members = sorted(board.members.items())
    ideas = in_column(board.cards, Stage.IDEA)
    # sorted is stable: among equal dots the board's order stays
    ideas.sort(key=lambda item: -item[1].dots)
    return Report(
        board=board,
        now=now,
        internal=tuple((k, m) for k, m in members if m.side == Side.INTERNAL),
        external=tuple((k, m) for k, m in members if m.side == Side.EXTERNAL),
        learnings=tuple(in_column(board.cards, Stage.LEARNED)),
        experiments=tuple(in_column(board.cards, Stage.TEST)),
        prototypes=tuple(in_column(board.cards, Stage.PROTOTYPE)),
        ideas=tuple(ideas),
        hands=external_hands(board),
        flow=measure(board, now, tz),
    )

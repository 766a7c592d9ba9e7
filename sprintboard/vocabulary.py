"""The closed sets of values a board holds — stages, sides, decisions — board order, the schema.

Apart from the models (`model`) so that what only needs the words, such as a first
frame drawn before the board is validated (`outline`), does not import pydantic.
`model` re-exports them: code that has a board imports them from there.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Protocol, TypeVar

SCHEMA = 1
"""The newest board-file schema this program reads and writes."""


class Stage(StrEnum):
    """The life of an experiment, in order: the four columns of the board."""

    IDEA = "idea"
    PROTOTYPE = "prototype"
    TEST = "test"
    LEARNED = "learned"

    @property
    def next(self) -> Stage | None:
        order = list(Stage)
        i = order.index(self)
        return order[i + 1] if i + 1 < len(order) else None

    @property
    def previous(self) -> Stage | None:
        order = list(Stage)
        i = order.index(self)
        return order[i - 1] if i > 0 else None


class Side(StrEnum):
    """Whether a member belongs to the organisation running the sprint."""

    INTERNAL = "internal"
    EXTERNAL = "external"


class Decision(StrEnum):
    """What a learning card concludes about the experiment."""

    PERSEVERE = "persevere"
    PIVOT = "pivot"
    SCALE = "scale"
    STOP = "stop"


class Placed(Protocol):
    """What board order needs of a card: its stage, rank and whether it is archived."""

    @property
    def stage(self) -> Stage: ...
    @property
    def rank(self) -> str: ...
    @property
    def archived(self) -> bool: ...


CardT = TypeVar("CardT", bound=Placed)


def in_column(
    cards: Mapping[str, CardT], stage: Stage, *, archived: bool = False
) -> list[tuple[str, CardT]]:
    """The cards of one stage in board order: rank, then id to break ties."""
    column = [
        (cid, card)
        for cid, card in cards.items()
        if card.stage == stage and (archived or not card.archived)
    ]
    column.sort(key=lambda item: (item[1].rank, item[0]))
    return column

"""A board's face — what its first frame shows — read without validating the board.

Opening a board validates it with the models (`model`, pydantic), and importing
pydantic and building the validators costs more than Textual's own start. The first
frame needs none of it: `read` takes the board's title, sprint, limits, members'
names and each card's face (title, stage, rank, tags, co-creators, dots, markers)
straight from the TOML, checking only the types it uses. The board is validated
right after, off the first frame's path, and that result is what the app works on:
the outline is only ever drawn.

`read` answers None whenever it is not sure (a value of another type, an unknown
stage, a text that is no TOML): the caller then takes the full path. On a valid
board it agrees with the models on every value it gives (a property test says so,
on every canonical file). Pure: imports no pydantic, no Textual.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import tomli

from .fields import in_group
from .vocabulary import Decision, Side, Stage, in_column

_EXPERIMENT = in_group("experiment")
_LEARNING = in_group("learning")

_Choice = TypeVar("_Choice", Stage, Side, Decision)


class _Unsure(Exception):
    """A value is not what a valid board holds: the outline gives up (`read` says None)."""


@dataclass(frozen=True, slots=True)
class CardFace:
    """What a column shows of a card, named as `model.Card` names it."""

    title: str
    stage: Stage
    rank: str
    archived: bool
    by: tuple[str, ...]
    tags: tuple[str, ...]
    dots: int
    has_experiment: bool
    has_learning: bool
    decision: Decision | None
    conflicts: tuple[str, ...]
    """The names of the fields a git merge left to decide (a card's `conflicts` keys)."""


@dataclass(frozen=True, slots=True)
class MemberFace:
    name: str
    side: Side
    role: str | None


@dataclass(frozen=True, slots=True)
class SprintFace:
    start: date | None
    end: date | None
    facilitators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Outline:
    """A board's face, named as `model.Board` names it."""

    title: str
    challenge: str
    goal: str
    sprint: SprintFace
    wip: Mapping[Stage, int]
    members: Mapping[str, MemberFace]
    cards: Mapping[str, CardFace]

    def column(self, stage: Stage, *, archived: bool = False) -> list[tuple[str, CardFace]]:
        """The cards of one stage in board order, as `Board.column` gives them."""
        return in_column(self.cards, stage, archived=archived)


def read(text: str) -> Outline | None:
    """The face of the board in `text`; None when not sure it is a valid board's."""
    try:
        data = tomli.loads(text)
        return _outline(data)
    except (tomli.TOMLDecodeError, RecursionError, _Unsure):
        return None


def _outline(data: dict[str, Any]) -> Outline:
    if _get(data, "schema", int) != 1:
        raise _Unsure
    sprint = _get(data, "sprint", dict, {})
    return Outline(
        title=_get(data, "title", str),
        challenge=_get(data, "challenge", str, ""),
        goal=_get(data, "goal", str, ""),
        sprint=SprintFace(
            start=_date(sprint.get("start")),
            end=_date(sprint.get("end")),
            facilitators=_strings(sprint, "facilitators"),
        ),
        wip={
            _choice(Stage, stage): _number(limit)
            for stage, limit in _get(data, "wip", dict, {}).items()
        },
        members={
            key: _member(_table(member)) for key, member in _get(data, "members", dict, {}).items()
        },
        cards={key: _card(_table(card)) for key, card in _get(data, "cards", dict, {}).items()},
    )


def _member(data: dict[str, Any]) -> MemberFace:
    role = data.get("role")
    if role is not None and not isinstance(role, str):
        raise _Unsure
    return MemberFace(_get(data, "name", str), _choice(Side, _get(data, "side", str)), role)


def _card(data: dict[str, Any]) -> CardFace:
    votes = _get(data, "votes", dict, {})
    decision = data.get("decision")
    return CardFace(
        title=_get(data, "title", str),
        stage=_choice(Stage, _get(data, "stage", str)),
        rank=_get(data, "rank", str),
        archived=_get(data, "archived", bool, False),
        by=_strings(data, "by"),
        tags=_strings(data, "tags"),
        dots=sum(_number(count) for count in votes.values()),
        has_experiment=any(_get(data, name, str, "") for name in _EXPERIMENT),
        has_learning=any(_get(data, name, str, "") for name in _LEARNING if name != "decision")
        or decision is not None,
        decision=None if decision is None else _choice(Decision, decision),
        conflicts=tuple(_get(data, "conflicts", dict, {})),
    )


def _get(data: dict[str, Any], key: str, kind: type, default: Any = _Unsure) -> Any:
    value = data.get(key, default)
    if value is _Unsure or type(value) is not kind:  # `type`: a bool is no int here
        raise _Unsure
    return value


def _table(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Unsure
    return value


def _strings(data: dict[str, Any], key: str) -> tuple[str, ...]:
    values = _get(data, key, list, [])
    if not all(isinstance(value, str) for value in values):
        raise _Unsure
    return tuple(values)


def _number(value: object) -> int:
    if type(value) is not int:
        raise _Unsure
    return value


def _date(value: object) -> date | None:
    if value is not None and type(value) is not date:
        raise _Unsure
    return value


def _choice(kind: type[_Choice], value: object) -> _Choice:
    if not isinstance(value, str):
        raise _Unsure
    try:
        return kind(value)
    except ValueError:
        raise _Unsure from None

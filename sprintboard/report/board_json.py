"""The board as JSON: the one definition of a card's and a member's JSON object, and the
whole board's document (`sprintboard export --format json`).

`card_json` is the object of `list --json` and `show --json` too (the command line
imports it from here), so a card reads the same wherever it comes from; `member_json`
is `members --json`'s. `document` is the whole board: `schema`, the frame, the sprint,
the WIP limits, the members, the vote rounds and every card, archived ones too (their
`archived` is true). The shape is published (README, "JSON output"): keys are always
present, and new ones join at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from .. import fields
from ..safe_text import json_text
from ..vocabulary import Stage, in_column

if TYPE_CHECKING:
    from ..model import Board, Card, HistoryEntry, Round
    from .content import Report


def iso(moment: datetime) -> str:
    """A time as JSON holds it: UTC, to the second, with a Z (as the file writes it)."""
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def _same(value: Any) -> Any:
    return value


def _choice(value: Enum | None) -> Any:
    return None if value is None else value.value


def _history(entries: list[HistoryEntry]) -> list[dict[str, str]]:
    return [{"at": iso(h.at), "by": h.by, "stage": h.stage.value} for h in entries]


_CONVERT: dict[fields.Kind, Callable[[Any], Any]] = {
    fields.Kind.TIME: iso,
    fields.Kind.CHOICE: _choice,
    fields.Kind.NAMES: list,
    fields.Kind.VOTES: dict,
    fields.Kind.HISTORY: _history,
}
"""How a field's value becomes JSON, by its kind: times in UTC, enums by their value,
lists and tables copied; text, flags and ranks as they are."""

_KEYS = tuple((name, _CONVERT.get(fields.FIELDS[name].kind, _same)) for name in fields.JSON_KEYS)


def card_json(cid: str, card: Card) -> dict[str, Any]:
    """A card as the stable JSON object of `list --json`, `show --json` and the export."""
    values = card.__dict__  # the fields as they are (pydantic's own storage, read only)
    return {"id": cid, **{name: convert(values[name]) for name, convert in _KEYS}}


def member_json(board: Board, key: str) -> dict[str, Any]:
    """A member as the stable JSON object of `members --json` and the export."""
    member = board.members[key]
    return {
        "key": key,
        "name": member.name,
        "side": member.side.value,
        "role": member.role,
        "facilitator": key in board.sprint.facilitators,
    }


def round_json(rid: str, held: Round) -> dict[str, Any]:
    """A dot-vote round as the export holds it (`result`: card id -> dots at its close)."""
    return {
        "id": rid,
        "stage": held.stage.value,
        "dots": held.dots,
        "anonymous": held.anonymous,
        "opened": iso(held.opened),
        "by": held.by,
        "until": iso(held.until) if held.until is not None else None,
        "closed": iso(held.closed) if held.closed is not None else None,
        "result": dict(held.result),
    }


def document(board: Board) -> dict[str, Any]:
    """The whole board as one JSON object, every key present (README, "JSON output")."""
    sprint = board.sprint
    # board order, as `list --archived --json`: stage by stage, top to bottom
    cards = [
        card_json(cid, card)
        for stage in Stage
        for cid, card in in_column(board.cards, stage, archived=True)
    ]
    return {
        "schema": board.schema_,
        "title": board.title,
        "challenge": board.challenge,
        "goal": board.goal,
        "sprint": {
            "start": sprint.start.isoformat() if sprint.start else None,
            "end": sprint.end.isoformat() if sprint.end else None,
            "facilitators": list(sprint.facilitators),
        },
        "wip": {stage.value: board.wip[stage] for stage in Stage if stage in board.wip},
        "members": [member_json(board, key) for key in sorted(board.members)],
        "rounds": [
            round_json(rid, held)
            for rid, held in sorted(
                board.rounds.items(), key=lambda item: (item[1].opened, item[0])
            )
        ],
        "cards": cards,
    }


def render(report: Report) -> str:
    """The board of `report` as JSON text (UTF-8, ending in a newline).

    Each member, round and card on a line of its own (a change to a card is a change
    to its line, and a 10,000-card board is written by the C encoder: indenting every
    value is the pure-Python one, 20 times slower). Exact and terminal-safe at once
    (`safe_text.json_text`): control and bidirectional characters inside strings are
    JSON escapes, which a reader turns back into the text.
    """
    return render_board(report.board)


def render_board(board: Board) -> str:
    """`board` as JSON text (see `render`)."""
    parts = []
    for key, value in document(board).items():
        if isinstance(value, list) and value:
            items = ",\n".join("    " + json_text(each, indent=None) for each in value)
            text = "[\n" + items + "\n  ]"
        else:
            text = json_text(value, indent=None)
        parts.append(f"  {json_text(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"

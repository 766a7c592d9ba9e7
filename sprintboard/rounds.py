"""The rules of dot-vote rounds, read off a board: the open round, budgets, the tally.

A round (`model.Round`, in `Board.rounds`) gives every member a budget of dots on one
stage; the dots themselves stay in the cards (`Card.votes`). Only the voted stage's
cards that are not archived count: an archived card cannot be voted for, and a card
outside the stage is not part of the round. The operations (`ops.StartRound`,
`ops.CloseRound`, `ops.Vote`) enforce the budget with these rules; the command line
and the app show them.

Pure: no Textual, no files; takes a validated `model.Board`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from .i18n import dates
from .model import Board, Card, Round, as_utc

__all__ = [
    "closed_rounds",
    "dots_left",
    "dots_used",
    "ended",
    "local_time",
    "not_voted",
    "open_round",
    "room_dots_left",
    "status",
    "tally",
    "usage",
    "voted_cards",
]


def open_round(board: Board) -> tuple[str, Round] | None:
    """The open round (id, round), or None.

    A board this program writes has at most one; a git merge of two branches that each
    started one can bring two, and then the one opened last is the open round (ties:
    the greater id, so every reader picks the same). Closing it leaves the other open.
    """
    candidates = [(rid, r) for rid, r in board.rounds.items() if r.closed is None]
    if not candidates:
        return None
    return max(candidates, key=lambda item: (as_utc(item[1].opened), item[0]))


def voted_cards(board: Board, round_: Round) -> list[tuple[str, Card]]:
    """The cards a round counts: its stage's cards that are not archived, in board order."""
    return board.column(round_.stage)


def _counted(board: Board, round_: Round) -> Iterator[Card]:
    """The cards a round counts, in no order: one pass, no sort (a vote checks the budget
    on every key press)."""
    stage = round_.stage
    return (c for c in board.cards.values() if c.stage == stage and not c.archived)


def usage(board: Board, round_: Round) -> dict[str, int]:
    """Dots per member key on `round_`'s cards (members with none left out), in one pass."""
    used: dict[str, int] = {}
    for card in _counted(board, round_):
        for key, dots in card.votes.items():
            used[key] = used.get(key, 0) + dots
    return used


def dots_used(board: Board, member: str) -> int:
    """The dots `member` (a member key) has on the open round's cards; 0 when none is open."""
    found = open_round(board)
    if found is None:
        return 0
    return sum(card.votes.get(member, 0) for card in _counted(board, found[1]))


def dots_left(board: Board, member: str) -> int | None:
    """The dots `member` still has in hand in the open round; None when none is open.

    Never below 0: a card moved into the voted stage during the round can bring dots
    given before it, and those count (they are on a card the round votes on).
    """
    found = open_round(board)
    if found is None:
        return None
    return max(0, found[1].dots - dots_used(board, member))


def _not_voted(board: Board, used: dict[str, int]) -> list[str]:
    return sorted(key for key in board.members if not used.get(key))


def _room_left(board: Board, round_: Round, used: dict[str, int]) -> int:
    return sum(max(0, round_.dots - used.get(key, 0)) for key in board.members)


def not_voted(board: Board) -> list[str]:
    """Member keys with no dot on the open round's cards, sorted; [] when none is open."""
    found = open_round(board)
    return [] if found is None else _not_voted(board, usage(board, found[1]))


def room_dots_left(board: Board) -> int:
    """The dots all members still have in hand in the open round; 0 when none is open."""
    found = open_round(board)
    return 0 if found is None else _room_left(board, found[1], usage(board, found[1]))


def tally(board: Board) -> list[tuple[str, int]]:
    """The open round's cards as (card id, dots), most dots first, ties in board order,
    cards without dots last; [] when no round is open."""
    found = open_round(board)
    if found is None:
        return []
    return ranked(board, found[1])


def ranked(board: Board, round_: Round) -> list[tuple[str, int]]:
    """`round_`'s cards as (card id, dots), most first; ties keep board order (stable)."""
    counted = [(cid, card.dots) for cid, card in voted_cards(board, round_)]
    return sorted(counted, key=lambda item: -item[1])


def ended(round_: Round, now: datetime) -> bool:
    """Whether `round_` takes no more votes: past its `until`, or closed."""
    if round_.closed is not None:
        return True
    return round_.until is not None and as_utc(now) >= as_utc(round_.until)


def closed_rounds(board: Board) -> list[tuple[str, Round]]:
    """The closed rounds, newest first (by when they closed, then opened, then id)."""
    done = [(rid, r, r.closed) for rid, r in board.rounds.items() if r.closed is not None]
    done.sort(key=lambda item: (as_utc(item[2]), as_utc(item[1].opened), item[0]), reverse=True)
    return [(rid, r) for rid, r, _closed in done]


def local_time(moment: datetime, near: datetime) -> str:
    """`moment` as a facilitator says it, in the machine's local time: ``10:15`` on the
    day of `near`, else ``2026-12-01 10:15`` (in Danish ``10.15``, ``1. dec. 2026 10.15``)."""
    here, there = moment.astimezone(), near.astimezone()
    return dates.clock(here) if here.date() == there.date() else dates.moment(here)


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def _cards(board: Board, counted: list[tuple[str, int]]) -> list[dict[str, Any]]:
    """(card id, dots) as JSON objects with the card's title (None: the card is gone)."""
    shown = []
    for cid, dots in counted:
        card = board.cards.get(cid)
        shown.append({"id": cid, "title": None if card is None else card.title, "dots": dots})
    return shown


def status(board: Board, now: datetime) -> dict[str, Any]:
    """What `sprintboard round status --json` prints: the open round and the last result.

    The keys are always there; with no round open `open` is false and the round's
    values are null, empty or 0. `used` is dots per member (not per card), also in an
    anonymous round: the file holds who voted anyway (it is a shared text file).
    """
    found = open_round(board)
    data: dict[str, Any] = {
        "open": found is not None,
        "id": None,
        "stage": None,
        "dots": None,
        "anonymous": None,
        "opened": None,
        "by": None,
        "until": None,
        "ended": None,
        "used": {},
        "not_voted": [],
        "dots_left_in_room": 0,
        "tally": [],
    }
    if found is not None:
        rid, round_ = found
        used = usage(board, round_)
        data.update(
            {
                "id": rid,
                "stage": round_.stage.value,
                "dots": round_.dots,
                "anonymous": round_.anonymous,
                "opened": _time(round_.opened),
                "by": round_.by,
                "until": _time(round_.until),
                "ended": ended(round_, now),
                # members only: a key the board no longer has cannot be in a valid board
                "used": {key: used[key] for key in sorted(board.members) if used.get(key)},
                "not_voted": _not_voted(board, used),
                "dots_left_in_room": _room_left(board, round_, used),
                "tally": _cards(board, ranked(board, round_)),
            }
        )
    done = closed_rounds(board)
    data["last_result"] = None
    if done:
        rid, round_ = done[0]
        data["last_result"] = {
            "id": rid,
            "stage": round_.stage.value,
            "dots": round_.dots,
            "anonymous": round_.anonymous,
            "opened": _time(round_.opened),
            "closed": _time(round_.closed),
            "by": round_.by,
            "result": _cards(board, result_order(round_)),
        }
    return data


def result_order(round_: Round) -> list[tuple[str, int]]:
    """A closed round's result as (card id, dots), most first (ties by id: the file's
    table keeps no order of its own)."""
    return sorted(round_.result.items(), key=lambda item: (-item[1], item[0]))

"""Hypothesis strategies for boards and operations.

Values are drawn to be *valid* (they go through the models), with the awkward
characters a board meets in practice: RTL scripts, emoji (incl. ZWJ sequences),
quotes, backslashes, triple quotes, and newlines in free text.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from sprintboard import ops, rank, rounds
from sprintboard.model import (
    TEXT_FIELDS,
    Board,
    Decision,
    Line,
    Side,
    Stage,
    Text,
)

_LINE = TypeAdapter(Line)
_TEXT = TypeAdapter(Text)

AWKWARD = [
    '"',
    "'",
    "\\",
    '"""',
    "'''",
    "\\n",
    "\\u0041",
    "#",
    "=",
    "[cards.x]",
    "مرحبا بالعالم",
    "שלום",
    "\u200f",
    "\u202e",
    "🎨",
    "👩‍👩‍👧",
    "🇩🇰",
    "ø",
    "日本語",
    "\u00a0",
    "\u2028",
    "\x85",
    " ",
]


def _valid(adapter: TypeAdapter[str]) -> Any:
    def check(value: str) -> bool:
        try:
            adapter.validate_python(value)
        except ValidationError:
            return False
        return True

    return check


_line_alphabet = st.one_of(
    st.characters(exclude_categories=("Cs", "Cc")), st.sampled_from("\"'\\#= \u200f\u2028\x85")
)
_text_alphabet = st.one_of(
    # a list, not ("Cs",): mypy types a one-item tuple as tuple[str], not a category name
    st.characters(exclude_categories=["Cs"], exclude_characters="\r"),
    st.sampled_from("\"'\\\n\t"),
)


@functools.cache
def lines(max_size: int = 30) -> st.SearchStrategy[str]:
    """One line of text as titles, names and tags take it: no control characters."""
    plain = st.text(_line_alphabet, min_size=1, max_size=max_size)
    spiced = st.tuples(st.text(_line_alphabet, max_size=4), st.sampled_from(AWKWARD), plain).map(
        "".join
    )
    return st.one_of(plain, spiced).filter(_valid(_LINE))


@functools.cache
def texts() -> st.SearchStrategy[str]:
    """Free text: several lines, anything but a carriage return."""
    plain = st.text(_text_alphabet, max_size=40)
    spiced = st.tuples(
        plain, st.sampled_from([*AWKWARD, "\n", "\\\n", ' "', "\x00\x1b\x7f"]), plain
    ).map("".join)
    return st.one_of(plain, spiced).filter(_valid(_TEXT))


keys = st.from_regex(r"\A[A-Za-z0-9_-]{1,10}\Z")
card_ids = st.text(alphabet="0123456789abcdefghijklmnopqrstuvwxyz", min_size=8, max_size=8)
ranks = st.builds(
    lambda body, last: body + last,
    st.text(alphabet=rank.DIGITS, max_size=5),
    st.sampled_from(rank.DIGITS[1:]),
)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))
stages = st.sampled_from(list(Stage))


members = st.fixed_dictionaries(
    {"name": lines(), "side": st.sampled_from([s.value for s in Side])},
    optional={"role": lines(12)},
)
tag_lists = st.lists(lines(10), max_size=3)
history_entries = st.lists(
    st.fixed_dictionaries({"at": moments, "by": lines(10), "stage": stages}), max_size=3
)


@functools.cache
def cards(member_keys: tuple[str, ...] = ()) -> st.SearchStrategy[dict[str, Any]]:
    """A card's fields (before validation), naming only the members given."""
    optional: dict[str, st.SearchStrategy[Any]] = {
        "archived": st.booleans(),
        "tags": tag_lists,
        **{name: texts() for name in TEXT_FIELDS},
        "decision": st.sampled_from([d.value for d in Decision]),
        "history": history_entries,
    }
    if member_keys:
        who = st.sampled_from(member_keys)
        optional["by"] = st.lists(who, unique=True, max_size=3)
        optional["votes"] = st.dictionaries(who, st.integers(1, 99), max_size=3)
    return st.fixed_dictionaries(
        {
            "title": lines(),
            "stage": stages.map(str),
            "rank": ranks,
            "created": moments,
            "updated": moments,
        },
        optional=optional,
    )


_wip = st.dictionaries(stages, st.integers(1, 20), max_size=2)


@st.composite
def vote_rounds(draw: st.DrawFn, card_keys: tuple[str, ...] = ()) -> dict[str, dict[str, Any]]:
    """Dot-vote rounds' fields (before validation): some closed, with results naming
    cards (or cards since deleted), and at most one open, as this program writes them."""
    found: dict[str, dict[str, Any]] = {}
    for index in range(draw(st.integers(0, 3))):
        opened = draw(moments)
        data: dict[str, Any] = {
            "stage": draw(stages).value,
            "dots": draw(st.integers(1, 99)),
            "opened": opened,
            "by": draw(lines(10)),
        }
        if draw(st.booleans()):
            data["anonymous"] = True
        if draw(st.booleans()):
            data["until"] = opened + timedelta(seconds=draw(st.integers(1, 10**8)))
        if index > 0 or draw(st.booleans()):  # only the first drawn may be open
            data["closed"] = opened + timedelta(seconds=draw(st.integers(0, 10**8)))
            result_ids = st.one_of(st.sampled_from(card_keys), card_ids) if card_keys else card_ids
            data["result"] = draw(st.dictionaries(result_ids, st.integers(1, 99), max_size=3))
        found[draw(card_ids.filter(lambda rid: rid not in found))] = data
    return found


@st.composite
def boards(draw: st.DrawFn, max_cards: int = 6, min_cards: int = 0) -> Board:
    """A valid board: members, sprint, WIP limits, and cards referring to the members."""
    people = draw(st.dictionaries(keys, members, max_size=4))
    member_keys = tuple(sorted(people))
    data: dict[str, Any] = {"schema": 1, "title": draw(lines())}
    if draw(st.booleans()):
        data["challenge"] = draw(texts())
    if draw(st.booleans()):
        data["goal"] = draw(texts())
    sprint: dict[str, Any] = {}
    if draw(st.booleans()):
        start, end = sorted(draw(st.lists(days, min_size=2, max_size=2)))
        sprint = {"start": start, "end": end}
    if member_keys:
        sprint["facilitators"] = draw(
            st.lists(st.sampled_from(member_keys), unique=True, max_size=2)
        )
    data["sprint"] = sprint
    data["wip"] = draw(_wip)
    data["members"] = people
    data["cards"] = draw(
        st.dictionaries(card_ids, cards(member_keys), min_size=min_cards, max_size=max_cards)
    )
    data["rounds"] = draw(vote_rounds(tuple(sorted(data["cards"]))))
    return Board.model_validate(data)


# --- operations --------------------------------------------------------------------


def _anchor(draw: st.DrawFn, board: Board, stage: Stage, exclude: str | None) -> dict[str, str]:
    """`before=`/`after=` a card of `stage` (not `exclude`), or nothing (the end)."""
    column = [cid for cid, c in board.cards.items() if c.stage == stage and cid != exclude]
    if not column or draw(st.booleans()):
        return {}
    return {draw(st.sampled_from(["before", "after"])): draw(st.sampled_from(sorted(column)))}


def _referenced(board: Board) -> set[str]:
    used = set(board.sprint.facilitators)
    for card in board.cards.values():
        used.update(card.by)
        used.update(card.votes)
    return used


@st.composite
def operations(draw: st.DrawFn, board: Board) -> ops.Op:
    """A valid single operation on `board` (one that applies without `OpError`)."""
    member_keys = sorted(board.members)
    card_keys = sorted(board.cards)
    kinds = ["add", "set_member", "edit_board"]
    if card_keys:
        kinds += ["edit", "move", "move", "archive", "delete"]
        if member_keys:
            kinds.append("vote")
    if set(member_keys) - _referenced(board):
        kinds.append("remove_member")
    kinds.append("start_round" if rounds.open_round(board) is None else "close_round")
    kind = draw(st.sampled_from(kinds))
    at = draw(moments)
    actor = draw(st.one_of(st.just(""), lines(10)))
    if kind == "add":
        stage = draw(stages)
        by = (
            draw(st.lists(st.sampled_from(member_keys), unique=True, max_size=2))
            if (member_keys)
            else []
        )
        return ops.AddCard(
            title=draw(lines()),
            stage=stage,
            tags=tuple(draw(st.lists(lines(10), max_size=2))),
            by=tuple(by),
            body=draw(texts()),
            card_id=draw(card_ids.filter(lambda cid: cid not in board.cards)),
            actor=actor,
            at=at,
            **_anchor(draw, board, stage, None),
        )
    if kind == "set_member":
        key = draw(st.one_of(keys, st.sampled_from(member_keys))) if member_keys else draw(keys)
        m = draw(members)
        return ops.SetMember(key, m["name"], m["side"], m.get("role"))
    if kind == "remove_member":
        free = sorted(set(member_keys) - _referenced(board))
        return ops.RemoveMember(draw(st.sampled_from(free)))
    if kind == "edit_board":
        changes: dict[str, Any] = {}
        if draw(st.booleans()):
            changes["title"] = draw(lines())
        if draw(st.booleans()):
            changes["challenge"] = draw(texts())
        if draw(st.booleans()):
            changes["goal"] = draw(texts())
        if draw(st.booleans()):
            start, end = sorted(draw(st.lists(days, min_size=2, max_size=2)))
            changes["start"], changes["end"] = start, end
        if bool(member_keys) and draw(st.booleans()):  # bool(): else mypy types draw() by the list
            changes["facilitators"] = draw(
                st.lists(st.sampled_from(member_keys), unique=True, max_size=2)
            )
        if draw(st.booleans()):
            changes["wip"] = draw(st.dictionaries(stages, st.integers(1, 20), max_size=3))
        return ops.EditBoard(changes)
    if kind == "start_round":
        until = draw(st.one_of(st.none(), st.integers(1, 10**6)))
        return ops.StartRound(
            stage=draw(stages),
            dots=draw(st.integers(1, 99)),
            anonymous=draw(st.booleans()),
            until=None if until is None else at + timedelta(seconds=until),
            round_id=draw(card_ids.filter(lambda rid: rid not in board.rounds)),
            actor=actor,
            at=at,
        )
    if kind == "close_round":
        return ops.CloseRound(actor=actor, at=at)
    card_id = draw(st.sampled_from(card_keys))
    card = board.cards[card_id]
    if kind == "edit":
        changes = {}
        for name in draw(
            st.lists(
                st.sampled_from(["title", "tags", "by", *TEXT_FIELDS, "decision"]),
                unique=True,
                min_size=1,
                max_size=3,
            )
        ):
            if name == "title":
                changes[name] = draw(lines())
            elif name == "tags":
                changes[name] = draw(st.lists(lines(10), max_size=3))
            elif name == "by":
                changes[name] = (
                    draw(st.lists(st.sampled_from(member_keys), unique=True, max_size=3))
                    if member_keys
                    else []
                )
            elif name == "decision":
                changes[name] = draw(st.one_of(st.none(), st.sampled_from(list(Decision))))
            else:
                changes[name] = draw(texts())
        return ops.EditCard(card_id, changes, actor=actor, at=at)
    if kind == "move":
        stage = draw(st.one_of(st.just(card.stage), stages))
        return ops.MoveCard(
            card_id, stage, actor=actor, at=at, **_anchor(draw, board, stage, card_id)
        )
    if kind == "archive":
        return ops.ArchiveCard(card_id, draw(st.booleans()), actor=actor, at=at)
    if kind == "delete":
        return ops.DeleteCard(card_id)
    assert kind == "vote"
    member = draw(st.sampled_from(member_keys))
    return ops.Vote(
        card_id, member, draw(st.integers(0, most_dots(board, card_id, member, at))), at=at
    )


def most_dots(board: Board, card_id: str, member: str, at: datetime) -> int:
    """The most dots `member` can give the card now: any number outside a round, within
    the budget inside one; only taking dots back for an archived card, a card outside
    the round's stage, or after the round's end."""
    card = board.cards[card_id]
    given = card.votes.get(member, 0)
    found = rounds.open_round(board)
    if card.archived:
        return given
    if found is None:
        return 99
    _rid, round_ = found
    if card.stage != round_.stage or rounds.ended(round_, at):
        return given
    return given + max(0, round_.dots - rounds.dots_used(board, member))

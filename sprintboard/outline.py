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

Fast on the writer's own text: parsing a whole board with tomli takes about a second
at 10,000 cards, most of it in the bodies, experiments and histories a column never
shows. So `read` first cuts the text as the writer lays it out (`layout.cut`), then
matches each card's tables against the writer's key order (`_CARD`, one pattern per
card, linear: no part of it can backtrack past the value it is in) and keeps only the
face values' source text: tomli parses those (each distinct one once, as one array),
so value syntax still has one reader. Of the experiment and learning texts only
whether one is there counts, which their quotes say without reading them. Any other
layout — keys re-spaced or reordered by hand, comments, a table the writer does not
write — is read whole, as before: slower, never different.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from operator import itemgetter
from typing import Any, TypeVar, cast

import tomli

from .fields import in_group
from .layout import Layout, cut
from .vocabulary import SCHEMA, Decision, Side, Stage, in_column

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
        layout = cut(text)
        fast = _by_card(layout) if layout is not None else None
        if fast is not None:
            return fast
        data = tomli.loads(text)
        cards = {cid: _card(_table(card)) for cid, card in _get(data, "cards", dict, {}).items()}
        return _outline(data, cards)
    except (tomli.TOMLDecodeError, RecursionError, _Unsure):
        return None


def _outline(data: dict[str, Any], cards: dict[str, CardFace]) -> Outline:
    """The outline of a board's data (its cards apart: their faces)."""
    if _get(data, "schema", int) != SCHEMA:
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
        cards=cards,
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
    # the enum's own table of values: a tenth of the time of `kind(value)`, once per card
    member = kind._value2member_map_.get(value) if type(value) is str else None
    if member is None:
        raise _Unsure
    return cast(_Choice, member)


# --- the writer's own layout, card by card ------------------------------------------------

# The value forms tomli-w writes. A card's title, stage, rank, decision, co-creators, tags
# and dots are kept as their source text for tomli; the rest only has to be stepped over.
# Every repetition is possessive (`*+`) and each alternative starts with a character the
# others do not, so a pattern never backtracks into a value it matched; loops are unrolled
# (a run of plain characters, then one escape or string, ...): a run is matched at C speed.
_STRING = r'"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"'
_MULTILINE = r'"""\n[^"\\]*+(?:\\.[^"\\]*+)*+"""'  # the writer escapes every quote in it
_TEXT = f"(?:{_MULTILINE}|{_STRING})"
_BARE = r"[0-9A-Za-z:.+_-]+"  # booleans, integers, dates and times
_PLAIN = r"[^\"'#\\\n,]*+"
_ITEM = rf"    {_PLAIN}(?:(?:,(?!\n)|{_STRING}){_PLAIN})*+,\n"  # no comment, no other string
_ARRAY = rf"\[\n(?:{_ITEM})*+\]"
_KEY = r"[A-Za-z0-9_-]+"

_FACE = ("title", "stage", "rank", "archived", "by", "tags", "decision")
"""The card keys whose values a column shows: parsed (tomli)."""
_PRESENCE = (*_EXPERIMENT, *(name for name in _LEARNING if name != "decision"))
"""The card keys of which only whether a non-empty text is there counts."""
_FILLED = rf'(?:""(?=\n)|"""\n"""(?=\n)|(?P<{{name}}>){_TEXT})'
"""A text's value that, when it is not empty, leaves an empty group: no copy of the text."""

# A card's keys in the order the writer puts them (`model.Card`'s), each with its value's
# form and whether a card always has it. A board whose cards are laid out otherwise is read
# whole; tests/unit/test_outline.py checks every canonical card is matched.
_KEYS: tuple[tuple[str, str, bool], ...] = (
    ("title", _STRING, True),
    ("stage", _STRING, True),
    ("rank", _STRING, True),
    ("created", _BARE, True),
    ("updated", _BARE, True),
    ("archived", _BARE, False),
    ("by", _ARRAY, False),
    ("tags", _ARRAY, False),
    ("body", _TEXT, False),
    *((name, _FILLED.format(name=name), False) for name in _PRESENCE),
    ("decision", _STRING, False),
    ("history", _ARRAY, False),
)


def _key_line(name: str, value: str, always: bool) -> str:
    line = f"{name} = ({'?P<' + name + '>' if name in _FACE else '?:'}{value})\n"
    return line if always else f"(?:{line})?"


_CARD = re.compile(
    rf"\[cards\.{_KEY}\]\n"
    + "".join(_key_line(*key) for key in _KEYS)
    + rf"(?:\n\[cards\.{_KEY}\.votes\]\n(?P<votes>(?:{_KEY} = [0-9]+\n)++))?"
    # history entries too long for one line are tables of their own
    + rf"(?:\n\[\[cards\.{_KEY}\.history\]\]\n(?:[a-z]+ = (?:{_STRING}|{_BARE})\n)*+)*+"
    + rf"(?P<conflicts>(?:\n\[cards\.{_KEY}\.conflicts\.{_KEY}\]\n"
    + rf"(?:(?:ours|theirs) = (?:{_TEXT}|{_BARE})\n)*+)*+)"
)
"""All of one card's tables, as the writer lays them out."""

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
"""What a basic string must escape, besides its quote and backslash (TOML 1.0)."""
_VOTE = re.compile(rf"{_KEY} = ([0-9]+)\n")
_VOTER = re.compile(rf"^{_KEY}", re.MULTILINE)
_CONFLICT = re.compile(
    rf"\n\[cards\.{_KEY}\.conflicts\.({_KEY})\]\n(?:(?:ours|theirs) = (?:{_TEXT}|{_BARE})\n)*+"
)
"""One conflict's table as `_CARD` matches it: stepped over whole, strings and all."""


def _by_card(layout: Layout) -> Outline | None:
    """The outline from the face values' text alone; None when a card is laid out
    otherwise than the writer lays it out (the caller then reads the whole text)."""
    try:
        frame = tomli.loads(layout.frame)
    except tomli.TOMLDecodeError:
        return None  # the cut may be inside a string of the frame: read it whole
    if "cards" in frame:
        return None
    text = layout.text
    found = []
    for cid, (begin, end) in layout.spans.items():
        match = _CARD.fullmatch(text, begin, end)
        if match is None:
            return None
        found.append((cid, match.groups()))
    values = _values(found)
    if values is None:
        return None
    return _outline(frame, _faces(found, values))


def _values(found: list[tuple[str, tuple[Any, ...]]]) -> dict[str, Any] | None:
    """Each face value's source text -> its value. None when the texts are not one
    value each.

    Most are strings with no escape in them (titles, ranks, stages), whose value is what
    stands between the quotes: those are taken as they are. tomli parses the others,
    each distinct one once, all in one document (one array).
    """
    sources: dict[str, None] = {}
    for at in _SOURCES:  # column by column: one comprehension each, not a loop per card
        sources.update(dict.fromkeys([g[at] for _, g in found if g[at] is not None]))
    sources.update(
        dict.fromkeys(
            count
            for _, groups in found
            if groups[_VOTES] is not None
            for count in _VOTE.findall(groups[_VOTES])
        )
    )
    strings = [source for source in sources if source[0] == '"' and "\\" not in source]
    if _CONTROL.search("".join(strings)):  # a control character: tomli says what it is
        strings = []
    values: dict[str, Any] = {source: source[1:-1] for source in strings}
    rest = [source for source in sources if source not in values]
    if not rest:
        return values
    try:
        parsed = tomli.loads("v = [\n" + ",\n".join(rest) + ",\n]\n")
    except tomli.TOMLDecodeError:
        return None
    got = parsed.get("v")
    if not isinstance(got, list) or len(got) != len(rest):
        return None
    values.update(zip(rest, got, strict=True))
    return values


def _faces(
    found: list[tuple[str, tuple[Any, ...]]], values: Mapping[str, Any]
) -> dict[str, CardFace]:
    """Every card's face from its groups in `_CARD` (source texts; None for a key left
    out), a field at a time over all cards: a comprehension each is a third faster than
    a function call per card."""
    rows = [groups for _, groups in found]
    # title, stage, rank and decision match `_STRING`: their values are strings
    stages = [_STAGES.get(values[g[_STAGE]]) for g in rows]
    decisions = [
        None if g[_DECISION] is None else _DECISIONS.get(values[g[_DECISION]], _NO) for g in rows
    ]
    archived = [False if g[_ARCHIVED] is None else values[g[_ARCHIVED]] for g in rows]
    if None in stages or _NO in decisions or not all(type(flag) is bool for flag in archived):
        raise _Unsure
    lists = {source for g in rows for source in (g[_BY], g[_TAGS]) if source is not None}
    items: dict[str | None, tuple[str, ...]] = {source: _items(values[source]) for source in lists}
    items[None] = ()
    experiment, learning = len(_EXPERIMENTS), len(_LEARNINGS)
    faces = map(
        _new_face,
        [values[g[_TITLE]] for g in rows],
        stages,
        [values[g[_RANK]] for g in rows],
        archived,
        [items[g[_BY]] for g in rows],
        [items[g[_TAGS]] for g in rows],
        [0 if g[_VOTES] is None else sum(values[c] for c in _ballots(g[_VOTES])) for g in rows],
        [_experiments(g).count(None) != experiment for g in rows],
        [
            d is not None or _learnings(g).count(None) != learning
            for g, d in zip(rows, decisions, strict=True)
        ],
        decisions,
        [_conflicts(g[_CONFLICTS]) if g[_CONFLICTS] else () for g in rows],
    )
    return dict(zip([cid for cid, _ in found], faces, strict=True))


_NO = object()
"""A decision that is none of `Decision`'s."""


_AT = {name: number - 1 for name, number in _CARD.groupindex.items()}  # in `match.groups()`
_TITLE, _STAGE, _RANK, _ARCHIVED, _BY, _TAGS, _DECISION = (_AT[name] for name in _FACE)
_VOTES, _CONFLICTS = _AT["votes"], _AT["conflicts"]
_SOURCES = tuple(_AT[name] for name in _FACE)
_EXPERIMENTS = tuple(_AT[name] for name in _PRESENCE if name in _EXPERIMENT)
_LEARNINGS = tuple(_AT[name] for name in _PRESENCE if name not in _EXPERIMENT)
_experiments, _learnings = itemgetter(*_EXPERIMENTS), itemgetter(*_LEARNINGS)  # several: tuples
_STAGES = cast(Mapping[object, Stage], Stage._value2member_map_)
_DECISIONS = cast(Mapping[object, Decision], Decision._value2member_map_)
# Each field's slot, in field order; unpacking fails at import if `CardFace` gains a field.
_S1, _S2, _S3, _S4, _S5, _S6, _S7, _S8, _S9, _S10, _S11 = (
    getattr(CardFace, field.name).__set__ for field in fields(CardFace)
)


def _new_face(
    a: object, b: object, c: object, d: object, e: object, f: object,
    g: object, h: object, i: object, j: object, k: object,
) -> CardFace:  # fmt: skip
    """`CardFace(a, ..., k)`, in less than half the time: a frozen dataclass's `__init__`
    sets each field through `object.__setattr__`, 3.7 µs a card here, the slots directly
    1.6 µs (tests/unit/test_outline.py checks both give equal faces)."""
    face = object.__new__(CardFace)
    _S1(face, a)
    _S2(face, b)
    _S3(face, c)
    _S4(face, d)
    _S5(face, e)
    _S6(face, f)
    _S7(face, g)
    _S8(face, h)
    _S9(face, i)
    _S10(face, j)
    _S11(face, k)
    return face


def _ballots(votes: str) -> list[str]:
    """The dots' source texts of a votes table; a member's dots given twice: unsure."""
    ballots: list[str] = _VOTE.findall(votes)
    if len(set(_VOTER.findall(votes))) != len(ballots):
        raise _Unsure  # tomli refuses such a file
    return ballots


def _items(items: Any) -> tuple[str, ...]:
    if not all(type(item) is str for item in items):
        raise _Unsure
    return tuple(items)


def _conflicts(tables: str) -> tuple[str, ...]:
    """The field names of a card's conflict tables, in the file's order."""
    names: list[str] = []
    at = 0
    while at < len(tables):
        table = _CONFLICT.match(tables, at)
        if table is None:  # pragma: no cover - `_CARD` matched these very tables
            raise _Unsure
        names.append(table.group(1))
        at = table.end()
    if len(set(names)) != len(names):
        raise _Unsure  # a table defined twice: tomli refuses such a file
    return tuple(names)

"""The board as data: pydantic models for schema 1 of the board file.

Pure: imports only pydantic, the standard library and the leaf modules `fields` (the
card's fields described once), `i18n` and `safe_text`. Validation that can run in
pydantic's compiled core does (patterns, enums, aware datetimes) so that loading a
board of thousands of cards stays close to the cost of parsing its TOML.

Field order here is the key order of the canonical file (see `storage.dumps`).
"""

from __future__ import annotations

import os
import reprlib
import secrets
import sys
import types
from collections.abc import Collection
from datetime import UTC, date, datetime
from functools import cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from . import fields
from .i18n import N_, _
from .safe_text import visible
from .vocabulary import SCHEMA as SCHEMA
from .vocabulary import Decision as Decision  # re-exported: code with a board imports them here
from .vocabulary import Side as Side
from .vocabulary import Stage as Stage
from .vocabulary import in_column

_LOADER = "pydantic.plugin._loader"


def _without_pydantic_plugins() -> None:
    """Let pydantic build the models' validators without looking for its plugins.

    Before it builds the first validator, pydantic imports `importlib.metadata` (with
    `email`, `zipfile`, `csv`) and scans every installed distribution for plugins: 40 to
    70 ms at every start here, for hooks that observe validation, which a board has no
    use for (bench/cli_startup.py). So its loader is replaced by one that finds none:
    what pydantic does itself when ``PYDANTIC_DISABLE_PLUGINS`` is ``1``, ``true`` or
    ``__all__``. Set it to anything else (``""`` enables all) and pydantic's own loader
    runs; one already imported is left alone. Importing pydantic does not load it:
    building the first validator does, so this runs before the first one here.
    """
    wanted = os.environ.get("PYDANTIC_DISABLE_PLUGINS")
    if wanted not in (None, "1", "true", "__all__") or _LOADER in sys.modules:
        return
    loader = types.ModuleType(_LOADER)
    loader.get_plugins = tuple  # type: ignore[attr-defined]  # () : no plugins
    sys.modules[_LOADER] = loader


_without_pydantic_plugins()


# Enum values arrive from TOML as strings: the one place the file's types are loosened.
StageValue = Annotated[Stage, Field(strict=False)]
SideValue = Annotated[Side, Field(strict=False)]
DecisionValue = Annotated[Decision, Field(strict=False)]

KEY_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
LINE_PATTERN = r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"
RANK_PATTERN = r"^[0-9a-z]*[1-9a-z]$"
TEXT_PATTERN = r"^[^\r]*$"

# A key usable as a bare TOML key, so table headers never need quoting.
Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN)]
# One line of text: no control characters (newlines would break a card's title row).
Line = Annotated[str, StringConstraints(pattern=LINE_PATTERN)]
# Free text, several lines; empty means "not filled in" and is left out of the file.
# No carriage returns: lines end in "\n" only, so text round-trips through the file
# exactly (the writer uses multi-line strings, which cannot keep a "\r\n").
Text = Annotated[str, StringConstraints(pattern=TEXT_PATTERN)]
Rank = Annotated[str, StringConstraints(pattern=RANK_PATTERN)]


# The patterns run in pydantic's core, whose regex engine takes linear time whatever
# the text (no backtracking): a hostile 1 MB value costs milliseconds, not hours.
@cache
def _adapter(kind: Any) -> TypeAdapter[str]:
    """`Key` or `Line` on its own, built on first use: a command that only reads a board
    does not pay for these validators at start-up."""
    return TypeAdapter(kind)


def _valid(kind: Any, value: object) -> bool:
    adapter = _adapter(kind)
    try:
        adapter.validate_python(value, strict=True)
    except ValidationError:
        return False
    return True


def is_key(value: object) -> bool:
    """Whether `value` is a valid `Key` (a card id, a member key)."""
    return _valid(Key, value)


def is_line(value: object) -> bool:
    """Whether `value` is a valid `Line` (checked by the same linear-time pattern)."""
    return _valid(Line, value)


def _fits_utc(moment: datetime) -> datetime:
    """`moment`, when it is a time in UTC too: 9999-12-31T23:59:59-01:00 is not.

    The writer and every command convert times to UTC; a time whose offset takes it
    past year 9999 (or before year 1) would make them all fail, so it is refused here.
    """
    try:
        moment.astimezone(UTC)
    except OverflowError:
        raise PydanticCustomError(
            "utc_out_of_range",
            _("{moment} is outside the years 1 to 9999 once converted to UTC"),
            {"moment": moment.isoformat()},
        ) from None
    return moment


# A time with its offset (any; the writer converts it to UTC) that exists in UTC.
Moment = Annotated[AwareDatetime, AfterValidator(_fits_utc)]

ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def new_id(taken: Collection[str] = ()) -> str:
    """A random card id (8 base-36 characters) not in `taken`.

    Random, never a counter: two people adding cards on two machines pick different
    ids, and new cards scatter through the file instead of piling up at its end.
    """
    while True:
        candidate = "".join(secrets.choice(ID_ALPHABET) for _i in range(8))
        if candidate not in taken:
            return candidate


TEXT_FIELDS = fields.TEXT
"""Card fields holding free text (see `fields.FIELDS`)."""

EXPERIMENT_FIELDS = fields.in_group("experiment")
LEARNING_FIELDS = fields.in_group("learning")


def _no_items() -> list[Any]:
    return []


def _no_entries() -> dict[Any, Any]:
    return {}


# The default factories are functions of ours, not the builtins `list` and `dict`: pydantic
# reads each factory's signature, and a builtin's is parsed from its text with the tokenizer,
# whose patterns cost about 5 ms to compile at every start.


class Strict(BaseModel):
    """Base for every model of the file: unknown keys are errors, values are checked."""

    # strict: a string is not a date, a number is not a time, even if it could be read as one
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Member(Strict):
    """A person taking part in the sprint."""

    name: Line
    side: SideValue
    role: Line | None = None


class Sprint(Strict):
    """The sprint's timebox and who runs it."""

    start: date | None = None
    end: date | None = None
    facilitators: list[Key] = Field(default_factory=_no_items)

    @model_validator(mode="after")
    def _end_after_start(self) -> Sprint:
        if self.start and self.end and self.end < self.start:
            raise ValueError(
                _("sprint end {end} is before its start {start}").format(
                    end=self.end, start=self.start
                )
            )
        return self


class HistoryEntry(Strict):
    """A card entering a stage: when, by whom."""

    at: Moment
    by: Line
    stage: StageValue


CONFLICT_FIELDS = fields.CONFLICT_MARKS
"""Card fields a git merge can leave in conflict (`archived`/`deleted`: the card's fate)."""

_FATES = {
    ("archived", True): N_("ours archived the card, theirs edited it"),
    ("archived", False): N_("theirs archived the card, ours edited it"),
    ("deleted", True): N_("ours deleted the card, theirs edited it"),
    ("deleted", False): N_("theirs deleted the card, ours edited it"),
}
"""A conflict on the card's fate in words, by mark and whether ours is the side that acted
("ours"/"theirs" are git's words for the two sides, as in the file)."""


class Conflict(Strict):
    """One card field that two branches changed differently; kept until someone picks.

    `ours` is the value of the branch merged into, `theirs` of the branch merged in; a
    value left out means "none" (a cleared decision). For `title`, `stage`, the text
    fields and `decision` they are that field's two values. For `archived` and
    `deleted` they say which side archived or deleted the card (true) while the other
    side edited it (false); the merged card is the edited one, not archived, until
    someone decides. In the file::

        [cards.k7q2mz4t.conflicts.title]
        ours = "Saturday art workshop"
        theirs = "Saturday art workshop at the library"
    """

    ours: str | bool | None = None
    theirs: str | bool | None = None

    @field_validator("ours", "theirs", mode="before")
    @classmethod
    def _one_value(cls, value: object, info: ValidationInfo) -> object:
        if value is None or isinstance(value, str | bool):
            return value
        raise ValueError(
            _("{name} must be a string, true or false, not {kind}").format(
                name=info.field_name, kind=_toml_type(value)
            )
        )

    def describe(self, name: str) -> str:
        """The two sides in a few words, for `validate` and the merge driver."""
        fate = _FATES.get((name, bool(self.ours)))
        if fate is not None:
            return _(fate)
        return _("ours: {ours}, theirs: {theirs}").format(
            ours=_show_value(self.ours), theirs=_show_value(self.theirs)
        )


def _show_value(value: object) -> str:
    return _("none") if value is None else _show(value)


def _check_conflict(name: str, conflict: Conflict) -> None:
    """Raise ValueError unless `conflict` holds two values that `name` can take."""
    if name not in CONFLICT_FIELDS:
        raise ValueError(
            _("conflicts: {name} is not a field that can be in conflict ({fields})").format(
                name=_show(name), fields=", ".join(CONFLICT_FIELDS)
            )
        )
    spec = fields.spec(name)
    # the card's fate (`archived`, `deleted`) is marked by which side acted: a flag
    kind = spec.kind if spec is not None and name != "archived" else fields.Kind.FLAG
    for side, value in (("ours", conflict.ours), ("theirs", conflict.theirs)):
        if kind is fields.Kind.FLAG:
            fits = isinstance(value, bool)
        elif kind is fields.Kind.CHOICE:
            optional = Card.model_fields[name].default is None  # "no decision" is a value
            fits = (value is None and optional) or value in {c.value for c in _CHOICES[name]}
        elif kind is fields.Kind.LINE:
            fits = is_line(value)
        else:  # free text; the table marks no other kind as conflicting
            fits = isinstance(value, str) and "\r" not in value
        if not fits:
            raise ValueError(
                _("conflict in {name}: {side} {value} is not a valid {name}").format(
                    name=name, side=side, value=_show_value(value)
                )
            )
    if name in ("archived", "deleted") and conflict.ours == conflict.theirs:
        raise ValueError(
            _("conflict in {name}: exactly one of ours and theirs must be true").format(name=name)
        )


class Card(Strict):
    """An experiment on the board, from idea to what was learned."""

    title: Line
    stage: StageValue
    rank: Rank
    created: Moment
    updated: Moment
    archived: bool = False
    by: list[Key] = Field(default_factory=_no_items)
    tags: list[Line] = Field(default_factory=_no_items)
    body: Text = ""
    # experiment: "we believe ... to verify that, we will ... and measure ... we are right if"
    hypothesis: Text = ""
    test: Text = ""
    metric: Text = ""
    criterion: Text = ""
    # learning: "we observed ... we learned ... therefore we will ...", and the decision
    observed: Text = ""
    learned: Text = ""
    next: Text = ""
    decision: DecisionValue | None = None
    votes: dict[Key, Annotated[int, Field(ge=1, le=99)]] = Field(default_factory=_no_entries)
    history: list[HistoryEntry] = Field(default_factory=_no_items)
    # what a git merge left undecided, by field name (see `Conflict`); empty: nothing
    conflicts: dict[str, Conflict] = Field(default_factory=_no_entries)

    @field_validator("conflicts")
    @classmethod
    def _conflicts_fit(cls, conflicts: dict[str, Conflict]) -> dict[str, Conflict]:
        for name, conflict in conflicts.items():
            _check_conflict(name, conflict)
        return conflicts

    @property
    def has_experiment(self) -> bool:
        return any(getattr(self, f) for f in EXPERIMENT_FIELDS)

    @property
    def has_learning(self) -> bool:
        return any(getattr(self, f) for f in LEARNING_FIELDS)

    @property
    def dots(self) -> int:
        return sum(self.votes.values())


class Round(Strict):
    """A dot-vote round: a budget of dots per member on one stage, opened by a facilitator.

    The votes themselves stay in the cards (`Card.votes`); the round is their frame.
    Closing it records `closed` and `result` (card id -> dots then), kept after the
    next round clears the cards' dots. At most one round is open (no `closed`) in a
    board this program writes; a git merge can bring two, and then the one opened
    last is the open round (`rounds.open_round`).
    """

    stage: StageValue
    dots: Annotated[int, Field(ge=1, le=99)]
    anonymous: bool = False
    opened: Moment
    by: Line
    until: Moment | None = None
    closed: Moment | None = None
    result: dict[Key, Annotated[int, Field(ge=1)]] = Field(default_factory=_no_entries)

    @model_validator(mode="after")
    def _times_in_order(self) -> Round:
        if self.until is not None and self.until <= self.opened:
            raise ValueError(
                _("until {until} is not after opened {opened}").format(
                    until=self.until.isoformat(), opened=self.opened.isoformat()
                )
            )
        if self.closed is not None and self.closed < self.opened:
            raise ValueError(
                _("closed {closed} is before opened {opened}").format(
                    closed=self.closed.isoformat(), opened=self.opened.isoformat()
                )
            )
        return self


class Board(Strict):
    """One sprint board: its frame, its people and its cards."""

    schema_: int = Field(alias="schema", ge=1)
    title: Line
    challenge: Text = ""
    goal: Text = ""
    sprint: Sprint = Field(default_factory=Sprint)
    wip: dict[StageValue, Annotated[int, Field(ge=1)]] = Field(default_factory=_no_entries)
    members: dict[Key, Member] = Field(default_factory=_no_entries)
    # dot-vote rounds by a random id (`new_id`), as cards are: merge key by key
    rounds: dict[Key, Round] = Field(default_factory=_no_entries)
    cards: dict[Key, Card] = Field(default_factory=_no_entries)

    model_config = ConfigDict(populate_by_name=True)

    @model_validator(mode="after")
    def _references_exist(self) -> Board:
        problems = find_unknown_members(self)
        if problems:
            where, message = problems[0]
            # `where` lets the file layer point at the line; the message stays human.
            raise PydanticCustomError("unknown_member", message, {"where": where})
        return self

    def frame(self) -> dict[str, Any]:
        """The board's own fields, beside its members and cards (what `EditBoard` sets)."""
        return {
            "title": self.title,
            "challenge": self.challenge,
            "goal": self.goal,
            "start": self.sprint.start,
            "end": self.sprint.end,
            "facilitators": self.sprint.facilitators,
            "wip": self.wip,
        }

    def column(self, stage: Stage, *, archived: bool = False) -> list[tuple[str, Card]]:
        """The cards of one stage in board order (rank, then id to break ties)."""
        return in_column(self.cards, stage, archived=archived)

    def resolve_id(self, prefix: str) -> str:
        """The one card id starting with `prefix`; `LookupError` when none or several do."""
        if prefix in self.cards:
            return prefix
        matches = sorted(cid for cid in self.cards if prefix and cid.startswith(prefix))
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise LookupError(_("no card id starts with '{prefix}'").format(prefix=prefix))
        raise LookupError(
            _("card id prefix '{prefix}' is ambiguous: {ids}").format(
                prefix=prefix, ids=", ".join(matches)
            )
        )


Location = tuple[str | int, ...]


def find_unknown_members(board: Board) -> list[tuple[Location, str]]:
    """Where and what for every reference to a member key the board does not define."""
    members = board.members
    problems: list[tuple[Location, str]] = [
        (
            ("sprint", "facilitators"),
            _("sprint: facilitator '{key}' is not a member of the board").format(key=key),
        )
        for key in board.sprint.facilitators
        if key not in members
    ]
    for cid, card in board.cards.items():
        for key in card.by:
            if key not in members:
                problems.append(
                    (
                        ("cards", cid, "by"),
                        _("card {id}: co-creator '{key}' is not a member of the board").format(
                            id=cid, key=key
                        ),
                    )
                )
        for key in card.votes:
            if key not in members:
                problems.append(
                    (
                        ("cards", cid, "votes", key),
                        _("card {id}: vote by '{key}', who is not a member of the board").format(
                            id=cid, key=key
                        ),
                    )
                )
    return problems


def card_fields(card: Card) -> dict[str, Any]:
    """A card's fields as a plain dict (values shared, not copied)."""
    return dict(card.__dict__)


def as_utc(moment: datetime) -> datetime:
    """`moment` in UTC, to the second: the precision of the file."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


# --- validation errors, in the user's words ------------------------------------------

_TOML_TYPES = {
    str: N_("a string"),
    int: N_("an integer"),
    float: N_("a float"),
    bool: N_("a boolean"),
    datetime: N_("a date-time"),
    date: N_("a date"),
    list: N_("an array"),
    dict: N_("a table"),
}

_CHOICES = {"stage": Stage, "side": Side, "decision": Decision, "wip": Stage}

_PATTERNS = {
    KEY_PATTERN: N_("must be a simple key: letters, digits, '-' or '_'"),
    LINE_PATTERN: N_("must be one line of text, not empty, without control characters"),
    RANK_PATTERN: N_("must be digits and lowercase letters, not ending in 0"),
    TEXT_PATTERN: N_("must not contain carriage returns (lines end with a newline only)"),
}

_WANTED = {
    "string_type": N_("a string"),
    "int_type": N_("an integer"),
    "int_from_float": N_("an integer"),
    "int_parsing": N_("an integer"),
    "bool_type": N_("true or false"),
    "list_type": N_("an array"),
    "dict_type": N_("a table"),
    "model_type": N_("a table"),
    "date_type": N_("a date like 2026-12-01"),
    "date_from_datetime_inexact": N_("a date like 2026-12-01"),
    "datetime_type": N_("a date-time like 2026-11-27T09:15:00Z"),
    "float_type": N_("a number"),
    "enum_type": N_("a string"),
}
"""What a value of the wrong type should have been, by pydantic's error type."""


_REPR = reprlib.Repr()
_REPR.maxlevel = 3


def _show(value: object) -> str:
    """A value for a one-line message: quoted, escaped, and cut when long."""
    # reprlib: a value nested a thousand levels deep is shown to a few levels, not
    # recursed into until Python gives up
    text = value if isinstance(value, str) else _REPR.repr(value)
    return f"'{_escaped(text)}'" if isinstance(value, str) else _escaped(text)


def _escaped(text: str) -> str:
    """`text` (a value, a key or a card id from the file) cut to 40 characters, each
    character that is not printable written as its escape: never raw to a terminal."""
    return visible(text[:40] + "…" if len(text) > 40 else text)


def _toml_type(value: object) -> str:
    for kind, name in _TOML_TYPES.items():
        if type(value) is kind:
            return _(name)
    return type(value).__name__


def _field_name(loc: tuple[str | int, ...]) -> str:
    names = [str(part) for part in loc if isinstance(part, str) and part != "[key]"]
    return names[-1] if names else "value"


def describe_error(error: Any) -> str:
    """One pydantic error (an `ErrorDetails`) as a short sentence naming the field."""
    loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    name = _field_name(loc)
    what = _show(value)
    if kind == "extra_forbidden":
        return _("unknown key {key}").format(key=_show(str(loc[-1])))
    if kind == "missing":
        return _("missing key {key}").format(key=_show(str(loc[-1])))
    if kind == "enum":
        # the ids the file holds, not their display names: the file is written in them
        choices = ", ".join(m.value for m in _CHOICES.get(name, Stage))
        if "[key]" in loc:
            return _("{table}: key {key} is not one of {choices}").format(
                table=loc[0], key=what, choices=choices
            )
        return _("{name} {value} is not one of {choices}").format(
            name=name, value=what, choices=choices
        )
    if kind == "string_pattern_mismatch":
        rule = _PATTERNS.get(error.get("ctx", {}).get("pattern"))
        ruled = _(rule) if rule is not None else _("has a form that is not allowed")
        if "[key]" in loc:
            return _("key {key} {rule}").format(key=what, rule=ruled)
        return _("{name} {value} {rule}").format(name=name, value=what, rule=ruled)
    if kind in _WANTED:
        return _("{name} must be {wanted}, not {kind}").format(
            name=name, wanted=_(_WANTED[kind]), kind=_toml_type(value)
        )
    if kind == "utc_out_of_range":
        return _("{name} {moment} is outside the years 1 to 9999 once converted to UTC").format(
            name=name, moment=error["ctx"]["moment"]
        )
    if kind == "timezone_aware":
        return _("{name} must be a UTC date-time like 2026-11-27T09:15:00Z (with its Z)").format(
            name=name
        )
    if kind == "greater_than_equal":
        return _("{name} must be at least {bound}, not {value}").format(
            name=name, bound=error["ctx"]["ge"], value=what
        )
    if kind == "less_than_equal":
        return _("{name} must be at most {bound}, not {value}").format(
            name=name, bound=error["ctx"]["le"], value=what
        )
    if kind in ("value_error", "unknown_member"):
        return (
            str(error["ctx"].get("error", error["msg"])) if kind == "value_error" else error["msg"]
        )
    return _("{name}: {problem}").format(name=name, problem=error["msg"])


def error_context(loc: tuple[str | int, ...]) -> str:
    """Which part of the board a location is in, as a message prefix ("card x: ")."""
    if len(loc) >= 2 and loc[0] == "cards":
        return _("card {id}: ").format(id=_escaped(str(loc[1])))
    if len(loc) >= 2 and loc[0] == "members":
        return _("member {key}: ").format(key=_escaped(str(loc[1])))
    if len(loc) >= 2 and loc[0] == "rounds":
        return _("round {id}: ").format(id=_escaped(str(loc[1])))
    if loc and loc[0] == "sprint":
        return _("sprint: ")
    return ""

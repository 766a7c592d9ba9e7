"""The field table: it describes every card field, and the modules do what it says.

Each rule of `fields.FIELDS` is checked by what the module that follows it does (ops
refuses to edit a field, the merge driver marks a conflict, the session reports an
overwrite), field by field, so a table that says one thing while a module does another
fails here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, get_args

import pytest

from sprintboard import fields, ops
from sprintboard.cli.cards import parse_assignment
from sprintboard.cli.common import UserError
from sprintboard.cli.output import card_json
from sprintboard.fields import FIELDS, FieldName, Kind
from sprintboard.labels import field_label, mark_label
from sprintboard.merge import merge
from sprintboard.model import (
    CONFLICT_FIELDS,
    Board,
    Card,
    Conflict,
    Decision,
    HistoryEntry,
    Stage,
)
from sprintboard.session import BoardSession, create

CID = "card0001"
AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def at(hour: int) -> datetime:
    return AT.replace(hour=hour)


TWO_VALUES: dict[FieldName, tuple[Any, Any]] = {
    "title": ("Ours", "Theirs"),
    "stage": (Stage.PROTOTYPE, Stage.TEST),
    "tags": (["ours"], ["theirs"]),
    "by": (["anna"], ["omar"]),
    "body": ("ours", "theirs"),
    "hypothesis": ("ours", "theirs"),
    "test": ("ours", "theirs"),
    "metric": ("ours", "theirs"),
    "criterion": ("ours", "theirs"),
    "observed": ("ours", "theirs"),
    "learned": ("ours", "theirs"),
    "next": ("ours", "theirs"),
    "decision": (Decision.PIVOT, Decision.STOP),
    "archived": (True, True),  # a flag has one value other than the base's
    "rank": ("m", "t"),
    "created": (at(8), at(7)),
    "updated": (at(10), at(11)),
    "votes": ({"anna": 1}, {"anna": 2}),
    "history": (
        [HistoryEntry(at=at(10), by="anna", stage=Stage.IDEA)],
        [HistoryEntry(at=at(11), by="omar", stage=Stage.IDEA)],
    ),
    "conflicts": (
        {"body": Conflict(ours="a", theirs="b")},
        {"body": Conflict(ours="c", theirs="d")},
    ),
}
"""Two values each field can take, both different from `base_card`'s (a new field
needs a row here: the tests below fail without one)."""


def base_card() -> Card:
    return Card(title="Base", stage=Stage.IDEA, rank="h", created=AT, updated=AT)


def board(card: Card | None = None) -> Board:
    members = {
        "anna": {"name": "Anna", "side": "internal"},
        "omar": {"name": "Omar", "side": "external"},
    }
    cards = {CID: card} if card is not None else {}
    return Board.model_validate({"schema": 1, "title": "B", "members": members, "cards": cards})


def with_field(card: Card, name: FieldName, value: Any) -> Card:
    return Card.model_validate({**card.__dict__, name: value})


# --- the table itself ---------------------------------------------------------------


def test_the_table_describes_exactly_the_card_model_s_fields() -> None:
    assert set(FIELDS) == set(Card.model_fields)
    assert all(name == spec.name for name, spec in FIELDS.items())


def test_field_names_are_typed_as_the_table_names_them() -> None:
    assert get_args(FieldName) == tuple(FIELDS)


def test_every_field_has_two_test_values() -> None:
    assert set(TWO_VALUES) == set(FIELDS)


def test_every_field_and_conflict_mark_has_a_label() -> None:
    for name in FIELDS:
        assert field_label(name).strip()
    for mark in CONFLICT_FIELDS:
        assert mark_label(mark).strip() and mark_label(mark) != mark


def test_the_json_keys_are_every_field_but_the_conflict_marks() -> None:
    assert set(fields.JSON_KEYS) == set(FIELDS) - {"conflicts"}
    assert len(fields.JSON_KEYS) == len(set(fields.JSON_KEYS))


# --- each rule, by what the module that follows it does --------------------------------


@pytest.mark.parametrize("name", list(FIELDS))
def test_ops_edits_exactly_the_editable_fields(name: FieldName) -> None:
    before = board(base_card())
    value = TWO_VALUES[name][0]
    op = ops.EditCard(CID, {name: value}, at=at(12))
    if FIELDS[name].editable:
        assert getattr(ops.apply(before, op).cards[CID], name) == value
    else:
        with pytest.raises(ops.OpError, match="is not a field you can edit"):
            ops.apply(before, op)


@pytest.mark.parametrize("name", list(FIELDS))
def test_the_merge_marks_a_conflict_on_exactly_the_conflicting_fields(name: FieldName) -> None:
    base = base_card()
    ours, theirs = (with_field(base, name, value) for value in TWO_VALUES[name])
    result = merge(board(base), board(ours), board(theirs))
    marked = {field for _cid, field in result.conflicts}
    assert (name in marked) is FIELDS[name].conflicting


@pytest.mark.parametrize("name", list(FIELDS))
def test_the_merge_takes_every_field_one_side_changed(name: FieldName) -> None:
    # a field the merge forgot would come back as its default: the base's value here
    base = base_card()
    changed = with_field(base, name, TWO_VALUES[name][1])
    for ours, theirs in ((base, changed), (changed, base)):
        merged = merge(board(base), board(ours), board(theirs)).board.cards[CID]
        assert getattr(merged, name) == getattr(changed, name)


@pytest.mark.parametrize("name", list(FIELDS))
def test_the_merge_keeps_a_deleted_card_edited_in_exactly_the_fields_that_count(
    name: FieldName,
) -> None:
    base = base_card()
    edited = with_field(base, name, TWO_VALUES[name][0])
    result = merge(board(base), board(None), board(edited))
    kept = result.board.cards.get(CID)
    if FIELDS[name].counts_as_edit:
        assert kept is not None and "deleted" in kept.conflicts
    else:
        assert kept is None


@pytest.mark.parametrize("name", list(FIELDS))
def test_the_session_reports_overwrites_of_exactly_the_watched_fields(
    tmp_path: Path, name: FieldName
) -> None:
    path = tmp_path / "b.toml"
    create(path, board(base_card()))
    anna, omar = BoardSession(path, "anna"), BoardSession(path, "omar")
    anna.open()
    omar.open()
    ours, theirs = TWO_VALUES[name]
    if ours == theirs:  # a flag: the second writer sets it back
        theirs = getattr(base_card(), name)
    anna.apply(ops.SetCardFields(CID, {name: ours}))
    outcome = omar.apply(ops.SetCardFields(CID, {name: theirs}))  # omar never saw anna's
    assert outcome.error is None
    assert bool(outcome.overwritten) is FIELDS[name].watched
    assert all(o.field == name for o in outcome.overwritten)


@pytest.mark.parametrize("name", list(FIELDS))
def test_edit_set_takes_exactly_the_editable_fields(name: FieldName) -> None:
    if not FIELDS[name].editable:
        with pytest.raises(UserError, match="is not a field you can edit"):
            parse_assignment(f"{name}=x")
        return
    parsed = parse_assignment(f"{name}= a, b ")
    if FIELDS[name].kind is Kind.NAMES:
        assert parsed == (name, ["a", "b"])  # comma-separated
    elif FIELDS[name].kind is Kind.CHOICE:
        assert parsed == (name, "a, b")
    else:
        assert parsed == (name, " a, b ")


def test_card_json_has_the_published_keys_in_order() -> None:
    card = with_field(base_card(), "decision", Decision.SCALE)
    got = card_json(CID, card)
    assert list(got) == ["id", *fields.JSON_KEYS]
    assert got["decision"] == "scale" and got["stage"] == "idea"
    assert got["created"] == "2026-12-01T09:00:00Z"

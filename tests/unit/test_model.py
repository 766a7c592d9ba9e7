"""The board model: what a valid board is, and how invalid ones are explained."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import T0
from pydantic import ValidationError

from sprintboard import model
from sprintboard.model import Board, Card, Stage, as_utc, describe_error, new_id


def board_data(board: Board) -> dict[str, Any]:
    return board.model_dump(by_alias=True)


def first_error(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as info:
        Board.model_validate(data)
    detail = info.value.errors()[0]
    return model.error_context(tuple(detail["loc"])) + describe_error(detail)


def test_stage_order() -> None:
    assert [s.value for s in Stage] == ["idea", "prototype", "test", "learned"]
    assert Stage.IDEA.next is Stage.PROTOTYPE
    assert Stage.LEARNED.next is None
    assert Stage.IDEA.previous is None
    assert Stage.LEARNED.previous is Stage.TEST


def test_fixture_board_is_valid(board: Board) -> None:
    assert {c.stage for c in board.cards.values()} == set(Stage)
    assert {m.side.value for m in board.members.values()} == {"internal", "external"}
    assert Board.model_validate(board_data(board)) == board


@pytest.mark.parametrize(
    ("where", "key"),
    [((), "colour"), (("sprint",), "length"), (("members", "anna"), "email")],
)
def test_unknown_keys_are_errors(board: Board, where: tuple[str, ...], key: str) -> None:
    data = board_data(board)
    table = data
    for part in where:
        table = table[part]
    table[key] = "x"
    assert key in first_error(data)
    assert f"unknown key '{key}'" in first_error(data)


def test_unknown_key_in_card(board: Board) -> None:
    data = board_data(board)
    data["cards"]["k7q2mz4t"]["colour"] = "red"
    assert first_error(data) == "card k7q2mz4t: unknown key 'colour'"


def test_missing_required_keys(board: Board) -> None:
    data = board_data(board)
    del data["cards"]["b3x9p0aa"]["rank"]
    assert first_error(data) == "card b3x9p0aa: missing key 'rank'"
    data = board_data(board)
    del data["title"]
    assert first_error(data) == "missing key 'title'"


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("stage", "tested", "stage 'tested' is not one of idea, prototype, test, learned"),
        ("decision", "maybe", "decision 'maybe' is not one of persevere, pivot, scale, stop"),
        ("rank", "m0", "rank 'm0' must be digits and lowercase letters, not ending in 0"),
        ("rank", "M", "rank 'M' must be digits and lowercase letters"),
        ("title", "", "title '' must be one line of text"),
        ("title", "   ", "must be one line of text"),
        ("title", "two\nlines", "title 'two\\nlines' must be one line of text"),
        ("title", "bell\x07", "must be one line of text, not empty, without control characters"),
        ("title", "tab\there", "must be one line of text"),
        ("title", "del\x7f", "must be one line of text"),
        ("title", 5, "title must be a string, not an integer"),
        ("body", "windows\r\nline", "body 'windows\\r\\nline' must not contain carriage returns"),
        ("hypothesis", "old mac\rline", "must not contain carriage returns"),
        ("created", "2026-11-27T09:15:00Z", "created must be a date-time"),
        ("created", datetime(2026, 11, 27, 9, 15), "created must be a UTC date-time"),
        ("archived", "yes", "archived must be true or false, not a string"),
        ("tags", "culture", "tags must be an array, not a string"),
        ("tags", ["ok", "bad\nline"], "tags 'bad\\nline' must be one line of text"),
        ("votes", {"omar": 0}, "omar must be at least 1, not 0"),
        ("votes", {"omar": 100}, "omar must be at most 99, not 100"),
        ("votes", {"omar": True}, "omar must be an integer, not a boolean"),
        ("by", ["bad key"], "by 'bad key' must be a simple key"),
    ],
)
def test_bad_card_values(board: Board, field: str, value: object, expected: str) -> None:
    data = board_data(board)
    data["cards"]["k7q2mz4t"][field] = value
    message = first_error(data)
    assert message.startswith("card k7q2mz4t: ")
    assert expected in message


def test_bad_board_values(board: Board) -> None:
    data = board_data(board)
    data["members"]["omar"]["side"] = "outside"
    assert first_error(data) == "member omar: side 'outside' is not one of internal, external"
    data = board_data(board)
    data["wip"] = {"doing": 3}
    assert "key 'doing' is not one of idea, prototype, test, learned" in first_error(data)
    data = board_data(board)
    data["wip"] = {"idea": 0}
    assert "idea must be at least 1, not 0" in first_error(data)
    data = board_data(board)
    data["schema"] = 0
    assert "schema must be at least 1" in first_error(data)
    data = board_data(board)
    data["members"]["bad key"] = {"name": "X", "side": "internal"}
    assert "key 'bad key' must be a simple key" in first_error(data)
    data = board_data(board)
    data["sprint"]["start"] = datetime(2026, 12, 1, tzinfo=UTC)
    assert "start must be a date" in first_error(data)


def test_sprint_end_before_start(board: Board) -> None:
    data = board_data(board)
    data["sprint"] = {"start": date(2026, 12, 12), "end": date(2026, 12, 1)}
    assert "sprint end 2026-12-01 is before its start 2026-12-12" in first_error(data)


def test_unknown_member_in_by_names_card_and_member(board: Board) -> None:
    data = board_data(board)
    data["cards"]["p4r0t0ty"]["by"] = ["omar", "zed"]
    with pytest.raises(ValidationError) as info:
        Board.model_validate(data)
    detail = info.value.errors()[0]
    assert detail["type"] == "unknown_member"
    assert detail["ctx"]["where"] == ("cards", "p4r0t0ty", "by")
    message = describe_error(detail)
    assert "p4r0t0ty" in message and "'zed'" in message
    assert "not a member" in message


def test_unknown_member_in_votes_and_facilitators(board: Board) -> None:
    data = board_data(board)
    data["cards"]["k7q2mz4t"]["votes"] = {"ghost": 1}
    message = first_error(data)
    assert "k7q2mz4t" in message and "'ghost'" in message
    data = board_data(board)
    data["sprint"]["facilitators"] = ["boss"]
    assert "facilitator 'boss' is not a member" in first_error(data)


def test_find_unknown_members_lists_every_problem(board: Board) -> None:
    # A board built without validation (as a merge might produce) with three problems.
    card = board.cards["k7q2mz4t"].model_copy(update={"by": ["x1"], "votes": {"x2": 1}})
    broken = board.model_copy(
        update={
            "cards": {**board.cards, "k7q2mz4t": card},
            "sprint": board.sprint.model_copy(update={"facilitators": ["x3"]}),
        }
    )
    problems = model.find_unknown_members(broken)
    assert [where for where, _ in problems] == [
        ("sprint", "facilitators"),
        ("cards", "k7q2mz4t", "by"),
        ("cards", "k7q2mz4t", "votes", "x2"),
    ]
    assert model.find_unknown_members(board) == []


def test_models_are_frozen(board: Board) -> None:
    with pytest.raises(ValidationError):
        board.title = "other"  # type: ignore[misc]


def test_long_unicode_title_is_one_line() -> None:
    title = ('"\\مرحبا 🎨 👩‍👩‍👧 שלום """ ' * 500)[:10_000]
    card = Card.model_validate(
        {"title": title, "stage": "idea", "rank": "m", "created": T0, "updated": T0}
    )
    assert card.title == title


def test_text_keeps_newlines_and_tabs() -> None:
    card = Card.model_validate(
        {
            "title": "t",
            "stage": "idea",
            "rank": "m",
            "created": T0,
            "updated": T0,
            "body": "one\n\ttwo\n",
        }
    )
    assert card.body == "one\n\ttwo\n"


def test_card_properties(board: Board) -> None:
    assert board.cards["k7q2mz4t"].dots == 2
    assert board.cards["b3x9p0aa"].dots == 0
    assert board.cards["p4r0t0ty"].has_experiment
    assert not board.cards["p4r0t0ty"].has_learning
    assert board.cards["l3arn3d0"].has_learning
    assert not board.cards["b3x9p0aa"].has_experiment


def test_new_id_is_random_and_well_formed() -> None:
    ids = [new_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[0-9a-z]{8}", i) for i in ids)
    # not a counter: consecutive ids do not differ by a small step
    values = [int(i, 36) for i in ids]
    assert sum(abs(b - a) < 1000 for a, b in itertools.pairwise(values)) == 0


def test_new_id_avoids_taken_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    # The random source first yields a taken id, then a free one.
    stream = iter("aaaaaaaa" + "aaaaaaaa" + "bbbbbbbb")
    monkeypatch.setattr("sprintboard.model.secrets.choice", lambda _alphabet: next(stream))
    assert new_id({"aaaaaaaa"}) == "bbbbbbbb"


def test_column_orders_by_rank_then_id_and_hides_archived(board: Board) -> None:
    cards = dict(board.cards)
    cards["zz000001"] = cards["b3x9p0aa"].model_copy(update={"rank": "m"})  # same rank as k7q2
    cards["aa000001"] = cards["b3x9p0aa"].model_copy(update={"rank": "a", "archived": True})
    board = board.model_copy(update={"cards": cards})
    assert [cid for cid, _ in board.column(Stage.IDEA)] == ["k7q2mz4t", "zz000001", "b3x9p0aa"]
    assert board.column(Stage.IDEA, archived=True)[0][0] == "aa000001"
    assert [cid for cid, _ in board.column(Stage.LEARNED)] == ["l3arn3d0"]


def test_resolve_id(board: Board) -> None:
    assert board.resolve_id("k7") == "k7q2mz4t"
    assert board.resolve_id("t3st1ng0") == "t3st1ng0"
    with pytest.raises(LookupError, match="no card id starts with 'q'"):
        board.resolve_id("q")
    cards = {**board.cards, "k7aaaaaa": board.cards["b3x9p0aa"]}
    with pytest.raises(LookupError, match="ambiguous: k7aaaaaa, k7q2mz4t"):
        board.model_copy(update={"cards": cards}).resolve_id("k7")
    with pytest.raises(LookupError):
        board.resolve_id("")


def test_as_utc() -> None:
    cet = timezone(timedelta(hours=1))
    moment = datetime(2026, 11, 27, 10, 15, 30, 999_999, tzinfo=cet)
    assert as_utc(moment) == datetime(2026, 11, 27, 9, 15, 30, tzinfo=UTC)
    assert as_utc(moment).tzinfo is UTC
    assert as_utc(datetime(2026, 1, 1, 12)) == datetime(2026, 1, 1, 12, tzinfo=UTC)


def test_the_stand_in_plugin_loader_gives_what_pydantic_takes_from_its_own() -> None:
    # model.py puts a loader that finds no plugins where pydantic looks for its own
    # (README, "Performance"): that holds only while pydantic takes nothing else from it
    import ast
    import importlib.util

    spec = importlib.util.find_spec("pydantic.plugin._schema_validator")
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    taken = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "_loader"
        for alias in node.names
    }
    assert taken == {"get_plugins"}
    from pydantic.plugin import _loader

    assert _loader.get_plugins() == ()  # the stand-in, as sprintboard.model installed it

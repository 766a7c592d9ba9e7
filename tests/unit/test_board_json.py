"""The JSON export: the whole board, every key present, cards as `show --json` has them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sprintboard.cli import output
from sprintboard.model import Board
from sprintboard.report import board_json, content

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
T0 = datetime(2026, 11, 27, 9, 15, tzinfo=UTC)


def test_the_document_holds_the_whole_board(board: Board) -> None:
    data = json.loads(board_json.render(content.build(board, NOW)))
    assert list(data) == [
        "schema",
        "title",
        "challenge",
        "goal",
        "sprint",
        "wip",
        "members",
        "rounds",
        "cards",
    ]
    assert data["schema"] == 1
    assert data["title"] == board.title and data["challenge"] == board.challenge
    assert data["sprint"] == {"start": "2026-12-01", "end": "2026-12-12", "facilitators": ["nanna"]}
    assert data["wip"] == {}
    assert [m["key"] for m in data["members"]] == ["anna", "nanna", "omar"]
    assert data["members"][1] == {
        "key": "nanna",
        "name": "Nanna H.",
        "side": "internal",
        "role": "facilitator",
        "facilitator": True,
    }
    # board order: stage by stage, top to bottom
    assert [c["id"] for c in data["cards"]] == [
        "k7q2mz4t",
        "b3x9p0aa",
        "p4r0t0ty",
        "t3st1ng0",
        "l3arn3d0",
    ]
    for each in data["cards"]:
        assert each == output.card_json(each["id"], board.cards[each["id"]])


def test_archived_cards_are_in_and_flagged(board: Board) -> None:
    cards = dict(board.cards)
    cards["b3x9p0aa"] = cards["b3x9p0aa"].model_copy(update={"archived": True})
    archived = board.model_copy(update={"cards": cards})
    data = json.loads(board_json.render(content.build(archived, NOW)))
    flags = {c["id"]: c["archived"] for c in data["cards"]}
    assert flags["b3x9p0aa"] is True and sum(flags.values()) == 1
    assert len(flags) == 5


def test_rounds_and_wip() -> None:
    board = Board.model_validate(
        {
            "schema": 1,
            "title": "Rounds",
            "wip": {"test": 2, "prototype": 3},
            "rounds": {
                "r2222222": {"stage": "idea", "dots": 3, "opened": T0, "by": "nanna"},
                "r1111111": {
                    "stage": "idea",
                    "dots": 2,
                    "opened": datetime(2026, 11, 20, tzinfo=UTC),
                    "by": "nanna",
                    "anonymous": True,
                    "closed": datetime(2026, 11, 20, 0, 10, tzinfo=UTC),
                    "result": {"k7q2mz4t": 4},
                },
            },
        }
    )
    data = json.loads(board_json.render(content.build(board, NOW)))
    assert data["wip"] == {"prototype": 3, "test": 2}  # in stage order
    assert data["rounds"] == [
        {
            "id": "r1111111",
            "stage": "idea",
            "dots": 2,
            "anonymous": True,
            "opened": "2026-11-20T00:00:00Z",
            "by": "nanna",
            "until": None,
            "closed": "2026-11-20T00:10:00Z",
            "result": {"k7q2mz4t": 4},
        },
        {
            "id": "r2222222",
            "stage": "idea",
            "dots": 3,
            "anonymous": False,
            "opened": "2026-11-27T09:15:00Z",
            "by": "nanna",
            "until": None,
            "closed": None,
            "result": {},
        },
    ]
    assert data["cards"] == [] and data["members"] == []
    assert data["sprint"] == {"start": None, "end": None, "facilitators": []}


def test_control_characters_are_escapes_and_come_back() -> None:
    board = Board.model_validate(
        {"schema": 1, "title": "Bidi \u202e here", "challenge": "esc \x1b[2J and \x9b"}
    )
    text = board_json.render(content.build(board, NOW))
    assert "\u202e" not in text and "\x1b" not in text and "\x9b" not in text
    data = json.loads(text)
    assert data["title"] == board.title and data["challenge"] == board.challenge


def test_one_line_per_member_and_card_and_the_text_is_the_document(board: Board) -> None:
    text = board_json.render(content.build(board, NOW))
    assert json.loads(text) == board_json.document(board)
    lines = text.splitlines()
    for cid in board.cards:
        (line,) = [each for each in lines if f'"id": "{cid}"' in each]
        assert json.loads(line.strip().rstrip(",")) == output.card_json(cid, board.cards[cid])
    for key in board.members:
        assert any(each.startswith(f'    {{"key": "{key}"') for each in lines)
    assert text.endswith("\n  ]\n}\n")

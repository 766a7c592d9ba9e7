"""Who may facilitate: the rule and the sentence that refuses."""

from __future__ import annotations

from pathlib import Path

from sprintboard import storage
from sprintboard.facilitation import Duty, may_facilitate, refusal
from sprintboard.model import Board, Member, Side, Sprint
from sprintboard.outline import read


def _board(facilitators: list[str]) -> Board:
    return Board.model_validate(
        {
            "schema": 1,
            "title": "T",
            "sprint": Sprint(facilitators=facilitators),
            "members": {
                "nanna": Member(name="Nanna Holm", side=Side.INTERNAL),
                "omar": Member(name="Omar Haddad", side=Side.EXTERNAL),
            },
        }
    )


def test_facilitators_by_key_or_name_others_refused_with_who_may() -> None:
    board = _board(["nanna"])
    assert may_facilitate(board, "nanna")
    assert may_facilitate(board, "nanna holm")
    assert not may_facilitate(board, "omar")
    assert not may_facilitate(board, "someone new")
    assert refusal(board, "nanna", Duty.START_ROUND) is None
    assert refusal(board, "omar", Duty.START_ROUND) == (
        "Only a facilitator (nanna) can start a vote round"
    )


def test_a_board_without_facilitators_lets_everyone_facilitate() -> None:
    board = _board([])
    assert may_facilitate(board, "omar")
    assert may_facilitate(board, "a guest nobody knows")
    assert refusal(board, "omar", Duty.TIMER) is None


def test_several_facilitators_are_all_named() -> None:
    board = _board(["nanna", "omar"])
    assert refusal(board, "guest", Duty.PRESENT) == (
        "Only a facilitator (nanna or omar) can present a card"
    )


def test_the_outline_of_a_board_answers_as_the_board_does(tmp_path: Path) -> None:
    path = tmp_path / "b.toml"
    path.write_text(storage.dumps(_board(["nanna"])))
    outline = read(path.read_text())
    assert outline is not None
    assert may_facilitate(outline, "Nanna Holm")
    assert refusal(outline, "omar", Duty.TEAM) == "Only a facilitator (nanna) can change the team"

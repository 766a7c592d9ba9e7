"""The co-creation figure and a member's involvement, on a board and on its outline."""

from __future__ import annotations

from datetime import UTC, datetime

from sprintboard import ops, storage
from sprintboard.co_creation import Hands, external_hands, involvement
from sprintboard.model import Board, Member, Side, Sprint, Stage
from sprintboard.outline import read

AT = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def _board() -> Board:
    board = Board.model_validate(
        {
            "schema": 1,
            "title": "T",
            "sprint": Sprint(facilitators=["nanna"]),
            "members": {
                "nanna": Member(name="Nanna", side=Side.INTERNAL),
                "omar": Member(name="Omar", side=Side.EXTERNAL),
                "anna": Member(name="Anna", side=Side.EXTERNAL),
            },
        }
    )
    adds = [
        ("a1", Stage.IDEA, ("nanna",)),
        ("a2", Stage.IDEA, ("nanna", "omar")),
        ("a3", Stage.IDEA, ("anna", "omar")),
        ("a4", Stage.PROTOTYPE, ()),
        ("a5", Stage.TEST, ("omar",)),
        ("a6", Stage.TEST, ("omar",)),  # archived below: not counted
    ]
    for cid, stage, by in adds:
        board = ops.apply(board, ops.AddCard("card " + cid, stage, by=by, card_id=cid, at=AT))
    board = ops.apply(board, ops.ArchiveCard("a6", at=AT))
    board = ops.apply(board, ops.Vote("a1", "omar", 3))
    return ops.apply(board, ops.Vote("a4", "omar", 1))


EXPECTED = Hands(
    total=5,
    external=3,
    per_stage={
        Stage.IDEA: (2, 3),
        Stage.PROTOTYPE: (0, 1),
        Stage.TEST: (1, 1),
        Stage.LEARNED: (0, 0),
    },
)


def test_cards_with_an_external_co_creator_overall_and_per_stage() -> None:
    assert external_hands(_board()) == EXPECTED


def test_the_outline_gives_the_same_figure_as_the_board() -> None:
    outline = read(storage.dumps(_board()))
    assert outline is not None
    assert external_hands(outline) == EXPECTED


def test_a_member_turning_external_changes_the_figure() -> None:
    board = ops.apply(_board(), ops.SetMember("nanna", "Nanna", "external"))
    hands = external_hands(board)
    assert (hands.external, hands.total) == (4, 5)
    assert hands.per_stage[Stage.IDEA] == (3, 3)


def test_an_empty_board_has_nothing_to_count() -> None:
    board = Board.model_validate({"schema": 1, "title": "T"})
    hands = external_hands(board)
    assert (hands.external, hands.total) == (0, 0)
    assert set(hands.per_stage) == set(Stage)


def test_involvement_counts_cards_archived_too_dots_and_facilitation() -> None:
    board = _board()
    omar = involvement(board, "omar")
    assert (omar.cards, omar.dots, omar.facilitator, omar.any) == (4, 4, False, True)
    nanna = involvement(board, "nanna")
    assert (nanna.cards, nanna.dots, nanna.facilitator) == (2, 0, True)
    assert not involvement(ops.apply(board, ops.SetMember("new", "New", "internal")), "new").any

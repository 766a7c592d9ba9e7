"""Three-way merge of dot-vote rounds (`merge_rounds`, through `merge`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conftest import make_board

from sprintboard import ops, rounds
from sprintboard.merge import MergeResult, merge
from sprintboard.model import Board, Round, Stage

T1 = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
T2 = T1 + timedelta(minutes=10)
T3 = T1 + timedelta(minutes=20)


def apply(board: Board, *steps: ops.Op) -> Board:
    for step in steps:
        board = ops.apply(board, step)
    return board


def both_ways(base: Board, ours: Board, theirs: Board) -> MergeResult:
    """The merge, checked to be the same board whichever side is ours."""
    one, other = merge(base, ours, theirs), merge(base, theirs, ours)
    assert one.board == other.board
    assert sorted(one.notes) == sorted(other.notes)
    return one


def opened() -> Board:
    return apply(make_board(), ops.StartRound(round_id="r4k2m9qa", dots=3, actor="nanna", at=T1))


def test_two_sides_voting_in_the_same_round_merge_cleanly() -> None:
    base = opened()
    ours = apply(
        base, ops.Vote("k7q2mz4t", "anna", 2, at=T1), ops.Vote("b3x9p0aa", "anna", 1, at=T1)
    )
    theirs = apply(base, ops.Vote("k7q2mz4t", "omar", 3, at=T1))
    result = both_ways(base, ours, theirs)
    assert result.clean and result.notes == ()
    merged = result.board
    assert merged.rounds == base.rounds
    assert merged.cards["k7q2mz4t"].votes == {"anna": 2, "omar": 3}
    assert rounds.dots_left(merged, "anna") == 0 and rounds.dots_left(merged, "omar") == 0
    assert rounds.not_voted(merged) == ["nanna"]


def test_one_side_closes_while_the_other_votes() -> None:
    base = apply(opened(), ops.Vote("k7q2mz4t", "anna", 1, at=T1))
    ours = apply(base, ops.CloseRound(actor="nanna", at=T2))
    theirs = apply(base, ops.Vote("b3x9p0aa", "omar", 2, at=T1))
    result = both_ways(base, ours, theirs)
    merged = result.board
    closed = merged.rounds["r4k2m9qa"]
    assert closed.closed == T2 and closed.result == {"k7q2mz4t": 1}  # as the close recorded it
    assert merged.cards["b3x9p0aa"].votes == {"omar": 2}  # the late dots are not lost
    assert rounds.open_round(merged) is None
    assert any("closed on one side while the other side voted" in n for n in result.notes)


def test_one_side_closes_the_other_changes_nothing_of_it() -> None:
    base = opened()
    ours = apply(base, ops.CloseRound(at=T2))
    theirs = apply(base, ops.EditCard("t3st1ng0", {"title": "Elsewhere"}, at=T1))
    result = both_ways(base, ours, theirs)
    assert result.clean and result.notes == ()
    assert result.board.rounds == ours.rounds


def test_both_close_the_earlier_close_and_its_result_win() -> None:
    base = apply(opened(), ops.Vote("k7q2mz4t", "anna", 1, at=T1))
    ours = apply(base, ops.Vote("b3x9p0aa", "omar", 2, at=T1), ops.CloseRound(at=T3))
    theirs = apply(base, ops.CloseRound(at=T2))
    result = both_ways(base, ours, theirs)
    closed = result.board.rounds["r4k2m9qa"]
    assert closed.closed == T2 and closed.result == {"k7q2mz4t": 1}
    assert any("closed on both sides" in n for n in result.notes)


def test_rounds_started_on_both_sides_are_both_kept() -> None:
    base = make_board()
    ours = apply(base, ops.StartRound(round_id="aaaaaaaa", at=T1))
    theirs = apply(base, ops.StartRound(stage=Stage.TEST, round_id="zzzzzzzz", at=T2))
    result = both_ways(base, ours, theirs)
    assert set(result.board.rounds) == {"aaaaaaaa", "zzzzzzzz"}
    assert rounds.open_round(result.board) == ("zzzzzzzz", theirs.rounds["zzzzzzzz"])
    assert any("opened last is the open round" in n for n in result.notes)


def test_a_field_changed_differently_keeps_the_one_that_sorts_first() -> None:
    base = opened()
    r = base.rounds["r4k2m9qa"]
    ours = apply(base, ops.SetRound("r4k2m9qa", r.model_copy(update={"dots": 5})))
    theirs = apply(base, ops.SetRound("r4k2m9qa", r.model_copy(update={"dots": 4})))
    result = both_ways(base, ours, theirs)
    assert result.board.rounds["r4k2m9qa"].dots == 4
    assert any("dots was changed differently" in n for n in result.notes)


def test_a_round_undone_on_one_side_and_changed_on_the_other_stays() -> None:
    base = opened()
    ours = apply(base, ops.SetRound("r4k2m9qa", None))
    theirs = apply(base, ops.CloseRound(at=T2))
    assert both_ways(base, ours, theirs).board.rounds == theirs.rounds
    # undone on one side, untouched on the other: gone
    untouched = apply(base, ops.Vote("t3st1ng0", "anna", 0, at=T1))
    assert both_ways(base, ours, untouched).board.rounds == {}


def test_merged_times_that_disagree_keep_one_sides_round_whole() -> None:
    r = Round(stage=Stage.IDEA, dots=3, opened=T1, by="n", until=T3)
    base = make_board().model_copy(update={"rounds": {"r1": r}})
    later = r.model_copy(update={"opened": T2})  # still before until
    sooner = r.model_copy(update={"until": T1 + timedelta(minutes=5)})  # still after opened
    ours = base.model_copy(update={"rounds": {"r1": later}})
    theirs = base.model_copy(update={"rounds": {"r1": sooner}})
    # field by field they would end before they open: one side's round is kept whole
    result = both_ways(base, ours, theirs)
    assert result.board.rounds["r1"] in (later, sooner)
    assert any("kept one side's" in n for n in result.notes)

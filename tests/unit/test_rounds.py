"""Dot-vote rounds: the rules (`sprintboard.rounds`) and the operations that run them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import boards

from sprintboard import ops, rounds, storage, wire
from sprintboard.model import Board, Round, Stage

from .test_ops import undo_restores

T1 = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
T2 = T1 + timedelta(minutes=5)

PROPERTY = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def started(board: Board, **options: object) -> Board:
    op = ops.StartRound(round_id="r4k2m9qa", actor="nanna", at=T1, **options)  # type: ignore[arg-type]
    return undo_restores(board, op)


def load_text(text: str) -> Board:
    return storage.parse(text, Path("boards/x.toml"))


def ids(board: Board, stage: Stage) -> list[str]:
    return [cid for cid, _ in board.column(stage)]


# --- start ---------------------------------------------------------------------------


def test_start_opens_a_round_and_clears_the_stage_dots(board: Board) -> None:
    assert board.cards["k7q2mz4t"].votes == {"omar": 2}
    after = started(board, dots=4, anonymous=True, until=T2)
    assert rounds.open_round(after) == (
        "r4k2m9qa",
        Round(stage=Stage.IDEA, dots=4, anonymous=True, opened=T1, by="nanna", until=T2),
    )
    assert after.cards["k7q2mz4t"].votes == {}  # every dot back in hand
    assert rounds.dots_left(after, "omar") == 4
    text = storage.dumps(after)
    assert text.index("[members.") < text.index("[rounds.r4k2m9qa]") < text.index("[cards.")
    assert "anonymous = true" in text and "until = 2026-12-02T10:05:00Z" in text
    assert load_text(text) == after


def test_start_keeps_dots_of_other_stages(board: Board) -> None:
    board = ops.apply(board, ops.Vote("t3st1ng0", "anna", 2))
    after = started(board, stage=Stage.IDEA)
    assert after.cards["t3st1ng0"].votes == {"anna": 2}


@pytest.mark.parametrize("dots", [0, -1, 100, 1000])
def test_start_refuses_dots_out_of_range(board: Board, dots: int) -> None:
    with pytest.raises(ops.OpError, match="between 1 and 99"):
        ops.apply(board, ops.StartRound(dots=dots, at=T1))


def test_start_refuses_an_end_not_after_it(board: Board) -> None:
    for until in (T1, T1 - timedelta(seconds=1)):
        said = until.astimezone().strftime("%H:%M")
        with pytest.raises(ops.OpError, match=f"The round's end time {said} is not in the future"):
            ops.apply(board, ops.StartRound(until=until, at=T1))


def test_start_refuses_while_one_is_open(board: Board) -> None:
    after = started(board)
    with pytest.raises(ops.OpError, match="already open"):
        ops.apply(after, ops.StartRound(stage=Stage.TEST, at=T2))


def test_start_refuses_a_bad_or_taken_id(board: Board) -> None:
    with pytest.raises(ops.OpError, match="not a valid id"):
        ops.apply(board, ops.StartRound(round_id="no spaces", at=T1))
    closed = ops.apply(started(board), ops.CloseRound(at=T2))
    with pytest.raises(ops.OpError, match="already on the board"):
        ops.apply(closed, ops.StartRound(round_id="r4k2m9qa", at=T2))


# --- votes inside a round --------------------------------------------------------------


def test_budget_across_the_stage(board: Board) -> None:
    after = started(board, dots=3)
    after = undo_restores(after, ops.Vote("k7q2mz4t", "anna", 2, at=T1))
    assert rounds.dots_used(after, "anna") == 2 and rounds.dots_left(after, "anna") == 1
    with pytest.raises(ops.OpError, match=r"You have 1 dot left in this round \(of 3\)"):
        ops.apply(after, ops.Vote("b3x9p0aa", "anna", 2, at=T1))
    after = undo_restores(after, ops.Vote("b3x9p0aa", "anna", 1, at=T1))
    assert rounds.dots_left(after, "anna") == 0
    with pytest.raises(ops.OpError, match=r"You have 0 dots left in this round \(of 3\)"):
        ops.apply(after, ops.Vote("k7q2mz4t", "anna", 3, at=T1))
    # moving dots within the budget: take one back, then give it elsewhere
    after = undo_restores(after, ops.Vote("k7q2mz4t", "anna", 1, at=T1))
    after = undo_restores(after, ops.Vote("b3x9p0aa", "anna", 2, at=T1))
    assert after.cards["b3x9p0aa"].votes == {"anna": 2}
    # the same dots again on the same card: nothing to refuse
    assert ops.apply(after, ops.Vote("b3x9p0aa", "anna", 2, at=T1)) is after


def test_the_refusal_speaks_of_the_dots_left_not_the_round_s(board: Board) -> None:
    # the plural follows what is left: none of a one-dot round's dot is "0 dots"
    after = started(board, dots=1)
    after = ops.apply(after, ops.Vote("k7q2mz4t", "anna", 1, at=T1))
    with pytest.raises(ops.OpError, match=r"^You have 0 dots left in this round \(of 1\)$"):
        ops.apply(after, ops.Vote("b3x9p0aa", "anna", 1, at=T1))


def test_vote_outside_the_stage_refused_in_a_round(board: Board) -> None:
    after = started(board)
    with pytest.raises(ops.OpError, match="This round votes on idea; card t3st1ng0 is in test"):
        ops.apply(after, ops.Vote("t3st1ng0", "anna", 1, at=T1))


def test_vote_after_until_refused(board: Board) -> None:
    after = started(board, until=T2)
    ops.apply(after, ops.Vote("k7q2mz4t", "anna", 1, at=T2 - timedelta(seconds=1)))
    local = T2.astimezone().strftime("%H:%M")
    with pytest.raises(ops.OpError, match=f"The round ended at {local}"):
        ops.apply(after, ops.Vote("k7q2mz4t", "anna", 1, at=T2))


def test_taking_dots_back_is_never_refused(board: Board) -> None:
    voted = ops.apply(board, ops.Vote("t3st1ng0", "anna", 2))
    after = started(voted, until=T2)
    after = ops.apply(after, ops.Vote("k7q2mz4t", "anna", 3, at=T1))
    late = T2 + timedelta(hours=1)
    assert ops.apply(after, ops.Vote("t3st1ng0", "anna", 0, at=late)).cards["t3st1ng0"].votes == {}
    taken = ops.apply(after, ops.Vote("k7q2mz4t", "anna", 1, at=T1))
    assert taken.cards["k7q2mz4t"].votes == {"anna": 1}


def test_vote_for_an_archived_card_refused_round_or_not(board: Board) -> None:
    archived = ops.apply(board, ops.ArchiveCard("b3x9p0aa", at=T1))
    with pytest.raises(ops.OpError, match="archived"):
        ops.apply(archived, ops.Vote("b3x9p0aa", "anna", 1))
    with pytest.raises(ops.OpError, match="archived"):
        ops.apply(started(archived), ops.Vote("b3x9p0aa", "anna", 1, at=T1))


def test_outside_a_round_votes_work_as_before(board: Board) -> None:
    after = ops.apply(board, ops.Vote("t3st1ng0", "anna", 99))
    assert after.cards["t3st1ng0"].votes == {"anna": 99}
    assert rounds.dots_left(after, "anna") is None
    closed = ops.apply(started(board), ops.CloseRound(at=T2))
    assert ops.apply(closed, ops.Vote("t3st1ng0", "anna", 50)).cards["t3st1ng0"].votes == {
        "anna": 50
    }


def test_dots_brought_in_by_a_move_count_and_never_go_below_zero(board: Board) -> None:
    voted = ops.apply(board, ops.Vote("t3st1ng0", "anna", 5))
    after = started(voted, dots=3)
    after = ops.apply(after, ops.MoveCard("t3st1ng0", Stage.IDEA, at=T1))
    assert rounds.dots_used(after, "anna") == 5 and rounds.dots_left(after, "anna") == 0
    with pytest.raises(ops.OpError, match=r"You have 0 dots left in this round \(of 3\)"):
        ops.apply(after, ops.Vote("k7q2mz4t", "anna", 1, at=T1))
    assert ops.apply(after, ops.Vote("t3st1ng0", "anna", 2, at=T1)).cards["t3st1ng0"].votes == {
        "anna": 2
    }


# --- the rules -------------------------------------------------------------------------


def test_not_voted_room_dots_and_tally(board: Board) -> None:
    assert rounds.not_voted(board) == [] and rounds.room_dots_left(board) == 0
    assert rounds.tally(board) == []
    after = started(board, dots=3)
    assert rounds.not_voted(after) == ["anna", "nanna", "omar"]
    assert rounds.room_dots_left(after) == 9
    assert rounds.tally(after) == [("k7q2mz4t", 0), ("b3x9p0aa", 0)]  # ties: board order
    after = ops.apply(after, ops.Vote("b3x9p0aa", "anna", 2, at=T1))
    after = ops.apply(after, ops.Vote("k7q2mz4t", "omar", 1, at=T1))
    assert rounds.not_voted(after) == ["nanna"]
    assert rounds.room_dots_left(after) == 6
    assert rounds.tally(after) == [("b3x9p0aa", 2), ("k7q2mz4t", 1)]


def test_the_round_opened_last_is_open_when_a_merge_brings_two(board: Board) -> None:
    first = Round(stage=Stage.IDEA, dots=3, opened=T1, by="nanna")
    second = Round(stage=Stage.TEST, dots=2, opened=T2, by="anna")
    both = board.model_copy(update={"rounds": {"zzzzzzzz": first, "aaaaaaaa": second}})
    assert rounds.open_round(both) == ("aaaaaaaa", second)
    closed = ops.apply(both, ops.CloseRound(at=T2))
    assert rounds.open_round(closed) == ("zzzzzzzz", first)  # closing again closes that one


def test_closed_rounds_newest_first(board: Board) -> None:
    b = ops.apply(started(board), ops.CloseRound(at=T2))
    b = ops.apply(b, ops.StartRound(round_id="second00", at=T2 + timedelta(minutes=1)))
    b = ops.apply(b, ops.CloseRound(at=T2 + timedelta(minutes=2)))
    assert [rid for rid, _r in rounds.closed_rounds(b)] == ["second00", "r4k2m9qa"]


def test_status_shape(board: Board) -> None:
    empty = rounds.status(board, T1)
    assert empty["open"] is False and empty["id"] is None and empty["last_result"] is None
    assert empty["used"] == {} and empty["tally"] == [] and empty["dots_left_in_room"] == 0
    after = started(board, anonymous=True, until=T2)
    after = ops.apply(after, ops.Vote("b3x9p0aa", "anna", 2, at=T1))
    data = rounds.status(after, T1)
    assert data == {
        "open": True,
        "id": "r4k2m9qa",
        "stage": "idea",
        "dots": 3,
        "anonymous": True,
        "opened": "2026-12-02T10:00:00Z",
        "by": "nanna",
        "until": "2026-12-02T10:05:00Z",
        "ended": False,
        "used": {"anna": 2},
        "not_voted": ["nanna", "omar"],
        "dots_left_in_room": 7,
        "tally": [
            {"id": "b3x9p0aa", "title": "Museum tickets on the library card", "dots": 2},
            {"id": "k7q2mz4t", "title": "Saturday art workshop at the library", "dots": 0},
        ],
        "last_result": None,
    }
    assert rounds.status(after, T2)["ended"] is True
    closed = ops.apply(after, ops.CloseRound(at=T2))
    last = rounds.status(closed, T2)
    assert last["open"] is False
    assert last["last_result"] == {
        "id": "r4k2m9qa",
        "stage": "idea",
        "dots": 3,
        "anonymous": True,
        "opened": "2026-12-02T10:00:00Z",
        "closed": "2026-12-02T10:05:00Z",
        "by": "nanna",
        "result": [{"id": "b3x9p0aa", "title": "Museum tickets on the library card", "dots": 2}],
    }
    gone = ops.apply(closed, ops.DeleteCard("b3x9p0aa"))
    assert rounds.status(gone, T2)["last_result"]["result"][0]["title"] is None


# --- close -----------------------------------------------------------------------------


def test_close_records_the_result_and_orders_the_stage(board: Board) -> None:
    after = started(board, dots=3)
    after = ops.apply(after, ops.Vote("b3x9p0aa", "anna", 2, at=T1))
    assert ids(after, Stage.IDEA) == ["k7q2mz4t", "b3x9p0aa"]
    closed = undo_restores(after, ops.CloseRound(actor="nanna", at=T2))
    assert ids(closed, Stage.IDEA) == ["b3x9p0aa", "k7q2mz4t"]
    recorded = closed.rounds["r4k2m9qa"]
    assert recorded.closed == T2 and recorded.result == {"b3x9p0aa": 2}
    assert rounds.open_round(closed) is None
    assert closed.cards["b3x9p0aa"].votes == {"anna": 2}  # votes stay on the cards
    # only the card that had to move got a new rank
    changed = [cid for cid in board.cards if closed.cards[cid].rank != after.cards[cid].rank]
    assert len(changed) == 1
    assert load_text(storage.dumps(closed)) == closed


def test_close_refused_when_none_open(board: Board) -> None:
    with pytest.raises(ops.OpError, match="No vote round is open"):
        ops.apply(board, ops.CloseRound(at=T1))


def test_close_ties_keep_their_order_and_zero_dots_go_last(board: Board) -> None:
    b = board
    for title in ("c", "d", "e", "f"):
        b = ops.apply(b, ops.AddCard(title, card_id=f"{title}0000000", at=T1))
    b = started(b, dots=5)
    before = ids(b, Stage.IDEA)
    assert before == ["k7q2mz4t", "b3x9p0aa", "c0000000", "d0000000", "e0000000", "f0000000"]
    for cid, dots in (("d0000000", 2), ("f0000000", 2), ("b3x9p0aa", 1), ("e0000000", 3)):
        b = ops.apply(b, ops.Vote(cid, "anna" if cid != "e0000000" else "omar", dots, at=T1))
    closed = undo_restores(b, ops.CloseRound(at=T2))
    assert ids(closed, Stage.IDEA) == [
        "e0000000",
        "d0000000",
        "f0000000",
        "b3x9p0aa",
        "k7q2mz4t",
        "c0000000",
    ]


def test_close_moves_only_the_voted_cards_even_many_to_one_spot(board: Board) -> None:
    b = board
    for n in range(40):
        b = ops.apply(b, ops.AddCard(f"card {n}", card_id=f"c{n:07d}", at=T1))
    b = started(b, dots=99)
    voted = [f"c{n:07d}" for n in range(10, 40)]  # after k7q2mz4t, b3x9p0aa, c0..c9
    for cid in voted:
        b = ops.apply(b, ops.Vote(cid, "anna", 1, at=T1))
    closed = undo_restores(b, ops.CloseRound(at=T2))
    column = ids(closed, Stage.IDEA)
    assert column[:30] == voted  # ties keep their order
    # the fewest moves: the twelve cards without dots go after the thirty, who stay put
    changed = {cid for cid in b.cards if closed.cards[cid].rank != b.cards[cid].rank}
    assert changed == set(column[30:]) and len(changed) == 12
    assert max(len(closed.cards[cid].rank) for cid in changed) <= 4  # no respacing


def test_close_respaces_when_the_ranks_leave_no_room(board: Board) -> None:
    # equal ranks (as a merge can leave them) leave nothing between: the column is respaced
    cards = {
        cid: card.model_copy(update={"rank": "m"}) if card.stage is Stage.IDEA else card
        for cid, card in board.cards.items()
    }
    b = started(board.model_copy(update={"cards": cards}))
    b = ops.apply(b, ops.Vote("k7q2mz4t", "anna", 1, at=T1))
    b = ops.apply(b, ops.Vote("b3x9p0aa", "anna", 2, at=T1))
    closed = undo_restores(b, ops.CloseRound(at=T2))
    assert ids(closed, Stage.IDEA) == ["b3x9p0aa", "k7q2mz4t"]


def test_close_with_a_clock_behind_the_opening_stays_valid(board: Board) -> None:
    closed = ops.apply(started(board), ops.CloseRound(at=T1 - timedelta(hours=1)))
    assert closed.rounds["r4k2m9qa"].closed == T1


# --- undo and re-apply -----------------------------------------------------------------


def test_undo_of_start_brings_the_old_dots_back(board: Board) -> None:
    after, inverse = ops.apply_with_inverse(board, ops.StartRound(at=T1))
    restored = ops.apply(after, inverse)
    assert restored.rounds == {} and restored.cards["k7q2mz4t"].votes == {"omar": 2}


def test_undo_of_close_reopens_and_puts_the_old_order_back(board: Board) -> None:
    b = ops.apply(started(board), ops.Vote("b3x9p0aa", "anna", 2, at=T1))
    closed, inverse = ops.apply_with_inverse(b, ops.CloseRound(at=T2))
    reopened = ops.apply(closed, inverse)
    assert ids(reopened, Stage.IDEA) == ["k7q2mz4t", "b3x9p0aa"]
    assert rounds.open_round(reopened) is not None and reopened == b


def test_vote_reapplied_after_someone_elses_vote_keeps_the_budget(board: Board) -> None:
    b = started(board, dots=2)
    mine = ops.Vote("k7q2mz4t", "anna", 1, at=T1)
    theirs = ops.apply(b, ops.Vote("b3x9p0aa", "anna", 1, at=T1))  # the same person, elsewhere
    assert ops.apply(theirs, mine).cards["k7q2mz4t"].votes == {"anna": 1}
    full = ops.apply(b, ops.Vote("b3x9p0aa", "anna", 2, at=T1))
    with pytest.raises(ops.OpError, match=r"You have 0 dots left in this round \(of 2\)"):
        ops.apply(full, mine)  # refused on re-apply, never lost silently


def test_close_reapplied_after_a_vote_counts_it(board: Board) -> None:
    b = started(board)
    close = ops.CloseRound(at=T2)
    voted = ops.apply(b, ops.Vote("b3x9p0aa", "omar", 3, at=T1))
    closed = ops.apply(voted, close)
    assert closed.rounds["r4k2m9qa"].result == {"b3x9p0aa": 3}


def test_set_round_puts_back_and_removes(board: Board) -> None:
    r = Round(stage=Stage.TEST, dots=2, opened=T1, by="x")
    put = ops.apply(board, ops.SetRound("abc", r))
    assert put.rounds == {"abc": r}
    assert ops.apply(put, ops.SetRound("abc", None)).rounds == {}
    with pytest.raises(ops.OpError):
        ops.apply(board, ops.SetRound("not valid", r))


def test_local_time_names_the_day_only_when_it_is_another() -> None:
    assert rounds.local_time(T2, T1) == T2.astimezone().strftime("%H:%M")
    assert rounds.local_time(T2, T1 + timedelta(days=3)) == T2.astimezone().strftime(
        "%Y-%m-%d %H:%M"
    )


def test_round_validation() -> None:
    with pytest.raises(ValueError, match="is not after opened"):
        Round(stage=Stage.IDEA, dots=3, opened=T1, by="n", until=T1)
    with pytest.raises(ValueError, match="is before opened"):
        Round(stage=Stage.IDEA, dots=3, opened=T1, by="n", closed=T1 - timedelta(seconds=1))
    with pytest.raises(ValueError):
        Round(stage=Stage.IDEA, dots=0, opened=T1, by="n")


def test_a_bad_round_in_a_file_is_one_sentence(board: Board) -> None:
    text = storage.dumps(started(board)).replace("dots = 3", "dots = 0")
    with pytest.raises(storage.BoardFileError) as caught:
        load_text(text)
    assert "round r4k2m9qa" in str(caught.value) and "dots" in str(caught.value)


# --- the queue carries the round operations ----------------------------------------------


def test_round_ops_survive_the_wire(board: Board) -> None:
    after = started(board)
    closed = ops.apply(after, ops.CloseRound(at=T2))
    for op in (
        ops.StartRound(Stage.TEST, 4, True, T2, "r4k2m9qa", "nanna", T1),
        ops.StartRound(at=T1),
        ops.CloseRound("nanna", T2),
        ops.SetRound("r4k2m9qa", closed.rounds["r4k2m9qa"]),
        ops.SetRound("r4k2m9qa", None),
        ops.Vote("k7q2mz4t", "anna", 2, at=T1),
        ops.invert(after, closed),
    ):
        assert wire.faithful(op) is not None, op
        assert wire.decode(wire.encode(op)) == op


# --- properties ------------------------------------------------------------------------


@PROPERTY
@given(board=boards(), data=st.data())
def test_round_lifecycle_undoes_exactly(board: Board, data: st.DataObject) -> None:
    """On any board: start, a few votes (some refused), close; each step undoes exactly."""
    if rounds.open_round(board) is not None:
        board = ops.apply(board, ops.CloseRound(at=T1 + timedelta(days=365 * 200)))
    stage = data.draw(st.sampled_from(list(Stage)))
    dots = data.draw(st.integers(1, 4))
    at = T1 + timedelta(days=365 * 201)
    b = undo_restores(board, ops.StartRound(stage=stage, dots=dots, at=at))
    members = sorted(b.members)
    cards = sorted(b.cards)
    for _i in range(data.draw(st.integers(0, 6))):
        if not members or not cards:
            break
        vote = ops.Vote(
            data.draw(st.sampled_from(cards)),
            data.draw(st.sampled_from(members)),
            data.draw(st.integers(0, 4)),
            at=at,
        )
        try:
            b = undo_restores(b, vote)
        except ops.OpError:
            continue
        for key in members:
            assert 0 <= (rounds.dots_left(b, key) or 0) <= dots
            assert rounds.dots_used(b, key) <= dots
    closed = undo_restores(b, ops.CloseRound(at=at))
    column = closed.column(stage)
    assert [c.dots for _cid, c in column] == sorted((c.dots for _cid, c in column), reverse=True)
    assert load_text(storage.dumps(closed)) == closed

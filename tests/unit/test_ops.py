"""Operations: every change as a value, applied by one pure function, each with its inverse."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from conftest import T0
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import boards, operations

from sprintboard import ops, rank, storage
from sprintboard.model import Board, Card, Decision, Stage

T1 = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)

PROPERTY = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ids(board: Board, stage: Stage, archived: bool = False) -> list[str]:
    return [cid for cid, _ in board.column(stage, archived=archived)]


def undo_restores(board: Board, op: ops.Op) -> Board:
    """Apply `op`, check its inverse brings `board` back exactly; the board after `op`."""
    before_text = storage.dumps(board)
    after, inverse = ops.apply_with_inverse(board, op)
    assert storage.dumps(board) == before_text, "apply changed its input"
    restored = ops.apply(after, inverse)
    assert restored == board
    assert storage.dumps(restored) == before_text
    return after


# --- add -------------------------------------------------------------------------------


def test_add_card_at_end_of_its_column(board: Board) -> None:
    op = ops.AddCard("New idea", tags=("x",), by=("anna",), body="b", actor="anna", at=T1)
    after = undo_restores(board, op)
    card = after.cards[op.card_id]
    assert ids(after, Stage.IDEA) == ["k7q2mz4t", "b3x9p0aa", op.card_id]
    assert card.title == "New idea" and card.stage is Stage.IDEA
    assert card.created == card.updated == T1
    assert card.by == ["anna"] and card.tags == ["x"] and card.body == "b"
    assert [(h.at, h.by, h.stage) for h in card.history] == [(T1, "anna", Stage.IDEA)]
    assert set(after.cards) - set(board.cards) == {op.card_id}
    assert all(after.cards[cid] is board.cards[cid] for cid in board.cards)


def test_add_card_before_and_after(board: Board) -> None:
    first = ops.AddCard("first", before="k7q2mz4t", at=T1)
    middle = ops.AddCard("middle", after="k7q2", at=T1)  # a prefix is enough
    board2 = undo_restores(board, first)
    board3 = undo_restores(board2, middle)
    assert ids(board3, Stage.IDEA) == [first.card_id, "k7q2mz4t", middle.card_id, "b3x9p0aa"]


def test_add_card_into_other_stage(board: Board) -> None:
    op = ops.AddCard("a test", stage=Stage.TEST, before="t3st1ng0", at=T1)
    after = undo_restores(board, op)
    assert ids(after, Stage.TEST) == [op.card_id, "t3st1ng0"]
    assert after.cards[op.card_id].history[0].by == "unknown"


def test_add_card_errors(board: Board) -> None:
    with pytest.raises(ops.OpError, match="card id k7q2mz4t is already on the board"):
        ops.apply(board, ops.AddCard("dup", card_id="k7q2mz4t"))
    with pytest.raises(
        ops.OpError, match=r"^'zed' is not a member of this board \(members: anna, nanna, omar\)$"
    ):
        ops.apply(board, ops.AddCard("x", by=("zed",), card_id="ab12cd34"))
    with pytest.raises(ops.OpError, match="card t3st1ng0 is in test, not in idea"):
        ops.apply(board, ops.AddCard("x", after="t3st1ng0"))
    with pytest.raises(ops.OpError, match="not both"):
        ops.apply(board, ops.AddCard("x", before="k7q2mz4t", after="b3x9p0aa"))
    with pytest.raises(ops.OpError, match=r"new card: title .* must be one line"):
        ops.apply(board, ops.AddCard("two\nlines"))
    with pytest.raises(ops.OpError, match="must not contain carriage returns"):
        ops.apply(board, ops.AddCard("ok", body="a\r\nb"))
    with pytest.raises(ops.OpError, match="no card id starts with 'nope'"):
        ops.apply(board, ops.AddCard("x", before="nope"))


def test_add_card_ids_are_random(board: Board) -> None:
    made = {ops.AddCard("x").card_id for _ in range(200)}
    assert len(made) == 200


# --- edit ------------------------------------------------------------------------------


def test_edit_card(board: Board) -> None:
    op = ops.EditCard(
        "k7q2mz4t",
        {"title": "Sunday art", "tags": ["a", "b"], "hypothesis": "x\ny", "decision": "scale"},
        at=T1,
    )
    after = undo_restores(board, op)
    card = after.cards["k7q2mz4t"]
    assert card.title == "Sunday art" and card.tags == ["a", "b"]
    assert card.hypothesis == "x\ny" and card.decision is Decision.SCALE
    assert card.updated == T1 and card.created == T0
    assert card.rank == board.cards["k7q2mz4t"].rank


def test_edit_card_without_change_is_a_no_op(board: Board) -> None:
    op = ops.EditCard("k7q2mz4t", {"title": board.cards["k7q2mz4t"].title}, at=T1)
    assert ops.apply(board, op) is board


def test_edit_card_errors(board: Board) -> None:
    with pytest.raises(ops.OpError, match="'stage' is not a field you can edit"):
        ops.apply(board, ops.EditCard("k7q2mz4t", {"stage": "test"}))
    with pytest.raises(ops.OpError, match="'rank' is not a field you can edit"):
        ops.apply(board, ops.EditCard("k7q2mz4t", {"rank": "a"}))
    with pytest.raises(ops.OpError, match=r"card k7q2mz4t: title '' must be one line"):
        ops.apply(board, ops.EditCard("k7q2mz4t", {"title": ""}))
    with pytest.raises(ops.OpError, match=r"card k7q2mz4t: title .* without control characters"):
        ops.apply(board, ops.EditCard("k7q2mz4t", {"title": "bell\x07"}))
    with pytest.raises(ops.OpError, match="card k7q2mz4t: 'ghost' is not a member"):
        ops.apply(board, ops.EditCard("k7q2mz4t", {"by": ["ghost"]}))
    with pytest.raises(ops.OpError, match="decision 'maybe' is not one of"):
        ops.apply(board, ops.EditCard("k7q2mz4t", {"decision": "maybe"}))
    with pytest.raises(ops.OpError, match="carriage returns"):
        ops.apply(board, ops.EditCard("k7q2mz4t", {"body": "a\rb"}))


def test_undo_of_an_edit_keeps_someone_elses_later_change(board: Board) -> None:
    mine = ops.EditCard("k7q2mz4t", {"title": "mine"}, at=T1)
    after, inverse = ops.apply_with_inverse(board, mine)
    theirs = ops.apply(after, ops.EditCard("k7q2mz4t", {"body": "theirs"}, at=T1))
    undone = ops.apply(theirs, inverse)
    assert undone.cards["k7q2mz4t"].title == board.cards["k7q2mz4t"].title
    assert undone.cards["k7q2mz4t"].body == "theirs"


# --- move ------------------------------------------------------------------------------


def test_move_within_column(board: Board) -> None:
    op = ops.MoveCard("b3x9p0aa", Stage.IDEA, before="k7q2mz4t", at=T1)
    after = undo_restores(board, op)
    assert ids(after, Stage.IDEA) == ["b3x9p0aa", "k7q2mz4t"]
    moved = after.cards["b3x9p0aa"]
    assert moved.updated == T1
    assert moved.history == board.cards["b3x9p0aa"].history  # same stage: no history entry
    # only the moved card changed
    assert all(after.cards[c] is board.cards[c] for c in board.cards if c != "b3x9p0aa")
    back = undo_restores(after, ops.MoveCard("b3x9p0aa", Stage.IDEA, after="k7q2mz4t", at=T1))
    assert ids(back, Stage.IDEA) == ["k7q2mz4t", "b3x9p0aa"]


def test_move_to_end_and_no_op_move(board: Board) -> None:
    op = ops.MoveCard("k7q2mz4t", Stage.IDEA, at=T1)
    after = undo_restores(board, op)
    assert ids(after, Stage.IDEA) == ["b3x9p0aa", "k7q2mz4t"]
    # already at the end: nothing changes, not even `updated`
    assert ops.apply(after, ops.MoveCard("k7q2mz4t", Stage.IDEA, at=T1)) is after
    assert ops.apply(after, ops.MoveCard("k7q2mz4t", Stage.IDEA, after="b3x9p0aa")) is after


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({}, ["p4r0t0ty", "k7q2mz4t"]),
        ({"before": "p4r0t0ty"}, ["k7q2mz4t", "p4r0t0ty"]),
        ({"after": "p4r0t0ty"}, ["p4r0t0ty", "k7q2mz4t"]),
    ],
)
def test_move_across_stages(board: Board, where: dict[str, str], expected: list[str]) -> None:
    op = ops.MoveCard("k7q2mz4t", Stage.PROTOTYPE, actor="omar", at=T1, **where)
    after = undo_restores(board, op)
    assert ids(after, Stage.PROTOTYPE) == expected
    assert ids(after, Stage.IDEA) == ["b3x9p0aa"]
    card = after.cards["k7q2mz4t"]
    assert card.stage is Stage.PROTOTYPE and card.updated == T1
    assert card.history[-1].stage is Stage.PROTOTYPE and card.history[-1].by == "omar"
    assert card.history[:-1] == board.cards["k7q2mz4t"].history


def test_move_inverse_touches_only_what_moved(board: Board) -> None:
    _, inverse = ops.apply_with_inverse(board, ops.MoveCard("k7q2mz4t", Stage.TEST, at=T1))
    assert isinstance(inverse, ops.SetCardFields)
    assert inverse.card_id == "k7q2mz4t"
    # the end of the test column is after its "m": a new rank, stage, time and history
    assert set(inverse.fields) == {"rank", "stage", "updated", "history"}
    assert inverse.fields["rank"] == "m" and inverse.fields["stage"] is Stage.IDEA


def test_move_errors(board: Board) -> None:
    with pytest.raises(ops.OpError, match="cannot be placed next to itself"):
        ops.apply(board, ops.MoveCard("k7q2mz4t", Stage.IDEA, before="k7q2mz4t"))
    with pytest.raises(ops.OpError, match="card b3x9p0aa is in idea, not in test"):
        ops.apply(board, ops.MoveCard("k7q2mz4t", Stage.TEST, after="b3x9p0aa"))
    with pytest.raises(ops.OpError, match="no card id starts with 'zz'"):
        ops.apply(board, ops.MoveCard("zz", Stage.TEST))
    with pytest.raises(ValueError):
        ops.apply(board, ops.MoveCard("k7q2mz4t", "tested"))  # type: ignore[arg-type]


@pytest.mark.parametrize("side", ["after", "before"])
def test_200_inserts_at_one_spot_respace_and_keep_order(board: Board, side: str) -> None:
    """Every new card goes to the same spot: right after A (or right before B)."""
    a, b = "k7q2mz4t", "b3x9p0aa"
    added = []
    respaced = 0
    for i in range(200):
        add = ops.AddCard(f"card {i}", card_id=f"n{i:07d}", at=T1)
        board = ops.apply(board, add)
        anchor = a if side == "after" else b
        move = ops.MoveCard(add.card_id, Stage.IDEA, at=T1, **{side: anchor})
        moved, inverse = ops.apply_with_inverse(board, move)
        assert ops.apply(moved, inverse) == board
        if isinstance(inverse, ops.Batch):  # more than the moved card got a new rank
            respaced += 1
        board = moved
        added.append(add.card_id)
        assert all(len(c.rank) <= rank.MAX_LENGTH for c in board.cards.values())
    middle = added[::-1] if side == "after" else added
    assert ids(board, Stage.IDEA) == [a, *middle, b]
    column = [c.rank for _, c in board.column(Stage.IDEA)]
    assert column == sorted(column) and len(set(column)) == len(column)
    # halving would need ~40 characters for 200 inserts: the column must have been respaced
    assert respaced >= 1
    # and respacing is rare: keys from `spread` leave room for many more inserts
    assert respaced <= 200 // 20


def test_equal_ranks_from_a_merge(board: Board) -> None:
    # two people added a card at the same spot on two machines: equal ranks
    cards = dict(board.cards)
    cards["aaaaaaaa"] = cards["b3x9p0aa"].model_copy(update={"rank": "p"})
    cards["bbbbbbbb"] = cards["b3x9p0aa"].model_copy(update={"rank": "p"})
    merged = board.model_copy(update={"cards": cards})
    assert ids(merged, Stage.IDEA) == ["k7q2mz4t", "aaaaaaaa", "bbbbbbbb", "b3x9p0aa"]

    op = ops.MoveCard("k7q2mz4t", Stage.IDEA, after="aaaaaaaa", at=T1)
    after = undo_restores(merged, op)
    assert ids(after, Stage.IDEA) == ["aaaaaaaa", "k7q2mz4t", "bbbbbbbb", "b3x9p0aa"]
    column = [c.rank for _, c in after.column(Stage.IDEA)]
    assert column == sorted(column) and len(set(column)) == len(column)

    add = ops.AddCard("between twins", after="aaaaaaaa", at=T1)
    after = undo_restores(merged, add)
    assert ids(after, Stage.IDEA) == ["k7q2mz4t", "aaaaaaaa", add.card_id, "bbbbbbbb", "b3x9p0aa"]
    column = [c.rank for _, c in after.column(Stage.IDEA)]
    assert len(set(column)) == len(column)

    # a card moved in from another column between the twins
    op = ops.MoveCard("t3st1ng0", Stage.IDEA, before="bbbbbbbb", at=T1)
    after = undo_restores(merged, op)
    assert ids(after, Stage.IDEA) == ["k7q2mz4t", "aaaaaaaa", "t3st1ng0", "bbbbbbbb", "b3x9p0aa"]


# --- archive, delete, vote -----------------------------------------------------------------


def test_archive_and_restore(board: Board) -> None:
    op = ops.ArchiveCard("k7q2mz4t", at=T1)
    after = undo_restores(board, op)
    assert after.cards["k7q2mz4t"].archived and after.cards["k7q2mz4t"].updated == T1
    assert ids(after, Stage.IDEA) == ["b3x9p0aa"]
    assert ops.apply(after, ops.ArchiveCard("k7q2mz4t", at=T1)) is after
    restored = undo_restores(after, ops.ArchiveCard("k7q2mz4t", archived=False, at=T1))
    assert not restored.cards["k7q2mz4t"].archived
    assert ids(restored, Stage.IDEA) == ["k7q2mz4t", "b3x9p0aa"]


def test_delete_card_and_put_it_back(board: Board) -> None:
    after, inverse = ops.apply_with_inverse(board, ops.DeleteCard("k7q2"))
    assert "k7q2mz4t" not in after.cards
    assert inverse == ops.PutCard("k7q2mz4t", board.cards["k7q2mz4t"])
    assert ops.apply(after, inverse) == board
    with pytest.raises(ops.OpError, match="no card id starts with 'k7q2'"):
        ops.apply(after, ops.DeleteCard("k7q2"))


def test_put_card_checks_members(board: Board) -> None:
    card = board.cards["k7q2mz4t"].model_copy(update={"by": ["ghost"]})
    with pytest.raises(ops.OpError, match="card k7q2mz4t: 'ghost' is not a member"):
        ops.apply(board, ops.PutCard("k7q2mz4t", card))


def test_vote(board: Board) -> None:
    after = undo_restores(board, ops.Vote("k7q2mz4t", "nanna", 3))
    assert after.cards["k7q2mz4t"].votes == {"nanna": 3, "omar": 2}
    assert list(after.cards["k7q2mz4t"].votes) == ["nanna", "omar"]
    changed = undo_restores(after, ops.Vote("k7q2mz4t", "omar", 5))
    assert changed.cards["k7q2mz4t"].votes == {"nanna": 3, "omar": 5}
    taken_back = undo_restores(changed, ops.Vote("k7q2mz4t", "omar", 0))
    assert taken_back.cards["k7q2mz4t"].votes == {"nanna": 3}
    assert ops.apply(taken_back, ops.Vote("k7q2mz4t", "omar", 0)) is taken_back
    assert ops.apply(taken_back, ops.Vote("k7q2mz4t", "nanna", 3)) is taken_back


def test_vote_errors(board: Board) -> None:
    with pytest.raises(ops.OpError, match="'ghost' is not a member of the board, so cannot vote"):
        ops.apply(board, ops.Vote("k7q2mz4t", "ghost", 1))
    with pytest.raises(ops.OpError, match="between 0 and 99, not 100"):
        ops.apply(board, ops.Vote("k7q2mz4t", "omar", 100))
    with pytest.raises(ops.OpError, match="between 0 and 99, not -1"):
        ops.apply(board, ops.Vote("k7q2mz4t", "omar", -1))


# --- members and the board frame -----------------------------------------------------------


def test_set_member_adds_and_replaces(board: Board) -> None:
    after = undo_restores(board, ops.SetMember("lea", "Lea", "external", "expert"))
    assert after.members["lea"].side.value == "external" and after.members["lea"].role == "expert"
    assert list(after.members) == sorted(after.members)
    replaced = undo_restores(after, ops.SetMember("anna", "Anna Karin", "external"))
    assert replaced.members["anna"].name == "Anna Karin" and replaced.members["anna"].role is None


def test_set_member_errors(board: Board) -> None:
    with pytest.raises(ops.OpError, match="member lea: side 'outside' is not one of"):
        ops.apply(board, ops.SetMember("lea", "Lea", "outside"))
    with pytest.raises(ops.OpError, match="member lea: name '' must be one line"):
        ops.apply(board, ops.SetMember("lea", "", "internal"))
    with pytest.raises(ops.OpError, match="must be a simple key"):
        ops.apply(board, ops.SetMember("le a", "Lea", "internal"))


def test_remove_member(board: Board) -> None:
    free = ops.apply(board, ops.SetMember("lea", "Lea", "external"))
    after = undo_restores(free, ops.RemoveMember("lea"))
    assert "lea" not in after.members
    with pytest.raises(ops.OpError, match="'lea' is not a member"):
        ops.apply(after, ops.RemoveMember("lea"))
    with pytest.raises(ops.OpError, match="member 'anna' is still named in cards k7q2mz4t"):
        ops.apply(board, ops.RemoveMember("anna"))
    with pytest.raises(ops.OpError, match="member 'omar' is still named in cards"):
        ops.apply(board, ops.RemoveMember("omar"))  # by on one card, a vote on another
    no_cards = board.model_copy(update={"cards": {}})
    with pytest.raises(ops.OpError, match="member 'nanna' is still named in the facilitators"):
        ops.apply(no_cards, ops.RemoveMember("nanna"))


def test_edit_board(board: Board) -> None:
    op = ops.EditBoard(
        {
            "title": "New title",
            "challenge": "HMW\nmore",
            "goal": "ten tests",
            "start": date(2027, 1, 1),
            "end": date(2027, 1, 10),
            "facilitators": ["anna", "nanna"],
            "wip": {Stage.TEST: 3, "prototype": 2},
        }
    )
    after = undo_restores(board, op)
    assert after.title == "New title" and after.goal == "ten tests"
    assert after.sprint.start == date(2027, 1, 1) and after.sprint.facilitators == ["anna", "nanna"]
    assert after.wip == {Stage.TEST: 3, Stage.PROTOTYPE: 2}
    assert after.cards is board.cards and after.members is board.members


def test_edit_board_errors(board: Board) -> None:
    with pytest.raises(ops.OpError, match="'members' is not a board field"):
        ops.apply(board, ops.EditBoard({"members": {}}))
    with pytest.raises(ops.OpError, match="facilitator 'ghost' is not a member"):
        ops.apply(board, ops.EditBoard({"facilitators": ["ghost"]}))
    with pytest.raises(ops.OpError, match="is before its start"):
        ops.apply(board, ops.EditBoard({"end": date(2026, 11, 1)}))
    with pytest.raises(ops.OpError, match=r"board: title .* must be one line"):
        ops.apply(board, ops.EditBoard({"title": "a\nb"}))
    with pytest.raises(ops.OpError, match="at least 1"):
        ops.apply(board, ops.EditBoard({"wip": {"idea": 0}}))


def test_set_card_fields_is_exact(board: Board) -> None:
    op = ops.SetCardFields("k7q2mz4t", {"title": "x", "updated": T1, "rank": "a"})
    after = undo_restores(board, op)
    card = after.cards["k7q2mz4t"]
    assert (card.title, card.updated, card.rank) == ("x", T1, "a")


def test_batch_is_one_step(board: Board) -> None:
    batch = ops.Batch(
        (
            ops.SetMember("lea", "Lea", "external"),
            ops.AddCard("with lea", by=("lea",), card_id="ab12cd34", at=T1),
            ops.Vote("ab12cd34", "lea", 2),
            ops.MoveCard("ab12cd34", Stage.LEARNED, at=T1),
        )
    )
    after = undo_restores(board, batch)
    assert after.cards["ab12cd34"].stage is Stage.LEARNED
    assert after.cards["ab12cd34"].votes == {"lea": 2}
    # a batch that fails part-way changes nothing (apply is pure)
    bad = ops.Batch((ops.SetMember("lea", "Lea", "external"), ops.DeleteCard("nope")))
    with pytest.raises(ops.OpError):
        ops.apply(board, bad)
    assert "lea" not in board.members


def test_apply_does_not_change_its_input(board: Board) -> None:
    text = storage.dumps(board)
    for op in (
        ops.AddCard("x", at=T1),
        ops.MoveCard("k7q2mz4t", Stage.TEST, at=T1),
        ops.Vote("k7q2mz4t", "nanna", 1),
        ops.EditCard("k7q2mz4t", {"tags": ["y"]}, at=T1),
        ops.DeleteCard("k7q2mz4t"),
        ops.SetMember("anna", "A", "external"),
        ops.EditBoard({"wip": {"idea": 2}}),
    ):
        ops.apply(board, op)
        assert storage.dumps(board) == text


# --- properties --------------------------------------------------------------------


@PROPERTY
@given(st.data())
def test_every_inverse_restores_the_board(data: st.DataObject) -> None:
    board = data.draw(boards(min_cards=1))
    op = data.draw(operations(board))
    after, inverse = ops.apply_with_inverse(board, op)
    assert ops.apply(after, inverse) == board
    # the inverse of the inverse redoes the op
    restored, redo = ops.apply_with_inverse(after, inverse)
    assert ops.apply(restored, redo) == after


@PROPERTY
@given(st.data())
def test_batches_of_random_ops_undo_as_one(data: st.DataObject) -> None:
    board = data.draw(boards(max_cards=4, min_cards=1))
    steps: list[ops.Op] = []
    current = board
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(operations(current))
        current = ops.apply(current, op)
        steps.append(op)
    after, inverse = ops.apply_with_inverse(board, ops.Batch(tuple(steps)))
    assert after == current
    assert ops.apply(after, inverse) == board
    assert storage.dumps(ops.apply(after, inverse)) == storage.dumps(board)


@PROPERTY
@given(
    st.integers(0, 6),
    st.lists(
        st.tuples(
            st.integers(min_value=0),
            st.sampled_from(["before", "after", "end"]),
            st.integers(min_value=0),
        ),
        min_size=1,
        max_size=60,
    ),
)
def test_random_moves_keep_the_column_in_the_asked_order(
    start: int, moves: list[tuple[int, str, int]]
) -> None:
    board = Board.model_validate({"schema": 1, "title": "moves"})
    expected: list[str] = []
    for i in range(start + 1):
        add = ops.AddCard(f"c{i}", card_id=f"c{i:07d}", at=T1)
        board = ops.apply(board, add)
        expected.append(add.card_id)
    for pick, where, anchor_pick in moves:
        card_id = expected[pick % len(expected)]
        others = [c for c in expected if c != card_id]
        if where == "end" or not others:
            op = ops.MoveCard(card_id, Stage.IDEA, at=T1)
            expected = [*others, card_id]
        else:
            anchor = others[anchor_pick % len(others)]
            op = ops.MoveCard(card_id, Stage.IDEA, at=T1, **{where: anchor})
            i = others.index(anchor) + (1 if where == "after" else 0)
            expected = [*others[:i], card_id, *others[i:]]
        board = ops.apply(board, op)
        assert ids(board, Stage.IDEA) == expected
        ranks: list[Any] = [c.rank for _, c in board.column(Stage.IDEA)]
        assert ranks == sorted(set(ranks))
        assert all(len(r) <= rank.MAX_LENGTH for r in ranks)


def test_a_card_value_is_shared_not_copied_when_untouched(board: Board) -> None:
    after = ops.apply(board, ops.Vote("k7q2mz4t", "nanna", 1))
    unchanged: Card = after.cards["b3x9p0aa"]
    assert unchanged is board.cards["b3x9p0aa"]


def test_removing_a_member_with_references_drops_them_and_one_undo_restores_all() -> None:
    from sprintboard.model import Member, Side, Sprint

    board = Board.model_validate(
        {
            "schema": 1,
            "title": "T",
            "sprint": Sprint(facilitators=["nanna", "omar"]),
            "members": {
                "nanna": Member(name="Nanna", side=Side.INTERNAL),
                "omar": Member(name="Omar", side=Side.EXTERNAL),
            },
        }
    )
    board = ops.apply(board, ops.AddCard("a", by=("omar", "nanna"), card_id="c1"))
    board = ops.apply(board, ops.AddCard("b", by=("omar",), card_id="c2"))
    board = ops.apply(board, ops.Vote("c1", "omar", 2))
    board = ops.apply(board, ops.Vote("c1", "nanna", 1))
    board = ops.apply(board, ops.ArchiveCard("c2"))
    with pytest.raises(ops.OpError, match="still named"):
        ops.apply(board, ops.RemoveMember("omar"))
    after, undo = ops.apply_with_inverse(board, ops.RemoveMember("omar", drop_references=True))
    assert "omar" not in after.members
    assert after.sprint.facilitators == ["nanna"]
    assert after.cards["c1"].by == ["nanna"]
    assert after.cards["c1"].votes == {"nanna": 1}
    assert after.cards["c2"].by == []
    assert after.cards["c1"].updated == board.cards["c1"].updated
    assert ops.apply(after, undo) == board

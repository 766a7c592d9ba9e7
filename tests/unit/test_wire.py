"""Operations as JSON for the queue: what goes in comes out equal; anything else is refused."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import boards, operations

from sprintboard import ops, wire
from sprintboard.model import Board, Stage


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_every_operation_and_its_inverse_cross_the_queue_unchanged(data: st.DataObject) -> None:
    board = data.draw(boards())
    op = data.draw(operations(board))
    after, inverse = ops.apply_with_inverse(board, op)
    for value in (op, inverse, ops.Batch((op, inverse))):
        sent = wire.faithful(value)
        assert sent is not None, value
        assert wire.decode(sent) == value
    assert ops.apply(after, wire.decode(wire.encode(inverse))) == board


def test_the_board_frame_and_whole_cards_cross_too() -> None:
    board = Board.model_validate({"schema": 1, "title": "x"})
    add = ops.AddCard("a card", stage=Stage.TEST, tags=("one",))
    board, _undo = ops.apply_with_inverse(board, add)
    frame = ops.EditBoard({"start": date(2026, 1, 5), "wip": {Stage.TEST: 2}})
    _after, undo_frame = ops.apply_with_inverse(board, frame)
    _gone, undo_delete = ops.apply_with_inverse(board, ops.DeleteCard(add.card_id))
    assert isinstance(undo_delete, ops.PutCard)
    for value in (frame, undo_frame, undo_delete):
        assert wire.faithful(value) is not None, value


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"[",
        b"{}",
        b"[" * 100_000,
        b'{"o": ["AddCard", {"title": 5}]}',
        b'{"o": ["AddCard", {"title": "x", "card_id": ["a"]}]}',
        b'{"o": ["MoveCard", {"card_id": "x", "stage": "test"}]}',  # a str, not a Stage
        b'{"o": ["Vote", {"card_id": "x", "member": "m", "dots": true}]}',  # a bool
        b'{"o": ["DeleteCard", {}]}',
        b'{"o": ["DeleteCard", {"card_id": "x", "extra": 1}]}',
        b'{"o": ["Batch", {"ops": {"u": ["x"]}}]}',
        b'{"o": ["Board", {}]}',
        b'{"o": ["__class__", {}]}',
        b'{"c": ["Board", {"schema": 1, "title": "x"}]}',
        b'{"e": ["Stage", "nowhere"]}',
        b'{"m": [[[1], 2]]}',
        b'{"t": "yesterday"}',
        b'"just a string"',
        b'{"o": ["DeleteCard", {"card_id": {"f": 1e999}}]}',
    ],
)
def test_anything_but_an_operation_is_refused(data: bytes) -> None:
    with pytest.raises(wire.WireError):
        wire.decode(data)


def test_nesting_is_bounded() -> None:
    deep: object = "x"
    for _level in range(wire.MAX_DEPTH + 2):
        deep = [deep]
    with pytest.raises(wire.WireError):
        wire.encode(ops.EditCard("x", {"body": deep}))
    assert wire.faithful(ops.EditCard("x", {"body": deep})) is None

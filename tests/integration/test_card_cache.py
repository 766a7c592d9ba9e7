"""Reading a board card by card, reusing the cards seen before, gives the same board."""

from __future__ import annotations

from pathlib import Path

import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import boards, operations

from sprintboard import ops, storage
from sprintboard.model import Board

PATH = Path("boards/x.toml")


def whole(text: str) -> Board:
    """The board as one parse of the whole text gives it: the reference."""
    return Board.model_validate(tomli.loads(text))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_reading_a_changed_file_equals_reading_it_whole(data: st.DataObject) -> None:
    board = data.draw(boards(max_cards=8, min_cards=1))
    changed = board
    for _ in range(data.draw(st.integers(1, 3))):
        changed = ops.apply(changed, data.draw(operations(changed)))
    storage.forget_cards()
    before, after = storage.dumps(board), storage.dumps(changed)
    assert storage.parse(before, PATH) == whole(before)
    assert storage.parse(after, PATH) == whole(after) == changed


def test_unchanged_cards_are_reused_and_changed_ones_parsed(tmp_path: Path) -> None:
    board = Board.model_validate({"schema": 1, "title": "T"})
    for i in range(40):
        board = ops.apply(board, ops.AddCard(f"card {i}", card_id=f"c{i:03d}"))
    storage.forget_cards()
    first = storage.parse(storage.dumps(board), PATH)
    edited = ops.apply(first, ops.EditCard("c007", {"title": "edited elsewhere"}))
    storage.forget_cards()  # as if another process wrote it
    storage.parse(storage.dumps(first), PATH)
    again = storage.parse(storage.dumps(edited), PATH)
    assert again == edited
    reread = storage.parse(storage.dumps(edited), PATH)
    assert reread.cards["c001"] is again.cards["c001"]  # not parsed again
    assert reread.cards["c007"].title == "edited elsewhere"


def test_a_table_header_line_inside_a_text_is_text(tmp_path: Path) -> None:
    board = Board.model_validate({"schema": 1, "title": "T"})
    board = ops.apply(board, ops.AddCard("first", card_id="aaaa"))
    board = ops.apply(board, ops.AddCard("second", card_id="bbbb"))
    tricky = 'notes\n[cards.zzzz]\ntitle = "not a card"\nstage = "idea"\n[members.x]'
    board = ops.apply(board, ops.EditCard("aaaa", {"body": tricky}))
    text = storage.dumps(board)
    for _ in range(2):  # cold, then with everything remembered
        parsed = storage.parse(text, PATH)
        assert parsed == whole(text) == board
        assert set(parsed.cards) == {"aaaa", "bbbb"}


def test_errors_still_point_at_their_line_after_a_good_read() -> None:
    board = Board.model_validate({"schema": 1, "title": "T"})
    board = ops.apply(board, ops.AddCard("first", card_id="aaaa"))
    text = storage.dumps(board)
    storage.parse(text, PATH)
    broken = text.replace('stage = "idea"', 'stage = "tested"')
    try:
        storage.parse(broken, PATH)
    except storage.BoardFileError as error:
        line = broken.splitlines().index('stage = "tested"') + 1
        assert str(error).startswith(f"{PATH}:{line}:1: card aaaa: stage 'tested'")
    else:
        raise AssertionError("an invalid stage was accepted")

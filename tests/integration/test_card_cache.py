"""Reading a board card by card, reusing the cards seen before, gives the same board."""

from __future__ import annotations

import re
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


def _relaid(text: str, spaces: str) -> str:
    """`text` as a person might lay it out: `spaces` around every key's "=", card
    tables included (the same board, other bytes). Lines inside a multi-line string are
    text, not keys: a body's "0 = " line stays as it is (the writer escapes quotes in a
    text, so an odd count of \"\"\" on a line opens or closes one)."""
    lines, inside = [], False
    for line in text.split("\n"):
        if not inside:
            line = re.sub(r"^([A-Za-z0-9_]+) = ", lambda m: f"{m.group(1)}{spaces}={spaces}", line)
        inside ^= line.count('"""') % 2 == 1
        lines.append(line)
    return "\n".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    board=boards(max_cards=8, min_cards=1),
    spaces=st.sampled_from(["   ", "\t", "  \t "]),
    warm=st.sampled_from(["cold", "canonical read", "messy read", "rendered"]),
)
def test_the_writer_is_canonical_whatever_the_layout_read(
    board: Board, spaces: str, warm: str
) -> None:
    # what `fmt` relies on: a board read from any layout is written as the same bytes
    # as the same board built afresh, whatever the card cache remembers
    canonical = storage.dumps(board)
    messy = _relaid(canonical, spaces)
    storage.forget_cards()
    if warm == "canonical read":
        storage.parse(canonical, PATH)
    elif warm == "messy read":
        storage.parse(messy, PATH)
    elif warm == "rendered":
        storage.dumps(board)
    assert storage.dumps(storage.parse(messy, PATH)) == canonical
    assert storage.dumps(storage.parse(messy, PATH)) == canonical  # its cards remembered now


def test_fmt_makes_spaced_card_tables_canonical(tmp_path: Path) -> None:
    board = Board.model_validate({"schema": 1, "title": "T"})
    for title in ("Alpha", "Beta"):
        board = ops.apply(board, ops.AddCard(title, card_id=title.lower()))
    path = tmp_path / "b.toml"
    path.write_text(storage.dumps(board).replace('title = "Alpha"', 'title   =   "Alpha"'))
    assert not _format_in_process(path, check=True)
    assert _format_in_process(path, check=False)
    assert path.read_text() == storage.dumps(board)
    assert _format_in_process(path, check=True)


def _format_in_process(path: Path, check: bool) -> bool:
    """`sprintboard fmt [--check] path` in this process (its card cache warm)."""
    from sprintboard import cli

    return cli.main(["fmt", *(["--check"] if check else []), str(path)]) == 0

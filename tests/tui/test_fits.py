"""Every screen fits 80×24 without cutting a word: the key bar and the cards.

The key bar leaves out whole items, the least important first; the real executable
in an 80×24 pseudo-terminal shows it, and Pilot checks the other screens' bars.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.containers import VerticalScroll

from sprintboard import storage
from sprintboard.model import Conflict, Stage
from sprintboard.tui.widgets.column import CONFLICT_MARK, Column
from sprintboard.tui.widgets.keybar import KeyBar, fitting, short_key

from .helpers import board_screen, settle, steady_app
from .terminal import sprintboard

SMALL = (80, 24)


def test_items_that_do_not_fit_are_left_out_whole_least_important_first() -> None:
    items = [("a", "one", True), ("b", "two", True), ("c", "three", True), ("^p", "palette", True)]
    ranks = [0, 2, 1, 99]
    assert fitting(items, ranks, 100) == [0, 1, 2, 3]
    assert fitting(items, ranks, 25) == [0, 1, 2]  # "a one  b two  c three" is 21 cells
    assert fitting(items, ranks, 16) == [0, 2]  # "two" ranks lowest of the rest
    assert fitting(items, ranks, 4) == []
    assert short_key("shift+→") == "⇧→"
    assert short_key("^p") == "^p"


def bar_text(app: Any) -> tuple[str, int]:
    """What the key bar of the screen on top shows, and the cells it has for it."""
    bar = app.screen.query_one(KeyBar)
    return str(bar.render()), bar.content_region.width


@pytest.mark.parametrize(
    "keys",
    [[], ["e"], ["enter"], ["question_mark"], ["slash"]],
    ids=["board", "editor", "card", "help", "filter"],
)
async def test_every_screens_key_bar_fits_80x24_in_whole_items(
    board_file: Path, keys: list[str]
) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        text, room = bar_text(app)
        bar = app.screen.query_one(KeyBar)
        assert cell_len(text) <= room, text
        assert "…" not in text
        shown = [f"{keys} {what}" for keys, what, _ in bar.entries()] + ["^p palette"]
        for item in text.split("  "):
            assert item in shown, f"{item!r} is not a whole item of {shown}"
        if not keys:  # the board: the keys a newcomer needs stay
            for needed in ("⇧← ⇧→ Move", "? Help", "q Quit"):
                assert needed in text


async def test_the_key_bar_gives_room_back_when_the_terminal_widens(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert "palette" not in bar_text(app)[0]
        await pilot.resize_terminal(120, 30)
        await settle(pilot)
        assert bar_text(app)[0].endswith("q Quit  ^p palette")


def test_the_executable_at_80x24_shows_whole_footer_items(tmp_path: Path, board_file: Path) -> None:
    terminal = sprintboard(tmp_path, "open", str(board_file), size=SMALL, SPRINTBOARD_USER="nanna")
    try:

        def footer() -> str:
            return terminal.screen.row(SMALL[1] - 1)

        terminal.wait_until(lambda: "Move" in footer(), 30, "the board's footer")
        assert "…" not in footer()
        assert footer().strip().startswith("⇧← ⇧→ Move  n New  e Edit")
        challenge = terminal.screen.row(1)  # cut after a whole word
        assert challenge.endswith(" museum places where…"), challenge
        titles = terminal.screen.row(2)  # the columns' top borders
        assert "…" not in titles and "prototype 3/2!" in titles, titles
        terminal.send("e")
        terminal.wait_until(lambda: "Save" in footer(), 10, "the editor's footer")
        assert "…" not in footer()
    finally:
        terminal.close()


def column_text(column: Column) -> str:
    height = column.scrollable_content_region.height
    return "\n".join(column.render_line(y).text for y in range(height))


async def test_a_card_to_decide_keeps_its_tags_and_initials_at_80x24(board_file: Path) -> None:
    board = storage.load(board_file).board
    card = board.cards["aaaa0001"]  # #culture #library, by Nanna Holm and Birthe Sørensen
    marked = card.model_copy(update={"conflicts": {"title": Conflict(ours=card.title, theirs="x")}})
    storage.save(
        board_file, board.model_copy(update={"cards": {**board.cards, "aaaa0001": marked}})
    )
    app = steady_app(board_file)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        rows = [
            row.strip("▌ ")
            for row in column_text(board_screen(app).column(Stage.IDEA)).splitlines()
        ]
        assert rows[0].startswith("Saturday art")
        assert rows[1] == CONFLICT_MARK
        assert "#cul" in rows[2] and "NH BS" in rows[2] and "●●●" in rows[2]


async def test_column_titles_shorten_rather_than_cut_a_word(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"#music", "enter")
        await settle(pilot)
        screen = board_screen(app)
        titles = {column.stage: str(column.border_title) for column in screen.columns}
        assert titles[Stage.PROTOTYPE] == "prototype 1!"  # "1 of 3/2 !" has no room
        assert titles[Stage.IDEA] == "idea 0 of 3"
        for column in screen.columns:
            assert len(str(column.border_title)) <= column.outer_size.width - 6
        await pilot.resize_terminal(120, 30)
        await settle(pilot)
        assert screen.column(Stage.PROTOTYPE).border_title == "prototype 1 of 3/2 !"


@pytest.mark.parametrize("keys", [["question_mark"], ["l", "enter"]], ids=["help", "card"])
async def test_a_dialog_that_scrolls_keeps_its_last_row_above_its_border(
    board_file: Path, keys: list[str]
) -> None:
    """The help and an opened card, longer than 80×24: the scroll area ends inside the
    dialog, so its last line can be scrolled into view (it was drawn under the border)."""
    board = storage.load(board_file).board
    card = board.cards["bbbb0001"]
    long = card.model_copy(update={"body": "\n".join(f"line {n}" for n in range(1, 31))})
    storage.save(board_file, board.model_copy(update={"cards": {**board.cards, "bbbb0001": long}}))
    app = steady_app(board_file)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        dialog = app.screen.query_one("#dialog")
        scroll = dialog.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0  # it does scroll
        assert dialog.content_region.contains_region(scroll.region), (dialog, scroll.region)

"""The board beyond single keys: failed saves, broken files, keymap, palette, mouse, $EDITOR."""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import Static, TextArea

from sprintboard import storage
from sprintboard.model import Stage
from sprintboard.tui.screens.card_editor import CardEditor, clean_text, split_tags
from sprintboard.tui.screens.card_view import CardView
from sprintboard.tui.widgets.column import CARD_HEIGHT

from .helpers import board_screen, focused_column, settle, steady_app

SIZE = (100, 30)


def read_only(path: Path) -> None:
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


async def test_a_failed_save_is_shown_and_the_change_kept_until_it_can_be_written(
    board_file: Path,
) -> None:
    before = board_file.read_bytes()
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = board_screen(app)
        read_only(board_file)
        await pilot.press("L")
        await settle(pilot)
        assert board_file.read_bytes() == before  # not written ...
        assert screen.live.session.pending == 1  # ... but kept
        assert screen.live.session.board is not None
        assert screen.live.session.board.cards["aaaa0001"].stage is Stage.PROTOTYPE
        banner = screen.query_one("#banner", Static)
        assert banner.display
        assert "read-only" in str(banner.render())
        assert "1 change kept" in str(banner.render())
        assert focused_column(app).card_id == "aaaa0001"  # still shown where it was put

        board_file.chmod(0o644)
        screen.live.check_file()  # what the watcher and the safety net do
        await settle(pilot)
        assert storage.load(board_file).board.cards["aaaa0001"].stage is Stage.PROTOTYPE
        assert screen.live.session.pending == 0
        assert not banner.display


async def test_quitting_with_unsaved_changes_warns_first(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        read_only(board_file)
        await pilot.press("L")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert app.is_running  # told, not gone
        await pilot.press("q")  # asked again: leave
        await pilot.pause()
        assert app.return_code == 1


async def test_an_invalid_file_shows_where_it_is_wrong_and_opens_once_fixed(
    board_file: Path,
) -> None:
    good = board_file.read_text()
    board_file.write_text(good.replace('stage = "test"', 'stage = "testing"'))
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = board_screen(app)
        assert screen.has_class("-broken")
        problem = str(screen.query_one("#problem", Static).render())
        assert f"{board_file}:" in problem and "'testing' is not one of" in problem
        await pilot.press("L", "n", "e", "d")  # nothing to act on, nothing breaks
        await settle(pilot)
        assert app.screen is screen

        board_file.write_text(good)
        screen.live.check_file()
        await settle(pilot)
        assert not screen.has_class("-broken")
        assert focused_column(app).card_id == "aaaa0001"


async def test_a_file_changed_by_someone_else_shows_up_and_keeps_the_cursor(
    board_file: Path,
) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down")
        text = board_file.read_text().replace(
            "Museum tickets on the library card", "Museum tickets for free"
        )
        board_file.write_text(text)
        board_screen(app).live.check_file()
        await settle(pilot)
        column = focused_column(app)
        assert column.card_id == "aaaa0002"
        assert column.cards[1][1].title == "Museum tickets for free"


async def test_keys_can_be_remapped_with_the_keymap(board_file: Path) -> None:
    app = steady_app(board_file, keymap={"board.move-right": "ctrl+l", "board.undo": "z"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L")  # no longer bound
        await settle(pilot)
        assert storage.load(board_file).board.cards["aaaa0001"].stage is Stage.IDEA
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert storage.load(board_file).board.cards["aaaa0001"].stage is Stage.PROTOTYPE
        await pilot.press("z")
        await settle(pilot)
        assert storage.load(board_file).board.cards["aaaa0001"].stage is Stage.IDEA


async def test_every_board_action_is_in_the_command_palette(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = board_screen(app)
        from sprintboard.tui.commands import BoardCommands

        provider = BoardCommands(screen)
        titles = {title for title, _, _ in provider._commands()}
        for binding in screen.BINDINGS:
            assert not isinstance(binding, tuple)
            if binding.action in ("clear_filter", "redo", "undo"):
                continue  # offered only when they can do something
            assert binding.tooltip in titles, binding.action
        await pilot.press("ctrl+p")
        await pilot.press(*"next stage")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert storage.load(board_file).board.cards["aaaa0001"].stage is Stage.PROTOTYPE


async def test_a_click_selects_a_card_and_a_second_click_opens_it(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = board_screen(app)
        test = screen.column(Stage.TEST)
        await pilot.click(test, offset=(3, 2))
        await pilot.pause()
        assert focused_column(app) is test
        assert test.card_id == "cccc0001"
        assert not isinstance(app.screen, CardView)
        await pilot.click(test, offset=(3, 2))
        await pilot.pause()
        assert isinstance(app.screen, CardView)
        await pilot.press("escape")
        idea = screen.column(Stage.IDEA)
        await pilot.click(idea, offset=(3, 1 + 2 * CARD_HEIGHT), times=2)
        await pilot.pause()
        assert idea.card_id == "aaaa0003"
        assert isinstance(app.screen, CardView)


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script as $EDITOR")
async def test_long_text_can_be_edited_in_the_editor_program(
    board_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = tmp_path / "fake-editor"
    editor.write_text('#!/bin/sh\nprintf "We saw\\nten families\\n" > "$1"\n')
    editor.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        editor_screen = app.screen
        assert isinstance(editor_screen, CardEditor)
        area = editor_screen.query_one("#observed", TextArea)
        area.focus()
        await pilot.press("ctrl+o")
        assert area.text == "We saw\nten families"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert storage.load(board_file).board.cards["aaaa0001"].observed == "We saw\nten families"


def test_editor_text_helpers() -> None:
    assert split_tags(" culture,  kids ,,culture, low  cost") == ["culture", "kids", "low cost"]
    assert clean_text("a\r\nb\n\n") == "a\nb"


async def test_a_board_of_5000_cards_opens_scrolls_and_moves_without_widgets_per_card(
    boards_dir: Path,
) -> None:
    sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
    try:
        from benchlib import make_board
    finally:
        sys.path.pop(0)
    path = boards_dir / "big.toml"
    storage.save(path, make_board(5000))
    app = steady_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = board_screen(app)
        assert len(list(screen.query("*"))) < 60  # columns draw cards, not widgets
        column = focused_column(app)
        assert len(column.cards) > 1500
        started = time.perf_counter()
        await pilot.press("end")
        assert column.cursor == len(column.cards) - 1
        await pilot.press("pageup", "L")
        elapsed = time.perf_counter() - started
        moved = focused_column(app)
        assert moved.stage is Stage.PROTOTYPE
        assert moved.cursor == len(moved.cards) - 1
        await settle(pilot)
        assert elapsed < 5, elapsed  # generous: a smoke test, bench/tui.py measures
    if os.environ.get("SPRINTBOARD_TIMINGS"):
        print(f"5000 cards: end, pageup, L in {elapsed * 1000:.0f} ms")

"""Keys in bursts, in the app: all queued at once, as a terminal delivers a paste.

`pilot.press` waits for the app after every key, which hides races; `burst` posts
all the keys first and waits only at the end. (The same bursts through the real
executable in a pty are in test_bursts.py.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import events
from textual.widgets import Input, TextArea

from sprintboard import storage
from sprintboard.model import Board, Stage
from sprintboard.tui.screens.card_editor import CardEditor
from sprintboard.tui.screens.discard import DiscardChanges
from sprintboard.tui.screens.new_card import NewCardPrompt

from .helpers import board_screen, focused_column, settle, steady_app

SIZE = (100, 30)
NAMED = {
    " ": ("space", " "),
    ",": ("comma", ","),
    "tab": ("tab", "\t"),
    "enter": ("enter", "\r"),
    "escape": ("escape", "\x1b"),
    "ctrl+s": ("ctrl+s", None),
}


def burst(app: Any, *keys: str) -> None:
    """Queue `keys` (characters, or names in NAMED) all at once, waiting for none."""
    for key in keys:
        name, character = NAMED.get(key, (key, key))
        app.post_message(events.Key(name, character))


def on_disk(path: Path) -> Board:
    return storage.load(path).board


async def test_text_and_ctrl_s_in_one_burst_are_all_saved(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for round_ in range(5):
            await pilot.press("e")
            assert isinstance(app.screen, CardEditor)
            burst(app, "tab", ",", " ", *f"sofie{round_}", "ctrl+s")
            await settle(pilot)
            assert not isinstance(app.screen, CardEditor)
            tags = on_disk(board_file).cards["aaaa0001"].tags
            assert tags == ["culture", "library", *(f"sofie{n}" for n in range(round_ + 1))]


async def test_a_burst_that_opens_the_editor_types_into_it(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "e", *" today", "ctrl+s")
        await settle(pilot)
        title = on_disk(board_file).cards["aaaa0001"].title
        assert title == "Saturday art workshop at the library today"


async def test_a_new_card_typed_and_entered_in_one_burst(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "n", *"Fast card", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, NewCardPrompt)
        titles = [card.title for _, card in on_disk(board_file).column(Stage.IDEA)]
        assert "Fast card" in titles
        column = focused_column(app)
        assert column.card_id is not None
        assert on_disk(board_file).cards[column.card_id].title == "Fast card"


async def test_keys_right_after_a_dialog_closes_act_on_the_board(board_file: Path) -> None:
    # enter closes the prompt by a message (Input.Submitted) that bubbles up to the
    # dialog after the key itself is done: the e behind it must wait for that too
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "n", *"Fast card", "enter", "e", *" edited", "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, NewCardPrompt | CardEditor)
        titles = [card.title for _, card in on_disk(board_file).column(Stage.IDEA)]
        assert "Fast card edited" in titles


async def test_escape_asks_before_unsaved_typing_is_thrown_away(board_file: Path) -> None:
    before = board_file.read_bytes()
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "e", *" draft", "escape", "escape")  # escape twice: back to the editor
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, CardEditor)
        assert editor.query_one("#title", Input).value.endswith(" draft")
        burst(app, "escape", "n")  # n keeps editing too
        await settle(pilot)
        assert app.screen is editor
        burst(app, "escape", "enter")  # enter: the focused "Keep editing"
        await settle(pilot)
        assert app.screen is editor
        burst(app, "escape", "d")
        await settle(pilot)
        assert not isinstance(app.screen, (CardEditor, DiscardChanges))
        assert board_file.read_bytes() == before


async def test_escape_without_changes_just_closes(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "e", "tab", "tab", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, (CardEditor, DiscardChanges))


async def test_tab_into_a_field_puts_the_cursor_at_its_end(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        editor = app.screen
        title = editor.query_one("#title", Input)
        assert title.selection.is_empty and title.cursor_position == len(title.value)
        await pilot.press("tab")
        tags = editor.query_one("#tags", Input)
        assert tags.has_focus
        assert tags.selection.is_empty and tags.cursor_position == len(tags.value)
        await pilot.press("tab", "tab")
        body = editor.query_one("#body", TextArea)
        assert body.has_focus
        assert body.selection.is_empty and body.cursor_location == body.document.end


async def test_a_burst_of_moves_acts_on_the_card_each_left_selected(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = on_disk(board_file)
        burst(app, "L", "L", "escape")  # into test: the experiment's nudge, skipped
        await settle(pilot)
        after = on_disk(board_file)
        moved = {k for k, card in after.cards.items() if card.stage != before.cards[k].stage}
        assert moved == {"aaaa0001"}
        assert after.cards["aaaa0001"].stage is Stage.TEST
        assert focused_column(app).card_id == "aaaa0001"
        assert board_screen(app).current_column.stage is Stage.TEST


async def test_a_burst_of_column_steps_goes_as_far_as_typed(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "l", "l", "l")
        await settle(pilot)
        assert focused_column(app).stage is Stage.LEARNED
        assert board_screen(app).current_column.stage is Stage.LEARNED
        burst(app, "h", "j", "l")  # a cursor key right behind a column step
        await settle(pilot)
        assert focused_column(app).stage is Stage.LEARNED


async def test_keys_after_q_in_a_burst_are_ignored(board_file: Path) -> None:
    before = board_file.read_bytes()
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "q", "u", "e", "n", "e")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running
    assert board_file.read_bytes() == before


async def test_keys_while_quitting_waits_for_the_save_are_ignored(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "L", "q", "u", "e")
        await pilot.pause()
    assert app.return_code == 0
    assert on_disk(board_file).cards["aaaa0001"].stage is Stage.PROTOTYPE

"""User text on the app's screens: never markup, never raw control characters.

A board comes from anyone who can push to the repository. Its titles and texts may look
like Rich markup ("[/nope] x" used to crash the app when such a card was archived) or
hold escape sequences ("\\x1b]0;pwned\\x07\\x1b[2J" used to retitle the terminal and
clear it). The app shows both literally: Pilot tests check what the widgets hold, and
the real executable in a pty checks the bytes the terminal receives.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from safety import HOSTILE, assert_no_user_escapes, raw_controls
from textual.pilot import Pilot
from textual.widgets import Input, Label, OptionList, Static, TextArea

from sprintboard import storage
from sprintboard.model import Conflict, Stage
from sprintboard.safe_text import visible
from sprintboard.tui.app import SprintboardApp
from sprintboard.tui.screens.card_editor import CardEditor
from sprintboard.tui.screens.card_view import CardView
from sprintboard.tui.widgets.header import SprintHeader

from .helpers import board_screen, settle, steady_app
from .terminal import EXECUTABLE, Terminal, clean_env
from .test_live import someone

UNCLOSED = "[/nope] x"
STYLED = "[bold red]x[/]"
ESCAPES = "\x1b]0;pwned\x07\x1b[2J"
LINE = "\x9b2J \u202eevil\u2066 \x85 [/nope]"
"""What a title may hold (no C0 controls): a C1 CSI, bidi controls, NEL, markup."""
TEXT = HOSTILE.replace("\r", "")


def hostile_board(path: Path) -> None:
    """The fixture board with markup and controls in its frame and on three cards."""
    board = storage.load(path).board
    board = board.model_copy(update={"title": LINE, "challenge": TEXT, "goal": TEXT})
    cards = dict(board.cards)
    cards["aaaa0001"] = cards["aaaa0001"].model_copy(
        update={"title": UNCLOSED, "body": TEXT, "hypothesis": TEXT, "tags": [LINE]}
    )
    first_prototype = next(cid for cid, c in board.column(Stage.PROTOTYPE))
    cards[first_prototype] = cards[first_prototype].model_copy(update={"title": STYLED})
    third = next(cid for cid, _ in board.column(Stage.TEST))
    cards[third] = cards[third].model_copy(update={"title": LINE})
    storage.save(path, board.model_copy(update={"cards": cards}))


@asynccontextmanager
async def on_hostile_board(
    board_file: Path, size: tuple[int, int] = (120, 40), *, notifications: bool = False
) -> AsyncIterator[tuple[SprintboardApp, Pilot[Any]]]:
    """The app, settled, on the fixture board made hostile by `hostile_board`."""
    hostile_board(board_file)
    app = steady_app(board_file)
    async with app.run_test(size=size, notifications=notifications) as pilot:
        await settle(pilot)
        yield app, pilot


def notices(app: Any) -> list[str]:
    return [f"{n.title}\n{n.message}" for n in app._notifications]


async def test_archiving_a_card_titled_like_markup_does_not_crash(board_file: Path) -> None:
    async with on_hostile_board(board_file, (120, 40), notifications=True) as (app, pilot):
        screen = board_screen(app)
        assert screen.current_column.card_id == "aaaa0001"
        await pilot.press("d")  # archive
        await settle(pilot)
        assert storage.load(board_file).board.cards["aaaa0001"].archived
        assert any(UNCLOSED in text for text in notices(app)), notices(app)
        await pilot.pause(0.2)  # the notice is drawn: a MarkupError would end the app
        assert app.is_running


async def test_a_card_archived_from_the_command_line_while_selected(board_file: Path) -> None:
    async with on_hostile_board(board_file, (120, 40), notifications=True) as (app, pilot):
        screen = board_screen(app)
        assert screen.current_column.card_id == "aaaa0001"
        await someone("archive", str(board_file), "aaaa0001")  # the command line, as bob
        screen.live.check_file()
        await settle(pilot)
        assert any(f"“{UNCLOSED}” was archived" in text for text in notices(app)), notices(app)
        await pilot.pause(0.2)
        assert app.is_running


async def test_notices_show_markup_literally(board_file: Path) -> None:
    async with on_hostile_board(board_file, (120, 40), notifications=True) as (app, pilot):
        await pilot.press("right", "d")  # archive the card titled "[bold red]x[/]"
        await settle(pilot)
        await pilot.pause(0.2)
        toasts = list(app.screen.query("Toast"))
        assert toasts, "no notice shown"
        shown = "".join(str(toast.render()) for toast in toasts)
        assert STYLED in shown, shown


async def test_screens_hold_visible_escapes_and_no_controls(board_file: Path) -> None:
    async with on_hostile_board(board_file, (160, 50)) as (app, pilot):
        header = app.screen.query_one(SprintHeader)
        title = str(header.query_one("#title", Label).render())
        challenge = str(header.query_one("#challenge", Label).render())
        assert "\\x9b2J" in title and "\\u202eevil" in title and "[/nope]" in title
        assert "\\x1b]0;pwned\\x07\\x1b[2J" in challenge
        await pilot.press("enter")  # the card view
        await settle(pilot)
        assert isinstance(app.screen, CardView)
        text = str(app.screen.query_one("#card-text", Static).render())
        assert "\\x1b]0;pwned\\x07\\x1b[2J" in text and "\x1b" not in text
        assert str(app.screen.query_one("#card-title", Label).render()) == UNCLOSED
        await pilot.press("e")  # the editor: what it shows, and that saving keeps the text
        await settle(pilot)
        assert isinstance(app.screen, CardEditor)
        assert "\x1b" not in app.screen.query_one("#title", Input).value
        for area in app.screen.query(TextArea):
            assert "\x1b" not in area.text and "\x9b" not in area.text


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_the_terminal_receives_no_escape_from_the_board(tmp_path: Path, board_file: Path) -> None:
    """The real executable: the board, a card, its editor and the help, in a pty."""
    path = board_file
    hostile_board(path)
    env = clean_env(tmp_path, SPRINTBOARD_USER="nanna")
    terminal = Terminal([str(EXECUTABLE), "open", str(path)], env, tmp_path, (160, 45))
    try:
        terminal.wait_until(lambda: b"pwned" in terminal.output, 30, "the board")
        for keys, sign in (
            ("\r", b"Co-created"),  # the card view
            ("e", b"Edit card"),  # the editor, with the text in its inputs
            ("\x1b", None),
            ("\x1b", None),
            ("?", b"Command palette: find any action"),  # help
            ("\x1b", None),
            ("d", b"u undoes"),  # archive "[/nope] x": a notice naming it
        ):
            terminal.send(keys)
            if sign is not None:
                terminal.wait_until(terminal.wrote(sign), 10, repr(sign))
            else:
                terminal.read(0.3)
        terminal.send("q")
        terminal.wait_until(lambda: terminal.process.poll() is not None, 10, "the app to quit")
    finally:
        terminal.close()
    output = terminal.output
    assert_no_user_escapes(output)
    assert b"\\x1b]0;pwned\\x07\\x1b[2J" in output  # shown, as escapes
    assert terminal.process.returncode == 0


async def test_the_editor_keeps_text_it_shows_as_escapes_unless_edited(board_file: Path) -> None:
    """Saving a card whose body holds ESC changes only what the user typed into."""
    async with on_hostile_board(board_file, (120, 40)) as (app, pilot):
        await pilot.press("e")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, CardEditor)
        assert editor.query_one("#body", TextArea).text == visible(TEXT, lines=True)
        assert editor.changes() == {}  # shown as escapes, not changed
        await pilot.press("end", *" y", "ctrl+s")  # the title only
        await settle(pilot)
        card = storage.load(board_file).board.cards["aaaa0001"]
        assert card.title == UNCLOSED + " y"
        assert card.body == TEXT and card.hypothesis == TEXT and card.tags == [LINE]


async def test_the_picker_shows_hostile_file_names_and_errors_as_escapes(boards_dir: Path) -> None:
    from .helpers import FIXTURES

    named = boards_dir / "\x1b]0;pwned\x07\u202e.toml"
    named.write_bytes((FIXTURES / "board.toml").read_bytes())
    hostile_board(named)
    (boards_dir / "bad.toml").write_text(
        'schema = 1\ntitle = "t"\n"\\u001b[2J\\u009b" = 1\n', encoding="utf-8"
    )
    app = steady_app(None, boards_dir=boards_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        options = app.screen.query_one("#boards", OptionList)
        prompts = [str(option.prompt) for option in options.options if option.prompt]
        shown = "\n".join(prompts)
        assert "\\x1b]0;pwned\\x07\\u202e.toml" in shown
        assert "\\x1b[2J\\x9b" in shown and "\\x9b2J" in shown
        assert raw_controls(shown) == []


async def test_conflict_sides_and_the_deciding_editor_show_escapes(board_file: Path) -> None:
    board = storage.load(board_file).board
    card = board.cards["aaaa0001"].model_copy(
        update={
            "body": TEXT,
            "conflicts": {"body": Conflict(ours=TEXT, theirs=STYLED + ESCAPES)},
        }
    )
    storage.save(board_file, board.model_copy(update={"cards": {**board.cards, "aaaa0001": card}}))
    app = steady_app(board_file)
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CardView)
        sides = [str(pane.render()) for pane in app.screen.query(".side").results(Static)]
        assert sides == [visible(TEXT, lines=True), visible(STYLED + ESCAPES, lines=True)]
        await pilot.press("3")  # edit the field to decide it
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, CardEditor) and editor.decide == "body"
        hint = str(editor.query_one(".hint", Label).render())
        assert "\\x1b]0;pwned" in hint and raw_controls(hint) == []
        await pilot.press("ctrl+s")  # saving unchanged keeps the body's own text
        await settle(pilot)
        saved = storage.load(board_file).board.cards["aaaa0001"]
        assert saved.body == TEXT and not saved.conflicts


async def test_ctrl_c_says_how_to_quit_without_markup(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert notices(app) == ["Do you want to quit?\nPress q to quit the app"]


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script as $EDITOR")
async def test_text_back_from_the_editor_program_shows_escapes(
    board_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = tmp_path / "fake-editor"
    editor.write_text('#!/bin/sh\nprintf "a\\033]0;pwned\\007b\\n" > "$1"\n')
    editor.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    app = steady_app(board_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        area = app.screen.query_one("#observed", TextArea)
        area.focus()
        await pilot.press("ctrl+o")
        assert area.text == "a\\x1b]0;pwned\\x07b"

"""A guest's app (`open --guest`): what reaches outside the board is off, and hidden.

Each off action is tried by its key and by name (`run_action`, the palette's way),
and the same in an ordinary app shows the test would see it work. The real
executable (signals, a dropped terminal, a burst, presence) is in
test_guest_terminal.py; the `open --guest` command line is in tests/cli.
"""

from __future__ import annotations

import stat
import webbrowser
from pathlib import Path
from typing import Any

import pytest
from integration.git_repo import Repo, isolate_git
from textual.widgets import Input, TextArea

from sprintboard import storage
from sprintboard.git import setup as git_setup
from sprintboard.model import Stage
from sprintboard.storage.locks import lock_path
from sprintboard.tui import guest
from sprintboard.tui.commands import BoardCommands
from sprintboard.tui.screens.board import BoardScreen
from sprintboard.tui.screens.card_editor import CardEditor
from sprintboard.tui.screens.card_view import CardView
from sprintboard.tui.screens.export_dialog import ExportDialog
from sprintboard.tui.screens.git_setup import GitSetupOffer
from sprintboard.tui.screens.help import HelpScreen
from sprintboard.tui.screens.nudge import NudgeDialog
from sprintboard.tui.widgets.keybar import KeyBar

from .helpers import board_screen, focused_column, settle, steady_app
from .test_conflicts_app import clone_with_board, notes, remote_git

SIZE = (100, 30)
CARD = "aaaa0001"
"""The first idea of the fixture board ("Saturday art workshop at the library")."""


def guest_app(path: Path, **options: Any) -> Any:
    return steady_app(path, actor=options.pop("actor", "birthe"), guest=True, **options)


def on_disk(path: Path) -> Any:
    return storage.load(path).board


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$EDITOR: a real program that leaves a mark when it runs; the mark's path."""
    mark = tmp_path / "editor-ran"
    script = tmp_path / "editor.sh"
    script.write_text(f'#!/bin/sh\ntouch "{mark}"\necho "from the editor" > "$1"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.delenv("VISUAL", raising=False)
    return mark


# --- the rule, without the app -------------------------------------------------------------


def test_hidden_takes_every_spelling_of_the_boards_folder_out(tmp_path: Path) -> None:
    folder = tmp_path / "srv" / "boards"
    folder.mkdir(parents=True)
    (tmp_path / "link").symlink_to(folder)
    hidden = guest.Hidden(tmp_path / "link" / "family.toml")
    for spelling in (tmp_path / "link", folder):
        text = f"{spelling}/family.toml: [Errno 13] Permission denied: '{spelling}/.x.lock'"
        assert hidden(text) == "family.toml: [Errno 13] Permission denied: '.x.lock'"
    assert hidden("no path here") == "no path here"
    assert hidden.name == "family.toml"


def test_off_is_only_for_a_guests_app() -> None:
    class App:
        def __init__(self, is_guest: bool) -> None:
            self.guest = is_guest

    for action in guest.OFF:
        assert guest.off(App(True), action)
        assert not guest.off(App(False), action)
    assert not guest.off(App(True), "move_right")


# --- off, by key and by name ----------------------------------------------------------------


async def test_export_is_off_for_a_guest(board_file: Path) -> None:
    app = guest_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        screen = board_screen(app)
        assert await app.run_action("export_report", screen) is False
        screen.action_export_report()  # a direct call (a command's callback) does nothing too
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    # the same in an ordinary app opens the dialog
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)


@pytest.fixture
def pictures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every folder a screenshot may go to, empty: Pictures, home, the current folder."""
    home = tmp_path / "home"
    (home / "Pictures").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_PICTURES_DIR", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return tmp_path


def svgs(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.svg"))


async def test_screenshot_is_off_for_a_guest_in_the_palette_and_by_name(
    board_file: Path, pictures: Path
) -> None:
    app = guest_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles and "Quit" in titles
        assert await app.run_action("screenshot") is False
        app.action_screenshot()
        await settle(pilot)
    assert svgs(pictures) == []
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Screenshot" in [command.title for command in app.get_system_commands(app.screen)]
        assert await app.run_action("screenshot") is True
    assert len(svgs(pictures)) == 1


async def test_suspending_the_process_is_off_for_a_guest(board_file: Path) -> None:
    app = guest_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.check_action("suspend_process", ()) is False
        assert await app.run_action("suspend_process") is False
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert await app.run_action("suspend_process") is True  # headless: it does nothing


async def open_editor_on_notes(pilot: Any) -> CardEditor:
    await pilot.press("e")
    await settle(pilot)
    editor = pilot.app.screen
    assert isinstance(editor, CardEditor)
    editor.query_one("#body", TextArea).focus()
    await settle(pilot)
    return editor


async def test_the_external_editor_is_off_for_a_guest(board_file: Path, editor: Path) -> None:
    app = guest_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        card_editor = await open_editor_on_notes(pilot)
        before = card_editor.query_one("#body", TextArea).text
        keys = [keys for keys, _text, _on in card_editor.query_one(KeyBar).entries()]
        assert "^o" not in keys
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert await app.run_action("external_editor", card_editor) is False
        card_editor.action_external_editor()
        await settle(pilot)
        assert card_editor.query_one("#body", TextArea).text == before
    assert not editor.exists()
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        card_editor = await open_editor_on_notes(pilot)
        assert "^o" in [keys for keys, _text, _on in card_editor.query_one(KeyBar).entries()]
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert card_editor.query_one("#body", TextArea).text == "from the editor"
    assert editor.exists()


async def test_the_nudge_after_a_move_has_no_external_editor_for_a_guest(
    board_file: Path, editor: Path
) -> None:
    app = guest_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "down", "L")  # bbbb0002 into test, with no experiment
        await settle(pilot)
        nudge = app.screen
        assert isinstance(nudge, NudgeDialog)
        assert isinstance(app.focused, TextArea)
        assert "^o" not in [keys for keys, _text, _on in nudge.query_one(KeyBar).entries()]
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert await app.run_action("external_editor", nudge) is False
        assert app.screen is nudge and isinstance(app.focused, TextArea)
        assert app.focused.text == ""
    assert not editor.exists()


async def test_links_do_not_open_the_servers_browser_for_a_guest(
    board_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *args, **kwargs: opened.append(url))
    for is_guest in (True, False):
        app = guest_app(board_file) if is_guest else steady_app(board_file)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.open_url("https://example.org/")
    assert opened == ["https://example.org/"]  # the ordinary app's only


async def test_a_guest_who_is_no_member_is_told_whom_to_ask(board_file: Path) -> None:
    # removed from the team since the invitation: no command to run, no path
    app = guest_app(board_file, actor="zoe")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        said = [text for text, _ in notes(app) if "not a member" in text]
        assert said and all("Ask the facilitator" in text for text in said)
        assert not any("sprintboard" in text or str(board_file.parent) in text for text in said)
    assert on_disk(board_file).cards[CARD].votes.get("zoe") is None


@pytest.fixture
def git_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate_git(tmp_path / "home", monkeypatch)
    return tmp_path / "home"


async def test_sync_is_off_for_a_guest(tmp_path: Path, git_home: Path) -> None:
    bare, repo = clone_with_board(tmp_path)
    pushed = remote_git(bare, "rev-parse", "main")
    app = guest_app(repo.board_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L", "S")
        await settle(pilot)
        screen = board_screen(app)
        assert await app.run_action("sync", screen) is False
        screen.action_sync()
        await settle(pilot)
        assert not any("Sync" in text for text, _ in notes(app))
    assert on_disk(repo.board_path).cards[CARD].stage is Stage.PROTOTYPE  # the move: saved
    assert remote_git(bare, "rev-parse", "main") == pushed  # nothing pushed
    assert "1 card moved" not in repo.git("log", "--format=%s").stdout  # nor committed


async def test_no_git_setup_offer_for_a_guest(tmp_path: Path, git_home: Path) -> None:
    repo = Repo.init(tmp_path / "repo")
    board = repo.path / "boards" / "b.toml"
    board.parent.mkdir()
    board.write_bytes((Path(__file__).parent / "fixtures" / "board.toml").read_bytes())
    before = board.read_bytes()
    app = guest_app(board)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L")  # a first change, saved: an ordinary app asks here
        await settle(pilot)
        assert not isinstance(app.screen, GitSetupOffer)
        assert isinstance(app.screen, BoardScreen)
    assert board.read_bytes() != before
    config = repo.git("config", "--local", "--list").stdout
    assert git_setup.SETUP_OFFERED not in config and "sprintboard" not in config


# --- hidden: the footer, the help, the palette ----------------------------------------------

HIDDEN = ("Export report…", "Sync with the team (git): commit, merge, push")


async def test_help_and_palette_do_not_list_what_is_off(board_file: Path) -> None:
    for is_guest in (True, False):
        app = guest_app(board_file) if is_guest else steady_app(board_file)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = board_screen(app)
            helped = [what for _keys, what in HelpScreen.rows(screen)]
            palette = [title for title, _help, _run in BoardCommands(screen)._commands()]
            bar = [text for _keys, text, _on in screen.query_one(KeyBar).entries()]
            for listed in (helped, palette):
                for off in HIDDEN:
                    assert (off in listed) is not is_guest, (off, is_guest)
            assert "Export" not in bar and "Sync" not in bar  # never in the bar: show=False
            # the rest is all there for a guest too
            assert "Move the card on to the next stage" in helped
            assert "Give the card one of your dots" in palette
            await pilot.press("question_mark")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            assert app.screen.key_rows == [(k, w) for k, w in HelpScreen.rows(screen)]


# --- only that board, named without its folder ----------------------------------------------


async def test_a_missing_board_is_no_picker_for_a_guest(boards_dir: Path, board_file: Path) -> None:
    missing = boards_dir / "gone.toml"
    app = guest_app(missing, boards_dir=boards_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)  # no picker, no new-board screen
        assert [type(s).__name__ for s in app.screen_stack] == ["BoardScreen"]
        shown = screen_text(app)
        assert "gone.toml" in shown
        assert str(boards_dir) not in shown
        assert not missing.exists()


def screen_text(app: Any) -> str:
    """Every line the screen draws now, and the notices."""
    lines = [strip.text for strip in app.screen._compositor.render_strips()]
    return "\n".join(lines + [text for text, _ in notes(app)])


async def test_an_unsaved_change_names_the_board_not_the_servers_folder(
    board_file: Path,
) -> None:
    app = guest_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        folder = board_file.parent
        lock = lock_path(board_file)
        lock.unlink(missing_ok=True)
        lock.symlink_to(folder.parent / "elsewhere")  # the save refuses a linked lock
        await pilot.press("L")
        await settle(pilot)
        banner = str(app.screen.query_one("#banner").render())
        assert "Not saved" in banner and "family.toml" in banner
        assert str(folder) not in banner and str(folder) not in screen_text(app)
    app = steady_app(board_file)  # an ordinary app says where
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        assert str(folder) in str(app.screen.query_one("#banner").render())


async def test_an_invalid_board_names_the_board_not_the_servers_folder(
    boards_dir: Path,
) -> None:
    bad = boards_dir / "bad.toml"
    bad.write_text('schema = 1\ntitle = "Bad"\nwip = { nope = 3 }\n', encoding="utf-8")
    app = guest_app(bad, boards_dir=boards_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "This board cannot be opened" in shown and "bad.toml" in shown
        assert str(boards_dir) not in shown
    app = steady_app(bad, boards_dir=boards_dir)  # an ordinary app names the file in full
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert str(bad) in screen_text(app)


# --- the rest works the same ----------------------------------------------------------------


async def test_a_guest_moves_adds_votes_opens_and_edits(board_file: Path) -> None:
    app = guest_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L")  # move the first idea on
        await settle(pilot)
        assert on_disk(board_file).cards[CARD].stage is Stage.PROTOTYPE
        await pilot.press("h", "n", *"From outside", "enter")
        await settle(pilot)
        added = [c for c in on_disk(board_file).cards.values() if c.title == "From outside"]
        assert len(added) == 1 and added[0].by == ["birthe"]
        await pilot.press("v")
        await settle(pilot)
        card_id = focused_column(app).card_id
        assert card_id is not None
        assert on_disk(board_file).cards[card_id].votes.get("birthe") == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CardView)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, CardEditor)
        title = app.screen.query_one("#title", Input)
        assert app.focused is title
        await pilot.press("end", *" (edited)", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert on_disk(board_file).cards[card_id].title == "From outside (edited)"

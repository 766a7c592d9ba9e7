"""Other people's changes while the app runs: real processes writing the real file.

The app follows its board file with the real watcher (inotify, or polling when
forced); another person is the command line in a separate process. Each test checks
the screen (within a second), the focus, an open editor, and the file on disk.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label, Static

from sprintboard import storage
from sprintboard.model import Board, Stage
from sprintboard.tui.app import SprintboardApp
from sprintboard.tui.screens.card_editor import CardEditor
from sprintboard.tui.screens.card_view import CardView

from .helpers import board_screen, focused_column, settle, steady_app

SIZE = (100, 30)
SHOWN_WITHIN = 1.0
"""Seconds from an outside write to the app showing it ("within a second": README, "Many people,
one board")."""


def on_disk(path: Path) -> Board:
    return storage.load(path).board


async def someone(*args: str, actor: str = "bob") -> str:
    """Run the command line as `actor` in its own process, without blocking the app."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sprintboard",
        "--as",
        actor,
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode().strip()


async def until(pilot: Pilot[Any], done: Callable[[], bool], seconds: float, what: str) -> float:
    """Wait (letting the app run) until `done()`; the wall-clock time it was seen."""
    began = time.monotonic()
    while not done():
        if time.monotonic() - began > seconds:
            raise AssertionError(f"not within {seconds} s: {what}")
        await pilot.pause(0.01)
    return time.time()


def delay_since_written(path: Path, seen: float) -> float:
    """Seconds from the last write of `path` (its mtime) to `seen` (wall clock)."""
    return seen - path.stat().st_mtime


@asynccontextmanager
async def on_first_card(
    board_file: Path, key: str
) -> AsyncIterator[tuple[SprintboardApp, Pilot[Any]]]:
    """A watched app on the board, `key` pressed on the first card (`enter` shows it)."""
    app = steady_app(board_file, watch="auto")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key)
        yield app, pilot


@asynccontextmanager
async def editing(
    board_file: Path,
) -> AsyncIterator[tuple[SprintboardApp, Pilot[Any], CardEditor]]:
    """A watched app with the first card's editor open and a new title typed, not saved yet."""
    async with on_first_card(board_file, "e") as (app, pilot):
        editor = app.screen
        assert isinstance(editor, CardEditor) and editor.card_id == "aaaa0001"
        editor.query_one("#title", Input).value = "Saturday art club"
        yield app, pilot, editor


async def save_title(app: SprintboardApp, pilot: Pilot[Any], title: str) -> None:
    """Edit the selected card: type `title` and save."""
    await pilot.press("e")
    editor = app.screen
    assert isinstance(editor, CardEditor)
    editor.query_one("#title", Input).value = title
    await pilot.press("ctrl+s")
    await settle(pilot)


def notices(app: Any) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


def shown_ids(app: Any, stage: Stage) -> list[str]:
    return [card_id for card_id, _ in board_screen(app).column(stage).cards]


@pytest.mark.parametrize("watch", ["auto", "polling"])
async def test_outside_writes_show_within_a_second_and_own_moves_survive(
    board_file: Path, watch: str
) -> None:
    app = steady_app(board_file, watch=watch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = board_screen(app)
        assert screen.live.watcher is not None
        assert screen.live.watcher.kind == ("polling" if watch == "polling" else "inotify")
        said = any("every 0.25 s for other people's changes" in text for text in notices(app))
        assert said == (watch == "polling")  # polling is said, with its interval

        # someone adds a card while the user moves theirs: both land, nothing is lost
        adding = asyncio.create_task(
            someone("add", str(board_file), "From a script", "--stage", "test")
        )
        await pilot.press("L")  # aaaa0001: idea -> prototype
        card_id = await adding
        await until(
            pilot, lambda: card_id in shown_ids(app, Stage.TEST), SHOWN_WITHIN, "the added card"
        )
        await settle(pilot)
        board = on_disk(board_file)
        assert board.cards[card_id].title == "From a script"
        assert board.cards["aaaa0001"].stage is Stage.PROTOTYPE
        column = focused_column(app)
        assert (column.stage, column.card_id) == (Stage.PROTOTYPE, "aaaa0001")

        # a move of another card shows within a second of the write (watched while the
        # other process runs), and the selection stays where it is
        moving = asyncio.create_task(someone("move", str(board_file), "aaaa0002", "learned"))
        seen = await until(
            pilot, lambda: "aaaa0002" in shown_ids(app, Stage.LEARNED), 10, "the moved card"
        )
        await moving
        delay = delay_since_written(board_file, seen)
        print(f"outside move shown {delay * 1000:.0f} ms after the write ({watch})")
        assert delay < SHOWN_WITHIN
        assert "aaaa0002" not in shown_ids(app, Stage.IDEA)
        assert focused_column(app).card_id == "aaaa0001"

        # the user's next moves are written on top of what the others wrote
        await pilot.press("L")
        await settle(pilot)
        board = on_disk(board_file)
        assert board.cards["aaaa0001"].stage is Stage.TEST
        assert board.cards["aaaa0002"].stage is Stage.LEARNED
        assert card_id in board.cards


async def test_the_selection_follows_its_card_or_goes_to_its_neighbour(board_file: Path) -> None:
    app = steady_app(board_file, watch="auto")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down")
        assert focused_column(app).card_id == "aaaa0002"

        await someone("move", str(board_file), "aaaa0002", "test")
        await until(
            pilot,
            lambda: focused_column(app).stage is Stage.TEST,
            SHOWN_WITHIN,
            "focus to follow its card",
        )
        assert focused_column(app).card_id == "aaaa0002"
        assert any("moved from idea to test by bob" in text for text in notices(app))

        await someone("delete", str(board_file), "aaaa0002")
        await until(
            pilot,
            lambda: "aaaa0002" not in shown_ids(app, Stage.TEST),
            SHOWN_WITHIN,
            "the deleted card to go",
        )
        column = focused_column(app)
        assert column.stage is Stage.TEST and column.card_id is not None  # its neighbour
        assert any("was deleted by someone else" in text for text in notices(app))


async def test_an_open_editor_keeps_its_text_and_saves_only_the_users_fields(
    board_file: Path,
) -> None:
    async with editing(board_file) as (app, pilot, editor):
        title = editor.query_one("#title", Input)
        changed = editor.query_one("#changed", Label)
        assert not changed.display

        await someone("edit", str(board_file), "aaaa0001", "--set", "body=Bob's notes")
        await until(pilot, lambda: changed.display, SHOWN_WITHIN, "the editor to say so")
        assert "Changed by someone else while you edit (“Notes”)" in str(changed.render())
        assert app.screen is editor  # still open, the text still there
        assert title.value == "Saturday art club"
        assert editor.focused is title

        await pilot.press("ctrl+s")
        await settle(pilot)
        card = on_disk(board_file).cards["aaaa0001"]
        assert card.title == "Saturday art club"  # the user's field
        assert card.body == "Bob's notes"  # and the other person's


async def test_an_open_card_shows_changes_and_says_when_it_was_deleted(board_file: Path) -> None:
    async with on_first_card(board_file, "enter") as (app, pilot):
        view = app.screen
        assert isinstance(view, CardView) and view.card_id == "aaaa0001"
        note = view.query_one("#changed", Label)

        await someone("edit", str(board_file), "aaaa0001", "--set", "title=Saturday art club")
        await until(pilot, lambda: note.display, SHOWN_WITHIN, "the view to say so")
        assert "Changed by someone else" in str(note.render())
        assert str(view.query_one("#card-title", Label).render()) == "Saturday art club"

        await someone("delete", str(board_file), "aaaa0001")
        await until(
            pilot, lambda: "Deleted" in str(note.render()), SHOWN_WITHIN, "the view to say so"
        )
        assert app.screen is view
        await pilot.press("e")  # the selection moved on to its neighbour: edit nothing
        await pilot.pause()
        assert not isinstance(app.screen, (CardView, CardEditor))
        assert any("was deleted by someone else: nothing to edit" in t for t in notices(app))


async def test_a_card_deleted_while_edited_comes_back_with_the_users_text(
    board_file: Path,
) -> None:
    async with editing(board_file) as (app, pilot, editor):
        await someone("delete", str(board_file), "aaaa0001")
        changed = editor.query_one("#changed", Label)
        await until(pilot, lambda: changed.display, SHOWN_WITHIN, "the editor to say so")
        assert "Deleted by someone else" in str(changed.render())

        await pilot.press("ctrl+s")
        await settle(pilot)
        card = on_disk(board_file).cards["aaaa0001"]
        assert card.title == "Saturday art club"
        assert card.tags == ["culture", "library"]  # the rest as the editor opened it
        assert focused_column(app).card_id == "aaaa0001"


async def test_saving_over_someone_elses_change_says_so_and_undo_brings_it_back(
    board_file: Path,
) -> None:
    # no watcher: the app has not seen Bob's write when it saves over it
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await someone("edit", str(board_file), "aaaa0001", "--set", "title=Bob's title")
        await save_title(app, pilot, "Anna's title")
        assert on_disk(board_file).cards["aaaa0001"].title == "Anna's title"
        told = [text for text in notices(app) if "You replaced a change by someone" in text]
        assert told, notices(app)
        assert "the field “Title” of “Anna's title” (aaaa0001)" in told[0]
        assert "“Bob's title” → “Anna's title”" in told[0]

        await pilot.press("u")
        await settle(pilot)
        assert on_disk(board_file).cards["aaaa0001"].title == "Bob's title"


async def test_a_change_to_what_the_user_wrote_is_told(board_file: Path) -> None:
    app = steady_app(board_file, watch="auto")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await save_title(app, pilot, "Anna's title")

        await someone("edit", str(board_file), "aaaa0001", "--set", "title=Bob's title")
        await until(
            pilot,
            lambda: any(
                "Someone changed the field “Title” you set" in text for text in notices(app)
            ),
            SHOWN_WITHIN,
            "the notice",
        )
        assert focused_column(app).cards[0][1].title == "Bob's title"


async def test_a_move_over_the_users_move_names_who_moved_it(board_file: Path) -> None:
    app = steady_app(board_file, watch="auto")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert focused_column(app).card_id == "aaaa0001"
        await pilot.press("L")  # nanna moves it on to prototype
        await settle(pilot)
        assert on_disk(board_file).cards["aaaa0001"].stage is Stage.PROTOTYPE

        await someone("move", str(board_file), "aaaa0001", "test", actor="omar")
        told = "omar changed the field “Stage” you set on “Saturday art workshop at the library”"
        await until(
            pilot,
            lambda: any(text.startswith(told) for text in notices(app)),
            SHOWN_WITHIN,
            "the notice naming omar",
        )
        assert not any("Someone" in text for text in notices(app)), notices(app)


async def test_someone_who_is_not_a_member_is_told_how_to_join(board_file: Path) -> None:
    app = steady_app(board_file, actor="Sofie Lund")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        told = [text for text in notices(app) if "not a member of this board" in text]
        assert len(told) == 1, notices(app)
        assert (
            f"sprintboard member {board_file} sofie --name 'Sofie Lund' --side internal"
            in (told[0])
        )
    member = steady_app(board_file, actor="nanna holm")  # her name, in other case: a member
    async with member.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not any("not a member" in text for text in notices(member))
        await pilot.press("n")
        await settle(pilot)
        member.screen.query_one("#title", Input).value = "Hers"
        await pilot.press("enter")
        await settle(pilot)
    added = [c for c in on_disk(board_file).cards.values() if c.title == "Hers"]
    assert [(c.by, c.history[0].by) for c in added] == [(["nanna"], "nanna")]


async def test_an_invalid_file_is_never_written_and_pending_changes_land_once_fixed(
    board_file: Path,
) -> None:
    app = steady_app(board_file, watch="auto")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = board_screen(app)
        banner = screen.query_one("#banner", Static)
        good = board_file.read_text()
        broken = good.replace('stage = "test"', 'stage = "testing"')
        board_file.write_text(broken)
        await until(pilot, lambda: banner.display, SHOWN_WITHIN, "the banner")
        text = str(banner.render())
        line = broken.splitlines().index('stage = "testing"') + 1
        assert f"{board_file}:{line}:1: card cccc0001: stage" in text
        assert "showing the last good board, writing nothing" in text
        assert shown_ids(app, Stage.IDEA)[0] == "aaaa0001"  # the last good board, on screen

        await pilot.press("L")  # allowed, kept pending
        await until(pilot, lambda: "1 change waiting" in str(banner.render()), 1, "the count")
        assert focused_column(app).card_id == "aaaa0001"
        assert board_file.read_text() == broken  # never written
        assert screen.live.session.pending == 1

        board_file.write_text(good)  # fixed: the watcher sees it, the refresh writes
        await until(pilot, lambda: not banner.display, 2, "the banner to go")
        await settle(pilot)
        assert on_disk(board_file).cards["aaaa0001"].stage is Stage.PROTOTYPE
        assert screen.live.session.pending == 0

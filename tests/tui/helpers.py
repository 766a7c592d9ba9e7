"""Helpers for the app's tests: a steady app, waiting for it, finding its parts."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import OptionList

from sprintboard import storage
from sprintboard.model import Board
from sprintboard.tui.app import SprintboardApp, make_app
from sprintboard.tui.screens.board import BoardScreen
from sprintboard.tui.widgets.column import Column

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2026, 11, 25)
"""Day 3 of the fixture board's sprint (23 November to 4 December)."""
ACTOR = "nanna"


def fixture_board() -> Board:
    """The fixture board (the one the `board_file` fixture writes), as a `Board`."""
    return storage.load(FIXTURES / "board.toml").board


def steady_app(
    path: Path | None, *, boards_dir: Path | None = None, **options: Any
) -> SprintboardApp:
    """The app as `run` builds it, made deterministic for tests."""
    app = make_app(
        path,
        options.pop("actor", ACTOR),
        boards_dir=boards_dir if boards_dir is not None else Path("boards"),
        today=TODAY,
        watch=options.pop("watch", "off"),
        recheck=options.pop("recheck", None),
        presence=options.pop("presence", False),
        **options,
    )
    app.animation_level = "none"
    return app


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until keys, loading and saving are done and their results are on screen."""
    app = pilot.app
    for _ in range(100):
        await app.workers.wait_for_complete()
        await pilot.pause()
        typing = isinstance(app, SprintboardApp) and app.keys_waiting
        busy = typing or any(not worker.is_finished for worker in app.workers)
        pending = any(
            screen.live.session.pending and not screen.live.session.error for screen in boards(app)
        )
        if not busy and not pending:
            return
    raise AssertionError("the app did not settle")


def boards(app: Any) -> list[BoardScreen]:
    return [screen for screen in app.screen_stack if isinstance(screen, BoardScreen)]


def board_screen(app: Any) -> BoardScreen:
    found = boards(app)
    assert found, f"no board screen; screens: {app.screen_stack}"
    return found[-1]


def focused_column(app: Any) -> Column:
    focused = app.focused
    assert isinstance(focused, Column), f"focus is on {focused!r}, not a column"
    return focused


async def palette_options(app: Any, pilot: Any, words: str = "") -> list[str]:
    """The palette opened (and `words` typed): the prompts of the options it shows."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*words)
    options = app.screen.query_one(OptionList)
    for _round in range(200):  # the palette searches in a worker of its own
        if options.option_count:
            break
        await pilot.pause(0.02)
    await pilot.pause(0.1)  # the rest of the providers' hits
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

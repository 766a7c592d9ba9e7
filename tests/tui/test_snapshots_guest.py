"""Snapshots of a guest's app (`open --guest`) at 80×24: the board, and its help.

Neither may list what is off for a guest: no export, no sync, no editor, no
screenshot (see `sprintboard.tui.guest`). After a deliberate change:
``pytest tests/tui/test_snapshots_guest.py --snapshot-update``, then look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.containers import VerticalScroll
from textual.pilot import Pilot

from sprintboard.tui.screens.help import HelpScreen

from .helpers import settle, steady_app

Compare = Callable[..., bool]


async def loaded(pilot: Pilot[Any]) -> None:
    await settle(pilot)


def test_a_guests_board_at_80x24(snap_compare: Compare, board_file: Path) -> None:
    app = steady_app(board_file, actor="birthe", guest=True)
    assert snap_compare(app, press=["l", "down"], terminal_size=(80, 24), run_before=loaded)


def test_a_guests_help_at_80x24(snap_compare: Compare, board_file: Path) -> None:
    app = steady_app(board_file, actor="birthe", guest=True)

    async def help_open(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        # the end of the keys, where export and sync are in an ordinary app's help
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        scroll = help_screen.query_one(VerticalScroll)
        scroll.scroll_to(y=max(len(help_screen.key_rows) - 18, 0), animate=False)
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=help_open)

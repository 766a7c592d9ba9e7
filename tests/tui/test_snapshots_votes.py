"""Snapshots of dot-vote rounds at 80×24: the start dialog, the open round panel, the board
with the key bar's "dots left" while a round is open.

Times are fixed (the round opened at 09:00 UTC, shown in UTC, no end time), so nothing
on screen depends on when the test runs. After a deliberate change:
``pytest tests/tui/test_snapshots_votes.py --snapshot-update``, then look at the SVGs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from sprintboard import ops, storage

from .helpers import settle, steady_app

Compare = Callable[..., bool]
SMALL = (80, 24)
OPENED = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


async def loaded(pilot: Pilot[Any]) -> None:
    await settle(pilot)


@pytest.fixture(autouse=True)
def _steady(boards_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Paths relative to boards/ and times shown in UTC, the same on every machine."""
    monkeypatch.chdir(boards_dir.parent)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def open_round(path: Path, *, anonymous: bool = False) -> None:
    """A round on idea, opened by nanna at a fixed time, with three members' dots."""
    board = storage.load(path).board
    board = ops.apply(
        board,
        ops.StartRound(dots=3, anonymous=anonymous, round_id="r4k2m9qa", actor="nanna", at=OPENED),
    )
    for card_id, member, dots in (
        ("aaaa0003", "ahmed", 2),
        ("aaaa0003", "omar", 1),
        ("aaaa0002", "birthe", 3),
        ("aaaa0001", "ahmed", 1),
    ):
        board = ops.apply(board, ops.Vote(card_id, member, dots))
    storage.save(path, board)


def test_the_start_dialog(snap_compare: Compare, board_file: Path) -> None:
    app = steady_app(Path("boards/family.toml"))
    assert snap_compare(app, press=["R"], terminal_size=SMALL, run_before=loaded)


def test_the_open_round_panel_for_a_facilitator(snap_compare: Compare, board_file: Path) -> None:
    open_round(board_file)
    app = steady_app(Path("boards/family.toml"))
    assert snap_compare(app, press=["R"], terminal_size=SMALL, run_before=loaded)


def test_an_anonymous_round_panel_for_a_participant(
    snap_compare: Compare, board_file: Path
) -> None:
    open_round(board_file, anonymous=True)
    app = steady_app(Path("boards/family.toml"), actor="omar")
    assert snap_compare(app, press=["R"], terminal_size=SMALL, run_before=loaded)


def test_the_board_says_dots_left_in_the_key_bar(snap_compare: Compare, board_file: Path) -> None:
    open_round(board_file)
    app = steady_app(Path("boards/family.toml"), actor="omar")
    assert snap_compare(app, press=["v"], terminal_size=SMALL, run_before=loaded)

"""Snapshots of the live state at 80×24: the timer at zero (in colour and on NO_COLOR) and a
card presented. The clock is fixed (`LiveActions.live_clock`), so no real time shows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from sprintboard import live_state
from sprintboard.tui.screens.live_actions import LiveActions

from .helpers import settle, steady_app
from .test_live_timer import presented, timeup, until

Compare = Callable[..., bool]
NOW = 1_795_000_000.0
"""The fixed time the live state is written and shown at."""
FAMILY = Path("boards") / "family.toml"


@pytest.fixture(autouse=True)
def _fixed(boards_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(boards_dir.parent)
    monkeypatch.setattr(LiveActions, "live_clock", staticmethod(lambda: NOW))


def _done_timer() -> live_state.Timer:
    timer = live_state.Timer("Ideation", "running", 600, "nanna", NOW - 600, ends=NOW - 1)
    return timer


async def _banner(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await until(pilot, lambda: timeup(pilot.app) != "", "the banner")
    await pilot.pause()


def test_the_timer_at_zero(snap_compare: Compare, board_file: Path) -> None:
    live_state.write_timer(FAMILY, _done_timer())
    app = steady_app(FAMILY, actor="omar")
    assert snap_compare(app, terminal_size=(80, 24), run_before=_banner)


def test_the_timer_at_zero_without_colour(
    snap_compare: Compare, board_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    live_state.write_timer(FAMILY, _done_timer())
    app = steady_app(FAMILY, actor="omar")
    assert snap_compare(app, terminal_size=(80, 24), run_before=_banner)


async def _presented(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await until(pilot, lambda: presented(pilot.app) is not None, "the presented card")
    await settle(pilot)


def test_a_card_presented(snap_compare: Compare, board_file: Path) -> None:
    board = live_state.Presenting(_card_id(board_file), "nanna", NOW)
    live_state.write_presenting(FAMILY, board)
    app = steady_app(FAMILY, actor="omar")
    assert snap_compare(app, terminal_size=(80, 24), run_before=_presented)


def _card_id(board_file: Path) -> str:
    """A card of the fixture board with an experiment (what presenting shows enlarged)."""
    text = board_file.read_text()
    marker = text.index("hypothesis")
    start = text.rindex("[cards.", 0, marker) + len("[cards.")
    return text[start : text.index("]", start)].split(".")[0]

"""Snapshots of the sprint settings, the team and the removal question at 80×24.

After a deliberate change to how they look: ``pytest tests/tui/test_snapshots_team.py
--snapshot-update``, then look at the new SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from .helpers import settle, steady_app

Compare = Callable[..., bool]
SIZE = (80, 24)
FAMILY = Path("boards") / "family.toml"


async def loaded(pilot: Pilot[Any]) -> None:
    await settle(pilot)


@pytest.fixture(autouse=True)
def _relative_paths(board_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run next to boards/, so paths on screen are the same every time."""
    monkeypatch.chdir(board_file.parent.parent)


def test_the_sprint_settings(snap_compare: Compare) -> None:
    app = steady_app(FAMILY)
    assert snap_compare(app, press=["s"], terminal_size=SIZE, run_before=loaded)


def test_a_bad_value_in_the_sprint_settings(snap_compare: Compare) -> None:
    app = steady_app(FAMILY)
    keys = ["s", "tab", "tab", "tab", "tab", "ctrl+u", *"2026-11-01", "ctrl+s"]
    assert snap_compare(app, press=keys, terminal_size=SIZE, run_before=loaded)


def test_the_team(snap_compare: Compare) -> None:
    app = steady_app(FAMILY)
    assert snap_compare(app, press=["M"], terminal_size=SIZE, run_before=loaded)


def test_removing_a_member_who_co_created_asks(snap_compare: Compare) -> None:
    app = steady_app(FAMILY)
    keys = ["M", "down", "down", "down", "d"]
    assert snap_compare(app, press=keys, terminal_size=SIZE, run_before=loaded)


def test_the_board_with_the_external_hands_panel(snap_compare: Compare) -> None:
    app = steady_app(FAMILY)
    assert snap_compare(app, press=["X"], terminal_size=SIZE, run_before=loaded)

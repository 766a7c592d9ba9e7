"""Snapshots of the metrics screen (an example board at 80×24 and 100×30, an empty board)
and of the export dialog. "Now" is fixed (`ReportActions.report_clock`) and days are in
UTC, so nothing on screen moves with the clock.

After a deliberate change to how they look: ``pytest tests/tui/test_snapshots_metrics.py
--snapshot-update``, then look at the new SVGs before committing them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from .helpers import settle, steady_app
from .metrics_helpers import fixed_now, write_board

__all__ = ["fixed_now"]  # the fixture, used by name

Compare = Callable[..., bool]
EXAMPLES = Path(__file__).parents[2] / "boards"


async def loaded(pilot: Pilot[Any]) -> None:
    await settle(pilot)


@pytest.fixture(autouse=True)
def _relative_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixed_now: Any) -> None:
    """Run in tmp_path next to boards/, so paths on screen are the same every time."""
    (tmp_path / "boards").mkdir()
    shutil.copyfile(EXAMPLES / "family-culture.toml", tmp_path / "boards" / "family-culture.toml")
    monkeypatch.chdir(tmp_path)


BOARD = Path("boards") / "family-culture.toml"


def test_the_metrics_screen_at_80x24(snap_compare: Compare) -> None:
    assert snap_compare(steady_app(BOARD), press=["m"], terminal_size=(80, 24), run_before=loaded)


def test_the_metrics_screen_at_80x24_scrolled_to_the_charts(snap_compare: Compare) -> None:
    keys = ["m", "pagedown"]
    assert snap_compare(steady_app(BOARD), press=keys, terminal_size=(80, 24), run_before=loaded)


def test_the_metrics_screen_at_100x30(snap_compare: Compare) -> None:
    app = steady_app(BOARD)
    assert snap_compare(app, press=["m"], terminal_size=(100, 30), run_before=loaded)


def test_the_metrics_screen_of_an_empty_board(snap_compare: Compare, tmp_path: Path) -> None:
    write_board(tmp_path / "boards" / "empty.toml", "", title="Nothing yet")
    app = steady_app(Path("boards") / "empty.toml")
    assert snap_compare(app, press=["m"], terminal_size=(80, 24), run_before=loaded)


def test_the_export_dialog(snap_compare: Compare) -> None:
    assert snap_compare(steady_app(BOARD), press=["E"], terminal_size=(80, 24), run_before=loaded)

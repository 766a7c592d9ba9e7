"""Shared by the metrics and export tests: a fixed clock, days in UTC, a board by hand."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static

from sprintboard.tui.screens.report_actions import ReportActions

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
"""The moment every figure in these tests is counted at."""


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> Iterator[datetime]:
    """The app's report clock at NOW, and the machine's zone UTC (days counted in it)."""
    monkeypatch.setattr(ReportActions, "report_clock", staticmethod(lambda: NOW))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield NOW
    monkeypatch.undo()
    time.tzset()


def shown_text(static: Static, width: int = 200) -> str:
    """What `static` shows, as plain text."""
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()


def write_board(path: Path, cards: str, title: str = "By hand") -> Path:
    """A board file of `cards` (TOML card tables) under a schema line and a title."""
    path.write_text(f'schema = 1\ntitle = "{title}"\n\n{cards}', encoding="utf-8")
    return path

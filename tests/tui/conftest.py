"""Fixtures for the app's tests: a board file in a temporary folder, a steady app.

"Steady" means deterministic on screen: a fixed today for the sprint day, no cursor
blink, no animations, no watching of the file (tests trigger a look themselves) and no
presence (the header shows nobody else).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from .helpers import FIXTURES


@pytest.fixture(autouse=True)
def _no_blink(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Text cursors that do not blink, so snapshots do not depend on timing."""
    monkeypatch.setattr(Input.cursor_blink, "_default", False)
    monkeypatch.setattr(TextArea.cursor_blink, "_default", False)
    yield


@pytest.fixture
def boards_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "boards"
    folder.mkdir()
    return folder


@pytest.fixture
def board_file(boards_dir: Path) -> Path:
    """The fixture board (9 cards, one archived, prototype over its WIP limit of 2)."""
    path = boards_dir / "family.toml"
    shutil.copyfile(FIXTURES / "board.toml", path)
    return path

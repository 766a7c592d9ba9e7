"""Snapshots of every screen at fixed sizes (pytest-textual-snapshot).

After a deliberate change to how something looks: ``pytest tests/tui --snapshot-update``,
then look at the new SVGs in ``tests/tui/__snapshots__`` before committing them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from sprintboard import storage
from sprintboard.model import Board

from .helpers import settle, steady_app

Compare = Callable[..., bool]


async def loaded(pilot: Pilot[Any]) -> None:
    await settle(pilot)


@pytest.fixture(autouse=True)
def _relative_paths(boards_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run next to boards/, so paths on screen ("boards/x.toml") are the same every time."""
    monkeypatch.chdir(boards_dir.parent)


BOARDS = Path("boards")
FAMILY = BOARDS / "family.toml"


@pytest.mark.usefixtures("board_file")  # boards/family.toml, the first board listed
def test_the_picker(snap_compare: Compare, boards_dir: Path) -> None:
    storage.save(
        boards_dir / "housing.toml",
        Board.model_validate({"schema": 1, "title": "Safer housing", "challenge": "How?"}),
    )
    (boards_dir / "broken.toml").write_text('schema = 1\ntitle = "Broken"\nwip = { nope = 3 }\n')
    app = steady_app(None, boards_dir=BOARDS)
    assert snap_compare(app, terminal_size=(100, 30), run_before=loaded)


def test_the_board_at_100x30(snap_compare: Compare, board_file: Path) -> None:
    assert snap_compare(steady_app(FAMILY), terminal_size=(100, 30), run_before=loaded)


def test_the_board_at_80x24(snap_compare: Compare, board_file: Path) -> None:
    app = steady_app(FAMILY)
    assert snap_compare(app, press=["l", "down"], terminal_size=(80, 24), run_before=loaded)


def test_the_board_without_colour(
    snap_compare: Compare, board_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = steady_app(FAMILY)
    assert snap_compare(app, press=["l"], terminal_size=(80, 24), run_before=loaded)


def test_an_empty_board(snap_compare: Compare, boards_dir: Path) -> None:
    path = BOARDS / "empty.toml"
    storage.save(path, Board.model_validate({"schema": 1, "title": "Nothing yet"}))
    assert snap_compare(steady_app(path), terminal_size=(100, 30), run_before=loaded)


def test_the_card_editor(snap_compare: Compare, board_file: Path) -> None:
    app = steady_app(FAMILY)
    assert snap_compare(app, press=["e"], terminal_size=(100, 30), run_before=loaded)


def test_escape_asking_to_discard_the_editors_changes(
    snap_compare: Compare, board_file: Path
) -> None:
    app = steady_app(FAMILY)
    keys = ["e", "x", "escape"]
    assert snap_compare(app, press=keys, terminal_size=(80, 24), run_before=loaded)


def test_an_opened_card(snap_compare: Compare, board_file: Path) -> None:
    app = steady_app(FAMILY)
    assert snap_compare(
        app, press=["l", "l", "l", "enter"], terminal_size=(100, 30), run_before=loaded
    )


def test_help(snap_compare: Compare, board_file: Path) -> None:
    app = steady_app(FAMILY)
    assert snap_compare(app, press=["question_mark"], terminal_size=(100, 30), run_before=loaded)


def test_the_filtered_board(snap_compare: Compare, board_file: Path) -> None:
    app = steady_app(FAMILY)
    keys = ["slash", *"@omar", "enter"]
    assert snap_compare(app, press=keys, terminal_size=(100, 30), run_before=loaded)


def test_a_board_whose_file_is_invalid(snap_compare: Compare, board_file: Path) -> None:
    text = board_file.read_text().replace('stage = "test"', 'stage = "testing"')
    board_file.write_text(text.replace("[wip]", "[wip]\nidea = 0"))
    assert snap_compare(steady_app(FAMILY), terminal_size=(100, 30), run_before=loaded)


def test_the_offer_to_create_a_board(snap_compare: Compare, boards_dir: Path) -> None:
    app = steady_app(None, boards_dir=BOARDS)
    assert snap_compare(app, terminal_size=(80, 24), run_before=loaded)


def test_the_picker_at_80x24(snap_compare: Compare, board_file: Path) -> None:
    shutil.copyfile(board_file, board_file.with_name("second.toml"))
    app = steady_app(None, boards_dir=BOARDS)
    assert snap_compare(app, terminal_size=(80, 24), run_before=loaded)


def test_the_card_editor_at_80x24(snap_compare: Compare, board_file: Path) -> None:
    app = steady_app(FAMILY)
    assert snap_compare(app, press=["e"], terminal_size=(80, 24), run_before=loaded)


def test_help_at_80x24(snap_compare: Compare, board_file: Path) -> None:
    app = steady_app(FAMILY)
    assert snap_compare(app, press=["question_mark"], terminal_size=(80, 24), run_before=loaded)


def test_an_archived_card_shown_at_80x24(snap_compare: Compare, board_file: Path) -> None:
    """The key bar says "d Restore" on an archived card."""
    app = steady_app(FAMILY)
    keys = ["a", "end"]
    assert snap_compare(app, press=keys, terminal_size=(80, 24), run_before=loaded)

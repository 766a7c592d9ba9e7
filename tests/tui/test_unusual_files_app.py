"""The app next to files that are not as they should be: an invalid board gets nothing
written beside it; a presence entry that cannot be written is said once, and the
others are still shown; a named pipe is refused, not waited on (README, "Safe writes" and
"Many people, one board")."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from sprintboard import presence
from sprintboard.presence import PresenceRegistry, folder_for
from sprintboard.storage import BoardFileError
from sprintboard.tui.screens import board
from sprintboard.tui.widgets.header import SprintHeader

from .helpers import board_screen, settle, steady_app
from .terminal import sprintboard

SIZE = (100, 30)


async def test_an_invalid_board_gets_no_presence_folder_until_it_is_valid(
    write_board: Callable[..., Path],
) -> None:
    path = write_board("schema = 1\ntitle = \n")
    folder = path.parent
    app = steady_app(path, presence=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert sorted(p.name for p in folder.iterdir()) == ["x.toml"]  # nothing beside it
        write_board()  # fixed: the board opens, and only now does presence start
        board_screen(app).live.check_file()
        await settle(pilot)
        assert folder_for(path).is_dir() and (folder / ".gitignore").is_file()
        assert len(list(folder_for(path).glob("*.json"))) == 1


async def test_an_entry_that_cannot_be_written_is_said_once_and_others_still_show(
    board_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna = PresenceRegistry(board_file, "anna")
    anna.join()

    def refused(path: Path, data: bytes, mode: int | None = None) -> None:
        raise BoardFileError(path.parent, "cannot write in its folder: Permission denied")

    monkeypatch.setattr(presence, "write_atomic", refused)
    monkeypatch.setattr(board, "HEARTBEAT", 0.05)
    app = steady_app(board_file, presence=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(40):
            await pilot.pause(0.05)
            if app.screen.query_one(SprintHeader).others:
                break
        assert "anna" in app.screen.query_one(SprintHeader).others
        await pilot.pause(0.3)  # more heartbeats, all failing: still said only once
        said = [str(n.message) for n in app._notifications if "cannot see" in str(n.message)]
        assert said == [
            "Others cannot see that you have this board open: "
            f"{folder_for(board_file)}: cannot write in its folder: Permission denied"
        ]
    anna.leave()


def test_the_app_shows_why_a_named_pipe_cannot_be_opened_and_quits(tmp_path: Path) -> None:
    """A board that is a named pipe once blocked the app for good: it waited for a writer."""
    fifo = tmp_path / "boards" / "x.toml"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    app = sprintboard(tmp_path, "--as", "nanna", "open", str(fifo), size=SIZE)
    try:
        app.wait_until(lambda: "is a named pipe" in app.output.decode(errors="replace"), 30, "why")
        app.send("q")
        app.wait_until(app.ended, 10, "the app to quit")
    finally:
        app.close()
    assert sorted(p.name for p in fifo.parent.iterdir()) == ["x.toml"]  # nothing beside it

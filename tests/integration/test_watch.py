"""Outside changes to a board file are noticed, by inotify and by polling."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from sprintboard import ops, watch
from sprintboard.model import Board
from sprintboard.session import commit, create


def wait_for(event: threading.Event, seconds: float) -> float:
    started = time.monotonic()
    assert event.wait(seconds), f"no change noticed within {seconds} s"
    return time.monotonic() - started


@pytest.mark.parametrize("polling", [False, True], ids=["inotify", "polling"])
def test_a_write_by_someone_else_is_noticed_within_a_second(tmp_path: Path, polling: bool) -> None:
    board = tmp_path / "b.toml"
    create(board, Board.model_validate({"schema": 1, "title": "B"}))
    changed = threading.Event()
    watcher = watch.watch(board, changed.set, polling=polling)
    try:
        assert watcher.kind == ("polling" if polling else "inotify")
        time.sleep(0.1)
        assert not changed.is_set()  # nothing happened yet: no false alarm
        commit(board, ops.AddCard("from elsewhere"))  # an atomic replace: a new inode
        wait_for(changed, 1.0)
        changed.clear()
        commit(board, ops.AddCard("and again"))  # still watched after the replace
        wait_for(changed, 1.0)
        changed.clear()
        board.write_text(board.read_text() + "\n")  # an editor writing in place
        wait_for(changed, 1.0)
    finally:
        watcher.stop()


def test_changes_to_other_files_in_the_folder_are_ignored(tmp_path: Path) -> None:
    board = tmp_path / "b.toml"
    create(board, Board.model_validate({"schema": 1, "title": "B"}))
    changed = threading.Event()
    watcher = watch.watch(board, changed.set)
    try:
        (tmp_path / "other.toml").write_text("x = 1\n")
        assert not changed.wait(0.3)
    finally:
        watcher.stop()


def test_local_folders_are_not_taken_for_network_ones(tmp_path: Path) -> None:
    assert not watch.is_remote(tmp_path / "b.toml")

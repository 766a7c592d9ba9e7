"""Who has a board open: entries appear, show to others, and vanish when an app dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sprintboard import presence
from sprintboard.presence import PresenceRegistry

JOIN_AND_WAIT = (
    "import sys, time; from pathlib import Path\n"
    "from sprintboard.presence import PresenceRegistry\n"
    "r = PresenceRegistry(Path(sys.argv[1]), sys.argv[2]); r.join(); print('joined', flush=True)\n"
    "time.sleep(60)"
)


def start_app(board: Path, actor: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", JOIN_AND_WAIT, str(board), actor], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "joined"
    return proc


def test_other_apps_are_seen_and_a_killed_one_disappears(tmp_path: Path) -> None:
    board = tmp_path / "b.toml"
    board.write_text("")
    me = PresenceRegistry(board, "nanna")
    me.join()
    anna, omar = start_app(board, "anna"), start_app(board, "omar")
    try:
        assert [p.actor for p in me.others()] == ["anna", "omar"]
        os.kill(anna.pid, signal.SIGKILL)
        anna.wait()
        assert [p.actor for p in me.others()] == ["omar"]  # a dead pid on this host: gone
        assert "nanna" in [p.actor for p in PresenceRegistry(board, "x").others()]
    finally:
        anna.kill()
        omar.kill()
        omar.wait()
    me.leave()
    assert PresenceRegistry(board, "x").others() == []


def test_entries_not_touched_for_a_while_count_as_gone(tmp_path: Path) -> None:
    board = tmp_path / "b.toml"
    other = PresenceRegistry(board, "remote")
    other.join()
    me = PresenceRegistry(board, "me")
    now = time.time()
    assert [p.actor for p in me.others(now)] == ["remote"]
    assert me.others(now + presence.STALE + 1) == []  # its heartbeat stopped: removed
    assert not other.file.exists()
    other.beat()  # a living app that was swept comes back at its next heartbeat
    assert [p.actor for p in me.others()] == ["remote"]


def test_presence_files_are_ignored_by_git(tmp_path: Path) -> None:
    board = tmp_path / "b.toml"
    PresenceRegistry(board, "me").join()
    ignore = (tmp_path / ".gitignore").read_text()
    assert ".*.toml.presence/" in ignore.splitlines()
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert ".presence" not in status


def test_a_killed_app_not_yet_reaped_counts_as_gone(tmp_path: Path) -> None:
    board = tmp_path / "b.toml"
    me = PresenceRegistry(board, "me")
    zombie = start_app(board, "zombie")
    try:
        os.kill(zombie.pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while Path(f"/proc/{zombie.pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z":
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert me.others() == []  # not waited for (a zombie), yet not shown
    finally:
        zombie.wait()

"""`open --guest` on the command line: what it refuses before any app starts.

Run as people (and the SSH entry) run it: the real executable, in a subprocess. Each
refusal is one line and exit 1 — no picker, no new-board screen, no traceback.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .terminal import EXECUTABLE, clean_env


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXECUTABLE), *args],
        cwd=tmp_path,
        env=clean_env(tmp_path, **env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_a_guest_needs_a_board(tmp_path: Path, board_file: Path) -> None:
    # one board in ./boards: an ordinary `open` would open it; a guest's never picks one
    line = one_line(run(tmp_path, "--as", "birthe", "open", "--guest"))
    assert "--guest needs a BOARD" in line


def test_a_guest_needs_to_be_someone(tmp_path: Path, board_file: Path) -> None:
    # not even $SPRINTBOARD_USER: the server says who the guest is, on the command line
    line = one_line(run(tmp_path, "open", "--guest", str(board_file), SPRINTBOARD_USER="x"))
    assert "--as" in line


@pytest.mark.parametrize("kind", ["missing", "folder", "unreadable-link"])
def test_a_guests_board_must_be_there_and_readable(
    tmp_path: Path, boards_dir: Path, kind: str
) -> None:
    target = boards_dir / "x.toml"
    if kind == "folder":
        target.mkdir()
    elif kind == "unreadable-link":
        target.symlink_to(target)  # a loop: it cannot be read
    line = one_line(run(tmp_path, "--as", "birthe", "open", "--guest", str(target)))
    assert line.startswith(f"{target}: cannot open the board")
    assert sorted(p.name for p in boards_dir.iterdir()) == (
        [] if kind == "missing" else ["x.toml"]
    )  # nothing made: no new board, no lock, no presence


def test_a_bad_name_is_refused_as_for_any_open(tmp_path: Path, board_file: Path) -> None:
    line = one_line(run(tmp_path, "--as", "bad\x1bname", "open", "--guest", str(board_file)))
    assert "\x1b" not in line and "--as" in line

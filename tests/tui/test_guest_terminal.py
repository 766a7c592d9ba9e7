"""The real executable in a pty: a guest's app, signals, a dropped terminal, a burst.

SIGHUP (the guest's connection dropped, or the terminal closed) and SIGTERM (the
server ending a session) end every app as q does: the change made is in the board
file, the presence entry is gone, the exit code is 0 — also when the terminal went
away first, so every write to it fails (EIO).
"""

from __future__ import annotations

import fcntl
import os
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from sprintboard import storage
from sprintboard.model import Stage
from sprintboard.storage.locks import lock_path
from sprintboard.tui.app import SIGNAL_GRACE

from .terminal import EXECUTABLE, Terminal, clean_env

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")

SIZE = (100, 30)


@contextmanager
def guest_app(tmp_path: Path, board: Path, *args: str) -> Iterator[Terminal]:
    """`sprintboard --as birthe open --guest BOARD` in a pty, as the SSH entry starts it;
    ended (killed if it must be) whatever the test does."""
    env = clean_env(tmp_path, XDG_STATE_HOME=str(tmp_path / "state"))
    command = [str(EXECUTABLE), "--as", "birthe", "open", "--guest", *args, str(board)]
    terminal = Terminal(command, env, tmp_path, SIZE)
    try:
        yield terminal
    finally:
        if terminal.process.poll() is None:
            os.killpg(terminal.process.pid, signal.SIGKILL)
            terminal.process.wait()
        with suppress(OSError):  # closed by the test already: the terminal that went away
            os.close(terminal.fd)


def presence_entries(board: Path) -> list[Path]:
    folder = board.parent / f".{board.name}.presence"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def stage_on_disk(board: Path, card: str) -> Stage:
    return storage.load(board).board.cards[card].stage


def waiting_for_lock(lock: Path) -> bool:
    """Whether some process waits in the kernel for the flock on `lock` (/proc/locks)."""
    inode = os.stat(lock).st_ino
    lines = Path("/proc/locks").read_text(encoding="ascii").splitlines()
    return any("->" in line and line.split()[-3].endswith(f":{inode}") for line in lines)


def moved_on(terminal: Terminal, board: Path) -> None:
    """Wait for the board and its presence entry, move the first idea on, wait for the save."""
    terminal.wait_until(lambda: b"Saturday art" in terminal.output, 30, "the board")
    terminal.wait_until(lambda: bool(presence_entries(board)), 10, "presence")
    terminal.send("L")
    terminal.wait_until(lambda: stage_on_disk(board, "aaaa0001") is Stage.PROTOTYPE, 10, "the move")


@pytest.mark.parametrize("number", [signal.SIGHUP, signal.SIGTERM], ids=["HUP", "TERM"])
def test_a_signal_ends_the_app_with_its_change_saved_and_its_presence_gone(
    tmp_path: Path, board_file: Path, number: signal.Signals
) -> None:
    with guest_app(tmp_path, board_file) as terminal:
        moved_on(terminal, board_file)
        os.kill(terminal.process.pid, number)
        terminal.wait_until(terminal.ended, 5, "the app to end")
        assert terminal.process.returncode == 0
        assert b"Traceback" not in terminal.output
    assert presence_entries(board_file) == []


def test_a_change_still_held_at_the_signal_is_saved_on_the_way_out(
    tmp_path: Path, board_file: Path
) -> None:
    # another writer holds the board's lock: the move waits in the app's save when
    # SIGTERM comes; once the lock is free the move is written, and only then it ends
    with guest_app(tmp_path, board_file) as terminal:
        terminal.wait_until(lambda: b"Saturday art" in terminal.output, 30, "the board")
        lock = lock_path(board_file)
        with lock.open("a") as held:
            fcntl.flock(held, fcntl.LOCK_EX)
            try:
                terminal.send("L")
                terminal.wait_until(lambda: waiting_for_lock(lock), 10, "the save to wait")
                os.kill(terminal.process.pid, signal.SIGTERM)
                terminal.read(0.5)  # it may not end while the change is not saved
                assert not terminal.ended()
                # nor when told again (the server ending a session: hang-up, then TERM)
                os.kill(terminal.process.pid, signal.SIGHUP)
                os.kill(terminal.process.pid, signal.SIGTERM)
                terminal.read(0.5)
                assert not terminal.ended()
                assert stage_on_disk(board_file, "aaaa0001") is Stage.IDEA
            finally:
                fcntl.flock(held, fcntl.LOCK_UN)
        terminal.wait_until(terminal.ended, 10, "the app to end")
        assert terminal.process.returncode == 0
    assert stage_on_disk(board_file, "aaaa0001") is Stage.PROTOTYPE
    assert presence_entries(board_file) == []


def test_the_terminal_gone_then_a_hang_up_ends_the_app_without_hanging(
    tmp_path: Path, board_file: Path
) -> None:
    # a dropped connection: the pty's other side closes, then the hang-up comes; every
    # write to the terminal fails from then on, and none of that may hold the app up
    with guest_app(tmp_path, board_file) as terminal:
        moved_on(terminal, board_file)
        os.close(terminal.fd)
        os.kill(terminal.process.pid, signal.SIGHUP)
        try:
            terminal.process.wait(timeout=5)
        except Exception as error:
            raise AssertionError("the app did not end within 5 s of the hang-up") from error
        assert terminal.process.returncode == 0
    assert presence_entries(board_file) == []


def blocked_writing(terminal: Terminal) -> bool:
    """Whether the program waits to write to its terminal: the pty's buffer is full (the
    other side reads nothing) and one of its threads sleeps in the kernel (/proc)."""
    unread = struct.unpack("i", fcntl.ioctl(terminal.fd, termios.FIONREAD, b"\0" * 4))[0]
    tasks = Path(f"/proc/{terminal.process.pid}/task").glob("*/wchan")
    return unread >= 4095 and any(task.read_text() == "wait_woken" for task in tasks)


def test_a_terminal_nobody_reads_does_not_keep_a_signalled_app_alive(
    tmp_path: Path, board_file: Path
) -> None:
    # a stalled connection: the app's writes block, its last frame's too; it still ends
    # (after the grace), its change on disk and its presence gone
    with guest_app(tmp_path, board_file) as terminal:
        moved_on(terminal, board_file)
        deadline = time.monotonic() + 20
        while not blocked_writing(terminal):
            assert time.monotonic() < deadline, "the app never blocked on its terminal"
            terminal.send("lh")  # redraws, none of them read
            time.sleep(0.05)  # the keys' pace, not a wait for something
        os.kill(terminal.process.pid, signal.SIGTERM)
        try:
            terminal.process.wait(timeout=SIGNAL_GRACE + 5)
        except subprocess.TimeoutExpired as error:
            raise AssertionError("a signalled app blocked on its terminal did not end") from error
        assert terminal.process.returncode == 0
    assert presence_entries(board_file) == []
    assert stage_on_disk(board_file, "aaaa0001") is Stage.PROTOTYPE


def test_a_guest_is_shown_to_the_others_by_their_members_name(
    tmp_path: Path, board_file: Path
) -> None:
    env = clean_env(tmp_path)
    with guest_app(tmp_path, board_file) as birthe:
        nanna = Terminal(
            [str(EXECUTABLE), "--as", "nanna", "open", str(board_file)], env, tmp_path, SIZE
        )
        try:
            nanna.wait_until(lambda: "with Birthe Sørensen" in nanna.header(), 30, "the guest")
            birthe.wait_until(lambda: "with Nanna Holm" in birthe.header(), 30, "the other")
        finally:
            nanna.close()


def test_a_burst_over_a_guests_app_acts_in_order(tmp_path: Path, board_file: Path) -> None:
    # one write: move the first idea on, E (off: no export dialog takes the next keys),
    # a new card where the moved one went (the selection follows it), a dot on it, and q
    with guest_app(tmp_path, board_file) as terminal:
        terminal.wait_until(lambda: b"Saturday art" in terminal.output, 30, "the board")
        terminal.send("LEnBurst from outside\rvq")
        terminal.wait_until(terminal.ended, 20, "the app to quit")
        assert terminal.process.returncode == 0
    board = storage.load(board_file).board
    assert board.cards["aaaa0001"].stage is Stage.PROTOTYPE
    added = [card for card in board.cards.values() if card.title == "Burst from outside"]
    assert len(added) == 1
    assert added[0].stage is Stage.PROTOTYPE and added[0].votes == {"birthe": 1}
    assert not list(tmp_path.glob("*.html")) and not list(tmp_path.glob("*.md"))


def test_a_guest_is_not_shown_the_servers_broken_keymap(tmp_path: Path, board_file: Path) -> None:
    config = tmp_path / "config"  # the server's $XDG_CONFIG_HOME (`clean_env`)
    (config / "sprintboard").mkdir(parents=True)
    (config / "sprintboard" / "keymap.toml").write_text("not = [toml\n", encoding="utf-8")
    with guest_app(tmp_path, board_file) as terminal:
        terminal.wait_until(lambda: b"Saturday art" in terminal.output, 30, "the board")
        terminal.send("q")
        terminal.wait_until(terminal.ended, 10, "the app to quit")
    assert b"keymap.toml" not in terminal.output and str(config).encode() not in terminal.output
    # an ordinary app says it, as before
    command = [str(EXECUTABLE), "--as", "nanna", "open", str(board_file)]
    ordinary = Terminal(command, clean_env(tmp_path), tmp_path, SIZE)
    try:
        ordinary.wait_until(ordinary.wrote(b"keymap.toml: ignored"), 30, "the warning")
    finally:
        ordinary.close()

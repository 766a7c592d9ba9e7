"""An app told to end as it starts: the page closed while the board loads, or a hang-up.

textual-serve sends ``{"type": "quit"}`` when a page goes; an SSH server's session
ends in SIGHUP. Either may come while the board screen is still being mounted. The
app then ends as on q: exit code 0, nothing on stderr, the board file as it was,
nobody left in its presence folder, no process left over.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .terminal import EXECUTABLE, Terminal, clean_env
from .test_guest_terminal import presence_entries
from .web_pipe import WebApp, guest_web_app, quit_packet

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs pipes and a pty")

SIZE = (80, 24)
DELAYS = [0.0, 0.02, 0.05, 0.1, 0.2]
"""Seconds after the app is up (its prelude, its signal handlers) before it is told to
end: the race is in the first tenths of a second, and where exactly varies by machine."""


@contextmanager
def web_app(tmp_path: Path, board: Path) -> Iterator[WebApp]:
    app = guest_web_app(tmp_path, board, "birthe", SIZE)
    try:
        yield app
    finally:
        app.close()


def group_gone(pid: int) -> bool:
    """Whether no process is left in the process group the app started (its own)."""
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return True
    return False


def ended_as_on_q(app: WebApp, board: Path, before: bytes) -> None:
    app.wait_until(app.ended, 20, "the app to end")
    app.wait_until(lambda: app.meta[-1:] == [{"type": "exit"}], 5, "the exit packet")
    assert app.process.returncode == 0, app.stderr.decode(errors="replace")
    assert app.stderr == b""
    assert board.read_bytes() == before
    assert presence_entries(board) == []
    assert group_gone(app.process.pid)


def test_a_quit_sent_before_the_app_reads_anything_ends_it_cleanly(
    tmp_path: Path, board_file: Path
) -> None:
    before = board_file.read_bytes()
    with web_app(tmp_path, board_file) as app:
        app.send(quit_packet())  # in the pipe before the driver even starts
        ended_as_on_q(app, board_file, before)


@pytest.mark.parametrize("delay", DELAYS)
def test_a_quit_right_after_the_app_is_up_ends_it_cleanly(
    tmp_path: Path, board_file: Path, delay: float
) -> None:
    before = board_file.read_bytes()
    with web_app(tmp_path, board_file) as app:
        app.wait_until(lambda: app.started, 20, "the driver's prelude")
        time.sleep(delay)  # the moment the page closes: the test's parameter, not a wait
        app.send(quit_packet())
        ended_as_on_q(app, board_file, before)


def test_a_quit_once_the_board_is_shown_ends_it_cleanly(tmp_path: Path, board_file: Path) -> None:
    before = board_file.read_bytes()
    with web_app(tmp_path, board_file) as app:
        app.wait_until(app.shows("Saturday art"), 30, "the board")
        app.send(quit_packet())
        ended_as_on_q(app, board_file, before)


def catches(pid: int, number: signal.Signals) -> bool:
    """Whether process `pid` has a handler for signal `number` (its SigCgt in /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    for line in status.splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) >> (number - 1) & 1)
    return False


def handlers_in(terminal: Terminal) -> None:
    """Wait until the app in `terminal` handles SIGHUP and SIGTERM (set one after the
    other), looking every millisecond: the
    race is within tens of them after (`Terminal.wait_until` reads until the output
    pauses, which is too late)."""
    deadline = time.monotonic() + 30
    pid = terminal.process.pid
    while not (catches(pid, signal.SIGHUP) and catches(pid, signal.SIGTERM)):
        assert time.monotonic() < deadline, "the app never set its signal handlers"
        assert terminal.process.poll() is None, terminal.output[-3000:]
        terminal.read(0)  # what it wrote so far, without waiting: its terminal never fills
        time.sleep(0.001)


@pytest.mark.parametrize("delay", DELAYS)
@pytest.mark.parametrize("number", [signal.SIGHUP, signal.SIGTERM], ids=["HUP", "TERM"])
def test_a_signal_right_as_the_app_starts_in_a_terminal_ends_it_cleanly(
    tmp_path: Path, board_file: Path, number: signal.Signals, delay: float
) -> None:
    before = board_file.read_bytes()
    env = clean_env(tmp_path, XDG_STATE_HOME=str(tmp_path / "state"))
    command = [str(EXECUTABLE), "--as", "nanna", "open", str(board_file)]
    terminal = Terminal(command, env, tmp_path, (100, 30))
    try:
        pid = terminal.process.pid
        # before its handlers are in, a signal ends Python itself (nothing of the board
        # is open then); from the moment they are, the app must end as on q
        handlers_in(terminal)
        time.sleep(delay)  # the moment of the hang-up: the test's parameter, not a wait
        os.kill(pid, number)
        terminal.wait_until(terminal.ended, 20, "the app to end")
        terminal.read()
        assert terminal.process.returncode == 0, terminal.output[-3000:]
        assert b"Traceback" not in terminal.output
        assert b"Error" not in terminal.output
    finally:
        terminal.close()
    assert board_file.read_bytes() == before
    assert presence_entries(board_file) == []
    assert group_gone(pid)


def test_q_first_in_a_burst_ends_the_app_cleanly(tmp_path: Path, board_file: Path) -> None:
    # typed before the board is in: the keys wait for it, then q quits; what follows it
    # (a move) acts on nothing
    before = board_file.read_bytes()
    with web_app(tmp_path, board_file) as app:
        app.wait_until(lambda: app.started, 20, "the driver's prelude")
        app.send_keys("qLL")
        ended_as_on_q(app, board_file, before)

"""The real `sprintboard` executable in a pseudo-terminal: a key moves a card, q quits."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sprintboard import storage
from sprintboard.model import Stage

from .helpers import FIXTURES

EXECUTABLE = Path(sys.executable).parent / "sprintboard"

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or not EXECUTABLE.exists(), reason="needs a pty and the executable"
)


class Terminal:
    """A program running in a pseudo-terminal of a fixed size, with everything it wrote."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path, size: tuple[int, int]):
        self.fd, child = pty.openpty()
        columns, rows = size
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.process = subprocess.Popen(
            args, stdin=child, stdout=child, stderr=child, env=env, cwd=cwd, start_new_session=True
        )
        os.close(child)
        self.output = b""

    def read(self, seconds: float = 0.05) -> None:
        while True:
            ready, _, _ = select.select([self.fd], [], [], seconds)
            if not ready:
                return
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # the program ended
                return
            if not chunk:
                return
            self.output += chunk

    def wait_until(self, done: Callable[[], bool], seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while not done():
            if time.monotonic() > deadline:
                tail = self.output[-600:].decode(errors="replace")
                raise AssertionError(f"timed out waiting for {what}; output ends with {tail!r}")
            self.read()

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.fd)


@pytest.mark.parametrize(
    ("term", "no_color"),
    [("xterm-256color", False), ("screen", True)],
    ids=["xterm", "screen-nocolor"],
)
def test_the_executable_moves_a_card_with_a_key_and_quits(
    tmp_path: Path, term: str, no_color: bool
) -> None:
    board = tmp_path / "boards" / "family.toml"
    board.parent.mkdir()
    shutil.copyfile(FIXTURES / "board.toml", board)
    before = board.read_bytes()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TEXTUAL", "NO_COLOR", "SPRINTBOARD"))
    }
    env.update(TERM=term, XDG_CONFIG_HOME=str(tmp_path / "config"), SPRINTBOARD_USER="nanna")
    if no_color:
        env["NO_COLOR"] = "1"
    terminal = Terminal([str(EXECUTABLE), "open", str(board)], env, tmp_path, (100, 30))
    try:
        terminal.wait_until(lambda: b"Saturday art" in terminal.output, 30, "the board")
        terminal.send("L")
        terminal.wait_until(lambda: board.read_bytes() != before, 10, "the file to change")
        terminal.send("q")
        terminal.wait_until(lambda: terminal.process.poll() is not None, 10, "the app to quit")
    finally:
        terminal.close()
    assert terminal.process.returncode == 0
    card = storage.load(board).board.cards["aaaa0001"]
    assert card.stage is Stage.PROTOTYPE
    assert card.history[-1].by == "nanna"
    if no_color:
        assert b"\x1b[38;2;" not in terminal.output and b"\x1b[38;5;" not in terminal.output

"""The real `sprintboard` executable in a pseudo-terminal, and what its screen shows.

`Terminal` runs a program in a pty of a fixed size and keeps everything it wrote.
`ScreenText` replays that output (cursor moves and text: the part of VT100 that
Textual uses to draw) into rows of characters, so a test can ask what a line of the
screen says *now* — which a search of the raw output cannot tell once the text has
been drawn over.
"""

from __future__ import annotations

import codecs
import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

from rich.cells import get_character_cell_size

EXECUTABLE = Path(sys.executable).parent / "sprintboard"

_CSI = re.compile(r"\x1b\[([0-9;?<>=]*)([ -/]*)([@-~])")
_OSC = re.compile(r"\x1b\][^\x07\x1b]*(\x07|\x1b\\)")


class ScreenText:
    """The characters on a terminal screen, from the output written to it."""

    def __init__(self, columns: int, rows: int) -> None:
        self.columns = columns
        self.cells = [[" "] * columns for _ in range(rows)]
        self.x = self.y = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._rest = ""

    def row(self, number: int) -> str:
        return "".join(self.cells[number]).rstrip()

    def feed(self, data: bytes) -> None:
        text = self._rest + self._decoder.decode(data)
        self._rest = ""
        index = 0
        while index < len(text):
            char = text[index]
            if char == "\x1b":
                end = self._escape(text, index)
                if end is None:  # cut off: the rest comes with the next read
                    self._rest = text[index:]
                    return
                index = end
                continue
            if char == "\r":
                self.x = 0
            elif char == "\n":
                self.y = min(self.y + 1, len(self.cells) - 1)
            elif char == "\b":
                self.x = max(self.x - 1, 0)
            elif char >= " ":
                self._put(char)
            index += 1

    def _put(self, char: str) -> None:
        width = get_character_cell_size(char)
        if width == 0:
            return
        if 0 <= self.y < len(self.cells) and 0 <= self.x < self.columns:
            self.cells[self.y][self.x] = char
            if width == 2 and self.x + 1 < self.columns:
                self.cells[self.y][self.x + 1] = ""
        self.x += width

    def _escape(self, text: str, index: int) -> int | None:
        """Apply the escape sequence at `index`; where it ends (None: incomplete)."""
        if index + 1 >= len(text):
            return None
        kind = text[index + 1]
        if kind == "[":
            match = _CSI.match(text, index)
            if match is None:
                return None if len(text) - index < 32 else index + 2
            self._csi(match.group(1), match.group(3))
            return match.end()
        if kind == "]":
            osc = _OSC.match(text, index)
            return osc.end() if osc is not None else None
        if kind in "()":  # character set selection: one more character
            return index + 3 if index + 2 < len(text) else None
        return index + 2

    def _csi(self, params: str, final: str) -> None:
        if params.startswith(("?", "<", ">", "=")):
            return  # modes: nothing drawn
        numbers = [int(p) if p else 0 for p in params.split(";")] if params else []

        def arg(n: int, default: int = 1) -> int:
            return numbers[n] if len(numbers) > n and numbers[n] else default

        if final in "Hf":
            self.y, self.x = arg(0) - 1, arg(1) - 1
        elif final == "G":
            self.x = arg(0) - 1
        elif final == "A":
            self.y = max(self.y - arg(0), 0)
        elif final == "B":
            self.y = min(self.y + arg(0), len(self.cells) - 1)
        elif final == "C":
            self.x += arg(0)
        elif final == "D":
            self.x = max(self.x - arg(0), 0)
        elif final == "J" and arg(0, 0) == 2:
            self.cells = [[" "] * self.columns for _ in self.cells]
        elif final == "K" and 0 <= self.y < len(self.cells):
            line = self.cells[self.y]
            start = self.x if arg(0, 0) == 0 else 0
            for column in range(max(start, 0), self.columns):
                line[column] = " "


class Terminal:
    """A program running in a pseudo-terminal of a fixed size, with everything it wrote."""

    def __init__(
        self,
        args: list[str],
        env: dict[str, str],
        cwd: Path,
        size: tuple[int, int],
        *,
        controlling: bool = False,
    ):
        """`controlling`: the pty is also the program's controlling terminal, for programs
        that read from /dev/tty (ssh asks for its codes and passwords there)."""
        self.fd, child = pty.openpty()
        columns, rows = size
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.process = subprocess.Popen(
            args,
            stdin=child,
            stdout=child,
            stderr=child,
            env=env,
            cwd=cwd,
            start_new_session=True,
            preexec_fn=_take_terminal if controlling else None,
        )
        os.close(child)
        self.output = b""
        self.screen = ScreenText(columns, rows)

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
            self.screen.feed(chunk)

    def wait_until(self, done: Callable[[], bool], seconds: float, what: str) -> float:
        """Read until `done()`; the seconds it took."""
        began = time.monotonic()
        while not done():
            if time.monotonic() - began > seconds:
                tail = self.output[-600:].decode(errors="replace")
                raise AssertionError(f"timed out waiting for {what}; output ends with {tail!r}")
            self.read()
        return time.monotonic() - began

    def header(self) -> str:
        """The top row: the app's header (the sprint, and who else has the board open)."""
        return self.screen.row(0)

    def ended(self) -> bool:
        """Whether the program has exited: a `done` for `wait_until`."""
        return self.process.poll() is not None

    def wrote(self, text: bytes) -> Callable[[], bool]:
        """A `done` for `wait_until`: whether the program has written `text` yet."""
        return lambda: text in self.output

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.fd)


def _take_terminal() -> None:
    """In the child, after `setsid`: the pty on fd 0 becomes its controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def sprintboard(tmp_path: Path, *args: str, size: tuple[int, int], **env: str) -> Terminal:
    """The real `sprintboard ARGS` in a terminal of `size`, run in `tmp_path` with a clean
    environment (plus `env`)."""
    return Terminal([str(EXECUTABLE), *args], clean_env(tmp_path, **env), tmp_path, size)


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment for the executable: no test or user settings leaking in."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TEXTUAL", "NO_COLOR", "SPRINTBOARD"))
    }
    env.update(TERM="xterm-256color", XDG_CONFIG_HOME=str(tmp_path / "config"), **extra)
    return env

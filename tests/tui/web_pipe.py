"""The real `sprintboard` executable under Textual's web driver, spoken to as textual-serve does.

`WebApp` starts the app with ``TEXTUAL_DRIVER=textual.drivers.web_driver:WebDriver`` on
pipes (no pty), as textual-serve's `AppService` does, and reads what it writes: the
``__GANGLION__`` line, then packets of a type byte, a 4-byte big-endian length and a
payload — ``D`` terminal output (replayed into a `ScreenText`), ``M`` JSON meta
(``exit``, ``deliver_file_start`` …), ``P`` binary-encoded ``deliver_chunk``. It writes
the same framing: keys as ``D``, and meta such as ``quit`` or ``deliver_chunk_request``.
`download` fetches a delivered file the way textual-serve's download manager does.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from functools import partial
from pathlib import Path
from typing import Any

from textual_serve._binary_encode import load as binary_load

from .terminal import EXECUTABLE, ScreenText, clean_env

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
PRELUDE = b"__GANGLION__\n"
CHUNK = 64 * 1024
"""The size textual-serve asks for in each ``deliver_chunk_request``."""
STDERR_LIMIT = 1 << 20


def packet(kind: bytes, payload: bytes) -> bytes:
    return kind + len(payload).to_bytes(4, "big") + payload


def quit_packet() -> bytes:
    """What textual-serve sends when the page goes (`AppService.stop`)."""
    return packet(b"M", json.dumps({"type": "quit"}).encode())


def web_env(tmp_path: Path, size: tuple[int, int], **extra: str) -> dict[str, str]:
    """The app's environment under the web driver: `clean_env`, its own HOME and state."""
    columns, rows = size
    return clean_env(
        tmp_path,
        HOME=str(tmp_path / "home"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        TEXTUAL_DRIVER=WEB_DRIVER,
        COLUMNS=str(columns),
        ROWS=str(rows),
        **extra,
    )


class WebApp:
    """A program under the web driver, on pipes, with everything it wrote so far."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path, size: tuple[int, int]):
        self.process = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        self.screen = ScreenText(*size)
        self.started = False
        """Whether the prelude line came: the driver is in application mode."""
        self.meta: list[dict[str, Any]] = []
        self.chunks: list[tuple[str, bytes]] = []
        """``deliver_chunk`` packets: (delivery key, bytes)."""
        self.output = 0
        """Bytes of terminal output (``D``) so far."""
        self.stderr = b""
        self._changed = threading.Condition()
        self._threads = [
            threading.Thread(target=self._read_stdout, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    # --- reading -----------------------------------------------------------------------

    def _read_stdout(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        line = stdout.readline()
        with self._changed:
            self.started = line == PRELUDE
            self._changed.notify_all()
        while True:
            head = stdout.read(5)
            if len(head) < 5:
                break
            payload = stdout.read(int.from_bytes(head[1:], "big"))
            with self._changed:
                self._take(head[:1], payload)
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def _take(self, kind: bytes, payload: bytes) -> None:
        if kind == b"D":
            self.output += len(payload)
            self.screen.feed(payload)
        elif kind == b"M":
            self.meta.append(json.loads(payload))
        elif kind == b"P":
            unpacked: Any = binary_load(payload)
            if unpacked[0] == "deliver_chunk":
                # a text file's chunks are str, encoded by the server as the file says
                chunk = unpacked[2]
                data = chunk.encode("utf-8") if isinstance(chunk, str) else bytes(chunk)
                self.chunks.append((str(unpacked[1]), data))

    def _read_stderr(self) -> None:
        stderr = self.process.stderr
        assert stderr is not None
        while data := stderr.read(4096):
            if len(self.stderr) < STDERR_LIMIT:
                self.stderr += data

    def wait_until(self, done: Callable[[], bool], seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        with self._changed:
            while not done():
                left = deadline - time.monotonic()
                if left <= 0:
                    rows = [self.screen.row(n) for n in range(len(self.screen.cells))]
                    raise AssertionError(
                        f"timed out waiting for {what}; the screen: {rows!r}; "
                        f"stderr: {self.stderr[-2000:]!r}"
                    )
                # the process may end without a packet: look again at least every 0.1 s
                self._changed.wait(min(left, 0.1))

    def ended(self) -> bool:
        return self.process.poll() is not None

    def shows(self, text: str) -> Callable[[], bool]:
        """A `done` for `wait_until`: some row of the screen holds `text`."""
        rows = range(len(self.screen.cells))
        return lambda: any(text in self.screen.row(n) for n in rows)

    def deliveries(self) -> list[dict[str, Any]]:
        return [meta for meta in self.meta if meta.get("type") == "deliver_file_start"]

    # --- writing -----------------------------------------------------------------------

    def send(self, data: bytes) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(data)
        stdin.flush()

    def send_keys(self, keys: str) -> None:
        self.send(packet(b"D", keys.encode()))

    def send_meta(self, meta: dict[str, Any]) -> None:
        self.send(packet(b"M", json.dumps(meta).encode()))

    def download(self, key: str, seconds: float = 20) -> bytes:
        """The delivered file `key`, asked for chunk by chunk until an empty one, as
        textual-serve's `DownloadManager.download` does."""
        data = b""
        while True:
            count = len(self.chunks)
            self.send_meta({"type": "deliver_chunk_request", "key": key, "size": CHUNK})
            self.wait_until(partial(self._more_chunks, count), seconds, "a chunk")
            got_key, chunk = self.chunks[count]
            assert got_key == key
            if not chunk:
                return data
            data += chunk

    def _more_chunks(self, count: int) -> bool:
        return len(self.chunks) > count

    def close(self) -> None:
        """End the program (its whole group, killed) if it still runs; close the pipes."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        for thread in self._threads:
            thread.join(5)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                with suppress(OSError):  # stdin of a program that has gone: its flush fails
                    stream.close()


def guest_web_app(tmp_path: Path, board: Path, member: str, size: tuple[int, int]) -> WebApp:
    """`sprintboard --as MEMBER open --guest BOARD` under the web driver, run in `tmp_path`."""
    for folder in ("home", "state"):
        (tmp_path / folder).mkdir(exist_ok=True)
    command = [str(EXECUTABLE), "--as", member, "open", "--guest", str(board)]
    return WebApp(command, web_env(tmp_path, size), tmp_path, size)

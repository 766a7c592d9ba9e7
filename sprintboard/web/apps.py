"""One guest's app process under Textual's web driver, and its packets.

A small packet loop of our own rather than textual-serve's `AppService`: that class
starts its command through a shell with the server's whole environment, keeps the
app's stderr without bound and copies it raw to the server's stdout, and ends the app
only by asking it to quit. Overriding it would replace nearly every method; this is
smaller, and what it does is what the entry needs: exec (no shell), a clean
environment, its own process group, bounded packets and stderr, and an end that does
not depend on the app's good will.

The protocol (Textual's `web_driver`): the app prints ``__GANGLION__``, then packets
``TYPE + 4-byte big-endian length + payload``: ``D`` terminal output, ``M`` a JSON
meta (``exit``, ``open_url``, ``deliver_file_start``), ``P`` a binary-encoded
``deliver_chunk``. It reads the same framing: ``D`` keys, ``M`` ``resize``/``focus``/
``blur``/``quit``/``deliver_chunk_request``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from textual_serve._binary_encode import load as binary_load

PRELUDE = b"__GANGLION__\n"
PRELUDE_LINES = 10
"""Lines the app may print before the prelude (a warning) before it counts as broken."""
LONGEST_PACKET = 32 << 20
"""The largest packet taken from the app: a full 500 × 200 screen in truecolor is a few MiB."""
LONGEST_LINE = 4096
STDERR_KEPT = 8192
"""Bytes of the app's stderr kept (its last ones) to say why it failed."""
STREAM_LIMIT = 1 << 20


class AppEnded(Exception):
    """The app's output ended or broke the protocol."""


@dataclass(frozen=True)
class Packet:
    """One packet from the app: ``D`` output bytes, ``M`` a meta dict, ``P`` a chunk."""

    kind: str
    data: bytes = b""
    meta: Mapping[str, object] | None = None
    chunk: tuple[str, bytes | str] | None = None  # ``P``: (delivery key, its bytes or text)


def encode(kind: bytes, payload: bytes) -> bytes:
    """A packet for the app's stdin."""
    return kind + len(payload).to_bytes(4, "big") + payload


class WebApp:
    """A running app: `start` it, `read` its packets, `send` it keys and metas, `end` it."""

    def __init__(self, process: asyncio.subprocess.Process, size: tuple[int, int]) -> None:
        self.process = process
        self.pid = process.pid
        self.size = size
        """The size it was started at (columns, rows)."""
        self._stderr = bytearray()
        self._stderr_task = asyncio.ensure_future(self._drain_stderr())
        self._ready = False

    @classmethod
    async def start(
        cls, command: list[str], env: Mapping[str, str], cwd: Path, size: tuple[int, int]
    ) -> WebApp:
        """Exec `command` (no shell) in `cwd` with exactly `env` plus what the web
        driver needs, in a session (and process group) of its own."""
        columns, rows = size
        environment = {
            **env,
            "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
            "TEXTUAL_FPS": "60",
            "TEXTUAL_COLOR_SYSTEM": "truecolor",
            "TERM_PROGRAM": "textual",
            "COLUMNS": str(columns),
            "ROWS": str(rows),
        }
        process = await asyncio.create_subprocess_exec(
            *command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            cwd=cwd,
            start_new_session=True,
            limit=STREAM_LIMIT,
        )
        return cls(process, size)

    async def _drain_stderr(self) -> None:
        stream = self.process.stderr
        assert stream is not None
        with contextlib.suppress(OSError, asyncio.CancelledError):
            while data := await stream.read(4096):
                self._stderr += data
                del self._stderr[:-STDERR_KEPT]

    def stderr(self) -> str:
        """The app's last words on stderr (bounded; not yet made safe to show)."""
        return self._stderr.decode("utf-8", "replace")

    async def read(self) -> Packet:
        """The next packet; `AppEnded` when the output ended or is not the protocol."""
        stream = self.process.stdout
        assert stream is not None
        try:
            if not self._ready:
                for _ in range(PRELUDE_LINES):
                    line = await stream.readuntil(b"\n")
                    if line == PRELUDE:
                        self._ready = True
                        break
                    if len(line) > LONGEST_LINE:
                        raise AppEnded()
                else:
                    raise AppEnded()
            head = await stream.readexactly(5)
            size = int.from_bytes(head[1:], "big")
            if size > LONGEST_PACKET:
                raise AppEnded()
            payload = await stream.readexactly(size)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError) as error:
            raise AppEnded() from error
        kind = head[:1]
        if kind == b"D":
            return Packet("D", data=payload)
        if kind == b"M":
            try:
                meta = json.loads(payload)
            except ValueError:
                return Packet("?")
            return Packet("M", meta=meta) if isinstance(meta, dict) else Packet("?")
        if kind == b"P":
            try:
                unpacked = binary_load(payload)
            except Exception:  # whatever the decoder raises: not a chunk we can use
                return Packet("?")
            if (
                isinstance(unpacked, (list, tuple))
                and len(unpacked) == 3
                and unpacked[0] == "deliver_chunk"
                and isinstance(unpacked[1], str)
                and isinstance(unpacked[2], (bytes, str))
            ):
                return Packet("P", chunk=(unpacked[1], unpacked[2]))
        return Packet("?")

    async def _write(self, packet: bytes) -> bool:
        stdin = self.process.stdin
        if stdin is None or stdin.is_closing():
            return False
        try:
            stdin.write(packet)
            await stdin.drain()
        except (OSError, RuntimeError):
            return False
        return True

    async def send_keys(self, text: str) -> bool:
        """The guest's typing (what xterm.js sends: text with escape sequences)."""
        return await self._write(encode(b"D", text.encode("utf-8", "replace")))

    async def send_meta(self, meta: Mapping[str, object]) -> bool:
        return await self._write(encode(b"M", json.dumps(meta).encode("utf-8")))

    def signal(self, number: int) -> None:
        """Send `number` to the app's whole process group (what it started too)."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, number)

    async def end(self, grace: float) -> int:
        """Ask the app to quit, then hang up on, terminate and kill its process group
        over `grace` seconds; its exit code once it is reaped."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.send_meta({"type": "quit"}), grace / 3)
        steps = ((grace / 3, signal.SIGHUP), (grace / 3, signal.SIGTERM), (grace / 3, None))
        for wait, number in steps:
            with contextlib.suppress(TimeoutError):
                return await asyncio.wait_for(asyncio.shield(self.wait()), wait)
            self.signal(number if number is not None else signal.SIGKILL)
        return await self.wait()

    async def wait(self) -> int:
        """The exit code once the app is reaped; its stderr read to the end."""
        code = await self.process.wait()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._stderr_task), 1)
        return code

"""A guest's terminal in the tests: an asyncssh client session whose bytes a real
terminal emulator (pyte) draws, so a test asks what the guest's screen shows *now*.

`GuestScreen` is the client side of one session: `text()` (the rows), `wait_for`
(poll the screen until a text shows, with a deadline), `send` (keys), `resize` (the
window, as `ssh` reports it), `wait_closed` (the exit status). `join` opens one.
`open_server` is a minimal server around a `Hub` — no authentication, every user name
a member — for the session tests; the real server's tests use its own fixtures.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import asyncssh
import pyte

from sprintboard.guests.limits import Guest
from sprintboard.ssh.host_key import load_or_create
from sprintboard.ssh.sessions import Hub


class GuestScreen(asyncssh.SSHClientSession[bytes]):
    """What one guest sees: everything the server sent, drawn on a pyte screen."""

    def __init__(self, columns: int, rows: int) -> None:
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.output = bytearray()
        self.exit_status: int | None = None
        self.closed = asyncio.Event()
        self.chan: asyncssh.SSHClientChannel[bytes] | None = None

    def connection_made(self, chan: asyncssh.SSHClientChannel[bytes]) -> None:
        self.chan = chan

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        self.output += data
        self.stream.feed(data)

    def exit_status_received(self, status: int) -> None:
        self.exit_status = status

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set()

    def text(self) -> list[str]:
        return [row.rstrip() for row in self.screen.display]

    def said(self) -> str:
        """Everything received, as text (for lines written after the app's screen)."""
        return self.output.decode(errors="replace")

    async def wait_for(self, text: str, timeout: float = 60) -> None:
        await self.wait_until(lambda: any(text in row for row in self.text()), timeout, text)

    async def wait_until(self, done: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                screen = "\n".join(self.text())
                raise AssertionError(f"timed out waiting for {what!r}; the screen:\n{screen}")
            await asyncio.sleep(0.05)

    def send(self, keys: str | bytes) -> None:
        assert self.chan is not None
        self.chan.write(keys.encode() if isinstance(keys, str) else keys)

    def resize(self, columns: int, rows: int) -> None:
        assert self.chan is not None
        self.screen.resize(rows, columns)
        self.chan.change_terminal_size(columns, rows)

    async def wait_closed(self, timeout: float = 30) -> int | None:
        await asyncio.wait_for(self.closed.wait(), timeout)
        return self.exit_status


async def join(
    port: int,
    user: str = "guest",
    *,
    size: tuple[int, int] = (80, 24),
    term_type: str | None = "xterm-256color",
    env: Mapping[str, str] | None = None,
    command: str | None = None,
    subsystem: str | None = None,
) -> tuple[asyncssh.SSHClientConnection, GuestScreen]:
    """A client connected as `user`, with one session (a pty unless `term_type` is None)."""
    conn = await asyncssh.connect(
        "127.0.0.1", port, username=user, known_hosts=None, client_keys=None, agent_path=None
    )
    try:
        pty = {"term_type": term_type, "term_size": size} if term_type is not None else {}
        _, screen = await conn.create_session(
            lambda: GuestScreen(*size),
            command,
            subsystem=subsystem,
            env=dict(env or {}),  # type: ignore[arg-type]  # a Mapping: invariant keys
            encoding=None,
            **pty,  # type: ignore[arg-type]
        )
    except BaseException:
        conn.close()
        raise
    assert isinstance(screen, GuestScreen)
    return conn, screen


class _Open(asyncssh.SSHServer):
    """Lets everyone in, as the member their user name says."""

    def __init__(self, hub: Hub, guest: Callable[[str, str], Guest]) -> None:
        self._hub = hub
        self._guest = guest
        self._user = ""
        self._peer = ""

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        host, port = conn.get_extra_info("peername")[:2]
        self._peer = f"{host}:{port}"

    def begin_auth(self, username: str) -> bool:
        self._user = username
        return False

    def session_requested(self) -> asyncssh.SSHServerSession[bytes]:
        return self._hub.session(self._guest(self._user, self._peer))


async def open_server(
    hub: Hub, folder: Path, guest: Callable[[str, str], Guest]
) -> tuple[asyncssh.SSHAcceptor, int]:
    """A server on 127.0.0.1, port 0, whose sessions are `hub`'s; its port."""
    server = await asyncssh.create_server(
        lambda: _Open(hub, guest),
        "127.0.0.1",
        0,
        server_host_keys=[load_or_create(folder)],
        encoding=None,
        line_editor=False,
        allow_scp=False,
    )
    return server, server.sockets[0].getsockname()[1]

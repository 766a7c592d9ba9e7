"""The session tests' server: a `Hub` behind the minimal server of `screen.py`, on a
copy of the app tests' board, with the app's state and settings in `tmp_path`.

`Served.join` opens a guest's connection and remembers it; the fixture closes every
connection, then the hub (every app ended and reaped), then the server — also when a
test fails. `spawned` records every app process any session started, so a test can
check each one and its process group are gone.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh
import pytest

from sprintboard.guests.limits import Guest, Limits
from sprintboard.ssh import sessions, terminal
from sprintboard.ssh.sessions import Hub

from .screen import GuestScreen, join, open_server

FIXTURE = Path(__file__).parent.parent / "tui" / "fixtures" / "board.toml"
NAMES = {"nanna": "Nanna Holm", "birthe": "Birthe Sørensen", "ahmed": "Ahmed Rahimi"}


@dataclass
class Served:
    hub: Hub
    port: int
    board: Path
    log: list[str]
    connections: list[asyncssh.SSHClientConnection] = field(default_factory=list)

    async def join(self, user: str = "nanna", **options: Any) -> GuestScreen:
        conn, screen = await join(self.port, user, **options)
        self.connections.append(conn)
        return screen

    async def wait_until(self, done: Callable[[], bool], what: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the log: {self.log}")
            await asyncio.sleep(0.05)


Serve = Callable[..., Awaitable[Served]]


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pid of every app a session starts."""
    pids: list[int] = []

    class Recorded(terminal.AppProcess):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            pids.append(self.pid)

    monkeypatch.setattr(sessions, "AppProcess", Recorded)
    return pids


@pytest.fixture
async def serve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Serve]:
    """`await serve(Limits(...))`: a running server; everything it started ends with the test."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name in list(os.environ):
        if name.startswith(("SPRINTBOARD", "TEXTUAL")):
            monkeypatch.delenv(name)
    boards = tmp_path / "boards"
    boards.mkdir()
    board = boards / "family.toml"
    shutil.copyfile(FIXTURE, board)
    state = tmp_path / "state" / "sprintboard"
    state.mkdir(parents=True)
    running: list[tuple[Served, asyncssh.SSHAcceptor]] = []

    async def start(limits: Limits | None = None) -> Served:
        log: list[str] = []
        hub = Hub(limits or Limits(), log.append)

        def guest(user: str, peer: str) -> Guest:
            return Guest("inv-" + user, board, user, NAMES.get(user, user), peer)

        server, port = await open_server(hub, state, guest)
        served = Served(hub, port, board, log)
        running.append((served, server))
        return served

    try:
        yield start
    finally:
        for served, server in running:
            for conn in served.connections:
                conn.close()
            await asyncio.wait_for(served.hub.close(), 30)
            server.close()
            await server.wait_closed()


def gone(pid: int) -> bool:
    """Whether the process and its whole process group have ended and been reaped."""
    for probe in (os.kill, os.killpg):
        try:
            probe(pid, 0)
        except ProcessLookupError:
            continue
        return False
    return True


def children() -> set[int]:
    """This process's children, from every thread's list in /proc."""
    found: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            found.update(int(pid) for pid in (task / "children").read_text().split())
        except OSError:
            continue
    return found

"""Fixtures of the browser entry's tests: a boards folder, link invitations, the real
server on 127.0.0.1 port 0 in the test's event loop, and a browser stand-in.

Everything is in the test's `tmp_path` (`XDG_STATE_HOME` too: the real state folder is
never touched). The server is closed in `finally` whatever the test did, every app it
started included; `spawned` records each app's pid so a test can check it is gone.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sprintboard.guests.limits import Limits
from sprintboard.invitations import Invitations
from sprintboard.state import private_dir
from sprintboard.web import apps, server

from .browser import Browser, Place, Running

BOARD = Path(__file__).parent.parent / "tui" / "fixtures" / "board.toml"


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Place:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name in list(os.environ):
        if name.startswith(("SPRINTBOARD", "TEXTUAL")):
            monkeypatch.delenv(name)
    state = private_dir({"XDG_STATE_HOME": str(tmp_path / "state")})
    boards = tmp_path / "boards"
    boards.mkdir()
    board = boards / "families.toml"
    shutil.copyfile(BOARD, board)
    return Place(state, boards, board.resolve(), Invitations(state))


Serve = Callable[..., Awaitable[Running]]


@pytest.fixture
async def serve(place: Place) -> AsyncIterator[Serve]:
    """`await serve(limits=..., public_url=...)`: a running server, closed with the test."""
    started: list[Running] = []

    async def start(
        limits: Limits | None = None, public_url: str | None = None, **options: Any
    ) -> Running:
        lines: list[str] = []
        entry = await server.start(
            place.boards,
            state_folder=place.state,
            log=lines.append,
            host="127.0.0.1",
            port=0,
            public_url=public_url,
            limits=limits or Limits(max_sessions=4, grace=3),
            poll=0.2,
            **options,
        )
        running = Running(entry, place, lines)
        started.append(running)
        return running

    try:
        yield start
    finally:
        for running in started:
            for browser in running.browsers:
                await browser.close()
            await running.entry.close()


@pytest.fixture
async def running(serve: Serve) -> Running:
    return await serve()


@pytest.fixture
async def browser(running: Running) -> Browser:
    return running.browser()


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pid of every app a page starts."""
    pids: list[int] = []
    original = apps.WebApp.start.__func__  # type: ignore[attr-defined]

    async def recorded(cls: type[apps.WebApp], *args: Any, **kwargs: Any) -> apps.WebApp:
        app: apps.WebApp = await original(cls, *args, **kwargs)
        pids.append(app.pid)
        return app

    monkeypatch.setattr(apps.WebApp, "start", classmethod(recorded))
    return pids


def in_an_hour() -> datetime:
    return datetime.now(UTC) + timedelta(hours=1)

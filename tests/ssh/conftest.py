"""Fixtures of the SSH entry's tests: a boards folder, the invitations, a running server.

Everything is in the test's `tmp_path` (`XDG_STATE_HOME` too: the real state folder is
never touched), and the server listens on 127.0.0.1, port 0, in the test's event loop,
closed in `finally` whatever the test did.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sprintboard.guests.limits import Limits
from sprintboard.invitations import Invitations
from sprintboard.ssh import server
from sprintboard.ssh.throttle import RateLimit
from sprintboard.state import private_dir

BOARD = Path(__file__).parent.parent / "tui" / "fixtures" / "board.toml"
LOGIN = 6.0
"""The login time-out of the test server: short, yet longer than the slowed answers of
the rate limit's test (`RATE`) take on a busy machine."""
RATE = RateLimit(free=3, window=600.0, base=0.3, cap=0.6)
"""The rate limit of the test server: the real shape, shorter waits."""


@dataclass
class Place:
    """A test's state folder, boards folder and board, and the invitations store."""

    state: Path
    boards: Path
    board: Path
    store: Invitations

    def invite(
        self, member: str = "birthe", *, once: bool = False, expires: datetime | None = None
    ) -> str:
        """A new code inviting `member` onto the board."""
        now = datetime.now(UTC)
        _invitation, code = self.store.add_code(
            self.board, member, expires=expires, once=once, by="nanna", now=now
        )
        return code


@dataclass
class Running:
    """The server of a test, and the lines it logged."""

    entry: server.SSHEntry
    place: Place
    lines: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.entry.port


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Place:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    state = private_dir({"XDG_STATE_HOME": str(tmp_path / "state")})
    boards = tmp_path / "boards"
    boards.mkdir()
    board = boards / "families.toml"
    shutil.copyfile(BOARD, board)
    return Place(state, boards, board.resolve(), Invitations(state))


@pytest.fixture
async def running(place: Place) -> AsyncIterator[Running]:
    lines: list[str] = []
    entry = await server.start(
        place.boards,
        state_folder=place.state,
        log=lines.append,
        host="127.0.0.1",
        port=0,
        limits=Limits(max_sessions=4, login=LOGIN),
        rate=RATE,
        poll=0.2,
    )
    try:
        yield Running(entry, place, lines)
    finally:
        await entry.close()

"""The revocation poll on its own: it ends only revoked guests, and outlives a bad file."""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import UTC, datetime
from pathlib import Path

from sprintboard.guests import revocation
from sprintboard.invitations import Invitation, InvitationError, Invitations


class Flaky(Invitations):
    """The real store, whose reading fails the first `failures` times."""

    def __init__(self, folder: Path, failures: int) -> None:
        super().__init__(folder)
        self.failures = failures

    def all(self) -> list[Invitation]:
        if self.failures:
            self.failures -= 1
            raise InvitationError(f"{self.path}: broken for a while")
        return super().all()

    def stamp(self) -> tuple[int, int] | None:
        return (time.monotonic_ns(), 0)  # changed at every look: read it each time


async def test_the_poll_ends_the_revoked_only_and_outlives_errors(tmp_path: Path) -> None:
    store = Flaky(tmp_path, failures=3)
    now = datetime.now(UTC)
    board = tmp_path / "b.toml"
    kept, _code = store.add_code(board, "anna", expires=None, once=False, by="x", now=now)
    gone, _code = store.add_code(board, "birthe", expires=None, once=False, by="x", now=now)
    store.revoke(gone.id, now)
    ended: list[set[str]] = []
    lines: list[str] = []
    task = asyncio.create_task(
        revocation.watch(store, lambda: {kept.id, gone.id}, ended.append, lines.append, 0.01)
    )
    try:
        deadline = time.monotonic() + 30
        while not ended:
            assert time.monotonic() < deadline, lines
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert ended[0] == {gone.id}
    assert len(lines) == 1 and "broken for a while" in lines[0]  # said once, not each time

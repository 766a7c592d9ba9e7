"""Test clients of the SSH entry: real asyncssh clients that really check the host key.

`connect` logs in with the answers it is given to the "Invitation code:" prompt
(keyboard-interactive) or with a key, trusting only the server's own host key (read
from the state folder, as a guest would get it from the invitation). `Answers` records
what the server asked and when, so a test can see the prompt, count the questions and
measure how long an answer waited.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncssh

from sprintboard.ssh import host_key

from .screen import GuestScreen

TITLE = "Families, art and culture"
"""The title of the test board (`conftest.BOARD`), on the guest's screen once it is in."""


def known_hosts(state: Path, port: int) -> asyncssh.SSHKnownHosts:
    """Only the server's host key, for the address the test connects to."""
    public = (state / (host_key.KEY_FILE + ".pub")).read_text().strip()
    return asyncssh.import_known_hosts(f"[127.0.0.1]:{port} {public}\n")


class Answers(asyncssh.SSHClient):
    """A client answering each "Invitation code:" prompt with the next of `answers`
    (none left: it gives up). Records the prompts, when each question came, whether
    the server ever offered a password."""

    def __init__(self, answers: Sequence[str]) -> None:
        self.answers = list(answers)
        self.prompts: list[tuple[str, bool]] = []
        self.asked: list[float] = []
        self.answered: list[float] = []
        self.password_offered = False

    def kbdint_auth_requested(self) -> str | None:
        return ""

    def kbdint_challenge_received(
        self, name: str, instructions: str, lang: str, prompts: Sequence[tuple[str, bool]]
    ) -> list[str] | None:
        if not prompts:  # a message only: acknowledge it
            return []
        self.asked.append(time.monotonic())
        self.prompts.extend(prompts)
        if not self.answers:
            return None
        self.answered.append(time.monotonic())
        return [self.answers.pop(0)]

    def password_auth_requested(self) -> str | None:
        self.password_offered = True
        return None


async def connect(
    state: Path,
    port: int,
    *,
    answers: Sequence[str] = (),
    key: asyncssh.SSHKey | None = None,
    username: str = "join",
    client: Answers | None = None,
    **options: Any,
) -> tuple[asyncssh.SSHClientConnection, Answers]:
    """An authenticated connection (or asyncssh's error: PermissionDenied, a disconnect)."""
    answering = client or Answers(answers)
    settings: dict[str, Any] = {
        "username": username,
        "known_hosts": known_hosts(state, port),
        "client_keys": [key] if key is not None else None,
        "agent_path": None,
        "config": None,
        "password": None,
        "kbdint_auth": True,
        "public_key_auth": key is not None,
        "gss_auth": False,
        "host_based_auth": False,
    }
    settings.update(options)
    conn, _ = await asyncio.wait_for(
        asyncssh.create_connection(lambda: answering, "127.0.0.1", port, **settings),
        timeout=60,
    )
    return conn, answering


async def open_board(
    conn: asyncssh.SSHClientConnection, size: tuple[int, int] = (80, 24)
) -> GuestScreen:
    """The connection's session with a terminal, drawn on a pyte screen; the board shown."""
    _chan, screen = await conn.create_session(
        lambda: GuestScreen(*size), term_type="xterm-256color", term_size=size, encoding=None
    )
    assert isinstance(screen, GuestScreen)
    await screen.wait_for(TITLE)
    return screen

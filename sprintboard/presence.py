"""Who has a board open: one small file per running app, next to the board.

Each app writes ``.<board>.toml.presence/<host>-<pid>-<token>.json`` (git-ignored) and touches
it every `HEARTBEAT` seconds. Others list the folder: an entry not touched for
`STALE` seconds, or whose process on this host is gone, belongs to an app that died
and is removed. No lock is needed: each app writes only its own file.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from .storage import ensure_gitignore, write_atomic

HEARTBEAT = 2.0
"""Seconds between two touches of an app's own presence file."""
STALE = 8.0
"""Seconds without a touch after which an entry counts as gone."""


@dataclass(frozen=True)
class Presence:
    """One running app that has the board open."""

    actor: str
    host: str
    pid: int


def folder_for(board: Path) -> Path:
    target = Path(os.path.realpath(board))
    return target.with_name(f".{target.name}.presence")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    try:  # a killed process its parent has not reaped yet is a zombie: gone too
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True


class PresenceRegistry:
    """This app's entry in a board's presence folder, and a view of the others'."""

    def __init__(self, board: Path, actor: str) -> None:
        self.folder = folder_for(board)
        self.actor = actor
        self.host = socket.gethostname()
        self.pid = os.getpid()
        # a token too: two apps in one process (tests, a picker and a board) are two entries
        self.file = self.folder / f"{self.host}-{self.pid}-{secrets.token_hex(4)}.json"

    def join(self) -> None:
        """Announce this app (idempotent); failures are silent: presence is best effort."""
        with suppress(OSError):
            created = not self.folder.exists()
            self.folder.mkdir(exist_ok=True)
            if created:
                ensure_gitignore(self.folder.parent)
            entry = {"actor": self.actor, "host": self.host, "pid": self.pid}
            write_atomic(self.file, json.dumps(entry).encode())

    def beat(self) -> None:
        """Show this app is still alive; re-announce if the entry was removed."""
        try:
            os.utime(self.file)
        except OSError:
            self.join()

    def leave(self) -> None:
        with suppress(OSError):
            self.file.unlink()

    def others(self, now: float | None = None) -> list[Presence]:
        """The other apps with the board open, by actor then host; stale ones removed."""
        now = time.time() if now is None else now
        found: list[Presence] = []
        try:
            entries = list(self.folder.glob("*.json"))
        except OSError:
            return []
        for entry in entries:
            if entry == self.file:
                continue
            try:
                age = now - entry.stat().st_mtime
                data = json.loads(entry.read_text(encoding="utf-8"))
                presence = Presence(str(data["actor"]), str(data["host"]), int(data["pid"]))
            except (OSError, ValueError, KeyError, TypeError):
                continue
            dead = presence.host == self.host and not _alive(presence.pid)
            if dead or age > STALE:
                with suppress(OSError):
                    entry.unlink()
                continue
            found.append(presence)
        return sorted(found, key=lambda p: (p.actor, p.host, p.pid))

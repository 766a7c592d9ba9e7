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
import stat
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from .i18n import _
from .storage import (
    HOST,
    BoardFileError,
    board_file,
    process_alive,
    read_own_file,
    sidecar_mode,
    write_atomic,
)
from .storage.locks import sidecar_folder

HEARTBEAT = 2.0
"""Seconds between two touches of an app's own presence file."""
STALE = 8.0
"""Seconds without a touch after which an entry counts as gone."""
ENTRY_LIMIT = 4096
"""Bytes an entry may have; a bigger one (not written by this program) is skipped."""


@dataclass(frozen=True)
class Presence:
    """One running app that has the board open."""

    actor: str
    host: str
    pid: int


def folder_for(board: Path) -> Path:
    target = board_file(board)
    return target.with_name(f".{target.name}.presence")


class PresenceRegistry:
    """This app's entry in a board's presence folder, and a view of the others'."""

    def __init__(self, board: Path, actor: str) -> None:
        self.board = board
        self.folder = folder_for(board)
        self.actor = actor
        self.host = HOST
        self.pid = os.getpid()
        # a token too: two apps in one process (tests, a picker and a board) are two entries
        self.file = self.folder / f"{self.host}-{self.pid}-{secrets.token_hex(4)}.json"
        self.problem: str | None = None
        """Why others cannot see this app (its entry could not be written); None if they can."""

    def join(self) -> None:
        """Announce this app (idempotent). Best effort: a failure only sets `problem`."""
        try:
            self._make_folder()
            entry = {"actor": self.actor, "host": self.host, "pid": self.pid}
            write_atomic(self.file, json.dumps(entry).encode(), sidecar_mode(self.board))
        except BoardFileError as error:
            self.problem = str(error)
        except OSError as error:
            self.problem = _("{path}: {reason}").format(path=self.folder, reason=error.strerror)
        else:
            self.problem = None

    def _make_folder(self) -> None:
        """The presence folder, made (for everyone who may write the board) when missing."""
        sidecar_folder(self.board, self.folder)

    def beat(self) -> None:
        """Show this app is still alive; re-announce if the entry was removed."""
        try:
            os.utime(self.file, follow_symlinks=False)
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
            if stat.S_ISLNK(os.lstat(self.folder).st_mode):
                return []  # not ours: never read (or sweep) through a link
            entries = list(self.folder.glob("*.json"))
        except OSError:
            return []
        for entry in entries:
            if entry == self.file:
                continue
            try:
                age = now - entry.lstat().st_mtime
                data = json.loads(read_own_file(entry, ENTRY_LIMIT) or b"")
                presence = Presence(str(data["actor"]), str(data["host"]), int(data["pid"]))
            except (OSError, BoardFileError, ValueError, KeyError, TypeError):
                continue
            dead = presence.host == self.host and not process_alive(presence.pid)
            if dead or age > STALE:
                with suppress(OSError):
                    entry.unlink()
                continue
            found.append(presence)
        return sorted(found, key=lambda p: (p.actor, p.host, p.pid))

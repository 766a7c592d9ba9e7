"""Who a guest is, as an entry authenticated them, and the limits on their session.

Shared by the SSH and the browser entries: the same `Limits` (and their options) bound
a guest's app however they reached it, and `span` says a limit as people say it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..i18n import language, ngettext
from ..safe_text import visible

Say = Callable[[], str]
"""A text made when it is said, so in the language of whoever it is said to: a guest's
(a goodbye sent from the revocation poll, which speaks to many) or the server's (its
log, though the line comes from a guest's request)."""


def spoken(speaking: str | None, say: Say) -> str:
    """What `say` makes in language `speaking` (None: the one in force)."""
    if speaking is None:
        return say()
    with language.within(speaking):
        return say()


@dataclass(frozen=True)
class Guest:
    """Who is joining, as the entry (SSH or browser) authenticated them."""

    invitation: str  # the invitation's id
    board: Path  # the board file (absolute)
    member: str  # the member key: the app's --as
    name: str  # the member's name, for the log
    peer: str  # "127.0.0.1:54321"
    language: str | None = None
    """The language they are spoken to in, their app's ``--lang``: the invitation's, or
    (in a browser) the one their browser asks for; None over SSH when the invitation names
    none: their client's locale then says (`ssh.sessions`)."""

    def who(self) -> str:
        """``member (Name)`` for a log line, terminal-safe."""
        return f"{visible(self.member)} ({visible(self.name)})"

    def names(self) -> dict[str, str]:
        """Who, which board (its file name) and from where, for a log line, terminal-safe."""
        return {"who": self.who(), "board": visible(self.board.name), "peer": visible(self.peer)}


@dataclass(frozen=True)
class Limits:
    max_sessions: int = 32
    idle: float = 30 * 60  # seconds without a byte from the guest
    max_time: float = 8 * 3600  # seconds from the start of the session
    login: float = 60.0  # seconds to authenticate (over SSH: asyncssh's login time-out)
    grace: float = 5.0  # seconds from the hang-up to SIGKILL (SIGTERM half-way)


def span(seconds: float) -> str:
    """A limit as people say it: "30 minutes", "8 hours", "2 seconds"."""
    if seconds >= 3600 and seconds % 3600 == 0:
        n = int(seconds // 3600)
        return ngettext("{n} hour", "{n} hours", n).format(n=n)
    if seconds >= 60:
        n = round(seconds / 60)
        return ngettext("{n} minute", "{n} minutes", n).format(n=n)
    n = max(round(seconds), 1)
    return ngettext("{n} second", "{n} seconds", n).format(n=n)

"""The one path by which a board file is changed: `rewrite`.

*Lock → read the latest file → decide what to write → check it may be written →
write atomically → unlock.* Every writer of a board goes through it — a command,
the app's flush, a new board, `fmt`, `resolve` — so each rule (the lock, the
read-only and newer-schema refusals, no write through a link, the canonical text)
holds in one place. It lives in storage, not in the session, because it is about
files, not operations: each caller's policy (re-applying operations, formatting, a
merge result) is its `decide`.

Writers that wait for the lock may queue their operations for whoever holds it
(group commit: `queue`, `Turn`); every holder first settles what a writer that died
while answering queued operations left (`queue.recover`), so none is lost or doubled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, overload

from ..model import Board
from .canonical import dumps
from .errors import Loaded, digest
from .files import check_writable, write_atomic
from .locks import Turn, locked
from .queue import recover
from .reading import load


@dataclass(frozen=True)
class Change:
    """A board to write, with its canonical text when the caller rendered it already
    (outside the lock, so that the lock is held for little more than the write)."""

    board: Board
    text: str | None = None


Plan = Board | Change | None
"""What `decide` answers: the board to write (or a `Change`), or None to write nothing."""


@dataclass(frozen=True)
class Rewritten:
    """What `rewrite` found and left."""

    read: Loaded | None
    """The file as read under the lock (None when it was not read)."""
    written: Loaded | None
    """What the file now holds, when something was written; None when nothing was."""


@overload
def rewrite(
    path: Path,
    decide: Callable[[Loaded], Plan],
    known: Loaded | None = None,
    *,
    turn: Turn | None = None,
) -> Rewritten: ...
@overload
def rewrite(path: Path, decide: Callable[[None], Plan], *, read: Literal[False]) -> Rewritten: ...
def rewrite(
    path: Path,
    decide: Callable[[Loaded], Plan] | Callable[[None], Plan],
    known: Loaded | None = None,
    *,
    read: bool = True,
    turn: Turn | None = None,
) -> Rewritten:
    """Change the board file at `path`: lock, read the latest, `decide`, check, write.

    `decide` gets the file as it is under the lock (`known` itself, unparsed, when the
    file still holds the bytes `known` was read from) and answers what to write. With
    `read=False` the file is not read at all and whatever is there is replaced (a
    merge result over a file full of conflict markers); it still must be a regular
    file, writable, and not reached through a link out of its folder.

    With a `turn`, the writer queues while it waits, and is done without reading when
    it finds its operation applied (`Rewritten(None, None)`).

    Raises `BoardFileError` when the file cannot be read or written (nothing is then
    written); whatever `decide` raises leaves the file untouched too.
    """
    with locked(path, turn=turn) as served:
        if served:
            return Rewritten(None, None)
        recover(path)
        written: Loaded | None = None
        try:
            if turn is not None:
                if turn.served(held=True):
                    return Rewritten(None, None)
                turn.lead()
            latest = load(path, known) if read else None
            plan = decide(latest)  # type: ignore[arg-type]  # the overloads pair them
            if plan is not None:
                written = _write(path, plan if isinstance(plan, Change) else Change(plan))
            return Rewritten(latest, written)
        finally:
            # what `decide` answered for queued operations stands only if the board holds
            # what it meant to write: settled now, before the lock is let go
            recover(path, written.digest if written is not None else None)


def _write(path: Path, change: Change) -> Loaded:
    """Write `change` canonically to `path`, atomically, once it may be written."""
    check_writable(path, change.board)
    text = dumps(change.board) if change.text is None else change.text
    data = text.encode()
    write_atomic(path, data)
    return Loaded(change.board, digest(data), text)


def save(path: Path, board: Board) -> str:
    """Write `board` canonically to `path`, atomically; the digest of what was written.

    Without the lock: for a file nobody else has open (tests and benchmarks seed
    boards with it). The program changes board files only through `rewrite`.
    """
    return save_loaded(path, board).digest


def save_loaded(path: Path, board: Board) -> Loaded:
    """`save`, answering with what the file now holds (to pass to `load` as `known`)."""
    return _write(path, Change(board))

"""The one path by which a board file is changed: `rewrite`.

*Lock → read the latest file → decide what to write → check it may be written →
write atomically → unlock.* Every writer of a board goes through it — a command,
the app's flush, a new board, `fmt`, `resolve` — so each rule (the lock, the
read-only and newer-schema refusals, no write through a link, the canonical text)
holds in one place. It lives in storage, not in the session, because it is about
files, not operations: each caller's policy (re-applying operations, formatting, a
merge result) is its `decide`.
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
from .locks import locked
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
    path: Path, decide: Callable[[Loaded], Plan], known: Loaded | None = None
) -> Rewritten: ...
@overload
def rewrite(path: Path, decide: Callable[[None], Plan], *, read: Literal[False]) -> Rewritten: ...
def rewrite(
    path: Path,
    decide: Callable[[Loaded], Plan] | Callable[[None], Plan],
    known: Loaded | None = None,
    *,
    read: bool = True,
) -> Rewritten:
    """Change the board file at `path`: lock, read the latest, `decide`, check, write.

    `decide` gets the file as it is under the lock (`known` itself, unparsed, when the
    file still holds the bytes `known` was read from) and answers what to write. With
    `read=False` the file is not read at all and whatever is there is replaced (a
    merge result over a file full of conflict markers); it still must be a regular
    file, writable, and not reached through a link out of its folder.

    Raises `BoardFileError` when the file cannot be read or written (nothing is then
    written); whatever `decide` raises leaves the file untouched too.
    """
    with locked(path):
        latest = load(path, known) if read else None
        plan = decide(latest)  # type: ignore[arg-type]  # the overloads pair them
        if plan is None:
            return Rewritten(latest, None)
        return Rewritten(latest, _write(path, plan if isinstance(plan, Change) else Change(plan)))


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

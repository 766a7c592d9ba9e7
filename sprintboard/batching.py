"""Group commit: one operation through the one write path, with whoever else is waiting.

`write_op` applies an operation to a board file. When the lock is free it takes it,
reads the latest file, applies every operation other writers left in the board's
queue (oldest first) and then its own, and writes once. When the lock is busy, it
queues its operation (`storage.queue`, as `wire` JSON) and waits: the writer holding
the lock applies it and leaves its outcome — the inverse, or why it no longer fits —
which the waiter finds without taking the lock or reading the board. A waiter whose operation was
not applied (the holder was no group committer, or died) takes the lock and applies
it itself, with the queue. So each write serves every writer that was waiting, and
each operation is still applied once, in its writer's order, on the latest file.

An operation is queued only when it crosses `wire` unchanged, and answered only
when its inverse does; anything else waits for the lock and is applied by its own
writer, as before. `commit` is `write_op` with the board after it, as the command
line wants it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import ops, storage, wire
from .i18n import _
from .model import Board
from .storage import queue


def commit(path: Path, op: ops.Op | Callable[[Board], ops.Op]) -> tuple[Board, ops.Op]:
    """Apply `op` to the board file at `path`; the new board and the op undoing it.

    `write_op`, with the board: see there. When another writer applied the operation,
    the board is the file as it is once the operation is in it (later changes may be
    there too), read for the purpose.
    """
    done = write_op(path, op)
    return done.board, done.inverse


@dataclass
class Committed:
    """What `write_op` did: the inverse of the operation, and the board after it."""

    path: Path
    inverse: ops.Op
    """The operation undoing it."""
    _board: Board | None = None
    served: bool = False
    """True when another writer applied it (in its write, with its own and others')."""

    @property
    def board(self) -> Board:
        """The board with the operation in it: as written here, or else the file as it
        is now, read on first use (a writer whose operation another one applied has not
        read the board at all; most never need it)."""
        if self._board is None:
            self._board = storage.load(self.path).board
        return self._board


def write_op(path: Path, op: ops.Op | Callable[[Board], ops.Op]) -> Committed:
    """Apply `op` to the board file at `path`, with whatever other writers queued.

    `op` may also be a function that builds the operation from the board as read
    (the command line resolves id prefixes that way); it is called again on the
    latest file when that changed before the lock was taken, and such an operation
    is queued as built (ids resolved) on the file as read first.

    Raises `storage.BoardFileError` when the file cannot be read or written and
    `ops.OpError` when the operation does not fit the board; it is then not applied
    (what others queued may be), and a file that cannot be changed gets no lock file
    next to it.
    """
    build = op if callable(op) else (lambda _board: op)
    first: storage.Loaded | None = None
    mine: ops.Op | None = None if callable(op) else op
    if mine is None or not os.path.lexists(storage.lock_path(path)):
        # read first, outside the lock, what needs a board (resolving ids) or makes a
        # lock file: a file that cannot be read or changed is refused before that
        first = storage.load(path)
        storage.check_writable(path, first.board)
        try:
            mine = build(first.board)
        except ops.OpError:
            mine = None  # the latest file may fit it: built again under the lock
    else:
        storage.check_writable(path)  # the rest is checked on the file read under the lock
    turn = _Turn(path, build, first, mine)
    storage.rewrite(path, turn.decide, first, turn=turn)
    if turn.answer is not None:  # applied by another writer
        return Committed(path, _answered(path, turn.answer), served=True)
    if isinstance(turn.outcome, ops.OpError):
        raise turn.outcome
    assert turn.outcome is not None  # `decide` ran
    board, inverse = turn.outcome
    return Committed(path, inverse, board)


@dataclass
class _Turn:
    """One `commit`'s part in the queue: what it queued, and what became of it."""

    path: Path
    build: Callable[[Board], ops.Op]
    first: storage.Loaded | None
    """The file as read before the lock, when it was."""
    mine: ops.Op | None
    """The operation as built on `first` (or given)."""
    ticket: str | None = None
    answer: bytes | None = None
    """The outcome another writer left for the queued operation."""
    outcome: tuple[Board, ops.Op] | ops.OpError | None = None
    """What applying the operation here gave: the board after it and its inverse."""

    def enqueue(self) -> bool:
        data = wire.faithful(self.mine) if self.mine is not None else None
        if data is not None:
            self.ticket = queue.submit(self.path, data)
        return self.ticket is not None

    def served(self, held: bool) -> bool:
        if self.ticket is None:
            return False
        self.answer = queue.collect(self.path, self.ticket, held)
        return self.answer is not None

    def lead(self) -> None:
        """Under the lock, not served: apply it here, from memory, with the queue."""
        if self.ticket is not None:
            queue.withdraw(self.path, self.ticket)
            self.ticket = None

    def decide(self, latest: storage.Loaded) -> storage.Change | None:
        """Apply the queued operations, then this one; answer the queued ones."""
        board = latest.board
        answers: dict[str, bytes] = {}
        for entry in queue.pending(self.path):
            board, answer = _serve(board, entry)
            if answer is not None:
                answers[entry.ticket] = answer
        # built anew on anything but the file it was built on (ids it resolved may differ)
        own = self.mine if self.first is None or board is self.first.board else None
        try:
            board, inverse = ops.apply_with_inverse(board, own or self.build(board))
            self.outcome = board, inverse
        except ops.OpError as error:
            self.outcome = error  # raised once the others' operations are written
        text = None if board is latest.board else storage.dumps(board)
        if answers:
            written = latest.digest if text is None else storage.digest(text.encode())
            queue.write_outcomes(self.path, answers, written)
            queue.sweep(self.path)
        return None if text is None else storage.Change(board, text)


def _serve(board: Board, entry: queue.Entry) -> tuple[Board, bytes | None]:
    """`board` with the queued operation of `entry` applied, and the outcome to leave;
    None when it is left for its own writer (its inverse cannot cross `wire`)."""
    if entry.data is None:
        return board, _outcome(refused=entry.problem)
    try:
        op = wire.decode(entry.data)
    except wire.WireError:
        return board, _outcome(refused=_("it is not an operation sprintboard wrote"))
    try:
        after, inverse = ops.apply_with_inverse(board, op)
    except ops.OpError as error:
        return board, _outcome(rejected=str(error))
    except Exception:  # someone else's entry must never stop this write
        return board, _outcome(refused=_("it does not apply to a board"))
    back = wire.faithful(inverse)
    if back is None:
        return board, None
    return after, _outcome(inverse=back.decode())


def _outcome(**outcome: str | None) -> bytes:
    return json.dumps(outcome).encode()


def _answered(path: Path, answer: bytes) -> ops.Op:
    """The inverse another writer left for a queued operation; raises what it met instead."""
    try:
        outcome = json.loads(answer)
        if "inverse" in outcome:
            return wire.decode(str(outcome["inverse"]).encode())
        if "rejected" in outcome:
            raise ops.OpError(str(outcome["rejected"]))
        reason = str(outcome["refused"])
    except (ValueError, KeyError, TypeError, RecursionError):
        reason = _("its answer is not one sprintboard wrote")
    why = _("a change queued for it was not applied: {reason}").format(reason=reason)
    raise storage.BoardFileError(path, why)

"""Changing a board file safely: lock, read the latest, apply, write atomically.

Every write goes through one path: *lock → read the latest file → re-apply the
pending operations → write atomically → unlock*. Two people (or scripts) changing a
board at the same moment each re-apply their operation to what the other just wrote
instead of overwriting it.

`commit` does that once (the command line); `BoardSession` keeps a board open for
the app: it remembers undo/redo, and keeps operations *pending* while the file
cannot be read or written, so nothing typed is dropped.

Pure Python and no Textual: the app calls it from worker threads; a lock inside
makes each call atomic.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from . import ops, storage
from .model import Board


def commit(path: Path, op: ops.Op) -> tuple[Board, ops.Op]:
    """Apply `op` to the board file at `path`; the new board and the op undoing it.

    Raises `storage.BoardFileError` when the file cannot be read or written and
    `ops.OpError` when the operation does not fit the board; the file is then
    untouched.
    """
    with storage.locked(path):
        loaded = storage.load(path)
        storage.check_writable(path, loaded.board)
        board, inverse = ops.apply_with_inverse(loaded.board, op)
        if board is not loaded.board:
            storage.save(path, board)
        return board, inverse


def create(path: Path, board: Board) -> None:
    """Write a new board file; refuses to replace one that exists."""
    with storage.locked(path):
        if path.exists() or path.is_symlink():
            raise storage.BoardFileError(path, "already exists; nothing was written")
        storage.save(path, board)


class _Stack(Enum):
    """Where the inverse of a pending operation goes once it is written."""

    UNDO = "undo"  # a new operation, or a redo: its inverse can be undone
    REDO = "redo"  # an undo: its inverse can be redone


@dataclass
class Outcome:
    """What a session call left: the board to show, and what went wrong, if anything."""

    board: Board
    """The board as the user should see it: the file, plus anything still pending."""
    error: storage.BoardFileError | None = None
    """Why the file could not be read or written; the operations wait in `pending`."""
    rejected: list[tuple[ops.Op, ops.OpError]] = field(default_factory=list)
    """Pending operations that no longer fit the board on disk (say, its card was deleted)."""


class BoardSession:
    """One board file open in the app: the board, its pending operations, undo and redo."""

    def __init__(self, path: Path, actor: str) -> None:
        self.path = path
        self.actor = actor
        self.board: Board | None = None
        """What the user sees: the last good file plus pending operations."""
        self.error: storage.BoardFileError | None = None
        self.digest: str | None = None
        """Digest of the file content last read or written: how outside changes show."""
        self._disk: Board | None = None
        self._pending: list[tuple[ops.Op, _Stack]] = []
        self._undo: list[ops.Op] = []
        self._redo: list[ops.Op] = []
        self._lock = threading.RLock()

    @property
    def pending(self) -> int:
        return len(self._pending)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def open(self) -> Outcome:
        """Read the board. Raises `BoardFileError` if it has never been readable."""
        with self._lock:
            loaded = storage.load(self.path)
            self._disk = self.board = loaded.board
            self.digest = loaded.digest
            self.error = None
            return Outcome(loaded.board)

    def apply(self, op: ops.Op) -> Outcome:
        """Make a change and write it; raises `OpError` (nothing kept) if it cannot apply."""
        with self._lock:
            ops.apply(self._view(), op)  # refuse a bad operation before keeping it
            self._pending.append((op, _Stack.UNDO))
            self._redo.clear()
            return self._flush()

    def undo(self) -> Outcome | None:
        """Undo the last change written by this session; None when there is none."""
        with self._lock:
            if not self._undo:
                return None
            self._pending.append((self._undo.pop(), _Stack.REDO))
            return self._flush()

    def redo(self) -> Outcome | None:
        with self._lock:
            if not self._redo:
                return None
            self._pending.append((self._redo.pop(), _Stack.UNDO))
            return self._flush()

    def refresh(self) -> Outcome | None:
        """Take in outside changes to the file; None when the file has not changed."""
        with self._lock:
            try:
                data = storage.read_bytes(self.path)
            except storage.BoardFileError as error:
                return self._failed(error)
            if storage.digest(data) == self.digest and self.error is None:
                return None
            return self._flush()

    def _view(self) -> Board:
        if self._disk is None:
            raise RuntimeError("open() the session first")
        board = self._disk
        for op, _ in self._pending:
            try:
                board = ops.apply(board, op)
            except ops.OpError:
                continue
        return board

    def _failed(self, error: storage.BoardFileError) -> Outcome:
        self.error = error
        self.board = self._view()
        return Outcome(self.board, error)

    def _flush(self) -> Outcome:
        """Lock, read the latest file, re-apply what is pending, write, unlock."""
        rejected: list[tuple[ops.Op, ops.OpError]] = []
        try:
            with storage.locked(self.path):
                loaded = storage.load(self.path)
                board = loaded.board
                written: list[tuple[ops.Op, _Stack]] = []
                for op, stack in self._pending:
                    try:
                        board, inverse = ops.apply_with_inverse(board, op)
                    except ops.OpError as error:
                        rejected.append((op, error))
                        continue
                    written.append((inverse, stack))
                digest = loaded.digest
                if board is not loaded.board:
                    storage.check_writable(self.path, board)
                    digest = storage.save(self.path, board)
        except storage.BoardFileError as error:
            return self._failed(error)
        for inverse, stack in written:
            (self._undo if stack is _Stack.UNDO else self._redo).append(inverse)
        self._pending.clear()
        self._disk = self.board = board
        self.digest = digest
        self.error = None
        return Outcome(board, None, rejected)

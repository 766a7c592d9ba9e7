"""Changing a board file safely: lock, read the latest, apply, write atomically.

Every write goes through storage's one path, `storage.rewrite`: *lock → read the
latest file → re-apply the pending operations → write atomically → unlock*. Two
people (or scripts) changing a board at the same moment each re-apply their
operation to what the other just wrote instead of overwriting it.

`commit` does that once (the command line; it lives in `batching`: writers that
wait for the lock queue their operations for whoever holds it); `BoardSession`
keeps a board open for the app: it remembers undo/redo, and keeps operations
*pending* while the file cannot be read or written, so nothing typed is dropped.

Pure Python and no Textual: the app calls it from worker threads; a lock inside
makes each call atomic.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import fields, identity, ops, storage
from .batching import commit as commit  # its home since group commit; imported from here
from .i18n import _
from .model import Board, Card


def create(path: Path, board: Board) -> None:
    """Write a new board file; refuses to replace one that exists."""

    def decide(_unread: None) -> Board:
        if path.exists() or path.is_symlink():
            raise storage.BoardFileError(path, _("already exists; nothing was written"))
        return board

    storage.rewrite(path, decide, read=False)


WATCHED_FIELDS = fields.WATCHED
"""Card fields whose loss a person would notice: overwrites of these are reported."""


@dataclass(frozen=True)
class Overwrite:
    """A card field two people changed: `theirs` was on disk, `ours` replaced it."""

    card_id: str
    field: str
    theirs: Any
    ours: Any
    by: str | None = None
    """Who made `theirs`, when the card records it (a move's history entry); else None."""


def _who_set(card: Card | None, name: str) -> str | None:
    """Who gave `card` its value of field `name`, if the card says: only moves are recorded."""
    if name == "stage" and card is not None and card.history:
        last = card.history[-1]
        return last.by if last.stage == card.stage else None
    return None


def _changed_fields(before: Board, after: Board, card_id: str) -> list[str]:
    old, new = before.cards.get(card_id), after.cards.get(card_id)
    if old is None or new is None or old is new:
        return []
    return [f for f in WATCHED_FIELDS if getattr(old, f) != getattr(new, f)]


@dataclass
class Outcome:
    """What a write or a reload left: the board to show, and what went wrong, if anything."""

    board: Board
    """The board as the user should see it: the file, plus anything still pending."""
    error: storage.BoardFileError | None = None
    """Why the file could not be read or written; the operations wait in `pending`."""
    rejected: list[tuple[ops.Op, ops.OpError]] = field(default_factory=list)
    """Pending operations that no longer fit the board on disk (say, its card was deleted)."""
    overwritten: list[Overwrite] = field(default_factory=list)
    """Fields this write changed that someone else had changed since we last read them.
    The later write wins; undo brings their value back."""
    changed_under_us: list[Overwrite] = field(default_factory=list)
    """Fields this session wrote that someone else has since changed (`ours` is what we
    wrote, `theirs` what the file says now)."""


@dataclass
class _Replay(Outcome):
    """A flush's working notes: the outcome plus what undo and tracking need."""

    inverses: list[tuple[ops.Op, ops.Op]] = field(default_factory=list)
    wrote: list[tuple[str, str, Any]] = field(default_factory=list)


def _touched(before: Board, after: Board) -> list[str]:
    if before.cards is after.cards:
        return []
    return [cid for cid, card in after.cards.items() if before.cards.get(cid) is not card]


class BoardSession:
    """One board file open in the app: the board, its pending operations, undo and redo.

    Changes happen in two steps so the screen never waits for the disk:
    `propose` (fast, on the UI thread) applies an operation to the board in memory
    and queues it; `flush` (slow, on a worker thread) writes the queue through the
    one path above. `apply` does both, for callers that can wait.
    """

    def __init__(self, path: Path, actor: str) -> None:
        self.path = path
        self.person = actor
        """Who uses the app, as named (--as, git's user.name, …); `actor` is who that is here."""
        self.board: Board | None = None
        """What the user sees: the last good file plus pending operations."""
        self.error: storage.BoardFileError | None = None
        self.digest: str | None = None
        """Digest of the file content last read or written: how outside changes show."""
        self._disk: Board | None = None
        self._loaded: storage.Loaded | None = None
        """The file as last read or written: an unchanged file is not parsed again."""
        self._pending: list[tuple[ops.Op, ops.Op]] = []
        """Operations not yet written, each with the inverse that undo holds for it."""
        self._written: dict[tuple[str, str], Any] = {}
        """(card id, field) -> the value this session last wrote there."""
        self._undo: list[ops.Op] = []
        self._redo: list[ops.Op] = []
        self._state = threading.RLock()  # held briefly, never during I/O
        self._flushing = threading.Lock()  # one flush at a time

    @property
    def actor(self) -> str:
        """Who acts on this board: the member `person` is (by key or name), else `person`.

        Worked out anew each time, so someone added as a member meanwhile acts as one."""
        return identity.acting(self.board, self.person)

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
        """Read the board. Raises `BoardFileError` if it cannot be read."""
        loaded = storage.load(self.path)
        with self._state:
            self._loaded = loaded
            self._disk = self.board = loaded.board
            self.digest = loaded.digest
            self.error = None
            return Outcome(loaded.board)

    def propose(self, op: ops.Op) -> Board:
        """Apply `op` in memory and queue it for writing; raises `OpError` if it cannot apply."""
        with self._state:
            board, inverse = ops.apply_with_inverse(self._current(), op)
            self._pending.append((op, inverse))
            self._undo.append(inverse)
            self._redo.clear()
            self.board = board
            return board

    def undo(self) -> Board | None:
        """Undo this session's last change in memory (queued for writing); None if none."""
        return self._step(self._undo, self._redo)

    def redo(self) -> Board | None:
        return self._step(self._redo, self._undo)

    def _step(self, source: list[ops.Op], target: list[ops.Op]) -> Board | None:
        with self._state:
            if not source:
                return None
            # an entry that no longer applies (its card was deleted meanwhile) is dropped,
            # so the steps before it can still be undone; the error tells the user
            op = source.pop()
            board, inverse = ops.apply_with_inverse(self._current(), op)
            self._pending.append((op, inverse))
            target.append(inverse)
            self.board = board
            return board

    def apply(self, op: ops.Op) -> Outcome:
        """`propose` then `flush`: for callers that can wait for the disk."""
        self.propose(op)
        return self.flush()

    def flush(self) -> Outcome:
        """Lock the file, read the latest, re-apply what is pending, write, unlock."""
        with self._flushing:
            with self._state:
                batch = list(self._pending)
                known = self._disk
                last = self._loaded
            replayed: list[_Replay] = []

            def decide(latest: storage.Loaded) -> Board | None:
                replayed.append(self._replay(known, latest.board, batch))
                return None if replayed[-1].board is latest.board else replayed[-1].board

            try:
                result = storage.rewrite(self.path, decide, last)
            except storage.BoardFileError as error:
                with self._state:
                    self.error = error
                    return Outcome(self._current(), error)
            loaded, written = result.read, replayed[-1]
            assert loaded is not None  # it was read
            now = result.written or loaded
            board = written.board
            with self._state:
                del self._pending[: len(batch)]
                for stale, fresh in written.inverses:
                    # undo restores what was on disk, someone else's value included
                    for stack in (self._undo, self._redo):
                        for i, entry in enumerate(stack):
                            if entry is stale:
                                stack[i] = fresh
                written.changed_under_us.extend(self._under_us(known, loaded.board))
                for cid, name, value in written.wrote:
                    self._written[(cid, name)] = value
                self._disk = board
                self._loaded = now
                self.digest = now.digest
                self.error = None
                self.board = self._view()
                written.board = self.board
                return written

    def _replay(
        self, known: Board | None, latest: Board, batch: list[tuple[ops.Op, ops.Op]]
    ) -> _Replay:
        """Re-apply `batch` to the latest board, noting overwrites and fresh inverses."""
        result = _Replay(latest)
        board = latest
        for op, stale in batch:
            try:
                after, inverse = ops.apply_with_inverse(board, op)
            except ops.OpError as error:
                result.rejected.append((op, error))
                continue
            for cid in _touched(board, after):
                for name in _changed_fields(board, after, cid):
                    ours = getattr(after.cards[cid], name)
                    result.wrote.append((cid, name, ours))
                    base = known.cards.get(cid) if known else None
                    now = latest.cards.get(cid)
                    theirs = getattr(now, name) if now is not None else None
                    if base is not None and getattr(base, name) != theirs:
                        by = _who_set(now, name)
                        result.overwritten.append(Overwrite(cid, name, theirs, ours, by))
            if inverse != stale:
                result.inverses.append((stale, inverse))
            board = after
        result.board = board
        return result

    def _under_us(self, known: Board | None, latest: Board) -> list[Overwrite]:
        """Fields we wrote that another writer has changed since we last read the file."""
        if known is None or known is latest:
            return []
        found = []
        for (cid, name), ours in list(self._written.items()):
            card = latest.cards.get(cid)
            if card is None or getattr(card, name) != ours:
                del self._written[(cid, name)]
                before = known.cards.get(cid)
                if before is not None and getattr(before, name) == ours:
                    theirs = getattr(card, name) if card is not None else None
                    found.append(Overwrite(cid, name, theirs, ours, _who_set(card, name)))
        return found

    def refresh(self) -> Outcome | None:
        """Take in outside changes to the file; None when nothing changed on disk."""
        try:
            data = storage.read_bytes(self.path)
        except storage.BoardFileError as error:
            with self._state:
                self.error = error
                return Outcome(self._current(), error)
        with self._state:
            if storage.digest(data) == self.digest and self.error is None and not self._pending:
                return None
        return self.flush()

    def _current(self) -> Board:
        if self.board is None:
            # not translated: a programmer's mistake, never shown to a person
            raise RuntimeError("open() the session first")
        return self.board

    def _view(self) -> Board:
        """The board on disk with the operations still pending applied on top."""
        assert self._disk is not None
        board = self._disk
        for op, _inverse in self._pending:
            try:
                board = ops.apply(board, op)
            except ops.OpError:
                continue
        return board

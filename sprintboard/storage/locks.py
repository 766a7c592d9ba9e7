"""The board's lock: one read-modify-write at a time, across processes.

`locked` holds the advisory lock on the sidecar ``.<name>.toml.lock``; the kernel
drops it when its holder dies. A writer that finds it busy may first leave its
operation in the board's queue (a `Turn`; see `queue`), so that whoever holds the
lock next applies it in the same write. Each lock also keeps the sidecar patterns in the
folder's `.gitignore` (`ensure_gitignore`); `sidecar_folder` makes the folders kept
next to a board (presence, queue).
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Protocol

from ..i18n import _
from .errors import BoardFileError
from .files import (
    TEMP_PATTERNS,
    _group_of,
    board_file,
    folder_mode,
    read_own_file,
    share_group,
    sidecar_mode,
    write_atomic,
)

SIDECAR_IGNORES = (".*.toml.lock", ".*.toml.presence/", ".*.toml.queue/", *TEMP_PATTERNS)
"""What the program keeps next to a board and git must not track (see `ensure_gitignore`)."""

_ignore_seen: dict[str, tuple[int, int, int, int]] = {}
"""Each `.gitignore` as it was (device, inode, size, time) when it last held every pattern."""


def ensure_gitignore(board: Path) -> None:
    """Keep the sidecar patterns in the `.gitignore` of the folder of `board` (made if
    missing, lines added only when missing).

    Done at every lock, cheaply: one `lstat` while the file is as last seen, so that a
    `.gitignore` lost to a crash or taken out by hand comes back. One that is a link is
    refused (adding lines would write wherever it points); one that cannot be read, or
    is not text, is left alone: a board write never fails over it.
    """
    ignore = board_file(board).parent / ".gitignore"
    key = str(ignore)
    try:
        info = os.lstat(ignore)
    except FileNotFoundError:
        existing = ""
    except OSError:
        return
    else:
        if _ignore_seen.get(key) == _identity(info):
            return
        if stat.S_ISLNK(info.st_mode):
            raise BoardFileError(
                ignore,
                _(
                    "is a symbolic link, and sprintboard never writes through one; "
                    "make it a regular file to change the boards beside it"
                ),
            )
        try:
            existing = (read_own_file(ignore) or b"").decode("utf-8")
        except (BoardFileError, UnicodeDecodeError):
            return
    lines = existing.split("\n")
    missing = [p for p in SIDECAR_IGNORES if p not in lines]
    if missing:
        text = existing + ("\n" if existing and not existing.endswith("\n") else "")
        # not translated: a file's content, the same for every clone
        text += "# sprintboard: lock, presence and temp files next to the boards\n"
        text += "".join(f"{p}\n" for p in missing)
        try:
            write_atomic(ignore, text.encode(), sidecar_mode(board))
        except BoardFileError:
            return
    with suppress(OSError):
        _ignore_seen[key] = _identity(os.lstat(ignore))


def sidecar_folder(board: Path, folder: Path) -> None:
    """Make `folder`, kept next to `board`, for everyone who may write the board (the
    board's group and bits, not the umask), when it is missing. Raises `BoardFileError`
    when it is a link or not a folder (nothing is written through or into one), and
    `OSError` when it cannot be made."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        pass
    else:
        if stat.S_ISLNK(info.st_mode):
            why = _("is a symbolic link, and sprintboard never writes through one")
            raise BoardFileError(folder, why)
        if not stat.S_ISDIR(info.st_mode):
            raise BoardFileError(folder, _("is not a folder"))
        return
    ensure_gitignore(board)  # before the folder: git never sees it
    mode = folder_mode(sidecar_mode(board))
    with suppress(FileExistsError):  # another writer made it meanwhile
        os.mkdir(folder, 0o700)
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            with suppress(OSError):
                share_group(fd, os.stat(board).st_gid)
            # a setgid folder's new folders are setgid too: keep that, not the umask
            os.fchmod(fd, mode | (os.fstat(fd).st_mode & stat.S_ISGID))
        finally:
            os.close(fd)


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns


def lock_path(path: Path) -> Path:
    target = board_file(path)
    return target.with_name(f".{target.name}.lock")


def _open_lock(path: Path, lock: Path) -> int:
    """The lock file, open; made (with the board's mode and group) when it is missing."""
    flags = os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL | flags, 0o600)
        except FileExistsError:
            fd = _open_existing(lock, flags)
        else:
            share_group(fd, _group_of(path))
            os.fchmod(fd, sidecar_mode(path))  # not the umask: everyone who writes the board
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise _linked_lock(path, lock) from None
        why = _("cannot create its lock file {name}: {reason}")
        raise BoardFileError(path, why.format(name=lock.name, reason=error.strerror)) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        why = _("its lock file {name} is not a regular file; remove it")
        raise BoardFileError(path, why.format(name=lock.name))
    return fd


def _linked_lock(path: Path, lock: Path) -> BoardFileError:
    return BoardFileError(
        path,
        _(
            "its lock file {name} is a symbolic link, and sprintboard never writes "
            "through one; remove it"
        ).format(name=lock.name),
    )


def _open_existing(lock: Path, flags: int) -> int:
    try:
        return os.open(lock, os.O_RDWR | flags)
    except PermissionError:
        # made read-only for us by an older sprintboard: a local flock needs no write access
        return os.open(lock, os.O_RDONLY | flags)


class Turn(Protocol):
    """A writer that may queue its operation while the lock is busy (see `batching`)."""

    def enqueue(self) -> bool:
        """The lock is busy: queue the operation, if it can be; True when it was."""

    def served(self, held: bool) -> bool:
        """True when another writer applied the queued operation (and its outcome
        stands), so nothing is left to do. Called with the lock `held` or without."""

    def lead(self) -> None:
        """Under the lock, not served: take the operation out of the queue, to apply it."""


@contextmanager
def locked(path: Path, timeout: float | None = None, turn: Turn | None = None) -> Iterator[bool]:
    """Hold the board's sidecar lock: one read-modify-write at a time, across processes.

    Without `timeout`, waits in the kernel's queue for as long as another writer holds
    it: the holder is alive (a dead one's lock is gone) and each hold is one short
    read-modify-write. With `timeout`, gives up after that many seconds.

    With a `turn`, a writer that finds the lock busy queues its operation, then waits
    until a write applied it (True: done, the lock was never held) or it has the lock
    (False); see `_served_or_locked`.
    """
    # A linked lock file or `.gitignore` refuses the write, and nothing may be made
    # before that is known: so look at the lock first (O_NOFOLLOW still guards the
    # open), then mend the `.gitignore` (two writers adding the same lines is harmless).
    lock = lock_path(path)
    with suppress(OSError):
        if stat.S_ISLNK(os.lstat(lock).st_mode):
            raise _linked_lock(path, lock)
    ensure_gitignore(path)
    fd = _open_lock(path, lock)
    try:
        if turn is not None:
            if not _flock(path, fd, fcntl.LOCK_EX | fcntl.LOCK_NB):
                if not turn.enqueue():
                    _flock(path, fd, fcntl.LOCK_EX)
                elif _served_or_locked(path, fd, turn):
                    yield True
                    return
        elif timeout is None:
            _flock(path, fd, fcntl.LOCK_EX)
        else:
            deadline = time.monotonic() + timeout
            while not _flock(path, fd, fcntl.LOCK_EX | fcntl.LOCK_NB):
                if time.monotonic() > deadline:
                    why = _("another program has held its lock for over {seconds:g} seconds")
                    raise BoardFileError(path, why.format(seconds=timeout))
                time.sleep(0.002)
        yield False
    finally:
        os.close(fd)  # closing releases the lock


WAIT_STEP = 0.004
"""Seconds at most between two looks of a queued writer (is it applied? is the lock free?)."""


def _served_or_locked(path: Path, fd: int, turn: Turn) -> bool:
    """Wait until the queued operation of `turn` is applied (True) or the lock is ours.

    Not in the kernel's queue for the lock: that wakes waiters in no order, and one
    already served could lose the race to write after write. Instead each waiter
    looks, every few ms, whether its answer is there (no lock needed), and else tries
    the lock once: taking it when it is free is right (someone must apply the queue),
    and a holder that died lets it go.
    """
    step = 0.0005
    while True:
        if turn.served(held=False):
            return True
        if _flock(path, fd, fcntl.LOCK_EX | fcntl.LOCK_NB):
            return False
        time.sleep(step)
        step = min(step * 2, WAIT_STEP)


def _flock(path: Path, fd: int, operation: int) -> bool:
    """Take the lock; False when it is busy and `operation` says not to wait."""
    try:
        fcntl.flock(fd, operation)
    except OSError as error:
        if error.errno in (errno.EAGAIN, errno.EACCES):
            return False
        why = _("cannot be locked: {reason}").format(reason=error.strerror)
        raise BoardFileError(path, why) from None
    return True

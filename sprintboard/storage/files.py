"""Files are untrusted: what is read and written, and where.

A board is read only as a regular file of at most `MAX_BOARD_BYTES` (`read_bytes`),
a link is followed only within its folder (`board_file`), and nothing is created or
added to through a link. `write_atomic` writes via a temp file, fsync, rename and
fsync of the folder, and `check_writable` refuses a file marked read-only or a board
of a newer schema. Sidecars take the board's mode and group (`sidecar_mode`), and
temp files left by killed writers are swept (`sweep_temps`).
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
import time
from contextlib import suppress
from fnmatch import fnmatchcase
from pathlib import Path
from socket import gethostname
from typing import TYPE_CHECKING

from ..i18n import N_, _
from ..vocabulary import SCHEMA
from .errors import BoardFileError

if TYPE_CHECKING:  # only a type here: reading a board's bytes needs no pydantic
    from ..model import Board

MAX_BOARD_BYTES = 64 * 1024 * 1024
"""The largest board file read: 8 times a board of 10,000 cards (8 MB). A bigger file is
refused rather than read, so that a pushed file cannot exhaust everyone's memory."""

TEMP_STALE = 3600.0
"""Seconds after which a temp file whose writer cannot be checked (on another machine, or
named by an older sprintboard) counts as left by a crash: a write takes well under one."""

_UMASK = os.umask(0)
os.umask(_UMASK)

HOST = "".join(c if c.isascii() and (c.isalnum() or c in ".-") else "_" for c in gethostname())
"""This machine's name as temp and presence file names carry it (no "/", no controls)."""

_KINDS = {
    stat.S_IFDIR: N_("a directory"),
    stat.S_IFIFO: N_("a named pipe"),
    stat.S_IFCHR: N_("a device"),
    stat.S_IFBLK: N_("a device"),
    stat.S_IFSOCK: N_("a socket"),
}
"""What a file that is not a regular one is, in words (translated when shown: `_kind`)."""


def _kind(mode: int) -> str:
    """What the file of `mode` is, in words, for a sentence that refuses it."""
    kind = _KINDS.get(stat.S_IFMT(mode))
    return _("not a regular file") if kind is None else _(kind)


def read_bytes(path: Path) -> bytes:
    """The bytes of the board at `path`: a regular file of at most `MAX_BOARD_BYTES`
    (a link is followed only within its folder: `board_file`)."""
    data = _read_regular(board_file(path), path, MAX_BOARD_BYTES)
    assert data is not None  # a missing board is an error, not None
    return data


def board_file(path: Path) -> Path:
    """The file the board path `path` stands for: itself, or the target of its symbolic
    link when that is a file in the same folder (``current.toml -> sprint-12.toml``).

    A link out of its folder is refused: a link is something anyone who can push commits,
    and following it would read and write — board, lock, temp and presence files — wherever
    it points. Within the folder all of them stay where git and the `.gitignore` see them.
    """
    try:
        is_link = stat.S_ISLNK(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return path  # missing or unreachable: opening it says why
    if not is_link:
        return path
    target = Path(os.path.realpath(path))
    if target.parent != Path(os.path.realpath(path.parent)):
        raise BoardFileError(
            path,
            _(
                "is a symbolic link out of its folder (to {target}); sprintboard follows a "
                "board's link only to a file in the same folder"
            ).format(target=target),
        )
    return target


def too_large(path: Path, size: int) -> None:
    """Refuse a board of more than `MAX_BOARD_BYTES` (`size` bytes, about to be read)."""
    if size > MAX_BOARD_BYTES:
        raise BoardFileError(
            path,
            _(
                "is {size:.1f} MiB, more than the {limit} MiB a board may have; nothing was read"
            ).format(size=size / 2**20, limit=MAX_BOARD_BYTES >> 20),
        )


def _read_regular(target: Path, shown: Path, limit: int, missing_ok: bool = False) -> bytes | None:
    """The bytes of the regular file `target` (named `shown` in errors), up to `limit`.

    Never blocks (a named pipe is refused, not waited on) and never follows a link.
    None when it is missing and `missing_ok`.
    """
    try:
        fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        if missing_ok:
            return None
        raise BoardFileError(shown, _("no such board file")) from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            why = _("is a symbolic link, which sprintboard does not follow here")
        elif error.errno == errno.ENXIO:
            why = _("is a socket, not a regular file")
        elif isinstance(error, PermissionError):
            why = _("cannot be read: permission denied")
        else:
            why = _("cannot be read: {reason}").format(reason=error.strerror)
        raise BoardFileError(shown, why) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _kind(info.st_mode)
            if missing_ok:
                raise BoardFileError(shown, _("is {kind}, not a regular file").format(kind=kind))
            raise BoardFileError(shown, _("is {kind}, not a board file").format(kind=kind))
        if info.st_size > limit:
            too_large(shown, info.st_size)
        chunks: list[bytes] = []
        total = 0
        while True:  # the size may have changed since fstat: read to the end, bounded
            chunk = os.read(fd, limit + 1 - total)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                too_large(shown, total)
    except OSError as error:
        why = _("cannot be read: {reason}").format(reason=error.strerror)
        raise BoardFileError(shown, why) from None
    finally:
        os.close(fd)


def read_own_file(path: Path, limit: int = 1 << 20) -> bytes | None:
    """The bytes of a small file the program adds lines to (`.gitignore`, `.gitattributes`);
    None when there is none. A link or anything but a regular file is refused."""
    return _read_regular(path, path, limit, missing_ok=True)


def process_alive(pid: int) -> bool:
    """Whether process `pid` of this machine is running (a zombie counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    except (OverflowError, OSError):
        return True  # not a pid this machine can have: not ours to judge
    try:  # a killed process its parent has not reaped yet is a zombie: gone too
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat_file:
            return stat_file.read().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def new_file_mode(folder: Path) -> int:
    """Permission bits for a new file in `folder`: what the umask allows, and read and
    write for the group too in a folder set up for a group (setgid, group-writable) —
    whoever may write in it may then change the file, whatever their umask."""
    mode = 0o666 & ~_UMASK
    with suppress(OSError):
        folder_mode = os.stat(folder).st_mode
        if folder_mode & stat.S_ISGID and folder_mode & stat.S_IWGRP:
            mode |= 0o660
    return mode


def sidecar_mode(board: Path) -> int:
    """Permission bits for a file kept next to `board` (its lock, presence entries, the
    folder's `.gitignore`): the board's read and write bits, so that everyone who may write
    the board may use them, whatever the umask of whoever made them first."""
    try:
        target = board_file(board)
        return (stat.S_IMODE(os.stat(target).st_mode) & 0o666) | 0o600
    except (OSError, BoardFileError):
        return new_file_mode(board.parent)


def folder_mode(file_mode: int) -> int:
    """A folder's bits for files of `file_mode`: enterable by whoever may read them."""
    return file_mode | (file_mode & 0o444) >> 2


def share_group(fd: int, group: int | None) -> None:
    """Give the file open as `fd` the group `group` (a board's), when it has another one.

    Only a member of that group may; otherwise the folder's setgid bit (the usual set-up
    for a shared folder) has given it the folder's group already.
    """
    if group is not None and os.fstat(fd).st_gid != group:
        with suppress(OSError):
            os.fchown(fd, -1, group)


def _group_of(path: Path) -> int | None:
    try:
        return os.stat(board_file(path)).st_gid
    except (OSError, BoardFileError):
        return None


# --- writing files -----------------------------------------------------------------


def check_writable(path: Path, board: Board | None = None) -> None:
    """Refuse, with a clear error, to write a read-only file, anything but a regular
    file, or a newer schema."""
    if board is not None and board.schema_ > SCHEMA:
        raise BoardFileError(
            path,
            _(
                "schema {schema} is newer than this sprintboard writes (schema {known}); "
                "upgrade sprintboard to change this board"
            ).format(schema=board.schema_, known=SCHEMA),
        )
    target = board_file(path)
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise BoardFileError(path, _cannot_check(error)) from None
    if not stat.S_ISREG(mode):  # a pipe or a device is not replaced, even unread
        why = _("is {kind}, not a board file; nothing was written").format(kind=_kind(mode))
        raise BoardFileError(path, why)
    # Every write bit off is a deliberate "do not change", honoured even for root,
    # whom os.access() would let through.
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise BoardFileError(path, _("the file is read-only; nothing was written"))


def _cannot_check(error: OSError) -> str:
    return _("cannot be checked: {reason}").format(reason=error.strerror)


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace `path` with `data` so that a crash leaves the old file or the new one.

    The new file keeps the old one's permission bits and group, so everyone who could
    write it still can; a new file gets `mode` (default `new_file_mode`). A link is
    followed only within its folder (`board_file`). The temp file is named for this
    machine and process, so that a later write can tell one a killed writer left
    (`sweep_temps`, run after each write).
    """
    target = board_file(path)
    group: int | None = None
    try:
        info = os.stat(target)
    except FileNotFoundError:
        keep = new_file_mode(target.parent) if mode is None else mode
    except OSError as error:
        raise BoardFileError(path, _cannot_check(error)) from None
    else:
        keep, group = stat.S_IMODE(info.st_mode), info.st_gid
    fd, temp = _create_temp(path, target)
    try:
        with os.fdopen(fd, "wb") as out:
            share_group(out.fileno(), group)
            os.fchmod(out.fileno(), keep)  # after the group: a chown may clear mode bits
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except OSError as error:
        _unlink_quietly(temp)
        why = _("cannot be written: {reason}").format(reason=error.strerror)
        raise BoardFileError(path, why) from None
    except BaseException:
        _unlink_quietly(temp)
        raise
    _fsync_folder(target.parent)
    sweep_temps(target.parent)


def _temp_name(target: Path) -> str:
    """``.<name>.<host>-<pid>-<random>.tmp``: matched by the `.gitignore` patterns, and
    saying which process on which machine wrote it."""
    return f".{target.name}.{HOST}-{os.getpid()}-{secrets.token_hex(4)}.tmp"


def _create_temp(path: Path, target: Path) -> tuple[int, str]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    while True:
        temp = str(target.with_name(_temp_name(target)))
        try:
            return os.open(temp, flags, 0o600), temp
        except FileExistsError:
            continue  # 32 random bits taken by another temp file: draw again
        except OSError as error:
            why = _("cannot write in its folder: {reason}").format(reason=error.strerror)
            raise BoardFileError(path, why) from None


def _temp_writer(name: str) -> int | None:
    """The pid in a temp file name `_temp_name` made on this machine; None otherwise."""
    stem = name.removesuffix(".tmp")
    parts = stem.rsplit("-", 2)
    if len(parts) != 3 or not parts[0].endswith(f".{HOST}"):
        return None
    pid, token = parts[1], parts[2]
    if not (pid.isascii() and pid.isdigit() and len(pid) <= 9 and len(token) == 8):
        return None
    return int(pid) or None


TEMP_PATTERNS = (".*.toml.*.tmp", "..gitignore.*.tmp")
"""Temp files of board and `.gitignore` writes (`_temp_name`), as the `.gitignore` has them."""


def sweep_temps(folder: Path, now: float | None = None) -> int:
    """Remove the temp files in `folder` that writers killed in the middle of a write left:
    those of a process of this machine that is gone, and ones of the program's patterns
    not touched for `TEMP_STALE` seconds. How many were removed."""
    now = time.time() if now is None else now
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    me = os.getpid()
    for entry in entries:
        name = entry.name
        if not (name.startswith(".") and name.endswith(".tmp")):
            continue
        pid = _temp_writer(name)
        if pid is not None:
            stale = pid != me and not process_alive(pid)
        elif any(fnmatchcase(name, pattern) for pattern in TEMP_PATTERNS):
            try:
                stale = now - entry.stat(follow_symlinks=False).st_mtime > TEMP_STALE
            except OSError:
                stale = False
        else:
            stale = False
        if stale:
            with suppress(OSError):
                os.unlink(entry.path)
                removed += 1
    return removed


def _unlink_quietly(path: str) -> None:
    with suppress(OSError):
        os.unlink(path)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename itself is atomic
    finally:
        os.close(fd)

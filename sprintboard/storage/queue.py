"""The board's queue: writers waiting for its lock leave their operations here.

Group commit. A writer that finds the lock busy writes its operation as an entry in
the sidecar folder ``.<name>.toml.queue/`` before it waits (`submit`). Whoever holds
the lock applies every entry queued, in arrival order, in its one read-apply-write,
and leaves each entry's outcome beside it (`write_outcomes`); the waiter finds its
outcome (`collect`, no lock needed) and is done without reading the board. So the
waiting writers cost one write, not one each, and nobody waits behind more than the
write under way and the next one.

The files, each made under a fresh name and renamed into place (a reader sees all of
one or nothing), read only as regular files of at most `ENTRY_LIMIT` bytes, never
through a link:

- ``<ticket>.op``: an entry. The ticket, ``<time ns>-<host>-<pid>-<random>``, gives
  the arrival order and whose it is.
- ``commit``: the record a writer leaves just before it answers entries and replaces
  the board: the digest of the text it writes and the tickets it answers; removed
  once the board is written. While it names an entry, that entry's outcome does not
  stand yet. Found by the next holder of the lock (`recover`, before anything else),
  it tells whether the board was written before its writer died: the board holds
  that digest (the outcomes stand) or not (they are removed, and the entries are
  applied again). So each operation is applied exactly once, whoever dies where.
- ``<ticket>.done``: the entry's outcome, left by the writer that applied it; removed
  with the entry by the waiter that collects it (or by `sweep`, its writer gone).

Entries come from other processes and other accounts: untrusted. One that cannot be
read (a link, a pipe, too big) is answered with a refusal, not applied; a file not
named as an entry is removed. What an entry means is the caller's (`batching`).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import stat
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from ..i18n import _
from .errors import BoardFileError, digest
from .files import (
    HOST,
    _create_temp,
    _read_regular,
    board_file,
    process_alive,
    read_bytes,
    share_group,
    sidecar_mode,
    sweep_temps,
)
from .locks import sidecar_folder

ENTRY_LIMIT = 1 << 20
"""Bytes an entry or an outcome may have; a bigger operation waits for the lock itself."""
BATCH_LIMIT = 256
"""Entries one write applies at most; the rest go into the next one."""
STALE = 3600.0
"""Seconds after which an answered entry whose writer cannot be checked is removed."""
SWEEP_AFTER = 10.0
"""Seconds an answer waits for its writer before `sweep` looks whether that one died."""

_TICKET = re.compile(r"[0-9]{20}-[A-Za-z0-9._-]{1,64}-[0-9]{1,10}-[0-9a-f]{8}")
"""What `submit` names an entry (a host name has at most 64 characters): any other name
in the folder is not an entry, and its outcome's name could not even be made."""
_RECORD = "commit"


@dataclass(frozen=True)
class Entry:
    """A queued entry as read: its bytes, or why it could not be read."""

    ticket: str
    data: bytes | None
    problem: str | None = None


def queue_folder(path: Path) -> Path:
    target = board_file(path)
    return target.with_name(f".{target.name}.queue")


def submit(path: Path, data: bytes) -> str | None:
    """Queue `data` for the next holder of the lock of `path`; the entry's ticket, or
    None when it cannot be queued (then its writer applies it itself, once it has the lock)."""
    if len(data) > ENTRY_LIMIT:
        return None
    folder = queue_folder(path)
    ticket = f"{time.time_ns():020d}-{HOST}-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        sidecar_folder(path, folder)
        _put(path, folder / f"{ticket}.op", data)
    except (OSError, BoardFileError):
        return None
    return ticket


def pending(path: Path) -> list[Entry]:
    """The entries not yet answered, oldest first (at most `BATCH_LIMIT`). Under the lock."""
    folder = _folder(path)
    if folder is None:
        return []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    answered = {name[: -len(".done")] for name in names if name.endswith(".done")}
    tickets = sorted(name[: -len(".op")] for name in names if name.endswith(".op"))
    found: list[Entry] = []
    for ticket in tickets:
        if ticket in answered:
            continue
        if len(found) == BATCH_LIMIT:
            break
        entry = folder / f"{ticket}.op"
        if not _TICKET.fullmatch(ticket):
            with suppress(OSError):  # no writer waits for it: nobody to answer
                os.unlink(entry)
            continue
        try:
            data = _read_regular(entry, entry, ENTRY_LIMIT, missing_ok=True)
        except BoardFileError as error:
            found.append(Entry(ticket, None, error.message))
            continue
        if data is not None:  # else taken back by its writer meanwhile
            found.append(Entry(ticket, data))
    return found


def write_outcomes(path: Path, outcomes: dict[str, bytes], written: str) -> None:
    """Leave the record that the board is about to hold the text of digest `written`,
    then each entry's outcome. Under the lock, right before the board is written.

    The record comes first: an outcome stands only once no record names it.
    Raises `BoardFileError` when any of it cannot be written (then none of it stands)."""
    folder = queue_folder(path)
    made: list[Path] = []
    try:
        record = {"digest": written, "tickets": list(outcomes)}
        _put(path, folder / _RECORD, json.dumps(record).encode())
        for ticket, data in outcomes.items():
            made.append(folder / f"{ticket}.done")
            _put(path, made[-1], data)
    except (OSError, BoardFileError) as error:
        for done in made:
            with suppress(OSError):
                os.unlink(done)
        with suppress(OSError):
            os.unlink(folder / _RECORD)
        reason = error.message if isinstance(error, BoardFileError) else error.strerror
        why = _("cannot answer the changes queued for it: {reason}").format(reason=reason)
        raise BoardFileError(path, why) from None


def recover(path: Path, written: str | None = None) -> None:
    """Settle what the last writer that applied queued entries left: keep their outcomes
    when the board holds what it meant to write, else remove them (the entries are then
    applied again). Under the lock: first thing after taking it, and after a write
    (`written`: the digest now on disk, so the board need not be read again).

    Raises `BoardFileError` when the record cannot be removed: writing on would let a
    later writer take applied entries for lost ones."""
    folder = _folder(path)
    if folder is None:
        return
    record = folder / _RECORD
    try:
        data = _read_regular(record, record, ENTRY_LIMIT, missing_ok=True)
    except BoardFileError:
        data = b""  # not one this program wrote (a link, a pipe): nothing to undo
    if data is None:
        return
    try:
        meant = json.loads(data)
        tickets = [t for t in meant["tickets"] if isinstance(t, str) and _TICKET.fullmatch(t)]
        target = str(meant["digest"])
    except (ValueError, KeyError, TypeError, RecursionError):
        tickets, target = [], ""
    if tickets:
        if written is None:
            try:
                written = digest(read_bytes(path))
            except BoardFileError:
                return  # decided by the first writer that can read it (none can write it)
        if written != target:
            for ticket in tickets:
                with suppress(OSError):
                    os.unlink(folder / f"{ticket}.done")
    try:
        os.unlink(record)
    except FileNotFoundError:
        pass
    except OSError as error:
        why = _("cannot tidy the queue of changes next to it: {reason}")
        raise BoardFileError(path, why.format(reason=error.strerror)) from None


def collect(path: Path, ticket: str, held: bool) -> bytes | None:
    """The outcome of the entry `ticket`, once it stands (then it is taken out of the
    queue with the entry); None until then. Needs no lock.

    An outcome stands when no record names it: a writer leaves its record before any
    outcome and removes it only once the board is written (or the outcomes again, when
    it could not write). Read twice, around the look at the record, because a writer
    that takes over from a dead one may remove an outcome and write the entry's
    outcome anew meanwhile.

    Raises `BoardFileError` when the outcome is there but cannot be read and the lock
    is `held` (without it, None: the entry is taken out only once no writer can be
    applying it)."""
    done = queue_folder(path) / f"{ticket}.done"
    try:
        first = _read_regular(done, done, ENTRY_LIMIT, missing_ok=True)
        if first is None or _recorded(path, ticket):
            return None
        if _read_regular(done, done, ENTRY_LIMIT, missing_ok=True) != first:
            return None  # answered anew meanwhile: look again
    except BoardFileError:
        if not held:
            return None
        withdraw(path, ticket)
        raise
    withdraw(path, ticket)
    return first


def _recorded(path: Path, ticket: str) -> bool:
    """Whether a record names `ticket` (or cannot be read, and so might)."""
    record = queue_folder(path) / _RECORD
    try:
        data = _read_regular(record, record, ENTRY_LIMIT, missing_ok=True)
    except BoardFileError:
        return False  # not one this program wrote: `recover` takes it away
    if data is None:
        return False
    try:
        return ticket in json.loads(data)["tickets"]
    except (ValueError, KeyError, TypeError, RecursionError):
        return False


def withdraw(path: Path, ticket: str) -> None:
    """Take the entry `ticket` out of the queue (and its outcome, if any): by its writer,
    once answered or under the lock (no other writer can be applying it then)."""
    folder = queue_folder(path)
    for suffix in (".op", ".done"):
        with suppress(OSError):
            os.unlink(folder / f"{ticket}{suffix}")


def sweep(path: Path, now: float | None = None) -> None:
    """Remove answered entries nobody collected for `SWEEP_AFTER` seconds whose writer
    died (a process of this machine that is gone, or, elsewhere, untouched for
    `STALE` seconds), and killed writers' temp files. A waiter collects its answer
    within milliseconds, so fresh answers are not even looked at."""
    folder = _folder(path)
    if folder is None:
        return
    now = time.time() if now is None else now
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        ticket = entry.name.removesuffix(".done")
        if ticket == entry.name or not _TICKET.fullmatch(ticket):
            continue
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if age < SWEEP_AFTER:
            continue
        _stamp, _sep, rest = ticket.partition("-")
        host, pid, _token = rest.rsplit("-", 2)
        if (not process_alive(int(pid))) if host == HOST else age > STALE:
            withdraw(path, ticket)
    sweep_temps(folder, now)


def _folder(path: Path) -> Path | None:
    """The queue folder, when there is one that is a folder (never one reached by a link)."""
    folder = queue_folder(path)
    try:
        return folder if stat.S_ISDIR(os.lstat(folder).st_mode) else None
    except OSError:
        return None


def _put(path: Path, target: Path, data: bytes) -> None:
    """Write `target` whole or not at all: a fresh temp file renamed into place.

    Not synced: an entry matters only while its writer waits, and a crash of the
    machine ends that wait too."""
    fd, temp = _create_temp(path, target)
    try:
        with os.fdopen(fd, "wb") as out:
            share_group(out.fileno(), _group(path))
            os.fchmod(out.fileno(), sidecar_mode(path))  # everyone who writes the board
            out.write(data)
        os.rename(temp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise


def _group(path: Path) -> int | None:
    try:
        return os.stat(board_file(path)).st_gid
    except (OSError, BoardFileError):
        return None

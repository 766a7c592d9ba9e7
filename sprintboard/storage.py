"""The board file: reading with line-precise errors, the canonical writer, safe writes.

- `load` reads and validates; every problem becomes a `BoardFileError` that says
  ``path:line:column: what is wrong``.
- `dumps` is canonical: the same board always gives the same text, cards sorted by
  id, keys in model order, UTC times to the second, empty optional fields left out.
- `save` writes atomically (temp file, fsync, rename, fsync of the folder) and never
  writes a file marked read-only or a board of a newer schema.
- `locked` holds the advisory lock on the sidecar ``.<name>.toml.lock`` for a
  read-modify-write; the kernel drops it when its holder dies.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import tomli
import tomli_w
from pydantic import ValidationError

from .model import SCHEMA, Board, describe_error, error_context

LOCK_TIMEOUT = 10.0
"""Seconds to wait for another writer before giving up with a clear error."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a board file, at a 1-based line and column."""

    line: int
    column: int
    message: str


class BoardFileError(Exception):
    """A board file that cannot be read or written; `str()` is one line for the user."""

    def __init__(self, path: Path | str, problems: list[Problem] | str) -> None:
        self.path = Path(path)
        self.problems = problems if isinstance(problems, list) else []
        self.message = problems if isinstance(problems, str) else ""
        super().__init__(str(self))

    def lines(self) -> list[str]:
        """Every problem, one line each (as `validate` prints them)."""
        if not self.problems:
            return [f"{self.path}: {self.message}"]
        return [f"{self.path}:{p.line}:{p.column}: {p.message}" for p in self.problems]

    def __str__(self) -> str:
        first, *rest = self.lines()
        return f"{first} (and {len(rest)} more)" if rest else first


@dataclass(frozen=True)
class Loaded:
    """A board as read from disk, with the digest of the bytes it came from."""

    board: Board
    digest: str
    text: str


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- reading -----------------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BoardFileError(path, "no such board file") from None
    except IsADirectoryError:
        raise BoardFileError(path, "is a directory, not a board file") from None
    except PermissionError:
        raise BoardFileError(path, "cannot be read: permission denied") from None
    except OSError as error:
        raise BoardFileError(path, f"cannot be read: {error.strerror}") from None


def load(path: Path) -> Loaded:
    """Read and validate the board at `path`."""
    data = read_bytes(path)
    text = decode(data, path)
    return Loaded(parse(text, path), digest(data), text)


def decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(data[: error.start])
        raise BoardFileError(path, [Problem(line, column, "not valid UTF-8 text")]) from None


def _position(prefix: bytes) -> tuple[int, int]:
    line = prefix.count(b"\n") + 1
    column = len(prefix) - (prefix.rfind(b"\n") + 1) + 1
    return line, column


def parse(text: str, path: Path) -> Board:
    """The board in `text` (the contents of `path`, which messages name)."""
    if not text.strip():
        raise BoardFileError(
            path, [Problem(1, 1, "the file is empty; a board needs at least schema and title")]
        )
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        message = error.msg[:1].lower() + error.msg[1:]
        raise BoardFileError(path, [Problem(error.lineno, error.colno, message)]) from None
    try:
        return Board.model_validate(data)
    except ValidationError as error:
        raise BoardFileError(path, _problems(error, data, text)) from None


def _problems(error: ValidationError, data: dict[str, Any], text: str) -> list[Problem]:
    schema = data.get("schema")
    newer = isinstance(schema, int) and schema > SCHEMA
    index = _KeyIndex(text)
    problems = []
    for detail in error.errors():
        loc = tuple(detail["loc"])
        if detail["type"] == "unknown_member":
            loc = tuple(detail["ctx"]["where"])
        line, column = index.find(loc)
        message = error_context(loc) + describe_error(detail)
        problems.append(Problem(line, column, message))
    if newer:
        line, column = index.find(("schema",))
        note = (
            f"schema {schema} is newer than this sprintboard understands (schema {SCHEMA}); "
            "upgrade sprintboard to use this board"
        )
        problems.insert(0, Problem(line, column, note))
    return problems


_HEADER = re.compile(r"^\s*\[\[?\s*(?P<name>[^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r'^\s*(?P<key>[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\')\s*(?:\.|=)')
_DOTTED = re.compile(r'\s*("[^"]*"|\'[^\']*\'|[A-Za-z0-9_-]+)\s*(?:\.|$)')


def _split_dotted(name: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in _DOTTED.findall(name))


class _KeyIndex:
    """Where each table and key of a TOML text starts, to point errors at lines.

    Only used when something is wrong, so it favours simplicity over speed: it
    understands table headers and `key =` lines, which is what board files hold.
    """

    def __init__(self, text: str) -> None:
        self.tables: dict[tuple[str, ...], int] = {(): 1}
        self.keys: dict[tuple[str, ...], tuple[int, int]] = {}
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header:
                table = _split_dotted(header.group("name"))
                self.tables.setdefault(table, number)
                continue
            key = _KEY.match(line)
            if key:
                name = key.group("key").strip("\"'")
                column = key.start("key") + 1
                self.keys.setdefault((*table, name), (number, column))

    def find(self, loc: tuple[str | int, ...]) -> tuple[int, int]:
        """Line and column of the deepest known part of `loc`."""
        path = tuple(str(p) for p in loc if isinstance(p, str) and p != "[key]")
        for depth in range(len(path), 0, -1):
            prefix = path[:depth]
            if prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.tables:
                return self.tables[prefix], 1
        return 1, 1


# --- writing -----------------------------------------------------------------------


class _Zulu(datetime):
    """A UTC time that tomli-w writes as ``2026-11-27T09:15:00Z``."""

    def __str__(self) -> str:
        return self.strftime("%Y-%m-%dT%H:%M:%SZ")


def zulu(moment: datetime) -> _Zulu:
    """`moment` as the file writes it: UTC, to the second, with a Z."""
    utc = moment.utctimetuple()
    return _Zulu(utc.tm_year, utc.tm_mon, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec)


def to_data(board: Board) -> dict[str, Any]:
    """The board as the canonical TOML document: what `dumps` writes."""
    data = board.model_dump(by_alias=True, exclude_defaults=True)
    if "members" in data:
        data["members"] = dict(sorted(data["members"].items()))
    if "cards" in data:
        cards = data["cards"]
        for card in cards.values():
            card["created"] = zulu(card["created"])
            card["updated"] = zulu(card["updated"])
            if "votes" in card:
                card["votes"] = dict(sorted(card["votes"].items()))
            for entry in card.get("history", ()):
                entry["at"] = zulu(entry["at"])
        data["cards"] = dict(sorted(cards.items()))
    return data


def dumps(board: Board) -> str:
    """The canonical text of `board`."""
    return tomli_w.dumps(to_data(board), multiline_strings=True)


_UMASK = os.umask(0)
os.umask(_UMASK)


def check_writable(path: Path, board: Board | None = None) -> None:
    """Refuse, with a clear error, to write a read-only file or a newer schema."""
    if board is not None and board.schema_ > SCHEMA:
        raise BoardFileError(
            path,
            f"schema {board.schema_} is newer than this sprintboard writes (schema {SCHEMA}); "
            "upgrade sprintboard to change this board",
        )
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise BoardFileError(path, f"cannot be checked: {error.strerror}") from None
    # Every write bit off is a deliberate "do not change", honoured even for root,
    # whom os.access() would let through.
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise BoardFileError(path, "the file is read-only; nothing was written")


def save(path: Path, board: Board) -> str:
    """Write `board` canonically to `path`, atomically; the digest of what was written."""
    check_writable(path, board)
    data = dumps(board).encode()
    write_atomic(path, data)
    return digest(data)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old file or the new one."""
    target = Path(os.path.realpath(path))
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_UMASK
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise BoardFileError(path, f"cannot write in its folder: {error.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), mode)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except OSError as error:
        _unlink_quietly(temp)
        raise BoardFileError(path, f"cannot be written: {error.strerror}") from None
    except BaseException:
        _unlink_quietly(temp)
        raise
    _fsync_folder(target.parent)


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


# --- locking -----------------------------------------------------------------------


SIDECAR_IGNORES = (".*.toml.lock", ".*.toml.presence/", ".*.toml.*.tmp")
"""What the program keeps next to a board and git must not track (see `ensure_gitignore`)."""


def ensure_gitignore(folder: Path) -> None:
    """Add the sidecar patterns to `folder/.gitignore` (created if missing), once."""
    ignore = folder / ".gitignore"
    try:
        existing = ignore.read_text(encoding="utf-8") if ignore.exists() else ""
    except (OSError, UnicodeDecodeError):
        return  # never fail a board write over an unreadable .gitignore
    missing = [p for p in SIDECAR_IGNORES if p not in existing.splitlines()]
    if not missing:
        return
    text = existing + ("\n" if existing and not existing.endswith("\n") else "")
    text += "# sprintboard: lock, presence and temp files next to the boards\n"
    text += "".join(f"{p}\n" for p in missing)
    with suppress(BoardFileError):
        write_atomic(ignore, text.encode())


def lock_path(path: Path) -> Path:
    target = Path(os.path.realpath(path))
    return target.with_name(f".{target.name}.lock")


def _open_sidecar(path: Path, sidecar: Path) -> int:
    try:
        try:
            fd = os.open(sidecar, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666 & ~_UMASK)
        except FileExistsError:
            return os.open(sidecar, os.O_RDWR)
    except OSError as error:
        raise BoardFileError(
            path, f"cannot create its lock file {sidecar.name}: {error.strerror}"
        ) from None
    ensure_gitignore(sidecar.parent)  # the sidecar is new: keep it out of git
    return fd


@contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the board's sidecar lock: one read-modify-write at a time, across processes."""
    fd = _open_sidecar(path, lock_path(path))
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    raise BoardFileError(path, f"cannot be locked: {error.strerror}") from None
                if time.monotonic() > deadline:
                    raise BoardFileError(
                        path, f"another program has held its lock for over {timeout:.0f} seconds"
                    ) from None
                time.sleep(0.002)
        yield
    finally:
        os.close(fd)  # closing releases the lock

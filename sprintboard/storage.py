"""The board file: reading with line-precise errors, the canonical writer, safe writes.

- `load` reads and validates; every problem becomes a `BoardFileError` that says
  ``path:line:column: what is wrong``.
- `dumps` is canonical: the same board always gives the same text, cards sorted by
  id, keys in model order, UTC times to the second, empty optional fields left out.
- `save` writes atomically (temp file, fsync, rename, fsync of the folder) and never
  writes a file marked read-only or a board of a newer schema.
- `locked` holds the advisory lock on the sidecar ``.<name>.toml.lock`` for a
  read-modify-write; the kernel drops it when its holder dies.
- Files are untrusted: a board is read only as a regular file of at most
  `MAX_BOARD_BYTES`, a link is followed only within its folder (`board_file`), and
  nothing is created or added to through a link; sidecars take the board's mode and
  group (`sidecar_mode`), and temp files left by killed writers are swept.
"""

from __future__ import annotations

import errno
import fcntl
import gc
import hashlib
import os
import re
import secrets
import stat
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatchcase
from pathlib import Path
from socket import gethostname
from typing import Any

import tomli
import tomli_w
from pydantic import TypeAdapter, ValidationError

from .model import (
    SCHEMA,
    Board,
    Card,
    describe_error,
    error_context,
    find_unknown_members,
    is_key,
)


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
    """The bytes of the board at `path`: a regular file of at most `MAX_BOARD_BYTES`
    (a link is followed only within its folder: `board_file`)."""
    data = _read_regular(board_file(path), path, MAX_BOARD_BYTES)
    assert data is not None  # a missing board is an error, not None
    return data


def load(path: Path, known: Loaded | None = None) -> Loaded:
    """Read and validate the board at `path`; `known` is returned as it is when the
    file still holds exactly what it was read from (no parsing: reads stay cheap)."""
    data = read_bytes(path)
    sha = digest(data)
    if known is not None and known.digest == sha:
        return known
    text = decode(data, path)
    return Loaded(parse(text, path), sha, text)


def decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(data[: error.start])
        raise BoardFileError(path, [Problem(line, column, "not valid UTF-8 text")]) from None


def _position(prefix: bytes) -> tuple[int, int]:
    line = prefix.count(b"\n") + 1
    # columns count characters, as TOML errors do (the prefix is valid UTF-8)
    start = prefix.rfind(b"\n") + 1
    column = len(prefix[start:].decode("utf-8", errors="replace")) + 1
    return line, column


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection for a moment (reference counting goes on).

    Parsing or writing a board makes hundreds of thousands of small containers, and
    none of them cyclic garbage; every few hundred the collector would walk all
    live objects again. Pausing it takes about a third off parsing a board of
    10,000 cards, less off smaller ones (bench/storage.py). Nested or concurrent uses
    are safe, and a collector already paused (Textual pauses it while scrolling)
    stays paused.
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def parse(text: str, path: Path, board: Path | None = None) -> Board:
    """The board in `text` (the contents of `path`, which messages name).

    `board`: the board file that `resolve` would fix, when `path` only names a version
    of it ("boards/x.toml (theirs)", in a merge).
    """
    if not text.strip():
        raise BoardFileError(
            path, [Problem(1, 1, "the file is empty; a board needs at least schema and title")]
        )
    try:
        return _parse(text, path, board or path)
    except RecursionError as error:
        # tomli refuses arrays nested 400 deep and keys of 1,000 parts with this error
        # (and pydantic or a message could recurse as deep): one line, not a traceback
        line, column = _deepest(text, in_keys="key" in str(error))
        raise BoardFileError(path, [Problem(line, column, _too_deep(error))]) from None


def _parse(text: str, path: Path, board_path: Path) -> Board:
    with _gc_paused():
        layout = _layout(text)
        board = _parse_by_card(layout) if layout else None
    if board is not None:
        return board
    try:
        with _gc_paused():
            data = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        marker = conflict_marker(text)
        if marker is not None:
            message = (
                "this board has unresolved git conflict markers: "
                f"run `sprintboard resolve {board_path}`"
            )
            raise BoardFileError(path, [Problem(marker, 1, message)]) from None
        message = error.msg[:1].lower() + error.msg[1:]
        raise BoardFileError(path, [Problem(error.lineno, error.colno, message)]) from None
    try:
        with _gc_paused():
            board = Board.model_validate(data)
    except ValidationError as error:
        raise BoardFileError(path, _problems(error, data, text)) from None
    if layout is not None:
        _cards.learn(board.cards, layout.cards)
    return board


GIT_MARKERS = ("<<<<<<< ", "||||||| ", "=======", ">>>>>>> ")
"""How the lines start that git writes around the sides of a conflict it left as text."""


def conflict_marker(text: str) -> int | None:
    """The line of the first git conflict marker in `text`, if it has one.

    Asked only about text that is not valid TOML, where a marker at the start of a
    line is not part of a multi-line string.
    """
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith(GIT_MARKERS) and (line[:7] != "=======" or not line[7:].strip()):
            return number
    return None


def _too_deep(error: RecursionError) -> str:
    words = str(error).removeprefix("TOML ")
    if not words.startswith(("inline", "key")):
        words = "values are nested deeper than this program can follow"
    return f"too deeply nested: {words}"


_TOKENS = re.compile(r"\"\"\"|'''|[\"'#\n]|[\[{]+|[\]}]+")
"""What changes the nesting, or starts a string or a comment (no nested repeats: linear)."""
_STRING_ENDS = {
    # each: the rest of a string of that kind up to (not including) its closing quotes;
    # the alternatives start with different characters, so no match backtracks
    '"': re.compile(r'(?:[^"\\\n]|\\.)*'),
    "'": re.compile(r"[^'\n]*"),
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*', re.DOTALL),
    "'''": re.compile(r"(?:[^']|'(?!''))*"),
}


def _deepest(text: str, in_keys: bool) -> tuple[int, int]:
    """Where `text` nests deepest: its first most-dotted key (`in_keys`), or else the
    first bracket at its deepest level of arrays and inline tables.

    Linear time; run only for a file found too deeply nested, to say where.
    """
    lines = text.split("\n")
    if in_keys:
        dots = [line.partition("=")[0].count(".") for line in lines]
        number = dots.index(max(dots))
        return number + 1, len(lines[number]) - len(lines[number].lstrip()) + 1
    depth, deepest, where = 0, 0, 0
    at = 0
    while (token := _TOKENS.search(text, at)) is not None:
        kind, at = token.group(), token.end()
        if kind in _STRING_ENDS:
            rest = _STRING_ENDS[kind].match(text, at)
            at = (rest.end() if rest else at) + len(kind)
        elif kind == "#":
            end = text.find("\n", at)
            at = len(text) if end < 0 else end
        elif kind[0] in "[{":
            if depth + len(kind) > deepest:
                deepest, where = depth + len(kind), token.start() + len(kind) - 1
            depth += len(kind)
        elif kind[0] in "]}":
            depth -= len(kind)
    return text.count("\n", 0, where) + 1, where - text.rfind("\n", 0, where)


def _problems(error: ValidationError, data: dict[str, Any], text: str) -> list[Problem]:
    schema = data.get("schema")
    index = _KeyIndex(text)
    problems = []
    for detail in error.errors():
        loc = tuple(detail["loc"])
        if detail["type"] == "unknown_member":
            loc = tuple(detail["ctx"]["where"])
        line, column = index.find(loc)
        # unknown-member messages already say where ("card x: ..."); don't repeat it
        context = "" if detail["type"] == "unknown_member" else error_context(loc)
        message = context + describe_error(detail)
        problems.append(Problem(line, column, message))
    if isinstance(schema, int) and schema > SCHEMA:
        line, column = index.find(("schema",))
        note = f"{_newer(schema)}; upgrade sprintboard to use this board"
        problems.insert(0, Problem(line, column, note))
    return problems


def _newer(schema: int) -> str:
    return f"schema {schema} is newer than this sprintboard understands (schema {SCHEMA})"


def newer_schema_problem(board: Board, text: str) -> Problem | None:
    """What `validate` says of a board of a newer schema that reads as this one.

    Such a file is not known to be valid (its schema may allow what this version
    does not check) and this version never writes it.
    """
    if board.schema_ <= SCHEMA:
        return None
    line, column = _KeyIndex(text).find(("schema",))
    message = (
        f"{_newer(board.schema_)}: it reads as schema {SCHEMA}, but only a newer "
        "sprintboard can check it, and this one will not write it; upgrade sprintboard"
    )
    return Problem(line, column, message)


_BARE = re.compile(r"[A-Za-z0-9_-]*")
"""A bare key (one repeat of one class: it cannot backtrack)."""
_DEPTH = 8
"""How many parts of a key the index keeps: board files nest 5 deep (a conflict's side)."""


def _key_parts(line: str, at: int) -> tuple[list[str], int]:
    """The parts of the (dotted) key starting at `at` in `line`, and where it ends.

    A plain scan, one pass (never a backtracking pattern: this runs on every line of
    untrusted text); a quoted part's escapes are read as TOML reads them.
    """
    parts: list[str] = []
    while True:
        while line[at : at + 1] in (" ", "\t"):
            at += 1
        quote = line[at : at + 1]
        if quote in ('"', "'"):
            end = line.find(quote, at + 1)
            if end < 0:
                return parts, at
            part, at = line[at + 1 : end], end + 1
            if quote == '"' and "\\" in part and len(parts) < _DEPTH:
                part = _unescape(part)
        else:
            start, at = at, _BARE.match(line, at).end()  # type: ignore[union-attr]
            if at == start:
                return parts, at
            part = line[start:at]
        if len(parts) < _DEPTH:
            parts.append(part)
        while line[at : at + 1] in (" ", "\t"):
            at += 1
        if line[at : at + 1] != ".":
            return parts, at
        at += 1


def _unescape(part: str) -> str:
    """A quoted key's escapes, read as TOML reads them (as written when they are bad)."""
    try:
        value = tomli.loads(f'k = "{part}"')["k"]
    except tomli.TOMLDecodeError:
        return part
    return value if isinstance(value, str) else part


class _KeyIndex:
    """Where each table and key of a TOML text starts, to point errors at lines.

    Only used when something is wrong, so it favours simplicity over speed: it
    understands table headers, arrays of tables and `key =` lines (which is what
    board files hold), and skips the lines of multi-line strings.
    """

    def __init__(self, text: str) -> None:
        self.tables: dict[tuple[str | int, ...], int] = {(): 1}
        self.keys: dict[tuple[str | int, ...], tuple[int, int]] = {}
        counts: dict[tuple[str | int, ...], int] = {}
        table: tuple[str | int, ...] = ()
        in_string = ""  # the quotes of the multi-line string a line is in, if any
        # split on "\n" only: TOML lines end there, while `splitlines` would also
        # break at U+2028, U+0085, ... inside strings and shift every later line
        for number, line in enumerate(text.split("\n"), start=1):
            if in_string:
                if line.count(in_string) % 2:
                    in_string = ""
                continue
            start = len(line) - len(line.lstrip(" \t"))
            if line.startswith("[", start):
                array = line.startswith("[[", start)
                parts, end = _key_parts(line, start + (2 if array else 1))
                if parts and line.startswith("]]" if array else "]", end):
                    table = tuple(parts)
                    if array:
                        counts[table] = counts.get(table, -1) + 1
                        self.tables.setdefault(table, number)
                        table = (*table, counts[table])
                    self.tables.setdefault(table, number)
                    continue
            parts, end = _key_parts(line, start)
            if parts and line.startswith("=", end):
                for depth in range(1, len(parts) + 1):
                    self.keys.setdefault((*table, *parts[:depth]), (number, start + 1))
            for quotes in ('"""', "'''"):
                if line.count(quotes) % 2:
                    in_string = quotes
                    break

    def find(self, loc: tuple[str | int, ...]) -> tuple[int, int]:
        """Line and column of the deepest known part of `loc`."""
        path = tuple(p for p in loc if p != "[key]")
        for depth in range(len(path), 0, -1):
            prefix = path[:depth]
            if prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.tables:
                return self.tables[prefix], 1
        return 1, 1


def conflict_problems(board: Board, text: str) -> list[Problem]:
    """Each field a git merge left undecided (`Card.conflicts`), where it is in `text`.

    Such a file is valid (it loads, every command works on it), but not finished:
    `validate` reports these so that CI and pre-commit hooks catch them.
    """
    marked = [(cid, c) for cid, c in sorted(board.cards.items()) if c.conflicts]
    if not marked:
        return []
    index = _KeyIndex(text)
    problems = []
    for cid, card in marked:
        for name, conflict in sorted(card.conflicts.items()):
            line, column = index.find(("cards", cid, "conflicts", name))
            message = f"card {cid}: conflict in {name} ({conflict.describe(name)})"
            problems.append(Problem(line, column, message))
    return problems


# --- writing -----------------------------------------------------------------------


class _Zulu(datetime):
    """A UTC time that tomli-w writes as ``2026-11-27T09:15:00Z``."""

    def __str__(self) -> str:
        # isoformat: twice as fast as strftime, and always 4 digits for the year
        return self.isoformat(timespec="seconds") + "Z"


def zulu(moment: datetime) -> _Zulu:
    """`moment` as the file writes it: UTC, to the second, with a Z."""
    offset = moment.utcoffset()
    utc = moment - offset if offset else moment
    return _Zulu(utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)


def _card_documents(cards: Mapping[str, Card]) -> dict[str, dict[str, Any]]:
    """Cards as canonical TOML tables, sorted by id."""
    dumped = _CARDS.dump_python(dict(cards), exclude_defaults=True)
    for card in dumped.values():
        card["created"] = zulu(card["created"])
        card["updated"] = zulu(card["updated"])
        if "votes" in card:
            card["votes"] = dict(sorted(card["votes"].items()))
        if "conflicts" in card:
            card["conflicts"] = dict(sorted(card["conflicts"].items()))
        for entry in card.get("history", ()):
            entry["at"] = zulu(entry["at"])
    return dict(sorted(dumped.items()))


_CARDS: TypeAdapter[dict[str, Card]] = TypeAdapter(dict[str, Card])


def to_data(board: Board) -> dict[str, Any]:
    """The board as the canonical TOML document: what `dumps` writes."""
    data = board.model_dump(by_alias=True, exclude_defaults=True, exclude={"cards"})
    if "members" in data:
        data["members"] = dict(sorted(data["members"].items()))
    if board.cards:
        data["cards"] = _card_documents(board.cards)
    return data


class _CardCache:
    """Card objects and card table texts, remembered: card -> the canonical text it was
    rendered to, and text -> the card read from it.

    Only `render` fills card -> text, so what it reuses is always canonical; a text
    read from a file (key order, quotes, comments, time offsets as someone wrote
    them) only ever maps to its card.

    Cards are immutable, and an operation replaces only the cards it changes. So a
    save after one edit serialises one card, not the board; and reading a file that
    changed in a few cards (someone else's save) parses only those cards' tables.
    Holds about one board's worth: it is cleared when it grows past a few boards.
    """

    def __init__(self) -> None:
        self._by_card: dict[tuple[int, str], tuple[Card, str]] = {}
        self._by_text: dict[str, Card] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._by_card, self._by_text = {}, {}

    def _make_room(self, size: int) -> None:
        if len(self._by_text) > 3 * size + 1000:
            self._by_card, self._by_text = {}, {}

    def render(self, cards: Mapping[str, Card]) -> list[str]:
        """The canonical text of each card table, sorted by card id."""
        with self._lock:
            texts = {}
            missing = {}
            for cid, card in cards.items():
                hit = self._by_card.get((id(card), cid))
                if hit is not None and hit[0] is card:
                    texts[cid] = hit[1]
                else:
                    missing[cid] = card
            if missing:
                for cid, document in _card_documents(missing).items():
                    # the same text tomli-w gives this table inside the whole document
                    text = tomli_w.dumps({"cards": {cid: document}}, multiline_strings=True)
                    texts[cid] = text
                    self._make_room(len(cards))
                    self._by_card[(id(cards[cid]), cid)] = (cards[cid], text)
                    self._by_text[text] = cards[cid]
            return [texts[cid] for cid in sorted(cards)]

    def known(self, texts: Iterable[str]) -> int:
        """How many of these card table texts were seen before."""
        with self._lock:
            return sum(1 for text in texts if text in self._by_text)

    def learn(self, cards: Mapping[str, Card], texts: Mapping[str, str]) -> None:
        """Remember cards parsed with the whole board, by their table texts."""
        with self._lock:
            for cid, text in texts.items():
                if cid in cards:
                    self._make_room(len(cards))
                    self._by_text[text] = cards[cid]

    def parse(self, cid: str, text: str, size: int) -> Card:
        """The card in one ``[cards.<cid>]`` table's text; raises if it is not valid."""
        with self._lock:
            card = self._by_text.get(text)
        if card is not None:
            return card
        if not is_key(cid):  # checked here, as the whole board's model would
            raise ValueError("not a valid card id")
        data = tomli.loads(text)
        if list(data) != ["cards"] or list(data["cards"]) != [cid]:
            raise ValueError("not exactly one card table")
        card = Card.model_validate(data["cards"][cid])
        with self._lock:
            self._make_room(size)
            self._by_text[text] = card  # not card -> text: it may not be canonical
        return card


_cards = _CardCache()


def forget_cards() -> None:
    """Drop what is remembered of cards, so the next read or write starts cold.

    For measurements: a benchmark of a first read must not time the cache.
    """
    _cards.clear()


def _table_lines(text: str, start: int) -> Iterator[int]:
    """Where each line starting with "[" begins, from `start` (itself such a line)."""
    at = start
    while at >= 0:
        yield at
        at = text.find("\n[", at)
        at = at + 1 if at >= 0 else -1


_CARD_TABLE = re.compile(r"\[\[?cards\.([A-Za-z0-9_-]+)(\.[A-Za-z0-9_.-]+)?\]\]?[ \t]*$")


@dataclass(frozen=True)
class _Layout:
    """A board text cut as the writer lays it out: the frame, then each card's tables."""

    frame: str
    cards: dict[str, str]
    """Card id -> the text of its tables, normalised to end in one newline."""


def _layout(text: str) -> _Layout | None:
    """The text's frame and card tables; None when it is laid out otherwise (a card's
    tables apart, another table among the cards, a "[" line inside a string)."""
    start = 0 if text.startswith("[cards.") else text.find("\n[cards.") + 1
    if start <= 0 and not text.startswith("[cards."):
        return None
    spans: list[tuple[str, int]] = []
    for begin in _table_lines(text, start):
        end = text.find("\n", begin)
        match = _CARD_TABLE.match(text, begin, len(text) if end < 0 else end)
        if match is None:
            return None
        cid = match.group(1)
        if not spans or spans[-1][0] != cid:
            spans.append((cid, begin))
        elif match.group(2) is None:
            return None  # the same card declared twice
    ends = [begin for _, begin in spans[1:]] + [len(text)]
    cards = {
        cid: text[begin:end].rstrip("\n") + "\n"
        for (cid, begin), end in zip(spans, ends, strict=True)
    }
    if len(cards) != len(spans):
        return None  # a card's tables are not together
    if any(t.count('"""') % 2 or t.count("'''") % 2 for t in cards.values()):
        return None  # a cut inside a multi-line string: a "[" line that is text
    return _Layout(text[:start], cards)


def _parse_by_card(layout: _Layout) -> Board | None:
    """The board, parsing only the card tables not seen before; None when most are new
    (parsing the whole text at once is then faster) or anything is wrong (the whole
    parse then finds it, with its line and column)."""
    known = _cards.known(layout.cards.values())
    if len(layout.cards) - known > max(16, len(layout.cards) // 4):
        return None
    try:
        frame = tomli.loads(layout.frame)
        if "cards" in frame:
            return None
        board = Board.model_validate(frame)
        size = len(layout.cards)
        cards = {cid: _cards.parse(cid, table, size) for cid, table in layout.cards.items()}
    except (tomli.TOMLDecodeError, ValidationError, ValueError, RecursionError):
        return None
    board = board.model_copy(update={"cards": cards})
    return None if find_unknown_members(board) else board


def dumps(board: Board) -> str:
    """The canonical text of `board`: tomli-w's, one card table at a time."""
    with _gc_paused():
        frame = to_data(board.model_copy(update={"cards": {}}))
        head = tomli_w.dumps(frame, multiline_strings=True)
        return head + "".join("\n" + text for text in _cards.render(board.cards))


# --- files: what is read and written, and where ----------------------------------------


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
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


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
            f"is a symbolic link out of its folder (to {target}); sprintboard follows a "
            "board's link only to a file in the same folder",
        )
    return target


def too_large(path: Path, size: int) -> None:
    """Refuse a board of more than `MAX_BOARD_BYTES` (`size` bytes, about to be read)."""
    if size > MAX_BOARD_BYTES:
        raise BoardFileError(
            path,
            f"is {size / 2**20:.1f} MiB, more than the {MAX_BOARD_BYTES >> 20} MiB a board "
            "may have; nothing was read",
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
        raise BoardFileError(shown, "no such board file") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            why = "is a symbolic link, which sprintboard does not follow here"
        elif error.errno == errno.ENXIO:
            why = "is a socket, not a regular file"
        elif isinstance(error, PermissionError):
            why = "cannot be read: permission denied"
        else:
            why = f"cannot be read: {error.strerror}"
        raise BoardFileError(shown, why) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
            noun = "a board file" if not missing_ok else "a regular file"
            raise BoardFileError(shown, f"is {kind}, not {noun}")
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
        raise BoardFileError(shown, f"cannot be read: {error.strerror}") from None
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
    """Refuse, with a clear error, to write a read-only file or a newer schema."""
    if board is not None and board.schema_ > SCHEMA:
        raise BoardFileError(
            path,
            f"schema {board.schema_} is newer than this sprintboard writes (schema {SCHEMA}); "
            "upgrade sprintboard to change this board",
        )
    target = board_file(path)
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise BoardFileError(path, f"cannot be checked: {error.strerror}") from None
    # Every write bit off is a deliberate "do not change", honoured even for root,
    # whom os.access() would let through.
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise BoardFileError(path, "the file is read-only; nothing was written")


def save(path: Path, board: Board) -> str:
    """Write `board` canonically to `path`, atomically; the digest of what was written."""
    return save_loaded(path, board).digest


def save_loaded(path: Path, board: Board) -> Loaded:
    """`save`, answering with what the file now holds (to pass to `load` as `known`)."""
    check_writable(path, board)
    text = dumps(board)
    data = text.encode()
    write_atomic(path, data)
    return Loaded(board, digest(data), text)


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
        raise BoardFileError(path, f"cannot be checked: {error.strerror}") from None
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
        raise BoardFileError(path, f"cannot be written: {error.strerror}") from None
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
            raise BoardFileError(path, f"cannot write in its folder: {error.strerror}") from None


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


# --- locking -----------------------------------------------------------------------


SIDECAR_IGNORES = (".*.toml.lock", ".*.toml.presence/", *TEMP_PATTERNS)
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
                "is a symbolic link, and sprintboard never writes through one; "
                "make it a regular file to change the boards beside it",
            )
        try:
            existing = (read_own_file(ignore) or b"").decode("utf-8")
        except (BoardFileError, UnicodeDecodeError):
            return
    lines = existing.split("\n")
    missing = [p for p in SIDECAR_IGNORES if p not in lines]
    if missing:
        text = existing + ("\n" if existing and not existing.endswith("\n") else "")
        text += "# sprintboard: lock, presence and temp files next to the boards\n"
        text += "".join(f"{p}\n" for p in missing)
        try:
            write_atomic(ignore, text.encode(), sidecar_mode(board))
        except BoardFileError:
            return
    with suppress(OSError):
        _ignore_seen[key] = _identity(os.lstat(ignore))


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
        raise BoardFileError(
            path, f"cannot create its lock file {lock.name}: {error.strerror}"
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise BoardFileError(path, f"its lock file {lock.name} is not a regular file; remove it")
    return fd


def _linked_lock(path: Path, lock: Path) -> BoardFileError:
    return BoardFileError(
        path,
        f"its lock file {lock.name} is a symbolic link, and sprintboard never writes "
        "through one; remove it",
    )


def _open_existing(lock: Path, flags: int) -> int:
    try:
        return os.open(lock, os.O_RDWR | flags)
    except PermissionError:
        # made read-only for us by an older sprintboard: a local flock needs no write access
        return os.open(lock, os.O_RDONLY | flags)


@contextmanager
def locked(path: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the board's sidecar lock: one read-modify-write at a time, across processes.

    Without `timeout`, waits in the kernel's queue for as long as another writer holds
    it: the holder is alive (a dead one's lock is gone) and each hold is one short
    read-modify-write. With `timeout`, gives up after that many seconds.
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
        if timeout is None:
            _flock(path, fd, fcntl.LOCK_EX)
        else:
            deadline = time.monotonic() + timeout
            while not _flock(path, fd, fcntl.LOCK_EX | fcntl.LOCK_NB):
                if time.monotonic() > deadline:
                    raise BoardFileError(
                        path, f"another program has held its lock for over {timeout:g} seconds"
                    )
                time.sleep(0.002)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _flock(path: Path, fd: int, operation: int) -> bool:
    """Take the lock; False when it is busy and `operation` says not to wait."""
    try:
        fcntl.flock(fd, operation)
    except OSError as error:
        if error.errno in (errno.EAGAIN, errno.EACCES):
            return False
        raise BoardFileError(path, f"cannot be locked: {error.strerror}") from None
    return True

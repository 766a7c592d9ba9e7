"""Reading a board: decode, parse, validate, with line-precise errors.

`load` reads and validates; every problem becomes a `BoardFileError` that says
``path:line:column: what is wrong`` — git conflict markers and too-deep nesting
included — and `validate`'s extra reports (`newer_schema_problem`,
`conflict_problems`) point at their lines too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import tomli
from pydantic import ValidationError

from ..i18n import _
from ..layout import cut
from ..model import SCHEMA, Board, describe_error, error_context
from .canonical import FREEZE_FROM, _cards, _gc_paused, _key, _parse_by_card
from .errors import BoardFileError, Loaded, Problem, digest
from .files import read_bytes
from .keys import _KeyIndex


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
        raise BoardFileError(path, [Problem(line, column, _("not valid UTF-8 text"))]) from None


def _position(prefix: bytes) -> tuple[int, int]:
    line = prefix.count(b"\n") + 1
    # columns count characters, as TOML errors do (the prefix is valid UTF-8)
    start = prefix.rfind(b"\n") + 1
    column = len(prefix[start:].decode("utf-8", errors="replace")) + 1
    return line, column


def parse(text: str, path: Path, board: Path | None = None) -> Board:
    """The board in `text` (the contents of `path`, which messages name).

    `board`: the board file that `resolve` would fix, when `path` only names a version
    of it ("boards/x.toml (theirs)", in a merge).
    """
    if not text.strip():
        empty = _("the file is empty; a board needs at least schema and title")
        raise BoardFileError(path, [Problem(1, 1, empty)])
    try:
        return _parse(text, path, board or path)
    except RecursionError as error:
        # tomli refuses arrays nested 400 deep and keys of 1,000 parts with this error
        # (and pydantic or a message could recurse as deep): one line, not a traceback
        line, column = _deepest(text, in_keys="key" in str(error))
        raise BoardFileError(path, [Problem(line, column, _too_deep(error))]) from None


def _parse(text: str, path: Path, board_path: Path) -> Board:
    large = len(text) >= FREEZE_FROM
    with _gc_paused(freeze=large):
        layout = cut(text)
        board = _parse_by_card(layout) if layout else None
    if board is not None:
        return board
    try:
        with _gc_paused():
            data = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        marker = conflict_marker(text)
        if marker is not None:
            message = _(
                "this board has unresolved git conflict markers: run `sprintboard resolve {path}`"
            ).format(path=board_path)
            raise BoardFileError(path, [Problem(marker, 1, message)]) from None
        message = error.msg[:1].lower() + error.msg[1:]
        raise BoardFileError(path, [Problem(error.lineno, error.colno, message)]) from None
    try:
        with _gc_paused(freeze=large):
            board = Board.model_validate(data)
    except ValidationError as error:
        raise BoardFileError(path, _problems(error, data, text)) from None
    if layout is not None:
        _cards.learn(board.cards, {cid: _key(text) for cid, text in layout.cards()})
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
        words = _("values are nested deeper than this program can follow")
    return _("too deeply nested: {what}").format(what=words)


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
        note = _("{newer}; upgrade sprintboard to use this board").format(newer=_newer(schema))
        problems.insert(0, Problem(line, column, note))
    return problems


def _newer(schema: int) -> str:
    return _("schema {schema} is newer than this sprintboard understands (schema {known})").format(
        schema=schema, known=SCHEMA
    )


def newer_schema_problem(board: Board, text: str) -> Problem | None:
    """What `validate` says of a board of a newer schema that reads as this one.

    Such a file is not known to be valid (its schema may allow what this version
    does not check) and this version never writes it.
    """
    if board.schema_ <= SCHEMA:
        return None
    line, column = _KeyIndex(text).find(("schema",))
    message = _(
        "{newer}: it reads as schema {known}, but only a newer sprintboard can check it, "
        "and this one will not write it; upgrade sprintboard"
    ).format(newer=_newer(board.schema_), known=SCHEMA)
    return Problem(line, column, message)


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
            message = _("card {id}: conflict in {field} ({sides})").format(
                id=cid, field=name, sides=conflict.describe(name)
            )
            problems.append(Problem(line, column, message))
    return problems

"""Where each table and key of a TOML text starts: errors point at their line.

A plain scan, linear in the text (it runs on untrusted files), used only once
something is found wrong.
"""

from __future__ import annotations

import re

import tomli

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

"""What goes wrong with a board file, and a board as read.

`BoardFileError` is every refusal to read or write a file, one line for the user:
``path:line:column: what is wrong`` (a `Problem` each) or ``path: what is wrong``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n import _, ngettext

if TYPE_CHECKING:  # only a type here: `files` raises these before pydantic is imported
    from ..model import Board


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
            return [_("{path}: {message}").format(path=self.path, message=self.message)]
        where = _("{path}:{line}:{column}: {message}")
        return [
            where.format(path=self.path, line=p.line, column=p.column, message=p.message)
            for p in self.problems
        ]

    def __str__(self) -> str:
        first, *rest = self.lines()
        if not rest:
            return first
        more = ngettext("{first} (and {n} more)", "{first} (and {n} more)", len(rest))
        return more.format(first=first, n=len(rest))


@dataclass(frozen=True)
class Loaded:
    """A board as read from disk, with the digest of the bytes it came from."""

    board: Board
    digest: str
    text: str


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

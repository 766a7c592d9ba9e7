"""The board files of a folder, for the screens that choose one or make one.

What the picker shows of each file, and how the new-board screen names and creates
one. The screens reach the files only through here and the session, never storage
itself: `BoardFileError` is re-exported for them to catch.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .. import storage
from ..i18n import _
from ..model import Board, Stage
from ..session import create
from ..storage import BoardFileError

__all__ = ["BoardFileError", "BoardSummary", "create_board", "free_path", "slug", "summarize"]


@dataclass(frozen=True)
class BoardSummary:
    """What the picker shows of one board file."""

    path: Path
    title: str = ""
    challenge: str = ""
    counts: dict[Stage, int] = field(default_factory=dict)
    """Cards per stage, archived cards left out."""
    error: str | None = None
    """Why the file cannot be read, as `path:line:column: message`."""


def summarize(path: Path) -> BoardSummary:
    """Read the board at `path` for the picker (blocking: call it from a worker)."""
    try:
        board = storage.load(path).board
    except BoardFileError as error:
        return BoardSummary(path, error=str(error))
    counts = dict.fromkeys(Stage, 0)
    for card in board.cards.values():
        if not card.archived:
            counts[card.stage] += 1
    return BoardSummary(path, board.title, board.challenge, counts)


_SPELLED = str.maketrans({"æ": "ae", "ø": "o", "å": "aa", "ß": "ss", "œ": "oe", "ł": "l"})


def slug(title: str) -> str:
    """A file name for a board titled `title`: lowercase ASCII words joined by "-"."""
    text = unicodedata.normalize("NFKD", title.lower().translate(_SPELLED))
    text = "".join(char for char in text if not unicodedata.combining(char))
    name = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40].strip("-")
    return name or "board"


def free_path(folder: Path, title: str) -> Path:
    """A path in `folder` named after `title` that no file has yet."""
    base = slug(title)
    path = folder / f"{base}.toml"
    number = 2
    while path.exists():
        path = folder / f"{base}-{number}.toml"
        number += 1
    return path


def create_board(folder: Path, path: Path | None, board: Board) -> Path:
    """Write `board` as a new file — at `path`, else named after its title in `folder` — and
    return where (blocking: call it from a worker).

    Raises `BoardFileError`, for the folder when it cannot be made.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = path or free_path(folder, board.title)
        create(path, board)
    except OSError as error:
        raise BoardFileError(
            folder, _("cannot be created: {reason}").format(reason=error)
        ) from None
    return path

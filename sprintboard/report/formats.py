"""The export formats by name: `sprintboard export --format` and the app's dialog.

`render` builds the report once and hands it to the format's module, imported when
asked for (the command line imports none of them to start); a format of the board's
data (CSV, JSON) has `render_board(board)`, which `render` calls instead, without
counting the report's figures. `write_export` writes the text the way every file of
the program is written: atomically, never through a link, refusing anything but a
regular file (`storage.files`) — and never over a board: not the board exported, and
no name ending in .toml (an export replacing a board would bypass its lock, and the
edits of everyone who has it open).
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n import N_, _

if TYPE_CHECKING:
    from ..model import Board

FORMATS: dict[str, tuple[str, str]] = {
    "md": ("markdown", N_("Markdown report")),
    "html": ("html", N_("Web page report (one file, opens in any browser)")),
    "csv": ("table", N_("Spreadsheet (CSV): one row per card")),
    "json": ("board_json", N_("JSON: the whole board")),
}
"""Format name -> (module in this package, what it is, for a person choosing)."""

SUFFIX = {"md": ".md", "html": ".html", "csv": ".csv", "json": ".json"}
"""The file name ending each format is saved with by default."""


def render(fmt: str, board: Board, now: datetime | None = None, tz: tzinfo = UTC) -> str:
    """`board` in format `fmt` (a key of `FORMATS`) at `now`, days counted in `tz`."""
    from .content import build

    module = importlib.import_module(f"{__package__}.{FORMATS[fmt][0]}")
    # the data formats are the board itself: no figures to count (a third of an
    # export of 10,000 cards, bench/export.py)
    of_board = getattr(module, "render_board", None)
    text: str = of_board(board) if of_board is not None else module.render(build(board, now, tz))
    return text


def write_export(text: str, path: Path, board: Path | None = None) -> None:
    """Write `text` (UTF-8) to `path` atomically. `storage.BoardFileError` (one sentence
    naming the path, nothing written) when it is the board file `board` or any name
    ending in .toml, a link, a folder or anything but a regular file, read-only, or in
    a folder that is missing or not writable."""
    import os
    import stat

    from ..storage.errors import BoardFileError
    from ..storage.files import check_writable, write_atomic

    refused = over_a_board(path, board)
    if refused is not None:
        raise BoardFileError(path, refused)

    try:
        mode: int | None = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        why = _("cannot be checked: {reason}").format(reason=error.strerror)
        raise BoardFileError(path, why) from None
    if mode is not None and stat.S_ISLNK(mode):
        raise BoardFileError(path, _("is a symbolic link; an export is never written through one"))
    if mode is not None and stat.S_ISDIR(mode):
        raise BoardFileError(path, _("is a folder; give the export a file name in it"))
    if mode is not None and not stat.S_ISREG(mode):
        raise BoardFileError(
            path, _("is not a regular file (a pipe, a device or a socket); nothing was written")
        )
    folder = path.parent
    if not folder.is_dir():
        raise BoardFileError(
            path, _("its folder {folder} does not exist; nothing was written").format(folder=folder)
        )
    check_writable(path)
    write_atomic(path, text.encode("utf-8"))


def over_a_board(path: Path, board: Path | None = None) -> str | None:
    """Why `path` is never an export's file (after "path: "), or None: it is the board
    file `board`, or its name ends in .toml as every board's does."""
    if board is not None and _same_file(path, board):
        return _("is the board itself; the export was not written")
    if path.suffix.lower() == ".toml":
        return _("ends in .toml, as a board does; an export is never written over a board")
    return None


def _same_file(one: Path, other: Path) -> bool:
    import os

    try:
        return os.path.samefile(one, other)
    except OSError:
        return False

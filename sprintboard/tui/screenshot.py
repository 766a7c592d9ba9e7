"""Screenshots of the app: where they go, and writing one without harm.

Textual's own "Screenshot" command saves into ~/Downloads, which most servers and
containers do not have ("Failed to save screenshot"). Ours tries, in order, the
folder for pictures (``$XDG_PICTURES_DIR``), ``~/Pictures``, the home folder and the
current folder, and takes the first that it can write in: the person's own folders
before the project folder, where a stray SVG would end up in git.

A screenshot never replaces a file: the name carries the board and the time, and a
name that is taken (by anything, a symlink included) gets a number instead. The file
is created with ``O_EXCL | O_NOFOLLOW``, so nothing is written through a symlink.
Pure: no Textual (the app makes the SVG and says where it went).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

from ..i18n import _

ATTEMPTS = 100
"""Numbered names tried when the plain one is taken."""


def folders(env: Mapping[str, str]) -> list[Path]:
    """Where a screenshot may go, the preferred first (only folders that exist)."""
    found: list[Path] = []
    pictures = env.get("XDG_PICTURES_DIR")
    if pictures:
        found.append(Path(pictures))
    home = env.get("HOME")
    if home:
        found += [Path(home) / "Pictures", Path(home)]
    found.append(Path.cwd())
    return [folder for folder in dict.fromkeys(found) if folder.is_dir()]


def file_stem(board: Path | None) -> str:
    """The start of a screenshot's name: "sprintboard-family-culture" (safe characters only)."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", board.stem).strip("-") if board else ""
    return f"sprintboard-{name[:40]}" if name else "sprintboard"


def base_name(stem: str, now: datetime) -> str:
    """A screenshot's name without ".svg": the board's `stem` and the time, to the second."""
    return f"{stem}-{now:%Y%m%d-%H%M%S}"


def save(svg: str, where: Iterable[Path], stem: str, now: datetime) -> Path:
    """Write `svg` as a new file in the first of `where` that takes it; its path.

    Raises `OSError` (the last folder's) when none does.
    """
    data = svg.encode("utf-8")
    error: OSError = FileNotFoundError(_("no folder to save it in"))
    for folder in where:
        try:
            return _create(folder, base_name(stem, now), data)
        except OSError as failed:
            error = failed
    raise error


def _create(folder: Path, name: str, data: bytes) -> Path:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    for number in range(1, ATTEMPTS + 1):
        path = folder / (f"{name}.svg" if number == 1 else f"{name}-{number}.svg")
        try:
            fd = os.open(path, flags, 0o644)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
        except OSError:
            path.unlink(missing_ok=True)
            raise
        return path
    raise FileExistsError(
        _("{path}.svg and {count} numbered names are taken").format(
            path=folder / name, count=ATTEMPTS - 1
        )
    )

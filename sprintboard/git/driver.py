"""The merge driver: what ``sprintboard merge-driver %O %A %B %P`` does.

Git runs it once per conflicted board, so it imports only what merging needs (the
runner for ``git merge-file``), not sync or setup.
"""

from __future__ import annotations

from pathlib import Path

from .. import storage
from ..i18n import _
from ..merge import MergeResult, merge
from ..model import SCHEMA, Board
from .runner import git, reason


def run_driver(
    base: Path, ours: Path, theirs: Path, label: str | None = None
) -> tuple[int, list[str]]:
    """Merge three versions of a board into `ours`; the exit status and what to tell.

    Status 0: merged cleanly. Status 1: merged, with conflicts marked in the file (or
    merged as text with markers, when a version is not a board this program can read).
    Status 2: not merged, `ours` untouched (a version that is not a regular file or is too
    large to read, or a result that cannot be written).
    """
    name = label or str(ours)
    sides = ("base", "ours", "theirs")
    try:  # a named pipe, a device or an oversized file is not merged, not even as text
        data = [storage.read_bytes(path) for path in (base, ours, theirs)]
    except storage.BoardFileError as error:
        return 2, [_("sprintboard: {error}; {name} was not merged").format(error=error, name=name)]
    try:
        texts = [
            storage.decode(blob, Path(f"{name} ({side})"))
            for blob, side in zip(data, sides, strict=True)
        ]
        # storage parses card by card and remembers each card's text, so the second and
        # third versions cost only the cards they changed (and so does writing the result)
        old, mine, other = (
            _parse_version(text, f"{name} ({side})", name)
            for text, side in zip(texts, sides, strict=True)
        )
    except storage.BoardFileError as error:
        return _merge_as_text(base, ours, theirs, name, str(error))
    if mine is None or other is None:
        return _merge_as_text(base, ours, theirs, name, _("one side is empty"))
    result = merge(old, mine, other)
    try:
        storage.write_atomic(ours, storage.dumps(result.board).encode())
    except storage.BoardFileError as error:
        return 2, [str(error)]
    return (0 if result.clean else 1), describe_result(name, result)


def _parse_version(text: str, label: str, name: str) -> Board | None:
    """One version git hands the driver; None for an empty one (the file is new)."""
    if not text.strip():
        return None
    board = storage.parse(text, Path(label), Path(name))
    if board.schema_ > SCHEMA:
        raise storage.BoardFileError(
            Path(label),
            _("schema {found} is newer than this sprintboard (schema {known})").format(
                found=board.schema_, known=SCHEMA
            ),
        )
    return board


def _merge_as_text(
    base: Path, ours: Path, theirs: Path, name: str, why: str
) -> tuple[int, list[str]]:
    result = git(
        ours.parent,
        "merge-file",
        "-L",
        "ours",
        "-L",
        "base",
        "-L",
        "theirs",
        str(ours),
        str(base),
        str(theirs),
        check=False,
    )
    if not 0 <= result.returncode < 128:
        # git's "error:" status (binary or NUL bytes, a version it cannot read):
        # nothing was merged and `ours` is as it was, so say that, not "markers"
        why_not = reason(result.stderr).removeprefix("error: ") or _("no message")
        return 1, [
            _(
                "sprintboard: {why}; git could not merge {name} as text either ({reason}); "
                "left as it was on our side (fix by hand, then validate)"
            ).format(why=why, name=name, reason=why_not)
        ]
    if result.returncode != 0:
        return 1, [
            _(
                "sprintboard: {why}; merged {name} as text, with conflict markers "
                "(fix by hand, then validate)"
            ).format(why=why, name=name)
        ]
    try:
        storage.parse(storage.decode(storage.read_bytes(ours), Path(name)), Path(name))
    except storage.BoardFileError as error:
        return 1, [
            _(
                "sprintboard: {why}; merged {name} as text; the result is not a valid board: "
                "{error}"
            ).format(why=why, name=name, error=error)
        ]
    return 0, [_("sprintboard: {why}; merged {name} as text").format(why=why, name=name)]


def describe_result(name: str, result: MergeResult) -> list[str]:
    """One line per conflict left, then the notes: what the driver prints."""
    lines = []
    for cid, field in result.conflicts:
        conflict = result.board.cards[cid].conflicts[field]
        lines.append(
            _("{name}: card {card}: conflict in {field} ({sides})").format(
                name=name, card=cid, field=field, sides=conflict.describe(field)
            )
        )
    lines += [_("{name}: {note}").format(name=name, note=note) for note in result.notes]
    return lines

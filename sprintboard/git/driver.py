"""The merge driver: what ``sprintboard merge-driver %O %A %B %P`` does.

Git runs it once per conflicted board, so it imports only what merging needs (the
runner for ``git merge-file``), not sync or setup.

A card whose table is the same text in all three versions is one no side changed: the
merge keeps it as it is (`merge` returns such a card unchanged), so its text is carried
into the result without being parsed or written again (`_carried`), as git itself
carries lines no side changed. The rest — the board's frame, its members and every card
a side changed, added or deleted — is parsed, merged and written as before. Of a board
of 1,000 cards where each side changed 50, that leaves a tenth to parse and write.
"""

from __future__ import annotations

from pathlib import Path

from .. import storage
from ..i18n import _
from ..layout import cut
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
        carried = _carried(texts, name)
        if carried is None:
            # storage parses card by card and remembers each card's text, so the second
            # and third versions cost only the cards they changed
            old, mine, other = (
                _parse_version(text, f"{name} ({side})", name)
                for text, side in zip(texts, sides, strict=True)
            )
    except storage.BoardFileError as error:
        return _merge_as_text(base, ours, theirs, name, str(error))
    if carried is not None:
        result, merged = carried
    elif mine is None or other is None:
        return _merge_as_text(base, ours, theirs, name, _("one side is empty"))
    else:
        result = merge(old, mine, other)
        merged = storage.dumps(result.board)
    try:
        storage.write_atomic(ours, merged.encode())
    except storage.BoardFileError as error:
        return 2, [str(error)]
    return (0 if result.clean else 1), describe_result(name, result)


def _carried(texts: list[str], name: str) -> tuple[MergeResult, str] | None:
    """The merge, and the merged text, with the cards no side changed carried as text;
    None when the whole versions must be read (`run_driver` then does, and says what is
    wrong with one, if anything is).

    Such a card's table is the same text in base, ours and theirs, so `merge` keeps it
    as it is, and the card is where its text says. What else of the board a merge looks
    at is in the rest, which is parsed and merged: the frame and the members (a member
    removed on a side is restored when a card still names it, and the carried cards are
    not read, so then the whole versions are), and undecided conflicts (a card holding
    one is parsed, so that the driver reports it and exits 1 as before).
    """
    if any(_blank(text) for text in texts):
        return None  # a new board, or a side that emptied it
    layouts = [layout for layout in map(cut, texts) if layout is not None]
    if len(layouts) != len(texts):
        return None
    base, ours, theirs = (dict(layout.cards()) for layout in layouts)
    same = {
        cid
        for cid, table in base.items()
        if ours.get(cid) == table == theirs.get(cid) and "conflicts" not in table
    }
    if not same:
        return None
    sides = ("base", "ours", "theirs")
    try:
        old, mine, other = (
            _parse_version(
                layout.frame + "\n".join(t for c, t in tables.items() if c not in same),
                f"{name} ({side})",
                name,
            )
            for layout, tables, side in zip(layouts, (base, ours, theirs), sides, strict=True)
        )
    except storage.BoardFileError:
        return None  # said where it is, by the whole version
    if old is None or mine is None or other is None:
        return None
    if any(key not in mine.members or key not in other.members for key in old.members):
        return None
    result = merge(old, mine, other)
    written = storage.dumps(result.board)
    # the writer's text is its frame, a blank line, and the card tables sorted by id
    # with a blank line between each two: the carried tables go in among its own
    laid = cut(written)
    if laid is None and result.board.cards:
        return None  # not cut where the writer would be: the whole versions are read
    frame = laid.frame if laid is not None else written + "\n"
    tables = {**dict(laid.cards() if laid is not None else ()), **{c: ours[c] for c in same}}
    return result, frame + "\n".join(tables[cid] for cid in sorted(tables))


def _blank(text: str) -> bool:
    """Whether `text` holds nothing but white space (without copying a board to strip it)."""
    return not text or text.isspace()


def _parse_version(text: str, label: str, name: str) -> Board | None:
    """One version git hands the driver; None for an empty one (the file is new)."""
    if _blank(text):
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

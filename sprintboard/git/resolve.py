"""`resolve`: merge again a board that git merged as text, from git's index stages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import storage
from ..i18n import _, ngettext
from ..merge import MergeResult, merge
from ..model import Board
from .driver import describe_result
from .runner import GitError, git, out, relative, toplevel

MARKERS = ("<<<<<<< ", ">>>>>>> ")
"""How git's conflict markers begin a line."""


@dataclass(frozen=True)
class Resolved:
    """What `resolve` did: the merge (None when there was nothing to resolve) and a report."""

    result: MergeResult | None
    lines: list[str]


def resolve(path: Path) -> Resolved:
    """Merge a board that git left in conflict again, from git's index stages, into `path`."""
    root = toplevel(path.parent if path.parent.is_dir() else Path.cwd())
    rel = relative(root, path)
    listing = git(root, "ls-files", "-u", "-z", "--", rel).stdout.decode("utf-8", "replace")
    stages: dict[int, str] = {}
    for entry in filter(None, listing.split("\0")):
        info, _tab, _name = entry.partition("\t")
        _mode, sha, number = info.split()
        stages[int(number)] = sha
    if not stages:
        return Resolved(None, [_nothing_to_resolve(path)])
    if 2 not in stages or 3 not in stages:
        side = "ours" if 2 not in stages else "theirs"
        raise GitError(
            _(
                "{path}: the board was deleted on one side ({side}) and changed on the other; "
                "keep it with: git add {rel}, or drop it with: git rm {rel}"
            ).format(path=path, side=side, rel=rel)
        )
    versions: list[Board | None] = []
    for stage, side in ((1, "base"), (2, "ours"), (3, "theirs")):
        if stage not in stages:
            versions.append(None)
            continue
        label = Path(f"{path} ({side})")
        size = out(git(root, "cat-file", "-s", stages[stage]))
        storage.too_large(label, int(size) if size.isdigit() else 0)
        blob = git(root, "cat-file", "blob", stages[stage]).stdout
        text = storage.decode(blob, label)
        versions.append(storage.parse(text, label, path) if text.strip() else None)
    base, ours, theirs = versions
    assert ours is not None and theirs is not None  # stages 2 and 3 hold boards
    result = merge(base, ours, theirs)
    # the file holds conflict markers, so it is replaced unread (still under the lock)
    storage.rewrite(path, lambda _unread: result.board, read=False)
    lines = describe_result(str(path), result)
    if result.clean:
        git(root, "add", "--", rel)
        cards = len(result.board.cards)
        lines.append(
            ngettext(
                "{path}: merged {n} card cleanly and marked it resolved (git add); "
                "commit to finish the merge",
                "{path}: merged {n} cards cleanly and marked it resolved (git add); "
                "commit to finish the merge",
                cards,
            ).format(path=path, n=cards)
        )
    else:
        left = len(result.conflicts)
        lines.append(
            ngettext(
                "{path}: merged; {n} conflict to decide (in the app, or: sprintboard resolve "
                "{path} --take ours|theirs), then git add {rel}",
                "{path}: merged; {n} conflicts to decide (in the app, or: sprintboard resolve "
                "{path} --take ours|theirs), then git add {rel}",
                left,
            ).format(path=path, n=left, rel=rel)
        )
    return Resolved(result, lines)


def _nothing_to_resolve(path: Path) -> str:
    try:
        text = storage.read_bytes(path).decode("utf-8", errors="replace")
    except storage.BoardFileError:
        text = ""
    if any(line.startswith(MARKERS) for line in text.splitlines()):
        raise GitError(
            _(
                "{path}: has conflict markers, but git has no merge of it in progress; "
                "fix it by hand, or redo the merge"
            ).format(path=path)
        )
    return _("{path}: nothing to resolve: git has no merge conflict on this board").format(
        path=path
    )

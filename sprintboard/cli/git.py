"""The git commands: merge-driver, git-setup, resolve, sync.

The git package is imported when one of these runs, not before: no other command
needs it, and it is a good part of the start-up of one that does not (README,
"Performance"). Its one-line `GitError` becomes the user's error here, so `main`
need not import it to map it to exit 1. The model, identity and the operations are
imported by `resolve --take`, which uses them, for the same reason.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n import _
from .common import AddCommand, UserError, board_path, card_id, change, whoami
from .output import fail, say

if TYPE_CHECKING:
    from .. import ops
    from ..model import Board


@contextmanager
def git_errors() -> Iterator[None]:
    """What git made the user to act on, as a `UserError`: one line, exit 1."""
    from ..git.runner import GitError

    try:
        yield
    except GitError as error:
        raise UserError(str(error)) from None


def cmd_merge_driver(args: argparse.Namespace) -> int:
    from ..git.driver import run_driver

    with git_errors():
        code, lines = run_driver(Path(args.base), Path(args.ours), Path(args.theirs), args.path)
    for line in lines:
        fail(line)
    return code


def cmd_git_setup(args: argparse.Namespace) -> int:
    from ..git.setup import setup

    with git_errors():
        done = setup(Path.cwd())
    for line in done:
        say(line)
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    from ..git.resolve import resolve

    path = board_path(args.board)
    if args.take is None:
        if args.card or args.field:
            raise UserError(
                _("{path}: --card and --field go with --take ours|theirs").format(path=path)
            )
        with git_errors():
            resolved = resolve(path)
        done = resolved.result is None or resolved.result.clean
        for line in resolved.lines:
            say(line, err=not done)
        return 0 if done else 1

    from .. import identity, ops

    actor = whoami(args.actor)
    decided: list[str] = []

    def make(board: Board, path: Path) -> ops.Op:
        only = card_id(path, board, args.card) if args.card else None
        steps: list[ops.Op] = []
        for cid, card in sorted(board.cards.items()):
            names = [n for n in card.conflicts if only in (None, cid) and args.field in (None, n)]
            gone = "deleted" in names and getattr(card.conflicts["deleted"], args.take) is True
            for name in ["deleted"] if gone else sorted(names, key=lambda n: n == "deleted"):
                who = identity.acting(board, actor)
                steps.append(ops.ResolveConflict(cid, name, take=args.take, actor=who))
                decided.append(_("card {id}: {field}").format(id=cid, field=name))
        if not steps:
            raise UserError(nothing_to_decide(path, args.field, only))
        return ops.Batch(tuple(steps))

    change(args, make)
    say(
        _("{path}: took {side} for {decided}").format(
            path=path, side=args.take, decided=", ".join(decided)
        )
    )
    return 0


def nothing_to_decide(path: Path, field: str | None, card: str | None) -> str:
    """`resolve --take` found no conflict (in `field`, on `card`, when given)."""
    if field and card:
        text = _("{path}: no conflict in {field} on card {card} to decide")
    elif field:
        text = _("{path}: no conflict in {field} to decide")
    elif card:
        text = _("{path}: no conflict on card {card} to decide")
    else:
        text = _("{path}: no conflict to decide")
    return text.format(path=path, field=field, card=card)


def cmd_sync(args: argparse.Namespace) -> int:
    from ..git.sync import sync

    with git_errors():
        sync(board_path(args.board) if args.board else None, say)
    return 0


def register(command: AddCommand) -> None:
    """Add the git commands to the parser."""
    p = command(
        "merge-driver",
        cmd_merge_driver,
        _(
            "three-way merge of a board file for git (merge.sprintboard.driver); "
            "writes the result into OURS, exit 1 when a card is left in conflict"
        ),
    )
    for name in ("base", "ours", "theirs"):
        p.add_argument(name, metavar=name.upper())
    p.add_argument("path", nargs="?", metavar="PATH", help=_("the board's path, for messages"))

    command(
        "git-setup",
        cmd_git_setup,
        _("make git merge boards with sprintboard in this repository (.gitattributes, config)"),
    )

    p = command(
        "resolve",
        cmd_resolve,
        _(
            "merge a board git left with conflict markers again, from git's index; "
            "or, with --take, decide the conflicts a merge marked on cards"
        ),
    )
    p.add_argument("board", metavar="BOARD")
    p.add_argument("--take", choices=["ours", "theirs"], help=_("keep this side's value"))
    help_card = _("only this card's conflicts (with --take)")
    p.add_argument("--card", metavar="ID", help=help_card)
    help_field = _("only conflicts in this field (with --take)")
    p.add_argument("--field", metavar="FIELD", help=help_field)

    summary = _("commit the boards' changes, merge the shared repository's, push")
    p = command("sync", cmd_sync, summary)
    help_board = _("only this board (default: all)")
    p.add_argument("board", nargs="?", metavar="BOARD", help=help_board)

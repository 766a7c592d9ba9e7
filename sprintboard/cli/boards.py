"""The board commands: new, member, members, validate, fmt, and open (the app).

Each command imports the model, storage and the operations when it runs: the parser
imports this module for `register`, and `open` must reach the app without them.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..i18n import _
from .common import (
    BOARDS,
    AddCommand,
    UserError,
    a_date,
    a_limit,
    board_path,
    change,
    load,
    whoami,
)
from .output import dump_json, fail, member_json, member_lines, say

if TYPE_CHECKING:
    from .. import ops, storage
    from ..model import Board


def cmd_new(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from ..model import SCHEMA, Board, describe_error
    from ..session import create

    path = board_path(args.board)
    if path.parent == BOARDS and not args.board.endswith(".toml"):
        try:
            BOARDS.mkdir(exist_ok=True)
        except OSError as error:
            raise UserError(
                _("{path}: cannot make the folder {folder}: {reason}").format(
                    path=path, folder=BOARDS, reason=error.strerror
                )
            ) from None
    elif not path.parent.is_dir():
        raise UserError(
            _("{path}: folder {folder} does not exist").format(path=path, folder=path.parent)
        )
    data: dict[str, Any] = {"schema": SCHEMA, "title": args.title, "challenge": args.challenge}
    data["goal"] = args.goal
    data["sprint"] = {"start": args.start, "end": args.end}
    data["wip"] = dict(args.wip or ())
    # a facilitator must be a member: made one, named by the key until `member` renames them
    leads = list(dict.fromkeys(args.facilitator or ()))
    data["sprint"]["facilitators"] = leads
    data["members"] = {k: {"name": k, "side": "internal", "role": "facilitator"} for k in leads}
    try:
        given = {k: v for k, v in data.items() if k == "title" or v not in (None, "", {})}
        board = Board.model_validate(given)
    except ValidationError as error:
        raise UserError(f"{path}: {describe_error(error.errors()[0])}") from None
    create(path, board)
    say(_("created {path}").format(path=path))
    return 0


# --- the team ----------------------------------------------------------------------


def cmd_member(args: argparse.Namespace) -> int:
    if args.key is None:
        if args.name or args.side or args.role is not None:
            raise UserError(
                _("{path}: --name, --side and --role need a KEY").format(
                    path=board_path(args.board)
                )
            )
        return cmd_members(args)

    from .. import ops
    from ..facilitation import Duty, refusal
    from ..identity import joins_as

    actor = whoami(args.actor)

    def make(board: Board, path: Path) -> ops.Op:
        old = board.members.get(args.key)
        name = args.name or (old.name if old else None)
        side = args.side or (old.side.value if old else None)
        if not name or not side:
            raise UserError(_("{path}: a new member needs --name and --side").format(path=path))
        role = args.role if args.role is not None else (old.role if old else None)
        refused = refusal(board, actor, Duty.TEAM)
        # joining: a new member, or giving your name to the member with your key (and
        # nothing else of theirs), as the note for someone who is no member offers
        same = old is None or (side == old.side.value and role == old.role)
        if refused is not None and not (same and joins_as(board.members, actor, args.key, name)):
            raise UserError(f"{path}: {refused}")
        return ops.SetMember(args.key, name, side, role or None)

    change(args, make)
    return 0


def cmd_members(args: argparse.Namespace) -> int:
    board = load(board_path(args.board))
    found = [member_json(board, key) for key in sorted(board.members)]
    if getattr(args, "json", False):
        say(dump_json(found), lines=True)
        return 0
    if not found:
        # a new member needs both --name and --side (see `make` above): the hint gives both
        hint = _(
            "no members yet: sprintboard member {board} KEY --name NAME --side internal|external"
        )
        say(hint.format(board=args.board))
    for line in member_lines(found):
        say(line)
    return 0


# --- the file ----------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    from .. import storage

    failed = False
    for argument in args.boards:
        try:
            path = board_path(argument)
            loaded = storage.load(path)
        except storage.BoardFileError as error:
            failed = True
            for line in error.lines():
                fail(line)
            continue
        except UserError as error:
            failed = True
            fail(error)
            continue
        # a board of a newer schema cannot be checked here, and a valid file a git merge
        # left with undecided cards is not done yet: both fail, as CI should
        newer = storage.newer_schema_problem(loaded.board, loaded.text)
        problems = [newer] if newer else []
        problems += storage.conflict_problems(loaded.board, loaded.text)
        for problem in problems:
            fail(f"{path}:{problem.line}:{problem.column}: {problem.message}")
        if problems:
            failed = True
            continue
        say(_("{path}: ok").format(path=path))
    return 1 if failed else 0


def cmd_fmt(args: argparse.Namespace) -> int:
    from .. import storage

    failed = False
    for argument in args.boards:
        try:
            path = board_path(argument)
            failed |= not _format(path, check=args.check)
        except (storage.BoardFileError, UserError) as error:
            failed = True
            fail(error)
    return 1 if failed else 0


def _format(path: Path, check: bool) -> bool:
    """Rewrite one board canonically (or, with `check`, say whether it is): True if fine."""
    from .. import storage

    first = storage.load(path)  # a missing, bad or read-only file: no lock file made
    canonical = storage.dumps(first.board)
    if canonical == first.text:
        return True
    if check:
        fail(_("{path}: not canonical; run: sprintboard fmt {path}").format(path=path))
        return False
    storage.check_writable(path, first.board)

    def decide(latest: storage.Loaded) -> storage.Change | None:
        if latest is first:
            return storage.Change(first.board, canonical)
        text = storage.dumps(latest.board)  # someone wrote meanwhile: format what they wrote
        return None if text == latest.text else storage.Change(latest.board, text)

    if storage.rewrite(path, decide, first).written is None:
        return True
    say(_("{path}: formatted").format(path=path))
    return True


# --- the app -----------------------------------------------------------------------


def cmd_open(args: argparse.Namespace) -> int:
    from .. import identity
    from ..tui.app import run  # Textual is only imported for the app itself

    target = board_path(args.board) if args.board else None
    if args.guest:
        _check_guest(target, args.actor)
    # a name given on purpose is checked now (an unusable one: exit 1 before the app
    # starts); git's user.name is asked by the app after its first frame (None)
    try:
        actor = identity.given_name(args.actor, os.environ)
    except identity.IdentityError as error:
        raise UserError(_("sprintboard: {error}").format(error=error)) from None
    return run(target, actor=actor, guest=args.guest)


def _check_guest(target: Path | None, actor: str | None) -> None:
    """A guest's app needs its board, readable, and who the guest is: else one line.

    Never the picker or the new-board screen: a guest has no business with the other
    boards of the folder, or with making files on the server.
    """
    if target is None:
        raise UserError(_("sprintboard: open --guest needs a BOARD"))
    if actor is None:
        raise UserError(_("sprintboard: open --guest needs --as MEMBER_KEY before open"))
    try:
        with target.open("rb"):
            pass
    except OSError as error:
        reason = error.strerror or error
        raise UserError(
            _("{path}: cannot open the board: {reason}").format(path=target, reason=reason)
        ) from None
    if not target.is_file():
        raise UserError(_("{path}: cannot open the board: not a file").format(path=target))


# --- the commands ------------------------------------------------------------------


def register(command: AddCommand) -> None:
    """Add the board commands to the parser."""
    p = command("open", cmd_open, _("open the board in the terminal app"))
    p.add_argument("board", nargs="?", metavar="BOARD")
    help_guest = _(
        "a guest's app (as the SSH entry starts it): only BOARD, as --as, with nothing "
        "that reaches outside the board (editor, screenshot, export, git)"
    )
    p.add_argument("--guest", action="store_true", help=help_guest)

    p = command("new", cmd_new, _("create a new board file"))
    p.add_argument("board", metavar="BOARD")
    p.add_argument("--title", required=True)
    p.add_argument("--challenge", default="")
    p.add_argument("--goal", default="")
    p.add_argument("--start", type=a_date, metavar="DATE")
    p.add_argument("--end", type=a_date, metavar="DATE")
    p.add_argument(
        "--wip",
        action="append",
        type=a_limit,
        metavar="STAGE=N",
        help=_("at most N cards in STAGE (repeat for several stages)"),
    )
    p.add_argument(
        "--facilitator",
        action="append",
        metavar="KEY",
        help=_(
            "who runs the sprint: made a member (name KEY, internal, role facilitator; "
            "rename with `member`); repeat for several"
        ),
    )

    summary = _("add a member, or change one (without KEY: list them)")
    p = command("member", cmd_member, summary)
    p.add_argument("board", metavar="BOARD")
    p.add_argument("key", nargs="?", metavar="KEY")
    p.add_argument("--name")
    p.add_argument("--side", choices=["internal", "external"])
    p.add_argument("--role")

    summary = _("list the board's members: key, name, side, role")
    p = command("members", cmd_members, summary)
    p.add_argument("board", metavar="BOARD")
    p.add_argument("--json", action="store_true")

    p = command("validate", cmd_validate, _("check board files; exit 1 if any is invalid"))
    p.add_argument("boards", nargs="+", metavar="BOARD")

    p = command("fmt", cmd_fmt, _("rewrite board files canonically"))
    p.add_argument("boards", nargs="+", metavar="BOARD")
    help_check = _("only report files that are not canonical")
    p.add_argument("--check", action="store_true", help=help_check)

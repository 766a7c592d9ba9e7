"""The `sprintboard` command: parses arguments, runs services, prints text or JSON.

Exit codes: 0 success, 1 a user error (one line on stderr, no traceback), 2 usage.
Textual is imported only by `open`, so every other command starts fast.
"""

from __future__ import annotations

import argparse
import codecs
import io
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError

from . import __version__, fields, gitops, identity, ops, storage
from .fields import FieldName, Kind
from .i18n import _
from .labels import field_label
from .model import SCHEMA, Board, Card, HistoryEntry, Stage, describe_error, new_id
from .safe_text import json_text, visible
from .session import commit, create

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
BOARDS = Path("boards")


class UserError(Exception):
    """A mistake the user can fix; the message is printed as it is."""


# --- who acts, which board ---------------------------------------------------------


def whoami(explicit: str | None) -> str:
    """Who acts: --as, else SPRINTBOARD_USER, else git's user.name, else the login name."""
    try:
        return identity.whoami(explicit, os.environ)
    except identity.IdentityError as error:
        raise UserError(f"sprintboard: {error}") from None


def board_path(argument: str) -> Path:
    """A board argument: a path when it ends in .toml, else a name in ./boards."""
    if argument.endswith(".toml"):
        return Path(argument)
    if not NAME.match(argument):
        raise UserError(
            f"'{argument}' is not a board name (letters, digits, '-' and '_'); "
            "to use a file elsewhere, give its path ending in .toml"
        )
    return BOARDS / f"{argument}.toml"


def load(path: Path) -> Board:
    return storage.load(path).board


def card_id(path: Path, board: Board, prefix: str) -> str:
    try:
        return board.resolve_id(prefix)
    except LookupError as error:
        raise UserError(f"{path}: {error}") from None


# --- output ------------------------------------------------------------------------


def iso(moment: Any) -> str:
    return str(storage.zulu(moment))


def card_json(cid: str, card: Card) -> dict[str, Any]:
    """A card as the stable JSON object of `list --json` and `show --json`."""
    return {"id": cid, **{name: _json_value(getattr(card, name)) for name in fields.JSON_KEYS}}


def _json_value(value: Any) -> Any:
    """A card field's value as JSON holds it: times in UTC, enums by their value."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, HistoryEntry):
        return {"at": iso(value.at), "by": value.by, "stage": value.stage.value}
    return value


def dump_json(value: Any) -> str:
    """JSON text, in ASCII escapes when stdout cannot carry UTF-8: exact on any terminal."""
    try:
        utf8 = codecs.lookup(getattr(sys.stdout, "encoding", None) or "utf-8").name == "utf-8"
    except LookupError:
        utf8 = False
    return json_text(value, ascii_only=not utf8)


def say(text: object, *, err: bool = False, lines: bool = False) -> None:
    """Print a message: the one way the command writes to the terminal.

    Everything printed holds text from boards, file names or arguments, so it is
    made terminal-safe here (`safe_text.visible`): one line unless `lines`. `err`
    writes to stderr.
    """
    print(visible(str(text), lines=lines), file=sys.stderr if err else sys.stdout)


def fail(text: object) -> None:
    """Say what went wrong, on stderr, in one line."""
    say(text, err=True)


def ordered(board: Board, stage: Stage | None, archived: bool) -> list[tuple[str, Card]]:
    stages = [stage] if stage else list(Stage)
    return [item for s in stages for item in board.column(s, archived=archived)]


def card_line(cid: str, card: Card) -> str:
    parts = [f"{cid}  {card.title}"]
    if card.tags:
        parts.append(" ".join(f"#{t}" for t in card.tags))
    if card.by:
        parts.append("by " + ", ".join(card.by))
    if card.dots:
        parts.append(f"{card.dots} dot" + ("" if card.dots == 1 else "s"))
    if card.archived:
        parts.append("(archived)")
    return "  ".join(parts)


EXPERIMENT_ROWS = fields.in_group("experiment")
LEARNING_ROWS = tuple(n for n in fields.in_group("learning") if n in fields.TEXT)
"""The learning's text rows of `show`; its decision follows them."""


def show_text(board: Board, cid: str, card: Card) -> str:
    def person(key: str) -> str:
        member = board.members.get(key)
        return f"{member.name} ({key})" if member else key

    lines = [f"{cid}  {card.title}", ""]
    rows = [
        ("stage", card.stage.value + ("  (archived)" if card.archived else "")),
        ("created", iso(card.created)),
        ("updated", iso(card.updated)),
        ("by", ", ".join(person(k) for k in card.by)),
        ("tags", ", ".join(card.tags)),
        ("votes", ", ".join(f"{k} {n}" for k, n in card.votes.items())),
    ]
    lines += [f"{label:<10} {value}" for label, value in rows if value]
    # what a git merge left undecided (decide with `resolve --take`, or in the app)
    lines += [f"{'conflict':<10} {n}: {c.describe(n)}" for n, c in sorted(card.conflicts.items())]
    if card.body:
        lines += ["", card.body]

    def block(title: str, names: tuple[FieldName, ...], extra: list[tuple[str, str]]) -> None:
        # the label in the middle of a line, as the other rows' names
        filled = [(field_label(f).lower(), getattr(card, f)) for f in names if getattr(card, f)]
        filled += [(label, value) for label, value in extra if value]
        if filled:
            lines.extend(["", title])
            for label, value in filled:
                indent = "\n" + " " * 28
                lines.append(f"  {label:<25} {value.replace(chr(10), indent)}")

    block("Experiment", EXPERIMENT_ROWS, [])
    decision = card.decision.value if card.decision else ""
    block("Learning", LEARNING_ROWS, [("decision", decision)])
    if card.history:
        lines.extend(["", "History"])
        lines += [f"  {iso(h.at)}  {h.stage.value:<10} {h.by}" for h in card.history]
    return "\n".join(lines)


# --- commands ----------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    path = board_path(args.board)
    if path.parent == BOARDS and not args.board.endswith(".toml"):
        try:
            BOARDS.mkdir(exist_ok=True)
        except OSError as error:
            raise UserError(f"{path}: cannot make the folder {BOARDS}: {error.strerror}") from None
    elif not path.parent.is_dir():
        raise UserError(f"{path}: folder {path.parent} does not exist")
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
    say(f"created {path}")
    return 0


def change(
    args: argparse.Namespace, make: Callable[[Board, Path], ops.Op], actor: str | None = None
) -> Board:
    """Apply the operation `make` builds to the board named in `args`; when `actor` acts and
    is not a member of the board, say so (once) on stderr, with how to join."""
    path = board_path(args.board)
    try:
        new, _ = commit(path, lambda board: make(board, path))
    except ops.OpError as error:
        raise UserError(f"{path}: {error}") from None
    note = identity.not_member(new, actor, args.board) if actor is not None else None
    if note:
        fail(f"{path}: {note}")
    return new


def cmd_add(args: argparse.Namespace) -> int:
    actor = whoami(args.actor)
    holder: dict[str, str] = {}

    def make(board: Board, path: Path) -> ops.Op:
        me = identity.member_key(board.members, actor)
        # a co-creator may be named by key or by name, as the acting person is
        given = [identity.member_key(board.members, b) or b for b in args.by or ()]
        op = ops.AddCard(
            title=args.title,
            stage=Stage(args.stage),
            tags=tuple(args.tag or ()),
            by=tuple(given or ([me] if me else [])),
            card_id=new_id(board.cards),
            actor=me or actor,
        )
        holder["id"] = op.card_id
        return op

    change(args, make, actor)
    say(holder["id"])
    return 0


def cmd_move(args: argparse.Namespace) -> int:
    actor = whoami(args.actor)

    def make(board: Board, path: Path) -> ops.Op:
        cid = card_id(path, board, args.id)
        before = card_id(path, board, args.before) if args.before else None
        after = card_id(path, board, args.after) if args.after else None
        who = identity.acting(board, actor)
        return ops.MoveCard(cid, Stage(args.stage), before=before, after=after, actor=who)

    change(args, make, actor)
    return 0


def parse_assignment(text: str) -> tuple[str, Any]:
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep:
        raise UserError(f"--set takes FIELD=VALUE, not '{text}'")
    spec = fields.spec(name)
    if spec is None or not spec.editable:
        raise UserError(
            _("'{name}' is not a field you can edit (fields: {fields})").format(
                name=name, fields=", ".join(fields.EDITABLE)
            )
        )
    if spec.kind is Kind.NAMES:
        return name, [v.strip() for v in value.split(",") if v.strip()]
    if spec.kind is Kind.CHOICE:
        return name, value.strip() or None
    return name, value.replace("\r\n", "\n")


def cmd_edit(args: argparse.Namespace) -> int:
    actor = whoami(args.actor)
    try:
        changes = dict(parse_assignment(item) for item in args.set)
    except UserError as error:
        raise UserError(f"{board_path(args.board)}: {error}") from None

    def make(board: Board, path: Path) -> ops.Op:
        who = identity.acting(board, actor)
        return ops.EditCard(card_id(path, board, args.id), changes, actor=who)

    change(args, make, actor)
    return 0


def cmd_archive(args: argparse.Namespace, archived: bool = True) -> int:
    actor = whoami(args.actor)

    def make(board: Board, path: Path) -> ops.Op:
        who = identity.acting(board, actor)
        return ops.ArchiveCard(card_id(path, board, args.id), archived=archived, actor=who)

    change(args, make, actor)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    return cmd_archive(args, archived=False)


def cmd_delete(args: argparse.Namespace) -> int:
    change(args, lambda board, path: ops.DeleteCard(card_id(path, board, args.id)))
    return 0


def cmd_vote(args: argparse.Namespace) -> int:
    actor = whoami(args.actor)

    def make(board: Board, path: Path) -> ops.Op:
        note = identity.not_member(board, actor, args.board)
        if note:
            raise UserError(f"{path}: cannot vote: {note}")
        return ops.Vote(card_id(path, board, args.id), identity.acting(board, actor), args.dots)

    change(args, make)
    return 0


def cmd_member(args: argparse.Namespace) -> int:
    if args.key is None:
        if args.name or args.side or args.role is not None:
            raise UserError(f"{board_path(args.board)}: --name, --side and --role need a KEY")
        return cmd_members(args)

    def make(board: Board, path: Path) -> ops.Op:
        old = board.members.get(args.key)
        name = args.name or (old.name if old else None)
        side = args.side or (old.side.value if old else None)
        if not name or not side:
            raise UserError(f"{path}: a new member needs --name and --side")
        role = args.role if args.role is not None else (old.role if old else None)
        return ops.SetMember(args.key, name, side, role or None)

    change(args, make)
    return 0


def member_json(board: Board, key: str) -> dict[str, Any]:
    """A member as the stable JSON object of `members --json`."""
    member = board.members[key]
    return {
        "key": key,
        "name": member.name,
        "side": member.side.value,
        "role": member.role,
        "facilitator": key in board.sprint.facilitators,
    }


def cmd_members(args: argparse.Namespace) -> int:
    board = load(board_path(args.board))
    found = [member_json(board, key) for key in sorted(board.members)]
    if getattr(args, "json", False):
        say(dump_json(found), lines=True)
        return 0
    if not found:
        say(f"no members yet: sprintboard member {args.board} KEY --name NAME")
    width = max((len(m["key"]) for m in found), default=0)
    for m in found:
        extra = [m["side"], *([m["role"]] if m["role"] else [])]
        extra += ["facilitator"] if m["facilitator"] and m["role"] != "facilitator" else []
        line = f"{m['key']:<{width}}  {m['name']}  ({', '.join(extra)})"
        say(line)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    path = board_path(args.board)
    board = load(path)
    stage = Stage(args.stage) if args.stage else None
    cards = ordered(board, stage, args.archived)
    if args.json:
        say(dump_json([card_json(cid, c) for cid, c in cards]), lines=True)
        return 0
    for each in [stage] if stage else list(Stage):
        column = [(cid, c) for cid, c in cards if c.stage == each]
        limit = board.wip.get(each)
        count = f"{len(column)}/{limit}" if limit else str(len(column))
        say(f"{each.value} ({count})")
        for cid, card in column:
            say("  " + card_line(cid, card))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    path = board_path(args.board)
    board = load(path)
    cid = card_id(path, board, args.id)
    card = board.cards[cid]
    if args.json:
        say(dump_json(card_json(cid, card)), lines=True)
    else:
        say(show_text(board, cid, card), lines=True)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
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
        say(f"{path}: ok")
    return 1 if failed else 0


def cmd_fmt(args: argparse.Namespace) -> int:
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
    first = storage.load(path)  # a missing, bad or read-only file: no lock file made
    canonical = storage.dumps(first.board)
    if canonical == first.text:
        return True
    if check:
        fail(f"{path}: not canonical; run: sprintboard fmt {path}")
        return False
    storage.check_writable(path, first.board)
    with storage.locked(path):
        latest = storage.load(path, first)
        if latest is not first:  # someone wrote meanwhile: format what they wrote
            canonical = storage.dumps(latest.board)
            if canonical == latest.text:
                return True
            storage.check_writable(path, latest.board)
        storage.write_atomic(path, canonical.encode())
    say(f"{path}: formatted")
    return True


def cmd_merge_driver(args: argparse.Namespace) -> int:
    code, lines = gitops.run_driver(Path(args.base), Path(args.ours), Path(args.theirs), args.path)
    for line in lines:
        fail(line)
    return code


def cmd_git_setup(args: argparse.Namespace) -> int:
    for line in gitops.setup(Path.cwd()):
        say(line)
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    path = board_path(args.board)
    if args.take is None:
        if args.card or args.field:
            raise UserError(f"{path}: --card and --field go with --take ours|theirs")
        resolved = gitops.resolve(path)
        done = resolved.result is None or resolved.result.clean
        for line in resolved.lines:
            say(line, err=not done)
        return 0 if done else 1
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
                decided.append(f"card {cid}: {name}")
        if not steps:
            where = f" on card {only}" if only else ""
            what = f" in {args.field}" if args.field else ""
            raise UserError(f"{path}: no conflict{what}{where} to decide")
        return ops.Batch(tuple(steps))

    change(args, make)
    say(f"{path}: took {args.take} for {', '.join(decided)}")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    gitops.sync(board_path(args.board) if args.board else None, say)
    return 0


def cmd_open(args: argparse.Namespace) -> int:
    from .tui.app import run  # Textual is only imported for the app itself

    target = board_path(args.board) if args.board else None
    return run(target, actor=whoami(args.actor))


# --- parser ------------------------------------------------------------------------


def a_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-12-01") from None


def a_limit(text: str) -> tuple[str, int]:
    stage, _, number = text.partition("=")
    stages = ", ".join(s.value for s in Stage)
    if stage.strip() not in {s.value for s in Stage} or not number.strip().isdigit():
        raise argparse.ArgumentTypeError(
            f"'{text}' is not STAGE=N (a stage of {stages} and a whole number, e.g. test=3)"
        )
    return stage.strip(), int(number)


class Parser(argparse.ArgumentParser):
    """argparse, with its error messages (which quote the arguments) made terminal-safe."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {visible(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="sprintboard",
        description="A terminal sprint board for co-creation sprints. "
        "BOARD is a name in ./boards (e.g. family-culture) or a path ending in .toml.",
    )
    parser.add_argument("--version", action="version", version=f"sprintboard {__version__}")
    acting = "who acts: a member's key or name (default: $SPRINTBOARD_USER, git's user.name, "
    acting += "the login name)"
    parser.add_argument("--as", dest="actor", metavar="NAME", help=acting)
    # --as also after the command (`vote BOARD ID --as anna`); SUPPRESS keeps one given
    # before the command when none is given after it
    after = Parser(add_help=False)
    after.add_argument("--as", dest="actor", metavar="NAME", default=argparse.SUPPRESS, help=acting)
    parser.set_defaults(func=cmd_open, board=None)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    stages = [s.value for s in Stage]

    def command(
        name: str, func: Callable[[argparse.Namespace], int], summary: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=summary, description=summary, parents=[after])
        p.set_defaults(func=func)
        return p

    p = command("open", cmd_open, "open the board in the terminal app")
    p.add_argument("board", nargs="?", metavar="BOARD")

    p = command("new", cmd_new, "create a new board file")
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
        help="at most N cards in STAGE (repeat for several stages)",
    )
    p.add_argument(
        "--facilitator",
        action="append",
        metavar="KEY",
        help="who runs the sprint: made a member (name KEY, internal, role facilitator; "
        "rename with `member`); repeat for several",
    )

    p = command("add", cmd_add, "add a card; prints its id")
    p.add_argument("board", metavar="BOARD")
    p.add_argument("title", metavar="TITLE")
    p.add_argument("--stage", choices=stages, default="idea")
    p.add_argument("--tag", action="append", metavar="TAG")
    p.add_argument("--by", action="append", metavar="MEMBER", help="a co-creator (member key)")

    p = command("move", cmd_move, "move a card to a stage, optionally before or after a card")
    p.add_argument("board", metavar="BOARD")
    p.add_argument("id", metavar="ID")
    p.add_argument("stage", choices=stages, metavar="STAGE")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--before", metavar="ID")
    where.add_argument("--after", metavar="ID")

    p = command("edit", cmd_edit, "set fields of a card")
    p.add_argument("board", metavar="BOARD")
    p.add_argument("id", metavar="ID")
    p.add_argument(
        "--set",
        action="append",
        required=True,
        metavar="FIELD=VALUE",
        help=f"fields: {', '.join(ops.EDITABLE)}; tags and by take comma-separated values",
    )

    for name, func, text in (
        ("archive", cmd_archive, "archive a card (hidden, kept)"),
        ("restore", cmd_restore, "bring an archived card back"),
        ("delete", cmd_delete, "remove a card for good"),
    ):
        p = command(name, func, text)
        p.add_argument("board", metavar="BOARD")
        p.add_argument("id", metavar="ID")

    p = command("vote", cmd_vote, "give a card dots as the acting member (--as)")
    p.add_argument("board", metavar="BOARD")
    p.add_argument("id", metavar="ID")
    p.add_argument("--dots", type=int, default=1, help="how many dots (0 takes the vote back)")

    p = command("member", cmd_member, "add a member, or change one (without KEY: list them)")
    p.add_argument("board", metavar="BOARD")
    p.add_argument("key", nargs="?", metavar="KEY")
    p.add_argument("--name")
    p.add_argument("--side", choices=["internal", "external"])
    p.add_argument("--role")

    p = command("members", cmd_members, "list the board's members: key, name, side, role")
    p.add_argument("board", metavar="BOARD")
    p.add_argument("--json", action="store_true")

    p = command("list", cmd_list, "list the cards, column by column")
    p.add_argument("board", metavar="BOARD")
    p.add_argument("--stage", choices=stages)
    p.add_argument("--archived", action="store_true", help="include archived cards")
    p.add_argument("--json", action="store_true")

    p = command("show", cmd_show, "show one card in full")
    p.add_argument("board", metavar="BOARD")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true")

    p = command("validate", cmd_validate, "check board files; exit 1 if any is invalid")
    p.add_argument("boards", nargs="+", metavar="BOARD")

    p = command("fmt", cmd_fmt, "rewrite board files canonically")
    p.add_argument("boards", nargs="+", metavar="BOARD")
    p.add_argument("--check", action="store_true", help="only report files that are not canonical")

    p = command(
        "merge-driver",
        cmd_merge_driver,
        "three-way merge of a board file for git (merge.sprintboard.driver); "
        "writes the result into OURS, exit 1 when a card is left in conflict",
    )
    for name in ("base", "ours", "theirs"):
        p.add_argument(name, metavar=name.upper())
    p.add_argument("path", nargs="?", metavar="PATH", help="the board's path, for messages")

    command(
        "git-setup",
        cmd_git_setup,
        "make git merge boards with sprintboard in this repository (.gitattributes, config)",
    )

    p = command(
        "resolve",
        cmd_resolve,
        "merge a board git left with conflict markers again, from git's index; "
        "or, with --take, decide the conflicts a merge marked on cards",
    )
    p.add_argument("board", metavar="BOARD")
    p.add_argument("--take", choices=["ours", "theirs"], help="keep this side's value")
    p.add_argument("--card", metavar="ID", help="only this card's conflicts (with --take)")
    p.add_argument("--field", metavar="FIELD", help="only conflicts in this field (with --take)")

    p = command(
        "sync",
        cmd_sync,
        "commit the boards' changes, merge the shared repository's, push",
    )
    p.add_argument("board", nargs="?", metavar="BOARD", help="only this board (default: all)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # a terminal that cannot show a character (say, an emoji) gets an escape, not a traceback
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    args = build_parser().parse_args(argv)
    try:
        _check_text(vars(args))
        result: int = args.func(args)
        return result
    except (UserError, storage.BoardFileError, gitops.GitError) as error:
        fail(error)
        return 1
    except ops.OpError as error:
        fail(f"sprintboard: {error}")
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`sprintboard list b | head`): stop quietly, no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _check_text(values: dict[str, Any]) -> None:
    """Arguments that are not valid UTF-8 (undecodable bytes) are refused, not stored."""
    for value in values.values():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    raise UserError(
                        f"sprintboard: an argument is not valid UTF-8: {text!r}"
                    ) from None

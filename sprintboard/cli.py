"""The `sprintboard` command: parses arguments, runs services, prints text or JSON.

Exit codes: 0 success, 1 a user error (one line on stderr, no traceback), 2 usage.
Textual is imported only by `open`, so every other command starts fast.
"""

from __future__ import annotations

import argparse
import codecs
import getpass
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import __version__, gitops, ops, storage
from .model import SCHEMA, Board, Card, Stage, describe_error, new_id
from .session import commit, create

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
BOARDS = Path("boards")
LIST_FIELDS = ("tags", "by")


class UserError(Exception):
    """A mistake the user can fix; the message is printed as it is."""


# --- who acts, which board ---------------------------------------------------------


def whoami(explicit: str | None) -> str:
    """Who acts: --as, else SPRINTBOARD_USER, else git's user.name, else the login name."""
    if explicit:
        return explicit
    if os.environ.get("SPRINTBOARD_USER"):
        return os.environ["SPRINTBOARD_USER"]
    try:
        name = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


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
    return {
        "id": cid,
        "title": card.title,
        "stage": card.stage.value,
        "rank": card.rank,
        "archived": card.archived,
        "created": iso(card.created),
        "updated": iso(card.updated),
        "by": list(card.by),
        "tags": list(card.tags),
        "body": card.body,
        "hypothesis": card.hypothesis,
        "test": card.test,
        "metric": card.metric,
        "criterion": card.criterion,
        "observed": card.observed,
        "learned": card.learned,
        "next": card.next,
        "decision": card.decision.value if card.decision else None,
        "votes": dict(card.votes),
        "history": [{"at": iso(h.at), "by": h.by, "stage": h.stage.value} for h in card.history],
    }


def dump_json(value: Any) -> str:
    """JSON text, in ASCII escapes when stdout cannot carry UTF-8: exact on any terminal."""
    try:
        utf8 = codecs.lookup(getattr(sys.stdout, "encoding", None) or "utf-8").name == "utf-8"
    except LookupError:
        utf8 = False
    return json.dumps(value, ensure_ascii=not utf8, indent=2)


def ordered(board: Board, stage: Stage | None, archived: bool) -> list[tuple[str, Card]]:
    stages = [stage] if stage else list(Stage)
    return [item for s in stages for item in board.column(s, archived=archived)]


def terminal_safe(text: str) -> str:
    """`text` with control characters shown as escapes (newlines kept): a board from
    someone else must not be able to send escape sequences to your terminal."""
    return "".join(
        c if c.isprintable() or c == "\n" else c.encode("unicode_escape").decode() for c in text
    )


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


EXPERIMENT_LABELS = {
    "hypothesis": "we believe",
    "test": "to verify that, we will",
    "metric": "and measure",
    "criterion": "we are right if",
}
LEARNING_LABELS = {
    "observed": "we observed",
    "learned": "we learned",
    "next": "therefore we will",
}


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

    def block(title: str, labels: dict[str, str], extra: list[tuple[str, str]]) -> None:
        filled = [(label, getattr(card, f)) for f, label in labels.items() if getattr(card, f)]
        filled += [(label, value) for label, value in extra if value]
        if filled:
            lines.extend(["", title])
            for label, value in filled:
                indent = "\n" + " " * 28
                lines.append(f"  {label:<25} {value.replace(chr(10), indent)}")

    block("Experiment", EXPERIMENT_LABELS, [])
    decision = card.decision.value if card.decision else ""
    block("Learning", LEARNING_LABELS, [("decision", decision)])
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
    try:
        given = {k: v for k, v in data.items() if k == "title" or v not in (None, "")}
        board = Board.model_validate(given)
    except ValidationError as error:
        raise UserError(f"{path}: {describe_error(error.errors()[0])}") from None
    create(path, board)
    print(f"created {path}")
    return 0


def change(args: argparse.Namespace, make: Callable[[Board, Path], ops.Op]) -> Board:
    """Apply the operation `make` builds to the board named in `args`."""
    path = board_path(args.board)
    try:
        new, _ = commit(path, lambda board: make(board, path))
    except ops.OpError as error:
        raise UserError(f"{path}: {error}") from None
    return new


def cmd_add(args: argparse.Namespace) -> int:
    actor = whoami(args.actor)
    holder: dict[str, str] = {}

    def make(board: Board, path: Path) -> ops.Op:
        by = args.by or ([actor] if actor in board.members else [])
        op = ops.AddCard(
            title=args.title,
            stage=Stage(args.stage),
            tags=tuple(args.tag or ()),
            by=tuple(by),
            card_id=new_id(board.cards),
            actor=actor,
        )
        holder["id"] = op.card_id
        return op

    change(args, make)
    print(holder["id"])
    return 0


def cmd_move(args: argparse.Namespace) -> int:
    actor = whoami(args.actor)

    def make(board: Board, path: Path) -> ops.Op:
        cid = card_id(path, board, args.id)
        before = card_id(path, board, args.before) if args.before else None
        after = card_id(path, board, args.after) if args.after else None
        return ops.MoveCard(cid, Stage(args.stage), before=before, after=after, actor=actor)

    change(args, make)
    return 0


def parse_assignment(text: str) -> tuple[str, Any]:
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep:
        raise UserError(f"--set takes FIELD=VALUE, not '{text}'")
    if name not in ops.EDITABLE:
        raise UserError(f"'{name}' is not a field you can edit (fields: {', '.join(ops.EDITABLE)})")
    if name in LIST_FIELDS:
        return name, [v.strip() for v in value.split(",") if v.strip()]
    if name == "decision":
        return name, value.strip() or None
    return name, value.replace("\r\n", "\n")


def cmd_edit(args: argparse.Namespace) -> int:
    actor = whoami(args.actor)
    try:
        changes = dict(parse_assignment(item) for item in args.set)
    except UserError as error:
        raise UserError(f"{board_path(args.board)}: {error}") from None

    def make(board: Board, path: Path) -> ops.Op:
        return ops.EditCard(card_id(path, board, args.id), changes, actor=actor)

    change(args, make)
    return 0


def cmd_archive(args: argparse.Namespace, archived: bool = True) -> int:
    actor = whoami(args.actor)

    def make(board: Board, path: Path) -> ops.Op:
        return ops.ArchiveCard(card_id(path, board, args.id), archived=archived, actor=actor)

    change(args, make)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    return cmd_archive(args, archived=False)


def cmd_delete(args: argparse.Namespace) -> int:
    change(args, lambda board, path: ops.DeleteCard(card_id(path, board, args.id)))
    return 0


def cmd_vote(args: argparse.Namespace) -> int:
    actor = whoami(args.actor)

    def make(board: Board, path: Path) -> ops.Op:
        return ops.Vote(card_id(path, board, args.id), actor, args.dots)

    change(args, make)
    return 0


def cmd_member(args: argparse.Namespace) -> int:
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


def cmd_list(args: argparse.Namespace) -> int:
    path = board_path(args.board)
    board = load(path)
    stage = Stage(args.stage) if args.stage else None
    cards = ordered(board, stage, args.archived)
    if args.json:
        print(dump_json([card_json(cid, c) for cid, c in cards]))
        return 0
    for each in [stage] if stage else list(Stage):
        column = [(cid, c) for cid, c in cards if c.stage == each]
        limit = board.wip.get(each)
        count = f"{len(column)}/{limit}" if limit else str(len(column))
        print(f"{each.value} ({count})")
        for cid, card in column:
            print("  " + terminal_safe(card_line(cid, card)))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    path = board_path(args.board)
    board = load(path)
    cid = card_id(path, board, args.id)
    card = board.cards[cid]
    if args.json:
        print(dump_json(card_json(cid, card)))
    else:
        print(terminal_safe(show_text(board, cid, card)))
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
                print(line, file=sys.stderr)
            continue
        except UserError as error:
            failed = True
            print(error, file=sys.stderr)
            continue
        # a board of a newer schema cannot be checked here, and a valid file a git merge
        # left with undecided cards is not done yet: both fail, as CI should
        newer = storage.newer_schema_problem(loaded.board, loaded.text)
        problems = [newer] if newer else []
        problems += storage.conflict_problems(loaded.board, loaded.text)
        for problem in problems:
            print(f"{path}:{problem.line}:{problem.column}: {problem.message}", file=sys.stderr)
        if problems:
            failed = True
            continue
        print(f"{path}: ok")
    return 1 if failed else 0


def cmd_fmt(args: argparse.Namespace) -> int:
    failed = False
    for argument in args.boards:
        try:
            path = board_path(argument)
            failed |= not _format(path, check=args.check)
        except (storage.BoardFileError, UserError) as error:
            failed = True
            print(error, file=sys.stderr)
    return 1 if failed else 0


def _format(path: Path, check: bool) -> bool:
    """Rewrite one board canonically (or, with `check`, say whether it is): True if fine."""
    first = storage.load(path)  # a missing, bad or read-only file: no lock file made
    canonical = storage.dumps(first.board)
    if canonical == first.text:
        return True
    if check:
        print(f"{path}: not canonical; run: sprintboard fmt {path}", file=sys.stderr)
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
    print(f"{path}: formatted")
    return True


def cmd_merge_driver(args: argparse.Namespace) -> int:
    code, lines = gitops.run_driver(Path(args.base), Path(args.ours), Path(args.theirs), args.path)
    for line in lines:
        print(line, file=sys.stderr)
    return code


def cmd_git_setup(args: argparse.Namespace) -> int:
    for line in gitops.setup(Path.cwd()):
        print(line)
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    path = board_path(args.board)
    if args.take is None:
        if args.card or args.field:
            raise UserError(f"{path}: --card and --field go with --take ours|theirs")
        resolved = gitops.resolve(path)
        done = resolved.result is None or resolved.result.clean
        for line in resolved.lines:
            print(line, file=sys.stdout if done else sys.stderr)
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
                steps.append(ops.ResolveConflict(cid, name, take=args.take, actor=actor))
                decided.append(f"card {cid}: {name}")
        if not steps:
            where = f" on card {only}" if only else ""
            what = f" in {args.field}" if args.field else ""
            raise UserError(f"{path}: no conflict{what}{where} to decide")
        return ops.Batch(tuple(steps))

    change(args, make)
    print(f"{path}: took {args.take} for {', '.join(decided)}")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    gitops.sync(board_path(args.board) if args.board else None, print)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sprintboard",
        description="A terminal sprint board for co-creation sprints. "
        "BOARD is a name in ./boards (e.g. family-culture) or a path ending in .toml.",
    )
    parser.add_argument("--version", action="version", version=f"sprintboard {__version__}")
    parser.add_argument(
        "--as",
        dest="actor",
        metavar="NAME",
        help="who acts (default: $SPRINTBOARD_USER, git's user.name, the login name)",
    )
    parser.set_defaults(func=cmd_open, board=None)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    stages = [s.value for s in Stage]

    def command(
        name: str, func: Callable[[argparse.Namespace], int], summary: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=summary, description=summary)
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

    p = command("member", cmd_member, "add a member, or change one")
    p.add_argument("board", metavar="BOARD")
    p.add_argument("key", metavar="KEY")
    p.add_argument("--name")
    p.add_argument("--side", choices=["internal", "external"])
    p.add_argument("--role")

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
        print(error, file=sys.stderr)
        return 1
    except ops.OpError as error:
        print(f"sprintboard: {error}", file=sys.stderr)
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

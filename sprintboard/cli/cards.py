"""The card commands: add, move, edit, archive, restore, delete, vote, list, show.

Each command imports the model, identity and the operations when it runs: the
parser imports this module for `register` (README, "Performance").
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import fields
from ..fields import Kind
from ..i18n import _
from ..vocabulary import Stage
from .common import AddCommand, UserError, board_path, card_id, change, load, whoami
from .output import card_json, columns_text, dump_json, say, show_text

if TYPE_CHECKING:
    from .. import ops
    from ..model import Board, Card

# --- changing cards ----------------------------------------------------------------


def cmd_add(args: argparse.Namespace) -> int:
    from .. import identity, ops
    from ..model import new_id

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
    from .. import identity, ops

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
        raise UserError(_("--set takes FIELD=VALUE, not '{text}'").format(text=text))
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
    from .. import identity, ops

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
    from .. import identity, ops

    actor = whoami(args.actor)

    def make(board: Board, path: Path) -> ops.Op:
        who = identity.acting(board, actor)
        return ops.ArchiveCard(card_id(path, board, args.id), archived=archived, actor=who)

    change(args, make, actor)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    return cmd_archive(args, archived=False)


def cmd_delete(args: argparse.Namespace) -> int:
    from .. import ops

    change(args, lambda board, path: ops.DeleteCard(card_id(path, board, args.id)))
    return 0


def cmd_vote(args: argparse.Namespace) -> int:
    from .. import identity, ops

    actor = whoami(args.actor)

    def make(board: Board, path: Path) -> ops.Op:
        note = identity.not_member(board, actor, args.board)
        if note:
            raise UserError(_("{path}: cannot vote: {note}").format(path=path, note=note))
        return ops.Vote(card_id(path, board, args.id), identity.acting(board, actor), args.dots)

    change(args, make)
    return 0


# --- reading cards -----------------------------------------------------------------


def ordered(board: Board, stage: Stage | None, archived: bool) -> list[tuple[str, Card]]:
    stages = [stage] if stage else list(Stage)
    return [item for s in stages for item in board.column(s, archived=archived)]


def cmd_list(args: argparse.Namespace) -> int:
    path = board_path(args.board)
    board = load(path)
    stage = Stage(args.stage) if args.stage else None
    cards = ordered(board, stage, args.archived)
    if args.json:
        say(dump_json([card_json(cid, c) for cid, c in cards]), lines=True)
        return 0
    for line in columns_text(board, [stage] if stage else list(Stage), cards):
        say(line)
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


# --- the commands ------------------------------------------------------------------


def register(command: AddCommand) -> None:
    """Add the card commands to the parser."""
    stages = [s.value for s in Stage]  # ids on the command line stay English

    p = command("add", cmd_add, _("add a card; prints its id"))
    p.add_argument("board", metavar="BOARD")
    p.add_argument("title", metavar="TITLE")
    p.add_argument("--stage", choices=stages, default="idea")
    p.add_argument("--tag", action="append", metavar="TAG")
    p.add_argument("--by", action="append", metavar="MEMBER", help=_("a co-creator (member key)"))

    summary = _("move a card to a stage, optionally before or after a card")
    p = command("move", cmd_move, summary)
    p.add_argument("board", metavar="BOARD")
    p.add_argument("id", metavar="ID")
    p.add_argument("stage", choices=stages, metavar="STAGE")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--before", metavar="ID")
    where.add_argument("--after", metavar="ID")

    p = command("edit", cmd_edit, _("set fields of a card"))
    p.add_argument("board", metavar="BOARD")
    p.add_argument("id", metavar="ID")
    p.add_argument(
        "--set",
        action="append",
        required=True,
        metavar="FIELD=VALUE",
        help=_("fields: {fields}; tags and by take comma-separated values").format(
            fields=", ".join(fields.EDITABLE)
        ),
    )

    for name, func, text in (
        ("archive", cmd_archive, _("archive a card (hidden, kept)")),
        ("restore", cmd_restore, _("bring an archived card back")),
        ("delete", cmd_delete, _("remove a card for good")),
    ):
        p = command(name, func, text)
        p.add_argument("board", metavar="BOARD")
        p.add_argument("id", metavar="ID")

    p = command("vote", cmd_vote, _("give a card dots as the acting member (--as)"))
    p.add_argument("board", metavar="BOARD")
    p.add_argument("id", metavar="ID")
    p.add_argument("--dots", type=int, default=1, help=_("how many dots (0 takes the vote back)"))

    p = command("list", cmd_list, _("list the cards, column by column"))
    p.add_argument("board", metavar="BOARD")
    p.add_argument("--stage", choices=stages)
    p.add_argument("--archived", action="store_true", help=_("include archived cards"))
    p.add_argument("--json", action="store_true")

    p = command("show", cmd_show, _("show one card in full"))
    p.add_argument("board", metavar="BOARD")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true")

"""The invitation commands: invite (someone onto one board), invites (the list), revoke.

`invite` adds the person as a member when needed (as `member` does, with its facilitator
check), makes the invitation in the state folder's store (`sprintboard.invitations`) and
prints it ready to paste into a mail: the ssh command, the code (shown this once, never
again), the server's fingerprint and when it ends; with ``--web``, a link for a browser
instead (its token shown this once), which needs neither the ssh extra nor a host key.
The store, storage, identity and the SSH package are imported by the commands that use
them: the parser imports this module.
"""

from __future__ import annotations

import argparse
import os
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n import _
from ..labels import side_label
from .common import (
    AddCommand,
    UserError,
    board_path,
    change,
    load,
    need_ssh_extra,
    now_for_reports,
)
from .common import whoami as acting_name
from .invitation_text import (
    DEFAULT_EXPIRY,
    KINDS,
    STATES,
    a_duration,
    a_server,
    a_web_url,
    invitation_json,
    link_json,
    link_text,
    new_json,
    new_text,
    server,
    web_url,
    when,
)
from .output import dump_json, say

if TYPE_CHECKING:
    from .. import ops
    from ..invitations import Invitation, Invitations
    from ..model import Board

MAX_KEY_FILE = 64 * 1024


# --- the store and the host key --------------------------------------------------------


def _store() -> Invitations:
    """The invitations of this machine; one line when the state folder cannot be used."""
    from ..invitations import Invitations
    from ..state import StateError, private_dir

    try:
        return Invitations(private_dir(os.environ))
    except StateError as error:
        raise UserError(str(error)) from None


def _fingerprint(folder: Path) -> str:
    """The SSH entry's host key fingerprint, the key made when there is none yet."""
    from ..state import StateError

    need_ssh_extra("invite")
    from ..ssh import host_key

    try:
        return host_key.fingerprint(host_key.load_or_create(folder))
    except StateError as error:
        raise UserError(str(error)) from None


def _read_key(path: Path) -> str:
    """The public key line in file `path` (type and base64); one line when it is not one."""
    from ..invitations import InvitationError, parse_public_key
    from ..storage.files import read_own_file

    data = read_own_file(path, MAX_KEY_FILE)
    if data is None:
        raise UserError(_("{path}: no such file").format(path=path))
    try:
        return parse_public_key(data.decode("utf-8", errors="replace"))
    except InvitationError as error:
        raise UserError(f"{path}: {error}") from None


# --- invite ----------------------------------------------------------------------------


# Letters that are no accented Latin letter, so that decomposing them leaves nothing:
# written as they are spelt out in ASCII (``Søren Æbelø`` → ``soeren-aebeloe``)
_SPELT = str.maketrans(
    {"æ": "ae", "Æ": "AE", "ø": "oe", "Ø": "OE", "ß": "ss", "œ": "oe", "Œ": "OE", "ł": "l",
     "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH"}
)  # fmt: skip


def _new_key(board: Board, name: str) -> str:
    """A member key made from the whole name (``Anna Berg`` → ``anna-berg``), unique."""
    import unicodedata

    spelt = name.translate(_SPELT)
    plain = unicodedata.normalize("NFKD", spelt).encode("ascii", "ignore").decode().lower()
    key = "-".join(re.findall(r"[a-z0-9]+", plain))[:56].strip("-") or "guest"
    taken = {k.casefold() for k in board.members}
    number = 1
    unique = key
    while unique in taken:
        number += 1
        unique = f"{key}-{number}"
    return unique


def _member(args: argparse.Namespace, board: Board, actor: str, path: Path) -> str | None:
    """The key of the member NAME is (None: a new one); refuses what may not be done."""
    from ..facilitation import Duty, refusal
    from ..identity import member_key

    refused = refusal(board, actor, Duty.TEAM)
    if refused is not None:
        raise UserError(f"{path}: {refused}")
    key = member_key(board.members, args.name)
    if key is None:
        # two members of that name: which one is meant is not ours to guess, nor a third
        fits = sorted(k for k, m in board.members.items() if member_key({k: m}, args.name))
        if len(fits) > 1:
            raise UserError(
                _("{path}: {name} may be any of {keys}: give the member's key").format(
                    path=path, name=repr(args.name), keys=", ".join(fits)
                )
            )
        return None
    old = board.members[key]
    if (args.side is not None and args.side != old.side.value) or (
        args.role is not None and args.role != (old.role or "")
    ):
        raise UserError(
            _(
                "{path}: {key} is a member already, {side} with role {role}; "
                "change that with `sprintboard member` first"
            ).format(path=path, key=key, side=side_label(old.side), role=repr(old.role or ""))
        )
    return key


def _join(args: argparse.Namespace, actor: str) -> str:
    """Add NAME as a new member, as `member` does; their key."""
    from .. import ops
    from ..identity import member_key

    made: list[str] = []

    def make(board: Board, path: Path) -> ops.Op:
        # the board as it is under its lock: someone may have added them meanwhile
        key = _member(args, board, actor, path)
        if key is not None:
            made.append(key)
            old = board.members[key]
            return ops.SetMember(key, old.name, old.side.value, old.role)
        made.append(_new_key(board, args.name))
        return ops.SetMember(made[-1], args.name.strip(), args.side or "external", args.role)

    new = change(args, make)
    assert member_key(new.members, made[-1]) == made[-1]
    return made[-1]


def _refuse_mixes(args: argparse.Namespace) -> None:
    """One sentence for options that do not go together."""
    if args.web:
        if args.key:
            raise UserError(_("--web makes a link for a browser, not a key invitation: drop --key"))
        if args.once:
            raise UserError(
                _(
                    "--web links open once anyway (the browser that opened one keeps the board "
                    "until it expires): drop --once"
                )
            )
        if args.server is not None:
            raise UserError(
                _("--server is the SSH entry's address: with --web, give the browser's with --url")
            )
    elif args.url is not None:
        raise UserError(_("--url is the address of the link --web makes: add --web, or drop --url"))
    if args.once and args.key:
        raise UserError(
            _("--once is for codes: a key invitation ends when it expires or is revoked")
        )


def cmd_invite(args: argparse.Namespace) -> int:
    from ..identity import IdentityError, acting, checked

    actor = acting_name(args.actor)
    try:
        checked(args.name, "NAME")
    except IdentityError as error:
        raise UserError(str(error)) from None
    _refuse_mixes(args)
    base = web_url(args.url) if args.web else ""
    host, port = ("", 0) if args.web else server(args.server)
    public_key = _read_key(Path(args.key)) if args.key else None
    path = board_path(args.board)
    board = load(path)
    key = _member(args, board, actor, path)
    # the state folder, the store and the host key first: a failure changes no board
    store = _store()
    from ..invitations import InvitationError

    try:
        store.all()
    except InvitationError as error:
        raise UserError(str(error)) from None
    fingerprint = "" if args.web else _fingerprint(store.folder)
    if key is None:
        key = _join(args, actor)
        board = load(path)
    now = now_for_reports()[0]
    by = acting(board, actor)
    expires = now + args.expires
    # the language named on the command line (`sprintboard --lang da invite ...`) is the
    # guest's too; without one, each guest is spoken to in their own
    speaks: str | None = getattr(args, "lang", None)
    try:
        if args.web:
            invitation, secret = store.add_link(
                path, key, expires=expires, by=by, now=now, language=speaks
            )
        elif public_key is not None:
            invitation = store.add_key(
                path, key, public_key, expires=expires, by=by, now=now, language=speaks
            )
            secret = None
        else:
            invitation, secret = store.add_code(
                path, key, expires=expires, once=args.once, by=by, now=now, language=speaks
            )
    except InvitationError as error:
        raise UserError(str(error)) from None
    name = board.members[key].name
    if args.web:
        link = f"{base}/join/{secret}"  # the token: shown here, this once, never again
        data = link_json(invitation, name, link)
        lines = link_text(board.title, name, invitation, link)
    else:
        data = new_json(invitation, name, secret, host, port, fingerprint)
        lines = new_text(board.title, name, invitation, secret, host, port, fingerprint)
    if args.json:
        say(dump_json(data), lines=True)
        return 0
    for line in lines:
        say(line)
    return 0


def _listed(board: str | None, every: bool) -> tuple[Invitations, datetime, list[Invitation]]:
    """The store, the moment, and its invitations of `board` (None: of every board), only
    the active ones unless `every`."""
    from ..invitations import InvitationError

    store = _store()
    now = now_for_reports()[0]
    wanted = board_path(board).resolve() if board else None
    try:
        found = [
            invitation
            for invitation in store.all()
            if (wanted is None or invitation.board == wanted)
            and (every or invitation.state(now) == "active")
        ]
    except InvitationError as error:
        raise UserError(str(error)) from None
    return store, now, found


def cmd_invites(args: argparse.Namespace) -> int:
    now, found = _listed(args.board, args.all)[1:]
    if args.json:
        say(dump_json([invitation_json(i, now) for i in found]), lines=True)
        return 0
    if not found:
        say(_("no invitations") if args.all else _("no active invitations"))
    width = max((len(i.member) for i in found), default=0)
    for i in found:
        kind = _(KINDS[i.kind])
        once = _(", once") if i.once else ""
        speaks = f" · {i.language}" if i.language is not None else ""
        say(
            f"{i.id}  {i.member:<{width}}  {i.board.stem}  {kind}{once}{speaks}  "
            f"{_(STATES[i.state(now)])}  {when(i, now)}"
        )
    return 0


def _names(store_all: list[Invitation], who: str) -> set[str]:
    """The ids of the invitations whose member `who` names (by key or name)."""
    from .. import storage
    from ..identity import member_key

    ids: set[str] = set()
    boards: dict[Path, Board | None] = {}
    for invitation in store_all:
        if invitation.board not in boards:
            try:
                boards[invitation.board] = storage.load(invitation.board).board
            except storage.BoardFileError:
                boards[invitation.board] = None  # gone: only its key can name the member
        board = boards[invitation.board]
        if who == invitation.member or (
            board is not None and member_key(board.members, who) == invitation.member
        ):
            ids.add(invitation.id)
    return ids


def cmd_revoke(args: argparse.Namespace) -> int:
    from ..invitations import InvitationError

    store, now, active = _listed(args.board, False)
    try:
        ids = {i.id for i in active if i.id == args.who} or _names(active, args.who)
        ended = [e for id_ in sorted(ids) for e in store.revoke(id_, now)]
    except InvitationError as error:
        raise UserError(str(error)) from None
    if not ended:
        raise UserError(
            _(
                "no active invitation matches {who} (a member's key or name, or an invitation's "
                "id); `sprintboard invites` lists them"
            ).format(who=repr(args.who))
        )
    for invitation in ended:
        say(
            _("revoked {id}: {member} on {board}; their open sessions end within a second").format(
                id=invitation.id, member=invitation.member, board=invitation.board.stem
            )
        )
    return 0


def register(command: AddCommand) -> None:
    """Add the invitation commands to the parser."""
    summary = _(
        "invite someone onto one board through the SSH entry, or (--web) with a link for a "
        "web browser: prints the invitation"
    )
    p = command("invite", cmd_invite, summary)
    p.add_argument("board", metavar="BOARD")
    p.add_argument("name", metavar="NAME", help=_("a member's key or name, or a new member's name"))
    p.add_argument(
        "--side", choices=["external", "internal"], help=_("a new member's side (external)")
    )
    p.add_argument("--role", help=_("a new member's role"))
    p.add_argument(
        "--expires",
        type=a_duration,
        default=a_duration(DEFAULT_EXPIRY),
        metavar="TIME",
        help=_("how long it works: 30m, 8h, 2d, 1w (default 8h, at most 30 days)"),
    )
    p.add_argument("--once", action="store_true", help=_("the code works once only"))
    p.add_argument("--key", metavar="PUBKEY_FILE", help=_("bind this public key instead of a code"))
    p.add_argument(
        "--server",
        type=a_server,
        metavar="HOST[:PORT]",
        help=_(
            "where guests connect (default $SPRINTBOARD_SSH_SERVER, else this machine's "
            "name; port 2222)"
        ),
    )
    p.add_argument(
        "--web",
        action="store_true",
        help=_("a link for a web browser (serve-web) instead; it opens once, in one browser"),
    )
    p.add_argument(
        "--url",
        type=a_web_url,
        metavar="URL",
        help=_(
            "where browsers reach serve-web, http(s)://host[:port] (default "
            "$SPRINTBOARD_WEB_URL, else http://this machine's name:8000)"
        ),
    )
    p.add_argument("--json", action="store_true")

    summary = _("list the invitations (never their codes): the active ones, or --all kept")
    p = command("invites", cmd_invites, summary)
    p.add_argument("board", nargs="?", metavar="BOARD")
    p.add_argument("--all", action="store_true", help=_("also the ended ones kept (30 days)"))
    p.add_argument("--json", action="store_true")

    summary = _("end someone's invitations (and their open sessions): by name, key or id")
    p = command("revoke", cmd_revoke, summary)
    p.add_argument("who", metavar="NAME|ID")
    p.add_argument("board", nargs="?", metavar="BOARD")

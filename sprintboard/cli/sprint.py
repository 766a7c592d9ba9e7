"""The commands that run the sprint: `round start|status|close` (dot-vote rounds).

Starting and closing a round are a facilitator's (`facilitation.refusal`); the budget
inside a round is the operations' (`sprintboard vote` goes through `ops.Vote`, which
applies it). The model, the rules and the operations are imported when a command runs:
the parser imports this module for `register` (README, "Performance").
"""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..i18n import _, ngettext
from ..labels import stage_label
from ..vocabulary import Stage
from .common import AddCommand, UserError, board_path, change, load, whoami
from .output import dump_json, say

if TYPE_CHECKING:
    from .. import ops
    from ..model import Board

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


# --- argument types ----------------------------------------------------------------


def a_stage(text: str) -> Stage:
    try:
        return Stage(text)
    except ValueError:
        # stage ids, as the argument takes them (not their translated names)
        stages = ", ".join(s.value for s in Stage)
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a stage (stages: {stages})").format(text=text, stages=stages)
        ) from None


def a_time(text: str) -> datetime:
    """`HH:MM` (today, local time) or an ISO time (local time when it has no offset)."""
    now = datetime.now().astimezone()
    clock = _CLOCK.match(text)
    try:
        if clock:
            moment = now.replace(hour=int(clock[1]), minute=int(clock[2]), second=0, microsecond=0)
        else:
            moment = datetime.fromisoformat(text)
            if moment.tzinfo is None:
                moment = moment.astimezone()  # the machine's local time, as HH:MM is
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a time like 10:15 or 2026-12-01T10:15:00Z").format(text=text)
        ) from None
    return moment


def _clock(moment: datetime) -> str:
    """A time as a facilitator reads it out (local time; the date too when not today)."""
    from ..rounds import local_time

    return local_time(moment, _now())


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


# --- the commands ------------------------------------------------------------------


def _facilitating(board: Board, actor: str, duty: Any) -> None:
    from ..facilitation import refusal

    refused = refusal(board, actor, duty)
    if refused:
        raise UserError(refused)


def cmd_round_start(args: argparse.Namespace) -> int:
    from .. import identity, ops
    from ..facilitation import Duty
    from ..model import new_id

    actor = whoami(args.actor)
    holder: dict[str, ops.StartRound] = {}

    def make(board: Board, path: Path) -> ops.Op:
        _facilitating(board, actor, Duty.START_ROUND)
        op = ops.StartRound(
            stage=args.stage,
            dots=args.dots,
            anonymous=args.anonymous,
            until=args.until,
            round_id=new_id(board.rounds),
            actor=identity.acting(board, actor),
            at=_now(),
        )
        holder["op"] = op
        return op

    change(args, make)
    op = holder["op"]
    line = ngettext(
        "Vote round {id} open on {stage}: {dots} dot each",
        "Vote round {id} open on {stage}: {dots} dots each",
        op.dots,
    ).format(id=op.round_id, stage=stage_label(op.stage), dots=op.dots)
    if op.anonymous:
        line += _(", anonymous")
    if op.until is not None:
        line += _(", until {time}").format(time=_clock(op.until))
    say(line)
    return 0


def cmd_round_close(args: argparse.Namespace) -> int:
    from .. import identity, ops, rounds
    from ..facilitation import Duty

    actor = whoami(args.actor)

    def make(board: Board, path: Path) -> ops.Op:
        _facilitating(board, actor, Duty.CLOSE_ROUND)
        return ops.CloseRound(actor=identity.acting(board, actor), at=_now())

    board = change(args, make)
    done = rounds.closed_rounds(board)
    if done:
        rid, round_ = done[0]
        say(
            _("Vote round {id} closed; {stage} is ordered by dots").format(
                id=rid, stage=stage_label(round_.stage)
            )
        )
        for line in _result_lines(board, rounds.result_order(round_)):
            say(line)
    return 0


def cmd_round_status(args: argparse.Namespace) -> int:
    from .. import rounds

    board = load(board_path(args.board))
    data = rounds.status(board, _now())
    if args.json:
        say(dump_json(data), lines=True)
        return 0
    for line in status_lines(board, data):
        say(line)
    return 0


# --- what status says aloud --------------------------------------------------------


def _name(board: Board, key: str) -> str:
    member = board.members.get(key)
    return member.name if member is not None else key


def _result_lines(board: Board, counted: list[tuple[str, int]]) -> list[str]:
    lines = []
    for cid, dots in counted:
        card = board.cards.get(cid)
        title = card.title if card is not None else _("(card deleted)")
        lines.append(f"  {dots:>3}  {cid}  {title}")
    return lines or ["  " + _("no card got a dot")]


def status_lines(board: Board, data: dict[str, Any]) -> list[str]:
    """`round status` as a few lines a facilitator reads aloud. In an anonymous round
    only totals: never who gave how many (the file still holds it)."""
    lines: list[str] = []
    if not data["open"]:
        lines.append(_("No vote round is open."))
    else:
        head = ngettext(
            "Vote round {id} on {stage}: {dots} dot each",
            "Vote round {id} on {stage}: {dots} dots each",
            data["dots"],
        ).format(id=data["id"], stage=stage_label(Stage(data["stage"])), dots=data["dots"])
        if data["anonymous"]:
            head += _(", anonymous")
        if data["until"]:
            until = datetime.fromisoformat(data["until"])
            head += (_(", ended at {time}") if data["ended"] else _(", until {time}")).format(
                time=_clock(until)
            )
        lines.append(head)
        lines.append(
            _("Opened by {who} at {time}").format(
                who=_name(board, data["by"]), time=_clock(datetime.fromisoformat(data["opened"]))
            )
        )
        lines.append(
            ngettext(
                "{n} dot left in the room",
                "{n} dots left in the room",
                data["dots_left_in_room"],
            ).format(n=data["dots_left_in_room"])
        )
        waiting = [_name(board, key) for key in data["not_voted"]]
        lines.append(
            _("Not voted yet: {names}").format(names=", ".join(waiting))
            if waiting
            else _("Everyone has voted")
        )
        if not data["anonymous"] and data["used"]:
            used = ", ".join(f"{_name(board, k)} {n}" for k, n in data["used"].items())
            lines.append(_("Dots given: {used}").format(used=used))
        lines.append(_("Tally:"))
        lines += _result_lines(board, [(c["id"], c["dots"]) for c in data["tally"] if c["dots"]])
    last = data["last_result"]
    if last is not None:
        lines.append(
            _("Last round {id} on {stage}, closed at {time}:").format(
                id=last["id"],
                stage=stage_label(Stage(last["stage"])),
                time=_clock(datetime.fromisoformat(last["closed"])),
            )
        )
        lines += _result_lines(board, [(c["id"], c["dots"]) for c in last["result"]])
    return lines


def register(command: AddCommand) -> None:
    """Add the sprint commands to the parser."""
    p = command("round", _usage, _("run a dot-vote round: start, status, close"))

    s = p.add_action(
        "start",
        cmd_round_start,
        _("open a dot-vote round (facilitators); the voted stage's dots go back in hand"),
    )
    s.add_argument("board", metavar="BOARD")
    s.add_argument(
        "--dots", type=int, default=3, metavar="N", help=_("dots per member, 1 to 99 (default 3)")
    )
    s.add_argument(
        "--stage",
        type=a_stage,
        default=Stage.IDEA,
        metavar="STAGE",
        help=_("the stage voted on (default idea)"),
    )
    s.add_argument(
        "--anonymous",
        action="store_true",
        help=_(
            "the app and status show only totals; the board file still holds who gave "
            "which dots (it is a shared text file)"
        ),
    )
    s.add_argument(
        "--until",
        type=a_time,
        metavar="TIME",
        help=_("no votes after this time: HH:MM today (local time) or an ISO time"),
    )

    s = p.add_action("status", cmd_round_status, _("the open round and the last result"))
    s.add_argument("board", metavar="BOARD")
    s.add_argument("--json", action="store_true")

    s = p.add_action(
        "close",
        cmd_round_close,
        _("close the open round (facilitators): record the result, order the stage by dots"),
    )
    s.add_argument("board", metavar="BOARD")


def _usage(args: argparse.Namespace) -> int:  # argparse requires an action: never runs
    raise UserError(_("give an action: start, status or close"))

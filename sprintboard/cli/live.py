"""The live commands: the shared timer (`timer start|pause|resume|extend|stop|status`) and
`present`.

Both change the sprint's live state (`live_state`: files in the board's git-ignored sidecar
folder, not the board), so only a facilitator may (`facilitation`); `timer status` is
anyone's. `timer` takes its action as a word and parses the rest per action, so that
`sprintboard timer start --help` shows that action's usage (the parser declares one
command per name: the actions are a second level it does not have).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from ..i18n import _
from ..safe_text import visible
from .common import AddCommand, UserError, board_path, card_id, load, whoami
from .output import dump_json, fail, iso, say

if TYPE_CHECKING:
    from ..facilitation import Duty, Facilitated
    from ..live_state import Timer

ACTIONS = ("start", "pause", "resume", "extend", "stop", "status")


def _summaries() -> dict[str, str]:
    return {
        "start": _("start the shared timer: DURATION like 10m, 90s or 1h30m"),
        "pause": _("pause the running timer"),
        "resume": _("resume the paused timer"),
        "extend": _("add DURATION to the timer"),
        "stop": _("stop the timer (everyone's countdown ends)"),
        "status": _("show the timer: label, state, remaining seconds, end time"),
    }


class _ActionParser(argparse.ArgumentParser):
    """One action's parser, its errors terminal-safe as the main parser's (`parser.Parser`,
    which this module cannot import: the parser imports the families)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {visible(message)}\n")


def _action_parser(action: str) -> argparse.ArgumentParser:
    p = _ActionParser(prog=f"sprintboard timer {action}", description=_summaries()[action])
    p.add_argument("board", metavar="BOARD")
    if action in ("start", "extend"):
        p.add_argument("duration", metavar="DURATION", help=_("10m, 90s, 1h30m"))
    if action == "start":
        p.add_argument("--label", metavar="TEXT", default="", help=_("what the timebox is for"))
    if action == "status":
        p.add_argument("--json", action="store_true", help=_("print JSON"))
    acting = _("who acts: a member's key or name")
    p.add_argument("--as", dest="actor", metavar="NAME", default=argparse.SUPPRESS, help=acting)
    return p


def _facilitated(path: Path) -> Facilitated:
    """The board as the facilitator check reads it: its outline (fast: the timer is live,
    and a start is measured to every app), else the validated board."""
    from .. import outline
    from ..storage.files import read_bytes

    try:
        face = outline.read(read_bytes(path).decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        face = None
    return face if face is not None else load(path)


def _duty(name: str) -> Duty:
    from ..facilitation import Duty

    return Duty(name)


def _check(board: Facilitated, actor: str, duty: Duty) -> None:
    from ..facilitation import refusal

    refused = refusal(board, actor, duty)
    if refused is not None:
        raise UserError(refused)


def _duration(path: Path, text: str) -> int:
    from ..live_state import DurationError, parse_duration

    try:
        return parse_duration(text)
    except DurationError as error:
        raise UserError(f"{path}: {error}") from None


def _current(path: Path, now: float) -> Timer | None:
    """The board's timer; a file that is ignored is said on stderr and is no timer."""
    from ..live_state import read_timer

    reading = read_timer(path, now)
    if reading.problem is not None:
        fail(reading.problem)
    return reading.value


def cmd_timer(args: argparse.Namespace) -> int:
    from .. import live_state

    parsed = _action_parser(args.action).parse_args(args.rest)
    path = board_path(parsed.board)
    now = time.time()
    if args.action == "status":
        _facilitated(path)  # the board must be there, as for every command
        return _status(path, _current(path, now), now, parsed.json)
    actor = whoami(getattr(parsed, "actor", None) or args.actor)
    _check(_facilitated(path), actor, _duty("timer"))
    seconds = _duration(path, parsed.duration) if args.action in ("start", "extend") else 0
    label = parsed.label if args.action == "start" else ""
    try:
        change = live_state.change_timer(
            path, args.action, actor, now, label=label, seconds=seconds
        )
    except live_state.LiveError as error:
        raise UserError(f"{path}: {error}") from None
    if change.problem is not None:
        fail(change.problem)
    if change.lost_to is not None:
        text = _("{path}: another timer was started at the same moment: {label} by {by}")
        fail(text.format(path=path, label=change.lost_to.label, by=change.lost_to.by))
    return 0


def timer_json(timer: Timer | None, now: float) -> dict[str, Any]:
    """`timer status --json` (README, "JSON output")."""
    if timer is None:
        return {"state": "none", "label": None, "remaining": 0, "ends": None, "by": None}
    import math

    state = timer.status(now)
    ends = timer.ends if state != "paused" else None
    return {
        "state": state,
        "label": timer.label,
        "remaining": math.ceil(timer.remaining(now)),
        "duration": round(timer.duration),
        "ends": iso(_moment(ends)) if ends is not None else None,
        "by": timer.by,
    }


def _moment(seconds: float) -> Any:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(round(seconds), UTC)


def _status(path: Path, timer: Timer | None, now: float, as_json: bool) -> int:
    from ..live_state import clock_text

    if as_json:
        say(dump_json(timer_json(timer, now)), lines=True)
        return 0
    if timer is None:
        say(_("no timer"))
        return 0
    state = timer.status(now)
    words = {
        "running": _("running"),
        "paused": _("paused"),
        "done": _("time is up"),
    }
    label = timer.label or _("Timer")
    say(
        _("{label}: {clock} left, {state}").format(
            label=label, clock=clock_text(timer.remaining(now)), state=words[state]
        )
    )
    return 0


def cmd_present(args: argparse.Namespace) -> int:
    from .. import live_state

    path = board_path(args.board)
    actor = whoami(args.actor)
    board = load(path)
    _check(board, actor, _duty("present"))
    if args.stop:
        live_state.clear_presenting(path)
        return 0
    if args.id is None:
        raise UserError(_("{path}: give a card ID to present, or --stop").format(path=path))
    cid = card_id(path, board, args.id)
    if board.cards[cid].archived:
        raise UserError(
            _("{path}: card {id} is archived; restore it to present it").format(path=path, id=cid)
        )
    live_state.write_presenting(path, live_state.Presenting(cid, actor, time.time()))
    return 0


def register(command: AddCommand) -> None:
    """Add the timer and present commands to the parser."""
    p = command(
        "timer", cmd_timer, _("the shared timer: start, pause, resume, extend, stop, status")
    )
    p.add_argument("action", choices=ACTIONS, metavar="ACTION", help=", ".join(ACTIONS))
    p.add_argument("rest", nargs=argparse.REMAINDER, help=_("BOARD and the action's arguments"))

    p = command("present", cmd_present, _("show a card to everyone who has the board open"))
    p.add_argument("board", metavar="BOARD")
    p.add_argument("id", metavar="ID", nargs="?")
    p.add_argument("--stop", action="store_true", help=_("stop presenting"))

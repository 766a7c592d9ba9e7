"""What every command family shares: which board, who acts, card ids, one change.

Also the argument types of the parser (`a_date`, `a_limit`) and the shape of a
family's `register` (`AddCommand`). A mistake the user can fix is a `UserError`:
`main` prints its message as it is, exit 1.

Light to import: the parser is built from this module before any command runs, so the
board's model, storage, the operations and pydantic are imported by the functions that
use them (`open` starts the app without them; README, "Performance").
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..i18n import _
from .output import fail

if TYPE_CHECKING:
    from .. import ops
    from ..model import Board

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
BOARDS = Path("boards")

Handler = Callable[[argparse.Namespace], int]
"""A command: the parsed arguments in, the exit code out."""


class Arguments(Protocol):
    """Where a family declares a command's arguments: what it may call of argparse's
    parser (the parser records the calls and makes the real one only for the command
    that runs, see `parser.build_parser`)."""

    def add_argument(self, *names: str, **options: Any) -> object: ...

    def add_mutually_exclusive_group(self, *, required: bool = False) -> Arguments: ...

    def add_action(self, name: str, func: Handler, summary: str) -> Arguments: ...


AddCommand = Callable[[str, Handler, str], Arguments]
"""What a family's `register` is given: `command(name, handler, summary)` adds a
command (with `--help` and `--as`) and returns where to declare its arguments."""


class UserError(Exception):
    """A mistake the user can fix; the message is printed as it is."""


def need_ssh_extra(command: str) -> None:
    """Import the SSH entry (and so asyncssh, the ``ssh`` extra), or say in one line how
    to install it: `command` needs it."""
    try:
        import sprintboard.ssh.server  # noqa: F401  # only sprintboard.ssh imports asyncssh
    except ImportError as error:
        if (error.name or "").partition(".")[0] != "asyncssh":
            raise
        raise UserError(
            _("sprintboard {command} needs the ssh extra: pip install 'sprintboard[ssh]'").format(
                command=command
            )
        ) from None


def need_web_extra(command: str) -> None:
    """Import the browser entry (and so aiohttp and textual-serve, the ``web`` extra), or
    say in one line how to install it: `command` needs it."""
    try:
        import sprintboard.web.server  # noqa: F401  # only sprintboard.web imports aiohttp
    except ImportError as error:
        if (error.name or "").partition(".")[0] not in ("aiohttp", "textual_serve"):
            raise
        raise UserError(
            _("sprintboard {command} needs the web extra: pip install 'sprintboard[web]'").format(
                command=command
            )
        ) from None


# --- who acts, which board ---------------------------------------------------------


def whoami(explicit: str | None) -> str:
    """Who acts: --as, else SPRINTBOARD_USER, else git's user.name, else the login name."""
    from .. import identity

    try:
        return identity.whoami(explicit, os.environ)
    except identity.IdentityError as error:
        raise UserError(_("sprintboard: {error}").format(error=error)) from None


def board_path(argument: str) -> Path:
    """A board argument: a path when it ends in .toml, else a name in ./boards."""
    if argument.endswith(".toml"):
        return Path(argument)
    if not NAME.match(argument):
        raise UserError(
            _(
                "'{argument}' is not a board name (letters, digits, '-' and '_'); "
                "to use a file elsewhere, give its path ending in .toml"
            ).format(argument=argument)
        )
    return BOARDS / f"{argument}.toml"


def load(path: Path) -> Board:
    from .. import storage

    return storage.load(path).board


def card_id(path: Path, board: Board, prefix: str) -> str:
    try:
        return board.resolve_id(prefix)
    except LookupError as error:
        raise UserError(f"{path}: {error}") from None


def change(
    args: argparse.Namespace, make: Callable[[Board, Path], ops.Op], actor: str | None = None
) -> Board:
    """Apply the operation `make` builds to the board named in `args`; when `actor` acts and
    is not a member of the board, say so (once) on stderr, with how to join."""
    from .. import identity, ops
    from ..session import commit

    path = board_path(args.board)
    try:
        new, _undo = commit(path, lambda board: make(board, path))
    except ops.OpError as error:
        raise UserError(f"{path}: {error}") from None
    note = identity.not_member(new, actor, args.board) if actor is not None else None
    if note:
        fail(f"{path}: {note}")
    return new


# --- the reports' clock --------------------------------------------------------------


def now_for_reports() -> tuple[datetime, tzinfo]:
    """The moment a report or a figure is made at, and the zone its days are counted in.

    The moment is `$SPRINTBOARD_NOW` (an ISO time with its offset or Z, so that a report
    can be made again exactly: the golden files are), else now. Days are the machine's
    calendar days: `$TZ` when it names a zone, else the system's zone.
    """
    given = os.environ.get("SPRINTBOARD_NOW")
    if given is None:
        now = datetime.now(UTC)
    else:
        try:
            moment: datetime | None = datetime.fromisoformat(given.strip())
            if moment is not None and moment.tzinfo is not None:
                moment = moment.astimezone(UTC)
        except (ValueError, OverflowError):
            moment = None
        if moment is None or moment.tzinfo is None:
            raise UserError(
                _(
                    "sprintboard: SPRINTBOARD_NOW='{given}' is not a time with its offset, "
                    "like 2026-12-01T12:00:00Z"
                ).format(given=given)
            )
        now = moment
    return now, local_zone()


def local_zone() -> tzinfo:
    """The machine's time zone, with its summer time (a fixed offset would count the days
    after a change of clocks an hour off): `$TZ`'s zone, the system's, else today's offset."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = os.environ.get("TZ", "").removeprefix(":")
    try:
        if name:
            return ZoneInfo(name)
        with open("/etc/localtime", "rb") as system:
            return ZoneInfo.from_file(system)
    except (OSError, ValueError, ZoneInfoNotFoundError):
        # a POSIX rule such as TZ=CET-1 or no zone file: the offset in force now
        zone = datetime.now().astimezone().tzinfo
        return zone if zone is not None else UTC


# --- argument types ----------------------------------------------------------------


def a_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a date like 2026-12-01").format(text=text)
        ) from None


def a_limit(text: str) -> tuple[str, int]:
    from ..vocabulary import Stage

    stage, _sep, number = text.partition("=")
    # stage ids, as the argument takes them (not their translated names)
    stages = ", ".join(s.value for s in Stage)
    if stage.strip() not in {s.value for s in Stage} or not number.strip().isdigit():
        raise argparse.ArgumentTypeError(
            _(
                "'{text}' is not STAGE=N (a stage of {stages} and a whole number, e.g. test=3)"
            ).format(text=text, stages=stages)
        )
    return stage.strip(), int(number)

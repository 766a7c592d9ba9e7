"""The entries for people without a shell account: serve-ssh (the built-in SSH server).

`serve-ssh` serves the boards of one folder to invited guests (`sprintboard.ssh`) until
Ctrl-C or SIGTERM, then ends every guest's app and exits 0. asyncssh is an extra: it is
imported by the command when it runs, never by the parser (README, "The SSH entry").
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n import _, ngettext
from .common import AddCommand, UserError, need_ssh_extra
from .output import say

if TYPE_CHECKING:
    from ..guests.limits import Limits

DEFAULT_PORT = 2222
"""The port `serve-ssh` and the invitations (`invite`) assume."""
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
"""What stops the server cleanly: Ctrl-C, a service manager, the terminal closing."""


def register(command: AddCommand) -> None:
    """Add the serving commands to the parser."""
    p = command(
        "serve-ssh",
        cmd_serve_ssh,
        _("serve the boards of a folder to invited guests over SSH (no shell accounts)"),
    )
    p.add_argument(
        "boards",
        metavar="BOARDS_DIR",
        nargs="?",
        default="boards",
        help=_("the folder of the boards to serve (default: ./boards)"),
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help=_("the address to listen on (default: 127.0.0.1, this machine only)"),
    )
    p.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=_("the port (default: 2222; 0: any free port)"),
    )
    p.add_argument(
        "--max-sessions",
        type=int,
        default=32,
        metavar="N",
        help=_("guests at once at most (default: 32)"),
    )
    p.add_argument(
        "--idle",
        default="30m",
        metavar="DURATION",
        help=_("end a session after this long without a key from its guest (default: 30m)"),
    )
    p.add_argument(
        "--max-time",
        default="8h",
        metavar="DURATION",
        help=_("end a session this long after it started (default: 8h)"),
    )
    p.add_argument(
        "--login-timeout",
        default="60s",
        metavar="DURATION",
        help=_("close a connection that has not logged in after this long (default: 60s)"),
    )


def _seconds(option: str, text: str) -> float:
    from ..live_state import DurationError, parse_duration

    try:
        return float(parse_duration(text))
    except DurationError as error:
        raise UserError(
            _("sprintboard serve-ssh: {option}: {error}").format(option=option, error=error)
        ) from None


def _limits(args: argparse.Namespace) -> Limits:
    from ..guests.limits import Limits

    if args.max_sessions < 1:
        raise UserError(_("sprintboard serve-ssh: --max-sessions must be at least 1"))
    if not 0 <= args.port <= 65535:
        raise UserError(_("sprintboard serve-ssh: --port must be 0 to 65535"))
    return Limits(
        max_sessions=args.max_sessions,
        idle=_seconds("--idle", args.idle),
        max_time=_seconds("--max-time", args.max_time),
        login=_seconds("--login-timeout", args.login_timeout),
    )


def _local_only(host: str) -> bool:
    """Whether `host` is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _log(line: str) -> None:
    """One line of the server's log on stderr, with the moment (UTC) it happened."""
    moment = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    say(f"{moment} {line}", err=True)


def cmd_serve_ssh(args: argparse.Namespace) -> int:
    need_ssh_extra("serve-ssh")
    from ..state import StateError, private_dir

    boards = Path(args.boards)
    if not boards.is_dir():
        raise UserError(
            _("{path}: no such folder of boards (give BOARDS_DIR, default ./boards)").format(
                path=boards
            )
        )
    limits = _limits(args)
    try:
        state = private_dir(os.environ)
        return asyncio.run(_serve(args, boards, state, limits))
    except StateError as error:
        raise UserError(str(error)) from None


async def _serve(args: argparse.Namespace, boards: Path, state: Path, limits: Limits) -> int:
    from ..ssh import server

    try:
        entry = await server.start(
            boards, state_folder=state, log=_log, host=args.host, port=args.port, limits=limits
        )
    except server.EntryError as error:
        raise UserError(_("sprintboard serve-ssh: {error}").format(error=error)) from None
    try:
        # before the address is printed: whoever reads it may stop the server at once
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for number in STOP_SIGNALS:
            loop.add_signal_handler(number, stop.set)
        shown = f"[{args.host}]" if ":" in args.host else args.host
        say(
            _("serving {folder} on ssh://{host}:{port}, host key {fingerprint}").format(
                folder=boards, host=shown, port=entry.port, fingerprint=entry.fingerprint
            )
        )
        if entry.port == DEFAULT_PORT:
            say(_("invite someone: sprintboard invite BOARD NAME"))
        else:  # the invitation's ssh line must say this port
            say(
                _(
                    "invite someone: sprintboard invite BOARD NAME --server HOST:{port} "
                    "(HOST: this machine's name as guests reach it)"
                ).format(port=entry.port)
            )
        say(_("stop with Ctrl-C"))
        if not _local_only(args.host):
            say(
                _(
                    "note: listening on {host}, not only on this machine: guests from the "
                    "network can connect (with an invitation)"
                ).format(host=args.host),
                err=True,
            )
        sys.stdout.flush()  # a pipe or a service's log: the port is read from this line
        await stop.wait()
        count = entry.hub.count
        _log(
            ngettext(
                "stopping: ending {count} session", "stopping: ending {count} sessions", count
            ).format(count=count)
        )
    finally:
        await entry.close()
    _log(_("stopped"))
    return 0

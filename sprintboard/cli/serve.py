"""The entries for people without a shell account: serve-ssh (the built-in SSH server)
and serve-web (the board in a browser, behind a link).

Each serves the boards of one folder to invited guests (`sprintboard.ssh`,
`sprintboard.web`) until Ctrl-C or SIGTERM, then ends every guest's app and exits 0;
both take the same session limits. asyncssh and aiohttp are extras: imported by the
command when it runs, never by the parser (README, "The SSH entry", "The browser entry").
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import os
import signal
import sys
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..i18n import _, ngettext
from .common import AddCommand, Arguments, UserError, need_ssh_extra, need_web_extra
from .invitation_text import a_web_url
from .output import say

if TYPE_CHECKING:
    from ..guests.limits import Limits

DEFAULT_PORT = 2222
"""The port `serve-ssh` and the invitations (`invite`) assume."""
WEB_PORT = 8000
"""The port `serve-web` and the links (`invite --web`) assume."""
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
"""What stops the server cleanly: Ctrl-C, a service manager, the terminal closing."""


def register(command: AddCommand) -> None:
    """Add the serving commands to the parser."""
    p = command(
        "serve-ssh",
        cmd_serve_ssh,
        _("serve the boards of a folder to invited guests over SSH (no shell accounts)"),
    )
    _place_options(p, DEFAULT_PORT, _("the port (default: 2222; 0: any free port)"))
    _limit_options(p)
    p.add_argument(
        "--login-timeout",
        default="60s",
        metavar="DURATION",
        help=_("close a connection that has not logged in after this long (default: 60s)"),
    )
    p = command(
        "serve-web",
        cmd_serve_web,
        _("serve the boards of a folder to invited guests in their browsers (a link each)"),
    )
    _place_options(p, WEB_PORT, _("the port (default: 8000; 0: any free port)"))
    p.add_argument(
        "--public-url",
        type=a_web_url,
        metavar="URL",
        help=_(
            "the address guests open, when a proxy stands in front "
            "(https://board.example.org); default: http://HOST:PORT"
        ),
    )
    _limit_options(p)


def _place_options(p: Arguments, port: int, port_help: str) -> None:
    """BOARDS_DIR, --host and --port, as both servers take them."""
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
    p.add_argument("--port", type=int, default=port, help=port_help)


def _limit_options(p: Arguments) -> None:
    """The limits of a guest's session, the same for both servers (`guests.limits`)."""
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


def _seconds(command: str, option: str, text: str) -> float:
    from ..live_state import DurationError, parse_duration

    try:
        return float(parse_duration(text))
    except DurationError as error:
        raise UserError(
            _("sprintboard {command}: {option}: {error}").format(
                command=command, option=option, error=error
            )
        ) from None


def _limits(command: str, args: argparse.Namespace) -> Limits:
    from ..guests.limits import Limits

    if args.max_sessions < 1:
        raise UserError(
            _("sprintboard {command}: --max-sessions must be at least 1").format(command=command)
        )
    if not 0 <= args.port <= 65535:
        raise UserError(
            _("sprintboard {command}: --port must be 0 to 65535").format(command=command)
        )
    login = getattr(args, "login_timeout", None)
    return Limits(
        max_sessions=args.max_sessions,
        idle=_seconds(command, "--idle", args.idle),
        max_time=_seconds(command, "--max-time", args.max_time),
        **({"login": _seconds(command, "--login-timeout", login)} if login is not None else {}),
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
    return _run("serve-ssh", args, _serve)


def cmd_serve_web(args: argparse.Namespace) -> int:
    need_web_extra("serve-web")
    return _run("serve-web", args, _serve_web)


def _run(
    command: str,
    args: argparse.Namespace,
    serve: Callable[[argparse.Namespace, Path, Path, Limits], Coroutine[Any, Any, int]],
) -> int:
    """Check the folder and the limits, then `serve` until a stop signal."""
    from ..state import StateError, private_dir

    boards = Path(args.boards)
    if not boards.is_dir():
        raise UserError(
            _("{path}: no such folder of boards (give BOARDS_DIR, default ./boards)").format(
                path=boards
            )
        )
    limits = _limits(command, args)
    try:
        state = private_dir(os.environ)
        return asyncio.run(serve(args, boards, state, limits))
    except StateError as error:
        raise UserError(str(error)) from None


class _Running(Protocol):
    """What either server's `start` returns, as far as stopping it goes."""

    @property
    def hub(self) -> _Counted: ...

    async def close(self) -> None: ...


class _Counted(Protocol):
    @property
    def count(self) -> int: ...


async def _until_stopped(entry: _Running, announce: Callable[[], None]) -> int:
    """`announce` the server, wait for Ctrl-C or SIGTERM, then end every guest's app."""
    try:
        # before the address is printed: whoever reads it may stop the server at once
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for number in STOP_SIGNALS:
            loop.add_signal_handler(number, stop.set)
        announce()
        say(_("stop with Ctrl-C"))
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


def _warn_network(host: str) -> None:
    if not _local_only(host):
        say(
            _(
                "note: listening on {host}, not only on this machine: guests from the "
                "network can connect (with an invitation)"
            ).format(host=host),
            err=True,
        )


def _shown(host: str) -> str:
    return f"[{host}]" if ":" in host else host


async def _serve(args: argparse.Namespace, boards: Path, state: Path, limits: Limits) -> int:
    from ..ssh import server

    try:
        entry = await server.start(
            boards, state_folder=state, log=_log, host=args.host, port=args.port, limits=limits
        )
    except server.EntryError as error:
        raise UserError(_("sprintboard serve-ssh: {error}").format(error=error)) from None

    def announce() -> None:
        say(
            _("serving {folder} on ssh://{host}:{port}, host key {fingerprint}").format(
                folder=boards,
                host=_shown(args.host),
                port=entry.port,
                fingerprint=entry.fingerprint,
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
        _warn_network(args.host)

    return await _until_stopped(entry, announce)


async def _serve_web(args: argparse.Namespace, boards: Path, state: Path, limits: Limits) -> int:
    from ..web import server

    try:
        entry = await server.start(
            boards,
            state_folder=state,
            log=_log,
            host=args.host,
            port=args.port,
            public_url=args.public_url,
            limits=limits,
        )
    except server.EntryError as error:
        raise UserError(_("sprintboard serve-web: {error}").format(error=error)) from None

    def announce() -> None:
        say(
            _("serving {folder} on http://{host}:{port}").format(
                folder=boards, host=_shown(args.host), port=entry.port
            )
        )
        if entry.public_url is not None:
            say(_("guests open {url}").format(url=entry.public_url))
            say(
                _("invite someone: sprintboard invite BOARD NAME --web --url {url}").format(
                    url=entry.public_url
                )
            )
        elif entry.port == WEB_PORT:
            say(_("invite someone: sprintboard invite BOARD NAME --web"))
        else:  # the link must say this port
            say(
                _(
                    "invite someone: sprintboard invite BOARD NAME --web --url "
                    "http://HOST:{port} (HOST: this machine's name as guests reach it)"
                ).format(port=entry.port)
            )
        _warn_network(args.host)

    return await _until_stopped(entry, announce)

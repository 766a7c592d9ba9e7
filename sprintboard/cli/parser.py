"""The parser: the options every command shares, and the commands of each family.

A family module (`cards`, `boards`, `git`) has `register(command)`, which adds its
commands and their arguments; `FAMILIES` lists them, in the order `--help` shows them.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from .. import __version__
from ..i18n import _
from ..safe_text import visible
from . import boards, cards, git
from .common import Handler

FAMILIES = (boards, cards, git)
"""Every command family; a new one is a module with `register` and a line here."""


class Parser(argparse.ArgumentParser):
    """argparse, with its error messages (which quote the arguments) made terminal-safe."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {visible(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="sprintboard",
        description=_(
            "A terminal sprint board for co-creation sprints. "
            "BOARD is a name in ./boards (e.g. family-culture) or a path ending in .toml."
        ),
    )
    parser.add_argument("--version", action="version", version=f"sprintboard {__version__}")
    acting = _(
        "who acts: a member's key or name (default: $SPRINTBOARD_USER, git's user.name, "
        "the login name)"
    )
    parser.add_argument("--as", dest="actor", metavar="NAME", help=acting)
    # --as also after the command (`vote BOARD ID --as anna`); SUPPRESS keeps one given
    # before the command when none is given after it
    after = Parser(add_help=False)
    after.add_argument("--as", dest="actor", metavar="NAME", default=argparse.SUPPRESS, help=acting)
    # `sprintboard` alone opens the app on ./boards
    parser.set_defaults(func=boards.cmd_open, board=None)
    sub = parser.add_subparsers(title=_("commands"), metavar="COMMAND")

    def command(name: str, func: Handler, summary: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=summary, description=summary, parents=[after])
        p.set_defaults(func=func)
        return p

    for family in FAMILIES:
        family.register(command)
    return parser

"""The parser: the options every command shares, and the commands of each family.

A family module (`cards`, `boards`, `git`) has `register(command)`, which adds its
commands and declares their arguments; `FAMILIES` lists them, in the order `--help`
shows them. A command's arguments are recorded as the family declares them and given
to argparse only for the command that runs: making the parsers of all 19 commands
(argparse looks up its own translations for each) took more time than `list` itself.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from .. import __version__
from ..i18n import N_, _, language, ngettext
from ..safe_text import visible
from . import boards, cards, export, git, invite, live, serve, sprint, stats
from .common import Arguments, Handler

# argparse's own words ("usage: ", "options", "show this help message and exit", its
# errors) are looked up in the language in force, as every other text is
argparse._ = _  # type: ignore[attr-defined]
argparse.ngettext = ngettext  # type: ignore[attr-defined]

ARGPARSE_WORDS = (
    N_("usage: "),
    N_("argument %(argument_name)s: %(message)s"),
    N_(".__call__() not defined"),
    N_("conflicting subparser: %s"),
    N_("conflicting subparser alias: %s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_('argument "-" with mode %r'),
    N_("can't open '%(filename)s': %(error)s"),
    N_("cannot merge actions - two groups are named %r"),
    N_("'required' is an invalid argument for positionals"),
    N_("invalid option string %(option)r: must start with a character %(prefix_chars)r"),
    N_("dest= is required for options like %r"),
    N_("invalid conflict_resolution value: %r"),
    ngettext("conflicting option string: %s", "conflicting option strings: %s", 1),
    N_("mutually exclusive arguments must be optional"),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("cannot have multiple subparser arguments"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    ngettext("expected %s argument", "expected %s arguments", 1),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("%r is not callable"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("%(prog)s: error: %(message)s\n"),
)
"""Every text argparse translates (`_`, `ngettext`), marked here so the catalogue has
them: a test reads the running Python's argparse and fails on one missing."""

FAMILIES = (boards, cards, sprint, live, stats, export, invite, serve, git)
"""Every command family; a new one is a module with `register` and a line here."""


def _columns() -> int:
    """The terminal's width as `shutil.get_terminal_size` finds it: $COLUMNS, else the
    width of the terminal of stdout, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        stream = sys.__stdout__
        try:
            columns = os.get_terminal_size(stream.fileno()).columns if stream else 0
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, with the terminal's width found as argparse finds it but
    without importing `shutil` (and its compression modules: 6-10 ms at every start here),
    since argparse makes a formatter for every argument it is given."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        super().__init__(
            prog, indent_increment, max_help_position, _columns() - 2 if width is None else width
        )


class Parser(argparse.ArgumentParser):
    """argparse, with its error messages (which quote the arguments) made terminal-safe."""

    def __init__(self, *args: Any, **options: Any) -> None:
        options.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **options)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(
            2, _("{prog}: error: {message}").format(prog=self.prog, message=visible(message)) + "\n"
        )


class _Declared:
    """A command's (or a group's) arguments as its family declared them, given to
    argparse later, in the same order, by `apply`. `parents`: the parsers each action
    of the command (`add_action`) inherits options from (`--as`)."""

    def __init__(self, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
        self._steps: list[Callable[[Any], object]] = []
        self._parents = list(parents)
        self._actions: list[tuple[str, Handler, str, _Declared]] = []

    def add_argument(self, *names: str, **options: Any) -> object:
        self._steps.append(lambda target: target.add_argument(*names, **options))
        return None

    def add_mutually_exclusive_group(self, *, required: bool = False) -> Arguments:
        group = _Declared()
        self._steps.append(
            lambda target: group.apply(target.add_mutually_exclusive_group(required=required))
        )
        return group

    def add_action(self, name: str, func: Handler, summary: str) -> Arguments:
        """An action of this command (`round start`): a word after the command with
        arguments of its own, and its own `--help`."""
        declared = _Declared(self._parents)
        self._actions.append((name, func, summary, declared))
        return declared

    def apply(self, target: Any) -> None:
        for step in self._steps:
            step(target)
        if self._actions:
            actions = target.add_subparsers(title=_("actions"), metavar="ACTION", required=True)
            for name, func, summary, declared in self._actions:
                p = actions.add_parser(
                    name, help=summary, description=summary, parents=self._parents
                )
                p.set_defaults(func=func)
                declared.apply(p)


def _command_named(argv: Sequence[str], names: set[str]) -> str | None:
    """The command `argv` runs, when that is plain to see: the first word that is not an
    option or the value of `--as` or `--lang`. "" when there is none (the app on ./boards);
    None when argparse needs every command (`--help`, a word that is no command, another
    option)."""
    words = iter(argv)
    for word in words:
        if word in ("--as", "--lang"):
            next(words, None)
        elif word.startswith(("--as=", "--lang=")):
            continue
        elif word in names:
            return word
        else:
            return None
    return ""


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser, with every command, or with only the one `argv` runs when given."""
    parser = Parser(
        prog="sprintboard",
        description=_(
            "A terminal sprint board for co-creation sprints. "
            "BOARD is a name in ./boards (e.g. family-culture) or a path ending in .toml."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"sprintboard {__version__}",
        help=_("show the program's version and exit"),
    )
    acting = _(
        "who acts: a member's key or name (default: $SPRINTBOARD_USER, git's user.name, "
        "the login name)"
    )
    parser.add_argument("--as", dest="actor", metavar="NAME", help=acting)
    speaking = _(
        "the language to speak: {languages} (default: $SPRINTBOARD_LANG, else the locale's, "
        "else en)"
    ).format(languages=", ".join(language.available()))
    parser.add_argument("--lang", choices=language.available(), metavar="LANG", help=speaking)
    # --as also after the command (`vote BOARD ID --as anna`); SUPPRESS keeps one given
    # before the command when none is given after it
    after = Parser(add_help=False)
    after.add_argument("--as", dest="actor", metavar="NAME", default=argparse.SUPPRESS, help=acting)
    after.add_argument(
        "--lang",
        choices=language.available(),
        metavar="LANG",
        default=argparse.SUPPRESS,
        help=speaking,
    )
    # `sprintboard` alone opens the app on ./boards
    parser.set_defaults(func=boards.cmd_open, board=None)
    sub = parser.add_subparsers(title=_("commands"), metavar="COMMAND")

    commands: dict[str, tuple[Handler, str, _Declared]] = {}

    def command(name: str, func: Handler, summary: str) -> Arguments:
        declared = _Declared([after])
        commands[name] = (func, summary, declared)
        return declared

    for family in FAMILIES:
        family.register(command)
    wanted = None if argv is None else _command_named(argv, set(commands))
    for name, (func, summary, declared) in commands.items():
        if wanted is None or name == wanted:
            p = sub.add_parser(name, help=summary, description=summary, parents=[after])
            p.set_defaults(func=func)
            declared.apply(p)
    return parser

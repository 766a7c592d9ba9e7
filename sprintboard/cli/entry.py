"""`main`: parse the arguments, run the command, map what went wrong to an exit code."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Sequence
from typing import Any

from ..i18n import _, language
from .common import UserError
from .output import fail
from .parser import build_parser

_BOARD_FILE_ERROR = ("sprintboard.storage.errors", "BoardFileError")
_OP_ERROR = ("sprintboard.ops", "OpError")
"""Where the errors `main` turns into one line are defined. They are looked up, not
imported: the commands import storage and the operations when they run (so that `open`
and `--help` start without pydantic), and an error of a module never loaded cannot
have been raised."""


def _raised(error: BaseException, where: tuple[str, str]) -> bool:
    """Whether `error` is an instance of the class at `where`, if its module is loaded."""
    module = sys.modules.get(where[0])
    kind = getattr(module, where[1], None) if module is not None else None
    return isinstance(kind, type) and isinstance(error, kind)


def main(argv: Sequence[str] | None = None) -> int:
    """The `sprintboard` command: 0 success, 1 a user error (one line on stderr), 2 usage."""
    for stream in (sys.stdout, sys.stderr):
        # a terminal that cannot show a character (say, an emoji) gets an escape, not a traceback
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    if argv is None:
        argv = sys.argv[1:]
    # first: the parser's texts (and the app's keys) are in the language chosen here
    language.settle(argv)
    args = build_parser(argv).parse_args(argv)
    try:
        _check_text(vars(args))
        result: int = args.func(args)
        return result
    except UserError as error:
        fail(error)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`sprintboard list b | head`): stop quietly, no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:
        if _raised(error, _BOARD_FILE_ERROR):
            fail(error)
            return 1
        if _raised(error, _OP_ERROR):
            fail(_("sprintboard: {error}").format(error=error))
            return 1
        raise


def _check_text(values: dict[str, Any]) -> None:
    """Arguments that are not valid UTF-8 (undecodable bytes) are refused, not stored."""
    for value in values.values():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    raise UserError(
                        _("sprintboard: an argument is not valid UTF-8: {text}").format(
                            text=repr(text)
                        )
                    ) from None

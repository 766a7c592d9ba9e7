"""`sprintboard export BOARD --format md|html|csv|json [-o FILE]`: the report, the data.

The formats and their renderers are `report.formats`, imported when the command runs
(the parser imports this module for `register`; README, "Performance"). The clock is
`now_for_reports` ($SPRINTBOARD_NOW), shared with `stats`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..i18n import _
from .common import AddCommand, UserError, board_path, load, now_for_reports
from .output import say

FORMAT_NAMES = ("md", "html", "csv", "json")
"""The formats by name, as `report.formats.FORMATS` has them (a test checks they agree):
listed here so that the parser's choices cost no import of the report."""


def chosen_format(given: str | None, output: str | None) -> str:
    """The format asked for: `--format`, else the one `-o`'s name ends in."""
    if given is not None:
        return given
    names = ", ".join(FORMAT_NAMES)
    if output is None:
        raise UserError(
            _("sprintboard export: say which format with --format ({names})").format(names=names)
        )
    suffix = Path(output).suffix.lower().removeprefix(".")
    if suffix not in FORMAT_NAMES:
        raise UserError(
            _(
                "sprintboard export: {output} does not end in .md, .html, .csv or .json; "
                "say which format with --format ({names})"
            ).format(output=output, names=names)
        )
    return suffix


def cmd_export(args: argparse.Namespace) -> int:
    from ..report import formats

    fmt = chosen_format(args.format, args.output)
    now, zone = now_for_reports()
    path = board_path(args.board)
    board = load(path)
    text = formats.render(fmt, board, now, zone)
    if args.output is None:
        say(text, document=True)
        return 0
    formats.write_export(text, Path(args.output), path)
    return 0


def register(command: AddCommand) -> None:
    """Add `export`."""
    p = command(
        "export",
        cmd_export,
        _("write the sprint report (md, html) or the board's data (csv, json)"),
    )
    p.add_argument("board", metavar="BOARD")
    p.add_argument(
        "--format",
        choices=FORMAT_NAMES,
        help=_(
            "md: the report in Markdown; html: the report as one web page; csv: one row per "
            "card, for a spreadsheet; json: the whole board (default: from -o's name)"
        ),
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=_("write to FILE (replaced whole, never through a link); default: stdout"),
    )

"""The board as a spreadsheet: one CSV row per card (`sprintboard export --format csv`).

Every card, archived ones too (`archived` is true), in board order (stage by stage,
top to bottom), with its id and every field of `fields.FIELDS`, in `COLUMNS`' order.
The header row holds the field names (data keys, not translated).

Made to open as it is in a spreadsheet: UTF-8 with a byte-order mark (so that Excel
reads æ, ø, å), CRLF between rows, fields quoted by the `csv` module where they need
it (a newline, a comma, a quote inside).

Values of several items are joined (README, "Exporting the report"):

- `tags`, `by`: the items, separated by `"; "`; inside an item a `;` or `\\` is
  preceded by a `\\` (`item`), so splitting is never ambiguous.
- `votes`: `key=dots` items, as above (keys hold no `=`, `;` or space).
- `history`: `time stage by` items (the time in UTC with a Z; `by` last, as it may
  hold spaces), as above.
- `conflicts`: a JSON object, field name -> {"ours": …, "theirs": …}; empty when none.
- Times in UTC with a Z; `archived` is `true` or `false`; no decision is empty.

A cell that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`,
a tab or a carriage return) gets a `'` in front — a board comes from anyone who can
push, and a formula can fetch a URL or run a command. So does a cell that starts with
`'`s followed by one of those, so that removing one `'` always gives the text back.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Any

from .. import fields
from ..vocabulary import Stage, in_column
from .board_json import iso

if TYPE_CHECKING:
    from ..model import Board, Card, Conflict, HistoryEntry
    from .content import Report

COLUMNS: tuple[str, ...] = ("id", *fields.FIELDS)
"""The columns, in order: the id, then the fields in the order a person reads them."""

SEPARATOR = "; "
"""Between the items of a value of several (`tags`, `by`, `votes`, `history`)."""

_STARTS = frozenset("=+-@\t\r")
_FORMULA = re.compile(r"'+[=+\-@\t\r]")
_ITEM_ESCAPES = str.maketrans({"\\": "\\\\", ";": "\\;"})


def defused(value: str) -> str:
    """`value`, with a `'` in front when a spreadsheet would read it as a formula."""
    # the first character decides nearly always: the pattern only for a leading "'"
    if value and (value[0] in _STARTS or (value[0] == "'" and _FORMULA.match(value))):
        return "'" + value
    return value


def item(text: str) -> str:
    """One item of a joined value, its `;` and `\\` escaped with a `\\`."""
    return text.translate(_ITEM_ESCAPES)


def _names(value: list[str]) -> str:
    return SEPARATOR.join(item(v) for v in value)


def _votes(value: dict[str, int]) -> str:
    return SEPARATOR.join(f"{key}={dots}" for key, dots in value.items())


def _history(value: list[HistoryEntry]) -> str:
    return SEPARATOR.join(f"{iso(h.at)} {h.stage.value} {item(h.by)}" for h in value)


def _marks(value: dict[str, Conflict]) -> str:
    marks = {n: {"ours": c.ours, "theirs": c.theirs} for n, c in sorted(value.items())}
    return json.dumps(marks, ensure_ascii=False) if marks else ""


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _choice(value: Enum | None) -> str:
    return "" if value is None else str(value.value)


_CELL: dict[fields.Kind, Callable[[Any], str]] = {
    fields.Kind.NAMES: _names,
    fields.Kind.VOTES: _votes,
    fields.Kind.HISTORY: _history,
    fields.Kind.MARKS: _marks,
    fields.Kind.TIME: iso,
    fields.Kind.FLAG: _flag,
    fields.Kind.CHOICE: _choice,
}
"""A field's cell by its kind; text of one line or several, and ranks, as they are."""

_FIELD_CELLS = tuple((name, _CELL.get(spec.kind, str)) for name, spec in fields.FIELDS.items())


def row(cid: str, card: Card) -> list[str]:
    """The cells of one card, in `COLUMNS`' order."""
    values = card.__dict__  # the fields as they are (pydantic's own storage, read only)
    return [cid, *(defused(cell(values[name])) for name, cell in _FIELD_CELLS)]


def render(report: Report) -> str:
    """Every card of the board of `report` as CSV text, its byte-order mark first."""
    return render_board(report.board)


def render_board(board: Board) -> str:
    """Every card of `board` as CSV text, its byte-order mark first."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    cards = board.cards
    writer.writerows(
        row(cid, card) for stage in Stage for cid, card in in_column(cards, stage, archived=True)
    )
    return out.getvalue()

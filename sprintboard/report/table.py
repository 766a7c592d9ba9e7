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
from datetime import datetime
from typing import TYPE_CHECKING

from .. import fields
from ..storage import zulu
from ..vocabulary import Stage, in_column

if TYPE_CHECKING:
    from ..model import Card
    from .content import Report

COLUMNS: tuple[str, ...] = ("id", *fields.FIELDS)
"""The columns, in order: the id, then the fields in the order a person reads them."""

SEPARATOR = "; "
"""Between the items of a value of several (`tags`, `by`, `votes`, `history`)."""

_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_ITEM_ESCAPES = str.maketrans({"\\": "\\\\", ";": "\\;"})


def defused(value: str) -> str:
    """`value`, with a `'` in front when a spreadsheet would read it as a formula."""
    return "'" + value if _FORMULA.match(value) else value


def item(text: str) -> str:
    """One item of a joined value, its `;` and `\\` escaped with a `\\`."""
    return text.translate(_ITEM_ESCAPES)


def _time(moment: datetime) -> str:
    return str(zulu(moment))


def row(cid: str, card: Card) -> list[str]:
    """The cells of one card, in `COLUMNS`' order."""
    values: dict[str, str] = {"id": cid}
    for name, spec in fields.FIELDS.items():
        value = getattr(card, name)
        kind = spec.kind
        if kind is fields.Kind.NAMES:
            text = SEPARATOR.join(item(v) for v in value)
        elif kind is fields.Kind.VOTES:
            text = SEPARATOR.join(f"{key}={dots}" for key, dots in value.items())
        elif kind is fields.Kind.HISTORY:
            text = SEPARATOR.join(f"{_time(h.at)} {h.stage.value} {item(h.by)}" for h in value)
        elif kind is fields.Kind.MARKS:
            marks = {n: {"ours": c.ours, "theirs": c.theirs} for n, c in sorted(value.items())}
            text = json.dumps(marks, ensure_ascii=False) if marks else ""
        elif kind is fields.Kind.TIME:
            text = _time(value)
        elif kind is fields.Kind.FLAG:
            text = "true" if value else "false"
        elif kind is fields.Kind.CHOICE:
            text = "" if value is None else str(value.value)
        else:  # LINE, TEXT, RANK: text as it is
            text = str(value)
        values[name] = defused(text)
    return [values[column] for column in COLUMNS]


def render(report: Report) -> str:
    """Every card of the board of `report` as CSV text, its byte-order mark first."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    cards = report.board.cards
    writer.writerows(
        row(cid, card) for stage in Stage for cid, card in in_column(cards, stage, archived=True)
    )
    return out.getvalue()

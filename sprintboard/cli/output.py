"""Everything the command prints: the one safe way to the terminal, and the renderings.

`say` is the only writer (a test checks that nothing else in the package prints):
everything shown holds text from boards, file names or arguments, so it is made
terminal-safe there. The JSON objects here are the stable contract of `--json`
(README, "JSON output"). `main` imports this module before any command runs, so the
model and storage are imported only by the renderings that need them.
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .. import fields
from ..fields import FieldName
from ..i18n import _, ngettext
from ..labels import decision_label, field_label, side_label, stage_label
from ..safe_text import json_text, visible
from ..vocabulary import Side

if TYPE_CHECKING:
    from ..model import Board, Card
    from ..vocabulary import Stage


def say(text: object, *, err: bool = False, lines: bool = False, document: bool = False) -> None:
    """Print a message: the one way the command writes to the terminal.

    Everything printed holds text from boards, file names or arguments, so it is
    made terminal-safe here (`safe_text.visible`): one line unless `lines`. `err`
    writes to stderr. A `document` (an export) goes out as it is, byte for byte in
    UTF-8, when stdout is a file or a pipe, so that `> file` gets what `-o file` does;
    on a terminal it is shown as text of several lines, safely.
    """
    if document and not sys.stdout.isatty():
        sys.stdout.flush()
        sys.stdout.buffer.write(str(text).encode("utf-8"))
        sys.stdout.buffer.flush()
        return
    if document:
        # a spreadsheet's CRLF rows and byte-order mark mean nothing to a terminal
        text = str(text).removeprefix("\ufeff").replace("\r\n", "\n").removesuffix("\n")
        lines = True
    print(visible(str(text), lines=lines), file=sys.stderr if err else sys.stdout)


def fail(text: object) -> None:
    """Say what went wrong, on stderr, in one line."""
    say(text, err=True)


def dump_json(value: Any) -> str:
    """JSON text, in ASCII escapes when stdout cannot carry UTF-8: exact on any terminal."""
    try:
        utf8 = codecs.lookup(getattr(sys.stdout, "encoding", None) or "utf-8").name == "utf-8"
    except LookupError:
        utf8 = False
    return json_text(value, ascii_only=not utf8)


def iso(moment: Any) -> str:
    from ..storage import zulu

    return str(zulu(moment))


# --- cards -------------------------------------------------------------------------


def card_json(cid: str, card: Card) -> dict[str, Any]:
    """A card as the stable JSON object of `list --json` and `show --json`: defined once,
    in `report.board_json` (the export's cards are the same), imported when used."""
    from ..report.board_json import card_json as defined

    return defined(cid, card)


def card_line(cid: str, card: Card) -> str:
    """A card in one line of `list`: id, title, tags, co-creators, dots."""
    parts = [f"{cid}  {card.title}"]
    if card.tags:
        parts.append(" ".join(f"#{t}" for t in card.tags))
    if card.by:
        parts.append(_("by {people}").format(people=", ".join(card.by)))
    if card.dots:
        parts.append(ngettext("{n} dot", "{n} dots", card.dots).format(n=card.dots))
    if card.archived:
        parts.append(_("(archived)"))
    return "  ".join(parts)


def columns_text(
    board: Board, stages: Sequence[Stage], cards: Iterable[tuple[str, Card]]
) -> list[str]:
    """`list`: each stage of `stages` with its count (and WIP limit), then its cards."""
    cards = list(cards)
    lines: list[str] = []
    for each in stages:
        column = [(cid, c) for cid, c in cards if c.stage == each]
        limit = board.wip.get(each)
        count = f"{len(column)}/{limit}" if limit else str(len(column))
        lines.append(_("{stage} ({count})").format(stage=stage_label(each), count=count))
        lines += ["  " + card_line(cid, card) for cid, card in column]
    return lines


EXPERIMENT_ROWS = fields.in_group("experiment")
LEARNING_ROWS = tuple(n for n in fields.in_group("learning") if n in fields.TEXT)
"""The learning's text rows of `show`; its decision follows them."""


def show_text(board: Board, cid: str, card: Card) -> str:
    def person(key: str) -> str:
        member = board.members.get(key)
        return f"{member.name} ({key})" if member else key

    lines = [f"{cid}  {card.title}", ""]
    rows = [
        (_("stage"), stage_label(card.stage) + ("  " + _("(archived)") if card.archived else "")),
        (_("created"), iso(card.created)),
        (_("updated"), iso(card.updated)),
        (_("by"), ", ".join(person(k) for k in card.by)),
        (_("tags"), ", ".join(card.tags)),
        (_("votes"), ", ".join(f"{k} {n}" for k, n in card.votes.items())),
    ]
    lines += [f"{label:<10} {value}" for label, value in rows if value]
    # what a git merge left undecided (decide with `resolve --take`, or in the app)
    conflict = _("conflict")
    lines += [f"{conflict:<10} {n}: {c.describe(n)}" for n, c in sorted(card.conflicts.items())]
    if card.body:
        lines += ["", card.body]

    def block(title: str, names: tuple[FieldName, ...], extra: list[tuple[str, str]]) -> None:
        # the label in the middle of a line, as the other rows' names
        filled = [(field_label(f).lower(), getattr(card, f)) for f in names if getattr(card, f)]
        filled += [(label, value) for label, value in extra if value]
        if filled:
            lines.extend(["", title])
            # as wide as the longest label (they are longer in some languages), at least 25
            width = max(25, *(len(label) for label, _value in filled))
            indent = "\n" + " " * (width + 3)
            for label, value in filled:
                lines.append(f"  {label:<{width}} {value.replace(chr(10), indent)}")

    block(_("Experiment"), EXPERIMENT_ROWS, [])
    decision = decision_label(card.decision) if card.decision else ""
    block(_("Learning"), LEARNING_ROWS, [(_("decision"), decision)])
    if card.history:
        lines.extend(["", _("History")])
        lines += [f"  {iso(h.at)}  {stage_label(h.stage):<10} {h.by}" for h in card.history]
    return "\n".join(lines)


# --- members -----------------------------------------------------------------------


def member_json(board: Board, key: str) -> dict[str, Any]:
    """A member as the stable JSON object of `members --json` (`report.board_json`)."""
    from ..report.board_json import member_json as defined

    return defined(board, key)


def member_lines(members: Sequence[dict[str, Any]]) -> list[str]:
    """`members`: one line each, key, name and (side, role, facilitator), keys aligned."""
    width = max((len(m["key"]) for m in members), default=0)
    lines = []
    for m in members:
        extra = [side_label(Side(m["side"])), *([m["role"]] if m["role"] else [])]
        # a facilitator made by `new --facilitator` has the role "facilitator" already
        extra += [_("facilitator")] if m["facilitator"] and m["role"] != "facilitator" else []
        lines.append(f"{m['key']:<{width}}  {m['name']}  ({', '.join(extra)})")
    return lines

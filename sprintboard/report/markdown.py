"""The sprint report in Markdown (`sprintboard export --format md`).

In the order of `content.Report`: the frame (title, challenge, goal, dates), the
team, the learnings first (each a learning card: what was believed, observed and
learned, what happens next, the decision, who co-created it), the experiments in
test, the prototypes, the ideas by dots; then the co-creation figure, the flow
figures (`figures.summary`), time in each stage, idea to learned per card, and the
cumulative flow, a row per day.

Every text from the board is escaped (`inline`, `paragraphs`, `cell`) so that it
renders as the text it is on CommonMark and GitHub renderers: the ASCII punctuation
that can open or close markup is backslash-escaped, `&` and `<` become entities (a
title `<script>` is shown, never run), what would start a block at the start of a
line (`#`, `>`, `-`, `+`, `=`, `1.`) is escaped there, and lines of several-line
text are kept as hard line breaks, blank lines as paragraphs. Characters a terminal
acts on are shown as their escapes (`\\x1b`, `\\u202e`), as the command line shows them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC
from typing import TYPE_CHECKING

from ..fields import FieldName
from ..i18n import _, dates, ngettext
from ..labels import decision_label, field_label, stage_label
from ..safe_text import visible
from ..vocabulary import Stage
from .figures import duration, share, summary

if TYPE_CHECKING:
    from ..model import Card, Member
    from .content import Report

# Backslash-escaped wherever they are: each can open or close emphasis, code, a link,
# an image, a table cell, strikethrough, or an escape itself.
_ALWAYS = {ord(c): "\\" + c for c in "\\`*_[]|~!#"}
_ALWAYS[ord("&")] = "&amp;"
_ALWAYS[ord("<")] = "&lt;"
_ALWAYS[ord(">")] = "&gt;"
# What opens a block at the start of a line: a list item ("-", "+", "1." or "1)"), a
# setext heading's underline ("=", "-"); "#", ">" and "*" are escaped everywhere already.
_LINE_START = re.compile(r"^([-+=])|^(\d{1,9})([.)])")
_EDGE_SPACE = re.compile(r"^[ \t]+|[ \t]+$")
_UNSAFE = "".join(chr(c) for c in range(0x2070) if visible(chr(c), lines=True) != chr(c))
_NEEDS = re.compile(
    "[" + re.escape("".join(map(chr, _ALWAYS)) + _UNSAFE) + "\ud800-\udfff]|^[ \t]|[ \t]$"
)
"""Whether a text needs any escape: most titles need none, and one scan in C is a
fraction of the two translations (a 10,000-card report has 50,000 texts)."""

LEARNING: tuple[FieldName, ...] = ("hypothesis", "observed", "learned", "next")
"""A learning card's rows: believed, observed, learned, therefore (then its decision)."""
EXPERIMENT: tuple[FieldName, ...] = ("hypothesis", "test", "metric", "criterion")


def inline(text: str) -> str:
    """One line of user text as Markdown that renders as exactly that text."""
    if _NEEDS.search(text) is None and _LINE_START.match(text) is None:
        return text
    # what a terminal acts on (escape sequences, bidirectional overrides) shows as its
    # escape, as everywhere else (`safe_text.visible`): Markdown has no way to carry a
    # control character (a character reference to one renders as U+FFFD), and a
    # report read with `cat` or in an editor must be as safe as the command's output
    escaped = visible(text, lines=True).translate(_ALWAYS)
    escaped = _LINE_START.sub(lambda m: "\\" + m[0] if m[1] else m[2] + "\\" + m[3], escaped)
    # spaces at the edges would be dropped, or read as code (4 spaces) or a line break
    return _EDGE_SPACE.sub(lambda m: m[0].replace(" ", "&#32;").replace("\t", "&#9;"), escaped)


def paragraphs(text: str) -> str:
    """Text of several lines: its lines kept (hard line breaks), blank lines between
    paragraphs. The result may start a paragraph; it never starts another block."""
    blocks = [b for b in re.split(r"\n[ \t]*\n", text.strip("\n")) if b.strip()]
    return "\n\n".join("\\\n".join(inline(line) for line in b.split("\n")) for b in blocks)


def cell(text: str) -> str:
    """User text in a table cell: one line (a newline becomes a space), `|` escaped."""
    return inline(" ".join(text.split("\n")))


def _table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A GitHub table; `head` and `rows` are Markdown already (cells escaped)."""
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _h in head) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _none_yet() -> list[str]:
    return [_("None yet."), ""]


def _people(report: Report, keys: Sequence[str]) -> str:
    return ", ".join(inline(report.name(k)) for k in keys)


def _card_rows(report: Report, card: Card, names: Sequence[FieldName]) -> list[str]:
    """The card's filled-in rows, one labelled paragraph each, and who co-created it."""
    lines: list[str] = []
    for name in names:
        value = getattr(card, name)
        if value.strip():
            lines += [f"**{inline(field_label(name))}:** {paragraphs(value)}", ""]
    if card.by:
        lines += [f"*{_('Co-created by {people}').format(people=_people(report, card.by))}*", ""]
    return lines


def _team(report: Report) -> list[str]:
    def rows(members: Sequence[tuple[str, Member]]) -> list[list[str]]:
        facilitators = report.board.sprint.facilitators
        return [
            [
                inline(m.name),
                inline(m.role or ""),
                _("yes") if key in facilitators else "",
            ]
            for key, m in members
        ]

    lines = [f"## {_('Team')}", ""]
    if not report.internal and not report.external:
        return lines + _none_yet()
    head = [_("Name"), _("Role"), _("Facilitator")]
    for side, members in ((_("Internal"), report.internal), (_("External"), report.external)):
        lines += [f"### {side}", ""]
        lines += _table(head, rows(members)) if members else _none_yet()
    return lines


def _frame(report: Report) -> list[str]:
    board = report.board
    lines = [f"# {inline(board.title)}", ""]
    if board.challenge.strip():
        lines += [f"**{_('Challenge')}:** {paragraphs(board.challenge)}", ""]
    if board.goal.strip():
        lines += [f"**{_('Goal')}:** {paragraphs(board.goal)}", ""]
    start, end = board.sprint.start, board.sprint.end
    if start or end:
        span = _("{start} to {end}").format(
            start=dates.day(start) if start else "?", end=dates.day(end) if end else "?"
        )
    else:
        span = _("no dates set")
    lines += [f"**{_('Sprint')}:** {span}", ""]
    made = dates.moment(report.now.astimezone(UTC)) + " UTC"
    lines += [f"*{_('Report made {time}').format(time=made)}*", ""]
    return lines


def _cards(report: Report) -> list[str]:
    lines = [f"## {_('What we learned')}", ""]
    if not report.learnings:
        lines += _none_yet()
    for _cid, card in report.learnings:
        lines += [f"### {inline(card.title)}", ""]
        lines += _card_rows(report, card, LEARNING)
        decision = decision_label(card.decision) if card.decision else _("not decided yet")
        lines += [f"**{inline(field_label('decision'))}:** {decision}", ""]
    lines += [f"## {_('Experiments in test')}", ""]
    if not report.experiments:
        lines += _none_yet()
    for _cid, card in report.experiments:
        lines += [f"### {inline(card.title)}", ""]
        lines += _card_rows(report, card, EXPERIMENT)
    lines += [f"## {_('Prototypes')}", ""]
    for _cid, card in report.prototypes:
        by = _(" (by {people})").format(people=_people(report, card.by)) if card.by else ""
        lines.append(f"- {inline(card.title)}{by}")
    lines += [""] if report.prototypes else _none_yet()
    lines += [f"## {_('Ideas, by dots')}", ""]
    rows = [[cell(c.title), str(c.dots), _people(report, c.by)] for _cid, c in report.ideas]
    head = [_("Idea"), _("Dots"), field_label("by")]
    lines += _table(head, rows) if rows else _none_yet()
    return lines


def _figures(report: Report) -> list[str]:
    hands = report.hands
    lines = [f"## {_('Co-creation')}", ""]
    lines += [
        _("Cards with an external co-creator: {share}.").format(
            share=share(hands.external, hands.total)
        ),
        "",
    ]
    rows = [[stage_label(s), share(*hands.per_stage[s])] for s in Stage if s in hands.per_stage]
    lines += _table([_("Stage"), _("With external hands")], rows)
    lines += [f"## {_('Flow')}", ""]
    lines += _table(
        [_("Figure"), _("Value")], ([cell(f.label), cell(f.value)] for f in summary(report))
    )
    flow = report.flow
    lines += [f"### {_('Time in each stage')}", ""]
    rows = []
    for stage in Stage:
        times = [c.time_in(stage) for c in flow.cards if any(s.stage is stage for s in c.stays)]
        rows.append(
            [
                stage_label(stage),
                str(len(times)),
                duration(flow.median_in_stage.get(stage)),
                duration(max(times) if times else None),
            ]
        )
    lines += _table([_("Stage"), _("Cards that were there"), _("Median"), _("Longest")], rows)
    lines += [f"### {_('Idea to learned, per card')}", ""]
    lead = {c.card_id: c.lead_time for c in flow.cards}
    rows = [[cell(card.title), duration(lead.get(cid))] for cid, card in report.learnings]
    lines += _table([_("Learning"), _("Idea to learned")], rows) if rows else _none_yet()
    lines += [f"### {_('Cards per stage per day')}", ""]
    rows = [[dates.day(d.day), *(str(d.counts.get(s, 0)) for s in Stage)] for d in flow.cumulative]
    head = [_("Day"), *(stage_label(s) for s in Stage)]
    lines += _table(head, rows) if rows else _none_yet()
    return lines


def render(report: Report) -> str:
    """The sprint report of `report` as Markdown (CommonMark with GitHub's tables)."""
    lines = _frame(report) + _team(report) + _cards(report) + _figures(report)
    count = report.archived
    lines.append(
        ngettext(
            "{count} archived card is left out of this report.",
            "{count} archived cards are left out of this report.",
            count,
        ).format(count=count)
    )
    return "\n".join(lines) + "\n"

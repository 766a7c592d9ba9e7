"""The sprint report as one self-contained web page: `render(report) -> str`.

What a leader opens from a mail or a shared folder, on a laptop or a phone, or
prints. In the order of `content.Report`: the frame (title, challenge, goal, dates),
the team, the learnings first (each as a learning card: what was believed, observed
and learned, what happens next, the decision as a badge, who co-created it), then
the experiments in test, the prototypes, the ideas by dots; the co-creation figure;
the flow figures (`figures.summary`) with their two charts (`charts`, inline SVG);
how many archived cards were left out. Every section is there even when it is empty
(a sentence says so), so every report reads the same way.

One file: the stylesheet is inline (`html_style`), there is no script and no URL but
`#fragments`, and a Content-Security-Policy forbids anything else besides. Every text
from the board passes `_t`: made terminal-safe as everywhere (`safe_text.visible`,
so the page may be printed to a terminal too) and then escaped for HTML, attributes
included — a card titled `<script>` reads as that text. Every word of the page's own
is translated (`_`), and the page says its language (`i18n.current`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from html import escape
from typing import TYPE_CHECKING

from ..fields import FieldName
from ..i18n import _, current, dates, ngettext
from ..labels import decision_label, field_label, side_label, stage_label
from ..safe_text import visible
from ..vocabulary import Side, Stage
from . import charts
from .figures import share, summary
from .html_style import CSP, CSS

if TYPE_CHECKING:
    from ..model import Card, Member
    from .content import Report

SECTIONS = (
    "team",
    "learnings",
    "experiments",
    "prototypes",
    "ideas",
    "co-creation",
    "flow",
    "archived",
)
"""The page's sections (their ids), in order, after the frame."""

LEARNING: tuple[FieldName, ...] = ("hypothesis", "observed", "learned", "next")
EXPERIMENT: tuple[FieldName, ...] = ("hypothesis", "test", "metric", "criterion")


def _t(text: str) -> str:
    """Board text as page text: terminal-safe, then escaped (quotes too, for attributes)."""
    return escape(visible(text, lines=True), quote=True)


def _w(text: str) -> str:
    """The page's own words (translated, so from a catalogue: escaped all the same)."""
    return escape(text, quote=True)


def render(report: Report) -> str:
    """The whole page for `report`."""
    board = report.board
    title = _("Sprint report: {title}").format(title=board.title)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_w(current())}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_w(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_t(title)}</title>",
        f"<style>\n{CSS}</style>",
        "</head>",
        "<body>",
        '<div class="page">',
        *_frame(report),
        "<main>",
        *_team(report),
        *_learnings(report),
        *_experiments(report),
        *_prototypes(report),
        *_ideas(report),
        *_co_creation(report),
        *_flow(report),
        *_archived(report),
        "</main>",
        "<footer>",
        f"<p>{_w(_made(report))}</p>",
        "</footer>",
        "</div>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def _made(report: Report) -> str:
    return _("Made with sprintboard from the board file, as of {moment}.").format(
        moment=_moment(report)
    )


def _moment(report: Report) -> str:
    return dates.moment(report.now.astimezone(UTC)) + " UTC"


def _section_names() -> dict[str, str]:
    return {
        "team": _("Team"),
        "learnings": _("What we learned"),
        "experiments": _("Experiments in test"),
        "prototypes": _("Prototypes"),
        "ideas": _("Ideas, by dots"),
        "co-creation": _("Co-creation"),
        "flow": _("Flow"),
        "archived": _("Left out"),
    }


def _open(section: str) -> list[str]:
    return [f'<section id="{section}">', f"<h2>{_w(_section_names()[section])}</h2>"]


def _frame(report: Report) -> list[str]:
    board = report.board
    sprint = board.sprint
    out = [
        '<header class="head">',
        f'<p class="kicker">{_w(_("Sprint report"))}</p>',
        f"<h1>{_t(board.title)}</h1>",
        '<dl class="frame">',
    ]
    facts = [
        (_("Challenge"), _t(board.challenge) if board.challenge else None),
        (_("Goal"), _t(board.goal) if board.goal else None),
        (_("Dates"), _w(_dates(sprint.start, sprint.end)) if sprint.start or sprint.end else None),
        (
            _("Facilitated by"),
            _t(", ".join(report.name(k) for k in sprint.facilitators))
            if sprint.facilitators
            else None,
        ),
    ]
    for label, value in facts:
        shown = (
            f'<dd class="text">{value}</dd>'
            if value is not None
            else f'<dd class="none">{_w(_("not set"))}</dd>'
        )
        out.append(f"<div><dt>{_w(label)}</dt>{shown}</div>")
    out.append("</dl>")
    out.append(f'<p class="muted">{_w(_("As of {moment}.").format(moment=_moment(report)))}</p>')
    names = _section_names()
    out.append(f'<nav aria-label="{_w(_("Sections"))}"><ul>')
    out.extend(f'<li><a href="#{s}">{_w(names[s])}</a></li>' for s in SECTIONS)
    out.append("</ul></nav>")
    out.append("</header>")
    return out


def _dates(start: object, end: object) -> str:
    if start and end:
        return _("{start} to {end}").format(start=start, end=end)
    if start:
        return _("from {start}").format(start=start)
    return _("until {end}").format(end=end)


def _team(report: Report) -> list[str]:
    out = _open("team")
    out.append('<div class="team">')
    for heading, members in (
        (_("From the organisation"), report.internal),
        (_("From outside"), report.external),
    ):
        out.append(f"<div><h3>{_w(heading)} ({len(members)})</h3>")
        if members:
            out.append("<ul>")
            out.extend(_member(m) for _key, m in members)
            out.append("</ul>")
        else:
            out.append(f'<p class="none">{_w(_("Nobody yet."))}</p>')
        out.append("</div>")
    out.append("</div>")
    out.append("</section>")
    return out


def _member(member: Member) -> str:
    role = f' <span class="role">· {_t(member.role)}</span>' if member.role else ""
    return f"<li>{_t(member.name)}{role}</li>"


def _people(report: Report, card: Card) -> str:
    """Who co-created a card, the people from outside marked as such."""
    if not card.by:
        return ""
    names = []
    for key in card.by:
        member = report.board.members.get(key)
        name = _t(report.name(key))
        if member is not None and member.side == Side.EXTERNAL:
            name += f" ({_w(side_label(Side.EXTERNAL))})"
        names.append(name)
    label = _w(_("Co-created by"))
    return f'<p class="people">{label}: {", ".join(names)}</p>'


def _tags(card: Card) -> str:
    if not card.tags:
        return ""
    return f'<p class="tags">{" ".join("#" + _t(tag) for tag in card.tags)}</p>'


def _fields(card: Card, names: Iterable[FieldName]) -> list[str]:
    out = ['<dl class="fields">']
    for name in names:
        value: str = getattr(card, name)
        shown = (
            f'<dd class="text">{_t(value)}</dd>'
            if value.strip()
            else f'<dd class="none">{_w(_("not written down"))}</dd>'
        )
        out.append(f"<dt>{_w(field_label(name))}</dt>{shown}")
    out.append("</dl>")
    return out


def _badge(card: Card) -> str:
    if card.decision is None:
        return f'<span class="badge undecided">{_w(_("no decision yet"))}</span>'
    word = _w(decision_label(card.decision))
    label = _w(field_label("decision"))
    return f'<span class="badge {card.decision.value}" title="{label}">{word}</span>'


def _card(
    report: Report,
    cid: str,
    card: Card,
    names: Iterable[FieldName],
    badge: bool = False,
) -> list[str]:
    head = f"<h3>{_t(card.title)}</h3>" + (_badge(card) if badge else "")
    out = [
        f'<article class="card stage-{card.stage.value}" id="card-{_t(cid)}">',
        f'<div class="card-head">{head}</div>',
    ]
    if card.body.strip():
        out.append(f'<p class="text">{_t(card.body)}</p>')
    out.extend(_fields(card, names))
    out.append(_people(report, card) + _tags(card))
    out.append("</article>")
    return out


def _cards(
    report: Report,
    section: str,
    cards: tuple[tuple[str, Card], ...],
    names: tuple[FieldName, ...],
    empty: str,
    badge: bool = False,
) -> list[str]:
    out = _open(section)
    if not cards:
        out.append(f'<p class="none">{_w(empty)}</p>')
    else:
        out.append('<div class="cards">')
        for cid, card in cards:
            out.extend(_card(report, cid, card, names, badge))
        out.append("</div>")
    out.append("</section>")
    return out


def _learnings(report: Report) -> list[str]:
    return _cards(
        report,
        "learnings",
        report.learnings,
        LEARNING,
        _("No card has reached learned yet."),
        badge=True,
    )


def _experiments(report: Report) -> list[str]:
    return _cards(
        report, "experiments", report.experiments, EXPERIMENT, _("No experiment is in test.")
    )


def _prototypes(report: Report) -> list[str]:
    # a prototype's experiment may be half planned: only what is written down shows
    out = _open("prototypes")
    if not report.prototypes:
        out.append(f'<p class="none">{_w(_("No prototype is being built."))}</p>')
    else:
        out.append('<div class="cards">')
        for cid, card in report.prototypes:
            written = tuple(n for n in EXPERIMENT if str(getattr(card, n)).strip())
            out.extend(_card(report, cid, card, written))
        out.append("</div>")
    out.append("</section>")
    return out


def _ideas(report: Report) -> list[str]:
    out = _open("ideas")
    if not report.ideas:
        out.append(f'<p class="none">{_w(_("No ideas on the board."))}</p>')
        out.append("</section>")
        return out
    out.append('<ol class="ideas">')
    for cid, card in report.ideas:
        dots = _w(ngettext("{count} dot", "{count} dots", card.dots).format(count=card.dots))
        body = f'<p class="text muted">{_t(card.body)}</p>' if card.body.strip() else ""
        out.append(
            f'<li id="card-{_t(cid)}"><span class="dots">{dots}</span>'
            f'<div class="idea"><strong>{_t(card.title)}</strong>{body}'
            f"{_people(report, card)}</div></li>"
        )
    out.append("</ol>")
    out.append("</section>")
    return out


def _co_creation(report: Report) -> list[str]:
    hands = report.hands
    out = _open("co-creation")
    out.append(f"<p>{_w(_('Cards co-created with at least one person from outside:'))}</p>")
    out.append(f'<p class="big">{_w(share(hands.external, hands.total))}</p>')
    out.append("<table>")
    out.append(
        f'<thead><tr><th scope="col">{_w(_("Stage"))}</th>'
        f'<th scope="col" class="number">{_w(_("With people from outside"))}</th>'
        f'<th scope="col" class="number">{_w(_("Cards"))}</th></tr></thead><tbody>'
    )
    for stage in Stage:
        outside, total = hands.per_stage[stage]
        out.append(
            f'<tr><th scope="row">{_swatch(stage)}{_w(stage_label(stage))}</th>'
            f'<td class="number">{outside}</td><td class="number">{total}</td></tr>'
        )
    out.append("</tbody></table>")
    out.append("</section>")
    return out


def _swatch(stage: Stage) -> str:
    return f'<span class="swatch stage-{stage.value}" aria-hidden="true"></span>'


def _flow(report: Report) -> list[str]:
    out = _open("flow")
    out.append('<dl class="figures">')
    for figure in summary(report):
        out.append(f"<div><dt>{_w(figure.label)}</dt><dd>{_w(figure.value)}</dd></div>")
    out.append("</dl>")
    for caption, chart in (
        (_("Cards per stage, day by day"), charts.cumulative_flow(report.flow)),
        (_("Median time in each stage"), charts.time_in_stage(report.flow)),
    ):
        out.append("<figure>")
        out.append(f"<figcaption>{_w(caption)}</figcaption>")
        out.append(chart.svg if chart.svg is not None else f'<p class="none">{_w(chart.note)}</p>')
        out.append("</figure>")
    out.append("</section>")
    return out


def _archived(report: Report) -> list[str]:
    out = _open("archived")
    count = report.archived
    text = (
        ngettext(
            "{count} archived card is left out of this report and of its figures.",
            "{count} archived cards are left out of this report and of its figures.",
            count,
        ).format(count=count)
        if count
        else _("No card is archived: every card is in this report.")
    )
    out.append(f"<p>{_w(text)}</p>")
    out.append("</section>")
    return out

"""The sprint's figures in words: one wording for `stats`, the reports and the app.

`summary` lists the headline figures as (label, value) pairs in the order every
front end shows them; `hands_per_stage` the co-creation figure stage by stage;
`duration` and `share` write a time span and a share the same way everywhere ("3 d
4 h", "3 of 8, 38 %", "none yet" when there is nothing to measure).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..i18n import _, ngettext
from ..labels import decision_label, stage_label

if TYPE_CHECKING:
    from ..co_creation import Hands
    from ..flow import Week
    from .content import Report


@dataclass(frozen=True, slots=True)
class Figure:
    """One headline figure: what it is, and its value in words."""

    label: str
    value: str


def duration(span: timedelta | None) -> str:
    """A time span as a person reads it: days and hours, hours and minutes, or minutes."""
    if span is None:
        return _("none yet")
    minutes = max(0, round(span.total_seconds() / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("{days} d {hours} h").format(days=days, hours=hours)
    if hours:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
    return _("{minutes} min").format(minutes=minutes)


def share(part: int, whole: int) -> str:
    """`part` of `whole` with its whole percent ("3 of 8, 38 %"); "none yet" of nothing."""
    if whole <= 0:
        return _("none yet")
    return _("{part} of {whole}, {percent} %").format(
        part=part, whole=whole, percent=percent(part, whole)
    )


def percent(part: int, whole: int) -> int:
    """`part` of `whole` (> 0) in whole percent, halves rounded up; never 0 % when some
    and never 100 % when not all (1 of 400 is not none; 399 of 400 is not all)."""
    value = (200 * part + whole) // (2 * whole)
    if 0 < part < whole:
        return min(max(value, 1), 99)
    return value


def week_label(monday: date) -> str:
    """A week as ISO names it ("2026-W48"), the same in every language."""
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def summary(report: Report) -> list[Figure]:
    """The headline figures of `report`, in the order every front end shows them."""
    flow = report.flow
    cards = str(flow.total)
    if flow.archived:
        cards += " " + ngettext(
            "({count} archived, left out)", "({count} archived, left out)", flow.archived
        ).format(count=flow.archived)
    figures = [
        Figure(_("Cards"), cards),
        Figure(
            _("Cards per stage"),
            " · ".join(f"{stage_label(s)} {n}" for s, n in flow.per_stage.items()),
        ),
        Figure(_("Cards with external hands"), share(report.hands.external, report.hands.total)),
        Figure(_("Median time from idea to learned"), duration(flow.median_lead_time)),
        *(
            Figure(_("Median time in {stage}").format(stage=stage_label(s)), duration(t))
            for s, t in flow.median_in_stage.items()
        ),
        Figure(_("Ideas that reached test"), share(flow.reached_test, flow.total)),
        Figure(
            _("Decisions"),
            " · ".join(
                [f"{decision_label(d)} {n}" for d, n in flow.decisions.items()]
                + [_("undecided {count}").format(count=flow.undecided)]
            ),
        ),
        Figure(_("Learnings per week"), learnings_per_week(flow.weeks)),
    ]
    return figures


WEEKS_SHOWN = 12
"""The weeks `learnings_per_week` names one by one, the last ones: a sprint has a few,
a board used for years would make one figure a page long."""


def learnings_per_week(weeks: Sequence[Week]) -> str:
    """The learnings of each week ("2026-W48 5 · 2026-W49 0"), the last `WEEKS_SHOWN`
    by name and the ones before them added up; "none yet" with no week."""
    if not weeks:
        return _("none yet")
    named = weeks[-WEEKS_SHOWN:]
    parts = [f"{week_label(w.monday)} {w.learnings}" for w in named]
    before = weeks[: -len(named)] if len(weeks) > len(named) else []
    if before:
        earlier = sum(w.learnings for w in before)
        parts.insert(
            0,
            ngettext(
                "{count} in the {weeks} week before",
                "{count} in the {weeks} weeks before",
                len(before),
            ).format(count=earlier, weeks=len(before)),
        )
    return " · ".join(parts)


def hands_per_stage(hands: Hands) -> list[Figure]:
    """The co-creation figure of each stage, in board order ("idea: 2 of 5, 40 %")."""
    return [
        Figure(
            _("Cards with external hands in {stage}").format(stage=stage_label(stage)),
            share(external, total),
        )
        for stage, (external, total) in hands.per_stage.items()
    ]

"""The report's two charts as inline SVG text: the cumulative flow and the time in stage.

The same charts as the app's metrics screen, drawn here by hand because SVG is text:
a chart library would be a dependency for two charts. `cumulative_flow` stacks the
cards in each stage at the end of each day (`flow.Flow.cumulative`), learned at the
bottom, with a y axis, day labels spaced so they never collide, and a legend;
`time_in_stage` draws each stage's median time (`flow.Flow.median_in_stage`) as a
bar labelled in words (`figures.duration`).

Each returns a `Chart`: the SVG, or — when there is nothing to draw (no card, a
single day, no stage measured) — no SVG and a sentence saying why. Every number is
written with one decimal, so the same figures give the same bytes (the golden files).
The SVG has no namespace attribute (inside HTML it needs none, and it is no external
reference) and parses as XML on its own; its text is escaped as XML too. Pure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from ..i18n import _, dates
from ..labels import stage_label
from ..vocabulary import Stage
from .figures import duration

if TYPE_CHECKING:
    from ..flow import Flow

STAGE_COLOURS = {
    Stage.IDEA: "#e69f00",
    Stage.PROTOTYPE: "#56b4e9",
    Stage.TEST: "#cc79a7",
    Stage.LEARNED: "#009e73",
}
"""The four stages' colours, in the report's stylesheet too: the Okabe–Ito palette,
told apart by people with the common colour blindnesses, and still apart in greys."""

FONT = 12
"""The charts' text size in SVG units (the SVG scales to the page's width)."""

CHAR_WIDTH = 0.62
"""A generous average glyph width, in ems, of the sans-serif fonts the page asks for:
what the day labels' spacing and the legend's reckon with."""

WIDTH = 420
"""The charts' width in SVG units: narrow enough that on a phone (a 358 px column) the
text is still nearly its size; on a wide screen the stylesheet caps the width."""
CFD_PLOT = 220.0
LEFT, RIGHT, BOTTOM = 40.0, 40.0, 34.0
"""The cumulative flow's plot inside its margins (the legend above it, the days below)."""
LEGEND_ROW = 20.0

BAR_ROW, BAR_HEIGHT = 38.0, 22.0


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart ready for a page: `svg`, or None and `note` saying why there is none."""

    svg: str | None
    note: str
    """The sentence shown instead of the chart; empty when there is a chart."""


def _n(value: float) -> str:
    """A coordinate with fixed precision: stable bytes whatever the float's noise."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _text(value: str) -> str:
    return escape(value, quote=True)


def _open(kind: str, height: float, label: str) -> list[str]:
    """The SVG's start: scaled to its container, named for screen readers."""
    return [
        f'<svg class="chart {kind}" viewBox="0 0 {WIDTH} {_n(height)}" role="img" '
        f'aria-label="{_text(label)}" font-size="{FONT}">',
        f"<title>{_text(label)}</title>",
    ]


def nice_step(peak: int, ticks: int = 5) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, … that needs at most `ticks` steps to `peak`."""
    step, scale = 1, 1
    while True:
        for base in (1, 2, 5):
            step = base * scale
            if peak <= step * ticks:
                return step
        scale *= 10


def label_indices(count: int, room: float, label_width: float) -> list[int]:
    """Which of `count` evenly spread points get a label, so that no two labels of
    `label_width` collide over `room`: every k-th point from the first, k the smallest
    step whose spacing leaves a gap of one character."""
    if count <= 1:
        return list(range(count))
    spacing = room / (count - 1)
    step = max(1, math.ceil((label_width + FONT * CHAR_WIDTH) / spacing))
    return list(range(0, count, step))


def cumulative_flow(flow: Flow) -> Chart:
    """Cards per stage at the end of each day, stacked, learned at the bottom."""
    days = flow.cumulative
    if not flow.cards:
        return Chart(None, _("No cards yet, so there is no flow to draw."))
    if len(days) < 2:
        return Chart(
            None,
            _("Every card is from {day}: the cumulative flow needs a second day.").format(
                day=dates.day(days[-1].day if days else flow.now.date())
            ),
        )
    first, last = dates.day(days[0].day), dates.day(days[-1].day)
    now = days[-1].counts
    label = _("Cumulative flow: cards per stage at the end of each day, {first} to {last}").format(
        first=first, last=last
    )
    counts = ", ".join(f"{stage_label(s)} {now[s]}" for s in Stage)
    summary = _("At the end of {day}: {counts}.").format(day=last, counts=counts)
    out = [f"<desc>{_text(summary)}</desc>"]
    legend, rows = _legend()
    top_margin = 12 + rows * LEGEND_ROW + 12
    height = top_margin + CFD_PLOT + BOTTOM
    plot_w, plot_h = WIDTH - LEFT - RIGHT, CFD_PLOT
    peak = max(1, max(sum(day.counts.values()) for day in days))
    step = nice_step(peak)
    top = math.ceil(peak / step) * step

    def x(index: int) -> float:
        return LEFT + index * plot_w / (len(days) - 1)

    def y(value: float) -> float:
        return top_margin + plot_h - value * plot_h / top

    out.append('<g class="grid" stroke="#c8c8c8" stroke-width="1">')
    for tick in range(0, top + 1, step):
        out.append(
            f'<line x1="{_n(LEFT)}" y1="{_n(y(tick))}" x2="{_n(LEFT + plot_w)}" '
            f'y2="{_n(y(tick))}"/>'
        )
    out.append("</g>")
    # learned at the bottom: what the sprint has finished is its ground
    below = [0] * len(days)
    out.append('<g class="areas" stroke="#ffffff" stroke-width="0.5">')
    for stage in reversed(Stage):
        above = [b + day.counts[stage] for b, day in zip(below, days, strict=True)]
        if any(a != b for a, b in zip(above, below, strict=True)):
            points = [f"{_n(x(i))},{_n(y(v))}" for i, v in enumerate(above)]
            points += [f"{_n(x(i))},{_n(y(v))}" for i, v in reversed(list(enumerate(below)))]
            out.append(
                f'<polygon class="stage-{stage.value}" fill="{STAGE_COLOURS[stage]}" '
                f'points="{" ".join(points)}"><title>{_text(stage_label(stage))}</title>'
                "</polygon>"
            )
        below = above
    out.append("</g>")
    out.append('<g class="axis" fill="#333333">')
    for tick in range(0, top + 1, step):
        out.append(
            f'<text class="count" x="{_n(LEFT - 6)}" y="{_n(y(tick) + FONT * 0.35)}" '
            f'text-anchor="end">{tick}</text>'
        )
    label_width = len(first) * FONT * CHAR_WIDTH
    for index in label_indices(len(days), plot_w, label_width):
        out.append(
            f'<text class="day" x="{_n(x(index))}" y="{_n(height - BOTTOM + 18)}" '
            f'text-anchor="middle">{dates.day(days[index].day)}</text>'
        )
    out.append(
        f'<line x1="{_n(LEFT)}" y1="{_n(y(0))}" x2="{_n(LEFT + plot_w)}" '
        f'y2="{_n(y(0))}" stroke="#333333" stroke-width="1"/>'
    )
    out.append("</g>")
    out.extend(legend)
    out.append("</svg>")
    return Chart("\n".join([*_open("cumulative-flow", height, label), *out]), "")


def _legend() -> tuple[list[str], int]:
    """The four stages' swatches above the plot, each as wide as its label, in as many
    rows as the labels need (a language with long stage names gets a second row)."""
    out = ['<g class="legend" fill="#333333">']
    at, row = LEFT, 0
    for stage in Stage:
        name = stage_label(stage)
        width = 20 + len(name) * FONT * CHAR_WIDTH
        if at > LEFT and at + width > WIDTH - 4:
            at, row = LEFT, row + 1
        y = 12 + row * LEGEND_ROW
        out.append(
            f'<rect x="{_n(at)}" y="{_n(y)}" width="14.0" height="14.0" '
            f'fill="{STAGE_COLOURS[stage]}"/>'
        )
        out.append(f'<text x="{_n(at + 20)}" y="{_n(y + FONT * 0.95)}">{_text(name)}</text>')
        at += width + 18
    out.append("</g>")
    return out, row + 1


def time_in_stage(flow: Flow) -> Chart:
    """Each stage's median time (over the cards that were there) as a labelled bar."""
    medians = flow.median_in_stage
    measured = [t for t in medians.values() if t is not None]
    if not measured:
        return Chart(None, _("No card has spent time in a stage yet, so there is nothing to draw."))
    longest = max(t.total_seconds() for t in measured)
    names = {stage: stage_label(stage) for stage in Stage}
    left = 12 + max(len(n) for n in names.values()) * FONT * CHAR_WIDTH
    value_room = len(_("{days} d {hours} h").format(days=999, hours=23)) * FONT * CHAR_WIDTH + 16
    room = WIDTH - left - value_room
    height = 16 + BAR_ROW * len(Stage)
    label = _("Median time in each stage")
    out = _open("time-in-stage", height, label)
    out.append(
        "<desc>"
        + _text(", ".join(f"{names[s]} {duration(medians[s])}" for s in Stage) + ".")
        + "</desc>"
    )
    out.append('<g class="bars" fill="#333333">')
    for row, stage in enumerate(Stage):
        top = 8 + row * BAR_ROW
        middle = top + BAR_HEIGHT / 2 + FONT * 0.35
        out.append(
            f'<text class="stage" x="{_n(left - 8)}" y="{_n(middle)}" '
            f'text-anchor="end">{_text(names[stage])}</text>'
        )
        span = medians[stage]
        width = 0.0
        if span is not None and longest > 0:
            width = room * span.total_seconds() / longest
        if span is not None:
            # a bar of a few seconds still shows: a sliver, so the row is not read as empty
            out.append(
                f'<rect class="stage-{stage.value}" x="{_n(left)}" y="{_n(top)}" '
                f'width="{_n(max(width, 2.0))}" height="{_n(BAR_HEIGHT)}" '
                f'fill="{STAGE_COLOURS[stage]}"/>'
            )
        out.append(
            f'<text class="value" x="{_n(left + max(width, 2.0) + 6)}" '
            f'y="{_n(middle)}">{_text(duration(span))}</text>'
        )
    out.append("</g>")
    out.append("</svg>")
    return Chart("\n".join(out), "")

"""The metrics screen: the sprint's figures, its cumulative flow and its time in each stage.

The figures are `report.figures.summary`, word for word what `sprintboard stats` and
the reports say. Two charts are drawn with plotext (`textual-plotext`, which follows
the app's theme): the cards in each stage at the end of each day, stacked (learned at
the bottom, as a cumulative flow is read), and the median time a card spends in each
stage. A chart with nothing to show — no cards, or a single day — is a sentence
instead. This is the one module that imports plotext (an import-linter contract), and
it is imported only when the screen opens.

Counting 10,000 cards takes about half a second, so it runs in a thread worker: the
board and "now" are the hooks', asked each time the figures are counted — when the
screen opens, and whenever the board screen shows another board (`board_changed`:
a change of ours, or someone else's arriving from the file). The charts are drawn on
the UI thread from the counted series, sized to the chart: when there are more days
than bars fit, every n-th day is drawn, always ending today.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, ClassVar, TypeVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Label, Static
from textual_plotext import PlotextPlot

from ...i18n import _, dates
from ...labels import stage_label
from ...report.charts import STAGE_COLOURS
from ...safe_text import visible
from ...vocabulary import Stage
from ..report_files import local_zone
from ..widgets.keybar import KeyBar

if TYPE_CHECKING:
    from ...flow import Day
    from ...model import Board
    from ...report.figures import Figure

T = TypeVar("T")

COLOURS: dict[Stage, tuple[int, int, int]] = {
    stage: Color.parse(colour).rgb for stage, colour in STAGE_COLOURS.items()
}
"""Each stage's colour in both charts and the legend: the web report's (Okabe–Ito, told
apart with the common colour blindnesses), so a stage looks the same everywhere."""

WIDE = 120
"""From this many columns the two charts stand side by side; below, one above the other."""

BAR = 3
"""Columns a day's bar takes at least (two of bar, one of gap)."""


@dataclass(frozen=True)
class MetricsHooks:
    """What the metrics screen asks of the board screen."""

    board: Callable[[], Board | None]
    """The board as it is now."""
    now: Callable[[], datetime]
    """The moment the figures are counted at (aware)."""


@dataclass(frozen=True)
class Counted:
    """The figures of one board at one moment: what the screen shows."""

    board: Board
    figures: list[Figure]
    days: Sequence[Day]
    """Cards per stage at the end of each day (`flow.cumulative`)."""
    in_stage: dict[Stage, timedelta | None]
    """The median time in each stage (`flow.median_in_stage`)."""
    cards: int


def count(board: Board, now: datetime) -> Counted:
    """Count the figures of `board` at `now` (days in the machine's zone)."""
    from ...report.content import build
    from ...report.figures import summary

    report = build(board, now, local_zone(now))
    flow = report.flow
    return Counted(board, summary(report), flow.cumulative, dict(flow.median_in_stage), flow.total)


def every_nth(days: Sequence[T], bars: int) -> tuple[int, list[T]]:
    """The step and the days drawn when at most `bars` fit: every step-th day back from the
    last (today), so today is always drawn; step 1 when they all fit."""
    step = max(1, math.ceil(len(days) / max(1, bars)))
    drawn = list(days[::-1][::step])[::-1]
    return step, drawn


def time_unit(longest: timedelta) -> tuple[float, str]:
    """Seconds per unit of the time chart's axis, and its name: days, hours or minutes,
    whichever shows the longest median as a number from about 2 up."""
    if longest >= timedelta(days=2):
        return 86400.0, _("days")
    if longest >= timedelta(hours=2):
        return 3600.0, _("hours")
    return 60.0, _("minutes")


def day_label(day: date, years: bool) -> str:
    """A day under a bar: month and day, with the year when the days span two years."""
    return dates.day(day) if years else dates.day_of_month(day)


class MetricsScreen(Screen[None]):
    """The board's figures and its two charts; escape or q goes back to the board."""

    CSS_PATH = "metrics.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,q", "close", _("Close"), tooltip=_("Back to the board"), id="metrics.close"
        ),
    ]

    @dataclass
    class Ready(Message):
        """The worker counted the figures of a board."""

        counted: Counted

    def __init__(self, hooks: MetricsHooks) -> None:
        super().__init__()
        self.hooks = hooks
        self.counted: Counted | None = None
        """The figures shown (None: still counting the first time)."""
        self._asked: Board | None = None  # the board last given to the worker

    def compose(self) -> ComposeResult:
        yield Label(_("Metrics"), id="title", classes="screen-title", markup=False)
        with VerticalScroll(id="body"):
            yield Static(_("Counting …"), id="figures", markup=False)
            with Horizontal(id="charts"):
                with Vertical(id="flow-chart", classes="chart"):
                    yield Label(_("Cards per stage at the end of each day"), classes="group")
                    yield PlotextPlot(id="flow")
                    yield Static(id="legend", markup=False)
                    yield Label("", id="flow-note", classes="hint", markup=False)
                with Vertical(id="stage-chart", classes="chart"):
                    yield Label(_("Median time in each stage"), classes="group")
                    yield PlotextPlot(id="stages")
                    yield Label("", id="stages-note", classes="hint", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_class(self.size.width >= WIDE, "-wide")
        for plot in self.query(PlotextPlot):
            plot.display = False  # until there is something to draw
        self.query_one("#body").focus()
        self.board_changed()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")
        self.call_after_refresh(self._draw_flow)  # bars sized to the chart's new width

    def board_changed(self) -> None:
        """Count again if the board is not the one last counted (in the worker)."""
        board = self.hooks.board()
        if board is None or board is self._asked:
            return
        self._asked = board
        self._count(board)

    # A description of its own: Textual's default is the arguments' repr, and the repr of
    # a board of 10,000 cards took 2.5 s on the UI thread, every time the figures counted.
    @work(thread=True, exclusive=True, group="metrics", description=_("Counting the figures"))
    def _count(self, board: Board) -> None:
        self.post_message(self.Ready(count(board, self.hooks.now())))

    def on_metrics_screen_ready(self, message: Ready) -> None:
        if message.counted.board is not self._asked:
            return  # a count overtaken by a newer board (a thread runs on when cancelled)
        counted = self.counted = message.counted
        title = _("Metrics · {board}").format(board=counted.board.title)
        try:
            self.query_one("#title", Label).update(visible(title))
            self.query_one("#figures", Static).update(figures_table(counted.figures))
        except NoMatches:
            return  # closed meanwhile
        self._draw_flow()
        self._draw_stages()

    # --- the charts ---------------------------------------------------------------------

    def _draw_flow(self, again: bool = True) -> None:
        """Draw the cumulative flow; `again`: if the chart has no width yet (hidden until
        now), draw it once more after the next refresh, at its own width — once only, so
        a screen closed meanwhile (whose chart never gets a width) is not redrawn forever."""
        counted = self.counted
        if counted is None:
            return
        try:
            plot = self.query_one("#flow", PlotextPlot)
            note = self.query_one("#flow-note", Label)
            legend = self.query_one("#legend", Static)
        except NoMatches:
            return  # closed meanwhile (a draw asked for after a refresh): nothing to draw on
        days = counted.days
        if len(days) < 2:
            plot.display = legend.display = False
            if not days:
                note.update(_("No cards yet: the chart starts with the first card."))
            else:
                text = _(
                    "Every card's history is from one day, {day}: the chart starts on the second."
                )
                note.update(text.format(day=dates.day(days[0].day)))
            return
        width = plot.size.width
        if not width:  # hidden until now: drawn again once laid out, at its own width
            plot.display = legend.display = True
            width = self.size.width
            if again:
                self.call_after_refresh(self._draw_flow, False)
        step, drawn = every_nth(days, (width - 6) // BAR)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        positions = list(range(len(drawn)))
        # Stacked as plotext's stacked_bar does it (whose stub takes one colour): each
        # stage's bar reaches up to the cards in it and every stage below, drawn from the
        # top one down so the lower ones cover its foot. Learned is at the bottom.
        totals = [0] * len(drawn)
        tops: list[tuple[Stage, list[int]]] = []
        for stage in reversed(Stage):
            totals = [t + day.counts[stage] for t, day in zip(totals, drawn, strict=True)]
            tops.append((stage, totals))
        for stage, top in reversed(tops):
            # only where the stage has cards: a bar of none would blank the foot below it
            shown = [
                (p, t) for p, t, day in zip(positions, top, drawn, strict=True) if day.counts[stage]
            ]
            if shown:
                xs, ys = zip(*shown, strict=True)
                plt.bar(list(xs), list(ys), color=COLOURS[stage], width=0.7)
        most = max(totals)
        plt.yticks([float(n) for n in range(0, most + 1, max(1, math.ceil(most / 5)))])
        years = drawn[0].day.year != drawn[-1].day.year
        room = max(1, math.ceil(len(drawn) * (11 if years else 6) / max(1, width - 6)))
        ticks = positions[::-1][::room][::-1]
        plt.xticks([float(t) for t in ticks], [day_label(drawn[i].day, years) for i in ticks])
        plot.refresh()
        legend.update(flow_legend())
        if step > 1:
            text = _("{n} days: one bar every {step} days, the last one today")
            note.update(text.format(n=len(days), step=step))
        else:
            note.update("")

    def _draw_stages(self) -> None:
        counted = self.counted
        if counted is None:
            return
        try:
            plot = self.query_one("#stages", PlotextPlot)
            note = self.query_one("#stages-note", Label)
        except NoMatches:
            return  # closed meanwhile
        longest = max((t for t in counted.in_stage.values() if t is not None), default=None)
        if longest is None or longest <= timedelta(0):
            plot.display = False
            note.update(
                _("No cards yet: nothing has spent time in a stage.")
                if not counted.cards
                else _("No card has spent time in a stage yet.")
            )
            return
        from ...report.figures import duration

        plot.display = True
        note.update("")
        seconds, unit = time_unit(longest)
        stages = list(reversed(Stage))  # plotext draws the first bar at the bottom
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        labels = [f"{stage_label(s)} {duration(counted.in_stage[s])}" for s in stages]
        times = [counted.in_stage[s] or timedelta(0) for s in stages]
        values = [t.total_seconds() / seconds for t in times]
        for place, (stage, value) in enumerate(zip(stages, values, strict=True)):
            if value > 0:  # each in its stage's colour, as in the flow chart
                plt.bar([place], [value], color=COLOURS[stage], orientation="horizontal", width=0.4)
        plt.yticks([float(place) for place in range(len(stages))], labels)
        top = math.ceil(max(values))
        every = max(1, math.ceil(top / 5))
        plt.xticks([float(n) for n in range(0, top + 1, every)])
        plt.xlabel(unit)
        plot.refresh()

    def action_close(self) -> None:
        self.dismiss(None)


def figures_table(figures: Sequence[Figure]) -> Table:
    """The figures as two columns: what each is, and its value."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for figure in figures:
        table.add_row(Text(visible(figure.label)), Text(visible(figure.value)))
    return table


def flow_legend() -> Text:
    """Which colour is which stage, in the order the bars stack from the top."""
    text = Text()
    for stage in Stage:
        if text:
            text.append("  ")
        text.append("██", style="rgb({},{},{})".format(*COLOURS[stage]))
        text.append(" " + stage_label(stage))
    return text

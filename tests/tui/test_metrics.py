"""The metrics screen in the app: the figures it shows are the summary's, counted from the
history a test builds by hand; the charts get the series; another process's change shows;
empty and one-day boards say so; keys in bursts and during the screen change."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Size
from textual.pilot import Pilot
from textual.widgets import Label, Static
from textual_plotext import PlotextPlot

from sprintboard import storage
from sprintboard.report.content import build
from sprintboard.report.figures import duration, summary
from sprintboard.tui.screens.board import BoardScreen
from sprintboard.tui.screens.metrics import MetricsScreen, every_nth, time_unit
from sprintboard.vocabulary import Stage

from .helpers import board_screen, settle, steady_app
from .metrics_helpers import NOW, fixed_now, shown_text, write_board
from .test_key_bursts import burst
from .test_live import someone, until

__all__ = ["fixed_now"]  # the fixture, used by name

SIZE = (100, 30)
EXAMPLES = Path(__file__).parents[2] / "boards"
NOTES = ("flow-note", "stages-note")

# Three cards by hand, counted at NOW (2026-12-01 12:00 UTC):
# - went: idea 28 Nov 09:00, prototype 15:00, test 29 Nov 09:00, back to prototype
#   21:00, test again 30 Nov 09:00, learned 21:00 (a pivot);
# - slow: idea 29 Nov 10:00, prototype 30 Nov 10:00;
# - gone: an idea of 28 Nov, archived (left out of everything).
BY_HAND = """\
[cards.went0001]
title = "Went back once"
stage = "learned"
rank = "h"
created = 2026-11-28T09:00:00Z
updated = 2026-11-30T21:00:00Z
decision = "pivot"
history = [
    { at = 2026-11-28T09:00:00Z, by = "a", stage = "idea" },
    { at = 2026-11-28T15:00:00Z, by = "a", stage = "prototype" },
    { at = 2026-11-29T09:00:00Z, by = "a", stage = "test" },
    { at = 2026-11-29T21:00:00Z, by = "a", stage = "prototype" },
    { at = 2026-11-30T09:00:00Z, by = "a", stage = "test" },
    { at = 2026-11-30T21:00:00Z, by = "a", stage = "learned" },
]

[cards.slow0001]
title = "Slow"
stage = "prototype"
rank = "i"
created = 2026-11-29T10:00:00Z
updated = 2026-11-30T10:00:00Z
history = [
    { at = 2026-11-29T10:00:00Z, by = "a", stage = "idea" },
    { at = 2026-11-30T10:00:00Z, by = "a", stage = "prototype" },
]

[cards.gone0001]
title = "Archived"
stage = "idea"
rank = "j"
created = 2026-11-28T09:00:00Z
updated = 2026-11-28T09:00:00Z
archived = true
"""


async def open_metrics(pilot: Pilot[Any]) -> MetricsScreen:
    """Press m on the board and wait until the figures are counted and drawn."""
    await settle(pilot)
    await pilot.press("m")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MetricsScreen)
    assert screen.counted is not None
    return screen


def figures_on(screen: MetricsScreen) -> dict[str, str]:
    """The figures as the screen shows them: label -> value (wrapped lines joined)."""
    text = shown_text(screen.query_one("#figures", Static))
    shown: dict[str, str] = {}
    label = ""
    for line in text.splitlines():
        if not line.strip():
            continue
        if line[:1] != " ":
            left, _gap, value = line.partition("  ")
            label = left.strip()
            shown[label] = value.strip()
        else:
            shown[label] += " " + line.strip()
    return shown


async def test_the_figures_are_the_ones_counted_by_hand(tmp_path: Path, fixed_now: Any) -> None:
    path = write_board(tmp_path / "hand.toml", BY_HAND)
    app = steady_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_metrics(pilot)
        shown = figures_on(screen)
    hours = timedelta(hours=1)
    # went: idea 6 h; prototype 18 h + 12 h (both stays); test 12 h + 12 h; learned 15 h
    # (30 Nov 21:00 to 1 Dec 12:00); idea to learned 28 Nov 09:00 to 30 Nov 21:00
    # slow: idea 24 h; prototype 26 h (30 Nov 10:00 to 1 Dec 12:00)
    assert shown["Cards"] == "2 (1 archived, left out)"
    assert shown["Cards per stage"] == "idea 0 · prototype 1 · test 0 · learned 1"
    assert shown["Median time from idea to learned"] == duration(timedelta(days=2, hours=12))
    assert shown["Median time in idea"] == duration((6 * hours + 24 * hours) / 2)
    assert shown["Median time in prototype"] == duration((30 * hours + 26 * hours) / 2)
    assert shown["Median time in test"] == duration(24 * hours)
    assert shown["Median time in learned"] == duration(15 * hours)
    assert shown["Ideas that reached test"] == "1 of 2, 50 %"
    assert shown["Decisions"].startswith("persevere 0 · pivot 1 · scale 0 · stop 0")
    # arrived in learned on Monday 30 November: the week of 2026-W49
    assert shown["Learnings per week"] == "2026-W48 0 · 2026-W49 1"
    # the flow chart's series: the cards in each stage at the end of each day (today: now)
    zero = dict.fromkeys(Stage, 0)
    expected = [
        (date(2026, 11, 28), {**zero, Stage.PROTOTYPE: 1}),
        (date(2026, 11, 29), {**zero, Stage.IDEA: 1, Stage.PROTOTYPE: 1}),
        (date(2026, 11, 30), {**zero, Stage.PROTOTYPE: 1, Stage.LEARNED: 1}),
        (date(2026, 12, 1), {**zero, Stage.PROTOTYPE: 1, Stage.LEARNED: 1}),
    ]
    assert screen.counted is not None
    assert [(d.day, dict(d.counts)) for d in screen.counted.days] == expected


async def test_an_example_board_shows_the_summary_and_both_charts(
    tmp_path: Path, fixed_now: Any
) -> None:
    path = tmp_path / "family-culture.toml"
    shutil.copyfile(EXAMPLES / "family-culture.toml", path)
    app = steady_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_metrics(pilot)
        shown = figures_on(screen)
        plots = {plot.id: plot.display for plot in screen.query(PlotextPlot)}
        notes = [
            str(screen.query_one(f"#{n}", Label).render()) for n in ("flow-note", "stages-note")
        ]
    report = build(storage.load(path).board, NOW)
    assert shown == {figure.label: figure.value for figure in summary(report)}
    assert plots == {"flow": True, "stages": True}
    assert notes == ["", ""]


async def test_an_empty_board_and_a_one_day_board_say_so_instead_of_charts(
    tmp_path: Path, fixed_now: Any
) -> None:
    empty = write_board(tmp_path / "empty.toml", "")
    one_day = write_board(
        tmp_path / "one.toml",
        BY_HAND.split("[cards.slow0001]")[0]
        .replace("2026-11-28", "2026-12-01")
        .replace("2026-11-29", "2026-12-01")
        .replace("2026-11-30", "2026-12-01"),
    )
    said: dict[str, list[str]] = {}
    drawn: dict[str, dict[str | None, bool]] = {}
    for path in (empty, one_day):
        app = steady_app(path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_metrics(pilot)
            drawn[path.stem] = {plot.id: plot.display for plot in screen.query(PlotextPlot)}
            said[path.stem] = [str(screen.query_one(f"#{n}", Label).render()) for n in NOTES]
    assert drawn == {
        "empty": {"flow": False, "stages": False},
        # its moves after 12:00 stop at now: 3 h in idea, the time chart has a bar
        "one": {"flow": False, "stages": True},
    }
    assert said["empty"] == [
        "No cards yet: the chart starts with the first card.",
        "No cards yet: nothing has spent time in a stage.",
    ]
    # one card, every move on 1 December: one day of history, and a card that has moved
    flow_note, stages_note = said["one"]
    assert flow_note.startswith("Every card's history is from one day, 2026-12-01")
    assert stages_note == ""


async def test_a_change_by_another_process_is_counted_while_the_screen_is_open(
    board_file: Path, fixed_now: Any
) -> None:
    app = steady_app(board_file, watch="auto")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_metrics(pilot)
        before = figures_on(screen)["Cards per stage"]
        await someone("move", str(board_file), "aaaa0001", "learned")
        after = summary(build(storage.load(board_file).board, NOW))
        wanted = {f.label: f.value for f in after}
        await until(
            pilot,
            lambda: figures_on(screen) == wanted,
            10,
            "the metrics screen to count the moved card",
        )
        assert pilot.app.screen is screen  # still open, counted again in place
    assert wanted["Cards per stage"] != before


async def test_escape_and_q_close_the_screen_and_keys_in_a_burst_act_in_order(
    board_file: Path, fixed_now: Any
) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "m", "escape", "m")
        await settle(pilot)
        assert isinstance(app.screen, MetricsScreen)  # m, closed, opened again
        # the board screen passes its boards on to the one open now (not the closed one)
        assert board_screen(app)._metrics is app.screen
        burst(app, "q", "m", "q")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)  # q closes the screen, never the app
        assert app.is_running
        burst(app, "m", "q", "n", "escape")
        await settle(pilot)  # the key after the screen closed reached the board
        assert isinstance(app.screen, BoardScreen)


def test_the_flow_chart_draws_every_nth_day_ending_today() -> None:
    days = list(range(10))
    assert every_nth(days, 20) == (1, days)
    assert every_nth(days, 4) == (3, [0, 3, 6, 9])
    assert every_nth(days, 1) == (10, [9])
    assert every_nth([], 5) == (1, [])


def test_the_time_chart_counts_in_days_hours_or_minutes() -> None:
    assert time_unit(timedelta(days=4)) == (86400.0, "days")
    assert time_unit(timedelta(hours=30)) == (3600.0, "hours")
    assert time_unit(timedelta(minutes=50)) == (60.0, "minutes")


async def test_the_flow_chart_is_drawn_a_bounded_number_of_times(
    board_file: Path, fixed_now: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chart without a width yet is drawn once more, not again and again (a 10,000-card
    board's chart was redrawn forever, the app spinning, when it got no width in time)."""
    draws: list[bool] = []
    draw = MetricsScreen._draw_flow

    def counting(self: MetricsScreen, again: bool = True) -> None:
        draws.append(again)
        draw(self, again)

    monkeypatch.setattr(MetricsScreen, "_draw_flow", counting)
    monkeypatch.setattr(PlotextPlot, "size", property(lambda self: Size(0, 0)))  # never laid out
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await open_metrics(pilot)
        for _ in range(20):
            await pilot.pause()
    # each draw (the count's, a resize's) asks for one more at most, which asks for none
    assert draws.count(False) <= draws.count(True) <= 2

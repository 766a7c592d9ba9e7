"""The report's charts (`report.charts`): read back from their SVG, against figures
worked out by hand from the history each test builds."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sprintboard.flow import measure
from sprintboard.model import Board
from sprintboard.report import charts
from sprintboard.vocabulary import Stage

DAY1 = datetime(2026, 11, 23, tzinfo=UTC)
NOW = DAY1 + timedelta(days=2, hours=12)


def at(day: int, hour: int) -> datetime:
    return DAY1 + timedelta(days=day - 1, hours=hour)


def card(history: list[tuple[datetime, str]], **extra: Any) -> dict[str, Any]:
    return {
        "title": "c",
        "stage": history[-1][1],
        "rank": "m",
        "created": history[0][0],
        "updated": history[-1][0],
        "history": [{"at": when, "by": "x", "stage": stage} for when, stage in history],
        **extra,
    }


def board(cards: dict[str, dict[str, Any]]) -> Board:
    return Board.model_validate({"schema": 1, "title": "T", "cards": cards})


# A: idea day 1 09:00, prototype day 2 10:00, test day 3 08:00 (now: day 3 12:00)
# B: idea day 2 12:00
# C: idea day 1 10:00, prototype day 1 15:00, test day 2 09:00, learned day 2 18:00
THREE = board(
    {
        "a": card([(at(1, 9), "idea"), (at(2, 10), "prototype"), (at(3, 8), "test")]),
        "b": card([(at(2, 12), "idea")]),
        "c": card(
            [
                (at(1, 10), "idea"),
                (at(1, 15), "prototype"),
                (at(2, 9), "test"),
                (at(2, 18), "learned"),
            ]
        ),
    }
)


def parse(chart: charts.Chart) -> ET.Element:
    assert chart.svg is not None, chart.note
    return ET.fromstring(chart.svg)


def test_the_cumulative_flow_stacks_each_days_counts_learned_at_the_bottom() -> None:
    # by hand, at the end of each day (idea, prototype, test, learned):
    # day 1: A idea, C prototype -> 1 1 0 0; day 2: A prototype, B idea, C learned -> 1 1 0 1
    # day 3 (now): A test, B idea, C learned -> 1 0 1 1
    # stacked from learned up, the top edge of each stage's band:
    tops = {
        Stage.LEARNED: [0, 1, 1],
        Stage.TEST: [0, 1, 2],
        Stage.PROTOTYPE: [1, 2, 2],
        Stage.IDEA: [2, 3, 3],
    }
    svg = parse(charts.cumulative_flow(measure(THREE, NOW)))
    # the grid's lines, bottom up, are the count axis' ticks 0, 1, 2, … (a step of 1 here)
    grid = [float(line.get("y1", "")) for line in svg.iter("line")][:2]
    counts = [int(t.text or "") for t in svg.iter("text") if t.get("class") == "count"]
    assert counts[:2] == [0, 1]
    zero, one = grid
    polygons = {p.get("class"): p for p in svg.iter("polygon")}
    assert list(polygons) == [f"stage-{s.value}" for s in reversed(Stage)]
    xs = None
    for stage, expected in tops.items():
        points = [
            tuple(map(float, p.split(",")))
            for p in polygons[f"stage-{stage.value}"].get("points", "").split()
        ]
        upper = points[: len(expected)]
        values = [(zero - y) / (zero - one) for _x, y in upper]
        assert values == pytest.approx(expected, abs=0.01), stage
        xs = xs or [x for x, _y in upper]
        assert [x for x, _y in upper] == xs  # every band on the same days
    assert xs is not None and xs[0] < xs[1] < xs[2]
    days = [t.text for t in svg.iter("text") if t.get("class") == "day"]
    assert days == ["2026-11-23", "2026-11-24", "2026-11-25"]
    legend = [t.text for t in svg.find("g[@class='legend']") or [] if t.tag == "text"]
    assert legend == ["idea", "prototype", "test", "learned"]
    assert "2026-11-23 to 2026-11-25" in (svg.findtext("title") or "")
    assert (
        svg.findtext("desc") == "At the end of 2026-11-25: idea 1, prototype 0, test 1, learned 1."
    )


def test_the_time_in_stage_bars_are_each_stages_median_labelled_in_words() -> None:
    # by hand: idea A 25 h, B 24 h, C 5 h -> 24 h; prototype A 22 h, C 18 h -> 20 h;
    # test A 4 h, C 9 h -> 6 h 30 min; learned C 18 h
    hours = {Stage.IDEA: 24, Stage.PROTOTYPE: 20, Stage.TEST: 6.5, Stage.LEARNED: 18}
    svg = parse(charts.time_in_stage(measure(THREE, NOW)))
    bars = {r.get("class"): float(r.get("width", "")) for r in svg.iter("rect")}
    longest = bars["stage-idea"]
    for stage, h in hours.items():
        assert bars[f"stage-{stage.value}"] == pytest.approx(longest * h / 24, abs=0.1)
    values = [t.text for t in svg.iter("text") if t.get("class") == "value"]
    assert values == ["1 d 0 h", "20 h 0 min", "6 h 30 min", "18 h 0 min"]
    names = [t.text for t in svg.iter("text") if t.get("class") == "stage"]
    assert names == ["idea", "prototype", "test", "learned"]


def test_a_stage_no_card_was_in_has_no_bar_and_says_none_yet() -> None:
    only = board({"b": card([(at(2, 12), "idea")])})
    svg = parse(charts.time_in_stage(measure(only, NOW)))
    assert [r.get("class") for r in svg.iter("rect")] == ["stage-idea"]
    values = [t.text for t in svg.iter("text") if t.get("class") == "value"]
    assert values == ["1 d 0 h", "none yet", "none yet", "none yet"]


def test_no_cards_and_a_single_day_give_a_sentence_not_a_chart() -> None:
    empty = measure(board({}), NOW)
    for chart in (charts.cumulative_flow(empty), charts.time_in_stage(empty)):
        assert chart.svg is None and chart.note.endswith(".")
    today = board({"b": card([(NOW - timedelta(hours=3), "idea")])})
    chart = charts.cumulative_flow(measure(today, NOW))
    assert chart.svg is None
    assert chart.note == "Every card is from 2026-11-25: the cumulative flow needs a second day."


def test_a_thousand_days_get_day_labels_that_never_collide() -> None:
    old = board({"o": card([(NOW - timedelta(days=2000), "idea")]), **THREE.model_dump()["cards"]})
    svg = parse(charts.cumulative_flow(measure(old, NOW)))
    width = float(svg.get("viewBox", "").split()[2])
    days = [
        (float(t.get("x", "")), t.text or "") for t in svg.iter("text") if t.get("class") == "day"
    ]
    assert len(days) >= 3
    size = charts.FONT * charts.CHAR_WIDTH
    for (x1, a), (x2, b) in itertools.pairwise(days):
        assert x2 - x1 >= (len(a) + len(b)) / 2 * size + size
    assert all(len(text) / 2 * size <= x <= width - len(text) / 2 * size for x, text in days)


def test_every_number_in_a_chart_has_one_fixed_decimal() -> None:
    for chart in (
        charts.cumulative_flow(measure(THREE, NOW)),
        charts.time_in_stage(measure(THREE, NOW)),
    ):
        svg = parse(chart)
        for element in svg.iter():
            for name in ("x", "y", "x1", "y1", "x2", "y2", "width", "height"):
                if name in element.attrib:
                    assert re.fullmatch(r"\d+\.\d", element.attrib[name]), (name, element.attrib)
            for point in element.get("points", "").split():
                assert re.fullmatch(r"\d+\.\d,\d+\.\d", point), point


@pytest.mark.parametrize(
    ("peak", "step"), [(1, 1), (5, 1), (6, 2), (10, 2), (11, 5), (25, 5), (26, 10), (9999, 2000)]
)
def test_the_count_axis_steps_are_one_two_or_five_times_a_power_of_ten(
    peak: int, step: int
) -> None:
    assert charts.nice_step(peak) == step


def test_label_indices_spread_labels_from_the_first_point() -> None:
    assert charts.label_indices(0, 100, 10) == []
    assert charts.label_indices(1, 100, 10) == [0]
    assert charts.label_indices(3, 300, 50) == [0, 1, 2]
    found = charts.label_indices(101, 300, 50)
    assert found[0] == 0 and all(b - a == found[1] for a, b in itertools.pairwise(found))
    assert (found[1]) * 3 >= 50 + charts.FONT * charts.CHAR_WIDTH


def test_long_stage_names_take_a_second_legend_row_and_the_plot_moves_down(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    short = parse(charts.cumulative_flow(measure(THREE, NOW)))
    monkeypatch.setattr(charts, "stage_label", lambda stage: f"the {stage.value} stage, at length")
    svg = parse(charts.cumulative_flow(measure(THREE, NOW)))
    legend = svg.find("g[@class='legend']")
    assert legend is not None
    rows = sorted({float(r.get("y", "")) for r in legend.iter("rect")})
    assert len(rows) >= 2
    size = charts.FONT * charts.CHAR_WIDTH
    for text in legend.iter("text"):
        assert float(text.get("x", "")) + len(text.text or "") * size <= charts.WIDTH
    height = float(svg.get("viewBox", "").split()[3])
    assert height > float(short.get("viewBox", "").split()[3])
    grid = svg.find("g[@class='grid']")
    assert grid is not None
    highest = min(float(line.get("y1", "")) for line in grid.iter("line"))
    assert highest > rows[-1] + 14  # the plot's top is below the legend's last row

"""The figures in words (`report.figures`): one wording for `stats`, the reports and the app."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from sprintboard.co_creation import external_hands
from sprintboard.flow import Week
from sprintboard.model import Board
from sprintboard.report.content import build
from sprintboard.report.figures import (
    Figure,
    duration,
    hands_per_stage,
    learnings_per_week,
    percent,
    share,
    summary,
    week_label,
)

H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("span", "words"),
    [
        (None, "none yet"),
        (timedelta(0), "0 min"),
        (timedelta(seconds=29), "0 min"),
        (timedelta(seconds=31), "1 min"),
        (timedelta(minutes=59), "59 min"),
        (H, "1 h 0 min"),
        (23 * H + timedelta(minutes=59, seconds=40), "1 d 0 h"),  # rounds to the minute first
        (3 * 24 * H + 23 * H, "3 d 23 h"),
        (timedelta(days=9999 * 366), f"{9999 * 366} d 0 h"),
        (-H, "0 min"),  # never negative (a clock gone back)
    ],
)
def test_duration(span: timedelta | None, words: str) -> None:
    assert duration(span) == words


@pytest.mark.parametrize(
    ("part", "whole", "words"),
    [
        (0, 0, "none yet"),
        (0, 5, "0 of 5, 0 %"),
        (3, 8, "3 of 8, 38 %"),  # 37.5 rounds up
        (1, 8, "1 of 8, 13 %"),  # 12.5 rounds up (not to even)
        (5, 5, "5 of 5, 100 %"),
        (1, 400, "1 of 400, 1 %"),  # 0.25: some, so not 0 %
        (399, 400, "399 of 400, 99 %"),  # 99.75: not all, so not 100 %
    ],
)
def test_share(part: int, whole: int, words: str) -> None:
    assert share(part, whole) == words


def test_percent_is_monotone_and_bounded() -> None:
    for whole in range(1, 60):
        values = [percent(part, whole) for part in range(whole + 1)]
        assert values == sorted(values) and values[0] == 0 and values[-1] == 100
        assert all(1 <= v <= 99 for v in values[1:-1])


def test_week_label_is_the_iso_week() -> None:
    assert week_label(date(2026, 11, 23)) == "2026-W48"
    assert week_label(date(2026, 12, 28)) == "2026-W53"  # 2026 has 53 ISO weeks
    assert week_label(date(2027, 1, 4)) == "2027-W01"


def _board() -> Board:
    """anna external, nanna internal; an idea by anna, an idea by nanna, a prototype by
    nobody, a learned card by anna with decision pivot (idea 23rd 09:00 -> learned 25th
    09:00), and an archived test card by anna."""

    def card(
        stage: str, by: list[str], moves: list[tuple[int, str]], **extra: object
    ) -> dict[str, object]:
        history = [
            {"at": datetime(2026, 11, d, 9, tzinfo=UTC), "by": "nanna", "stage": s}
            for d, s in moves
        ]
        return {
            "title": "t",
            "stage": stage,
            "rank": "m",
            "created": history[0]["at"],
            "updated": history[-1]["at"],
            "by": by,
            "history": history,
            **extra,
        }

    return Board.model_validate(
        {
            "schema": 1,
            "title": "Figures",
            "members": {
                "anna": {"name": "Anna", "side": "external"},
                "nanna": {"name": "Nanna", "side": "internal"},
            },
            "cards": {
                "a": card("idea", ["anna"], [(23, "idea")]),
                "b": card("idea", ["nanna"], [(24, "idea")]),
                "c": card("prototype", [], [(23, "idea"), (24, "prototype")]),
                "d": card("learned", ["anna"], [(23, "idea"), (25, "learned")], decision="pivot"),
                "e": card("test", ["anna"], [(23, "idea"), (24, "test")], archived=True),
            },
        }
    )


def test_summary_in_order_with_its_words() -> None:
    now = datetime(2026, 11, 26, 9, tzinfo=UTC)
    report = build(_board(), now, UTC)
    # worked out from _board at the 26th 09:00:
    # 4 cards shown, 1 archived; idea 2, prototype 1, test 0, learned 1
    # external hands: a and d of the 4 -> 2 of 4, 50 %
    # idea -> learned: d only, 2 days
    # time in idea: a 3 d, b 2 d, c 1 d, d 2 d -> median of 1, 2, 2, 3 = 2 d
    # prototype: c 2 d; test: nobody (e is archived); learned: d 1 d
    # reached test: d only -> 1 of 4, 25 %
    # learnings per week: d arrived the 25th, in W48 (23rd-29th): 1
    assert summary(report) == [
        Figure("Cards", "4 (1 archived, left out)"),
        Figure("Cards per stage", "idea 2 · prototype 1 · test 0 · learned 1"),
        Figure("Cards with external hands", "2 of 4, 50 %"),
        Figure("Median time from idea to learned", "2 d 0 h"),
        Figure("Median time in idea", "2 d 0 h"),
        Figure("Median time in prototype", "2 d 0 h"),
        Figure("Median time in test", "none yet"),
        Figure("Median time in learned", "1 d 0 h"),
        Figure("Ideas that reached test", "1 of 4, 25 %"),
        Figure("Decisions", "persevere 0 · pivot 1 · scale 0 · stop 0 · undecided 0"),
        Figure("Learnings per week", "2026-W48 1"),
    ]


def test_the_co_creation_figure_per_stage() -> None:
    # idea: a (anna) and b (nanna) -> 1 of 2; prototype: c (nobody) -> 0 of 1;
    # test: only the archived e -> none; learned: d (anna) -> 1 of 1
    assert hands_per_stage(external_hands(_board())) == [
        Figure("Cards with external hands in idea", "1 of 2, 50 %"),
        Figure("Cards with external hands in prototype", "0 of 1, 0 %"),
        Figure("Cards with external hands in test", "none yet"),
        Figure("Cards with external hands in learned", "1 of 1, 100 %"),
    ]


def test_an_empty_board_is_none_yet_everywhere() -> None:
    report = build(Board.model_validate({"schema": 1, "title": "Empty"}), datetime.now(UTC))
    values = {f.label: f.value for f in summary(report)}
    assert values["Cards"] == "0"
    assert values["Cards with external hands"] == "none yet"
    assert values["Median time from idea to learned"] == "none yet"
    assert values["Ideas that reached test"] == "none yet"
    assert values["Learnings per week"] == "none yet"
    assert all(f.value == "none yet" for f in hands_per_stage(report.hands))


def test_learnings_per_week_names_the_last_weeks_and_adds_up_the_ones_before() -> None:
    # 14 weeks from Monday 2026-08-31 (W36): a learning in weeks 0, 1 and 13
    first = date(2026, 8, 31)
    weeks = [Week(first + timedelta(weeks=i), 1 if i in (0, 1, 13) else 0) for i in range(14)]
    words = learnings_per_week(weeks)
    # the first 2 weeks (W36, W37: 2 learnings) added up, the last 12 (W38 to W49) by name
    assert words.startswith("2 in the 2 weeks before · 2026-W38 0 · 2026-W39 0 · ")
    assert words.endswith(" · 2026-W48 0 · 2026-W49 1")
    assert words.count("·") == 12
    assert learnings_per_week(weeks[-12:]).startswith("2026-W38 0")  # 12: all by name
    assert learnings_per_week(weeks[-13:]).startswith("1 in the 1 week before · 2026-W38")
    assert learnings_per_week([]) == "none yet"

"""The flow figures (`flow.measure`) on hand-built histories, answers worked out by hand.

Every expected value is computed here from the history the test writes, with the
arithmetic spelled out; nothing is copied from a run of the code.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sprintboard import ops, storage
from sprintboard.flow import MAX_DAYS, Flow, measure
from sprintboard.model import Board, Decision, Stage

H = timedelta(hours=1)
COPENHAGEN = ZoneInfo("Europe/Copenhagen")  # summer time: the command line's kind of zone
D = timedelta(days=1)
IDEA, PROTO, TEST, LEARNED = Stage.IDEA, Stage.PROTOTYPE, Stage.TEST, Stage.LEARNED


def at(day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment in the test's week: `day` of November 2026 (the 23rd is a Monday), UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def card(
    stage: Stage,
    moves: list[tuple[datetime, Stage]],
    *,
    created: datetime | None = None,
    updated: datetime | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A card's fields with the history `moves` (time, stage entered), in the given order."""
    first = moves[0][0] if moves else at(23)
    return {
        "title": "a card",
        "stage": stage.value,
        "rank": "m",
        "created": created or first,
        "updated": updated or (moves[-1][0] if moves else first),
        "history": [{"at": t, "by": "nanna", "stage": s.value} for t, s in moves],
        **extra,
    }


def board(**cards: dict[str, Any]) -> Board:
    return Board.model_validate({"schema": 1, "title": "Flow", "cards": cards})


def counts(flow: Flow) -> dict[date, tuple[int, int, int, int]]:
    """The cumulative series as day -> (idea, prototype, test, learned)."""
    return {d.day: tuple(d.counts[s] for s in Stage) for d in flow.cumulative}  # type: ignore[misc]


# --- one card that went back -----------------------------------------------------------


def test_a_card_that_went_back_counts_both_stays_and_its_lead_time() -> None:
    moves = [
        (at(23, 9), IDEA),
        (at(23, 11), PROTO),
        (at(24, 9), TEST),
        (at(24, 15), PROTO),  # back: the test failed
        (at(25, 10), TEST),
        (at(25, 16), LEARNED),
    ]
    now = at(26, 12)
    flow = measure(board(c1=card(LEARNED, moves)), now)
    (one,) = flow.cards
    assert [s.stage for s in one.stays] == [IDEA, PROTO, TEST, PROTO, TEST, LEARNED]
    idea = 2 * H  # 09:00 -> 11:00
    proto = (24 - 11) * H + 9 * H + (24 - 15) * H + 10 * H  # 22 h + 19 h, both stays
    test = 6 * H + 6 * H  # 09:00 -> 15:00 on the 24th, 10:00 -> 16:00 on the 25th
    learned = (24 - 16) * H + 12 * H  # 16:00 on the 25th -> now, 12:00 on the 26th
    assert (idea, proto, test, learned) == (2 * H, 41 * H, 12 * H, 20 * H)
    assert one.time_in(IDEA) == idea and one.time_in(PROTO) == proto
    assert one.time_in(TEST) == test and one.time_in(LEARNED) == learned
    assert one.lead_time == idea + proto + test == 55 * H  # arrival in learned - first start
    assert one.learned_at == at(25, 16)
    assert idea + proto + test + learned == now - at(23, 9)  # 3 d 3 h
    assert flow.median_lead_time == 55 * H
    assert flow.median_in_stage == {IDEA: idea, PROTO: proto, TEST: test, LEARNED: learned}
    assert flow.reached_test == 1 and flow.share_tested == 1.0
    assert flow.per_stage == {IDEA: 0, PROTO: 0, TEST: 0, LEARNED: 1}


def test_medians_over_the_cards_that_were_in_the_stage() -> None:
    # three cards: idea stays of 1 h, 3 h and 8 h; only two of them ever reached prototype
    now = at(24, 12)
    flow = measure(
        board(
            a=card(PROTO, [(at(23, 8), IDEA), (at(23, 9), PROTO)]),  # idea 1 h, proto 27 h
            b=card(PROTO, [(at(23, 8), IDEA), (at(23, 11), PROTO)]),  # idea 3 h, proto 25 h
            c=card(IDEA, [(at(24, 4), IDEA)]),  # idea 8 h so far (04:00 -> 12:00)
        ),
        now,
    )
    assert flow.median_in_stage[IDEA] == 3 * H  # the middle of 1, 3, 8
    assert flow.median_in_stage[PROTO] == (27 * H + 25 * H) / 2  # two values: their mean
    assert flow.median_in_stage[TEST] is None and flow.median_in_stage[LEARNED] is None
    assert flow.median_lead_time is None  # no card in learned
    assert flow.reached_test == 0 and flow.share_tested == 0.0


# --- the cumulative flow series ------------------------------------------------------------


def test_three_cards_over_three_days() -> None:
    # a: idea 23rd 10:00, prototype 24th 09:00, test 25th 11:00
    # b: idea 23rd 15:00, prototype 25th 08:00
    # c: idea 24th 12:00 (stays)
    # now: the 25th 18:00
    #
    #   end of day      idea  prototype  test  learned
    #   23rd (24:00)    a b   -          -     -        -> 2 0 0 0
    #   24th (24:00)    b c   a          -     -        -> 2 1 0 0
    #   25th (now)      c     b          a     -        -> 1 1 1 0
    flow = measure(
        board(
            a=card(TEST, [(at(23, 10), IDEA), (at(24, 9), PROTO), (at(25, 11), TEST)]),
            b=card(PROTO, [(at(23, 15), IDEA), (at(25, 8), PROTO)]),
            c=card(IDEA, [(at(24, 12), IDEA)]),
        ),
        at(25, 18),
    )
    assert counts(flow) == {
        date(2026, 11, 23): (2, 0, 0, 0),
        date(2026, 11, 24): (2, 1, 0, 0),
        date(2026, 11, 25): (1, 1, 1, 0),
    }


def test_a_stage_left_and_entered_within_a_day_is_not_there_at_its_end() -> None:
    # idea 23rd 09:00, prototype 10:00, test 11:00 the same day; now the 24th 08:00
    # end of the 23rd: in test only; the 24th: still in test
    flow = measure(
        board(a=card(TEST, [(at(23, 9), IDEA), (at(23, 10), PROTO), (at(23, 11), TEST)])),
        at(24, 8),
    )
    assert counts(flow) == {date(2026, 11, 23): (0, 0, 1, 0), date(2026, 11, 24): (0, 0, 1, 0)}


def test_a_move_at_midnight_counts_on_the_day_it_starts() -> None:
    # idea 23rd 10:00, prototype at exactly 00:00 on the 24th; now the 24th 06:00.
    # At the last instant of the 23rd the card is still an idea; the 24th it is a prototype.
    flow = measure(board(a=card(PROTO, [(at(23, 10), IDEA), (at(24, 0), PROTO)])), at(24, 6))
    assert counts(flow) == {date(2026, 11, 23): (1, 0, 0, 0), date(2026, 11, 24): (0, 1, 0, 0)}


def test_days_are_counted_in_the_given_zone() -> None:
    # idea on the 23rd 12:00 UTC, moved to prototype on the 23rd 23:30 UTC, which is
    # the 24th 00:30 in UTC+01:00; now the 24th 12:00 UTC (13:00 there).
    plus_one = timezone(timedelta(hours=1))
    b = board(a=card(PROTO, [(at(23, 12), IDEA), (at(23, 23, 30), PROTO)]))
    now = at(24, 12)
    # UTC: the move is on the 23rd, so the card ends the 23rd as a prototype
    assert counts(measure(b, now, UTC)) == {
        date(2026, 11, 23): (0, 1, 0, 0),
        date(2026, 11, 24): (0, 1, 0, 0),
    }
    # UTC+01:00: the 23rd ends (23:00 UTC) before the move, so it is still an idea then
    assert counts(measure(b, now, plus_one)) == {
        date(2026, 11, 23): (1, 0, 0, 0),
        date(2026, 11, 24): (0, 1, 0, 0),
    }


# --- learnings per week, decisions, share tested, archived -------------------------------


def test_learnings_per_week_with_an_empty_week_between() -> None:
    # weeks from Monday: W48 = 23rd-29th Nov, W49 = 30th Nov-6th Dec, W50 = 7th-13th Dec
    # a and b arrive in learned in W48, none in W49, c in W50 (on the 8th of December)
    # d went to learned in W48 but is back in test: not a learning (not there to stay)
    dec8 = datetime(2026, 12, 8, 9, tzinfo=UTC)
    flow = measure(
        board(
            a=card(LEARNED, [(at(23, 9), IDEA), (at(24, 9), LEARNED)]),
            b=card(LEARNED, [(at(23, 9), IDEA), (at(29, 23), LEARNED)]),
            c=card(LEARNED, [(at(23, 9), IDEA), (dec8, LEARNED)]),
            d=card(TEST, [(at(23, 9), IDEA), (at(25, 9), LEARNED), (at(26, 9), TEST)]),
        ),
        datetime(2026, 12, 9, 12, tzinfo=UTC),
    )
    assert [(w.monday, w.learnings) for w in flow.weeks] == [
        (date(2026, 11, 23), 2),
        (date(2026, 11, 30), 0),
        (date(2026, 12, 7), 1),
    ]
    # lead times: a 1 d, b 6 d 14 h, c 15 d; median the middle one
    assert flow.median_lead_time == 6 * D + 14 * H


def test_decisions_tally_and_undecided() -> None:
    # learned: two pivots, one stop, two without a decision; a card back in prototype
    # keeps its decision (counted), an archived stop is left out
    learned = [(at(23, 9), IDEA), (at(24, 9), LEARNED)]
    flow = measure(
        board(
            a=card(LEARNED, learned, decision="pivot"),
            b=card(LEARNED, learned, decision="pivot"),
            c=card(LEARNED, learned, decision="stop"),
            d=card(LEARNED, learned),
            e=card(LEARNED, learned),
            f=card(PROTO, [*learned, (at(25, 9), PROTO)], decision="persevere"),
            g=card(LEARNED, learned, decision="stop", archived=True),
        ),
        at(26),
    )
    assert flow.decisions == {
        Decision.PERSEVERE: 1,
        Decision.PIVOT: 2,
        Decision.SCALE: 0,
        Decision.STOP: 1,
    }
    assert flow.undecided == 2
    assert flow.archived == 1 and flow.total == 6


def test_share_tested_of_no_card_is_none() -> None:
    flow = measure(board(), at(26))
    assert flow.total == 0 and flow.share_tested is None and flow.reached_test == 0
    assert flow.cumulative == () and flow.weeks == ()
    assert flow.median_lead_time is None
    assert all(v is None for v in flow.median_in_stage.values())
    assert flow.per_stage == dict.fromkeys(Stage, 0) and flow.undecided == 0


def test_share_tested_counts_cards_ever_in_test_or_learned() -> None:
    # 4 cards: one in test now, one that was in test and went back to idea, one added
    # straight into learned, one that never got past prototype -> 3 of 4
    flow = measure(
        board(
            a=card(TEST, [(at(23, 9), IDEA), (at(24, 9), TEST)]),
            b=card(IDEA, [(at(23, 9), IDEA), (at(24, 9), TEST), (at(24, 10), IDEA)]),
            c=card(LEARNED, [(at(23, 9), LEARNED)]),
            d=card(PROTO, [(at(23, 9), IDEA), (at(24, 9), PROTO)]),
        ),
        at(26),
    )
    assert flow.reached_test == 3 and flow.share_tested == 3 / 4


def test_archived_cards_are_left_out_of_every_figure() -> None:
    moves = [(at(23, 9), IDEA), (at(24, 9), TEST), (at(25, 9), LEARNED)]
    shown = card(IDEA, [(at(23, 9), IDEA)])
    with_archived = board(a=shown, b=card(LEARNED, moves, archived=True, decision="scale"))
    without = board(a=shown)
    kept, alone = measure(with_archived, at(26)), measure(without, at(26))
    assert kept.archived == 1 and alone.archived == 0
    for name in (
        "cards",
        "per_stage",
        "median_lead_time",
        "median_in_stage",
        "cumulative",
        "weeks",
        "reached_test",
        "decisions",
        "undecided",
    ):
        assert getattr(kept, name) == getattr(alone, name), name


# --- cards without history, odd histories ------------------------------------------------


def test_a_card_without_history_entered_its_stage_when_created() -> None:
    # created the 23rd 10:00 in test, no history; now the 25th 10:00 -> 2 days in test
    flow = measure(board(a=card(TEST, [], created=at(23, 10), updated=at(24))), at(25, 10))
    (one,) = flow.cards
    assert [(s.stage, s.start, s.end) for s in one.stays] == [(TEST, at(23, 10), at(25, 10))]
    assert flow.median_in_stage[TEST] == 2 * D and flow.reached_test == 1
    assert counts(flow) == {date(2026, 11, d): (0, 0, 1, 0) for d in (23, 24, 25)}


def test_a_card_in_learned_from_its_first_stay_has_no_lead_time_but_is_a_learning() -> None:
    # no history, or added straight into learned: its way there never was on the board
    flow = measure(
        board(
            a=card(LEARNED, [], created=at(24, 9)),
            b=card(LEARNED, [(at(24, 10), LEARNED)]),
        ),
        at(25),
    )
    assert [c.lead_time for c in flow.cards] == [None, None]
    assert flow.median_lead_time is None
    assert [(w.monday, w.learnings) for w in flow.weeks] == [(date(2026, 11, 23), 2)]


def test_history_out_of_order_is_read_in_time_order() -> None:
    # written as learned, idea, test: read as idea 23rd 09:00 -> test 24th 09:00 ->
    # learned 25th 09:00; lead time 2 days
    jumbled = [(at(25, 9), LEARNED), (at(23, 9), IDEA), (at(24, 9), TEST)]
    flow = measure(board(a=card(LEARNED, jumbled, updated=at(25, 9))), at(26, 9))
    (one,) = flow.cards
    assert [s.stage for s in one.stays] == [IDEA, TEST, LEARNED]
    assert one.lead_time == 2 * D and one.time_in(LEARNED) == 1 * D


def test_same_time_entries_keep_their_file_order_as_stays_of_no_length() -> None:
    # idea and prototype at the same second, then test an hour later: a prototype stay
    # of 0 counts as having been there (for the median: one value, 0)
    same = [(at(23, 9), IDEA), (at(23, 9), PROTO), (at(23, 10), TEST)]
    flow = measure(board(a=card(TEST, same)), at(23, 12))
    (one,) = flow.cards
    assert [(s.stage, s.length) for s in one.stays] == [
        (IDEA, timedelta(0)),
        (PROTO, 1 * H),
        (TEST, 2 * H),
    ]
    # stable sort: file order among equal times, so idea (first written) is the 0 stay
    assert flow.median_in_stage[IDEA] == timedelta(0)


def test_a_history_whose_last_stage_is_not_the_cards_ends_at_its_last_update() -> None:
    # the history says prototype (24th 09:00); the card says test, updated 25th 09:00:
    # read as prototype until the update, test from then; now the 26th 09:00
    flow = measure(
        board(a=card(TEST, [(at(23, 9), IDEA), (at(24, 9), PROTO)], updated=at(25, 9))),
        at(26, 9),
    )
    (one,) = flow.cards
    assert [(s.stage, s.length) for s in one.stays] == [(IDEA, D), (PROTO, D), (TEST, D)]
    assert one.stage is TEST and flow.per_stage[TEST] == 1


def test_times_after_now_stop_at_now() -> None:
    # idea 23rd 09:00, test on the 30th (a clock ahead); now the 25th 09:00:
    # 2 days in idea, the test stay starts and ends at now
    flow = measure(board(a=card(TEST, [(at(23, 9), IDEA), (at(30, 9), TEST)])), at(25, 9))
    (one,) = flow.cards
    assert [(s.stage, s.start, s.end) for s in one.stays] == [
        (IDEA, at(23, 9), at(25, 9)),
        (TEST, at(25, 9), at(25, 9)),
    ]
    assert flow.cumulative[-1].day == date(2026, 11, 25)  # never past today
    assert counts(flow)[date(2026, 11, 25)] == (0, 0, 1, 0)


def test_a_now_without_zone_is_a_bug() -> None:
    with pytest.raises(ValueError):
        measure(board(), datetime(2026, 11, 25))


# --- hostile dates, size -------------------------------------------------------------------


def test_year_one_and_year_9999_are_bounded_and_never_overflow() -> None:
    year_one = datetime(1, 1, 1, tzinfo=UTC)
    late = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    b = board(
        a=card(TEST, [(year_one, IDEA), (late, TEST)]),
        b=card(IDEA, [], created=year_one, updated=year_one),
    )
    now = at(25, 12)
    far_zones = (timezone(timedelta(hours=-12)), timezone(timedelta(hours=14)), COPENHAGEN)
    for zone in (UTC, *far_zones):
        flow = measure(b, now, zone)
        assert len(flow.cumulative) == MAX_DAYS  # the last 1,000 days, not 740,000
        assert flow.cumulative[-1].day == now.astimezone(zone).date()
        assert len(flow.weeks) <= MAX_DAYS // 7 + 2
        # a: an idea since year 1 (its test is after now); b: an idea since year 1
        assert flow.cumulative[0].counts[IDEA] == 2
        assert flow.median_in_stage[IDEA] == now - year_one
    # now itself at the calendar's ends, in zones that push it past them
    for moment in (year_one, late):
        for zone in far_zones:
            flow = measure(b, moment, zone)
            assert 1 <= len(flow.cumulative) <= MAX_DAYS
            assert sum(flow.cumulative[-1].counts.values()) == 2


def test_ten_thousand_cards() -> None:
    # card i: idea at 09:00 on day 23 + i % 3, to prototype i % 7 hours later;
    # every 4th card also to test 1 hour after that
    cards = {}
    for i in range(10_000):
        start = at(23 + i % 3, 9)
        moves = [(start, IDEA), (start + (i % 7) * H, PROTO)]
        if i % 4 == 0:
            moves.append((start + (i % 7 + 1) * H, TEST))
        cards[f"c{i:07d}"] = card(moves[-1][1], moves)
    flow = measure(board(**cards), at(26, 12))
    assert flow.total == 10_000
    assert flow.per_stage == {IDEA: 0, PROTO: 7_500, TEST: 2_500, LEARNED: 0}
    assert flow.reached_test == 2_500
    assert sum(flow.cumulative[-1].counts.values()) == 10_000
    # idea stays 0..6 h, the same number of cards each but for the remainder:
    # 10,000 = 7 * 1428 + 4, so 0..3 h have 1429 cards, 4..6 h 1428: the median is 3 h
    assert flow.median_in_stage[IDEA] == 3 * H


# --- real files, real operations ----------------------------------------------------------


def test_a_board_built_with_operations() -> None:
    # added the 23rd 09:00 by the app's operations, moved to test the 24th 09:00 and to
    # learned the 24th 21:00; now the 25th 09:00: lead 1 d 12 h, learned 12 h
    b = Board.model_validate({"schema": 1, "title": "Ops"})
    b = ops.apply(b, ops.AddCard("Tea at the kiosk", card_id="k1", actor="nanna", at=at(23, 9)))
    b = ops.apply(b, ops.MoveCard("k1", TEST, actor="nanna", at=at(24, 9)))
    b = ops.apply(b, ops.MoveCard("k1", LEARNED, actor="nanna", at=at(24, 21)))
    b = ops.apply(b, ops.EditCard("k1", {"decision": "scale"}, at=at(24, 22)))
    flow = measure(b, at(25, 9))
    (one,) = flow.cards
    assert one.lead_time == D + 12 * H and one.time_in(LEARNED) == 12 * H
    assert flow.decisions[Decision.SCALE] == 1 and flow.undecided == 0


def test_a_board_read_from_a_real_file(tmp_path: Path) -> None:
    # idea 27th 09:15, prototype 28th 10:15 (25 h), test 29th 12:15 (26 h); now 30th 12:15
    path = tmp_path / "b.toml"
    path.write_text(
        'schema = 1\ntitle = "From a file"\n\n'
        '[cards.k7q2mz4t]\ntitle = "Library pop-up"\nstage = "test"\nrank = "m"\n'
        "created = 2026-11-27T09:15:00Z\nupdated = 2026-11-29T12:15:00Z\n"
        'history = [\n  { at = 2026-11-27T09:15:00Z, by = "anna", stage = "idea" },\n'
        '  { at = 2026-11-28T10:15:00+00:00, by = "anna", stage = "prototype" },\n'
        '  { at = 2026-11-29T13:15:00+01:00, by = "omar", stage = "test" },\n]\n',
        encoding="utf-8",
    )
    flow = measure(storage.load(path).board, at(30, 12, 15))
    (one,) = flow.cards
    assert [(s.stage, s.length) for s in one.stays] == [
        (IDEA, 25 * H),
        (PROTO, 26 * H),
        (TEST, 24 * H),
    ]
    assert counts(flow) == {
        date(2026, 11, 27): (1, 0, 0, 0),
        date(2026, 11, 28): (0, 1, 0, 0),
        date(2026, 11, 29): (0, 0, 1, 0),
        date(2026, 11, 30): (0, 0, 1, 0),
    }

"""What holds of the flow figures for every valid board, at any "now", in any zone."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import boards, moments

from sprintboard.flow import MAX_DAYS, measure
from sprintboard.model import Board, Stage

zones = st.sampled_from(
    [*(timezone(timedelta(hours=h)) for h in (-12, -5, 0, 1, 14)), ZoneInfo("Europe/Copenhagen")]
)
# "now" anywhere in the boards' years: before, among and after their cards' times
nows = moments


@settings(max_examples=200, deadline=None)
@given(boards(max_cards=8), nows, zones)
def test_the_figures_hold_together(board: Board, now: datetime, zone: tzinfo) -> None:
    flow = measure(board, now, zone)
    shown = [c for c in board.cards.values() if not c.archived]
    assert flow.total == len(shown) and flow.archived == len(board.cards) - len(shown)
    assert sum(flow.per_stage.values()) == flow.total

    for card in flow.cards:
        # the stays follow each other without gap or overlap, from the first start to now
        first = card.stays[0].start
        assert sum((s.length for s in card.stays), timedelta()) == now - first
        assert all(s.length >= timedelta(0) for s in card.stays)
        assert all(a.end == b.start for a, b in zip(card.stays, card.stays[1:], strict=False))
        assert card.stays[-1].stage is card.stage and card.stays[-1].end == now
        if card.lead_time is not None:
            assert card.stage is Stage.LEARNED and card.lead_time >= timedelta(0)

    if flow.cards:
        days = [d.day for d in flow.cumulative]
        assert 1 <= len(days) <= MAX_DAYS
        assert days == [days[0] + timedelta(i) for i in range(len(days))]  # one per day
        assert days[-1] == now.astimezone(zone).date()
        # the last day is counted at now: every card is in its stage then
        assert dict(flow.cumulative[-1].counts) == dict(flow.per_stage)
    else:
        assert flow.cumulative == () and flow.weeks == ()
    for day in flow.cumulative:
        assert all(n >= 0 for n in day.counts.values())
        assert sum(day.counts.values()) <= flow.total
    assert sum(w.learnings for w in flow.weeks) <= flow.per_stage[Stage.LEARNED]
    assert all(w.learnings >= 0 for w in flow.weeks)

    # every median lies between the smallest and the largest value it is taken over
    leads = [c.lead_time for c in flow.cards if c.lead_time is not None]
    if leads:
        assert flow.median_lead_time is not None
        assert min(leads) <= flow.median_lead_time <= max(leads)
    else:
        assert flow.median_lead_time is None
    for stage in Stage:
        times = [c.time_in(stage) for c in flow.cards if c.was_in(stage)]
        median = flow.median_in_stage[stage]
        if times:
            assert median is not None and min(times) <= median <= max(times)
        else:
            assert median is None

    assert 0 <= flow.reached_test <= flow.total
    if flow.total:
        assert flow.share_tested == flow.reached_test / flow.total
    else:
        assert flow.share_tested is None
    learned = flow.per_stage[Stage.LEARNED]
    assert 0 <= flow.undecided <= learned

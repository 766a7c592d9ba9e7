"""Flow metrics: how the cards moved through the stages, read from their history.

A card's history lists each time it entered a stage (`model.HistoryEntry`); the time
between one entry and the next is a *stay* in that stage, and the last stay runs to
"now" (given, so tests fix it). A card that went back (test -> prototype -> test)
has two stays in test, and both count. Archived cards are left out of every figure
(`Flow.archived` says how many). A card without history (a hand-written board)
counts as having entered its stage when it was created; a history whose last stage
is not the card's (a hand edit) gets the card's stage from its last update. History
out of order is read in time order (same-time entries in file order); a time after
"now" stops at now.

Days and weeks are calendar days in `tz` (the command line passes the machine's
local zone, tests UTC), weeks start on Monday. A card is in a stage "at the end of a
day" when it is there at the day's last instant, so a move at midnight counts on the
day it starts. Dates at the edges of the calendar (year 1, year 9999) are clamped,
never overflow. Pure: no Textual; the figures for 10,000 cards take one pass over
their histories.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import pairwise
from operator import attrgetter
from typing import NamedTuple, Protocol

from .vocabulary import Decision, Stage

MAX_DAYS = 1000
"""The cumulative flow series covers at most this many days, the last ones: a hostile
history dated in year 1 would otherwise ask for 740,000 of them."""


class _Entry(Protocol):
    @property
    def at(self) -> datetime: ...
    @property
    def stage(self) -> Stage: ...


class _Card(Protocol):
    @property
    def stage(self) -> Stage: ...
    @property
    def archived(self) -> bool: ...
    @property
    def created(self) -> datetime: ...
    @property
    def updated(self) -> datetime: ...
    @property
    def decision(self) -> Decision | None: ...
    @property
    def history(self) -> Sequence[_Entry]: ...


class Cards(Protocol):
    """What the figures need of a board: its cards (a validated `model.Board` is one)."""

    @property
    def cards(self) -> Mapping[str, _Card]: ...


class Stay(NamedTuple):
    """One stay of a card in a stage: from entering it to entering the next (or now).

    A named tuple, not a frozen dataclass: 10,000 cards have some 25,000 stays, and a
    frozen dataclass takes three times as long to make."""

    stage: Stage
    start: datetime
    end: datetime

    @property
    def length(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class CardFlow:
    """One card's way through the stages."""

    card_id: str
    stage: Stage
    """Where the card is now."""
    stays: tuple[Stay, ...]
    """In order; the last one is the stay in `stage`, ending now."""
    lead_time: timedelta | None
    """Idea to learned: from its first stay's start to its arrival in learned (the start
    of its current stay there); None unless the card is in learned now, and None for a
    card that was in learned from its first stay on (added there, or no history): its
    way there was never on the board, and a 0 would pull the median down."""
    times: Mapping[Stage, timedelta]
    """Each stage the card stayed in (for a moment, even), with every stay there added
    up; worked out once, as every figure asks for it."""

    @property
    def learned_at(self) -> datetime | None:
        """When the card arrived in learned to stay (its last arrival); None unless it
        is in learned now."""
        last = self.stays[-1]
        return last.start if last.stage is Stage.LEARNED else None

    def was_in(self, stage: Stage) -> bool:
        """Whether the card stayed in `stage` at all (for a moment, even)."""
        return stage in self.times

    def time_in(self, stage: Stage) -> timedelta:
        """All the card's time in `stage`, every stay there added up."""
        return self.times.get(stage, _NONE)

    @property
    def reached_test(self) -> bool:
        """Whether the card was ever tested: in test or learned at some time."""
        return Stage.TEST in self.times or Stage.LEARNED in self.times


@dataclass(frozen=True, slots=True)
class Day:
    """How many cards were in each stage at the end of `day` (today: now)."""

    day: date
    counts: Mapping[Stage, int]


@dataclass(frozen=True, slots=True)
class Week:
    """How many cards arrived in learned (to stay) in the week starting on `monday`."""

    monday: date
    learnings: int


@dataclass(frozen=True, slots=True)
class Flow:
    """The board's flow figures at `now` (see the module for what counts)."""

    now: datetime
    cards: tuple[CardFlow, ...]
    """Every card not archived, by id."""
    archived: int
    """Cards left out because they are archived."""
    per_stage: Mapping[Stage, int]
    """Cards in each stage now, every stage present."""
    median_lead_time: timedelta | None
    """Median idea-to-learned time of the cards in learned that have one (see
    `CardFlow.lead_time`); None when none has."""
    median_in_stage: Mapping[Stage, timedelta | None]
    """Per stage, the median of each card's total time there, over the cards that
    stayed there at all; None for a stage no card has been in."""
    cumulative: tuple[Day, ...]
    """Cards per stage at the end of each day, from the first card's first day to
    today (at most `MAX_DAYS`, the last ones); empty when there is no card."""
    weeks: tuple[Week, ...]
    """Learnings per week over the same span, weeks without any included."""
    reached_test: int
    """Cards that were ever in test or learned."""
    decisions: Mapping[Decision, int]
    """Cards with each decision, every decision present."""
    undecided: int
    """Cards in learned without a decision."""

    @property
    def total(self) -> int:
        return len(self.cards)

    @property
    def share_tested(self) -> float | None:
        """The share of the cards (every card starts as an idea) that reached test;
        None when there is no card."""
        return self.reached_test / self.total if self.cards else None


def measure(board: Cards, now: datetime, tz: tzinfo = UTC) -> Flow:
    """The flow figures of `board` at `now` (aware), with days counted in `tz`."""
    if now.utcoffset() is None:
        raise ValueError("now must be an aware time")  # not translated: a programmer's mistake
    flows: list[CardFlow] = []
    archived = 0
    decisions = dict.fromkeys(Decision, 0)
    undecided = 0
    for cid in sorted(board.cards):
        card = board.cards[cid]
        if card.archived:
            archived += 1
            continue
        flows.append(card_flow(cid, card, now))
        if card.decision is not None:
            decisions[card.decision] += 1
        elif card.stage == Stage.LEARNED:
            undecided += 1
    per_stage = dict.fromkeys(Stage, 0)
    for flow in flows:
        per_stage[flow.stage] += 1
    leads = [f.lead_time for f in flows if f.lead_time is not None]
    cumulative = _cumulative(flows, now, tz)
    return Flow(
        now=now,
        cards=tuple(flows),
        archived=archived,
        per_stage=per_stage,
        median_lead_time=_median(leads),
        median_in_stage={stage: _median(_times_in(flows, stage)) for stage in Stage},
        cumulative=cumulative,
        weeks=_weeks(flows, cumulative, tz),
        reached_test=sum(1 for f in flows if f.reached_test),
        decisions=decisions,
        undecided=undecided,
    )


def card_flow(cid: str, card: _Card, now: datetime) -> CardFlow:
    """One card's stays (see the module for a card without history)."""
    history = card.history
    # stable: same-time entries keep their order; most histories are in order already
    entries = history if _in_order(history) else sorted(history, key=_AT)
    marks = [(e.at, e.stage) for e in entries]
    stage = card.stage
    if not marks:
        marks = [(card.created, stage)]
    elif marks[-1][1] != stage:
        marks.append((max(card.updated, marks[-1][0]), stage))
    marks.append((now, stage))  # the end of the last stay
    stays = []
    times: dict[Stage, timedelta] = {}
    start = min(marks[0][0], now)
    for (_start, entered), (end, _next) in pairwise(marks):
        # a time after `now` (a clock ahead, or a `now` chosen in the past) stops at now;
        # in time order, so each stay ends where the next starts
        end = min(end, now)
        stays.append(Stay(entered, start, end))
        times[entered] = times.get(entered, _NONE) + (end - start)
        start = end
    first, last = stays[0], stays[-1]
    lead = None
    if last.stage is Stage.LEARNED and first.stage is not Stage.LEARNED:
        lead = last.start - first.start
    return CardFlow(cid, stage, tuple(stays), lead, times)


_NONE = timedelta()
_AT = attrgetter("at")


def _in_order(history: Sequence[_Entry]) -> bool:
    return all(a.at <= b.at for a, b in pairwise(history))


def _times_in(flows: Iterable[CardFlow], stage: Stage) -> list[timedelta]:
    return [f.time_in(stage) for f in flows if f.was_in(stage)]


def _median(values: Sequence[timedelta]) -> timedelta | None:
    if not values:
        return None
    # on the timedeltas themselves: exact to the microsecond (float seconds are not,
    # over centuries); the middle two's mean for an even count
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _day(moment: datetime, tz: tzinfo) -> date:
    """The calendar day of `moment` in `tz`; the first or last day there is when the
    zone's offset takes it past year 1 or 9999 (the board holds times valid in UTC)."""
    try:
        return moment.astimezone(tz).date()
    except OverflowError:
        return date.min if moment.year < 5000 else date.max


def _cumulative(flows: Sequence[CardFlow], now: datetime, tz: tzinfo) -> tuple[Day, ...]:
    """Cards per stage at the end of each day (today: at now), by adding up, per stage,
    +1 on the first day a stay is there at a day's last instant and -1 on the first
    day it is not."""
    if not flows:
        return ()
    today = _day(now, tz)
    # at most MAX_DAYS, and never before the calendar's first day
    floor = today - timedelta(min(MAX_DAYS - 1, (today - date.min).days))
    first = max(min(_day(f.stays[0].start, tz) for f in flows), floor)
    span = (today - first).days + 1
    deltas = {stage: [0] * (span + 1) for stage in Stage}
    for flow in flows:
        last = len(flow.stays) - 1
        for i, stay in enumerate(flow.stays):
            begin = max((_day(stay.start, tz) - first).days, 0)
            # a stay [start, end) is there at the last instant of each day from its
            # start's day up to (not including) its end's day; the current one to today
            stop = span if i == last else (_day(stay.end, tz) - first).days
            if stop > begin:
                deltas[stay.stage][begin] += 1
                deltas[stay.stage][stop] -= 1
    running = dict.fromkeys(Stage, 0)
    days = []
    for index in range(span):
        for stage in Stage:
            running[stage] += deltas[stage][index]
        days.append(Day(first + timedelta(index), dict(running)))
    return tuple(days)


def _weeks(flows: Sequence[CardFlow], days: Sequence[Day], tz: tzinfo) -> tuple[Week, ...]:
    if not days:
        return ()
    start = _monday(days[0].day)
    count = (_monday(days[-1].day) - start).days // 7 + 1
    learned = [0] * count
    for flow in flows:
        arrived = flow.learned_at
        if arrived is None:
            continue
        # a card added straight into learned is a learning too (it has no lead time)
        index = (_monday(_day(arrived, tz)) - start).days // 7
        if 0 <= index < count:
            learned[index] += 1
    return tuple(Week(start + timedelta(weeks=i), n) for i, n in enumerate(learned))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())

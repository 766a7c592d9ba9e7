"""The board screen's live keys: the shared timer (`T`), presenting (`P`), following (`F`).

The state is `live_state`'s files in the board's sidecar folder, followed by `LiveFollow`
(mounted here once the board is in: a late joiner reads them at once). What it reports
is kept here and shown: the timer in the header, ticking from its absolute end once a
second (aligned on the second the countdown shows, so zero is not up to a second
late) without reading the file; at zero a banner ("Time is up: Ideation") and the
terminal bell, once per timer — text, so a NO_COLOR terminal sees it too. The
presented card is selected on the board and shown enlarged (`PresentedCard`) to
everyone who follows; `F` stops following for the rest of the session.

A file that is ignored (corrupt, stale, from a newer version) is said once, as a
notice, and counts as no state. The facilitator's writes run in a thread worker and
then ask the follower to look at once, so their own app shows the change as quickly
as everyone else's.
"""

from __future__ import annotations

import math
import threading
import time
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.timer import Timer as Ticker

from ...facilitation import Duty
from ...i18n import _
from ..live_board import LiveBoard
from ..live_follow import LiveFollow
from ..widgets.header import SprintHeader
from ..widgets.timeup import TimeUpBanner
from .roles import Roles

if TYPE_CHECKING:
    from collections.abc import Callable

    from ...live_state import Presenting, Timer
    from .presented import Closed, PresentedCard
    from .timer_dialog import TimerRequest


class LiveActions(Roles):
    """The timer, presenting and following, on the board screen (see the module)."""

    live_clock: ClassVar[Callable[[], float]] = time.time
    """The time now (seconds since the epoch); tests and snapshots fix it."""

    _live_timer: Timer | None = None
    _live_presenting: Presenting | None = None
    _live_follower: LiveFollow | None = None
    _live_ticker: Ticker | None = None
    _live_rung: str | None = None  # the timer (token and end) whose zero was signalled
    _live_seen_running: str | None = None
    _live_said: frozenset[str] = frozenset()
    _live_presented: PresentedCard | None = None
    _closed_card: str | None = None  # the presented card this person closed (escape)
    _live_intent = 0  # how many times P was pressed: only the last one's write counts
    _live_lock = threading.Lock()  # one presenting write at a time, for every board screen
    following = True
    """Whether this app follows what a facilitator presents (`F`)."""

    def _now(self) -> float:
        return type(self).live_clock()

    # --- following the state ---------------------------------------------------------------

    def on_live_board_opened(self, message: LiveBoard.Opened) -> None:
        if self._live_follower is None and message.board is not None:
            self._live_follower = LiveFollow(self.live.path, type(self).live_clock)
            self.mount(self._live_follower)
            self.mount(TimeUpBanner(), after=self.query_one(SprintHeader))
            self._live_follower.start()

    def on_live_board_synced(self, message: LiveBoard.Synced) -> None:
        if self._live_presenting is not None:
            self._show_presented()  # the presented card may have been archived or deleted

    def on_live_follow_changed(self, message: LiveFollow.Changed) -> None:
        for problem in (message.timer.problem, message.presenting.problem):
            if problem is not None and problem not in self._live_said:
                self._live_said |= {problem}
                self.notify(problem, title=_("Ignored"), severity="warning", markup=False)
        self._live_timer = message.timer.value
        self._tick()
        self._live_presenting = message.presenting.value
        self._show_presented()

    def _timer_key(self, timer: Timer) -> str:
        return f"{timer.token}:{timer.ends}"

    def _tick(self) -> None:
        """Show the timer as of now; schedule the next tick at the next whole second."""
        if self._live_ticker is not None:
            self._live_ticker.stop()
            self._live_ticker = None
        timer, now = self._live_timer, self._now()
        header = self.query_one(SprintHeader)
        state = timer.status(now) if timer is not None else "none"
        self._show_time_up(timer if state == "done" else None)
        if timer is None:
            header.show_timer("", "none")
            return
        from ...live_state import clock_text

        label = timer.label or _("Timer")
        left = timer.remaining(now)
        words = {
            "running": "{label} {clock}",
            "paused": _("{label} {clock} paused"),
            "done": _("{label} 00:00 time is up"),
        }
        header.show_timer(words[state].format(label=label, clock=clock_text(left)), state)
        if state == "running":
            self._live_seen_running = self._timer_key(timer)
            step = left - (math.ceil(left) - 1)  # until the clock shows the next second
            self._live_ticker = self.set_timer(min(1.0, max(0.01, step)), self._tick)

    def _show_time_up(self, timer: Timer | None) -> None:
        """The banner at zero (hidden otherwise), and the bell once per timer seen running."""
        banner = self.query_one(TimeUpBanner)
        banner.display = timer is not None
        if timer is None:
            return
        label = timer.label or _("Timer")
        banner.update(_("Time is up: {label}").format(label=label))
        key = self._timer_key(timer)
        if self._live_rung != key:
            self._live_rung = key
            if self._live_seen_running == key:  # not for a timer that ended before we opened
                self.app.bell()

    # --- the timer ---------------------------------------------------------------------------

    def action_timer(self) -> None:
        if not self.facilitating(Duty.TIMER):
            return
        from .timer_dialog import TimerDialog

        timer, now = self._live_timer, self._now()
        state = timer.status(now) if timer is not None else "none"
        shown = str(self.query_one(SprintHeader).query_one("#timer").render())
        label = timer.label if timer is not None else ""
        self.app.push_screen(TimerDialog(state, shown, label), self._timer_chosen)

    def _timer_chosen(self, request: TimerRequest | None) -> None:
        if request is not None:
            self._change_timer(request)

    @work(thread=True, group="live-write", exit_on_error=False)
    def _change_timer(self, request: TimerRequest) -> None:
        from ... import live_state

        try:
            change = live_state.change_timer(
                self.live.path,
                request.action,
                self.live.session.actor,
                self._now(),
                label=request.label,
                seconds=request.seconds,
            )
        except (live_state.LiveError, live_state.Unwritable) as error:
            self.app.call_from_thread(self.notify, str(error), severity="warning", markup=False)
            return
        if change.lost_to is not None:
            text = _("Another facilitator started a timer at the same moment: {label}")
            self.app.call_from_thread(self.notify, text.format(label=change.lost_to.label))
        if self._live_follower is not None:
            self._live_follower.look()

    # --- presenting --------------------------------------------------------------------------

    def action_present(self) -> None:
        if not self.facilitating(Duty.PRESENT):
            return
        from ... import live_state

        card_id = None if self._live_presenting is not None else self.current_column.card_id
        if self._live_presenting is None and card_id is None:
            self.notify(_("Select a card to present"), severity="warning")
            return
        # what this app now wants, at once: P P in a burst presents and stops, in that order
        who, now = self.live.session.actor, self._now()
        wanted = live_state.Presenting(card_id, who, now) if card_id is not None else None
        self._live_presenting = wanted
        self._live_intent += 1
        self._write_presenting(self._live_intent, wanted)

    @work(thread=True, group="live-write", exit_on_error=False)
    def _write_presenting(self, intent: int, wanted: Presenting | None) -> None:
        from ... import live_state

        path = self.live.path
        with self._live_lock:
            if intent != self._live_intent:
                return  # a later P asked otherwise: its write is the one that counts
            try:
                if wanted is None:
                    live_state.clear_presenting(path)
                else:
                    live_state.write_presenting(path, wanted)
            except live_state.Unwritable as error:
                notice = str(error)
                self.app.call_from_thread(self.notify, notice, severity="warning", markup=False)
                return
        if self._live_follower is not None:
            self._live_follower.look()

    def action_follow(self) -> None:
        self.following = not self.following
        self.query_one(SprintHeader).show_follow(self.following)
        self.notify(_("Following what is presented") if self.following else _("Follow: off"))
        self._show_presented()

    def _show_presented(self) -> None:
        """Show the presented card to this person (or stop showing it)."""
        presenting = self._live_presenting
        board = self.live.session.board if self.live.opened else None
        card = board.cards.get(presenting.card) if presenting and board else None
        showing = self._live_presented
        gone = card is None or card.archived or not self.following
        if showing is not None and (gone or showing.card_id != getattr(presenting, "card", None)):
            self._live_presented = None
            if self.app.screen is showing:
                showing.dismiss(None)
        if presenting is None or board is None or not self.following:
            self._closed_card = None if presenting is None else self._closed_card
            return
        if card is None or card.archived:
            key = f"gone:{presenting.card}:{presenting.since}"
            if key not in self._live_said:
                self._live_said |= {key}
                self.notify(_("The card being presented is no longer on the board"))
            return
        if self._live_presented is not None or self._closed_card == presenting.card:
            return
        if self.app.screen is not self:
            return  # a dialog is open: shown once it closes (the next look or tick)
        self._select_card(presenting.card)
        from .presented import PresentedCard

        stopping = self.may_facilitate(Duty.PRESENT)
        member = board.members.get(presenting.by)
        by = member.name if member is not None else presenting.by
        view = PresentedCard(presenting.card, card, dict(board.members), by, stopping)
        self._live_presented = view
        self.app.push_screen(view, self._presented_closed)

    def on_screen_resume(self) -> None:
        if self._live_follower is not None:
            self._show_presented()  # presenting began while a dialog was open

    def _select_card(self, card_id: str) -> None:
        """Select (and scroll to) the presented card where it shows (not when filtered out)."""
        for column in self.columns:
            index = column.index_of(card_id)
            if index is not None:
                column.move_cursor(index)
                self.select_column(column)
                return

    def _presented_closed(self, why: Closed | None) -> None:
        view, self._live_presented = self._live_presented, None
        if why is None:
            return  # dismissed by the board: presenting stopped or moved on
        if why == "unfollow":
            self.action_follow()
        elif why == "stop":
            self.action_present()
        elif view is not None:
            self._closed_card = view.card_id

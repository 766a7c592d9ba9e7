"""The board's header: its title, who else has it open, the external-hands figure, its
challenge, the sprint day, the shared timer and whether this app follows what a facilitator
presents."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label

from ...i18n import _, ngettext
from ...safe_text import visible
from .card_lines import wrap

if TYPE_CHECKING:
    from ..faces import SprintLike as Sprint


def sprint_day(sprint: Sprint, today: date) -> str:
    """Where `today` falls in the sprint: "day 3 of 10", "starts in 2 days", "ended".

    Counts calendar days, both ends included: a sprint is a timebox on the calendar
    (weekends are part of a 100-day sprint), so "day 3 of 10" means the third day
    since the start, whatever day of the week it is. Empty when no dates are set.
    """
    start, end = sprint.start, sprint.end
    if start is not None and today < start:
        ahead = (start - today).days
        if ahead == 1:
            return _("starts tomorrow")
        return ngettext("starts in {n} day", "starts in {n} days", ahead).format(n=ahead)
    if end is not None and today > end:
        return _("ended")
    if start is not None and end is not None:
        day, days = (today - start).days + 1, (end - start).days + 1
        return _("day {day} of {days}").format(day=day, days=days)
    if start is not None:
        return _("day {day}").format(day=(today - start).days + 1)
    if end is not None:
        left = (end - today).days
        if left == 0:
            return _("ends today")
        return ngettext("ends in {n} day", "ends in {n} days", left).format(n=left)
    return ""


def one_line(text: str) -> str:
    """`text` with its line breaks turned into spaces."""
    return " ".join(text.split())


class SprintHeader(Widget):
    """Title, who else is here, external hands and sprint day on the first row, the
    challenge on the second."""

    DEFAULT_CSS = """
    SprintHeader {
        height: 2;
        padding: 0 1;
        Horizontal { height: 1; }
        #title { width: 1fr; text-style: bold; text-wrap: nowrap; text-overflow: ellipsis; }
        #others { width: auto; max-width: 50%; padding-left: 2; color: $text-accent;
                  text-wrap: nowrap; text-overflow: ellipsis; }
        #others.-alone { display: none; }
        #day { width: auto; padding-left: 2; }
        #timer { width: auto; padding-left: 2; text-style: bold; }
        #timer.-none, #follow.-following { display: none; }
        #timer.-done { text-style: bold reverse; }
        #follow { width: auto; padding-left: 2; color: $text-warning; }
        #challenge { width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
        #hands { width: auto; padding-left: 2; color: $text-muted; text-wrap: nowrap; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[str, str, Sprint, date] | None = None
        self.others = ""
        """Who else has the board open, as shown ("with anna, omar"; empty: nobody)."""
        self.hands: tuple[int, int] | None = None
        """Cards with an external co-creator, of all cards shown (None: not shown yet)."""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(id="title", markup=False)
            yield Label(id="others", classes="-alone", markup=False)
            yield Label(id="hands", markup=False)
            yield Label(id="day", markup=False)
            yield Label(id="timer", classes="-none", markup=False)
            yield Label(id="follow", classes="-following", markup=False)
        yield Label(id="challenge", markup=False)

    def show(self, title: str, challenge: str, sprint: Sprint, today: date) -> None:
        """Show a board's frame as of `today` (nothing is redrawn when nothing changed)."""
        shown = (title, challenge, sprint, today)
        if shown == self._shown:
            return
        self._shown = shown
        self.query_one("#title", Label).update(visible(title))
        self.query_one("#day", Label).update(sprint_day(sprint, today))
        self._fit_challenge()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_challenge()

    def _fit_challenge(self) -> None:
        """The challenge on its one row, ending after a whole word with "…" when too long."""
        if self._shown is None:
            return
        text = visible(one_line(self._shown[1]))
        # before the first layout the header has no size yet: it spans the screen less
        # its padding, so the first frame is cut after a word too (no resize to wait for)
        width = self.size.width or max(self.app.size.width - 2, 0)
        if width:
            text = next(iter(wrap(text, width, rows=1)), "")
        self.query_one("#challenge", Label).update(text)

    def show_others(self, text: str) -> None:
        """Show who else has the board open ("with anna, omar"); empty: nobody."""
        if text == self.others:
            return
        self.others = text
        others = self.query_one("#others", Label)
        others.update(visible(text))
        others.set_class(not text, "-alone")

    def show_timer(self, text: str, state: str) -> None:
        """Show the shared timer ("Ideation 09:59", "paused"); state "none" hides it. Text,
        not only colour, says what it is: a NO_COLOR terminal reads the same."""
        timer = self.query_one("#timer", Label)
        timer.update(visible(text))
        for name in ("none", "running", "paused", "done"):
            timer.set_class(state == name, f"-{name}")

    def show_follow(self, following: bool) -> None:
        """Say "follow: off" when this app does not follow what is presented."""
        follow = self.query_one("#follow", Label)
        follow.update(_("follow: off"))
        follow.set_class(following, "-following")

    def show_hands(self, external: int, total: int) -> None:
        """Show how many cards have an external co-creator: "external hands: 9 of 14 cards"."""
        if (external, total) == self.hands:
            return
        self.hands = (external, total)
        text = ngettext(
            "external hands: {external} of {n} card",
            "external hands: {external} of {n} cards",
            total,
        ).format(external=external, n=total)
        # a board without cards has nothing to count yet: "0 of 0" would only be noise
        label = self.query_one("#hands", Label)
        label.update(text)
        label.display = total > 0

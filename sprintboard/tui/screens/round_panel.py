"""The vote round panel: the open round's stage, budget, time, tally and who has not voted.

Opened with `R` while a round is open, or, with none open, to see the last round's
result. Everyone sees the totals; only facilitators see who has not voted yet and get
the key that closes the round (or, after one, starts the next). The panel never shows
who gave which dot: the tally is totals only, whether the round is anonymous or not.

The board screen tells the panel when the board changed (`show_latest`), so it follows
other people's votes as they are saved; a round with an end time counts down each
second. Closing and starting are the board screen's to do: the panel dismisses with
what was asked ("close", "start") or None.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ...i18n import _, dates, ngettext
from ...identity import display_name
from ...labels import stage_label
from ...safe_text import visible
from ..widgets.keybar import KeyBar

if TYPE_CHECKING:
    from ...model import Board, Round

PanelChoice = Literal["close", "start"]
TALLY_ROWS = 12
"""Cards with dots listed at most; the rest are counted."""


def _clock(moment: datetime) -> str:
    """A time as people in the room read it: local, hours and minutes."""
    return dates.clock(moment.astimezone())


def _time_left(until: datetime, now: datetime) -> str:
    seconds = int((until - now).total_seconds())
    if seconds <= 0:
        return _("ended at {time}: no more votes").format(time=_clock(until))
    minutes, rest = divmod(seconds, 60)
    left = f"{minutes}:{rest:02d}"
    return _("ends at {time} ({left} left)").format(time=_clock(until), left=left)


def _tally_rows(board: Board, counted: list[tuple[str, int]], text: Text) -> None:
    """One row per card with dots, most first; the cards without dots counted."""
    with_dots = [(cid, dots) for cid, dots in counted if dots]
    for cid, dots in with_dots[:TALLY_ROWS]:
        card = board.cards.get(cid)
        title = visible(card.title) if card is not None else _("(a deleted card)")
        text.append(f"{dots:>3}  ", style="bold")
        text.append(title + "\n")
    more = len(with_dots) - TALLY_ROWS
    if more > 0:
        text.append(ngettext("… and {n} more card", "… and {n} more cards", more).format(n=more))
        text.append("\n")
    none = len(counted) - len(with_dots)
    if not with_dots:
        text.append(_("No dots yet") + "\n", style="dim")
    elif none:
        line = ngettext("{n} card without dots", "{n} cards without dots", none).format(n=none)
        text.append(line + "\n", style="dim")


def round_text(board: Board, *, facilitator: bool, now: datetime) -> Text:
    """What the panel shows of `board`'s open round, or else of its last closed one."""
    from ... import rounds

    text = Text()
    found = rounds.open_round(board)
    if found is None:
        return _result_text(board, facilitator, text)
    _round_id, round_ = found
    text.append(_head(round_) + "\n", style="bold")
    opened = _("opened {time} by {who}").format(
        time=_clock(round_.opened), who=visible(display_name(board.members, round_.by))
    )
    if round_.until is not None:
        opened += " · " + _time_left(round_.until, now)
    text.append(opened + "\n", style="dim")
    room = rounds.room_dots_left(board)
    total = round_.dots * len(board.members)
    text.append(_("Dots left in the room: {left} of {total}").format(left=room, total=total) + "\n")
    if facilitator:
        waiting = rounds.not_voted(board)
        names = ", ".join(visible(display_name(board.members, key)) for key in waiting)
        text.append(_("Not voted yet: ") if waiting else _("Everyone has voted"), style="bold")
        text.append(names + "\n")
    text.append("\n" + _("Tally") + "\n", style="bold underline")
    _tally_rows(board, rounds.tally(board), text)
    return text


def _head(round_: Round) -> str:
    each = ngettext("{n} dot each", "{n} dots each", round_.dots).format(n=round_.dots)
    head = _("Vote round on {stage} · {each}").format(stage=stage_label(round_.stage), each=each)
    if round_.anonymous:
        head += " · " + _("anonymous")
    return head


def _result_text(board: Board, facilitator: bool, text: Text) -> Text:
    from ... import rounds

    done = rounds.closed_rounds(board)
    if not done:
        text.append(_("No vote round yet") + "\n", style="bold")
        return text
    _round_id, round_ = done[0]
    assert round_.closed is not None  # a closed round
    text.append(_("Last vote round: closed {time}").format(time=_clock(round_.closed)) + "\n")
    text.append(_head(round_) + "\n", style="bold")
    text.append("\n" + _("Result") + "\n", style="bold underline")
    _tally_rows(board, rounds.result_order(round_), text)
    if facilitator:
        text.append("\n" + _("n starts a new round") + "\n", style="dim")
    return text


class RoundPanel(ModalScreen[PanelChoice | None]):
    """The open round (or the last result); dismisses with "close", "start" or None."""

    DEFAULT_CSS = """
    RoundPanel #dialog { max-width: 76; }
    RoundPanel #dialog VerticalScroll { height: auto; max-height: 100%; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "c",
            "choose('close')",
            _("Close round"),
            tooltip=_("Close the vote round: order its stage by dots"),
            id="round.close",
        ),
        Binding(
            "n",
            "choose('start')",
            _("New round"),
            tooltip=_("Start a new vote round"),
            id="round.start",
        ),
        Binding("escape,R,q", "dismiss_panel", _("Back"), id="round.back"),
    ]

    def __init__(
        self,
        board: Board,
        *,
        facilitator: bool,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.board = board
        """The board shown (updated by `show_latest`)."""
        self.facilitator = facilitator
        """Whether whoever runs this app may close and start rounds: they see the names."""
        self.now = now or (lambda: datetime.now(UTC))
        """The clock the time left is counted on (tests fix it)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(_("The vote round"), classes="dialog-title")
            with VerticalScroll():
                yield Static(self._text(), id="round-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)

    def _text(self) -> Text:
        return round_text(self.board, facilitator=self.facilitator, now=self.now())

    def _tick(self) -> None:
        from ... import rounds

        found = rounds.open_round(self.board)
        if found is not None and found[1].until is not None:
            self.query_one("#round-text", Static).update(self._text())

    def show_latest(self, board: Board) -> None:
        """The board changed (someone voted, closed, started): show it as it is now."""
        if board is self.board:
            return
        self.board = board
        self.query_one("#round-text", Static).update(self._text())
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "choose":
            return True
        from ... import rounds

        is_open = rounds.open_round(self.board) is not None
        wanted = parameters == ("close",)
        return self.facilitator and is_open == wanted

    def action_choose(self, choice: PanelChoice) -> None:
        self.dismiss(choice)

    def action_dismiss_panel(self) -> None:
        self.dismiss(None)

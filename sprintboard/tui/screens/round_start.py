"""Starting a dot-vote round: dots per person, the stage voted on, anonymous, an end time.

The dialog only reads and checks what was typed; the board screen turns the answer into
`ops.StartRound` (which refuses what the board does not allow: a round already open).
A value that cannot be used keeps the dialog open with one sentence saying why, so
nothing typed is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from ...i18n import _, dates
from ...labels import stage_label
from ...vocabulary import Stage
from ..widgets.keybar import KeyBar

MAX_DOTS = 99
"""The most dots a round gives each person (the board file's limit)."""
_CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})")


@dataclass(frozen=True)
class RoundRequest:
    """What the start dialog asks for: the board screen makes it an `ops.StartRound`."""

    stage: Stage
    dots: int
    anonymous: bool
    until: datetime | None


def read_dots(text: str) -> int | str:
    """The dots per person typed, or the sentence saying why they cannot be used."""
    text = text.strip()
    if not re.fullmatch(r"[+-]?\d{1,6}", text):
        return _("Dots per person must be a whole number from 1 to {most}").format(most=MAX_DOTS)
    dots = int(text)
    if not 1 <= dots <= MAX_DOTS:
        return _("Dots per person must be from 1 to {most}, not {dots}").format(
            most=MAX_DOTS, dots=dots
        )
    return dots


def read_until(text: str, now: datetime) -> datetime | str | None:
    """The end time typed as HH:MM (today, local time) in UTC; None when left empty;
    else the sentence saying why it cannot be used (unreadable, or already past)."""
    text = text.strip()
    if not text:
        return None
    match = _CLOCK.fullmatch(text)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        return _("End time “{text}” is not a time of day such as 10:15").format(text=text[:20])
    local = now.astimezone()
    until = local.replace(hour=int(match[1]), minute=int(match[2]), second=0, microsecond=0)
    if until <= local:
        return _("End time {time} has passed already: give a later one, or none").format(
            time=dates.clock(until)
        )
    return until.astimezone(UTC)


class RoundStart(ModalScreen[RoundRequest | None]):
    """Asks how the vote round goes; dismisses with a `RoundRequest`, or None (cancelled)."""

    DEFAULT_CSS = """
    RoundStart .row { height: auto; }
    RoundStart .row Input { width: 1fr; }
    RoundStart #stage { width: 1fr; }
    RoundStart Checkbox { margin: 0 0 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s", "start", _("Start"), tooltip=_("Start the round"), id="round-start.start"
        ),
        Binding("escape", "cancel", _("Cancel"), id="round-start.cancel"),
    ]

    def __init__(self, *, now: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.now = now or (lambda: datetime.now(UTC))
        """The clock an end time is checked against (tests fix it)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(_("Start a vote round"), classes="dialog-title")
            with Horizontal(classes="row"):
                dots = Input("3", id="dots", restrict=r"[0-9+-]*", max_length=6)
                dots.border_title = _("dots per person")
                yield dots
                until = Input(placeholder=_("HH:MM (optional)"), id="until", max_length=20)
                until.border_title = _("ends at")
                yield until
            stages = [(stage_label(stage), stage) for stage in Stage]
            select: Select[Stage] = Select(stages, value=Stage.IDEA, allow_blank=False, id="stage")
            select.border_title = _("stage voted on")
            yield select
            yield Checkbox(_("Anonymous: the app shows only totals"), id="anonymous")
            yield Label("", id="error", markup=False)
            yield Static(
                _(
                    "Starting takes back the dots already on the stage's cards (u brings "
                    "them back). enter or ctrl+s starts · escape cancels"
                ),
                classes="hint",
                markup=False,
            )
            with Horizontal(id="buttons"):
                yield Button(_("Start"), variant="primary", id="start")
                yield Button(_("Cancel"), id="cancel")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#dots", Input))  # now: keys typed right after R land here

    def request(self) -> RoundRequest | str:
        """What the dialog holds, or the sentence saying what to change."""
        dots = read_dots(self.query_one("#dots", Input).value)
        if isinstance(dots, str):
            return dots
        until = read_until(self.query_one("#until", Input).value, self.now())
        if isinstance(until, str):
            return until
        stage = self.query_one("#stage", Select).value
        anonymous = self.query_one("#anonymous", Checkbox).value
        return RoundRequest(Stage(str(stage)), dots, anonymous, until)

    def action_start(self) -> None:
        request = self.request()
        if isinstance(request, str):
            error = self.query_one("#error", Label)
            error.update(request)
            error.display = True
            return
        self.dismiss(request)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.action_start()

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

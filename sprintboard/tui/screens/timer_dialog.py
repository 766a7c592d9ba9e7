"""The shared timer's dialog (a facilitator's `T`): start one, or pause, resume, extend, stop.

With no timer (or one that is done), it asks for a label and a duration ("10m"); enter
starts it. With one running or paused, single keys act on it: `p` pauses or resumes,
`+` adds a minute, `s` stops, `n` asks for a new one. It dismisses with what to do
(`TimerRequest`); the board screen writes it (`live_actions`), so the dialog touches
no file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ...i18n import _
from ...live_state import DurationError, parse_duration

EXTEND = 60
"""Seconds `+` adds."""


@dataclass(frozen=True)
class TimerRequest:
    """What the facilitator asked of the timer."""

    action: Literal["start", "pause", "resume", "extend", "stop"]
    label: str = ""
    seconds: int = 0


class TimerDialog(ModalScreen[TimerRequest | None]):
    """The timer's controls; `state` and `shown` are the timer as the header shows it."""

    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Close"), id="timer.cancel"),
        Binding("p", "pause", _("Pause/resume"), id="timer.pause"),
        Binding("plus", "extend", _("+1 min"), id="timer.extend"),
        Binding("s", "stop", _("Stop"), id="timer.stop"),
        Binding("n", "new", _("New timer"), id="timer.new"),
    ]

    def __init__(self, state: str, shown: str, label: str = "") -> None:
        super().__init__()
        self.state = state
        """The timer's state now: running, paused, done or none."""
        self.shown = shown
        """The timer as the header shows it ("Ideation 09:12")."""
        self.label = label
        """The running timer's label: a new one starts with it."""
        self.asking = state in ("none", "done")
        """Asking for a new timer (label and duration), not controlling one."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(_("Shared timer"), classes="dialog-title")
            yield Label(self.shown, id="timer-now", markup=False)
            yield Label(
                _("p pause/resume · + adds a minute · s stops · n new · escape closes"),
                id="timer-keys",
                classes="hint",
            )
            yield Input(value=self.label, placeholder=_("label, e.g. Ideation"), id="timer-label")
            yield Input(placeholder=_("duration: 10m, 90s, 1h30m"), id="timer-duration")
            yield Label("", id="timer-problem", markup=False)
            yield Label(
                _("enter starts it for everyone · escape closes"), id="timer-hint", classes="hint"
            )

    def on_mount(self) -> None:
        self._show_form(self.asking)

    def _show_form(self, asking: bool) -> None:
        self.asking = asking
        self.query_one("#timer-now").display = not asking and self.state != "none"
        self.query_one("#timer-keys").display = not asking
        for name in ("#timer-label", "#timer-duration", "#timer-hint", "#timer-problem"):
            self.query_one(name).display = asking
        for each in self.query(Input):
            each.disabled = not asking  # a hidden field never takes the keys
        if asking:
            field = "#timer-duration" if self.label else "#timer-label"
            self.set_focus(self.query_one(field, Input))
        else:
            self.set_focus(None)  # the keys are the dialog's, not a hidden field's
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pause", "extend", "stop", "new"):
            return not self.asking
        return True

    @on(Input.Submitted, "#timer-label")
    def _label_given(self, event: Input.Submitted) -> None:
        self.set_focus(self.query_one("#timer-duration", Input))

    @on(Input.Submitted, "#timer-duration")
    def _duration_given(self, event: Input.Submitted) -> None:
        try:
            seconds = parse_duration(event.value)
        except DurationError as error:
            self.query_one("#timer-problem", Label).update(str(error))
            return
        label = " ".join(self.query_one("#timer-label", Input).value.split())
        self.dismiss(TimerRequest("start", label, seconds))

    def action_pause(self) -> None:
        self.dismiss(TimerRequest("pause" if self.state == "running" else "resume"))

    def action_extend(self) -> None:
        self.dismiss(TimerRequest("extend", seconds=EXTEND))

    def action_stop(self) -> None:
        self.dismiss(TimerRequest("stop"))

    def action_new(self) -> None:
        self._show_form(True)

    def action_cancel(self) -> None:
        self.dismiss(None)

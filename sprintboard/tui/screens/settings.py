"""The sprint settings: the board's frame — title, challenge, goal, dates, facilitators, WIP.

The screen dismisses with one `ops.EditBoard` holding only the fields that changed (so
one undo restores them, and someone else's change to another field survives), or with
None. A value the board cannot take — a date that is no date, an end before the start,
a WIP limit of 0 or of text, a facilitator who is no member — is refused here with one
sentence and the screen stays open with everything typed; what the operation itself
refuses (`check`) is shown the same way. Escape with changes asks first
(`DiscardChanges`), as the card editor does.

Only a facilitator opens it (`team_actions`, Duty.FRAME); the screen itself does not ask.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, TextArea

from ... import ops
from ...i18n import _
from ...identity import member_key
from ...labels import stage_label
from ...safe_text import visible
from ...vocabulary import Stage
from ..widgets.header import one_line
from ..widgets.keybar import KeyBar
from .card_editor import clean_text

if TYPE_CHECKING:
    from ...model import Board

Check = Callable[[ops.EditBoard], str | None]


class SprintSettings(ModalScreen[ops.EditBoard | None]):
    """The board's frame, edited; dismisses with the changes, or None."""

    CSS_PATH = "team.tcss"  # read when first opened, not at start-up

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", _("Save"), priority=True, id="settings.save"),
        Binding("escape", "cancel", _("Cancel"), id="settings.cancel"),
    ]

    def __init__(self, board: Board, *, check: Check) -> None:
        super().__init__()
        self.frame: Mapping[str, Any] = board.frame()
        """The frame as it was when the screen opened: what a save compares against."""
        self.members = board.members
        """Who may be named a facilitator."""
        self.check = check
        """Why an edit cannot be saved on the board as it is now (None: it can)."""

    def compose(self) -> ComposeResult:
        frame = self.frame
        with Vertical(id="dialog"):
            yield Label(_("Sprint settings"), classes="dialog-title")
            with VerticalScroll(id="fields"):
                yield self._titled(
                    Input(visible(frame["title"]), id="title", select_on_focus=False), _("Title")
                )
                challenge = TextArea(
                    visible(frame["challenge"], lines=True), id="challenge", soft_wrap=True
                )
                yield self._titled(challenge, _("Challenge"))
                goal = TextArea(visible(frame["goal"], lines=True), id="goal", soft_wrap=True)
                yield self._titled(goal, _("Goal"))
                with Horizontal(classes="row"):
                    for name, label in (("start", _("Start")), ("end", _("End"))):
                        value = frame[name].isoformat() if frame[name] else ""
                        field = Input(
                            value, placeholder=_("YYYY-MM-DD"), id=name, select_on_focus=False
                        )
                        yield self._titled(field, label)
                facilitators = Input(
                    ", ".join(frame["facilitators"]),
                    placeholder=_("member keys, comma separated; empty: everyone"),
                    id="facilitators",
                    select_on_focus=False,
                )
                yield self._titled(facilitators, _("Facilitators"))
                known = ", ".join(self.members) or _("none yet")
                yield Label(
                    visible(_("members: {keys}").format(keys=known)), classes="hint", markup=False
                )
                yield Label(_("WIP limit per stage (empty: none)"), classes="field-label")
                with Horizontal(classes="row"):
                    for stage in Stage:
                        limit = frame["wip"].get(stage)
                        field = Input(
                            str(limit) if limit else "",
                            id=f"wip-{stage.value}",
                            select_on_focus=False,
                        )
                        yield self._titled(field, stage_label(stage))
            yield Label("", id="error", markup=False)
            with Horizontal(id="buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")
        yield KeyBar()

    @staticmethod
    def _titled(widget: Any, title: str) -> Any:
        widget.border_title = title
        return widget

    def on_mount(self) -> None:
        for area in self.query(TextArea):
            area.move_cursor(area.document.end)
        for field in self.query("#title"):  # `query`: none when the app is closing
            field.focus()

    # --- what was typed -------------------------------------------------------------------

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def read(self) -> dict[str, Any] | str:
        """Every frame field as typed, checked; or the one sentence saying what is wrong."""
        title = one_line(self._value("title"))
        if not title:
            return _("The board needs a title.")
        values: dict[str, Any] = {
            "title": title,
            "challenge": clean_text(self.query_one("#challenge", TextArea).text),
            "goal": clean_text(self.query_one("#goal", TextArea).text),
        }
        # a whole sentence for each date: "start" and "end" need not fit one sentence's slot
        wrong = {
            "start": _("The start date '{text}' is not a date like 2026-12-01."),
            "end": _("The end date '{text}' is not a date like 2026-12-01."),
        }
        for name, refusal in wrong.items():
            text = self._value(name).strip()
            try:
                values[name] = date.fromisoformat(text) if text else None
            except ValueError:
                return refusal.format(text=visible(text))
        if values["start"] and values["end"] and values["end"] < values["start"]:
            return _("The sprint cannot end ({end}) before it starts ({start}).").format(
                end=values["end"], start=values["start"]
            )
        facilitators = self._facilitators()
        if isinstance(facilitators, str):
            return facilitators
        values["facilitators"] = facilitators
        wip = self._limits()
        if isinstance(wip, str):
            return wip
        values["wip"] = wip
        return values

    def _facilitators(self) -> list[str] | str:
        keys: list[str] = []
        for part in self._value("facilitators").split(","):
            given = one_line(part)
            if not given:
                continue
            key = member_key(self.members, given)
            if key is None:
                known = ", ".join(self.members) or _("none yet")
                return _(
                    "'{name}' is not a member of this board, so cannot facilitate "
                    "(members: {known})."
                ).format(name=visible(given), known=known)
            if key not in keys:
                keys.append(key)
        return keys

    def _limits(self) -> dict[Stage, int] | str:
        wip: dict[Stage, int] = {}
        for stage in Stage:
            text = self._value(f"wip-{stage.value}").strip()
            if not text:
                continue
            if not text.isdigit() or int(text) < 1:
                return _(
                    "The WIP limit of {stage} must be a whole number of at least 1, "
                    "not '{text}' (empty: no limit)."
                ).format(stage=stage_label(stage), text=visible(text))
            wip[stage] = int(text)
        return wip

    def changes(self) -> dict[str, Any] | str:
        """The fields that differ from the frame as opened, or what is wrong."""
        values = self.read()
        if isinstance(values, str):
            return values
        return {name: value for name, value in values.items() if value != self._shown(name)}

    def _shown(self, name: str) -> Any:
        """A frame field as this screen shows it (text made visible: see the card editor)."""
        value = self.frame[name]
        if name == "title":
            return visible(value)
        if name in ("challenge", "goal"):
            return visible(value, lines=True)
        if name == "facilitators":
            return list(value)
        return value

    def edited(self) -> bool:
        """Whether anything differs from the frame as opened (a bad value counts)."""
        changes = self.changes()
        return isinstance(changes, str) or bool(changes)

    # --- saving and cancelling ------------------------------------------------------------

    def action_save(self) -> None:
        changes = self.changes()
        if isinstance(changes, str):
            self._error(changes)
            return
        if not changes:
            self.dismiss(None)
            return
        op = ops.EditBoard(changes)
        problem = self.check(op)
        if problem is not None:
            self._error(problem)
            return
        self.dismiss(op)

    def _error(self, text: str) -> None:
        error = self.query_one("#error", Label)
        error.update(visible(text))
        error.display = True

    def action_cancel(self) -> None:
        if not self.edited():
            self.dismiss(None)
            return
        from .discard import DiscardChanges

        self.app.push_screen(DiscardChanges(_("the sprint settings")), self._cancel_answered)

    def _cancel_answered(self, discard: bool | None) -> None:
        if discard:
            self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

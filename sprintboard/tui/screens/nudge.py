"""The nudge: right after a card moves into test (or learned), its experiment (or its
learning) to write down, with one line that asks for it — or escape to skip.

One dialog for every nudge of `sprintboard.nudges`: it shows the fields of the nudge's
group, with the card editor's widgets for each kind (a text area, a line, the decision's
choice), so a field added to the group in `fields.FIELDS` is asked for without code
here. It is the card editor narrowed to one group: it dismisses with an `ops.EditCard`
of the fields that were filled in, or None when skipped. The move it follows is already
made and saved; what it sets is a change of its own (undo takes it back first).

Its own keys only: ctrl+s saves, escape skips (at once when nothing is typed; otherwise
it asks before throwing the typing away, as the editor does), ctrl+o opens a text field
in $EDITOR. The editor's other keys are not inherited.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, TextArea

from ... import ops
from ...fields import Kind, spec
from ...i18n import _
from ...model import Card, Member
from ...nudges import Nudge
from ...safe_text import visible
from ..widgets.keybar import KeyBar
from .card_editor import CardEditor, clean_text


class NudgeDialog(CardEditor):
    """The fields a move asks for (see the module); dismisses with them, or None."""

    CSS_PATH = "nudge.tcss"
    inherit_bindings = False  # the editor's keys are the editor's: only these here

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", _("Save"), priority=True, id="nudge.save"),
        Binding("escape", "cancel", _("Skip"), tooltip=_("Skip: the move stays"), id="nudge.skip"),
        Binding(
            "ctrl+o",
            "external_editor",
            _("$EDITOR"),
            tooltip=_("Edit this text field in your $EDITOR"),
            id="nudge.external",
        ),
    ]

    def __init__(
        self,
        card_id: str,
        card: Card,
        members: Mapping[str, Member],
        nudge: Nudge,
        *,
        check: Callable[[ops.EditCard, Sequence[ops.SetMember]], str | None],
    ) -> None:
        super().__init__(card_id, card, members, check=check)
        self.nudge = nudge
        """What the move asks for: the group of fields, and the line that asks."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(visible(self.card.title), classes="dialog-title", markup=False)
            yield Label(self.nudge.question, id="question", markup=False)
            yield Label("", id="changed", markup=False)
            with VerticalScroll(id="fields"):
                for name in self.nudge.fields:
                    yield from self._field(name)
            yield Label("", id="error", markup=False)
            with Horizontal(id="buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Skip"), id="cancel")
        yield KeyBar()

    def on_mount(self) -> None:
        # what is typed at once (a burst behind the move key) goes into the first field
        for widget in self.query("#fields > *").results():
            if widget.can_focus:
                widget.focus()
                break

    def values(self) -> dict[str, Any]:
        """The nudge's fields as the dialog holds them now (by kind, as the editor reads them)."""
        values: dict[str, Any] = {}
        for name in self.nudge.fields:
            field = spec(name)
            kind = field.kind if field is not None else None
            if kind is Kind.TEXT:
                values[name] = clean_text(self.query_one(f"#{name}", TextArea).text)
            elif kind is Kind.LINE:
                values[name] = " ".join(self.query_one(f"#{name}", Input).value.split())
            elif kind is Kind.CHOICE:
                value = self.query_one(f"#{name}", Select).value
                values[name] = None if value is Select.NULL else value
        return values

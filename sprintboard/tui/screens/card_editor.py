"""Editing a card: every field, grouped as Card, Experiment and Learning.

The editor dismisses with an `ops.EditCard` holding only the fields that changed
(so a save merges cleanly with other people's edits to other fields), or with None
when cancelled: cancelling changes nothing on the board. Before it closes it asks
the board screen whether the edit applies, and stays open with the reason if not,
so nothing typed is lost to a validation error.

Long text fields can be edited in ``$VISUAL`` / ``$EDITOR`` (ctrl+o): the app
suspends, the editor gets the terminal, and the text comes back into the field.

Someone else may change the card while the editor is open: the board screen passes
the card as it is now to `show_latest`, and a line at the top says what happened
(changed, archived or deleted meanwhile). The fields keep what the user typed; the
changes are still worked out against the card as the editor opened it, so a save
sets only what the user changed and keeps the other person's other fields.

Nothing typed is lost by accident: a field entered with Tab keeps its text with the
cursor at its end (nothing selected, so the first key adds rather than replaces), and
Escape with unsaved changes asks "Discard your changes?" (`DiscardChanges`) first.
Keys typed in a burst — text then ctrl+s in one go — are all in what is saved: the
app hands keys over one at a time (`key_order`).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList, TextArea

from ... import fields, ops
from ...fields import FieldName, Kind
from ...i18n import _
from ...labels import (
    decision_label,
    field_label,
    group_label,
    id_label,
    mark_label,
    side_label,
)
from ...model import Card, Decision, Member, Side
from ...safe_text import visible
from ..guest import off, unless_guest
from ..notices import editor_notice
from ..widgets.choices import TickList
from ..widgets.keybar import KeyBar

TEXT_AREAS = tuple(name for name in fields.EDITABLE if name in fields.TEXT)
"""Fields edited as multi-line text (and in $EDITOR)."""
LINES = tuple(name for name in fields.EDITABLE if name in fields.of_kind(Kind.LINE))
"""Fields edited as one line of text."""
TYPED_LISTS: tuple[FieldName, ...] = tuple(
    name for name in fields.EDITABLE if name in fields.of_kind(Kind.NAMES) and name != "by"
)
"""Lists typed comma-separated (the co-creators are ticked among the members instead)."""


def split_tags(text: str) -> list[str]:
    """Tags typed as a comma-separated list: trimmed, blanks dropped, duplicates once."""
    tags = (" ".join(part.split()) for part in text.split(","))
    return list(dict.fromkeys(tag for tag in tags if tag))


def clean_text(text: str) -> str:
    """Text as the board keeps it: line ends as "\\n", no trailing blank lines."""
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")


def edit_externally(app: App[Any], text: str) -> str | None:
    """`text` after the user edits it in $VISUAL / $EDITOR; None if the editor failed.

    The app is suspended while the editor runs. Where it cannot be (a test, a web
    terminal) the editor runs without the terminal. Never in a guest's app (`guest.OFF`):
    the editor is a program of the server's, and most have a shell escape.
    """
    if off(app, "external_editor"):
        return None
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.NamedTemporaryFile(
        "w", suffix=".md", prefix="sprintboard-", delete=False, encoding="utf-8"
    ) as handle:
        handle.write(text + "\n" if text else "")
        name = handle.name
    try:
        command = [*shlex.split(editor), name]
        try:
            with app.suspend():
                result = subprocess.run(command, check=False)
        except SuspendNotSupported:
            result = subprocess.run(command, check=False, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            app.notify(
                _("{editor} exited with code {code}; text kept as it was").format(
                    editor=editor, code=result.returncode
                )
            )
            return None
        return clean_text(Path(name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        app.notify(
            _("Could not run the editor '{editor}': {error}").format(editor=editor, error=error),
            severity="error",
        )
        return None
    finally:
        Path(name).unlink(missing_ok=True)


def _one_line(name: str, value: object, width: int = 40) -> str:
    """A conflict's value in field `name` on one short line."""
    if value is None:
        return _("no decision")
    text = id_label(name, value) or " ".join(str(value).split()) or _("(empty)")
    return text if len(text) <= width else text[: width - 1] + "…"


class CardEditor(ModalScreen[ops.EditCard | None]):
    """All of a card's fields; dismisses with the changes, or None when cancelled."""

    CSS_PATH = "card_editor.tcss"  # read when the editor first opens, not at start-up

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", _("Save"), priority=True, id="editor.save"),
        Binding("escape", "cancel", _("Cancel"), id="editor.cancel"),
        Binding(
            "ctrl+g",
            "guest",
            _("Guest"),
            tooltip=_("Someone new joins: add them to the team as a co-creator of this card"),
            id="editor.guest",
        ),
        Binding(
            "ctrl+o",
            "external_editor",
            _("$EDITOR"),
            tooltip=_("Edit this text field in your $EDITOR"),
            id="editor.external",
        ),
    ]

    def __init__(
        self,
        card_id: str,
        card: Card,
        members: Mapping[str, Member],
        *,
        check: Callable[[ops.EditCard, Sequence[ops.SetMember]], str | None],
        decide: str | None = None,
    ) -> None:
        super().__init__()
        self.card_id = card_id
        """The id of the card edited."""
        self.card = card
        """The card as it was when the editor opened."""
        self.members = dict(members)
        """The board's members, and the guests added here: the co-creators to choose from."""
        self.guests: list[ops.SetMember] = []
        """Guests added in the editor (ctrl+g): saved with the card, as its co-creators."""
        self.check = check
        """Why an edit cannot be saved (None when it can): asked before closing."""
        self.decide = decide
        """A field a git merge left in conflict that saving decides, as the editor holds it."""
        self.latest: Card | None = card
        """The card as it is on the board now (None: deleted since the editor opened)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            title = _("Edit card {id}").format(id=self.card_id)
            yield Label(title, classes="dialog-title", markup=False)
            if self.decide is not None:
                yield Label(self._deciding(), classes="hint", markup=False)
            yield Label("", id="changed", markup=False)
            with VerticalScroll(id="fields"):
                for group in ("card", "experiment", "learning"):
                    yield Label(group_label(group), classes="group")
                    for name in fields.in_group(group):
                        if name in fields.EDITABLE:
                            yield from self._field(name)
            yield Label("", id="error", markup=False)
            with Horizontal(id="buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")
        yield KeyBar()

    def _field(self, name: FieldName) -> ComposeResult:
        """The widget that edits field `name`, by its kind (the co-creators: a tick list)."""
        card = self.card
        if name in TEXT_AREAS:
            area = TextArea(self.as_shown(name), id=name, soft_wrap=True, tab_behavior="focus")
            area.border_title = field_label(name)
            yield area
        elif name in LINES:
            yield self._titled(Input(self.as_shown(name), id=name, select_on_focus=False))
        elif name == "by":
            people = TickList(
                *(
                    # a str prompt would be read as markup: Content is the text as it is
                    (
                        Content(visible(f"{member.name} ({side_label(member.side)})")),
                        key,
                        key in card.by,
                    )
                    for key, member in self.members.items()
                ),
                id="by",
            )
            if not self.members:
                people.border_subtitle = _("the board has no members yet")
            yield self._titled(people)
        elif name in TYPED_LISTS:
            yield self._titled(
                Input(
                    ", ".join(self.as_shown(name)),
                    placeholder=_("comma, separated"),
                    id=name,
                    select_on_focus=False,
                )
            )
        elif name == "decision":
            yield Label(field_label(name), classes="field-label")
            yield Select[Decision](
                [(decision_label(d), d) for d in Decision],
                value=card.decision if card.decision is not None else Select.NULL,
                prompt=_("no decision yet"),
                id="decision",
            )

    def _titled(self, widget: Any) -> Any:
        widget.border_title = mark_label(str(widget.id))
        return widget

    def _deciding(self) -> str:
        """What the editor says when it opened to decide a conflicted field."""
        name = str(self.decide)
        conflict = self.card.conflicts.get(name)
        label = mark_label(name)
        if conflict is None:
            return visible(
                _("Deciding “{field}”: saving keeps what the field holds.").format(field=label)
            )
        sides = " · ".join(
            f"{words}: {_one_line(name, getattr(conflict, side))}"
            for side, words in (("ours", _("this copy")), ("theirs", _("merged in")))
        )
        return visible(
            _(
                "Deciding “{field}” after a merge ({sides}): saving keeps what the field holds."
            ).format(field=label, sides=sides)
        )

    def on_mount(self) -> None:
        for area in self.query(TextArea):
            area.move_cursor(area.document.end)  # where Tab arrives: typing adds to the text
        # `query`, not `query_one`: an editor opened as the app closes may have no fields
        field = self.decide if self.decide is not None else "title"
        for widget in self.query(f"#{field}"):
            widget.focus()

    def show_latest(self, card: Card | None) -> None:
        """The card changed on the board (None: deleted): say so, keep what is typed."""
        if card is self.latest:
            return
        self.latest = card
        notice = editor_notice(self.card, card)
        line = self.query_one("#changed", Label)
        line.update(notice or "")
        line.display = notice is not None

    # --- what was changed ---------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """Every editable field as the editor holds it now."""
        card = self.card
        selected = set(self.query_one("#by", SelectionList).selected)
        by = (
            list(card.by)
            if selected == set(card.by)
            else [k for k in self.members if k in selected]
        )
        decision = self.query_one("#decision", Select).value
        values: dict[str, Any] = {
            "by": by,
            "decision": decision if isinstance(decision, Decision) else None,
        }
        for name in TYPED_LISTS:
            values[name] = split_tags(self.query_one(f"#{name}", Input).value)
        for name in LINES:
            values[name] = " ".join(self.query_one(f"#{name}", Input).value.split())
        for name in TEXT_AREAS:
            values[name] = clean_text(self.query_one(f"#{name}", TextArea).text)
        return values

    def as_shown(self, name: str) -> Any:
        """Field `name` of the card as the editor shows it.

        Input and TextArea send their text to the terminal as it is, so control
        characters (an escape sequence in a pulled board) are shown as escapes such
        as ``\\x1b``. A field left as shown keeps the card's own text; a field the user
        edits is saved as typed, escapes and all.
        """
        value = getattr(self.card, name)
        if name in LINES:
            return visible(value)
        if name in TYPED_LISTS:
            return [visible(item) for item in value]
        if name in TEXT_AREAS:
            return visible(value, lines=True)
        return value

    def edited(self) -> dict[str, Any]:
        """The fields whose value differs from the card's (as shown: see `as_shown`)."""
        return {
            name: value for name, value in self.values().items() if value != self.as_shown(name)
        }

    def changes(self) -> dict[str, Any]:
        """What a save sets: the edited fields, and the field being decided.

        A decided field left as shown keeps the card's own text (see `as_shown`).
        """
        changes = self.edited()
        if self.decide is not None and self.decide not in changes:
            changes[self.decide] = getattr(self.card, self.decide)
        return changes

    # --- saving and cancelling ----------------------------------------------------------

    def action_save(self) -> None:
        changes = self.changes()
        if not changes:
            self.dismiss(None)
            return
        op = ops.EditCard(self.card_id, changes)
        problem = self.check(op, tuple(self.guests))
        if problem is not None:
            error = self.query_one("#error", Label)
            error.update(visible(problem))
            error.display = True
            return
        self.dismiss(op)

    def action_cancel(self) -> None:
        """Close without saving; with unsaved changes, only once the user says to discard them."""
        if not self.edited():
            self.dismiss(None)
            return
        from .discard import DiscardChanges

        what = _("card {id}").format(id=self.card_id)
        self.app.push_screen(DiscardChanges(what), self._cancel_answered)

    def _cancel_answered(self, discard: bool | None) -> None:
        if discard:
            self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if off(self, action):
            return False
        if action == "external_editor":
            return isinstance(self.focused, TextArea) or None
        return True

    @unless_guest("external_editor")
    def action_external_editor(self) -> None:
        area = self.focused
        if not isinstance(area, TextArea):
            return
        text = edit_externally(self.app, area.text)
        if text is not None:
            area.load_text(visible(text, lines=True))  # shown as every field is: see as_shown
        area.focus()

    def action_guest(self) -> None:
        from .member_form import MemberForm

        self.app.push_screen(MemberForm(set(self.members), guest=True), self._guest_added)

    def _guest_added(self, guest: ops.SetMember | None) -> None:
        """A guest joins: one of the members to choose from, ticked as a co-creator."""
        if guest is None:
            return
        self.guests.append(guest)
        member = Member(name=guest.name, side=Side(guest.side), role=guest.role)
        self.members[guest.key] = member
        people = self.query_one("#by", TickList)
        label = Content(visible(f"{member.name} ({side_label(member.side)})"))
        people.add_option((label, guest.key, True))
        people.border_subtitle = ""
        people.focus()

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

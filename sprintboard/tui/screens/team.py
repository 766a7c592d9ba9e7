"""The team: every member — key, name, side, role, facilitator — and adding, editing, removing.

Anyone may look; changing the team is a facilitator's (`Duty.TEAM`): for others the
keys that change it are left out of the key bar, and refused with the one sentence when
pressed or chosen from the palette. Each change is one operation on the board at once
(the board screen's `change`, so `u` undoes it); removing a member who is named on the
board asks first, saying what will happen (`remove_member`).

The screen shows the board as it is now: after each change, and when someone else's
change arrives (it looks every half second whether the board it shows is still the
board's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from ...i18n import _
from ...labels import side_label
from ...safe_text import visible
from ..widgets.keybar import KeyBar

if TYPE_CHECKING:
    from ... import ops
    from ...model import Board

CHANGES = frozenset({"add", "edit", "remove"})
"""The team screen's actions that change the team: a facilitator's."""


@dataclass(frozen=True)
class TeamHooks:
    """What the team screen asks of the board screen."""

    board: Callable[[], Board | None]
    """The board as it is now."""
    change: Callable[[ops.Op], bool]
    """Apply an operation (False: refused, and the user told why)."""
    may_change: Callable[[], bool]
    """Whether whoever runs the app may change the team (no notice)."""
    gate: Callable[[], bool]
    """The same, saying who may when not."""
    remove: Callable[[str, Callable[[], None]], None]
    """Remove a member (asks first when the board names them), then call back."""
    undo: Callable[[], None]


class TeamScreen(ModalScreen[None]):
    """The board's members in a table, and the keys that change them."""

    CSS_PATH = "team.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", _("Add"), tooltip=_("Add a member"), id="team.add"),
        Binding("e,enter", "edit", _("Edit"), tooltip=_("Edit the member"), id="team.edit"),
        Binding(
            "d,delete", "remove", _("Remove"), tooltip=_("Remove the member"), id="team.remove"
        ),
        Binding("u", "undo", _("Undo"), tooltip=_("Undo the last change"), id="team.undo"),
        Binding("escape,q", "close", _("Close"), tooltip=_("Back to the board"), id="team.close"),
    ]

    def __init__(self, hooks: TeamHooks) -> None:
        super().__init__()
        self.hooks = hooks
        self._shown: Board | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-team"):
            yield Label(_("The team"), classes="dialog-title")
            table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, id="members")
            for label in (_("Key"), _("Name"), _("Side"), _("Role"), _("Facilitator")):
                table.add_column(label)
            yield table
            yield Label("", id="empty", classes="hint", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_members()
        self.set_interval(0.5, self.show_members)
        self.query_one(DataTable).focus()

    def show_members(self) -> None:
        """Show the board's members (nothing is redrawn when the board did not change)."""
        board = self.hooks.board()
        if board is None or board is self._shown:
            return
        self._shown = board
        table: DataTable[Text] = self.query_one(DataTable)
        selected = self.selected()
        table.clear()
        facilitators = set(board.sprint.facilitators)
        for key, member in board.members.items():
            leads = _("yes") if key in facilitators else ""
            cells = (key, member.name, side_label(member.side), member.role or "", leads)
            table.add_row(*(Text(visible(cell)) for cell in cells), key=key)
        if selected in board.members:
            table.move_cursor(row=table.get_row_index(selected))
        empty = self.query_one("#empty", Label)
        empty.update(_("No members yet · a adds one") if not board.members else "")
        empty.display = not board.members

    def selected(self) -> str | None:
        """The key of the member the cursor is on (None: no members)."""
        table: DataTable[Text] = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return key

    def key_shown(self, binding: Binding) -> bool:
        """The keys that change the team only for those who may change it."""
        return binding.action not in CHANGES or self.hooks.may_change()

    def _changed(self) -> None:
        self.show_members()
        self.refresh_bindings()

    # --- the keys -----------------------------------------------------------------------

    def action_add(self) -> None:
        from .member_form import MemberForm

        board = self.hooks.board()
        if board is None or not self.hooks.gate():
            return
        self.app.push_screen(MemberForm(set(board.members)), self._made)

    def action_edit(self) -> None:
        from .member_form import MemberForm

        board = self.hooks.board()
        key = self.selected()
        if board is None or key is None or key not in board.members or not self.hooks.gate():
            return
        form = MemberForm(set(board.members), key=key, member=board.members[key])
        self.app.push_screen(form, self._made)

    def _made(self, op: ops.SetMember | None) -> None:
        if op is not None and self.hooks.change(op):
            self._changed()
            table: DataTable[Text] = self.query_one(DataTable)
            table.move_cursor(row=table.get_row_index(op.key))

    def action_remove(self) -> None:
        key = self.selected()
        if key is None or not self.hooks.gate():
            return
        self.hooks.remove(key, self._changed)

    def action_undo(self) -> None:
        self.hooks.undo()
        self._changed()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row (the table takes the key before the screen does): edit it."""
        event.stop()
        self.action_edit()

    def action_close(self) -> None:
        self.dismiss(None)

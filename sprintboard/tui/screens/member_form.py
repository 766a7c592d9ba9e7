"""One member's form: key, name, side and role — or, for a guest, name and side only.

`MemberForm` dismisses with an `ops.SetMember` (or None). For a new member the key is
typed (or left empty: made from the name); for a guest (`guest=True`) it is always made
from the name (`identity.suggested_key`), made unique among the keys taken, so someone
who just walked in is on the team in one step. The role is free text with suggestions
(`ROLES`); a guest's is "guest". What the board refuses is said here, in one sentence,
with what was typed kept.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select

from ... import ops
from ...i18n import N_, _
from ...identity import suggested_key
from ...labels import side_label
from ...model import Member, Side, is_key
from ...safe_text import visible
from ..widgets.header import one_line
from ..widgets.keybar import KeyBar

ROLES = (N_("frontline"), N_("citizen"), N_("customer"), N_("partner"), N_("expert"))
"""Roles suggested as one types, in the language in force (any text is a role)."""

GUEST_ROLE = "guest"
"""The role of someone added as a guest while adding or editing a card."""


def unique_key(name: str, taken: Collection[str]) -> str:
    """A member key made from `name` ("Omar Haddad" -> omar), with a number if taken."""
    base = suggested_key(name)
    key, number = base, 2
    while key in taken:
        key = f"{base}{number}"
        number += 1
    return key


class MemberForm(ModalScreen[ops.SetMember | None]):
    """A member added or changed (or a guest added); dismisses with the `SetMember`."""

    CSS_PATH = "team.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", _("Save"), priority=True, id="member.save"),
        Binding("escape", "cancel", _("Cancel"), id="member.cancel"),
    ]

    def __init__(
        self,
        taken: Collection[str],
        *,
        key: str | None = None,
        member: Member | None = None,
        guest: bool = False,
    ) -> None:
        super().__init__()
        self.taken = taken
        """Keys already on the board (and guests about to be): a new key must differ."""
        self.key = key
        """The member changed; None: a new one."""
        self.member = member
        self.guest = guest
        """Name and side only, the key made from the name."""

    def compose(self) -> ComposeResult:
        member = self.member
        with Vertical(id="dialog", classes="-small"):
            if self.guest:
                title = _("A guest joins: name and side")
            elif self.key is None:
                title = _("New member")
            else:
                title = _("Member {key}").format(key=self.key)
            yield Label(visible(title), classes="dialog-title", markup=False)
            name = Input(visible(member.name) if member else "", id="name", select_on_focus=False)
            name.border_title = _("Name")
            yield name
            if not self.guest and self.key is None:
                key = Input(placeholder=_("empty: made from the name"), id="key")
                key.border_title = _("Key")
                yield key
            default = Side.EXTERNAL if self.guest else None
            side = member.side if member else default
            yield Label(_("Side"), classes="field-label")
            yield Select[Side](
                [(side_label(s), s) for s in Side],
                value=side if side is not None else Select.NULL,
                prompt=_("internal or external?"),
                id="side",
            )
            if not self.guest:
                roles = [_(role) for role in ROLES]
                role = Input(
                    visible(member.role or "") if member else "",
                    placeholder=", ".join(roles),
                    suggester=SuggestFromList(roles, case_sensitive=False),
                    id="role",
                )
                role.border_title = _("Role")
                yield role
            yield Label("", id="error", markup=False)
            with Horizontal(id="buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")
        yield KeyBar()

    def on_mount(self) -> None:
        for field in self.query("#name"):
            field.focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def made(self) -> ops.SetMember | str:
        """The member as typed, or the one sentence saying what is missing."""
        name = one_line(self.query_one("#name", Input).value)
        if not name:
            return _("A member needs a name.")
        side = self.query_one("#side", Select).value
        if not isinstance(side, Side):
            return _("Choose whether {name} is internal or external.").format(name=visible(name))
        if self.key is not None:
            key = self.key
        else:
            typed = self.query_one("#key", Input).value.strip() if not self.guest else ""
            key = typed or unique_key(name, self.taken)
            if not is_key(key):
                return _("The key '{key}' must be letters, digits, '-' or '_'.").format(
                    key=visible(key)
                )
            if key in self.taken:
                return _("The key '{key}' is taken: give another.").format(key=key)
        if self.guest:
            role: str | None = GUEST_ROLE
        else:
            role = one_line(self.query_one("#role", Input).value) or None
        return ops.SetMember(key, name, side.value, role)

    def action_save(self) -> None:
        made = self.made()
        if isinstance(made, str):
            error = self.query_one("#error", Label)
            error.update(made)
            error.display = True
            return
        self.dismiss(made)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

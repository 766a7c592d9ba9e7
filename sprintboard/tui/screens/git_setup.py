"""Asking, once per clone, whether to set up the board merge driver (`sprintboard git-setup`)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from ...git.setup import ATTRIBUTE
from ...i18n import _
from ...safe_text import visible


class GitSetupOffer(ModalScreen[bool]):
    """Asks "Set up sprintboard's merge driver for this repository?"; dismisses with the answer."""

    DEFAULT_CSS = """
    GitSetupOffer .text {
        padding: 1 1 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", _("Set up"), id="git-setup.accept"),
        Binding("n,escape", "answer(False)", _("Not now"), id="git-setup.decline"),
    ]

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root
        """The git repository the board is in."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(
                _("Set up sprintboard's merge driver for this repository?"),
                classes="dialog-title",
            )
            yield Label(visible(str(self.root)), classes="hint", markup=False)
            yield Static(
                _(
                    "Then git merges board files card by card and field by field, so two "
                    "people's changes to one board come together instead of clashing line by "
                    "line. It adds “{attribute}” to .gitattributes (sync commits it for "
                    "the others) and sets merge.sprintboard.driver in this clone's git "
                    "config."
                ).format(attribute=ATTRIBUTE),
                classes="text",
                markup=False,
            )
            yield Static(
                _(
                    "y sets it up · n or escape: not now. Asked once for this clone; later: "
                    "sprintboard git-setup (sync does it too)."
                ),
                classes="hint",
                markup=False,
            )
            with Horizontal(id="buttons"):
                yield Button(_("Set up"), variant="primary", id="accept")
                yield Button(_("Not now"), id="decline")

    def on_mount(self) -> None:
        self.query_one("#accept", Button).focus()

    def action_answer(self, accept: bool) -> None:
        self.dismiss(accept)

    @on(Button.Pressed, "#accept")
    def _accepted(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#decline")
    def _declined(self) -> None:
        self.dismiss(False)

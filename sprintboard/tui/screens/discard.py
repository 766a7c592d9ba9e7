"""Asking before unsaved typing is thrown away: "Discard your changes?".

The safe answer is the easy one: Escape (pressed again by habit), n, enter on the
focused "Keep editing" button all go back to the editor with everything typed. Only
d (or y, or the "Discard" button) throws the changes away.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from ...i18n import _
from .question import Question


class DiscardChanges(Question):
    """Whether to throw away what was typed in `what`; dismisses True to discard."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d,y", "answer(True)", _("Discard"), id="discard.discard"),
        Binding("escape,n", "answer(False)", _("Keep editing"), id="discard.keep"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__(
            _("Discard your changes to {what}?").format(what=what),
            hint=_("d discards them · escape or n keeps editing"),
            keep=_("Keep editing"),
            act=_("Discard"),
        )
        self.what = what
        """What holds the changes, as the question names it ("card aaaa0001")."""

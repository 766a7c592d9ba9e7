"""Asking before a member who is named on the board is removed: what will happen, then yes or no.

"Omar co-created 3 cards and gave 4 dots: remove them from those cards and take the dots
back?" — and, for a facilitator, that they leave the facilitators too. The safe answer
is the easy one: escape, n, or enter on the focused "Keep" button keep the member; only
y (or the "Remove" button) removes them, their references with them, in one operation
that one undo takes back.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from ...co_creation import Involvement
from ...i18n import _, ngettext
from ...safe_text import visible
from .question import Question


def question(name: str, involved: Involvement) -> str:
    """What removing `name` (as the team shows them) does, asked as one question."""
    cards = ngettext("{n} card", "{n} cards", involved.cards).format(n=involved.cards)
    dots = ngettext("{n} dot", "{n} dots", involved.dots).format(n=involved.dots)
    if involved.cards and involved.dots:
        text = _(
            "{name} co-created {cards} and gave {dots}: "
            "remove them from those cards and take the dots back?"
        )
    elif involved.cards:
        text = _("{name} co-created {cards}: remove them from those cards?")
    elif involved.dots:
        text = _("{name} gave {dots}: take the dots back?")
    else:
        text = _("Remove {name} from the team?")
    asked = text.format(name=name, cards=cards, dots=dots)
    if involved.facilitator:
        asked += " " + _("{name} leaves the facilitators too.").format(name=name)
    return visible(asked)


class RemoveMemberQuestion(Question):
    """Whether to remove a member and what names them; dismisses True to remove."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", _("Remove"), id="remove-member.remove"),
        Binding("escape,n", "answer(False)", _("Keep"), id="remove-member.keep"),
    ]

    def __init__(self, name: str, involved: Involvement) -> None:
        super().__init__(
            question(name, involved),
            hint=_("y removes · escape or n keeps · u undoes later"),
            keep=_("Keep"),
            act=_("Remove"),
        )

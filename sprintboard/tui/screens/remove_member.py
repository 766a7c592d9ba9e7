"""Asking before a member who is named on the board is removed: what will happen, then yes or no.

"Omar co-created 3 cards and would be removed from them. Omar gave 4 dots, which would
be taken back. Remove Omar from the team?" — and, for a facilitator, that they leave the
facilitators too. The safe answer is the easy one: escape, n, or enter on the focused
"Keep" button keep the member; only y (or the "Remove" button) removes them, their
references with them, in one operation that one undo takes back.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from ...co_creation import Involvement
from ...i18n import _, ngettext
from ...safe_text import visible
from .question import Question


def question(name: str, involved: Involvement) -> str:
    """What removing `name` (as the team shows them) does, then the question."""
    # one sentence for each count, so each can take its own number's form ("that card",
    # "those cards"; "the dot", "the dots"); the question itself has no count
    said = []
    if involved.cards:
        said.append(
            ngettext(
                "{name} co-created {n} card and would be removed from it.",
                "{name} co-created {n} cards and would be removed from them.",
                involved.cards,
            ).format(name=name, n=involved.cards)
        )
    if involved.dots:
        said.append(
            ngettext(
                "{name} gave {n} dot, which would be taken back.",
                "{name} gave {n} dots, which would be taken back.",
                involved.dots,
            ).format(name=name, n=involved.dots)
        )
    said.append(_("Remove {name} from the team?").format(name=name))
    if involved.facilitator:
        said.append(_("{name} leaves the facilitators too.").format(name=name))
    return visible(" ".join(said))


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

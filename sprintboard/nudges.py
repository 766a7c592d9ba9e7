"""Which move asks for which card fields: the experiment on entering test, the learning
on entering learned.

A card moved into `test` with its experiment all empty is asked what the team believes
and how it will know; one moved into `learned` with its learning all empty, what was
seen, learned and decided. The groups are the field table's (`fields.in_group`), so a
field added to a group is asked for too. Whether a move asks at all (only the app's own
move keys, never someone else's change, the command line or undo) is the app's to say;
this says what a move into a stage asks, and whether the card still needs it.

Pure: no Textual, no files; works on any card that has the group's fields as attributes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fields import EDITABLE, FieldName, Group, in_group
from .i18n import N_, _
from .vocabulary import Stage

QUESTIONS: dict[Stage, str] = {
    Stage.TEST: N_("What do we believe, and how will we know?"),
    Stage.LEARNED: N_("What did we see, what did we learn, and what now?"),
}
"""The one line each nudge opens with (English; `Nudge.question` translates it)."""


@dataclass(frozen=True)
class Nudge:
    """What a move into `stage` asks: a group of the card's fields, and one line."""

    stage: Stage
    group: Group

    @property
    def fields(self) -> tuple[FieldName, ...]:
        """The fields asked for, in the table's order: the group's editable ones."""
        return tuple(name for name in in_group(self.group) if name in EDITABLE)

    @property
    def question(self) -> str:
        """The line that asks, translated."""
        return _(QUESTIONS[self.stage])


NUDGES: dict[Stage, Nudge] = {
    Stage.TEST: Nudge(Stage.TEST, "experiment"),
    Stage.LEARNED: Nudge(Stage.LEARNED, "learning"),
}
"""The stages whose arrival asks for fields, and what each asks."""


def nudge_for(card: object, stage: Stage) -> Nudge | None:
    """What moving `card` into `stage` asks for; None when the stage asks nothing or
    the card already has any of those fields filled in (it is never asked twice)."""
    nudge = NUDGES.get(stage)
    if nudge is None or any(getattr(card, name) for name in nudge.fields):
        return None
    return nudge

"""What a person reads for the board's own words: stages, decisions, sides, fields.

The board file keeps English ids (`stage = "idea"`, `hypothesis = ...`) whatever the
language; these are their display names, translated when shown. Everything on screen
or in a report that names a stage, a decision, a side or a card field comes from
here, never from the enum's value or the field's key. Field labels are kept in the
field table (`fields.FIELDS`), beside the rest of what describes a field.
"""

from __future__ import annotations

from .fields import FIELDS, FieldName, Group
from .i18n import N_, _
from .vocabulary import Decision, Side, Stage

STAGE_LABELS = {
    Stage.IDEA: N_("idea"),
    Stage.PROTOTYPE: N_("prototype"),
    Stage.TEST: N_("test"),
    Stage.LEARNED: N_("learned"),
}

DECISION_LABELS = {
    Decision.PERSEVERE: N_("persevere"),
    Decision.PIVOT: N_("pivot"),
    Decision.SCALE: N_("scale"),
    Decision.STOP: N_("stop"),
}

SIDE_LABELS = {
    Side.INTERNAL: N_("internal"),
    Side.EXTERNAL: N_("external"),
}


def stage_label(stage: Stage) -> str:
    """The stage's name as a person reads it."""
    return _(STAGE_LABELS[stage])


def decision_label(decision: Decision) -> str:
    """The decision's name as a person reads it."""
    return _(DECISION_LABELS[decision])


def side_label(side: Side) -> str:
    """The side's name as a person reads it."""
    return _(SIDE_LABELS[side])


GROUP_LABELS: dict[Group, str] = {
    "card": N_("Card"),
    "experiment": N_("Experiment"),
    "learning": N_("Learning"),
    "state": N_("On the board"),
}

DELETED_LABEL = N_("Deleted")
"""The conflict mark of a card deleted on one side and edited on the other."""


def field_label(name: FieldName) -> str:
    """The card field's name as a person reads it ("We believe" for `hypothesis`)."""
    return _(FIELDS[name].label)


def group_label(group: Group) -> str:
    """The heading of a group of card fields ("Experiment")."""
    return _(GROUP_LABELS[group])


def mark_label(name: str) -> str:
    """What a conflict mark (`Card.conflicts`) is called: its field's label, "Deleted"
    for the card's deletion, the name itself (made visible by the caller) if unknown."""
    for field, found in FIELDS.items():
        if field == name:
            return _(found.label)
    return _(DELETED_LABEL) if name == "deleted" else name


def id_label(name: str, value: object) -> str | None:
    """The display name of the stage or decision id `value` that field `name` holds as
    text (a conflict mark's side: `"test"`); None for any other field or value."""
    if name == "stage" and value in set(Stage):
        return stage_label(Stage(str(value)))
    if name == "decision" and value in set(Decision):
        return decision_label(Decision(str(value)))
    return None

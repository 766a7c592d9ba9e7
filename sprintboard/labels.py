"""What a person reads for the board's own words: stages, decisions, sides.

The board file keeps English ids (`stage = "idea"`) whatever the language; these are
their display names, translated when shown. Everything on screen or in a report that
names a stage, a decision or a side comes from here, never from the enum's value.
"""

from __future__ import annotations

from .i18n import N_, _
from .model import Decision, Side, Stage

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

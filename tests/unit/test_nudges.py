"""What a move asks for (`sprintboard.nudges`): the experiment on entering test, the
learning on entering learned, nothing when any of those fields is filled in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sprintboard import fields
from sprintboard.model import Card, Decision, Stage
from sprintboard.nudges import NUDGES, nudge_for
from sprintboard.outline import read as read_outline

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def card(**values: object) -> Card:
    data: dict[str, object] = {
        "title": "A card",
        "stage": "prototype",
        "rank": "m",
        "created": NOW,
        "updated": NOW,
    }
    return Card.model_validate({**data, **values})


def test_each_stage_asks_for_its_group_of_editable_fields() -> None:
    assert NUDGES[Stage.TEST].fields == ("hypothesis", "test", "metric", "criterion")
    assert NUDGES[Stage.LEARNED].fields == ("observed", "learned", "next", "decision")
    for nudge in NUDGES.values():  # the field table's groups, so a new field joins
        assert nudge.fields == tuple(
            name for name in fields.in_group(nudge.group) if name in fields.EDITABLE
        )
    assert nudge_for(card(), Stage.IDEA) is None
    assert nudge_for(card(), Stage.PROTOTYPE) is None


def test_an_empty_card_is_asked_and_a_filled_one_never() -> None:
    assert nudge_for(card(), Stage.TEST) is NUDGES[Stage.TEST]
    assert nudge_for(card(), Stage.LEARNED) is NUDGES[Stage.LEARNED]
    for name in NUDGES[Stage.TEST].fields:
        assert nudge_for(card(**{name: "written"}), Stage.TEST) is None
        # the other group's fields do not count
        assert nudge_for(card(**{name: "written"}), Stage.LEARNED) is NUDGES[Stage.LEARNED]
    for name in ("observed", "learned", "next"):
        assert nudge_for(card(**{name: "seen"}), Stage.LEARNED) is None
    assert nudge_for(card(decision=Decision.STOP), Stage.LEARNED) is None


@pytest.mark.parametrize("stage", [Stage.TEST, Stage.LEARNED])
def test_the_questions_are_one_line(stage: Stage) -> None:
    question = NUDGES[stage].question
    assert question.endswith("?") and "\n" not in question and len(question) <= 60


def test_the_outline_has_what_the_board_shows_of_a_decision() -> None:
    text = (
        'schema = 1\ntitle = "T"\n\n[cards.a]\ntitle = "A"\nstage = "learned"\nrank = "m"\n'
        'created = 2026-11-23T09:00:00Z\nupdated = 2026-11-23T09:00:00Z\ndecision = "scale"\n'
    )
    outline = read_outline(text)
    assert outline is not None
    assert outline.cards["a"].decision is Decision.SCALE

"""A learned card's decision on the board: its word (not a colour), in the card's meta
row, kept when room runs out, in the app at 80 columns and with NO_COLOR."""

from __future__ import annotations

from pathlib import Path

import pytest

from sprintboard import ops, storage
from sprintboard.labels import decision_label
from sprintboard.model import Decision, Stage
from sprintboard.tui.widgets.card_lines import LEARNING_MARK, markers_text

from .helpers import board_screen, fixture_board, settle, steady_app
from .test_conflicts_app import column_text


def test_the_word_replaces_the_tick_only_in_learned() -> None:
    board = fixture_board()
    learned = board.cards["dddd0001"]  # pivot, no experiment
    assert markers_text(learned) == "pivot"
    moved = ops.apply(board, ops.MoveCard("dddd0001", Stage.TEST)).cards["dddd0001"]
    assert markers_text(moved) == LEARNING_MARK  # elsewhere the decision is history
    both = ops.apply(
        board, ops.EditCard("dddd0001", {"hypothesis": "Evenings suit parents"})
    ).cards["dddd0001"]
    assert markers_text(both) == "✎ pivot"
    undecided = ops.apply(board, ops.EditCard("dddd0001", {"decision": None})).cards["dddd0001"]
    assert markers_text(undecided) == LEARNING_MARK
    for decision in Decision:
        card = learned.model_copy(update={"decision": decision})
        assert markers_text(card) == decision_label(decision)


@pytest.mark.parametrize("colour", [True, False])
async def test_every_decision_fits_a_learned_column_at_80_columns(
    board_file: Path, monkeypatch: pytest.MonkeyPatch, colour: bool
) -> None:
    if not colour:
        monkeypatch.setenv("NO_COLOR", "1")
    board = fixture_board()
    # four co-creators and a long tag: the row has less room than it needs
    crowded = {"by": ["nanna", "omar", "ahmed", "birthe"], "tags": ["a-very-long-tag"]}
    board = ops.apply(board, ops.EditCard("dddd0001", crowded))
    storage.save(board_file, board)
    for decision in Decision:
        board = ops.apply(board, ops.EditCard("dddd0001", {"decision": decision}))
        storage.save(board_file, board)
        app = steady_app(board_file)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            text = column_text(board_screen(app).column(Stage.LEARNED))
            assert decision_label(decision) in text, text

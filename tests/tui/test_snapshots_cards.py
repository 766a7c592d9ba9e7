"""Snapshots of the experiment and learning cards at 80×24: the nudge after a move into
test, the one after a move into learned, and the learned column with its decisions.

After a deliberate change to how they look: ``pytest tests/tui/test_snapshots_cards.py
--snapshot-update``, then look at the new SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from sprintboard import ops, storage
from sprintboard.model import Decision, Stage

from .helpers import fixture_board, settle, steady_app

Compare = Callable[..., bool]
SIZE = (80, 24)
FAMILY = Path("boards") / "family.toml"


async def loaded(pilot: Pilot[Any]) -> None:
    await settle(pilot)


@pytest.fixture(autouse=True)
def _relative_paths(boards_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run next to boards/, so paths on screen are the same every time."""
    monkeypatch.chdir(boards_dir.parent)


def test_the_experiment_nudge(snap_compare: Compare, board_file: Path) -> None:
    # bbbb0002 (prototype, no experiment) moved on into test
    keys = ["l", "down", "L", *"Families borrow"]
    assert snap_compare(steady_app(FAMILY), press=keys, terminal_size=SIZE, run_before=loaded)


def test_the_learning_nudge(snap_compare: Compare, board_file: Path) -> None:
    # cccc0001 (test, experiment written, no learning) moved on into learned
    keys = ["l", "l", "L"]
    assert snap_compare(steady_app(FAMILY), press=keys, terminal_size=SIZE, run_before=loaded)


def test_decisions_on_learned_cards(snap_compare: Compare, board_file: Path) -> None:
    """Every decision's word on the learned column, with the co-creators and markers
    beside it; one learned card with learning but no decision keeps its "✓"."""
    board = fixture_board()
    decided = {
        "bbbb0001": Decision.PERSEVERE,  # the longest word, with an experiment ("✎")
        "bbbb0002": Decision.SCALE,
        "cccc0001": Decision.STOP,
    }
    for card_id, decision in decided.items():
        board = ops.apply(board, ops.MoveCard(card_id, Stage.LEARNED))
        board = ops.apply(board, ops.EditCard(card_id, {"decision": decision}))
    board = ops.apply(board, ops.MoveCard("bbbb0003", Stage.LEARNED))
    board = ops.apply(board, ops.EditCard("bbbb0003", {"observed": "Children drew 40"}))
    storage.save(board_file, board)
    keys = ["l", "l", "l"]
    assert snap_compare(steady_app(FAMILY), press=keys, terminal_size=SIZE, run_before=loaded)

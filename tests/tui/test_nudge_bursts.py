"""The nudge and bursts of keys, through the real executable in a pty: each burst is
one `write()`, as a fast typist's keys arrive over SSH (the sessions of test_bursts.py).

`L` followed at once by text puts the text in the nudge's first field; `L`, escape, `L`
moves twice and skips both nudges. Escape is sent as a terminal that speaks the kitty
keyboard protocol (which Textual asks for) sends it, `ESC [ 27 u`: in the legacy
encoding an escape followed at once by a letter *is* alt+letter, to any program.
The tests wait for the board file, never for a fixed time.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sprintboard.model import Stage

from .test_bursts import SAVE, SKIP, moved, on_disk, running

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")

LEARNING_QUESTION = "What did we see, what did we learn, and what now?"


def test_a_move_and_text_in_one_write_fill_the_first_field(tmp_path: Path) -> None:
    with running(tmp_path) as app:
        # to bbbb0002 (prototype, no experiment), on into test, and the hypothesis typed
        app.send("lj" + "L" + "Families borrow, fast" + SAVE)
        board = app.wait_for_file(lambda b: bool(b.cards["bbbb0002"].hypothesis), "the save")
        card = board.cards["bbbb0002"]
        assert card.hypothesis == "Families borrow, fast"
        assert card.stage is Stage.TEST and not (card.test or card.metric or card.criterion)
        assert app.terminal.process.poll() is None, app.terminal.output[-2000:]


def test_move_escape_move_in_one_write_moves_twice_and_skips_both(tmp_path: Path) -> None:
    with running(tmp_path) as app:
        moves = len(on_disk(app.board).cards["aaaa0001"].history)
        for round_ in range(3):
            # aaaa0001 goes idea → prototype → test (asks; skipped) → learned (asks; skipped)
            app.send("LL" + SKIP + "L" + SKIP)
            moves += 3
            board = app.wait_for_file(moved("aaaa0001", moves), f"the moves of round {round_}")
            card = board.cards["aaaa0001"]
            assert card.stage is Stage.LEARNED
            assert len(card.history) == moves
            assert not card.has_experiment and not card.has_learning
            # the board has the keys again: three steps back in one write; back into
            # test asks again (the experiment is still empty), and is skipped too
            app.send("H" + SKIP + "HH")
            moves += 3
            board = app.wait_for_file(moved("aaaa0001", moves), f"back, round {round_}")
            assert board.cards["aaaa0001"].stage is Stage.IDEA
            assert len(board.cards["aaaa0001"].history) == moves
            assert LEARNING_QUESTION not in app.screen()
        output = app.terminal.output.decode(errors="replace")
        assert app.terminal.process.poll() is None and "Traceback" not in output


def test_a_lone_escape_at_the_end_of_a_write_skips(tmp_path: Path) -> None:
    # the legacy encoding: escape alone, then (a moment later) the next write
    with running(tmp_path) as app:
        app.send("lljL\x1b")  # cccc0001 (test, no learning) on into learned; skipped
        app.wait_for(
            lambda: (
                LEARNING_QUESTION not in app.screen()
                and on_disk(app.board).cards["cccc0001"].stage is Stage.LEARNED
            ),
            "the move, its nudge skipped",
        )
        app.send("H")
        board = app.wait_for_file(lambda b: b.cards["cccc0001"].stage is Stage.TEST, "back")
        assert not board.cards["cccc0001"].has_learning

"""Votes typed in bursts into the real executable in a pty: each burst is one `write()`.

`vvvv` in a round of three dots gives three and refuses the fourth (said on screen);
`vjvjv` gives one dot to each of three cards, each `v` on the card the `j` before it
selected. The tests wait for the board file, never for a fixed time.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from sprintboard import ops, storage
from sprintboard.model import Stage

from .helpers import FIXTURES
from .terminal import EXECUTABLE, Terminal, clean_env
from .test_bursts import PATIENCE, Session, on_disk

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")

SIZE = (100, 30)


def voting(tmp_path: Path, member: str) -> Session:
    board = tmp_path / "boards" / "family.toml"
    board.parent.mkdir(exist_ok=True)
    shutil.copyfile(FIXTURES / "board.toml", board)
    storage.save(board, ops.apply(on_disk(board), ops.StartRound(dots=3, actor="nanna")))
    env = clean_env(tmp_path, SPRINTBOARD_USER=member)
    terminal = Terminal([str(EXECUTABLE), "open", str(board)], env, tmp_path, SIZE)
    session = Session(terminal, board)
    session.wait_for(lambda: "dots left: 3 of 3" in session.screen(), "the board in a round")
    return session


def test_a_burst_of_v_gives_the_budget_and_refuses_the_rest(tmp_path: Path) -> None:
    app = voting(tmp_path, "birthe")
    try:
        app.send("vvvv")
        app.wait_for(lambda: "0 dots left in this round (of 3)" in app.screen(), "the refusal")
        board = app.wait_for_file(lambda b: b.cards["aaaa0001"].votes == {"birthe": 3}, "3 dots")
        assert sum(card.votes.get("birthe", 0) for card in board.cards.values()) == 3
        assert "dots left: 0 of 3" in app.screen()
    finally:
        app.terminal.close()


def test_each_v_of_a_burst_votes_for_the_card_the_key_before_left(tmp_path: Path) -> None:
    app = voting(tmp_path, "omar")
    try:
        app.send("vjvjv")
        board = app.wait_for_file(
            lambda b: all(b.cards[c].votes.get("omar") for c in ("aaaa0002", "aaaa0003")),
            "the third dot",
        )
        idea = [cid for cid, _card in board.column(Stage.IDEA)]
        given = {cid: board.cards[cid].votes.get("omar") for cid in idea}
        assert given == {"aaaa0001": 1, "aaaa0002": 1, "aaaa0003": 1}
        app.terminal.wait_until(lambda: "dots left: 0 of 3" in app.screen(), PATIENCE, "note")
    finally:
        app.terminal.close()

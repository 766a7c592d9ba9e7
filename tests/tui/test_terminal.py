"""The real `sprintboard` executable in a pseudo-terminal: a key moves a card, q quits."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sprintboard import storage
from sprintboard.model import Stage

from .terminal import EXECUTABLE, Terminal, clean_env

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")


@pytest.mark.parametrize(
    ("term", "no_color"),
    [("xterm-256color", False), ("screen", True)],
    ids=["xterm", "screen-nocolor"],
)
def test_the_executable_moves_a_card_with_a_key_and_quits(
    tmp_path: Path, board_file: Path, term: str, no_color: bool
) -> None:
    board = board_file
    before = board.read_bytes()
    env = clean_env(tmp_path, SPRINTBOARD_USER="nanna")
    env["TERM"] = term
    if no_color:
        env["NO_COLOR"] = "1"
    terminal = Terminal([str(EXECUTABLE), "open", str(board)], env, tmp_path, (100, 30))
    try:
        terminal.wait_until(lambda: b"Saturday art" in terminal.output, 30, "the board")
        terminal.send("L")
        terminal.wait_until(lambda: board.read_bytes() != before, 10, "the file to change")
        terminal.send("q")
        terminal.wait_until(lambda: terminal.process.poll() is not None, 10, "the app to quit")
    finally:
        terminal.close()
    assert terminal.process.returncode == 0
    card = storage.load(board).board.cards["aaaa0001"]
    assert card.stage is Stage.PROTOTYPE
    assert card.history[-1].by == "nanna"
    if no_color:
        assert b"\x1b[38;2;" not in terminal.output and b"\x1b[38;5;" not in terminal.output

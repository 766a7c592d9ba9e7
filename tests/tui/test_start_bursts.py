"""Keys typed while the app starts, through the real executable in a pty: none is lost.

The burst is one `write()` sent as soon as the app has put the terminal in raw mode —
before its first frame, long before the board is open. (Earlier still, the terminal's
own line discipline would take ctrl+s and turn enter into a newline: no program
can help that.) Every key acts, in order: the file holds every change.
"""

from __future__ import annotations

import shutil
import sys
import termios
from pathlib import Path

import pytest

from sprintboard import storage
from sprintboard.model import Stage

from .helpers import FIXTURES
from .terminal import EXECUTABLE, Terminal, clean_env

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="needs a pty"),
    pytest.mark.slow,
]

SIZE = (100, 30)
PATIENCE = 60.0
SAVE = "\x13"  # ctrl+s
BURST = f"LnStart card\re, edited{SAVE}q"
"""Move the first idea on, add a card after it, edit that card's title and save, quit."""


def raw(terminal: Terminal) -> bool:
    """Whether the program has put its terminal in raw mode (the pty shares the modes)."""
    lflag = termios.tcgetattr(terminal.fd)[3]
    return not lflag & termios.ICANON


def start_and_type(tmp_path: Path, board: Path) -> Terminal:
    env = clean_env(tmp_path, SPRINTBOARD_USER="nanna")
    terminal = Terminal([str(EXECUTABLE), "open", str(board)], env, tmp_path, SIZE)
    try:
        terminal.wait_until(lambda: raw(terminal), PATIENCE, "raw mode")
        drawn_before = b"Saturday art" in terminal.output
        terminal.send(BURST)
        terminal.wait_until(terminal.ended, PATIENCE, "the app to quit")
        terminal.read(0.2)
    finally:
        terminal.close()
    assert not drawn_before  # the keys came before the first frame
    return terminal


def check_every_key_acted(board: Path, terminal: Terminal) -> None:
    assert terminal.process.returncode == 0, terminal.output[-600:]
    cards = storage.load(board).board.cards
    assert cards["aaaa0001"].stage is Stage.PROTOTYPE
    added = [card for card in cards.values() if card.title.startswith("Start card")]
    assert [(card.title, card.stage) for card in added] == [("Start card, edited", Stage.PROTOTYPE)]


def test_a_burst_typed_during_the_start_all_acts(tmp_path: Path) -> None:
    board = tmp_path / "family.toml"
    shutil.copyfile(FIXTURES / "board.toml", board)
    check_every_key_acted(board, start_and_type(tmp_path, board))


def test_a_burst_typed_during_the_start_of_a_hand_spaced_board_all_acts(tmp_path: Path) -> None:
    # not canonical: a comment and other spacing, so the outline cannot take the
    # writer's layout and reads the whole file (its other path); the keys act the same
    board = tmp_path / "family.toml"
    text = (FIXTURES / "board.toml").read_text()
    board.write_text("# a board written by hand\n" + text.replace(" = ", "   =   "))
    assert storage.load(board).text != storage.dumps(storage.load(board).board)
    check_every_key_acted(board, start_and_type(tmp_path, board))

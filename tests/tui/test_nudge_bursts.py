"""The nudge and bursts of keys, through the real executable in a pty: each burst is
one `write()`, as a fast typist's keys arrive over SSH.

`L` followed at once by text puts the text in the nudge's first field; `L`, escape, `L`
moves twice and skips both nudges. Escape is sent as a terminal that speaks the kitty
keyboard protocol (which Textual asks for) sends it, `ESC [ 27 u`: in the legacy
encoding an escape followed at once by a letter *is* alt+letter, to any program.
The tests wait for the board file, never for a fixed time.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sprintboard import storage
from sprintboard.model import Board, Stage

from .helpers import FIXTURES
from .terminal import EXECUTABLE, Terminal, clean_env

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")

SIZE = (100, 30)
PATIENCE = 60.0
"""Seconds to wait for anything: the machine may be loaded."""
SAVE = "\x13"  # ctrl+s
ESCAPE = "\x1b[27u"  # escape, in the kitty keyboard protocol
LEARNING_QUESTION = "What did we see, what did we learn, and what now?"


def on_disk(path: Path) -> Board:
    return storage.load(path).board


def screen_text(terminal: Terminal) -> str:
    screen = terminal.screen
    return "\n".join(screen.row(number) for number in range(len(screen.cells)))


@contextmanager
def running(tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    board = tmp_path / "boards" / "family.toml"
    board.parent.mkdir(exist_ok=True)
    shutil.copyfile(FIXTURES / "board.toml", board)
    env = clean_env(tmp_path, SPRINTBOARD_USER="nanna")
    terminal = Terminal([str(EXECUTABLE), "open", str(board)], env, tmp_path, SIZE)
    try:
        terminal.wait_until(lambda: "Saturday art" in screen_text(terminal), PATIENCE, "board")
        yield terminal, board
    finally:
        terminal.close()


def wait_for_file(
    terminal: Terminal, path: Path, done: Callable[[Board], bool], what: str
) -> Board:
    found: list[Board] = []

    def check() -> bool:
        board = on_disk(path)
        if done(board):
            found.append(board)
            return True
        return False

    terminal.wait_until(check, PATIENCE, what)
    return found[0]


def moved(times: int) -> Callable[[Board], bool]:
    """Whether aaaa0001's history has `times` entries (each move adds one)."""
    return lambda board: len(board.cards["aaaa0001"].history) >= times


def test_a_move_and_text_in_one_write_fill_the_first_field(tmp_path: Path) -> None:
    with running(tmp_path) as (terminal, path):
        # to bbbb0002 (prototype, no experiment), on into test, and the hypothesis typed
        terminal.send("lj" + "L" + "Families borrow, fast" + SAVE)
        board = wait_for_file(
            terminal, path, lambda b: bool(b.cards["bbbb0002"].hypothesis), "the nudge's save"
        )
        card = board.cards["bbbb0002"]
        assert card.hypothesis == "Families borrow, fast"
        assert card.stage is Stage.TEST and not (card.test or card.metric or card.criterion)
        assert terminal.process.poll() is None, terminal.output[-2000:]


def test_move_escape_move_in_one_write_moves_twice_and_skips_both(tmp_path: Path) -> None:
    with running(tmp_path) as (terminal, path):
        before = len(on_disk(path).cards["aaaa0001"].history)
        for round_ in range(3):
            # aaaa0001 goes idea → prototype → test (asks; skipped) → learned (asks; skipped)
            terminal.send("LL" + ESCAPE + "L" + ESCAPE)
            moves = before + 3
            board = wait_for_file(
                terminal,
                path,
                moved(moves),
                f"the moves of round {round_}",
            )
            card = board.cards["aaaa0001"]
            assert card.stage is Stage.LEARNED
            assert len(card.history) == moves
            assert not card.has_experiment and not card.has_learning
            # the board has the keys again: three steps back in one write; back into
            # test asks again (the experiment is still empty), and is skipped too
            terminal.send("H" + ESCAPE + "HH")
            before = moves + 3
            board = wait_for_file(
                terminal,
                path,
                moved(before),
                f"back, round {round_}",
            )
            assert board.cards["aaaa0001"].stage is Stage.IDEA
            assert len(board.cards["aaaa0001"].history) == before
            assert LEARNING_QUESTION not in screen_text(terminal)
        output = terminal.output.decode(errors="replace")
        assert terminal.process.poll() is None and "Traceback" not in output


def test_a_lone_escape_at_the_end_of_a_write_skips(tmp_path: Path) -> None:
    # the legacy encoding: escape alone, then (a moment later) the next write
    with running(tmp_path) as (terminal, path):
        terminal.send("lljL\x1b")  # dddd0001's neighbour: cccc0001, test → learned
        terminal.wait_until(
            lambda: (
                LEARNING_QUESTION not in screen_text(terminal)
                and on_disk(path).cards["cccc0001"].stage is Stage.LEARNED
            ),
            PATIENCE,
            "the move, its nudge skipped",
        )
        terminal.send("H")
        board = wait_for_file(
            terminal, path, lambda b: b.cards["cccc0001"].stage is Stage.TEST, "back to test"
        )
        assert not board.cards["cccc0001"].has_learning

"""Keys in bursts, through the real executable in a pty: each burst is one `write()`.

A terminal delivers keys in bursts when they are pasted, typed fast, or sent over a
slow SSH link. Every key must act as if typed slowly: text typed before ctrl+s is in
what is saved, `L L` moves one card twice, `l l l` goes three columns, and `q` followed
by more keys quits cleanly. Each burst is repeated, so a race shows; the tests wait
for the board file (or the screen) to say the burst is done, never for a fixed time.
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
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"  # bracketed paste
SKIP = "\x1b[27u"
"""Escape as a kitty-protocol terminal sends it: it skips the nudge a move into test
opens (a legacy lone ESC followed at once by a letter would read as alt+letter)."""


def on_disk(path: Path) -> Board:
    return storage.load(path).board


def stages(board: Board) -> dict[str, Stage]:
    return {card_id: card.stage for card_id, card in board.cards.items()}


def moved(card_id: str, times: int) -> Callable[[Board], bool]:
    """Whether the card's history has `times` entries (each move adds one)."""
    return lambda board: len(board.cards[card_id].history) >= times


def body_as_long_as(text: str) -> Callable[[Board], bool]:
    """Whether the card aaaa0001's body is as long as `text` (a save got that far)."""
    return lambda board: len(board.cards["aaaa0001"].body) >= len(text)


def has_card(title: str) -> Callable[[Board], bool]:
    return lambda board: any(card.title == title for card in board.cards.values())


class Session:
    """The executable on a copy of the fixture board, and ways to wait for it."""

    def __init__(self, terminal: Terminal, board: Path) -> None:
        self.terminal = terminal
        self.board = board

    def screen(self) -> str:
        screen = self.terminal.screen
        return "\n".join(screen.row(number) for number in range(len(screen.cells)))

    def send(self, keys: str) -> None:
        self.terminal.send(keys)  # one os.write: the whole burst at once

    def wait_for(self, done: Callable[[], bool], what: str) -> None:
        self.terminal.wait_until(done, PATIENCE, what)

    def wait_for_file(self, done: Callable[[Board], bool], what: str) -> Board:
        found: list[Board] = []

        def check() -> bool:
            board = on_disk(self.board)
            if done(board):
                found.append(board)
                return True
            return False

        self.wait_for(check, what)
        return found[0]

    def open_editor(self, card_id: str) -> None:
        self.send("e")
        self.wait_for(lambda: f"Edit card {card_id}" in self.screen(), "the editor")

    def wait_for_board_again(self) -> None:
        self.wait_for(lambda: "Edit card" not in self.screen(), "the editor to close")

    def wait_for_exit(self) -> int:
        self.wait_for(lambda: self.terminal.process.poll() is not None, "the app to quit")
        self.terminal.read(0.2)  # what it wrote last (a traceback, if it crashed)
        return self.terminal.process.returncode


@contextmanager
def running(tmp_path: Path) -> Iterator[Session]:
    board = tmp_path / "boards" / "family.toml"
    board.parent.mkdir(exist_ok=True)
    shutil.copyfile(FIXTURES / "board.toml", board)
    env = clean_env(tmp_path, SPRINTBOARD_USER="nanna")
    terminal = Terminal([str(EXECUTABLE), "open", str(board)], env, tmp_path, SIZE)
    session = Session(terminal, board)
    try:
        session.wait_for(lambda: "Saturday art" in session.screen(), "the board")
        yield session
    finally:
        terminal.close()


def test_text_then_ctrl_s_in_one_write_is_all_saved(tmp_path: Path) -> None:
    with running(tmp_path) as app:
        app.open_editor("aaaa0001")
        # the title has the focus, its cursor at the end: the text is added to it
        app.send(" (idé fra Sofie)" + SAVE)
        before = on_disk(app.board).cards["aaaa0001"].title
        title = f"{before} (idé fra Sofie)"
        card = app.wait_for_file(lambda b: b.cards["aaaa0001"].title != before, "the save")
        assert card.cards["aaaa0001"].title == title
        app.wait_for_board_again()
        tags = ["culture", "library"]
        for round_ in range(5):
            app.open_editor("aaaa0001")
            app.send(f"\t, sofie {round_}" + SAVE)  # Tab to the tags, add one, save
            tags.append(f"sofie {round_}")
            board = app.wait_for_file(
                lambda b: len(b.cards["aaaa0001"].tags) == len(tags), f"save {round_}"
            )
            assert board.cards["aaaa0001"].tags == tags
            assert board.cards["aaaa0001"].title == title
            app.wait_for_board_again()
        # opening the editor in the same burst: the text goes into the field it opens on
        app.send("e\t, fast" + SAVE)
        board = app.wait_for_file(lambda b: b.cards["aaaa0001"].tags[-1:] == ["fast"], "e+save")
        assert board.cards["aaaa0001"].tags == [*tags, "fast"]


def test_a_burst_of_moves_moves_the_card_the_last_move_left_selected(tmp_path: Path) -> None:
    with running(tmp_path) as app:
        before = on_disk(app.board)
        moves = len(before.cards["aaaa0001"].history)
        for round_ in range(5):
            # into test with no experiment asks for it: skipped, in the same burst
            for keys, stage in (("LL" + SKIP, Stage.TEST), ("HH", Stage.IDEA)):
                app.send(keys)
                moves += 2
                board = app.wait_for_file(moved("aaaa0001", moves), f"{keys!r} {round_}")
                assert board.cards["aaaa0001"].stage is stage
                assert len(board.cards["aaaa0001"].history) == moves
                others = {key: s for key, s in stages(board).items() if key != "aaaa0001"}
                assert others == {key: s for key, s in stages(before).items() if key != "aaaa0001"}


def test_a_burst_of_column_steps_goes_as_far_as_typed(tmp_path: Path) -> None:
    with running(tmp_path) as app:
        before = on_disk(app.board)
        moves = len(before.cards["dddd0001"].history)
        for round_ in range(5):
            # from wherever the selection is: to the first column, then three right,
            # to "learned", whose one card H moves back to "test" (its experiment's
            # nudge skipped in the same burst)
            app.send("hhhlllH" + SKIP)
            moves += 1
            board = app.wait_for_file(moved("dddd0001", moves), f"round {round_}")
            assert board.cards["dddd0001"].stage is Stage.TEST
            assert {k: s for k, s in stages(board).items() if k != "dddd0001"} == {
                k: s for k, s in stages(before).items() if k != "dddd0001"
            }
            app.send("L")  # the selection followed the card: it goes back
            moves += 1
            board = app.wait_for_file(
                lambda b: b.cards["dddd0001"].stage is Stage.LEARNED, f"back {round_}"
            )
            assert len(board.cards["dddd0001"].history) == moves


@pytest.mark.parametrize("burst", ["que", "qe", "qnee", "q/x"])
def test_keys_after_q_in_the_same_burst_quit_cleanly(tmp_path: Path, burst: str) -> None:
    for round_ in range(3):
        folder = tmp_path / str(round_)
        folder.mkdir()
        with running(folder) as app:
            before = app.board.read_bytes()
            app.send(burst)
            code = app.wait_for_exit()
            output = app.terminal.output.decode(errors="replace")
            assert code == 0, output[-2000:]
            assert "Traceback" not in output and "NoMatches" not in output
            assert app.board.read_bytes() == before


def test_a_change_then_q_and_more_keys_saves_the_change_and_nothing_else(
    tmp_path: Path,
) -> None:
    for round_ in range(3):
        folder = tmp_path / str(round_)
        folder.mkdir()
        with running(folder) as app:
            app.send("Lque")  # u must not undo the move, e must not open an editor
            assert app.wait_for_exit() == 0
            board = on_disk(app.board)
            assert board.cards["aaaa0001"].stage is Stage.PROTOTYPE
            assert "Traceback" not in app.terminal.output.decode(errors="replace")


def two_kilobytes(seed: str) -> str:
    """2 KB of one line of words, accents included (no line ends, no control keys)."""
    words = [f"{seed}{number}" for number in range(400)] + ["café", "idé", "Sofie"]
    text = ""
    while len(text.encode()) < 2048:
        text += words[len(text) % len(words)] + " "
    return text.rstrip()


def test_two_kilobytes_pasted_or_typed_into_a_field_then_saved(tmp_path: Path) -> None:
    with running(tmp_path) as app:
        body = ""
        for round_ in range(3):
            pasted, typed = two_kilobytes(f"p{round_}-"), two_kilobytes(f"t{round_}-")
            for text, keys in (
                (pasted, PASTE_START + pasted + PASTE_END),  # a bracketed paste
                (typed, typed),  # a terminal without bracketed paste: one key a byte
            ):
                app.open_editor("aaaa0001")
                space = " " if body else ""
                body += space + text
                # Tab: tags, co-creators, body (the cursor at its end); text; save
                app.send("\t\t\t" + space + keys + SAVE)
                board = app.wait_for_file(body_as_long_as(body), "the save")
                assert board.cards["aaaa0001"].body == body
                app.wait_for_board_again()


def test_a_new_card_then_its_editor_in_one_write(tmp_path: Path) -> None:
    with running(tmp_path) as app:
        for round_ in range(3):
            # enter closes the prompt; e right behind it edits the card just added
            app.send(f"nCard {round_}\re, edited{SAVE}")
            app.wait_for_file(has_card(f"Card {round_}, edited"), f"card {round_} edited")


def test_a_new_card_typed_and_entered_in_one_write(tmp_path: Path) -> None:
    with running(tmp_path) as app:
        for round_ in range(5):
            title = f"Fast card {round_} (idé fra Sofie)"
            app.send("n" + title + "\r")  # n opens the prompt; enter adds the card
            board = app.wait_for_file(has_card(title), f"card {round_}")
            added = [card for card in board.cards.values() if card.title.startswith("Fast")]
            assert sorted(card.title for card in added) == [
                f"Fast card {n} (idé fra Sofie)" for n in range(round_ + 1)
            ]
            assert all(card.stage is Stage.IDEA for card in added)

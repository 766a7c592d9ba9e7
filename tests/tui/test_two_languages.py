"""Two people on one board in two languages: two real apps in pseudo-terminals, one with
SPRINTBOARD_LANG=da, one with en. Each names the columns in its own language, a card
moved in one appears moved in the other, and the file keeps the English stage ids
whoever wrote it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sprintboard import storage
from sprintboard.model import Stage

from .terminal import Terminal, sprintboard

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")

SIZE = (100, 30)
TITLES = 2
"""The screen row of the columns' top borders, which carry their names and counts."""


def titles(app: Terminal) -> str:
    return app.screen.row(TITLES)


def first_card_selected(app: Terminal) -> Callable[[], bool]:
    return lambda: "▌ Saturday art" in app.screen.row(TITLES + 1)


def stage_line(path: Path, card_id: str) -> str:
    text = path.read_text(encoding="utf-8")
    card = text[text.index(f"[cards.{card_id}]") :]
    return next(line for line in card.splitlines() if line.startswith("stage = "))


def test_a_danish_and_an_english_app_share_one_board(tmp_path: Path, board_file: Path) -> None:
    def app(language: str, actor: str) -> Terminal:
        env = {"SPRINTBOARD_LANG": language, "SPRINTBOARD_USER": actor}
        return sprintboard(tmp_path, "open", str(board_file), size=SIZE, **env)

    danish, english = app("da", "nanna"), app("en", "omar")
    try:
        danish.wait_until(lambda: "idé 3" in titles(danish), 30, "the Danish board")
        english.wait_until(lambda: "idea 3" in titles(english), 30, "the English board")
        assert "læring 1" in titles(danish) and "idea" not in titles(danish), titles(danish)
        assert "learned 1" in titles(english) and "idé" not in titles(english)
        assert "Flyt" in danish.screen.row(SIZE[1] - 1)  # the key bar: Danish keys
        assert "Move" in english.screen.row(SIZE[1] - 1)

        # both boards are open for real (each sees the other in its header), not only their
        # first frame: a move read by the open itself is shown, but not followed
        english.wait_until(lambda: "with Nanna Holm" in english.header(), 15, "presence")
        danish.wait_until(lambda: "med Omar S." in danish.header(), 15, "presence")
        for each in (danish, english):
            each.wait_until(first_card_selected(each), 10, "the selection on the first card")
        danish.send("L")  # the first idea card, aaaa0001, on to prototype
        english.wait_until(lambda: "idea 2" in titles(english), 15, "the move, in English")
        assert "prototype 4/2" in titles(english), titles(english)
        danish.wait_until(lambda: "idé 2" in titles(danish), 5, "the move, in Danish")
        assert stage_line(board_file, "aaaa0001") == 'stage = "prototype"'

        # the English selection followed its card (README): back to idea, from the other app
        english.send("H")
        danish.wait_until(lambda: "idé 3" in titles(danish), 15, "the move back, in Danish")
        english.wait_until(lambda: "idea 3" in titles(english), 5, "the move back, in English")
    finally:
        danish.close()
        english.close()
    board = storage.load(board_file).board
    assert sum(card.stage is Stage.IDEA and not card.archived for card in board.cards.values()) == 3
    text = board_file.read_text(encoding="utf-8")
    assert "idé" not in text and "læring" not in text
    assert {line for line in text.splitlines() if line.startswith("stage = ")} <= {
        f'stage = "{stage.value}"' for stage in Stage
    }
    moves = [(entry.by, entry.stage) for entry in board.cards["aaaa0001"].history[-2:]]
    assert moves == [("nanna", Stage.PROTOTYPE), ("omar", Stage.IDEA)]

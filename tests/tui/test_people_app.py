"""The header names people as the board does: two real apps in pseudo-terminals."""

from __future__ import annotations

import shutil
from pathlib import Path

from .helpers import FIXTURES
from .terminal import EXECUTABLE, Terminal, clean_env

SIZE = (100, 30)


def header(terminal: Terminal) -> str:
    return terminal.screen.row(0)


def test_the_header_shows_members_by_name_whatever_name_they_opened_with(tmp_path: Path) -> None:
    board = tmp_path / "boards" / "family.toml"
    board.parent.mkdir()
    shutil.copyfile(FIXTURES / "board.toml", board)
    env = clean_env(tmp_path)

    def app(actor: str) -> Terminal:
        return Terminal([str(EXECUTABLE), "open", str(board), "--as", actor], env, tmp_path, SIZE)

    omar, nanna = app("omar"), app("nanna holm")  # a key; a member's name in other case
    try:
        omar.wait_until(lambda: "with Nanna Holm" in header(omar), 30, "Nanna Holm in omar's")
        nanna.wait_until(lambda: "with Omar S." in header(nanna), 30, "Omar S. in nanna's")
        for terminal in (omar, nanna):
            terminal.send("q")
            terminal.wait_until(terminal.ended, 10, "quit")
    finally:
        omar.close()
        nanna.close()

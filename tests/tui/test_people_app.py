"""The header names people as the board does: two real apps in pseudo-terminals."""

from __future__ import annotations

from pathlib import Path

from .terminal import Terminal, sprintboard

SIZE = (100, 30)


def test_the_header_shows_members_by_name_whatever_name_they_opened_with(
    tmp_path: Path, board_file: Path
) -> None:
    def app(actor: str) -> Terminal:
        return sprintboard(tmp_path, "open", str(board_file), "--as", actor, size=SIZE)

    omar, nanna = app("omar"), app("nanna holm")  # a key; a member's name in other case
    try:
        omar.wait_until(lambda: "with Nanna Holm" in omar.header(), 30, "Nanna Holm in omar's")
        nanna.wait_until(lambda: "with Omar S." in nanna.header(), 30, "Omar S. in nanna's")
        for terminal in (omar, nanna):
            terminal.send("q")
            terminal.wait_until(terminal.ended, 10, "quit")
    finally:
        omar.close()
        nanna.close()

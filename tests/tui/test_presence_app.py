"""Who else has the board open: two real apps in pseudo-terminals, then one is killed."""

from __future__ import annotations

import time
from pathlib import Path

from sprintboard.presence import folder_for

from .terminal import Terminal, sprintboard

SIZE = (100, 30)


def test_two_apps_see_each_other_and_a_killed_one_disappears(
    tmp_path: Path, board_file: Path
) -> None:
    board = board_file

    def app(actor: str) -> Terminal:
        return sprintboard(tmp_path, "--as", actor, "open", str(board), size=SIZE)

    anna, bob = app("anna"), app("bob")
    try:
        anna.wait_until(lambda: "Families, art and culture" in anna.header(), 30, "anna's board")
        bob.wait_until(lambda: "Families, art and culture" in bob.header(), 30, "bob's board")
        both_open = time.monotonic()
        anna.wait_until(lambda: "with bob" in anna.header(), 3, "bob in anna's header")
        bob.wait_until(lambda: "with anna" in bob.header(), 3, "anna in bob's header")
        print(f"each saw the other {time.monotonic() - both_open:.1f} s after both were open")
        assert len(list(folder_for(board).glob("*.json"))) == 2

        bob.process.kill()  # no goodbye: its entry stays until someone sweeps it
        bob.process.wait()
        took = anna.wait_until(lambda: "with bob" not in anna.header(), 10, "bob to go")
        print(f"a killed app left anna's header after {took:.1f} s")
        assert "Families, art and culture" in anna.header()  # the header, drawn again
        assert len(list(folder_for(board).glob("*.json"))) == 1

        anna.send("q")
        anna.wait_until(anna.ended, 10, "anna to quit")
        assert anna.process.returncode == 0
        assert list(folder_for(board).glob("*.json")) == []  # left on the way out
    finally:
        anna.close()
        bob.close()

"""Who else has the board open: two real apps in pseudo-terminals, then one is killed."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from sprintboard.presence import folder_for

from .helpers import FIXTURES
from .terminal import EXECUTABLE, Terminal, clean_env

SIZE = (100, 30)


def header(terminal: Terminal) -> str:
    return terminal.screen.row(0)


def test_two_apps_see_each_other_and_a_killed_one_disappears(tmp_path: Path) -> None:
    board = tmp_path / "boards" / "family.toml"
    board.parent.mkdir()
    shutil.copyfile(FIXTURES / "board.toml", board)
    env = clean_env(tmp_path)

    def app(actor: str) -> Terminal:
        args = [str(EXECUTABLE), "--as", actor, "open", str(board)]
        return Terminal(args, env, tmp_path, SIZE)

    anna, bob = app("anna"), app("bob")
    try:
        anna.wait_until(lambda: "Families, art and culture" in header(anna), 30, "anna's board")
        bob.wait_until(lambda: "Families, art and culture" in header(bob), 30, "bob's board")
        both_open = time.monotonic()
        anna.wait_until(lambda: "with bob" in header(anna), 3, "bob in anna's header")
        bob.wait_until(lambda: "with anna" in header(bob), 3, "anna in bob's header")
        print(f"each saw the other {time.monotonic() - both_open:.1f} s after both were open")
        assert len(list(folder_for(board).glob("*.json"))) == 2

        bob.process.kill()  # no goodbye: its entry stays until someone sweeps it
        bob.process.wait()
        took = anna.wait_until(lambda: "with bob" not in header(anna), 10, "bob to go")
        print(f"a killed app left anna's header after {took:.1f} s")
        assert "Families, art and culture" in header(anna)  # the header, drawn again
        assert len(list(folder_for(board).glob("*.json"))) == 1

        anna.send("q")
        anna.wait_until(lambda: anna.process.poll() is not None, 10, "anna to quit")
        assert anna.process.returncode == 0
        assert list(folder_for(board).glob("*.json")) == []  # left on the way out
    finally:
        anna.close()
        bob.close()

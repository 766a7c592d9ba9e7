"""The metrics screen and the export dialog through the real executable in a pty, each
burst of keys one `write()`: the report is written where the typed path says; `m`,
escape, `m` leave the metrics screen open without a crash. Waits for the file and the
screen, never for a fixed time."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from .helpers import FIXTURES
from .terminal import EXECUTABLE, Terminal, clean_env

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")

SIZE = (100, 30)
PATIENCE = 30.0
"""Seconds to wait for a screen or a file: generous, the machine is shared."""


def screen_text(terminal: Terminal) -> str:
    return "\n".join(terminal.screen.row(n) for n in range(SIZE[1]))


def test_export_and_metrics_keys_in_bursts(tmp_path: Path) -> None:
    board = tmp_path / "boards" / "family.toml"
    board.parent.mkdir()
    shutil.copyfile(FIXTURES / "board.toml", board)
    env = clean_env(tmp_path, SPRINTBOARD_USER="nanna", TZ="UTC")
    terminal = Terminal([str(EXECUTABLE), "open", str(board)], env, tmp_path, SIZE)
    written = tmp_path / "out.html"
    try:
        terminal.wait_until(lambda: b"Saturday art" in terminal.output, PATIENCE, "the board")
        # E opens the dialog with the path focused, its text selected: typed over; enter
        # saves (the web page, chosen first)
        terminal.send("E" + "out.html" + "\r")
        terminal.wait_until(written.exists, PATIENCE, "the report to be written")
        terminal.wait_until(
            lambda: "Report saved to" in screen_text(terminal), PATIENCE, "the notice"
        )
        terminal.send("m\x1bm")
        terminal.wait_until(
            lambda: "Metrics · Families" in screen_text(terminal), PATIENCE, "the metrics"
        )
        terminal.wait_until(
            lambda: "Cards per stage" in screen_text(terminal), PATIENCE, "the figures"
        )
        assert terminal.process.poll() is None
        terminal.send("q")  # closes the metrics screen
        terminal.wait_until(
            lambda: "Metrics ·" not in screen_text(terminal), PATIENCE, "the board again"
        )
        terminal.send("q")
        terminal.wait_until(terminal.ended, PATIENCE, "the app to quit")
    finally:
        terminal.close()
    assert terminal.process.returncode == 0
    text = written.read_bytes().decode("utf-8")
    assert text.lower().startswith("<!doctype html") and "Families, art and culture" in text
    assert b"Traceback" not in terminal.output

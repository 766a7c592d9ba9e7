"""The shared timer in the real executable, in a terminal without colour: the countdown in
the header, and at zero the banner's text and the terminal bell (BEL) — what a NO_COLOR
participant over SSH gets."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .terminal import EXECUTABLE, clean_env, sprintboard


def test_zero_is_a_banner_and_a_bell_on_a_terminal_without_colour(board_file: Path) -> None:
    root = board_file.parent.parent
    app = sprintboard(root, "open", str(board_file), size=(80, 24), NO_COLOR="1")
    try:
        app.wait_until(lambda: "Families" in app.header(), 60, "the board")
        started = subprocess.run(
            [str(EXECUTABLE), "timer", "start", str(board_file), "2s", "--label", "Ideation"],
            cwd=root,
            env=clean_env(root, SPRINTBOARD_USER="nanna"),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert started.returncode == 0, started.stderr
        app.wait_until(lambda: "Ideation 00:0" in app.header(), 30, "the countdown")
        before = len(app.output)
        app.wait_until(lambda: "Time is up: Ideation" in app.screen.row(2), 30, "the banner")
        app.wait_until(lambda: b"\x07" in app.output[before:], 10, "the bell")
        assert "time is up" in app.header()
    finally:
        app.close()

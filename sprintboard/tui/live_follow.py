"""The sprint's live state, followed: the shared timer and the presented card.

The files are `live_state`'s, in the board's sidecar folder. One thread looks at
them every `POLL` seconds — an `lstat` of each, which costs microseconds — and reads and
posts them (`Changed`) only when one was replaced (its inode, size or time changed): an
atomic rename always changes the inode. Polling and not inotify: the folder may be made
after the app starts (by the first `timer start`), and a stat per file every 0.05 s is
cheaper than arranging a watch on a folder that comes and goes (bench/live.py measures
what it gives: a start seen by four apps).

The countdown does not read the file: the timer holds its absolute end, and the board
screen ticks from it (`live_actions`). Mounted by the board screen once the board is in;
`look` asks for a look now (after this app wrote a state itself). A widget, for the
worker and the message queue (as `LiveBoard`); it draws nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.events import Unmount
from textual.message import Message
from textual.widget import Widget

if TYPE_CHECKING:
    from ..live_state import Presenting, Reading, Timer

POLL = 0.05
"""Seconds between two looks at the state files: on average half of it is added to
what a change takes to reach an app, and 40 lstat calls a second cost nothing to see."""


class LiveFollow(Widget):
    """Follows one board's timer and presenting files; reports by message."""

    DEFAULT_CSS = """
    LiveFollow {
        display: none;
    }
    """

    @dataclass
    class Changed(Message):
        """The state files as read now (a file ignored says why in its `problem`)."""

        timer: Reading[Timer]
        presenting: Reading[Presenting]

    def __init__(self, board: Path, clock: Callable[[], float] = time.time) -> None:
        super().__init__()
        self.board = board
        """The board file whose sidecar folder holds the state."""
        self.clock = clock
        """The time now, in seconds since the epoch (fixed in tests and snapshots)."""
        self._wake = threading.Event()
        self._stop = threading.Event()

    def start(self) -> None:
        # a thread of its own, not a Textual worker: it runs as long as the board is open,
        # and a worker that never finishes would make the app look busy forever
        thread = threading.Thread(target=self._follow, name="live-state", daemon=True)
        thread.start()

    def look(self) -> None:
        """Look at the files now, not at the next poll."""
        self._wake.set()

    def on_unmount(self, event: Unmount) -> None:
        self._stop.set()
        self._wake.set()

    def _follow(self) -> None:
        from .. import live_state

        paths = (live_state.timer_path(self.board), live_state.presenting_path(self.board))
        seen: tuple[object, ...] | None = None
        while not self._stop.is_set():
            now = tuple(live_state.signature(path) for path in paths)
            if now != seen:
                seen = now
                moment = self.clock()
                timer = live_state.read_timer(self.board, moment)
                presenting = live_state.read_presenting(self.board, moment)
                try:
                    self.post_message(self.Changed(timer, presenting))
                except RuntimeError:  # the app's loop closed while quitting
                    return
            self._wake.wait(POLL)
            self._wake.clear()

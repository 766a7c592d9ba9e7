"""The open board, live: its file, other people's changes, and who else is here.

`LiveBoard` owns one `BoardSession` and everything that keeps it in step with the
file; the board screen mounts it (it draws nothing) and hears from it by message —
the owner of a resource runs its workers and reports what they found. A widget and
not a plain object, because a widget is what Textual gives workers, timers and a
message queue to: they all end when the screen that mounted it goes, and the
watcher's thread only has to post a message to it.

Saving. A key becomes an operation; `session.propose` applies it in memory on the
UI thread (fast), the screen shows the board it returns and calls `request_flush`:
a thread worker writes it with `session.flush` (slow). A save that fails leaves the
operation pending in the session: the board keeps showing it, a banner says why it
is not on disk, and the next look at the file writes it.

Other people's changes. A watcher (`sprintboard.watch`: inotify on the board's
folder, or polling every 0.25 s on network file systems) calls back from its own
thread; the callback only posts `FileChanged` (a burst of events is one message),
and one refresh worker runs at a time (`session.refresh`: read the file, take in
what changed, write what is still pending). A change that arrives while a refresh
or a save runs is looked at again right after it. Each finished flush or refresh is
a `Synced` message; the notices about other people's changes (a write of ours
replaced theirs, theirs changed ours, ours no longer fits) are said here, and the
screen redraws.

A safety net looks at the file every `RECHECK` seconds whatever the watcher says.
It is needed for two things no file event announces: a failed save whose cause
clears without the board file changing (a full disk freed, the folder made
writable again), and inotify events that never arrive (the kernel's queue
overflowing, the folder replaced by another one). It costs one read and hash of
the file.

Starting. The screen draws its first frame from the board's outline and only then
calls `start`: the session — the models, pydantic, and git's user.name when nobody
said who acts — is made in the open's worker (`session`), and the safety net,
presence and the watcher's notice follow the open. Nothing of it is imported before
the first frame (README, "The terminal app").

Presence: once the board has loaded validly, the user is registered in the board's
presence folder; a thread worker touches the entry every `HEARTBEAT`
seconds, reads the others' on the same tick and reports them as `Present` ("with
anna, omar", for the header).
"""

from __future__ import annotations

import threading
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import work
from textual.events import Unmount
from textual.message import Message
from textual.widget import Widget

from ..i18n import _
from .git_tasks import GitTasks
from .guest import is_guest, off
from .key_order import KeysInOrder
from .notices import (
    changed_under_us_notice,
    not_member_notice,
    overwritten_notice,
    present_names,
    rejected_notice,
    with_text,
)

if TYPE_CHECKING:
    from ..model import Board
    from ..presence import PresenceRegistry
    from ..session import BoardSession, Outcome
    from ..storage import BoardFileError
    from ..watch import Watcher
    from .faces import BoardLike

WatchMode = Literal["auto", "polling", "off"]
"""How the board file is followed: the watcher `watch.watch` picks, polling, or not at all."""

RECHECK = 5.0
"""Seconds between safety-net looks at the file (see the module's docstring)."""

HEARTBEAT: float | None = None
"""Seconds between presence ticks; None: the presence folder's own (`presence.HEARTBEAT`,
read when presence starts: the module imports storage, too heavy for the first frame)."""


class LiveBoard(Widget):
    """One board file, kept in step with the disk; reports by message to its screen."""

    DEFAULT_CSS = """
    LiveBoard {
        display: none;
    }
    """

    @dataclass
    class Opened(Message):
        """The board file was read (`board`), or could not be (`error`)."""

        board: Board | None
        error: BoardFileError | None

    @dataclass
    class Synced(Message):
        """A flush or a refresh of the file finished; `outcome` None means nothing changed."""

        outcome: Outcome | None
        source: Literal["flush", "refresh"]

    class FileChanged(Message, bubble=False):
        """The watcher saw the board file change (posted from the watcher's thread)."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, LiveBoard.FileChanged)  # a burst is one look

    @dataclass
    class Present(Message):
        """Who else has the board open, as the header says it ("with anna")."""

        text: str
        problem: str | None = None
        """Why the others cannot see this app, when they cannot."""

    hold_open: ClassVar[threading.Event | None] = None
    """Tests: when set, the open waits for this event before it reads the file."""

    def __init__(
        self,
        path: Path,
        actor: str | None,
        *,
        watch: WatchMode = "auto",
        recheck: float | None = RECHECK,
        presence: bool = True,
        heartbeat: float | None = HEARTBEAT,
    ) -> None:
        super().__init__()
        self.path = path
        """The board file, as given."""
        self._actor = actor  # None: git's user.name or the login name, found by the open
        self._session: BoardSession | None = None
        self._git: GitTasks | None = None
        self._making = threading.Lock()
        self.watch_mode: WatchMode = watch
        """How the file is followed for other people's changes."""
        self.recheck = recheck
        """Seconds between safety-net looks at the file (None: never)."""
        self.presence = presence
        """Whether to register in the board's presence folder and show the others."""
        self.heartbeat = heartbeat
        """Seconds between presence ticks (None: the presence folder's own)."""
        self.watcher: Watcher | None = None
        """The running watcher, once the board is being opened."""
        self.shown: BoardLike | None = None
        """The board on screen (set by the screen): notices name cards from it too."""
        self.opened = False
        """The first open finished: the board is in, or why not is known."""
        self.flushing = False
        """A save is running (one at a time)."""
        self._refreshing = False
        self._again = False
        self._said_polling = False
        self._said_unseen = False
        self._registry: PresenceRegistry | None = None
        self._presence_lock = threading.Lock()  # one tick at a time; leave waits for it
        self._watch_lock = threading.Lock()
        self._gone = False  # unmounted: the watcher and presence are stopped for good

    @property
    def session(self) -> BoardSession:
        """The open board file: all changes go through it.

        Made on first use, which is the open's worker (`start`): making it imports the
        models and, when nobody said who acts, asks git — neither before the first frame.
        """
        with self._making:
            if self._session is None:
                from ..identity import found_name
                from ..session import BoardSession

                actor = self._actor if self._actor is not None else found_name()
                self._session = BoardSession(self.path, actor)
            return self._session

    @property
    def made(self) -> BoardSession | None:
        """The session if it was made (the app asks at exit, without making one)."""
        return self._session

    @property
    def git(self) -> GitTasks:
        """Git for this board: the merge driver's setup offer, and sync."""
        if self._git is None:
            self._git = GitTasks(self, self.session, self.check_file)
        return self._git

    # --- starting and stopping ----------------------------------------------------------

    def let_keys_go(self, holder: object) -> None:
        """Stop holding the keys for `holder`: the app holds them from the making of a
        board screen until that screen has drawn its board, or known it cannot."""
        if isinstance(self.app, KeysInOrder):
            self.app.let_keys_go(holder)

    def start(self) -> None:
        """Open the board (in a worker); the safety net starts once it is open."""
        self._refreshing = True
        self._open()

    def on_unmount(self, event: Unmount) -> None:
        self.stop_watching()
        self.leave()

    def stop_watching(self) -> None:
        """Stop following the file (for good: the board is going away)."""
        with self._watch_lock:
            self._gone = True
            if self.watcher is not None:
                self.watcher.stop()
                self.watcher = None

    def leave(self) -> None:
        """Take this app's entry out of the presence folder (safe to call again)."""
        with self._presence_lock:
            registry, self._registry = self._registry, None
            if registry is not None:
                registry.leave()

    # --- reading and writing (workers) -------------------------------------------------

    @work(thread=True, exclusive=True, group="open")
    def _open(self) -> None:
        from ..storage import BoardFileError

        hold = self.hold_open
        if hold is not None:
            hold.wait()
        session = self.session
        self._start_watching()  # before the first read: no change between them is missed
        try:
            outcome = session.open()
        except BoardFileError as error:
            self.post_message(self.Opened(None, error))
        else:
            self.post_message(self.Opened(outcome.board, None))

    def _start_watching(self) -> None:
        """Start the watcher (in a worker: telling a network file system apart is I/O)."""
        if self.watch_mode == "off" or self.watcher is not None:
            return
        from ..watch import watch as watch_file

        try:
            watcher = watch_file(
                self.path, self._file_changed, polling=self.watch_mode == "polling"
            )
        except OSError as error:  # no thread, no file descriptor: the safety net remains
            self.log.warning(f"not watching {self.path}: {error}")
            return
        with self._watch_lock:
            if self._gone:
                watcher.stop()
            else:
                self.watcher = watcher

    def _file_changed(self) -> None:
        """The watcher's callback, on its thread: only hand over to the app."""
        with suppress(RuntimeError):  # the app's loop closed while quitting
            self.post_message(self.FileChanged())

    def on_live_board_file_changed(self, message: LiveBoard.FileChanged) -> None:
        self.check_file()

    def check_file(self) -> None:
        """Look at the file now: take in outside changes, write what is pending.

        One look at a time; a request while a look or a save runs is answered by one
        more look right after it (it may have missed the change that asked for it).
        """
        if self._refreshing or self.flushing:
            self._again = True
            return
        self._again = False
        self._refreshing = True
        if self.session.board is None:
            self._open()
        else:
            self._refresh()

    def _look_again(self) -> None:
        if self._again and not self._refreshing and not self.flushing:
            self.check_file()

    def on_live_board_opened(self, message: LiveBoard.Opened) -> None:
        # handled here first; the message goes on to the screen, which draws it
        self._refreshing = False
        if not self.opened:
            self.opened = True
            if self.recheck:
                self.set_interval(self.recheck, self.check_file)
        self._say_how_watched()
        if message.board is not None:
            person, path = self.session.person, self.session.path
            joining = not_member_notice(message.board, person, path, guest=is_guest(self))
            if joining:
                self.notify(joining, title=_("Not a member"), timeout=20)
            self._join()
        self._look_again()

    def _say_how_watched(self) -> None:
        """Polling is slower than inotify: say so once, with the interval."""
        if self.watcher is None or self.watcher.kind != "polling" or self._said_polling:
            return
        from ..i18n.numbers import decimal
        from ..watch import POLL_INTERVAL

        self._said_polling = True
        text = _(
            "Looking at {name} every {seconds} s for other people's changes "
            "(its folder is on a network file system)."
        )
        self.notify(
            text.format(name=self.session.path.name, seconds=decimal(POLL_INTERVAL)), timeout=5
        )

    def request_flush(self) -> None:
        """Write what is pending, in a worker; one flush at a time."""
        if not self.flushing and self.session.pending:
            self.flushing = True
            self._flush()

    @work(thread=True, group="flush")
    def _flush(self) -> None:
        self.post_message(self.Synced(self.session.flush(), "flush"))

    @work(thread=True, group="refresh")
    def _refresh(self) -> None:
        self.post_message(self.Synced(self.session.refresh(), "refresh"))

    def on_live_board_synced(self, message: LiveBoard.Synced) -> None:
        # handled here first (the notices, the next save); the screen then redraws
        if message.source == "flush":
            self.flushing = False
        else:
            self._refreshing = False
        outcome = message.outcome
        if outcome is not None:
            self._tell(outcome)
            # once a change of this person's is saved, not before; never a guest's: the
            # git settings are the server's
            saved = message.source == "flush" and outcome.error is None
            if saved and not off(self, "git_setup"):
                self.git.offer_setup()
        if outcome is not None and outcome.error is None and self.session.pending:
            self.request_flush()
        self._look_again()

    def _tell(self, outcome: Outcome) -> None:
        """Tell the user what a write or a refresh found about other people's changes."""
        boards = (outcome.board, self.shown)
        rejected = rejected_notice(outcome.rejected, *boards)
        if rejected is not None:
            title = _("A change no longer fits")
            self.notify(rejected, title=title, severity="error", timeout=10)
        replaced = overwritten_notice(outcome.overwritten, *boards)
        if replaced is not None:
            title = _("Two changes to one field")
            self.notify(replaced, title=title, severity="warning", timeout=10)
        under_us = changed_under_us_notice(outcome.changed_under_us, *boards)
        if under_us is not None:
            self.notify(under_us, title=_("Changed by someone else"), timeout=8)

    # --- who else is here -------------------------------------------------------------

    def _join(self) -> None:
        """Take part in presence, once the board has loaded validly: an invalid board
        (or a file that is no board) gets no presence folder or `.gitignore` beside it."""
        if not self.presence or self._registry is not None or self._gone:
            return
        from .. import presence as presence_folder
        from ..storage import BoardFileError

        try:
            self._registry = presence_folder.PresenceRegistry(self.path, self.session.actor)
        except BoardFileError:
            return  # it became a link out of its folder since it loaded: no presence
        self._presence_tick()
        heartbeat = presence_folder.HEARTBEAT if self.heartbeat is None else self.heartbeat
        self.set_interval(heartbeat, self._presence_tick)

    @work(thread=True, group="presence", exit_on_error=False)
    def _presence_tick(self) -> None:
        """Touch our presence entry (joining the first time) and read the others'."""
        if not self._presence_lock.acquire(blocking=False):
            return  # the last tick is still at it (a slow network file system)
        try:
            registry = self._registry
            if registry is None:
                return
            registry.beat()  # joins when the entry is not there (the first tick, or swept)
            board = self.session.board
            members = board.members if board is not None else None
            names = present_names(registry.others(), registry.actor, members)
            problem = registry.problem
        finally:
            self._presence_lock.release()
        self.post_message(self.Present(with_text(names), problem))

    def on_live_board_present(self, message: LiveBoard.Present) -> None:
        # the warning is said here; the message goes on to the screen's header
        if message.problem is not None and not self._said_unseen:
            self._said_unseen = True  # once: it is retried at every heartbeat, quietly
            text = _("Others cannot see that you have this board open: {problem}")
            self.notify(
                text.format(problem=message.problem),
                title=_("Not shown to others"),
                severity="warning",
                timeout=8,
                markup=False,
            )

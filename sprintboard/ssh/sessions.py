"""Guest sessions: one SSH session is one app process on its own pseudo-terminal.

The server authenticates a guest and hands the `Hub` a `Guest` (who, which board);
the hub makes the asyncssh session object that starts the app (`terminal.AppProcess`,
`sprintboard --as MEMBER open --guest BOARD`), relays bytes both ways with
back-pressure, passes resizes on, and ends the app when the session ends: the
connection drops, the guest is idle too long, the session's time is up, the
invitation is revoked (`Hub.end`) or the server stops (`Hub.close`). Ending is a
hang-up to the app's process group, SIGTERM half-way through a grace, SIGKILL at its
end, and the app reaped: no process outlives its session. The hub logs one line per
join, refusal and leave.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Collection

import asyncssh

from ..guests.child import app_command, bounded_size, child_environment
from ..guests.limits import Guest, Limits, Say, span, spoken
from ..i18n import _, language, ngettext
from ..safe_text import visible
from .terminal import AppProcess

# The client's terminal as it was, whatever an app that ended hard left switched on
# (mouse and focus reports, bracketed paste, the kitty keyboard mode, no line wrap, the
# alternate screen, a hidden cursor): sent before a goodbye, so the guest reads it in
# their own terminal, not in a frozen board. Each is harmless when already off.
_RESTORE = (
    b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l\x1b[?1004l\x1b[?2004l"
    b"\x1b[<u\x1b[?7h\x1b[?1049l\x1b[?25h\x1b[0m"
)
# the guest's bytes queued for the pty before the channel stops reading from the client
_MAX_QUEUED = 1 << 20


class GuestSession(asyncssh.SSHServerSession[bytes]):
    """One guest's SSH session and its app."""

    def __init__(self, hub: Hub, guest: Guest) -> None:
        self._hub = hub
        self.guest = guest
        self._loop = asyncio.get_running_loop()
        self._chan: asyncssh.SSHServerChannel[bytes] | None = None
        self._open = False  # the channel can still be written to
        self._term: str | None = None
        self._size = (80, 24)
        self._pty = False
        self._exec = False
        self.app: AppProcess | None = None
        self._queued = bytearray()
        self._watching = False  # a reader on the pty's output
        self._writing = False  # a writer waiting for the pty to take the queue
        self._paused = False  # the channel asked for no more output for now
        self._input_paused = False
        self._began = 0.0
        self._last_key = 0.0
        self._timers: list[asyncio.TimerHandle] = []
        self._why: str | None = None  # why it ends, for the log; set once
        self._goodbye: Say | None = None
        self.language: str | None = None
        """The guest's language once the session starts: the invitation's, else the one
        the locale their client sent says (as their app will find it)."""
        self.done: asyncio.Future[None] = self._loop.create_future()

    @property
    def queued(self) -> int:
        """The guest's bytes waiting for the pty to take them (the app reads slower)."""
        return len(self._queued)

    # asyncssh's side

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self._chan = chan
        self._open = True
        # a channel that never asks for its shell would hold the connection for ever
        self._later(self._hub.limits.login, self._never_started)

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: object
    ) -> bool:
        self._pty = True
        self._term = term_type
        self._size = bounded_size(term_size[0], term_size[1])
        return True

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self._size = bounded_size(width, height)
        if self.app is not None and not self.done.done():
            self.app.resize(*self._size)

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        self._exec = True  # accepted only to say, in `session_started`, how to connect
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        return False  # no sftp, no scp, nothing but the board

    def session_started(self) -> None:
        hub = self._hub
        if self.done.done():  # ended (revoked, the server stopping) before it began
            return
        assert self._chan is not None
        env = child_environment(self._term, self._chan.get_environment(), os.environ)
        # the app chooses from exactly these variables, so the two speak alike
        self.language = self.guest.language or language.choose((), env)
        if self._exec or not self._pty:
            self._refuse(
                lambda: _(
                    "sprintboard: this is a board, not a shell: connect with ssh -t and no "
                    "command, as your invitation shows"
                ),
                _("no terminal"),
            )
        elif hub.count >= hub.limits.max_sessions:
            n = hub.limits.max_sessions
            self._refuse(
                lambda: ngettext(
                    "The board is full ({count} person): try again in a few minutes.",
                    "The board is full ({count} people): try again in a few minutes.",
                    n,
                ).format(count=n),
                _("full"),
            )
        elif not self.guest.board.is_file():
            self._refuse(
                lambda: _(
                    "This board is no longer here: ask whoever invited you for a new invitation."
                ),
                _("the board is gone"),
            )
        else:
            self._start(env)

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        self._last_key = time.monotonic()
        if self.app is None or self._why is not None:
            return
        self._queued += data
        self._flush()
        if len(self._queued) > _MAX_QUEUED and self._chan is not None:
            self._input_paused = True
            self._chan.pause_reading()

    def eof_received(self) -> bool:
        self.end(_("disconnected"), None)
        return True  # the channel closes when the app has ended

    def connection_lost(self, exc: Exception | None) -> None:
        self._open = False
        self.end(_("disconnected"), None)

    def pause_writing(self) -> None:
        self._paused = True
        self._unwatch()

    def resume_writing(self) -> None:
        self._paused = False
        self._watch()

    # the app

    def _start(self, env: dict[str, str]) -> None:
        board = self.guest.board
        # an invitation's language is named; else the client's locale (in `env`) speaks
        command = app_command(self.guest.member, board, self.guest.language)
        try:
            self.app = AppProcess(command, env, board.parent, self._size)
        except (OSError, subprocess.SubprocessError) as error:
            self._hub.say(
                _("{who}: the app could not be started: {reason}").format(
                    who=self.guest.who(), reason=visible(str(error))
                )
            )
            self._refuse(
                lambda: _("The board could not be opened here: try again later."), _("failed")
            )
            return
        self._began = self._last_key = time.monotonic()
        self._hub.started(self)
        self._hub.say(_("{who} joined {board} from {peer}").format(**self.guest.names()))
        self._watch()
        if self.app.exit_fd is not None:
            self._loop.add_reader(self.app.exit_fd, self._app_ended)
        else:
            self._later(0.2, self._poll)
        limits = self._hub.limits
        self._later(limits.idle, self._check_idle)
        self._later(limits.max_time, self._time_up)

    def _watch(self) -> None:
        if self.app is None or self._watching or (self._paused and self._open):
            return
        if self.done.done():
            return
        self._loop.add_reader(self.app.master, self._readable)
        self._watching = True

    def _unwatch(self) -> None:
        if self._watching and self.app is not None:
            self._loop.remove_reader(self.app.master)
        self._watching = False

    def _readable(self) -> None:
        assert self.app is not None
        data = self.app.read()
        if data:
            self._send(data)
        elif data is not None:  # nothing holds the pty any more; the exit comes next
            self._unwatch()

    def _send(self, data: bytes) -> None:
        if self._open and self._chan is not None:
            try:
                self._chan.write(data)
            except OSError:  # closing under us: the connection is going
                self._open = False

    def _flush(self) -> None:
        """As much of the guest's queued input as the pty takes now; the rest when it drains."""
        assert self.app is not None
        while self._queued:
            written = self.app.write(self._queued)
            if written is None:  # the app is gone: nobody reads
                self._queued.clear()
            elif written == 0:
                break
            del self._queued[:written]
        if self._queued and not self._writing:
            self._loop.add_writer(self.app.master, self._flush)
            self._writing = True
        elif not self._queued and self._writing:
            self._loop.remove_writer(self.app.master)
            self._writing = False
        if self._input_paused and len(self._queued) < _MAX_QUEUED // 2 and self._chan is not None:
            self._input_paused = False
            self._chan.resume_reading()

    def _poll(self) -> None:
        if self.app is not None and self.app.reap() is not None:
            self._app_ended()
        elif not self.done.done():
            self._later(0.2, self._poll)

    def _app_ended(self) -> None:
        assert self.app is not None
        code = self.app.reap()
        if code is None:
            return
        if self.app.exit_fd is not None:
            self._loop.remove_reader(self.app.exit_fd)
        # what the app wrote last (leaving the alternate screen, a last line) goes out first
        self._unwatch()
        while data := self.app.read():
            self._send(data)
        self._finish(code)

    # ending

    def end(self, why: str, goodbye: Say | None) -> None:
        """End the session: `why` for the log, `goodbye` the line the guest reads (none
        when the connection is gone; made when said, in the guest's language). The app is
        hung up on, then terminated, then killed; the channel closes when it is reaped."""
        if self._why is not None or self.done.done():
            return
        self._why = why
        self._goodbye = goodbye
        if self.app is None:  # not started: nothing to wait for, and it never will start
            self._finish(1)
            return
        self._queued.clear()
        self.app.signal(signal.SIGHUP)
        grace = self._hub.limits.grace
        self._later(grace / 2, lambda: self._signal(signal.SIGTERM))
        self._later(grace, lambda: self._signal(signal.SIGKILL))
        self._watch()  # the app's last output is read even while the client is slow

    def _signal(self, number: int) -> None:
        if self.app is not None and not self.done.done():
            self.app.signal(number)

    def _never_started(self) -> None:
        if self.app is None:
            self.end(_("no terminal"), None)

    def _check_idle(self) -> None:
        idle = self._hub.limits.idle
        quiet = time.monotonic() - self._last_key
        if quiet >= idle:
            self.end(
                _("idle"), lambda: _("Closed after {span} without a key.").format(span=span(idle))
            )
        else:
            self._later(idle - quiet, self._check_idle)

    def _time_up(self) -> None:
        limit = self._hub.limits.max_time
        self.end(
            _("time limit"),
            lambda: _("Closed: a session lasts at most {span}.").format(span=span(limit)),
        )

    def _later(self, seconds: float, callback: Callable[[], None]) -> None:
        self._timers.append(self._loop.call_later(seconds, callback))

    def _refuse(self, line: Say, why: str) -> None:
        self._hub.say(_("{who} refused: {why}").format(who=self.guest.who(), why=why))
        self._say(line)
        self._close(1)
        self._done()

    def _finish(self, code: int) -> None:
        if self.done.done():
            return
        if self.app is not None:
            self._unwatch()
            if self._writing:
                self._loop.remove_writer(self.app.master)
                self._writing = False
            if self.app.exit_fd is not None:
                self._loop.remove_reader(self.app.exit_fd)
            self.app.close()
            why = self._why or _("the app ended (exit {code})").format(code=code)
            minutes = span(time.monotonic() - self._began)
            self._hub.say(
                _("{who} left {board} from {peer} after {span}: {why}").format(
                    **self.guest.names(), span=minutes, why=why
                )
            )
        if self._goodbye is not None:
            if self.app is not None:
                # back from the app's screen the cursor is where the guest's terminal left
                # it, amid ssh's earlier lines: the goodbye goes below, what is below cleared
                self._send(_RESTORE + b"\r\n\x1b[J")
            self._say(self._goodbye)
        self._close(code if self._why is None else 1)
        self._done()

    def _done(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._hub.finished(self)
        if not self.done.done():
            self.done.set_result(None)

    def _say(self, line: Say) -> None:
        """Say `line` to the guest, in their language (before the session starts: the
        invitation's, else the server's)."""
        text = spoken(self.language or self.guest.language, line)
        self._send(("\r\n" + text + "\r\n").encode())

    def _close(self, code: int) -> None:
        if self._open and self._chan is not None:
            self._open = False
            with contextlib.suppress(OSError):
                self._chan.exit(code)


class Hub:
    """Every guest session of one server; `log` gets one line per join / leave."""

    def __init__(self, limits: Limits, log: Callable[[str], None]) -> None:
        self.limits = limits
        self._log = log
        self._sessions: set[GuestSession] = set()
        self._running: set[GuestSession] = set()

    def session(self, guest: Guest) -> asyncssh.SSHServerSession[bytes]:
        """The session object for asyncssh (`session_requested`) of an authenticated guest."""
        session = GuestSession(self, guest)
        self._sessions.add(session)
        return session

    @property
    def count(self) -> int:
        """Sessions with an app running."""
        return len(self._running)

    @property
    def queued(self) -> int:
        """Guests' bytes waiting, over every session, for their apps to read them."""
        return sum(s.queued for s in self._sessions)

    def apps(self) -> dict[int, Guest]:
        """The running apps' process ids and whose they are (`guests.child.peak_memory`)."""
        return {s.app.pid: s.guest for s in self._running if s.app is not None}

    def end(self, invitations: Collection[str], why: Say, *, reason: str | None = None) -> int:
        """Say `why` to every session of these invitations (each in its guest's
        language) and end it; how many.
        `reason` is what the log says (default: revoked)."""
        ending = [s for s in self._sessions if s.guest.invitation in invitations]
        for session in ending:
            session.end(reason or _("revoked"), why)
        return len(ending)

    async def close(self) -> None:
        """End every session and wait until every app is reaped."""
        sessions = list(self._sessions)
        for session in sessions:
            session.end(
                _("the server stopped"), lambda: _("The server is stopping: the board is closed.")
            )
        if sessions:
            await asyncio.gather(*(s.done for s in sessions))

    # for the sessions

    def say(self, line: str) -> None:
        self._log(line)

    def started(self, session: GuestSession) -> None:
        self._running.add(session)

    def finished(self, session: GuestSession) -> None:
        self._running.discard(session)
        self._sessions.discard(session)

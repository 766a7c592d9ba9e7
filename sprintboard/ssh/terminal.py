"""A guest's app process on its own pseudo-terminal.

`AppProcess` starts the app on a new pty whose size is set before the app runs, as the
controlling terminal of a session of its own, so a `TIOCSWINSZ` reaches it as SIGWINCH
and a hang-up reaches its whole process group. It knows nothing of SSH.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import struct
import subprocess
import termios
from pathlib import Path

from ..guests.child import bounded_size

_CHUNK = 65536


def _quiet(fd: int) -> None:
    """No echo, no line editing, no signal keys on the pty until the app sets its own
    modes: keys a guest types while the app starts are the app's, not echoed over its
    first frame (output processing stays on, so an error line still ends its line)."""
    try:
        attrs = termios.tcgetattr(fd)
    except termios.error:
        return  # a nicety only: the app sets its own modes anyway
    attrs[0] &= ~(termios.BRKINT | termios.ICRNL | termios.INPCK | termios.ISTRIP | termios.IXON)
    attrs[3] &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN | termios.ISIG)
    attrs[6][termios.VMIN] = 1
    attrs[6][termios.VTIME] = 0
    termios.tcsetattr(fd, termios.TCSANOW, attrs)


def _take_terminal(ioctl: object = fcntl.ioctl, request: int = termios.TIOCSCTTY) -> None:
    """In the child, after `setsid`: make the pty on fd 0 its controlling terminal.
    Everything it calls is bound beforehand: after a fork only this thread runs, and it
    must not import or take a lock another thread might have held."""
    ioctl(0, request, 0)  # type: ignore[operator]


class AppProcess:
    """One app on its own pty: `master` is the server's end (non-blocking), `pid` leads
    the app's session and process group."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path, size: tuple[int, int]):
        master, child = os.openpty()
        try:
            set_size(master, *size)
            _quiet(child)
            # `start_new_session` makes the child a session leader; `_take_terminal`
            # then gives it the pty as controlling terminal. A `preexec_fn` rather than
            # a wrapper program: a wrapper would be a second interpreter start-up in
            # front of every guest's first frame.
            self.process = subprocess.Popen(
                args,
                stdin=child,
                stdout=child,
                stderr=child,
                env=env,
                cwd=cwd,
                start_new_session=True,
                preexec_fn=_take_terminal,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(child)
        os.set_blocking(master, False)
        self.master = master
        self.pid = self.process.pid
        # readable once the app has ended: the server's loop learns of it without polling
        # (None on an old kernel: the session polls `reap` instead)
        self.exit_fd: int | None = None
        with contextlib.suppress(AttributeError, OSError):
            self.exit_fd = os.pidfd_open(self.pid)

    def read(self) -> bytes | None:
        """What the app wrote since: b"" once nothing holds the pty (the app has ended),
        None when there is nothing now."""
        try:
            return os.read(self.master, _CHUNK)
        except BlockingIOError:
            return None
        except OSError:  # EIO: the pty's other end is closed
            return b""

    def write(self, data: bytes | bytearray) -> int | None:
        """How much of `data` the pty took now (0: full for the moment); None when the
        app is gone."""
        try:
            return os.write(self.master, data)
        except BlockingIOError:
            return 0
        except OSError:
            return None

    def resize(self, columns: int, rows: int) -> None:
        """The pty's new size; the kernel tells the app (SIGWINCH)."""
        set_size(self.master, *bounded_size(columns, rows))

    def signal(self, number: int) -> None:
        """`number` to the app's whole process group, unless it is gone (reaped: its pid
        may belong to someone else by now)."""
        if self.process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, number)

    def reap(self) -> int | None:
        """The exit code once the app has ended (128 + N for signal N), else None. What is
        left of its process group is killed first, so nothing outlives a session."""
        if self.process.returncode is None:
            try:
                # WNOWAIT: look, leaving the zombie in place
                ended = os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:
                ended = None  # reaped elsewhere: `wait` below just reads the code
            else:
                if ended is None:
                    return None
            # still a zombie: its group id cannot be reused yet, so killpg is safe
            self.signal(signal.SIGKILL)
            self.process.wait()
        code = self.process.returncode
        return 128 - code if code < 0 else code

    def close(self) -> None:
        for fd in (self.master, self.exit_fd):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)


def set_size(fd: int, columns: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))

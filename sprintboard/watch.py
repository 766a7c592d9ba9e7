"""Noticing when a board file changes on disk: inotify where it works, polling elsewhere.

A watcher calls `on_change()` from its own thread whenever the file may have changed
(another app, the command line, a text editor, `git pull` replacing the file). It
does not read the file: the session compares content digests, so a false alarm costs
one read and changes nothing.

`watch()` picks the strategy: inotify on local file systems (changes show at once);
polling every `POLL_INTERVAL` seconds where inotify is missing or cannot see other
machines' writes (NFS, SMB, FUSE mounts).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import struct
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

POLL_INTERVAL = 0.25
"""Seconds between two looks at the file when polling."""

# statfs f_type of file systems where inotify misses writes made by other machines
_REMOTE_FS = {
    0x6969,  # NFS
    0xFF534D42,  # CIFS
    0xFE534D42,  # SMB2
    0x517B,  # SMB
    0x65735546,  # FUSE
    0x01021997,  # v9fs
    0x47504653,  # GPFS
    0x0BD00BD0,  # Lustre
}

_IN_MODIFY = 0x002
_IN_ATTRIB = 0x004
_IN_CLOSE_WRITE = 0x008
_IN_MOVED_TO = 0x080
_IN_CREATE = 0x100
_IN_DELETE = 0x200
_IN_MOVED_FROM = 0x040
_MASK = (
    _IN_MODIFY | _IN_ATTRIB | _IN_CLOSE_WRITE | _IN_MOVED_TO | _IN_CREATE | _IN_DELETE
) | _IN_MOVED_FROM
_EVENT = struct.Struct("iIII")


class Watcher(Protocol):
    """Something that calls back when a file may have changed, until stopped."""

    kind: str

    def start(self) -> None: ...

    def stop(self) -> None: ...


class PollingWatcher:
    """Looks at the file's size, time and inode every `interval` seconds."""

    kind = "polling"

    def __init__(
        self, path: Path, on_change: Callable[[], None], interval: float = POLL_INTERVAL
    ) -> None:
        self.path = path
        self.on_change = on_change
        self.interval = interval
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sprintboard-poll", daemon=True)

    def _signature(self) -> tuple[int, int, int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

    def _run(self) -> None:
        last = self._signature()
        while not self._stopped.wait(self.interval):
            now = self._signature()
            if now != last:
                last = now
                self.on_change()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()


class InotifyWatcher:
    """Linux inotify on the board's folder, filtered to the board's name.

    The folder, not the file: an atomic save replaces the file's inode, and a watch on
    the old inode would go quiet after the first outside write.
    """

    kind = "inotify"

    def __init__(self, path: Path, on_change: Callable[[], None]) -> None:
        self.path = path
        self.on_change = on_change
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self._fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self._fd < 0:
            # not translated: caught by the caller, which falls back to polling
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        folder = str(Path(os.path.realpath(path)).parent).encode()
        if libc.inotify_add_watch(self._fd, folder, _MASK) < 0:
            errno = ctypes.get_errno()
            os.close(self._fd)
            # not translated: caught by the caller, which falls back to polling
            raise OSError(errno, "inotify_add_watch failed")
        self._name = Path(os.path.realpath(path)).name.encode()
        self._stop_r, self._stop_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name="sprintboard-inotify", daemon=True)

    def _run(self) -> None:
        try:
            while True:
                ready, _, _ = select.select([self._fd, self._stop_r], [], [])
                if self._stop_r in ready:
                    return
                if self._read_matches():
                    self.on_change()
        finally:
            os.close(self._fd)
            os.close(self._stop_r)

    def _read_matches(self) -> bool:
        try:
            data = os.read(self._fd, 64 * 1024)
        except BlockingIOError:
            return False
        offset, hit = 0, False
        while offset + _EVENT.size <= len(data):
            _, _, _, length = _EVENT.unpack_from(data, offset)
            name = data[offset + _EVENT.size : offset + _EVENT.size + length].rstrip(b"\0")
            hit = hit or name == self._name
            offset += _EVENT.size + length
        return hit

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        os.write(self._stop_w, b"x")
        os.close(self._stop_w)


def is_remote(path: Path) -> bool:
    """Whether `path` is on a network or FUSE file system (where inotify is blind)."""
    folder = os.path.realpath(path.parent if not path.is_dir() else path)
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        buffer = ctypes.create_string_buffer(256)
        if libc.statfs(folder.encode(), buffer) != 0:
            return True
    except OSError:
        return True
    f_type = struct.unpack_from("l", buffer.raw, 0)[0] & 0xFFFFFFFF
    return f_type in _REMOTE_FS


def watch(path: Path, on_change: Callable[[], None], *, polling: bool = False) -> Watcher:
    """A started watcher for `path`: inotify when it can see every write, else polling."""
    watcher: Watcher
    if polling or is_remote(path):
        watcher = PollingWatcher(path, on_change)
    else:
        try:
            watcher = InotifyWatcher(path, on_change)
        except (OSError, AttributeError):
            watcher = PollingWatcher(path, on_change)
    watcher.start()
    return watcher

"""This machine's private state: what the program keeps outside every git repository.

The SSH entry's host key and the invitations live in ``$XDG_STATE_HOME/sprintboard/``
(default ``~/.local/state/sprintboard/``), a folder only its owner may enter (0700) of
files only its owner may read (0600). They are never in `boards/`: a host key or an
invitation pushed with a board would be everyone's.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

from .i18n import _
from .storage.errors import BoardFileError
from .storage.files import read_own_file, write_atomic


class StateError(Exception):
    """The state folder cannot be used; the message is one sentence naming it."""


def state_dir(environ: Mapping[str, str]) -> Path:
    """``$XDG_STATE_HOME/sprintboard``; a relative ``$XDG_STATE_HOME`` is ignored, as the
    XDG specification says, for ``~/.local/state``."""
    base = environ.get("XDG_STATE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "state"
    return root / "sprintboard"


def private_dir(environ: Mapping[str, str]) -> Path:
    """The state folder, made (0700) when missing; `StateError` when it cannot be used:
    not a folder, a link, or not writable."""
    folder = state_dir(environ)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
    except OSError as error:
        raise StateError(
            _("{path}: cannot make the state folder: {reason}").format(
                path=folder, reason=error.strerror
            )
        ) from None
    if not stat.S_ISDIR(info.st_mode):
        raise StateError(_("{path}: the state folder is not a folder").format(path=folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StateError(
            _("{path}: the state folder cannot be written: permission denied").format(path=folder)
        )
    if stat.S_IMODE(info.st_mode) & 0o077:
        # made by someone else's umask or by hand: keys and invitations are not for others
        try:
            os.chmod(folder, 0o700)
        except OSError as error:
            raise StateError(
                _("{path}: cannot make the state folder private: {reason}").format(
                    path=folder, reason=error.strerror
                )
            ) from None
    return folder


def read_private(path: Path, limit: int = 1 << 20) -> bytes | None:
    """The bytes of a private file, None when it is missing. A link, anything but a
    regular file, or more than `limit` bytes is refused (`StateError`)."""
    try:
        return read_own_file(path, limit)
    except BoardFileError as error:
        raise StateError(str(error)) from None


def write_private(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically, readable by its owner only (0600), never
    through a link; `StateError` when it cannot be written."""
    if path.is_symlink():
        raise StateError(
            _("{path}: is a symbolic link, which sprintboard does not follow here").format(
                path=path
            )
        )
    try:
        write_atomic(path, data, mode=0o600)
        os.chmod(path, 0o600)  # an old file keeps its mode in `write_atomic`: not this one
    except BoardFileError as error:
        raise StateError(str(error)) from None
    except OSError as error:
        raise StateError(
            _("{path}: cannot be written: {reason}").format(path=path, reason=error.strerror)
        ) from None

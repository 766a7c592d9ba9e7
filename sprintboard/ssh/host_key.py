"""The SSH entry's host key: made once (ed25519), kept in the state folder (0600), reused.

Its SHA256 fingerprint is printed by `serve-ssh` at start and in every invitation, so a
careful guest can check the server ssh asks them to trust is this one.
"""

from __future__ import annotations

from pathlib import Path

import asyncssh

from ..i18n import _
from ..state import StateError, read_private, write_private

KEY_FILE = "ssh_host_ed25519_key"


def load_or_create(folder: Path) -> asyncssh.SSHKey:
    """The host key in `folder` (the state folder, see `state.private_dir`), made when
    there is none. `StateError` when it cannot be read, parsed or written."""
    path = folder / KEY_FILE
    data = read_private(path, limit=64 * 1024)
    if data is not None:
        try:
            return asyncssh.import_private_key(data)
        except (asyncssh.KeyImportError, ValueError) as error:
            raise StateError(
                _("{path}: not a usable host key: {reason}").format(path=path, reason=error)
            ) from None
    key = asyncssh.generate_private_key("ssh-ed25519")
    write_private(path, key.export_private_key())
    write_private(path.with_name(KEY_FILE + ".pub"), key.export_public_key())
    return key


def fingerprint(key: asyncssh.SSHKey) -> str:
    """``SHA256:…``, as ``ssh`` shows it when it first meets the server."""
    return str(key.get_fingerprint("sha256"))

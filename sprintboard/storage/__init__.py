"""The board file: reading with line-precise errors, the canonical writer, safe writes.

The package's modules, each one concern:

- `errors`: `Problem`, `BoardFileError` (one line for the user), `Loaded` (a board
  with the digest of the bytes it came from), `digest`.
- `keys`: where each table and key of a TOML text starts, so errors point at lines.
- `reading`: `load`, `decode`, `parse` — validation, git conflict markers, too-deep
  nesting — and `validate`'s reports of a newer schema and of undecided conflicts.
- `canonical`: the canonical writer (`dumps`, `to_data`, `zulu`) and the card cache
  that reads and renders a board card by card.
- `files`: files are untrusted — `board_file` (links only within their folder),
  bounded regular-file reads, modes and groups of new files and sidecars,
  `check_writable`, `write_atomic`, sweeping killed writers' temp files.
- `locks`: the advisory lock on the sidecar ``.<name>.toml.lock`` (`locked`) and the
  sidecar patterns in the folder's `.gitignore`.
- `writes`: `rewrite`, the one path by which a board file is changed.

What other modules use is re-exported here: ``from sprintboard import storage;
storage.load(path)``. Tests of private helpers import them from their module.

The re-exports are resolved on first use (PEP 562 `__getattr__`): importing the
package, or `files` and `errors` alone, imports no pydantic, so the app reads a
board's bytes safely before its first frame (README, "Start-up"). `reading`,
`canonical` and `writes` bring in the models when a name of theirs is first asked for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names as mypy sees them; at run time `__getattr__` imports them
    from .canonical import dumps, forget_cards, to_data, zulu
    from .errors import BoardFileError, Loaded, Problem, digest
    from .files import (
        HOST,
        MAX_BOARD_BYTES,
        TEMP_PATTERNS,
        TEMP_STALE,
        board_file,
        check_writable,
        folder_mode,
        new_file_mode,
        process_alive,
        read_bytes,
        read_own_file,
        share_group,
        sidecar_mode,
        sweep_temps,
        too_large,
        write_atomic,
    )
    from .locks import SIDECAR_IGNORES, ensure_gitignore, lock_path, locked
    from .reading import (
        GIT_MARKERS,
        conflict_marker,
        conflict_problems,
        decode,
        load,
        newer_schema_problem,
        parse,
    )
    from .writes import Change, Rewritten, rewrite, save, save_loaded

_HOME = {
    # canonical
    "dumps": "canonical",
    "forget_cards": "canonical",
    "to_data": "canonical",
    "zulu": "canonical",
    # errors
    "BoardFileError": "errors",
    "Loaded": "errors",
    "Problem": "errors",
    "digest": "errors",
    # files
    "HOST": "files",
    "MAX_BOARD_BYTES": "files",
    "TEMP_PATTERNS": "files",
    "TEMP_STALE": "files",
    "board_file": "files",
    "check_writable": "files",
    "folder_mode": "files",
    "new_file_mode": "files",
    "process_alive": "files",
    "read_bytes": "files",
    "read_own_file": "files",
    "share_group": "files",
    "sidecar_mode": "files",
    "sweep_temps": "files",
    "too_large": "files",
    "write_atomic": "files",
    # locks
    "SIDECAR_IGNORES": "locks",
    "ensure_gitignore": "locks",
    "lock_path": "locks",
    "locked": "locks",
    # reading
    "GIT_MARKERS": "reading",
    "conflict_marker": "reading",
    "conflict_problems": "reading",
    "decode": "reading",
    "load": "reading",
    "newer_schema_problem": "reading",
    "parse": "reading",
    # writes
    "Change": "writes",
    "Rewritten": "writes",
    "rewrite": "writes",
    "save": "writes",
    "save_loaded": "writes",
}
"""Where each re-exported name lives: its module is imported when the name is first used."""

_MODULES = frozenset(["canonical", "errors", "files", "keys", "locks", "reading", "writes"])


if not TYPE_CHECKING:  # hidden from mypy, which would let any misspelt name through as Any

    def __getattr__(name: str) -> Any:
        if name in _MODULES:  # `storage.files` before anything imported it
            return importlib.import_module(f"{__name__}.{name}")
        home = _HOME.get(name)
        if home is None:
            raise AttributeError(name)  # a bug, never shown to a user
        value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
        globals()[name] = value  # asked once: later uses are plain attribute reads
        return value

    def __dir__() -> list[str]:
        return sorted([*globals(), *_HOME])


__all__ = [
    "GIT_MARKERS",
    "HOST",
    "MAX_BOARD_BYTES",
    "SIDECAR_IGNORES",
    "TEMP_PATTERNS",
    "TEMP_STALE",
    "BoardFileError",
    "Change",
    "Loaded",
    "Problem",
    "Rewritten",
    "board_file",
    "check_writable",
    "conflict_marker",
    "conflict_problems",
    "decode",
    "digest",
    "dumps",
    "ensure_gitignore",
    "folder_mode",
    "forget_cards",
    "load",
    "lock_path",
    "locked",
    "new_file_mode",
    "newer_schema_problem",
    "parse",
    "process_alive",
    "read_bytes",
    "read_own_file",
    "rewrite",
    "save",
    "save_loaded",
    "share_group",
    "sidecar_mode",
    "sweep_temps",
    "to_data",
    "too_large",
    "write_atomic",
    "zulu",
]

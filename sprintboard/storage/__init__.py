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
"""

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

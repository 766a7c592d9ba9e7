"""Reports from the app: the days' time zone, and writing a report with one sentence why not.

The export dialog (`screens.export_dialog`) runs `write` in a thread worker: a report
of 10,000 cards takes about a second to render. Screens never import `storage`
(a contract); its error type is caught here, where the app may, and comes back to the
dialog as the sentence the user reads.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Board


def local_zone(now: datetime) -> tzinfo:
    """The machine's time zone at `now`: the app counts days in it, as the command line does."""
    zone = now.astimezone().tzinfo
    return zone if zone is not None else UTC


def write(
    fmt: str, board: Board, board_path: Path, path: Path, now: datetime, tz: tzinfo
) -> str | None:
    """Write the report of `board` (the file `board_path`) at `now` in format `fmt` to
    `path` (never over a board: `formats.write_export`); None when it is
    there, else why not: one sentence naming the path (`storage.BoardFileError`'s own,
    or the system's reason for an `OSError`)."""
    from ..i18n import _
    from ..report import formats
    from ..storage import BoardFileError

    try:
        formats.write_export(formats.render(fmt, board, now, tz), path, board_path)
    except BoardFileError as error:
        return str(error)
    except OSError as error:
        reason = error.strerror or str(error)
        return _("{path}: {message}").format(path=path, message=reason)
    return None

"""Guest mode: what is off when someone from outside uses the app, and how paths are hidden.

A guest (`sprintboard --as KEY open --guest BOARD`, the app the SSH entry starts for
an invited person) works on one board and nothing else of the machine the app runs
on. `OFF` is the one list of what reaches outside the board; every node that has one
of these actions asks `off` in its `check_action` (returning False hides the key from
the footer, the key bar, the help and the palette, which all read the active
bindings) and the action itself is guarded by `unless_guest`, so a direct call (a
palette command's callback, `run_action` by name) does nothing either.

In a browser (the app under Textual's web driver, which the browser entry starts)
two of them come back, changed: `DELIVERED` is what hands its file to the guest's own
browser, as a download, instead of writing it on the server (`delivered`, `deliver`).
Textual's deliveries save on this machine's disk under any other driver, so
`deliver` does nothing unless the driver is the web's.

Paths: the server's folders are none of a guest's business, and error lines quote
them ("/srv/sprints/boards/x.toml: permission denied"). `Hidden` replaces the board's
folder in any text shown to a guest, so such a line names the board file alone.
"""

from __future__ import annotations

import functools
import io
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

OFF = frozenset(
    {
        "external_editor",  # $EDITOR: a program of the server's, with a shell escape
        "screenshot",  # an SVG file written on the server
        "export_report",  # a report file written on the server, at a path the guest types
        "sync",  # git with the server's credentials, pushing to the server's remotes
        "git_setup",  # the offer to change the clone's git settings after a save
        "suspend_process",  # ctrl+z: the process would stop, with no shell to return to
        "open_url",  # Textual opens a link with the server's web browser
    }
)
"""What a guest cannot do: action names (and `git_setup`, the offer that is no action)."""


DELIVERED = frozenset({"screenshot", "export_report"})
"""Of `OFF`, what a guest in a browser has after all: the file is delivered to their
browser (a download), and nothing is written on the server."""

_NOT_IN_A_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_DASHES = re.compile(r"--+")
NAME_LIMIT = 100
"""Characters of a delivered file's name at most."""


def is_guest(node: Any) -> bool:
    """Whether the app `node` belongs to (a widget, a screen, the app) runs for a guest."""
    app = getattr(node, "app", node)
    return bool(getattr(app, "guest", False))


def in_browser(node: Any) -> bool:
    """Whether the app of `node` runs in a browser: under Textual's web driver (the only
    driver that says so; False before the app has a driver)."""
    app = getattr(node, "app", node)
    return bool(getattr(app, "is_web", False))


def delivered(node: Any, action: str) -> bool:
    """Whether `action` hands its file to the browser instead of writing it: a guest's
    app in a browser, and one of `DELIVERED`."""
    return action in DELIVERED and is_guest(node) and in_browser(node)


def off(node: Any, action: str) -> bool:
    """Whether `action` is off for the app of `node`: a guest's, and one of `OFF` (but
    not one it `delivered` instead)."""
    return action in OFF and is_guest(node) and not delivered(node, action)


def download_name(typed: str) -> str | None:
    """`typed` as the name of a file delivered to a browser: a name, never a path (None
    when it has a folder in it, or nothing is left); only letters, digits, ``.``, ``_``
    and ``-`` (each run of anything else, and of dashes, one ``-``): the name goes into
    an HTTP header."""
    typed = typed.strip()
    if "/" in typed or "\\" in typed:
        return None
    name = _DASHES.sub("-", _NOT_IN_A_NAME.sub("-", typed)).strip("-.")[:NAME_LIMIT]
    return name or None


def deliver(node: Any, text: str, name: str, mime_type: str) -> bool:
    """Hand `text` (UTF-8) to the browser of the app of `node` as a download called `name`;
    False, and nothing done, when the app does not run in a browser."""
    app = getattr(node, "app", node)
    if not in_browser(app):
        return False  # any other driver would save it on this machine's disk
    app.deliver_text(
        io.StringIO(text),
        # the driver tells the server this folder with the name, and the server keeps the
        # name only: the root, so no folder of the server's is named (nothing is written)
        save_directory=Path(os.sep),
        save_filename=name,
        open_method="download",
        encoding="utf-8",
        mime_type=mime_type,
        name=name,
    )
    return True


F = TypeVar("F", bound=Callable[..., Any])


def unless_guest(action: str) -> Callable[[F], F]:
    """Make an action method do nothing (return None) in a guest's app when `action` is off."""

    def decorate(method: F) -> F:
        @functools.wraps(method)
        def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
            if off(self, action):
                return None
            return method(self, *args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def hide(node: Any, text: str) -> str:
    """`text` as the app of `node` may show it: without the server's folders for a guest."""
    app = getattr(node, "app", node)
    hidden: Hidden | None = getattr(app, "hidden", None)
    return hidden(text) if hidden is not None else text


class Hidden:
    """Text for a guest's screen with the board's folder taken out of every path."""

    def __init__(self, board: Path) -> None:
        self.name = board.name
        """The board file's name: what a guest sees instead of its path."""
        folders: set[str] = set()
        for folder in (board.parent, board.absolute().parent, _resolved(board.parent)):
            text = str(folder)
            if text not in ("", ".", os.sep):
                folders.add(text.rstrip(os.sep) + os.sep)
        # the longest first: /srv/x/boards/ before /srv/x/ when both are there
        self._folders = sorted(folders, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for folder in self._folders:
            text = text.replace(folder, "")
        return text


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a link loop: the other spellings still go
        return path

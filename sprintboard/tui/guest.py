"""Guest mode: what is off when someone from outside uses the app, and how paths are hidden.

A guest (`sprintboard --as KEY open --guest BOARD`, the app the SSH entry starts for
an invited person) works on one board and nothing else of the machine the app runs
on. `OFF` is the one list of what reaches outside the board; every node that has one
of these actions asks `off` in its `check_action` (returning False hides the key from
the footer, the key bar, the help and the palette, which all read the active
bindings) and the action itself is guarded by `unless_guest`, so a direct call (a
palette command's callback, `run_action` by name) does nothing either.

Paths: the server's folders are none of a guest's business, and error lines quote
them ("/srv/sprints/boards/x.toml: permission denied"). `Hidden` replaces the board's
folder in any text shown to a guest, so such a line names the board file alone.
"""

from __future__ import annotations

import functools
import os
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


def is_guest(node: Any) -> bool:
    """Whether the app `node` belongs to (a widget, a screen, the app) runs for a guest."""
    app = getattr(node, "app", node)
    return bool(getattr(app, "guest", False))


def off(node: Any, action: str) -> bool:
    """Whether `action` is off for the app of `node`: a guest's, and one of `OFF`."""
    return action in OFF and is_guest(node)


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

"""Sending board files to the merge driver: `setup` (``sprintboard git-setup``) and its offer."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

from .. import storage
from ..i18n import _
from .runner import GitError, git, out, toplevel

ATTRIBUTE = "boards/*.toml merge=sprintboard"
"""The `.gitattributes` line that sends board files to the driver."""
# not translated: a setting's value in git config
DRIVER_NAME = "sprintboard board merge (cards and fields)"
"""The driver's name in git config (a setting's value, the same in every language)."""


def driver_command() -> str:
    """The driver's command line: plain `sprintboard` when it is on PATH, else this one."""
    if shutil.which("sprintboard"):
        program = "sprintboard"
    else:
        script = Path(sys.executable).parent / "sprintboard"
        if script.is_file() and os.access(script, os.X_OK):
            program = shlex.quote(str(script.absolute()))
        else:
            program = f"{shlex.quote(sys.executable)} -m sprintboard"
    return f"{program} merge-driver %O %A %B %P"


def setup(cwd: Path) -> list[str]:
    """Send board files to the merge driver in the repository holding `cwd`: what was done.

    Idempotent: an existing line or setting is left as it is and reported as such.
    """
    root = toplevel(cwd)
    done: list[str] = []
    attributes = root / ".gitattributes"
    try:  # never through a link: a committed one would make setup write wherever it points
        existing = (storage.read_own_file(attributes) or b"").decode("utf-8")
    except storage.BoardFileError as error:
        raise GitError(_("{error}; nothing was changed").format(error=error)) from None
    except UnicodeDecodeError:
        raise GitError(
            _("{path}: cannot be read: not UTF-8 text").format(path=attributes)
        ) from None
    if ATTRIBUTE in (line.strip() for line in existing.splitlines()):
        done.append(_("{path}: already has '{line}'").format(path=attributes, line=ATTRIBUTE))
    else:
        text = existing + ("\n" if existing and not existing.endswith("\n") else "")
        try:
            storage.write_atomic(attributes, (text + ATTRIBUTE + "\n").encode())
        except storage.BoardFileError as error:
            raise GitError(str(error)) from None
        done.append(_("{path}: added '{line}'").format(path=attributes, line=ATTRIBUTE))
    for key, value in (
        ("merge.sprintboard.name", DRIVER_NAME),
        ("merge.sprintboard.driver", driver_command()),
    ):
        current = out(git(root, "config", "--local", "--get", key, check=False))
        if current == value:
            done.append(_("git config {key}: already '{value}'").format(key=key, value=value))
        else:
            git(root, "config", "--local", key, value)
            done.append(_("git config {key} = '{value}'").format(key=key, value=value))
    return done


def is_set_up(root: Path) -> bool:
    """Whether git sends this repository's board files to the driver."""
    result = git(root, "check-attr", "merge", "--", "boards/x.toml", check=False)
    driver = git(root, "config", "--get", "merge.sprintboard.driver", check=False)
    return out(result).endswith("merge: sprintboard") and bool(out(driver))


# --- the app's offer to set up, once per clone ------------------------------------------

SETUP_OFFERED = "sprintboard.setup-offered"
"""Repo-local git config the app sets once it has offered `setup` in a clone (either answer)."""
EXAMPLES_MARKER = ".sprintboard-examples"
"""A file in a boards folder saying its boards are examples (this project's own `boards/`):
the app never offers to change the git settings of the clone they came in."""


def repo_root(path: Path) -> Path | None:
    """The root of the git working tree holding `path` (a board file or a folder).

    None when there is none, or when git is not installed: no question to ask then.
    """
    folder = path if path.is_dir() else path.parent
    if not folder.is_dir():
        return None
    try:
        result = git(folder, "rev-parse", "--show-toplevel", check=False)
    except GitError:
        return None
    return Path(out(result)) if result.returncode == 0 and out(result) else None


def setup_offer_due(path: Path) -> Path | None:
    """The repository whose setup the app should offer once a change to `path` is saved.

    None outside a git repository, when board files already go to the driver, when
    the offer was made before in this clone (answered either way: it is asked once),
    and for example boards (their folder holds `EXAMPLES_MARKER`).
    """
    if (path.parent / EXAMPLES_MARKER).exists():
        return None
    root = repo_root(path)
    if root is None or is_set_up(root):
        return None
    offered = git(root, "config", "--local", "--get", SETUP_OFFERED, check=False)
    return None if out(offered) == "true" else root


def remember_setup_offer(root: Path) -> None:
    """Note in the clone's own git config that setup was offered, so it is not again."""
    git(root, "config", "--local", SETUP_OFFERED, "true")

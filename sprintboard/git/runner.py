"""Running git: `git()`, its failures as one-line `GitError`s, and the working tree's root."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ..i18n import _


class GitError(Exception):
    """Something in git the user has to act on; the message is one line."""


def git(
    cwd: Path, *args: str, check: bool = True, data: bytes | None = None, asks: bool = True
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git args`` in `cwd`; with `check`, a failure is a `GitError` with git's words.

    `asks=False`: git and ssh must not ask for a password or passphrase on the terminal
    (the app's terminal belongs to the app): no terminal prompts, and no controlling
    terminal, so such a remote fails at once with a message instead of waiting.
    """
    env = None if asks else {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=data,
            capture_output=True,
            check=False,
            env=env,
            start_new_session=not asks,
        )
    except FileNotFoundError:
        raise GitError(
            _("git is not installed (or not on PATH); boards travel through git")
        ) from None
    if check and result.returncode != 0:
        raise GitError(
            _("git {command} failed: {reason}").format(
                command=args[0], reason=reason(result.stderr) or _("no message")
            )
        )
    return result


def out(result: subprocess.CompletedProcess[bytes]) -> str:
    """What git printed on its standard output, as text without the surrounding space."""
    return result.stdout.decode("utf-8", errors="replace").strip()


# not translated: git's own words, recognised to be left out
BOILERPLATE = frozenset(
    {
        "fatal: Could not read from remote repository.",
        "Please make sure you have the correct access rights",
        "and the repository exists.",
    }
)
"""Lines git adds to every failure to reach a remote: they never say why."""


def reason(stream: bytes) -> str:
    """Why git failed, in one line: its last line that says something, without "fatal: ".

    git puts the reason before its boilerplate ("ssh: connect to host … Connection
    refused", then "fatal: Could not read from remote repository." and two lines of
    advice), or splits it in two ("unable to connect to 127.0.0.1:" / "errno=Connection
    refused"): a line ending in ":" is read with the one after it.
    """
    said = [line.strip() for line in stream.decode("utf-8", "replace").splitlines()]
    said = [line for line in said if line and not line.startswith("hint:")]
    lines = [
        line.removeprefix("fatal: ").removeprefix("error: ")
        for line in [line for line in said if line not in BOILERPLATE] or said
    ]
    if len(lines) >= 2 and lines[-2].endswith(":"):
        return f"{lines[-2]} {lines[-1]}"
    return lines[-1] if lines else ""


def toplevel(cwd: Path) -> Path:
    """The root of the git working tree holding `cwd`."""
    result = git(cwd, "rev-parse", "--show-toplevel", check=False)
    if result.returncode != 0:
        raise GitError(
            _(
                "{folder}: not inside a git repository; boards are shared through one "
                "(git init, or git clone URL)"
            ).format(folder=cwd)
        )
    return Path(out(result))


def relative(root: Path, path: Path) -> str:
    """`path` as git names it in the working tree at `root` (links followed)."""
    full = Path(os.path.realpath(path))
    try:
        return full.relative_to(Path(os.path.realpath(root))).as_posix()
    except ValueError:
        raise GitError(
            _("{path}: is not inside the git repository {root}").format(path=path, root=root)
        ) from None

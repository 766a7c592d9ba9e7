"""What a guest's app is started with, by either entry: its command and its environment.

`child_environment` builds the app's environment from scratch: what the server
decides (`PATH`, `HOME`, its state and config folders) and the few settings a client
may choose, each checked (`TERM`, the locale and `LANGUAGE`, `COLORTERM`). Nothing else reaches the
app: no `SPRINTBOARD_*`, `TEXTUAL_*` or `PYTHON*` variable from the server or the client.
`app_command` is the app itself, `bounded_size` the window a client may ask for.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

# A terminal type is a terminfo name: short, and never anything a shell or a terminal acts on
_TERM = re.compile(r"[A-Za-z0-9._+-]{1,64}")
DEFAULT_TERM = "xterm-256color"
# `da_DK.UTF-8`, `en`, `C.UTF-8`, `sr_RS@latin`: a language, a region, a codeset, a modifier
_LOCALE = re.compile(
    r"[A-Za-z]{1,8}(_[A-Za-z0-9]{1,8})?(\.[A-Za-z0-9-]{1,16})?(@[A-Za-z0-9]{1,16})?"
)
LOCALE_NAMES = ("LANG", "LC_ALL", "LC_MESSAGES")
# $LANGUAGE is gettext's list of languages by preference, "da:en": each part a locale name
LANGUAGE_PARTS = 8
# from the server's own environment: where the app keeps its state and settings
SERVER_NAMES = ("XDG_STATE_HOME", "XDG_CONFIG_HOME")
# A client may ask for any size; the app's memory grows with it (a 10,000 × 10,000
# screen would be hundreds of MiB), so it is bounded to what a real window can be
MAX_COLUMNS = 500
MAX_ROWS = 200


def sane_term(term: str | None) -> str:
    """The client's terminal type when it is a plausible terminfo name, else the default."""
    return term if term is not None and _TERM.fullmatch(term) else DEFAULT_TERM


def child_environment(
    term: str | None, client: Mapping[str, str], server: Mapping[str, str]
) -> dict[str, str]:
    """The whole environment of a guest's app: `term` and `client` (what the SSH client
    sent) are untrusted and only used when they look right; `server` is the server's."""
    env = {"PATH": os.defpath, "TERM": sane_term(term)}
    home = server.get("HOME")
    env["HOME"] = home if home else str(Path.home())
    for name in SERVER_NAMES:
        if server.get(name):
            env[name] = server[name]
    for name in LOCALE_NAMES:
        value = client.get(name)
        if value is not None and _LOCALE.fullmatch(value):
            env[name] = value
    languages = client.get("LANGUAGE")
    if languages is not None:
        parts = languages.split(":", LANGUAGE_PARTS)
        if len(parts) <= LANGUAGE_PARTS and all(_LOCALE.fullmatch(part) for part in parts):
            env["LANGUAGE"] = languages
    if client.get("COLORTERM") in ("truecolor", "24bit"):
        env["COLORTERM"] = client["COLORTERM"]
    return env


def bounded_size(columns: int, rows: int) -> tuple[int, int]:
    """A client's window size made usable: 80 × 24 for a missing one, at most the bounds."""
    return (
        min(columns, MAX_COLUMNS) if columns > 0 else 80,
        min(rows, MAX_ROWS) if rows > 0 else 24,
    )


def app_command(member: str, board: Path, language: str | None = None) -> list[str]:
    """The guest's app: exactly that board, as that member, speaking `language` (None:
    as its environment's locale says). ``-P``: the app runs in the board's folder, and a
    `sprintboard/` folder there must not shadow the package."""
    python = [sys.executable, "-P", "-m", "sprintboard"]
    speaking = ["--lang", language] if language is not None else []
    return [*python, *speaking, "--as", member, "open", "--guest", str(board)]


def peak_memory(pid: int) -> int | None:
    """The process's peak resident memory in bytes (``VmHWM``), None when it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None

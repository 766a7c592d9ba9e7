"""The sprint's live state: the shared timer and the card being presented.

Session state, not board data: two small JSON files in the board's git-ignored sidecar
folder, next to the presence entries (``.<board>.toml.presence/timer.state`` and
``presenting.state``; presence reads only ``*.json``, so it never mistakes them for an
app). Each is replaced whole by an atomic rename: two facilitators starting a timer at
the same instant both write, one rename comes last, and every reader — both of them
included — reads that one file.

The timer holds absolute times: the end (seconds since the epoch) while it runs, the
seconds left while it is paused. Every reader computes the same `remaining(now)`, a
late joiner knows it at once, and the timer keeps counting to zero when the app that
started it is gone. A timer past its end is `done` until it is stopped or replaced.

A file that cannot be trusted — not JSON, a wrong shape, a link, not a regular file,
too big, written by a newer version, or stale (ended long ago, times that make no
sense) — is ignored: the reader gets no state and the sentence saying why (`Reading`).

Pure but for those two files; no Textual.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import stat
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from .i18n import _
from .presence import folder_for
from .storage import BoardFileError, read_own_file, sidecar_mode, write_atomic
from .storage.locks import sidecar_folder

VERSION = 1
"""The version of the files this program writes; a file of a higher one is ignored."""
LIMIT = 4096
"""Bytes a state file may have; a bigger one (not written by this program) is ignored."""
LONGEST = 24 * 3600
"""The longest timebox, in seconds (a day: more is a mistake, not a sprint session)."""
STALE = 12 * 3600.0
"""Seconds after its end (or its start, for presenting) when a state counts as left over."""
TIMER_FILE = "timer.state"
PRESENTING_FILE = "presenting.state"

Unwritable = BoardFileError
"""What a write raises when the file cannot be written (the message is the sentence)."""

State = Literal["running", "paused", "done", "none"]
_UNITS = {"h": 3600, "m": 60, "s": 1}


class DurationError(ValueError):
    """A duration that is no timebox; the message is the sentence to show."""


def parse_duration(text: str) -> int:
    """Seconds in a duration: ``10m``, ``90s``, ``1h30m``, ``1h 5m 10s``. One pass over the
    characters: no pattern that could backtrack."""
    given = text.strip().lower()
    if not given:
        raise DurationError(_("Give a duration such as 10m, 90s or 1h30m"))
    if given.startswith("-"):
        raise DurationError(_("A duration cannot be negative: {text}").format(text=text))
    total, digits, seen = 0, "", ""
    for char in given:
        if char.isascii() and char.isdigit():
            if len(digits) >= 7:
                raise DurationError(_("{text} is longer than 24 hours").format(text=text))
            digits += char
        elif char in _UNITS and digits and char not in seen:
            total += int(digits) * _UNITS[char]
            digits, seen = "", seen + char
        elif char == " " and not digits:
            continue
        else:
            raise DurationError(
                _("{text} is not a duration (like 10m, 90s or 1h30m)").format(text=text)
            )
    if digits:  # "10" or "1h30": 10 what?
        raise DurationError(
            _("{text} needs a unit: h, m or s (like 10m, 90s or 1h30m)").format(text=text)
        )
    if total <= 0:
        raise DurationError(_("A timebox must be longer than zero"))
    if total > LONGEST:
        raise DurationError(_("{text} is longer than 24 hours").format(text=text))
    return total


def clock_text(seconds: float) -> str:
    """Seconds left as the header shows them: ``09:59``, ``1:05:00`` (rounded up: a timer
    shows 00:00 only once it is done)."""
    whole = max(0, math.ceil(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


@dataclass(frozen=True)
class Timer:
    """The shared timebox."""

    label: str
    state: Literal["running", "paused"]
    duration: float
    """Seconds of the whole timebox, extensions included."""
    by: str
    """Who started it (as they act)."""
    started: float
    """When it was started (seconds since the epoch)."""
    ends: float | None = None
    """When it runs out, while running."""
    left: float | None = None
    """Seconds left, while paused."""
    token: str = ""
    """Tells two timers started at the same instant apart."""
    version: int = VERSION

    @classmethod
    def start(cls, label: str, seconds: float, by: str, now: float) -> Timer:
        token = secrets.token_hex(4)
        return cls(label, "running", seconds, by, now, ends=now + seconds, token=token)

    def remaining(self, now: float) -> float:
        """Seconds left at `now` (0 once done)."""
        if self.state == "paused":
            return max(0.0, self.left or 0.0)
        return max(0.0, (self.ends or now) - now)

    def status(self, now: float) -> State:
        if self.state == "running" and self.remaining(now) <= 0:
            return "done"
        return self.state

    def paused(self, now: float) -> Timer:
        return replace(self, state="paused", left=self.remaining(now), ends=None)

    def resumed(self, now: float) -> Timer:
        return replace(self, state="running", ends=now + (self.left or 0.0), left=None)

    def extended(self, seconds: float, now: float) -> Timer:
        if self.state == "paused":
            return replace(
                self, left=(self.left or 0.0) + seconds, duration=self.duration + seconds
            )
        return replace(self, ends=(self.ends or now) + seconds, duration=self.duration + seconds)

    def end_of(self, now: float) -> float:
        """When it runs out if nothing changes (a paused timer: if resumed at `now`)."""
        return self.ends if self.ends is not None else now + self.remaining(now)


@dataclass(frozen=True)
class Presenting:
    """The card a facilitator shows everyone."""

    card: str
    by: str
    since: float
    version: int = VERSION


T = TypeVar("T", Timer, Presenting)


@dataclass(frozen=True)
class Reading(Generic[T]):
    """What a state file holds: the state (None: none, or none to trust) and, when the file
    was ignored, why (one sentence)."""

    value: T | None
    problem: str | None = None


def timer_path(board: Path) -> Path:
    return folder_for(board) / TIMER_FILE


def presenting_path(board: Path) -> Path:
    return folder_for(board) / PRESENTING_FILE


def signature(path: Path) -> tuple[int, int, int] | None:
    """What changes whenever the file is replaced (inode, size, mtime); None: no file.
    A cheap look: the app stats the files often and reads them only when this changes."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


# --- reading -------------------------------------------------------------------------------


def read_timer(board: Path, now: float | None = None) -> Reading[Timer]:
    return _read(timer_path(board), Timer, time.time() if now is None else now)


def read_presenting(board: Path, now: float | None = None) -> Reading[Presenting]:
    return _read(presenting_path(board), Presenting, time.time() if now is None else now)


def _ignored(path: Path, why: str) -> str:
    return _("{path} {why}; it is ignored").format(path=path, why=why)


def _read(path: Path, kind: type[T], now: float) -> Reading[T]:
    try:
        data = read_own_file(path, LIMIT)
    except BoardFileError as error:
        return Reading(None, _("{error}; it is ignored").format(error=error))
    if data is None:
        return Reading(None)
    try:
        fields = json.loads(data)
        if not isinstance(fields, dict):
            raise TypeError
        version = fields.get("version", VERSION)
        if type(version) is not int:
            raise TypeError
        if version > VERSION:
            why = _("was written by a newer sprintboard (version {version})")
            return Reading(None, _ignored(path, why.format(version=version)))
        value = _timer(fields) if kind is Timer else _presenting(fields)
    except (ValueError, TypeError, KeyError):
        return Reading(None, _ignored(path, _("is not a state file sprintboard wrote")))
    if _stale(value, now):
        return Reading(None, _ignored(path, _("is left over from a past session")))
    return Reading(value)  # type: ignore[arg-type]


def _number(value: Any) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):
        raise TypeError
    return float(value)


def _text(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 200:
        raise TypeError
    return value


def _timer(fields: dict[str, Any]) -> Timer:
    state = fields["state"]
    if state not in ("running", "paused"):
        raise ValueError
    ends = _number(fields["ends"]) if state == "running" else None
    left = _number(fields["left"]) if state == "paused" else None
    duration = _number(fields["duration"])
    if not 0 < duration <= 2 * LONGEST or (left is not None and not 0 <= left <= duration):
        raise ValueError
    return Timer(
        _text(fields["label"]),
        state,
        duration,
        _text(fields["by"]),
        _number(fields["started"]),
        ends=ends,
        left=left,
        token=_text(fields.get("token", "")),
    )


def _presenting(fields: dict[str, Any]) -> Presenting:
    card = _text(fields["card"])
    if not card:
        raise ValueError
    return Presenting(card, _text(fields["by"]), _number(fields["since"]))


def _stale(value: Timer | Presenting, now: float) -> bool:
    if isinstance(value, Presenting):
        return not value.since - 60 <= now <= value.since + STALE
    if value.started > now + 60:  # started in the future: another clock, or made up
        return True
    if value.ends is not None:
        return value.ends + STALE < now or value.ends - now > 2 * LONGEST
    return value.started + STALE + value.duration < now


# --- changing the timer --------------------------------------------------------------------

Action = Literal["start", "pause", "resume", "extend", "stop"]


class LiveError(Exception):
    """A change of the live state that makes no sense now; the message is the sentence."""


@dataclass(frozen=True)
class TimerChange:
    """What `change_timer` did."""

    timer: Timer | None
    """The timer the file holds now (None: stopped)."""
    problem: str | None = None
    """The file found first was ignored: why."""
    lost_to: Timer | None = None
    """Another start at the same moment replaced this one: the timer everyone sees."""


def change_timer(
    board: Path, action: Action, actor: str, now: float, *, label: str = "", seconds: float = 0
) -> TimerChange:
    """Start, pause, resume, extend (by `seconds`) or stop the board's timer; the one way the
    command line and the app change it. Raises `LiveError` (pausing a paused timer, …) and
    `BoardFileError` (the file cannot be written). Who may is the caller's question."""
    reading = read_timer(board, now)
    timer, problem = reading.value, reading.problem
    state = timer.status(now) if timer is not None else "none"
    if action == "start":
        new = Timer.start(label, seconds, actor, now)
    elif action == "stop":
        if timer is None:
            raise LiveError(_("there is no timer to stop"))
        clear_timer(board)
        return TimerChange(None, problem)
    elif timer is None or state == "done":
        # a whole sentence for each action: a verb translated alone may not fit the slot
        nothing = {
            "pause": _("there is no running or paused timer to pause"),
            "resume": _("there is no running or paused timer to resume"),
            "extend": _("there is no running or paused timer to extend"),
        }
        raise LiveError(nothing[action])
    elif action == "pause":
        if state != "running":
            raise LiveError(_("the timer is already paused"))
        new = timer.paused(now)
    elif action == "resume":
        if state != "paused":
            raise LiveError(_("the timer is not paused"))
        new = timer.resumed(now)
    else:
        new = timer.extended(seconds, now)
    write_timer(board, new)
    if action == "start":
        # two facilitators at the same instant: one rename wins; say which one everyone sees
        won = read_timer(board, now).value
        if won is not None and won.token != new.token:
            return TimerChange(won, problem, lost_to=won)
    return TimerChange(new, problem)


# --- writing -------------------------------------------------------------------------------


def write_timer(board: Path, timer: Timer) -> None:
    """Replace the board's timer (raises `BoardFileError` with the sentence)."""
    _write(board, timer_path(board), asdict(timer))


def write_presenting(board: Path, presenting: Presenting) -> None:
    _write(board, presenting_path(board), asdict(presenting))


def clear_timer(board: Path) -> None:
    _clear(timer_path(board))


def clear_presenting(board: Path) -> None:
    _clear(presenting_path(board))


def _write(board: Path, path: Path, fields: dict[str, Any]) -> None:
    try:
        sidecar_folder(board, path.parent)
        if stat.S_ISLNK(os.lstat(path).st_mode):
            why = _("is a symbolic link, and sprintboard never writes through one")
            raise BoardFileError(path, why)
    except FileNotFoundError:
        pass
    except OSError as error:
        why = _("cannot be written: {reason}").format(reason=error.strerror)
        raise BoardFileError(path, why) from None
    write_atomic(path, json.dumps(fields, sort_keys=True).encode(), sidecar_mode(board))


def _clear(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as error:
        why = _("cannot be removed: {reason}").format(reason=error.strerror)
        raise BoardFileError(path, why) from None

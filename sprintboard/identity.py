"""Who acts, and which member of a board that is: shared by the command line and the app.

A person is known by a name from `--as`, `$SPRINTBOARD_USER`, git's `user.name` or
the login name. Boards know their people by member key (`anna`) and name
("Anna B."); a name that matches a member's key or name (ignoring case and spacing)
acts as that member, so "Nanna Facilitator" in git is `nanna` on a board that
names her so. A name that matches no member acts as itself: recorded in history,
never a co-creator, never a voter; `not_member` says so and how to join.
"""

from __future__ import annotations

import getpass
import re
import shlex
import subprocess
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from .i18n import _, ngettext

if TYPE_CHECKING:  # the app asks who acts before its first frame, without pydantic
    from .model import Board, Member

MAX_NAME = 100
"""Characters in a name: it goes into history entries and the header."""


class Named(Protocol):
    """A member as identity reads one: by name (`model.Member`, the outline's face)."""

    @property
    def name(self) -> str: ...


class IdentityError(ValueError):
    """A name that cannot be recorded as who acted; the message is one line."""


def problem(name: str) -> str | None:
    """Why `name` cannot be recorded as who acted, in words; None when it can."""
    if not name.strip():
        return _("it is blank")
    if len(name) > MAX_NAME:
        longer = ngettext(
            "it is longer than {n} character", "it is longer than {n} characters", MAX_NAME
        )
        return longer.format(n=MAX_NAME)
    # tabs, newlines, escapes and invisible format characters would garble history
    # lines and terminals: a name is one line of characters that show
    bad = next((c for c in name if not c.isprintable()), None)
    if bad is not None:
        return _("it holds a character that does not show (U+{code:04X})").format(code=ord(bad))
    return None


def checked(name: str, source: str) -> str:
    """`name` without surrounding spaces; `IdentityError` naming `source` if unusable."""
    why = problem(name)
    if why is not None:
        shown = repr(name[:40] + ("…" if len(name) > 40 else ""))
        unusable = _("{source}: {name} is not a usable name: {why}")
        raise IdentityError(unusable.format(source=source, name=shown, why=why))
    return name.strip()


def whoami(explicit: str | None, environ: Mapping[str, str]) -> str:
    """Who acts: `explicit` (--as), else $SPRINTBOARD_USER, else git's user.name, else the
    login name. A name given on purpose must be usable (`IdentityError`); an unusable one
    found in git or the system is passed over."""
    return given_name(explicit, environ) or found_name()


def given_name(explicit: str | None, environ: Mapping[str, str]) -> str | None:
    """The name given on purpose — `explicit` (--as), else $SPRINTBOARD_USER — checked
    (`IdentityError`); None when neither is given (then `found_name` says who acts).

    Apart from `found_name` so that the app can refuse an unusable name before it
    starts, and ask git (a subprocess) only after its first frame."""
    if explicit is not None:
        return checked(explicit, "--as")
    if environ.get("SPRINTBOARD_USER"):
        return checked(environ["SPRINTBOARD_USER"], "SPRINTBOARD_USER")
    return None


def found_name() -> str:
    """Who acts when nobody said: git's user.name, else the login name, else "unknown"
    (an unusable one is passed over)."""
    for found in (_git_name(), _login_name()):
        if found and problem(found) is None:
            return found.strip()
    return "unknown"


def _git_name() -> str:
    try:
        return subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return ""


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def member_key(members: Mapping[str, Named], actor: str) -> str | None:
    """The member `actor` is: their key, or the one key or name matching it whatever the
    case; None when no member, or more than one, matches."""
    if actor in members:
        return actor
    wanted = _folded(actor)
    for same in (
        [k for k in members if k.casefold() == wanted],
        [k for k, m in members.items() if _folded(m.name) == wanted],
    ):
        if len(same) == 1:
            return same[0]
        if same:
            return None  # two members fit: the person must say which with --as KEY
    return None


def acting(board: Board | None, actor: str) -> str:
    """What `actor` is recorded as on `board`: their member key, or the name itself."""
    if board is None:
        return actor
    return member_key(board.members, actor) or actor


def display_name(members: Mapping[str, Named], who: str) -> str:
    """A person as the app names them: the member's name, else `who` as recorded."""
    key = member_key(members, who)
    return members[key].name if key is not None else who


def suggested_key(actor: str) -> str:
    """A member key made from `actor`'s first word ("Nanna Facilitator" -> nanna)."""
    # accents dropped (José -> jose), other letters a key cannot hold too; a linear pattern
    plain = unicodedata.normalize("NFKD", actor).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", plain)
    key = (words[0] if words else "me")[:60]
    from .model import KEY_PATTERN  # only when a hint is shown: the import stays light

    assert re.match(KEY_PATTERN, key)
    return key


def join_hint(board_argument: str, members: Mapping[str, Member], actor: str) -> str:
    """How `actor` becomes a member, as a command in backquotes and what it does.

    When a member's key is `actor`'s first word (`new --facilitator nanna` made one named
    "nanna"), that is most likely them under another name: the hint renames that member."""
    board = shlex.quote(board_argument)
    name = shlex.quote(actor)
    key = suggested_key(actor)
    if key in members:
        return _(
            "if you are {key}, `sprintboard member {board} {key} --name {name}` "
            "gives that member your name"
        ).format(key=key, board=board, name=name)
    return _(
        "`sprintboard member {board} {key} --name {name} --side internal` adds you "
        "(or --side external)"
    ).format(key=key, board=board, name=name)


def joins_as(members: Mapping[str, Named], actor: str, key: str, name: str) -> bool:
    """Whether setting member `key` to `name` is `actor` joining the team as `join_hint`
    offers: someone who is no member yet, taking the key made from their name and their
    own name as the member's. Open to anyone, facilitators named or not: the team grows
    by people adding themselves."""
    return (
        member_key(members, actor) is None
        and key == suggested_key(actor)
        and _folded(name) == _folded(actor)
    )


def not_member(board: Board, actor: str, board_argument: str) -> str | None:
    """One line saying that `actor` is not a member and how to join; None when they are,
    or when the board has no members yet (a board without a team has no one to join)."""
    if not board.members or member_key(board.members, actor) is not None:
        return None
    return _(
        "you act as {actor}, who is not a member of this board (members: {members}): "
        "{hint}; `--as KEY` acts as a member"
    ).format(
        actor=repr(actor),
        members=", ".join(sorted(board.members)),
        hint=join_hint(board_argument, board.members, actor),
    )

"""One invitation as the program holds it, and as the store file keeps it (JSON)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

State = Literal["active", "expired", "used", "revoked"]
Kind = Literal["code", "key", "link"]


class InvitationError(Exception):
    """The store cannot be used, or a key is not one; one sentence, with the path where
    there is one."""


@dataclass(frozen=True)
class Invitation:
    """One invitation: it lets `member` onto `board`, with a code, a bound key or a link
    (opened once, by the one browser that keeps it)."""

    id: str
    """Public and short (``k7q2mx``): shown by `invites`, used by `revoke`."""
    board: Path
    """The board file, absolute."""
    member: str
    """The member's key on that board."""
    kind: Kind
    created: datetime
    expires: datetime | None
    once: bool
    """Ends at its first use."""
    uses: int
    last_used: datetime | None
    revoked: datetime | None
    key: str | None
    """Kind "key": ``ssh-ed25519 AAAA…`` (type and base64, no comment)."""
    by: str
    """Who invited."""
    opened: datetime | None = None
    """Kind "link": when its link was first opened (None: not yet); a link opens once."""
    language: str | None = None
    """The language the guest is spoken to in (one of `language.available()`); None: the
    client's (its locale over SSH, the browser's Accept-Language)."""

    def state(self, now: datetime) -> State:
        """What it is at `now`: revoked before used before expired."""
        if self.revoked is not None:
            return "revoked"
        if self.once and self.uses >= 1:
            return "used"
        if self.expires is not None and now >= self.expires:
            return "expired"
        return "active"

    def ended(self) -> datetime | None:
        """When it stopped being usable for good, as far as the record says (None: it has
        not, or only its expiry will tell)."""
        if self.revoked is not None:
            return self.revoked
        if self.once and self.uses >= 1:
            return self.last_used
        return self.expires


@dataclass(frozen=True)
class Record:
    """An invitation with what the store keeps of its code."""

    invitation: Invitation
    digest: bytes | None  # a code's scrypt hash, a link token's SHA-256; None for a key


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


class Shape(Exception):
    """The file is not the store's shape (turned into one sentence naming it)."""


def _read_time(record: dict[str, Any], name: str, optional: bool = True) -> datetime | None:
    value = record.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise Shape(name)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Shape(name) from None
    if moment.tzinfo is None:
        raise Shape(name)
    return moment


def read_text(record: dict[str, Any], name: str) -> str:
    """The non-empty text `record[name]`; `Shape` naming it otherwise."""
    value = record.get(name)
    if not isinstance(value, str) or not value:
        raise Shape(name)
    return value


def read_record(record: Any) -> Record:
    """One record of the file; `Shape` naming the first wrong field."""
    if not isinstance(record, dict):
        raise Shape("invitation")
    kind = record.get("kind")
    if kind not in ("code", "key", "link"):
        raise Shape("kind")
    uses = record.get("uses")
    if not isinstance(uses, int) or isinstance(uses, bool) or uses < 0:
        raise Shape("uses")
    once = record.get("once")
    if not isinstance(once, bool):
        raise Shape("once")
    board = Path(read_text(record, "board"))
    if not board.is_absolute():
        raise Shape("board")
    key: str | None = None
    digest: bytes | None = None
    try:
        if kind == "key":
            key = read_text(record, "key")
        else:
            digest = bytes.fromhex(read_text(record, "hash"))
            if kind == "link" and len(digest) != 32:  # a SHA-256, or no link opens with it
                raise ValueError
    except ValueError:
        raise Shape("hash") from None
    created = _read_time(record, "created", optional=False)
    assert created is not None
    invitation = Invitation(
        id=read_text(record, "id"),
        board=board,
        member=read_text(record, "member"),
        kind=kind,
        created=created,
        expires=_read_time(record, "expires"),
        once=once,
        uses=uses,
        last_used=_read_time(record, "last_used"),
        revoked=_read_time(record, "revoked"),
        key=key,
        by=read_text(record, "by"),
        # a file written before links has no "opened": nothing in it was ever opened
        opened=_read_time(record, "opened") if kind == "link" else None,
        language=_read_language(record.get("language")),
    )
    return Record(invitation, digest)


@cache
def spoken() -> frozenset[str]:
    """The languages an invitation may name: those the program has a catalogue for (read
    once: a store of a thousand records would list the folder a thousand times)."""
    from ..i18n import language

    return frozenset(language.available())


def _read_language(value: Any) -> str | None:
    """A stored language when it is one the program speaks; None otherwise (a file
    written before languages has none). Never an error, never trusted: the value ends
    up on a guest app's command line, so only a known code gets there."""
    return value if isinstance(value, str) and value in spoken() else None


def write_record(record: Record) -> dict[str, Any]:
    """One record as the file keeps it."""
    invitation = record.invitation
    return {
        "id": invitation.id,
        "board": str(invitation.board),
        "member": invitation.member,
        "kind": invitation.kind,
        "created": _time(invitation.created),
        "expires": _time(invitation.expires),
        "once": invitation.once,
        "uses": invitation.uses,
        "last_used": _time(invitation.last_used),
        "revoked": _time(invitation.revoked),
        "key": invitation.key,
        "by": invitation.by,
        "opened": _time(invitation.opened),
        "language": invitation.language,
        "hash": None if record.digest is None else record.digest.hex(),
    }

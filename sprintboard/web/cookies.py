"""The browser's credential: the ``sprintboard`` cookie, ``ID.EXPIRES.SIG``.

Opening a link once gives the browser this cookie; every later request shows it. ID is
the invitation's public id, EXPIRES the moment (unix seconds) the cookie stops being
good (the invitation's expiry), SIG an HMAC-SHA256 of both with a 32-byte key kept in
the state folder (`KEY_FILE`, 0600), so the cookie survives a restart of the server and
nobody without the key can make one. A valid signature only says the server made it:
the server still asks the store whether the invitation is active (`server`).
Free of aiohttp: plain bytes and text.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..i18n import _
from ..state import StateError, read_private, write_private

NAME = "sprintboard"
"""The cookie's name."""
KEY_FILE = "web-cookie-key"
KEY_BYTES = 32
LONGEST = 256
"""Characters of a cookie looked at: an id, ten digits and 43 of signature fit in far less."""
UNBOUNDED = timedelta(days=30)
"""How long the cookie of an invitation without an expiry is good for (its link is
opened only once, so the cookie is what lets the guest back in; it cannot be for ever)."""
_SHAPE = re.compile(r"([a-z0-9]{1,32})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})")


@dataclass(frozen=True)
class Credential:
    """What a valid cookie says: which invitation, good until when."""

    invitation: str
    expires: datetime


def load_or_create_key(folder: Path) -> bytes:
    """The signing key in `folder` (the state folder), made when there is none.
    `StateError` when it cannot be read or made, or is not a key."""
    path = folder / KEY_FILE
    data = read_private(path, limit=1024)
    if data is not None:
        if len(data) != KEY_BYTES:
            raise StateError(
                _("{path}: not a cookie key ({count} bytes, not 32): remove it").format(
                    path=path, count=len(data)
                )
            )
        return data
    key = secrets.token_bytes(KEY_BYTES)
    write_private(path, key)
    return key


def _signature(key: bytes, invitation: str, expires: int) -> str:
    mac = hmac.new(key, f"{invitation}.{expires}".encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")


def expiry(expires: datetime | None, now: datetime) -> datetime:
    """When the cookie of an invitation that `expires` then ends (`UNBOUNDED` when never)."""
    return expires if expires is not None else now + UNBOUNDED


def sign(key: bytes, invitation: str, expires: datetime) -> str:
    """The cookie's value for `invitation`, good until `expires`."""
    moment = int(expires.timestamp())
    return f"{invitation}.{moment}.{_signature(key, invitation, moment)}"


def verify(key: bytes, value: str | None, now: datetime) -> Credential | None:
    """What the cookie `value` says when it is one this key signed and it has not
    expired; None otherwise (missing, malformed, oversized, forged, expired). The
    signature is compared in constant time."""
    if value is None or len(value) > LONGEST:
        return None
    found = _SHAPE.fullmatch(value)
    if found is None:
        return None
    invitation, moment, given = found.group(1), int(found.group(2)), found.group(3)
    if not hmac.compare_digest(_signature(key, invitation, moment), given):
        return None
    try:
        expires = datetime.fromtimestamp(moment, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    if now >= expires:
        return None
    return Credential(invitation, expires)

"""The tokens of link invitations: made, checked for their shape, and hashed.

A token is `secrets.token_urlsafe(32)`: 256 random bits in 43 URL-safe characters. Only its
SHA-256 is stored; a slow hash (as codes have) buys nothing against 2**256 guesses, and a
fast one lets the web entry check a link without spending 30 ms of a core on it.
"""

from __future__ import annotations

import hashlib
import re
import secrets

TOKEN_BYTES = 32
TOKEN_LENGTH = 43
"""Characters of a token: 32 bytes in unpadded URL-safe base64."""
# 43 characters hold 258 bits: the last one carries 4 of the 32 bytes' bits and two zero
# bits, so only every fourth symbol of the alphabet can end a token that was made
_TOKEN = re.compile(r"[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]")


def new_token() -> str:
    """A fresh random token (shown once, in the link; never kept)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    assert is_token(token)
    return token


def is_token(text: str) -> bool:
    """Whether `text` has a token's shape (length and alphabet): anything else is refused
    before it is hashed."""
    return len(text) == TOKEN_LENGTH and _TOKEN.fullmatch(text) is not None


def token_digest(token: str) -> bytes:
    """The stored form of a token (one of `is_token`'s shape)."""
    return hashlib.sha256(token.encode("ascii")).digest()

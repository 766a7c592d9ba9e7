"""Invitations: who may join which board from outside, with what code, key or link.

- `record`: `Invitation` (its public id, the board, the member it lets in, a code, a
  bound public key or a link, its expiry, its uses, when its link was opened) and its
  `state` at a given moment; the JSON form of one record; `InvitationError`.
- `codes`: codes (random, Crockford base32, typed forgivingly, hashed with scrypt) and
  the public key lines an invitation may be bound to.
- `links`: the tokens of link invitations (43 random URL-safe characters, their shape
  checked before they are hashed with SHA-256).
- `store`: `Invitations`, the store, ``invitations.json`` in the state folder (0600),
  changed under an exclusive lock on ``invitations.json.lock`` beside it, so that
  `invite`, `revoke` and a server using codes may all run at once.

A code is never stored: only its scrypt hash, with one salt per store file, so a typed
answer costs one hash whatever the number of invitations. Nor is a link's token: only its
SHA-256 (256 random bits need no slow hash). Nothing here knows SSH or the
terminal app: the browser entry uses the same invitations.
"""

from .codes import ALPHABET, format_code, normal_code, parse_public_key
from .links import TOKEN_LENGTH, is_token
from .record import Invitation, InvitationError, Kind, State
from .store import KEPT, Invitations

__all__ = [
    "ALPHABET",
    "KEPT",
    "TOKEN_LENGTH",
    "Invitation",
    "InvitationError",
    "Invitations",
    "Kind",
    "State",
    "format_code",
    "is_token",
    "normal_code",
    "parse_public_key",
]

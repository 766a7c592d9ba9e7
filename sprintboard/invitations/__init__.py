"""Invitations: who may join which board from outside, with what code or key.

- `record`: `Invitation` (its public id, the board, the member it lets in, a code or a
  bound public key, its expiry, its uses) and its `state` at a given moment; the JSON
  form of one record; `InvitationError`.
- `codes`: codes (random, Crockford base32, typed forgivingly, hashed with scrypt) and
  the public key lines an invitation may be bound to.
- `store`: `Invitations`, the store, ``invitations.json`` in the state folder (0600),
  changed under an exclusive lock on ``invitations.json.lock`` beside it, so that
  `invite`, `revoke` and a server using codes may all run at once.

A code is never stored: only its scrypt hash, with one salt per store file, so a typed
answer costs one hash whatever the number of invitations. Nothing here knows SSH or the
terminal app: the browser entry uses the same invitations.
"""

from .codes import ALPHABET, format_code, normal_code, parse_public_key
from .record import Invitation, InvitationError, Kind, State
from .store import KEPT, Invitations

__all__ = [
    "ALPHABET",
    "KEPT",
    "Invitation",
    "InvitationError",
    "Invitations",
    "Kind",
    "State",
    "format_code",
    "normal_code",
    "parse_public_key",
]

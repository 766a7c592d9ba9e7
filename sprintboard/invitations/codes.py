"""The codes and keys of invitations: what a code looks like, typed and hashed, and what
public key line an invitation may be bound to."""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from dataclasses import dataclass

from ..i18n import _
from .record import InvitationError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base32: no I, L, O or U, so a code read aloud or typed is not misread."""
CODE_LENGTH = 9
ID_LENGTH = 6
MAX_TYPED = 64
"""A longer answer is refused before it is hashed: hashing costs memory and time."""
KEY_TYPES = frozenset(
    {
        "ssh-ed25519",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "ssh-rsa",
        "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    }
)
MAX_KEY_LINE = 16 * 1024

# scrypt at 8 MiB of memory: about 30 ms a hash on this shared 2-core machine (2**14 took
# 65-70 ms, a quarter of the guest's whole wait beyond the app's own start; bench/ssh.py).
# Guessing 45 bits offline from a stolen file still takes 2**44 hashes on average, some
# 16,000 core-years; online, three tries a connection and the throttle bound it. The bound
# on COSTS keeps a tampered file from asking for gigabytes
COST = 13
"""scrypt's N is 2**COST for a new store file; each file says its own (`Hashing`), so a
change of the default leaves the codes of existing files working."""
COSTS = range(10, 18)
"""The costs a file may name: at most 128 MiB a hash (scrypt takes 128 * r * N bytes)."""
_SCRYPT = {"r": 8, "p": 1, "dklen": 32, "maxmem": 256 << 20}
_TRANSLATE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_DROPPED = str.maketrans("", "", " \t-.")


def new_code() -> str:
    """A fresh random code, in its normal form (``7KQM2X9TD``)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def new_id(taken: set[str]) -> str:
    """A fresh public id (``k7q2mx``), none of `taken`."""
    while True:
        new = "".join(secrets.choice(ALPHABET) for _ in range(ID_LENGTH)).lower()
        if new not in taken:
            return new


def format_code(code: str) -> str:
    """``7KQM29XTD`` → ``7KQ-M2X-9TD``: three groups of three, easy to read out."""
    return "-".join(code[i : i + 3] for i in range(0, len(code), 3))


def normal_code(typed: str) -> str | None:
    """A typed answer as the code it means — case, spaces, dashes and dots do not
    matter, O is 0, I and L are 1 — or None when it cannot be a code at all."""
    if len(typed) > MAX_TYPED:
        return None
    code = typed.upper().translate(_DROPPED).translate(_TRANSLATE)
    if len(code) != CODE_LENGTH or any(symbol not in ALPHABET for symbol in code):
        return None
    return code


def parse_public_key(text: str) -> str:
    """``type base64`` of an OpenSSH public key line (its comment dropped);
    `InvitationError` (one sentence, no path) when it is not one of the allowed kinds."""
    if "PRIVATE KEY" in text:
        raise InvitationError(
            _("is a private key; give the public half (the .pub file) and keep this one secret")
        )
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) != 1 or len(lines[0]) > MAX_KEY_LINE:
        raise InvitationError(_("is not one OpenSSH public key line"))
    fields = lines[0].split()
    if len(fields) < 2:
        raise InvitationError(_("is not one OpenSSH public key line"))
    kind, encoded = fields[0], fields[1]
    if kind not in KEY_TYPES:
        raise InvitationError(
            _("is not a public key of a kind the SSH entry accepts (ssh-ed25519, ecdsa, ssh-rsa)")
        )
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise InvitationError(_("is not an OpenSSH public key: its key is not base64")) from None
    size = int.from_bytes(blob[:4], "big") if len(blob) >= 4 else -1
    if size != len(kind) or blob[4 : 4 + size] != kind.encode("ascii") or len(blob) <= 4 + size:
        raise InvitationError(_("is not an OpenSSH public key: its key does not match its type"))
    return f"{kind} {encoded}"


@dataclass(frozen=True)
class Hashing:
    """How one store file hashes its codes: its salt (made with the file) and its cost."""

    salt: bytes
    cost: int = COST

    @classmethod
    def new(cls) -> Hashing:
        return cls(secrets.token_bytes(16))

    def hash(self, code: str) -> bytes:
        """The stored form of a code (in its normal form)."""
        return hashlib.scrypt(code.encode("ascii"), salt=self.salt, n=2**self.cost, **_SCRYPT)

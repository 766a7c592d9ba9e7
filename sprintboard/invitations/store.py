"""The store of invitations: ``invitations.json`` in the state folder, changed under a lock."""

from __future__ import annotations

import errno
import fcntl
import hmac
import json
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from ..i18n import _
from ..state import StateError, read_private, write_private
from .codes import COSTS, Hashing, format_code, new_code, new_id, normal_code, parse_public_key
from .links import is_token, new_token, token_digest
from .record import (
    Invitation,
    InvitationError,
    Kind,
    Record,
    Shape,
    read_record,
    read_text,
    spoken,
    write_record,
)

FILE = "invitations.json"
LOCK = FILE + ".lock"
LIMIT = 4 << 20
"""The most bytes the store file may have (thousands of invitations fit in far less)."""
KEPT = timedelta(days=30)
"""How long an ended invitation stays in the store (for `invites --all`)."""


class Invitations:
    """The invitations of this machine: ``invitations.json`` in the state folder."""

    def __init__(self, folder: Path) -> None:
        """`folder`: the state folder (`state.private_dir`); nothing is read yet."""
        self.folder = folder
        self.path = folder / FILE
        """The store file."""
        self._seen: tuple[tuple[int, int, int, int], Hashing, list[Record]] | None = None

    # reading

    def _cached(self) -> tuple[Hashing | None, list[Record]]:
        """`_read`, parsed again only when the file changed: a server asks at every login,
        and a thousand invitations take longer to parse than the hash. A change the
        stat misses could only show a revoked invitation as active for a moment: `use`
        reads afresh under the lock, and refuses it."""
        try:
            info = os.lstat(self.path)
        except OSError:
            return self._read()
        key = (info.st_ino, info.st_mtime_ns, info.st_ctime_ns, info.st_size)
        if self._seen is not None and self._seen[0] == key:
            return self._seen[1], list(self._seen[2])
        hashing, records = self._read()
        if hashing is not None and stat.S_ISREG(info.st_mode):
            self._seen = (key, hashing, list(records))
        return hashing, records

    def _read(self) -> tuple[Hashing | None, list[Record]]:
        """How codes are hashed (None before the first invitation) and every record."""
        try:
            data = read_private(self.path, limit=LIMIT)
        except StateError as error:
            raise InvitationError(str(error)) from None
        if data is None:
            return None, []
        try:
            document = json.loads(data.decode("utf-8"))
            if not isinstance(document, dict) or document.get("version") != 1:
                raise Shape("version")
            salt = bytes.fromhex(read_text(document, "salt"))
            cost = document.get("cost")
            if not isinstance(cost, int) or cost not in COSTS or len(salt) < 16:
                raise Shape("cost" if len(salt) >= 16 else "salt")
            records = document.get("invitations")
            if not isinstance(records, list):
                raise Shape("invitations")
            return Hashing(salt, cost), [read_record(record) for record in records]
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise InvitationError(
                _("{path}: is not an invitations file (not JSON); it was left as it is").format(
                    path=self.path
                )
            ) from None
        except (Shape, ValueError) as error:
            raise InvitationError(
                _(
                    "{path}: is not an invitations file ({field} is wrong); it was left as it is"
                ).format(path=self.path, field=error)
            ) from None

    def all(self) -> list[Invitation]:
        """Every kept invitation, oldest first."""
        return [record.invitation for record in self._cached()[1]]

    def get(self, id: str) -> Invitation | None:  # noqa: A002 (the name callers agreed on)
        """The invitation `id`, None when there is none."""
        return next((invitation for invitation in self.all() if invitation.id == id), None)

    def match_code(self, typed: str, now: datetime) -> Invitation | None:
        """The active invitation whose code `typed` is (typed forgivingly), else None.

        One hash per answer; every code's hash is compared in constant time, so the time
        taken says nothing about which one came close."""
        code = normal_code(typed)
        if code is None:
            return None
        hashing, records = self._cached()
        if hashing is None:
            return None
        digest = hashing.hash(code)
        found: Invitation | None = None
        for record in records:
            if (
                record.invitation.kind == "code"
                and record.digest is not None
                and hmac.compare_digest(record.digest, digest)
            ):
                found = record.invitation
        return found if found is not None and found.state(now) == "active" else None

    def match_link(self, token: str) -> Invitation | None:
        """The link invitation whose token `token` is, in whatever state (so that the web
        entry can say why it refuses one: opened already, expired, revoked); None when no
        invitation has it, and at once, unhashed, when it has no token's shape.

        Every link's hash is compared in constant time, as `match_code` does."""
        if not is_token(token):
            return None
        digest = token_digest(token)
        found: Invitation | None = None
        for record in self._cached()[1]:
            if (
                record.invitation.kind == "link"
                and record.digest is not None
                and hmac.compare_digest(record.digest, digest)
            ):
                found = record.invitation
        return found

    def match_key(self, key: str, now: datetime) -> list[Invitation]:
        """The active invitations bound to public key `key` (an OpenSSH line, e.g.
        ``key.export_public_key().decode()``); its comment does not matter."""
        try:
            wanted = parse_public_key(key)
        except InvitationError:
            return []
        return [
            invitation
            for invitation in self.all()
            if invitation.kind == "key"
            and invitation.key is not None
            and hmac.compare_digest(invitation.key.encode(), wanted.encode())
            and invitation.state(now) == "active"
        ]

    def stamp(self) -> tuple[int, int] | None:
        """(mtime_ns, size) of the store file, None when there is none: a server polls it
        to learn, cheaply, that an invitation may have changed (a revocation)."""
        try:
            info = os.lstat(self.path)
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size

    # changing

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the store's lock: every read-modify-write of every process goes in turn."""
        path = self.folder / LOCK
        try:
            fd = os.open(
                path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, 0o600
            )
        except OSError as error:
            if error.errno == errno.ELOOP:
                why = _("is a symbolic link, which sprintboard does not follow here")
            else:
                why = error.strerror or str(error)
            raise InvitationError(
                _("{path}: cannot lock the invitations: {reason}").format(path=path, reason=why)
            ) from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise InvitationError(
                    _("{path}: cannot lock the invitations: not a regular file").format(path=path)
                )
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _write(self, hashing: Hashing, records: list[Record], now: datetime) -> None:
        """Write every record but those that ended more than `KEPT` ago."""
        kept = []
        for record in records:
            ended = record.invitation.ended()
            gone = record.invitation.state(now) != "active" and ended is not None
            if not (gone and ended is not None and now - ended > KEPT):
                kept.append(record)
        document = {
            "version": 1,
            "salt": hashing.salt.hex(),
            "cost": hashing.cost,
            "invitations": [write_record(record) for record in kept],
        }
        try:
            write_private(self.path, (json.dumps(document, indent=1) + "\n").encode("utf-8"))
        except StateError as error:
            raise InvitationError(str(error)) from None

    def _add(
        self,
        board: Path,
        member: str,
        *,
        kind: Kind,
        key: str | None,
        secret: str | None,
        expires: datetime | None,
        once: bool,
        by: str,
        now: datetime,
        language: str | None = None,
    ) -> Invitation:
        if language is not None and language not in spoken():
            # not translated: the caller's bug (the command line offers only these), not a user's
            raise ValueError(f"no catalogue for language {language!r}")
        with self._locked():
            hashing, records = self._read()
            if hashing is None:
                hashing = Hashing.new()
            invitation = Invitation(
                id=new_id({record.invitation.id for record in records}),
                board=board.resolve(),
                member=member,
                kind=kind,
                created=now,
                expires=expires,
                once=once,
                uses=0,
                last_used=None,
                revoked=None,
                key=key,
                by=by,
                language=language,
            )
            digest = None
            if secret is not None:
                digest = token_digest(secret) if kind == "link" else hashing.hash(secret)
            if digest is not None and any(
                record.invitation.kind == kind and record.digest == digest for record in records
            ):
                raise _Collision
            self._write(hashing, [*records, Record(invitation, digest)], now)
            return invitation

    def _add_secret(
        self,
        board: Path,
        member: str,
        *,
        kind: Kind,
        draw: Callable[[], str],
        expires: datetime | None,
        once: bool,
        by: str,
        now: datetime,
        language: str | None = None,
    ) -> tuple[Invitation, str]:
        """A new invitation with a fresh secret from `draw` (a code, a token), and it."""
        while True:
            secret = draw()
            try:
                invitation = self._add(
                    board,
                    member,
                    kind=kind,
                    key=None,
                    secret=secret,
                    expires=expires,
                    once=once,
                    by=by,
                    now=now,
                    language=language,
                )
            except _Collision:  # one in 2**45 per code kept, 2**256 per link: draw again
                continue
            return invitation, secret

    def add_code(
        self,
        board: Path,
        member: str,
        *,
        expires: datetime | None,
        once: bool,
        by: str,
        now: datetime,
        language: str | None = None,
    ) -> tuple[Invitation, str]:
        """A new code invitation, and its code (``7KQ-M2X-9TD``): shown once, never kept.
        `language`: the one its guest is spoken to in (None: their own; so for each kind)."""
        invitation, code = self._add_secret(
            board,
            member,
            kind="code",
            draw=new_code,
            expires=expires,
            once=once,
            by=by,
            now=now,
            language=language,
        )
        return invitation, format_code(code)

    def add_key(
        self,
        board: Path,
        member: str,
        key: str,
        *,
        expires: datetime | None,
        by: str,
        now: datetime,
        language: str | None = None,
    ) -> Invitation:
        """A new invitation bound to public key `key` (an OpenSSH public key line);
        `InvitationError` when it is not one (see `parse_public_key`)."""
        return self._add(
            board,
            member,
            kind="key",
            key=parse_public_key(key),
            secret=None,
            expires=expires,
            once=False,
            by=by,
            now=now,
            language=language,
        )

    def add_link(
        self,
        board: Path,
        member: str,
        *,
        expires: datetime | None,
        by: str,
        now: datetime,
        language: str | None = None,
    ) -> tuple[Invitation, str]:
        """A new link invitation, and its token (`links.new_token`): shown once, in the
        link, never kept; only its SHA-256 is. It is not once-only as a code is: its link
        opens once (`open_link`), and the browser that opened it joins until it ends."""
        return self._add_secret(
            board,
            member,
            kind="link",
            draw=new_token,
            expires=expires,
            once=False,
            by=by,
            now=now,
            language=language,
        )

    def _count(self, id: str, now: datetime, *, opening: bool) -> Invitation | None:  # noqa: A002
        """Count one use of invitation `id` if it is active (and, `opening`, an unopened
        link, then opened at `now`), re-read under the lock; it updated, else None."""
        with self._locked():
            hashing, records = self._read()
            for index, record in enumerate(records):
                invitation = record.invitation
                if (
                    invitation.id == id
                    and invitation.state(now) == "active"
                    and (not opening or (invitation.kind == "link" and invitation.opened is None))
                ):
                    counted = replace(invitation, uses=invitation.uses + 1, last_used=now)
                    if opening:
                        counted = replace(counted, opened=now)
                    records[index] = replace(record, invitation=counted)
                    assert hashing is not None
                    self._write(hashing, records, now)
                    return counted
            return None

    def open_link(self, id: str, now: datetime) -> Invitation | None:  # noqa: A002 (as `get`)
        """Open link invitation `id`: when it is active and not opened yet, stamp it
        opened at `now` and count one use; the updated invitation, else None. Of two
        browsers racing on one link exactly one gets it."""
        return self._count(id, now, opening=True)

    def use(self, id: str, now: datetime) -> Invitation | None:  # noqa: A002 (as `get`)
        """Count one use of invitation `id` if it is still active (re-read under the lock:
        of two sessions racing on a once-only code exactly one gets it); the updated
        invitation, or None when it is not active any more."""
        return self._count(id, now, opening=False)

    def revoke(self, who: str, now: datetime, *, board: Path | None = None) -> list[Invitation]:
        """End every active invitation whose id or member key is `who` (only those of
        `board` when given); the records stay, revoked. The ones ended, oldest first."""
        wanted = None if board is None else board.resolve()
        with self._locked():
            hashing, records = self._read()
            ended: list[Invitation] = []
            for index, record in enumerate(records):
                invitation = record.invitation
                if (
                    who in (invitation.id, invitation.member)
                    and (wanted is None or invitation.board == wanted)
                    and invitation.state(now) == "active"
                ):
                    revoked = replace(invitation, revoked=now)
                    records[index] = replace(record, invitation=revoked)
                    ended.append(revoked)
            if ended:
                assert hashing is not None
                self._write(hashing, records, now)
            return ended


class _Collision(Exception):
    """A new code hashed like a kept one (never in practice); the caller draws again."""

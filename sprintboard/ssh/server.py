"""The SSH server: who may in (an invitation's code or key), onto which board, and nothing else.

`start` listens and returns the running `SSHEntry`; `SSHEntry.close` stops it, every
guest's app included. Each connection has its own `_Door` (asyncssh's `SSHServer`):

- the user name is ignored (invitations say ``join@``); no passwords, no host-based
  login. A code is asked for with keyboard-interactive, one prompt, echo off, and
  checked in a thread (a slow hash: other connections go on meanwhile); a public key is
  checked against the key-bound invitations. Three wrong codes close the connection;
  wrong codes from one address are slowed (`throttle`).
- an accepted invitation must name a board of the served folder; its use is recorded
  (`Invitations.use`, which refuses a ``--once`` code another session has just taken).
- one session per connection, given to the `Hub` (`sessions`): no SFTP, SCP, port,
  agent or X11 forwarding, no tun/tap.

A task (`revocation`) watches the invitations file about once a second and ends the
sessions whose invitation has been revoked since they joined. Every event is one line to `log`, with
text from the client made terminal-safe and never a code.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import asyncssh
from asyncssh.auth import KbdIntChallenge, KbdIntResponse

from ..guests import revocation
from ..guests.limits import Guest, Limits, spoken
from ..guests.prompt import PROMPT
from ..i18n import _, language, ngettext
from ..invitations import Invitation, InvitationError, Invitations
from ..safe_text import visible
from . import host_key
from .sessions import Hub
from .throttle import RateLimit, Throttle

WRONG_ANSWERS = 3
"""Wrong codes that close a connection."""
KEYS_PER_CONNECTION = 16
"""Public keys one connection may offer; the rest are refused unchecked (an ssh agent
offers each of its keys, so a few are usual, thousands an attack)."""
LONGEST_ANSWER = 256
"""Characters of a typed code looked at: a code is 9 symbols with some dashes and spaces."""


class EntryError(Exception):
    """The server cannot start; one sentence, with the address."""


def _now() -> datetime:
    return datetime.now(UTC)


def _public_line(key: asyncssh.SSHKey) -> str:
    """The key as invitations hold it: ``ssh-ed25519 AAAA…``, no comment."""
    data = base64.b64encode(key.public_data).decode("ascii")
    return f"{key.get_algorithm()} {data}"


def _ask(instruction: str) -> KbdIntChallenge:
    """The one question of keyboard-interactive, its answer not shown as it is typed."""
    return ("", instruction, language.current(), [(_(PROMPT) + " ", False)])


def _member_name(board: Path, member: str) -> str:
    """The member's name on the board, for the log; the key when the board cannot say."""
    from .. import outline
    from ..storage.files import read_bytes

    try:
        face = outline.read(read_bytes(board).decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        face = None
    found = face.members.get(member) if face is not None else None
    return found.name if found is not None else member


@dataclass
class SSHEntry:
    """A running server: where it listens, its host key's fingerprint, its guests."""

    host: str
    port: int
    fingerprint: str
    boards: Path
    invitations: Invitations
    hub: Hub
    log: Callable[[str], None]
    rate: Throttle
    waiting: int = 128
    """Connections not logged in yet at most; more are closed at once (each may hold the
    login time-out, so without a bound a flood of idle connections would pile up)."""
    _crowded: bool = False
    _server: asyncssh.SSHAcceptor | None = None
    _doors: set[_Door] = field(default_factory=set)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def close(self) -> None:
        """Stop listening, end every guest's app and connection, and the poll."""
        for task in self._tasks:
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        await self.hub.close()
        doors = list(self._doors)
        for door in doors:
            door.close()
        for door in doors:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(door.closed(), 10)

    def admits(self, invitation: Invitation) -> bool:
        """Whether the invitation's board is in the served folder (logged when not)."""
        if invitation.board.parent == self.boards:
            return True
        self.log(
            _("refused invitation {id}: its board {board} is not in {folder}").format(
                id=invitation.id, board=visible(str(invitation.board)), folder=self.boards
            )
        )
        return False

    def joined(self) -> set[str]:
        """The invitations of the guests in now."""
        return {door.guest.invitation for door in self._doors if door.guest is not None}

    def end_revoked(self, revoked: set[str]) -> None:
        """Say goodbye to the guests of these revoked invitations and end their sessions."""
        ended = self.hub.end(revoked, lambda: _("Your invitation was revoked."))
        for door in list(self._doors):
            if door.guest is not None and door.guest.invitation in revoked and not door.sessions:
                door.close()  # in, but no app yet: nothing to say goodbye in
        self.log(
            ngettext(
                "revoked {ids}: {count} session ended",
                "revoked {ids}: {count} sessions ended",
                ended,
            ).format(ids=", ".join(sorted(revoked)), count=ended)
        )


class _Door(asyncssh.SSHServer):
    """One connection: its authentication, then its one session."""

    def __init__(self, entry: SSHEntry) -> None:
        self.entry = entry
        self.peer = "?"
        self.host = ""
        self.user = ""
        self.guest: Guest | None = None
        self.sessions = 0
        self._conn: asyncssh.SSHServerConnection | None = None
        self._wrong = 0
        self._keys = 0
        self._key_offer: Invitation | None = None
        self._admission: asyncio.Future[bool] | None = None
        self._gone = asyncio.Event()
        # the invitation's once known; till then the server's (no client locale before the code)
        self.language: str | None = None

    # --- the connection ---------------------------------------------------------------

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        peer = conn.get_extra_info("peername") or ("?", 0)
        self.host = str(peer[0])
        self.peer = f"[{self.host}]:{peer[1]}" if ":" in self.host else f"{self.host}:{peer[1]}"
        entry = self.entry
        if sum(door.guest is None for door in entry._doors) >= entry.waiting:
            if not entry._crowded:  # once per crowd, not once per connection
                entry.log(
                    _("too many connections logging in at once ({count}): closing new ones").format(
                        count=entry.waiting
                    )
                )
            entry._crowded = True
            conn.close()
            return
        entry._crowded = False
        entry._doors.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.entry._doors.discard(self)
        self._gone.set()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        else:
            self._gone.set()

    async def closed(self) -> None:
        await self._gone.wait()

    def _log(self, text: str) -> None:
        self.entry.log(text)

    # --- authentication ---------------------------------------------------------------

    def begin_auth(self, username: str) -> bool:
        # any name will do ("join@" in the invitation); kept only to pick among the
        # boards a key is invited to, and bounded
        self.user = username[:128]
        return True

    def password_auth_supported(self) -> bool:
        return False

    def host_based_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return True

    def public_key_auth_supported(self) -> bool:
        return True

    def get_kbdint_challenge(self, username: str, lang: str, submethods: str) -> KbdIntChallenge:
        return _ask("")

    async def validate_kbdint_response(
        self, username: str, responses: KbdIntResponse
    ) -> KbdIntChallenge:
        # an answer arriving before the last one's verdict cancels that check (asyncssh),
        # so answers sent without waiting buy no verdicts, and each counts against the
        # address (below): a flood of them soon waits instead of hashing
        throttle = self.entry.rate
        wait = throttle.wait(self.host)
        # counted before it is checked, so answers arriving at once on other connections
        # from this address wait their turn too; a right code forgets them all
        throttle.failed(self.host)
        if wait > 0:
            await asyncio.sleep(wait)
        typed = responses[0][:LONGEST_ANSWER] if len(responses) == 1 else ""
        now = _now()
        try:
            found = await asyncio.to_thread(self.entry.invitations.match_code, typed, now)
        except InvitationError as error:
            return self._trouble(error)
        if found is None:
            self._wrong += 1
            self._log(
                _("{peer}: wrong invitation code ({count} of {most})").format(
                    peer=self.peer, count=self._wrong, most=WRONG_ANSWERS
                )
            )
            if self._wrong >= WRONG_ANSWERS:
                self._goodbye(lambda: _("Too many wrong invitation codes."))
                return False
            # asked again in the same exchange: clients try keyboard-interactive once
            return _ask(_("That is not a valid invitation code. Try again."))
        throttle.succeeded(self.host)
        return await self._admit(found, now)

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        self._keys += 1
        if self._keys > KEYS_PER_CONNECTION:
            return False
        if self._key_offer is not None and _public_line(key) == self._key_offer.key:
            return True  # the same key again, now signed: asyncssh checks the signature
        try:
            found = await asyncio.to_thread(
                self.entry.invitations.match_key, _public_line(key), _now()
            )
        except InvitationError as error:
            return self._trouble(error)
        admitted = [i for i in found if self.entry.admits(i)]
        if not admitted:
            if self._keys == 1:  # once per connection: agents offer several keys
                self._log(_("{peer}: a public key no invitation names").format(peer=self.peer))
            return False
        # one key invited to several boards: the user name picks one by its file name,
        # else the newest invitation
        named = [i for i in admitted if i.board.stem == self.user]
        self._key_offer = max(named or admitted, key=lambda i: i.created)
        self.language = self._key_offer.language
        return True

    def auth_completed(self) -> None:
        if self.guest is None and self._key_offer is not None:
            # a key counts only once its signature checked out, so its use is recorded
            # now; asyncssh has already said yes, so a session asked for meanwhile waits
            self._admission = asyncio.ensure_future(self._admit_key(self._key_offer))

    async def _admit_key(self, invitation: Invitation) -> bool:
        if await self._admit(invitation, _now()):
            return True
        self._goodbye(lambda: _("Your invitation is no longer valid."))
        return False

    async def _admit(self, invitation: Invitation, now: datetime) -> bool:
        if not self.entry.admits(invitation):
            return False
        try:
            used = await asyncio.to_thread(self.entry.invitations.use, invitation.id, now)
        except InvitationError as error:
            return self._trouble(error)
        if used is None:
            self._log(
                _("{peer}: invitation {id} was used or revoked meanwhile").format(
                    peer=self.peer, id=invitation.id
                )
            )
            return False
        name = await asyncio.to_thread(_member_name, used.board, used.member)
        self.language = used.language
        self.guest = Guest(used.id, used.board, used.member, name, self.peer, used.language)
        return True

    def _trouble(self, error: InvitationError) -> bool:
        """The invitations cannot be read or written: nobody is let in, and the log says why."""
        self._log(
            _("{peer}: refused: the invitations cannot be used: {error}").format(
                peer=self.peer, error=visible(str(error))
            )
        )
        return False

    def _goodbye(self, why: Callable[[], str]) -> None:
        """Disconnect saying `why` (made in the guest's language; the log's in the server's)."""
        self._log(_("{peer}: disconnected: {why}").format(peer=self.peer, why=why()))
        if self._conn is not None:
            said = spoken(self.language, why)
            self._conn.disconnect(asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE, said)

    # --- what an admitted guest may open ---------------------------------------------

    def session_requested(
        self,
    ) -> asyncssh.SSHServerSession[bytes] | Awaitable[asyncssh.SSHServerSession[bytes]] | bool:
        if self.sessions:
            return False  # one board per connection
        if self.guest is not None:
            self.sessions += 1
            return self.entry.hub.session(self.guest)
        if self._admission is not None:
            self.sessions += 1
            return self._session_once_admitted(self._admission)
        return False

    async def _session_once_admitted(
        self, admission: asyncio.Future[bool]
    ) -> asyncssh.SSHServerSession[bytes]:
        if not await admission or self.guest is None:
            why = spoken(self.language, lambda: _("Your invitation is no longer valid."))
            raise asyncssh.ChannelOpenError(asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, why)
        return self.entry.hub.session(self.guest)

    def connection_requested(self, dest_host: str, dest_port: int, *_args: object) -> bool:
        self._log(_("{peer}: refused a port forwarding").format(peer=self.peer))
        return False

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        self._log(_("{peer}: refused a port forwarding").format(peer=self.peer))
        return False

    def unix_connection_requested(self, dest_path: str) -> bool:
        return False

    def unix_server_requested(self, listen_path: str) -> bool:
        return False

    def tun_requested(self, unit: int | None) -> bool:
        return False

    def tap_requested(self, unit: int | None) -> bool:
        return False


async def start(
    boards: Path,
    *,
    state_folder: Path,
    log: Callable[[str], None],
    host: str = "127.0.0.1",
    port: int = 2222,
    limits: Limits | None = None,
    rate: RateLimit | None = None,
    poll: float = 1.0,
    waiting: int = 128,
) -> SSHEntry:
    """Serve the boards of `boards` on `host`:`port` (0: any free port; `SSHEntry.port`
    says which). `EntryError` when it cannot listen; `state.StateError` when the host key
    cannot be read or made."""
    limits = limits or Limits()
    key = host_key.load_or_create(state_folder)
    entry = SSHEntry(
        host=host,
        port=port,
        fingerprint=host_key.fingerprint(key),
        boards=boards.resolve(),
        invitations=Invitations(state_folder),
        hub=Hub(limits, log),
        log=log,
        rate=Throttle(rate or RateLimit()),
        waiting=waiting,
    )
    try:
        server = await asyncssh.create_server(
            lambda: _Door(entry),
            host,
            port,
            server_host_keys=[key],
            server_version="sprintboard",
            login_timeout=limits.login,
            encoding=None,
            line_editor=False,
            password_auth=False,
            kbdint_auth=True,
            public_key_auth=True,
            host_based_auth=False,
            gss_host=None,
            sftp_factory=None,
            allow_scp=False,
            agent_forwarding=False,
            x11_forwarding=False,
            keepalive_interval=60,
            reuse_address=True,
        )
    except OSError as error:
        raise EntryError(
            _("cannot listen on {host}:{port}: {reason}").format(
                host=visible(host), port=port, reason=error.strerror or error
            )
        ) from None
    entry._server = server
    entry.port = server.get_port()
    task = asyncio.create_task(
        revocation.watch(entry.invitations, entry.joined, entry.end_revoked, log, poll)
    )
    entry._tasks.add(task)
    entry.log(
        _("listening on {host}:{port}, host key {fingerprint}").format(
            host=visible(host), port=entry.port, fingerprint=entry.fingerprint
        )
    )
    return entry

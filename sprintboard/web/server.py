"""The browser entry's server: who may in (a link once, then its cookie), onto which board.

`start` listens and returns the running `WebEntry`; `WebEntry.close` stops it, every
guest's app included. The routes, all GET:

- ``/join/{token}``: a link invitation's token (`Invitations.match_link`). An active,
  unopened one is opened (`open_link`: of two opens racing, one wins) and the browser
  gets the cookie (`cookies`) and a page that goes on to ``/``, so the token stays
  neither in the address bar nor in the history. The browser that already holds this
  invitation's cookie just goes on (the guest clicked the mail twice). Anything else
  is a 403 page saying why and what to do.
- ``/``: the board's page for a valid cookie (`pages.board`), else a 403 page.
- ``/ws``: a valid cookie and the page's own Origin, else 403 before the upgrade; then
  one app per websocket (`session.Hub`).
- ``/warm``: the board page's script asks, before textual.js has loaded, for its app
  to be started at the window's size (`warm`), so the two waits overlap.
- ``/download/{key}``: a file the app of that same invitation delivers (`downloads`).
- ``/static/{name}``: textual-serve's script and style sheet (`assets`).

Every request with a cookie asks the store again whether its invitation is still
active: a revoked or expired one is refused at once. A task (`guests.revocation`)
ends the open pages of a revoked invitation within about a second. Every event is one
line to `log`, its text made terminal-safe and never a token or a cookie.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web

from ..guests import revocation
from ..guests.child import bounded_size
from ..guests.limits import Guest, Limits, Say, spoken
from ..i18n import _, language, ngettext
from ..invitations import Invitation, InvitationError, Invitations
from ..safe_text import visible
from . import cookies, languages, pages, responses
from .assets import asset
from .session import LONGEST_MESSAGE, Hub
from .warm import WAIT


class EntryError(Exception):
    """The server cannot start; one sentence, with the address."""


def _now() -> datetime:
    return datetime.now(UTC)


def _board_names(board: Path, member: str) -> tuple[str, str]:
    """The board's title and the member's name on it (the file's stem and the key
    when the board cannot say)."""
    from .. import outline
    from ..storage.errors import BoardFileError
    from ..storage.files import read_bytes

    try:
        face = outline.read(read_bytes(board).decode("utf-8"))
    except (OSError, BoardFileError, UnicodeDecodeError, ValueError):
        face = None
    if face is None:
        return board.stem, member
    found = face.members.get(member)
    return face.title, found.name if found is not None else member


@dataclass
class WebEntry:
    """A running server: where it listens, its guests' pages."""

    host: str
    port: int
    boards: Path
    invitations: Invitations
    hub: Hub
    log: Callable[[str], None]
    key: bytes
    public_url: str | None = None
    """The origin guests reach the server at (``https://board.example.org``), when given."""
    speaking: str = language.SOURCE
    """The server's own language: its log's, and a page's when the browser wants none
    the server has."""
    languages: tuple[str, ...] = (language.SOURCE,)
    """The languages there are catalogues for (listed once, not at every request)."""
    _runner: web.AppRunner | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def secure(self) -> bool:
        return self.public_url is not None and self.public_url.startswith("https:")

    async def close(self) -> None:
        """Stop listening, end every guest's app, and the poll."""
        for task in self._tasks:
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.hub.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def end_revoked(self, revoked: set[str]) -> None:
        """End the pages of these revoked invitations."""
        ended = self.hub.end(revoked, lambda: _("Your invitation was revoked."))
        self.log(
            ngettext(
                "revoked {ids}: {count} session ended",
                "revoked {ids}: {count} sessions ended",
                ended,
            ).format(ids=", ".join(sorted(revoked)), count=ended)
        )

    def _speak(self, invitation: Invitation) -> None:
        """From now on in this request, the language `invitation` names, if it names one."""
        languages.switch(invitation.language)

    def _language(self) -> str:
        """The language this request speaks: the guest's app gets it as its ``--lang``."""
        return languages.spoken_here(self.speaking)

    def _note(self, line: Say) -> None:
        """Log `line`, made in the server's language (not the request's guest's)."""
        self.log(spoken(self.speaking, line))

    # --- what a request is worth ---------------------------------------------------

    def _origin(self, request: web.Request) -> str:
        """The origin the page was served from: the public URL, else this Host over http."""
        return self.public_url or f"http://{request.host}"

    def _websocket_url(self, request: web.Request) -> str:
        origin = self._origin(request)
        return (
            ("wss" if origin.startswith("https:") else "ws") + origin[origin.index(":") :] + "/ws"
        )

    def _peer(self, request: web.Request) -> str:
        return visible(request.remote or "?")

    async def _holder(self, request: web.Request, *, speak: bool = True) -> Invitation | None:
        """The active link invitation whose valid cookie this request carries, else None;
        the request speaks its language from now on (`speak`)."""
        now = _now()
        found = cookies.verify(self.key, request.cookies.get(cookies.NAME), now)
        if found is None:
            return None
        try:
            invitation = await asyncio.to_thread(self.invitations.get, found.invitation)
        except InvitationError as error:
            self._trouble(request, error)
            return None
        if invitation is None or invitation.kind != "link" or invitation.state(now) != "active":
            return None
        if invitation.board.parent != self.boards:
            return None
        if speak:
            self._speak(invitation)
        return invitation

    def _trouble(self, request: web.Request, error: InvitationError) -> None:
        peer = self._peer(request)
        self._note(
            lambda: _("{peer}: refused: the invitations cannot be used: {error}").format(
                peer=peer, error=visible(str(error))
            )
        )

    def _refuse(
        self, request: web.Request, why: Say, title: str, text: str, status: int = 403
    ) -> web.Response:
        """A refusal page (`title`, `text`: the guest's language), logged (`why`: the server's)."""
        peer = self._peer(request)
        self._note(lambda: _("{peer}: refused: {why}").format(peer=peer, why=why()))
        return responses.page(status, title, text)

    # --- the routes ----------------------------------------------------------------

    async def join(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        now = _now()
        try:
            invitation = await asyncio.to_thread(self.invitations.match_link, token)
        except InvitationError as error:
            self._trouble(request, error)
            return responses.page(
                503, _("Not now"), _("The board cannot be opened now: try again later.")
            )
        if invitation is None:
            return self._refuse(
                request,
                lambda: _("not a valid link"),
                _("Not a valid link"),
                _("This link opens no board: ask whoever invited you for a new link."),
            )
        # the link's language, not that of another invitation this browser holds
        held = await self._holder(request, speak=False)
        self._speak(invitation)
        if held is not None and held.id == invitation.id:
            return responses.joining()  # the same browser, the same link again: on to the board
        state = invitation.state(now)
        if state == "revoked":
            return self._refuse(
                request,
                lambda: _("link {id} revoked").format(id=invitation.id),
                _("This link was withdrawn"),
                _("Whoever invited you withdrew this link: ask them for a new one."),
            )
        if state != "active":
            return self._refuse(
                request,
                lambda: _("link {id} expired").format(id=invitation.id),
                _("This link has expired"),
                _("This link is too old: ask whoever invited you for a new link."),
            )
        if invitation.opened is not None:
            return self._opened(request, invitation.id)
        if invitation.board.parent != self.boards:
            return self._refuse(
                request,
                lambda: _("its board {board} is not in {folder}").format(
                    board=visible(str(invitation.board)), folder=self.boards
                ),
                _("Not served here"),
                _("This board is not served here: ask whoever invited you for a new link."),
            )
        if not invitation.board.is_file():
            return self._refuse(
                request,
                lambda: _("the board is gone"),
                _("This board is gone"),
                _("This board is no longer here: ask whoever invited you for a new link."),
                status=410,
            )
        try:
            opened = await asyncio.to_thread(self.invitations.open_link, invitation.id, now)
        except InvitationError as error:
            self._trouble(request, error)
            return responses.page(
                503, _("Not now"), _("The board cannot be opened now: try again later.")
            )
        if opened is None:
            return self._opened(request, invitation.id)
        expires = cookies.expiry(opened.expires, now)
        peer = self._peer(request)
        self._note(
            lambda: _("{peer}: link {id} opened for {member}").format(
                peer=peer, id=opened.id, member=visible(opened.member)
            )
        )
        response = responses.joining()
        response.set_cookie(
            cookies.NAME,
            cookies.sign(self.key, opened.id, expires),
            max_age=max(int((expires - now).total_seconds()), 0),
            path="/",
            secure=self.secure,
            httponly=True,
            samesite="Strict",
        )
        return response

    def _opened(self, request: web.Request, id: str) -> web.Response:  # noqa: A002
        return self._refuse(
            request,
            lambda: _("link {id} opened already").format(id=id),
            _("This link was opened already"),
            _(
                "A link opens the board in one browser only, and it was opened in another. "
                "Ask whoever invited you for a new link."
            ),
        )

    async def index(self, request: web.Request) -> web.StreamResponse:
        invitation = await self._holder(request)
        if invitation is None:
            return responses.no_cookie()
        if not invitation.board.is_file():
            return responses.page(
                410,
                _("This board is gone"),
                _("This board is no longer here: ask whoever invited you for a new link."),
            )
        title, _name = await asyncio.to_thread(_board_names, invitation.board, invitation.member)
        websocket = self._websocket_url(request)
        response = responses.page(200, title, "", html=pages.board(title, websocket))
        response.headers["Content-Security-Policy"] = pages.policy(websocket)
        return response

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        invitation = await self._holder(request)
        if invitation is None:
            return self._refuse(request, lambda: _("no valid cookie"), *responses.no_cookie_page())
        if request.headers.get("Origin") != self._origin(request):
            origin = visible(request.headers.get("Origin", "-")[:200])
            return self._refuse(
                request,
                lambda: _("a foreign origin {origin}").format(origin=origin),
                _("Not from here"),
                _("This board opens from its own page only."),
            )
        ws = web.WebSocketResponse(max_msg_size=LONGEST_MESSAGE, heartbeat=30, timeout=5)
        await ws.prepare(request)
        title, name = await asyncio.to_thread(_board_names, invitation.board, invitation.member)
        del title
        peer = self._peer(request)
        speaking = self._language()
        guest = Guest(invitation.id, invitation.board, invitation.member, name, peer, speaking)

        async def admit() -> Guest | None:
            try:
                used = await asyncio.to_thread(self.invitations.use, invitation.id, _now())
            except InvitationError as error:
                self._trouble(request, error)
                return None
            return guest if used is not None else None

        await self.hub.serve(ws, guest, invitation.board, admit, _size(request))
        return ws

    async def warm(self, request: web.Request) -> web.StreamResponse:
        """``/warm?width=W&height=H``: the board page's script, before textual.js has
        loaded, asks for its app to be started at the window's size (`warm`)."""
        invitation = await self._holder(request)
        if invitation is None:
            return responses.no_cookie()
        _title, name = await asyncio.to_thread(_board_names, invitation.board, invitation.member)
        guest = Guest(
            invitation.id,
            invitation.board,
            invitation.member,
            name,
            self._peer(request),
            self._language(),
        )
        self.hub.warm(guest, bounded_size(*_size(request)))
        return web.Response(status=204, headers={"Cache-Control": "no-store"})

    async def download(self, request: web.Request) -> web.StreamResponse:
        invitation = await self._holder(request)
        if invitation is None:
            return responses.no_cookie()
        delivery = self.hub.downloads.find(request.match_info["key"], invitation.id)
        if delivery is None:
            return responses.not_found()
        return await self.hub.downloads.send(request, delivery, responses.security(pages.policy()))


def _size(request: web.Request) -> tuple[int, int]:
    def number(name: str, default: int) -> int:
        text = request.query.get(name, "")
        return int(text) if text.isdigit() and len(text) <= 5 else default

    return number("width", 80), number("height", 24)


def public_origin(url: str | None) -> str | None:
    """`url` as an origin (already normalized by `cli.invitation_text.a_web_url`)."""
    if url is None:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


async def start(
    boards: Path,
    *,
    state_folder: Path,
    log: Callable[[str], None],
    host: str = "127.0.0.1",
    port: int = 8000,
    public_url: str | None = None,
    limits: Limits | None = None,
    poll: float = 1.0,
    warm: float = WAIT,
) -> WebEntry:
    """Serve the boards of `boards` on `host`:`port` (0: any free port; `WebEntry.port`
    says which); `warm`: how long an app started for a page waits for its websocket
    (0: apps start with their websocket only; `warm`). `EntryError` when it cannot
    listen; `state.StateError` when the cookie key cannot be read or made."""
    limits = limits or Limits()
    entry = WebEntry(
        host=host,
        port=port,
        boards=boards.resolve(),
        invitations=Invitations(state_folder),
        hub=Hub(limits, log, dict(os.environ), warm),
        log=log,
        key=cookies.load_or_create_key(state_folder),
        public_url=public_origin(public_url),
        speaking=language.current(),
        languages=tuple(language.available()),
    )
    # the language first: the guard's own pages (a 404, a 405) speak it too
    speak = languages.middleware(entry.languages, entry.speaking)
    app = web.Application(middlewares=[speak, responses.guard], client_max_size=1024)
    app.on_response_prepare.append(responses.headers)
    app.add_routes(
        [
            web.get("/", entry.index, allow_head=False),
            web.get("/join/{token}", entry.join, allow_head=False),
            web.get("/ws", entry.websocket, allow_head=False),
            web.get("/warm", entry.warm, allow_head=False),
            web.get("/download/{key}", entry.download, allow_head=False),
            web.get("/static/{name}", asset),
        ]
    )
    runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1)
    await runner.setup()
    site = web.TCPSite(runner, host, port, reuse_address=True)
    try:
        await site.start()
    except OSError as error:
        await runner.cleanup()
        raise EntryError(
            _("cannot listen on {host}:{port}: {reason}").format(
                host=visible(host), port=port, reason=error.strerror or error
            )
        ) from None
    entry._runner = runner
    entry.port = int(runner.addresses[0][1]) if runner.addresses else port
    task = asyncio.create_task(
        revocation.watch(entry.invitations, entry.hub.joined, entry.end_revoked, log, poll)
    )
    entry._tasks.add(task)
    entry.log(_("listening on {host}:{port}").format(host=visible(host), port=entry.port))
    return entry

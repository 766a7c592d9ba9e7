"""Browser sessions: one page's websocket is one app process (`apps.WebApp`).

The server checks the cookie and the Origin and hands the `Hub` the upgraded websocket;
the hub starts the guest's app (`sprintboard --as MEMBER open --guest BOARD`, a clean
environment, the board's folder, its own process group), relays both ways with
back-pressure (the app's output is sent before the next packet is read; the browser's
next message is read once the app took the last), and ends the app when the page
goes: the websocket closes (the page closed or reloaded), the guest is idle too long,
the session's time is up, the invitation is revoked (`Hub.end`) or the server stops
(`Hub.close`). Ending asks the app to quit, then hangs up on, terminates and kills its
process group over the grace, and reaps it: no process outlives its page. The page
learns why from the websocket's close code and reason (`Why`). One log line per join,
refusal and leave.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from aiohttp import WSMsgType, web

from ..guests.child import app_command, bounded_size, child_environment
from ..guests.limits import Guest, Limits, span
from ..i18n import _, ngettext
from ..safe_text import visible
from .apps import AppEnded, Packet, WebApp
from .downloads import Downloads
from .warm import WAIT, Warming

LONGEST_MESSAGE = 256 * 1024
"""The largest websocket message taken from a browser (a long paste fits)."""
LONGEST_REASON = 123
"""The bytes a websocket close reason may have (RFC 6455)."""
_URL_SCHEMES = ("http://", "https://")


class Why(IntEnum):
    """Why a session ended, as the websocket's close code tells the page."""

    ENDED = 1000  # the app ended (the guest quit it)
    REVOKED = 4001
    IDLE = 4002
    TIME = 4003
    STOPPING = 4004
    FULL = 4005
    GONE = 4006
    FAILED = 4007


def reason_text(text: str) -> str:
    """`text` cut to what a close frame's reason may carry, on a character boundary."""
    data = text.encode("utf-8")[:LONGEST_REASON]
    return data.decode("utf-8", "ignore")


Admit = Callable[[], Awaitable[Guest | None]]
"""Counts the join (`Invitations.use`) and says who: None when the invitation ended meanwhile."""


@dataclass
class _End:
    why: str  # for the log
    code: Why
    text: str  # for the page


class Page:
    """One page's websocket and its app."""

    def __init__(self, hub: Hub, ws: web.WebSocketResponse, guest: Guest) -> None:
        self._hub = hub
        self.ws = ws
        self.guest = guest
        self.app: WebApp | None = None
        self._end: _End | None = None
        self._stop = asyncio.Event()
        self._began = self._last_key = time.monotonic()
        self._timers: list[asyncio.TimerHandle] = []
        self.done = asyncio.Event()

    async def run(self, size: tuple[int, int]) -> None:
        """The whole session: start the app (or take the one the page's request started,
        `warm`), relay, end; returns once the app is reaped."""
        loop = asyncio.get_running_loop()
        columns, rows = bounded_size(*size)
        try:
            self.app = await self._hub.warming.take(self.guest.invitation)
            if self.app is not None and self.app.size != (columns, rows):
                # the page's guess was off; a resize this early can be lost in the app's
                # own start (Textual's first Resize may come after it), so a fresh one
                self._hub.warming.dismiss(self.app)
                self.app = None
            if self.app is None:
                self.app = await self._hub.start_app(self.guest, (columns, rows))
        except (OSError, ValueError) as error:
            self._hub.say(
                _("{who}: the app could not be started: {reason}").format(
                    who=self.guest.who(), reason=visible(str(error))
                )
            )
            await self._close(Why.FAILED, _("The board could not be opened here: try again later."))
            return
        self._began = self._last_key = time.monotonic()
        self._hub.started(self)
        self._hub.say(_("{who} joined {board} from {peer}").format(**self.guest.names()))
        limits = self._hub.limits
        self._timers.append(loop.call_later(limits.idle, self._check_idle))
        self._timers.append(loop.call_later(limits.max_time, self._time_up))
        from_app = asyncio.create_task(self._from_app(self.app))
        from_browser = asyncio.create_task(self._from_browser(self.app))
        try:
            await self._stop.wait()
        finally:
            for timer in self._timers:
                timer.cancel()
            from_browser.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await from_browser
            code = await asyncio.shield(self.app.end(self._hub.limits.grace))
            from_app.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await from_app
            self._hub.downloads.forget(self)
            self._hub.finished(self)
            self._leave(code)
            end = self._end
            if end is None or end.code == Why.ENDED:
                await self._close(Why.ENDED, "")
            else:
                await self._close(end.code, end.text)
            self.done.set()

    def end(self, why: str, code: Why, text: str) -> None:
        """End the session: `why` for the log, `code` and `text` for the page."""
        if self._end is None:
            self._end = _End(why, code, text)
        self._stop.set()

    async def _from_browser(self, app: WebApp) -> None:
        try:
            async for message in self.ws:
                if message.type != WSMsgType.TEXT:
                    continue
                await self._take(app, message.data)
        finally:
            self.end(_("disconnected"), Why.ENDED, "")

    async def _take(self, app: WebApp, text: str) -> None:
        """One message of the page's script; anything malformed is ignored."""
        import json

        try:
            envelope = json.loads(text)
        except ValueError:
            return
        if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
            return
        kind = envelope[0]
        value = envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(value, str):
            self._last_key = time.monotonic()
            await app.send_keys(value)
        elif kind == "resize" and isinstance(value, dict):
            width, height = value.get("width"), value.get("height")
            if isinstance(width, int) and isinstance(height, int):
                columns, rows = bounded_size(width, height)
                await app.send_meta({"type": "resize", "width": columns, "height": rows})
        elif kind == "ping" and isinstance(value, str) and len(value) <= 32:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await self.ws.send_json(["pong", value])
        elif kind in ("focus", "blur"):
            await app.send_meta({"type": kind})

    async def _from_app(self, app: WebApp) -> None:
        try:
            while True:
                await self._give(await app.read())
        except AppEnded:
            pass
        except (ConnectionError, RuntimeError):  # the websocket is closing: the page is going
            pass
        finally:
            self.end(_("the app ended"), Why.ENDED, "")

    async def _give(self, packet: Packet) -> None:
        """One packet of the app's, for the page (awaited: the page's pace is the app's)."""
        if packet.kind == "D":
            await self.ws.send_bytes(packet.data)
        elif packet.kind == "P" and packet.chunk is not None:
            await self._hub.downloads.chunk(self, *packet.chunk)
        elif packet.kind == "M" and packet.meta is not None:
            meta = packet.meta
            if meta.get("type") == "deliver_file_start":
                key = self._hub.downloads.start(self, meta)
                if key is not None:
                    await self.ws.send_json(["deliver_file_start", key])
            elif meta.get("type") == "open_url":
                url = meta.get("url")
                # only web addresses: a javascript: URL opened by the page would run as the site
                if isinstance(url, str) and url.startswith(_URL_SCHEMES) and len(url) < 2048:
                    await self.ws.send_json(["open_url", {"url": url, "new_tab": True}])

    def _check_idle(self) -> None:
        idle = self._hub.limits.idle
        quiet = time.monotonic() - self._last_key
        if quiet >= idle:
            text = _("Closed after {span} without a key.").format(span=span(idle))
            self.end(_("idle"), Why.IDLE, text)
        else:
            loop = asyncio.get_running_loop()
            self._timers.append(loop.call_later(idle - quiet, self._check_idle))

    def _time_up(self) -> None:
        limit = span(self._hub.limits.max_time)
        text = _("Closed: a session lasts at most {span}.").format(span=limit)
        self.end(_("time limit"), Why.TIME, text)

    async def _close(self, code: Why, text: str) -> None:
        with contextlib.suppress(ConnectionError, RuntimeError, asyncio.TimeoutError):
            await self.ws.close(code=int(code), message=reason_text(text).encode("utf-8"))

    def _leave(self, code: int) -> None:
        end = self._end
        why = end.why if end is not None else _("the app ended (exit {code})").format(code=code)
        if end is not None and end.why == _("the app ended"):
            why = _("the app ended (exit {code})").format(code=code)
        self._hub.say(
            _("{who} left {board} from {peer} after {span}: {why}").format(
                **self.guest.names(), span=span(time.monotonic() - self._began), why=why
            )
        )
        stderr = self.app.stderr().strip() if self.app is not None else ""
        if code not in (0, -1, -15, 1) and stderr:
            last = stderr.splitlines()[-1]
            self._hub.say(
                _("{who}: the app failed: {line}").format(who=self.guest.who(), line=visible(last))
            )


class Hub:
    """Every browser session of one server; `log` gets one line per join / refusal / leave."""

    def __init__(
        self,
        limits: Limits,
        log: Callable[[str], None],
        environ: dict[str, str],
        warm: float = WAIT,
    ) -> None:
        self.limits = limits
        self._log = log
        self.environ = environ
        """The server's environment, of which a guest's app gets only its state folders."""
        self.downloads = Downloads()
        self.warming = Warming(limits.grace, warm)
        self._pages: set[Page] = set()
        self._running: set[Page] = set()
        self._closing = False
        self._admitting = 0

    @property
    def count(self) -> int:
        """Pages with an app running."""
        return len(self._running)

    def apps(self) -> dict[int, Guest]:
        """The running apps' process ids and whose they are (`guests.child.peak_memory`)."""
        return {p.app.pid: p.guest for p in self._running if p.app is not None}

    def joined(self) -> set[str]:
        """The invitations of the pages open now (and of apps waiting for their page)."""
        return {p.guest.invitation for p in self._pages} | self.warming.invitations()

    async def start_app(self, guest: Guest, size: tuple[int, int]) -> WebApp:
        """`guest`'s app: the member on the board, in the board's folder, a clean environment."""
        env = child_environment("xterm-256color", {}, self.environ)
        board = guest.board
        return await WebApp.start(app_command(guest.member, board), env, board.parent, size)

    def warm(self, guest: Guest, size: tuple[int, int]) -> None:
        """Start `guest`'s app now, at `size`, for the websocket their page is about to
        open, when the board has room for it (`warm`)."""
        if self.warming.wait > 0 and self._refusal(guest.board, guest.invitation) is None:
            self.warming.start(guest.invitation, lambda: self.start_app(guest, size))

    async def serve(
        self,
        ws: web.WebSocketResponse,
        guest: Guest,
        board: Path,
        admit: Admit,
        size: tuple[int, int],
    ) -> None:
        """One page's session on an upgraded websocket, until it ends."""
        who = guest.who()
        refusal = self._refusal(board, guest.invitation)
        if refusal is None:
            self._admitting += 1  # a slot held while the store is asked: no two take the last
            try:
                admitted = await admit()
            finally:
                self._admitting -= 1
            if admitted is None:
                refusal = (_("revoked"), Why.REVOKED, _("Your invitation is no longer valid."))
            else:
                guest = admitted
                if self._closing:  # it stopped while the store was asked
                    refusal = self._refusal(board, guest.invitation)
        if refusal is not None:
            self.warming.end([guest.invitation])
            why, code, text = refusal
            self.say(_("{who} refused: {why}").format(who=who, why=why))
            with contextlib.suppress(ConnectionError, RuntimeError, asyncio.TimeoutError):
                await ws.close(code=int(code), message=reason_text(text).encode("utf-8"))
            return
        page = Page(self, ws, guest)
        self._pages.add(page)
        try:
            await page.run(size)
        finally:
            self._pages.discard(page)
            self._running.discard(page)
            page.done.set()

    def _refusal(self, board: Path, invitation: str) -> tuple[str, Why, str] | None:
        """Why a page of `invitation` cannot have its board now, None when it can."""
        if self._closing:
            return _("the server stopped"), Why.STOPPING, _("The server is stopping.")
        # the app started for this invitation's page is the one it will take
        mine = invitation in self.warming.invitations()
        taken = len(self._pages) + self._admitting + self.warming.count - mine
        if taken >= self.limits.max_sessions:
            n = self.limits.max_sessions
            full = ngettext(
                "The board is full ({count} person): try again in a few minutes.",
                "The board is full ({count} people): try again in a few minutes.",
                n,
            )
            return _("full"), Why.FULL, full.format(count=n)
        if not board.is_file():
            text = _("This board is no longer here: ask whoever invited you for a new invitation.")
            return _("the board is gone"), Why.GONE, text
        return None

    def end(self, invitations: Collection[str], text: str, *, reason: str | None = None) -> int:
        """End every page of these invitations, saying `text`; how many."""
        self.warming.end(invitations)
        ending = [p for p in self._pages if p.guest.invitation in invitations]
        for page in ending:
            page.end(reason or _("revoked"), Why.REVOKED, text)
        return len(ending)

    async def close(self) -> None:
        """Refuse new pages, end every one and wait until every app is reaped."""
        self._closing = True
        await self.warming.close()
        pages = list(self._pages)
        for page in pages:
            page.end(_("the server stopped"), Why.STOPPING, _("The server is stopping."))
        if pages:
            await asyncio.gather(*(p.done.wait() for p in pages))

    def say(self, line: str) -> None:
        self._log(line)

    def started(self, page: Page) -> None:
        self._running.add(page)

    def finished(self, page: Page) -> None:
        self._running.discard(page)

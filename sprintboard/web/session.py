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
from ..guests.limits import Guest, Limits, Say, span, spoken
from ..i18n import _, language, ngettext
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
    why: Say  # for the log, in the server's language
    code: Why
    text: Say  # for the page, in the guest's


def _nothing() -> str:
    return ""


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
            reason = visible(str(error))
            self._hub.say(
                lambda: _("{who}: the app could not be started: {reason}").format(
                    who=self.guest.who(), reason=reason
                )
            )
            await self._close(
                Why.FAILED, lambda: _("The board could not be opened here: try again later.")
            )
            return
        self._began = self._last_key = time.monotonic()
        self._hub.started(self)
        self._hub.say(lambda: _("{who} joined {board} from {peer}").format(**self.guest.names()))
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
                await self._close(Why.ENDED, _nothing)
            else:
                await self._close(end.code, end.text)
            self.done.set()

    def end(self, why: Say, code: Why, text: Say) -> None:
        """End the session: `why` for the log, `code` and `text` for the page (each
        made when said, in the log's language and the guest's)."""
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
            self.end(lambda: _("disconnected"), Why.ENDED, _nothing)

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
            self.end(_app_ended, Why.ENDED, _nothing)

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
            self.end(
                lambda: _("idle"),
                Why.IDLE,
                lambda: _("Closed after {span} without a key.").format(span=span(idle)),
            )
        else:
            loop = asyncio.get_running_loop()
            self._timers.append(loop.call_later(idle - quiet, self._check_idle))

    def _time_up(self) -> None:
        limit = self._hub.limits.max_time
        self.end(
            lambda: _("time limit"),
            Why.TIME,
            lambda: _("Closed: a session lasts at most {span}.").format(span=span(limit)),
        )

    async def _close(self, code: Why, text: Say) -> None:
        said = spoken(self.guest.language, text)
        with contextlib.suppress(ConnectionError, RuntimeError, asyncio.TimeoutError):
            await self.ws.close(code=int(code), message=reason_text(said).encode("utf-8"))

    def _leave(self, code: int) -> None:
        end = self._end
        ended = end is None or end.why is _app_ended  # the app's own end: say its exit code

        def why() -> str:
            if ended or end is None:
                return _("the app ended (exit {code})").format(code=code)
            return end.why()

        lasted = time.monotonic() - self._began
        self._hub.say(
            lambda: _("{who} left {board} from {peer} after {span}: {why}").format(
                **self.guest.names(), span=span(lasted), why=why()
            )
        )
        stderr = self.app.stderr().strip() if self.app is not None else ""
        if code not in (0, -1, -15, 1) and stderr:
            last = stderr.splitlines()[-1]
            self._hub.say(
                lambda: _("{who}: the app failed: {line}").format(
                    who=self.guest.who(), line=visible(last)
                )
            )


def _app_ended() -> str:
    return _("the app ended")


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
        self.speaking = language.current()
        """The server's language, its log's: a page's requests speak their guest's."""

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
        # a browser sends no locale: the app is told the page's language
        command = app_command(guest.member, board, guest.language)
        return await WebApp.start(command, env, board.parent, size)

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
                refusal = (
                    lambda: _("revoked"),
                    Why.REVOKED,
                    lambda: _("Your invitation is no longer valid."),
                )
            else:
                guest = admitted
                if self._closing:  # it stopped while the store was asked
                    refusal = self._refusal(board, guest.invitation)
        if refusal is not None:
            self.warming.end([guest.invitation])
            why, code, text = refusal
            self.say(lambda: _("{who} refused: {why}").format(who=who, why=why()))
            said = spoken(guest.language, text)
            with contextlib.suppress(ConnectionError, RuntimeError, asyncio.TimeoutError):
                await ws.close(code=int(code), message=reason_text(said).encode("utf-8"))
            return
        page = Page(self, ws, guest)
        self._pages.add(page)
        try:
            await page.run(size)
        finally:
            self._pages.discard(page)
            self._running.discard(page)
            page.done.set()

    def _refusal(self, board: Path, invitation: str) -> tuple[Say, Why, Say] | None:
        """Why a page of `invitation` cannot have its board now, None when it can."""
        if self._closing:
            return _server_stopped, Why.STOPPING, _stopping
        # the app started for this invitation's page is the one it will take
        mine = invitation in self.warming.invitations()
        taken = len(self._pages) + self._admitting + self.warming.count - mine
        if taken >= self.limits.max_sessions:
            n = self.limits.max_sessions
            return (
                lambda: _("full"),
                Why.FULL,
                lambda: ngettext(
                    "The board is full ({count} person): try again in a few minutes.",
                    "The board is full ({count} people): try again in a few minutes.",
                    n,
                ).format(count=n),
            )
        if not board.is_file():
            return (
                lambda: _("the board is gone"),
                Why.GONE,
                lambda: _(
                    "This board is no longer here: ask whoever invited you for a new invitation."
                ),
            )
        return None

    def end(self, invitations: Collection[str], text: Say, *, reason: Say | None = None) -> int:
        """End every page of these invitations, saying `text` (in each guest's
        language); how many."""
        self.warming.end(invitations)
        ending = [p for p in self._pages if p.guest.invitation in invitations]
        for page in ending:
            page.end(reason or _revoked, Why.REVOKED, text)
        return len(ending)

    async def close(self) -> None:
        """Refuse new pages, end every one and wait until every app is reaped."""
        self._closing = True
        await self.warming.close()
        pages = list(self._pages)
        for page in pages:
            page.end(_server_stopped, Why.STOPPING, _stopping)
        if pages:
            await asyncio.gather(*(p.done.wait() for p in pages))

    def say(self, line: Say) -> None:
        """Log `line`, made in the server's language."""
        self._log(spoken(self.speaking, line))

    def started(self, page: Page) -> None:
        self._running.add(page)

    def finished(self, page: Page) -> None:
        self._running.discard(page)


def _revoked() -> str:
    return _("revoked")


def _server_stopped() -> str:
    return _("the server stopped")


def _stopping() -> str:
    return _("The server is stopping.")

"""A browser in the tests: aiohttp's client with a cookie jar, and a page's websocket
whose bytes a real terminal emulator (pyte) draws, so a test asks what the guest's
screen shows *now*.

`Browser` keeps its cookies as a browser would (for 127.0.0.1 too); `Board` is one
page's websocket: `text()` (the rows), `wait_for` (poll the screen until a text shows,
with a deadline), `send` (keys, as xterm.js sends them), `resize`, `wait_closed`
(the close code and reason).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pyte

from sprintboard.invitations import Invitations
from sprintboard.web.server import WebEntry


@dataclass
class Place:
    """A test's state folder, boards folder and board, and the invitations store."""

    state: Path
    boards: Path
    board: Path
    store: Invitations

    def link(
        self,
        member: str = "birthe",
        *,
        expires: datetime | None = None,
        board: Path | None = None,
        now: datetime | None = None,
        language: str | None = None,
    ) -> tuple[str, str]:
        """A new link invitation of `member` onto the board (made at `now`, speaking
        `language`): its id and its token."""
        invitation, token = self.store.add_link(
            board or self.board,
            member,
            expires=expires,
            by="nanna",
            now=now or datetime.now(UTC),
            language=language,
        )
        return invitation.id, token


@dataclass
class Response:
    status: int
    headers: Any  # CIMultiDictProxy[str]
    text: str


async def wait_until(done: Callable[[], bool], what: str, timeout: float = 30) -> None:
    """Poll `done` until it holds; fail saying `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


class Board:
    """One page's websocket, drawn on a pyte screen."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, columns: int, rows: int) -> None:
        self.ws = ws
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.texts: list[Any] = []
        self.code: int | None = None
        self.reason = ""
        self.closed = asyncio.Event()
        self._task = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        try:
            while True:
                message = await self.ws.receive()
                if message.type == aiohttp.WSMsgType.BINARY:
                    self.stream.feed(message.data)
                elif message.type == aiohttp.WSMsgType.TEXT:
                    self.texts.append(json.loads(message.data))
                elif message.type == aiohttp.WSMsgType.CLOSE:
                    self.code, self.reason = message.data, message.extra or ""
                    break
                else:  # closing, closed, an error: the page's socket is gone
                    break
        finally:
            if self.code is None:
                self.code = self.ws.close_code
            self.closed.set()

    def text(self) -> list[str]:
        return [row.rstrip() for row in self.screen.display]

    async def wait_for(self, text: str, timeout: float = 60) -> None:
        try:
            await wait_until(lambda: any(text in row for row in self.text()), text, timeout)
        except AssertionError:
            raise AssertionError(
                f"{text!r} not on the screen:\n" + "\n".join(self.text())
            ) from None

    async def send(self, keys: str) -> None:
        await self.ws.send_str(json.dumps(["stdin", keys]))

    async def resize(self, columns: int, rows: int) -> None:
        self.screen.resize(rows, columns)
        await self.ws.send_str(json.dumps(["resize", {"width": columns, "height": rows}]))

    async def wait_closed(self, timeout: float = 30) -> tuple[int | None, str]:
        await asyncio.wait_for(self.closed.wait(), timeout)
        return self.code, self.reason

    async def close(self) -> None:
        await self.ws.close()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


class Browser:
    """A browser: a cookie jar and the pages it opened."""

    def __init__(self, base: str, headers: dict[str, str] | None = None) -> None:
        self.base = base
        self.session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True), headers=headers
        )
        self.boards: list[Board] = []

    async def get(self, path: str, **options: Any) -> Response:
        async with self.session.get(self.base + path, allow_redirects=False, **options) as got:
            return Response(got.status, got.headers, await got.text())

    async def join(self, token: str) -> Response:
        return await self.get("/join/" + token)

    @property
    def cookie(self) -> str | None:
        found = [c for c in self.session.cookie_jar if c.key == "sprintboard"]
        return found[0].value if found else None

    def set_cookie(self, value: str) -> None:
        self.session.cookie_jar.update_cookies({"sprintboard": value})

    async def board(
        self, columns: int = 100, rows: int = 30, origin: str | None = "", **options: Any
    ) -> Board:
        """Open the page's websocket (the page's own Origin unless `origin` says another;
        None: none at all)."""
        headers = {} if origin is None else {"Origin": origin or self.base}
        ws = await self.session.ws_connect(
            f"{self.base}/ws?width={columns}&height={rows}", headers=headers, **options
        )
        board = Board(ws, columns, rows)
        self.boards.append(board)
        return board

    async def close(self) -> None:
        for board in self.boards:
            await board.close()
        await self.session.close()


@dataclass
class Running:
    """The server of a test, the lines it logged, the browsers that used it."""

    entry: WebEntry
    place: Place
    lines: list[str] = field(default_factory=list)
    browsers: list[Browser] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.entry.port}"

    def browser(self, headers: dict[str, str] | None = None) -> Browser:
        """A new browser; `headers` on its every request (``Accept-Language``)."""
        opened = Browser(self.base, headers)
        self.browsers.append(opened)
        return opened

    async def joined(self, member: str = "birthe") -> Browser:
        """A browser that opened a new link of `member`'s."""
        _id, token = self.place.link(member)
        opened = self.browser()
        assert (await opened.join(token)).status == 200
        return opened


def gone(pid: int) -> bool:
    """Whether the app `pid` is reaped (no /proc entry, not even a zombie) and nothing of
    its process group is left."""
    if Path(f"/proc/{pid}").exists():
        return False
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return True
    return False

"""Apps started before their page's websocket: the board shows sooner.

A browser asks for the board's page (``/``), then spends most of a second loading
textual-serve's script and measuring the window before it opens the websocket; the
app takes about as long to start. So the page's request starts the app at once
(`Warming.start`), and the websocket that follows, with the same invitation's
cookie, takes it (`take`) instead of starting one: the two waits overlap. An app no
websocket takes within `wait` seconds is ended; one invitation has one such app at
most, and each counts towards the server's `--max-sessions`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Collection, Coroutine
from dataclasses import dataclass
from typing import Any

from .apps import WebApp

WAIT = 15.0
"""Seconds a started app waits for its page's websocket."""


@dataclass
class _Waiting:
    app: asyncio.Task[WebApp]
    expiry: asyncio.TimerHandle


class Warming:
    """The apps waiting for their websockets, by invitation."""

    def __init__(self, grace: float, wait: float = WAIT) -> None:
        self._grace = grace
        self.wait = wait
        """Seconds an app waits to be taken; 0: none is started before its websocket."""
        self._waiting: dict[str, _Waiting] = {}
        self._ending: set[asyncio.Task[None]] = set()

    @property
    def count(self) -> int:
        return len(self._waiting)

    def invitations(self) -> set[str]:
        return set(self._waiting)

    def start(self, invitation: str, start: Callable[[], Awaitable[WebApp]]) -> None:
        """Start `invitation`'s app with `start`, unless one is waiting already."""
        if invitation in self._waiting:
            return
        loop = asyncio.get_running_loop()
        task = asyncio.ensure_future(start())
        self._waiting[invitation] = _Waiting(
            task, loop.call_later(self.wait, self.end, [invitation])
        )

    async def take(self, invitation: str) -> WebApp | None:
        """`invitation`'s started app, now the caller's; None when there is none or it
        could not start (the caller starts one and says why)."""
        waiting = self._waiting.pop(invitation, None)
        if waiting is None:
            return None
        waiting.expiry.cancel()
        try:
            return await waiting.app
        except (OSError, ValueError):
            return None

    def end(self, invitations: Collection[str]) -> None:
        """End these invitations' waiting apps (not taken in time, revoked, stopping)."""
        for invitation in list(invitations):
            waiting = self._waiting.pop(invitation, None)
            if waiting is not None:
                waiting.expiry.cancel()
                self._track(self._end(waiting.app))

    def dismiss(self, app: WebApp) -> None:
        """End an app that was taken but is not wanted after all."""
        self._track(self._end_taken(app))

    async def _end_taken(self, app: WebApp) -> None:
        await app.end(self._grace)

    def _track(self, ending: Coroutine[Any, Any, None]) -> None:
        """Run `ending`; `close` waits for it."""
        task = asyncio.ensure_future(ending)
        self._ending.add(task)
        task.add_done_callback(self._ending.discard)

    async def _end(self, started: asyncio.Task[WebApp]) -> None:
        with contextlib.suppress(OSError, ValueError):
            app = await started
            await app.end(self._grace)

    async def close(self) -> None:
        """End every waiting app and wait until each is reaped."""
        self.end(self.invitations())
        while self._ending:
            await asyncio.gather(*self._ending)

"""Files a guest's app delivers to the browser (a screenshot, an export).

The app announces a file (``deliver_file_start``: a key, a name, a type); the page's
script opens ``/download/KEY`` in a new tab; the server then asks the app for it chunk
by chunk (``deliver_chunk_request``) and streams the chunks (``P`` packets) to the
browser. Textual-serve's `DownloadManager` does the same but knows no owners; here a
delivery belongs to the page whose app announced it, and only the same invitation's
cookie may fetch it (`server`). A delivery is fetched once. It is always sent as an
attachment, in a sandbox, with its type checked: an SVG or HTML file from a board
must never run as a page of this site.
"""

from __future__ import annotations

import asyncio
import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Protocol
from urllib.parse import quote

from aiohttp import web

from ..guests.limits import Guest
from .apps import WebApp

CHUNK = 64 * 1024
CHUNK_WAIT = 4.0
"""Seconds the app has to send a chunk it was asked for (as textual-serve waits)."""
PER_PAGE = 16
"""Deliveries one page may have waiting; an older one is dropped for a newer."""
_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}")
_CHARSET = re.compile(r"[A-Za-z0-9_-]{1,32}")
_PLAIN_NAME = re.compile(r"[^A-Za-z0-9._ -]")


class Page(Protocol):
    """Whose app announced a delivery (`session.Page`)."""

    @property
    def guest(self) -> Guest: ...

    @property
    def app(self) -> WebApp | None: ...


@dataclass
class Delivery:
    page: Page
    key: str
    name: str  # the file's name, no folder
    mime: str
    encoding: str | None
    label: str | None  # the app's own name for it, given back when asking for chunks
    chunks: asyncio.Queue[bytes] = field(default_factory=asyncio.Queue)
    taken: bool = False


def _codec(name: object) -> str | None:
    """The app's text encoding when it is a plain name Python knows, else None (bytes)."""
    if not isinstance(name, str) or not _CHARSET.fullmatch(name):
        return None
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


class Downloads:
    """The deliveries every page's app has announced and not yet delivered."""

    def __init__(self) -> None:
        self._waiting: dict[str, Delivery] = {}

    def start(self, page: Page, meta: Mapping[str, object]) -> str | None:
        """Record the app's ``deliver_file_start``; its key, None when malformed."""
        key, path = meta.get("key"), meta.get("path")
        if not isinstance(key, str) or not _KEY.fullmatch(key) or not isinstance(path, str):
            return None
        if key in self._waiting:
            return None
        mime = meta.get("mime_type")
        mime = mime.lower() if isinstance(mime, str) and _TYPE.fullmatch(mime.lower()) else ""
        encoding = meta.get("encoding")
        label = meta.get("name")
        mine = [d for d in self._waiting.values() if d.page is page]
        if len(mine) >= PER_PAGE:
            del self._waiting[mine[0].key]
        self._waiting[key] = Delivery(
            page,
            key,
            PurePosixPath(path.replace("\\", "/")).name[:200] or "download",
            mime or "application/octet-stream",
            _codec(encoding),
            label if isinstance(label, str) and len(label) <= 200 else None,
        )
        return key

    async def chunk(self, page: Page, key: str, data: bytes | str) -> None:
        """A chunk of the app's (text in the delivery's encoding): for its own delivery only."""
        delivery = self._waiting.get(key)
        if delivery is not None and delivery.page is page and delivery.taken:
            if isinstance(data, str):
                data = data.encode(delivery.encoding or "utf-8", "replace")
            await delivery.chunks.put(data)

    def find(self, key: str, invitation: str) -> Delivery | None:
        """The delivery `key` when an app of `invitation` announced it and it is not taken."""
        delivery = self._waiting.get(key)
        if delivery is None or delivery.taken or delivery.page.guest.invitation != invitation:
            return None
        return delivery

    def forget(self, page: Page) -> None:
        """The page ended: its deliveries with it (a download under way ends)."""
        for key, delivery in list(self._waiting.items()):
            if delivery.page is page:
                delivery.chunks.put_nowait(b"")
                del self._waiting[key]

    async def send(
        self, request: web.Request, delivery: Delivery, headers: Mapping[str, str]
    ) -> web.StreamResponse:
        """Stream `delivery` to the browser, asking the app for each chunk."""
        delivery.taken = True
        app = delivery.page.app
        kind = delivery.mime + (f"; charset={delivery.encoding}" if delivery.encoding else "")
        plain = _PLAIN_NAME.sub("_", delivery.name)
        response = web.StreamResponse(
            headers={
                **headers,
                "Content-Type": kind,
                "Content-Disposition": (
                    f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(delivery.name)}"
                ),
                # whatever it is, it never runs here
                "Content-Security-Policy": "sandbox; default-src 'none'",
                "Cache-Control": "no-store",
            }
        )
        await response.prepare(request)
        try:
            while app is not None:
                asked = await app.send_meta(
                    {
                        "type": "deliver_chunk_request",
                        "key": delivery.key,
                        "size": CHUNK,
                        "name": delivery.label,
                    }
                )
                if not asked:
                    break
                try:
                    data = await asyncio.wait_for(delivery.chunks.get(), CHUNK_WAIT)
                except TimeoutError:
                    break
                if not data:
                    break
                await response.write(data)
        finally:
            self._waiting.pop(delivery.key, None)
        await response.write_eof()
        return response

"""The language of a browser's requests: its ``Accept-Language`` header, read with bounds,
until an invitation's language takes over.

`middleware` runs each request in the language its browser asks for (`preferred`);
once the request is known to be an invitation's that names a language, `switch` speaks
that one for the rest of it. Everything said to the guest is then in it: the pages and
their `lang`, the refusals, the app the page starts (`spoken_here`, its ``--lang``).

A header is the browser's (or anyone's) to write, so it is read the cheap way: its
first `LONGEST` characters, its first `MOST` entries, each a language range and an
optional q-value taken only in the form RFC 9110 gives it (anything else drops the
entry). No regular expression: a crafted header costs the time of one split.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

from ..i18n import language
from .responses import Handler

if TYPE_CHECKING:
    from aiohttp.typedefs import Middleware

LONGEST = 1024
"""Characters of the header looked at (a real one is a few dozen)."""
MOST = 16
"""Entries looked at (a real browser sends a handful)."""
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_TAG = _LETTERS | frozenset("0123456789")


def _range(text: str) -> str | None:
    """A language range (``da``, ``en-GB``, ``*``) in lower case, None when it is none."""
    text = text.strip().lower()
    if text == "*":
        return text
    parts = text.split("-")
    if not 1 <= len(parts[0]) <= 8 or not set(parts[0]) <= _LETTERS:
        return None
    if not all(1 <= len(part) <= 8 and set(part) <= _TAG for part in parts[1:]):
        return None
    return text


def _weight(text: str) -> float | None:
    """A q-value (``0``, ``0.5``, ``1.000``) as a number; None when it is not one."""
    whole, dot, fraction = text.partition(".")
    if whole not in ("0", "1") or len(fraction) > 3 or not set(fraction) <= set("0123456789"):
        return None
    if whole == "1" and fraction.strip("0"):
        return None
    if dot and not fraction and whole == "1":
        return 1.0
    return float(whole + "." + (fraction or "0"))


def wanted(header: str | None) -> list[str]:
    """The language ranges the header accepts, most wanted first (equal weights in the
    header's order); q=0 ("not this one") and malformed entries left out."""
    if not header:
        return []
    entries = header[:LONGEST].split(",", MOST)[:MOST]
    weighed: list[tuple[float, int, str]] = []
    for place, entry in enumerate(entries):
        tag, *parameters = entry.split(";")
        found = _range(tag)
        if found is None:
            continue
        weight: float | None = 1.0
        for parameter in parameters:
            name, equals, value = parameter.strip().partition("=")
            if name.strip().lower() == "q" and equals:
                weight = _weight(value.strip())
        if weight is not None and weight > 0:
            weighed.append((-weight, place, found))
    return [tag for _weight_, _place, tag in sorted(weighed)]


def preferred(header: str | None, languages: Sequence[str], default: str) -> str:
    """The first of `languages` the header wants (``da-DK`` is ``da``; ``*`` is
    `default`), else `default` (the server's own)."""
    for tag in wanted(header):
        if tag == "*":
            return default
        for code in (tag, tag.split("-")[0]):
            if code in languages:
                return code
    return default


@dataclass
class _Speaking:
    """A request's language, and the stack that holds it in force."""

    language: str
    stack: contextlib.ExitStack


# a context variable rather than the request's own storage: aiohttp runs each request in
# a task of its own, and its typed request keys are newer than the aiohttp this needs
_REQUEST: ContextVar[_Speaking | None] = ContextVar("web_request_language", default=None)


def middleware(languages: Sequence[str], default: str) -> Middleware:
    """The middleware that runs each request in its browser's language among `languages`
    (`default`, the server's, when it wants none of them)."""

    @web.middleware
    async def speak(request: web.Request, handler: Handler) -> web.StreamResponse:
        chosen = preferred(request.headers.get("Accept-Language"), languages, default)
        with contextlib.ExitStack() as stack:
            stack.enter_context(language.within(chosen))
            token = _REQUEST.set(_Speaking(chosen, stack))
            stack.callback(_REQUEST.reset, token)
            return await handler(request)

    return speak


def switch(code: str | None) -> None:
    """Speak `code` for the rest of this request (None: keep the browser's)."""
    here = _REQUEST.get()
    if here is not None and code is not None and code != here.language:
        here.stack.enter_context(language.within(code))
        here.language = code


def spoken_here(default: str) -> str:
    """The language this request speaks (`default` outside of one)."""
    here = _REQUEST.get()
    return default if here is None else here.language

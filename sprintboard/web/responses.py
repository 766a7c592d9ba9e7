"""The browser entry's responses as aiohttp sends them: a page with its status, the
refusals every route shares, and what every response carries (`guard`, `headers`):
GET only, no bodies, a page for every error, the security headers (`pages.HEADERS`,
the CSP)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from ..i18n import _
from . import pages

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def security(csp: str) -> dict[str, str]:
    """The security headers with this CSP, for a response made before the hook runs."""
    return {**pages.HEADERS, "Content-Security-Policy": csp}


def page(status: int, title: str, text: str, *, html: str | None = None) -> web.Response:
    """A page (`pages.notice` of `title` and `text`, or `html`), never cached."""
    return web.Response(
        status=status,
        text=html if html is not None else pages.notice(title, text),
        content_type="text/html",
        charset="utf-8",
        headers={"Cache-Control": "no-store"},
    )


def joining() -> web.Response:
    """The link's answer: the page that goes on to the board."""
    return page(200, "", "", html=pages.joining())


def no_cookie_page() -> tuple[str, str]:
    """The title and text for a browser without a valid cookie."""
    return (
        _("Not invited in this browser"),
        _("Open the link from your invitation again, or ask whoever invited you for a new one."),
    )


def no_cookie() -> web.Response:
    return page(403, *no_cookie_page())


def not_found() -> web.Response:
    return page(404, _("Nothing here"), _("There is no such page."))


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """GET only, no bodies, a page (not aiohttp's text) for every error."""
    if request.method not in ("GET", "HEAD"):
        return page(405, _("Not allowed"), _("This site only shows pages."))
    if request.body_exists:
        return page(413, _("Not allowed"), _("This site takes no uploads."))
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return not_found()
    except web.HTTPMethodNotAllowed:
        return page(405, _("Not allowed"), _("This site only shows pages."))


async def headers(request: web.Request, response: web.StreamResponse) -> None:
    """The security headers, on every response (aiohttp's own error pages too)."""
    for name, value in pages.HEADERS.items():
        response.headers[name] = value
    response.headers.setdefault("Content-Security-Policy", pages.policy())
    if request.path.startswith("/join/"):
        response.headers["Cache-Control"] = "no-store"

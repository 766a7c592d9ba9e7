"""textual-serve's page assets, served as they are: its script (xterm.js with Textual's
protocol, `textual.js`) and that terminal's style sheet. Only these two files, by
name: no folder listing, nothing else of the package's folder reachable."""

from __future__ import annotations

from pathlib import Path

import textual_serve
from aiohttp import web

FOLDER = Path(textual_serve.__file__).parent / "static"
FILES = {
    "textual.js": (FOLDER / "js" / "textual.js", "text/javascript"),
    "xterm.css": (FOLDER / "css" / "xterm.css", "text/css"),
}
"""The name in the page's URL (``/static/NAME``), the file and its type."""


async def asset(request: web.Request) -> web.StreamResponse:
    """``GET /static/{name}``: one of `FILES`, cached for a day; 404 for anything else."""
    found = FILES.get(request.match_info["name"])
    if found is None:
        raise web.HTTPNotFound()
    path, kind = found
    return web.FileResponse(
        path, headers={"Content-Type": kind, "Cache-Control": "public, max-age=86400"}
    )

"""textual-serve's page assets: its script (xterm.js with Textual's protocol,
`textual.js`) and that terminal's style sheet. Only these two files, by name: no folder
listing, nothing else of the package's folder reachable.

The script is served with one change, made once and checked: xterm.js's screen-reader
mode is on. The board is drawn on a canvas, which a screen reader cannot read; in that
mode xterm.js also keeps the screen's rows as text in the page (an ARIA live region), so
a blind guest hears the board, and the browser tests read the card titles from the page.
textual-serve is pinned (pyproject), and `script` fails loudly if its script no longer
has the one place the option goes. The style sheet gets the rule newer xterm.js ships
for that mode: the rows lie over the canvas, and without it they would take every
click meant for the board.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import textual_serve
from aiohttp import web

from ..i18n import _

FOLDER = Path(textual_serve.__file__).parent / "static"
SCRIPT = FOLDER / "js" / "textual.js"
STYLE = FOLDER / "css" / "xterm.css"
# where textual.js builds its terminal: the options xterm.js is given
_OPTIONS = b"allowProposedApi:!0,fontSize:i,"
_READABLE = b"allowProposedApi:!0,screenReaderMode:!0,fontSize:i,"
CACHED = "public, max-age=86400"
_CLICKS_THROUGH = b"\n.xterm .xterm-accessibility:not(.debug) { pointer-events: none; }\n"


class AssetError(Exception):
    """textual-serve's script is not the one this module was written for."""


@cache
def script() -> bytes:
    """textual.js with the screen-reader mode on."""
    data = SCRIPT.read_bytes()
    if data.count(_OPTIONS) != 1:
        raise AssetError(
            _("{path}: not the textual-serve script sprintboard knows (1.1.3)").format(path=SCRIPT)
        )
    return data.replace(_OPTIONS, _READABLE)


@cache
def style() -> bytes:
    """xterm.css with the screen-reader rows letting clicks through to the board."""
    return STYLE.read_bytes() + _CLICKS_THROUGH


async def asset(request: web.Request) -> web.StreamResponse:
    """``GET /static/{name}``: ``textual.js`` or ``xterm.css``, cached for a day; 404 else."""
    name = request.match_info["name"]
    headers = {"Cache-Control": CACHED}
    if name == "textual.js":
        return web.Response(body=script(), content_type="text/javascript", headers=headers)
    if name == "xterm.css":
        return web.Response(body=style(), content_type="text/css", headers=headers)
    raise web.HTTPNotFound()

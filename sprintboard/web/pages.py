"""The browser entry's HTML: the board's page, the short pages that say why not, and
the page a link lands on; and the headers every response carries.

Every text in a page is escaped (`html.escape`): a board's title or a member's name is
never markup. No page needs anything from another site (no web fonts: the terminal
falls back to the browser's monospace), and the policy (`policy`) says so. The pages'
own scripts are inline and allowed by their hash, nothing else inline runs.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape

from ..i18n import _, language
from ..safe_text import visible

# The board page's script. It wraps WebSocket before textual.js makes its one socket, to
# read the close code and reason the server ends a session with (`session.Why`), and
# shows the "session ended" overlay with that reason as text (never as markup). Then it
# measures the window in terminal cells, as textual.js will once it has loaded, and asks
# the server to start the app at that size now (`warm`): the two waits overlap.
# not translated: a script
_BOARD_SCRIPT = """
(() => {
  const Native = window.WebSocket;
  function ended(event) {
    const why = document.getElementById("why");
    if (why && event.code >= 4000 && event.reason) why.textContent = event.reason;
    document.body.classList.add("-closed");
  }
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener("close", ended);
    }
  };
  window.addEventListener("DOMContentLoaded", () => {
    document.getElementById("reload").addEventListener("click", () => location.reload());
  });
  try {
    const probe = document.createElement("span");
    probe.style.cssText = "position: absolute; visibility: hidden; white-space: pre; " +
      "font-size: 16px; font-family: 'Roboto Mono', Monaco, 'Courier New', monospace";
    probe.textContent = "W".repeat(32);
    document.documentElement.appendChild(probe);
    const cell = probe.getBoundingClientRect();
    probe.remove();
    // as xterm.js sizes a cell: whole device pixels, narrower and taller
    const dpr = window.devicePixelRatio || 1;
    const width = Math.floor(innerWidth / (Math.floor((cell.width / 32) * dpr) / dpr));
    const height = Math.floor(innerHeight / (Math.ceil(cell.height * dpr) / dpr));
    fetch(`/warm?width=${width}&height=${height}`).catch(() => {});
  } catch (error) {
    // only a head start: the websocket starts the app anyway
  }
})();
"""
# The link's page goes on to the board by a script of the page itself: a redirect
# (303) would be followed in the same cross-site chain as the click in a webmail, and
# a browser does not send a SameSite=Strict cookie on that; a navigation this page
# starts is same-site, so the cookie just set goes with it
_JOIN_SCRIPT = 'location.replace("/");'


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


_SCRIPTS = f"{_hash(_BOARD_SCRIPT)} {_hash(_JOIN_SCRIPT)}"

_CSS = """
html, body { height: 100%; margin: 0; background: #0c181f; color: #f0f0f0;
  font-family: system-ui, sans-serif; }
main { max-width: 36rem; margin: 15vh auto; padding: 0 1.5rem; line-height: 1.5; }
h1 { font-size: 1.4rem; }
a { color: #9ad0ff; }
#terminal { position: absolute; inset: 0; }
#ended { display: none; position: absolute; inset: 0; z-index: 10; align-items: center;
  justify-content: center; background: rgba(12, 24, 31, 0.85); }
body.-closed #ended { display: flex; }
#ended div { background: #12232d; padding: 2rem 3rem; text-align: center; }
#ended button { margin-top: 1rem; padding: 0.6rem 2rem; font-size: 1rem; cursor: pointer; }
#start { display: none; }
"""


def policy(websocket: str | None = None) -> str:
    """The Content-Security-Policy of every page: this site only, these scripts only,
    the websocket `websocket` (the board page's), no framing."""
    connect = "'self'" + (f" {websocket}" if websocket else "")
    return (
        "default-src 'self'; "
        f"script-src 'self' {_SCRIPTS}; "
        # xterm.js sets inline styles and adds its own style elements
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; "
        f"connect-src {connect}; "
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Server": "sprintboard",
}
"""On every response, the CSP (`policy`) besides."""


def _document(title: str, body: str, head: str = "") -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(language.current())}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(visible(title))}</title><style>{_CSS}</style>{head}</head>"
        f"<body>{body}</body></html>\n"
    )


def notice(title: str, text: str) -> str:
    """A short page: what happened (`title`) and what to do (`text`)."""
    return _document(title, f"<main><h1>{escape(visible(title))}</h1><p>{escape(text)}</p></main>")


def board(title: str, websocket: str) -> str:
    """The board's page: textual-serve's terminal, speaking to `websocket`."""
    ended = _("Session ended — reload to rejoin")
    head = (
        '<link rel="stylesheet" href="/static/xterm.css">'
        f"<script>{_BOARD_SCRIPT}</script>"
        '<script src="/static/textual.js"></script>'
    )
    body = (
        f'<div id="terminal" class="textual-terminal" '
        f'data-session-websocket-url="{escape(websocket)}" data-font-size="16"></div>'
        '<div id="ended"><div>'
        f'<p><strong>{escape(ended)}</strong></p><p id="why"></p>'
        f'<button type="button" id="reload">{escape(_("Reload"))}</button>'
        "</div></div>"
        '<span id="start"></span>'
    )
    return _document(title, body, head)


def joining() -> str:
    """Where a link lands once its cookie is set: on to the board at ``/`` (a script;
    a refresh and a link besides, for a browser without scripts)."""
    head = f'<meta http-equiv="refresh" content="0; url=/"><script>{_JOIN_SCRIPT}</script>'
    text = escape(_("Opening the board…"))
    link = escape(_("Go to the board"))
    return _document(
        _("Opening the board…"), f'<main><p>{text}</p><p><a href="/">{link}</a></p></main>', head
    )

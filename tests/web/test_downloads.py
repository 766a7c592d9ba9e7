"""Files an app delivers to the browser: only to a page of the same invitation, once,
always as an attachment in a sandbox. The app here is a stand-in speaking the web
driver's protocol (the real app's deliveries are the app's own tests')."""

from __future__ import annotations

import sys

import pytest

from sprintboard.web import session

from .browser import Running, wait_until

pytestmark = pytest.mark.slow

# prints the prelude and one screen, announces a file, answers chunk requests from
# the file's text in two parts then an empty one, and quits when told to
DELIVERING = r"""
import json, sys
from textual._binary_encode import dump
out = sys.stdout.buffer
def packet(kind, payload):
    out.write(kind + len(payload).to_bytes(4, "big") + payload); out.flush()
out.write(b"__GANGLION__\n")
packet(b"D", "Families, art and culture".encode())
packet(b"M", json.dumps({"type": "deliver_file_start", "key": "0123abcd", "path": "/x/shot <1>.svg",
    "open_method": "browser", "encoding": "", "mime_type": "image/svg+xml", "name": None}).encode())
parts = [b"<svg><script>alert(1)</script>", b"</svg>", b""]
stdin = sys.stdin.buffer
while head := stdin.read(5):
    body = json.loads(stdin.read(int.from_bytes(head[1:], "big")))
    if body.get("type") == "quit":
        break
    if body.get("type") == "deliver_chunk_request" and body["key"] == "0123abcd":
        packet(b"P", dump(("deliver_chunk", "0123abcd", parts.pop(0))))
"""


async def test_a_delivery_reaches_its_own_browser_once(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        session,
        "app_command",
        lambda member, board, speaking=None: [sys.executable, "-c", DELIVERING],
    )
    browser = await running.joined()
    board = await browser.board()
    await wait_until(lambda: ["deliver_file_start", "0123abcd"] in board.texts, "the delivery")
    other = await running.joined("ahmed")  # another invitation's cookie
    assert (await other.get("/download/0123abcd")).status == 404
    stranger = running.browser()
    assert (await stranger.get("/download/0123abcd")).status == 403
    got = await browser.get("/download/0123abcd")
    assert got.status == 200
    assert got.text == "<svg><script>alert(1)</script></svg>"
    assert got.headers["Content-Type"] == "image/svg+xml"
    disposition = got.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="shot _1_.svg"')
    assert "filename*=UTF-8''shot%20%3C1%3E.svg" in disposition
    assert got.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert (await browser.get("/download/0123abcd")).status == 404  # fetched once

"""textual-serve's two assets, served by name: the script with xterm.js's screen-reader mode
on (the rows as text in the page), the style sheet, and nothing else of its folder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from sprintboard.web import assets


@pytest.fixture
async def client() -> AsyncIterator[TestClient[web.Request, web.Application]]:
    app = web.Application()
    app.router.add_get("/static/{name}", assets.asset)
    async with TestClient(TestServer(app)) as client:
        yield client


async def test_the_script_has_the_screen_reader_mode_on_and_is_otherwise_textual_serves(
    client: TestClient[web.Request, web.Application],
) -> None:
    response = await client.get("/static/textual.js")
    assert response.status == 200
    assert response.content_type == "text/javascript"
    served = await response.read()
    original = assets.SCRIPT.read_bytes()
    assert served.count(b"screenReaderMode:!0") == 1
    assert b"screenReaderMode:!0" not in original
    # the one option added, nothing else changed
    assert served.replace(b"screenReaderMode:!0,", b"") == original


async def test_the_style_sheet_lets_clicks_through_the_screen_reader_rows(
    client: TestClient[web.Request, web.Application],
) -> None:
    response = await client.get("/static/xterm.css")
    assert response.status == 200
    assert response.content_type == "text/css"
    served = await response.read()
    original = assets.STYLE.read_bytes()
    assert served.startswith(original)
    assert b"pointer-events: none" in served[len(original) :]
    assert b"xterm-accessibility" in served[len(original) :]


@pytest.mark.parametrize(
    "name", ["images%2Fbackground.png", "js", "..%2F..%2Fserver.py", "TEXTUAL.JS", "textual.js%00"]
)
async def test_nothing_else_of_the_folder_is_reachable(
    client: TestClient[web.Request, web.Application], name: str
) -> None:
    response = await client.get(f"/static/{name}")
    assert response.status == 404


def test_a_script_without_the_place_for_the_option_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "textual.js"
    other.write_bytes(b"new Terminal({fontSize:i})")
    monkeypatch.setattr(assets, "SCRIPT", other)
    assets.script.cache_clear()
    try:
        with pytest.raises(assets.AssetError, match="not the textual-serve script"):
            assets.script()
    finally:
        assets.script.cache_clear()

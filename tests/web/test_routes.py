"""What a request is worth without a good cookie, a right Origin or a known path."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from sprintboard.web import cookies

from .browser import Browser, Running
from .test_join import assert_secure_headers


def cookie_key(running: Running) -> bytes:
    return cookies.load_or_create_key(running.place.state)


async def test_no_cookie_is_the_403_page(browser: Browser) -> None:
    got = await browser.get("/")
    assert got.status == 403
    assert "Open the link from your invitation again" in got.text
    assert_secure_headers(got.headers)


@pytest.mark.parametrize("how", ["forged", "tampered", "expired", "another key", "garbage"])
async def test_a_bad_cookie_is_the_403_page(running: Running, browser: Browser, how: str) -> None:
    ident, token = running.place.link()
    good = await running.joined()
    assert (await good.get("/")).status == 200
    key = cookie_key(running)
    value = good.cookie
    assert value is not None
    later = datetime.now(UTC) + timedelta(hours=1)
    bad = {
        "forged": cookies.sign(bytes(32), ident, later),
        "tampered": value[:-2] + ("AA" if not value.endswith("AA") else "BB"),
        "expired": cookies.sign(key, value.split(".")[0], datetime.now(UTC) - timedelta(seconds=1)),
        "another key": cookies.sign(b"\x01" * 32, value.split(".")[0], later),
        "garbage": "x" * 5000,
    }[how]
    browser.set_cookie(bad)
    assert (await browser.get("/")).status == 403
    del token


async def test_a_signed_cookie_of_an_unopened_or_code_invitation_is_refused(
    running: Running, browser: Browser
) -> None:
    key = cookie_key(running)
    later = datetime.now(UTC) + timedelta(hours=1)
    invitation, _code = running.place.store.add_code(
        running.place.board, "birthe", expires=later, once=False, by="nanna", now=datetime.now(UTC)
    )
    browser.set_cookie(cookies.sign(key, invitation.id, later))
    assert (await browser.get("/")).status == 403  # only a link's cookie lets a browser in


async def test_a_revoked_invitations_cookie_is_refused_at_once(running: Running) -> None:
    browser = await running.joined()
    assert (await browser.get("/")).status == 200
    value = browser.cookie
    assert value is not None
    running.place.store.revoke(value.split(".")[0], datetime.now(UTC))
    assert (await browser.get("/")).status == 403
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await browser.board()
    assert refused.value.status == 403


async def test_the_cookie_survives_a_restart_of_the_server(running: Running) -> None:
    browser = await running.joined()
    value = browser.cookie
    assert value is not None
    # the key is kept in the state folder: a new server verifies the old cookie
    assert cookies.verify(cookie_key(running), value, datetime.now(UTC)) is not None


@pytest.mark.parametrize("origin", [None, "http://evil.example", "null", "http://127.0.0.1:1"])
async def test_the_websocket_needs_the_pages_own_origin(
    running: Running, origin: str | None
) -> None:
    browser = await running.joined()
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await browser.board(origin=origin)
    assert refused.value.status == 403
    assert running.entry.hub.count == 0


async def test_the_websocket_needs_the_cookie(running: Running, browser: Browser) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await browser.board()
    assert refused.value.status == 403
    assert any("refused: no valid cookie" in line for line in running.lines)


async def test_with_a_public_url_the_origin_must_be_it(serve: object) -> None:
    assert callable(serve)
    running = await serve(public_url="http://board.example.org:8080")
    browser = await running.joined()
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await browser.board()  # the Host's origin is not the public one
    board = await browser.board(origin="http://board.example.org:8080")
    await board.close()


async def test_unknown_paths_are_a_404_page(browser: Browser) -> None:
    for path in ("/nothing", "/static/../pyproject.toml", "/static/index.html", "/join"):
        got = await browser.get(path)
        assert got.status == 404, path
        assert "<html" in got.text
        assert_secure_headers(got.headers)


async def test_the_static_assets_are_served(browser: Browser) -> None:
    script = await browser.get("/static/textual.js")
    assert script.status == 200
    assert script.headers["Content-Type"].startswith("text/javascript")
    assert_secure_headers(script.headers)


async def test_only_get_and_no_bodies(running: Running, browser: Browser) -> None:
    for method in ("POST", "PUT", "DELETE"):
        async with browser.session.request(method, running.base + "/", data=b"x") as got:
            assert got.status in (405, 413), method
    async with browser.session.request("GET", running.base + "/", data=b"x" * 100) as got:
        assert got.status == 413


async def test_a_download_needs_the_cookie_and_a_known_key(running: Running) -> None:
    stranger = running.browser()
    assert (await stranger.get("/download/abc")).status == 403
    browser = await running.joined()
    assert (await browser.get("/download/abc")).status == 404


async def test_the_board_page_escapes_the_title_and_names_its_websocket(
    running: Running,
) -> None:
    board = running.place.board
    board.write_text(
        board.read_text().replace(
            'title = "Families, art and culture"',
            'title = "<script>alert(1)</script> & co\\u001b[31m"',
            1,
        )
    )
    browser = await running.joined()
    got = await browser.get("/")
    assert got.status == 200
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co\\x1b[31m</title>" in got.text
    assert "<script>alert(1)" not in got.text
    assert "\x1b" not in got.text  # a control character is shown, never sent raw
    socket = f"ws://127.0.0.1:{running.entry.port}/ws"
    assert f'data-session-websocket-url="{socket}"' in got.text
    assert "Session ended — reload to rejoin" in got.text
    assert '<script src="/static/textual.js"></script>' in got.text
    assert "fonts.googleapis" not in got.text
    assert f"connect-src 'self' {socket}" in got.headers["Content-Security-Policy"]


async def test_the_board_page_of_a_deleted_board_is_gone(running: Running) -> None:
    browser = await running.joined()
    running.place.board.unlink()
    got = await browser.get("/")
    assert got.status == 410
    assert "no longer here" in got.text

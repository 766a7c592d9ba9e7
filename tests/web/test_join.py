"""Opening a link: the one-time token, the cookie it gives, and every refusal."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from sprintboard.web import cookies

from .browser import Browser, Running
from .conftest import Serve, in_an_hour

SECURITY = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def assert_secure_headers(headers: object) -> None:
    for name, value in SECURITY.items():
        assert headers[name] == value, name  # type: ignore[index]
    policy = headers["Content-Security-Policy"]  # type: ignore[index]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "aiohttp" not in headers.get("Server", "")  # type: ignore[attr-defined]


async def test_a_link_sets_the_cookie_and_goes_on_to_the_clean_address(
    running: Running, browser: Browser
) -> None:
    ident, token = running.place.link(expires=in_an_hour())
    got = await browser.join(token)
    assert got.status == 200
    # a page of its own that goes on to "/": the token leaves the address bar and history
    assert 'location.replace("/")' in got.text
    assert 'http-equiv="refresh" content="0; url=/"' in got.text
    assert token not in got.text
    assert got.headers["Cache-Control"] == "no-store"
    assert_secure_headers(got.headers)
    cookie = got.headers["Set-Cookie"]
    assert cookie.startswith(f"{cookies.NAME}={ident}.")
    for flag in ("HttpOnly", "SameSite=Strict", "Path=/"):
        assert flag in cookie
    assert "Secure" not in cookie  # plain http: a Secure cookie would never come back
    max_age = int(cookie.split("Max-Age=")[1].split(";")[0])
    assert 3590 <= max_age <= 3600
    board = await browser.get("/")
    assert board.status == 200
    assert "<title>Families, art and culture</title>" in board.text
    assert any(f"link {ident} opened for birthe" in line for line in running.lines)
    assert not any(token in line for line in running.lines)


async def test_under_https_the_cookie_is_secure_and_the_websocket_wss(serve: Serve) -> None:
    running = await serve(public_url="https://board.example.org")
    browser = running.browser()
    _ident, token = running.place.link(expires=in_an_hour())
    got = await browser.join(token)
    assert "; Secure" in got.headers["Set-Cookie"]
    # the client sends no Secure cookie over http: hand it over as a proxy would pass it on
    value = got.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    page = await browser.get("/", headers={"Cookie": f"{cookies.NAME}={value}"})
    assert page.status == 200
    assert 'data-session-websocket-url="wss://board.example.org/ws"' in page.text
    assert (
        "connect-src 'self' wss://board.example.org/ws" in page.headers["Content-Security-Policy"]
    )


async def test_a_token_opens_once(running: Running) -> None:
    _ident, token = running.place.link()
    first, second = running.browser(), running.browser()
    assert (await first.join(token)).status == 200
    again = await second.join(token)
    assert again.status == 403
    assert "opened already" in again.text
    assert "ask whoever invited you for a new link" in again.text.lower()
    assert second.cookie is None
    assert (await second.get("/")).status == 403


async def test_the_same_browser_opening_its_link_again_goes_on(running: Running) -> None:
    _ident, token = running.place.link()
    browser = running.browser()
    assert (await browser.join(token)).status == 200
    again = await browser.join(token)  # the guest clicked the mail twice
    assert again.status == 200
    assert 'location.replace("/")' in again.text


async def test_of_two_racing_opens_exactly_one_wins(running: Running) -> None:
    _ident, token = running.place.link()
    browsers = [running.browser() for _ in range(6)]
    got = await asyncio.gather(*(b.join(token) for b in browsers))
    assert sorted(r.status for r in got) == [200] + [403] * 5
    assert sum(b.cookie is not None for b in browsers) == 1


@pytest.mark.parametrize(
    "token",
    [
        "x" * 43,  # the right shape, no such link
        "short",
        "A" * 44,
        "a" * 2000,
        "%00" * 20,
        "..%2F..%2Fetc%2Fpasswd",
        "<script>alert(1)</script>",
    ],
)
async def test_a_wrong_or_odd_token_is_a_403_page(
    running: Running, browser: Browser, token: str
) -> None:
    got = await browser.join(token)
    assert got.status in (403, 404)
    assert "<script>alert" not in got.text
    assert browser.cookie is None
    assert_secure_headers(got.headers)


async def test_no_token_is_not_found(browser: Browser) -> None:
    got = await browser.get("/join/")
    assert got.status == 404
    assert "<html" in got.text


async def test_an_expired_link_says_so(running: Running, browser: Browser) -> None:
    yesterday = datetime.now(UTC) - timedelta(days=1)
    _ident, token = running.place.link(expires=yesterday + timedelta(hours=8), now=yesterday)
    got = await browser.join(token)
    assert got.status == 403
    assert "expired" in got.text
    assert browser.cookie is None


async def test_a_revoked_link_says_so(running: Running, browser: Browser) -> None:
    ident, token = running.place.link()
    running.place.store.revoke(ident, datetime.now(UTC))
    got = await browser.join(token)
    assert got.status == 403
    assert "withdrew this link" in got.text
    assert browser.cookie is None


async def test_a_link_to_a_board_that_is_gone(running: Running, browser: Browser) -> None:
    _ident, token = running.place.link()
    running.place.board.unlink()
    got = await browser.join(token)
    assert got.status == 410
    assert "no longer here" in got.text
    assert browser.cookie is None


async def test_a_link_to_a_board_outside_the_served_folder(
    running: Running, browser: Browser
) -> None:
    other = running.place.boards.parent / "elsewhere.toml"
    other.write_bytes(running.place.board.read_bytes())
    _ident, token = running.place.link(board=other)
    got = await browser.join(token)
    assert got.status == 403
    assert "not served here" in got.text
    assert browser.cookie is None

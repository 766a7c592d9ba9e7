"""Apps started by the board page's request, before its websocket: taken by that
page's websocket, ended when none comes, counted against the limit, revoked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sprintboard.guests.limits import Limits
from sprintboard.web import session

from .browser import Running, gone, wait_until
from .conftest import Serve

pytestmark = pytest.mark.slow


async def test_the_websocket_takes_the_app_its_page_started(
    running: Running, spawned: list[int]
) -> None:
    browser = await running.joined()
    assert (await browser.get("/warm?width=120&height=30")).status == 204
    await wait_until(lambda: len(spawned) == 1, "the app to start")
    assert (await browser.get("/warm?width=120&height=30")).status == 204  # one per invitation
    board = await browser.board(120, 30)
    await board.wait_for("Saturday art workshop at")  # at its size from the start
    assert len(spawned) == 1
    assert running.entry.hub.apps().keys() == {spawned[0]}


async def test_a_wrong_guess_of_the_size_gets_a_fresh_app(
    running: Running, spawned: list[int]
) -> None:
    browser = await running.joined()
    await browser.get("/warm?width=80&height=24")
    await wait_until(lambda: len(spawned) == 1, "the app to start")
    board = await browser.board(120, 30)
    await board.wait_for("Saturday art workshop at")
    assert len(spawned) == 2
    await wait_until(lambda: gone(spawned[0]), "the wrong-sized app to end", 20)
    assert running.entry.hub.apps().keys() == {spawned[1]}


async def test_an_app_no_websocket_takes_is_ended(serve: Serve, spawned: list[int]) -> None:
    running = await serve(warm=1.0)
    browser = await running.joined()
    await browser.get("/warm")
    await wait_until(lambda: len(spawned) == 1, "the app to start")
    await wait_until(lambda: gone(spawned[0]), "the untaken app to end", 20)
    assert running.entry.hub.warming.count == 0


async def test_without_the_cookie_nothing_starts(running: Running, spawned: list[int]) -> None:
    stranger = running.browser()
    assert (await stranger.get("/warm")).status == 403
    assert spawned == []


async def test_waiting_apps_count_against_the_limit(serve: Serve, spawned: list[int]) -> None:
    running = await serve(Limits(max_sessions=1, grace=3))
    first = await running.joined()
    await first.get("/warm?width=100&height=30")  # the size its board asks for
    other = await running.joined("ahmed")
    await other.get("/warm")  # no room: nothing started for it
    late = await other.board()
    code, _reason = await late.wait_closed()
    assert code == session.Why.FULL
    board = await first.board()  # the first page still gets its board
    await board.wait_for("Move")
    assert len(spawned) == 1


async def test_revoking_ends_a_waiting_app(running: Running, spawned: list[int]) -> None:
    browser = await running.joined()
    await browser.get("/warm")
    await wait_until(lambda: len(spawned) == 1, "the app to start")
    ident = (browser.cookie or "").split(".")[0]
    running.place.store.revoke(ident, datetime.now(UTC))
    await wait_until(lambda: gone(spawned[0]), "the revoked app to end", 20)


async def test_disabled_no_app_starts_before_the_websocket(
    serve: Serve, spawned: list[int]
) -> None:
    running = await serve(warm=0)
    browser = await running.joined()
    assert (await browser.get("/warm")).status == 204
    assert running.entry.hub.warming.count == 0
    assert spawned == []

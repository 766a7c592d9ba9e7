"""A real session: the real server on port 0, the real app behind it, a websocket as
the page's script speaks it. Each test checks that no app outlives its page."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sprintboard.guests.limits import Limits
from sprintboard.web import session

from .browser import Board, Running, gone, wait_until
from .conftest import Serve

pytestmark = pytest.mark.slow

SHIFT_RIGHT = "\x1b[1;2C"
DOWN = "\x1b[B"


def stage(board: Path, card: str) -> str:
    return str(tomllib.loads(board.read_text())["cards"][card]["stage"])


async def opened(running: Running, columns: int = 100, rows: int = 30) -> Board:
    browser = await running.joined()
    board = await browser.board(columns, rows)
    await board.wait_for("Families, art and culture")
    await board.wait_for("Move")  # the footer: the app reads keys
    return board


async def test_the_first_screen_shows_the_board_and_follows_a_resize(
    running: Running, spawned: list[int]
) -> None:
    board = await opened(running, 80, 24)
    await board.wait_for("Saturday art")
    # at 80 columns a column is 20 wide: the title wraps after "Saturday art"
    assert not any("Saturday art workshop at" in row for row in board.text())
    await board.resize(120, 30)
    await board.wait_for("Saturday art workshop at")
    assert len(spawned) == 1
    await wait_until(lambda: any("joined families.toml" in x for x in running.lines), "the log")
    assert any(
        line.startswith("birthe (Birthe Sørensen) joined families.toml from 127.0.0.1")
        for line in running.lines
    )


async def test_keys_move_a_card_and_the_file_changes(running: Running) -> None:
    board = await opened(running)
    await board.send(SHIFT_RIGHT)
    await wait_until(lambda: stage(running.place.board, "aaaa0001") == "prototype", "the move")


async def test_malformed_messages_are_ignored_and_input_keeps_its_order(
    running: Running,
) -> None:
    board = await opened(running)
    for junk in (
        "{",
        "[]",
        '["stdin"]',
        '["stdin", 5]',
        '["resize", {"width": "x"}]',
        "[1, 2]",
        '"stdin"',
        '["nothing", null]',
        '["ping", ' + json.dumps("x" * 100) + "]",
    ):
        await board.ws.send_str(junk)
    await board.ws.send_bytes(b"\x00\x01")
    await board.send(DOWN)
    await board.send(SHIFT_RIGHT)
    await board.send(SHIFT_RIGHT)
    await wait_until(lambda: stage(running.place.board, "aaaa0002") == "test", "the moves")
    assert stage(running.place.board, "aaaa0001") == "idea"


async def test_a_ping_is_answered(running: Running) -> None:
    board = await opened(running)
    await board.ws.send_str(json.dumps(["ping", "12345"]))
    await wait_until(lambda: ["pong", "12345"] in board.texts, "the pong")


async def test_closing_the_websocket_ends_the_app(running: Running, spawned: list[int]) -> None:
    board = await opened(running)
    await board.close()
    await wait_until(lambda: all(gone(pid) for pid in spawned), "the app to end", 15)
    await wait_until(lambda: running.entry.hub.count == 0, "the hub to forget it")
    assert any(": disconnected" in line and "left families.toml" in line for line in running.lines)


async def test_quitting_the_app_closes_the_page_normally(
    running: Running, spawned: list[int]
) -> None:
    board = await opened(running)
    await board.send("q")
    code, reason = await board.wait_closed()
    assert (code, reason) == (1000, "")
    assert all(gone(pid) for pid in spawned)
    await wait_until(lambda: any("the app ended (exit 0)" in x for x in running.lines), "log")


async def test_idle_ends_the_session_with_the_reason(serve: Serve, spawned: list[int]) -> None:
    running = await serve(Limits(idle=3, grace=3))
    browser = await running.joined()
    board = await browser.board()  # not waited for: a slow start may outlast the limit
    code, reason = await board.wait_closed()
    assert code == session.Why.IDLE
    assert reason == "Closed after 3 seconds without a key."
    assert all(gone(pid) for pid in spawned)
    assert any(line.endswith(": idle") for line in running.lines)


async def test_the_time_limit_ends_the_session_even_with_keys(serve: Serve) -> None:
    running = await serve(Limits(max_time=4, grace=3))
    browser = await running.joined()
    board = await browser.board()
    keys = 0
    while not board.closed.is_set():  # a key every half second: never idle
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(board.closed.wait(), 0.5)
        with contextlib.suppress(ConnectionError):
            await board.send(DOWN)
            keys += 1
    assert keys >= 4
    code, reason = await board.wait_closed()
    assert code == session.Why.TIME
    assert "at most 4 seconds" in reason


async def test_a_full_board_says_so(serve: Serve, spawned: list[int]) -> None:
    running = await serve(Limits(max_sessions=1, grace=3))
    await opened(running)
    other = await running.joined("ahmed")
    late = await other.board()
    code, reason = await late.wait_closed()
    assert code == session.Why.FULL
    assert reason == "The board is full (1 person): try again in a few minutes."
    assert len(spawned) == 1
    assert any("refused: full" in line for line in running.lines)


async def test_revoking_ends_the_page_and_refuses_its_cookie(
    running: Running, spawned: list[int]
) -> None:
    board = await opened(running)
    other = await opened(running)
    ident = running.browsers[0].cookie
    assert ident is not None
    running.place.store.revoke(ident.split(".")[0], datetime.now(UTC))
    code, reason = await board.wait_closed(timeout=10)
    assert (code, reason) == (session.Why.REVOKED, "Your invitation was revoked.")
    assert (await running.browsers[0].get("/")).status == 403
    assert not other.closed.is_set()  # another invitation's page stays
    await wait_until(lambda: gone(spawned[0]), "the revoked page's app to end")


async def test_the_server_stopping_ends_every_app(serve: Serve, spawned: list[int]) -> None:
    running = await serve()
    boards = [await opened(running) for _ in range(2)]
    await running.entry.close()
    for board in boards:
        code, reason = await board.wait_closed()
        assert (code, reason) == (session.Why.STOPPING, "The server is stopping.")
    assert len(spawned) == 2
    assert all(gone(pid) for pid in spawned)


async def test_a_board_deleted_after_the_link_was_opened(running: Running) -> None:
    browser = await running.joined()
    running.place.board.unlink()
    board = await browser.board()
    code, _reason = await board.wait_closed()
    assert code == session.Why.GONE


async def test_each_join_counts_a_use(running: Running) -> None:
    browser = await running.joined()
    ident = (browser.cookie or "").split(".")[0]
    before = running.place.store.get(ident)
    assert before is not None
    board = await browser.board()
    await board.wait_for("Move")
    after = running.place.store.get(ident)
    assert after is not None and after.uses == before.uses + 1


async def test_the_apps_environment_is_clean(
    serve: Serve, spawned: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SPRINTBOARD_USER", "TEXTUAL_DEBUG", "PYTHONPATH", "SECRET_TOKEN"):
        monkeypatch.setenv(name, "/the/servers/own")
    running = await serve()
    await opened(running)
    raw = Path(f"/proc/{spawned[0]}/environ").read_bytes()
    env = dict(item.split("=", 1) for item in raw.decode().split("\0") if item)
    assert not [v for v in env.values() if v == "/the/servers/own"]
    assert env["TEXTUAL_DRIVER"] == "textual.drivers.web_driver:WebDriver"
    assert env["TERM"] == "xterm-256color"
    allowed = {
        "PATH",
        "HOME",
        "TERM",
        "XDG_STATE_HOME",
        "XDG_CONFIG_HOME",
        "LANG",
        "LC_ALL",
        "LC_MESSAGES",
        "COLORTERM",
        "TEXTUAL_DRIVER",
        "TEXTUAL_FPS",
        "TEXTUAL_COLOR_SYSTEM",
        "TERM_PROGRAM",
        "COLUMNS",
        "ROWS",
    }
    assert set(env) <= allowed
    assert os.getsid(spawned[0]) == spawned[0]  # a session (and process group) of its own
    assert Path(f"/proc/{spawned[0]}/cwd").resolve() == running.place.boards.resolve()


async def test_an_app_that_fails_says_one_line(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = "import sys; sys.stderr.write('first\\nboom \\x1b[31mred\\n'); raise SystemExit(3)"
    monkeypatch.setattr(
        session, "app_command", lambda member, board, speaking=None: [sys.executable, "-c", broken]
    )
    browser = await running.joined()
    board = await browser.board()
    code, _reason = await board.wait_closed()
    assert code == 1000
    await wait_until(lambda: any("the app failed" in x for x in running.lines), "the log")
    failed = [x for x in running.lines if "the app failed" in x]
    assert failed == ["birthe (Birthe Sørensen): the app failed: boom \\x1b[31mred"]

"""A guest's session end to end: a real asyncssh client, the hub's session, the real app
on its own pty, and the guest's screen drawn by pyte from the bytes that came back."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import tomllib
from pathlib import Path

import asyncssh
import pytest

from sprintboard.guests.limits import Guest, Limits
from sprintboard.ssh import sessions

from .screen import GuestScreen
from .sessions_fixture import Serve, children, gone, serve, spawned

__all__ = ["serve", "spawned"]  # the fixtures, used by name

SHIFT_RIGHT = "\x1b[1;2C"
DOWN = "\x1b[B"


def stage(board: Path, card: str) -> str:
    return str(tomllib.loads(board.read_text())["cards"][card]["stage"])


async def test_the_board_shows_at_80_by_24_and_follows_a_resize(serve: Serve) -> None:
    served = await serve()
    screen = await served.join()
    await screen.wait_for("Families, art and culture")
    await screen.wait_for("Saturday art")
    await screen.wait_for("Museum tickets")
    await screen.wait_for("learned 1")
    # at 80 columns a column is 20 wide: the title wraps after "Saturday art"
    assert not any("Saturday art workshop at" in row for row in screen.text())
    screen.resize(120, 30)
    await screen.wait_for("Saturday art workshop at")
    assert len(screen.text()) == 30
    await served.wait_until(lambda: any("joined family.toml" in line for line in served.log), "log")
    assert "nanna (Nanna Holm) joined family.toml from 127.0.0.1:" in served.log[0]


async def test_keys_move_a_card_and_the_file_changes(serve: Serve) -> None:
    served = await serve()
    screen = await served.join()
    await screen.wait_for("Saturday art")
    await screen.wait_for("Move")  # the footer: the app reads keys
    screen.send(SHIFT_RIGHT)
    await served.wait_until(lambda: stage(served.board, "aaaa0001") == "prototype", "the move")


async def test_a_burst_of_keys_in_one_write_acts_in_order(serve: Serve) -> None:
    served = await serve()
    screen = await served.join()
    await screen.wait_for("Move")
    # down first, then move: the second card moves (in the wrong order, the first would)
    screen.send(DOWN + SHIFT_RIGHT + SHIFT_RIGHT)
    await served.wait_until(lambda: stage(served.board, "aaaa0002") == "test", "the moves")
    assert stage(served.board, "aaaa0001") == "idea"


@pytest.mark.parametrize("command", [None, "ls -la"])
async def test_without_a_terminal_one_line_and_exit_1(serve: Serve, command: str | None) -> None:
    served = await serve()
    screen = await served.join(term_type=None, command=command)
    assert await screen.wait_closed() == 1
    assert screen.said() == (
        "\r\nsprintboard: this is a board, not a shell: connect with ssh -t and no command,"
        " as your invitation shows\r\n"
    )
    assert served.hub.count == 0


async def test_sftp_is_refused(serve: Serve) -> None:
    served = await serve()
    with pytest.raises(asyncssh.ChannelOpenError):
        await served.join(term_type=None, subsystem="sftp")


async def test_a_hostile_terminal_type_still_starts_the_app_with_a_sane_one(
    serve: Serve, spawned: list[int]
) -> None:
    served = await serve()
    hostile = "$(rm -rf ~)\x1b]0;owned\x07" + "x" * 10_000
    screen = await served.join(term_type=hostile, env={"LANG": "$(id)", "PYTHONPATH": "/tmp"})
    await screen.wait_for("Saturday art")
    environ = Path(f"/proc/{spawned[0]}/environ").read_bytes().split(b"\0")
    assert b"TERM=xterm-256color" in environ
    assert not [entry for entry in environ if entry.startswith((b"LANG", b"PYTHON"))]


async def test_disconnecting_mid_start_leaves_no_process(serve: Serve, spawned: list[int]) -> None:
    served = await serve()
    before = children()
    await served.join()  # the pty and shell requests answered: the app is starting
    served.connections[-1].close()
    await served.wait_until(
        lambda: bool(served.log) and "disconnected" in served.log[-1], "the leave"
    )
    assert spawned and all(gone(pid) for pid in spawned)
    assert children() <= before
    assert served.hub.count == 0


async def test_disconnecting_mid_session_leaves_no_process(
    serve: Serve, spawned: list[int]
) -> None:
    served = await serve()
    before = children()
    screen = await served.join()
    await screen.wait_for("Move")
    assert set(served.hub.apps()) == set(spawned)
    command = Path(f"/proc/{spawned[0]}/cmdline").read_bytes().rstrip(b"\0").split(b"\0")
    assert command[-5:] == [b"--as", b"nanna", b"open", b"--guest", str(served.board).encode()]
    served.connections[-1].close()
    await served.wait_until(lambda: served.hub.count == 0, "the app to end")
    assert all(gone(pid) for pid in spawned)
    assert children() <= before
    assert (
        "disconnected" in served.log[-1]
        and "nanna (Nanna Holm) left family.toml" in (served.log[-1])
    )


async def test_a_full_hub_says_so(serve: Serve) -> None:
    served = await serve(Limits(max_sessions=1))
    first = await served.join()
    await first.wait_for("Saturday art")
    second = await served.join("birthe")
    assert await second.wait_closed() == 1
    assert "The board is full (1 person): try again in a few minutes." in second.said()
    assert served.hub.count == 1


async def test_idle_ends_the_session_with_a_goodbye(serve: Serve, spawned: list[int]) -> None:
    served = await serve(Limits(idle=3))
    screen = await served.join()
    await screen.wait_for("Saturday art")
    assert await screen.wait_closed(60) == 1
    assert screen.said().endswith("\r\nClosed after 3 seconds without a key.\r\n")
    assert "idle" in served.log[-1]
    assert all(gone(pid) for pid in spawned)


async def test_the_time_limit_ends_the_session_even_with_keys(serve: Serve) -> None:
    served = await serve(Limits(max_time=6))
    screen = await served.join()
    await screen.wait_for("Saturday art")
    typing = asyncio.get_running_loop().create_task(_type_arrows(screen))
    try:
        assert await screen.wait_closed(60) == 1
    finally:
        typing.cancel()
    assert "Closed: a session lasts at most 6 seconds." in screen.said()
    assert "time limit" in served.log[-1]


async def _type_arrows(screen: GuestScreen) -> None:
    while True:
        screen.send(DOWN)
        await asyncio.sleep(0.5)


async def test_hub_end_says_why_and_ends_those_sessions_only(serve: Serve) -> None:
    served = await serve()
    nanna = await served.join("nanna")
    birthe = await served.join("birthe")
    await nanna.wait_for("Saturday art")
    await birthe.wait_for("Saturday art")
    assert served.hub.end({"inv-birthe"}, lambda: "Your invitation was revoked.") == 1
    assert await birthe.wait_closed() == 1
    assert "Your invitation was revoked." in birthe.said()
    assert "revoked" in served.log[-1] and "birthe" in served.log[-1]
    assert served.hub.count == 1
    assert not nanna.closed.is_set()


async def test_two_guests_see_each_other_in_the_header(serve: Serve) -> None:
    served = await serve()
    nanna = await served.join("nanna")
    await nanna.wait_for("Move")
    assert "with" not in nanna.text()[0]  # alone: nobody else in the header
    birthe = await served.join("birthe")
    await birthe.wait_until(lambda: "with Nanna Holm" in birthe.text()[0], 60, "Nanna")
    await nanna.wait_until(lambda: "with Birthe Sørensen" in nanna.text()[0], 60, "Birthe")


async def test_a_board_deleted_after_the_invitation(serve: Serve) -> None:
    served = await serve()
    served.board.unlink()
    screen = await served.join()
    assert await screen.wait_closed() == 1
    assert "This board is no longer here: ask whoever invited you for a new invitation." in (
        screen.said()
    )


async def test_closing_the_hub_ends_every_app(serve: Serve, spawned: list[int]) -> None:
    served = await serve()
    screens = [await served.join(user) for user in ("nanna", "birthe")]
    for screen in screens:
        await screen.wait_for("Saturday art")
    await served.hub.close()
    assert served.hub.count == 0
    assert len(spawned) == 2 and all(gone(pid) for pid in spawned)
    for screen in screens:
        assert await screen.wait_closed() == 1
        assert "The server is stopping" in screen.said()


async def test_closing_while_the_session_opens_leaves_nothing(
    serve: Serve, spawned: list[int]
) -> None:
    """The connection closed before the pty and shell requests are answered, again and
    again at slightly different moments: no session, no app, is left."""
    served = await serve()
    before = children()
    for _ in range(5):
        conn = await asyncssh.connect(
            "127.0.0.1", served.port, username="nanna", known_hosts=None, client_keys=None
        )
        opening = asyncio.ensure_future(
            conn.create_session(
                lambda: GuestScreen(80, 24), term_type="xterm", term_size=(80, 24), encoding=None
            )
        )
        conn.close()
        with contextlib.suppress(asyncssh.Error, OSError):
            await opening
        await conn.wait_closed()
    await served.wait_until(lambda: served.hub.count == 0, "every session to end")
    await served.wait_until(lambda: all(gone(pid) for pid in spawned), "every app to end")
    assert children() <= before


async def test_closing_the_hub_does_not_wait_for_a_session_that_never_started(
    serve: Serve,
) -> None:
    served = await serve()
    served.hub.session(Guest("inv-x", served.board, "nanna", "Nanna Holm", "127.0.0.1:1"))
    await asyncio.wait_for(served.hub.close(), 10)


async def test_input_the_app_cannot_take_yet_is_queued_and_arrives_whole_in_order(
    serve: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app stopped, a 300 KB paste between two keys fills the pty: the rest waits in
    the session (over the bound, here 64 KB, the client is asked to wait) and reaches the
    app, in order, once it reads again."""
    monkeypatch.setattr(sessions, "_MAX_QUEUED", 64 * 1024)
    served = await serve()
    screen = await served.join()
    await screen.wait_for("Move")
    (pid,) = served.hub.apps()
    os.killpg(pid, signal.SIGSTOP)
    try:
        screen.send(DOWN + "\x1b[200~" + "x" * 300_000 + "\x1b[201~" + SHIFT_RIGHT)
        # the bound reached: the channel stopped reading, so the queue stops growing there
        await served.wait_until(lambda: served.hub.queued > 64 * 1024, "the pty to fill")
    finally:
        os.killpg(pid, signal.SIGCONT)
    await served.wait_until(lambda: served.hub.queued == 0, "the queue to drain", timeout=60)
    await served.wait_until(
        lambda: stage(served.board, "aaaa0002") == "prototype", "the move", timeout=60
    )
    assert stage(served.board, "aaaa0001") == "idea"


async def test_quitting_the_app_ends_the_session_with_its_exit_status(
    serve: Serve, spawned: list[int]
) -> None:
    served = await serve()
    screen = await served.join()
    await screen.wait_for("Move")
    screen.send("q")
    assert await screen.wait_closed() == 0
    assert served.log[-1].endswith(": the app ended (exit 0)")
    assert "Closed" not in screen.said()
    assert all(gone(pid) for pid in spawned)


async def test_an_app_that_ends_at_once_is_relayed_whole_with_its_exit_status(
    serve: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What an app writes just before it ends reaches the guest before the exit status."""
    last = "import sys; sys.stdout.write('last words ' * 2000); raise SystemExit(3)"
    monkeypatch.setattr(
        sessions, "app_command", lambda member, board, speaking=None: [sys.executable, "-c", last]
    )
    served = await serve()
    screen = await served.join()
    assert await screen.wait_closed() == 3
    assert screen.said().replace("\r\n", "") == "last words " * 2000
    assert served.log[-1].endswith(": the app ended (exit 3)")


async def test_an_app_that_cannot_be_started_is_one_line(
    serve: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        sessions, "app_command", lambda member, board, speaking=None: ["/no/such/program"]
    )
    served = await serve()
    screen = await served.join()
    assert await screen.wait_closed() == 1
    assert screen.said() == "\r\nThe board could not be opened here: try again later.\r\n"
    assert "the app could not be started" in served.log[0]
    assert served.hub.count == 0

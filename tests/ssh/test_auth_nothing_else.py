"""Nothing but the board: what a connection may not do, before or after it is let in.

The login time-out, no passwords, hostile user names; once in: no SFTP, no command, no
port forwarding either way, no agent forwarding, one session per connection; keys
bound to an invitation; revoking ends an open session.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import asyncssh
import pytest
from cli.helpers import SPRINTBOARD, make_env

from sprintboard.ssh import server

from .client import Answers, connect, open_board
from .conftest import LOGIN, Place, Running


async def test_a_client_that_never_authenticates_is_cut_at_the_login_timeout(
    running: Running,
) -> None:
    started = time.monotonic()  # before the server's timer starts: a lower bound
    reader, writer = await asyncio.open_connection("127.0.0.1", running.port)
    try:
        banner = await asyncio.wait_for(reader.readline(), 30)
        assert banner.startswith(b"SSH-2.0-sprintboard")
        writer.write(b"SSH-2.0-slowpoke\r\n")  # and then nothing: no key exchange, no login
        while await asyncio.wait_for(reader.read(65536), LOGIN * 10):
            pass
        # asyncio may run a timer up to its clock's resolution early
        assert time.monotonic() - started >= LOGIN - 0.05
    finally:
        writer.close()


async def test_a_client_stuck_at_the_prompt_is_cut_too(running: Running) -> None:
    class Silent(Answers):
        async def kbdint_challenge_received(  # type: ignore[override]
            self, name: str, instructions: str, lang: str, prompts: object
        ) -> list[str]:
            await asyncio.sleep(LOGIN * 10)  # a person who walked away
            return []

    started = time.monotonic()
    with pytest.raises((asyncssh.DisconnectError, ConnectionError)):
        await connect(running.place.state, running.port, client=Silent([]))
    assert time.monotonic() - started >= LOGIN


async def test_no_password_is_offered_or_taken(running: Running) -> None:
    client = Answers([])
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(
            running.place.state, running.port, client=client, kbdint_auth=False, password_auth=True
        )
    assert not client.password_offered


async def test_a_long_user_name_is_ignored_and_a_huge_one_refused(running: Running) -> None:
    code = running.place.invite("birthe")
    conn, _client = await connect(
        running.place.state, running.port, answers=[code], username="gæst-" + "x" * 900
    )
    conn.close()
    with pytest.raises(asyncssh.Error):
        await connect(running.place.state, running.port, answers=[code], username="y" * 5000)
    assert not any("xxxx" in line for line in running.lines)
    # and the server goes on serving
    again, _client = await connect(running.place.state, running.port, answers=[code])
    again.close()


async def test_sftp_a_command_and_a_second_session_are_refused(running: Running) -> None:
    code = running.place.invite("birthe")
    conn, _client = await connect(running.place.state, running.port, answers=[code])
    async with conn:
        with pytest.raises((asyncssh.SFTPError, asyncssh.ChannelOpenError)):
            await asyncio.wait_for(conn.start_sftp_client(), 30)
    conn, _client = await connect(running.place.state, running.port, answers=[code])
    async with conn:
        result = await asyncio.wait_for(conn.run("cat /etc/passwd", encoding=None), 30)
        assert result.exit_status == 1
        out, err = result.stdout or b"", result.stderr or b""
        assert isinstance(out, bytes) and isinstance(err, bytes)
        assert b"ssh -t" in out + err
        # that was this connection's one session
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.create_process(term_type="xterm")


async def test_no_port_forwarding_either_way(running: Running) -> None:
    code = running.place.invite("birthe")
    conn, _client = await connect(running.place.state, running.port, answers=[code])
    async with conn:
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.create_connection(asyncssh.SSHTCPSession, "127.0.0.1", running.port)
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.open_unix_connection("/run/dbus/system_bus_socket")
        with pytest.raises(asyncssh.ChannelListenError):
            await conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", 9)
        # ssh -L: the client listens; what connects there is refused by the server
        listener = await conn.forward_local_port("127.0.0.1", 0, "127.0.0.1", running.port)
        reader, writer = await asyncio.open_connection("127.0.0.1", listener.get_port())
        try:
            assert await asyncio.wait_for(reader.read(), 30) == b""
        finally:
            writer.close()
            listener.close()
    assert any("refused a port forwarding" in line for line in running.lines)


async def test_no_agent_forwarding(running: Running, tmp_path: Path) -> None:
    code = running.place.invite("birthe")
    agent = await asyncio.start_unix_server(lambda r, w: w.close(), path=f"{tmp_path}/agent")
    try:
        conn, _client = await connect(
            running.place.state,
            running.port,
            answers=[code],
            agent_forwarding=True,
            agent_path=f"{tmp_path}/agent",
        )
        async with conn:
            screen = await open_board(conn)
            [door] = [d for d in running.entry._doors if d.guest is not None]
            assert door._conn is not None
            assert door._conn.get_agent_path() is None
            assert screen.exit_status is None
    finally:
        agent.close()


async def test_a_bound_key_gets_in_and_another_does_not(running: Running) -> None:
    place = running.place
    key = asyncssh.generate_private_key("ssh-ed25519")
    other = asyncssh.generate_private_key("ssh-ed25519")
    line = key.export_public_key().decode().strip() + " nanna@laptop"
    place.store.add_key(place.board, "nanna", line, expires=None, by="nanna", now=datetime.now(UTC))
    conn, _client = await connect(place.state, running.port, key=key)
    async with conn:
        screen = await open_board(conn)
        assert screen.exit_status is None
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(place.state, running.port, key=other)
    [record] = place.store.all()
    assert record.uses == 1  # the query and the signed request: one use


async def test_revoking_ends_an_open_session(running: Running, tmp_path: Path) -> None:
    place = running.place
    code = place.invite("birthe")
    conn, _client = await connect(place.state, running.port, answers=[code])
    async with conn:
        screen = await open_board(conn)
        revoked = await asyncio.to_thread(
            subprocess.run,
            [SPRINTBOARD, "revoke", "birthe"],
            cwd=tmp_path,
            env=make_env(tmp_path, XDG_STATE_HOME=str(place.state.parent)),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert revoked.returncode == 0, revoked.stderr
        await screen.wait_closed(timeout=60)
        assert "Your invitation was revoked." in screen.said()
    assert any(line.startswith("revoked ") for line in running.lines)


async def test_a_flood_of_connections_that_do_not_log_in_is_bounded(place: Place) -> None:
    lines: list[str] = []
    entry = await server.start(
        place.boards, state_folder=place.state, log=lines.append, port=0, waiting=2
    )
    opened: list[asyncio.StreamWriter] = []
    try:
        for _ in range(2):
            reader, writer = await asyncio.open_connection("127.0.0.1", entry.port)
            opened.append(writer)
            assert (await asyncio.wait_for(reader.readline(), 30)).startswith(b"SSH-2.0-")
        reader, writer = await asyncio.open_connection("127.0.0.1", entry.port)
        opened.append(writer)
        while await asyncio.wait_for(reader.read(65536), 30):
            pass  # closed, not left to the login time-out
        assert any("too many connections logging in" in line for line in lines)
        # whoever logs in is not held up by the crowd once it thins
        for writer in opened:
            writer.close()
        code = place.invite("birthe")
        deadline = time.monotonic() + 30
        while len(entry._doors) >= 2:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.05)
        conn, _client = await connect(place.state, entry.port, answers=[code])
        conn.close()
    finally:
        await entry.close()


async def test_a_client_gone_while_its_answer_waits_leaves_nothing(running: Running) -> None:
    class Leaving(Answers):
        def connection_made(self, conn: asyncssh.SSHClientConnection) -> None:
            self.conn = conn

        def kbdint_challenge_received(
            self, name: str, instructions: str, lang: str, prompts: Sequence[tuple[str, bool]]
        ) -> list[str]:
            asyncio.get_running_loop().call_soon(self.conn.abort)  # gone right after answering
            return ["DDD-DDD-DDD"]

    place, rate = running.place, running.entry.rate.rate
    with pytest.raises(asyncssh.DisconnectError):
        await connect(place.state, running.port, answers=["AAA-AAA-AAA"] * rate.free)
    leaving = Leaving([])
    with contextlib.suppress(asyncssh.Error, ConnectionError):
        await connect(place.state, running.port, client=leaving)
    assert leaving.conn.is_closed()
    deadline = time.monotonic() + 30
    while running.entry._doors:
        assert time.monotonic() < deadline, "a connection that went away is still counted"
        await asyncio.sleep(0.05)
    conn, _client = await connect(place.state, running.port, answers=[place.invite("birthe")])
    conn.close()

"""The SSH entry speaks the invitation's language, else the client's: its own words after
the code and the guest's app, with a real asyncssh client on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

import asyncssh

from .client import TITLE, connect
from .conftest import Running
from .screen import GuestScreen


def invite(running: Running, language: str | None) -> str:
    place = running.place
    _invitation, code = place.store.add_code(
        place.board, "birthe", expires=None, once=False, by="nanna", now=datetime.now(UTC),
        language=language,
    )  # fmt: skip
    return code


async def board_with(
    conn: asyncssh.SSHClientConnection, env: Mapping[str, str] | None = None
) -> GuestScreen:
    sent: dict[str | bytes, str | bytes] = {name: value for name, value in (env or {}).items()}
    _chan, screen = await conn.create_session(
        lambda: GuestScreen(100, 30),
        term_type="xterm-256color",
        term_size=(100, 30),
        encoding=None,
        env=sent,
    )
    assert isinstance(screen, GuestScreen)
    await screen.wait_for(TITLE)
    return screen


async def test_a_danish_invitation_gets_a_danish_board_whatever_the_client(
    running: Running,
) -> None:
    code = invite(running, "da")
    conn, answers = await connect(running.place.state, running.port, answers=[code])
    async with conn:
        # before the code the server cannot know whose it is: its own language
        assert answers.prompts == [("Invitation code: ", False)]
        screen = await board_with(conn, {"LANG": "en_GB.UTF-8"})
        await screen.wait_for("idé")
        await screen.wait_for("Hjælp")
    assert any("joined families.toml" in line for line in running.lines), running.lines


async def test_a_danish_invitation_refuses_in_danish(running: Running) -> None:
    code = invite(running, "da")
    conn, _answers = await connect(running.place.state, running.port, answers=[code])
    async with conn:
        result = await conn.run("ls", env={"LANG": "C"})
    assert "dette er en tavle, ikke en shell" in str(result.stdout)
    # and the log, the server's, in its own language
    assert any("refused: no terminal" in line for line in running.lines), running.lines


async def test_without_a_language_the_clients_locale_speaks(running: Running) -> None:
    code = invite(running, None)
    conn, _answers = await connect(running.place.state, running.port, answers=[code])
    async with conn:  # one session a connection: this one for a refusal
        refusal = await conn.run("ls", env={"LANGUAGE": "da:en", "LANG": "en_US.UTF-8"})
    assert "dette er en tavle" in str(refusal.stdout)
    conn, _answers = await connect(running.place.state, running.port, answers=[code])
    async with conn:
        screen = await board_with(conn, {"LANG": "da_DK.UTF-8"})
        await screen.wait_for("idé")
        await screen.wait_for("Hjælp")


async def test_a_c_locale_speaks_english(running: Running) -> None:
    code = invite(running, None)
    conn, _answers = await connect(running.place.state, running.port, answers=[code])
    async with conn:
        screen = await board_with(conn, {"LANG": "C", "LANGUAGE": "da"})
        await screen.wait_for("Help")
        assert not any("Hjælp" in row for row in screen.text())


async def test_a_revocation_says_goodbye_in_each_guests_language(running: Running) -> None:
    # the poll that ends them runs in the server's language; each goodbye is the guest's
    danish, english = invite(running, "da"), invite(running, None)
    screens = []
    for code, env in ((danish, {"LANG": "C"}), (english, {"LANG": "C"})):
        conn, _answers = await connect(running.place.state, running.port, answers=[code])
        screens.append((conn, await board_with(conn, env)))
    try:
        running.place.store.revoke("birthe", datetime.now(UTC))
        for _conn, screen in screens:
            await screen.wait_until(screen.closed.is_set, 30, "the session to end")
        assert "Din invitation er trukket tilbage." in screens[0][1].said()
        assert "Your invitation was revoked." in screens[1][1].said()
        assert any("revoked" in line and "2 sessions ended" in line for line in running.lines)
    finally:
        for conn, _screen in screens:
            conn.close()

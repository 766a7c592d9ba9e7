"""Who gets in: invitation codes, bound keys, and everything refused on the way.

Real asyncssh clients against the real server on 127.0.0.1 (`conftest.running`), the
invitations made with the real store.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import asyncssh
import pytest
from asyncssh.auth import MSG_USERAUTH_INFO_RESPONSE
from asyncssh.packet import String, UInt32

from .client import Answers, connect, open_board
from .conftest import Running

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


async def test_the_right_code_opens_a_session(running: Running) -> None:
    code = running.place.invite("birthe")
    conn, client = await connect(running.place.state, running.port, answers=[code])
    async with conn:
        screen = await open_board(conn)
        assert screen.exit_status is None
    assert client.prompts == [("Invitation code: ", False)]  # one question, not echoed
    assert not client.password_offered
    [record] = running.place.store.all()
    assert record.uses == 1


async def test_a_code_is_typed_forgivingly(running: Running) -> None:
    code = running.place.invite("birthe")
    typed = f"  {code.lower().replace('-', ' ')} "
    conn, _client = await connect(running.place.state, running.port, answers=[typed])
    conn.close()


@pytest.mark.parametrize("case", ["wrong", "expired", "revoked", "used"])
async def test_a_code_that_is_no_longer_good_is_refused(running: Running, case: str) -> None:
    place = running.place
    now = datetime.now(UTC)
    code = place.invite(
        "birthe",
        once=case == "used",
        expires=now - timedelta(seconds=1) if case == "expired" else None,
    )
    if case == "wrong":
        code = "7KQ-M2X-9TD" if code != "7KQ-M2X-9TD" else "7KQ-M2X-9TE"
    elif case == "revoked":
        place.store.revoke("birthe", now)
    elif case == "used":
        first, _client = await connect(place.state, running.port, answers=[code])
        first.close()
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(place.state, running.port, answers=[code])
    assert any("wrong invitation code" in line for line in running.lines)
    assert not any(code in line for line in running.lines)  # never what was typed


async def test_three_wrong_answers_close_the_connection(running: Running) -> None:
    code = running.place.invite("birthe")
    client_answers = ["AAA-AAA-AAA", "BBB-BBB-BBB", "CCC-CCC-CCC", code]
    with pytest.raises(asyncssh.DisconnectError) as raised:
        await connect(running.place.state, running.port, answers=client_answers)
    assert "wrong invitation codes" in raised.value.reason
    assert sum("of 3)" in line for line in running.lines) == 3
    assert running.lines[-1].endswith("disconnected: Too many wrong invitation codes.")


async def test_wrong_codes_from_one_address_are_slowed(running: Running) -> None:
    place, rate = running.place, running.entry.rate.rate
    with pytest.raises(asyncssh.DisconnectError):
        await connect(place.state, running.port, answers=["AAA-AAA-AAA"] * rate.free)
    # a new connection from the same address: each answer now waits before it is checked,
    # twice as long as the one before, up to the cap (lower bounds: the server may be
    # slower, never faster)
    code = place.invite("birthe")
    answers = ["BBB-BBB-BBB", "CCC-CCC-CCC", code]
    conn, client = await connect(place.state, running.port, answers=answers)
    conn.close()
    assert len(client.asked) == 3 and len(client.answered) == 3
    # from each wrong answer to the next question
    assert client.asked[1] - client.answered[0] >= rate.base
    assert client.asked[2] - client.answered[1] >= min(rate.cap, rate.base * 2)
    # the right code was slowed too, and then forgot the address's failures
    assert len(running.entry.rate) == 0


async def test_a_broken_invitations_file_lets_nobody_in_and_says_so(running: Running) -> None:
    code = running.place.invite("birthe")
    running.place.store.path.write_text("{ not json")
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(running.place.state, running.port, answers=[code])
    assert any("the invitations cannot be used" in line for line in running.lines)
    assert not any(code in line for line in running.lines)


async def test_two_guests_racing_on_a_once_code_one_gets_in(running: Running) -> None:
    code = running.place.invite("birthe", once=True)
    results = await asyncio.gather(
        *(connect(running.place.state, running.port, answers=[code]) for _ in range(2)),
        return_exceptions=True,
    )
    admitted = [r for r in results if isinstance(r, tuple)]
    refused = [r for r in results if isinstance(r, asyncssh.PermissionDenied)]
    for conn, _client in admitted:
        conn.close()
    assert (len(admitted), len(refused)) == (1, 1), results
    [record] = running.place.store.all()
    assert record.uses == 1


async def test_answers_sent_without_waiting_get_no_more_than_three_verdicts(
    running: Running,
) -> None:
    class Hasty(Answers):
        """Sends ten more answers behind the first, without waiting for a verdict."""

        def connection_made(self, conn: asyncssh.SSHClientConnection) -> None:
            self.conn = conn

        def kbdint_challenge_received(
            self, name: str, instructions: str, lang: str, prompts: Sequence[tuple[str, bool]]
        ) -> list[str] | None:
            if not self.asked:
                for n in range(10):
                    self.conn.send_packet(MSG_USERAUTH_INFO_RESPONSE, UInt32(1), String(f"X{n}"))
            return super().kbdint_challenge_received(name, instructions, lang, prompts)

    hasty = Hasty(["AAA-AAA-AAA"] * 20)
    with contextlib.suppress(asyncssh.Error, ConnectionError):
        await connect(running.place.state, running.port, client=hasty)
    checked = [line for line in running.lines if "wrong invitation code (" in line]
    assert len(checked) == 3, running.lines
    # and every one of them counted against the address: the next answer from it waits
    # (more than the three with verdicts: the next wait is past the first step's)
    assert running.entry.rate.wait("127.0.0.1") > 1.5 * running.entry.rate.rate.base

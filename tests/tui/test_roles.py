"""The facilitator gate in the app, end to end: hidden from others' key bar, refused
with one sentence from a key or the palette, run for a facilitator, open to everyone
on a board without facilitators, and no crash before the board is in.

No facilitator action exists on the board yet in this module's world, so the test makes
one the way every sprint action is made: an action named in
`board_keys.FACILITATOR_ACTIONS`, starting with `facilitating(duty)`. It takes `d`
(archive) for this: a key the key bar shows, and a change the board file records.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette

from sprintboard import storage
from sprintboard.facilitation import Duty
from sprintboard.tui.screens import board_keys
from sprintboard.tui.screens.board import BoardScreen
from sprintboard.tui.widgets.keybar import KeyBar

from .helpers import board_screen, palette_options, settle, steady_app
from .test_key_bursts import burst

SIZE = (100, 30)
REFUSED = "Only a facilitator (nanna) can start a vote round"


@pytest.fixture(autouse=True)
def _archive_is_a_facilitators_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    archive = BoardScreen.action_archive_card

    def gated(self: BoardScreen) -> None:
        if not self.facilitating(Duty.START_ROUND):
            return
        archive(self)

    monkeypatch.setitem(board_keys.FACILITATOR_ACTIONS, "archive_card", Duty.START_ROUND)
    monkeypatch.setattr(BoardScreen, "action_archive_card", gated)
    yield


def notices(app: Any) -> list[str]:
    return [str(note.message) for note in app._notifications]


def bar_keys(app: Any) -> list[str]:
    return [keys for keys, _what, _enabled in board_screen(app).query_one(KeyBar).entries()]


def archived(path: Path) -> bool:
    return storage.load(path).board.cards["aaaa0001"].archived


async def from_the_palette(app: Any, pilot: Any, words: str) -> None:
    """The palette opened, `words` typed, and its first option chosen."""
    assert await palette_options(app, pilot, words), "the palette found nothing"
    await pilot.press("enter")
    await settle(pilot)


async def test_someone_else_does_not_see_the_key_and_is_refused(board_file: Path) -> None:
    before = board_file.read_bytes()
    app = steady_app(board_file, actor="omar")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "d" not in bar_keys(app)
        assert "n" in bar_keys(app)  # the other keys are there
        await pilot.press("d")
        await settle(pilot)
        assert notices(app) == [REFUSED]
        app.clear_notifications()
        await from_the_palette(app, pilot, "Archive the card")
        assert not isinstance(app.screen, CommandPalette)
        assert notices(app) == [REFUSED]
    assert board_file.read_bytes() == before


@pytest.mark.parametrize("actor", ["nanna", "Nanna Holm"])  # by key, or by name
async def test_a_facilitator_sees_the_key_and_runs_it(board_file: Path, actor: str) -> None:
    app = steady_app(board_file, actor=actor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "d" in bar_keys(app)
        await pilot.press("d")
        await settle(pilot)
        assert archived(board_file)
        assert REFUSED not in notices(app)
        await pilot.press("a", "home", "d")  # shown archived, restored: from the palette next
        await settle(pilot)
        assert not archived(board_file)
        await from_the_palette(app, pilot, "Archive the card")
        assert archived(board_file)
        assert REFUSED not in notices(app)


async def test_a_board_without_facilitators_lets_anyone(board_file: Path) -> None:
    text = board_file.read_text()
    board_file.write_text(text.replace('facilitators = [\n    "nanna",\n]\n', ""))
    assert "facilitators" not in board_file.read_text()
    for actor in ("omar", "someone new"):
        app = steady_app(board_file, actor=actor)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert "d" in bar_keys(app)
            card_id = board_screen(app).current_column.card_id
            assert card_id is not None
            await pilot.press("d")
            await settle(pilot)
            assert storage.load(board_file).board.cards[card_id].archived
            assert not any("Only a facilitator" in notice for notice in notices(app))


@pytest.mark.parametrize("actor", ["omar", "nanna"])
async def test_before_the_board_is_in_nothing_crashes(board_file: Path, actor: str) -> None:
    app = steady_app(board_file, actor=actor)
    async with app.run_test(size=SIZE) as pilot:
        # at once, before the board is open: the key bar asks, the key waits for the board
        burst(app, "d")
        await settle(pilot)
        assert archived(board_file) is (actor == "nanna")
        assert (REFUSED in notices(app)) is (actor == "omar")


async def test_a_board_that_cannot_be_opened_refuses_everyone(board_file: Path) -> None:
    board_file.write_text(board_file.read_text().replace('side = "internal"', 'side = "nope"', 1))
    before = board_file.read_bytes()
    for actor in ("omar", "nanna"):
        app = steady_app(board_file, actor=actor)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = board_screen(app)
            assert screen.live.session.board is None
            assert "d" not in bar_keys(app)  # nothing to run: hidden from everyone
            await pilot.press("d")  # no card to act on either: nothing happens, no crash
            await settle(pilot)
            # what any facilitator action asks first says why, as one sentence
            assert not screen.may_facilitate(Duty.START_ROUND)
            assert not screen.facilitating(Duty.START_ROUND)
            await pilot.pause()
            assert notices(app)[-1:] == ["The board cannot be opened now: nothing to run"]
    assert board_file.read_bytes() == before

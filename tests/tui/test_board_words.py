"""The board says what keys do and what was done, in words a participant reads.

Context-sensitive key labels, what undo and redo undid, a new card that stays in
view under a filter, and a filter that ignores accents and knows members' sides.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sprintboard import storage
from sprintboard.model import Member, Side, Stage
from sprintboard.tui.app import SprintboardApp
from sprintboard.tui.filtering import folded, matcher
from sprintboard.tui.widgets.keybar import KeyBar

from .helpers import board_screen, fixture_board, focused_column, settle, steady_app

SIZE = (100, 30)


def notes(app: Any) -> list[str]:
    return [str(note.message) for note in app._notifications]


def bar(app: SprintboardApp) -> list[tuple[str, str, bool]]:
    return app.screen.query_one(KeyBar).entries()


async def test_d_says_restore_on_an_archived_card_and_archive_on_others(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert ("d", "Archive", True) in bar(app)
        await pilot.press("a", "end")  # archived cards shown; the last idea is archived
        await settle(pilot)
        assert focused_column(app).card_id == "aaaa0004"
        assert ("d", "Restore", True) in bar(app)
        assert ("d", "Archive", True) not in bar(app)
        await pilot.press("d")
        await settle(pilot)
        assert not storage.load(board_file).board.cards["aaaa0004"].archived
        assert ("d", "Archive", True) in bar(app)


async def test_undo_and_redo_say_what_they_undid_and_redid(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "down")  # "Borrow-an-instrument shelf" in prototype
        await pilot.press("L", "escape")  # on into test; its experiment's nudge skipped
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert "Undid: moved “Borrow-an-instrument shelf” to test" in notes(app)
        assert storage.load(board_file).board.cards["bbbb0002"].stage is Stage.PROTOTYPE
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "Redid: moved “Borrow-an-instrument shelf” to test" in notes(app)
        assert storage.load(board_file).board.cards["bbbb0002"].stage is Stage.TEST
        app.clear_notifications()
        for keys, said in (
            (("d",), "archived “Borrow-an-instrument shelf”"),
            (("n", *"Bus tickets", "enter"), "added “Bus tickets”"),
            (("e", *"Bus tickets", "ctrl+s"), "edited the title of “"),
        ):
            await pilot.press(*keys)
            await settle(pilot)
            await pilot.press("u")
            await settle(pilot)
            assert any(note.startswith(f"Undid: {said}") for note in notes(app)), notes(app)
        after = storage.load(board_file).board
        assert after == fixture_board().model_copy(update={"cards": after.cards})


async def test_a_card_added_while_filtering_stays_shown_with_a_note(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"#music", "enter")
        await settle(pilot)
        screen = board_screen(app)
        assert [cid for cid, _ in screen.column(Stage.PROTOTYPE).cards] == ["bbbb0002"]
        await pilot.press("n", *"Choir for parents", "enter")
        await settle(pilot)
        column = focused_column(app)
        new_id = column.card_id
        assert new_id is not None
        assert storage.load(board_file).board.cards[new_id].title == "Choir for parents"
        assert [cid for cid, _ in column.cards][-1] == new_id  # still in view
        assert any("does not match the filter “#music”" in note for note in notes(app))
        await pilot.press("slash", "end", "backspace")  # the filter changes: it goes
        await settle(pilot)
        assert new_id not in [cid for cid, _ in column.cards]


def test_the_filter_ignores_accents_and_finds_sides() -> None:
    board = fixture_board()
    members = {**board.members, "zoe": Member(name="Zoë Café", side=Side.EXTERNAL)}
    cafe = board.cards["aaaa0003"].model_copy(update={"title": "Café for parents", "by": ["zoe"]})
    cards = {**board.cards, "aaaa0003": cafe}

    def matching(query: str) -> set[str]:
        test = matcher(query, members)
        assert test is not None
        return {cid for cid, card in cards.items() if test(card)}

    assert folded("Crème Brûlée ÅSE") == "creme brulee ase"
    assert matching("cafe") == {"aaaa0003"}
    assert matching("CAFÉ") == {"aaaa0003"}
    assert matching("@zoe") == matching("@zoë") == {"aaaa0003"}
    assert matching("@sorensen") == set()  # ø is a letter of its own, not o + an accent
    internal = {"nanna", "ahmed"}
    external = {"birthe", "omar", "zoe"}
    by_side = {
        side: {cid for cid, card in cards.items() if set(card.by) & keys}
        for side, keys in (("internal", internal), ("external", external))
    }
    assert matching("@internal") == by_side["internal"]
    assert matching("@external") == by_side["external"]
    assert matching("@external cafe") == {"aaaa0003"}

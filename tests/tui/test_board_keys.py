"""Every key of the board: pressed in the app, checked on the board and in the file."""

from __future__ import annotations

from pathlib import Path

from sprintboard import storage
from sprintboard.model import Board, Stage
from sprintboard.tui.screens.card_editor import CardEditor
from sprintboard.tui.screens.card_view import CardView
from sprintboard.tui.screens.discard import DiscardChanges
from sprintboard.tui.screens.help import HelpScreen
from sprintboard.tui.widgets.column import Column
from sprintboard.tui.widgets.header import SprintHeader

from .helpers import board_screen, focused_column, settle, steady_app

SIZE = (100, 30)


def on_disk(path: Path) -> Board:
    return storage.load(path).board


def column_ids(path: Path, stage: Stage) -> list[str]:
    return [card_id for card_id, _ in on_disk(path).column(stage)]


async def test_the_board_opens_with_its_columns_header_and_focus(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = board_screen(app)
        header = screen.query_one(SprintHeader)
        assert "day 3 of 12" in str(header.query_one("#day").render())
        counts = {column.stage: len(column.cards) for column in screen.query(Column)}
        assert counts == {Stage.IDEA: 3, Stage.PROTOTYPE: 3, Stage.TEST: 1, Stage.LEARNED: 1}
        column = focused_column(app)
        assert column.stage is Stage.IDEA
        assert column.card_id == "aaaa0001"
        prototype = screen.column(Stage.PROTOTYPE)
        assert prototype.border_title == "prototype 3/2 !"
        assert prototype.has_class("-over-limit")


async def test_arrows_and_hjkl_move_the_focus(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down")
        assert focused_column(app).card_id == "aaaa0002"
        await pilot.press("j")
        assert focused_column(app).card_id == "aaaa0003"
        await pilot.press("j")  # the last card stays selected
        assert focused_column(app).card_id == "aaaa0003"
        await pilot.press("k", "up")
        assert focused_column(app).card_id == "aaaa0001"
        await pilot.press("right")
        assert focused_column(app).stage is Stage.PROTOTYPE
        await pilot.press("l")
        assert focused_column(app).stage is Stage.TEST
        await pilot.press("h", "left")
        assert focused_column(app).stage is Stage.IDEA
        await pilot.press("left")  # no column further left
        assert focused_column(app).stage is Stage.IDEA


async def test_moving_a_card_on_and_back_saves_it_and_keeps_focus_on_it(
    board_file: Path,
) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, stage in (
            ("L", Stage.PROTOTYPE),
            ("shift+right", Stage.TEST),
            ("H", Stage.PROTOTYPE),
            ("shift+left", Stage.IDEA),
            ("shift+left", Stage.IDEA),  # nowhere further back: nothing changes
        ):
            await pilot.press(key)
            if stage is Stage.TEST:  # into test with no experiment: its nudge, skipped
                await pilot.press("escape")
            column = focused_column(app)
            assert (column.stage, column.card_id) == (stage, "aaaa0001"), key
            shown = board_screen(app).live.session.board
            assert shown is not None
            assert shown.cards["aaaa0001"].stage is stage
            await settle(pilot)
            assert on_disk(board_file).cards["aaaa0001"].stage is stage, key
        history = [entry.stage for entry in on_disk(board_file).cards["aaaa0001"].history]
        assert history == [Stage.IDEA, Stage.PROTOTYPE, Stage.TEST, Stage.PROTOTYPE, Stage.IDEA]
        assert on_disk(board_file).cards["aaaa0001"].history[-1].by == "nanna"


async def test_reordering_a_card_saves_the_new_order(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("J")
        await settle(pilot)
        assert column_ids(board_file, Stage.IDEA) == ["aaaa0002", "aaaa0001", "aaaa0003"]
        assert focused_column(app).card_id == "aaaa0001"
        await pilot.press("shift+down")
        await settle(pilot)
        assert column_ids(board_file, Stage.IDEA) == ["aaaa0002", "aaaa0003", "aaaa0001"]
        await pilot.press("K")
        await settle(pilot)
        assert column_ids(board_file, Stage.IDEA) == ["aaaa0002", "aaaa0001", "aaaa0003"]
        await pilot.press("shift+up")
        await settle(pilot)
        assert column_ids(board_file, Stage.IDEA) == ["aaaa0001", "aaaa0002", "aaaa0003"]
        assert focused_column(app).cursor == 0
        await pilot.press("K")  # already first: nothing changes
        await settle(pilot)
        assert column_ids(board_file, Stage.IDEA) == ["aaaa0001", "aaaa0002", "aaaa0003"]


async def test_n_adds_a_card_to_the_focused_column(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "n")
        await pilot.press(*"Bus tickets", "enter")
        await settle(pilot)
        column = focused_column(app)
        assert column.stage is Stage.PROTOTYPE
        new_id = column.card_id
        assert new_id is not None and new_id not in ("bbbb0001", "bbbb0002", "bbbb0003")
        card = on_disk(board_file).cards[new_id]
        assert (card.title, card.stage, card.by) == ("Bus tickets", Stage.PROTOTYPE, ["nanna"])
        assert column_ids(board_file, Stage.PROTOTYPE)[-1] == new_id


async def test_escape_cancels_a_new_card(board_file: Path) -> None:
    before = board_file.read_bytes()
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", *"never mind", "escape")
        await settle(pilot)
        assert board_file.read_bytes() == before
        assert focused_column(app).stage is Stage.IDEA


async def test_enter_opens_the_card_and_e_there_edits_it(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, CardView)
        assert app.screen.card_id == "aaaa0001"
        await pilot.press("escape")
        assert not isinstance(app.screen, CardView)
        await pilot.press("enter", "e")
        await pilot.pause()
        assert isinstance(app.screen, CardEditor)


async def test_e_edits_every_kind_of_field_and_saves_only_what_changed(
    board_file: Path,
) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        editor = app.screen
        assert isinstance(editor, CardEditor)
        # the cursor is at the end of the title, nothing selected: ctrl+u clears it
        await pilot.press("ctrl+u", *"Art workshop", "tab")  # title, then to tags
        await pilot.press("end", *", kids")
        editor.query_one("#hypothesis").text = "Families come when it is free"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, CardEditor)
        card = on_disk(board_file).cards["aaaa0001"]
        assert card.title == "Art workshop"
        assert card.tags == ["culture", "library", "kids"]
        assert card.hypothesis == "Families come when it is free"
        assert card.by == ["nanna", "birthe"]  # untouched
        assert focused_column(app).card_id == "aaaa0001"


async def test_cancelling_the_editor_changes_nothing(board_file: Path) -> None:
    before = board_file.read_bytes()
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", *"more title", "escape")
        assert isinstance(app.screen, DiscardChanges)  # typing is not thrown away unasked
        await pilot.press("d")
        await settle(pilot)
        assert not isinstance(app.screen, (DiscardChanges, CardEditor))
        assert board_file.read_bytes() == before
        assert board_screen(app).live.session.board == on_disk(board_file)


async def test_the_editor_keeps_an_edit_the_board_refuses(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "ctrl+u", "ctrl+s")  # an empty title
        assert isinstance(app.screen, CardEditor)
        assert "title" in str(app.screen.query_one("#error").render())
        await pilot.press(*"Still here", "ctrl+s")
        await settle(pilot)
        assert on_disk(board_file).cards["aaaa0001"].title == "Still here"


async def test_d_archives_and_a_shows_archived_cards(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert on_disk(board_file).cards["aaaa0001"].archived
        column = focused_column(app)
        assert [cid for cid, _ in column.cards] == ["aaaa0002", "aaaa0003"]
        assert column.card_id == "aaaa0002"
        await pilot.press("a")
        assert [cid for cid, _ in column.cards] == ["aaaa0001", "aaaa0002", "aaaa0003", "aaaa0004"]
        assert column.border_subtitle == "2 archived"
        await pilot.press("up", "d")  # restores an archived card
        await settle(pilot)
        assert not on_disk(board_file).cards["aaaa0001"].archived
        await pilot.press("a")
        assert [cid for cid, _ in column.cards] == ["aaaa0001", "aaaa0002", "aaaa0003"]


async def test_undo_and_redo_restore_the_file_for_every_operation(board_file: Path) -> None:
    original = board_file.read_bytes()
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        steps = [
            ("L",),
            ("K",),
            ("d",),
            ("n", *"A new one", "enter"),
            ("e", *"Renamed", "ctrl+s"),
        ]
        states = [original]
        for keys in steps:
            await pilot.press(*keys)
            await settle(pilot)
            assert board_file.read_bytes() != states[-1], keys
            states.append(board_file.read_bytes())
        for state in reversed(states[:-1]):
            await pilot.press("u")
            await settle(pilot)
            assert board_file.read_bytes() == state
        assert board_file.read_bytes() == original
        for state in states[1:]:
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert board_file.read_bytes() == state
        assert board_screen(app).live.session.board == on_disk(board_file)


async def test_undo_with_nothing_to_undo_is_harmless(board_file: Path) -> None:
    before = board_file.read_bytes()
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u", "ctrl+r")
        await settle(pilot)
        assert board_file.read_bytes() == before


async def test_slash_filters_by_text_tag_and_person_and_escape_clears(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = board_screen(app)

        def shown() -> set[str]:
            return {cid for column in screen.query(Column) for cid, _ in column.cards}

        await pilot.press("slash", *"museum")
        assert shown() == {"aaaa0002"}
        await pilot.press(*[("backspace")] * 6, *"#music")
        assert shown() == {"bbbb0002"}
        await pilot.press(*[("backspace")] * 6, *"@omar")
        assert shown() == {"bbbb0001", "cccc0001", "dddd0001"}
        await pilot.press("enter")  # keeps the filter, back to the cards
        assert isinstance(app.focused, Column)
        assert screen.column(Stage.IDEA).border_title == "idea 0 of 3"
        assert focused_column(app).stage is Stage.PROTOTYPE  # the first with a match
        await pilot.press("L")  # keys work on the filtered board
        await settle(pilot)
        assert on_disk(board_file).cards["bbbb0001"].stage is Stage.TEST
        await pilot.press("escape")
        assert len(shown()) == 8
        assert not screen.query_one("#filter").display
        await pilot.press("slash", *"#kid", "escape")  # escape while typing clears too
        assert len(shown()) == 8
        assert isinstance(app.focused, Column)


async def test_question_mark_shows_help_with_the_keys(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        described = dict(app.screen.key_rows)
        assert described["shift+→ / L"] == "Move the card on to the next stage"
        assert "u" in described and "^r" in described and "/" in described
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_q_quits(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0
    assert not app.is_running

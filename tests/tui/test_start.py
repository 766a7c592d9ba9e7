"""What the app opens on: the picker, the only board, or the offer to create one."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import OptionList

from sprintboard import storage
from sprintboard.model import Stage
from sprintboard.tui.board_files import free_path, slug, summarize
from sprintboard.tui.screens.board import BoardScreen
from sprintboard.tui.screens.new_board import TITLE_WIDTH, NewBoardScreen, title_from
from sprintboard.tui.screens.picker import BoardPicker

from .helpers import FIXTURES, board_screen, focused_column, settle, steady_app

SIZE = (100, 30)


def add_boards(folder: Path) -> None:
    shutil.copyfile(FIXTURES / "board.toml", folder / "family.toml")
    shutil.copyfile(FIXTURES / "board.toml", folder / "second.toml")
    (folder / "broken.toml").write_text('schema = 1\ntitle = "Broken"\nwip = { nope = 3 }\n')


async def test_several_boards_show_the_picker_and_enter_opens_one(boards_dir: Path) -> None:
    add_boards(boards_dir)
    app = steady_app(None, boards_dir=boards_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, BoardPicker)
        options = picker.query_one("#boards", OptionList)
        ids = [option.id for option in options.options]
        assert ids == [
            str(boards_dir / name) for name in ("broken.toml", "family.toml", "second.toml")
        ]
        await pilot.press("down", "enter")
        await settle(pilot)
        screen = board_screen(app)
        assert screen.live.session.path == boards_dir / "family.toml"
        await pilot.press("L")
        await settle(pilot)
        moved = storage.load(boards_dir / "family.toml").board.cards["aaaa0001"]
        assert moved.stage is Stage.PROTOTYPE


def test_the_picker_summarizes_boards_and_says_why_one_cannot_be_read(boards_dir: Path) -> None:
    add_boards(boards_dir)
    good = summarize(boards_dir / "family.toml")
    assert good.title == "Families, art and culture"
    assert good.counts == {Stage.IDEA: 3, Stage.PROTOTYPE: 3, Stage.TEST: 1, Stage.LEARNED: 1}
    bad = summarize(boards_dir / "broken.toml")
    assert bad.error is not None and bad.error.startswith(f"{boards_dir / 'broken.toml'}:3:")


async def test_one_board_opens_directly(boards_dir: Path) -> None:
    shutil.copyfile(FIXTURES / "board.toml", boards_dir / "only.toml")
    app = steady_app(None, boards_dir=boards_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert focused_column(app).card_id == "aaaa0001"


async def test_no_board_offers_to_create_one_and_opens_it(boards_dir: Path) -> None:
    app = steady_app(None, boards_dir=boards_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NewBoardScreen)
        await pilot.press("enter", "enter")  # no challenge, no title: says so, creates nothing
        assert list(boards_dir.iterdir()) == []
        error = str(app.screen.query_one("#error").render())
        assert "A board needs a challenge or a title." in error
        # the challenge first (focus is back on it), then the title
        await pilot.press(*"How might we?", "enter", *"Safer homes", "enter")
        await settle(pilot)
        created = boards_dir / "safer-homes.toml"
        board = storage.load(created).board
        assert (board.title, board.challenge) == ("Safer homes", "How might we?")
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("n", *"First", "enter")
        await settle(pilot)
        assert [c.title for c in storage.load(created).board.cards.values()] == ["First"]


async def test_a_board_path_that_does_not_exist_yet_can_be_created(boards_dir: Path) -> None:
    path = boards_dir / "later.toml"
    app = steady_app(path, boards_dir=boards_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NewBoardScreen)
        await pilot.press(*"Later", "enter", "enter")  # a challenge; the title taken from it
        await settle(pilot)
        assert storage.load(path).board.title == "Later"
        assert storage.load(path).board.challenge == "Later"


def test_a_long_challenge_gives_a_title_cut_after_a_whole_word() -> None:
    challenge = "How might we help vulnerable families through art and culture, together?"
    assert title_from(challenge) == "How might we help vulnerable families through art and…"
    assert len(title_from("x" * 100)) == TITLE_WIDTH
    assert title_from("  Short\n one  ") == "Short one"


def test_new_board_file_names() -> None:
    assert slug("Families, art & culture!") == "families-art-culture"
    assert slug("Ærø og Søndervig, café") == "aero-og-sondervig-cafe"
    assert slug("???") == "board"


def test_a_new_board_never_takes_an_existing_file(boards_dir: Path) -> None:
    (boards_dir / "x.toml").write_text("")
    (boards_dir / "x-2.toml").write_text("")
    assert free_path(boards_dir, "X") == boards_dir / "x-3.toml"


async def test_escape_on_the_picker_leaves_the_app(boards_dir: Path) -> None:
    add_boards(boards_dir)
    app = steady_app(None, boards_dir=boards_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BoardPicker)
        await pilot.press("escape")
        await pilot.pause()
        assert app.return_code == 0
        assert app._exit  # the app is on its way out

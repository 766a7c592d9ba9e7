"""The nudge after a move, in the app: into test, the experiment; into learned, the
learning — asked only after the app's own move keys, saved as an edit of its own.

Every test asserts the board file: the move is saved before the nudge, what is typed
is saved after it, and a skipped nudge leaves the fields empty.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from textual.widgets import Select, TextArea

from sprintboard import storage
from sprintboard.model import Board, Decision, Stage
from sprintboard.tui.screens.discard import DiscardChanges
from sprintboard.tui.screens.nudge import NudgeDialog
from sprintboard.tui.widgets.keybar import KeyBar

from .helpers import board_screen, focused_column, settle, steady_app
from .test_key_bursts import burst

SIZE = (100, 30)
EXPERIMENT = ("hypothesis", "test", "metric", "criterion")
LEARNING = ("observed", "learned", "next", "decision")


def on_disk(path: Path) -> Board:
    return storage.load(path).board


def nudge_of(app: object) -> NudgeDialog:
    screen = getattr(app, "screen", None)
    assert isinstance(screen, NudgeDialog), f"no nudge: the screen is {screen!r}"
    return screen


async def test_into_test_with_no_experiment_asks_for_it_and_saves_what_is_typed(
    board_file: Path,
) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "down")  # bbbb0002, prototype, no experiment
        assert focused_column(app).card_id == "bbbb0002"
        await pilot.press("L")
        await settle(pilot)
        nudge = nudge_of(app)
        # the move is made and saved before anything is typed
        card = on_disk(board_file).cards["bbbb0002"]
        assert card.stage is Stage.TEST and not card.has_experiment
        assert "What do we believe, and how will we know?" in str(
            nudge.query_one("#question").render()
        )
        assert [area.id for area in nudge.query(TextArea)] == list(EXPERIMENT)
        assert app.focused is nudge.query_one("#hypothesis")
        await pilot.press(*"Families borrow", "tab", *"Lend ten", "tab", *"loans", "tab")
        await pilot.press(*"5 a week", "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, NudgeDialog)
        card = on_disk(board_file).cards["bbbb0002"]
        assert (card.hypothesis, card.test, card.metric, card.criterion) == (
            "Families borrow",
            "Lend ten",
            "loans",
            "5 a week",
        )
        assert card.stage is Stage.TEST
        # two undos: the fields first, then the move
        await pilot.press("u")
        await settle(pilot)
        card = on_disk(board_file).cards["bbbb0002"]
        assert card.stage is Stage.TEST and not card.has_experiment
        await pilot.press("u")
        await settle(pilot)
        assert on_disk(board_file).cards["bbbb0002"].stage is Stage.PROTOTYPE
        assert not isinstance(app.screen, NudgeDialog)
        # redo moves it on again without asking
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert on_disk(board_file).cards["bbbb0002"].stage is Stage.TEST
        assert not isinstance(app.screen, NudgeDialog)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert on_disk(board_file).cards["bbbb0002"].hypothesis == "Families borrow"
        assert not isinstance(app.screen, NudgeDialog)


async def test_escape_skips_the_nudge_and_the_move_stays(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "down", "L")
        await settle(pilot)
        nudge = nudge_of(app)
        assert ("esc", "Skip", True) in nudge.query_one(KeyBar).entries()
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, NudgeDialog)
        card = on_disk(board_file).cards["bbbb0002"]
        assert card.stage is Stage.TEST and not card.has_experiment
        # the board has the keys again: the card moves on, into learned, which asks too
        await pilot.press("L")
        await settle(pilot)
        assert nudge_of(app).nudge.group == "learning"
        assert on_disk(board_file).cards["bbbb0002"].stage is Stage.LEARNED


async def test_skipping_after_typing_asks_before_the_typing_is_thrown_away(
    board_file: Path,
) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "down", "L")
        await settle(pilot)
        await pilot.press(*"half a thought", "escape")
        await settle(pilot)
        assert isinstance(app.screen, DiscardChanges)
        await pilot.press("n")  # keep writing
        await settle(pilot)
        assert nudge_of(app).query_one("#hypothesis", TextArea).text == "half a thought"
        await pilot.press("escape", "d")
        await settle(pilot)
        assert not isinstance(app.screen, NudgeDialog | DiscardChanges)
        card = on_disk(board_file).cards["bbbb0002"]
        assert card.stage is Stage.TEST and not card.has_experiment


async def test_no_nudge_when_the_fields_are_filled_or_the_stage_asks_nothing(
    board_file: Path,
) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L")  # aaaa0001: idea -> prototype asks nothing
        await settle(pilot)
        assert not isinstance(app.screen, NudgeDialog)
        await pilot.press("home", "L")  # bbbb0001 has its hypothesis: not asked
        await settle(pilot)
        assert focused_column(app).card_id == "bbbb0001"
        assert not isinstance(app.screen, NudgeDialog)
        board = on_disk(board_file)
        assert board.cards["bbbb0001"].stage is Stage.TEST
        assert board.cards["aaaa0001"].stage is Stage.PROTOTYPE
        # dddd0001 has its learning: back to test and on again asks nothing either
        await pilot.press("l", "down", "L")
        await settle(pilot)
        assert focused_column(app).card_id == "dddd0001"
        assert not isinstance(app.screen, NudgeDialog)
        assert on_disk(board_file).cards["dddd0001"].stage is Stage.LEARNED


async def test_into_learned_asks_for_the_learning_and_saves_the_decision(
    board_file: Path,
) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "l")  # test: cccc0001, experiment written, no learning
        assert focused_column(app).card_id == "cccc0001"
        await pilot.press("L")
        await settle(pilot)
        nudge = nudge_of(app)
        assert "What did we see, what did we learn, and what now?" in str(
            nudge.query_one("#question").render()
        )
        assert [area.id for area in nudge.query(TextArea)] == list(LEARNING[:3])
        assert on_disk(board_file).cards["cccc0001"].stage is Stage.LEARNED
        await pilot.press(*"12 sign-ups", "tab", *"flyers work", "tab", *"print more", "tab")
        select = nudge.query_one("#decision", Select)
        assert app.focused is select
        select.value = Decision.SCALE
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, NudgeDialog)
        card = on_disk(board_file).cards["cccc0001"]
        assert (card.observed, card.learned, card.next, card.decision) == (
            "12 sign-ups",
            "flyers work",
            "print more",
            Decision.SCALE,
        )
        assert card.stage is Stage.LEARNED


async def test_a_decision_alone_is_saved_by_the_keys_of_its_choice(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "l", "L")
        await settle(pilot)
        nudge_of(app)
        await pilot.press("tab", "tab", "tab", "enter")  # the decision's list opens
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # past "no decision yet", to pivot
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        card = on_disk(board_file).cards["cccc0001"]
        assert card.decision is Decision.PIVOT and not card.observed


async def test_someone_elses_move_and_the_command_line_never_ask(board_file: Path) -> None:
    app = steady_app(board_file, watch="auto")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # another person moves a card into test, then one into learned, from the command line
        for card_id, stage in (("bbbb0002", "test"), ("bbbb0003", "learned")):
            command = ["move", str(board_file), card_id, stage]
            done = subprocess.run(
                [sys.executable, "-m", "sprintboard", "--as", "omar", *command],
                capture_output=True,
                text=True,
                check=False,
            )
            assert done.returncode == 0, done.stderr
        screen = board_screen(app)
        for _round in range(200):
            board = screen.live.session.board
            if board is not None and board.cards["bbbb0003"].stage is Stage.LEARNED:
                break
            await pilot.pause(0.05)
        await settle(pilot)
        board = screen.live.session.board
        assert board is not None and board.cards["bbbb0002"].stage is Stage.TEST
        assert board.cards["bbbb0003"].stage is Stage.LEARNED
        assert not isinstance(app.screen, NudgeDialog)
        card = on_disk(board_file).cards["bbbb0002"]
        assert not card.has_experiment


async def test_move_then_text_in_one_burst_lands_in_the_first_field(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "down")
        burst(app, "L", *"Fast typist", "ctrl+s", "L", "escape", "H")
        await settle(pilot)
        card = on_disk(board_file).cards["bbbb0002"]
        assert card.hypothesis == "Fast typist"
        # the second L went to learned, escape skipped its nudge, H came back to test
        # with the experiment written: not asked again
        assert card.stage is Stage.TEST and not card.has_learning
        assert not isinstance(app.screen, NudgeDialog)
        assert [entry.stage for entry in card.history][-3:] == [
            Stage.TEST,
            Stage.LEARNED,
            Stage.TEST,
        ]

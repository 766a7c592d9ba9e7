"""Dot votes and vote rounds in the app: v, V, R, the start dialog and the round panel.

Every test asserts the board file (read back from disk) as well as the screen.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from textual.widgets import Checkbox, Input, Static

from sprintboard import ops, storage
from sprintboard.model import Board, Stage
from sprintboard.tui.screens.card_view import CardView
from sprintboard.tui.screens.round_panel import RoundPanel
from sprintboard.tui.screens.round_start import RoundStart, read_dots, read_until
from sprintboard.tui.widgets.keybar import KeyBar

from .helpers import board_screen, settle, steady_app
from .terminal import EXECUTABLE, clean_env

SIZE = (100, 30)
IDEA_ORDER = ["aaaa0001", "aaaa0002", "aaaa0003"]
"""The fixture's idea cards (not archived), in board order."""


def on_disk(path: Path) -> Board:
    return storage.load(path).board


def start_round(path: Path, **options: Any) -> str:
    """A round opened in the file by someone else (as `sprintboard round start` does)."""
    op = ops.StartRound(actor="nanna", **options)
    storage.save(path, ops.apply(on_disk(path), op))
    return op.round_id


def bar(app: Any) -> str:
    return str(app.screen.query_one(KeyBar).render())


def notices(app: Any) -> list[str]:
    return [str(notice.message) for notice in app._notifications]


def panel_text(app: Any) -> str:
    assert isinstance(app.screen, RoundPanel)
    return str(app.screen.query_one("#round-text", Static).render())


def idea_order(board: Board) -> list[str]:
    return [card_id for card_id, _card in board.column(Stage.IDEA)]


async def test_v_gives_dots_and_shift_v_takes_one_back_outside_a_round(board_file: Path) -> None:
    app = steady_app(board_file, actor="birthe")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "v")
        await settle(pilot)
        assert on_disk(board_file).cards["aaaa0001"].votes == {"ahmed": 1, "birthe": 2, "omar": 2}
        await pilot.press("V")
        await settle(pilot)
        assert on_disk(board_file).cards["aaaa0001"].votes["birthe"] == 1
        await pilot.press("u")
        await settle(pilot)
        assert on_disk(board_file).cards["aaaa0001"].votes["birthe"] == 2
        assert "dots left" not in bar(app)  # no round: no budget


async def test_taking_back_a_dot_you_never_gave_says_so(board_file: Path) -> None:
    before = board_file.read_bytes()
    app = steady_app(board_file, actor="birthe")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("V")
        await settle(pilot)
        assert any("no dot on" in text for text in notices(app))
    assert board_file.read_bytes() == before


async def test_in_a_round_the_budget_holds_and_the_key_bar_counts_down(board_file: Path) -> None:
    start_round(board_file, dots=3)
    app = steady_app(board_file, actor="birthe")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert bar(app).startswith("dots left: 3 of 3")
        await pilot.press("v", "v")
        await settle(pilot)
        assert bar(app).startswith("dots left: 1 of 3")
        await pilot.press("j", "v", "v")  # the next card: one dot, then the budget is spent
        await settle(pilot)
        board = on_disk(board_file)
        assert board.cards["aaaa0001"].votes == {"birthe": 2}  # the round started fresh
        assert board.cards["aaaa0002"].votes == {"birthe": 1}
        assert "You have 0 dots left in this round (of 3)" in notices(app)
        assert bar(app).startswith("dots left: 0 of 3")
        await pilot.press("V")  # a dot back in hand
        await settle(pilot)
        assert "aaaa0002" not in {cid for cid, c in on_disk(board_file).cards.items() if c.votes}
        assert bar(app).startswith("dots left: 1 of 3")


async def test_a_vote_outside_the_rounds_stage_is_refused_with_the_reason(
    board_file: Path,
) -> None:
    start_round(board_file)
    before = on_disk(board_file).cards["bbbb0001"].votes
    app = steady_app(board_file, actor="birthe")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "v")
        await settle(pilot)
        assert any(text.startswith("This round votes on") for text in notices(app))
    assert on_disk(board_file).cards["bbbb0001"].votes == before


async def test_someone_who_is_no_member_is_told_how_to_join(board_file: Path) -> None:
    before = board_file.read_bytes()
    app = steady_app(board_file, actor="Sofie Guest")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app._notifications.clear()
        await pilot.press("v")
        await settle(pilot)
        (text,) = notices(app)
        assert "not a member" in text and "sprintboard member" in text
    assert board_file.read_bytes() == before


async def test_the_facilitator_starts_a_round_in_the_dialog(board_file: Path) -> None:
    app = steady_app(board_file)  # nanna, the fixture's facilitator
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, RoundStart)
        dialog.query_one("#dots", Input).value = "0"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog  # refused in the dialog, with a sentence
        assert "from 1 to 99, not 0" in str(dialog.query_one("#error").render())
        dialog.query_one("#dots", Input).value = "2"
        dialog.query_one("#anonymous", Checkbox).value = True
        dialog.query_one("#dots", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, RoundStart)
        board = on_disk(board_file)
        ((_round_id, round_),) = board.rounds.items()
        assert (round_.stage, round_.dots, round_.anonymous, round_.by) == (
            Stage.IDEA,
            2,
            True,
            "nanna",
        )
        assert round_.closed is None and round_.until is None
        assert not any(card.votes for _cid, card in board.column(Stage.IDEA))
        await pilot.press("u")  # undo takes the round back, and the dots come back
        await settle(pilot)
        board = on_disk(board_file)
        assert not board.rounds
        assert board.cards["aaaa0001"].votes == {"ahmed": 1, "omar": 2}


async def test_r_then_enter_in_one_burst_starts_the_default_round(board_file: Path) -> None:
    from .test_key_bursts import burst

    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "R", "enter", "v")
        await settle(pilot)
        board = on_disk(board_file)
        ((_round_id, round_),) = board.rounds.items()
        assert (round_.stage, round_.dots, round_.anonymous) == (Stage.IDEA, 3, False)
        assert board.cards["aaaa0001"].votes == {"nanna": 1}  # the v after it voted in it


def test_the_dialog_reads_dots_and_end_times_or_says_why_not() -> None:
    assert read_dots("3") == 3
    for bad in ("0", "-1", "1000", "x", ""):
        assert isinstance(read_dots(bad), str), bad
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    local = now.astimezone()
    later = (local + timedelta(minutes=15)).strftime("%H:%M")
    until = read_until(later, now)
    assert until == (now + timedelta(minutes=15)).replace(second=0)
    assert read_until("  ", now) is None
    earlier = (local - timedelta(minutes=1)).strftime("%H:%M")
    for bad in ("25:00", "10:75", "soon", earlier):
        assert isinstance(read_until(bad, now), str), bad


async def test_closing_from_the_panel_orders_the_stage_and_one_undo_restores_it(
    board_file: Path,
) -> None:
    start_round(board_file)
    board = on_disk(board_file)
    votes = {"aaaa0003": {"ahmed": 3, "omar": 1}, "aaaa0002": {"birthe": 2}}
    cards = {
        cid: card.model_copy(update={"votes": votes.get(cid, {})})
        for cid, card in board.cards.items()
    }
    storage.save(board_file, board.model_copy(update={"cards": cards}))
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        text = panel_text(app)
        assert "Vote round on idea · 3 dots each" in text
        assert "Dots left in the room: 6 of 12" in text
        assert "Not voted yet: Nanna Holm" in text
        await pilot.press("c")
        await settle(pilot)
        assert not isinstance(app.screen, RoundPanel)
        board = on_disk(board_file)
        ((_round_id, round_),) = board.rounds.items()
        assert round_.closed is not None
        assert round_.result == {"aaaa0003": 4, "aaaa0002": 2}
        assert idea_order(board) == ["aaaa0003", "aaaa0002", "aaaa0001"]
        await pilot.press("u")
        await settle(pilot)
        board = on_disk(board_file)
        assert idea_order(board) == IDEA_ORDER
        ((_round_id, round_),) = board.rounds.items()
        assert round_.closed is None and not round_.result
        await pilot.press("ctrl+r", "R")  # closed again: R shows the result
        await settle(pilot)
        text = panel_text(app)
        assert "Last vote round" in text and "Result" in text
        assert text.index("Coffee corner") < text.index("Museum tickets")


async def test_others_see_the_panel_without_names_and_cannot_close(board_file: Path) -> None:
    start_round(board_file)
    app = steady_app(board_file, actor="birthe")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        text = panel_text(app)
        assert "Tally" in text and "Not voted" not in text and "Nanna" not in text.split("\n", 2)[2]
        await pilot.press("c")  # not this person's key: nothing happens
        await settle(pilot)
        assert isinstance(app.screen, RoundPanel)
        await pilot.press("escape")
        await settle(pilot)
        board_screen(app).action_close_round()  # as the palette would: refused
        await settle(pilot)
        assert "Only a facilitator (nanna) can close a vote round" in notices(app)
    (round_,) = on_disk(board_file).rounds.values()
    assert round_.closed is None


async def test_a_non_facilitator_starting_from_the_palette_is_refused(board_file: Path) -> None:
    before = board_file.read_bytes()
    app = steady_app(board_file, actor="birthe")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "R Round" not in bar(app)  # nothing for birthe to see yet: not in the bar
        await pilot.press("ctrl+p")
        await pilot.press(*"vote round")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert "Only a facilitator (nanna) can start a vote round" in notices(app)
        assert not isinstance(app.screen, RoundStart)
    assert board_file.read_bytes() == before


async def test_an_anonymous_round_shows_totals_only_in_the_card_view(board_file: Path) -> None:
    start_round(board_file, anonymous=True)
    app = steady_app(board_file, actor="omar")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "v", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CardView)
        text = str(app.screen.query_one("#card-text", Static).render())
        (line,) = [line for line in text.splitlines() if "anonymous vote" in line]
        assert line.endswith("2 (an anonymous vote: totals only)")
        assert "Omar" not in line
        await pilot.press("escape", "R")
        await settle(pilot)
        assert "anonymous" in panel_text(app)
        assert "Omar" not in panel_text(app)
    assert on_disk(board_file).cards["aaaa0001"].votes == {"omar": 2}  # the file knows


async def test_an_open_round_shows_who_voted_when_not_anonymous(board_file: Path) -> None:
    start_round(board_file)
    app = steady_app(board_file, actor="omar")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "enter")
        await settle(pilot)
        text = str(app.screen.query_one("#card-text", Static).render())
        assert "1 (Omar S. 1)" in text


async def test_the_panel_follows_votes_from_another_process(
    board_file: Path, tmp_path: Path
) -> None:
    start_round(board_file, dots=2)
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert "Not voted yet: Ahmed Rahimi, Birthe Sørensen, Nanna Holm, Omar S." in panel_text(
            app
        )
        env = clean_env(tmp_path, SPRINTBOARD_USER="birthe")
        vote = [str(EXECUTABLE), "vote", str(board_file), "aaaa0002", "--dots", "2"]
        done = subprocess.run(vote, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        board_screen(app).live.check_file()  # what the watcher does (it is off in tests)
        await settle(pilot)
        text = panel_text(app)
        assert "Not voted yet: Ahmed Rahimi, Nanna Holm, Omar S." in text
        assert "Dots left in the room: 6 of 8" in text
        assert "  2  Museum tickets on the library card" in text


async def test_at_80_columns_the_note_stays_and_the_keys_left_are_whole(board_file: Path) -> None:
    from rich.cells import cell_len

    start_round(board_file)
    app = steady_app(board_file, actor="omar")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        key_bar = app.screen.query_one(KeyBar)
        text = bar(app)
        assert text.startswith("dots left: 3 of 3  ")
        assert cell_len(text) <= key_bar.content_region.width
        shown = [f"{keys} {what}" for keys, what, _ in key_bar.entries()] + ["^p palette"]
        for item in text.removeprefix("dots left: 3 of 3  ").split("  "):
            assert item in shown, f"{item!r} is not a whole item of {shown}"
        for needed in ("v Dot", "? Help", "q Quit"):
            assert needed in text
        await pilot.resize_terminal(40, 24)  # very narrow: the note before any key
        await settle(pilot)
        assert bar(app).startswith("dots left: 3 of 3")


async def test_voters_stay_unnamed_after_an_anonymous_round_closes(board_file: Path) -> None:
    start_round(board_file, anonymous=True)
    board = on_disk(board_file)
    board = ops.apply(board, ops.Vote("aaaa0002", "birthe", 2))
    storage.save(board_file, ops.apply(board, ops.CloseRound(actor="nanna")))
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert board_screen(app).current_column.card_id == "aaaa0002"  # first now: most dots
        await pilot.press("enter")
        await settle(pilot)
        text = str(app.screen.query_one("#card-text", Static).render())
        assert "2 (an anonymous vote: totals only)" in text and "Birthe" not in text


async def test_a_round_past_its_end_time_takes_no_more_dots(board_file: Path) -> None:
    now = datetime.now(UTC)
    start_round(board_file, at=now - timedelta(hours=2), until=now - timedelta(hours=1))
    app = steady_app(board_file, actor="birthe")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert bar(app).startswith("vote round ended")
        await pilot.press("v")
        await settle(pilot)
        assert any(text.startswith("The round ended at") for text in notices(app))
        await pilot.press("R")
        await settle(pilot)
        assert "no more votes" in panel_text(app)
    assert not on_disk(board_file).cards["aaaa0001"].votes


async def test_the_panel_counts_down_to_the_end_time(board_file: Path) -> None:
    start_round(board_file, until=datetime.now(UTC) + timedelta(minutes=30))
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert " left)" in panel_text(app) and "ends at" in panel_text(app)

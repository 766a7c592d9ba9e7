"""The shared timer and presenting in the app: two apps on one board, or an app and the
command line writing the sidecar; the sidecar files asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label, Static

from sprintboard import live_state
from sprintboard.tui.screens.live_actions import LiveActions
from sprintboard.tui.screens.presented import PresentedCard
from sprintboard.tui.screens.timer_dialog import TimerDialog

from .helpers import board_screen, settle, steady_app

DEADLINE = 10.0


async def until(pilot: Pilot[Any], ready: Callable[[], bool], what: str) -> None:
    """Wait (pausing the app, never sleeping blind) until `ready`, or fail after DEADLINE."""
    end = time.monotonic() + DEADLINE
    while not ready():
        if time.monotonic() > end:
            raise AssertionError(f"not within {DEADLINE} s: {what}")
        await pilot.pause(0.02)


def header_timer(app: Any) -> str:
    label = board_screen(app).query_one("#timer", Label)
    return "" if label.has_class("-none") else str(label.render())


def timeup(app: Any) -> str:
    banner = board_screen(app).query_one("#timeup", Static)
    return str(banner.render()) if banner.display else ""


def _cli(root: Path, *args: str) -> None:
    """The command line, as a second process writing the sidecar."""
    env = {**os.environ, "SPRINTBOARD_USER": "nanna"}
    result = subprocess.run(
        [sys.executable, "-m", "sprintboard", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


async def test_a_timer_started_on_the_command_line_counts_down_in_the_app(
    board_file: Path,
) -> None:
    root = board_file.parent.parent
    app = steady_app(board_file)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert header_timer(app) == ""
        _cli(root, "timer", "start", str(board_file), "10m", "--label", "Ideation")
        await until(pilot, lambda: header_timer(app).startswith("Ideation 09:5"), "shown")
        assert header_timer(app) in ("Ideation 10:00", "Ideation 09:59") or "09:5" in header_timer(
            app
        )
        _cli(root, "timer", "pause", str(board_file))
        await until(pilot, lambda: "paused" in header_timer(app), "paused")
        _cli(root, "timer", "stop", str(board_file))
        await until(pilot, lambda: header_timer(app) == "", "stopped")


async def test_two_apps_see_the_facilitators_timer_and_the_banner_at_zero(
    board_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    facilitator, other = steady_app(board_file), steady_app(board_file, actor="omar")
    rang: list[str] = []
    monkeypatch.setattr(type(other), "bell", lambda self: rang.append("bell"))
    async with other.run_test() as two:
        await settle(two)
        async with facilitator.run_test() as one:
            await settle(one)
            await one.press("T")
            await settle(one)
            assert isinstance(facilitator.screen, TimerDialog)
            await one.press(*"Ideation", "enter", *"2s", "enter")
            await settle(one)
            held = json.loads(live_state.timer_path(board_file).read_text())
            assert held["label"] == "Ideation" and held["state"] == "running"
            assert held["by"] == "nanna" and held["ends"] - held["started"] == 2
            await until(two, lambda: header_timer(other).startswith("Ideation 00:0"), "seen")
            await until(one, lambda: header_timer(facilitator).startswith("Ideation"), "own")
        # the facilitator's app is gone: the other keeps counting, to zero
        await until(two, lambda: "time is up" in header_timer(other), "zero")
        assert timeup(other) == "Time is up: Ideation"
        assert rang == ["bell"]


async def test_zero_rings_the_bell_and_shows_the_banner(
    board_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = steady_app(board_file, actor="omar")
    rang: list[str] = []
    monkeypatch.setattr(type(app), "bell", lambda self: rang.append("bell"))
    async with app.run_test() as pilot:
        await settle(pilot)
        live_state.write_timer(
            board_file, live_state.Timer.start("Ideation", 1.5, "nanna", time.time())
        )
        await until(pilot, lambda: header_timer(app).startswith("Ideation 00:0"), "running")
        await until(pilot, lambda: timeup(app) != "", "banner")
        assert timeup(app) == "Time is up: Ideation"
        assert "time is up" in header_timer(app)
        assert rang == ["bell"]
        await pilot.pause(0.3)
        assert rang == ["bell"]  # once per timer
        live_state.clear_timer(board_file)
        await until(pilot, lambda: timeup(app) == "", "banner gone with the timer")


async def test_a_late_joiner_sees_the_timer_at_once_and_no_bell_for_an_old_zero(
    board_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live_state.write_timer(board_file, live_state.Timer.start("Voting", 300, "nanna", time.time()))
    app = steady_app(board_file, actor="omar")
    async with app.run_test() as pilot:
        await settle(pilot)
        await until(pilot, lambda: header_timer(app).startswith("Voting 0"), "at open")


async def test_the_dialog_pauses_extends_and_stops(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("T", *"Ideation", "enter", *"10m", "enter")
        await settle(pilot)
        await until(pilot, lambda: header_timer(app).startswith("Ideation"), "started")
        await pilot.press("T", "p")
        await settle(pilot)
        await until(pilot, lambda: "paused" in header_timer(app), "paused")
        held = json.loads(live_state.timer_path(board_file).read_text())
        assert held["state"] == "paused" and held["left"] > 590
        await pilot.press("T", "plus")
        await settle(pilot)
        await until(
            pilot,
            lambda: json.loads(live_state.timer_path(board_file).read_text())["duration"] == 660,
            "extended",
        )
        await pilot.press("T", "s")
        await settle(pilot)
        await until(pilot, lambda: not live_state.timer_path(board_file).exists(), "stopped")
        await until(pilot, lambda: header_timer(app) == "", "header")


async def test_a_bad_duration_is_said_in_the_dialog(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("T", "enter", *"0m", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TimerDialog)
        problem = str(app.screen.query_one("#timer-problem", Label).render())
        assert "longer than zero" in problem
        assert not live_state.timer_path(board_file).exists()
        app.screen.query_one("#timer-duration", Input).value = ""
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, TimerDialog)


async def test_a_corrupt_timer_file_is_ignored_with_one_notice(board_file: Path) -> None:
    live_state.write_timer(board_file, live_state.Timer.start("x", 60, "nanna", time.time()))
    live_state.timer_path(board_file).write_text('{"version": 7}')
    app = steady_app(board_file)
    async with app.run_test() as pilot:
        await settle(pilot)
        await until(pilot, lambda: bool(app._notifications), "a notice")
        texts = [n.message for n in app._notifications]
        assert any("newer sprintboard (version 7)" in t for t in texts), texts
        assert header_timer(app) == ""


async def test_only_facilitators_get_the_dialog(write_board: Any, board_file: Path) -> None:
    text = board_file.read_text()
    assert "facilitators" in text
    app = steady_app(board_file, actor="omar")
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("T", "P")
        await settle(pilot)
        assert not isinstance(app.screen, TimerDialog | PresentedCard)
        texts = [n.message for n in app._notifications]
        assert any("Only a facilitator" in t for t in texts), texts
    assert not live_state.timer_path(board_file).exists()


def _clock(monkeypatch: pytest.MonkeyPatch, at: float) -> None:
    monkeypatch.setattr(LiveActions, "live_clock", staticmethod(lambda: at))


def presented(app: Any) -> PresentedCard | None:
    screen = app.screen
    return screen if isinstance(screen, PresentedCard) else None


async def test_presenting_shows_the_card_enlarged_in_every_following_app(
    board_file: Path,
) -> None:
    facilitator, other = steady_app(board_file), steady_app(board_file, actor="omar")
    async with other.run_test() as two, facilitator.run_test() as one:
        await settle(one)
        await settle(two)
        await one.press("l")  # the second column's first card
        await settle(one)
        chosen = board_screen(facilitator).current_column.card_id
        assert chosen is not None
        await one.press("P")
        await settle(one)
        held = json.loads(live_state.presenting_path(board_file).read_text())
        assert held["card"] == chosen and held["by"] == "nanna"
        await until(two, lambda: presented(other) is not None, "shown to the other")
        await until(one, lambda: presented(facilitator) is not None, "and to the facilitator")
        view = presented(other)
        assert view is not None and view.card_id == chosen
        title = board_screen(other).live.session.board.cards[chosen].title  # type: ignore[union-attr]
        assert str(view.query_one("#presented-title", Label).render()) == title
        # highlighted where it is on the board: the other's selection went to it
        assert board_screen(other).current_column.card_id == chosen
        await two.press("j", "k", "e", "n", "T", "P", "x")  # keys meanwhile: nothing breaks
        await settle(two)
        assert presented(other) is not None
        await two.press("F")  # follow off, for the rest of the session
        await settle(two)
        assert presented(other) is None
        follow = board_screen(other).query_one("#follow", Label)
        assert not follow.has_class("-following") and str(follow.render()) == "follow: off"
        await one.press("P")  # from the presented card: stop presenting
        await settle(one)
        await until(one, lambda: not live_state.presenting_path(board_file).exists(), "stopped")
        await until(one, lambda: presented(facilitator) is None, "gone for the facilitator")


async def test_follow_on_again_shows_what_is_presented(board_file: Path) -> None:
    app = steady_app(board_file, actor="omar")
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        cid = board_screen(app).current_column.card_id
        assert cid is not None
        live_state.write_presenting(board_file, live_state.Presenting(cid, "nanna", time.time()))
        await pilot.pause(0.5)
        assert presented(app) is None
        await pilot.press("F")
        await settle(pilot)
        await until(pilot, lambda: presented(app) is not None, "shown once following again")
        await pilot.press("escape")  # this card closed, presenting goes on
        await settle(pilot)
        assert presented(app) is None and live_state.presenting_path(board_file).exists()


async def test_an_unknown_or_archived_presented_card_shows_nothing_but_a_notice(
    board_file: Path,
) -> None:
    live_state.write_presenting(board_file, live_state.Presenting("zzzz", "nanna", time.time()))
    app = steady_app(board_file, actor="omar")
    async with app.run_test() as pilot:
        await settle(pilot)
        await until(pilot, lambda: bool(app._notifications), "a notice")
        texts = [n.message for n in app._notifications]
        assert any("no longer on the board" in t for t in texts), texts
        assert presented(app) is None


async def test_a_presented_card_archived_meanwhile_goes_with_a_notice(board_file: Path) -> None:
    app = steady_app(board_file, actor="omar")
    async with app.run_test() as pilot:
        await settle(pilot)
        cid = board_screen(app).current_column.card_id
        assert cid is not None
        live_state.write_presenting(board_file, live_state.Presenting(cid, "nanna", time.time()))
        await until(pilot, lambda: presented(app) is not None, "shown")
        _cli(board_file.parent.parent, "archive", str(board_file), cid)
        board_screen(app).live.check_file()
        await settle(pilot)
        await until(pilot, lambda: presented(app) is None, "gone")
        texts = [n.message for n in app._notifications]
        assert any("no longer on the board" in t for t in texts), texts


async def test_keys_in_a_burst_around_the_dialogs_act_in_order(board_file: Path) -> None:
    app = steady_app(board_file)
    async with app.run_test() as pilot:
        await settle(pilot)
        # open and close the dialog, present and stop, then start a timer: all at once
        await pilot.press("T", "escape", "P", "P", "T", *"Burst", "enter", *"5m", "enter")
        await settle(pilot)
        await until(pilot, lambda: header_timer(app).startswith("Burst 0"), "the timer")
        assert not live_state.presenting_path(board_file).exists()  # P P: presented, stopped
        held = json.loads(live_state.timer_path(board_file).read_text())
        assert held["label"] == "Burst" and held["duration"] == 300

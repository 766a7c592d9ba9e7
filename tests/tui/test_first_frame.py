"""The board's first frame, drawn from its outline before the board is open, and keys then.

The open is held with `LiveBoard.hold_open` (an event the test sets), so what the first
frame shows — and what keys typed then do — is seen before the full board is in, not
raced against it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from sprintboard import storage
from sprintboard.model import Stage
from sprintboard.tui.live_board import LiveBoard
from sprintboard.tui.screens.board import BoardScreen

from .helpers import board_screen, settle, steady_app
from .test_key_bursts import burst

SIZE = (100, 30)


@pytest.fixture
def held() -> Iterator[threading.Event]:
    """The board's open waits for this event (set it to let the open go on)."""
    event = threading.Event()
    LiveBoard.hold_open = event
    try:
        yield event
    finally:
        event.set()  # a test that failed must not leave a worker waiting
        LiveBoard.hold_open = None


@asynccontextmanager
async def running(app: Any, held: threading.Event) -> AsyncIterator[Any]:
    """`app.run_test`, letting the open go on however the test ends (the app waits for it)."""
    async with app.run_test(size=SIZE) as pilot:
        try:
            yield pilot
        finally:
            held.set()


async def first_frame(pilot: Any) -> BoardScreen:
    """Wait until the board screen has drawn its first frame (from the outline)."""
    app = pilot.app
    for _ in range(200):
        await pilot.pause()
        screen = app.screen
        if isinstance(screen, BoardScreen) and screen.column(Stage.IDEA).cards:
            return screen
    raise AssertionError("no first frame")


def shown(screen: BoardScreen) -> dict[Stage, list[str]]:
    return {stage: [cid for cid, _ in screen.column(stage).cards] for stage in Stage}


async def test_the_first_frame_shows_the_cards_before_the_board_is_open(
    board_file: Path, held: threading.Event
) -> None:
    app = steady_app(board_file)
    async with running(app, held) as pilot:
        screen = await first_frame(pilot)
        assert screen.live.made is None  # no session (no models) yet: the open waits
        assert not screen.live.opened
        assert not screen.has_class("-loading")
        first = shown(screen)
        assert first[Stage.IDEA][0] == "aaaa0001"
        assert screen.column(Stage.PROTOTYPE).border_title == "prototype 3/2 !"
        held.set()
        await settle(pilot)
        assert screen.live.opened
        assert shown(screen) == first  # the full board looks the same: nothing jumps
        board = storage.load(board_file).board
        assert first == {stage: [cid for cid, _ in board.column(stage)] for stage in Stage}


async def test_keys_typed_before_the_board_is_open_wait_and_act_in_order(
    board_file: Path, held: threading.Event
) -> None:
    app = steady_app(board_file)
    async with running(app, held) as pilot:
        screen = await first_frame(pilot)
        burst(app, "L", "n", *"Early card", "enter", "e", *", edited", "ctrl+s")
        for _ in range(5):
            await pilot.pause()
        assert app.keys_waiting  # held: nothing acted yet
        assert storage.load(board_file).board.cards["aaaa0001"].stage is Stage.IDEA
        held.set()
        await settle(pilot)
        board = storage.load(board_file).board
        assert board.cards["aaaa0001"].stage is Stage.PROTOTYPE
        added = [card for card in board.cards.values() if card.title.startswith("Early")]
        assert [(card.title, card.stage) for card in added] == [
            ("Early card, edited", Stage.PROTOTYPE)
        ]
        assert screen.current_column.stage is Stage.PROTOTYPE


async def test_q_before_the_board_is_open_quits_once_it_is(
    board_file: Path, held: threading.Event
) -> None:
    app = steady_app(board_file)
    async with running(app, held) as pilot:
        await first_frame(pilot)
        burst(app, "L", "q")
        await pilot.pause()
        assert app.is_running
        held.set()
        for _ in range(200):
            await pilot.pause()
            if not app.is_running:
                break
    assert storage.load(board_file).board.cards["aaaa0001"].stage is Stage.PROTOTYPE


async def test_a_board_whose_face_looks_fine_but_is_invalid_shows_the_problem(
    board_file: Path, held: threading.Event
) -> None:
    # a co-creator who is no member: the outline draws it, validation refuses it
    text = board_file.read_text().replace('by = [\n    "ahmed",', 'by = [\n    "ghost",', 1)
    board_file.write_text(text)
    before = board_file.read_bytes()
    app = steady_app(board_file)
    async with running(app, held) as pilot:
        screen = await first_frame(pilot)
        assert not screen.has_class("-broken")
        burst(app, "L", "d", "n", *"Lost", "enter")
        held.set()
        await settle(pilot)
        assert screen.has_class("-broken")
        problem = str(screen.query_one("#problem", Static).content)
        assert "cannot be opened" in problem and "ghost" in problem
        assert isinstance(app.screen, BoardScreen)  # n opened no prompt on a broken board
    assert board_file.read_bytes() == before  # no key wrote anything


async def test_a_board_the_outline_is_unsure_of_opens_the_old_way(
    board_file: Path, held: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sprintboard.tui.screens.board.read_outline", lambda path: None)
    app = steady_app(board_file)
    async with running(app, held) as pilot:
        for _ in range(5):
            await pilot.pause()
        screen = board_screen(app)
        assert screen.has_class("-loading")  # "Opening …", no columns yet
        assert screen.column(Stage.IDEA).cards == ()
        burst(app, "L")
        held.set()
        await settle(pilot)
        assert not screen.has_class("-loading")
        assert screen.column(Stage.PROTOTYPE).index_of("aaaa0001") is not None
    assert storage.load(board_file).board.cards["aaaa0001"].stage is Stage.PROTOTYPE


PROBE = """
import asyncio, json, sys, threading
from pathlib import Path
from sprintboard.tui.app import make_app
from sprintboard.tui.live_board import LiveBoard
from sprintboard.vocabulary import Stage

async def main():
    held = LiveBoard.hold_open = threading.Event()
    app = make_app(Path(sys.argv[1]), "nanna", watch="off", recheck=None, presence=False)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(200):
            await pilot.pause()
            screen = app.screen
            if hasattr(screen, "column") and screen.column(Stage.IDEA).cards:
                break
        await pilot.pause()  # drawn: the compositor has painted the frame
        loaded = sorted(sys.modules)
        drawn = [cid for cid, _ in screen.column(Stage.IDEA).cards]
        held.set()
    print(json.dumps({"modules": loaded, "drawn": drawn}))

asyncio.run(main())
"""


def test_the_first_frame_imports_no_models(board_file: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(board_file)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["drawn"][0] == "aaaa0001"
    modules = set(found["modules"])
    assert "textual.app" in modules  # the probe sees what was imported
    heavy = {
        "pydantic",
        "sprintboard.model",
        "sprintboard.ops",
        "sprintboard.session",
        "sprintboard.merge",
        "sprintboard.git",
        "sprintboard.storage.reading",
        "sprintboard.storage.canonical",
    }
    assert sorted(heavy & modules) == []
    assert not any(m.startswith(("pydantic.", "pydantic_core")) for m in modules)
    # the metrics screen and the export dialog, and the charts and reports they bring,
    # are imported when they open
    later = {
        "textual_plotext",
        "plotext",
        "sprintboard.tui.screens.metrics",
        "sprintboard.tui.screens.export_dialog",
        "sprintboard.report.content",
        "sprintboard.report.formats",
    }
    assert sorted(later & modules) == []


async def test_a_card_moved_before_the_board_is_open_keeps_its_selection(
    board_file: Path, held: threading.Event
) -> None:
    # the outline is read when the screen is made, the board when it opens: someone who
    # moves the selected card in between moves it on the first frame's board too, and the
    # selection follows it there, as with any later change (it stayed behind)
    app = steady_app(board_file)
    async with running(app, held) as pilot:
        screen = await first_frame(pilot)
        selected = screen.current_column.card_id
        assert selected is not None and screen.current_column.stage is Stage.IDEA
        board = storage.load(board_file).board
        moved = board.cards[selected].model_copy(update={"stage": Stage.TEST})
        storage.save(
            board_file, board.model_copy(update={"cards": {**board.cards, selected: moved}})
        )
        held.set()
        await settle(pilot)
        assert selected in shown(screen)[Stage.TEST]
        after = screen.current_column
        assert after.stage is Stage.TEST and after.card_id == selected

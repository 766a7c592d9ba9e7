"""The live board on its own: it opens, saves and looks at its file, and says so by message."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.message import Message

from sprintboard import ops
from sprintboard.model import Stage
from sprintboard.storage import load
from sprintboard.tui.live_board import LiveBoard

from .helpers import ACTOR


class Host(App[None]):
    """A bare app holding one live board, keeping every message it reports."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.live = LiveBoard(path, ACTOR, watch="off", recheck=None, presence=False)
        self.heard: list[Message] = []

    def compose(self) -> ComposeResult:
        yield self.live

    def on_mount(self) -> None:
        self.live.start()

    def on_live_board_opened(self, message: LiveBoard.Opened) -> None:
        self.heard.append(message)

    def on_live_board_synced(self, message: LiveBoard.Synced) -> None:
        self.heard.append(message)


async def test_it_reports_the_board_opened_and_each_save(board_file: Path) -> None:
    app = Host(board_file)
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        opened = app.heard[0]
        assert isinstance(opened, LiveBoard.Opened)
        assert opened.error is None and opened.board is not None

        session = app.live.session
        session.propose(ops.MoveCard("aaaa0001", Stage.PROTOTYPE, actor=ACTOR))
        app.live.request_flush()
        assert app.live.flushing
        await app.workers.wait_for_complete()
        await pilot.pause()
        synced = app.heard[-1]
        assert isinstance(synced, LiveBoard.Synced) and synced.source == "flush"
        assert synced.outcome is not None and synced.outcome.error is None
        assert not app.live.flushing and session.pending == 0
        assert load(board_file).board.cards["aaaa0001"].stage is Stage.PROTOTYPE


async def test_a_file_that_is_no_board_is_reported_with_why(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("this is = = not toml\n", encoding="utf-8")
    app = Host(path)
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        opened = app.heard[0]
        assert isinstance(opened, LiveBoard.Opened)
        assert opened.board is None and opened.error is not None
        assert str(path) in "\n".join(opened.error.lines())

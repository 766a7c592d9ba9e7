"""The "Export report…" dialog in the app: the file written is the report (read back and
compared with the format's own rendering), the default path and its suffix, asking before
a file is replaced, an error leaving the dialog open with what was typed, escape, bursts."""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from sprintboard import storage
from sprintboard.report import formats
from sprintboard.tui.screens import board_keys
from sprintboard.tui.screens.board import BoardScreen
from sprintboard.tui.screens.export_dialog import ExportDialog, ReplaceQuestion
from sprintboard.tui.screens.metrics import MetricsScreen

from .helpers import settle, steady_app
from .metrics_helpers import NOW, fixed_now
from .test_key_bursts import NAMED
from .test_roles import from_the_palette

__all__ = ["fixed_now"]  # the fixture, used by name

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app runs in tmp_path: the default path is a file there."""
    monkeypatch.chdir(tmp_path)


def burst(app: Any, *keys: str) -> None:
    """Queue `keys` all at once, as a terminal delivers a paste (`test_key_bursts`)."""
    named = {**NAMED, "shift+tab": ("shift+tab", None), "down": ("down", None)}
    for key in keys:
        name, character = named.get(key, (key, key))
        app.post_message(events.Key(name, character))


def top(app: Any) -> Screen[Any]:
    """The screen on top (a call: each look is a new one, not narrowed by the last)."""
    screen: Screen[Any] = app.screen
    return screen


def notices(app: Any) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def open_dialog(pilot: Pilot[Any]) -> ExportDialog:
    await settle(pilot)
    await pilot.press("E")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportDialog)
    return dialog


def path_field(dialog: ExportDialog) -> Input:
    return dialog.query_one("#path", Input)


async def choose(pilot: Pilot[Any], fmt: str) -> None:
    await pilot.click(f"#format-{fmt}")
    await settle(pilot)


@pytest.mark.parametrize("fmt", ["html", "md", "csv", "json"])
async def test_the_file_written_is_the_report_in_the_format_chosen(
    tmp_path: Path, board_file: Path, fixed_now: Any, fmt: str
) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        await choose(pilot, fmt)
        assert path_field(dialog).value == f"family-report.{fmt}"  # the suffix followed
        await pilot.press("tab", *f"sprint.{fmt}", "enter")  # to the path: typed over
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
        said = notices(app)
    written = tmp_path / f"sprint.{fmt}"
    board = storage.load(board_file).board
    assert written.read_bytes().decode("utf-8") == formats.render(fmt, board, NOW, UTC)
    if fmt == "json":
        assert json.loads(written.read_text(encoding="utf-8"))["title"] == board.title
    assert f"Report saved to {written}" in said


async def test_a_path_typed_over_the_default_and_enter_in_one_burst(
    tmp_path: Path, board_file: Path, fixed_now: Any
) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # E opens the dialog (the path has the focus); back to the formats, one down from
        # html is Markdown, enter chooses it; on to the path, its text selected: typed over
        burst(app, "E", "shift+tab", "down", "enter", "tab", *"burst.md", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    board = storage.load(board_file).board
    written = (tmp_path / "burst.md").read_bytes().decode("utf-8")
    assert written == formats.render("md", board, NOW, UTC)


async def test_the_suffix_follows_the_format_until_the_user_types_a_path(
    board_file: Path, fixed_now: Any
) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        assert path_field(dialog).value == "family-report.html"  # html first, in the folder
        assert dialog.fmt == "html"
        await choose(pilot, "csv")
        assert path_field(dialog).value == "family-report.csv"
        path_field(dialog).value = "mine.txt"
        await choose(pilot, "json")
        assert path_field(dialog).value == "mine.txt"
        assert dialog.fmt == "json"


async def test_a_typed_name_ending_in_a_format_s_suffix_chooses_that_format(
    tmp_path: Path, board_file: Path, fixed_now: Any
) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # the web page is chosen first; the path's text is selected, so typing replaces it
        burst(app, "E", *"sprint.md", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        dialog = await open_dialog(pilot)
        path_field(dialog).value = "notes.CSV"
        await settle(pilot)
        assert dialog.fmt == "csv"
        path_field(dialog).value = "notes.txt"  # no format's name: the choice stays
        await settle(pilot)
        assert dialog.fmt == "csv"
        assert path_field(dialog).value == "notes.txt"
    board = storage.load(board_file).board
    written = (tmp_path / "sprint.md").read_bytes().decode("utf-8")
    assert written == formats.render("md", board, NOW, UTC)


async def test_an_existing_file_is_replaced_only_once_the_user_says_so(
    tmp_path: Path, board_file: Path, fixed_now: Any
) -> None:
    target = tmp_path / "family-report.json"
    target.write_text("mine\n", encoding="utf-8")
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        await choose(pilot, "json")
        await pilot.click("#save")
        await settle(pilot)
        assert isinstance(top(app), ReplaceQuestion)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is dialog
        assert target.read_text(encoding="utf-8") == "mine\n"
        await pilot.click("#save")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    board = storage.load(board_file).board
    assert target.read_text(encoding="utf-8") == formats.render("json", board, NOW, UTC)


async def test_a_path_that_cannot_be_written_keeps_the_dialog_open_with_what_was_typed(
    tmp_path: Path, board_file: Path, fixed_now: Any
) -> None:
    missing = tmp_path / "no-such-folder" / "report.md"
    (tmp_path / "elsewhere.md").write_text("theirs\n", encoding="utf-8")
    (tmp_path / "link.md").symlink_to(tmp_path / "elsewhere.md")
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        await choose(pilot, "md")
        await pilot.press("tab")  # back to the path
        for typed in (str(missing), "link.md"):
            path_field(dialog).value = typed
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is dialog
            assert path_field(dialog).value == typed
            said = notices(app)[-1]
            assert said.startswith(typed + ": "), said
            assert "Traceback" not in said
    assert not missing.parent.exists()
    assert (tmp_path / "elsewhere.md").read_text(encoding="utf-8") == "theirs\n"


async def test_a_board_is_never_replaced_and_not_even_offered_to_be(
    tmp_path: Path, board_file: Path, fixed_now: Any
) -> None:
    other = board_file.with_name("other.toml")
    other.write_bytes(board_file.read_bytes())
    before = {p: p.read_bytes() for p in (board_file, other)}
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        for path, why in ((board_file, "is the board itself"), (other, "ends in .toml")):
            path_field(dialog).value = str(path)
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is dialog  # no "Replace?" question first
            assert notices(app)[-1].startswith(f"{path}: {why}"), notices(app)[-1]
    assert {p: p.read_bytes() for p in before} == before


async def test_escape_cancels_and_writes_nothing(
    tmp_path: Path, board_file: Path, fixed_now: Any
) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize(
    ("words", "opened"),
    [("Export report", ExportDialog), ("Metrics", MetricsScreen)],
    ids=["export", "metrics"],
)
async def test_the_palette_offers_both_by_name(
    board_file: Path, fixed_now: Any, words: str, opened: type[Any]
) -> None:
    app = steady_app(board_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await from_the_palette(app, pilot, words)
        assert isinstance(app.screen, opened)
    titles = [binding.tooltip for binding in board_keys.BINDINGS if isinstance(binding, Binding)]
    assert "Export report…" in titles

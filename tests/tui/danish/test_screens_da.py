"""The app in Danish at 80×24: every key bar fits in whole items, the palette speaks
Danish (Textual's own commands and placeholder included), and the columns are named in
Danish while the file keeps the English stage ids.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.command import CommandInput

from sprintboard import storage
from sprintboard.i18n import _
from sprintboard.model import Stage
from sprintboard.tui.widgets.keybar import KeyBar

from ..helpers import board_screen, palette_options, settle, steady_app
from .screens import FAMILY, SCENES, Scene

SMALL = (80, 24)


def whole_items(bar: KeyBar) -> tuple[str, list[str]]:
    """What a key bar shows, and the items it may show (each whole)."""
    text = str(bar.render())
    shown = [f"{keys} {what}" for keys, what, _ in bar.entries()] + [f"^p {_('palette')}"]
    note = getattr(bar.screen, "key_note", lambda: None)()
    return text, shown if note is None else [note, *shown]  # "prikker tilbage: 1 af 3"


@pytest.mark.parametrize(
    "scene", [s for s in SCENES if s.key_bar], ids=[s.name for s in SCENES if s.key_bar]
)
async def test_every_key_bar_fits_80x24_in_whole_items(board_file: Path, scene: Scene) -> None:
    scene.prepare(FAMILY)
    app = steady_app(FAMILY, actor=scene.actor)
    async with app.run_test(size=SMALL) as pilot:
        await scene.ready(pilot)
        for key in scene.keys:
            await pilot.press(key)
            await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        text, shown = whole_items(bar)
        assert text.strip(), f"{scene.name}: an empty key bar"
        assert cell_len(text) <= bar.content_region.width, text
        assert "…" not in text, text
        for item in text.split("  "):
            assert item in shown, f"{scene.name}: {item!r} is not a whole item of {shown}"


async def test_the_boards_key_bar_keeps_the_newcomers_keys_in_danish(board_file: Path) -> None:
    app = steady_app(FAMILY)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        text, _shown = whole_items(board_screen(app).query_one(KeyBar))
        for needed in (f"⇧← ⇧→ {_('Move')}", f"? {_('Help')}", f"q {_('Quit')}"):
            assert needed in text
        assert "Flyt" in text and "Afslut" in text  # Danish, not the English fallback


async def test_the_palette_speaks_danish(board_file: Path) -> None:
    app = steady_app(FAMILY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = await palette_options(app, pilot)
        assert app.screen.query_one(CommandInput).placeholder == "Søg efter kommandoer …"
        found = "\n".join(shown)
        assert "Tema" in found and "Afslut" in found, found
        for english in ("Theme", "Quit the application", "Change the current theme"):
            assert english not in found, found


async def test_the_palette_finds_textuals_commands_by_their_danish_names(board_file: Path) -> None:
    app = steady_app(FAMILY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = await palette_options(app, pilot, "tema")
        assert shown and "Tema" in shown[0], shown


async def test_columns_are_named_in_danish_and_the_file_keeps_the_stage_ids(
    board_file: Path,
) -> None:
    app = steady_app(FAMILY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = board_screen(app)
        titles = {column.stage: str(column.border_title) for column in screen.columns}
        assert titles[Stage.IDEA].startswith("idé ")
        assert titles[Stage.LEARNED].startswith("læring ")
        assert not any(title.startswith(("idea", "learned")) for title in titles.values())
        await pilot.press("l", "l")  # the test column: cccc0001 is there
        await pilot.press("H")  # back to prototype, then on again
        await settle(pilot)
        assert storage.load(board_file).board.cards["cccc0001"].stage is Stage.PROTOTYPE
        await pilot.press("L")
        await settle(pilot)
    text = board_file.read_text(encoding="utf-8")
    card = text[text.index("[cards.cccc0001]") :]
    assert card.splitlines()[2] == 'stage = "test"', card[:200]
    assert "idé" not in text and "læring" not in text
    assert storage.load(board_file).board.cards["cccc0001"].stage is Stage.TEST

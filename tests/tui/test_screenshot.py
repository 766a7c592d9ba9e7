"""The palette's "Screenshot": saved in the person's own folder, never replacing a file."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from sprintboard.tui import screenshot

from .helpers import settle, steady_app

NOW = datetime(2026, 11, 25, 10, 30, 0)


def test_a_screenshot_is_a_new_file_and_never_goes_through_a_symlink(tmp_path: Path) -> None:
    first = screenshot.save("<svg>1</svg>", [tmp_path], "sprintboard-family", NOW)
    assert first == tmp_path / "sprintboard-family-20261125-103000.svg"
    second = screenshot.save("<svg>2</svg>", [tmp_path], "sprintboard-family", NOW)
    assert second.name == "sprintboard-family-20261125-103000-2.svg"
    assert first.read_text() == "<svg>1</svg>"  # not replaced
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    (tmp_path / "sprintboard-family-20261125-103000-3.svg").symlink_to(target)
    third = screenshot.save("<svg>3</svg>", [tmp_path], "sprintboard-family", NOW)
    assert third.name.endswith("-4.svg") and not third.is_symlink()
    assert target.read_text() == "keep me"


def test_the_next_folder_is_tried_when_one_cannot_take_it(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    saved = screenshot.save("<svg/>", [not_a_folder, tmp_path], "sprintboard", NOW)
    assert saved.parent == tmp_path
    with pytest.raises(OSError):
        screenshot.save("<svg/>", [not_a_folder], "sprintboard", NOW)


def test_pictures_first_then_home_then_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, pictures, here = tmp_path / "home", tmp_path / "pics", tmp_path / "here"
    for folder in (home, pictures, here):
        folder.mkdir()
    monkeypatch.chdir(here)
    env = {"HOME": str(home), "XDG_PICTURES_DIR": str(pictures)}
    assert screenshot.folders(env) == [pictures, home, here]
    (home / "Pictures").mkdir()
    assert screenshot.folders({"HOME": str(home)}) == [home / "Pictures", home, here]
    assert screenshot.folders({"XDG_PICTURES_DIR": str(tmp_path / "gone")}) == [here]
    assert screenshot.file_stem(Path("boards/family-culture.toml")) == "sprintboard-family-culture"
    assert screenshot.file_stem(Path("../x; rm -rf ~.toml")) == "sprintboard-x-rm--rf"
    assert screenshot.file_stem(None) == "sprintboard"


def notes(app: Any) -> list[tuple[str, str]]:
    return [(str(note.message), note.severity) for note in app._notifications]


async def test_the_palettes_screenshot_saves_the_board_and_says_where(
    board_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"  # no Downloads folder: Textual's own command failed here
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_PICTURES_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    app = steady_app(board_file)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"Screenshot")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.5)
        await settle(pilot)
        saved = list(home.glob("sprintboard-family-*.svg"))
        assert len(saved) == 1, (os.listdir(home), notes(app))
        assert "Saturday&#160;art" in saved[0].read_text()  # the board, drawn
        assert (f"Saved in {saved[0]}", "information") in notes(app)
        assert not any(severity == "error" for _, severity in notes(app))


def test_the_readmes_picture_of_the_board_is_there() -> None:
    root = Path(__file__).parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "](docs/board.svg)" in readme
    picture = (root / "docs" / "board.svg").read_text(encoding="utf-8")
    assert picture.startswith("<svg") and "Families,&#160;art&#160;and&#160;culture" in picture
    assert "](docs/board-da.svg)" in readme
    danish = (root / "docs" / "board-da.svg").read_text(encoding="utf-8")
    assert danish.startswith("<svg") and "idé" in danish and "Afslut" in danish

"""A made-up language, end to end: the catalogue reaches what a person reads.

The catalogue is built here from the committed template, every text "translated" to
itself between ⟦ and ⟧ (placeholders kept), and compiled to a .mo in a temporary
folder with Babel (`tests/catalogue.py`). Real subprocesses choose it before importing
anything else of the program, as a language chosen at start-up would be, and what
they print or show must be the English text, each translated piece marked: so a
string that skips `_`, a catalogue that is not found or a key description bound
before the language was chosen shows up as text without the marks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from catalogue import write_catalogue

from sprintboard.i18n import extract

BOARD = 'schema = 1\ntitle = "T"\n\n[sprint]\nstart = 2026-11-23\nend = 2026-12-04\n'
"""A board whose sprint is on day 3 of 12 on 25 November, the app's today."""

LANGUAGE = "xx"
"""A language code no real catalogue has."""

START = """
import sys
from pathlib import Path
from sprintboard import i18n

language, folder = sys.argv[1], Path(sys.argv[2])
i18n.use(None if language == "en" else language, folder)
"""
"""What every subprocess does first: choose the language (the program's modules come after)."""

CLI = (
    START
    + """
from sprintboard.cli import main
sys.exit(main(sys.argv[3:]))
"""
)

APP = (
    START
    + """
import asyncio, json
from datetime import date
from sprintboard.tui.app import make_app
from sprintboard.tui.widgets.keybar import KeyBar
from sprintboard.tui.widgets.header import SprintHeader

async def shown(boards):
    app = make_app(None, "nanna", boards_dir=boards, today=date(2026, 11, 25),
                   watch="off", recheck=None, presence=False)
    app.animation_level = "none"
    async with app.run_test(size=(240, 40)) as pilot:
        for _ in range(50):
            await app.workers.wait_for_complete()
            await pilot.pause()
            bars = app.screen.query(KeyBar)
            if bars and bars.first().entries() and not app.screen.query(".-loading"):
                break
        bar = app.screen.query_one(KeyBar)
        header = [str(label.content) for label in app.screen.query("SprintHeader #day")]
        return {"screen": type(app.screen).__name__, "keys": [text for _, text, _ in bar.entries()],
                "bar": str(bar.content), "day": header,
                "extractor loaded": "sprintboard.i18n.extract" in sys.modules}

print(json.dumps([asyncio.run(shown(Path(folder))) for folder in sys.argv[3:]]))
"""
)


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the made-up language's catalogue, made from the template."""
    folder = tmp_path_factory.mktemp("locale")
    template = extract.TEMPLATE.read_text(encoding="utf-8")
    write_catalogue(folder / LANGUAGE / "LC_MESSAGES" / "sprintboard.mo", template)
    return folder


def run(script: str, language: str, catalogues: Path, *args: str, cwd: Path) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LANG", "LC_"))}
    env.update(SPRINTBOARD_USER="nanna", LANGUAGE="", NO_COLOR="1")
    result = subprocess.run(
        [sys.executable, "-c", script, language, str(catalogues), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def unmarked(text: str) -> str:
    return text.replace("⟦", "").replace("⟧", "")


def test_the_made_up_catalogue_translates_through_gettext(catalogues: Path) -> None:
    import gettext

    path = catalogues / LANGUAGE / "LC_MESSAGES" / "sprintboard.mo"
    with path.open("rb") as file:
        catalogue = gettext.GNUTranslations(file)
    assert catalogue.gettext("Quit") == "⟦Quit⟧"
    edited = ("{n} card edited", "{n} cards edited")
    assert catalogue.ngettext(*edited, 3) == "⟦{n} cards edited⟧"
    assert catalogue.ngettext(*edited, 1) == "⟦{n} card edited⟧"
    assert catalogue.gettext("not there") == "not there"


def test_command_line_messages_come_out_in_the_chosen_language(
    catalogues: Path, tmp_path: Path
) -> None:
    outputs: dict[str, list[tuple[int, str]]] = {}
    for language in ("en", LANGUAGE):
        folder = tmp_path / language
        folder.mkdir()
        outputs[language] = [
            run(CLI, language, catalogues, "new", "x", "--title", "T", cwd=folder),  # success
            run(CLI, language, catalogues, "show", "x", "zzzzzzzz", cwd=folder),  # an error
        ]
    english, pseudo = outputs["en"], outputs[LANGUAGE]
    assert [code for code, _ in english] == [0, 1], english
    assert [code for code, _ in pseudo] == [0, 1], pseudo
    for (_, said), (_, in_english) in zip(pseudo, english, strict=True):
        assert "⟦" in said, f"not translated: {said!r}"
        assert unmarked(said) == in_english


def test_a_language_chosen_at_start_up_reaches_the_key_bar(
    catalogues: Path, tmp_path: Path
) -> None:
    one, two = tmp_path / "one", tmp_path / "two"  # a board opens itself; two: the picker
    for folder, names in ((one, ["a"]), (two, ["a", "b"])):
        folder.mkdir()
        for name in names:
            (folder / f"{name}.toml").write_text(BOARD, encoding="utf-8")
    code, said = run(APP, LANGUAGE, catalogues, str(one), str(two), cwd=tmp_path)
    assert code == 0, said
    board, picker = json.loads(said.splitlines()[-1])
    assert picker["screen"] == "BoardPicker", picker
    assert picker["keys"] == ["⟦New board⟧", "⟦Quit⟧"], picker
    assert board["screen"] == "BoardScreen", board
    # bound when the screen's class was defined: only a language chosen before applies
    unmarked_keys = [text for text in board["keys"] if not text.startswith("⟦")]
    assert board["keys"] and not unmarked_keys, board
    assert "⟦palette⟧" in board["bar"], board
    assert board["day"] == ["⟦day 3 of 12⟧"], board
    assert not board["extractor loaded"]  # a development tool: the program never needs it


def test_the_language_cannot_change_once_the_app_is_imported(
    catalogues: Path, tmp_path: Path
) -> None:
    script = (
        "import sys\nfrom pathlib import Path\nimport sprintboard.tui.app\n"
        "from sprintboard import i18n\n"
        "i18n.use(None)  # English, as it already is: nothing changes\n"
        f"i18n.use({LANGUAGE!r}, Path(sys.argv[2]))\n"
    )
    code, said = run(script, LANGUAGE, catalogues, cwd=tmp_path)
    assert code == 1
    assert "RuntimeError: The language must be chosen before sprintboard.tui" in said


def test_a_language_without_a_catalogue_is_english(tmp_path: Path) -> None:
    script = START + "from sprintboard.i18n import _\nprint(_('Quit'))\n"
    assert run(script, "zz", tmp_path, cwd=tmp_path) == (0, "Quit\n")

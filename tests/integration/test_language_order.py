"""The language is chosen before any key is bound, whoever starts the program.

Textual takes a key's description when the screen's class is defined, so the language
must be in force before `sprintboard.tui` is imported. Each test is a fresh interpreter
(this process has imported the app in English long ago): importing the app chooses the
language from the environment, `sprintboard.cli.main` chooses it from `--lang` first,
and changing it once the app is imported is refused out loud, never half done.
"""

from __future__ import annotations

import gettext
import json
import os
import subprocess
import sys
from pathlib import Path

from sprintboard.i18n.language import DOMAIN, LOCALE_DIR

DESCRIPTIONS = """
import json
from sprintboard.tui.screens.board import BoardScreen
keys = {b.id: b.description for b in BoardScreen.BINDINGS if getattr(b, "id", None)}
print(json.dumps({"new": keys["board.new-card"], "edit": keys["board.edit-card"]}))
"""
"""Prints the board screen's key descriptions as its class was defined."""

ENGLISH = {"new": "New", "edit": "Edit"}
DANISH = {
    key: gettext.translation(DOMAIN, LOCALE_DIR, languages=["da"]).gettext(text)
    for key, text in ENGLISH.items()
}
"""The two descriptions in Danish, as the catalogue has them (its wording may change)."""


def test_the_descriptions_differ_in_danish() -> None:
    assert all(DANISH[key] != ENGLISH[key] for key in ENGLISH), DANISH


def python(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -c script` in a fresh interpreter, with no language but `env`'s."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SPRINTBOARD", "LANG", "LC_"))
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=cwd,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def keys(result: subprocess.CompletedProcess[str]) -> dict[str, object]:
    assert result.returncode == 0, result.stderr
    found: dict[str, object] = json.loads(result.stdout.splitlines()[-1])
    return found


def test_importing_the_app_chooses_the_language_of_the_environment(tmp_path: Path) -> None:
    script = "import sprintboard.tui.app\n" + DESCRIPTIONS
    assert keys(python(script, tmp_path, SPRINTBOARD_LANG="da")) == DANISH
    assert keys(python(script, tmp_path, LANG="da_DK.UTF-8")) == DANISH
    assert keys(python(script, tmp_path, SPRINTBOARD_LANG="en", LANG="da_DK.UTF-8")) == {
        "new": "New",
        "edit": "Edit",
    }


def test_choosing_the_language_after_the_app_is_imported_is_refused(tmp_path: Path) -> None:
    script = (
        "import sprintboard.tui.app\n"
        "from sprintboard.i18n import language\n"
        "language.use('en')  # what is in force already: allowed, nothing changes\n"
        "language.use('da')\n"
    )
    result = python(script, tmp_path, SPRINTBOARD_LANG="en")
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("RuntimeError: The language must be chosen before sprintboard.tui")


def test_the_command_line_chooses_from_lang_before_the_app_is_imported(tmp_path: Path) -> None:
    # main settles the language from --lang (over SPRINTBOARD_LANG) before it builds the
    # parser or imports anything of the app; the app imported afterwards binds Danish keys
    script = (
        "from sprintboard.cli import main\n"
        "code = main(['--lang', 'da', 'list', 'missing'])\n"
        "assert code == 1, code\n" + DESCRIPTIONS
    )
    result = python(script, tmp_path, SPRINTBOARD_LANG="en")
    assert keys(result) == DANISH
    assert "tavlefilen findes ikke" in result.stderr  # the command spoke Danish too
    # and --lang=en over a Danish environment
    script = script.replace("'--lang', 'da'", "'--lang=en'")
    assert keys(python(script, tmp_path, SPRINTBOARD_LANG="da"))["new"] == "New"


def test_lang_after_the_app_was_imported_in_another_language_is_refused(tmp_path: Path) -> None:
    script = (
        "import sprintboard.tui.app\n"
        "from sprintboard.cli import main\n"
        "main(['--lang', 'da', 'list', 'missing'])\n"
    )
    result = python(script, tmp_path, SPRINTBOARD_LANG="en")
    assert result.returncode == 1
    assert "RuntimeError: The language must be chosen before" in result.stderr

"""The command line in Danish: the real executable, chosen by `--lang`, by
SPRINTBOARD_LANG or by the locale, speaks Danish in its help, its own errors and
argparse's; "C" is English whatever $LANGUAGE says.

The program's sentences are compared with the Danish catalogue's (so a reworded
translation does not break these tests, a text left in English does); argparse's few
words, which the brief for the translation fixed, are written out.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sprintboard.i18n import _, language

from .helpers import Job, make_env, run, run_many

LOCALE = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def danish(text: str) -> str:
    with language.within("da"):
        translated = _(text)
    assert translated != text, f"no Danish for {text!r}"
    return translated


def env_with(tmp_path: Path, **variables: str) -> dict[str, str]:
    """The tests' clean environment with no language named but `variables`."""
    cleared: dict[str, str | None] = dict.fromkeys(LOCALE, None)
    return make_env(tmp_path, **{**cleared, **variables})


def test_help_in_danish(tmp_path: Path) -> None:
    result = run(tmp_path, "--lang", "da", "--help", env=env_with(tmp_path, COLUMNS="100"))
    assert result.returncode == 0, result.stderr
    said = result.stdout
    assert said.startswith("brug: sprintboard ")
    assert "\ntilvalg:\n" in said
    assert "vis denne hjælp og afslut" in said
    for summary in ("open the board in the terminal app", "list the cards, column by column"):
        assert danish(summary) in said
        assert summary not in said
    for english in ("usage:", "options:", "show this help message and exit"):
        assert english not in said


def test_a_commands_help_in_danish_after_the_command(tmp_path: Path) -> None:
    result = run(tmp_path, "list", "--help", "--lang=da", env=env_with(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("brug: sprintboard list ")
    assert danish("list the cards, column by column") in result.stdout


@pytest.mark.parametrize(
    "variables",
    [{"SPRINTBOARD_LANG": "da"}, {"LANG": "da_DK.UTF-8"}, {"LANGUAGE": "da", "LANG": "en_US"}],
    ids=["SPRINTBOARD_LANG", "LANG", "LANGUAGE"],
)
def test_a_user_error_is_one_danish_sentence(tmp_path: Path, variables: dict[str, str]) -> None:
    result = run(tmp_path, "list", "missing", env=env_with(tmp_path, **variables))
    path = os.path.join("boards", "missing.toml")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"{path}: {danish('no such board file')}\n"


def test_the_c_locale_is_english_whatever_language_says(tmp_path: Path) -> None:
    jobs = [
        Job(tmp_path, ("list", "missing"), env_with(tmp_path, LC_ALL="C", LANGUAGE="da")),
        Job(tmp_path, ("list", "missing"), env_with(tmp_path, LANG="POSIX", LANGUAGE="da")),
        # nothing named at all: English
        Job(tmp_path, ("list", "missing"), env_with(tmp_path)),
        # SPRINTBOARD_LANG beats the locale both ways
        Job(tmp_path, ("list", "missing"), env_with(tmp_path, SPRINTBOARD_LANG="en", LANG="da_DK")),
    ]
    for result in run_many(jobs):
        assert result.returncode == 1
        assert result.stderr == os.path.join("boards", "missing.toml") + ": no such board file\n"


def test_argparses_own_error_in_danish(tmp_path: Path) -> None:
    env = env_with(tmp_path, SPRINTBOARD_LANG="da")
    wrong_stage, wrong_command = run_many(
        [
            Job(tmp_path, ("list", "x", "--stage", "nope"), env),
            Job(tmp_path, ("frobnicate",), env),
        ]
    )
    for result in (wrong_stage, wrong_command):
        assert result.returncode == 2
        assert result.stdout == ""
        usage, error = result.stderr.splitlines()[0], result.stderr.splitlines()[-1]
        assert usage.startswith("brug: sprintboard")
        assert ": fejl: argument " in error
        assert "ugyldigt valg: " in error
        assert "invalid choice" not in result.stderr
    assert "ugyldigt valg: 'nope' (vælg mellem 'idea', 'prototype'" in wrong_stage.stderr
    assert "ugyldigt valg: 'frobnicate'" in wrong_command.stderr


def test_lang_given_twice_the_last_one_speaks(tmp_path: Path) -> None:
    env = env_with(tmp_path)
    english, in_danish = run_many(
        [
            Job(tmp_path, ("--lang", "da", "list", "missing", "--lang", "en"), env),
            Job(tmp_path, ("--lang=en", "list", "missing", "--lang=da"), env),
        ]
    )
    assert english.stderr.endswith(": no such board file\n")
    assert in_danish.stderr.endswith(f": {danish('no such board file')}\n")

"""What a guest's app gets from its surroundings: the checked environment, the bounded
window size, and the command that starts it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from sprintboard.guests.child import DEFAULT_TERM, app_command, bounded_size, child_environment
from sprintboard.guests.limits import span

SERVER = {
    "HOME": "/home/facilitator",
    "XDG_STATE_HOME": "/srv/state",
    "XDG_CONFIG_HOME": "/srv/config",
    "SPRINTBOARD_USER": "nanna",
    "TEXTUAL_DRIVER": "x",
    "PYTHONPATH": "/srv/evil",
    "SSH_AUTH_SOCK": "/tmp/agent",
    "PATH": "/srv/bin:/usr/bin",
}


def test_only_the_server_settings_the_app_needs_and_a_plain_path() -> None:
    env = child_environment("xterm-256color", {}, SERVER)
    assert env == {
        "PATH": os.defpath,
        "HOME": "/home/facilitator",
        "TERM": "xterm-256color",
        "XDG_STATE_HOME": "/srv/state",
        "XDG_CONFIG_HOME": "/srv/config",
    }


def test_nothing_from_the_client_but_checked_language_and_colour() -> None:
    client = {
        "LANG": "da_DK.UTF-8",
        "LC_ALL": "C.UTF-8",
        "LC_MESSAGES": "en",
        "COLORTERM": "truecolor",
        "PYTHONSTARTUP": "/tmp/x.py",
        "SPRINTBOARD_USER": "omar",
        "TEXTUAL": "devtools",
        "LD_PRELOAD": "/tmp/x.so",
        "HOME": "/tmp",
    }
    env = child_environment("screen", client, {"HOME": "/h"})
    assert env == {
        "PATH": os.defpath,
        "HOME": "/h",
        "TERM": "screen",
        "LANG": "da_DK.UTF-8",
        "LC_ALL": "C.UTF-8",
        "LC_MESSAGES": "en",
        "COLORTERM": "truecolor",
    }


@pytest.mark.parametrize(
    "value", ["$(id)", "da_DK.UTF-8\n", "x" * 100, "../../etc", "da DK", "", "\x1b[2J"]
)
def test_a_locale_that_does_not_look_like_one_is_left_out(value: str) -> None:
    env = child_environment(None, {"LANG": value, "LC_ALL": value, "LC_MESSAGES": value}, {})
    assert not {"LANG", "LC_ALL", "LC_MESSAGES"} & set(env)


@pytest.mark.parametrize("value", ["sr_RS@latin", "C", "POSIX", "en_US.utf8"])
def test_real_locales_pass(value: str) -> None:
    assert child_environment(None, {"LANG": value}, {})["LANG"] == value


def test_a_language_list_passes_only_when_every_part_is_a_locale() -> None:
    assert child_environment(None, {"LANGUAGE": "da:en_GB:en"}, {})["LANGUAGE"] == "da:en_GB:en"
    for value in ["da:$(id)", "da::en", "da:" * 9 + "en", "", "da\n", ":da"]:
        assert "LANGUAGE" not in child_environment(None, {"LANGUAGE": value}, {}), value


def test_the_app_speaks_the_language_it_is_given_else_its_locale() -> None:
    board = Path("/srv/boards/family.toml")
    command = app_command("birthe", board, "da")
    # a global option, before the command, as `sprintboard --lang da --as birthe open`
    assert command[command.index("--lang") + 1] == "da"
    assert command.index("--lang") < command.index("open")
    assert "--lang" not in app_command("birthe", board)


def test_colourterm_only_when_it_says_truecolor() -> None:
    assert child_environment(None, {"COLORTERM": "24bit"}, {})["COLORTERM"] == "24bit"
    assert "COLORTERM" not in child_environment(None, {"COLORTERM": "$(id)"}, {})


@pytest.mark.parametrize(
    "term",
    [None, "", "x" * 65, "xterm\x1b]0;t\x07", "$(rm -rf ~)", "xterm 256", "é-term", "a\nb"],
)
def test_a_terminal_type_that_is_no_terminfo_name_becomes_the_default(term: str | None) -> None:
    assert child_environment(term, {}, {})["TERM"] == DEFAULT_TERM


@pytest.mark.parametrize(
    "term", ["xterm-kitty", "tmux-256color", "rxvt-unicode+x", "vt100", "x" * 64]
)
def test_plausible_terminal_types_pass(term: str) -> None:
    assert child_environment(term, {}, {})["TERM"] == term


def test_window_sizes_are_bounded() -> None:
    assert bounded_size(0, 0) == (80, 24)
    assert bounded_size(120, 30) == (120, 30)
    assert bounded_size(100_000, 100_000) == (500, 200)


def test_the_app_is_exactly_that_board_as_that_member() -> None:
    board = Path("/srv/boards/family.toml")
    command = app_command("birthe", board)
    assert command[0] == sys.executable
    assert command[command.index("--as") + 1] == "birthe"
    assert command[-1] == str(board)
    assert command[command.index("open") + 1] == "--guest"
    # the board's folder must not shadow the package (the app runs in it)
    assert "-P" in command[: command.index("-m")]


def test_limits_as_people_say_them() -> None:
    assert span(30 * 60) == "30 minutes"
    assert span(8 * 3600) == "8 hours"
    assert span(1) == "1 second"
    assert span(3) == "3 seconds"
    assert span(0.2) == "1 second"
    assert span(90 * 60) == "90 minutes"

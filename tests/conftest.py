"""Shared fixtures: a small valid board and a helper that writes board files.

One fixture per board: `board` is the small valid board, `board_file` that board saved, and
`write_board` writes any other content. The app's tests (tests/tui/conftest.py) give
`board_file` the app's own nine-card fixture board, which their snapshots show.
Nothing here is autouse: every group of tests (unit, integration, cli, tui) shares this file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sprintboard import storage
from sprintboard.model import Board

# Every test speaks English whatever this machine's locale, and so do the programs they
# start; the Danish suite (tests/tui/danish) is run in Danish by its own process, which
# `tests/integration/test_danish.py` starts with SPRINTBOARD_TEST_LANG=da.
TEST_LANGUAGE = os.environ.get("SPRINTBOARD_TEST_LANG", "en")
os.environ["SPRINTBOARD_LANG"] = TEST_LANGUAGE
# the folder itself, not only its files: its conftest must not load in an English run
collect_ignore_glob = [] if TEST_LANGUAGE == "da" else ["tui/danish"]

SLOW_MODULES = frozenset(
    {
        "test_hostile",  # every kind of bad input through five commands, as subprocesses
        "test_bench_smoke",  # every benchmark, small
        "test_lint",  # ruff and mypy over the tree
        "test_shared_accounts",  # two Unix accounts, as separate interpreters
        "test_terminal",  # the real executable in a pseudo-terminal
        "test_bursts",
        "test_fits",
        "test_two_languages",  # two real executables in pseudo-terminals
        "test_danish",  # the Danish app suite, in a pytest process of its own
        "test_wheel",  # the wheel built by pip, with its build backend
    }
)
"""Modules left out of the day-to-day subset, `pytest -m "not slow"` (README)."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.stem in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


T0 = datetime(2026, 11, 27, 9, 15, tzinfo=UTC)
"""A whole-second UTC moment: the time every fixture card was made."""


def make_board() -> Board:
    """A small valid board: internal and external members, a card in every stage."""
    return Board.model_validate(
        {
            "schema": 1,
            "title": "Families, art and culture",
            "challenge": "How might we help vulnerable families\nthrough art and culture?",
            "sprint": {
                "start": date(2026, 12, 1),
                "end": date(2026, 12, 12),
                "facilitators": ["nanna"],
            },
            "members": {
                "nanna": {"name": "Nanna H.", "side": "internal", "role": "facilitator"},
                "anna": {"name": "Anna K.", "side": "internal", "role": "frontline"},
                "omar": {"name": "Omar S.", "side": "external", "role": "citizen"},
            },
            "cards": {
                "k7q2mz4t": {
                    "title": "Saturday art workshop at the library",
                    "stage": "idea",
                    "rank": "m",
                    "created": T0,
                    "updated": T0,
                    "by": ["nanna", "anna"],
                    "tags": ["culture"],
                    "votes": {"omar": 2},
                    "history": [{"at": T0, "by": "nanna", "stage": "idea"}],
                },
                "b3x9p0aa": {
                    "title": "Museum tickets on the library card",
                    "stage": "idea",
                    "rank": "t",
                    "created": T0,
                    "updated": T0,
                },
                "p4r0t0ty": {
                    "title": "Paper prototype of the sign-up flow",
                    "stage": "prototype",
                    "rank": "m",
                    "created": T0,
                    "updated": T0,
                    "by": ["omar"],
                    "hypothesis": "Families sign up when it takes one step",
                },
                "t3st1ng0": {
                    "title": "Pop-up test at the school gate",
                    "stage": "test",
                    "rank": "m",
                    "created": T0,
                    "updated": T0,
                    "test": "Hand out 50 flyers",
                    "metric": "sign-ups",
                    "criterion": "at least 10",
                },
                "l3arn3d0": {
                    "title": "Parents want evening slots",
                    "stage": "learned",
                    "rank": "m",
                    "created": T0,
                    "updated": T0,
                    "observed": "Most sign-ups were for 18:00",
                    "learned": "Evenings work\nweekends less",
                    "next": "Move the workshop to Thursday evening",
                    "decision": "pivot",
                },
            },
        }
    )


@pytest.fixture
def board() -> Board:
    """The small valid board of `make_board`."""
    return make_board()


WriteBoard = Callable[..., Path]


@pytest.fixture
def write_board(tmp_path: Path) -> WriteBoard:
    """A function writing a board (a `Board`, or raw text/bytes) to `tmp_path/boards/<name>.toml`.

    Returns the path written. With no board, writes the small valid board.
    """

    def write(content: Board | str | bytes | None = None, name: str = "x") -> Path:
        path = tmp_path / "boards" / f"{name}.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            content = make_board()
        if isinstance(content, Board):
            storage.save(path, content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    return write


@pytest.fixture
def board_file(write_board: WriteBoard) -> Path:
    """The small valid board, saved canonically as `boards/x.toml`."""
    return write_board()

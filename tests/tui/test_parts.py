"""The app's pure parts, without running it: card text, sprint day, filter, layers."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from rich.cells import cell_len

from sprintboard.model import Member, Side, Sprint, Stage
from sprintboard.tui.board_view import changed_stages, column_title, column_titles
from sprintboard.tui.filtering import matcher
from sprintboard.tui.widgets.column import dots_text, fit, initials, tags_text, wrap
from sprintboard.tui.widgets.header import sprint_day

from .helpers import fixture_board


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("Short", 10, ["Short"]),
        ("Saturday art workshop at the library", 16, ["Saturday art", "workshop at the…"]),
        ("Saturday art workshop at the library", 15, ["Saturday art", "workshop at…"]),
        ("one two", 3, ["one", "two"]),
        ("Supercalifragilistic", 8, ["Supercal", "ifragil…"]),
        ("a b c d e f g h", 3, ["a b", "c…"]),
        ("Borrow-an-instrument shelf", 15, ["Borrow-an-", "instrument…"]),
        ("Borrow-an-instrument shelf", 40, ["Borrow-an-instrument shelf"]),
        ("Børn og forældre i kulturhuset", 12, ["Børn og", "forældre i…"]),
        ("日本語のタイトルです", 6, ["日本語", "のタ…"]),
    ],
)
def test_titles_wrap_to_two_lines_and_say_when_cut(text: str, width: int, lines: list[str]) -> None:
    wrapped = wrap(text, width)
    assert wrapped == lines
    assert all(cell_len(line) <= width for line in wrapped)


def test_tags_show_whole_and_count_the_rest() -> None:
    tags = ["culture", "library", "music"]
    assert tags_text(tags, 30) == "#culture #library #music"
    assert tags_text(tags, 20) == "#culture #library +1"
    assert tags_text(tags, 11) == "#culture +2"
    assert tags_text(tags, 6) == "#cult…"  # not even one whole: cut, and said so
    assert tags_text([], 6) == ""
    assert tags_text(tags, 1) == ""


def test_fit_counts_terminal_cells() -> None:
    assert fit("日本語", 5) == "日本"
    assert fit("abc", 5) == "abc"


def test_people_show_as_initials_and_votes_as_dots() -> None:
    assert initials("Nanna Holm") == "NH"
    assert initials("Omar S.") == "OS"
    assert initials("birthe") == "BI"
    assert initials("  ") == "?"
    assert [dots_text(n) for n in (0, 1, 3, 4, 12)] == ["", "●", "●●●", "●4", "●12"]


SPRINT = Sprint(start=date(2026, 11, 23), end=date(2026, 12, 4))


@pytest.mark.parametrize(
    ("sprint", "today", "shown"),
    [
        (SPRINT, date(2026, 11, 21), "starts in 2 days"),
        (SPRINT, date(2026, 11, 22), "starts tomorrow"),
        (SPRINT, date(2026, 11, 23), "day 1 of 12"),
        (SPRINT, date(2026, 11, 25), "day 3 of 12"),
        (SPRINT, date(2026, 12, 4), "day 12 of 12"),
        (SPRINT, date(2026, 12, 5), "ended"),
        (Sprint(start=date(2026, 11, 23)), date(2026, 11, 30), "day 8"),
        (Sprint(end=date(2026, 12, 4)), date(2026, 12, 2), "ends in 2 days"),
        (Sprint(end=date(2026, 12, 4)), date(2026, 12, 4), "ends today"),
        (Sprint(), date(2026, 12, 4), ""),
    ],
)
def test_the_sprint_day_counts_calendar_days(sprint: Sprint, today: date, shown: str) -> None:
    assert sprint_day(sprint, today) == shown


def test_column_titles_show_counts_limits_and_filtering() -> None:
    assert column_title(Stage.IDEA, 3, 3, None, False) == "idea 3"
    assert column_title(Stage.TEST, 2, 2, 3, False) == "test 2/3"
    assert column_title(Stage.TEST, 4, 4, 3, False) == "test 4/3 !"
    assert column_title(Stage.IDEA, 1, 5, None, True) == "idea 1 of 5"
    assert column_titles(Stage.PROTOTYPE, 1, 3, 2, True) == [
        "prototype 1 of 3/2 !",
        "prototype 1 of 3/2!",
        "prototype 1 of 3!",
        "prototype 1!",
        "prototype",
    ]
    assert column_titles(Stage.IDEA, 3, 3, None, False) == ["idea 3", "idea"]


def test_the_filter_matches_words_tags_and_people() -> None:
    board = fixture_board()
    members = {
        **board.members,
        "zoe": Member(name="Zoë Berg", side=Side.EXTERNAL),
    }

    def matching(query: str) -> set[str]:
        test = matcher(query, members)
        assert test is not None
        return {cid for cid, card in board.cards.items() if test(card)}

    assert matcher("  ", members) is None
    assert matching("MUSEUM") == {"aaaa0002"}
    assert matching("#music") == {"bbbb0002"}
    assert matching("#musi") == {"bbbb0002"}  # part of a tag
    assert matching("@omar") == {"bbbb0001", "cccc0001", "dddd0001"}
    assert matching("@sørensen") == {"aaaa0001", "bbbb0002"}  # by name
    assert matching("@omar flyers") == {"cccc0001"}  # every word, text fields too
    assert matching("birthe") == {"aaaa0001", "bbbb0002"}  # a plain word finds people
    assert matching("#nothing") == set()


def test_the_domain_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import sprintboard.model, sprintboard.ops, sprintboard.storage, sprintboard.session\n"
        "import sprintboard.rank, sprintboard.cli\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_only_the_stages_a_change_touches_are_redrawn() -> None:
    from sprintboard import ops

    board = fixture_board()
    assert changed_stages(board, board) == set()
    moved = ops.apply(board, ops.MoveCard("aaaa0001", Stage.TEST))
    assert changed_stages(board, moved) == {Stage.IDEA, Stage.TEST}
    gone = ops.apply(board, ops.DeleteCard("dddd0001"))
    assert changed_stages(board, gone) == {Stage.LEARNED}
    added = ops.apply(board, ops.AddCard("New", Stage.PROTOTYPE))
    assert changed_stages(board, added) == {Stage.PROTOTYPE}

"""`sprintboard round start|status|close` and `vote` inside a round: the real executable,
the board file read back, every bad input."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .helpers import UTC_SECOND, Job, assert_user_error, ok, run, run_many, toml

Write = Callable[..., Path]


@pytest.fixture
def board(write_board: Write) -> Path:
    """The small board: facilitator nanna, members anna and omar; two idea cards
    (k7q2mz4t with 2 of omar's dots, b3x9p0aa), one card in each other stage."""
    return write_board()


def status(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(root, "round", "status", "x", "--json"))
    return data


def test_a_round_from_start_to_close(board: Path, tmp_path: Path) -> None:
    out = ok(tmp_path, "--as", "nanna", "round", "start", "x", "--dots", "2", "--until", "23:59")
    assert out.startswith("Vote round ") and "open on idea: 2 dots each" in out
    file = toml(board)
    ((rid, table),) = file["rounds"].items()
    assert table["stage"] == "idea" and table["dots"] == 2 and table["by"] == "nanna"
    assert "anonymous" not in table and "closed" not in table and "until" in table
    assert "votes" not in file["cards"]["k7q2mz4t"]  # the stage's dots went back in hand
    text = board.read_text(encoding="utf-8")
    assert text.index("[members.") < text.index(f"[rounds.{rid}]") < text.index("[cards.")

    ok(tmp_path, "--as", "anna", "vote", "x", "k7q2", "--dots", "2")
    refused = run(tmp_path, "--as", "anna", "vote", "x", "b3x9")
    assert_user_error(refused, r"boards/x\.toml: You have 0 dots left in this round \(of 2\)$")
    ok(tmp_path, "--as", "omar", "vote", "x", "b3x9")
    outside = run(tmp_path, "--as", "omar", "vote", "x", "t3st")
    assert_user_error(
        outside, r"boards/x\.toml: This round votes on idea; card t3st1ng0 is in test$"
    )

    data = status(tmp_path)
    assert data["open"] is True and data["id"] == rid and data["dots"] == 2
    assert UTC_SECOND.match(data["opened"]) and UTC_SECOND.match(data["until"])
    assert data["ended"] is False and data["anonymous"] is False and data["by"] == "nanna"
    assert data["used"] == {"anna": 2, "omar": 1}
    assert data["not_voted"] == ["nanna"] and data["dots_left_in_room"] == 3
    assert [(c["id"], c["dots"]) for c in data["tally"]] == [("k7q2mz4t", 2), ("b3x9p0aa", 1)]
    assert data["last_result"] is None

    said = ok(tmp_path, "round", "status", "x")
    assert "Not voted yet: Nanna H." in said and "3 dots left in the room" in said
    assert "Dots given: Anna K. 2, Omar S. 1" in said

    closed = ok(tmp_path, "--as", "nanna", "round", "close", "x")
    assert f"Vote round {rid} closed; idea is ordered by dots" in closed
    file = toml(board)
    assert re.search(r"\nclosed = \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n", board.read_text("utf-8"))
    assert file["rounds"][rid]["result"] == {"k7q2mz4t": 2, "b3x9p0aa": 1}
    data = status(tmp_path)
    assert data["open"] is False and data["last_result"]["id"] == rid
    assert [c["id"] for c in data["last_result"]["result"]] == ["k7q2mz4t", "b3x9p0aa"]
    # outside a round, votes work as they always have
    ok(tmp_path, "--as", "anna", "vote", "x", "t3st", "--dots", "9")


def test_close_orders_the_stage_by_dots(board: Path, tmp_path: Path) -> None:
    ok(tmp_path, "--as", "nanna", "round", "start", "x")
    ok(tmp_path, "--as", "anna", "vote", "x", "b3x9", "--dots", "3")
    ok(tmp_path, "--as", "nanna", "round", "close", "x")
    listed = json.loads(ok(tmp_path, "list", "x", "--stage", "idea", "--json"))
    assert [c["id"] for c in listed] == ["b3x9p0aa", "k7q2mz4t"]


def test_an_anonymous_round_says_only_totals(board: Path, tmp_path: Path) -> None:
    ok(tmp_path, "--as", "nanna", "round", "start", "x", "--anonymous", "--stage", "test")
    assert toml(board)["rounds"].popitem()[1]["anonymous"] is True
    ok(tmp_path, "--as", "omar", "vote", "x", "t3st", "--dots", "2")
    said = ok(tmp_path, "round", "status", "x")
    assert "anonymous" in said and "Dots given" not in said and "Omar" not in said
    assert "Not voted yet: Anna K., Nanna H." in said  # who still has dots in hand
    # the JSON holds dots per member, as the file does (README, "Dot-vote rounds")
    assert status(tmp_path)["used"] == {"omar": 2}


def test_only_a_facilitator_starts_and_closes(board: Path, tmp_path: Path) -> None:
    before = board.read_bytes()
    refused = run(tmp_path, "--as", "anna", "round", "start", "x")
    assert_user_error(refused, r"Only a facilitator \(nanna\) can start a vote round$")
    assert board.read_bytes() == before
    ok(tmp_path, "--as", "nanna", "round", "start", "x")
    refused = run(tmp_path, "--as", "omar", "round", "close", "x")
    assert_user_error(refused, r"Only a facilitator \(nanna\) can close a vote round$")
    assert status(tmp_path)["open"] is True


@pytest.mark.parametrize(
    ("args", "code", "pattern"),
    [
        (("--dots", "0"), 1, r"boards/x\.toml: dots must be between 1 and 99, not 0$"),
        (("--dots", "-1"), 1, r"boards/x\.toml: dots must be between 1 and 99, not -1$"),
        (("--dots", "1000"), 1, r"boards/x\.toml: dots must be between 1 and 99, not 1000$"),
        (("--dots", "x"), 2, r".*argument --dots: invalid int value: 'x'"),
        (("--stage", "nope"), 2, r".*'nope' is not a stage \(stages: idea, prototype, test"),
        (("--until", "2020-01-01T10:00:00Z"), 1, r"boards/x\.toml: The round's end time"),
        (("--until", "25:99"), 2, r".*'25:99' is not a time like 10:15"),
        (("--until", "soon"), 2, r".*'soon' is not a time like 10:15"),
        (("--json",), 2, r".*unrecognized arguments: --json"),
    ],
)
def test_bad_input_to_start(
    board: Path, tmp_path: Path, args: tuple[str, ...], code: int, pattern: str
) -> None:
    before = board.read_bytes()
    result = run(tmp_path, "--as", "nanna", "round", "start", "x", *args)
    assert result.returncode == code, result.stderr
    if code == 1:
        assert_user_error(result, pattern)
    else:
        # an unknown option is argparse's to report, with the main usage line
        assert result.stderr.startswith("usage: sprintboard"), result.stderr
        assert any(re.match(pattern, line) for line in result.stderr.splitlines()), result.stderr
    assert board.read_bytes() == before


def test_bad_use_of_the_other_actions(board: Path, tmp_path: Path) -> None:
    results = run_many(
        [
            Job(tmp_path, ("--as", "nanna", "round", "close", "x")),
            Job(tmp_path, ("round", "close", "x", "--dots", "3")),
            Job(tmp_path, ("round", "status", "x", "--anonymous")),
            Job(tmp_path, ("round", "x")),
            Job(tmp_path, ("round",)),
            Job(tmp_path, ("round", "status", "missing")),
        ]
    )
    none_open, close_dots, status_anon, no_action, bare, missing = results
    assert_user_error(none_open, r"boards/x\.toml: No vote round is open$")
    for result in (close_dots, status_anon):
        assert result.returncode == 2, result.stderr
        assert "unrecognized arguments" in result.stderr
    for result in (no_action, bare):
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("usage: sprintboard round"), result.stderr
    assert missing.returncode == 1 and "missing" in missing.stderr


def test_start_while_one_is_open_and_votes_for_archived_cards(board: Path, tmp_path: Path) -> None:
    ok(tmp_path, "--as", "anna", "archive", "x", "b3x9")
    refused = run(tmp_path, "--as", "anna", "vote", "x", "b3x9")
    assert_user_error(refused, r"boards/x\.toml: Card b3x9p0aa is archived")
    ok(tmp_path, "--as", "nanna", "round", "start", "x")
    again = run(tmp_path, "--as", "nanna", "round", "start", "x", "--stage", "test")
    assert_user_error(again, r"boards/x\.toml: A vote round on idea is already open")
    refused = run(tmp_path, "--as", "anna", "vote", "x", "b3x9")
    assert_user_error(refused, r"boards/x\.toml: Card b3x9p0aa is archived")


def test_each_action_has_its_own_help(tmp_path: Path) -> None:
    start, status_help, close, family = run_many(
        [
            Job(tmp_path, ("round", "start", "--help")),
            Job(tmp_path, ("round", "status", "--help")),
            Job(tmp_path, ("round", "close", "--help")),
            Job(tmp_path, ("round", "--help")),
        ]
    )
    for result in (start, status_help, close, family):
        assert result.returncode == 0 and result.stderr == ""
    assert "--dots N" in start.stdout and "--until TIME" in start.stdout
    assert "--anonymous" in start.stdout and "--stage STAGE" in start.stdout
    assert "still holds who gave" in " ".join(start.stdout.split())
    assert "--json" not in start.stdout
    assert "--json" in status_help.stdout and "--dots" not in status_help.stdout
    assert "--dots" not in close.stdout and "BOARD" in close.stdout
    for action in ("start", "status", "close"):
        assert action in family.stdout

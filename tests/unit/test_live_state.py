"""The live state: durations, the timer's arithmetic at a given now, and its files."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from sprintboard import live_state
from sprintboard.live_state import (
    DurationError,
    Presenting,
    Timer,
    clock_text,
    parse_duration,
    read_presenting,
    read_timer,
    timer_path,
    write_presenting,
    write_timer,
)
from sprintboard.presence import PresenceRegistry
from sprintboard.storage import BoardFileError

NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("10m", 600), ("90s", 90), ("1h30m", 5400), ("1h 5m 10s", 3910), ("24h", 86400), ("2M", 120)],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("0m", "longer than zero"),
        ("0s", "longer than zero"),
        ("-5m", "negative"),
        ("25h", "longer than 24 hours"),
        ("99999999999m", "longer than 24 hours"),
        ("10", "needs a unit"),
        ("1h30", "needs a unit"),
        ("ten minutes", "not a duration"),
        ("10m10m", "not a duration"),
        ("m", "not a duration"),
        ("", "Give a duration"),
        ("1\x1b[31mm", "not a duration"),
    ],
)
def test_bad_durations_say_why(text: str, says: str) -> None:
    with pytest.raises(DurationError, match=says):
        parse_duration(text)


def test_a_long_hostile_duration_is_refused_quickly() -> None:
    with pytest.raises(DurationError):
        parse_duration("1" * 100_000 + "x")


def test_remaining_pause_resume_extend_from_a_given_now() -> None:
    timer = Timer.start("Ideation", 600, "nanna", NOW)
    assert timer.remaining(NOW + 100) == 500
    assert timer.status(NOW + 100) == "running"
    paused = timer.paused(NOW + 100)
    assert paused.status(NOW + 5000) == "paused"
    assert paused.remaining(NOW + 5000) == 500  # a paused timer does not count
    resumed = paused.resumed(NOW + 200)
    assert resumed.ends == NOW + 700
    assert resumed.remaining(NOW + 650) == 50
    extended = resumed.extended(120, NOW + 650)
    assert extended.remaining(NOW + 650) == 170 and extended.duration == 720
    assert paused.extended(60, NOW).remaining(NOW + 9) == 560
    assert extended.status(NOW + 820) == "done" and extended.remaining(NOW + 900) == 0


def test_clock_text_rounds_up() -> None:
    assert clock_text(599.2) == "10:00"
    assert clock_text(59) == "00:59"
    assert clock_text(0.01) == "00:01"
    assert clock_text(0) == "00:00"
    assert clock_text(3900) == "1:05:00"


def test_a_timer_round_trips_through_its_file(board_file: Path) -> None:
    timer = Timer.start("Ideation", 600, "nanna", NOW)
    write_timer(board_file, timer)
    assert read_timer(board_file, NOW + 1) == live_state.Reading(timer)
    # every reader computes the same value from the file: the end is absolute
    assert json.loads(timer_path(board_file).read_text())["ends"] == NOW + 600
    presenting = Presenting("abc123", "nanna", NOW)
    write_presenting(board_file, presenting)
    assert read_presenting(board_file, NOW + 5).value == presenting
    live_state.clear_timer(board_file)
    live_state.clear_timer(board_file)  # stopping twice is not an error
    assert read_timer(board_file, NOW) == live_state.Reading(None)


def test_presence_never_reads_the_state_files(board_file: Path) -> None:
    write_timer(board_file, Timer.start("Ideation", 600, "nanna", NOW))
    write_presenting(board_file, Presenting("abc123", "nanna", NOW))
    me = PresenceRegistry(board_file, "anna")
    me.join()
    assert me.others() == []
    assert timer_path(board_file).exists()  # not swept as a dead app's entry either


def _write_raw(board: Path, data: bytes) -> Path:
    write_timer(board, Timer.start("x", 60, "nanna", NOW))  # makes the folder
    path = timer_path(board)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"{not json", "not a state file"),
        (b"[]", "not a state file"),
        (b'{"state": "running"}', "not a state file"),
        (b'{"version": 2, "state": "flying"}', "newer sprintboard \\(version 2\\)"),
        (b'{"version": "1"}', "not a state file"),
        (b"\xff\xfe", "not a state file"),
    ],
)
def test_a_corrupt_or_newer_file_is_ignored_with_why(
    board_file: Path, data: bytes, says: str
) -> None:
    _write_raw(board_file, data)
    reading = read_timer(board_file, NOW)
    assert reading.value is None
    assert reading.problem is not None and "ignored" in reading.problem
    assert re.search(says, reading.problem), reading.problem


def test_a_stale_timer_is_ignored(board_file: Path) -> None:
    write_timer(board_file, Timer.start("Yesterday", 600, "nanna", NOW))
    reading = read_timer(board_file, NOW + live_state.STALE + 700)
    assert reading.value is None and reading.problem and "past session" in reading.problem
    # a finished timer within the session is kept: it is "done", not gone
    assert read_timer(board_file, NOW + 700).value is not None


def test_an_oversized_file_is_ignored(board_file: Path) -> None:
    fields = {"label": "x" * 5000}
    _write_raw(board_file, json.dumps(fields).encode())
    reading = read_timer(board_file, NOW)
    assert reading.value is None and reading.problem and "ignored" in reading.problem


def test_a_link_is_neither_read_nor_written_through(board_file: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    timer = Timer.start("x", 60, "nanna", NOW)
    elsewhere.write_text(json.dumps({**timer.__dict__}))
    path = _write_raw(board_file, b"")
    path.unlink()
    path.symlink_to(elsewhere)
    reading = read_timer(board_file, NOW)
    assert reading.value is None and reading.problem and "symbolic link" in reading.problem
    with pytest.raises(BoardFileError, match="symbolic link"):
        write_timer(board_file, timer)
    assert json.loads(elsewhere.read_text())["label"] == "x"


def test_a_fifo_is_ignored_without_blocking(board_file: Path) -> None:
    path = _write_raw(board_file, b"")
    path.unlink()
    os.mkfifo(path)
    reading = read_timer(board_file, NOW)
    assert reading.value is None and reading.problem and "ignored" in reading.problem


def test_writes_are_atomic_renames(board_file: Path) -> None:
    write_timer(board_file, Timer.start("one", 60, "nanna", NOW))
    before = os.lstat(timer_path(board_file)).st_ino
    write_timer(board_file, Timer.start("two", 60, "nanna", NOW))
    assert os.lstat(timer_path(board_file)).st_ino != before  # a new file, renamed in place
    leftovers = [p.name for p in timer_path(board_file).parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []

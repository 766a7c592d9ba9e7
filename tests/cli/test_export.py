"""`sprintboard export`: the real executable, its golden files, its files and its errors.

The golden files (`tests/golden/<board>.<md|csv|json>`) are the example boards exported
at 2026-12-01T12:00:00Z, days in UTC, by the executable itself; a run with
`SPRINTBOARD_UPDATE_GOLDEN=1` rewrites them (read a changed one before committing it).
"""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sprintboard.cli import export
from sprintboard.report import formats

from .helpers import SPRINTBOARD, Job, assert_user_error, make_env, run, run_many

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
BOARDS = ("family-culture", "safer-housing")
DATA_FORMATS = ("md", "csv", "json")
NOW = "2026-12-01T12:00:00Z"


def env_at(tmp_path: Path, **changes: str | None) -> dict[str, str]:
    return make_env(tmp_path, **{"SPRINTBOARD_NOW": NOW, "TZ": "UTC", **changes})


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """The example boards in `tmp_path/boards`."""
    (tmp_path / "boards").mkdir()
    for name in BOARDS:
        shutil.copy(ROOT / "boards" / f"{name}.toml", tmp_path / "boards")
    return tmp_path


def exported(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    """`sprintboard export ARGS` with stdout a pipe, its bytes exactly as written."""
    return subprocess.run(
        [SPRINTBOARD, "export", *args], cwd=cwd, env=env, capture_output=True, timeout=120
    )


def test_the_parser_knows_every_format() -> None:
    assert tuple(formats.FORMATS) == export.FORMAT_NAMES
    assert set(formats.SUFFIX) == set(formats.FORMATS)


def test_the_golden_files_through_the_executable(examples: Path) -> None:
    env = env_at(examples)
    jobs = [
        Job(examples, ("export", b, "--format", f, "-o", f"out/{b}.{f}"), env)
        for b in BOARDS
        for f in DATA_FORMATS
    ]
    (examples / "out").mkdir()
    for result in run_many(jobs):
        assert result.returncode == 0 and result.stdout == result.stderr == "", result.stderr
    update = os.environ.get("SPRINTBOARD_UPDATE_GOLDEN") == "1"
    for b in BOARDS:
        for f in DATA_FORMATS:
            made = (examples / "out" / f"{b}.{f}").read_bytes()
            golden = GOLDEN / f"{b}.{f}"
            if update:
                GOLDEN.mkdir(exist_ok=True)
                golden.write_bytes(made)
            assert made == golden.read_bytes(), f"{golden} differs: SPRINTBOARD_UPDATE_GOLDEN=1"


def test_stdout_to_a_pipe_is_the_file_byte_for_byte(examples: Path) -> None:
    env = env_at(examples)
    for fmt in DATA_FORMATS:
        piped = exported(examples, "family-culture", "--format", fmt, env=env)
        assert piped.returncode == 0 and piped.stderr == b""
        assert piped.stdout == (GOLDEN / f"family-culture.{fmt}").read_bytes()
    # the CSV's byte-order mark and CRLF rows survive the pipe
    assert piped.stdout.startswith(b"{")
    csv = exported(examples, "family-culture", "--format", "csv", env=env).stdout
    assert csv.startswith(b"\xef\xbb\xbfid,") and b"\r\n" in csv


def test_the_format_is_taken_from_the_file_name(examples: Path) -> None:
    env = env_at(examples)
    result = run(examples, "export", "safer-housing", "-o", "Report.MD", env=env)
    assert result.returncode == 0, result.stderr
    assert (examples / "Report.MD").read_bytes() == (GOLDEN / "safer-housing.md").read_bytes()
    result = run(examples, "export", "safer-housing", "--output", "cards.csv", env=env)
    assert result.returncode == 0, result.stderr
    assert (examples / "cards.csv").read_bytes() == (GOLDEN / "safer-housing.csv").read_bytes()
    # --format wins over the name
    result = run(examples, "export", "safer-housing", "--format", "json", "-o", "x.md", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads((examples / "x.md").read_text(encoding="utf-8"))["schema"] == 1


def test_a_format_it_cannot_tell_is_asked_for(examples: Path) -> None:
    env = env_at(examples)
    result = run(examples, "export", "safer-housing", env=env)
    assert_user_error(result, r"sprintboard export: say which format with --format \(md, html")
    result = run(examples, "export", "safer-housing", "-o", "notes.txt", env=env)
    assert_user_error(result, r"sprintboard export: notes\.txt does not end in \.md, \.html")
    assert not (examples / "notes.txt").exists()
    result = run(examples, "export", "safer-housing", "--format", "pdf", env=env)
    assert result.returncode == 2 and "invalid choice: 'pdf'" in result.stderr


def test_sprintboard_now_sets_the_clock_and_a_bad_one_is_one_sentence(examples: Path) -> None:
    md = run(examples, "export", "safer-housing", "--format", "md", env=env_at(examples))
    assert "*Report made 2026-12-01 12:00 UTC*" in md.stdout
    later = env_at(examples, SPRINTBOARD_NOW="2026-12-03T09:30:00+01:00")
    md = run(examples, "export", "safer-housing", "--format", "md", env=later)
    assert "*Report made 2026-12-03 08:30 UTC*" in md.stdout
    assert "| 2026-12-03 |" in md.stdout and "| 2026-12-04 |" not in md.stdout
    for bad in ("yesterday", "2026-12-01T12:00:00", "2026-13-01T00:00:00Z"):
        result = run(examples, "export", "safer-housing", "--format", "md",
                     env=env_at(examples, SPRINTBOARD_NOW=bad))  # fmt: skip
        assert_user_error(result, rf"sprintboard: SPRINTBOARD_NOW='{bad}' is not a time")


def test_days_are_counted_in_the_local_zone(examples: Path) -> None:
    """At 23:30 UTC on 1 December it is already 2 December in Copenhagen."""
    late = "2026-12-01T23:30:00Z"
    here = run(examples, "export", "safer-housing", "--format", "md",
               env=env_at(examples, SPRINTBOARD_NOW=late, TZ="Europe/Copenhagen"))  # fmt: skip
    utc = run(examples, "export", "safer-housing", "--format", "md",
              env=env_at(examples, SPRINTBOARD_NOW=late))  # fmt: skip
    assert "| 2026-12-02 |" in here.stdout and "| 2026-12-02 |" not in utc.stdout


def test_a_bad_board_is_the_same_sentence_as_list(tmp_path: Path) -> None:
    (tmp_path / "boards").mkdir()
    (tmp_path / "boards" / "bad.toml").write_text('schema = 1\ntitle = "x"\n[cards\n')
    listed = run(tmp_path, "list", "bad", env=env_at(tmp_path))
    result = run(tmp_path, "export", "bad", "--format", "md", env=env_at(tmp_path))
    assert_user_error(result, r"boards/bad\.toml:3:")
    assert result.stderr == listed.stderr
    result = run(tmp_path, "export", "missing", "--format", "md", env=env_at(tmp_path))
    assert_user_error(result, r"boards/missing\.toml: no such board file")


def test_unwritable_outputs_are_refused_and_nothing_is_written(examples: Path) -> None:
    env = env_at(examples)
    victim = examples / "victim.txt"
    victim.write_text("keep me")
    (examples / "link.md").symlink_to(victim)
    (examples / "folder.md").mkdir()
    locked = examples / "locked.md"
    locked.write_text("old")
    locked.chmod(0o444)
    os.mkfifo(examples / "pipe.md")
    cases = {
        "link.md": r"link\.md: is a symbolic link; an export is never written through one$",
        "folder.md": r"folder\.md: is a folder; give the export a file name in it$",
        "locked.md": r"locked\.md: the file is read-only; nothing was written$",
        "pipe.md": r"pipe\.md: is not a regular file",
        "no/such/folder/r.md": r"no/such/folder/r\.md: its folder no/such/folder does not exist",
        "boards/safer-housing.toml": r"boards/safer-housing\.toml: is the board itself",
        # another board: an export never replaces a board, which would bypass its lock
        "boards/family-culture.toml": r"boards/family-culture\.toml: ends in \.toml",
        "new.TOML": r"new\.TOML: ends in \.toml, as a board does",
    }
    boards = [examples / "boards/safer-housing.toml", examples / "boards/family-culture.toml"]
    before = {p.name: p.read_bytes() for p in (victim, locked, *boards)}
    jobs = [
        Job(examples, ("export", "safer-housing", "--format", "json", "-o", out), env)
        for out in cases
    ]
    for (out, pattern), result in zip(cases.items(), run_many(jobs), strict=True):
        assert_user_error(result, pattern)
        assert result.stdout == "", out
    after = {p.name: p.read_bytes() for p in (victim, locked, *boards)}
    assert after == before
    assert (examples / "link.md").is_symlink() and not list((examples / "folder.md").iterdir())
    assert not [p for p in examples.iterdir() if p.name.endswith(".tmp")]
    assert not (examples / "new.TOML").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in any folder")
def test_a_folder_without_write_permission(examples: Path) -> None:
    shut = examples / "shut"
    shut.mkdir()
    shut.chmod(0o555)
    try:
        result = run(examples, "export", "safer-housing", "-o", "shut/r.md", env=env_at(examples))
        assert_user_error(result, r"shut/r\.md: cannot write in its folder: Permission denied")
    finally:
        shut.chmod(0o755)


def test_an_existing_export_is_replaced_whole(examples: Path) -> None:
    target = examples / "r.json"
    target.write_text("x" * 10_000_000)
    result = run(examples, "export", "family-culture", "-o", "r.json", env=env_at(examples))
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == (GOLDEN / "family-culture.json").read_bytes()


def test_on_a_terminal_the_report_is_terminal_safe(tmp_path: Path) -> None:
    """Text holding escape sequences: in the Markdown as visible escapes (Markdown cannot
    carry a control character, and `cat report.md` must be safe); on a terminal (a
    pseudo-terminal as stdout) the CSV, which keeps the exact text, shows visible escapes."""
    (tmp_path / "boards").mkdir()
    escapes = "retitle \\u001b]0;pwned\\u0007 and \\u202e"
    hostile = f'schema = 1\ntitle = "T"\nchallenge = "{escapes}"\n' + (
        '[cards.aaaaaaaa]\ntitle = "Card"\nstage = "idea"\nrank = "m"\n'
        f'body = "{escapes}"\n'
        "created = 2026-11-30T09:00:00Z\nupdated = 2026-11-30T09:00:00Z\n"
    )
    (tmp_path / "boards" / "h.toml").write_text(hostile)
    env = env_at(tmp_path)
    piped = exported(tmp_path, "h", "--format", "md", env=env)
    assert b"retitle \\\\x1b\\]0;pwned\\\\x07 and \\\\u202e" in piped.stdout
    piped = exported(tmp_path, "h", "--format", "json", env=env)
    assert b"retitle \\u001b]0;pwned\\u0007 and \\u202e" in piped.stdout
    piped = exported(tmp_path, "h", "--format", "csv", env=env)
    assert "retitle \x1b]0;pwned\x07 and \u202e".encode() in piped.stdout
    master, slave = pty.openpty()
    try:
        process = subprocess.Popen(
            [SPRINTBOARD, "export", "h", "--format", "csv"],
            cwd=tmp_path, env=env, stdout=slave, stderr=subprocess.PIPE,
        )  # fmt: skip
        os.close(slave)
        shown = b""
        while True:
            ready, _w, _x = select.select([master], [], [], 30)
            assert ready, "no output from the terminal"
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the other end closed: everything was read
                break
            if not chunk:
                break
            shown += chunk
        assert process.wait(timeout=60) == 0
    finally:
        os.close(master)
    assert b"\x1b" not in shown and "\u202e".encode() not in shown
    assert b"retitle \\x1b]0;pwned\\x07 and \\u202e" in shown


@pytest.mark.parametrize(
    "board",
    [
        pytest.param('schema = 1\ntitle = "Nothing yet"\n', id="no cards, members or dates"),
        pytest.param(
            'schema = 1\ntitle = "By hand"\n'
            '[cards.aaaaaaaa]\ntitle = "No history"\nstage = "learned"\nrank = "m"\n'
            "created = 2026-11-30T09:00:00Z\nupdated = 2026-11-30T09:00:00Z\n"
            '[cards.bbbbbbbb]\ntitle = "Archived"\nstage = "idea"\nrank = "m"\n'
            "archived = true\n"
            "created = 2026-11-30T09:00:00Z\nupdated = 2026-11-30T09:00:00Z\n",
            id="no history, no members",
        ),
        pytest.param(
            'schema = 1\ntitle = "Ideas only"\n[members.a]\nname = "A"\nside = "internal"\n'
            '[cards.aaaaaaaa]\ntitle = "An idea"\nstage = "idea"\nrank = "m"\n'
            "created = 2026-11-30T09:00:00Z\nupdated = 2026-11-30T09:00:00Z\n",
            id="no learned cards",
        ),
    ],
)
def test_thin_boards_give_sensible_reports(tmp_path: Path, board: str) -> None:
    (tmp_path / "boards").mkdir()
    (tmp_path / "boards" / "thin.toml").write_text(board)
    env = env_at(tmp_path)
    jobs = [Job(tmp_path, ("export", "thin", "--format", f), env) for f in DATA_FORMATS]
    md, csv, data = (r.stdout for r in run_many(jobs))
    assert "None yet." in md and "archived card" in md
    assert "no dates set" in md
    cards = json.loads(data)["cards"]
    assert len(cards) == board.count("[cards.")
    assert csv.count("\n") == 1 + len(cards)


def test_ten_thousand_cards(tmp_path: Path) -> None:
    """A sprint-shaped board of 10,000 cards (bench/benchlib.py): every format works."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from benchlib import make_board
    finally:
        sys.path.remove(str(ROOT / "bench"))
    from sprintboard import storage

    (tmp_path / "boards").mkdir()
    board = make_board(10_000)
    storage.save(tmp_path / "boards" / "big.toml", board)
    env = env_at(tmp_path)
    jobs = [Job(tmp_path, ("export", "big", "--format", f), env) for f in DATA_FORMATS]
    md, csv, data = (r.stdout for r in run_many(jobs))
    archived = sum(c.archived for c in board.cards.values())
    assert md.endswith(f"{archived} archived cards are left out of this report.\n")
    assert len(json.loads(data)["cards"]) == 10_000
    assert csv.count("\n") > 10_000

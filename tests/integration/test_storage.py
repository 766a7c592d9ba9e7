"""The board file: canonical text, exact round trips, precise errors, safe writes, locks."""

from __future__ import annotations

import hashlib
import os
import select
import signal
import stat
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import tomli
from conftest import T0, WriteBoard
from hypothesis import HealthCheck, given, settings
from strategies import boards

from sprintboard import storage
from sprintboard.model import Board, Card, Stage
from sprintboard.storage import BoardFileError

PROPERTY = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

GOOD = """\
schema = 1
title = "T"

[members.nanna]
name = "Nanna"
side = "internal"

[cards.k7q2mz4t]
title = "Saturday art workshop"
stage = "idea"
rank = "m"
created = 2026-11-27T09:15:00Z
updated = 2026-11-27T09:15:00Z
by = ["nanna"]
"""


def line_of(text: str, needle: str) -> int:
    """1-based number of the line of `text` holding `needle` (exactly once)."""
    found = [n for n, line in enumerate(text.split("\n"), start=1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


def problems(path: Path) -> list[str]:
    with pytest.raises(BoardFileError) as info:
        storage.load(path)
    return info.value.lines()


def side_files(folder: Path) -> set[str]:
    """Names in `folder` that are not boards (temp files, leftovers)."""
    return {p.name for p in folder.iterdir() if p.name.endswith(".tmp")}


# --- the canonical text ------------------------------------------------------------------


def test_canonical_layout(board: Board) -> None:
    text = storage.dumps(board)
    assert text.startswith('schema = 1\ntitle = "Families, art and culture"\nchallenge = """\n')
    # cards sorted by id, members sorted by key
    headers = [
        line for line in text.split("\n") if line.startswith("[cards.") and "." not in line[7:-1]
    ]
    assert headers == [f"[cards.{cid}]" for cid in sorted(board.cards)]
    members = [line for line in text.split("\n") if line.startswith("[members.")]
    assert members == ["[members.anna]", "[members.nanna]", "[members.omar]"]
    # keys inside a card in model order; empty optionals left out
    section = text.split("[cards.k7q2mz4t]\n")[1].split("\n\n")[0]
    keys = [
        line.split(" = ")[0] for line in section.split("\n") if " = " in line and line[0] != " "
    ]
    assert keys == ["title", "stage", "rank", "created", "updated", "by", "tags", "history"]
    assert "[cards.k7q2mz4t.votes]\nomar = 2\n" in text
    bare = text.split("[cards.b3x9p0aa]\n")[1].split("\n\n")[0]
    assert bare.split("\n") == [
        'title = "Museum tickets on the library card"',
        'stage = "idea"',
        'rank = "t"',
        "created = 2026-11-27T09:15:00Z",
        "updated = 2026-11-27T09:15:00Z",
    ]
    for absent in ("archived", "body =", "goal =", "wip", 'decision = ""', "votes = {}"):
        assert absent not in text
    # a member without a role has no role line
    assert '[members.anna]\nname = "Anna K."\nside = "internal"\nrole = "frontline"\n' in text


def test_minimal_board_is_minimal() -> None:
    board = Board.model_validate({"schema": 1, "title": "Empty"})
    assert storage.dumps(board) == 'schema = 1\ntitle = "Empty"\n'


def test_times_are_written_in_utc_to_the_second(board: Board) -> None:
    cet = timezone(timedelta(hours=2))
    local = datetime(2026, 11, 27, 11, 15, 7, 654_321, tzinfo=cet)
    card = board.cards["b3x9p0aa"].model_copy(update={"created": local, "updated": local})
    text = storage.dumps(board.model_copy(update={"cards": {"b3x9p0aa": card}}))
    assert "created = 2026-11-27T09:15:07Z\nupdated = 2026-11-27T09:15:07Z\n" in text
    assert "+02:00" not in text and ".654" not in text


def test_dump_does_not_depend_on_insertion_order(board: Board) -> None:
    reversed_board = board.model_copy(
        update={
            "cards": dict(reversed(board.cards.items())),
            "members": dict(reversed(board.members.items())),
        }
    )
    card = board.cards["k7q2mz4t"]
    votes = {"omar": 2, "anna": 1}
    one = board.model_copy(update={"cards": {"k7q2mz4t": card.model_copy(update={"votes": votes})}})
    two = board.model_copy(
        update={
            "cards": {"k7q2mz4t": card.model_copy(update={"votes": dict(reversed(votes.items()))})}
        }
    )
    assert storage.dumps(reversed_board) == storage.dumps(board)
    assert storage.dumps(one) == storage.dumps(two)


def test_fixture_round_trips_through_a_file(board: Board, write_board: WriteBoard) -> None:
    path = write_board(board)
    loaded = storage.load(path)
    assert loaded.board == board
    assert loaded.text == path.read_text(encoding="utf-8") == storage.dumps(board)
    assert loaded.digest == hashlib.sha256(path.read_bytes()).hexdigest()


def test_crlf_file_reads_like_the_canonical_one(board: Board, write_board: WriteBoard) -> None:
    path = write_board(storage.dumps(board).replace("\n", "\r\n").encode())
    assert storage.load(path).board == board


@PROPERTY
@given(boards())
def test_load_dump_round_trip(tmp_path: Path, generated: Board) -> None:
    text = storage.dumps(generated)
    assert storage.parse(text, Path("mem.toml")) == generated
    path = tmp_path / "b.toml"
    storage.save(path, generated)
    assert storage.load(path).board == generated


@PROPERTY
@given(boards())
def test_canonical_text_is_a_fixed_point(generated: Board) -> None:
    text = storage.dumps(generated)
    again = storage.dumps(storage.parse(text, Path("mem.toml")))
    assert again == text
    # and it is TOML any reader understands, with the same cards
    assert sorted(tomli.loads(text).get("cards", {})) == sorted(generated.cards)


def test_huge_unicode_title_round_trips_exactly(write_board: WriteBoard, board: Board) -> None:
    unit = 'مرحبا "שלום" \\ 🎨👩‍👩‍👧 """ \'\'\' \\n \u202e ø '
    title = (unit * (10_000 // len(unit) + 1))[:10_000]
    assert len(title) == 10_000
    card = board.cards["b3x9p0aa"].model_copy(update={"title": title})
    big = board.model_copy(update={"cards": {**board.cards, "b3x9p0aa": card}})
    path = write_board(big)
    assert storage.load(path).board.cards["b3x9p0aa"].title == title
    assert storage.dumps(storage.load(path).board) == path.read_text(encoding="utf-8")


def test_text_fields_with_newlines_round_trip(write_board: WriteBoard, board: Board) -> None:
    body = 'first\n\n  indented "quoted" \\ back\\slash\n"""\nends with a quote"'
    card = board.cards["b3x9p0aa"].model_copy(update={"body": body, "learned": "\n"})
    path = write_board(board.model_copy(update={"cards": {**board.cards, "b3x9p0aa": card}}))
    loaded = storage.load(path).board.cards["b3x9p0aa"]
    assert loaded.body == body and loaded.learned == "\n"


# --- errors with line and column -------------------------------------------------------------


def test_syntax_error_has_line_and_column(write_board: WriteBoard) -> None:
    path = write_board(GOOD.replace('stage = "idea"', "stage = idea"))
    line = line_of(GOOD, 'stage = "idea"')
    assert problems(path) == [f"{path}:{line}:9: invalid value"]
    path = write_board('schema = 1\ntitle = "never closed\n')
    [message] = problems(path)
    assert message.startswith(f"{path}:2:")
    assert "illegal character" in message


def test_bad_stage_points_at_its_line(write_board: WriteBoard) -> None:
    # pad the file so the stage sits on line 42: an error far down a file still names its line
    filler = "".join(f'[members.m{i:02d}]\nname = "M"\nside = "external"\n\n' for i in range(8))
    text = GOOD.replace("[cards.", filler + "[cards.").replace('"idea"', '"tested"')
    assert line_of(text, "stage =") == 42
    path = write_board(text)
    assert problems(path) == [
        f"{path}:42:1: card k7q2mz4t: stage 'tested' is not one of idea, prototype, test, learned"
    ]


def test_unknown_key_in_card_points_at_the_key(write_board: WriteBoard) -> None:
    text = GOOD.replace('rank = "m"\n', 'rank = "m"\n  colour = "red"\n')
    path = write_board(text)
    assert problems(path) == [
        f"{path}:{line_of(text, 'colour')}:3: card k7q2mz4t: unknown key 'colour'"
    ]


def test_unknown_top_level_and_member_keys(write_board: WriteBoard) -> None:
    text = GOOD.replace('side = "internal"\n', 'side = "internal"\nemail = "n@x"\n')
    text = text.replace('title = "T"\n', 'title = "T"\nowner = "x"\n')
    path = write_board(text)
    assert sorted(problems(path)) == sorted(
        [
            f"{path}:{line_of(text, 'owner')}:1: unknown key 'owner'",
            f"{path}:{line_of(text, 'email')}:1: member nanna: unknown key 'email'",
        ]
    )
    with pytest.raises(BoardFileError) as info:
        storage.load(path)
    assert str(info.value).endswith("(and 1 more)")


def test_unknown_member_in_by(write_board: WriteBoard) -> None:
    text = GOOD.replace('by = ["nanna"]', 'by = ["nanna", "zed"]')
    path = write_board(text)
    assert problems(path) == [
        f"{path}:{line_of(text, 'by =')}:1: "
        "card k7q2mz4t: co-creator 'zed' is not a member of the board"
    ]


def test_unknown_voter_and_facilitator(write_board: WriteBoard) -> None:
    text = GOOD + "\n[cards.k7q2mz4t.votes]\nghost = 1\n"
    path = write_board(text)
    [message] = problems(path)
    assert message.startswith(f"{path}:{line_of(text, 'ghost')}:1: card k7q2mz4t: ")
    assert "'ghost'" in message and "not a member" in message
    text = GOOD.replace('title = "T"\n', 'title = "T"\n\n[sprint]\nfacilitators = ["boss"]\n')
    path = write_board(text)
    assert problems(path) == [
        f"{path}:{line_of(text, 'facilitators')}:1: "
        "sprint: facilitator 'boss' is not a member of the board"
    ]


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ('rank = "m"', "rank = 5", "rank =", "rank must be a string, not an integer"),
        (
            "created = 2026-11-27T09:15:00Z",
            'created = "2026-11-27T09:15:00Z"',
            "created =",
            "created must be a date-time like 2026-11-27T09:15:00Z, not a string",
        ),
        (
            "created = 2026-11-27T09:15:00Z",
            "created = 2026-11-27T09:15:00",
            "created =",
            "created must be a UTC date-time like 2026-11-27T09:15:00Z (with its Z)",
        ),
        (
            "created = 2026-11-27T09:15:00Z",
            "created = 2026-11-27",
            "created =",
            "created must be a date-time like 2026-11-27T09:15:00Z, not a date",
        ),
        ('by = ["nanna"]', 'by = "nanna"', "by =", "by must be an array, not a string"),
        (
            'rank = "m"',
            'rank = "m"\narchived = 1',
            "archived",
            "archived must be true or false, not an integer",
        ),
        ('rank = "m"', 'rank = "m"\ntags = [1.5]', "tags", "tags must be a string, not a float"),
        (
            'rank = "m"',
            'rank = "m0"',
            "rank =",
            "rank 'm0' must be digits and lowercase letters, not ending in 0",
        ),
        (
            'title = "Saturday art workshop"',
            'title = "Saturday\\nart"',
            "Saturday",
            "title 'Saturday\\nart' must be one line of text, not empty, "
            "without control characters",
        ),
        (
            'title = "Saturday art workshop"',
            'title = "bell \\u0007"',
            "bell",
            "title 'bell \\x07' must be one line of text, not empty, without control characters",
        ),
        (
            'rank = "m"',
            'rank = "m"\nbody = "windows\\r\\nline"',
            "body",
            "body 'windows\\r\\nline' must not contain carriage returns "
            "(lines end with a newline only)",
        ),
        (
            'rank = "m"',
            'rank = "m"\nhistory = [{ at = 2026-11-27T09:15:00Z, by = "n", stage = "done" }]',
            "history",
            "stage 'done' is not one of idea, prototype, test, learned",
        ),
    ],
)
def test_bad_values_point_at_their_line(
    write_board: WriteBoard, old: str, new: str, needle: str, message: str
) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    path = write_board(text)
    assert problems(path) == [f"{path}:{line_of(text, needle)}:1: card k7q2mz4t: {message}"]


def test_title_on_the_wrong_table_and_wrong_board_types(write_board: WriteBoard) -> None:
    text = GOOD.replace("schema = 1", 'schema = "1"')
    path = write_board(text)
    assert problems(path) == [f"{path}:1:1: schema must be an integer, not a string"]
    text = GOOD.replace('title = "T"\n', "")
    path = write_board(text)
    assert problems(path) == [f"{path}:1:1: missing key 'title'"]


@pytest.mark.parametrize("content", ["", "\n\n   \n"])
def test_empty_file(write_board: WriteBoard, content: str) -> None:
    path = write_board(content)
    assert problems(path) == [
        f"{path}:1:1: the file is empty; a board needs at least schema and title"
    ]


def test_invalid_utf8_has_line_and_character_column(write_board: WriteBoard) -> None:
    data = GOOD.replace('"Saturday art workshop"', '"Øl på café \xff"').encode("utf-8")
    data = data.replace("\xff".encode(), b"\xff")
    path = write_board(data)
    line = line_of(GOOD, "Saturday")
    # the column counts characters, like TOML errors do: 'title = "Øl på café ' is 20
    assert problems(path) == [f"{path}:{line}:21: not valid UTF-8 text"]


def test_duplicate_card_table(write_board: WriteBoard) -> None:
    text = GOOD + '\n[cards.k7q2mz4t]\ntitle = "again"\n'
    path = write_board(text)
    second = len(text.split("\n")) - 2
    [message] = problems(path)
    assert message.startswith(f"{path}:{second}:")
    assert "cannot declare ('cards', 'k7q2mz4t') twice" in message


def test_unicode_line_separators_do_not_shift_line_numbers(write_board: WriteBoard) -> None:
    # U+2028, U+0085 and U+000C-like separators are text inside TOML strings, not line breaks
    text = GOOD.replace('title = "T"', 'title = "T\u2028x\x85y"').replace('"idea"', '"tested"')
    path = write_board(text)
    [message] = problems(path)
    assert message.startswith(f"{path}:{line_of(text, 'stage =')}:1: card k7q2mz4t: stage 'tested'")


def test_schema_newer_than_the_program(write_board: WriteBoard) -> None:
    text = GOOD.replace("schema = 1", "schema = 2") + 'flavour = "x"\n'
    path = write_board(text)
    found = problems(path)
    assert found[0] == (
        f"{path}:1:1: schema 2 is newer than this sprintboard understands (schema 1); "
        "upgrade sprintboard to use this board"
    )
    assert "unknown key 'flavour'" in found[1]


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(BoardFileError, match="no such board file"):
        storage.load(tmp_path / "none.toml")
    with pytest.raises(BoardFileError, match="is a directory"):
        storage.load(tmp_path)


# --- safe writes -----------------------------------------------------------------------------


def test_save_replaces_atomically_and_keeps_mode(board_file: Path, board: Board) -> None:
    os.chmod(board_file, 0o640)
    inode = board_file.stat().st_ino
    changed = board.model_copy(update={"title": "Changed"})
    written = storage.save(board_file, changed)
    assert stat.S_IMODE(board_file.stat().st_mode) == 0o640
    assert board_file.stat().st_ino != inode  # a new file renamed over the old one
    assert written == hashlib.sha256(board_file.read_bytes()).hexdigest()
    assert storage.load(board_file).board == changed
    assert side_files(board_file.parent) == set()


def test_new_file_gets_the_umask_mode(tmp_path: Path, board: Board) -> None:
    mask = os.umask(0)
    os.umask(mask)
    path = tmp_path / "new.toml"
    storage.save(path, board)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_failed_write_keeps_the_old_file(
    board_file: Path, board: Board, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = board_file.read_bytes()

    def no_space(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(BoardFileError, match="cannot be written: No space left on device"):
        storage.save(board_file, board.model_copy(update={"title": "Lost"}))
    assert board_file.read_bytes() == before
    assert side_files(board_file.parent) == set()


def test_read_only_file_is_refused(board_file: Path, board: Board) -> None:
    before = board_file.read_bytes()
    os.chmod(board_file, 0o444)
    with pytest.raises(BoardFileError, match="the file is read-only; nothing was written"):
        storage.save(board_file, board.model_copy(update={"title": "Nope"}))
    assert board_file.read_bytes() == before
    assert stat.S_IMODE(board_file.stat().st_mode) == 0o444


def test_newer_schema_is_refused_for_writing(write_board: WriteBoard, board: Board) -> None:
    text = GOOD.replace("schema = 1", "schema = 2")
    path = write_board(text)
    loaded = storage.load(path)  # readable: nothing in it this program does not know
    assert loaded.board.schema_ == 2
    with pytest.raises(BoardFileError) as info:
        storage.save(path, loaded.board.model_copy(update={"title": "Changed"}))
    assert str(info.value) == (
        f"{path}: schema 2 is newer than this sprintboard writes (schema 1); "
        "upgrade sprintboard to change this board"
    )
    assert path.read_text(encoding="utf-8") == text


# --- locks -----------------------------------------------------------------------------------

HOLD = """
import sys, time
from pathlib import Path
from sprintboard import storage
with storage.locked(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(60)
"""

TRY = """
import sys
from pathlib import Path
from sprintboard import storage
try:
    with storage.locked(Path(sys.argv[1]), timeout=0.2):
        print("got it")
except storage.BoardFileError as error:
    print("busy:", error)
"""


def _holder(path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], 20)
    assert ready, "the lock holder did not start"
    assert proc.stdout.readline() == "locked\n"
    return proc


def test_lock_is_exclusive_across_processes_and_dies_with_its_holder(board_file: Path) -> None:
    before = board_file.read_bytes()
    holder = _holder(board_file)
    try:
        with (
            pytest.raises(BoardFileError, match="another program has held its lock"),
            storage.locked(board_file, timeout=0.2),
        ):
            pass
        assert board_file.read_bytes() == before  # locking never touches the board itself
        assert storage.lock_path(board_file).exists()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    assert holder.returncode == -signal.SIGKILL
    started = time.monotonic()
    with storage.locked(board_file, timeout=5):
        assert time.monotonic() - started < 1
        # while we hold it, another process cannot take it
        other = subprocess.run(
            [sys.executable, "-c", TRY, str(board_file)],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert other.stdout.startswith("busy:"), other.stderr
    other = subprocess.run(
        [sys.executable, "-c", TRY, str(board_file)], capture_output=True, text=True, timeout=30
    )
    assert other.stdout == "got it\n", other.stderr


def test_lock_is_a_sidecar(board_file: Path) -> None:
    assert storage.lock_path(board_file) == board_file.parent / ".x.toml.lock"
    inode = board_file.stat().st_ino
    with storage.locked(board_file):
        assert board_file.stat().st_ino == inode


def test_save_after_load_writes_the_same_bytes(board_file: Path) -> None:
    before = board_file.read_bytes()
    storage.save(board_file, storage.load(board_file).board)
    assert board_file.read_bytes() == before


def test_card_stage_enum_survives_dump(board: Board) -> None:
    card = Card.model_validate(
        {"title": "t", "stage": Stage.TEST, "rank": "m", "created": T0, "updated": T0}
    )
    text = storage.dumps(board.model_copy(update={"cards": {"x": card}}))
    assert 'stage = "test"' in text and "Stage." not in text


def test_every_re_exported_name_is_the_one_of_its_module() -> None:
    # the package resolves its names lazily (so `files` alone imports no pydantic): each name
    # it offers must be there and be its module's own, whichever module is asked first
    import importlib

    for name in storage.__all__:
        home = storage._HOME[name]
        module = importlib.import_module(f"sprintboard.storage.{home}")
        assert getattr(storage, name) is getattr(module, name), name
    assert set(storage._HOME) == set(storage.__all__)
    assert set(storage.__all__) <= set(dir(storage))
    with pytest.raises(AttributeError):
        _ = storage.no_such_name  # type: ignore[attr-defined]


FROZEN = """
import gc, sys
sys.path.insert(0, "bench")
from pathlib import Path
from benchlib import make_board
from sprintboard import storage
text = storage.dumps(make_board(int(sys.argv[1]), shape="plain"))
storage.forget_cards()
before = gc.get_freeze_count()
storage.parse(text, Path("b.toml"))
print(gc.get_freeze_count() - before)
"""


@pytest.mark.parametrize(("cards", "frozen"), [(100, False), (3_000, True)])
def test_a_large_board_read_is_frozen_for_the_collector(cards: int, frozen: bool) -> None:
    # the collector would otherwise walk all of a large board's objects again, soon after
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", FROZEN, str(cards)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert (int(result.stdout) > 0) is frozen

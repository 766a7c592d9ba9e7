"""No raw control character reaches a terminal from the command line, and JSON stays exact.

Boards, file names and arguments come from other people. Every field of a board, every key
and every argument here holds escape sequences (an OSC title, a screen clear, a C1 CSI), a
right-to-left override, isolates and separators; each command's stdout and stderr must show
them as visible escapes (`tests/safety.py` says what counts as raw), and `--json` must
still parse back to exactly the text in the file.
"""

from __future__ import annotations

import json
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cli.helpers import TEXT_KEYS, Job, make_env, run, run_many
from safety import HOSTILE, assert_no_raw_controls, raw_controls

from integration.git_repo import Repo, git_env  # noqa: F401  (git_env is a fixture)
from sprintboard import cli, storage
from sprintboard.model import Board
from sprintboard.safe_text import json_text, visible

LINE = "\x9b2J\u202eevil\u2066\u2028\x85 [bold red]x[/] [/nope]"
"""What a one-line field can hold (a title or tag has no C0 controls): C1, bidi, separators."""
TEXT = HOSTILE.replace("\r", "")
"""What a text field can hold: everything in HOSTILE but the carriage return."""
ARG = HOSTILE.replace("\x00", "")
"""What an argument can hold: everything in HOSTILE but NUL."""
T0 = "2026-11-27T09:15:00Z"
AT = datetime(2026, 11, 27, 9, 15, tzinfo=UTC)


# --- the one function ---------------------------------------------------------------


def test_visible_shows_every_unsafe_character_as_an_escape() -> None:
    assert visible(HOSTILE) == (
        "\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202eevil\\u2066\\u2028\\x85\\x7f\\x00\\r!"
    )
    assert raw_controls(visible(HOSTILE)) == []
    assert visible("a\nb\tc") == "a\\nb\\tc"  # one line unless asked
    assert visible("a\nb\tc\x1b", lines=True) == "a\nb\tc\\x1b"
    # readable text stays as it is: other scripts, emoji with joiners, paths
    kept = "æøå שלום 👩\u200d👩\u200d👧 🇩🇰 C:\\x\\y nbsp\u00a0"
    assert visible(kept) == kept
    assert visible("\udcff") == "\\udcff"  # an undecodable byte of a file name


def test_a_megabyte_of_controls_takes_well_under_a_second() -> None:
    """The worst case: every character escaped (on this machine ~0.15 s for ESC, ~0.25 s
    for U+202E, whose escape is longer; 1 ms for a clean megabyte)."""
    for char in ("\x1b", "\u202e", "x"):
        text = char * 1_000_000
        began = time.perf_counter()
        shown, dumped = visible(text), json_text([text])
        took = time.perf_counter() - began
        assert took < 1.5, f"{char!r}: {took:.2f} s"
        assert raw_controls(shown) == [] and json.loads(dumped) == [text]


def test_json_text_escapes_what_json_leaves_raw_and_stays_exact() -> None:
    value = {"t": HOSTILE + "æøå", LINE: [TEXT, "\u2029\u200e\u200f\u061c\x7f"]}
    text = json_text(value)
    assert raw_controls(text) == []
    assert "æøå" in text  # letters stay readable
    assert json.loads(text) == value
    ascii_text = json_text(value, ascii_only=True)
    assert ascii_text.isascii() and json.loads(ascii_text) == value


# --- a hostile board through every command ----------------------------------------------


def hostile_board(title: str = LINE) -> Board:
    """A valid board with unsafe characters in every field that may hold them."""
    card = {
        "title": title,
        "stage": "idea",
        "rank": "m",
        "created": AT,
        "updated": AT,
        "by": ["omar"],
        "tags": [LINE, "ok"],
        "votes": {"omar": 2},
        "history": [{"at": AT, "by": "omar", "stage": "idea"}],
        **dict.fromkeys(TEXT_KEYS, TEXT),
        "decision": "pivot",
    }
    return Board.model_validate(
        {
            "schema": 1,
            "title": LINE,
            "challenge": TEXT,
            "goal": TEXT,
            "members": {"omar": {"name": LINE, "side": "external", "role": LINE}},
            "cards": {"c1": card},
        }
    )


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "boards" / "h.toml"
    path.parent.mkdir()
    storage.save(path, hostile_board())
    return path


def assert_safe(result: subprocess.CompletedProcess[str], what: str) -> None:
    assert_no_raw_controls(result.stdout, f"{what}: stdout")
    assert_no_raw_controls(result.stderr, f"{what}: stderr")


def test_listing_and_showing_a_hostile_board(hostile: Path) -> None:
    root = hostile.parent.parent
    commands = [
        ("list", "h"),
        ("list", "h", "--archived"),
        ("show", "h", "c1"),
        ("validate", "h"),
        ("fmt", "--check", "h"),
        ("list", "h", "--json"),
        ("show", "h", "c1", "--json"),
    ]
    results = run_many([Job(root, c) for c in commands])
    for command, result in zip(commands, results, strict=True):
        assert result.returncode == 0, (command, result.stderr)
        assert_safe(result, " ".join(command))
    shown = results[2].stdout
    assert "\\x1b]0;pwned\\x07\\x1b[2J" in shown and "\\u202eevil" in shown
    assert "[bold red]x[/]" in shown
    # the JSON is exact: every field comes back as the file holds it
    listed, one = json.loads(results[5].stdout), json.loads(results[6].stdout)
    assert listed == [one]
    assert one["title"] == LINE and one["tags"] == [LINE, "ok"] and one["body"] == TEXT
    assert one["learned"] == TEXT


def test_json_on_an_ascii_terminal_is_exact_too(hostile: Path) -> None:
    root = hostile.parent.parent
    result = run(root, "show", "h", "c1", "--json", env=make_env(root, PYTHONIOENCODING="ascii"))
    assert result.returncode == 0 and result.stdout.isascii()
    assert json.loads(result.stdout)["body"] == TEXT


def test_arguments_echoed_in_errors(hostile: Path) -> None:
    root = hostile.parent.parent
    commands = [
        ("show", "h", ARG),  # a card id
        ("move", "h", "c1", "test", "--before", ARG),
        ("edit", "h", "c1", "--set", f"{ARG}=x"),  # a field name
        ("edit", "h", "c1", "--set", ARG),  # no '='
        ("resolve", "h", "--take", "ours", "--field", ARG),
        ("list", ARG),  # a board name
        ("list", f"{ARG}.toml"),  # a board path
        ("validate", ARG, f"{ARG}.toml"),
        ("fmt", f"{ARG}.toml"),
        ("move", "h", "c1", ARG),  # argparse: an invalid choice
        ("list", "h", f"--{ARG}"),  # argparse: an unknown option
        (ARG,),  # argparse: an unknown command
        ("--as", ARG, "vote", "h", "c1"),  # an acting member that is not one
        ("member", "h", ARG, "--name", "x", "--side", "internal"),  # a member key
        ("add", "h", "x", "--by", ARG),
        ("add", "h", LINE + "\x1b[2J"),  # a title that is refused
    ]
    results = run_many([Job(root, c) for c in commands])
    for command, result in zip(commands, results, strict=True):
        assert result.returncode in (1, 2), (command, result.returncode, result.stderr)
        assert_safe(result, repr(command))
        assert "\\x1b" in result.stderr, (command, result.stderr)


KEYED = {
    "a card id": '\n[cards."\\u001b]0;pwned\\u0007"]\ntitle = "x"\n',
    "a member key": '\n[members."\\u001b[2J\\u202e"]\nname = "x"\nside = "internal"\n',
    "an unknown key": '"\\u001b[2J\\u009b" = 1\n',
    "a conflict name": (
        '\n[cards.c1]\ntitle = "x"\nstage = "idea"\nrank = "m"\n'
        f"created = {T0}\nupdated = {T0}\n"
        '[cards.c1.conflicts."\\u001b]0;pwned\\u0007"]\nours = "a"\ntheirs = "b"\n'
    ),
    "a stage": (
        '\n[cards.c1]\ntitle = "x"\nstage = "\\u001b[2J"\nrank = "m"\n'
        f"created = {T0}\nupdated = {T0}\n"
    ),
    "a title with escapes": (
        '\n[cards.c1]\ntitle = "\\u001b]0;pwned\\u0007"\nstage = "idea"\nrank = "m"\n'
        f"created = {T0}\nupdated = {T0}\n"
    ),
    "a syntax error after an escape": 'title = "\\u001b[2J" x\n',
}


@pytest.mark.parametrize("extra", KEYED.values(), ids=KEYED.keys())
def test_keys_and_values_of_a_bad_file_echoed_in_errors(tmp_path: Path, extra: str) -> None:
    path = tmp_path / "boards" / "bad.toml"
    path.parent.mkdir()
    head = 'schema = 1\ntitle = "t"\n' if not extra.startswith("title") else "schema = 1\n"
    path.write_text(head + extra, encoding="utf-8")
    commands = [("validate", "bad"), ("list", "bad"), ("add", "bad", "y"), ("fmt", "bad")]
    results = run_many([Job(tmp_path, c) for c in commands])
    for command, result in zip(commands, results, strict=True):
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert_safe(result, f"{command}")


def test_the_merge_driver_notes_and_label(tmp_path: Path) -> None:
    """The driver's lines name the `%P` label and the cards in conflict; both from others."""
    base, ours, theirs = (tmp_path / name for name in ("base", "ours", "theirs"))
    storage.save(base, hostile_board())
    storage.save(ours, hostile_board("mine " + LINE))
    storage.save(theirs, hostile_board("theirs " + LINE))
    label = f"boards/{ARG}.toml"
    result = run(tmp_path, "merge-driver", str(base), str(ours), str(theirs), label)
    assert result.returncode == 1, result.stderr
    assert_safe(result, "merge-driver")
    assert "\\x1b]0;pwned" in result.stderr
    # a version that is not a board: merged as text, the reason names the file
    theirs.write_text('schema = 1\ntitle = "\\u001b]0;pwned\\u0007" x\n', encoding="utf-8")
    result = run(tmp_path, "merge-driver", str(base), str(ours), str(theirs), label)
    assert result.returncode == 1
    assert_safe(result, "merge-driver as text")


def test_sync_messages_and_its_commit_message(
    tmp_path: Path,
    git_env: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A board whose file name holds escapes: what sync says, and what `git log` shows."""
    bare = tmp_path / "shared.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    folder = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(bare), str(folder)], check=True, capture_output=True)
    repo = Repo(folder)
    repo.git("config", "user.name", "nanna")
    repo.git("config", "user.email", "nanna@example.org")
    (folder / "boards").mkdir()
    storage.save(folder / "boards" / "plain.toml", hostile_board())
    storage.save(folder / "boards" / f"{ARG}.toml", hostile_board())
    monkeypatch.chdir(folder)
    code = cli.main(["--as", "omar", "sync"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "committed: " in out
    assert_no_raw_controls(out, "sync: stdout")
    assert_no_raw_controls(err, "sync: stderr")
    assert_no_raw_controls(repo.git("log", "--format=%B").stdout, "the commit message")


def test_the_command_line_prints_only_through_say() -> None:
    """One place makes the command's output safe: `output.say` (and `fail`, which uses it).

    A `print` or a direct write to sys.stdout/sys.stderr anywhere else in the `cli` package,
    in a function or at module level, would bypass it."""
    import ast

    package = Path(cli.__file__).parent
    sources = sorted(package.rglob("*.py"))
    assert {"output.py", "entry.py", "cards.py"} <= {s.name for s in sources}  # the walk is real
    found = []
    for source in sources:
        tree = ast.parse(source.read_text(encoding="utf-8"))
        allowed: set[ast.AST] = set()
        if source.name == "output.py":
            (say,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "say"]
            allowed = set(ast.walk(say))
        for node in ast.walk(tree):
            if node in allowed:
                continue
            where = f"{source.relative_to(package)}, line {getattr(node, 'lineno', '?')}"
            func = node.func if isinstance(node, ast.Call) else None
            if isinstance(func, ast.Name) and func.id == "print":
                found.append(f"print in {where}")
            if isinstance(node, ast.Attribute) and node.attr == "write":
                found.append(f".write in {where}")
    assert found == []

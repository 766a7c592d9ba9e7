"""The hostile-input corpus: every kind of bad (or strange but legal) board file that a
person with push access could commit, run through the real executable.

Each row of `KINDS` is one kind of input. Each is run, as real subprocesses of the
installed `sprintboard`, through `validate`, `list`, `fmt`, `add` and the merge driver
(the input as ours, base or theirs), and a sample (`APP_SAMPLE`) through the app in a
pseudo-terminal. For every run:

- it ends within `BOUND` seconds (each is timed; the slowest is printed, and quoted in
  the README's reliability section);
- it fails with exit 1 and lines that each name the file (with line:column where the
  kind has one), or it succeeds where the input is legal (`Kind.succeeds`);
- no traceback, and no raw control character (C0 but newline and tab, DEL, C1,
  bidirectional overrides) on stdout or stderr;
- nothing is written where it should not be: a failing command leaves every byte of
  its folder (sidecars and symlink targets included) as it was; a succeeding one
  changes only the board and its sidecars; the driver writes only ours.

To add a kind, add a row. Rows that need a fix being made on another branch are
listed in `AWAITING` (with the branch's name) and left out of the run until it is
merged: set SPRINTBOARD_HOSTILE_ALL=1 to run them too.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cli.helpers import SPRINTBOARD, WORKERS, make_env

from sprintboard import storage

BOUND = 10.0
"""Seconds any one run may take (the brief is 2 s; this is generous for a busy CI)."""
BOARD = "boards/x.toml"
COMMANDS = ("validate", "list", "fmt", "add", "driver")
LEGAL = frozenset({"validate", "list", "fmt", "add"})

VALID = storage.dumps(
    storage.parse(
        'schema = 1\ntitle = "Hostile"\nchallenge = "c"\ngoal = "g"\n'
        '[sprint]\nstart = 2026-11-23\nend = 2026-12-04\nfacilitators = ["ann"]\n'
        '[members.ann]\nname = "Ann"\nside = "internal"\nrole = "r"\n'
        '[cards.c1]\ntitle = "Card"\nstage = "idea"\nrank = "m"\n'
        "created = 2026-11-27T09:15:00Z\nupdated = 2026-11-27T09:15:00Z\n"
        'by = ["ann"]\ntags = ["t"]\nbody = "b"\nhypothesis = "h"\n'
        '[[cards.c1.history]]\nat = 2026-11-27T09:15:00Z\nby = "ann"\nstage = "idea"\n',
        Path("valid.toml"),
    )
)
"""A small canonical board: each kind below is this text, changed."""


def edit(old: str, new: str, count: int = 1) -> bytes:
    assert old in VALID, old
    return VALID.replace(old, new, count).encode()


def basic(text: str) -> str:
    """`text` as a TOML basic string, every control character escaped."""
    out = "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in text)
    return f'"{out}"'


PWN = "\x1b]0;pwned\x07\x1b[2J"
"""Retitles the terminal and clears the screen when printed raw."""
C1 = "\x9b2J\x9d0;pwned\x9c"
RLO = "\u202eevil"


Maker = Callable[[Path], None]


@dataclass(frozen=True)
class Kind:
    """One kind of hostile input."""

    content: bytes | Maker
    """The board file's bytes, or what makes `boards/x.toml` (given the case's root)."""
    succeeds: frozenset[str] = frozenset()
    """Commands for which the input is legal: they must succeed."""
    located: bool = True
    """Failures name line:column (not for file-level problems: missing, a folder, ...)."""
    side: str = "ours"
    """Which version the merge driver gets it as: ours, base or theirs."""
    env: Mapping[str, str] = field(default_factory=dict)
    """Environment for every command (say, a hostile SPRINTBOARD_USER)."""
    names: str | None = BOARD
    """What each failure's line starts with (None: an argument's error, not the file's)."""


def ok(content: bytes | Maker, **options: object) -> Kind:
    """A kind that is legal data: every command succeeds (and prints it safely)."""
    return Kind(content, succeeds=LEGAL, **options)  # type: ignore[arg-type]


def fifo(root: Path) -> None:
    os.mkfifo(root / BOARD)


def folder(root: Path) -> None:
    (root / BOARD).mkdir()


def link_to(target: str) -> Maker:
    def make(root: Path) -> None:
        (root / BOARD).symlink_to(target)

    return make


def outside_board(root: Path) -> None:
    """A valid board outside the boards folder, and boards/x.toml a symlink to it."""
    (root / "outside").mkdir()
    (root / "outside" / "real.toml").write_text(VALID)
    (root / BOARD).symlink_to(root / "outside" / "real.toml")


def read_only(root: Path) -> None:
    (root / BOARD).write_text(VALID)
    (root / BOARD).chmod(0o444)


def symlinked_gitignore(root: Path) -> None:
    """A committed boards/.gitignore that points at a file of the user's."""
    (root / "outside").mkdir()
    (root / "outside" / "bashrc").write_text("# mine\n")
    (root / BOARD).write_text(VALID)
    (root / "boards" / ".gitignore").symlink_to(root / "outside" / "bashrc")


def symlinked_lock(root: Path) -> None:
    (root / "outside").mkdir()
    (root / "outside" / "profile").write_text("# mine\n")
    (root / BOARD).write_text(VALID)
    (root / "boards" / ".x.toml.lock").symlink_to(root / "outside" / "profile")


def oversized(root: Path) -> None:
    """A (sparse) board one byte over the size a board may have: refused unread."""
    with (root / BOARD).open("wb") as out:
        out.write(VALID.encode())
        out.truncate(storage.MAX_BOARD_BYTES + 1)


def big(size: int) -> str:
    return "a" * size


def with_text(line: str, text: str) -> bytes:
    """The valid board with the quoted string of `line` replaced by `text` as a TOML string."""
    return edit(line, re.sub(r'"[^"]*"', lambda _: basic(text), line, count=1))


PWN_PLACES = {
    # where a person reads text or a name: the valid board's line holding it, and whether
    # control characters are legal there (free text) or make the board invalid (one-line names)
    "the challenge": ('challenge = "c"', True),
    "the goal": ('goal = "g"', True),
    "a body": ('body = "b"', True),
    "a hypothesis": ('hypothesis = "h"', True),
    "a title": ('title = "Card"', False),
    "the board title": ('title = "Hostile"', False),
    "a member name": ('name = "Ann"', False),
    "a role": ('role = "r"', False),
    "a tag": ('"t",', False),
    "a history author": ('by = "ann"', False),
}


CARD2 = (
    '\n[cards.c2]\ntitle = "Second"\nstage = "idea"\nrank = "n"\n'
    "created = 2026-11-27T09:15:00Z\nupdated = 2026-11-27T09:15:00Z\n"
)

KINDS: dict[str, Kind] = {
    # --- syntax ------------------------------------------------------------------
    "empty file": Kind(b""),
    "only blanks": Kind(b" \n\t\n\n"),
    "a statement without =": Kind(edit('goal = "g"', 'goal "g"')),
    "unterminated string": Kind(edit('goal = "g"', 'goal = "g')),
    "unterminated multi-line string": Kind(edit('goal = "g"', 'goal = """g')),
    "duplicate key": Kind(edit('goal = "g"', 'goal = "g"\ngoal = "h"')),
    "duplicate table": Kind((VALID + "\n[members.ann]\nname = 'A'\nside = 'internal'\n").encode()),
    "duplicate card": Kind((VALID + CARD2 + CARD2).encode()),
    "bad escape": Kind(edit('goal = "g"', 'goal = "\\q"')),
    "unclosed table header": Kind(edit("[members.ann]", "[members.ann")),
    "unclosed array": Kind(edit('tags = [\n    "t",\n]', 'tags = [\n    "t",\n')),
    "unclosed inline table": Kind(edit('goal = "g"', "goal = {a = 1")),
    "text after a value": Kind(edit('goal = "g"', 'goal = "g" and more')),
    "malformed date-time": Kind(edit("created = 2026-11-27", "created = 2026-13-27", 1)),
    "array of tables over a table": Kind((VALID + "\n[[members]]\nname = 'x'\n").encode()),
    "git conflict markers": Kind(
        edit('goal = "g"', '<<<<<<< ours\ngoal = "g"\n=======\ngoal = "h"\n>>>>>>> theirs')
    ),
    "diff3 conflict markers": Kind(
        edit('goal = "g"', '<<<<<<< ours\ngoal = "g"\n||||||| base\ngoal = "f"\n=======\n')
    ),
    # --- schema ------------------------------------------------------------------
    "no schema": Kind(edit("schema = 1\n", "")),
    "no title": Kind(edit('title = "Hostile"\n', "")),
    "schema as a string": Kind(edit("schema = 1", 'schema = "1"')),
    "schema 0": Kind(edit("schema = 1", "schema = 0")),
    # read, never written (add: a file-level refusal); validate fails it, for CI
    "newer schema": Kind(
        edit("schema = 1", "schema = 2"), succeeds=frozenset({"list", "fmt"}), located=False
    ),
    "newer schema with new keys": Kind(edit("schema = 1", 'schema = 2\nlanguage = "da"')),
    "unknown top-level key": Kind(edit("schema = 1", 'schema = 1\ncolour = "red"')),
    "unknown card key": Kind(edit('rank = "m"', 'rank = "m"\npriority = 1')),
    "card is a string": Kind((VALID.split("[cards.c1]")[0] + "cards = 'no'\n").encode()),
    "members is an array": Kind(edit("[members.ann]", "[[members.ann]]")),
    "missing card key": Kind(edit('stage = "idea"\nrank = "m"', 'stage = "idea"')),
    # --- values ------------------------------------------------------------------
    "unknown stage": Kind(edit('stage = "idea"\nrank', 'stage = "done"\nrank')),
    "rank ending in 0": Kind(edit('rank = "m"', 'rank = "m0"')),
    "rank in capitals": Kind(edit('rank = "m"', 'rank = "M"')),
    "empty title": Kind(edit('title = "Card"', 'title = ""')),
    "blank title": Kind(edit('title = "Card"', 'title = "   "')),
    "title with a newline": Kind(edit('title = "Card"', 'title = "a\\nb"')),
    "body with a carriage return": Kind(edit('body = "b"', 'body = "a\\r\\nb"')),
    "vote of 0": Kind(edit('hypothesis = "h"', 'hypothesis = "h"\nvotes = { ann = 0 }')),
    "vote of 100": Kind(edit('hypothesis = "h"', 'hypothesis = "h"\nvotes = { ann = 100 }')),
    "vote of 2**70": Kind(
        edit('hypothesis = "h"', 'hypothesis = "h"\nvotes = { ann = ' + "9" * 22 + " }")
    ),
    "vote by a stranger": Kind(edit('hypothesis = "h"', 'hypothesis = "h"\nvotes = { eve = 1 }')),
    "co-creator a stranger": Kind(edit('by = [\n    "ann",\n]', 'by = ["eve"]')),
    "facilitator a stranger": Kind(
        edit('facilitators = [\n    "ann",\n]', 'facilitators = ["eve"]')
    ),
    "wip of 0": Kind(edit("[members.ann]", "[wip]\ntest = 0\n\n[members.ann]")),
    "wip of an unknown stage": Kind(edit("[members.ann]", "[wip]\ndone = 3\n\n[members.ann]")),
    "member side unknown": Kind(edit('side = "internal"', 'side = "alien"')),
    "card id with a space": Kind(edit("[cards.c1]", '[cards."c 1"]', 3)),
    "card id of 65 characters": Kind(edit("cards.c1", "cards." + "c" * 65, 3)),
    "local date-time": Kind(
        edit("created = 2026-11-27T09:15:00Z", "created = 2026-11-27T09:15:00")
    ),
    "date-time as a string": Kind(edit("created = 2026-11-27T09:15:00Z", 'created = "2026-11-27"')),
    "date where a time goes": Kind(edit("created = 2026-11-27T09:15:00Z", "created = 2026-11-27")),
    "time past 9999 in UTC": Kind(
        edit("created = 2026-11-27T09:15:00Z", "created = 9999-12-31T23:59:59-01:00")
    ),
    "time before year 1 in UTC": Kind(
        edit("updated = 2026-11-27T09:15:00Z", "updated = 0001-01-01T00:00:00+00:01")
    ),
    "history time past 9999": Kind(
        edit("at = 2026-11-27T09:15:00Z", "at = 9999-12-31T23:59:59-00:01")
    ),
    "times at the edges of the range": ok(
        edit("created = 2026-11-27T09:15:00Z", "created = 0001-01-01T00:00:00-23:59").replace(
            b"updated = 2026-11-27T09:15:00Z", b"updated = 9999-12-31T23:59:59+01:00"
        )
    ),
    "sprint dates at the edges": ok(
        edit("start = 2026-11-23\nend = 2026-12-04", "start = 0001-01-01\nend = 9999-12-31")
    ),
    "sprint end before start": Kind(edit("end = 2026-12-04", "end = 2026-11-01")),
    "unknown decision": Kind(edit('hypothesis = "h"', 'hypothesis = "h"\ndecision = "maybe"')),
    "conflict in an unknown field": Kind(
        (VALID + "\n[cards.c1.conflicts.rank]\nours = 'a'\ntheirs = 'b'\n").encode()
    ),
    "a float where an integer goes": Kind(edit("schema = 1", "schema = 1.0")),
    "a boolean where text goes": Kind(edit('goal = "g"', "goal = true")),
    "an offset time, canonicalised": ok(
        edit("created = 2026-11-27T09:15:00Z", "created = 2026-11-27T10:15:00+01:00")
    ),
    "rank in a literal string, first": ok(
        edit(
            'title = "Card"\nstage = "idea"\nrank = "m"',
            "rank = 'i'\ntitle = 'x'  # comment\nstage = 'idea'",
        )
    ),
    "CRLF line endings": ok(VALID.replace("\n", "\r\n").encode()),
    # --- regular expressions: inputs that made patterns backtrack -----------------
    "conflict title of 200,000 a and U+0001": Kind(
        (
            VALID
            + "\n[cards.c1.conflicts.title]\nours = "
            + basic("a" * 200_000 + "\x01")
            + "\ntheirs = 'b'\n"
        ).encode()
    ),
    "a megabyte '[' line in a body, and an error": Kind(
        edit('body = "b"', 'body = """\n[' + " " * 1_000_000 + 'x\n"""\nvotes = 3')
    ),
    "header of 500,000 dotted parts": Kind((VALID + "\n[" + "a." * 500_000 + "]\n").encode()),
    # --- sizes -------------------------------------------------------------------
    "title of a megabyte": ok(edit('title = "Card"', f'title = "{big(1_000_000)}"')),
    "body of a megabyte": ok(edit('body = "b"', f'body = "{big(1_000_000)}"')),
    "20,000 tags": ok(
        edit(
            'tags = [\n    "t",\n]', "tags = [" + ", ".join(f'"t{n}"' for n in range(20_000)) + "]"
        )
    ),
    "a million blank lines": ok((VALID + "\n" * 1_000_000).encode()),
    "a key of a megabyte": Kind(edit('goal = "g"', f'goal = "g"\n{big(1_000_000)} = 1')),
    "500 cards": ok((VALID + "".join(CARD2.replace("c2", f"d{n}") for n in range(500))).encode()),
    # --- nesting -----------------------------------------------------------------
    "arrays 500 deep": Kind(edit("schema = 1", "schema = 1\nx = " + "[" * 500 + "]" * 500)),
    "inline tables 500 deep": Kind(
        edit("schema = 1", "schema = 1\nx = " + "{a=" * 500 + "1" + "}" * 500)
    ),
    "dotted key of 1,001 parts": Kind(
        edit("schema = 1", "schema = 1\n" + ".".join("a" * 1001) + " = 1")
    ),
    "dotted key of 999 parts": Kind(
        edit("schema = 1", "schema = 1\n" + ".".join("a" * 999) + " = 1")
    ),
    "header of 1,001 parts": Kind((VALID + "\n[" + ".".join("a" * 1001) + "]\n").encode()),
    "arrays 450 deep in a card's tags": Kind(
        edit('tags = [\n    "t",\n]', "tags = " + "[" * 450 + "]" * 450)
    ),
    "arrays 399 deep": Kind(edit("schema = 1", "schema = 1\nx = " + "[" * 399 + "]" * 399)),
    # --- encodings ---------------------------------------------------------------
    "UTF-8 byte-order mark": Kind(b"\xef\xbb\xbf" + VALID.encode()),
    "UTF-16 with its byte-order mark": Kind(VALID.encode("utf-16")),
    "invalid UTF-8 in a title": Kind(
        edit('title = "Card"', 'title = "Ca\x00rd"').replace(b"\x00", b"\xff")
    ),
    "Latin-1 text": Kind(edit('goal = "g"', 'goal = "caf\u00e9"').replace("é".encode(), b"\xe9")),
    "overlong UTF-8": Kind(edit('goal = "g"', 'goal = "\u0001"').replace(b"\x01", b"\xc0\xaf")),
    "NUL byte in a string": Kind(edit('goal = "g"', 'goal = "a\x00b"')),
    "NUL byte between lines": Kind(edit('goal = "g"\n', 'goal = "g"\n\x00\n')),
    "escaped lone surrogate": Kind(edit('goal = "g"', 'goal = "\\ud800"')),
    "escaped NUL in a body": ok(edit('body = "b"', 'body = "a\\u0000b"')),
    # --- escapes: terminal control sequences in every text and name -----------------
    **{
        f"ESC and BEL in {where}": ok(with_text(line, PWN)) if legal else Kind(with_text(line, PWN))
        for where, (line, legal) in PWN_PLACES.items()
    },
    "ESC in an unknown key": Kind(edit("schema = 1", f"schema = 1\n{basic(PWN)} = 1")),
    "ESC in a member key": Kind(edit("[members.ann]", f"[members.{basic(PWN)}]")),
    "ESC in a card id": Kind(edit("[cards.c1]", f"[cards.{basic(PWN)}]", 3)),
    "ESC in a conflict field name": Kind(
        (VALID + f"\n[cards.c1.conflicts.{basic(PWN)}]\nours = 'a'\ntheirs = 'b'\n").encode()
    ),
    "ESC in a vote key": Kind(
        edit('hypothesis = "h"', f'hypothesis = "h"\nvotes = {{ {basic(PWN)} = 1 }}')
    ),
    "C1 controls in a title": ok(with_text('title = "Card"', C1)),
    "C1 controls in the board title": ok(with_text('title = "Hostile"', C1)),
    "C1 controls in a tag": ok(with_text('"t",', C1)),
    "U+202E in a title": ok(with_text('title = "Card"', RLO)),
    "U+202E in a member name": ok(with_text('name = "Ann"', RLO)),
    "raw ESC in a comment": Kind(edit("schema = 1", f"schema = 1 # {PWN.replace(chr(7), '')}")),
    # --- Rich markup: text, never markup ----------------------------------------------
    "markup closing tag in a title": ok(edit('title = "Card"', 'title = "[/nope] x"')),
    "markup style in a title": ok(edit('title = "Card"', 'title = "[bold red]loud[/]"')),
    "markup in a member name": ok(
        edit('name = "Ann"', 'name = "[link=file:///etc/passwd]Ann[/link]"')
    ),
    # --- file types, symlinks, permissions -----------------------------------------
    "a folder": Kind(folder, located=False),
    "a FIFO": Kind(fifo, located=False),
    "a symlink to /dev/zero": Kind(link_to("/dev/zero"), located=False),
    "a dangling symlink": Kind(link_to("nowhere.toml"), located=False),
    "a symlink loop": Kind(link_to("x.toml"), located=False),
    "a symlink to a board outside": Kind(outside_board, located=False),
    "a read-only board": Kind(
        read_only, succeeds=frozenset({"validate", "list", "fmt"}), located=False
    ),
    # read as usual; a write (add) is refused: nothing is written through the link
    ".gitignore a symlink to a user's file": Kind(
        symlinked_gitignore,
        succeeds=frozenset({"validate", "list", "fmt"}),
        located=False,
        names="boards/.gitignore",
    ),
    "the lock file a symlink to a user's file": Kind(
        symlinked_lock, succeeds=frozenset({"validate", "list", "fmt"}), located=False
    ),
    "a file over the size limit": Kind(oversized, located=False),
    # --- who acts: SPRINTBOARD_USER as --as gives it ---------------------------------------
    **{
        f"acting as {what}": Kind(
            VALID.encode(),
            succeeds=frozenset({"validate", "list", "fmt"}),
            located=False,
            env={"SPRINTBOARD_USER": actor},
            names=None,
        )
        for what, actor in (("a space", " "), ("a tab", "\t"), ("an escape", "\x1b[2Jx"))
    },
    # --- merge inputs ----------------------------------------------------------------
    "invalid base for the driver": Kind(edit('goal = "g"', 'goal "g"'), side="base"),
    "invalid theirs for the driver": Kind(edit('goal = "g"', 'goal "g"'), side="theirs"),
    "binary theirs for the driver": Kind(b"\x00\x01\x02" * 100, side="theirs"),
    "newer-schema theirs for the driver": Kind(
        edit("schema = 1", "schema = 2"),
        side="theirs",
        succeeds=frozenset({"list", "fmt"}),
        located=False,
    ),
    "deep theirs for the driver": Kind(
        edit("schema = 1", "schema = 1\nx = " + "[" * 500 + "]" * 500), side="theirs"
    ),
    "hostile conflict title as theirs": Kind(
        (
            VALID
            + "\n[cards.c1.conflicts.title]\nours = "
            + basic("a" * 200_000 + "\x01")
            + "\ntheirs = 'b'\n"
        ).encode(),
        side="theirs",
    ),
}

AWAITING: dict[str, str] = {}
"""Rows that need another branch's fix, by the branch that makes it (see the module doc)."""

AWAITING_CHECKS: dict[str, str] = {}
"""Checks that need another branch's fix, likewise."""

RUN_ALL = os.environ.get("SPRINTBOARD_HOSTILE_ALL") == "1"
RUNNING = [name for name in KINDS if RUN_ALL or name not in AWAITING]

# Controls a terminal acts on: C0 but tab and newline, DEL, C1, bidi overrides/isolates.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass
class Run:
    command: str
    args: tuple[str, ...]
    code: int | None
    stdout: str
    stderr: str
    seconds: float
    cpu: float
    """CPU seconds of the command itself (user and system)."""
    changed: list[str]
    """Paths under the case's root that differ after the run (sorted)."""


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every entry under `root` but HOME: file bytes, symlink targets, "dir", "fifo"."""
    entries: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] == "home":
            continue
        if path.is_symlink():
            entries[str(relative)] = "-> " + os.readlink(path)
        elif path.is_dir():
            entries[str(relative)] = "dir"
        elif path.is_file():
            entries[str(relative)] = hashlib.sha256(path.read_bytes()).digest()
        else:
            entries[str(relative)] = "special"
    return entries


def changes(before: Mapping[str, object], after: Mapping[str, object]) -> list[str]:
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def execute(
    root: Path, command: str, args: tuple[str, ...], env: Mapping[str, str] | None = None
) -> Run:
    """Run `sprintboard ARGS` in `root`: wall and CPU time (the child's own, from wait4,
    which a busy machine does not inflate), output, and what changed on disk."""
    before = snapshot(root)
    start = time.monotonic()
    process = subprocess.Popen(
        [SPRINTBOARD, *args],
        cwd=root,
        env=make_env(root, **{"SPRINTBOARD_USER": "ann", **(env or {})}),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    streams: dict[str, bytes] = {}
    readers = [
        threading.Thread(target=lambda n=n, s=s: streams.update({n: s.read()}))
        for n, s in (("out", process.stdout), ("err", process.stderr))
    ]
    for reader in readers:
        reader.start()
    expired = threading.Event()

    def stop() -> None:
        expired.set()
        process.kill()

    killer = threading.Timer(BOUND + 5, stop)
    killer.start()
    _, status, usage = os.wait4(process.pid, 0)
    killer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    for reader in readers:
        reader.join()
    return Run(
        command,
        args,
        None if expired.is_set() else process.returncode,
        streams["out"].decode("utf-8", "replace"),
        streams["err"].decode("utf-8", "replace"),
        time.monotonic() - start,
        usage.ru_utime + usage.ru_stime,
        changes(before, snapshot(root)),
    )


def prepare(root: Path, kind: Kind) -> None:
    (root / "boards").mkdir(parents=True)
    (root / "home").mkdir()
    if isinstance(kind.content, bytes):
        (root / BOARD).write_bytes(kind.content)
    else:
        kind.content(root)
    merge = root / "merge"
    merge.mkdir()
    hostile = kind.content if isinstance(kind.content, bytes) else VALID.encode()
    for side in ("base", "ours", "theirs"):
        (merge / side).write_bytes(hostile if side == kind.side else VALID.encode())


def run_kind(root: Path, kind: Kind) -> list[Run]:
    prepare(root, kind)
    merge = root / "merge"
    runs = [
        execute(root, "validate", ("validate", "x"), kind.env),
        execute(root, "list", ("list", "x"), kind.env),
        execute(root, "fmt", ("fmt", BOARD), kind.env),
        execute(root, "add", ("add", "x", "A new card"), kind.env),
    ]
    # the driver's ours: for a file kind (symlink, FIFO...) the board itself
    ours = str(merge / "ours") if isinstance(kind.content, bytes) else BOARD
    args = ("merge-driver", str(merge / "base"), ours, str(merge / "theirs"), BOARD)
    runs.append(execute(root, "driver", args, kind.env))
    return runs


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Run]]:
    base = tmp_path_factory.mktemp("hostile")
    roots = {name: base / f"case{number:03d}" for number, name in enumerate(RUNNING)}
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        runs = pool.map(lambda name: run_kind(roots[name], KINDS[name]), RUNNING)
        return dict(zip(RUNNING, runs, strict=True))


SIDECARS = {BOARD, "boards/.x.toml.lock", "boards/.gitignore"}


def check(kind: Kind, run: Run) -> None:
    where = f"{run.command}: code {run.code}, stderr {run.stderr[:300]!r}"
    assert run.code is not None and run.seconds < BOUND, f"{where}: took {run.seconds:.1f} s"
    output = run.stdout + run.stderr
    assert "Traceback" not in output, where
    raw = RAW_CONTROL.search(output)
    assert raw is None, f"{where}: raw control {raw.group()!r} in the output" if raw else ""
    if run.command == "driver":
        # 0 merged, 1 merged with conflicts or left for a person, 2 not merged; never a crash
        assert run.code in (0, 1, 2), where  # 2: a version it cannot even read
        allowed = {"merge/ours"} if isinstance(kind.content, bytes) else SIDECARS
        assert set(run.changed) <= allowed, f"{where}: wrote {run.changed}"
        assert all(BOARD in line for line in run.stderr.splitlines() + run.stdout.splitlines()), (
            where
        )
        return
    if run.command in kind.succeeds:
        assert run.code == 0, where
        assert set(run.changed) <= SIDECARS, f"{where}: wrote {run.changed}"
        return
    assert run.code == 1, where
    assert run.stdout == "", where
    lines = run.stderr.splitlines()
    assert lines and (len(lines) == 1 or run.command == "validate"), where
    assert run.stderr.endswith("\n") and all(len(line) < 500 for line in lines), where
    assert kind.names is None or all(line.startswith(kind.names) for line in lines), where
    if kind.located:
        assert re.match(rf"{re.escape(BOARD)}:\d+:\d+: ", lines[0]), where
    assert run.changed == [], f"{where}: wrote {run.changed}"


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", RUNNING)
def test_hostile_input(name: str, command: str, corpus: dict[str, list[Run]]) -> None:
    (run,) = [r for r in corpus[name] if r.command == command]
    check(KINDS[name], run)


def test_the_corpus_is_large_and_fast(corpus: dict[str, list[Run]]) -> None:
    runs = [(run.seconds, run.cpu, name, run.command) for name, rs in corpus.items() for run in rs]
    seconds, _, name, command = max(runs)
    cpu, _, cpu_name, cpu_command = max((c, s, n, k) for s, c, n, k in runs)
    summary = (
        f"hostile corpus: {len(KINDS)} kinds ({len(corpus)} run here, "
        f"{len(KINDS) - len(corpus)} awaiting other branches), {len(runs)} runs; "
        f"slowest: {seconds:.2f} s wall ({command}, {name}), "
        f"{cpu:.2f} s CPU ({cpu_command}, {cpu_name})"
    )
    print(f"\n{summary}")
    sys.stdout.flush()
    assert len(KINDS) >= 80
    assert seconds < BOUND


# --- the app, in a pseudo-terminal, for a sample ---------------------------------------

APP_SAMPLE = (
    "arrays 500 deep",
    "dotted key of 1,001 parts",
    "time past 9999 in UTC",
    "conflict title of 200,000 a and U+0001",
    "git conflict markers",
    "invalid UTF-8 in a title",
    "ESC and BEL in the challenge",
    "markup closing tag in a title",
    "a FIFO",
)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
@pytest.mark.parametrize("name", [n for n in APP_SAMPLE if n in RUNNING])
def test_the_app_opens_or_explains_each_sample(name: str, tmp_path: Path) -> None:
    from tui.terminal import EXECUTABLE, Terminal, clean_env

    kind = KINDS[name]
    prepare(tmp_path, kind)
    before = snapshot(tmp_path)
    env = clean_env(tmp_path, SPRINTBOARD_USER="ann", HOME=str(tmp_path / "home"))
    terminal = Terminal([str(EXECUTABLE), "open", BOARD], env, tmp_path, (100, 30))

    def shown() -> bool:
        rows = [terminal.screen.row(n) for n in range(30)]
        return any("cannot be opened" in row or "Hostile" in row for row in rows)

    try:
        seconds = terminal.wait_until(shown, BOUND, "the board or its error")
        print(f"\napp, {name}: {seconds:.2f} s")
        terminal.send("q")
        terminal.wait_until(lambda: terminal.process.poll() is not None, BOUND, "quit")
    finally:
        terminal.close()
    assert b"Traceback" not in terminal.output
    assert PWN.encode() not in terminal.output and b"pwned\x07" not in terminal.output
    assert terminal.process.returncode == 0
    check_nothing = "the app writes nothing next to an invalid board"
    if not kind.succeeds and (RUN_ALL or check_nothing not in AWAITING_CHECKS):
        assert changes(before, snapshot(tmp_path)) == []


def test_every_row_awaiting_a_branch_is_a_row() -> None:
    assert set(AWAITING) <= set(KINDS)
    assert set(APP_SAMPLE) <= set(KINDS)

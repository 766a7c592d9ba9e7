"""The command as a whole: every command's help, `--version` and `python -m`, what start-up
imports, and a reader that goes away."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from sprintboard import __version__

from .helpers import (
    DEMO,
    HEAD,
    SPRINTBOARD,
    Demo,
    Job,
    card,
    copy_demo,
    make_env,
    run_many,
)

COMMANDS = (
    "open",
    "new",
    "add",
    "move",
    "edit",
    "archive",
    "restore",
    "delete",
    "vote",
    "member",
    "members",
    "list",
    "show",
    "validate",
    "fmt",
    "merge-driver",
    "git-setup",
    "resolve",
    "sync",
)
OPTIONS = {
    "new": ("BOARD", "--title", "--challenge", "--wip", "--facilitator"),
    "add": ("BOARD", "TITLE", "--stage", "--tag", "--by", "--as"),
    "move": ("BOARD", "ID", "STAGE", "--before", "--after", "--as"),
    "edit": ("BOARD", "ID", "--set", "--as"),
    "archive": ("BOARD", "ID", "--as"),
    "restore": ("BOARD", "ID", "--as"),
    "delete": ("BOARD", "ID"),
    "vote": ("BOARD", "ID", "--dots", "--as"),
    "member": ("BOARD", "KEY", "--name", "--side", "--role"),
    "members": ("BOARD", "--json"),
    "list": ("BOARD", "--stage", "--archived", "--json"),
    "show": ("BOARD", "ID", "--json"),
    "validate": ("BOARD",),
    "fmt": ("BOARD", "--check"),
    "open": ("BOARD",),
    "merge-driver": ("BASE", "OURS", "THEIRS", "PATH", "--as"),
    "git-setup": ("--as",),
    "resolve": ("BOARD", "--take", "--card", "--field", "--as"),
    "sync": ("BOARD", "--as"),
}


def test_every_command_has_help(tmp_path: Path) -> None:
    results = run_many(
        [Job(tmp_path, ("--help",))] + [Job(tmp_path, (c, "--help")) for c in COMMANDS]
    )
    top, *each = results
    assert top.returncode == 0 and top.stderr == ""
    assert top.stdout.startswith("usage: sprintboard")
    for word in (*COMMANDS, "--as", "--version", "--help"):
        assert re.search(rf"(^|\s|{{|,){re.escape(word)}(\s|,|}}|$)", top.stdout), word
    for command, result in zip(COMMANDS, each, strict=True):
        assert result.returncode == 0 and result.stderr == "", (command, result.stderr)
        assert result.stdout.startswith(f"usage: sprintboard {command} "), result.stdout
        for option in OPTIONS[command]:
            assert option in result.stdout, (command, option)
    assert not list(tmp_path.glob("boards*")), "asking for help wrote something"


def test_version_and_python_m_is_the_same_command(demo: Demo) -> None:
    other = copy_demo(demo, demo.root / "other")
    commands = [("--version",), ("show", "demo", "zzzz")]
    results = run_many(
        [Job(demo.root, args) for args in commands]
        + [Job(demo.root, args, python=()) for args in commands]
        + [Job(demo.root, ("list", "demo"))]
        # -X importtime lists every module imported: commands other than `open` never load
        # Textual (the app is its only user), nor git's module (only git commands use it)
        + [Job(demo.root, ("list", "demo"), python=("-X", "importtime"))]
        + [Job(other.root, ("add", "demo", "x"), python=("-X", "importtime"))]
    )
    plain, as_module, (listed, *imports) = results[:2], results[2:4], results[4:]
    assert plain[0].stdout == f"sprintboard {__version__}\n" and plain[0].returncode == 0
    assert plain[1].returncode == 1 and plain[1].stderr.startswith(f"{DEMO}: no card id")
    for a, b in zip(plain, as_module, strict=True):
        assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr)
    assert listed.stdout.startswith("idea (2)\n") and imports[0].stdout == listed.stdout
    for result in imports:
        assert result.returncode == 0
        assert re.search(r"\| +sprintboard\.cli$", result.stderr, re.M)  # the list is real
        assert not re.search(r"\| +textual(\.|$)", result.stderr, re.M)
        assert not re.search(r"\| +sprintboard\.(gitops|git)(\.|$)", result.stderr, re.M)


def test_a_reader_that_goes_away_is_no_error(tmp_path: Path) -> None:
    """`sprintboard list b --json | head -c 1`: no traceback, no noise on stderr."""
    big = "word " * 40_000  # far more than a pipe holds, so the writer meets the closed end
    (tmp_path / "big.toml").write_text(HEAD + card("c1", f"body = {json.dumps(big)}\n"))
    process = subprocess.Popen(
        [SPRINTBOARD, "list", "big.toml", "--json"],
        cwd=tmp_path,
        env=make_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(1) == b"["
    process.stdout.close()
    errors = process.stderr.read().decode()
    process.wait(timeout=60)
    process.stderr.close()
    assert errors == ""

"""What the command imports before a command runs (README, "Performance").

The parser is built from every family's `register`, so the families import the board's
model, storage, the operations and pydantic inside their commands: `open` reaches the
app without them, and no command pays for another's imports. Each check runs in a fresh
interpreter that builds the parser, parses the arguments and reports `sys.modules`.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sprintboard.cli.parser import build_parser

PROBE = """
import importlib, json, sys
for module in sys.argv[1].split():
    importlib.import_module(module)
from sprintboard.cli.parser import build_parser
args = build_parser(sys.argv[2:]).parse_args(sys.argv[2:])
print(json.dumps({"handler": args.func.__name__, "modules": sorted(sys.modules)}))
"""

HEAVY = (
    "pydantic",
    "pydantic_core",
    "tomli",
    "tomli_w",
    "textual",
    "sprintboard.model",
    "sprintboard.ops",
    "sprintboard.session",
    "sprintboard.storage",
    "sprintboard.identity",
    "sprintboard.merge",
    "sprintboard.git",
    "sprintboard.tui",
)
"""What no command may import before it runs: the model and pydantic, the file, the
operations, git and the app."""


def parsed(*argv: str, first: str = "") -> tuple[str, list[str]]:
    """The handler the parser picks for `argv`, and the heavy modules loaded by then
    (`first`: modules the probe imports before it builds the parser)."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, first, *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    modules: list[str] = found["modules"]
    heavy = [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    return found["handler"], heavy


def test_probe_sees_a_heavy_import() -> None:
    # the checks below would be worthless if the probe could not see one
    handler, heavy = parsed("--as", "x", "list", "b", first="sprintboard.model")
    assert handler == "cmd_list"
    assert {"pydantic", "sprintboard.model"} <= set(heavy)


@pytest.mark.parametrize(
    ("argv", "handler"),
    [
        (("open", "x"), "cmd_open"),
        (("open",), "cmd_open"),
        ((), "cmd_open"),  # `sprintboard` alone opens the app
        (("--as", "anna", "open", "family-culture"), "cmd_open"),
    ],
)
def test_open_reaches_the_app_without_model_storage_or_pydantic(
    argv: tuple[str, ...], handler: str
) -> None:
    assert parsed(*argv) == (handler, [])


@pytest.mark.parametrize(
    ("argv", "handler"),
    [
        (("list", "b", "--stage", "test"), "cmd_list"),
        (("add", "b", "a title", "--stage", "prototype"), "cmd_add"),
        (("new", "b", "--title", "t", "--wip", "test=2", "--start", "2026-12-01"), "cmd_new"),
        (("merge-driver", "base", "ours", "theirs", "boards/b.toml"), "cmd_merge_driver"),
        (("resolve", "b", "--take", "ours"), "cmd_resolve"),
        (("validate", "b"), "cmd_validate"),
    ],
)
def test_no_command_imports_what_it_needs_before_it_runs(
    argv: tuple[str, ...], handler: str
) -> None:
    assert parsed(*argv) == (handler, [])


SAMPLES = [
    (),
    ("--as", "anna"),
    ("open", "family-culture"),
    ("--as", "list", "list", "b"),  # a name that is a command, as the value of --as
    ("--as=anna", "vote", "b", "k7q", "--dots", "2"),
    ("move", "b", "k7q", "test", "--before", "x2f", "--as", "omar"),
    ("edit", "b", "k7q", "--set", "title=x", "--set", "tags=a,b"),
    ("new", "b", "--title", "t", "--wip", "test=2", "--facilitator", "nanna"),
    ("merge-driver", "base", "ours", "theirs"),
    ("resolve", "b", "--take", "theirs", "--card", "k7q"),
    ("validate", "a", "b.toml"),
]
FAILING = [
    ("lst", "b"),  # no such command: the message lists them all
    ("move", "b", "k7q", "test", "--before", "a", "--after", "b"),
    ("list",),
    ("list", "b", "--stage", "done"),
    ("--help",),
    ("list", "--help"),
    ("--version",),
    ("--as",),
]


def outcome(parser_argv: tuple[str, ...] | None, argv: tuple[str, ...]) -> tuple[object, ...]:
    """What parsing `argv` gives (its values, or its exit status and output) with the
    parser made for `parser_argv` (None: every command)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            values = vars(build_parser(parser_argv).parse_args(argv))
        except SystemExit as stop:
            return ("exit", stop.code, out.getvalue(), err.getvalue())
    return ("parsed", {k: getattr(v, "__name__", v) for k, v in values.items()})


@pytest.mark.parametrize("argv", SAMPLES + FAILING)
def test_the_parser_of_one_command_parses_as_the_whole_parser_does(argv: tuple[str, ...]) -> None:
    # the parser made for the command that runs gives the same values, errors and help
    whole = outcome(None, argv)
    assert outcome(argv, argv) == whole
    assert whole[0] == ("parsed" if argv in SAMPLES else "exit")


@pytest.mark.parametrize("columns", ["57", "200", "", "-3", "wide", None])
def test_help_is_as_wide_as_argparse_makes_it(
    monkeypatch: pytest.MonkeyPatch, columns: str | None
) -> None:
    # the parser's formatter finds the width without shutil, as argparse's own does with it
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    ours = build_parser(["list", "--help"])._get_formatter()
    assert ours._width == argparse.HelpFormatter("sprintboard")._width


HANDOVER = """
import json, sys, types
app = types.ModuleType("sprintboard.tui.app")  # stands in for the app: what was loaded by then?
def run(target, actor=None, guest=False):
    modules = sorted(sys.modules)
    print(json.dumps({"target": str(target), "actor": actor, "guest": guest, "modules": modules}))
    return 0
app.run = run
sys.modules["sprintboard.tui.app"] = app
from sprintboard.cli.entry import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize(
    ("before", "after", "actor"),
    [((), (), None), (("--as", "ann"), ("--guest",), "ann")],
    ids=["open", "open-guest"],
)
def test_open_hands_over_to_the_app_before_any_heavy_import(
    tmp_path: Path, before: tuple[str, ...], after: tuple[str, ...], actor: str | None
) -> None:
    # the app draws its first frame before the models: `open` must not import them first,
    # nor ask git who acts (the app does, after that frame); a guest's app (the SSH entry
    # starts one per session) neither, nor the SSH side
    board = tmp_path / "b.toml"
    board.write_text('schema = 1\ntitle = "B"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "SPRINTBOARD_USER"}
    result = subprocess.run(
        [sys.executable, "-c", HANDOVER, *before, "open", *after, str(board)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    handed = json.loads(result.stdout)
    assert handed["target"] == str(board)
    assert handed["actor"] == actor  # None: found by the app, off the first frame's path
    assert handed["guest"] is bool(after)
    # tomli may be there (the outline reads with it next), and identity (it checks a name
    # given with --as; it imports no model); the app itself is the stand-in
    light = ("tomli", "tomli_w", "sprintboard.identity", "sprintboard.tui")
    heavy = [h for h in HEAVY if h not in light] + ["asyncssh", "sprintboard.invitations"]
    loaded = [m for m in handed["modules"] if any(m == h or m.startswith(f"{h}.") for h in heavy)]
    assert loaded == []

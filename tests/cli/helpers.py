"""Running the `sprintboard` executable in a test, and the boards the tests start from.

Every command runs as people and scripts run it: the installed executable in a
subprocess, cwd = the test's folder, with an environment under the test's control
(`make_env`). Independent commands run a few at a time (`run_many`): each subprocess
costs ~0.4 s of interpreter start-up.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
_found = shutil.which("sprintboard", path=str(BIN))
if _found is None:  # an environment problem, not a test result
    raise RuntimeError(f"no sprintboard executable in {BIN}: pip install -e . first")
SPRINTBOARD: str = _found
WORKERS = max(2, min(8, os.cpu_count() or 2))

TEXT_KEYS = ("body", "hypothesis", "test", "metric", "criterion", "observed", "learned", "next")
ID = re.compile(r"^[0-9a-z]{8}$")
UTC_SECOND = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
DEMO = "boards/demo.toml"


# --- running the command -----------------------------------------------------------


def make_env(tmp_path: Path, **changes: str | None) -> dict[str, str]:
    """A clean environment: acting user `tester`, git config and login name under our control.

    `changes` sets variables (None removes one). Nothing here touches `os.environ`.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SPRINTBOARD_", "GIT_", "PYTHONIOENCODING", "PYTHONUTF8"))
    }
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    gitconfig = home / ".gitconfig"
    gitconfig.touch()
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CEILING_DIRECTORIES=str(tmp_path.parent),
        SPRINTBOARD_USER="tester",
        LOGNAME="login-person",
        USER="login-person",
        LNAME="login-person",
        USERNAME="login-person",
    )
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def execute(
    tmp_path: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    python: Sequence[str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `sprintboard ARGS` in `tmp_path`; with `python` (interpreter options, maybe none),
    `python OPTIONS -m sprintboard ARGS` instead."""
    command = (
        [sys.executable, *python, "-m", "sprintboard"] if python is not None else [SPRINTBOARD]
    )
    return subprocess.run(
        [*command, *args],
        cwd=tmp_path,
        env=dict(env) if env is not None else make_env(tmp_path),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def run(
    tmp_path: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    python: Sequence[str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`execute`, and never a traceback, whatever the outcome."""
    result = execute(tmp_path, *args, env=env, python=python)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


@dataclass(frozen=True)
class Job:
    """One command for `run_many`."""

    cwd: Path
    args: tuple[str, ...]
    env: Mapping[str, str] | None = None
    python: Sequence[str] | None = None


def run_many(jobs: Sequence[Job]) -> list[subprocess.CompletedProcess[str]]:
    """Run independent commands a few at a time; results in the order of `jobs`."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(lambda j: run(j.cwd, *j.args, env=j.env, python=j.python), jobs))


def ok(tmp_path: Path, *args: str, **kwargs: Any) -> str:
    """Run a command that must succeed, with nothing on stderr; its stdout."""
    result = run(tmp_path, *args, **kwargs)
    assert result.returncode == 0, (args, result.stderr)
    assert result.stderr == "", result.stderr
    return result.stdout


def acts(tmp_path: Path, *args: str, **kwargs: Any) -> str:
    """`ok` for a change by someone who may not be a member: stderr is empty, or the one
    line saying so (its wording is tested on its own); the command's stdout."""
    result = run(tmp_path, *args, **kwargs)
    assert result.returncode == 0, (args, result.stderr)
    assert result.stderr == "" or re.fullmatch(
        r"\S+: you act as '[^']+', who is not a member of this board \(members: [^)]*\): .*\n",
        result.stderr,
    ), result.stderr
    return result.stdout


def assert_user_error(result: subprocess.CompletedProcess[str], pattern: str) -> None:
    """Exit 1, one short line on stderr matching `pattern` (a regex, anchored at the start)."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert result.stderr.endswith("\n") and result.stderr.count("\n") == 1, result.stderr
    line = result.stderr[:-1]
    assert "\r" not in line
    assert len(line) < 500, f"an unreadably long message: {line[:200]}…"
    assert re.match(pattern, line), f"{line!r} does not match {pattern!r}"


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file and folder under `root` (bytes; None for a folder) but our HOME: lock files
    and `.gitignore` included, so a failed command that leaves one behind is caught too."""
    files: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] == "home":
            continue
        files[str(relative)] = None if path.is_dir() else path.read_bytes()
    return files


def cards(tmp_path: Path, board: str = "demo", *options: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(ok(tmp_path, "list", board, "--json", *options))
    return data


def show(tmp_path: Path, cid: str, board: str = "demo") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(tmp_path, "show", board, cid, "--json"))
    return data


def toml(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def short_prefix(cid: str, others: Sequence[str]) -> str:
    """The shortest prefix of `cid` that no other id starts with."""
    for n in range(1, len(cid) + 1):
        if not any(o.startswith(cid[:n]) for o in others if o != cid):
            return cid[:n]
    raise AssertionError(cid)


# --- hand-written board files --------------------------------------------------------

HEAD = 'schema = 1\ntitle = "Hand-written"\n'


def card(cid: str, extra: str = "", stage: str = "idea", rank: str = "m") -> str:
    """A card table; after HEAD its header is on line 4, stage on 6, updated on 9 and `extra`
    starts on line 10."""
    return (
        f'\n[cards.{cid}]\ntitle = "Card {cid}"\nstage = "{stage}"\nrank = "{rank}"\n'
        f"created = 2026-11-27T09:15:00Z\nupdated = 2026-11-27T09:15:00Z\n{extra}"
    )


# --- the demo board, made with the command itself ------------------------------------


@dataclass(frozen=True)
class Demo:
    """boards/demo.toml in `root`: members anna (internal) and omar (external), three cards."""

    root: Path
    workshop: str
    """idea; added --as anna (a member, so she is its co-creator); tag culture; emoji title."""
    walk: str
    """idea; added by `tester` (not a member), nothing else."""
    popup: str
    """prototype; --by omar."""

    @property
    def path(self) -> Path:
        return self.root / DEMO

    @property
    def ids(self) -> list[str]:
        return [self.workshop, self.walk, self.popup]

    def prefix(self, cid: str) -> str:
        return short_prefix(cid, self.ids)


WORKSHOP = "Saturday art workshop 🎨"
NOT_MEMBER = (
    f"{DEMO}: you act as 'tester', who is not a member of this board (members: anna, omar): "
    "`sprintboard member demo tester --name tester --side internal` adds you "
    "(or --side external); `--as KEY` acts as a member\n"
)


def make_demo(root: Path) -> Demo:
    """The demo board in `root`, made through `new`, `member` and `add`."""
    ok(
        root,
        "new",
        "demo",
        "--title",
        "Families, art and culture",
        "--challenge",
        "How might we help vulnerable families through art and culture?",
    )
    ok(root, "member", "demo", "anna", "--name", "Anna K.", "--side", "internal", "--role", "x")
    ok(root, "member", "demo", "omar", "--name", "Omar S.", "--side", "external")
    workshop = ok(root, "--as", "anna", "add", "demo", WORKSHOP, "--tag", "culture")
    added = run(root, "add", "demo", "Story walk in the park")
    # `tester` is no member: said once, on stderr, with how to join
    assert added.returncode == 0 and added.stderr == NOT_MEMBER, added.stderr
    walk = added.stdout
    added = run(root, "add", "demo", "Library pop-up", "--stage", "prototype", "--by", "omar")
    assert added.returncode == 0 and added.stderr == NOT_MEMBER, added.stderr
    popup = added.stdout
    for out in (workshop, walk, popup):  # `add` prints the new id and nothing else
        assert out.endswith("\n") and out.count("\n") == 1 and ID.match(out.strip()), out
    return Demo(root, workshop.strip(), walk.strip(), popup.strip())


def copy_demo(template: Demo, root: Path) -> Demo:
    shutil.copytree(template.root / "boards", root / "boards")
    return Demo(root, template.workshop, template.walk, template.popup)

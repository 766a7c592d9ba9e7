"""The `sprintboard` command as people and scripts use it: the installed executable, run in a
subprocess (cwd = `tmp_path`) against board files in `tmp_path`.

Every failing command is held to the contract of DESIGN §6 and the CLI issue: exit code 1 (2 for
argparse usage errors), exactly one short line on stderr naming the file (``path:line:col:`` for
problems inside it), no traceback, and every file on disk byte-for-byte as it was. Successful
commands are checked through the command's own output (`list --json`, `show --json`) and, where
the file is the point, the TOML on disk.

Each subprocess costs ~0.4 s of interpreter start-up, so independent commands run a few at a time
(`run_many`): the bad-input table is run once, in parallel, by a module fixture, and each row is
then its own parametrized test.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sprintboard import __version__

BIN = Path(sys.executable).parent
_found = shutil.which("sprintboard", path=str(BIN))
if _found is None:  # an environment problem, not a test result
    raise RuntimeError(f"no sprintboard executable in {BIN}: pip install -e . first")
SPRINTBOARD: str = _found
WORKERS = max(2, min(8, os.cpu_count() or 2))

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
)
CARD_KEYS = [
    "id",
    "title",
    "stage",
    "rank",
    "archived",
    "created",
    "updated",
    "by",
    "tags",
    "body",
    "hypothesis",
    "test",
    "metric",
    "criterion",
    "observed",
    "learned",
    "next",
    "decision",
    "votes",
    "history",
]
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


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The demo board, made once per module through `new`, `member` and `add`."""
    root = tmp_path_factory.mktemp("template")
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


@pytest.fixture
def demo(tmp_path: Path, demo_template: Demo) -> Demo:
    """A fresh copy of the demo board in this test's `tmp_path`."""
    return copy_demo(demo_template, tmp_path)


# --- the command as a whole ----------------------------------------------------------

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
        # Textual (the app is its only user)
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


# --- the happy paths, command by command ---------------------------------------------


def test_the_demo_board_made_through_the_cli(demo: Demo) -> None:
    data = toml(demo.path)
    assert data["schema"] == 1 and data["title"] == "Families, art and culture"
    assert data["challenge"] == "How might we help vulnerable families through art and culture?"
    assert data["members"] == {
        "anna": {"name": "Anna K.", "side": "internal", "role": "x"},
        "omar": {"name": "Omar S.", "side": "external"},
    }
    assert len(set(demo.ids)) == 3 and set(data["cards"]) == set(demo.ids)
    workshop, walk, popup = (data["cards"][cid] for cid in demo.ids)
    assert workshop["title"] == WORKSHOP
    # without --by, the acting person is the co-creator when a member, else nobody
    assert workshop["by"] == ["anna"] and workshop["tags"] == ["culture"]
    assert "by" not in walk and walk["stage"] == "idea"
    assert popup["by"] == ["omar"] and popup["stage"] == "prototype"
    assert [(h["by"], h["stage"]) for h in workshop["history"]] == [("anna", "idea")]
    assert [(h["by"], h["stage"]) for h in walk["history"]] == [("tester", "idea")]
    assert [(h["by"], h["stage"]) for h in popup["history"]] == [("tester", "prototype")]
    assert workshop["rank"] < walk["rank"]  # added later, so further down the column


def test_new_writes_a_board_by_name_and_by_path(tmp_path: Path) -> None:
    out = ok(
        tmp_path,
        "new",
        "sprint-1",
        "--title",
        "Sprint one",
        "--challenge",
        "How might we?",
        "--goal",
        "Three ideas tested",
        "--start",
        "2026-12-01",
        "--end",
        "2026-12-12",
    )
    assert out == "created boards/sprint-1.toml\n"
    assert toml(tmp_path / "boards/sprint-1.toml") == {
        "schema": 1,
        "title": "Sprint one",
        "challenge": "How might we?",
        "goal": "Three ideas tested",
        "sprint": tomllib.loads("start = 2026-12-01\nend = 2026-12-12"),
    }
    (tmp_path / "elsewhere").mkdir()
    assert ok(tmp_path, "new", "elsewhere/b.toml", "--title", "B") == "created elsewhere/b.toml\n"
    assert toml(tmp_path / "elsewhere/b.toml") == {"schema": 1, "title": "B"}


def test_add_prints_only_the_new_id_and_sets_every_option(demo: Demo) -> None:
    out = acts(
        demo.root,
        "add",
        "demo",
        "Pop-up at the school gate",
        "--stage",
        "test",
        "--tag",
        "school",
        "--tag",
        "outdoor",
        "--by",
        "anna",
        "--by",
        "omar",
    )
    assert out.endswith("\n") and out.count("\n") == 1 and ID.match(out.strip())
    cid = out.strip()
    assert cid not in demo.ids
    got = show(demo.root, cid)
    assert got["title"] == "Pop-up at the school gate"
    assert got["stage"] == "test" and got["tags"] == ["school", "outdoor"]
    assert got["by"] == ["anna", "omar"]
    assert [(h["by"], h["stage"]) for h in got["history"]] == [("tester", "test")]
    assert got["created"] == got["updated"] == got["history"][0]["at"]


def test_move_to_the_end_before_and_after_records_who_moved(demo: Demo) -> None:
    walk, workshop, popup = demo.walk, demo.workshop, demo.popup
    ok(demo.root, "--as", "anna", "move", "demo", demo.prefix(walk), "prototype")
    acts(demo.root, "move", "demo", demo.prefix(workshop), "prototype", "--before", popup)
    assert [c["id"] for c in cards(demo.root, "demo", "--stage", "prototype")] == [
        workshop,
        popup,
        walk,
    ]
    before = toml(demo.path)["cards"][walk]
    acts(demo.root, "move", "demo", walk, "prototype", "--after", demo.prefix(workshop))
    column = cards(demo.root, "demo", "--stage", "prototype")
    assert [c["id"] for c in column] == [workshop, walk, popup]
    moved = column[1]
    # a move within a stage changes the rank only; a move to a stage adds a history entry
    assert moved["rank"] != before["rank"]
    assert [(h["by"], h["stage"]) for h in moved["history"]] == [
        ("tester", "idea"),
        ("anna", "prototype"),
    ]
    assert len(before["history"]) == 2


def test_edit_sets_lists_people_decision_and_multiline_text(demo: Demo) -> None:
    cid = demo.walk
    acts(
        demo.root,
        "edit",
        "demo",
        demo.prefix(cid),
        "--set",
        "title=Story walk, renamed",
        "--set",
        "tags= walk , outdoor,,family ",
        "--set",
        "by=anna,omar",
        "--set",
        "decision=pivot",
        "--set",
        "hypothesis=Families come\nwhen children invite them",
        "--set",
        "body=line one\r\nline two = with equals",
    )
    got = show(demo.root, cid)
    assert got["title"] == "Story walk, renamed"
    assert got["tags"] == ["walk", "outdoor", "family"]
    assert got["by"] == ["anna", "omar"]
    assert got["decision"] == "pivot"
    assert got["hypothesis"] == "Families come\nwhen children invite them"
    assert got["body"] == "line one\nline two = with equals"  # \r\n becomes \n, as documented
    acts(demo.root, "edit", "demo", cid, "--set", "decision=", "--set", "tags=", "--set", "body=")
    got = show(demo.root, cid)
    assert got["decision"] is None and got["tags"] == [] and got["body"] == ""
    assert got["hypothesis"] == "Families come\nwhen children invite them"
    stored = toml(demo.path)["cards"][cid]
    assert not {"body", "tags", "decision"} & set(stored)  # empty fields are left out


def test_archive_restore_and_delete(demo: Demo) -> None:
    cid = demo.workshop
    acts(demo.root, "archive", "demo", demo.prefix(cid))
    assert [c["id"] for c in cards(demo.root)] == [demo.walk, demo.popup]
    listed = cards(demo.root, "demo", "--archived")
    assert [(c["id"], c["archived"]) for c in listed] == [
        (cid, True),
        (demo.walk, False),
        (demo.popup, False),
    ]
    acts(demo.root, "restore", "demo", cid)
    assert "archived" not in toml(demo.path)["cards"][cid]
    ok(demo.root, "delete", "demo", cid)
    assert [c["id"] for c in cards(demo.root, "demo", "--archived")] == [demo.walk, demo.popup]


def test_vote_as_a_member_and_take_it_back(demo: Demo) -> None:
    cid = demo.walk
    ok(demo.root, "--as", "anna", "vote", "demo", demo.prefix(cid), "--dots", "3")
    ok(demo.root, "--as", "omar", "vote", "demo", cid)
    assert toml(demo.path)["cards"][cid]["votes"] == {"anna": 3, "omar": 1}
    assert f"\n  {cid}  Story walk in the park  4 dots\n" in ok(demo.root, "list", "demo")
    ok(demo.root, "--as", "anna", "vote", "demo", cid, "--dots", "0")
    assert toml(demo.path)["cards"][cid]["votes"] == {"omar": 1}


def test_member_adds_and_changes_keeping_what_is_not_given(demo: Demo) -> None:
    ok(demo.root, "member", "demo", "nanna", "--name", "Nanna H.", "--side", "internal")
    ok(demo.root, "member", "demo", "anna", "--role", "frontline")
    members = toml(demo.path)["members"]
    assert members["nanna"] == {"name": "Nanna H.", "side": "internal"}
    assert members["anna"] == {"name": "Anna K.", "side": "internal", "role": "frontline"}
    assert list(members) == ["anna", "nanna", "omar"]


def test_list_text_columns_and_stage_filter(demo: Demo) -> None:
    w, k, p = demo.workshop, demo.walk, demo.popup
    assert ok(demo.root, "list", "demo") == (
        "idea (2)\n"
        f"  {w}  {WORKSHOP}  #culture  by anna\n"
        f"  {k}  Story walk in the park\n"
        "prototype (1)\n"
        f"  {p}  Library pop-up  by omar\n"
        "test (0)\n"
        "learned (0)\n"
    )
    assert ok(demo.root, "list", "demo", "--stage", "prototype") == (
        f"prototype (1)\n  {p}  Library pop-up  by omar\n"
    )


def test_show_text(demo: Demo) -> None:
    acts(demo.root, "edit", "demo", demo.workshop, "--set", "test=Run it twice\nthen count")
    text = ok(demo.root, "show", "demo", demo.prefix(demo.workshop))
    assert text.startswith(f"{demo.workshop}  {WORKSHOP}\n")
    assert re.search(r"^stage +idea$", text, re.M)
    assert re.search(r"^by +Anna K\. \(anna\)$", text, re.M)
    assert re.search(r"^tags +culture$", text, re.M)
    assert "\nExperiment\n  to verify that, we will   Run it twice\n" in text
    assert re.search(r"^History\n  \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ  idea +anna$", text, re.M)


def test_json_output_is_the_documented_contract(demo: Demo) -> None:
    """`show --json` and `list --json` give every key, in order, with the documented types."""
    cid = demo.popup
    acts(
        demo.root,
        "edit",
        "demo",
        cid,
        "--set",
        "tags=library",
        "--set",
        "body=Body\ntext",
        "--set",
        "decision=scale",
        *(f"--set={name}=the {name}" for name in TEXT_KEYS[1:]),
    )
    ok(demo.root, "--as", "anna", "vote", "demo", cid, "--dots", "2")
    ok(demo.root, "--as", "omar", "move", "demo", cid, "test")
    got = show(demo.root, cid)
    assert list(got) == CARD_KEYS
    assert got["id"] == cid
    assert got["title"] == "Library pop-up"
    assert got["stage"] == "test"
    assert isinstance(got["rank"], str) and re.fullmatch(r"[0-9a-z]*[1-9a-z]", got["rank"])
    assert got["archived"] is False
    assert UTC_SECOND.match(got["created"]) and UTC_SECOND.match(got["updated"])
    assert got["created"] <= got["updated"]
    assert got["by"] == ["omar"]
    assert got["tags"] == ["library"]
    assert got["body"] == "Body\ntext"
    for name in TEXT_KEYS[1:]:
        assert got[name] == f"the {name}"
    assert got["decision"] == "scale"
    assert got["votes"] == {"anna": 2}
    assert [list(h) for h in got["history"]] == [["at", "by", "stage"]] * 2
    assert [(h["by"], h["stage"]) for h in got["history"]] == [
        ("tester", "prototype"),
        ("omar", "test"),
    ]
    assert all(UTC_SECOND.match(h["at"]) for h in got["history"])
    assert got["history"][0]["at"] == got["created"]

    # `list --json`: an array of the same objects, in board order (stage by stage, by rank);
    # a card with nothing filled in still has every key, empty
    listed = cards(demo.root)
    assert isinstance(listed, list) and all(list(c) == CARD_KEYS for c in listed)
    assert [c["id"] for c in listed] == [demo.workshop, demo.walk, cid]
    assert listed[2] == got
    walk = listed[1]
    assert {k: walk[k] for k in (*TEXT_KEYS, "by", "tags", "votes", "decision", "archived")} == {
        **dict.fromkeys(TEXT_KEYS, ""),
        "by": [],
        "tags": [],
        "votes": {},
        "decision": None,
        "archived": False,
    }


def test_output_survives_a_terminal_that_cannot_show_the_text(demo: Demo) -> None:
    """An ASCII-only stdout gets escapes, never a traceback; JSON stays exact (\\u escapes)."""
    env = make_env(demo.root, PYTHONIOENCODING="ascii")
    text, data = run_many(
        [
            Job(demo.root, ("show", "demo", demo.workshop), env=env),
            Job(demo.root, ("list", "demo", "--json"), env=env),
        ]
    )
    assert text.returncode == 0 and "Saturday art workshop \\U0001f3a8" in text.stdout
    assert data.returncode == 0 and data.stdout.isascii()
    assert json.loads(data.stdout)[0]["title"] == WORKSHOP


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


# --- text that tries to break the file -------------------------------------------------

HOSTILE = (
    'quotes " \' """ \'\'\' backslashes \\ \\\\ \\n \\u0041 \\" '
    "right-to-left שלום עולם مرحبا \u202ereversed\u202c emoji 🎉 👩\u200d👩\u200d👧 🇩🇰 "
)
LONG_TITLE = (HOSTILE * 100)[:10_000]
MUST_ROUND_TRIP = {
    "10,000 characters of quotes, backslashes, RTL and emoji": LONG_TITLE,
    "right-to-left override": "\u202e" + "abc",
}
MUST_REJECT = {  # the README: titles are one line, without control characters
    "10,000 characters with a newline": LONG_TITLE[:5_000] + "\n" + LONG_TITLE[:4_999],
    "control characters": "bell \x07 escape \x1b[31m red \x7f delete",
    "one escape sequence": "a \x1b[2J clears the screen",
    "one control character": "a\x01b",
    "a tab": "a\tb",
}
ROUND_TRIP_OR_REJECT = {  # not control characters to the README, but line breaks to some
    "a line separator": "a\u2028b",
    "a C1 next-line": "a\x85b",
}
TEXTS = {  # card text fields span lines and must come back exactly
    "body": LONG_TITLE[:3_000] + "\n\n\"\"\"\n'''\nends with a backslash \\\n" + HOSTILE,
    "hypothesis": '"""',
    "test": "ends with a backslash \\",
    "metric": "tab\tbell \x07 escape \x1b[0m delete \x7f",
    "criterion": "\n\nleading and trailing newlines\n\n",
    "observed": "x" * 10_000,
    "learned": 'literal escapes \\u0041 \\n \\t \\" and a quote "',
    "next": "\u202e" + HOSTILE + "\n" + HOSTILE,
}


def test_hostile_text_round_trips_exactly_or_is_refused(demo: Demo) -> None:
    titles = {**MUST_ROUND_TRIP, **MUST_REJECT, **ROUND_TRIP_OR_REJECT}
    sets = [f"--set={name}={value}" for name, value in TEXTS.items()]
    # all at once, against one board: the lock keeps every write whole
    *added, edited = run_many(
        [Job(demo.root, ("add", "demo", title)) for title in titles.values()]
        + [Job(demo.root, ("edit", "demo", demo.walk, *sets))]
    )
    assert edited.returncode == 0, edited.stderr
    ids: dict[str, str] = {}
    for name, result in zip(titles, added, strict=True):
        if name in MUST_ROUND_TRIP or (name in ROUND_TRIP_OR_REJECT and result.returncode == 0):
            assert result.returncode == 0, (name, result.stderr)
            ids[name] = result.stdout.strip()
        else:
            assert_user_error(result, rf"{DEMO}: new card: title '.*' must be one line of text")
    board = {c["id"]: c for c in cards(demo.root)}
    assert set(board) == {*demo.ids, *ids.values()}
    for name, cid in ids.items():
        assert board[cid]["title"] == titles[name], name
    for name, value in TEXTS.items():
        assert board[demo.walk][name] == value, name
    # the file stays valid and canonical, and holds exactly the same text
    assert ok(demo.root, "fmt", "--check", "demo") == ""
    stored = toml(demo.path)["cards"]
    assert {name: stored[demo.walk][name] for name in TEXTS} == TEXTS


# --- validate and fmt ----------------------------------------------------------------


def test_validate_reports_every_problem_of_every_file(demo: Demo) -> None:
    root = demo.root
    (root / "good.toml").write_text(HEAD)
    (root / "types.toml").write_text('schema = "1"\ntitle = 5\n')
    (root / "syntax.toml").write_text(HEAD + 'challenge = "no end\n')
    (root / "member.toml").write_text(HEAD + card("c1", 'by = ["ghost"]\n'))
    (root / "wrong.toml").write_text(HEAD + card("c1", 'colour = "red"\n', stage="doing"))
    files = [
        "demo",
        "good.toml",
        "types.toml",
        "syntax.toml",
        "missing.toml",
        "member.toml",
        "wrong.toml",
        "../x",
    ]
    before = snapshot(root)
    result = run(root, "validate", *files)
    assert result.returncode == 1
    assert result.stdout == f"{DEMO}: ok\ngood.toml: ok\n"
    assert result.stderr.splitlines() == [
        "types.toml:1:1: schema must be an integer, not a string",
        "types.toml:2:1: title must be a string, not an integer",
        "syntax.toml:3:20: illegal character '\\n'",
        "missing.toml: no such board file",
        "member.toml:10:1: card c1: co-creator 'ghost' is not a member of the board",
        "wrong.toml:6:1: card c1: stage 'doing' is not one of idea, prototype, test, learned",
        "wrong.toml:10:1: card c1: unknown key 'colour'",
        "'../x' is not a board name (letters, digits, '-' and '_'); "
        "to use a file elsewhere, give its path ending in .toml",
    ]
    assert snapshot(root) == before
    assert ok(root, "validate", "demo", "good.toml") == f"{DEMO}: ok\ngood.toml: ok\n"


def test_fmt_check_and_fmt(demo: Demo) -> None:
    root = demo.root
    messy = root / "messy.toml"
    messy.write_text(
        "# a hand-edited board\n"
        'title = "Messy"\nschema = 1\n'
        + card("zz000001", "tags = ['b', 'a']\n", rank="t")
        + card("aa000001", 'body = """two\nlines"""\n')
    )
    broken = root / "broken.toml"
    broken.write_text("schema = 1\ntitle = \n")
    original_messy, original_broken = messy.read_bytes(), broken.read_bytes()
    content = cards(root, "messy.toml")

    check = run(root, "fmt", "--check", "demo", "messy.toml")
    assert_user_error(check, r"messy\.toml: not canonical; run: sprintboard fmt messy\.toml$")
    assert messy.read_bytes() == original_messy

    demo_bytes = demo.path.read_bytes()
    result = run(root, "fmt", "demo", "messy.toml", "broken.toml")
    assert result.stdout == "messy.toml: formatted\n"  # a canonical file is left as it is
    assert_user_error(result, r"broken\.toml:2:9: invalid value$")
    assert broken.read_bytes() == original_broken
    assert demo.path.read_bytes() == demo_bytes
    assert messy.read_bytes() != original_messy
    assert cards(root, "messy.toml") == content  # the same board, only the text changed
    assert ok(root, "fmt", "--check", "demo", "messy.toml") == ""


# --- who acts, and many at once ------------------------------------------------------


@pytest.mark.parametrize(
    ("as_option", "env_user", "git_name", "expected"),
    [
        ("Cli Person", "Env Person", "Git Person", "Cli Person"),
        (None, "Env Person", "Git Person", "Env Person"),
        (None, None, "Git Person", "Git Person"),
        (None, "", "Git Person", "Git Person"),  # an empty variable is no name
        (None, None, None, "login-person"),
    ],
    ids=["--as", "SPRINTBOARD_USER", "git user.name", "empty SPRINTBOARD_USER", "login name"],
)
def test_who_acts_is_recorded_in_history(
    demo: Demo,
    as_option: str | None,
    env_user: str | None,
    git_name: str | None,
    expected: str,
) -> None:
    env = make_env(demo.root, SPRINTBOARD_USER=env_user)
    if git_name:
        Path(env["GIT_CONFIG_GLOBAL"]).write_text(f"[user]\n\tname = {git_name}\n")
    options = ["--as", as_option] if as_option else []
    cid = acts(demo.root, *options, "add", "demo", "Whose card?", env=env).strip()
    assert [h["by"] for h in toml(demo.path)["cards"][cid]["history"]] == [expected]


def test_concurrent_adds_all_land(demo: Demo) -> None:
    """Four `add`s started together: each waits for the lock, none is lost."""
    processes = [
        subprocess.Popen(
            [SPRINTBOARD, "--as", f"writer{i}", "add", "demo", f"Card from writer {i}"],
            cwd=demo.root,
            env=make_env(demo.root),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0] * 4, outputs
    assert all("Traceback" not in err and err.count("\n") <= 1 for _, err in outputs)
    ids = [out.strip() for out, _ in outputs]
    assert len(set(ids)) == 4 and all(ID.match(cid) for cid in ids)
    board = {c["id"]: c for c in cards(demo.root)}
    assert set(board) == {*demo.ids, *ids}
    for i, cid in enumerate(ids):
        assert board[cid]["title"] == f"Card from writer {i}"
        assert [h["by"] for h in board[cid]["history"]] == [f"writer{i}"]


# --- the bad-input table -------------------------------------------------------------

DIR = None
"""In `Case.files`: make a folder at this path."""


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    pattern: str
    """Regex the one stderr line must match from its start (<w>, <k>, <p>: the demo's ids)."""
    files: Mapping[str, str | bytes | None] = field(default_factory=dict)
    code: int = 1
    read_only: tuple[str, ...] = ()
    demo: bool = True
    """Start from a copy of the demo board in boards/."""

    def fill(self, text: str, demo: Demo) -> str:
        for mark, cid in (("<w>", demo.workshop), ("<k>", demo.walk), ("<p>", demo.popup)):
            text = text.replace(mark, cid)
        return text


TEN_THOUSAND_WITH_NEWLINE = "a" * 4_999 + "\n" + 'quotes " """ \\ 🎉 שלום' + "b" * 4_977
CASES: dict[str, Case] = {
    # the file itself
    "missing file": Case(("add", "missing.toml", "x"), r"missing\.toml: no such board file$"),
    "missing board by name": Case(("list", "ghost"), r"boards/ghost\.toml: no such board file$"),
    "missing folder": Case(("show", "nodir/b.toml", "x"), r"nodir/b\.toml: no such board file$"),
    "fmt --check of a missing file": Case(
        ("fmt", "--check", "gone.toml"), r"gone\.toml: no such board file$"
    ),
    "fmt in a missing folder": Case(("fmt", "nodir/b.toml"), r"nodir/b\.toml: no such board file$"),
    "a directory": Case(
        ("add", "dir.toml", "x"), r"dir\.toml: is a directory, not a board file$", {"dir.toml": DIR}
    ),
    "a directory by name": Case(
        ("move", "folder", "x", "test"),
        r"boards/folder\.toml: is a directory, not a board file$",
        {"boards/folder.toml": DIR},
    ),
    "empty file": Case(
        ("add", "empty.toml", "x"), r"empty\.toml:1:1: the file is empty", {"empty.toml": ""}
    ),
    "invalid TOML": Case(
        ("add", "bad.toml", "x"),
        r"bad\.toml:3:22: illegal character '\\n'$",
        {"bad.toml": HEAD + 'challenge = "unclosed\n[cards]\n'},
    ),
    "not UTF-8": Case(
        ("list", "latin.toml"),
        r"latin\.toml:2:13: not valid UTF-8 text$",
        {"latin.toml": b'schema = 1\ntitle = "caf\xe9"\n'},
    ),
    "wrong types": Case(
        ("edit", "types.toml", "x", "--set", "title=y"),
        r"types\.toml:1:1: schema must be an integer, not a string \(and 1 more\)$",
        {"types.toml": 'schema = "1"\ntitle = 5\n'},
    ),
    "wrong type in a card": Case(
        ("show", "when.toml", "c1"),
        r"when\.toml:9:1: card c1: updated must be a date-time like 2026-11-27T09:15:00Z, "
        r"not a string$",
        {"when.toml": HEAD + card("c1").replace("updated = 2026-11-27T09:15:00Z", 'updated = "x"')},
    ),
    "unknown stage in the file": Case(
        ("list", "stage.toml"),
        r"stage\.toml:6:1: card c1: stage 'doing' is not one of idea, prototype, test, learned$",
        {"stage.toml": HEAD + card("c1", stage="doing")},
    ),
    "unknown key": Case(
        ("add", "key.toml", "x"),
        r"key\.toml:3:1: unknown key 'colour'$",
        {"key.toml": HEAD + 'colour = "red"\n'},
    ),
    "unknown key in a card": Case(
        ("archive", "ckey.toml", "c1"),
        r"ckey\.toml:10:1: card c1: unknown key 'owner'$",
        {"ckey.toml": HEAD + card("c1", 'owner = "anna"\n')},
    ),
    "duplicate card ids": Case(
        ("list", "dup.toml"),
        r"dup\.toml:11:10: cannot declare \('cards', 'c1'\) twice$",
        {"dup.toml": HEAD + card("c1") + card("c1")},
    ),
    "card naming an unknown member": Case(
        ("add", "member.toml", "x"),
        r"member\.toml:10:1: card c1: .*'ghost' is not a member of the board$",
        {"member.toml": HEAD + card("c1", 'by = ["ghost"]\n')},
    ),
    "vote of an unknown member": Case(
        ("list", "votes.toml"),
        r"votes\.toml:12:1: card c1: vote by 'ghost', who is not a member of the board$",
        {"votes.toml": HEAD + card("c1", "\n[cards.c1.votes]\nghost = 2\n")},
    ),
    "newer schema": Case(
        ("add", "future.toml", "x"),
        r"future\.toml: schema 2 is newer than this sprintboard writes \(schema 1\); "
        r"upgrade sprintboard",
        {"future.toml": 'schema = 2\ntitle = "From the future"\n'},
    ),
    "newer schema with new keys": Case(
        ("edit", "future.toml", "c1", "--set", "title=y"),
        r"future\.toml:1:1: schema 2 is newer than this sprintboard understands \(schema 1\); "
        r"upgrade sprintboard to use this board \(and 1 more\)$",
        {"future.toml": 'schema = 2\ntitle = "t"\nlanguage = "da"\n' + card("c1")},
    ),
    "newer schema, fmt": Case(
        ("fmt", "future.toml"),
        r"future\.toml: schema 2 is newer than this sprintboard writes",
        {"future.toml": 'title = "From the future"\nschema = 2\n'},
    ),
    "read-only file, add": Case(
        ("add", "demo", "x"),
        rf"{DEMO}: the file is read-only; nothing was written$",
        read_only=(DEMO,),
    ),
    "read-only file, fmt": Case(
        ("fmt", "ro.toml"),
        r"ro\.toml: the file is read-only; nothing was written$",
        {"ro.toml": 'title = "Not canonical"\nschema = 1\n'},
        read_only=("ro.toml",),
    ),
    # card ids
    "unknown id prefix": Case(("show", "demo", "zzzz"), rf"{DEMO}: no card id starts with 'zzzz'$"),
    "empty id": Case(("archive", "demo", ""), rf"{DEMO}: no card id starts with ''$"),
    "unknown --after": Case(
        ("move", "demo", "<k>", "idea", "--after", "zzzz"),
        rf"{DEMO}: no card id starts with 'zzzz'$",
    ),
    "ambiguous prefix": Case(
        ("delete", "amb.toml", "ab"),
        r"amb\.toml: card id prefix 'ab' is ambiguous: ab000001, ab000002$",
        {"amb.toml": HEAD + card("ab000001") + card("ab000002", rank="t")},
    ),
    "ambiguous --before": Case(
        ("move", "amb.toml", "cd000001", "idea", "--before", "ab0"),
        r"amb\.toml: card id prefix 'ab0' is ambiguous: ab000001, ab000002$",
        {"amb.toml": HEAD + card("ab000001") + card("ab000002", rank="t") + card("cd000001")},
    ),
    "move next to itself": Case(
        ("move", "demo", "<k>", "idea", "--before", "<k>"),
        rf"{DEMO}: card <k> cannot be placed next to itself$",
    ),
    "move next to a card of another stage": Case(
        ("move", "demo", "<k>", "test", "--after", "<p>"),
        rf"{DEMO}: card <p> is in prototype, not in test$",
    ),
    # members
    "add --by an unknown member": Case(
        ("add", "demo", "x", "--by", "ghost"),
        rf"{DEMO}: 'ghost' is not a member of this board \(members: anna, omar\)$",
    ),
    "edit by= an unknown member": Case(
        ("edit", "demo", "<w>", "--set", "by=anna,ghost"),
        rf"{DEMO}: card <w>: 'ghost' is not a member of this board",
    ),
    "vote by someone who is not a member": Case(
        ("vote", "demo", "<w>"),
        rf"{DEMO}: cannot vote: you act as 'tester', who is not a member of this board "
        r"\(members: anna, omar\): `sprintboard member demo tester --name tester --side internal`",
    ),
    "too many dots": Case(
        ("--as", "anna", "vote", "demo", "<w>", "--dots", "100"),
        rf"{DEMO}: dots must be between 0 and 99, not 100$",
    ),
    "new member without a side": Case(
        ("member", "demo", "nanna", "--name", "Nanna"),
        rf"{DEMO}: a new member needs --name and --side$",
    ),
    "member key that is not a key": Case(
        ("member", "demo", "a b", "--name", "A B", "--side", "internal"),
        rf"{DEMO}: member a b: key 'a b' must be a simple key",
    ),
    # titles and fields
    "title with a newline": Case(
        ("add", "demo", "two\nlines"),
        rf"{DEMO}: new card: title 'two\\nlines' must be one line of text",
    ),
    "empty title": Case(("add", "demo", ""), rf"{DEMO}: new card: title '' must be one line"),
    "10,000-character title with a newline": Case(
        ("add", "demo", TEN_THOUSAND_WITH_NEWLINE), rf"{DEMO}: new card: title 'a{{40}}…' must be"
    ),
    "edit a title to two lines": Case(
        ("edit", "demo", "<w>", "--set", "title=a\nb"),
        rf"{DEMO}: card <w>: title 'a\\nb' must be one line",
    ),
    "edit a field that is not editable": Case(
        ("edit", "demo", "<w>", "--set", "stage=test"),
        rf"{DEMO}: 'stage' is not a field you can edit \(fields: title, tags, by, body,",
    ),
    "edit without =": Case(
        ("edit", "demo", "<w>", "--set", "title"),
        rf"{DEMO}: --set takes FIELD=VALUE, not 'title'$",
    ),
    "edit an unknown decision": Case(
        ("edit", "demo", "<w>", "--set", "decision=maybe"),
        rf"{DEMO}: card <w>: decision 'maybe' is not one of persevere, pivot, scale, stop$",
    ),
    "a lone carriage return": Case(
        ("edit", "demo", "<w>", "--set", "body=a\rb"),
        rf"{DEMO}: card <w>: body 'a\\rb' must not contain carriage returns",
    ),
    # board names
    "name ../x": Case(("list", "../x"), r"'\.\./x' is not a board name .* give its path"),
    "name a/b": Case(("add", "a/b", "x"), r"'a/b' is not a board name"),
    "empty name": Case(("new", "", "--title", "t"), r"'' is not a board name"),
    "name ../x for new": Case(("new", "../demo", "--title", "t"), r"'\.\./demo' is not a board"),
    # new
    "new over an existing board": Case(
        ("new", "demo", "--title", "Again"), rf"{DEMO}: already exists; nothing was written$"
    ),
    "new in a missing folder": Case(
        ("new", "nodir/b.toml", "--title", "t"), r"nodir/b\.toml: folder nodir does not exist$"
    ),
    "new with an empty title": Case(
        ("new", "b.toml", "--title", ""), r"b\.toml: title '' must be one line of text"
    ),
    "new ending before it starts": Case(
        ("new", "b.toml", "--title", "t", "--start", "2026-12-12", "--end", "2026-12-01"),
        r"b\.toml: sprint end 2026-12-01 is before its start 2026-12-12$",
    ),
    "new when boards is a file": Case(
        ("new", "b", "--title", "t"),
        r"boards/b\.toml: cannot make the folder boards: File exists$",
        {"boards": "not a folder"},
        demo=False,
    ),
    # usage errors: argparse, exit 2
    "unknown stage": Case(("move", "demo", "<w>", "doing"), r"invalid choice: 'doing'", code=2),
    "both --before and --after": Case(
        ("move", "demo", "<w>", "idea", "--before", "<k>", "--after", "<k>"),
        r"not allowed with argument",
        code=2,
    ),
    "a date that is not a date": Case(
        ("new", "b.toml", "--title", "t", "--start", "2026-13-01"),
        r"'2026-13-01' is not a date",
        code=2,
    ),
    "unknown command": Case(("frobnicate",), r"invalid choice: 'frobnicate'", code=2),
}


@dataclass(frozen=True)
class Outcome:
    result: subprocess.CompletedProcess[str]
    pattern: str
    before: dict[str, bytes | None]
    after: dict[str, bytes | None]


@pytest.fixture(scope="module")
def bad_input(tmp_path_factory: pytest.TempPathFactory, demo_template: Demo) -> dict[str, Outcome]:
    """Every row of `CASES`, each in a folder of its own, run a few at a time."""
    prepared: list[tuple[str, Case, Path, Demo]] = []
    for name, case in CASES.items():
        root = tmp_path_factory.mktemp("bad")
        demo = copy_demo(demo_template, root) if case.demo else demo_template
        for relative, content in case.files.items():
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if content is DIR:
                target.mkdir()
            elif isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        for relative in case.read_only:
            (root / relative).chmod(0o444)
        prepared.append((name, case, root, demo))

    def one(item: tuple[str, Case, Path, Demo]) -> Outcome:
        _, case, root, demo = item
        before = snapshot(root)
        result = execute(root, *(case.fill(arg, demo) for arg in case.args))
        after = snapshot(root)
        return Outcome(result, case.fill(case.pattern, demo), before, after)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        outcomes = list(pool.map(one, prepared))
    return {name: outcome for (name, *_), outcome in zip(prepared, outcomes, strict=True)}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_fails_cleanly_and_changes_nothing(
    name: str, bad_input: dict[str, Outcome]
) -> None:
    """Exit 1 (2 for usage), one line naming the file, no traceback, every byte as it was."""
    outcome, case = bad_input[name], CASES[name]
    result = outcome.result
    assert "Traceback" not in result.stdout + result.stderr
    assert outcome.after == outcome.before
    if case.code == 2:
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("usage: sprintboard"), result.stderr
        assert re.search(outcome.pattern, result.stderr.splitlines()[-1]), result.stderr
    else:
        assert_user_error(result, outcome.pattern)
    assert result.stdout == ""

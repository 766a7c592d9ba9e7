"""The bad-input table: every way a command can be given something wrong, each failing
cleanly (exit 1, or 2 for usage; one line naming the file; no traceback) and changing nothing.

The table is run once, in parallel, by a module fixture; each row is then its own
parametrized test.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .helpers import (
    DEMO,
    HEAD,
    WORKERS,
    Demo,
    assert_user_error,
    card,
    copy_demo,
    execute,
    snapshot,
)

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


def add(title: str, says: str) -> Case:
    """`add demo TITLE`, refused with `DEMO: new card: SAYS` (a regex)."""
    return Case(("add", "demo", title), f"{DEMO}: new card: {says}")


def edit(assignment: str, says: str) -> Case:
    """`edit demo <w> --set ASSIGNMENT`, refused with `DEMO: SAYS` (a regex)."""
    return Case(("edit", "demo", "<w>", "--set", assignment), f"{DEMO}: {says}")


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
    "edit by= an unknown member": edit(
        "by=anna,ghost", r"card <w>: 'ghost' is not a member of this board"
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
    "title with a newline": add("two\nlines", r"title 'two\\nlines' must be one line of text"),
    "empty title": add("", r"title '' must be one line"),
    "10,000-character title with a newline": add(
        TEN_THOUSAND_WITH_NEWLINE, r"title 'a{40}…' must be"
    ),
    "edit a title to two lines": edit("title=a\nb", r"card <w>: title 'a\\nb' must be one line"),
    "edit a field that is not editable": edit(
        "stage=test", r"'stage' is not a field you can edit \(fields: title, tags, by, body,"
    ),
    "edit without =": edit("title", r"--set takes FIELD=VALUE, not 'title'$"),
    "edit an unknown decision": edit(
        "decision=maybe", r"card <w>: decision 'maybe' is not one of persevere, pivot, scale, stop$"
    ),
    "a lone carriage return": edit(
        "body=a\rb", r"card <w>: body 'a\\rb' must not contain carriage returns"
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
    # git commands (git's own errors, one line too: exit 1)
    "resolve --card without --take": Case(
        ("resolve", "demo", "--card", "<w>"), rf"{DEMO}: --card and --field go with --take ours\|"
    ),
    "resolve --take, no conflict": Case(
        ("resolve", "demo", "--take", "ours"), rf"{DEMO}: no conflict to decide$"
    ),
    "resolve --take, no conflict in the field on the card": Case(
        ("resolve", "demo", "--take", "theirs", "--card", "<w>", "--field", "title"),
        rf"{DEMO}: no conflict in title on card <w> to decide$",
    ),
    "resolve --take, no conflict in the field": Case(
        ("resolve", "demo", "--take", "ours", "--field", "title"),
        rf"{DEMO}: no conflict in title to decide$",
    ),
    "resolve --take, no conflict on the card": Case(
        ("resolve", "demo", "--take", "ours", "--card", "<k>"),
        rf"{DEMO}: no conflict on card <k> to decide$",
    ),
    "sync outside a git repository": Case(
        ("sync", "demo"), r"/\S+: not inside a git repository; boards are shared through one"
    ),
    "git-setup outside a git repository": Case(
        ("git-setup",), r"/\S+: not inside a git repository"
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

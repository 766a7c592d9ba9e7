"""The card commands: add, move, edit, archive, restore, delete, vote; who acts; many
writers at once; text that tries to break the file."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .helpers import (
    DEMO,
    ID,
    SPRINTBOARD,
    Demo,
    Job,
    acts,
    assert_user_error,
    cards,
    make_env,
    ok,
    run_many,
    show,
    toml,
)


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

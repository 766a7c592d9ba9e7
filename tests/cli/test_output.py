"""What the commands print: `list` and `show` as text, the JSON contract of `--json`, and
output on a terminal that cannot show the text."""

from __future__ import annotations

import json
import re

from .helpers import TEXT_KEYS, WORKSHOP, Demo, Job, acts, cards, make_env, ok, run_many, show

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
UTC_SECOND = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


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

"""The board commands: new, member, validate, fmt (members and who acts: test_people)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from .helpers import (
    DEMO,
    HEAD,
    WORKSHOP,
    Demo,
    assert_user_error,
    card,
    cards,
    ok,
    run,
    snapshot,
    toml,
)


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


def test_member_adds_and_changes_keeping_what_is_not_given(demo: Demo) -> None:
    ok(demo.root, "member", "demo", "nanna", "--name", "Nanna H.", "--side", "internal")
    ok(demo.root, "member", "demo", "anna", "--role", "frontline")
    members = toml(demo.path)["members"]
    assert members["nanna"] == {"name": "Nanna H.", "side": "internal"}
    assert members["anna"] == {"name": "Anna K.", "side": "internal", "role": "frontline"}
    assert list(members) == ["anna", "nanna", "omar"]


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

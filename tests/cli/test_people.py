"""Who acts from the command line: --as anywhere, names mapped to members, the note for
someone who is not a member, listing members, `new --wip/--facilitator`, unusable names.

Every test runs the real executable in `tmp_path` (`helpers`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .helpers import (
    DEMO,
    NOT_MEMBER,
    Demo,
    assert_user_error,
    make_env,
    ok,
    run,
    toml,
)


def with_git_name(root: Path, name: str, **changes: str | None) -> dict[str, str]:
    """An environment where nobody said who acts, and git's user.name is `name`."""
    env = make_env(root, SPRINTBOARD_USER=None, **changes)
    Path(env["GIT_CONFIG_GLOBAL"]).write_text(f"[user]\n\tname = {name}\n")
    return env


# --- --as before or after the command ------------------------------------------------


def test_as_is_accepted_after_the_command_too(demo: Demo) -> None:
    ok(demo.root, "vote", "demo", demo.walk, "--as", "anna", "--dots", "2")
    ok(demo.root, "--as", "omar", "vote", "demo", demo.walk)
    # after the command wins over before it
    ok(demo.root, "--as", "omar", "vote", "demo", demo.popup, "--as", "anna")
    cards = toml(demo.path)["cards"]
    assert cards[demo.walk]["votes"] == {"anna": 2, "omar": 1}
    assert cards[demo.popup]["votes"] == {"anna": 1}
    cid = ok(demo.root, "add", "demo", "Late --as", "--as", "omar").strip()
    ok(demo.root, "move", "demo", cid, "test", "--as", "anna")
    history = [h["by"] for h in toml(demo.path)["cards"][cid]["history"]]
    assert history == ["omar", "anna"]
    assert toml(demo.path)["cards"][cid]["by"] == ["omar"]


# --- a name that is a member's -------------------------------------------------------


def test_git_user_name_matching_a_member_acts_as_that_member(demo: Demo) -> None:
    ok(demo.root, "member", "demo", "nanna", "--name", "Nanna Facilitator", "--side", "internal")
    env = with_git_name(demo.root, "nanna  facilitator")  # case and spacing do not matter
    cid = ok(demo.root, "add", "demo", "Hers", env=env).strip()
    ok(demo.root, "vote", "demo", cid, env=env)
    card = toml(demo.path)["cards"][cid]
    assert card["by"] == ["nanna"] and card["votes"] == {"nanna": 1}
    assert [h["by"] for h in card["history"]] == ["nanna"]
    # a key in other case, and --by by name, work too
    other = ok(demo.root, "--as", "OMAR", "add", "demo", "His", "--by", "anna k.").strip()
    card = toml(demo.path)["cards"][other]
    assert card["by"] == ["anna"] and card["history"][0]["by"] == "omar"


def test_someone_who_is_not_a_member_is_told_once_how_to_join(demo: Demo) -> None:
    env = with_git_name(demo.root, "Nanna Facilitator")
    added = run(demo.root, "add", "demo", "Not hers yet", env=env)
    assert added.returncode == 0
    assert added.stderr == (
        f"{DEMO}: you act as 'Nanna Facilitator', who is not a member of this board "
        "(members: anna, omar): `sprintboard member demo nanna --name 'Nanna Facilitator' "
        "--side internal` adds you (or --side external); `--as KEY` acts as a member\n"
    )
    cid = added.stdout.strip()
    assert "by" not in toml(demo.path)["cards"][cid]  # no co-creator
    voted = run(demo.root, "vote", "demo", cid, env=env)
    assert_user_error(voted, rf"{DEMO}: cannot vote: you act as 'Nanna Facilitator', who is not")
    # the command it gives works, and then she is that member
    ok(demo.root, "member", "demo", "nanna", "--name", "Nanna Facilitator", "--side", "internal")
    ok(demo.root, "vote", "demo", cid, env=env)
    assert toml(demo.path)["cards"][cid]["votes"] == {"nanna": 1}
    # the same for moves, edits and archiving (tester is no member either); nothing for reading
    told = NOT_MEMBER.replace("anna, omar", "anna, nanna, omar")
    for args in (
        ("move", "demo", demo.walk, "test"),
        ("edit", "demo", demo.walk, "--set", "body=x"),
    ):
        assert run(demo.root, *args).stderr == told
    assert run(demo.root, "archive", "demo", demo.walk).stderr == told
    assert run(demo.root, "list", "demo").stderr == ""


def test_no_note_on_a_board_without_members(tmp_path: Path) -> None:
    ok(tmp_path, "new", "solo", "--title", "Solo")
    ok(tmp_path, "add", "solo", "Just me")


def test_a_member_with_the_first_name_as_key_is_offered_the_name(tmp_path: Path) -> None:
    # `new --facilitator nanna` made a member named "nanna"; git knows her as "Nanna O'Hara"
    ok(tmp_path, "new", "x", "--title", "X", "--facilitator", "nanna")
    env = with_git_name(tmp_path, "Nanna O'Hara")
    note = run(tmp_path, "add", "x", "t", env=env).stderr
    assert note == (
        'boards/x.toml: you act as "Nanna O\'Hara", who is not a member of this board '
        "(members: nanna): if you are nanna, `sprintboard member x nanna --name "
        "'Nanna O'\"'\"'Hara'` gives that member your name; `--as KEY` acts as a member\n"
    )
    # the command it gives, run by her (she is no facilitator yet: joining is open)
    ok(tmp_path, "member", "x", "nanna", "--name", "Nanna O'Hara", env=env)
    assert ok(tmp_path, "add", "x", "hers", env=env)


# --- listing members ------------------------------------------------------------------


def test_members_lists_text_and_json(demo: Demo) -> None:
    assert ok(demo.root, "members", "demo") == (
        "anna  Anna K.  (internal, x)\nomar  Omar S.  (external)\n"
    )
    assert ok(demo.root, "member", "demo") == ok(demo.root, "members", "demo")
    assert json.loads(ok(demo.root, "members", "demo", "--json")) == [
        {"key": "anna", "name": "Anna K.", "side": "internal", "role": "x", "facilitator": False},
        {"key": "omar", "name": "Omar S.", "side": "external", "role": None, "facilitator": False},
    ]
    assert_user_error(
        run(demo.root, "member", "demo", "--name", "X"),
        rf"{DEMO}: --name, --side and --role need a KEY$",
    )


def test_members_of_an_empty_board(tmp_path: Path) -> None:
    ok(tmp_path, "new", "b", "--title", "B")
    assert ok(tmp_path, "members", "b") == (
        "no members yet: sprintboard member b KEY --name NAME --side internal|external\n"
    )
    assert json.loads(ok(tmp_path, "members", "b", "--json")) == []


# --- new --wip and --facilitator ------------------------------------------------------


def test_new_with_wip_limits_and_facilitators(tmp_path: Path) -> None:
    ok(
        tmp_path,
        *("new", "b", "--title", "B", "--wip", "test=3", "--wip", "prototype=2"),
        *("--facilitator", "nanna", "--facilitator", "sofie"),
    )
    data = toml(tmp_path / "boards/b.toml")
    assert data["wip"] == {"prototype": 2, "test": 3}
    assert data["sprint"]["facilitators"] == ["nanna", "sofie"]
    assert data["members"]["nanna"] == {"name": "nanna", "side": "internal", "role": "facilitator"}
    listed = json.loads(ok(tmp_path, "members", "b", "--json"))
    assert [(m["key"], m["facilitator"]) for m in listed] == [("nanna", True), ("sofie", True)]
    assert ok(tmp_path, "list", "b").startswith("idea (0)\nprototype (0/2)\ntest (0/3)\n")
    # renamed (by a facilitator: the board names some), still facilitator
    ok(tmp_path, "member", "b", "nanna", "--name", "Nanna H.", "--as", "sofie")
    assert "nanna  Nanna H.  (internal, facilitator)\n" in ok(tmp_path, "members", "b")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--wip", "test"), r"argument --wip: 'test' is not STAGE=N"),
        (("--wip", "done=2"), r"argument --wip: 'done=2' is not STAGE=N"),
        (("--wip", "test=-1"), r"argument --wip: 'test=-1' is not STAGE=N"),
    ],
)
def test_new_refuses_bad_wip(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = run(tmp_path, "new", "b", "--title", "B", *args)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert not (tmp_path / "boards/b.toml").exists()


def test_new_refuses_a_zero_limit_and_a_bad_facilitator_key(tmp_path: Path) -> None:
    zero = run(tmp_path, "new", "b", "--title", "B", "--wip", "test=0")
    assert_user_error(zero, r"boards/b\.toml: test must be at least 1, not 0$")
    bad = run(tmp_path, "new", "b", "--title", "B", "--facilitator", "a b")
    assert_user_error(bad, r"boards/b\.toml: .*'a b'")
    assert not (tmp_path / "boards/b.toml").exists()


# --- unusable names -------------------------------------------------------------------


@pytest.mark.parametrize("name", [" ", "\t", "anna\x1b[31m", "a\u202eb", "x" * 101])
@pytest.mark.parametrize("command", ["add", "move"])
def test_an_unusable_name_is_one_clean_error(
    demo: Demo,
    name: str,
    command: str,
) -> None:
    args = ("add", "demo", "t") if command == "add" else ("move", "demo", demo.walk, "test")
    before = demo.path.read_bytes()
    for how, env in (
        ("--as", make_env(demo.root)),
        ("SPRINTBOARD_USER", make_env(demo.root, SPRINTBOARD_USER=name)),
    ):
        given = (*args, "--as", name) if how == "--as" else args
        result = run(demo.root, *given, env=env)
        assert_user_error(result, rf"sprintboard: {how}: '.*' is not a usable name: it ")
        assert "\x1b" not in result.stderr and "\t" not in result.stderr
    assert demo.path.read_bytes() == before


def test_spaces_around_a_name_are_dropped(demo: Demo) -> None:
    cid = ok(demo.root, "add", "demo", "x", "--as", "  anna ").strip()
    assert toml(demo.path)["cards"][cid]["by"] == ["anna"]


def test_an_unusable_git_user_name_falls_back_to_the_login_name(demo: Demo) -> None:
    env = with_git_name(demo.root, '"a\\tb"')  # git config reads the escape as a tab
    result = run(demo.root, "add", "demo", "From the login", env=env)
    assert result.returncode == 0 and "login-person" in result.stderr
    cid = result.stdout.strip()
    assert toml(demo.path)["cards"][cid]["history"][0]["by"] == "login-person"

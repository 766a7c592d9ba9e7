"""Who may change the team from the command line: facilitators, and anyone joining.

Every test runs the real executable in `tmp_path` (`helpers`)."""

from __future__ import annotations

from pathlib import Path

from .helpers import assert_user_error, make_env, ok, run, toml

BOARD = "boards/b.toml"


def _board(tmp_path: Path) -> None:
    ok(tmp_path, "new", "b", "--title", "B", "--facilitator", "nanna")
    ok(tmp_path, "member", "b", "omar", "--name", "Omar", "--side", "external", "--as", "nanna")


def test_only_a_facilitator_adds_or_changes_someone_else(tmp_path: Path) -> None:
    _board(tmp_path)
    before = (tmp_path / BOARD).read_bytes()
    for args in (
        ("member", "b", "anna", "--name", "Anna", "--side", "internal", "--as", "omar"),
        ("member", "b", "omar", "--role", "citizen", "--as", "omar"),  # not even yourself
        ("member", "b", "nanna", "--name", "Not Nanna", "--as", "tester"),
    ):
        refused = run(tmp_path, *args)
        assert_user_error(refused, rf"^{BOARD}: Only a facilitator \(nanna\) can change the team$")
    assert (tmp_path / BOARD).read_bytes() == before
    ok(tmp_path, "member", "b", "omar", "--role", "citizen", "--as", "nanna")
    assert toml(tmp_path / BOARD)["members"]["omar"]["role"] == "citizen"


def test_joining_yourself_as_the_note_says_stays_open_to_anyone(tmp_path: Path) -> None:
    _board(tmp_path)
    env = make_env(tmp_path, SPRINTBOARD_USER="Sofie Lund")
    note = run(tmp_path, "add", "b", "Hers", env=env).stderr
    assert "`sprintboard member b sofie --name 'Sofie Lund' --side internal` adds you" in note
    ok(tmp_path, "member", "b", "sofie", "--name", "Sofie Lund", "--side", "external", env=env)
    member = toml(tmp_path / BOARD)["members"]["sofie"]
    assert member == {"name": "Sofie Lund", "side": "external"}
    # once a member, changing herself is a facilitator's to do
    assert_user_error(
        run(tmp_path, "member", "b", "sofie", "--role", "expert", env=env),
        rf"{BOARD}: Only a facilitator \(nanna\) can change the team$",
    )
    # a key that is not the one made from your name is not joining
    other = make_env(tmp_path, SPRINTBOARD_USER="Jonas Berg")
    assert_user_error(
        run(tmp_path, "member", "b", "jb", "--name", "Jonas Berg", "--side", "internal", env=other),
        rf"{BOARD}: Only a facilitator \(nanna\) can change the team$",
    )


def test_the_member_with_your_key_may_take_your_name_but_nothing_more(tmp_path: Path) -> None:
    _board(tmp_path)
    env = make_env(tmp_path, SPRINTBOARD_USER="Nanna Holm")
    assert_user_error(
        run(
            tmp_path,
            "member",
            "b",
            "nanna",
            "--name",
            "Nanna Holm",
            "--side",
            "external",
            env=env,
        ),
        rf"{BOARD}: Only a facilitator \(nanna\) can change the team$",
    )
    ok(tmp_path, "member", "b", "nanna", "--name", "Nanna Holm", env=env)
    assert toml(tmp_path / BOARD)["members"]["nanna"]["name"] == "Nanna Holm"


def test_a_board_without_facilitators_lets_everyone_change_the_team(tmp_path: Path) -> None:
    ok(tmp_path, "new", "b", "--title", "B")
    ok(tmp_path, "member", "b", "omar", "--name", "Omar", "--side", "external", "--as", "x")
    ok(tmp_path, "member", "b", "omar", "--role", "citizen", "--as", "omar")
    assert toml(tmp_path / BOARD)["members"]["omar"]["role"] == "citizen"

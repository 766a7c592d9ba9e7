"""Who acts and which member that is, without the command line."""

from __future__ import annotations

import pytest

from sprintboard import identity
from sprintboard.model import Board

BOARD = Board.model_validate(
    {
        "schema": 1,
        "title": "B",
        "members": {
            "anna": {"name": "Anna B.", "side": "external"},
            "nanna": {"name": "Nanna Facilitator", "side": "internal"},
            "o1": {"name": "Omar", "side": "external"},
            "o2": {"name": "omar", "side": "external"},
        },
    }
)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("anna", "anna"),
        ("ANNA", "anna"),
        ("anna b.", "anna"),
        ("  Nanna   facilitator ", "nanna"),
        ("Omar", None),  # two members are named so: --as KEY decides
        ("o2", "o2"),
        ("Sofie", None),
    ],
)
def test_member_key(name: str, key: str | None) -> None:
    assert identity.member_key(BOARD.members, name) == key


def test_display_name_and_acting() -> None:
    assert identity.display_name(BOARD.members, "nanna") == "Nanna Facilitator"
    assert identity.display_name(BOARD.members, "sofie") == "sofie"
    assert identity.acting(BOARD, "anna b.") == "anna"
    assert identity.acting(None, "anna b.") == "anna b."


@pytest.mark.parametrize(
    ("name", "why"),
    [
        (" ", "it is blank"),
        ("", "it is blank"),
        ("a\tb", "U+0009"),
        ("a\x1b[2J", "U+001B"),
        ("a\u202eb", "U+202E"),
        ("x" * 101, "longer than 100"),
    ],
)
def test_unusable_names(name: str, why: str) -> None:
    problem = identity.problem(name)
    assert problem is not None and why in problem
    with pytest.raises(identity.IdentityError, match=r"^--as: '.*' is not a usable name: it "):
        identity.checked(name, "--as")


def test_usable_names_and_where_they_come_from(monkeypatch: pytest.MonkeyPatch) -> None:
    assert identity.problem("Søren Ø. Kierkegaard-Æble") is None
    assert identity.whoami(" anna ", {}) == "anna"
    assert identity.whoami(None, {"SPRINTBOARD_USER": "omar"}) == "omar"
    with pytest.raises(identity.IdentityError, match=r"^SPRINTBOARD_USER: "):
        identity.whoami(None, {"SPRINTBOARD_USER": "\t"})
    monkeypatch.setattr(identity, "_git_name", lambda: "bad\tname")
    monkeypatch.setattr(identity, "_login_name", lambda: "login")
    assert identity.whoami(None, {"SPRINTBOARD_USER": ""}) == "login"
    monkeypatch.setattr(identity, "_login_name", lambda: "")
    assert identity.whoami(None, {}) == "unknown"


def test_suggested_key_and_how_to_join() -> None:
    assert identity.suggested_key("Sofie Lund") == "sofie"
    assert identity.suggested_key("José Ødegård") == "jose"
    assert identity.suggested_key("李") == "me"  # nothing a key can hold
    assert identity.join_hint("x", BOARD.members, "Sofie Lund") == (
        "`sprintboard member x sofie --name 'Sofie Lund' --side internal` adds you "
        "(or --side external)"
    )
    assert identity.join_hint("a b.toml", BOARD.members, "Anna Smith").startswith(
        "if you are anna, `sprintboard member 'a b.toml' anna --name 'Anna Smith'`"
    )
    assert identity.not_member(BOARD, "anna b.", "x") is None
    assert identity.not_member(Board.model_validate({"schema": 1, "title": "B"}), "z", "x") is None

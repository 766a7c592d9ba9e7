"""Link invitations in the store: their tokens, opening once, states, the file, and
opening across processes."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sprintboard.invitations import TOKEN_LENGTH, InvitationError, Invitations, is_token
from sprintboard.invitations import store as store_module

from .test_invitations import ED25519, LATER, NOW, race

BOARD = Path("/boards/b.toml")


@pytest.fixture
def store(tmp_path: Path) -> Invitations:
    folder = tmp_path / "state"
    folder.mkdir(mode=0o700)
    return Invitations(folder)


def link(store: Invitations, member: str = "anna", **options: Any) -> tuple[str, str]:
    values: dict[str, Any] = {"expires": LATER, "by": "nanna", "now": NOW}
    values.update(options)
    invitation, token = store.add_link(BOARD, member, **values)
    return invitation.id, token


def document(store: Invitations) -> dict[str, Any]:
    return json.loads(store.path.read_text())  # type: ignore[no-any-return]


def rewrite(store: Invitations, change: Any) -> None:
    """Change the file's records as another program (or an older sprintboard) might."""
    data = document(store)
    for record in data["invitations"]:
        change(record)
    store.path.write_text(json.dumps(data))


def test_a_link_round_trip(store: Invitations) -> None:
    invitation, token = store.add_link(BOARD, "anna", expires=LATER, by="nanna", now=NOW)
    assert len(token) == TOKEN_LENGTH == 43
    assert is_token(token)
    assert len(base64.urlsafe_b64decode(token + "=")) == 32
    assert (invitation.kind, invitation.member, invitation.board) == ("link", "anna", BOARD)
    assert (invitation.once, invitation.uses, invitation.opened) == (False, 0, None)
    assert invitation.state(NOW) == "active"
    assert store.match_link(token) == invitation
    # another process's store reads the same record back
    assert Invitations(store.folder).match_link(token) == invitation
    assert Invitations(store.folder).get(invitation.id) == invitation


def test_tokens_are_fresh_and_each_opens_its_own(store: Invitations) -> None:
    made = [link(store, f"m{number}") for number in range(5)]
    assert len({token for _, token in made}) == 5
    for id_, token in made:
        found = store.match_link(token)
        assert found is not None and found.id == id_


def test_a_link_opens_once_and_then_counts_joins(store: Invitations) -> None:
    id_, token = link(store)
    at = NOW + timedelta(minutes=5)
    opened = store.open_link(id_, at)
    assert opened is not None
    assert (opened.opened, opened.uses, opened.last_used) == (at, 1, at)
    assert opened.state(at) == "active"  # the browser that opened it keeps the board
    assert store.open_link(id_, at + timedelta(seconds=1)) is None
    assert Invitations(store.folder).open_link(id_, at + timedelta(seconds=2)) is None
    # still found, so the server can tell "opened already" from "no such link"
    again = store.match_link(token)
    assert again is not None and again.opened == at
    later = store.use(id_, at + timedelta(hours=1))
    assert later is not None and (later.uses, later.opened) == (2, at)


def test_revoked_and_expired_links_are_found_but_do_not_open(store: Invitations) -> None:
    revoked_id, revoked_token = link(store, "anna")
    expired_id, expired_token = link(store, "omar", expires=NOW + timedelta(minutes=1))
    assert [i.id for i in store.revoke("anna", NOW)] == [revoked_id]
    found = store.match_link(revoked_token)
    assert found is not None and found.state(NOW) == "revoked"
    assert store.open_link(revoked_id, NOW) is None
    after = NOW + timedelta(minutes=1)
    found = store.match_link(expired_token)
    assert found is not None and found.state(after) == "expired"
    assert store.open_link(expired_id, after) is None
    assert store.get(expired_id).opened is None  # type: ignore[union-attr]
    # still in time, it opens
    assert store.open_link(expired_id, NOW) is not None


def test_a_revoked_opened_link_is_seen_revoked(store: Invitations) -> None:
    id_, token = link(store)
    assert store.open_link(id_, NOW) is not None
    assert [i.id for i in store.revoke(id_, NOW)] == [id_]
    found = store.match_link(token)
    assert found is not None and found.state(NOW) == "revoked" and found.opened == NOW
    assert store.use(id_, NOW) is None


def test_only_links_open(store: Invitations) -> None:
    code = store.add_code(BOARD, "anna", expires=LATER, once=False, by="nanna", now=NOW)[0]
    key = store.add_key(BOARD, "omar", ED25519, expires=LATER, by="nanna", now=NOW)
    assert store.open_link(code.id, NOW) is None
    assert store.open_link(key.id, NOW) is None
    assert store.open_link("nosuch", NOW) is None
    assert store.get(code.id).uses == 0  # type: ignore[union-attr]


def test_wrong_tokens_match_nothing(store: Invitations) -> None:
    _, token = link(store)
    other = secrets.token_urlsafe(32)
    assert is_token(other)
    assert store.match_link(other) is None
    for wrong in [
        "",
        token[:-1],
        token + "A",
        token[1:] + token[0] if token[1:] + token[0] != token else "",
        token.upper() if token.upper() != token else token.lower(),
        token + "\n",
        " " + token[1:],
        token[:-1] + "=",
        token[:20] + "+" + token[21:],
        token[:20] + "/" + token[21:],
        token[:20] + "é" + token[21:],
        token[:20] + "\x00" + token[21:],
        token * 100,
    ]:
        assert store.match_link(wrong) is None, wrong


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a",
        "A" * 42,
        "A" * 44,
        "A" * 42 + "B",  # its last symbol would carry bits that 32 bytes do not have
        "A" * 42 + "=",
        "A" * 41 + "+A",
        "A" * 41 + "/A",
        "A" * 41 + ".A",
        "A" * 41 + "%A",
        "A" * 41 + "\nA",
        "A" * 41 + "ÅA",
        "A" * 41 + "٣A",
        "A" * 10_000,
    ],
)
def test_a_token_of_the_wrong_shape_is_not_hashed(
    store: Invitations, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    link(store)

    def refused(token: str) -> bytes:
        raise AssertionError(f"hashed {token!r}")

    monkeypatch.setattr(store_module, "token_digest", refused)
    assert not is_token(text)
    assert store.match_link(text) is None


def test_every_made_token_has_the_shape() -> None:
    from sprintboard.invitations.links import new_token

    for _ in range(500):
        assert is_token(new_token())


def test_the_file_holds_no_token(store: Invitations) -> None:
    id_, token = link(store)
    store.open_link(id_, NOW)
    data = store.path.read_bytes()
    raw = base64.urlsafe_b64decode(token + "=")
    for clear in (token.encode(), raw, raw.hex().encode(), base64.b64encode(raw).rstrip(b"=")):
        assert clear not in data
    (record,) = document(store)["invitations"]
    assert record["hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert (record["kind"], record["opened"], record["once"]) == ("link", NOW.isoformat(), False)


def test_code_and_key_matching_ignore_links(store: Invitations) -> None:
    """A code's match looks at code records only, a key's at key records only, a token's
    at link records only: a record made a link (another program, a bug) lets nobody in
    by code or key."""
    code = store.add_code(BOARD, "anna", expires=LATER, once=False, by="nanna", now=NOW)[1]
    store.add_key(BOARD, "omar", ED25519, expires=LATER, by="nanna", now=NOW)
    assert store.match_code(code, NOW) is not None
    assert store.match_key(ED25519, NOW) != []

    def made_link(record: dict[str, Any]) -> None:
        if record["kind"] == "key":
            record["hash"] = "00" * 32
        record["kind"] = "link"

    rewrite(store, made_link)
    assert store.match_code(code, NOW) is None
    assert store.match_key(ED25519, NOW) == []


def test_a_code_record_does_not_open_as_a_link(store: Invitations) -> None:
    id_, token = link(store)

    def made_code(record: dict[str, Any]) -> None:
        record["kind"] = "code"

    rewrite(store, made_code)
    assert store.match_link(token) is None
    assert store.open_link(id_, NOW) is None


def test_a_file_from_before_links_still_reads(store: Invitations) -> None:
    code_invitation, code = store.add_code(
        BOARD, "anna", expires=LATER, once=True, by="nanna", now=NOW
    )
    id_, token = link(store, "omar")

    def older(record: dict[str, Any]) -> None:
        del record["opened"]

    rewrite(store, older)
    assert "opened" not in store.path.read_text()
    fresh = Invitations(store.folder)
    assert fresh.match_code(code, NOW) == code_invitation
    found = fresh.match_link(token)
    assert found is not None and found.opened is None
    assert fresh.open_link(id_, NOW) is not None
    assert all("opened" in record for record in document(store)["invitations"])


@pytest.mark.parametrize("value", ["", "00" * 31, "00" * 33, "zz" * 32, None, 7])
def test_a_link_with_a_wrong_hash_is_a_wrong_file(store: Invitations, value: object) -> None:
    link(store)

    def broken(record: dict[str, Any]) -> None:
        record["hash"] = value

    rewrite(store, broken)
    before = store.path.read_bytes()
    with pytest.raises(InvitationError, match="hash is wrong"):
        Invitations(store.folder).all()
    assert store.path.read_bytes() == before


def test_a_wrong_opened_is_a_wrong_file(store: Invitations) -> None:
    link(store)

    def broken(record: dict[str, Any]) -> None:
        record["opened"] = "yesterday"

    rewrite(store, broken)
    with pytest.raises(InvitationError, match="opened is wrong"):
        Invitations(store.folder).all()


def test_revoke_by_id_or_member_ends_links(store: Invitations) -> None:
    first, _ = link(store, "anna")
    second, _ = link(store, "anna")
    third, _ = link(store, "omar")
    assert [i.id for i in store.revoke(third, NOW)] == [third]
    assert sorted(i.id for i in store.revoke("anna", NOW)) == sorted([first, second])
    assert {i.state(NOW) for i in store.all()} == {"revoked"}


def test_an_opening_by_another_store_is_seen_at_once(store: Invitations) -> None:
    id_, token = link(store)
    assert store.match_link(token).opened is None  # type: ignore[union-attr]  # cached now
    assert Invitations(store.folder).open_link(id_, NOW) is not None
    assert store.match_link(token).opened == NOW  # type: ignore[union-attr]


# across processes


def test_browsers_racing_on_one_link_exactly_one_opens_it(store: Invitations) -> None:
    for turn in range(3):
        id_, _ = link(store, f"racer{turn}")
        assert sorted(race(store, id_, "open_link")) == [False, False, False, True]
        opened = store.get(id_)
        assert opened is not None and (opened.uses, opened.opened) == (1, NOW)


# tokens, at random

URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@pytest.fixture(scope="module")
def known_link(tmp_path_factory: pytest.TempPathFactory) -> tuple[Invitations, str]:
    store = Invitations(tmp_path_factory.mktemp("state"))
    _, token = store.add_link(BOARD, "anna", expires=None, by="x", now=NOW)
    return store, token


@settings(max_examples=80, deadline=None)
@given(
    text=st.one_of(
        st.text(max_size=100),
        st.text(alphabet=URL_SAFE + "+/=.~%", min_size=40, max_size=46),
    )
)
def test_any_text_never_crashes_nor_opens_a_wrong_link(
    known_link: tuple[Invitations, str], text: str
) -> None:
    store, token = known_link
    found = store.match_link(text)
    assert (found is not None) == (text == token)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_a_token_one_symbol_off_matches_nothing(
    known_link: tuple[Invitations, str], data: st.DataObject
) -> None:
    store, token = known_link
    where = data.draw(st.integers(0, len(token) - 1))
    other = data.draw(st.sampled_from([s for s in URL_SAFE if s != token[where]]))
    assert store.match_link(token[:where] + other + token[where + 1 :]) is None
    assert store.match_link(token) is not None

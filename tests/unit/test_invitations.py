"""The invitations store: codes, keys, states, the file on disk, and use across processes."""

from __future__ import annotations

import base64
import json
import multiprocessing
import os
import stat
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sprintboard.invitations import (
    ALPHABET,
    KEPT,
    Invitation,
    InvitationError,
    Invitations,
    normal_code,
    parse_public_key,
)

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=8)
ED25519 = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBbHHAQWtTg3tYnPHaTzFxdQkQLHGO4r8ClZtvhWV1cR anna@laptop"
)


@pytest.fixture
def store(tmp_path: Path) -> Invitations:
    folder = tmp_path / "state"
    folder.mkdir(mode=0o700)
    return Invitations(folder)


def add(store: Invitations, member: str = "anna", **options: object) -> tuple[str, str]:
    defaults: dict[str, object] = {"expires": LATER, "once": False, "by": "nanna", "now": NOW}
    defaults.update(options)
    invitation, code = store.add_code(Path("/boards/b.toml"), member, **defaults)  # type: ignore[arg-type]
    return invitation.id, code


def test_a_code_round_trip(store: Invitations) -> None:
    invitation, code = store.add_code(
        Path("/boards/b.toml"), "anna", expires=LATER, once=False, by="nanna", now=NOW
    )
    assert len(code) == 11 and code[3] == code[7] == "-"
    assert all(symbol in ALPHABET for symbol in code.replace("-", ""))
    assert len(invitation.id) == 6 and invitation.id == invitation.id.lower()
    assert invitation.state(NOW) == "active"
    found = store.match_code(code, NOW)
    assert found == invitation
    assert store.get(invitation.id) == invitation
    assert store.all() == [invitation]
    assert (found.board, found.member, found.by, found.kind) == (
        Path("/boards/b.toml"),
        "anna",
        "nanna",
        "code",
    )
    # a second store object, as another process would make it, reads the same
    assert Invitations(store.folder).match_code(code, NOW) == invitation


def test_codes_are_typed_forgivingly(store: Invitations) -> None:
    _, code = add(store)
    plain = code.replace("-", "")
    sloppy = [
        code.lower(),
        plain,
        " ".join(plain),
        f"  {code[:3]}.{code[4:7]} {code[8:]}  ",
        plain.replace("0", "o").replace("1", "l"),
        plain.replace("1", "I").lower(),
    ]
    for typed in sloppy:
        assert store.match_code(typed, NOW) is not None, typed


def test_normal_code_refuses_what_cannot_be_a_code() -> None:
    assert normal_code("7kq-m2x-9td") == "7KQM2X9TD"
    assert normal_code("oil-oil-oil") == "011011011"
    for typed in ["", "7KQM2X9T", "7KQM2X9TDD", "7KQ-M2X-9TU", "7KQ_M2X_9TD", "7KQM2X9TD" * 8]:
        assert normal_code(typed) is None, typed
    assert normal_code("-" * 60 + "7KQM2X9TD") is None  # too long to hash, whatever it holds


def test_wrong_expired_revoked_and_used_codes_match_nothing(store: Invitations) -> None:
    id_a, code_a = add(store)
    wrong = code_a[:-1] + ("0" if code_a[-1] != "0" else "1")
    assert store.match_code(wrong, NOW) is None
    assert store.match_code(code_a, LATER) is None  # expired at its expiry
    assert store.match_code(code_a, LATER - timedelta(seconds=1)) is not None
    assert store.get(id_a) is not None and store.get(id_a).state(LATER) == "expired"  # type: ignore[union-attr]

    id_b, code_b = add(store, "omar")
    assert [i.id for i in store.revoke(id_b, NOW)] == [id_b]
    assert store.match_code(code_b, NOW) is None
    assert store.get(id_b).state(NOW) == "revoked"  # type: ignore[union-attr]

    id_c, code_c = add(store, "olga", once=True)
    assert store.use(id_c, NOW) is not None
    assert store.match_code(code_c, NOW) is None
    assert store.use(id_c, NOW) is None
    assert store.get(id_c).state(NOW) == "used"  # type: ignore[union-attr]
    # the others are untouched
    assert store.match_code(code_a, NOW) is not None


def test_state_order() -> None:
    base = Invitation(
        id="abcdef",
        board=Path("/b.toml"),
        member="anna",
        kind="code",
        created=NOW,
        expires=LATER,
        once=True,
        uses=1,
        last_used=NOW,
        revoked=NOW,
        key=None,
        by="nanna",
    )
    assert base.state(LATER) == "revoked"
    assert replace(base, revoked=None).state(LATER) == "used"
    assert replace(base, revoked=None, uses=0).state(LATER) == "expired"
    assert replace(base, revoked=None, uses=0).state(NOW) == "active"
    assert replace(base, revoked=None, uses=5, once=False).state(NOW) == "active"
    assert replace(base, revoked=None, uses=0, expires=None).state(LATER + KEPT) == "active"


def test_use_counts_and_stamps(store: Invitations) -> None:
    id_a, _ = add(store)
    first = store.use(id_a, NOW + timedelta(minutes=1))
    second = store.use(id_a, NOW + timedelta(minutes=2))
    assert first is not None and second is not None
    assert (first.uses, second.uses) == (1, 2)
    assert second.last_used == NOW + timedelta(minutes=2)
    assert store.get(id_a) == second
    assert store.use("nosuch", NOW) is None
    assert store.use(id_a, LATER) is None  # expired


def test_revoke_by_member_and_board(store: Invitations) -> None:
    id_a, _ = add(store, "anna")
    id_b, _ = add(store, "anna")
    other, _ = store.add_code(
        Path("/boards/other.toml"), "anna", expires=LATER, once=False, by="x", now=NOW
    )
    id_o, _ = add(store, "omar")
    ended = store.revoke("anna", NOW, board=Path("/boards/b.toml"))
    assert {i.id for i in ended} == {id_a, id_b}
    assert all(i.revoked == NOW for i in ended)
    assert store.get(other.id).state(NOW) == "active"  # type: ignore[union-attr]
    assert store.get(id_o).state(NOW) == "active"  # type: ignore[union-attr]
    assert store.revoke("anna", NOW, board=Path("/boards/b.toml")) == []  # already ended
    assert [i.id for i in store.revoke("anna", NOW)] == [other.id]
    assert store.revoke("nobody", NOW) == []
    # revoked records are kept, for `invites --all`
    assert len(store.all()) == 4


def test_stamp_changes_when_revoked(store: Invitations) -> None:
    assert store.stamp() is None
    id_a, _ = add(store)
    before = store.stamp()
    assert before is not None
    store.revoke(id_a, NOW)
    assert store.stamp() not in (None, before)


def test_the_file_holds_no_code(store: Invitations) -> None:
    codes = [add(store, f"m{n}")[1] for n in range(5)]
    data = store.path.read_bytes()
    for code in codes:
        for form in (code, code.replace("-", "")):
            assert form.encode() not in data
            assert form.lower().encode() not in data
    # it is JSON of the documented shape
    document = json.loads(data)
    assert document["version"] == 1
    assert len(document["invitations"]) == 5
    assert all(len(bytes.fromhex(record["hash"])) == 32 for record in document["invitations"])


def test_modes(store: Invitations) -> None:
    add(store)
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(store.folder / "invitations.json.lock").st_mode) == 0o600


def test_one_salt_per_store_file(store: Invitations) -> None:
    add(store)
    salt = json.loads(store.path.read_bytes())["salt"]
    add(store, "omar")
    assert json.loads(store.path.read_bytes())["salt"] == salt
    assert len(bytes.fromhex(salt)) == 16


def test_ids_are_unique(store: Invitations) -> None:
    ids = [add(store, f"m{n}")[0] for n in range(30)]
    assert len(set(ids)) == 30


def test_a_link_in_place_of_the_file_is_refused_and_left(store: Invitations) -> None:
    target = store.folder / "elsewhere.json"
    target.write_text("{}")
    store.path.symlink_to(target)
    with pytest.raises(InvitationError, match=r"invitations\.json"):
        store.all()
    with pytest.raises(InvitationError, match=r"invitations\.json"):
        add(store)
    assert store.path.is_symlink() and target.read_text() == "{}"


def test_a_link_in_place_of_the_lock_is_refused(store: Invitations) -> None:
    target = store.folder / "elsewhere"
    (store.folder / "invitations.json.lock").symlink_to(target)
    with pytest.raises(InvitationError, match="lock"):
        add(store)
    assert not target.exists() and not store.path.exists()


def test_a_fifo_in_place_of_the_file_is_refused_and_left(store: Invitations) -> None:
    os.mkfifo(store.path)
    with pytest.raises(InvitationError, match=r"invitations\.json"):
        store.match_code("7KQ-M2X-9TD", NOW)
    with pytest.raises(InvitationError, match=r"invitations\.json"):
        add(store)
    assert stat.S_ISFIFO(os.lstat(store.path).st_mode)


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'{"version": 2, "salt": "00", "invitations": []}',
        b'{"version": 1, "salt": "zz", "invitations": []}',
        b'{"version": 1, "salt": "' + b"00" * 16 + b'", "invitations": [{"id": "x"}]}',
        b"[" * 100_000,
        b'{"version": 1, "salt": "' + b"00" * 16 + b'", "cost": 18, "invitations": []}',
        b'{"version": 1, "salt": "' + b"00" * 16 + b'", "cost": true, "invitations": []}',
    ],
)
def test_a_corrupt_file_raises_and_is_not_overwritten(store: Invitations, content: bytes) -> None:
    store.path.write_bytes(content)
    for action in (
        store.all,
        lambda: store.match_code("7KQ-M2X-9TD", NOW),
        lambda: add(store),
        lambda: store.revoke("anna", NOW),
        lambda: store.use("abcdef", NOW),
    ):
        with pytest.raises(InvitationError, match=r"invitations\.json") as error:
            action()
        assert "\n" not in str(error.value)
    assert store.path.read_bytes() == content


def test_a_too_big_file_is_refused(store: Invitations) -> None:
    store.path.write_bytes(b" " * (5 << 20))
    with pytest.raises(InvitationError, match=r"invitations\.json"):
        store.all()


def test_old_ended_invitations_are_dropped_at_the_next_write(store: Invitations) -> None:
    ended_id, _ = add(store, "anna", expires=NOW + timedelta(hours=1))
    revoked_id, _ = add(store, "omar")
    store.revoke(revoked_id, NOW)
    open_id, _ = add(store, "olga", expires=None)
    later = NOW + KEPT + timedelta(hours=2)
    assert {i.id for i in store.all()} == {ended_id, revoked_id, open_id}  # reading drops nothing
    fresh, _ = add(store, "pia", now=later, expires=later + timedelta(hours=1))
    assert {i.id for i in store.all()} == {open_id, fresh}


# keys


def test_a_key_invitation(store: Invitations) -> None:
    invitation = store.add_key(
        Path("/boards/b.toml"), "nanna", ED25519, expires=None, by="nanna", now=NOW
    )
    assert invitation.kind == "key" and invitation.key == ED25519.rsplit(" ", 1)[0]
    assert store.match_key(ED25519.rsplit(" ", 1)[0], NOW) == [invitation]
    assert store.match_key(ED25519.replace("anna@laptop", "other"), NOW) == [invitation]
    assert store.match_code("7KQ-M2X-9TD", NOW) is None
    other = (
        "ssh-ed25519 " + base64.b64encode(b"\x00\x00\x00\x0bssh-ed25519" + b"\x01" * 36).decode()
    )
    assert store.match_key(other, NOW) == []
    assert store.match_key("garbage", NOW) == []
    store.revoke(invitation.id, NOW)
    assert store.match_key(ED25519, NOW) == []


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n",
            "private",
        ),
        ("ssh-dss AAAAB3NzaC1kc3MAAACBAP", "kind"),
        ("ssh-ed25519 not-base64!", "base64"),
        ("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIBbHHAQWtTg3tYnPHaTzFxdQkQLHGO4r8ClZtvhWV1cR", "type"),
        ("ssh-ed25519", "line"),
        ("", "line"),
        (ED25519 + "\n" + ED25519, "line"),
        ("ssh-ed25519 " + "A" * 20000, "line"),
    ],
)
def test_bad_keys_are_refused(store: Invitations, text: str, why: str) -> None:
    with pytest.raises(InvitationError, match=why):
        parse_public_key(text)
    with pytest.raises(InvitationError):
        store.add_key(Path("/b.toml"), "anna", text, expires=None, by="x", now=NOW)
    assert not store.path.exists()


# across processes


def _racer(folder: str, which: str, method: str, start: Any, results: Any) -> None:
    """In its own process: wait for the others, then try to use (or open) the invitation."""
    start.wait()
    results.put(getattr(Invitations(Path(folder)), method)(which, NOW) is not None)


def race(store: Invitations, which: str, method: str, racers: int = 4) -> list[bool]:
    """`racers` processes calling `method` (``use``, ``open_link``) on invitation `which`
    at once, each with a store of its own; whether each got it."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(racers)
    results = context.Queue()
    processes = [
        context.Process(target=_racer, args=(str(store.folder), which, method, start, results))
        for _ in range(racers)
    ]
    try:
        for process in processes:
            process.start()
        return [results.get(timeout=60) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()


def test_two_processes_racing_on_a_once_code_exactly_one_wins(store: Invitations) -> None:
    for turn in range(3):
        id_once, _ = add(store, f"racer{turn}", once=True)
        assert sorted(race(store, id_once, "use")) == [False, False, False, True]
        assert store.get(id_once).uses == 1  # type: ignore[union-attr]


# typed answers, at random


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> tuple[Invitations, str]:
    folder = tmp_path_factory.mktemp("state")
    store = Invitations(folder)
    _, code = store.add_code(Path("/b.toml"), "anna", expires=None, once=False, by="x", now=NOW)
    return store, code


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(typed=st.one_of(st.text(max_size=80), st.text(alphabet=ALPHABET + "-oil ", max_size=14)))
def test_typed_answers_never_crash_nor_match_a_wrong_code(
    known: tuple[Invitations, str], typed: str
) -> None:
    store, code = known
    found = store.match_code(typed, NOW)
    if found is not None:
        assert normal_code(typed) == code.replace("-", "")


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_code_one_symbol_off_matches_nothing(
    known: tuple[Invitations, str], data: st.DataObject
) -> None:
    store, code = known
    plain = code.replace("-", "")
    where = data.draw(st.integers(0, len(plain) - 1))
    other = data.draw(st.sampled_from([s for s in ALPHABET if s != plain[where]]))
    assert store.match_code(plain[:where] + other + plain[where + 1 :], NOW) is None
    assert store.match_code(plain, NOW) is not None


def test_a_change_by_another_store_is_seen_at_once(store: Invitations) -> None:
    # the server keeps one store object and its parsed file; invite/revoke are other processes
    id_a, code_a = add(store, "anna")
    id_b, code_b = add(store, "omar", once=True)
    assert store.match_code(code_a, NOW) is not None
    assert store.match_code(code_b, NOW) is not None
    other = Invitations(store.folder)
    other.revoke(id_a, NOW)
    assert store.match_code(code_a, NOW) is None
    assert other.use(id_b, NOW) is not None
    assert store.match_code(code_b, NOW) is None
    id_c, code_c = add(other, "olga")
    assert store.match_code(code_c, NOW) is not None
    assert {i.id for i in store.all()} == {id_a, id_b, id_c}
    store.path.write_text("{}")
    with pytest.raises(InvitationError):
        store.match_code(code_c, NOW)


@pytest.mark.parametrize("algorithm", ["ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"])
def test_keys_as_the_ssh_server_gives_them(store: Invitations, algorithm: str) -> None:
    # the server hands `match_key` what asyncssh exports of the client's key
    asyncssh = pytest.importorskip("asyncssh")
    options = {"key_size": 2048} if algorithm == "ssh-rsa" else {}
    client = asyncssh.generate_private_key(algorithm, comment="liv@laptop", **options)
    line = client.export_public_key().decode()
    invitation = store.add_key(Path("/b.toml"), "liv", line, expires=LATER, by="x", now=NOW)
    assert invitation.key is not None and "liv@laptop" not in invitation.key
    presented = client.convert_to_public()
    presented.set_comment(None)
    assert store.match_key(presented.export_public_key().decode(), NOW) == [invitation]
    other = asyncssh.generate_private_key(algorithm, **options).export_public_key().decode()
    assert store.match_key(other, NOW) == []
    assert store.match_key(line, LATER) == []  # expired
    with pytest.raises(InvitationError, match="private key"):
        store.add_key(
            Path("/b.toml"),
            "liv",
            client.export_private_key().decode(),
            expires=None,
            by="x",
            now=NOW,
        )


def test_a_file_keeps_the_cost_it_was_made_with(
    store: Invitations, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a later default must not break the codes already given out
    from sprintboard.invitations.codes import COST, Hashing

    monkeypatch.setattr(Hashing, "new", classmethod(lambda cls: cls(b"\x01" * 16, 10)))
    _, old = add(store, "anna")
    monkeypatch.undo()
    _, new = add(store, "omar")
    assert json.loads(store.path.read_bytes())["cost"] == 10 != COST
    assert store.match_code(old, NOW) is not None and store.match_code(new, NOW) is not None
    fresh = Invitations(store.folder.parent)
    add(fresh, "olga")
    assert json.loads(fresh.path.read_bytes())["cost"] == COST


def test_an_invitation_keeps_its_language(store: Invitations) -> None:
    _invitation, code = store.add_code(
        Path("/boards/b.toml"), "anna", expires=LATER, once=False, by="nanna", now=NOW,
        language="da",
    )  # fmt: skip
    link, _token = store.add_link(
        Path("/boards/b.toml"), "omar", expires=LATER, by="nanna", now=NOW, language="da"
    )
    plain, _code = store.add_code(
        Path("/boards/b.toml"), "bo", expires=LATER, once=False, by="nanna", now=NOW
    )
    fresh = Invitations(store.folder)
    assert fresh.match_code(code, NOW).language == "da"  # type: ignore[union-attr]
    assert fresh.get(link.id).language == "da"  # type: ignore[union-attr]
    assert fresh.get(plain.id).language is None  # type: ignore[union-attr]
    with pytest.raises(ValueError):
        store.add_code(
            Path("/boards/b.toml"), "anna", expires=LATER, once=False, by="nanna", now=NOW,
            language="xx",
        )  # fmt: skip


def test_a_store_written_before_languages_loads(store: Invitations) -> None:
    ident, code = add(store)
    document = json.loads(store.path.read_text())
    for record in document["invitations"]:
        del record["language"]
    store.path.write_text(json.dumps(document))
    found = Invitations(store.folder).match_code(code, NOW)
    assert found is not None and found.id == ident and found.language is None


@pytest.mark.parametrize(
    "value",
    [
        "xx",
        "$(id)",
        "da --as nanna",
        "--lang",
        "../da",
        "DA",
        "da\n",
        "",
        7,
        True,
        ["da"],
        {"da": 1},
    ],
)
def test_a_language_no_catalogue_has_is_read_as_none(store: Invitations, value: object) -> None:
    ident, code = add(store)
    document = json.loads(store.path.read_text())
    document["invitations"][0]["language"] = value
    store.path.write_text(json.dumps(document))
    found = Invitations(store.folder).match_code(code, NOW)
    assert found is not None and found.id == ident and found.language is None

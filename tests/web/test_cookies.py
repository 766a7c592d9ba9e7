"""The browser's cookie: signed with the kept key, checked in full, refused when off."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sprintboard.state import StateError
from sprintboard.web import cookies

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=8)
KEY = bytes(range(32))


def test_a_signed_cookie_verifies_until_it_expires() -> None:
    value = cookies.sign(KEY, "k7q2mx", LATER)
    found = cookies.verify(KEY, value, NOW)
    assert found == cookies.Credential("k7q2mx", LATER)
    assert cookies.verify(KEY, value, LATER - timedelta(seconds=1)) is not None
    assert cookies.verify(KEY, value, LATER) is None


def test_the_shape_is_id_expires_signature() -> None:
    value = cookies.sign(KEY, "k7q2mx", LATER)
    ident, moment, signature = value.split(".")
    assert (ident, int(moment)) == ("k7q2mx", int(LATER.timestamp()))
    assert len(signature) == 43


def test_another_key_does_not_verify() -> None:
    value = cookies.sign(KEY, "k7q2mx", LATER)
    assert cookies.verify(bytes(32), value, NOW) is None


@pytest.mark.parametrize(
    "change",
    [
        lambda v: v.replace("k7q2mx", "k7q2my", 1),  # another invitation
        lambda v: v.replace(str(int(LATER.timestamp())), str(int(LATER.timestamp()) + 3600)),
        lambda v: v[:-1] + ("A" if v[-1] != "A" else "B"),  # the signature
        lambda v: v + "=",
        lambda v: v.upper(),
        lambda v: " " + v,
        lambda v: v.replace(".", "-"),
        lambda v: v + "." + v,
    ],
)
def test_a_tampered_cookie_is_refused(change: object) -> None:
    value = cookies.sign(KEY, "k7q2mx", LATER)
    assert callable(change)
    assert cookies.verify(KEY, change(value), NOW) is None


@pytest.mark.parametrize(
    "value", [None, "", ".", "..", "a.1.", "x" * 10_000, "k7q2mx.99999999999999999999.abc", "\x00"]
)
def test_malformed_or_oversized_cookies_are_none(value: str | None) -> None:
    assert cookies.verify(KEY, value, NOW) is None


def test_the_key_is_made_once_private_and_kept(tmp_path: Path) -> None:
    first = cookies.load_or_create_key(tmp_path)
    path = tmp_path / cookies.KEY_FILE
    assert len(first) == 32
    assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600
    assert cookies.load_or_create_key(tmp_path) == first  # a restart keeps the cookies good


def test_a_key_file_of_the_wrong_size_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / cookies.KEY_FILE).write_bytes(b"short")
    os.chmod(tmp_path / cookies.KEY_FILE, 0o600)
    with pytest.raises(StateError, match=r"web-cookie-key: not a cookie key \(5 bytes"):
        cookies.load_or_create_key(tmp_path)


def test_a_linked_key_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").write_bytes(bytes(32))
    (tmp_path / cookies.KEY_FILE).symlink_to(tmp_path / "elsewhere")
    with pytest.raises(StateError):
        cookies.load_or_create_key(tmp_path)


def test_an_invitation_without_an_expiry_gets_a_bounded_cookie() -> None:
    assert cookies.expiry(None, NOW) == NOW + cookies.UNBOUNDED
    assert cookies.expiry(LATER, NOW) == LATER

"""`a_web_url`: the web entry's public origin as `invite --web --url` and `serve-web
--public-url` take it: normalized when it is one, one sentence when it is not."""

from __future__ import annotations

import argparse

import pytest

from sprintboard.cli.invitation_text import LONGEST_URL, a_web_url


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        ("https://sprint.example.org", "https://sprint.example.org"),
        ("HTTPS://Sprint.Example.ORG/", "https://sprint.example.org"),
        ("https://sprint.example.org:443", "https://sprint.example.org"),
        ("http://sprint.example.org:80/", "http://sprint.example.org"),
        ("http://sprint.example.org:8000", "http://sprint.example.org:8000"),
        ("https://sprint.example.org:8443", "https://sprint.example.org:8443"),
        ("http://sprint.example.org:08000", "http://sprint.example.org:8000"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://[::1]:8000", "http://[::1]:8000"),
        ("https://[2001:DB8:0:0::1]", "https://[2001:db8::1]"),
        ("https://[2001:db8::1]:443/", "https://[2001:db8::1]"),
        ("https://københavn.dk", "https://xn--kbenhavn-54a.dk"),
        ("http://board_1.intern", "http://board_1.intern"),
    ],
)
def test_an_origin_is_normalized(text: str, origin: str) -> None:
    assert a_web_url(text) == origin
    assert a_web_url(origin) == origin  # normal already: unchanged


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("ftp://sprint.example.org", "http:// or https://"),
        ("javascript://sprint.example.org", "http:// or https://"),
        ("sprint.example.org", "http:// or https://"),
        ("//sprint.example.org", "http:// or https://"),
        ("https:sprint.example.org", "http:// or https://"),
        ("https://", "no host"),
        ("https:///", "no host"),
        ("https://:8000", "no host"),
        ("https://a@b", "no user name"),
        ("https://anna:secret@sprint.example.org", "no user name"),
        ("https://sprint.example.org/board", "no path"),
        ("https://sprint.example.org//", "no path"),
        ("https://sprint.example.org/join/x", "no path"),
        ("https://sprint.example.org?x=1", "no query"),
        ("https://sprint.example.org/?", "no query"),
        ("https://sprint.example.org#top", "no query or fragment"),
        ("https://sprint.example.org:", "port"),
        ("https://sprint.example.org:0", "port"),
        ("https://sprint.example.org:65536", "port"),
        ("https://sprint.example.org:80a", "port"),
        ("https://sprint.example.org:-1", "port"),
        ("https://sprint.example.org:١٢٣", "port"),  # digits, but not ASCII ones
        ("https://sprint.example.org:1:2", "port"),
        ("https://[::1", "brackets"),
        ("https://[::1]8000", "brackets"),
        ("https://[nothing]", "IPv6"),
        ("https://[fe80::1%25eth0]", "IPv6"),
        ("https://sprint..example.org", "not a host"),
        ("https://-sprint.example.org", "not a host"),
        ("https://sprint.example.org.", "not a host"),
        ("https://sprint\\example.org", "not a host"),
        ("https://1.2.3.400", "not a host"),
        ("https://" + "a" * 64 + ".dk", "not a host"),
        ("https://sprint.exa\u202emple.org", "not a host"),
        ("https://sprint.example.org\x1b[2J", "control character"),
        ("https://sprint.example.org\n", "control character"),
        ("https://sprint example.org", "space"),
        ("https://sprint.example.org\x7f", "control character"),
        ("https://sprint.example.org\x85", "control character"),
        ("https://" + "a." * LONGEST_URL + "dk", "longer than 2048"),
    ],
)
def test_what_is_no_origin_is_refused_in_one_sentence(text: str, why: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError) as raised:
        a_web_url(text)
    message = str(raised.value)
    assert why in message
    assert "\n" not in message
    assert len(message) < 200  # a long address is shortened in the sentence


def test_just_long_enough_is_still_judged_on_its_parts() -> None:
    # 2,048 characters is allowed as a length, so the refusal names what is wrong instead
    text = "https://" + "a" * (LONGEST_URL - len("https://"))
    assert len(text) == LONGEST_URL
    with pytest.raises(argparse.ArgumentTypeError, match="not a host"):
        a_web_url(text)

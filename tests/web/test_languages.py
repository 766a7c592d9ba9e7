"""The browser's language: the Accept-Language header read with bounds, and a guest's
pages and app in the language of their invitation, else of their browser."""

from __future__ import annotations

import time

import pytest

from sprintboard.guests import child
from sprintboard.web import languages, session

from .browser import Running
from .conftest import in_an_hour

SPOKEN = ["en", "da"]


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("da,en;q=0.5", "da"),
        ("da-DK", "da"),
        ("DA-dk;q=0.9, en;q=0.8", "da"),
        ("en;q=0.5, da;q=0.9", "da"),
        ("en-GB,en;q=0.9,da;q=0.8", "en"),
        ("fr, de;q=0.9, da;q=0.1", "da"),
        ("fr, de", "en"),  # none the server has: its own
        ("da;q=0, en", "en"),  # q=0: not Danish, please
        ("*", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_the_first_language_by_weight_that_the_server_has(header: str | None, chosen: str) -> None:
    assert languages.preferred(header, SPOKEN, "en") == chosen


def test_without_a_wish_it_is_the_servers_language() -> None:
    assert languages.preferred("fr", SPOKEN, "da") == "da"
    assert languages.preferred("*;q=0.5, fr", SPOKEN, "da") == "da"


@pytest.mark.parametrize(
    "weight", ["2", "1.5", "0.1234", "-1", "abc", "", "1e3", "nan", "inf", "0x1", "1.0001", " "]
)
def test_a_malformed_weight_drops_its_entry(weight: str) -> None:
    assert languages.preferred(f"da;q={weight}, en;q=0.1", SPOKEN, "en") == "en"
    assert languages.wanted(f"da;q={weight}") == []


@pytest.mark.parametrize(
    "tag", ["d@", "danskesprog", "123", "da_DK", "da-", "-da", "da dk", "\x1b[2J", "ø"]
)
def test_a_malformed_range_is_passed_over(tag: str) -> None:
    assert languages.wanted(f"{tag}, en") == ["en"]


def test_a_huge_header_is_read_only_so_far_and_quickly() -> None:
    # a megabyte of entries: only the first KiB and 16 entries are looked at
    header = "fr;q=0.9," * 100_000 + "da"
    began = time.perf_counter()
    assert languages.preferred(header, SPOKEN, "en") == "en"
    assert time.perf_counter() - began < 0.05
    assert len(languages.wanted(header)) == languages.MOST
    # one long entry with no commas: no quadratic work either
    assert languages.wanted("x" * 1_000_000) == []
    assert languages.wanted(";" * 1_000_000 + "da") == []
    # what comes after the first 16 entries or 1 KiB counts for nothing
    assert languages.preferred("fr," * 16 + "da", SPOKEN, "en") == "en"
    assert languages.preferred(" " * 1024 + "da", SPOKEN, "en") == "en"


async def test_a_danish_browser_gets_danish_pages(running: Running) -> None:
    danish = running.browser({"Accept-Language": "da,en;q=0.5"})
    refused = await danish.get("/")
    assert refused.status == 403
    assert '<html lang="da">' in refused.text
    assert "Ikke inviteret i denne browser" in refused.text
    missing = await danish.get("/no/such/page")
    assert missing.status == 404 and "Intet her" in missing.text
    _id, token = running.place.link(expires=in_an_hour())
    landing = await danish.join(token)
    assert landing.status == 200 and "Åbner tavlen" in landing.text
    page = await danish.get("/")
    assert '<html lang="da">' in page.text
    assert "Sessionen er slut — genindlæs for at komme ind igen" in page.text
    # the server's log stays in the server's language (English in the tests)
    assert any("opened for birthe" in line for line in running.lines), running.lines
    english = running.browser({"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in (await english.get("/")).text
    assert "Not invited in this browser" in (await english.get("/")).text


async def test_a_danish_link_speaks_danish_to_an_english_browser_and_its_app_too(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands: list[list[str]] = []
    real = child.app_command

    def recorded(*args: object) -> list[str]:
        command = real(*args)  # type: ignore[arg-type]
        commands.append(command)
        return command

    monkeypatch.setattr(session, "app_command", recorded)
    _id, token = running.place.link(expires=in_an_hour(), language="da")
    browser = running.browser({"Accept-Language": "en-US,en;q=0.9"})
    landing = await browser.join(token)
    assert landing.status == 200 and '<html lang="da">' in landing.text
    page = await browser.get("/")
    assert '<html lang="da">' in page.text and "Genindlæs" in page.text
    board = await browser.board(100, 30)
    # the app itself: a stage's column and a key in Danish
    await board.wait_for("idé")
    await board.wait_for("Hjælp")
    assert commands and all(c[c.index("--lang") + 1] == "da" for c in commands)


async def test_an_english_link_leaves_the_browser_its_language(running: Running) -> None:
    _id, token = running.place.link(expires=in_an_hour())
    browser = running.browser({"Accept-Language": "da"})
    assert (await browser.join(token)).status == 200
    board = await browser.board(100, 30)
    await board.wait_for("Hjælp")

"""Which language is spoken, and how: `choose`'s order, `within`'s per-task language, and
the real Danish catalogue's plurals and dates.

`choose` is given its argv and environment here, never the process's; the catalogue is the
package's own, so a Danish text asserted here is what a Danish user reads.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime

import pytest

from sprintboard.i18n import _, dates, language, ngettext

LANGUAGES = ["en", "da"]
"""What `available()` finds in the package: English and Danish."""


def test_the_package_has_english_and_danish() -> None:
    assert language.available() == LANGUAGES


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        # --lang, in both spellings, beats everything; the last one wins
        (["--lang", "da"], {"SPRINTBOARD_LANG": "en", "LANG": "en_US.UTF-8"}, "da"),
        (["--lang=da"], {"SPRINTBOARD_LANG": "en"}, "da"),
        (["list", "x", "--lang", "da"], {}, "da"),
        (["--lang", "en", "--lang=da"], {}, "da"),
        (["--lang=da", "--lang", "en"], {"SPRINTBOARD_LANG": "da"}, "en"),
        # after "--" it is an argument (a card title), not the option
        (["add", "x", "--", "--lang", "da"], {}, "en"),
        (["add", "x", "--", "--lang=da"], {"LANG": "en_GB.UTF-8"}, "en"),
        # then SPRINTBOARD_LANG
        ([], {"SPRINTBOARD_LANG": "da", "LANGUAGE": "en", "LC_ALL": "en_US.UTF-8"}, "da"),
        ([], {"SPRINTBOARD_LANG": "en", "LANGUAGE": "da", "LANG": "da_DK.UTF-8"}, "en"),
        # then the $LANGUAGE list, in its order, over the locale
        ([], {"LANGUAGE": "da:en", "LANG": "en_US.UTF-8"}, "da"),
        ([], {"LANGUAGE": "en:da", "LANG": "da_DK.UTF-8"}, "en"),
        ([], {"LANGUAGE": "fr:de:da", "LANG": "en_US.UTF-8"}, "da"),  # no catalogue: passed over
        # then the first of LC_ALL, LC_MESSAGES, LANG that is set
        ([], {"LC_ALL": "da_DK.UTF-8", "LANG": "en_US.UTF-8"}, "da"),
        ([], {"LC_ALL": "en_US.UTF-8", "LANG": "da_DK.UTF-8"}, "en"),
        ([], {"LC_MESSAGES": "da_DK.UTF-8", "LANG": "en_US.UTF-8"}, "da"),
        ([], {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "da_DK.UTF-8"}, "da"),  # empty: unset
        # "C" and "POSIX" are English, and make gettext ignore $LANGUAGE: so does choose
        ([], {"LC_ALL": "C", "LANGUAGE": "da"}, "en"),
        ([], {"LC_ALL": "C.UTF-8", "LANGUAGE": "da", "LANG": "da_DK.UTF-8"}, "en"),
        ([], {"LANG": "POSIX", "LANGUAGE": "da"}, "en"),
        # the forms a locale is written in
        ([], {"LANG": "da_DK.UTF-8"}, "da"),
        ([], {"LANG": "da_DK"}, "da"),
        ([], {"LANG": "da-DK"}, "da"),
        ([], {"LANG": "da_DK@euro"}, "da"),
        ([], {"LANG": "en_GB"}, "en"),
        ([], {"SPRINTBOARD_LANG": "DA"}, "da"),
        (["--lang", "da_DK.UTF-8"], {}, "da"),
        # a language with no catalogue is passed over for the next one named
        (["--lang", "sv"], {"SPRINTBOARD_LANG": "da"}, "da"),
        ([], {"SPRINTBOARD_LANG": "fr", "LANG": "da_DK.UTF-8"}, "da"),
        ([], {"LANG": "fr_FR.UTF-8"}, "en"),
        # nothing at all: English
        ([], {}, "en"),
        (["--lang"], {}, "en"),  # the value missing: argparse says so later
    ],
)
def test_choose_takes_the_first_language_named_that_has_a_catalogue(
    argv: list[str], environ: dict[str, str], expected: str
) -> None:
    assert language.choose(argv, environ) == expected
    assert language.choose(argv, environ, LANGUAGES) == expected


def test_without_a_danish_catalogue_danish_is_passed_over() -> None:
    environ = {"SPRINTBOARD_LANG": "da", "LANG": "da_DK.UTF-8"}
    assert language.choose(["--lang", "da"], environ, ["en"]) == "en"


def test_given_is_the_last_lang_before_a_double_dash() -> None:
    assert language.given(["--lang", "da", "open"]) == "da"
    assert language.given(["--lang=da", "--lang", "en"]) == "en"
    assert language.given(["open", "--", "--lang", "da"]) is None
    assert language.given(["--language", "da"]) is None  # another option's name
    assert language.given([]) is None


async def test_within_gives_each_task_its_own_language_at_once() -> None:
    """Two conversations at the same time: each task reads its own language, however
    their steps interleave, and the process outside keeps its own (English here)."""
    danish_in, english_in = asyncio.Event(), asyncio.Event()
    heard: dict[str, list[str]] = {"da": [], "en": []}

    async def speak(code: str, mine: asyncio.Event, theirs: asyncio.Event) -> None:
        with language.within(code):
            mine.set()
            await theirs.wait()  # both are inside their block now
            for _step in range(3):
                heard[code].append(_("Quit"))
                heard[code].append(ngettext("{n} dot", "{n} dots", 2).format(n=2))
                heard[code].append(language.current())
                await asyncio.sleep(0)  # the other task runs between our reads

    await asyncio.gather(speak("da", danish_in, english_in), speak("en", english_in, danish_in))
    assert heard["da"] == ["Afslut", "2 prikker", "da"] * 3
    assert heard["en"] == ["Quit", "2 dots", "en"] * 3
    assert _("Quit") == "Quit"  # outside both: the process's language
    assert language.current() == "en"


async def test_a_task_started_within_a_language_inherits_it() -> None:
    async def child() -> str:
        return _("Quit")

    with language.within("da"):
        inherited = await asyncio.create_task(child())
    assert inherited == "Afslut"
    assert await asyncio.create_task(child()) == "Quit"


def test_within_ends_with_its_block_even_on_an_error() -> None:
    with pytest.raises(KeyError), language.within("da"):
        assert _("Quit") == "Afslut"
        raise KeyError("x")
    assert _("Quit") == "Quit"


def test_danish_plurals_come_from_the_real_catalogue() -> None:
    with language.within("da"):
        dots = [ngettext("{n} dot", "{n} dots", n).format(n=n) for n in (0, 1, 2, 5)]
        edited = [ngettext("{n} card edited", "{n} cards edited", n).format(n=n) for n in (1, 3)]
    assert dots == ["0 prikker", "1 prik", "2 prikker", "5 prikker"]
    assert edited == ["1 kort redigeret", "3 kort redigeret"]
    # English: the source's own forms
    assert [ngettext("{n} dot", "{n} dots", n).format(n=n) for n in (1, 2)] == ["1 dot", "2 dots"]


def test_dates_are_danish_within_danish_and_iso_in_english() -> None:
    day = date(2026, 11, 27)
    at = datetime(2026, 11, 27, 10, 15)
    with language.within("da"):
        assert dates.day(day) == "27. nov. 2026"
        assert dates.day_of_month(day) == "27.11"
        assert dates.clock(at) == "10.15"
        assert dates.moment(at) == "27. nov. 2026 10.15"
    assert dates.day(day) == "2026-11-27"
    assert dates.day_of_month(day) == "11-27"
    assert dates.clock(at) == "10:15"
    assert dates.moment(at) == "2026-11-27 10:15"

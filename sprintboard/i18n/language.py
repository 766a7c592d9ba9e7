"""The language in force, and the translation functions every string a person reads passes.

Every user-facing string — the app's and the command line's — is written in English
in the source and passed through `_` (or `ngettext` when it depends on a count), so a
catalogue can give it in another language. The rules that keep that possible:

- The argument of `_` is a plain string literal, never an f-string: a translator
  sees the text with its placeholders, `_("Moved {title} to {stage}").format(...)`.
  Named placeholders, because another language may want them in another order.
- Plurals through `ngettext(singular, plural, n)`, never a hand-made "s": languages
  differ in how many plural forms they have.
- Domain modules call `_` when the text is made, not at import time, so the text
  follows the language in force. Textual binds key descriptions when a class is
  defined, so the app's modules call `_` at import: `use` must run before the app
  is imported, and refuses to change the language once it has been.

English is the source language and needs no catalogue. Catalogues are standard
gettext files: `sprintboard/locale/<language>/LC_MESSAGES/sprintboard.mo`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gettext import NullTranslations

DOMAIN = "sprintboard"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
"""Where the package's catalogues are: `<language>/LC_MESSAGES/sprintboard.mo`."""

BOUND_AT_IMPORT = "sprintboard.tui"
"""The modules that translate when imported (key descriptions): the language is fixed
once any of them is loaded."""

_catalogue: NullTranslations | None = None
"""The catalogue in force; None is English, the source text itself."""
_chosen: tuple[str, Path | None] | None = None
"""The language and folder `_catalogue` came from; None: English."""
_speaking: ContextVar[tuple[str, NullTranslations | None] | None] = ContextVar(
    "speaking", default=None
)
"""The language of one conversation (a guest's connection to a server, a web page's
request), over the process's: `within` sets it for the task at hand."""
_settled = False
"""Whether a language was chosen (by `use`); `settle` chooses one from the environment
when none was."""

SOURCE = "en"
"""The language the program is written in: it needs no catalogue."""
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
"""Where the locale is named, strongest first: the first one set is the locale."""


def use(language: str | None, directory: Path | None = None) -> None:
    """Speak `language` from now on (None or "en": English, the source text).

    `directory` holds the catalogues instead of the package's own (tests use one
    made for the occasion). A language without a catalogue falls back to English.
    Raises `RuntimeError` when the language would change after the app's modules
    were imported: their key descriptions would stay in the old one.
    """
    global _catalogue, _chosen, _settled
    english = language is None or language.split("_")[0] == "en"
    chosen = None if english or language is None else (language, directory)
    if chosen == _chosen:
        _settled = True
        return
    # the package itself binds nothing (it settles the language when imported)
    loaded = [name for name in sys.modules if name.startswith(BOUND_AT_IMPORT + ".")]
    if loaded:
        # the caller's bug, not something a user did: the language comes first
        raise RuntimeError(
            _("The language must be chosen before {module} is imported").format(module=min(loaded))
        )
    _chosen, _settled = chosen, True
    _catalogue = None if chosen is None else _loaded(*chosen)


def available(directory: Path | None = None) -> list[str]:
    """The languages there is a catalogue for, English (the source) first."""
    try:
        found = [
            entry.name
            for entry in sorted((directory or LOCALE_DIR).iterdir())
            if (entry / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()
        ]
    except OSError:
        found = []
    return [SOURCE, *(name for name in found if name != SOURCE)]


def _language_of(name: str | None, languages: Sequence[str]) -> str | None:
    """The language of a locale name ("da_DK.UTF-8", "da", "en-GB") if it is one of
    `languages`; None otherwise."""
    code = (name or "").split(".")[0].split("@")[0].replace("-", "_").lower()
    for wanted in (code, code.split("_")[0]):
        if wanted in languages:
            return wanted
    return None


def given(argv: Sequence[str]) -> str | None:
    """The value of `--lang` in `argv` (the last one), before argparse reads it: the
    parser's own texts are in the language it names. None when there is none."""
    value = None
    words = iter(argv)
    for word in words:
        if word == "--":
            break
        if word == "--lang":
            value = next(words, None)
        elif word.startswith("--lang="):
            value = word.partition("=")[2]
    return value


def choose(
    argv: Sequence[str] = (),
    environ: Mapping[str, str] | None = None,
    languages: Sequence[str] | None = None,
) -> str:
    """The language to speak: `--lang` in `argv`, else $SPRINTBOARD_LANG, else the
    locale's (the list in $LANGUAGE, then the first of $LC_ALL, $LC_MESSAGES, $LANG that
    is set), else English. A name with no catalogue is passed over, as is $LANGUAGE when
    the locale is "C" or "POSIX" (as gettext does)."""
    import os

    environ = os.environ if environ is None else environ
    languages = available() if languages is None else languages
    locale = next((environ[name] for name in LOCALE_VARIABLES if environ.get(name)), "")
    names = [given(argv), environ.get("SPRINTBOARD_LANG")]
    if locale.split(".")[0] not in ("C", "POSIX"):
        names += environ.get("LANGUAGE", "").split(":")
    names.append(locale)
    for name in names:
        if (language := _language_of(name, languages)) is not None:
            return language
    return SOURCE


def settle(argv: Sequence[str] = ()) -> None:
    """Choose the language, unless one was chosen already: `--lang` in `argv` always
    chooses; otherwise the environment does, the first time. The command line runs this
    before it makes its parser, and the app's package when it is imported, so no key is
    bound before the language is known, whoever comes first."""
    if not _settled or _language_of(given(argv), available()) is not None:
        use(choose(argv))


def _loaded(language: str, directory: Path | None = None) -> NullTranslations | None:
    """The catalogue of `language`; None for English or a language without one."""
    if language.split("_")[0] == SOURCE:
        return None
    import gettext

    found = gettext.translation(
        DOMAIN, directory or LOCALE_DIR, languages=[language], fallback=True
    )
    # no catalogue for it: English, without asking a NullTranslations for every string
    return None if type(found) is gettext.NullTranslations else found


@contextmanager
def within(language: str) -> Iterator[None]:
    """Speak `language` in this task (and the tasks it starts) until the block ends; the
    rest of the process keeps its own. A server speaks each guest's language so:
    `asyncio` gives every connection's task its own copy of the setting."""
    token = _speaking.set((language, _loaded(language)))
    try:
        yield
    finally:
        _speaking.reset(token)


def current() -> str:
    """The language in force as a code for documents (``lang="en"``): "en" for English."""
    here = _speaking.get()
    if here is not None:
        return here[0].split(".")[0].replace("_", "-")
    return "en" if _chosen is None else _chosen[0].split(".")[0].replace("_", "-")


def babel_locale() -> str | None:
    """The language in force as Babel names a locale ("da", "pt_BR"); None for English,
    which the program writes as it always has (no Babel loaded): `dates`, `numbers`."""
    code = current()
    return None if code == SOURCE else code.replace("-", "_")


def _in_force() -> NullTranslations | None:
    here = _speaking.get()
    return _catalogue if here is None else here[1]


def _(message: str) -> str:
    """`message` in the language in force."""
    catalogue = _in_force()
    return message if catalogue is None else catalogue.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted phrase for `n`, in the language in force."""
    catalogue = _in_force()
    if catalogue is None:
        return singular if n == 1 else plural
    return catalogue.ngettext(singular, plural, n)


def N_(message: str) -> str:  # the name gettext's tools look for
    """Mark `message` for translation without translating it yet.

    For tables built at import time (stage names, the help's legend): the table holds
    the English text, and the place that shows it calls `_` on it then.
    """
    return message

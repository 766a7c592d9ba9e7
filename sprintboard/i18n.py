"""Text a person reads, through one translation function.

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
  is imported (the command line does it first thing).

English is the source language and needs no catalogue. Catalogues are standard
gettext files: `sprintboard/locale/<language>/LC_MESSAGES/sprintboard.mo`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gettext import NullTranslations

DOMAIN = "sprintboard"
LOCALE_DIR = Path(__file__).parent / "locale"

_catalogue: NullTranslations | None = None
"""The catalogue in force; None is English, the source text itself."""


def use(language: str | None) -> None:
    """Speak `language` from now on (None or "en": English, the source text)."""
    global _catalogue
    if language is None or language.split("_")[0] == "en":
        _catalogue = None
        return
    import gettext  # only when a language other than English is asked for

    _catalogue = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def _(message: str) -> str:
    """`message` in the language in force."""
    return message if _catalogue is None else _catalogue.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted phrase for `n`, in the language in force."""
    if _catalogue is None:
        return singular if n == 1 else plural
    return _catalogue.ngettext(singular, plural, n)


def N_(message: str) -> str:  # the name gettext's tools look for
    """Mark `message` for translation without translating it yet.

    For tables built at import time in the domain (field labels, for one): the table
    holds the English text, and the place that shows it calls `_` on it then.
    """
    return message

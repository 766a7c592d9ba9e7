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


def use(language: str | None, directory: Path | None = None) -> None:
    """Speak `language` from now on (None or "en": English, the source text).

    `directory` holds the catalogues instead of the package's own (tests use one
    made for the occasion). A language without a catalogue falls back to English.
    Raises `RuntimeError` when the language would change after the app's modules
    were imported: their key descriptions would stay in the old one.
    """
    global _catalogue, _chosen
    english = language is None or language.split("_")[0] == "en"
    chosen = None if english or language is None else (language, directory)
    if chosen == _chosen:
        return
    loaded = [name for name in sys.modules if name.startswith(BOUND_AT_IMPORT)]
    if loaded:
        # the caller's bug, not something a user did: the language comes first
        raise RuntimeError(
            _("The language must be chosen before {module} is imported").format(module=min(loaded))
        )
    _chosen = chosen
    if chosen is None:
        _catalogue = None
        return
    import gettext  # only when a language other than English is asked for

    found = gettext.translation(
        DOMAIN, directory or LOCALE_DIR, languages=[chosen[0]], fallback=True
    )
    # no catalogue for it: English, without asking a NullTranslations for every string
    _catalogue = None if type(found) is gettext.NullTranslations else found


def current() -> str:
    """The language in force as a code for documents (``lang="en"``): "en" for English."""
    return "en" if _chosen is None else _chosen[0].split(".")[0].replace("_", "-")


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

    For tables built at import time (stage names, the help's legend): the table holds
    the English text, and the place that shows it calls `_` on it then.
    """
    return message

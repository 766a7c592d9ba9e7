"""Numbers as a person reads them, in the language in force.

English, the source language, writes them as Python does (``0.25``) without loading
anything; every other language gets its own decimal sign from Babel's CLDR data
(``0,25`` in Danish). Babel is imported only then, as for dates (`dates`).
"""

from __future__ import annotations

from . import language


def decimal(value: float) -> str:
    """A number with as many decimals as it has: ``0.25``, ``2``; ``0,25`` in Danish."""
    locale = language.babel_locale()
    if locale is None:
        return f"{value:g}"
    from babel import numbers

    return str(numbers.format_decimal(value, locale=locale))

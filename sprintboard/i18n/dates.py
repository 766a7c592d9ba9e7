"""Dates and times as a person reads them, in the language in force.

English, the source language, keeps the unambiguous forms the program has always
written (``2026-11-27``, ``2026-11-27 10:15``, ``10:15``) without loading anything;
every other language gets its own from Babel's CLDR data: ``27. nov. 2026``,
``27. nov. 2026 10.15``. Babel is imported only then, at the first date shown (about
30 ms here), so an English start pays nothing for it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from . import language


def _babel() -> tuple[Any, str] | None:
    """Babel's date functions and the locale of the language in force; None for English."""
    locale = language.babel_locale()
    if locale is None:
        return None
    from babel import dates

    return dates, locale


def day(value: date) -> str:
    """A date: ``2026-11-27``; ``27. nov. 2026`` in Danish."""
    found = _babel()
    if found is None:
        return value.isoformat()
    dates, locale = found
    return str(dates.format_date(value, "medium", locale=locale))


def day_of_month(value: date) -> str:
    """Month and day, short (under a chart's bar): ``11-27``; ``27.11`` in Danish."""
    found = _babel()
    if found is None:
        return value.strftime("%m-%d")
    dates, locale = found
    return str(dates.format_skeleton("dM", value, locale=locale))


def clock(value: datetime) -> str:
    """A time of day, as given (callers make it local): ``10:15``; ``10.15`` in Danish."""
    found = _babel()
    if found is None:
        return value.strftime("%H:%M")
    dates, locale = found
    return str(dates.format_time(value, "short", locale=locale))


def moment(value: datetime) -> str:
    """A date and a time of day, as given: ``2026-11-27 10:15``; ``27. nov. 2026 10.15``."""
    found = _babel()
    if found is None:
        return value.strftime("%Y-%m-%d %H:%M")
    dates, locale = found
    joined: str = dates.get_datetime_format("medium", locale=locale)
    return joined.replace("{1}", day(value)).replace("{0}", clock(value))

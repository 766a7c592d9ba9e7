"""Numbers in the language in force: English as Python writes them, others by CLDR."""

from __future__ import annotations

from sprintboard.i18n import numbers
from sprintboard.i18n.language import within


def test_english_writes_numbers_as_python_does() -> None:
    assert numbers.decimal(0.25) == "0.25"
    assert numbers.decimal(2.0) == "2"


def test_danish_writes_a_decimal_comma() -> None:
    with within("da"):
        assert numbers.decimal(0.25) == "0,25"
        assert numbers.decimal(2.0) == "2"

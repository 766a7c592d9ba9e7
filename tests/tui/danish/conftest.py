"""The Danish app suite: collected only when the whole run speaks Danish
(SPRINTBOARD_TEST_LANG=da, which `tests/integration/test_danish.py` sets for it; the root
conftest turns it into SPRINTBOARD_LANG before the app is imported). The fixtures of
`tests/tui/conftest.py` apply here too: a board file, no blinking cursor.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sprintboard.i18n import language
from sprintboard.tui.screens.live_actions import LiveActions

from .screens import NOW

if language.current() != "da":  # run by hand without the variable: say so, do not pass
    raise pytest.UsageError(
        "tests/tui/danish runs in Danish only: SPRINTBOARD_TEST_LANG=da pytest tests/tui/danish"
    )


@pytest.fixture(autouse=True)
def _steady(boards_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Paths relative to boards/ ("boards/family.toml"), times in UTC and the live
    state's clock fixed: the same screen on every machine at every hour."""
    monkeypatch.chdir(boards_dir.parent)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(LiveActions, "live_clock", staticmethod(lambda: NOW))
    yield
    monkeypatch.undo()
    time.tzset()

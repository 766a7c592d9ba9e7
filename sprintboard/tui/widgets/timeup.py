"""The banner at the timer's zero: "Time is up: Ideation", across the board.

Bold and reversed, so it stands out on a terminal without colour (NO_COLOR) as well as
with it; the board screen shows and hides it (`live_actions`).
"""

from __future__ import annotations

from textual.widgets import Static


class TimeUpBanner(Static):
    """One line under the header while the shared timer is at zero."""

    DEFAULT_CSS = """
    TimeUpBanner {
        display: none;
        height: 1;
        padding: 0 1;
        background: $warning;
        color: $text;
        text-style: bold reverse;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self) -> None:
        super().__init__(id="timeup", markup=False)

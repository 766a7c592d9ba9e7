"""Chosen co-creators show a tick without colour; the others an empty box."""

from __future__ import annotations

from textual.app import App, ComposeResult

from sprintboard.tui.widgets.choices import TickList


class Ticks(App[None]):
    def compose(self) -> ComposeResult:
        yield TickList(("Anna", "anna", True), ("Bob", "bob", False), id="people")


async def test_only_chosen_options_show_a_tick() -> None:
    app = Ticks()
    async with app.run_test(size=(40, 8)) as pilot:
        ticks = app.query_one(TickList)

        def boxes() -> dict[str, str]:
            rows = [ticks.render_line(y).text for y in range(2)]
            return {row.split()[-1]: row[row.index("▐") : row.index("▐") + 3] for row in rows}

        assert boxes() == {"Anna": "▐X▌", "Bob": "▐ ▌"}
        ticks.focus()
        await pilot.press("down", "space")  # choose Bob too
        assert ticks.selected == ["anna", "bob"]
        assert boxes() == {"Anna": "▐X▌", "Bob": "▐X▌"}

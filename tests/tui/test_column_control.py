"""Column's messages name the column that sent them, so `@on(..., selector)` can pick one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from textual import on
from textual.app import App, ComposeResult

from sprintboard.model import Card, Stage
from sprintboard.tui.widgets.column import Column

WHEN = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def cards(stage: Stage, count: int) -> list[tuple[str, Card]]:
    made = (
        Card(title=f"Card {n}", stage=stage, rank=f"a{n + 1}", created=WHEN, updated=WHEN)
        for n in range(count)
    )
    return [(f"c{stage.value[:3]}{n:04d}", card) for n, card in enumerate(made)]


class TwoColumns(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.heard: list[tuple[str, str, str | None]] = []

    def compose(self) -> ComposeResult:
        yield Column(Stage.IDEA)
        yield Column(Stage.TEST)

    def on_mount(self) -> None:
        for column in self.query(Column):
            column.show(cards(column.stage, 3), {})

    @on(Column.CursorMoved, "#column-test")
    def _test_moved(self, message: Column.CursorMoved) -> None:
        self.heard.append(("test only", message.control.id or "", message.card_id))

    @on(Column.CursorMoved)
    def _any_moved(self, message: Column.CursorMoved) -> None:
        self.heard.append(("any", message.control.id or "", message.card_id))

    @on(Column.OpenRequested, "#column-idea")
    def _idea_open(self, message: Column.OpenRequested) -> None:
        self.heard.append(("open idea", message.control.id or "", message.card_id))


async def test_a_selector_picks_the_column_a_message_came_from() -> None:
    app = TwoColumns()
    async with app.run_test(size=(80, 30)) as pilot:
        idea, test = app.query_one("#column-idea", Column), app.query_one("#column-test", Column)
        assert Column.CursorMoved(idea, None).control is idea
        assert Column.OpenRequested(test, "x").control is test
        idea.move_cursor(1)
        await pilot.pause()
        test.move_cursor(2)
        await pilot.pause()
        idea.post_message(Column.OpenRequested(idea, "cide0001"))
        test.post_message(Column.OpenRequested(test, "ctes0002"))
        await pilot.pause()
    heard: list[Any] = app.heard
    assert heard == [
        ("any", "column-idea", "cide0001"),
        ("test only", "column-test", "ctes0002"),
        ("any", "column-test", "ctes0002"),
        ("open idea", "column-idea", "cide0001"),
    ]

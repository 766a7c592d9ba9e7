"""`KeysInOrder` on its own: a small app with a field and a priority save key."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Input

from sprintboard.tui.key_order import KeysInOrder


class Prompt(ModalScreen[None]):
    def compose(self) -> ComposeResult:
        yield Input(id="field")

    def on_mount(self) -> None:
        self.query_one(Input).focus()  # deferred by Textual: keys right behind must wait


class Recorder(KeysInOrder[None]):
    """Saves what its field holds on ctrl+s (a priority binding, as in the card editor)."""

    AUTO_FOCUS = None  # "o" reaches the app's binding, not the field
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", priority=True),
        Binding("o", "open"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.saved: list[str] = []

    def compose(self) -> ComposeResult:
        yield Input(id="field")

    def action_save(self) -> None:
        self.saved.append(self.screen.query_one("#field", Input).value)

    def action_open(self) -> None:
        self.push_screen(Prompt())


def burst(app: Recorder, text: str, *named: str) -> None:
    for char in text:
        app.post_message(events.Key(char if char.isalnum() else "space", char))
    for key in named:
        app.post_message(events.Key(key, None))


async def wait_for_keys(pilot: Pilot[None]) -> None:
    """Wait until the keys posted have reached the app and it has handled them all."""
    await pilot.pause()
    for _ in range(200):
        if not pilot.app.keys_waiting:  # type: ignore[attr-defined]
            return
        await asyncio.sleep(0.01)
    raise AssertionError("keys still waiting")


async def test_a_priority_key_waits_for_the_text_typed_before_it() -> None:
    app = Recorder()
    async with app.run_test() as pilot:
        app.query_one(Input).focus()
        await pilot.pause()
        for round_ in range(5):
            burst(app, f" text {round_}", "ctrl+s")
            await wait_for_keys(pilot)
        assert app.saved == ["".join(f" text {n}" for n in range(r + 1)) for r in range(5)]


async def test_keys_behind_a_key_that_opens_a_screen_go_into_that_screen() -> None:
    app = Recorder()
    async with app.run_test() as pilot:
        await pilot.pause()
        burst(app, "oab", "ctrl+s")
        await wait_for_keys(pilot)
        assert isinstance(app.screen, Prompt)
        assert app.saved == ["ab"]

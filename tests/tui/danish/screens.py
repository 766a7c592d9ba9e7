"""The screens the Danish suite looks at, each set up as the English snapshots set it up:
the board file prepared, the app started as someone, keys pressed, and waited for.

One table, so the snapshots and the fitting checks see the same screens.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from sprintboard import live_state

from ..helpers import settle
from ..test_live_timer import presented, timeup, until
from ..test_snapshots_votes import open_round

NOW = 1_795_000_000.0
"""The fixed time the live state (timer, presenting) is written and shown at."""
FAMILY = Path("boards") / "family.toml"
"""The fixture board, relative to the folder the tests run in."""


def _nothing(path: Path) -> None:
    """No state beside the board file: the scene is the board as it is."""


def _timer_at_zero(path: Path) -> None:
    timer = live_state.Timer("Ideation", "running", 600, "nanna", NOW - 600, ends=NOW - 1)
    live_state.write_timer(path, timer)


def _card_presented(path: Path) -> None:
    live_state.write_presenting(path, live_state.Presenting("bbbb0001", "nanna", NOW))


async def _banner(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await until(pilot, lambda: timeup(pilot.app) != "", "the banner")
    await pilot.pause()


async def _presented(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await until(pilot, lambda: presented(pilot.app) is not None, "the presented card")
    await settle(pilot)


@dataclass(frozen=True)
class Scene:
    name: str
    keys: tuple[str, ...] = ()
    prepare: Callable[[Path], None] = _nothing
    """What is written beside (or into) the board file before the app starts."""
    actor: str = "nanna"
    """Who the app runs as: nanna facilitates the fixture board."""
    ready: Callable[[Pilot[Any]], Awaitable[None]] = field(default=settle)
    """What the app is waited for before keys are pressed."""
    key_bar: bool = True
    """Whether the screen has a key bar of its own (the timer's dialog and a card presented
    say their keys in a line of text instead)."""


SCENES = (
    Scene("board", ("l", "down")),
    Scene("help", ("question_mark",)),
    Scene("card_editor", ("e",)),
    Scene("card_opened", ("l", "enter")),
    Scene("round_start", ("R",)),
    Scene("round_open", ("R",), prepare=open_round),
    Scene("round_for_a_participant", ("v",), prepare=open_round, actor="omar"),
    Scene("timer_dialog", ("T",), key_bar=False),
    Scene("timer_at_zero", prepare=_timer_at_zero, actor="omar", ready=_banner),
    Scene("card_presented", prepare=_card_presented, actor="omar", ready=_presented, key_bar=False),
)

"""Snapshots of the app in Danish at 80×24: the board, the help, the card editor, an
opened card, and the facilitation screens (a vote round started, open, voted in; the
shared timer's dialog and its zero; a card presented).

After a deliberate change: ``SPRINTBOARD_TEST_LANG=da pytest tests/tui/danish
--snapshot-update``, then look at the SVGs in ``tests/tui/danish/__snapshots__`` for
Danish text that is cut or runs over.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ..helpers import steady_app
from .screens import FAMILY, SCENES, Scene

Compare = Callable[..., bool]
SMALL = (80, 24)


@pytest.mark.parametrize("scene", SCENES, ids=[scene.name for scene in SCENES])
def test_in_danish_at_80x24(snap_compare: Compare, board_file: Path, scene: Scene) -> None:
    scene.prepare(FAMILY)
    app = steady_app(FAMILY, actor=scene.actor)
    assert snap_compare(app, press=list(scene.keys), terminal_size=SMALL, run_before=scene.ready)

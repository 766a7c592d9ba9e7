"""Make docs/board.svg, the README's picture of the board: `python docs/screenshot.py`.

The example board `boards/family-culture.toml` in the app at 100×30, on day 3 of its
sprint, the second idea selected — drawn by Textual's own SVG export, as the snapshot
tests are.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from sprintboard.tui.app import make_app

ROOT = Path(__file__).resolve().parent.parent


async def main() -> None:
    app = make_app(
        ROOT / "boards" / "family-culture.toml",
        "nanna",
        today=date(2026, 11, 25),
        watch="off",
        recheck=None,
        presence=False,
    )
    app.animation_level = "none"
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(50):
            await app.workers.wait_for_complete()
            await pilot.pause(0.1)
            if not any(not worker.is_finished for worker in app.workers):
                break
        await pilot.press("down")
        await pilot.pause(0.2)
        svg = app.export_screenshot(title="sprintboard — family-culture")
    (ROOT / "docs" / "board.svg").write_text(svg, encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())

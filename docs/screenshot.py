"""Make the README's pictures of the board: `python docs/screenshot.py` (docs/board.svg)
and `python docs/screenshot.py da` (docs/board-da.svg, in Danish at 80×24).

The example board `boards/family-culture.toml` in the app, on day 3 of its sprint, the
second idea selected — drawn by Textual's own SVG export, as the snapshot tests are.
The language is chosen before the app is imported: it binds its keys' words then.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import date
from pathlib import Path

from sprintboard.i18n import language

LANGUAGE = sys.argv[1] if len(sys.argv) > 1 else "en"
language.use(LANGUAGE)

from sprintboard.tui.app import make_app  # noqa: E402 - after the language is chosen

ROOT = Path(__file__).resolve().parent.parent
SIZE, PICTURE = ((100, 30), "board.svg") if LANGUAGE == "en" else ((80, 24), "board-da.svg")


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
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(50):
            await app.workers.wait_for_complete()
            await pilot.pause(0.1)
            if not any(not worker.is_finished for worker in app.workers):
                break
        await pilot.press("down")
        await pilot.pause(0.2)
        svg = app.export_screenshot(title="sprintboard — family-culture")
    (ROOT / "docs" / PICTURE.replace("-da", f"-{LANGUAGE}")).write_text(svg, encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())

"""The app's metrics screen and export dialog on big boards: how long, and whether the
screen stays live meanwhile.

    python bench/app_reports.py [--sizes 1000,10000] [--repeat N] [--smoke]

The real app (`make_app`) driven in-process by Textual's Pilot at 100×30, on generated
boards (`benchlib.board_data`, shape "sprint") written to a temporary file:

- metrics: from pressing `m` to the figures counted and drawn;
- export: from Save (enter in the path) to the notice, the report written (Markdown,
  then CSV and JSON), the dialog closed.

While each runs, a 10 ms timer ticks on the app's event loop; the longest gap between
two ticks is how long the screen could not answer a key or redraw (the "stall"). The
counting and the rendering run in thread workers, so the stall stays far below the
work's own time. Medians and the max over the rounds. `--smoke` runs a small board once
so CI can check the script still runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Any

from benchlib import board_data, machine

from sprintboard import storage
from sprintboard.model import Board
from sprintboard.tui.app import make_app
from sprintboard.tui.screens.export_dialog import ExportDialog
from sprintboard.tui.screens.metrics import MetricsScreen


class Ticks:
    """A 10 ms timer's ticks: the longest gap between two of them since `start`."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def tick(self) -> None:
        self.times.append(time.perf_counter())

    def start(self) -> None:
        self.times = [time.perf_counter()]

    def longest(self) -> float:
        self.tick()
        return max(b - a for a, b in zip(self.times, self.times[1:], strict=False))


async def until(pilot: Any, done: Any) -> None:
    for _ in range(100_000):
        if done():
            return
        await pilot.pause(0.005)
    raise RuntimeError("never done")


async def one_round(path: Path, folder: Path) -> dict[str, tuple[float, float]]:
    """(seconds, longest stall) for the metrics screen and each export format."""
    app = make_app(path, "bench", watch="off", recheck=None, presence=False)
    found: dict[str, tuple[float, float]] = {}
    ticks = Ticks()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.screen.live.opened and not app.keys_waiting)
        app.set_interval(0.01, ticks.tick)
        ticks.start()
        began = time.perf_counter()
        await pilot.press("m")
        await until(
            pilot, lambda: isinstance(app.screen, MetricsScreen) and app.screen.counted is not None
        )
        await pilot.pause()
        found["metrics"] = (time.perf_counter() - began, ticks.longest())
        await pilot.press("escape")
        for fmt in ("md", "csv", "json"):
            await pilot.press("E")
            await until(pilot, lambda: isinstance(app.screen, ExportDialog))
            dialog = app.screen
            assert isinstance(dialog, ExportDialog)
            await pilot.click(f"#format-{fmt}")
            target = folder / f"report.{fmt}"
            target.unlink(missing_ok=True)
            dialog.query_one("#path").value = str(target)  # type: ignore[attr-defined]
            dialog.query_one("#path").focus()
            await pilot.pause()
            ticks.start()
            began = time.perf_counter()
            await pilot.press("enter")
            await until(pilot, lambda: not isinstance(app.screen, ExportDialog))
            found[f"export {fmt}"] = (time.perf_counter() - began, ticks.longest())
            assert target.stat().st_size > 0
        await pilot.press("q")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    sizes = [50] if args.smoke else [int(s) for s in args.sizes.split(",")]
    repeat = 1 if args.smoke else args.repeat
    print(machine())
    print(f"load average {os.getloadavg()[0]:.2f} at start; {repeat} rounds; ms")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in sizes:
            path = folder / f"board-{size}.toml"
            storage.save(path, Board.model_validate(board_data(size)))
            rounds = [asyncio.run(one_round(path, folder)) for _ in range(repeat)]
            print(f"{size} cards:")
            for what in rounds[0]:
                took = [r[what][0] * 1000 for r in rounds]
                stall = [r[what][1] * 1000 for r in rounds]
                print(
                    f"  {what:<11} took median {median(took):7.0f}  max {max(took):7.0f}"
                    f"   stall median {median(stall):5.0f}  max {max(stall):5.0f}"
                )
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()

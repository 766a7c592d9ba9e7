"""The app's metrics screen and export dialog on big boards: how long, and whether the
screen stays live meanwhile.

    python bench/app_reports.py [--sizes 1000,10000] [--repeat N] [--smoke]

The real app (`make_app`) driven in-process by Textual's Pilot at 100×30, on generated
boards (`benchlib.board_data`, shape "sprint") written to a temporary file:

- help (the baseline): the app's own help screen opened, then closed: what showing
  and leaving any screen over the board costs, nothing counted;
- metrics: open, from pressing `m` to the screen mounted (the first time, plotext is
  imported); count, from there to the figures counted (in a worker) and drawn;
- export: write, from Save (enter in the path) to the report on disk (rendered and
  written in a worker; Markdown, then CSV and JSON); close, from there to the notice and
  the dialog gone (the board screen drawn again).

While each phase runs, a 10 ms timer ticks on the app's event loop; the longest gap
between two ticks is how long the screen could not answer a key or redraw (the
"stall"). Medians and the max over the rounds. `--smoke` runs a small board once
so CI can check the script still runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from itertools import pairwise
from pathlib import Path
from statistics import median
from typing import Any

from benchlib import board_data, machine

from sprintboard import storage
from sprintboard.model import Board
from sprintboard.tui.app import make_app
from sprintboard.tui.screens.board import BoardScreen
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

    def longest(self, until: float | None = None) -> float:
        """The longest gap up to `until` (default: now)."""
        end = time.perf_counter() if until is None else until
        times = [t for t in self.times if t <= end] + [end]
        return max(b - a for a, b in pairwise(times))


WRITTEN: list[float] = []
"""When each export's worker reported back (the dialog's handler spied on)."""


def _spy_on_written() -> None:
    handler = ExportDialog.on_export_dialog_written

    def spied(self: ExportDialog, message: ExportDialog.Written) -> None:
        WRITTEN.append(time.perf_counter())
        handler(self, message)

    ExportDialog.on_export_dialog_written = spied  # type: ignore[method-assign]


def board_screen(app: Any) -> BoardScreen:
    screen = app.screen
    assert isinstance(screen, BoardScreen)
    return screen


def metrics_screen(app: Any) -> MetricsScreen:
    screen = app.screen
    assert isinstance(screen, MetricsScreen)
    return screen


async def until(pilot: Any, done: Any) -> None:
    for _ in range(100_000):
        if done():
            return
        await pilot.pause(0.005)
    raise RuntimeError("never done")


async def one_round(path: Path, folder: Path) -> dict[str, tuple[float, float]]:
    """(seconds, longest stall) for each phase: the metrics screen opening and counting,
    each export format's writing and the dialog closing."""
    app = make_app(path, "bench", watch="off", recheck=None, presence=False)
    found: dict[str, tuple[float, float]] = {}
    ticks = Ticks()

    def phase(name: str, began: float) -> float:
        found[name] = (time.perf_counter() - began, ticks.longest())
        ticks.start()
        return time.perf_counter()

    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: board_screen(app).live.opened and not app.keys_waiting)
        app.set_interval(0.01, ticks.tick)
        ticks.start()
        began = time.perf_counter()
        # the baseline: the app's own help screen opened and closed (no counting at all)
        await pilot.press("question_mark")
        await until(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        await pilot.pause()
        began = phase("help: open (baseline)", began)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, BoardScreen))
        await pilot.pause()
        began = phase("help: close (baseline)", began)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MetricsScreen))
        began = phase("metrics: open", began)
        await until(pilot, lambda: metrics_screen(app).counted is not None)
        await pilot.pause()
        phase("metrics: count", began)
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
            written = WRITTEN[-1]
            found[f"export {fmt}: write"] = (written - began, ticks.longest(written))
            found[f"export {fmt}: close"] = (
                time.perf_counter() - written,
                _after(ticks, written),
            )
            assert target.stat().st_size > 0
        await pilot.press("q")
    return found


def _after(ticks: Ticks, moment: float) -> float:
    """The longest gap between ticks from `moment` on."""
    times = [moment] + [t for t in ticks.times if t > moment] + [time.perf_counter()]
    return max(b - a for a, b in pairwise(times))


def main() -> None:
    _spy_on_written()
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
                    f"  {what:<20} took median {median(took):7.0f}  max {max(took):7.0f}"
                    f"   stall median {median(stall):5.0f}  max {max(stall):5.0f}"
                )
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()

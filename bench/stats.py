"""What the sprint's figures cost: `flow.measure` and `sprintboard stats` on big boards.

    python bench/stats.py [--sizes 1000,10000] [--repeat N] [--runs N] [--smoke]

For each size it generates a sprint-shaped board (`benchlib.board_data`: a history
entry per stage entered, a few archived cards), saves it, and times, in this process
(CPU time, median and max of `--repeat` runs):

  read                `storage.load` of the file, cold: parse and validate (the baseline)
  measure             `flow.measure`: every card's stays, the medians, the cumulative
                      series and the weeks
  report              `report.content.build`: the flow, the co-creation figure, the
                      columns (what every report and `stats` start from)
  words + json        `figures.summary` and `stats_json` + `dump_json` of the report

and, as the user runs them (wall time, median and max of `--runs` runs of the
installed executable, bytecode cached; then the median CPU time and its ratio):

  validate FILE       reads the board and says it is valid: the command baseline
  stats FILE          the figures in words
  stats FILE --json   the figures as JSON

"× base" is against the first line of its group (read, validate) in the same run.
A script, not a test: `--smoke` runs a tiny size once so that CI knows it still works.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from benchlib import machine, make_board, median_ms

from sprintboard import storage
from sprintboard.cli.output import dump_json
from sprintboard.cli.stats import stats_json
from sprintboard.flow import measure
from sprintboard.model import Board
from sprintboard.report.content import build
from sprintboard.report.figures import summary

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def cpu(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and max CPU time of `repeat` runs of `work`, in milliseconds; each run
    cold: nothing of the cards remembered by storage, as in a fresh process."""
    samples = []
    for _ in range(repeat):
        storage.forget_cards()
        start = time.process_time()
        work()
        samples.append(time.process_time() - start)
    return median_ms(samples), max(samples) * 1000


def wall(command: list[str], runs: int, cwd: Path) -> tuple[float, float, float]:
    """Median and max wall time and median CPU time (user + system, of the process and
    its children) of `runs` runs of `command` after one warm-up, in ms. The CPU time
    says more on a shared machine, where the wall time is mostly waiting for a core."""
    env = {**os.environ, "SPRINTBOARD_NOW": NOW.isoformat(), "TZ": "UTC"}
    subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=True)
    samples, cpus = [], []
    for _ in range(runs):
        before = os.times()
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=True)
        samples.append(time.perf_counter() - start)
        after = os.times()
        cpus.append(
            after.children_user
            - before.children_user
            + after.children_system
            - before.children_system
        )
    return median_ms(samples), max(samples) * 1000, median_ms(cpus)


def in_process(path: Path, board: Board) -> list[tuple[str, Callable[[], object]]]:
    """The steps timed in this process, on the board saved at `path`."""
    report = build(board, NOW, UTC)
    return [
        ("read", lambda: storage.load(path)),
        ("measure", lambda: measure(board, NOW, UTC)),
        ("report", lambda: build(board, NOW, UTC)),
        (
            "words + json",
            lambda: (summary(report), dump_json(stats_json(board, report.flow, report.hands))),
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="card counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=10, help="in-process runs per step")
    parser.add_argument("--runs", type=int, default=5, help="runs of each command")
    parser.add_argument("--smoke", action="store_true", help="a tiny board, one round (for CI)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.smoke:
        sizes, args.repeat, args.runs = [40], 1, 1
    if args.repeat < 1 or args.runs < 1 or not sizes:
        parser.error("--repeat and --runs must be at least 1, and give at least one size")
    found = shutil.which("sprintboard", path=str(Path(sys.executable).parent))
    if found is None:
        parser.error("no sprintboard executable next to this Python: pip install -e . first")
    executable: str = found
    print("sprintboard stats bench")
    print("machine:", machine())
    print(f"in process: CPU time, {args.repeat} runs; commands: wall time, {args.runs} runs")
    print(f"  {'cards':>7}  {'step':<20}{'median ms':>10}{'max ms':>10}{'× base':>8}")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for cards in sizes:
            path = root / f"bench{cards}.toml"
            storage.save(path, make_board(cards))
            board = storage.load(path).board
            report = build(board, NOW, UTC)
            steps = in_process(path, board)
            base = 0.0
            for name, work in steps:
                median, most = cpu(work, args.repeat)
                base = base or median
                print(f"  {cards:>7}  {name:<20}{median:>10.1f}{most:>10.1f}{median / base:>8.2f}")
            commands = [
                ("validate FILE", [executable, "validate", str(path)]),
                ("stats FILE", [executable, "stats", str(path)]),
                ("stats FILE --json", [executable, "stats", str(path), "--json"]),
            ]
            base = base_cpu = 0.0
            for name, command in commands:
                median, most, spent = wall(command, args.runs, root)
                base, base_cpu = base or median, base_cpu or spent
                print(
                    f"  {cards:>7}  {name:<20}{median:>10.1f}{most:>10.1f}{median / base:>8.2f}"
                    f"   CPU {spent:.0f} ms, {spent / base_cpu:.2f}×"
                )
            print(
                f"  {cards:>7}  figures: {report.flow.total} cards, {report.flow.archived} "
                f"archived, {len(report.flow.cumulative)} days"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

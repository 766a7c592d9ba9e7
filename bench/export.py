"""How long `sprintboard export` takes on a big board, against reading that board.

    python bench/export.py [--size 10000] [--runs N] [--formats md,csv,json] [--smoke]

A generated sprint-shaped board (`benchlib.make_board`) is written to a temporary
folder. Each round runs, as whole processes and interleaved, `sprintboard validate
BOARD` (reading the board: parse, check, nothing written), `sprintboard list BOARD`
(reading it and printing every card) and `sprintboard export BOARD --format F -o FILE`
for each format; in the same run, `storage.load` in-process (cold: its card cache
emptied first) is timed too. Bytecode is cached by an uncounted first run of each.
Median and max wall time of each, and each median against `validate`'s.

Target (README, "Performance"): an export of a 10,000-card board within 2 s and within
3 × reading the board. `html` is measured when the package has its renderer. A script,
not a test: `--smoke` runs a tiny board once so CI knows it still works.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import machine, make_board

from sprintboard import storage

EXECUTABLE = Path(sys.executable).parent / "sprintboard"
NOW = "2026-12-01T12:00:00Z"


def formats_available() -> list[str]:
    found = ["md", "csv", "json"]
    if importlib.util.find_spec("sprintboard.report.html") is not None:
        found.insert(1, "html")
    return found


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """The wall time and the CPU time (user + system) of one run of `command`."""
    cpu = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, timeout=600)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: {result.stderr.decode(errors='replace')}")
    return elapsed, _children_cpu() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="cards on the board")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each command")
    parser.add_argument("--formats", default=None, help="comma-separated (default: all there are)")
    parser.add_argument("--smoke", action="store_true", help="a tiny board, one run (for CI)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.size, args.runs = 40, 1
    chosen = args.formats.split(",") if args.formats else formats_available()
    if args.runs < 1 or args.size < 0:
        parser.error("--runs must be at least 1")
    print("sprintboard export bench")
    print("machine:", machine())
    print(f"{args.size} cards, {args.runs} runs of each, wall time of the whole process")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        board = root / "big.toml"
        storage.save(board, make_board(args.size))
        print(f"board file: {board.stat().st_size / 2**20:.1f} MiB")
        env = {**os.environ, "SPRINTBOARD_NOW": NOW, "TZ": "UTC", "SPRINTBOARD_USER": "bench"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        commands = {
            "validate": [str(EXECUTABLE), "validate", str(board)],
            "list": [str(EXECUTABLE), "list", str(board)],
        }
        for fmt in chosen:
            out = str(root / f"out.{fmt}")
            commands[fmt] = [str(EXECUTABLE), "export", str(board), "--format", fmt, "-o", out]
        for command in commands.values():  # uncounted: bytecode compiled and cached
            timed(command, root, env)
        samples: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        loads: list[float] = []
        for _run in range(args.runs):
            for name, command in commands.items():
                wall, cpu = timed(command, root, env)
                samples[name].append(wall)
                cpus[name].append(cpu)
            storage.forget_cards()  # a cold read, as a process has
            start = time.perf_counter()
            storage.load(board)
            loads.append(time.perf_counter() - start)
        reading = statistics.median(samples["validate"])
        reading_cpu = statistics.median(cpus["validate"])
        print("  wall time, and CPU time (user + system: on a shared machine the wall time")
        print("  is partly waiting for a core)")
        head = f"  {'command':<34}{'median s':>10}{'max s':>9}{'× validate':>12}"
        print(head + f"{'CPU s':>9}{'× validate':>12}")
        print(f"  {'storage.load (in-process, wall)':<34}{statistics.median(loads):>10.3f}"
              f"{max(loads):>9.3f}{statistics.median(loads) / reading:>12.2f}")  # fmt: skip
        for name, times in samples.items():
            label = f"sprintboard {name} BOARD"
            if name not in ("validate", "list"):
                label = f"sprintboard export --format {name}"
            median = statistics.median(times)
            cpu = statistics.median(cpus[name])
            print(
                f"  {label:<34}{median:>10.3f}{max(times):>9.3f}{median / reading:>12.2f}"
                f"{cpu:>9.3f}{cpu / reading_cpu:>12.2f}"
            )
        for fmt in chosen:
            size = (root / f"out.{fmt}").stat().st_size / 2**20
            print(f"  out.{fmt}: {size:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A guest's app against the ordinary one: time to the board drawn, peak memory.

    python bench/guest.py [--sizes 100,1000] [--repeat N] [--smoke]

The SSH entry starts `sprintboard --as KEY open --guest BOARD` for every guest; the
guest mode must cost nothing at the start. Both run as in bench/tui.py (its `Terminal`
and `first_paint`: the real executable in a 120×40 pseudo-terminal, bytecode cached,
a warm-up round not counted), interleaved round by round so that the noise of a busy
machine hits both alike; medians and the slowest run, and peak resident memory
(VmHWM) once the board is shown. Target: the guest's start within 1.05× the ordinary
start (the guest mode adds one module of plain Python, and no work before the frame).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from benchlib import machine, make_board, median_ms
from tui import EXECUTABLE, SIZE, Terminal, drawn_markers, first_paint

from sprintboard import storage

TARGET = 1.05


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--smoke", action="store_true", help="one small run, for CI")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    repeat = args.repeat
    if args.smoke:
        sizes, repeat = [100], 1
    # COLUMNS and LINES (set by some runners: pytest's) would size the app, not the pty
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)
    if not EXECUTABLE.exists():
        print(f"no {EXECUTABLE}: install the package first", file=sys.stderr)
        return 1
    print(machine())
    print(f"terminal {SIZE[0]}×{SIZE[1]}, medians of {repeat} runs after a warm-up round\n")
    folder = Path(tempfile.mkdtemp(prefix="sprintboard-bench-guest-"))
    Terminal.bytecode = folder / "bytecode"
    failed = False
    try:
        for size in sizes:
            path = folder / f"board-{size}.toml"
            board = make_board(size, shape="sprint")
            storage.save(path, board)
            member = sorted(board.members)[0]
            markers = drawn_markers(path)
            commands = {
                "open": [str(EXECUTABLE), "--as", member, "open", str(path)],
                "open --guest": [str(EXECUTABLE), "--as", member, "open", "--guest", str(path)],
            }
            times: dict[str, list[float]] = {name: [] for name in commands}
            peaks: dict[str, list[float]] = {name: [] for name in commands}
            for round_ in range(repeat + 1):
                for name, command in commands.items():
                    seconds, _cpu, peak = first_paint(command, markers, folder)
                    if round_:  # round 0 warms up: bytecode written, files cached
                        times[name].append(seconds)
                        peaks[name].append(peak)
            print(f"{size:,} cards (as {member})")
            for name in commands:
                print(
                    f"  {name:<14} board drawn {median_ms(times[name]):6.0f} ms median "
                    f"(max {max(times[name]) * 1000:.0f})   peak {max(peaks[name]):.0f} MiB"
                )
            ratio = median_ms(times["open --guest"]) / median_ms(times["open"])
            ok = ratio <= TARGET
            failed |= not ok
            print(
                f"  guest / ordinary: {ratio:.2f}×  target ≤{TARGET}×  {'ok' if ok else 'MISSED'}"
            )
        return 0 if args.smoke or not failed else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

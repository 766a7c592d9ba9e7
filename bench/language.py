"""What speaking Danish costs at start-up, against English, in the same runs.

    python bench/language.py [--runs 15] [--smoke]

Times whole processes of the installed `sprintboard` script, interleaved run by run
(median wall time of each, bytecode cached in a temporary ``PYTHONPYCACHEPREFIX`` as an
installed package runs, a warm-up round not counted): ``--help`` (the parser's texts and
argparse's own words, the catalogue loaded in Danish), ``list BOARD`` and ``export BOARD
--format md`` (the report: its dates through Babel in Danish, which English never
imports) on a generated board of 200 cards, each with ``--lang en`` and ``--lang da``,
and prints the Danish run's ratio to the English one (target: at most 1.1). The app's
start in Danish is timed by ``bench/tui.py --before`` with an executable that sets
``SPRINTBOARD_LANG=da`` (README, "Performance").
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import machine, make_board

from sprintboard import storage

TARGET = 1.1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per command (default 15)")
    parser.add_argument("--smoke", action="store_true", help="three runs, a small board")
    args = parser.parse_args()
    runs = 3 if args.smoke else args.runs
    script = Path(sys.executable).parent / "sprintboard"
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        board = folder / "boards" / "bench.toml"
        board.parent.mkdir()
        storage.save(board, make_board(20 if args.smoke else 200))
        env = {k: v for k, v in os.environ.items() if not k.startswith("SPRINTBOARD_LANG")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
        commands = {
            "--help": ["--help"],
            "list BOARD": ["list", str(board)],
            "export BOARD --format md": ["export", str(board), "--format", "md"],
        }
        times: dict[tuple[str, str], list[float]] = {
            (name, lang): [] for name in commands for lang in ("en", "da")
        }
        for round_ in range(runs + 1):
            for name, words in commands.items():
                for lang in ("en", "da"):
                    start = time.perf_counter()
                    subprocess.run(
                        [str(script), "--lang", lang, *words],
                        cwd=folder,
                        env=env,
                        stdout=subprocess.DEVNULL,
                        check=True,
                    )
                    if round_:  # round 0 warms the bytecode cache and the page cache
                        times[name, lang].append(time.perf_counter() - start)
    print(machine())
    print(f"medians of {runs} runs, interleaved; bytecode cached\n")
    print(f"{'command':28} {'--lang en':>10} {'--lang da':>10} {'da / en':>8}")
    worst = 0.0
    for name in commands:
        en, da = (statistics.median(times[name, lang]) for lang in ("en", "da"))
        worst = max(worst, da / en)
        print(f"{name:28} {en * 1000:7.0f} ms {da * 1000:7.0f} ms {da / en:7.2f}×")
    verdict = "ok" if worst <= TARGET else "MISSED"
    print(f"\nDanish at most {worst:.2f}× English (target ≤ {TARGET}×)  {verdict}")
    return 0 if args.smoke or worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

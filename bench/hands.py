"""How long the co-creation figure takes: `external_hands` on a board and on its outline.

    python bench/hands.py [--sizes 1000,10000] [--repeat N] [--smoke]

The board screen computes the figure on every board it shows (each change, yours or
someone else's), so its cost is paid per key that changes a card: this says how much,
on generated sprint-shaped boards (`benchlib.make_board`), for the validated board and
for the first frame's outline. A script, not a test: `--smoke` runs a tiny size once so
CI knows it still works.
"""

from __future__ import annotations

import argparse
import sys
import time

from benchlib import machine, make_board, median_ms

from sprintboard import storage
from sprintboard.co_creation import external_hands
from sprintboard.outline import read


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="card counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=50, help="runs per size and kind")
    parser.add_argument("--smoke", action="store_true", help="a tiny board, one round (for CI)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.smoke:
        sizes, args.repeat = [40], 1
    if args.repeat < 1 or not sizes:
        parser.error("--repeat must be at least 1, and give at least one size")
    print("sprintboard external-hands bench")
    print("machine:", machine())
    print(f"{args.repeat} runs each, CPU time of one external_hands call")
    print(f"  {'cards':>7}  {'of':<8}{'median ms':>10}{'max ms':>10}  figure")
    for cards in sizes:
        board = make_board(cards)
        outline = read(storage.dumps(board))
        kinds = {"board": board, "outline": outline}
        for kind, subject in kinds.items():
            if subject is None:
                print(f"  {cards:>7}  {kind:<8}{'(no outline)':>20}")
                continue
            samples = []
            for _round in range(args.repeat):
                start = time.process_time()
                hands = external_hands(subject)
                samples.append(time.process_time() - start)
            figure = f"{hands.external} of {hands.total}"
            median = median_ms(samples)
            print(f"  {cards:>7}  {kind:<8}{median:>10.2f}{max(samples) * 1000:>10.2f}  {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Dot-vote rounds in the domain: what a vote, the status and a close cost on a big board.

    python bench/rounds.py [--sizes 1000,10000] [--repeat N] [--smoke]

For each size it generates a realistic board (see `benchlib.board_data`), starts a
round on `idea` and times, in this process (median and max of `--repeat` runs):

  vote in a round     `ops.apply` of a `Vote` inside the round: the budget checked
                      across the voted stage (what every `v` in the app and every
                      `sprintboard vote` pays)
  status              `rounds.status`: tally, who has not voted, dots left (what
                      `round status` and a facilitator's panel compute)
  close + inverse     `ops.apply_with_inverse` of `CloseRound`: the result, the stage
                      reordered by dots, and the undo (what `round close` pays
                      before it writes)

The board is frozen for the cyclic garbage collector, as `storage` freezes a big board it
reads. A script, not a test: `--smoke` runs a tiny size once so that CI can check it still runs.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from benchlib import machine, make_board, median_ms

from sprintboard import ops, rounds
from sprintboard.model import Board, Stage

AT = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def timed(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and max of `repeat` runs of `work`, in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return median_ms(samples), max(samples) * 1000


def voted(board: Board) -> Board:
    """`board` with a round open on idea and every member's dots given, a dot a card."""
    board = ops.apply(board, ops.StartRound(dots=3, round_id="bench000", at=AT))
    column = [cid for cid, _card in board.column(Stage.IDEA)]
    for index, member in enumerate(sorted(board.members)):
        for step in range(3):
            cid = column[(index * 7 + step * 13) % len(column)]
            board = ops.apply(board, ops.Vote(cid, member, 1, at=AT))
    return board


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--smoke", action="store_true", help="a tiny board, once")
    options = parser.parse_args()
    sizes = [40] if options.smoke else [int(s) for s in options.sizes.split(",")]
    repeat = 1 if options.smoke else options.repeat
    print(machine())
    print(f"{'cards':>6}  {'idea':>5}  {'what':<16} {'median ms':>10} {'max ms':>8}")
    for size in sizes:
        board = voted(make_board(size))
        # as a board read from its file is (storage freezes one of 1 MB or more): else the
        # collector's full passes over the board's objects, not the rounds, are timed
        gc.collect()
        gc.freeze()
        idea = len(board.column(Stage.IDEA))
        member = sorted(board.members)[0]
        spare = next(cid for cid, c in board.column(Stage.IDEA) if member not in c.votes)
        # the member has no dot left: the vote is checked and refused, the costliest path
        full = ops.Vote(spare, member, 1, at=AT)
        taken = ops.Vote(spare, member, 0, at=AT)

        def vote(full: ops.Vote = full, taken: ops.Vote = taken, board: Board = board) -> None:
            try:
                ops.apply(board, full)
            except ops.OpError:
                ops.apply(board, taken)

        rows: list[tuple[str, Callable[[], object]]] = [
            ("vote in a round", vote),
            ("status", partial(rounds.status, board, AT)),
            ("close + inverse", partial(ops.apply_with_inverse, board, ops.CloseRound(at=AT))),
        ]
        for name, work in rows:
            middle, most = timed(work, repeat)
            print(f"{size:>6}  {idea:>5}  {name:<16} {middle:>10.2f} {most:>8.2f}")


if __name__ == "__main__":
    main()

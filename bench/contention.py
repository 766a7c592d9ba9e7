"""Many writers on one board: throughput, latency per operation, lost operations.

    python bench/contention.py                 # boards of 100 and 1,000 cards
    python bench/contention.py --with-board    # through commit(), which reads the board back
    python bench/contention.py --no-screen     # the writers' table only
    python bench/contention.py --smoke         # tiny, for CI

Each writer is a separate process doing `--ops` operations through
`batching.write_op` (lock — or queue for whoever holds it —, read the latest, apply,
atomic write: the path every change takes; `--with-board` uses `session.commit`,
which also reads back the board it returns), alternating "add a card" and "move one
of my cards", after one untimed operation (its first touch of the board: lock and
queue files, caches). Latency is one operation from the call to its return, waiting
included. The baseline is the median latency with a single writer, measured in the
same run. Afterwards the board is checked: every card each writer added is there,
in the stage it last moved it to.

Then the delay from an outside write to a running app showing it: the real
`sprintboard` executable runs in a pseudo-terminal of 100×30 on the board (as a
participant over SSH would), and this script — another process — adds a card
through `commit`, `--show-repeat` times, and reads the terminal until the app draws
the column's new count ("learned 26": always in view, wherever the card lands).
Measured from `commit` returning (the file is replaced by then; "from start" adds
the writer's own parse and write) to the count in the app's output. Target: every
one within a second.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from benchlib import machine
from tui import EXECUTABLE, Terminal

from sprintboard import ops, storage
from sprintboard.batching import write_op
from sprintboard.model import Board, Stage
from sprintboard.session import commit
from sprintboard.watch import POLL_INTERVAL, is_remote

STAGES = [Stage.PROTOTYPE, Stage.TEST, Stage.LEARNED]


def make_board(path: Path, cards: int) -> None:
    board = Board.model_validate({"schema": 1, "title": "Contention"})
    for i in range(cards):
        board = ops.apply(board, ops.AddCard(f"Existing card {i}", stage=list(Stage)[i % 4]))
    storage.save(path, board)


def writer(path: str, me: str, count: int, with_board: bool, start: Any, out: Any) -> None:
    board_path = Path(path)
    latencies: list[float] = []
    mine: list[str] = []
    change = commit if with_board else write_op
    change(board_path, ops.AddCard(f"{me} warm-up", actor=me))
    start.wait()  # every writer warmed up: all begin together
    for i in range(count):
        began = time.perf_counter()
        if i % 2 == 0 or not mine:
            added = ops.AddCard(f"{me} {i}", actor=me)
            mine.append(added.card_id)
            op: ops.Op = added
        else:
            op = ops.MoveCard(mine[-1], STAGES[len(mine) % 3], actor=me)
        change(board_path, op)
        latencies.append(time.perf_counter() - began)
    out.put((me, mine, latencies))


def run(cards: int, writers: int, count: int, with_board: bool = False) -> dict[str, Any]:
    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "board.toml"
        make_board(path, cards)
        start, out = context.Barrier(writers + 1), context.Queue()
        procs = [
            context.Process(target=writer, args=(str(path), f"w{n}", count, with_board, start, out))
            for n in range(writers)
        ]
        for p in procs:
            p.start()
        start.wait()
        began = time.perf_counter()
        results = [out.get(timeout=600) for _ in procs]
        wall = time.perf_counter() - began
        for p in procs:
            p.join()
        final = storage.load(path).board
    lost = 0
    latencies: list[float] = []
    for _, mine, lat in results:
        latencies += lat
        for n, cid in enumerate(mine, start=1):
            card = final.cards.get(cid)
            moved = n < len(mine) or count % 2 == 0
            if card is None or (moved and card.stage != STAGES[n % 3]):
                lost += 1
    latencies.sort()
    return {
        "ops_per_s": len(latencies) / wall,
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "lost": lost,
    }


def _drawn(terminal: Terminal, marker: bytes, start: int) -> bool:
    return marker in terminal.output[start:]


def screen_delays(cards: int, count: int) -> tuple[list[float], list[float], str]:
    """Seconds from an outside write to the app's screen showing it, `count` times.

    Measured from the write's end and from its start; and how the app watched the file.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "board.toml"
        make_board(path, cards)
        board = storage.load(path).board
        learned = len(board.column(Stage.LEARNED))
        how = f"polling every {POLL_INTERVAL:g} s" if is_remote(path) else "inotify"
        terminal = Terminal([str(EXECUTABLE), "open", str(path)], Path(folder))
        shown: list[float] = []
        writes: list[float] = []  # from the start of the write
        try:
            terminal.wait_for(lambda: board.title.encode() in terminal.output, 60)
            time.sleep(1.0)  # let the first frame settle
            for number in range(count):
                op = ops.AddCard(f"probe {number}", stage=Stage.LEARNED, actor="bench")
                marker = f" learned {learned + number + 1} ".encode()
                start = len(terminal.output)
                began = time.perf_counter()
                commit(path, op)
                wrote = time.perf_counter()
                seen = terminal.wait_for(partial(_drawn, terminal, marker, start), 10)
                shown.append(seen - wrote)
                writes.append(seen - began)
                time.sleep(0.2)  # people do not write five times a second
        finally:
            terminal.stop()
    return shown, writes, how


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--writers", default="1,2,4,8")
    parser.add_argument("--ops", type=int, default=40, help="operations per writer")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each row (medians)")
    parser.add_argument(
        "--show-repeat", type=int, default=20, help="outside writes timed to the app's screen"
    )
    parser.add_argument(
        "--with-board", action="store_true", help="through commit(), reading the board back"
    )
    parser.add_argument("--no-screen", action="store_true", help="only the writers' table")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.writers, args.ops, args.show_repeat = "20", "1,2", 6, 3
        args.rounds = 1
    sizes = [int(s) for s in args.sizes.split(",")]
    counts = [int(w) for w in args.writers.split(",")]
    print(f"machine: {machine()}")
    how = "commit()" if args.with_board else "write_op()"
    print(
        f"{args.ops} operations per writer (add / move alternating), each through {how}; "
        f"medians of {args.rounds} rounds"
    )
    print()
    header = f"{'cards':>6} {'writers':>7} {'ops/s':>8} {'p50 ms':>8} {'p99 ms':>8}"
    print(f"{header} {'p99/base p50':>13} {'lost':>5}")
    failed = False
    for size in sizes:
        # rounds interleaved (1, 2, 4, 8 writers, then again): the machine's noise
        # falls on every row alike; each figure is the median over the rounds
        runs: dict[int, list[dict[str, Any]]] = {n: [] for n in counts}
        for _round in range(args.rounds):
            for n in counts:
                runs[n].append(run(size, n, args.ops, args.with_board))
        base = statistics.median(r["p50"] for r in runs[counts[0]])
        for n in counts:
            ops_per_s, p50, p99 = (
                statistics.median(r[key] for r in runs[n]) for key in ("ops_per_s", "p50", "p99")
            )
            lost = sum(r["lost"] for r in runs[n])
            print(
                f"{size:>6} {n:>7} {ops_per_s:>8.1f} {p50 * 1000:>8.1f} "
                f"{p99 * 1000:>8.1f} {p99 / base:>12.1f}x {lost:>5}"
            )
            failed |= lost > 0
    print()
    print(
        "target: 8 writers on 1,000 cards: p99 <= 8x the single-writer p50, "
        "ops/s >= ops/s of 1 writer, 0 lost"
    )
    print()
    if args.no_screen:
        return 1 if failed else 0
    print(f"outside write -> the app's screen shows it ({args.show_repeat} writes, 100×30 pty)")
    head = f"{'cards':>6} {'p50 ms':>8} {'p90 ms':>8} {'max ms':>8} {'from start p50':>15}"
    print(f"{head}  watching")
    for size in sizes:
        shown, writes, how = screen_delays(size, args.show_repeat)
        shown.sort()
        p90 = shown[min(len(shown) - 1, int(len(shown) * 0.9))]
        print(
            f"{size:>6} {statistics.median(shown) * 1000:>8.0f} {p90 * 1000:>8.0f} "
            f"{shown[-1] * 1000:>8.0f} {statistics.median(writes) * 1000:>15.0f}  {how}"
        )
        failed |= shown[-1] > 1.0
    print("target: every outside write on screen within 1 s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

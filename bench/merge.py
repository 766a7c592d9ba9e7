"""Merging a board: the sprintboard merge driver against a plain ``git merge-file``.

    python bench/merge.py [--sizes 1000,10000] [--changes 50] [--repeat N] [--smoke]

For each size it generates a realistic board (see `benchlib.board_data`) as the base,
makes two descendants with `--changes` random operations each (edits, moves, votes,
new cards, archiving; different cards on the two sides, as two facilitators working
apart mostly touch different cards), writes the three canonical files to a temporary
folder and times, interleaved round by round:

  git merge-file -p       the text merge git does without the driver (the floor)
  driver, whole process   ``sprintboard merge-driver BASE OURS THEIRS`` as git runs it
                          (the installed script): process start, read the three files,
                          parse what a side changed, merge, write
  pydantic + tomli        ``python -c "from pydantic import BaseModel; import tomli"``:
                          issue 11's baseline, the libraries any reader of a board needs
  command line start      ``sprintboard --version``: the interpreter and the command
                          line, which import no board, model or pydantic
  merge.merge only        the three-way merge of three parsed boards, in this process

The processes run with their bytecode cached (in a temporary ``PYTHONPYCACHEPREFIX``),
as an installed package runs, even when ``PYTHONDONTWRITEBYTECODE`` is set. It prints
the driver's time as a ratio to the baseline (this machine may be slower than the
one a target was set on; the ratio is what compares).

(There is no "driver in this process" row: storage remembers the cards it parsed and
wrote, so a second run in one process would time a warm cache, which git never has.)

It also says whether each merge was clean, and checks that the driver's result holds
every change of both sides. A script, not a test: `--smoke` runs a tiny size once so
that CI can check that it still runs.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchlib import machine, make_board, median_ms

from sprintboard import ops, storage
from sprintboard.git.driver import run_driver
from sprintboard.merge import merge
from sprintboard.model import ID_ALPHABET, Board, Stage

BASELINE = [sys.executable, "-c", "from pydantic import BaseModel; import tomli"]


def script() -> list[str]:
    """How git runs the driver: the installed `sprintboard` script, else ``python -m``."""
    installed = Path(sys.executable).parent / "sprintboard"
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "sprintboard"]


DRIVER = [*script(), "merge-driver"]


def change(board: Board, rnd: random.Random, card_ids: list[str], n: int) -> Board:
    """`board` after `n` random operations on the cards of `card_ids` (and new cards)."""
    members = sorted(board.members)
    at = max(c.updated for c in board.cards.values())
    for i in range(n):
        kind = rnd.choice(["edit", "edit", "move", "move", "vote", "add", "archive"])
        cid = card_ids[i % len(card_ids)]
        if kind == "edit":
            op: ops.Op = ops.EditCard(cid, {"title": f"Edited {rnd.randrange(10**6)}"}, at=at)
        elif kind == "move":
            op = ops.MoveCard(cid, rnd.choice(list(Stage)), actor=members[0], at=at)
        elif kind == "vote":
            op = ops.Vote(cid, rnd.choice(members), rnd.randint(1, 3))
        elif kind == "archive":
            op = ops.ArchiveCard(cid, at=at)
        else:
            new = "".join(rnd.choice(ID_ALPHABET) for _ in range(8))
            op = ops.AddCard(f"New card {new}", card_id=new, by=(members[0],), at=at)
        board = ops.apply(board, op)
    return board


def prepare(cards: int, changes: int, folder: Path) -> tuple[dict[str, Callable[[], object]], str]:
    rnd = random.Random(cards)
    base = make_board(cards)
    ids = sorted(base.cards)
    rnd.shuffle(ids)
    ours = change(base, rnd, ids[:changes], changes)
    theirs = change(base, rnd, ids[changes : 2 * changes], changes)
    paths = {name: folder / f"{name}-{cards}.toml" for name in ("base", "ours", "theirs")}
    for name, board in (("base", base), ("ours", ours), ("theirs", theirs)):
        paths[name].write_text(storage.dumps(board), encoding="utf-8")
    target = folder / f"merged-{cards}.toml"

    # bytecode cached, as an installed package runs (see the module's docstring)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")

    def fresh_target() -> Path:
        shutil.copyfile(paths["ours"], target)
        return target

    def merge_file() -> int:
        args = ["git", "merge-file", "-p", *(str(paths[n]) for n in ("ours", "base", "theirs"))]
        return subprocess.run(args, capture_output=True, check=False).returncode

    def driver_process() -> int:
        args = [*DRIVER, str(paths["base"]), str(fresh_target()), str(paths["theirs"])]
        return subprocess.run(args, capture_output=True, check=False, env=env).returncode

    def process_start() -> int:
        version = [*DRIVER[:-1], "--version"]
        return subprocess.run(version, capture_output=True, check=False, env=env).returncode

    def baseline() -> int:
        return subprocess.run(BASELINE, capture_output=True, check=False, env=env).returncode

    def merge_only() -> object:
        return merge(base, ours, theirs)

    # Sanity: the driver's merge is clean, holds both sides' changes, and is what it writes.
    assert run_driver(paths["base"], fresh_target(), paths["theirs"])[0] == 0
    result = merge(base, ours, theirs)
    assert target.read_text(encoding="utf-8") == storage.dumps(result.board)
    assert result.clean, result.conflicts
    for side in (ours, theirs):
        for cid, card in side.cards.items():
            if base.cards.get(cid) != card:
                assert result.board.cards[cid] == card, cid
    text_conflicts = merge_file()
    size = paths["base"].stat().st_size
    about = (
        f"{len(base.cards):,} cards, {size / 1024:.0f} KiB; {changes} changes per side; "
        f"git merge-file: {'clean' if text_conflicts == 0 else f'{text_conflicts} conflicts'}"
        f", driver: clean"
    )
    runs = {
        "git merge-file -p": merge_file,
        "driver, whole process": driver_process,
        "pydantic + tomli": baseline,
        "command line start": process_start,
        "merge.merge only": merge_only,
    }
    return runs, about


def measure(runs: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in runs}
    order = list(runs)
    for run in runs.values():  # a round not timed: the bytecode cache fills
        run()
    for round_ in range(repeat):
        shift = round_ % len(order)
        for name in order[shift:] + order[:shift]:
            gc.collect()
            start = time.perf_counter()
            runs[name]()
            times[name].append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="card counts, comma-separated")
    parser.add_argument("--changes", type=int, default=50, help="operations on each side")
    parser.add_argument("--repeat", type=int, default=5, help="rounds per size")
    parser.add_argument("--smoke", action="store_true", help="a tiny board, one round (for CI)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.smoke:
        sizes, args.changes, args.repeat = [40], 5, 1
    if any(s < 2 * args.changes for s in sizes) or args.repeat < 1 or args.changes < 1:
        parser.error("each size must be at least twice --changes; --repeat at least 1")

    print("sprintboard merge bench")
    print("machine:", machine())
    print(f"{shutil.which('git')}: {subprocess.check_output(['git', '--version'], text=True)}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="sprintboard-merge-") as tmp:
        for cards in sizes:
            runs, about = prepare(cards, args.changes, Path(tmp))
            times = measure(runs, args.repeat)
            floor = median_ms(times["git merge-file -p"])
            print(f"\n{about}; {args.repeat} rounds, wall time")
            print(f"  {'':<24}{'median ms':>10}{'min ms':>10}{'x merge-file':>14}")
            for name, samples in times.items():
                median = median_ms(samples)
                ratio = median / floor if floor else float("nan")
                low = min(samples) * 1000
                print(f"  {name:<24}{median:>10.1f}{low:>10.1f}{ratio:>14.1f}", flush=True)
            driver = median_ms(times["driver, whole process"])
            base = median_ms(times["pydantic + tomli"])
            print(
                f"  driver: {driver / 1000:.3f} s wall (issue 11's target: at most 0.3 s), "
                f'{driver / base:.2f}x python -c "from pydantic import BaseModel; import tomli"'
            )
    print(f"\ntotal {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

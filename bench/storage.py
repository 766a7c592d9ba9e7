"""Load and save of board files against the bare TOML libraries, side by side.

    python bench/storage.py [--sizes 100,1000,10000] [--shapes sprint,plain] [--repeat N]
                            [--smoke]

For each size and shape it generates a board (see `benchlib.board_data`: "sprint" is
realistic, "plain" the issue's cards of a title, a body and one history entry), writes
its canonical text to a temporary folder, then times, interleaved round by round (the
order rotating) so that noise from other processes hits every variant alike:

  load  bare ``tomli.loads(text)``            the floor: parsing the TOML alone
        ``storage.parse(text, path)``         parse + validate into a `Board`
        ``storage.load(path)``                read + decode + digest + parse
        (both cold: nothing remembered of the cards, as in a fresh process)
        ``outline.read(text)``                a board's face for the first frame, no
                                              pydantic (target: ~30 ms at 10,000 cards
                                              on a fast machine; compare its ratio)
        ``storage.parse`` of the same file after someone else changed one card:
        what the app and a looping writer pay (unchanged cards are reused)
  save  bare ``tomli_w.dumps(data)``          the same document (``storage.to_data``)
        ``storage.dumps(board)``              `Board` -> canonical text, every card
                                              written (new card objects each run,
                                              so no per-card cache helps)
        ``storage.save(path, board)``         the same + temp file, fsync, rename,
                                              fsync of the folder
  edit  ``ops.apply(board, EditCard)`` + ``storage.save``, the board as last saved:
        what one edit in the app costs

`storage` pauses the cyclic garbage collector while it parses and writes, so each
bare library is also timed with the collector paused ("gc paused"): the ratio to
that row compares like for like, the ratio to the plain row is what a user gets.

It prints medians of wall time and of CPU time (CPU time is steadier on a busy
machine; wall time includes the fsyncs), the minimum CPU time, and each variant's
ratio to the bare library. Targets (judged on the CPU medians): parse ≤ 1.3 ×
tomli.loads, full dumps ≤ 1.3 × tomli_w.dumps. A script, not a test: `--smoke`
runs tiny boards for two rounds so CI can check that it still runs.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import tomli
import tomli_w
from benchlib import SHAPES, board_data, machine, median_ms

from sprintboard import layout, ops, outline, storage
from sprintboard.model import Board

TARGET = 1.3

# (label, what it is compared with, like-for-like reference when the 1.3x target applies)
VARIANTS = (
    ("tomli.loads (bare)", None, None),
    ("tomli.loads (bare, gc paused)", "tomli.loads (bare)", None),
    ("storage.parse (parse+validate)", "tomli.loads (bare)", "tomli.loads (bare, gc paused)"),
    ("storage.load (read+parse)", "tomli.loads (bare)", None),
    ("outline.read (first frame's face)", "tomli.loads (bare)", None),
    ("storage.parse, 1 card changed", "tomli.loads (bare)", None),
    ("tomli_w.dumps (bare)", None, None),
    ("tomli_w.dumps (bare, gc paused)", "tomli_w.dumps (bare)", None),
    ("storage.dumps (full)", "tomli_w.dumps (bare)", "tomli_w.dumps (bare, gc paused)"),
    ("storage.save (full, +fsync+rename)", "tomli_w.dumps (bare)", None),
    ("apply(EditCard) + storage.save", "tomli_w.dumps (bare)", None),
)


def default_repeat(cards: int) -> int:
    """Enough rounds for a steady median; few for the big board (~12 s a round)."""
    if cards >= 10_000:
        return 3
    if cards >= 1_000:
        return 15
    return 31


def gc_paused(run: Callable[[], object]) -> Callable[[], object]:
    """`run` with the cyclic garbage collector paused, as `storage` pauses it."""

    def paused() -> object:
        gc.disable()
        try:
            return run()
        finally:
            gc.enable()

    return paused


Run = Callable[[], object]
Setup = Callable[[], Run]
"""Prepares one timed run (untimed) and returns it."""


def ready(run: Run) -> Setup:
    return lambda: run


def fresh(board: Board) -> Board:
    """An equal board of new card objects: nothing any per-card cache has seen."""
    cards = {cid: card.model_copy() for cid, card in board.cards.items()}
    return board.model_copy(update={"cards": cards})


def prepare(cards: int, shape: str, folder: Path) -> tuple[dict[str, Setup], str]:
    """The timed runs for one board size and shape, and a line describing the board."""
    board = Board.model_validate(board_data(cards, shape=shape))
    text = storage.dumps(board)
    path = folder / f"board-{cards}.toml"
    path.write_bytes(text.encode())
    saved = folder / f"saved-{cards}.toml"
    edited = folder / f"edited-{cards}.toml"
    data = storage.to_data(board)

    # Sanity (also what the CI smoke run checks): the real thing round-trips, and the
    # bare library is given the very document storage writes.
    if storage.parse(text, path) != board:
        raise SystemExit(f"{cards} cards: parse(dumps(board)) != board")
    if tomli_w.dumps(data, multiline_strings=True) != text:
        raise SystemExit(f"{cards} cards: tomli_w.dumps(to_data(board)) != dumps(board)")
    cut = layout.cut(text)
    if cut is None or outline._by_card(cut) is None:  # the fast pass, not the whole text
        raise SystemExit(f"{cards} cards: outline.read did not read the canonical text by card")

    card_id = sorted(board.cards)[len(board.cards) // 2]
    edits = iter(range(1 << 30))

    def cold(run: Run) -> Setup:
        # a first read: nothing remembered from earlier rounds
        def setup() -> Run:
            storage.forget_cards()
            return run

        return setup

    other = ops.apply(board, ops.EditCard(card_id, {"title": "Changed elsewhere"}, actor="b"))
    other_text = storage.dumps(other)

    def reread() -> Run:
        # the app after someone else's save: the file it knew, one card changed
        storage.forget_cards()
        storage.parse(text, path)
        return lambda: storage.parse(other_text, path)

    def full_dumps() -> Run:
        copy = fresh(board)
        return lambda: storage.dumps(copy)

    def full_save() -> Run:
        copy = fresh(board)
        return lambda: storage.save(saved, copy)

    def edit_and_save() -> Run:
        # as in the app: the board as last written, then one edit, then a save
        current = fresh(board)
        storage.dumps(current)
        op = ops.EditCard(card_id, {"title": f"Edited title {next(edits)}"}, actor="bench")
        return lambda: storage.save(edited, ops.apply(current, op))

    runs: dict[str, Setup] = {
        "tomli.loads (bare)": ready(lambda: tomli.loads(text)),
        "tomli.loads (bare, gc paused)": ready(gc_paused(lambda: tomli.loads(text))),
        "storage.parse (parse+validate)": cold(lambda: storage.parse(text, path)),
        "storage.load (read+parse)": cold(lambda: storage.load(path)),
        "outline.read (first frame's face)": ready(lambda: outline.read(text)),
        "storage.parse, 1 card changed": reread,
        "tomli_w.dumps (bare)": ready(lambda: tomli_w.dumps(data, multiline_strings=True)),
        "tomli_w.dumps (bare, gc paused)": ready(
            gc_paused(lambda: tomli_w.dumps(data, multiline_strings=True))
        ),
        "storage.dumps (full)": full_dumps,
        "storage.save (full, +fsync+rename)": full_save,
        "apply(EditCard) + storage.save": edit_and_save,
    }
    size = len(text.encode())
    about = (
        f"{shape} shape, {len(board.members)} members, "
        f"{text.count(chr(10)) + 1} lines, {size / 1024:.0f} KiB"
    )
    return runs, about


def measure(
    runs: dict[str, Setup], repeat: int, warm_up: bool
) -> dict[str, tuple[list[float], list[float]]]:
    """Wall and CPU seconds per run, variants interleaved in every round.

    The order rotates from round to round so that no variant always follows the
    same one (and inherits its freed memory or cold caches).
    """
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in runs}
    for setup in runs.values() if warm_up else ():  # caches, first-call costs
        setup()()
    order = list(runs)
    for round_ in range(repeat):
        shift = round_ % len(order)
        for name in order[shift:] + order[:shift]:
            run = runs[name]()
            gc.collect()
            wall0, cpu0 = time.perf_counter(), time.process_time()
            result = run()
            cpu1, wall1 = time.process_time(), time.perf_counter()
            del result  # freeing what a run returns is not part of it: a caller keeps it
            times[name][0].append(wall1 - wall0)
            times[name][1].append(cpu1 - cpu0)
    return times


def table(
    cards: int, about: str, repeat: int, times: dict[str, tuple[list[float], list[float]]]
) -> str:
    figures = {
        name: (median_ms(wall), median_ms(cpu), min(cpu) * 1000)
        for name, (wall, cpu) in times.items()
    }
    head = (
        f"{'':<36}{'wall ms':>9}{'cpu ms':>9}{'cpu ms':>9}{'x bare':>8}{'x bare':>8}{'x bare':>8}"
        f"  target: cpu median\n"
        f"{'':<36}{'median':>9}{'median':>9}{'min':>9}{'wall':>8}{'cpu':>8}{'cpu min':>8}"
        f"  <= {TARGET}x bare"
    )
    spread = [(max(cpu) - min(cpu)) / statistics.median(cpu) for _, cpu in times.values()]
    lines = [
        f"\n{cards:,} cards — {about}; {repeat} rounds "
        f"(CPU time of a run varies by up to {100 * max(spread):.0f} % between rounds)",
        head,
    ]
    for label, base, like in VARIANTS:
        wall, cpu, low = figures[label]
        verdict = ""
        ratios = ""
        if base is None:
            ratios = f"{'1.00':>8}" * 3
        else:
            bwall, bcpu, blow = figures[base]
            for mine, bare in ((wall, bwall), (cpu, bcpu), (low, blow)):
                ratios += f"{mine / bare:>8.2f}" if bare else f"{'-':>8}"
            if like is not None and bcpu and blow and figures[like][1]:
                ok = cpu / bcpu <= TARGET
                same = cpu / figures[like][1]
                verdict = f"{'met' if ok else 'MISSED'} ({same:.2f}x the gc-paused bare)"
                if ok != (low / blow <= TARGET):
                    verdict += "; the minima say otherwise: within noise"
        lines.append(f"  {label:<34}{wall:>9.1f}{cpu:>9.1f}{low:>9.1f}{ratios}  {verdict}".rstrip())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="card counts, comma-separated")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="board shapes, comma-separated")
    parser.add_argument("--repeat", type=int, help="rounds per size (default: by size)")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, two rounds (for CI)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
    if not set(shapes) <= set(SHAPES):
        parser.error(f"--shapes: one or more of {', '.join(SHAPES)}")
    if args.smoke:
        sizes, args.repeat = [5, 50], 2
    if any(s < 1 for s in sizes) or (args.repeat is not None and args.repeat < 1):
        parser.error("sizes and --repeat must be at least 1")

    print("sprintboard storage bench")
    print("machine:", machine())
    print(
        "ratios are against the bare library on the same document; the target verdict "
        "uses CPU time, steadier than wall time on a shared machine.\nstorage pauses the "
        "cyclic gc while it parses and writes: 'x gc-paused bare' compares like for like"
    )
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="sprintboard-bench-") as tmp:
        for shape in shapes:
            for cards in sizes:
                repeat = args.repeat or default_repeat(cards)
                runs, about = prepare(cards, shape, Path(tmp))
                times = measure(runs, repeat, warm_up=cards < 10_000)
                print(table(cards, about, repeat, times), flush=True)
    print(f"\ntotal {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

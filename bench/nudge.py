"""The nudge in a real terminal: from the move key to the nudge on screen, and to the
move saved, on a board of 1,000 cards.

    python bench/nudge.py [--size N] [--moves N] [--smoke]

The `sprintboard` executable in a pseudo-terminal (bench/tui.py's `Terminal`, 120×40,
bytecode cached after an uncounted start). The first card of prototype, its experiment
emptied, is moved on into test (`L`): the time from writing the key to the nudge's
question on screen, and to the board file replaced on disk (the move is saved before
anything is typed). Then escape (as the kitty keyboard protocol sends it) and `H` in
one write take it back, and the next round starts once that is saved.

No target of its own: the move's (bench/tui.py: ≤ 50 ms key to screen, saved within
100 ms) is the yardstick — the nudge must not make a move slower to save. A script,
not a test: `--smoke` runs a small board so CI can check that it still runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchlib import machine, make_board, median_ms
from tui import EXECUTABLE, Terminal

from sprintboard import storage
from sprintboard.fields import in_group
from sprintboard.model import Stage

QUESTION = b"What do we believe"
SKIP_AND_BACK = b"\x1b[27uH"  # escape (kitty protocol), then the card back to prototype


def prepared(path: Path, size: int) -> str:
    """Write a board of `size` cards whose first prototype card has no experiment; its title."""
    board = make_board(size, shape="sprint")
    card_id, card = board.column(Stage.PROTOTYPE)[0]
    empty: dict[str, object] = dict.fromkeys(in_group("experiment"), "")
    cards = {**board.cards, card_id: card.model_copy(update=empty)}
    storage.save(path, board.model_copy(update={"cards": cards}))
    return board.title


def changed(path: Path, before: tuple[int, int]) -> bool:
    now = os.stat(path)
    return (now.st_ino, now.st_mtime_ns) != before


def measure(path: Path, title: str, cwd: Path, moves: int) -> tuple[list[float], list[float]]:
    terminal = Terminal([str(EXECUTABLE), "open", str(path)], cwd)
    shown_after: list[float] = []
    saved_after: list[float] = []
    try:
        terminal.wait_for(lambda: title.encode() in terminal.output)
        time.sleep(1.0)  # let the first frame settle
        os.write(terminal.fd, b"l")  # the prototype column, its first card
        time.sleep(0.3)
        for number in range(moves):
            stat = os.stat(path)
            before = stat.st_ino, stat.st_mtime_ns
            start = len(terminal.output)
            sent = time.perf_counter()
            os.write(terminal.fd, b"L")
            shown = saved = 0.0
            deadline = sent + 10
            while not (shown and saved) and time.perf_counter() < deadline:
                terminal.read(0.0005)
                if not shown and QUESTION in terminal.output[start:]:
                    shown = time.perf_counter()
                if not saved and changed(path, before):
                    saved = time.perf_counter()
            if not (shown and saved):
                raise RuntimeError(f"move {number + 1}: no nudge or no save seen")
            shown_after.append(shown - sent)
            saved_after.append(saved - sent)
            stat = os.stat(path)
            back = stat.st_ino, stat.st_mtime_ns
            os.write(terminal.fd, SKIP_AND_BACK)
            terminal.wait_for(lambda before=back: changed(path, before), 10)  # type: ignore[misc]
            time.sleep(0.15)  # a person does not press faster
        os.write(terminal.fd, b"q")
        terminal.wait_for(lambda: terminal.process.poll() is not None, 30)
    finally:
        terminal.stop()
    return shown_after, saved_after


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--smoke", action="store_true", help="one small run, for CI")
    args = parser.parse_args()
    size, moves = (100, 2) if args.smoke else (args.size, args.moves)
    if not EXECUTABLE.exists():
        print(f"no {EXECUTABLE}: install the package first", file=sys.stderr)
        return 1
    print(machine())
    print(f"terminal 120×40, board shape 'sprint', {size:,} cards, {moves} moves into test\n")
    folder = Path(tempfile.mkdtemp(prefix="sprintboard-bench-"))
    Terminal.bytecode = folder / "bytecode"
    try:
        path = folder / "board.toml"
        # a fresh board for each run: H puts the card back last in its column
        measure(path, prepared(path, size), folder, 1)  # the warm-up: bytecode, page cache
        shown, saved = measure(path, prepared(path, size), folder, moves)
        print(f"L into test → nudge on screen   {median_ms(shown):5.0f} ms median")
        print(f"                                {max(shown) * 1000:5.0f} ms max")
        print(f"L into test → move saved        {median_ms(saved):5.0f} ms median")
        print(f"                                {max(saved) * 1000:5.0f} ms max")
        load = os.getloadavg()[0]
        print(f"(the move's targets: ≤ 50 ms to screen, saved within 100 ms; load {load:.2f})")
        return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

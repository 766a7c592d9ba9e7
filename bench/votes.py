"""From a dot given in one app to the tally in the others: the real executable in ptys.

    python bench/votes.py [--apps N] [--votes N] [--cards N] [--smoke]

A generated sprint board (`benchlib.make_board`, 100 cards by default) with a vote round
open on its idea stage; N `sprintboard open` processes (4 by default) in pseudo-terminals
of 120×40, each as its own member. The first votes; every other one has the round
panel open (`R`). For each vote the script writes `v` to the voter (the same card, a
budget large enough for every vote) and times, for every other app, how long until its
panel shows the new "Dots left in the room" — the voter's save, the others' file
watchers, their reading of the file and the panel's redraw, end to end. A person does
not vote faster than a few times a second: the script waits 0.3 s between votes.

Target: every app shows the vote within 1 s (max), median ≤ 250 ms. A script, not a
test: `--smoke` runs two apps and two votes so CI can check that it still runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchlib import machine, make_board, median_ms
from tui import EXECUTABLE, Terminal

from sprintboard import ops, rounds, storage

MAX_TARGET_S = 1.0
MEDIAN_TARGET_MS = 250


def start(path: Path, member: str, cwd: Path) -> Terminal:
    """`sprintboard open PATH` as `member` in a pty (Terminal reads SPRINTBOARD_USER)."""
    os.environ["SPRINTBOARD_USER"] = member
    try:
        return Terminal([str(EXECUTABLE), "open", str(path)], cwd)
    finally:
        del os.environ["SPRINTBOARD_USER"]


def shows(terminal: Terminal, text: bytes) -> Callable[[], bool]:
    """A `wait_for` condition: `terminal` has written `text`."""
    return lambda: text in terminal.output


def room_text(left: int, total: int) -> bytes:
    return f"Dots left in the room: {left} of {total}".encode()


def measure(
    apps: int, votes: int, cards: int, folder: Path
) -> tuple[list[list[float]], list[float]]:
    """Seconds from each `v` to each other app's panel showing it (one list per vote),
    and from each `v` to the voter's save replacing the board file."""
    path = folder / "board.toml"
    board = make_board(cards)
    members = sorted(board.members)[:apps]
    if len(members) < apps:
        raise SystemExit(f"the generated board has {len(board.members)} members, not {apps}")
    board = ops.apply(board, ops.StartRound(dots=min(99, votes + 1), actor=members[0]))
    storage.save(path, board)
    total = rounds.room_dots_left(board)
    terminals = [start(path, member, folder) for member in members]
    voter, watchers = terminals[0], terminals[1:]
    try:
        for terminal in terminals:
            terminal.wait_for(shows(terminal, board.title.encode()))
        voter.wait_for(shows(voter, b"dots left: "))
        for watcher in watchers:
            os.write(watcher.fd, b"R")
            watcher.wait_for(shows(watcher, room_text(total, total)))
        time.sleep(1.0)  # let every app settle
        samples: list[list[float]] = []
        saves: list[float] = []
        for number in range(votes):
            before = os.stat(path).st_ino, os.stat(path).st_mtime_ns
            saved = 0.0
            expected = room_text(total - number - 1, total)
            offsets = [len(w.output) for w in watchers]
            sent = time.perf_counter()
            os.write(voter.fd, b"v")
            seen: list[float | None] = [None] * len(watchers)
            deadline = sent + 10
            while (None in seen or not saved) and time.perf_counter() < deadline:
                voter.read(0)
                if not saved:
                    now = os.stat(path)
                    if (now.st_ino, now.st_mtime_ns) != before:
                        saved = time.perf_counter() - sent
                for index, watcher in enumerate(watchers):
                    if seen[index] is None:
                        watcher.read(0.0005)
                        if expected in watcher.output[offsets[index] :]:
                            seen[index] = time.perf_counter() - sent
            if None in seen or not saved:
                raise RuntimeError(f"vote {number + 1}: not every app showed it within 10 s")
            samples.append([s for s in seen if s is not None])
            saves.append(saved)
            time.sleep(0.3)
        for terminal in terminals:
            os.write(terminal.fd, b"\x1bq")  # close the panel, quit
    finally:
        for terminal in terminals:
            terminal.stop()
    return samples, saves


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--apps", type=int, default=4)
    parser.add_argument("--votes", type=int, default=20)
    parser.add_argument("--cards", type=int, default=100)
    parser.add_argument("--smoke", action="store_true", help="two apps, two votes, for CI")
    args = parser.parse_args()
    apps, votes = (2, 2) if args.smoke else (args.apps, args.votes)
    if apps < 2:
        print("--apps must be at least 2: one votes, the others watch", file=sys.stderr)
        return 2
    if not EXECUTABLE.exists():
        print(f"no {EXECUTABLE}: install the package first", file=sys.stderr)
        return 1
    print(machine())
    print(
        f"{apps} apps in ptys on a {args.cards}-card board, {votes} votes, "
        "vote in the first app -> the round panel of every other app\n"
    )
    folder = Path(tempfile.mkdtemp(prefix="sprintboard-votes-"))
    try:
        samples, saves = measure(apps, votes, args.cards, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    every = [s for vote in samples for s in vote]
    slowest = [max(vote) for vote in samples]  # the vote shown in *every* app
    print(f"{'':24}{'median':>10}{'max':>10}")
    print(f"{'voter: key to saved':24}{median_ms(saves):>8.0f} ms{max(saves) * 1000:>7.0f} ms")
    print(f"{'each app':24}{median_ms(every):>8.0f} ms{max(every) * 1000:>7.0f} ms")
    print(f"{'every app (slowest)':24}{median_ms(slowest):>8.0f} ms{max(slowest) * 1000:>7.0f} ms")
    spread = statistics.pstdev(every) * 1000 if len(every) > 1 else 0.0
    print(f"{'spread (stdev)':24}{spread:>8.0f} ms")
    ok = max(slowest) <= MAX_TARGET_S and median_ms(slowest) <= MEDIAN_TARGET_MS
    print(
        f"\ntargets: max ≤ {MAX_TARGET_S * 1000:.0f} ms, median ≤ {MEDIAN_TARGET_MS} ms "
        f"(every app)  {'ok' if ok else 'MISSED'}"
    )
    return 0 if args.smoke or ok else 1


if __name__ == "__main__":
    sys.exit(main())

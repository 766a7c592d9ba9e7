"""Many writers, one board file: real processes, real files, nothing lost or torn."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sprintboard import ops, storage
from sprintboard.model import Board, Stage
from sprintboard.session import commit, create

WRITERS = 8
OPS_EACH = 50

# One writer: 50 command-line operations (20 adds, 20 moves, 10 edits) on the shared
# board, through cli.main (the code the `sprintboard` command runs) in its own process.
WRITER = """
import contextlib, io, sys
from sprintboard.cli import main
board, me = sys.argv[1], sys.argv[2]
stages = ["prototype", "test", "learned"]

def run(*args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--as", me, *args])
    assert code == 0, (args, code)
    return out.getvalue().strip()

ids = []
for i in range(10):
    a = run("add", board, f"{me} card {2 * i}")
    b = run("add", board, f"{me} card {2 * i + 1}")
    ids += [a, b]
    run("move", board, a, stages[(2 * i) % 3])
    run("move", board, b, stages[(2 * i + 1) % 3])
    run("edit", board, a, "--set", f"body={me} note {2 * i}")
print(" ".join(ids))
"""
STAGES = [Stage.PROTOTYPE, Stage.TEST, Stage.LEARNED]


def new_board(path: Path) -> None:
    create(path, Board.model_validate({"schema": 1, "title": "Shared"}))


def test_eight_processes_fifty_operations_each_lose_nothing(tmp_path: Path) -> None:
    board = tmp_path / "shared.toml"
    new_board(board)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(board), f"w{n}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err

    final = storage.load(board).board  # the file validates
    assert len(final.cards) == WRITERS * 20
    for n, (out, _) in enumerate(results):
        me = f"w{n}"
        ids = out.split()
        assert len(ids) == 20
        for i, cid in enumerate(ids):
            card = final.cards[cid]
            assert card.title == f"{me} card {i}"
            assert card.stage == STAGES[i % 3]
            assert [h.by for h in card.history] == [me, me]
            assert card.body == (f"{me} note {i}" if i % 2 == 0 else "")


def _write_forever(path: str) -> None:
    """A writer that never stops on its own: add, edit, move, again and again."""
    board_path = Path(path)
    i = 0
    while True:
        i += 1
        board, _ = commit(board_path, ops.AddCard(f"card {i} " + "x" * (i % 300)))
        cid = next(iter(board.cards))
        commit(board_path, ops.EditCard(cid, {"body": "y" * (i % 5000)}))
        commit(board_path, ops.MoveCard(cid, Stage.TEST))


def test_writer_killed_at_random_moments_never_tears_the_file(tmp_path: Path) -> None:
    board = tmp_path / "crash.toml"
    new_board(board)
    context = multiprocessing.get_context("fork")
    rng = random.Random(1234)
    before = board.read_bytes()
    for _ in range(200):
        writer = context.Process(target=_write_forever, args=(str(board),))
        writer.start()
        # kill it while it is busy writing: after its first write, at a random moment
        deadline = time.monotonic() + 10
        while board.read_bytes() == before and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(rng.uniform(0.0, 0.02))
        assert writer.pid is not None
        os.kill(writer.pid, signal.SIGKILL)
        writer.join()
        loaded = storage.load(board)  # raises if torn, empty or invalid
        assert loaded.text.encode() != before  # it wrote in this round
        before = loaded.text.encode()
        # the lock died with its holder: it can be taken at once
        with storage.locked(board, timeout=0.5):
            pass
    # kills in the middle of a write leave a temp file; the next writer removes it, so
    # at most the last round's is left (of a writer that is gone: the next write's)
    assert len(list(tmp_path.glob(".crash.toml.*.tmp"))) <= 1
    commit(board, ops.AddCard("after the kills"))
    assert list(tmp_path.glob(".crash.toml.*.tmp")) == []


def test_lock_is_exclusive_across_processes(tmp_path: Path) -> None:
    board = tmp_path / "lock.toml"
    new_board(board)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from sprintboard import storage\n"
            "with storage.locked(Path(sys.argv[1])):\n"
            "    print('held', flush=True); time.sleep(30)",
            str(board),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        try:
            with storage.locked(board, timeout=0.3):
                raise AssertionError("took a lock another process holds")
        except storage.BoardFileError as error:
            assert "held its lock" in str(error)
        assert time.monotonic() - started >= 0.3
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        with storage.locked(board, timeout=1.0):
            pass
    finally:
        holder.kill()

"""Group commit: many writers, one write; nothing lost, nothing doubled, whoever dies.

Real processes on a real board in `tmp_path`. A writer that finds the lock busy
queues its operation; the next holder of the lock applies the queue in its write.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sprintboard import ops, storage, wire
from sprintboard.batching import write_op
from sprintboard.model import Board, Stage
from sprintboard.storage import queue

STAGES = [Stage.TEST, Stage.LEARNED, Stage.PROTOTYPE]


def _board(path: Path, cards: int = 40) -> Path:
    board = Board.model_validate({"schema": 1, "title": "Group commit"})
    for i in range(cards):
        board = ops.apply(board, ops.AddCard(f"card {i}"))
    storage.save(path, board)
    return path


def _python(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _queued(path: Path) -> list[str]:
    folder = queue.queue_folder(path)
    return sorted(n for n in os.listdir(folder) if n.endswith(".op")) if folder.exists() else []


def _until(condition: object, what: str, seconds: float = 60.0) -> None:
    """Wait for a state other processes reach (no event crosses processes here)."""
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


# One writer: a card of its own, then moves through STAGES, in order, via write_op.
WRITER = """
import json, sys
from pathlib import Path
from sprintboard import ops
from sprintboard.batching import write_op
from sprintboard.model import Stage
path, me, moves = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
stages = [Stage.TEST, Stage.LEARNED, Stage.PROTOTYPE]
add = ops.AddCard(f"{me}'s card", actor=me)
served = [write_op(path, add).served]
for i in range(moves):
    served.append(write_op(path, ops.MoveCard(add.card_id, stages[i % 3], actor=me)).served)
print(json.dumps({"card": add.card_id, "served": served}))
"""


def test_every_operation_of_many_writers_lands_once_in_each_writers_order(
    tmp_path: Path,
) -> None:
    path = _board(tmp_path / "board.toml")
    writers, moves = 6, 12
    procs = [_python(WRITER, str(path), f"w{n}", str(moves)) for n in range(writers)]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    board = storage.load(path).board
    for n, result in enumerate(results):
        card = board.cards[result["card"]]
        # the add, then every move changes the stage, so each one applied adds exactly
        # one entry: a move lost, doubled or out of order would show in this list
        expected = [Stage.IDEA, *(STAGES[i % 3] for i in range(moves))]
        assert [h.stage for h in card.history] == expected, n
        assert [h.by for h in card.history] == [f"w{n}"] * (moves + 1)
    assert len(board.cards) == 40 + writers
    assert any(any(r["served"]) for r in results), "no operation went through the queue"
    assert _queued(path) == []


@contextmanager
def _holding(path: Path) -> Iterator[None]:
    with storage.locked(path):
        yield


ONE = """
import json, sys
from pathlib import Path
from sprintboard import ops
from sprintboard.batching import write_op
path, me = Path(sys.argv[1]), sys.argv[2]
add = ops.AddCard(f"{me}'s card", actor=me)
done = write_op(path, add)
print(json.dumps({"card": add.card_id, "served": done.served, "undo": type(done.inverse).__name__}))
"""


def test_writers_that_wait_together_cost_one_write(tmp_path: Path) -> None:
    """The guarantee: an operation queued before a write begins is in that write; so
    N writers waiting on a held lock are all applied by the first that takes it."""
    path = _board(tmp_path / "board.toml")
    write_op(path, ops.AddCard("makes the lock file"))
    writers = 5
    with _holding(path):
        procs = [_python(ONE, str(path), f"w{n}") for n in range(writers)]
        _until(lambda: len(_queued(path)) == writers, "every writer to queue")
        before = os.stat(path).st_ino
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    assert sorted(r["served"] for r in results) == [False] + [True] * (writers - 1)
    assert all(r["undo"] == "DeleteCard" for r in results)  # each got its own inverse
    board = storage.load(path).board
    assert all(r["card"] in board.cards for r in results)
    assert os.stat(path).st_ino != before
    assert _queued(path) == []


def test_an_operation_that_no_longer_fits_is_rejected_for_its_writer_alone(
    tmp_path: Path,
) -> None:
    path = _board(tmp_path / "board.toml")
    gone = ops.AddCard("deleted while the move waits")
    write_op(path, gone)
    script = """
    import sys
    from pathlib import Path
    from sprintboard import ops
    from sprintboard.batching import write_op
    from sprintboard.model import Stage
    try:
        write_op(Path(sys.argv[1]), ops.MoveCard(sys.argv[2], Stage.TEST))
    except ops.OpError as error:
        print("rejected:", error)
    """
    with _holding(path):
        mover = _python(script, str(path), gone.card_id)
        adder = _python(ONE, str(path), "adder")
        _until(lambda: len(_queued(path)) == 2, "both writers to queue")
        # the card goes before either queued operation is applied
        board = storage.load(path).board
        cards = {k: v for k, v in board.cards.items() if k != gone.card_id}
        storage.save(path, board.model_copy(update={"cards": cards}))
    out, err = mover.communicate(timeout=120)
    assert mover.returncode == 0, err
    assert out.startswith("rejected:") and gone.card_id in out
    out, err = adder.communicate(timeout=120)
    assert adder.returncode == 0, err
    assert json.loads(out)["card"] in storage.load(path).board.cards


# A leader that stops (for the test to kill it) at a given point of its write, once:
# the first writer to get there creates the flag file and waits to be killed.
LEADER = """
import os, sys, time
from pathlib import Path
from sprintboard import ops
from sprintboard.batching import write_op
from sprintboard.storage import queue, writes
path, me, flag, where = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]

def stop_here():
    try:
        os.close(os.open(flag, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return
    print("stopped", flush=True)
    time.sleep(600)

if where == "before-board":
    real_write = writes._write
    def _write(*args):
        stop_here()
        return real_write(*args)
    writes._write = _write
else:
    real_recover = writes.recover
    def recover(board, written=None):
        if written is not None:
            stop_here()
        return real_recover(board, written)
    writes.recover = recover
add = ops.AddCard(f"{me}'s card", actor=me)
write_op(path, add)
print(add.card_id, flush=True)
"""


@pytest.mark.parametrize("where", ["before-board", "after-board"])
def test_a_leader_killed_mid_write_loses_and_doubles_nothing(tmp_path: Path, where: str) -> None:
    path = _board(tmp_path / "board.toml")
    write_op(path, ops.AddCard("makes the lock file"))
    flag = tmp_path / "stopped"
    writers = 4
    with _holding(path):
        procs = [_python(LEADER, str(path), f"w{n}", str(flag), where) for n in range(writers)]
        _until(lambda: len(_queued(path)) == writers, "every writer to queue")
    _until(flag.exists, "a leader to stop mid-write")
    # the one that stopped says so first; wait for its line, then kill -9 it
    stopped = None
    while stopped is None:
        for proc in procs:
            if proc.poll() is None and _says_stopped(proc):
                stopped = proc
                break
    os.kill(stopped.pid, signal.SIGKILL)
    stopped.wait(timeout=60)
    board_cards: list[str] = []
    for proc in procs:
        if proc is stopped:
            continue
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        board_cards.append(out.split()[-1])
    board = storage.load(path).board
    assert all(cid in board.cards for cid in board_cards)  # none of the others lost
    titles = [c.title for c in board.cards.values()]
    assert len(titles) == len(set(titles))  # none applied twice
    assert _queued(path) == []
    assert not (queue.queue_folder(path) / "commit").exists()


def _says_stopped(proc: subprocess.Popen[str]) -> bool:
    import select

    assert proc.stdout is not None
    ready, _w, _x = select.select([proc.stdout], [], [], 0.05)
    return bool(ready) and proc.stdout.readline().strip() == "stopped"


def test_hostile_queue_entries_are_refused_and_the_rest_lands(tmp_path: Path) -> None:
    path = _board(tmp_path / "board.toml")
    write_op(path, ops.AddCard("makes the folder"))
    folder = queue.queue_folder(path)
    folder.mkdir(exist_ok=True)
    good = ops.AddCard("queued by a waiter")
    ticket = queue.submit(path, wire.encode(good))
    assert ticket is not None
    stamp = ticket.split("-", 1)[0]
    hostile = {
        "link": f"{int(stamp) - 5:020d}-elsewhere-1-0000000a",
        "pipe": f"{int(stamp) - 4:020d}-elsewhere-1-0000000b",
        "huge": f"{int(stamp) - 3:020d}-elsewhere-1-0000000c",
        "garbage": f"{int(stamp) - 2:020d}-elsewhere-1-0000000d",
        "wrong types": f"{int(stamp) - 1:020d}-elsewhere-1-0000000e",
    }
    secret = tmp_path / "secret"
    secret.write_text('{"o": ["DeleteCard", {"card_id": "x"}]}')
    (folder / f"{hostile['link']}.op").symlink_to(secret)
    os.mkfifo(folder / f"{hostile['pipe']}.op")
    (folder / f"{hostile['huge']}.op").write_bytes(b" " * (queue.ENTRY_LIMIT + 1))
    (folder / f"{hostile['garbage']}.op").write_bytes(b"\x00\xff not json [[[[")
    (folder / f"{hostile['wrong types']}.op").write_text(
        '{"o": ["AddCard", {"title": 5, "card_id": ["x"]}]}'
    )
    (folder / "no-ticket.op").write_text("{}")
    (folder / f"{'x' * 250}.op").write_text("{}")  # its answer's name would be too long

    done = write_op(path, ops.AddCard("the leader's own"))  # takes the lock, leads

    assert not done.served
    board = storage.load(path).board
    assert good.card_id in board.cards
    assert {c.title for c in board.cards.values()} >= {"queued by a waiter", "the leader's own"}
    for name, hostile_ticket in hostile.items():
        answer = json.loads((folder / f"{hostile_ticket}.done").read_text())
        assert "refused" in answer, name
    assert "inverse" in json.loads((folder / f"{ticket}.done").read_text())
    assert not (folder / "no-ticket.op").exists()  # nobody's: removed, not answered
    assert not (folder / f"{'x' * 250}.op").exists()
    assert secret.read_text().startswith('{"o"')  # read through no link, written through none


def test_a_queue_folder_that_is_a_link_is_not_used(tmp_path: Path) -> None:
    path = _board(tmp_path / "board.toml")
    write_op(path, ops.AddCard("makes the lock file"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    queue.queue_folder(path).symlink_to(elsewhere)
    assert queue.submit(path, b"{}") is None
    assert list(elsewhere.iterdir()) == []
    with _holding(path):
        proc = _python(ONE, str(path), "w")  # may find the lock busy: then it just waits
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert not json.loads(out)["served"]
    assert list(elsewhere.iterdir()) == []

"""One board, two Unix accounts (README, "Many people, one board"): each account's writes land,
whoever made the lock and presence files first, and presence degrades gracefully.

The suite runs as root; the accounts are `daemon` and `nobody`, started with
`subprocess`'s `user=`/`group=`/`umask=` (a default umask of 022). Their interpreter is
the system's `/usr/bin/python3`, with this worktree's source and the venv's packages on
`PYTHONPATH`: the venv's own interpreter lives under a folder only root may enter.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import site
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_board

import sprintboard
from sprintboard import storage
from sprintboard.presence import PresenceRegistry, folder_for
from sprintboard.storage import queue

SYSTEM_PYTHON = Path("/usr/bin/python3")
SOURCE = Path(sprintboard.__file__).resolve().parent.parent
GROUP = 4242  # the sprint's group: a number is enough, root may hand out any

# CI runs as root on Debian: there it must run, so only a developer's own machine skips
pytestmark = pytest.mark.skipif(
    not os.environ.get("CI") and (os.geteuid() != 0 or not SYSTEM_PYTHON.exists()),
    reason="needs root (to act as two accounts) and the system python3",
)

ACT = """
import json, sys
from pathlib import Path
from sprintboard import cli
from sprintboard.presence import PresenceRegistry
board, actor, title = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
code = cli.main(["--as", actor, "add", str(board), title])
me = PresenceRegistry(board, actor)
me.beat()  # the app's heartbeat: joins the first time
seen = [p.actor for p in me.others()]
print(json.dumps({"code": code, "problem": me.problem, "seen": seen}))
"""


def as_account(account: str, board: Path, title: str, groups: list[int]) -> dict[str, object]:
    """Run `add` and one presence heartbeat as `account`, with umask 022; what it saw."""
    return _outcome(start_as(account, board, title, groups))


def start_as(account: str, board: Path, title: str, groups: list[int]) -> subprocess.Popen[str]:
    """Start `add` and one presence heartbeat as `account`, with umask 022."""
    packages = [p for p in site.getsitepackages() if p.endswith("site-packages")]
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": "/nonexistent",
        "PYTHONPATH": os.pathsep.join([str(SOURCE), *packages]),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    entry = pwd.getpwnam(account)
    return subprocess.Popen(
        [str(SYSTEM_PYTHON), "-c", ACT, str(board), account, title],
        user=entry.pw_uid,
        group=entry.pw_gid,
        extra_groups=groups,
        umask=0o022,
        env=env,
        cwd="/",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _outcome(proc: subprocess.Popen[str]) -> dict[str, object]:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    outcome: dict[str, object] = json.loads(out.splitlines()[-1])
    outcome["stderr"] = err
    return outcome


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder any account can reach (pytest's own tmp folder is root's alone)."""
    top = Path(tempfile.mkdtemp(prefix="sprintboard-shared-", dir="/tmp"))
    os.chmod(top, 0o755)
    try:
        yield top
    finally:
        shutil.rmtree(top)


def _new_board(folder: Path) -> Path:
    board = folder / "team.toml"
    storage.save(board, make_board().model_copy(update={"cards": {}}))
    return board


def _world_writable_board(shared: Path) -> Path:
    """A board without cards that anyone may write, in a folder anyone may write."""
    boards = shared / "boards"
    boards.mkdir()
    os.chmod(boards, 0o777)
    board = _new_board(boards)
    os.chmod(board, 0o666)
    return board


def _titles(board: Path) -> list[str]:
    return sorted(c.title for c in storage.load(board).board.cards.values())


def test_a_world_writable_folder_serves_two_accounts(shared: Path) -> None:
    board = _world_writable_board(shared)
    first = as_account("daemon", board, "from daemon", [])
    assert first["code"] == 0 and first["problem"] is None, first
    here = PresenceRegistry(board, "nanna")  # an app that stays open, in the folder daemon made
    here.join()
    assert here.problem is None
    second = as_account("nobody", board, "from nobody", [])
    assert second["code"] == 0, second["stderr"]
    assert second["problem"] is None and second["seen"] == ["nanna"], second
    third = as_account("daemon", board, "daemon again", [])
    assert third["code"] == 0, third["stderr"]
    assert _titles(board) == ["daemon again", "from daemon", "from nobody"]
    assert stat_mode(board) == 0o666  # written by both, still writable by both
    assert stat_mode(storage.lock_path(board)) == 0o666
    assert stat_mode(folder_for(board)) == 0o777


def _group_board(shared: Path) -> Path:
    """A board the group may write, in a setgid folder of the group (the set-up README gives)."""
    boards = shared / "boards"
    boards.mkdir()
    os.chown(boards, -1, GROUP)
    os.chmod(boards, 0o2775)
    board = _new_board(boards)
    os.chown(board, -1, GROUP)
    os.chmod(board, 0o664)
    return board


def test_a_setgid_group_folder_serves_two_accounts(shared: Path) -> None:
    board = _group_board(shared)
    boards = board.parent
    for account, title in (("daemon", "a1"), ("nobody", "b1"), ("daemon", "a2")):
        outcome = as_account(account, board, title, [GROUP])
        assert outcome["code"] == 0 and outcome["problem"] is None, outcome
    assert _titles(board) == ["a1", "a2", "b1"]
    for path in (board, storage.lock_path(board), boards / ".gitignore"):
        assert stat_mode(path) == 0o664 and path.stat().st_gid == GROUP, path
    assert stat_mode(folder_for(board)) == 0o2775


def test_two_accounts_queue_for_each_other_in_a_group_folder(shared: Path) -> None:
    """While the lock is held, each account queues its change; whichever applies the
    queue reads the other's entry and answers it, in a folder made for the group."""
    board = _group_board(shared)
    assert as_account("daemon", board, "first", [GROUP])["code"] == 0  # lock file made
    folder = queue.queue_folder(board)
    with storage.locked(board):
        procs = [start_as(a, board, f"from {a}", [GROUP]) for a in ("daemon", "nobody")]
        deadline = time.monotonic() + 60
        # no event crosses processes here: look until both entries are there
        while not (folder.exists() and len(list(folder.glob("*.op"))) == 2):
            assert time.monotonic() < deadline, "the accounts did not queue"
            time.sleep(0.01)
        owners = {path.stat().st_uid for path in folder.glob("*.op")}
    outcomes = [_outcome(proc) for proc in procs]
    assert all(o["code"] == 0 for o in outcomes), outcomes
    assert _titles(board) == ["first", "from daemon", "from nobody"]
    assert owners == {pwd.getpwnam("daemon").pw_uid, pwd.getpwnam("nobody").pw_uid}
    assert stat_mode(folder) == 0o2775 and folder.stat().st_gid == GROUP
    assert list(folder.iterdir()) == []  # every entry answered and collected


def test_a_presence_folder_one_cannot_write_still_shows_the_others(shared: Path) -> None:
    """The heartbeat says why one is not shown, and still reads the others."""
    board = _world_writable_board(shared)
    assert as_account("daemon", board, "from daemon", [])["code"] == 0
    here = PresenceRegistry(board, "nanna")
    here.join()
    # as an older sprintboard made them, with daemon's umask
    os.chmod(folder_for(board), 0o755)
    os.chmod(storage.lock_path(board), 0o644)  # a lock needs no write access: still taken
    outcome = as_account("nobody", board, "from nobody", [])
    assert outcome["code"] == 0, outcome["stderr"]
    problem = outcome["problem"]
    assert isinstance(problem, str) and "Permission denied" in problem, outcome
    assert str(folder_for(board)) in problem
    assert outcome["seen"] == ["nanna"]  # the others are still read
    assert _titles(board) == ["from daemon", "from nobody"]


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o7777

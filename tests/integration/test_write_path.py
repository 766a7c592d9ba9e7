"""One write path: every board write goes through `storage.rewrite`, under the lock.

A command, the app's flush, a new board, `fmt` and `resolve` all change a board
file by *lock → read the latest → decide → check → write atomically*; the proof is
in the code (no other caller writes a board) and in behaviour (fmt and resolve wait
for the lock and act on what the file holds once they have it).
"""

from __future__ import annotations

import ast
import os
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import T0, make_board

from sprintboard import cli, ops, storage
from sprintboard.git.resolve import resolve
from sprintboard.model import Board
from sprintboard.storage import BoardFileError

PACKAGE = Path(cli.__file__).parent.parent

WRITERS_OF_OTHER_FILES = {
    "ensure_gitignore": "the folder's .gitignore (sidecar patterns)",
    "join": "a presence entry, the app's own sidecar file",
    "setup": "the repository's .gitattributes",
    "run_driver": "the merge driver's result, into git's own temp copy of the board",
    "write_export": "an export the user asked for; never a board (.toml names refused)",
    "write_private": "the state folder's host key and invitations, outside every repository",
}
"""Who else calls `write_atomic`, and for which file: none of them is a board."""


def _calls(name: str) -> set[tuple[str, str]]:
    """Each function of the package calling `name`: (its module, its name)."""
    found: set[tuple[str, str]] = set()
    for source in PACKAGE.rglob("*.py"):
        tree = ast.parse(source.read_text(), str(source))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Call):
                    callee = node.func
                    called = callee.attr if isinstance(callee, ast.Attribute) else None
                    called = callee.id if isinstance(callee, ast.Name) else called
                    if called == name:
                        found.add((str(source.relative_to(PACKAGE)), function.name))
    return found


def test_boards_are_written_in_one_place_only() -> None:
    writers = _calls("write_atomic")
    assert ("storage/writes.py", "_write") in writers
    others = {function for module, function in writers} - {"_write"}
    assert others == set(WRITERS_OF_OTHER_FILES), writers
    # `_write` runs under the lock (`rewrite`), or for `save`, which the program never calls
    mine = {f for module, f in _calls("_write") if module == "storage/writes.py"}
    assert mine == {"rewrite", "save_loaded"}
    assert {f for _module, f in _calls("save_loaded")} == {"save"}
    assert not {m for m, _f in _calls("save")} - {"tui/app.py"}  # the screenshot's save


def test_the_five_writers_go_through_rewrite() -> None:
    callers = {function for _module, function in _calls("rewrite")}
    assert callers == {"write_op", "create", "flush", "_format", "resolve"}, callers


# --- fmt under the lock -----------------------------------------------------------------


def _messy(board: Board) -> str:
    return storage.dumps(board).replace('title = "', 'title   =   "')


@pytest.fixture
def messy(tmp_path: Path) -> tuple[Path, Board]:
    """A board file whose text is not canonical, and the board it holds."""
    path = tmp_path / "b.toml"
    board = make_board()
    path.write_text(_messy(board))
    return path, board


@pytest.fixture
def paused_fmt(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Set once `fmt` has read the file and checked it, just before it takes the lock."""
    ready = threading.Event()
    check = storage.check_writable

    def checked(path: Path, board: Board | None = None) -> None:
        check(path, board)
        ready.set()

    monkeypatch.setattr(storage, "check_writable", checked)
    return ready


def _in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(work()), daemon=True)
    thread.start()
    return thread, out


def _fmt_while_locked(path: Path, paused: threading.Event, meanwhile: Callable[[], None]) -> int:
    """Run `fmt path` while this test holds the lock; `meanwhile` runs once fmt has read
    the file and waits for the lock. fmt's exit status."""
    with storage.locked(path):
        thread, code = _in_thread(lambda: cli.main(["fmt", str(path)]))
        assert paused.wait(30)
        time.sleep(0.2)
        meanwhile()
    thread.join(30)
    return int(code[0])


def test_fmt_waits_for_the_lock_and_formats_what_the_file_then_holds(
    messy: tuple[Path, Board], paused_fmt: threading.Event, capsys: pytest.CaptureFixture[str]
) -> None:
    path, board = messy
    other = ops.apply(board, ops.EditCard("k7q2mz4t", {"title": "Written meanwhile"}, at=T0))

    def someone_writes() -> None:
        assert path.read_text() == _messy(board)  # fmt waits: nothing written yet
        path.write_text(_messy(other))  # someone else's write, under the lock

    assert _fmt_while_locked(path, paused_fmt, someone_writes) == 0
    assert path.read_text() == storage.dumps(other)  # what they wrote, formatted
    assert capsys.readouterr().out == f"{path}: formatted\n"


def test_fmt_writes_nothing_when_the_file_became_canonical_meanwhile(
    messy: tuple[Path, Board], paused_fmt: threading.Event, capsys: pytest.CaptureFixture[str]
) -> None:
    path, board = messy
    inode: list[int] = []

    def someone_formats() -> None:
        path.write_text(storage.dumps(board))
        inode.append(os.stat(path).st_ino)

    assert _fmt_while_locked(path, paused_fmt, someone_formats) == 0
    assert path.read_text() == storage.dumps(board)
    assert [os.stat(path).st_ino] == inode  # not replaced
    assert capsys.readouterr().out == ""


# --- resolve under the lock ------------------------------------------------------------


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)


@pytest.fixture
def conflicted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A repository whose boards/x.toml git left with text conflict markers."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("[user]\n\tname = T\n\temail = t@example.org\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in [n for n in os.environ if n.startswith("GIT_") and "CONFIG" not in n]:
        monkeypatch.delenv(name)
    root = tmp_path / "repo"
    (root / "boards").mkdir(parents=True)
    path = root / "boards" / "x.toml"
    base = make_board()
    _git(root, "init", "-q", "-b", "main")
    storage.save(path, base)
    _git(root, "add", "boards")
    _git(root, "commit", "-q", "-m", "base")
    _git(root, "switch", "-q", "-c", "theirs")
    storage.save(path, ops.apply(base, ops.EditCard("k7q2mz4t", {"title": "T"}, at=T0)))
    _git(root, "commit", "-q", "-am", "theirs")
    _git(root, "switch", "-q", "main")
    storage.save(path, ops.apply(base, ops.EditCard("k7q2mz4t", {"title": "O"}, at=T0)))
    _git(root, "commit", "-q", "-am", "ours")
    assert _git(root, "merge", "--no-edit", "theirs").returncode == 1
    assert "<<<<<<<" in path.read_text()
    yield path


def test_resolve_replaces_the_conflicted_file_only_once_it_holds_the_lock(
    conflicted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reached = threading.Event()
    rewrite = storage.rewrite

    def rewriting(*args: Any, **kwargs: Any) -> storage.Rewritten:
        reached.set()
        return rewrite(*args, **kwargs)

    monkeypatch.setattr(storage, "rewrite", rewriting)
    marked = conflicted.read_text()
    with storage.locked(conflicted):
        thread, out = _in_thread(lambda: resolve(conflicted))
        assert reached.wait(30)
        time.sleep(0.2)
        assert conflicted.read_text() == marked  # waiting for the lock
    thread.join(30)
    board = storage.load(conflicted).board  # markers gone: a board again
    assert set(board.cards["k7q2mz4t"].conflicts) == {"title"}
    assert out[0].result is not None and out[0].result.board == board


def test_replacing_unread_still_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    board = make_board()
    pipe = tmp_path / "pipe.toml"
    os.mkfifo(pipe)
    with pytest.raises(BoardFileError, match=r"pipe\.toml: is a named pipe, not a board file"):
        storage.rewrite(pipe, lambda _unread: board, read=False)
    assert pipe.is_fifo()
    outside = tmp_path / "outside.toml"
    outside.write_text("<<<<<<< ours\n")
    (tmp_path / "boards").mkdir()
    link = tmp_path / "boards" / "x.toml"
    link.symlink_to(outside)
    with pytest.raises(BoardFileError, match="symbolic link out of its folder"):
        storage.rewrite(link, lambda _unread: board, read=False)
    assert outside.read_text() == "<<<<<<< ours\n"


def test_replacing_unread_writes_over_conflict_markers_and_refuses_read_only(
    tmp_path: Path,
) -> None:
    path = tmp_path / "x.toml"
    path.write_text("<<<<<<< ours\nschema = 1\n=======\n>>>>>>> theirs\n")
    board = make_board()
    done = storage.rewrite(path, lambda _unread: board, read=False)
    assert done.read is None and done.written is not None
    assert path.read_text() == storage.dumps(board) == done.written.text
    path.chmod(0o444)
    with pytest.raises(BoardFileError, match="read-only; nothing was written"):
        storage.rewrite(path, lambda _unread: make_board(), read=False)


def test_what_decide_raises_leaves_the_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    storage.save(path, make_board())
    before = path.read_bytes()

    def refuse(_latest: storage.Loaded) -> Board:
        raise ops.OpError("no")

    with pytest.raises(ops.OpError):
        storage.rewrite(path, refuse)
    assert path.read_bytes() == before

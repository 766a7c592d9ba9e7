"""Files the program reads and writes: never through a link out of place, only regular
files of a bounded size, no leftovers after a crash, sidecars usable by everyone who
may write the board. Real files, real processes and the real command line."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from fnmatch import fnmatchcase
from pathlib import Path

import pytest
from conftest import WriteBoard, make_board

from sprintboard import storage
from sprintboard.presence import PresenceRegistry, folder_for
from sprintboard.storage import BoardFileError
from sprintboard.storage.files import _temp_name

TIMEOUT = 20  # a command that takes this long is hung: the test fails, it does not wait


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line, in `cwd`, with a HOME of its own."""
    env = {**os.environ, "HOME": str(cwd / "home"), "SPRINTBOARD_USER": "nanna"}
    return subprocess.run(
        [sys.executable, "-m", "sprintboard", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """The single line a refused command prints (exit 1, no traceback), holding `needles`."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def tree(root: Path) -> dict[str, bytes | None]:
    """Every entry under `root`, links not followed (a link shows as its target)."""
    found: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        if path.is_symlink():
            found[rel] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            found[rel] = path.read_bytes()
        else:
            found[rel] = None
    return found


# --- links (README, "Safe writes": Links) -----------------------------------------------


def test_a_board_linked_within_its_folder_is_read_and_written_at_its_target(
    write_board: WriteBoard,
) -> None:
    real = write_board(name="sprint-12")
    os.chmod(real, 0o640)
    link = real.with_name("current.toml")
    link.symlink_to("sprint-12.toml")
    changed = make_board().model_copy(update={"title": "Through the link"})
    storage.save(link, changed)
    assert link.is_symlink() and os.readlink(link) == "sprint-12.toml"
    assert storage.load(real).board == changed == storage.load(link).board
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert storage.lock_path(link) == real.parent / ".sprint-12.toml.lock"
    assert folder_for(link) == real.parent / ".sprint-12.toml.presence"
    assert not [p for p in real.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_board_linked_out_of_its_folder_is_refused_and_nothing_is_written_there(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    storage.save(outside / "x.toml", make_board())
    (tmp_path / "boards").mkdir()
    link = tmp_path / "boards" / "x.toml"
    link.symlink_to(Path("..") / "outside" / "x.toml")
    before = tree(tmp_path)
    for args in (("add", "boards/x.toml", "new card"), ("validate", "boards/x.toml")):
        one_line_error(run(tmp_path, *args), "boards/x.toml", "symbolic link out of its folder")
    assert tree(tmp_path) == before  # no lock, .gitignore or temp file beside the target
    with pytest.raises(BoardFileError, match="out of its folder"):
        storage.write_atomic(link, b"x")
    with pytest.raises(BoardFileError, match="out of its folder"):
        storage.lock_path(link)


def test_a_linked_gitignore_is_never_added_to(tmp_path: Path, write_board: WriteBoard) -> None:
    board = write_board()
    bashrc = tmp_path / "home" / ".bashrc"
    bashrc.parent.mkdir()
    bashrc.write_text("alias ll='ls -l'\n")
    (board.parent / ".gitignore").symlink_to(Path("..") / "home" / ".bashrc")
    before = tree(tmp_path)
    line = one_line_error(run(tmp_path, "add", "boards/x.toml", "new card"), "symbolic link")
    assert line.startswith("boards/.gitignore: ")
    assert bashrc.read_text() == "alias ll='ls -l'\n"
    after = tree(tmp_path)
    assert {k: v for k, v in after.items() if not k.endswith(".lock")} == before


def test_a_linked_gitattributes_is_never_added_to(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    profile = tmp_path / "home" / ".profile"
    profile.parent.mkdir()
    profile.write_text("export PATH\n")
    (tmp_path / ".gitattributes").symlink_to(Path("home") / ".profile")
    line = one_line_error(run(tmp_path, "git-setup"), ".gitattributes", "symbolic link")
    assert "nothing was changed" in line
    assert profile.read_text() == "export PATH\n"


def test_a_linked_lock_file_is_refused(tmp_path: Path, write_board: WriteBoard) -> None:
    board = write_board()
    victim = tmp_path / "victim"
    storage.lock_path(board).symlink_to(victim)
    before = board.read_bytes()
    one_line_error(run(tmp_path, "add", "boards/x.toml", "card"), ".x.toml.lock", "symbolic link")
    assert not victim.exists() and board.read_bytes() == before


def test_a_linked_presence_folder_receives_nothing(tmp_path: Path, write_board: WriteBoard) -> None:
    board = write_board()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder_for(board).symlink_to(elsewhere)
    me = PresenceRegistry(board, "nanna")
    me.join()
    me.beat()
    assert me.problem is not None and "symbolic link" in me.problem
    assert me.others() == []
    assert list(elsewhere.iterdir()) == []


# --- what is not a regular file, and size (README, "Safe writes": Only regular files) --


def test_a_board_linked_to_a_device_is_refused_at_once(tmp_path: Path) -> None:
    (tmp_path / "boards").mkdir()
    (tmp_path / "boards" / "zero.toml").symlink_to("/dev/zero")
    started = time.monotonic()
    one_line_error(run(tmp_path, "validate", "boards/zero.toml"), "symbolic link out of")
    with pytest.raises(BoardFileError, match="is a device, not a board file"):
        storage.read_bytes(Path("/dev/zero"))
    assert time.monotonic() - started < 10


def test_a_named_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    (tmp_path / "boards").mkdir()
    fifo = tmp_path / "boards" / "x.toml"
    os.mkfifo(fifo)
    for args in (
        ("validate", "boards/x.toml"),
        ("list", "boards/x.toml"),
        ("add", "boards/x.toml", "card"),
        ("fmt", "boards/x.toml"),
    ):
        one_line_error(run(tmp_path, *args), "boards/x.toml", "is a named pipe")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in fifo.parent.iterdir()) == ["x.toml"]  # no lock beside it


def test_the_picker_lists_a_named_pipe_as_unreadable(tmp_path: Path) -> None:
    from sprintboard.tui.board_files import summarize

    fifo = tmp_path / "x.toml"
    os.mkfifo(fifo)
    summary = summarize(fifo)
    assert summary.error is not None and "is a named pipe" in summary.error


def test_a_board_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    (tmp_path / "boards").mkdir()
    big = tmp_path / "boards" / "big.toml"
    with big.open("wb") as out:  # sparse: nothing is really written or read
        out.truncate(storage.MAX_BOARD_BYTES + 1)
    one_line_error(run(tmp_path, "validate", "boards/big.toml"), "more than the 64 MiB")


def test_a_board_growing_while_read_is_read_only_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "x.toml"
    path.write_bytes(b"x" * 100)
    monkeypatch.setattr(storage.files, "MAX_BOARD_BYTES", 99)
    with pytest.raises(BoardFileError, match="more than"):
        storage.read_bytes(path)


# --- leftovers after a crash (README, "Safe writes": Leftovers of a crash) -------------

HANG_IN_WRITE = """
import os, sys, time
from pathlib import Path
from sprintboard import storage
os.replace = lambda *_: (print("writing", flush=True), time.sleep(60))
storage.write_atomic(Path(sys.argv[1]), b"half")
"""


def _writer_stuck_in_a_write(path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HANG_IN_WRITE, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline() == "writing\n"
    return proc


def temps(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name.endswith(".tmp")}


def test_temp_files_of_killed_writers_are_removed_by_the_next_write(board_file: Path) -> None:
    folder = board_file.parent
    killed = _writer_stuck_in_a_write(board_file)
    alive = _writer_stuck_in_a_write(board_file)
    try:
        killed.send_signal(signal.SIGKILL)
        killed.wait()
        (dead_temp,) = temps(folder) - {n for n in temps(folder) if f"-{alive.pid}-" in n}
        assert f"-{killed.pid}-" in dead_temp
        old = folder / ".x.toml.k3j2_a9.tmp"  # an older sprintboard's name: judged by age
        young = folder / ".x.toml.q8w7_e6.tmp"
        notes = folder / ".notes.tmp"  # not the program's: never touched
        for path in (old, young, notes):
            path.write_bytes(b"left")
        long_ago = time.time() - storage.TEMP_STALE - 60
        for path in (old, notes):
            os.utime(path, (long_ago, long_ago))
        storage.save(board_file, make_board().model_copy(update={"title": "Next"}))
        left = temps(folder)
        assert dead_temp not in left and old.name not in left
        assert young.name in left and notes.name in left
        assert [n for n in left if f"-{alive.pid}-" in n]  # a live writer's is kept
    finally:
        alive.kill()
        alive.wait()
    storage.save(board_file, make_board())
    assert temps(folder) == {young.name, notes.name}


def test_temp_file_names_are_git_ignored() -> None:
    for target in (Path("boards/x.toml"), Path("boards/.gitignore")):
        name = _temp_name(target)
        assert any(fnmatchcase(name, p) for p in storage.SIDECAR_IGNORES), name


def test_a_gitignore_lost_in_a_crash_comes_back_at_the_next_write(
    tmp_path: Path, write_board: WriteBoard
) -> None:
    board = write_board()
    folder = board.parent
    ignore = folder / ".gitignore"
    with storage.locked(board):  # the lock file exists from now on
        pass
    assert ignore.exists()
    ignore.unlink()  # as a kill in the first write of it left things
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    leftover = folder / f"..gitignore.{storage.HOST}-{dead.stdout.strip()}-0a1b2c3d.tmp"
    leftover.write_text("half")
    result = run(tmp_path, "add", "boards/x.toml", "card")
    assert result.returncode == 0, result.stderr
    assert ignore.read_text().splitlines()[1:] == list(storage.SIDECAR_IGNORES)
    assert not leftover.exists()
    ignore.write_text("*.pdf\n")  # someone took the patterns out by hand
    result = run(tmp_path, "add", "boards/x.toml", "card")
    assert result.returncode == 0, result.stderr
    assert ignore.read_text().splitlines() == [
        "*.pdf",
        "# sprintboard: lock, presence and temp files next to the boards",
        *storage.SIDECAR_IGNORES,
    ]


def test_a_gitignore_that_is_a_named_pipe_does_not_block_a_write(
    write_board: WriteBoard,
) -> None:
    board = write_board()
    os.mkfifo(board.parent / ".gitignore")
    storage.save(board, make_board().model_copy(update={"title": "Still"}))
    with storage.locked(board, timeout=1):
        pass
    assert storage.load(board).board.title == "Still"


# --- sidecars for everyone who may write the board (README, "Many people, one board") --

MODES = """
import os, sys
from pathlib import Path
from sprintboard import ops
from sprintboard.presence import PresenceRegistry
from sprintboard.session import commit
board = Path(sys.argv[1])
commit(board, ops.AddCard("card"))
me = PresenceRegistry(board, "anna")
me.join()
print(me.file)
"""


def _modes_after_a_write(board: Path) -> dict[str, int]:
    result = subprocess.run(
        [sys.executable, "-c", MODES, str(board)],
        umask=0o022,  # the usual one: it must not decide who may use the files
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    entry = Path(result.stdout.strip())
    folder = board.parent
    paths = {
        "board": board,
        "lock": folder / f".{board.name}.lock",
        "gitignore": folder / ".gitignore",
        "presence": folder_for(board),
        "entry": entry,
    }
    return {name: path.stat().st_mode & 0o7777 for name, path in paths.items()}


def _modes(file: int, folder: int) -> dict[str, int]:
    """Every file beside the board takes the board's mode, the presence folder its folder's."""
    return {"board": file, "lock": file, "gitignore": file, "presence": folder, "entry": file}


def test_sidecars_take_the_board_mode_not_the_umask(write_board: WriteBoard) -> None:
    board = write_board()
    os.chmod(board.parent, 0o777)
    os.chmod(board, 0o666)
    assert _modes_after_a_write(board) == _modes(file=0o666, folder=0o777)


def test_sidecars_in_a_group_folder_belong_to_the_group(write_board: WriteBoard) -> None:
    board = write_board()
    group = 4242  # any group id: root may give files one without it being named
    os.chown(board.parent, -1, group)
    os.chmod(board.parent, 0o2775)
    os.chown(board, -1, group)
    os.chmod(board, 0o664)
    assert _modes_after_a_write(board) == _modes(file=0o664, folder=0o2775)
    for path in board.parent.rglob("*"):
        assert path.stat().st_gid == group, path

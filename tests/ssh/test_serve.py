"""`sprintboard serve-ssh`, the real executable in a subprocess, on 127.0.0.1 port 0.

It prints the port it got; a guest joins with a code (the real store, the real app);
Ctrl-C ends the guest's app and the server, exit 0, nothing left running. What it
cannot do it says in one line, exit 1: a port in use, an unusable state folder, no
boards folder, no asyncssh.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cli.helpers import SPRINTBOARD, make_env

from sprintboard.cli.serve import _local_only
from sprintboard.invitations import Invitations

from .client import connect, open_board
from .conftest import BOARD
from .sessions_fixture import gone

SERVING = re.compile(r"^serving (.+) on ssh://127\.0\.0\.1:(\d+), host key (SHA256:\S+)$")


@dataclass
class Served:
    """A `serve-ssh` process and the lines it printed so far."""

    process: subprocess.Popen[str]
    out: queue.Queue[str]
    err: list[str]
    state: Path
    board: Path

    def line(self, pattern: re.Pattern[str], timeout: float = 60) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                found = pattern.match(self.out.get(timeout=left))
            except queue.Empty:
                break
            if found:
                return found
        raise AssertionError(f"no line like {pattern.pattern}; stderr: {self.err}")


def _read(stream: object, into: queue.Queue[str] | list[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        if isinstance(into, list):
            into.append(line.rstrip("\n"))
        else:
            into.put(line.rstrip("\n"))


def _environment(tmp_path: Path) -> dict[str, str]:
    return make_env(tmp_path, XDG_STATE_HOME=str(tmp_path / "state"))


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    (tmp_path / "boards").mkdir()
    board = tmp_path / "boards" / "families.toml"
    board.write_bytes(BOARD.read_bytes())
    process = subprocess.Popen(
        [SPRINTBOARD, "serve-ssh", "--port", "0", "--login-timeout", "20s"],
        cwd=tmp_path,
        env=_environment(tmp_path),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out: queue.Queue[str] = queue.Queue()
    err: list[str] = []
    readers = [
        threading.Thread(target=_read, args=(process.stdout, out), daemon=True),
        threading.Thread(target=_read, args=(process.stderr, err), daemon=True),
    ]
    for reader in readers:
        reader.start()
    try:
        yield Served(process, out, err, tmp_path / "state" / "sprintboard", board.resolve())
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        for reader in readers:
            reader.join(timeout=10)


def running_with(text: str) -> list[int]:
    """Processes whose command line holds `text` (a test's own folder): the guests' apps,
    and after the server ended, whatever it left behind."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if text.encode() in command:
                found.append(int(entry.name))
    return found


async def test_serve_a_guest_then_stop_with_ctrl_c(served: Served, tmp_path: Path) -> None:
    found = served.line(SERVING)
    port, fingerprint = int(found.group(2)), found.group(3)
    assert found.group(1) == "boards"
    _invitation, code = Invitations(served.state).add_code(
        served.board, "birthe", expires=None, once=False, by="nanna", now=datetime.now(UTC)
    )
    conn, _client = await connect(served.state, port, answers=[code])
    async with conn:
        screen = await open_board(conn)
        apps = running_with(str(served.board))  # the guest's app: `open --guest BOARD`
        assert len(apps) == 1
        served.process.send_signal(signal.SIGINT)
        await screen.wait_closed(timeout=60)
        assert "The server is stopping" in screen.said()
    assert served.process.wait(timeout=60) == 0
    assert all(gone(pid) for pid in apps)
    assert running_with(str(tmp_path)) == []
    log = "\n".join(served.err)
    assert fingerprint in log
    assert code not in log and code not in "".join(screen.said())
    assert "Traceback" not in log
    with pytest.raises(OSError):  # the port is closed
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


async def test_sigterm_stops_it_too(served: Served) -> None:
    served.line(SERVING)
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(timeout=60) == 0


def _fails(tmp_path: Path, *args: str, **env: str) -> str:
    """Run serve-ssh expecting one line on stderr and exit 1; that line."""
    result = subprocess.run(
        [SPRINTBOARD, "serve-ssh", *args],
        cwd=tmp_path,
        env={**_environment(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
    return lines[0]


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "boards").mkdir()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = _fails(tmp_path, "--port", str(port))
    assert f"127.0.0.1:{port}" in line and "in use" in line


def test_an_address_that_cannot_be_bound_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "boards").mkdir()
    line = _fails(tmp_path, "--host", "192.0.2.1", "--port", "0")  # TEST-NET: not ours
    assert "192.0.2.1" in line


def test_an_unusable_state_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "boards").mkdir()
    (tmp_path / "state").write_text("a file, not a folder\n")
    line = _fails(tmp_path, "--port", "0")
    assert str(tmp_path / "state") in line


def test_no_boards_folder_is_one_line(tmp_path: Path) -> None:
    line = _fails(tmp_path, "--port", "0", "missing")
    assert "missing" in line


def test_without_asyncssh_it_says_what_to_install(tmp_path: Path) -> None:
    (tmp_path / "boards").mkdir()
    blocked = tmp_path / "blocked" / "asyncssh"
    blocked.mkdir(parents=True)
    (blocked / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'asyncssh'\", name='asyncssh')\n"
    )
    line = _fails(tmp_path, "--port", "0", PYTHONPATH=str(blocked.parent))
    assert "pip install 'sprintboard[ssh]'" in line


def test_bad_limits_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "boards").mkdir()
    assert "--idle" in _fails(tmp_path, "--idle", "soon")
    assert "--max-sessions" in _fails(tmp_path, "--max-sessions", "0")


def test_only_loopback_addresses_count_as_this_machine_only() -> None:
    assert _local_only("127.0.0.1") and _local_only("::1") and _local_only("localhost")
    assert not _local_only("0.0.0.0") and not _local_only("::")
    assert not _local_only("sprint.example.org") and not _local_only("192.168.1.10")


def test_the_state_folder_stays_private(served: Served) -> None:
    served.line(SERVING)
    assert os.stat(served.state).st_mode & 0o077 == 0
    assert os.stat(served.state / "ssh_host_ed25519_key").st_mode & 0o077 == 0


def test_the_parser_does_not_import_asyncssh() -> None:
    probe = (
        "import sys\n"
        "from sprintboard.cli.parser import build_parser\n"
        "argv = ['serve-ssh', '--port', '0', 'boards']\n"
        "args = build_parser(argv).parse_args(argv)\n"
        "print(args.func.__name__, 'asyncssh' in sys.modules, 'sprintboard.ssh' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.split() == ["cmd_serve_ssh", "False", "False"]

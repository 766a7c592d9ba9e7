"""`sprintboard serve-web`, the real executable in a subprocess, on 127.0.0.1 port 0.

It prints the address it got; a guest opens a link (the real store, the real app);
SIGTERM ends the guest's app and the server, exit 0, nothing left running. What it
cannot do it says in one line, exit 1.
"""

from __future__ import annotations

import queue
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cli.helpers import SPRINTBOARD, make_env
from ssh.test_serve import Served, _read, running_with

from sprintboard.invitations import Invitations

from .browser import Browser, gone, wait_until
from .conftest import BOARD

pytestmark = pytest.mark.slow

SERVING = re.compile(r"^serving (.+) on http://127\.0\.0\.1:(\d+)$")


def _environment(tmp_path: Path) -> dict[str, str]:
    return make_env(tmp_path, XDG_STATE_HOME=str(tmp_path / "state"))


def _start(
    tmp_path: Path, *args: str
) -> tuple[subprocess.Popen[str], Served, list[threading.Thread]]:
    process = subprocess.Popen(
        [SPRINTBOARD, "serve-web", "--port", "0", *args],
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
    board = (tmp_path / "boards" / "families.toml").resolve()
    return process, Served(process, out, err, tmp_path / "state" / "sprintboard", board), readers


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    (tmp_path / "boards").mkdir()
    (tmp_path / "boards" / "families.toml").write_bytes(BOARD.read_bytes())
    process, found, readers = _start(tmp_path)
    try:
        yield found
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        for reader in readers:
            reader.join(timeout=10)


async def test_serve_a_guest_then_stop_with_sigterm(served: Served, tmp_path: Path) -> None:
    found = served.line(SERVING)
    port = int(found.group(2))
    assert found.group(1) == "boards"
    assert served.line(re.compile(r"^invite someone: sprintboard invite BOARD NAME --web --url "))
    _invitation, token = Invitations(served.state).add_link(
        served.board,
        "birthe",
        expires=datetime.now(UTC) + timedelta(hours=1),
        by="nanna",
        now=datetime.now(UTC),
    )
    browser = Browser(f"http://127.0.0.1:{port}")
    try:
        assert (await browser.join(token)).status == 200
        board = await browser.board()
        await board.wait_for("Families, art and culture")
        apps = running_with(str(served.board))  # the guest's app: `open --guest BOARD`
        assert len(apps) == 1
        served.process.send_signal(signal.SIGTERM)
        code, reason = await board.wait_closed(timeout=60)
        assert (code, reason) == (4004, "The server is stopping.")
    finally:
        await browser.close()
    assert served.process.wait(timeout=60) == 0
    assert all(gone(pid) for pid in apps)
    assert running_with(str(tmp_path)) == []
    log = "\n".join(served.err)
    assert "birthe (Birthe Sørensen) joined families.toml" in log
    assert token not in log
    assert "Traceback" not in log
    with pytest.raises(OSError):  # the port is closed
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


async def test_it_serves_the_refusal_page_and_ctrl_c_stops_it(served: Served) -> None:
    port = int(served.line(SERVING).group(2))
    browser = Browser(f"http://127.0.0.1:{port}")
    try:
        got = await browser.get("/")
        assert got.status == 403
        assert got.headers["X-Frame-Options"] == "DENY"
    finally:
        await browser.close()
    served.process.send_signal(signal.SIGINT)
    assert served.process.wait(timeout=60) == 0
    await wait_until(lambda: any(line.endswith(" stopped") for line in served.err), "the log")


def test_the_public_url_is_printed_with_the_invitation_to_match(tmp_path: Path) -> None:
    (tmp_path / "boards").mkdir()
    process, found, readers = _start(tmp_path, "--public-url", "HTTPS://Board.Example.org:443/")
    try:
        found.line(SERVING)
        assert found.line(re.compile(r"^guests open https://board\.example\.org$"))
        assert found.line(
            re.compile(r"^invite someone: .* --web --url https://board\.example\.org$")
        )
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        for reader in readers:
            reader.join(timeout=10)


def _fails(tmp_path: Path, *args: str, **env: str) -> str:
    """Run serve-web expecting one line on stderr and exit 1; that line."""
    result = subprocess.run(
        [SPRINTBOARD, "serve-web", *args],
        cwd=tmp_path,
        env={**_environment(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode in (1, 2), result
    lines = result.stderr.strip().splitlines()
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    return lines[-1]


def test_bad_options_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "boards").mkdir()
    assert "--idle" in _fails(tmp_path, "--idle", "soon")
    assert "--max-sessions" in _fails(tmp_path, "--max-sessions", "0")
    assert "--port" in _fails(tmp_path, "--port", "70000")
    assert "--public-url" in _fails(tmp_path, "--public-url", "ftp://x/y")


def test_no_boards_folder_is_one_line(tmp_path: Path) -> None:
    line = _fails(tmp_path, "--port", "0", "missing")
    assert "missing: no such folder of boards" in line


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "boards").mkdir()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = _fails(tmp_path, "--port", str(port))
    assert f"127.0.0.1:{port}" in line and "in use" in line


def test_without_aiohttp_it_says_what_to_install(tmp_path: Path) -> None:
    (tmp_path / "boards").mkdir()
    blocked = tmp_path / "blocked" / "aiohttp"
    blocked.mkdir(parents=True)
    (blocked / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'aiohttp'\", name='aiohttp')\n"
    )
    line = _fails(tmp_path, "--port", "0", PYTHONPATH=str(blocked.parent))
    assert "pip install 'sprintboard[web]'" in line


def test_the_parser_does_not_import_the_web_entry() -> None:
    probe = (
        "import sys\n"
        "from sprintboard.cli.parser import build_parser\n"
        "argv = ['serve-web', '--port', '0', '--public-url', 'https://x.org', 'boards']\n"
        "args = build_parser(argv).parse_args(argv)\n"
        "print(args.func.__name__, 'aiohttp' in sys.modules, 'sprintboard.web' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.split() == ["cmd_serve_web", "False", "False"]

"""A guest joins with the real OpenSSH client, as the invitation tells them to.

`sprintboard invite` (the real executable) makes the invitation; `ssh -t -p PORT
join@127.0.0.1` runs in a pseudo-terminal of 80×24 against the real `serve-ssh`, checks
the host key against a `known_hosts` holding the key the invitation's fingerprint
names, asks "Invitation code:", and the code typed there opens the board. A key moves
a card in the board file; `q` ends the app, and with it the connection.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from cli.helpers import SPRINTBOARD
from tui.terminal import Terminal, clean_env

from sprintboard import storage
from sprintboard.model import Stage

from .test_serve import SERVING, Served, _environment, running_with, served

__all__ = ["served"]  # the fixture, used by name

SSH = shutil.which("ssh")
# no skip without ssh: scripts/test-setup installs openssh-client, so a missing one is a fault
pytestmark = pytest.mark.slow


def _invite(tmp_path: Path, *args: str) -> dict[str, str]:
    done = subprocess.run(
        [SPRINTBOARD, "--as", "nanna", "invite", "families", *args, "--json"],
        cwd=tmp_path,
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    made: dict[str, str] = json.loads(done.stdout)
    return made


def _ssh(tmp_path: Path, port: int) -> Terminal:
    """The command the invitation prints, with this test's known_hosts and no user config."""
    assert SSH is not None, "no ssh: scripts/test-setup installs openssh-client"
    args = [
        SSH,
        "-t",
        "-p",
        str(port),
        "-F",
        "/dev/null",
        "-o",
        f"UserKnownHostsFile={tmp_path / 'known_hosts'}",
        "-o",
        "StrictHostKeyChecking=yes",
        "-o",
        "PubkeyAuthentication=no",
        "-o",
        "IdentityAgent=none",
        "join@127.0.0.1",
    ]
    return Terminal(args, clean_env(tmp_path), tmp_path, (80, 24), controlling=True)


def _known_hosts(served: Served, port: int, fingerprint: str, tmp_path: Path) -> None:
    """Trust the server's key, after checking it is the one the invitation names."""
    line = (served.state / "ssh_host_ed25519_key.pub").read_text().split()
    blob = base64.b64decode(line[1])
    assert "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=") == (
        fingerprint
    )
    (tmp_path / "known_hosts").write_text(f"[127.0.0.1]:{port} {line[0]} {line[1]}\n")


def test_a_guest_joins_with_openssh_and_moves_a_card(served: Served, tmp_path: Path) -> None:
    found = served.line(SERVING)
    port = int(found.group(2))
    invitation = _invite(tmp_path, "Gitte Gæst", "--server", f"127.0.0.1:{port}")
    assert invitation["command"] == f"ssh -t -p {port} join@127.0.0.1"
    _known_hosts(served, port, invitation["fingerprint"], tmp_path)
    before = storage.load(served.board).board
    first = before.column(Stage.IDEA)[0][0]

    ssh = _ssh(tmp_path, port)
    try:
        ssh.wait_until(ssh.wrote(b"Invitation code:"), 60, "the code prompt")
        ssh.send(invitation["code"].lower().replace("-", " ") + "\r")  # typed loosely
        ssh.wait_until(
            lambda: any(before.title in ssh.screen.row(n) for n in range(3)), 90, "the board"
        )
        assert len(running_with(str(served.board))) == 1  # the guest's own app
        ssh.send("L")  # the selected card, the idea column's first, on to prototype
        ssh.wait_until(
            lambda: storage.load(served.board).board.cards[first].stage is Stage.PROTOTYPE,
            30,
            "the move in the board file",
        )
        ssh.send("q")
        ssh.wait_until(ssh.ended, 60, "ssh to end with the app")
        assert ssh.process.returncode == 0
    finally:
        ssh.close()
    moved = storage.load(served.board).board.cards[first]
    assert moved.history[-1].by == invitation["member"]  # as the invited member, nobody else
    deadline = time.monotonic() + 30
    while not any(" left families.toml " in line for line in served.err):
        assert time.monotonic() < deadline, served.err
        time.sleep(0.05)
    assert running_with(str(served.board)) == []
    assert invitation["code"] not in "\n".join(served.err)


def test_three_wrong_codes_and_openssh_gives_up(served: Served, tmp_path: Path) -> None:
    found = served.line(SERVING)
    port = int(found.group(2))
    invitation = _invite(tmp_path, "Gitte Gæst", "--server", f"127.0.0.1:{port}")
    _known_hosts(served, port, invitation["fingerprint"], tmp_path)
    ssh = _ssh(tmp_path, port)
    try:
        for attempt in range(1, 4):

            def asked(times: int = attempt) -> bool:
                return ssh.output.count(b"Invitation code:") >= times

            ssh.wait_until(asked, 60, f"code prompt {attempt}")
            ssh.send("AAA-BBB-CCC\r")
        ssh.wait_until(ssh.ended, 60, "ssh to give up")
        assert ssh.process.returncode == 255  # OpenSSH: the connection failed
        assert b"not a valid invitation code" in ssh.output
    finally:
        ssh.close()
    assert running_with(str(served.board)) == []

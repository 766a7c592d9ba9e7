"""The SSH entry: connect → board painted, against the same app started locally; memory.

    python bench/ssh.py [--rounds 10] [--guests 8] [--smoke]

Everything runs as people run it: `sprintboard serve-ssh` as its own process on
127.0.0.1 (port 0), guests as asyncssh clients answering "Invitation code:" with a code
`sprintboard invite --json` printed, on an 80×24 pty (TERM=xterm-256color), the example
board `family-culture` in a temporary folder.

- connect → board painted: from opening the TCP connection (key exchange, the host key
  checked against `known_hosts`, the code hashed and checked, the app started on the
  server's pty) until the board's title and the first words of its first card are in
  what the guest received. The baseline, in the same rounds (interleaved, so that noise
  hits both alike): the very command the server runs (`sprintboard --as KEY open --guest
  BOARD`, with the environment the server gives it) started here in a pty of the same
  size, until the same text. Medians; target ≤ 1.3×.
- memory with `--guests` guests on the board at once: each guest's app's peak resident
  memory (VmHWM, the app being the session's own process), and what the server itself
  grew by, per guest. Target ≤ 60 MiB per session.

A script, not a test: `--smoke` runs two rounds and two guests so CI can check it runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import asyncssh
from benchlib import ServerProcess, machine, median_ms
from tui import Terminal, drawn_markers

from sprintboard.guests.child import app_command, child_environment, peak_memory

ROOT = Path(__file__).resolve().parents[1]
EXECUTABLE = Path(sys.executable).parent / "sprintboard"
BOARD = "family-culture"
SIZE = (80, 24)
TARGET_RATIO = 1.3
TARGET_MIB = 60


class Received(asyncssh.SSHClientSession[bytes]):
    """A guest's side of the session: everything the server sent."""

    def __init__(self) -> None:
        self.output = bytearray()

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        self.output += data


class Guest:
    """One guest: the code that lets them in, and their open connection."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.connection: asyncssh.SSHClientConnection | None = None
        self.session: Received | None = None

    async def join(self, port: int, known_hosts: Path, markers: list[bytes]) -> float:
        """Seconds from connecting to every one of `markers` received."""
        code = self.code

        class Answer(asyncssh.SSHClient):
            def kbdint_auth_requested(self) -> str:
                return ""

            def kbdint_challenge_received(
                self, name: str, instructions: str, lang: str, prompts: Sequence[tuple[str, bool]]
            ) -> list[str]:
                return [code for _ in prompts]

        started = time.perf_counter()
        self.connection, _ = await asyncssh.create_connection(
            Answer,
            "127.0.0.1",
            port,
            username="join",
            known_hosts=str(known_hosts),
            client_keys=None,
            agent_path=None,
            preferred_auth="keyboard-interactive",
        )
        session = Received()
        await self.connection.create_session(
            lambda: session, term_type="xterm-256color", term_size=SIZE, encoding=None
        )
        self.session = session
        deadline = started + 120
        while not all(m in session.output for m in markers):
            if time.perf_counter() > deadline:
                raise RuntimeError(f"gave up waiting; received {bytes(session.output[-400:])!r}")
            await asyncio.sleep(0.002)
        return time.perf_counter() - started

    async def leave(self) -> None:
        if self.connection is not None:
            self.connection.close()
            await self.connection.wait_closed()
            self.connection = None


class Server(ServerProcess):
    """`sprintboard serve-ssh` on 127.0.0.1, port 0, in its own process."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        args = [str(EXECUTABLE), "serve-ssh", "--port", "0", str(folder / "boards")]
        super().__init__(args, folder, env, r"ssh://[^\s:]+:(\d+)")
        self.port = int(self.found.group(1))


def invite(folder: Path, env: dict[str, str], name: str) -> tuple[str, str]:
    """The new member's key and the code of their invitation (`invite` run as a person runs
    it, by a facilitator of the example board)."""
    done = subprocess.run(
        [str(EXECUTABLE), "--as", "nanna", "invite", BOARD, name, "--json"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    made = json.loads(done.stdout)
    return str(made["member"]), str(made["code"])


def resident(pid: int) -> int:
    """The process's resident memory now (VmRSS), in bytes: what the server holds for its
    guests (its peak would count the code checks' scrypt buffers, freed once checked)."""
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found.group(1)) * 1024 if found else 0


def local_start(
    folder: Path, member: str, markers: list[bytes], size: tuple[int, int] = SIZE
) -> float:
    """The server's very command for `member`, started here in a pty of `size` (the
    guest's), until every one of `markers` is on screen."""
    env = child_environment("xterm-256color", {}, os.environ)
    board = folder / "boards" / f"{BOARD}.toml"
    terminal = Terminal(app_command(member, board), folder, env=env, size=size)
    try:
        painted = terminal.wait_for(lambda: all(m in terminal.output for m in markers))
        return painted - terminal.started
    finally:
        terminal.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--guests", type=int, default=8)
    parser.add_argument("--smoke", action="store_true", help="two rounds, two guests, for CI")
    args = parser.parse_args()
    rounds, guests = (2, 2) if args.smoke else (args.rounds, args.guests)
    print(machine())
    with tempfile.TemporaryDirectory(prefix="bench-ssh-") as temp:
        folder = Path(temp)
        (folder / "boards").mkdir()
        shutil.copy(ROOT / "boards" / f"{BOARD}.toml", folder / "boards")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "NO_COLOR"))}
        env.update(XDG_STATE_HOME=str(folder / "state"), XDG_CONFIG_HOME=str(folder / "config"))
        env["SPRINTBOARD_USER"] = "bench"
        os.environ.update(XDG_STATE_HOME=env["XDG_STATE_HOME"])
        os.environ.update(XDG_CONFIG_HOME=env["XDG_CONFIG_HOME"])
        invited = [invite(folder, env, f"Guest {n + 1}") for n in range(guests)]
        server = Server(folder, env)
        try:
            known = folder / "known_hosts"
            key = (folder / "state" / "sprintboard" / "ssh_host_ed25519_key.pub").read_text()
            known.write_text(f"[127.0.0.1]:{server.port} {key}")
            markers = drawn_markers(folder / "boards" / f"{BOARD}.toml")
            return asyncio.run(measure(folder, server, known, invited, markers, rounds))
        finally:
            server.stop()


async def measure(
    folder: Path,
    server: Server,
    known: Path,
    invited: list[tuple[str, str]],
    markers: list[bytes],
    rounds: int,
) -> int:
    member, code = invited[0]
    # one warm-up round of each, not counted: the first start compiles and caches bytecode
    local: list[float] = []
    remote: list[float] = []
    for number in range(rounds + 1):
        here = local_start(folder, member, markers)
        guest = Guest(code)
        there = await guest.join(server.port, known, markers)
        await guest.leave()
        server.wait_for_apps(0)
        if number:
            local.append(here)
            remote.append(there)
    ratio = median_ms(remote) / median_ms(local)
    print(f"local start (the server's command, in a pty {SIZE[0]}x{SIZE[1]}):")
    print(f"  median {median_ms(local):.0f} ms, max {max(local) * 1000:.0f} ms ({rounds} runs)")
    print("connect -> board painted over ssh:")
    print(f"  median {median_ms(remote):.0f} ms, max {max(remote) * 1000:.0f} ms ({rounds} runs)")
    print(f"  ratio {ratio:.2f}x (target <= {TARGET_RATIO}x)")

    before = resident(server.process.pid)
    joined = [Guest(code) for _, code in invited]
    for guest in joined:
        await guest.join(server.port, known, markers)
    server.wait_for_apps(len(joined))
    peaks = sorted((peak_memory(pid) or 0) / 2**20 for pid in server.apps())
    after = resident(server.process.pid)
    grown = (after - before) / 2**20 / len(joined)
    for guest in joined:
        await guest.leave()
    server.wait_for_apps(0)
    print(f"{len(joined)} guests at once: each app's peak resident memory (VmHWM)")
    print(f"  median {peaks[len(peaks) // 2]:.1f} MiB, max {peaks[-1]:.1f} MiB")
    print(
        f"  the server: {before / 2**20:.1f} MiB resident before, {after / 2**20:.1f} MiB with "
        f"them connected, {grown:.1f} MiB a guest"
    )
    per_session = peaks[-1] + max(grown, 0.0)
    print(f"  per session, at most: {per_session:.1f} MiB (target <= {TARGET_MIB} MiB)")
    met = ratio <= TARGET_RATIO and per_session <= TARGET_MIB
    print("targets: " + ("met" if met else "MISSED"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

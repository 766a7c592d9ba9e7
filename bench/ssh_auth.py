"""What logging in with an invitation code costs, and whether it holds up everyone else.

    python bench/ssh_auth.py [--repeat N] [--invitations 1,100] [--together 8] [--smoke]

The real server (`sprintboard.ssh.server.start`) on 127.0.0.1, port 0, with real
asyncssh clients answering "Invitation code:"; each login is timed from the TCP connect
to the server's yes (key exchange included). A code is checked with scrypt (one hash per
answer whatever the number of invitations, in a thread): the figures with 1 and with
many invitations in the store should be alike. Then `--together` clients log in at
once while a ticker in the server's event loop measures how late it runs: the hashes
run in threads, so the loop (every guest's relay) must not stall for their length.
No session is opened (that is the app's start, measured by bench/ssh.py).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import asyncssh
from benchlib import machine

from sprintboard.invitations import Invitations
from sprintboard.ssh import host_key, server
from sprintboard.state import private_dir

BOARD = Path(__file__).resolve().parents[1] / "boards" / "family-culture.toml"


class _Answer(asyncssh.SSHClient):
    def __init__(self, code: str) -> None:
        self.code = code

    def kbdint_auth_requested(self) -> str:
        return ""

    def kbdint_challenge_received(
        self, name: str, instructions: str, lang: str, prompts: Sequence[tuple[str, bool]]
    ) -> list[str]:
        return [self.code] if prompts else []


async def _login(port: int, known: asyncssh.SSHKnownHosts, code: str) -> float:
    started = time.perf_counter()
    conn, _client = await asyncssh.create_connection(
        lambda: _Answer(code),
        "127.0.0.1",
        port,
        username="join",
        known_hosts=known,
        client_keys=None,
        agent_path=None,
        config=None,
        public_key_auth=False,
        gss_auth=False,
    )
    took = time.perf_counter() - started
    conn.close()
    await conn.wait_closed()
    return took


async def _lag_while(work: asyncio.Future[list[float]]) -> float:
    """The longest a 10 ms ticker in this loop ran late while `work` ran, in seconds."""
    worst = 0.0
    while not work.done():
        before = time.perf_counter()
        await asyncio.sleep(0.01)
        worst = max(worst, time.perf_counter() - before - 0.01)
    return worst


async def _bench(folder: Path, repeat: int, sizes: list[int], together: int) -> None:
    state = private_dir({"XDG_STATE_HOME": str(folder / "state")})
    boards = folder / "boards"
    boards.mkdir()
    board = boards / BOARD.name
    shutil.copyfile(BOARD, board)
    store = Invitations(state)
    now = datetime.now(UTC)
    entry = await server.start(boards, state_folder=state, log=lambda line: None, port=0)
    try:
        public = (state / (host_key.KEY_FILE + ".pub")).read_text().strip()
        known = asyncssh.import_known_hosts(f"[127.0.0.1]:{entry.port} {public}\n")
        print(f"  {'invitations':>11}  {'logins':>6}  {'median ms':>9}  {'max ms':>8}")
        made = 0
        code = ""
        for size in sizes:
            while made < size:
                _invitation, code = store.add_code(
                    board.resolve(), "nanna", expires=None, once=False, by="bench", now=now
                )
                made += 1
            times = [await _login(entry.port, known, code) for _ in range(repeat)]
            print(
                f"  {size:>11}  {repeat:>6}  {statistics.median(times) * 1000:>9.1f}"
                f"  {max(times) * 1000:>8.1f}"
            )
        started = time.perf_counter()
        work = asyncio.gather(*(_login(entry.port, known, code) for _ in range(together)))
        lag = await _lag_while(work)
        times = await work
        wall = time.perf_counter() - started
        print(
            f"  {together} logins at once: all in {wall * 1000:.0f} ms (median login "
            f"{statistics.median(times) * 1000:.0f} ms); the server's loop ran at most "
            f"{lag * 1000:.1f} ms late"
        )
    finally:
        await entry.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10, help="logins per store size")
    parser.add_argument("--invitations", default="1,100", help="store sizes, comma-separated")
    parser.add_argument("--together", type=int, default=8, help="logins at once at the end")
    parser.add_argument("--smoke", action="store_true", help="one login each (for CI)")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.invitations.split(",") if s.strip())
    if args.smoke:
        sizes, args.repeat, args.together = [1], 1, 2
    if args.repeat < 1 or args.together < 1 or not sizes or sizes[0] < 1:
        parser.error("--repeat, --together and every size must be at least 1")
    print("sprintboard SSH login bench")
    print("machine:", machine())
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_bench(Path(folder), args.repeat, sizes, args.together))
    return 0


if __name__ == "__main__":
    sys.exit(main())

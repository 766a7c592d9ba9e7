"""The browser entry: link opened → board visible, against the same app started locally.

    python bench/web.py [--rounds 5] [--guests 8] [--smoke]

Everything runs as people run it: `sprintboard serve-web` as its own process on
127.0.0.1 (port 0), a link per round from `sprintboard invite --web --json`, Debian's
chromium driven by Playwright (launched once, before any timing: a guest's browser is
open already), a fresh browser context per round (no cookie: the guest's first visit),
the example board `family-culture` in a temporary folder.

- link opened → board visible: from `page.goto(link)` (the link checked, the cookie
  set, the clean page loaded with its 0.5 MB script, the websocket opened, the app
  started under Textual's web driver) until the board's title and the first words of
  its first cards are in the page's text (xterm.js's screen-reader rows). The baseline,
  in the same rounds (interleaved, so that noise hits both alike): the very command the
  server runs (`sprintboard --as KEY open --guest BOARD`, with the environment the
  server gives it) started here in a pty of the size the page got, until the same
  text. Medians; target ≤ 2×. Also when the page received the board's bytes (the
  websocket frame holding its first card's words): the server's and the app's part,
  before xterm.js parses and draws them.
- memory with `--guests` pages on the board at once: each page's app's peak resident
  memory (VmHWM), and what the server grew by, per page.

A script, not a test: `--smoke` runs one round and two pages so CI can check it runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import ServerProcess, machine, median_ms
from playwright.sync_api import Browser, Page, WebSocket, sync_playwright
from ssh import local_start, resident
from tui import drawn_markers

from sprintboard.guests.child import peak_memory

ROOT = Path(__file__).resolve().parents[1]
EXECUTABLE = Path(sys.executable).parent / "sprintboard"
BOARD = "family-culture"
VIEW = {"width": 1000, "height": 620}
ROWS = ".xterm-accessibility-tree"
TARGET_RATIO = 2.0
TARGET_MIB = 60


class Server(ServerProcess):
    """`sprintboard serve-web` on 127.0.0.1, port 0, in its own process."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        args = [str(EXECUTABLE), "serve-web", "--port", "0", str(folder / "boards")]
        super().__init__(args, folder, env, r"(http://127\.0\.0\.1:\d+)")
        self.url = self.found.group(1)


def invite(folder: Path, env: dict[str, str], url: str, name: str) -> tuple[str, str]:
    """The member's key and a fresh link for them (`invite --web`, as a facilitator runs it)."""
    done = subprocess.run(
        [str(EXECUTABLE), "--as", "nanna", "invite", BOARD, name, "--web", "--url", url, "--json"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    made = json.loads(done.stdout)
    return str(made["member"]), str(made["link"])


def visible(page: Page, markers: list[str], seconds: float = 120) -> None:
    deadline = time.perf_counter() + seconds
    while True:
        found = page.query_selector(ROWS)
        text = "" if found is None else found.inner_text()
        if all(m in text for m in markers):
            return
        if time.perf_counter() > deadline:
            missing = [m for m in markers if m not in text]
            raise RuntimeError(f"gave up waiting for {missing}; the page shows {text!r}")
        time.sleep(0.005)


def open_link(
    browser: Browser, link: str, markers: list[str]
) -> tuple[float, float, tuple[int, int]]:
    """Seconds from opening `link` in a fresh browser to the board visible in the page, and
    to the board's bytes received by the page (what the server and the app take; the rest
    is the browser drawing them), and the terminal size the page asked for."""
    context = browser.new_context(viewport=VIEW)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        sizes: list[tuple[int, int]] = []
        received: list[float] = []
        wanted = markers[-1].encode()

        def frame(payload: str | bytes) -> None:
            data = payload if isinstance(payload, bytes) else payload.encode()
            if not received and wanted in data:
                received.append(time.perf_counter())

        def socket(ws: WebSocket) -> None:
            found = re.search(r"width=(\d+)&height=(\d+)", ws.url)
            if found:
                sizes.append((int(found.group(1)), int(found.group(2))))
            ws.on("framereceived", frame)

        page.on("websocket", socket)
        started = time.perf_counter()
        page.goto(link)
        visible(page, markers)
        shown = time.perf_counter() - started
        arrived = received[0] - started if received else float("nan")
        return shown, arrived, sizes[0] if sizes else (80, 24)
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--guests", type=int, default=8)
    parser.add_argument("--smoke", action="store_true", help="one round, two pages, for CI")
    args = parser.parse_args()
    rounds, guests = (1, 2) if args.smoke else (args.rounds, args.guests)
    chromium = shutil.which("chromium")
    if chromium is None:
        print("no chromium: run scripts/test-setup (Debian's chromium)", file=sys.stderr)
        return 1
    print(machine())
    with tempfile.TemporaryDirectory(prefix="bench-web-") as temp:
        folder = Path(temp)
        (folder / "boards").mkdir()
        shutil.copy(ROOT / "boards" / f"{BOARD}.toml", folder / "boards")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "NO_COLOR"))}
        env.update(XDG_STATE_HOME=str(folder / "state"), XDG_CONFIG_HOME=str(folder / "config"))
        env["SPRINTBOARD_USER"] = "bench"
        os.environ.update(XDG_STATE_HOME=env["XDG_STATE_HOME"])
        os.environ.update(XDG_CONFIG_HOME=env["XDG_CONFIG_HOME"])
        server = Server(folder, env)
        try:
            path = folder / "boards" / f"{BOARD}.toml"
            markers = drawn_markers(path)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium)
                try:
                    return measure(folder, env, server, browser, markers, rounds, guests)
                finally:
                    browser.close()
        finally:
            server.stop()


def measure(
    folder: Path,
    env: dict[str, str],
    server: Server,
    browser: Browser,
    markers: list[bytes],
    rounds: int,
    guests: int,
) -> int:
    texts = [m.decode() for m in markers]
    local: list[float] = []
    remote: list[float] = []
    frames: list[float] = []
    size = (80, 24)
    # one warm-up round of each, not counted: the first start compiles and caches bytecode
    for number in range(rounds + 1):
        member, link = invite(folder, env, server.url, "Liv Hansen")
        there, frame, size = open_link(browser, link, texts)
        server.wait_for_apps(0)
        here = local_start(folder, member, markers, size)
        if number:
            local.append(here)
            remote.append(there)
            frames.append(frame)
    ratio = median_ms(remote) / median_ms(local)
    print(f"local start (the server's command, in a pty {size[0]}x{size[1]}):")
    print(f"  median {median_ms(local):.0f} ms, max {max(local) * 1000:.0f} ms ({rounds} runs)")
    print("link opened -> board visible in chromium:")
    print(f"  median {median_ms(remote):.0f} ms, max {max(remote) * 1000:.0f} ms ({rounds} runs)")
    print(f"  ratio {ratio:.2f}x (target <= {TARGET_RATIO}x)")
    print("link opened -> the board's bytes received by the page (before xterm.js draws them):")
    print(f"  median {median_ms(frames):.0f} ms ({median_ms(frames) / median_ms(local):.2f}x)")

    before = resident(server.process.pid)
    contexts = []
    try:
        for n in range(guests):
            _member, link = invite(folder, env, server.url, f"Guest {n + 1}")
            context = browser.new_context(viewport=VIEW)  # type: ignore[arg-type]
            contexts.append(context)
            page = context.new_page()
            page.goto(link)
            # the cards only: with others on the board the header shortens the title to
            # make room for their names
            visible(page, texts[1:])
        server.wait_for_apps(guests)
        peaks = [peak_memory(pid) or 0 for pid in server.apps()]
        grown = resident(server.process.pid) - before
    finally:
        for context in contexts:
            context.close()
    server.wait_for_apps(0)
    mib = max(peaks) / (1 << 20)
    print(f"{guests} pages at once: each app's peak {mib:.1f} MiB at most (target <= {TARGET_MIB})")
    print(f"  the server grew by {grown / (1 << 20) / guests:.1f} MiB per page")
    return 0


if __name__ == "__main__":
    sys.exit(main())

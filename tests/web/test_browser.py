"""The browser entry in a real browser: Debian's chromium, driven by Playwright.

Everything as a guest meets it: `sprintboard serve-web` (the real executable) on
127.0.0.1, port 0; `sprintboard invite … --web --json` makes the link; chromium opens
it, lands on the clean URL with the cookie set, and shows the board. The card titles
are read from the page itself (xterm.js's screen-reader rows, the text a screen
reader reads), keys pressed in the page move a card in the board file, and a
screenshot is kept in `build/test-artifacts/web/` for a person to look at.

Then the ways in that must not work: the same link in another browser, no cookie, a
page of another site trying the websocket with the guest's browser; and the link
clicked in a mail (a page of another site: a SameSite=Strict cookie must still reach
the board), `q` (the session ended, a reload rejoins), a revoked invitation (the page
says so, and a reload is refused).

No browser is ever downloaded: scripts/test-setup installs Debian's chromium, and
without it this test fails, saying how to install it.
"""

from __future__ import annotations

import http.server
import json
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli.helpers import SPRINTBOARD
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from ssh.test_serve import Served, _environment, running_with

from sprintboard import storage
from sprintboard.model import Stage

from .test_serve_web import _start as start_serving
from .tls_proxy import tls_proxy

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BOARD = ROOT / "tests" / "tui" / "fixtures" / "board.toml"
ARTIFACTS = ROOT / "build" / "test-artifacts" / "web"
SERVING = re.compile(r"^serving (.+) on (http://127\.0\.0\.1:(\d+))")
INSTALL = (
    "Debian's chromium is needed for the browser entry's test and is not installed: "
    "run scripts/test-setup (as root), or apt-get install chromium"
)
ROWS = ".xterm-accessibility-tree"
VIEW = {"width": 1100, "height": 720}


@dataclass
class Web:
    """A `serve-web` process, its address, and the board it serves."""

    served: Served
    url: str
    board: Path
    folder: Path

    def run(self, *args: str) -> str:
        """`sprintboard --as nanna ARGS` (the board's facilitator); its stdout."""
        done = subprocess.run(
            [SPRINTBOARD, "--as", "nanna", *args],
            cwd=self.folder,
            env=_environment(self.folder),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def invite(self, name: str, *args: str) -> dict[str, str]:
        """`invite families NAME --web` with this server's address; its JSON."""
        made: dict[str, str] = json.loads(
            self.run("invite", "families", name, "--web", "--url", self.url, "--json", *args)
        )
        return made

    def revoke(self, who: str) -> None:
        self.run("revoke", who)


@contextmanager
def serving(tmp_path: Path, *args: str) -> Iterator[Web]:
    """`serve-web --port 0 [args]` on a copy of the nine-card board, for the block; every
    guest's app ended with it afterwards."""
    (tmp_path / "boards").mkdir(exist_ok=True)
    (tmp_path / "boards" / "families.toml").write_bytes(BOARD.read_bytes())
    process, served, readers = start_serving(tmp_path, *args)
    try:
        url = served.line(SERVING).group(2)
        yield Web(served, url, served.board, tmp_path)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        process.wait(timeout=30)
        for reader in readers:
            reader.join(timeout=10)
    assert not running_with(str(tmp_path)), "an app outlived serve-web"


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Web]:
    with serving(tmp_path) as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail(f"chromium not found. {INSTALL}", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A browser of its own (its own cookies), as one guest's."""
    made = browser.new_context(viewport=VIEW)  # type: ignore[arg-type]
    try:
        yield made
    finally:
        made.close()


def address(page: Page) -> str:
    """What the address bar shows: the page's own location (Playwright's `page.url` can
    miss a `location.replace` made right after a cross-site navigation)."""
    try:
        return str(page.evaluate("location.href"))
    except PlaywrightError:  # between two documents
        return ""


def rows(page: Page) -> str:
    """The terminal's screen as the page holds it in text (the screen-reader rows)."""
    found = page.query_selector(ROWS)
    return "" if found is None else found.inner_text()


def wait_until(check: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def shows_board(page: Page, board: Path, seconds: float = 60) -> str:
    """Wait for the board in the page: its title and every idea card's title's first words
    (a long title wraps); the screen's text then."""
    face = storage.load(board).board
    wanted = [face.title] + [" ".join(c.title.split()[:3]) for _, c in face.column(Stage.IDEA)]
    wait_until(lambda: all(w in rows(page) for w in wanted), f"the board in the page: {wanted}")
    return rows(page)


def click_on(page: Page, text: str) -> None:
    """Click the board where `text` is drawn: on its row (the screen-reader rows are the
    screen's), near the left edge of the first column."""
    lines = page.locator(f"{ROWS} > div").all_inner_texts()
    row = next(n for n, line in enumerate(lines) if text in line)
    box = page.locator(".xterm-screen").bounding_box()
    assert box is not None
    height = box["height"] / len(lines)
    page.locator(".xterm-screen").click(position={"x": 40, "y": height * (row + 0.5)})


def stage_of(board: Path, card: str) -> Stage:
    return storage.load(board).board.cards[card].stage


def test_a_guest_opens_the_link_sees_the_board_and_moves_a_card(
    web: Web, context: BrowserContext
) -> None:
    made = web.invite("Liv Hansen", "--role", "citizen")
    link = made["link"]
    token = link.rsplit("/", 1)[1]
    page = context.new_page()
    before = page.evaluate("history.length")  # the new tab's blank page
    response = page.goto(link)
    assert response is not None and response.ok
    # the clean URL: the token is in neither the address bar nor the history (the link's
    # page was replaced by the board's, not followed by it)
    wait_until(lambda: address(page) == web.url + "/", "the clean URL")
    assert token not in address(page)
    assert page.evaluate("history.length") == before + 1
    cookies = context.cookies()
    assert [c["name"] for c in cookies] == ["sprintboard"]
    assert cookies[0]["httpOnly"] is True
    assert cookies[0]["sameSite"] == "Strict"
    assert cookies[0]["secure"] is False  # plain http here; https makes it Secure

    screen = shows_board(page, web.board)
    face = storage.load(web.board).board
    for _, card in face.column(Stage.IDEA):
        assert " ".join(card.title.split()[:3]) in screen
    # the guest is in the header as their member's name (presence), not as a path
    assert str(web.folder) not in screen

    # a click on the second idea card selects it (the screen-reader rows over the canvas
    # let it through), then the key bar's move key moves it
    second_id, second = face.column(Stage.IDEA)[1]
    click_on(page, " ".join(second.title.split()[:2]))
    page.keyboard.press("Shift+ArrowRight")
    wait_until(lambda: stage_of(web.board, second_id) is Stage.PROTOTYPE, "the move in the file")
    assert stage_of(web.board, face.column(Stage.IDEA)[0][0]) is Stage.IDEA
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "board.png"))


def test_the_link_works_once_and_the_board_needs_the_cookie(
    web: Web, browser: Browser, context: BrowserContext
) -> None:
    link = web.invite("Liv Hansen")["link"]
    first = context.new_page()
    assert first.goto(link) is not None
    shows_board(first, web.board)

    other = browser.new_context(viewport=VIEW)  # type: ignore[arg-type]
    try:
        page = other.new_page()
        again = page.goto(link)
        assert again is not None and again.status == 403
        assert page.locator("body").inner_text().strip()  # a page that says what to do
        bare = page.goto(web.url + "/")
        assert bare is not None and bare.status == 403
        assert not other.cookies()
    finally:
        other.close()


class _MailPage(http.server.BaseHTTPRequestHandler):
    """A page of another site: a webmail holding the invitation's link, and a script that
    tries the board's websocket with whatever the browser would send."""

    body = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def other_site() -> Iterator[Callable[[str], str]]:
    """Serve one page on http://localhost:PORT: another site than 127.0.0.1 (SameSite
    compares hosts, not ports)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _MailPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def page(html: str) -> str:
        _MailPage.body = html.encode()
        return f"http://localhost:{server.server_address[1]}/mail.html"

    try:
        yield page
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_the_link_clicked_in_a_mail_of_another_site_opens_the_board(
    web: Web, context: BrowserContext, other_site: Callable[[str], str]
) -> None:
    link = web.invite("Liv Hansen")["link"]
    mail = other_site(f'<p>You are invited: <a id="link" href="{link}">join the board</a></p>')
    page = context.new_page()
    page.goto(mail)
    page.click("#link")
    wait_until(lambda: address(page) == web.url + "/", "the clean URL")
    shows_board(page, web.board)


def test_another_site_cannot_use_the_guests_websocket(
    web: Web, context: BrowserContext, other_site: Callable[[str], str]
) -> None:
    page = context.new_page()
    assert page.goto(web.invite("Liv Hansen")["link"]) is not None
    shows_board(page, web.board)
    socket = web.url.replace("http://", "ws://") + "/ws?width=80&height=24"
    probe = other_site(
        "<script>window.result = new Promise(done => {"
        f"const s = new WebSocket({json.dumps(socket)});"
        "s.onopen = () => done('open'); s.onerror = () => done('refused');"
        "setTimeout(() => done('timeout'), 20000);});</script>"
    )
    attacker = context.new_page()  # the guest's own browser, their cookie in it
    attacker.goto(probe)
    assert attacker.evaluate("window.result") == "refused"


def test_quitting_ends_the_session_and_a_reload_rejoins(web: Web, context: BrowserContext) -> None:
    page = context.new_page()
    assert page.goto(web.invite("Liv Hansen")["link"]) is not None
    shows_board(page, web.board)
    page.focus(".xterm-helper-textarea")
    page.keyboard.press("q")
    ended = page.locator("text=reload to rejoin")
    ended.wait_for(state="visible", timeout=60_000)
    page.reload()
    shows_board(page, web.board)


def test_a_revoked_guest_is_told_and_cannot_come_back(web: Web, context: BrowserContext) -> None:
    made = web.invite("Liv Hansen")
    page = context.new_page()
    assert page.goto(made["link"]) is not None
    shows_board(page, web.board)
    web.revoke(made["id"])
    page.locator("text=reload to rejoin").wait_for(state="visible", timeout=60_000)
    assert "revoked" in page.locator("body").inner_text().lower()
    again = page.reload()
    assert again is not None and again.status == 403


def test_behind_a_tls_proxy_every_url_is_https_and_the_cookie_secure(
    tmp_path: Path, browser: Browser
) -> None:
    with tls_proxy(tmp_path) as proxy, serving(tmp_path, "--public-url", proxy.url) as web:
        proxy.backend = web.url
        web.url = proxy.url  # what the invitation and the guest's browser know
        link = web.invite("Liv Hansen")["link"]
        assert link.startswith(proxy.url + "/join/")
        context = browser.new_context(viewport=VIEW, ignore_https_errors=True)  # type: ignore[arg-type]
        try:
            page = context.new_page()
            sockets: list[str] = []
            page.on("websocket", lambda ws: sockets.append(ws.url))
            assert page.goto(link) is not None
            wait_until(lambda: address(page) == proxy.url + "/", "the clean URL")
            shows_board(page, web.board)
            assert [c["secure"] for c in context.cookies()] == [True]
            assert sockets and all(s.startswith("wss://localhost:") for s in sockets)
            first = storage.load(web.board).board.column(Stage.IDEA)[0][0]
            page.focus(".xterm-helper-textarea")
            page.keyboard.press("Shift+ArrowRight")
            wait_until(lambda: stage_of(web.board, first) is Stage.PROTOTYPE, "the move")
        finally:
            context.close()


def test_a_guest_exports_the_report_as_a_download_nothing_on_the_server(
    web: Web, context: BrowserContext, tmp_path: Path
) -> None:
    page = context.new_page()
    assert page.goto(web.invite("Liv Hansen")["link"]) is not None
    shows_board(page, web.board)
    before = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    page.focus(".xterm-helper-textarea")
    page.keyboard.press("E")
    wait_until(lambda: "Export" in rows(page), "the export dialog")
    with page.expect_download(timeout=60_000) as caught:
        page.keyboard.press("Enter")
    download = caught.value
    saved = tmp_path / "downloaded"
    download.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert storage.load(web.board).board.title in text
    assert download.suggested_filename and "/" not in download.suggested_filename
    # the report went to the browser only: nothing new in the served folder, the state
    # folder or anywhere else of the server's side of this test
    after = sorted(p for p in tmp_path.rglob("*") if p.is_file() and p != saved)
    assert [p for p in after if p not in before] == []

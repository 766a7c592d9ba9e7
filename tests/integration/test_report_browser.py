"""The web-page report in a real browser: Debian's chromium, driven by Playwright.

Each page (both example boards and the hostile one) is opened from a file at a
phone's size, 390 × 844: nothing may reach past the screen's right edge — neither
the page's scroll width nor any element's box. Then it is printed to PDF, which must
have pages and hold every learning's title (read back with poppler's `pdftotext`).
The full-page screenshot and the PDF of each are kept in `build/test-artifacts/report/`
(git-ignored; README, "The report as a web page") for a person to look at.

No browser is ever downloaded (`playwright install` is not used): the set-up
(scripts/test-setup) installs Debian's chromium, and without it this test fails,
saying how to install it. Slow: a real browser and two dozen pages of PDF.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ViewportSize, sync_playwright
from report_pages import NOW, ROOT, hostile_board, load_example

from sprintboard.model import Board
from sprintboard.report.content import build
from sprintboard.report.formats import render

pytestmark = pytest.mark.slow

ARTIFACTS = ROOT / "build" / "test-artifacts" / "report"
PHONE: ViewportSize = {"width": 390, "height": 844}

INSTALL = (
    "Debian's chromium is needed for the report's browser test and is not installed: "
    "run scripts/test-setup (as root), or apt-get install chromium poppler-utils"
)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not found. {INSTALL}", pytrace=False)
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = _tool("chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium)
        yield launched
        launched.close()


BOARDS = ("family-culture", "safer-housing", "hostile")


def _board(name: str) -> Board:
    # the hostile board, with a hundred cards: every kind of text, in every stage
    return hostile_board(100) if name == "hostile" else load_example(name)


OVERFLOW = """() => {
  const limit = window.innerWidth + 0.5;
  const wide = [];
  for (const e of document.querySelectorAll('body *')) {
    const box = e.getBoundingClientRect();
    if (box.width > 0 && box.right > limit) {
      wide.push(`${e.tagName.toLowerCase()}.${e.getAttribute('class') || ''} right ${box.right}`);
    }
  }
  return {
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
    wide: wide.slice(0, 10),
  };
}"""


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("name", BOARDS)
def test_the_report_fits_a_phone_and_prints(browser: Browser, name: str, tmp_path: Path) -> None:
    board = _board(name)
    page_file = tmp_path / f"{name}.html"
    page_file.write_text(render("html", board, NOW), encoding="utf-8")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_file.as_uri())
    page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
    fit = page.evaluate(OVERFLOW)
    assert fit["scroll"] <= fit["inner"] == PHONE["width"], fit
    assert fit["wide"] == [], fit
    # the page itself is the one request: nothing else is fetched
    assert requests == [page_file.as_uri()]
    pdf = ARTIFACTS / f"{name}.pdf"
    page.pdf(path=str(pdf), format="A4")
    context.close()
    info = subprocess.run(
        [_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert pages >= 2
    text = subprocess.run(
        [_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    printed = _words(text)
    for _cid, card in build(board, NOW).learnings:
        title = _words(card.title)
        if len(title) < 80:  # a title of one long word is broken over lines: checked on screen
            assert title in printed, title


def test_without_chromium_the_test_fails_saying_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(pytest.fail.Exception, match="run scripts/test-setup"):
        _tool("chromium")

"""What a guest in a browser gets delivered: the screenshot and the report, as downloads.

The real executable under Textual's web driver, spoken to as textual-serve does
(`web_pipe`): the app announces a file (``deliver_file_start``), the test asks for it
chunk by chunk (``deliver_chunk_request``) as textual-serve's download manager does,
and the bytes are the SVG or the report. Nothing is written in the board's folder,
the state folder, HOME or the folder the app runs in. Without the web driver a guest
still has neither (`test_guest`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path

import pytest

from sprintboard.tui.guest import DELIVERED, OFF, deliver, delivered, download_name, off

from .helpers import steady_app
from .terminal import EXECUTABLE
from .test_guest_terminal import presence_entries
from .web_pipe import WebApp, guest_web_app

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs pipes")

SIZE = (100, 30)
CTRL_P = "\x10"
CTRL_U = "\x15"


@pytest.fixture
def app(tmp_path: Path, board_file: Path) -> Iterator[WebApp]:
    """A guest's app under the web driver, the board shown and its presence in; ended
    after the test."""
    web = guest_web_app(tmp_path, board_file, "birthe", SIZE)
    try:
        web.wait_until(web.shows("Saturday art"), 30, "the board")
        # its presence entry, and the folder's .gitignore with it, as over SSH: the app's
        # own files, there before what a test compares
        web.wait_until(lambda: bool(presence_entries(board_file)), 10, "presence")
        yield web
    finally:
        web.close()


def files_under(folder: Path) -> set[Path]:
    """Every file and folder under `folder`, but the presence entries (the app's own, as
    over SSH: they come and go while it runs)."""
    return {
        path
        for path in folder.rglob("*")
        if not any(part.endswith(".presence") for part in path.relative_to(folder).parts)
    }


def next_delivery(app: WebApp, count: int) -> dict[str, object]:
    """The file announced after the first `count`: its ``deliver_file_start`` meta."""
    app.wait_until(lambda: len(app.deliveries()) > count, 20, "a file for the browser")
    return app.deliveries()[count]


def svg_text(data: bytes) -> str:
    """The text an SVG shows (it parses as XML, its root is an svg), spaces as spaces."""
    root = ElementTree.fromstring(data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return "".join(root.itertext()).replace("\xa0", " ")


def test_the_palettes_screenshot_is_delivered_to_the_browser_as_an_svg(
    tmp_path: Path, board_file: Path, app: WebApp
) -> None:
    before = files_under(tmp_path)
    app.send_keys(CTRL_P)
    app.wait_until(app.shows("Search for commands"), 10, "the palette")
    app.send_keys("Screenshot")
    app.wait_until(app.shows("Download an SVG picture"), 10, "the command")
    app.send_keys("\r")
    meta = next_delivery(app, 0)
    name = Path(str(meta["path"])).name
    assert name.startswith("sprintboard-family-") and name.endswith(".svg")
    assert Path(str(meta["path"])).parent == Path("/")  # no folder of the server's named
    assert (meta["mime_type"], meta["open_method"]) == ("image/svg+xml", "download")
    shown = svg_text(app.download(str(meta["key"])))
    assert "Saturday art" in shown and "Families, art and culture" in shown
    app.wait_until(app.shows("Sent to your browser"), 10, "the notice")
    assert files_under(tmp_path) == before
    assert not (Path("/") / name).exists()


def exported(app: WebApp, count: int, name: str | None) -> tuple[dict[str, object], bytes]:
    """Export report… with file name `name` (None: the one offered); what was delivered."""
    app.send_keys("E")
    app.wait_until(app.shows("File name"), 10, "the export dialog")
    assert app.shows("nothing is saved on the server")()
    if name is not None:
        app.send_keys(CTRL_U + name)
    app.send_keys("\r")
    meta = next_delivery(app, count)
    return meta, app.download(str(meta["key"]))


def test_export_report_delivers_the_chosen_format_to_the_browser(
    tmp_path: Path, board_file: Path, app: WebApp
) -> None:
    before = files_under(tmp_path)
    meta, page = exported(app, 0, None)
    assert Path(str(meta["path"])).name == "family-report.html"
    assert meta["mime_type"] == "text/html" and meta["encoding"] == "utf-8"
    assert page.startswith(b"<!DOCTYPE html>") and b"Saturday art" in page
    app.wait_until(lambda: not app.shows("File name")(), 10, "the dialog to close")
    # a name ending .json chooses that format, as over SSH; it is the board's own data,
    # byte for byte what `sprintboard export --format json` prints
    meta, data = exported(app, 1, "sprint data.json")
    assert Path(str(meta["path"])).name == "sprint-data.json"
    assert meta["mime_type"] == "application/json"
    cli = subprocess.run(
        [str(EXECUTABLE), "export", "--format", "json", str(board_file)],
        capture_output=True,
        check=True,
        env={**os.environ, "XDG_STATE_HOME": str(tmp_path / "cli-state")},
    )
    assert data.decode() == cli.stdout.decode()
    assert files_under(tmp_path) - {tmp_path / "cli-state"} == before
    assert not (Path("/") / "family-report.html").exists()
    assert not (Path("/") / "sprint-data.json").exists()


def test_a_path_typed_as_the_reports_name_is_refused(
    tmp_path: Path, board_file: Path, app: WebApp
) -> None:
    before = files_under(tmp_path)
    app.send_keys("E")
    app.wait_until(app.shows("File name"), 10, "the export dialog")
    app.send_keys(CTRL_U + "../../report.md\r")
    app.wait_until(app.shows("without a folder"), 10, "the refusal")
    app.send_keys(CTRL_U + "report.md\r")  # the dialog stayed: a name of its own works
    meta = next_delivery(app, 0)
    assert Path(str(meta["path"])).name == "report.md"
    assert app.download(str(meta["key"])).startswith(b"# Families, art and culture")
    assert len(app.deliveries()) == 1
    assert files_under(tmp_path) == before
    assert presence_entries(board_file)  # the app still runs, as it should


# --- without the web driver: nothing changes ---------------------------------------------


async def test_a_guest_without_the_web_driver_has_neither_and_delivers_nothing(
    board_file: Path,
) -> None:
    app = steady_app(board_file, guest=True)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not app.is_web
        for action in DELIVERED:
            assert off(app, action) and not delivered(app, action)
        assert not any(c.title == "Screenshot" for c in app.get_system_commands(app.screen))
        assert not deliver(app, "<svg/>", "x.svg", "image/svg+xml")  # it would save here
    assert DELIVERED <= OFF


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("report.md", "report.md"),
        ("  sprint data.json ", "sprint-data.json"),
        ("rapport-ærø.html", "rapport-r-.html"),
        ('a";b\r\nX-Evil: 1.csv', "a-b-X-Evil-1.csv"),
        (".hidden", "hidden"),
        ("../x.md", None),
        ("a\\b.md", None),
        ("...", None),
        ("", None),
    ],
)
def test_a_delivered_files_name_is_a_name_only(typed: str, name: str | None) -> None:
    assert download_name(typed) == name


def test_a_delivered_files_name_is_bounded() -> None:
    assert len(download_name("x" * 500 + ".md") or "") == 100

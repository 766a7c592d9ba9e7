"""The web-page report (`report.html`): golden pages of the example boards, and the page
parsed back — one self-contained file, its sections in order, every text escaped.

The golden files `tests/golden/<board>.html` are made with the fixed now of
`report_pages.NOW` in UTC; `SPRINTBOARD_UPDATE_GOLDEN=1` rewrites them (README,
"Development"). The real browser's test is tests/integration/test_report_browser.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from report_pages import (
    EXAMPLES,
    HOSTILE_TEXTS,
    NOW,
    ROOT,
    Page,
    hostile_board,
    load_example,
    references,
)

from sprintboard.model import Board
from sprintboard.report import html
from sprintboard.report.content import build
from sprintboard.report.formats import render
from sprintboard.report.html_style import CSP

GOLDEN = ROOT / "tests" / "golden"


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_example_boards_render_as_their_golden_pages(name: str) -> None:
    made = render("html", load_example(name), NOW, UTC)
    golden = GOLDEN / f"{name}.html"
    if os.environ.get("SPRINTBOARD_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(made.encode("utf-8"))
    assert golden.read_bytes() == made.encode("utf-8"), (
        f"{golden} differs from the page made now; if the change is meant, rewrite it with "
        "SPRINTBOARD_UPDATE_GOLDEN=1 and read the difference"
    )


def _page(board: Board, now: datetime = NOW) -> Page:
    return Page(render("html", board, now, UTC))


@pytest.mark.parametrize("name", EXAMPLES)
def test_a_page_loads_and_runs_nothing(name: str) -> None:
    page = _page(load_example(name))
    assert references(page) == []
    assert page.source.startswith("<!DOCTYPE html>\n")
    (root,) = page.all("html")
    assert root.attrs["lang"] == "en"
    metas = page.all("meta")
    assert {"charset": "utf-8"} in [m.attrs for m in metas]
    viewport = [m for m in metas if m.attrs.get("name") == "viewport"]
    assert viewport[0].attrs["content"] == "width=device-width, initial-scale=1"
    (csp,) = [m for m in metas if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    rules = dict(r.strip().split(" ", 1) for r in csp.attrs["content"].split(";"))
    assert rules["default-src"] == "'none'"
    assert rules["style-src"] == "'unsafe-inline'"
    assert rules["img-src"] == "data:"
    assert "script-src" not in rules


def test_the_page_says_the_language_in_force() -> None:
    # in a fresh interpreter: the language is chosen before the app's modules load
    program = (
        "import sys\n"
        "from sprintboard import i18n\n"
        "i18n.use('da_DK')\n"
        "from sprintboard.report.formats import render\n"
        "sys.path.insert(0, 'tests')\n"
        "from report_pages import NOW, load_example\n"
        "sys.stdout.write(render('html', load_example('family-culture'), NOW))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert Page(done.stdout).all("html")[0].attrs["lang"] == "da-DK"


def test_the_sections_come_in_the_reports_order_learnings_first() -> None:
    page = _page(load_example("safer-housing"))
    assert page.sections() == list(html.SECTIONS)
    assert page.sections()[1] == "learnings"
    # the frame before them: title, challenge, goal, dates
    board = load_example("safer-housing")
    head = page.all("header", "head")[0].text
    assert board.title in page.all("h1")[0].text
    for text in (board.challenge, board.goal, "2026-11-23", "2026-12-04"):
        assert text in head
    assert head.index(board.challenge) < head.index(board.goal) < head.index("2026-11-23")


def _articles(page: Page, section: str) -> list[str]:
    """The card ids of a section's cards, in page order."""
    inside, ids = False, []
    for e in page.elements:
        if e.tag == "section":
            inside = e.attrs.get("id") == section
        elif inside and e.tag in ("article", "li") and e.attrs.get("id", "").startswith("card-"):
            ids.append(e.attrs["id"].removeprefix("card-"))
    return ids


def test_each_section_holds_its_stages_cards_in_the_reports_order() -> None:
    board = load_example("safer-housing")
    report = build(board, NOW)
    page = _page(board)
    for section, cards in (
        ("learnings", report.learnings),
        ("experiments", report.experiments),
        ("prototypes", report.prototypes),
        ("ideas", report.ideas),
    ):
        assert _articles(page, section) == [cid for cid, _card in cards], section
    dots = [card.dots for _cid, card in report.ideas]
    assert dots == sorted(dots, reverse=True) and dots[0] > dots[-1]
    archived = [cid for cid, card in board.cards.items() if card.archived]
    assert archived and not any(f"card-{cid}" in page.source for cid in archived)
    assert "1 archived card is left out" in page.all("section")[-1].text


def test_a_learning_card_shows_believed_observed_learned_next_decision_and_who() -> None:
    board = load_example("safer-housing")
    page = _page(board)
    cid, card = next((k, c) for k, c in board.cards.items() if c.stage == "learned" and c.decision)
    (article,) = [e for e in page.all("article") if e.attrs.get("id") == f"card-{cid}"]
    text = article.text
    for label, value in (
        ("We believe", card.hypothesis),
        ("We observed", card.observed),
        ("We learned", card.learned),
        ("Therefore we will", card.next),
    ):
        assert label + value in text
    assert text.index(card.hypothesis) < text.index(card.observed) < text.index(card.learned)
    assert card.decision is not None
    badges = [b for b in page.all("span", "badge") if card.decision.value in b.attrs["class"]]
    assert badges and badges[0].text in text
    for key in card.by:
        assert board.members[key].name in text


def test_every_hostile_text_comes_back_exactly_as_the_pages_text() -> None:
    board = hostile_board(2000)
    page = _page(board)
    assert references(page) == []
    assert not page.all("script") and not page.all("img") and not page.all("b")
    shown = {card.title for card in board.cards.values() if not card.archived}
    titles = {e.text for e in page.all("h3")} | {e.text for e in page.all("strong")}
    assert shown <= titles
    assert not {c.title for c in board.cards.values() if c.archived} & titles
    bodies = [e.text for e in page.all("p", "text")]
    for text in HOSTILE_TEXTS:
        assert f"{text}\n{text}" in bodies
    names = {e.text for e in page.all("li")}
    for member in board.members.values():
        assert f"{member.name} · {member.role}" in names
    assert page.all("h1")[0].text == HOSTILE_TEXTS[0]
    assert page.all("title")[0].text == f"Sprint report: {HOSTILE_TEXTS[0]}"
    # and nothing leaked into an attribute: each attribute is one of the page's own
    classes = {c for e in page.elements for c in e.attrs.get("class", "").split()}
    assert all(not set(c) & set("<>\"'&") for c in classes)


def test_terminal_controls_in_a_text_show_as_escapes_not_as_themselves() -> None:
    board = load_example("family-culture")
    card = next(iter(board.cards.values()))
    data: dict[str, Any] = board.model_dump(by_alias=True)
    first = next(iter(data["cards"]))
    data["cards"][first]["body"] = "bell\x07 and \x1b]0;title\x07 and \u202eevil"
    hostile = Board.model_validate(data)
    source = render("html", hostile, NOW, UTC)
    assert not any(ch in source for ch in "\x07\x1b\u202e")
    assert "bell\\x07 and \\x1b]0;title\\x07 and \\u202eevil" in Page(source).text
    assert card.title in Page(source).text


def _bare(moment: datetime, cards: dict[str, Any], **extra: Any) -> Board:
    return Board.model_validate({"schema": 1, "title": "T", "cards": cards, **extra})


def test_a_board_with_nothing_gives_a_page_with_every_section_saying_so() -> None:
    page = _page(_bare(NOW, {}))
    assert page.sections() == list(html.SECTIONS)
    text = page.text
    for sentence in (
        "No card has reached learned yet.",
        "No experiment is in test.",
        "No prototype is being built.",
        "No ideas on the board.",
        "No cards yet, so there is no flow to draw.",
        "Nobody yet.",
        "No card is archived",
    ):
        assert sentence in text
    assert not page.all("svg")


def test_cards_all_of_one_day_give_a_sentence_instead_of_the_flow_chart() -> None:
    at = NOW - timedelta(hours=2)
    card = {"title": "A", "stage": "idea", "rank": "m", "created": at, "updated": at}
    page = _page(_bare(NOW, {"a": card}))
    assert "Every card is from 2026-12-01: the cumulative flow needs a second day." in page.text
    assert len(page.all("svg")) == 1  # the time in stage still has its bar


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_pages_charts_are_well_formed_svg(name: str) -> None:
    source = render("html", load_example(name), NOW, UTC)
    charts = source.split("<svg")[1:]
    assert len(charts) == 2
    for chart in charts:
        svg = ET.fromstring("<svg" + chart.split("</svg>")[0] + "</svg>")
        assert svg.get("role") == "img" and svg.get("aria-label")
        assert svg.find("title") is not None


def test_the_stylesheet_is_for_a_phone_and_for_print() -> None:
    page = _page(load_example(EXAMPLES[0]))
    css = "".join(page.styles)
    assert "overflow-wrap: anywhere" in css
    assert "@media print" in css
    printed = css[css.index("@media print") :]
    assert "break-inside: avoid" in printed and "color: #000" in printed
    assert CSP in page.source.replace("&#x27;", "'")

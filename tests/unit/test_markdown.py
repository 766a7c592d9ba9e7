"""The Markdown report: in the issue's order, and every user text rendered as exactly its
text by a CommonMark renderer with GitHub's tables (markdown-it-py, as Rich uses)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from markdown_it import MarkdownIt

from sprintboard.model import Board
from sprintboard.report import content, markdown
from sprintboard.report.figures import summary
from sprintboard.safe_text import visible

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
T0 = datetime(2026, 11, 27, 9, 15, tzinfo=UTC)

HOSTILE = [
    "<script>alert(1)</script>",
    "# not a heading",
    "1. not a list",
    "3) nor this",
    "- nor a bullet",
    "+ plus",
    "> not a quote",
    "*not emphasis* and _not_ either",
    "**not strong**",
    "`not code`",
    "[not a link](https://example.org)",
    "![no image](x.png)",
    "a | pipe | in a cell",
    "back\\slash \\* escaped",
    "&amp; stays &amp; and &lt; too",
    "~~not struck~~",
    "<!-- no comment -->",
    "==",
    "---",
    "Title ending in a hash #",
    "    four spaces in front",
    "trailing spaces  ",
    "<https://example.org>",
    "html <b>bold</b> &copy;",
    "Børn & forældre: æøå 🎨",
    "bidi \u202e override and a C1 \u0085 control",
]


class Page(HTMLParser):
    """The rendered HTML as its parser sees it: each element's tag and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.elements: list[tuple[str, str]] = []
        self.tags: list[str] = []
        self._text: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.open.append(tag)
        self._text.append([])

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            name = self.open.pop()
            text = "".join(self._text.pop())
            self.elements.append((name, text))
            if self._text:
                self._text[-1].append(text)
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._text:
            self._text[-1].append(data)

    def texts(self, tag: str) -> list[str]:
        return [text for name, text in self.elements if name == tag]


def parse(text: str) -> Page:
    html = MarkdownIt("commonmark").enable("table").render(text)
    page = Page()
    page.feed(html)
    page.close()
    return page


def card(title: str, stage: str, rank: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": title,
        "stage": stage,
        "rank": rank,
        "created": T0,
        "updated": T0,
        **extra,
    }


def hostile_board() -> Board:
    stages = ["idea", "prototype", "test", "learned"]
    cards = {
        f"c{i:07d}": card(
            title,
            stages[i % 4],
            "m",
            hypothesis=title + "\nsecond line " + title,
            observed="first paragraph\n\n" + title,
            learned=title,
            next=title,
            test=title,
            metric=title,
            criterion=title,
        )
        for i, title in enumerate(t.strip() or t for t in HOSTILE)
    }
    return Board.model_validate(
        {
            "schema": 1,
            "title": "<script>alert('board')</script> # | *",
            "challenge": "- a challenge\n> with a quote",
            "members": {
                "omar": {"name": "Omar <b>S.</b> | x", "side": "external", "role": "*citizen*"},
            },
            "cards": cards,
        }
    )


def test_every_hostile_title_comes_back_as_exactly_its_text() -> None:
    board = hostile_board()
    page = parse(markdown.render(content.build(board, NOW)))
    # nothing in the page is markup of the board's making
    assert "script" not in page.tags and "b" not in page.tags and "img" not in page.tags
    assert "a" not in page.tags and "code" not in page.tags and "pre" not in page.tags
    assert "blockquote" not in page.tags and "ol" not in page.tags and "del" not in page.tags
    (title,) = page.texts("h1")
    assert title == board.title
    headings = page.texts("h3")
    for cid, c in board.cards.items():
        c = c.model_copy(update={"title": visible(c.title)})
        if c.stage.value in ("learned", "test"):
            assert c.title in headings, (cid, c.title, headings)
        elif c.stage.value == "idea":
            assert c.title in page.texts("td"), c.title
        else:  # prototypes: a list item, the title then who co-created it
            assert c.title in page.texts("li"), c.title
    assert "Omar <b>S.</b> | x" in page.texts("td")
    assert "*citizen*" in page.texts("td")


def test_several_lines_stay_lines_and_paragraphs() -> None:
    board = hostile_board()
    html = (
        MarkdownIt("commonmark").enable("table").render(markdown.render(content.build(board, NOW)))
    )
    # the hypothesis's second line: a hard line break, not a new block
    assert "<br />\nsecond line " in html
    page = parse(markdown.render(content.build(board, NOW)))
    assert "- a challenge\n> with a quote" in [t.split(": ", 1)[-1] for t in page.texts("p")]
    # the observation's blank line: two paragraphs
    assert "first paragraph" in [t.split(": ", 1)[-1] for t in page.texts("p")]


@pytest.mark.parametrize("title", HOSTILE)
def test_inline_escaping_alone(title: str) -> None:
    raw = title
    page = parse("## " + markdown.inline(title))
    # characters a terminal acts on are shown as their escapes, as everywhere
    title = visible(title, lines=True)
    assert page.texts("h2") == [title]
    page = parse("| a |\n|---|\n| " + markdown.cell(title) + " |")
    assert page.texts("td") == [title]
    # at the start of a paragraph, and as a line inside one (after a hard break)
    page = parse(markdown.paragraphs(raw))
    assert page.texts("p") == [title]
    page = parse(markdown.paragraphs("first\n" + raw))
    assert page.texts("p") == ["first\n" + title]
    assert page.tags == ["p", "br"]


def test_the_report_follows_the_issues_order(board: Board) -> None:
    text = markdown.render(content.build(board, NOW))
    page = parse(text)
    h2 = page.texts("h2")
    assert h2 == [
        "Team",
        "What we learned",
        "Experiments in test",
        "Prototypes",
        "Ideas, by dots",
        "Co-creation",
        "Flow",
    ]
    assert page.texts("h3")[:2] == ["Internal", "External"]
    # the learned card, as a learning card, with its decision
    assert "Parents want evening slots" in page.texts("h3")
    paragraphs = page.texts("p")
    assert "We observed: Most sign-ups were for 18:00" in paragraphs
    assert "We learned: Evenings work\nweekends less" in paragraphs
    assert "Decision: pivot" in paragraphs
    # every headline figure, in a table row, in summary's order
    cells = page.texts("td")
    for figure in summary(content.build(board, NOW)):
        assert figure.label in cells and figure.value in cells
    assert text.endswith("0 archived cards are left out of this report.\n")


def test_ideas_by_dots_most_first(board: Board) -> None:
    page = parse(markdown.render(content.build(board, NOW)))
    cells = page.texts("td")
    first = cells.index("Saturday art workshop at the library")
    second = cells.index("Museum tickets on the library card")
    assert first < second
    assert cells[first + 1] == "2" and cells[first + 2] == "Nanna H., Anna K."


def test_an_empty_board_says_none_yet() -> None:
    empty = Board.model_validate({"schema": 1, "title": "Empty"})
    text = markdown.render(content.build(empty, NOW))
    page = parse(text)
    assert page.texts("h1") == ["Empty"]
    assert "Sprint: no dates set" in page.texts("p")
    # team, learnings, experiments, prototypes, ideas, per-card times, days
    assert page.texts("p").count("None yet.") == 7
    assert "none yet" in page.texts("td")


def test_the_cumulative_flow_table_is_counted_from_the_history() -> None:
    """Two cards: one idea since day 1; one idea on day 1, prototype on day 2, learned on
    day 3 — each day's row, counted here by hand."""
    day1 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    moves = [("idea", day1), ("prototype", day1 + timedelta(days=1))]
    moves.append(("learned", day1 + timedelta(days=2)))
    history = [{"at": at, "by": "x", "stage": s} for s, at in moves]
    board = Board.model_validate(
        {
            "schema": 1,
            "title": "Flow",
            "cards": {
                "aaaaaaaa": card(
                    "Stays an idea",
                    "idea",
                    "m",
                    created=day1,
                    history=[{"at": day1, "by": "x", "stage": "idea"}],
                ),
                "bbbbbbbb": card("Goes on", "learned", "m", created=day1, history=history),
            },
        }
    )
    page = parse(markdown.render(content.build(board, NOW)))
    cells = page.texts("td")
    i = cells.index("2026-11-28")
    assert cells[i : i + 5] == ["2026-11-28", "2", "0", "0", "0"]
    i = cells.index("2026-11-29")
    assert cells[i : i + 5] == ["2026-11-29", "1", "1", "0", "0"]
    for day in ("2026-11-30", "2026-12-01"):
        i = cells.index(day)
        assert cells[i : i + 5] == [day, "1", "0", "0", "1"]
    # idea to learned for the learned card: two days
    i = cells.index("Goes on")
    assert cells[i + 1] == "2 d 0 h"

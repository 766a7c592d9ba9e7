"""The web-page report as a test reads it: a parsed page, and the boards it is tried on.

`Page` parses a page with the standard library's `html.parser` (character references
resolved, as a browser does) and keeps what the tests ask about: every element with
its attributes, the sections' ids in order, each heading's text, the stylesheet text
and the whole text. `references` lists everything in a page that could fetch
something or run something. `hostile_board` is a board whose every text is an attack
or an awkward case, with as many cards as asked; `HOSTILE_TEXTS` are those texts.
Shared by the unit tests (tests/unit/test_html.py) and the real browser's
(tests/integration/test_report_browser.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from sprintboard import storage
from sprintboard.model import Board

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("family-culture", "safer-housing")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
"""The fixed "now" of every golden file and page test."""

LONG_WORD = "Unbroken" * 40 + "https://example.invalid/" + "a" * 300
"""A word far wider than a phone, an address inside it."""

HOSTILE_TEXTS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "Fish &amp; chips & <b>bold</b>",
    "Æblegrød på Østerbro, Åse og Søren",
    "Art for all 🎨 👩‍👩‍👧 families",
    "' onmouseover='alert(2)",
    LONG_WORD,
)
"""Each used as a title, a body, a name, a role, a tag, a learning."""


def load_example(name: str) -> Board:
    return storage.load(ROOT / "boards" / f"{name}.toml").board


def hostile_board(cards: int = 2000) -> Board:
    """A board whose every text is one of `HOSTILE_TEXTS`, with `cards` cards spread
    over the four stages (a history each, one day apart), a few archived."""
    start = NOW - timedelta(days=20)
    members = {
        f"m{i}": {
            "name": text,
            "side": "external" if i % 2 else "internal",
            "role": HOSTILE_TEXTS[(i + 1) % len(HOSTILE_TEXTS)],
        }
        for i, text in enumerate(HOSTILE_TEXTS)
    }
    stages = ("idea", "prototype", "test", "learned")
    made: dict[str, Any] = {}
    for i in range(cards):
        text = HOSTILE_TEXTS[i % len(HOSTILE_TEXTS)]
        stage = stages[i % 4]
        created = start + timedelta(hours=i % 48)
        history = [
            {"at": created + timedelta(days=d), "by": "m0", "stage": s}
            for d, s in enumerate(stages[: stages.index(stage) + 1])
        ]
        made[f"c{i:05d}"] = {
            "title": f"{text} {i}",
            "stage": stage,
            "rank": "m",
            "created": created,
            "updated": history[-1]["at"],
            "archived": i % 97 == 96,
            "by": [f"m{i % len(HOSTILE_TEXTS)}"],
            "tags": [text.replace(" ", "-")[:40]],
            "body": f"{text}\n{text}",
            "hypothesis": text,
            "test": text,
            "observed": text,
            "learned": text,
            "next": text,
            "decision": ("pivot", "stop", None, "scale")[i % 4] if stage == "learned" else None,
            "votes": {"m1": 1 + i % 3} if stage == "idea" else {},
            "history": history,
        }
    return Board.model_validate(
        {
            "schema": 1,
            "title": HOSTILE_TEXTS[0],
            "challenge": "\n".join(HOSTILE_TEXTS),
            "goal": HOSTILE_TEXTS[1],
            "sprint": {"facilitators": ["m0"]},
            "members": members,
            "cards": made,
        }
    )


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    chunks: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Its whole text (its descendants' included)."""
        return "".join(self.chunks)


class Page(HTMLParser):
    """A parsed report page (see the module)."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.styles: list[str] = []
        self.chunks: list[str] = []
        self.feed(source)
        self.close()

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "source", "wbr"})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1].tag == "style":
            self.styles.append(data)
            return
        for element in self.open:
            element.chunks.append(data)
        if any(e.tag == "body" for e in self.open):
            self.chunks.append(data)

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def all(self, tag: str, cls: str | None = None) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag == tag and (cls is None or cls in e.attrs.get("class", "").split())
        ]

    def sections(self) -> list[str]:
        return [e.attrs.get("id", "") for e in self.all("section")]


FETCHING = frozenset(
    {"src", "srcset", "action", "formaction", "poster", "data", "background", "ping", "cite"}
)
"""Attributes that load or send something wherever they are."""

ACTIVE = frozenset({"script", "iframe", "object", "embed", "link", "base", "form", "img"})
"""Elements that run, load or submit something (the page uses none of them)."""

URL = re.compile(r"url\(\s*(?!['\"]?data:)", re.IGNORECASE)


def references(page: Page) -> list[str]:
    """Everything in `page` that could run or fetch something, in words: an active
    element, an event handler, a fetching attribute, a link to anything but a
    `#fragment`, a `url(` (but `data:`) or an `@import` in any CSS."""
    found = []
    for e in page.elements:
        if e.tag in ACTIVE:
            found.append(f"a <{e.tag}> element")
        for name, value in e.attrs.items():
            if name.startswith("on"):
                found.append(f"{name}= on <{e.tag}>")
            elif name in FETCHING or name.endswith(":href"):
                found.append(f"{name}={value!r} on <{e.tag}>")
            elif name == "href" and not value.startswith("#"):
                found.append(f"href={value!r} on <{e.tag}>")
            elif name == "style" and (URL.search(value) or "@import" in value):
                found.append(f"style={value!r} on <{e.tag}>")
    css = "".join(page.styles)
    if URL.search(css):
        found.append("url( in the stylesheet")
    if "@import" in css:
        found.append("@import in the stylesheet")
    return found

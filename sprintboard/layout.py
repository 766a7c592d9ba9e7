"""How the canonical writer lays a board out: the frame, then each card's tables.

The writer (`storage.canonical.dumps`, tomli-w) puts a board's own keys and tables
first — the frame — then every card's tables (``[cards.<id>]``, then
``[cards.<id>.votes]``, …) together, sorted by id. `cut` finds that layout in a text
without parsing it, and says None when the text is laid out otherwise. Both the full
reader (`storage.canonical`, which parses card by card) and the face reader
(`outline`) start from it: one place knows the layout.

Pure and light: the standard library only, so the first frame can use it before
pydantic is imported. Linear time on any input (the one pattern cannot backtrack
past a line).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_TABLE_LINE = re.compile(
    r"\n\[(?:\[?cards\.([A-Za-z0-9_-]+)(\.[A-Za-z0-9_.-]+)?\]\]?[ \t]*(?=\n|\Z))?"
)
"""A line starting with "[": a card's table header (its id, and what follows it), or not
(no groups). The search for its literal start runs at C speed between matches."""


@dataclass(frozen=True, slots=True)
class Layout:
    """A board text cut as the writer lays it out: the frame, then each card's tables.

    Holds positions into `text`, not copies: cutting a large board costs no second
    board in memory.
    """

    text: str
    frame_end: int
    """Where the frame ends and the first card table starts."""
    spans: dict[str, tuple[int, int]]
    """Card id -> where its tables start and end in `text` (the end after one newline,
    or at the end of the text; blank lines between cards belong to neither)."""

    @property
    def frame(self) -> str:
        return self.text[: self.frame_end]

    def card(self, cid: str) -> str:
        """The text of one card's tables, normalised to end in one newline."""
        begin, end = self.spans[cid]
        return self.text[begin:end].rstrip("\n") + "\n"

    def cards(self) -> Iterator[tuple[str, str]]:
        """Each card id with the text of its tables (`card`), in the file's order."""
        for cid in self.spans:
            yield cid, self.card(cid)


def cut(text: str) -> Layout | None:
    """The text's frame and card tables; None when it is laid out otherwise (a card's
    tables apart, another table among the cards, a "[" line inside a string)."""
    start = 0 if text.startswith("[cards.") else text.find("\n[cards.") + 1
    if start <= 0 and not text.startswith("[cards."):
        return None
    starts: list[tuple[str, int]] = []
    last = None
    # from the newline before the first card table: none when the text starts with it
    for match in _TABLE_LINE.finditer("\n" + text if start == 0 else text, max(start - 1, 0)):
        cid, sub = match.groups()
        if cid is None:
            return None  # another table among the cards
        if cid != last:
            starts.append((cid, match.start() + 1 - (start == 0)))
            last = cid
        elif sub is None:
            return None  # the same card declared twice
    spans: dict[str, tuple[int, int]] = {}
    ends = [begin for _, begin in starts[1:]] + [len(text)]
    for (cid, begin), next_begin in zip(starts, ends, strict=True):
        end = next_begin
        while end > begin and text[end - 1] == "\n":  # the blank lines are no card's
            end -= 1
        end = min(end + 1, len(text))  # but the newline that ends its last line is
        if cid in spans:
            return None  # a card's tables are not together
        if text.count('"""', begin, end) % 2 or text.count("'''", begin, end) % 2:
            return None  # a cut inside a multi-line string: a "[" line that is text
        spans[cid] = (begin, end)
    return Layout(text, start, spans)

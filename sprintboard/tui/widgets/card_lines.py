"""A card as a column draws it: its text pieces, and its rows as strips.

Every card is `CARD_HEIGHT` rows tall — two title rows (or one and the "! decide"
mark), one row of tags, co-creators, dots and markers, and a gap. The functions
here make that text (wrapped, fitted to a width in terminal cells) and the rows
(`draw_card`), with the styles the column resolved from its stylesheet
(`CardLook`); the column (`widgets.column`) decides which card goes on which row
of the screen, and scrolls.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from ...i18n import N_, _
from ...labels import decision_label
from ...safe_text import visible
from ...vocabulary import Stage

if TYPE_CHECKING:
    from ..faces import CardLike as Card
    from ..faces import MemberLike as Member

CARD_HEIGHT = 4
"""Rows per card: two title rows, the meta row, and a gap."""
TITLE_ROWS = 2
MAX_PEOPLE = 3
"""Co-creators shown by their initials; more show as "+n"."""

CURSOR_MARK = "▌"
"""Drawn left of the focused card, so it stands out even without colour."""
CONFLICT_MARK = N_("! decide")
"""Drawn (bold, reverse) on a card a git merge left with a field to decide."""


# --- what a card shows, as text ---------------------------------------------------------


def fit(text: str, width: int) -> str:
    """The longest start of `text` that takes at most `width` terminal cells."""
    if cell_len(text) <= width:
        return text
    cells = 0
    for index, char in enumerate(text):
        cells += get_character_cell_size(char)
        if cells > width:
            return text[:index]
    return text


def _pieces(text: str) -> list[tuple[str, bool]]:
    """`text` as pieces a line may break after: words, and word parts up to a hyphen.

    Each piece says whether a space goes before it when it follows another on a line.
    """
    pieces: list[tuple[str, bool]] = []
    for word in text.split():
        parts = re.findall(r"[^-]*-+|[^-]+", word)
        pieces.extend((part, number == 0) for number, part in enumerate(parts))
    return pieces


def wrap(text: str, width: int, rows: int = TITLE_ROWS) -> list[str]:
    """`text` wrapped at spaces and hyphens to at most `rows` lines of `width` cells.

    A word longer than a line is cut; when text is left over, the last line ends
    in "…" after its last whole word (a line of one long word is cut in it).
    """
    if width <= 0:
        return []
    pieces = _pieces(text)
    lines: list[str] = []
    line = ""
    index = 0
    while index < len(pieces) and len(lines) < rows:
        piece, spaced = pieces[index]
        joined = f"{line} {piece}" if line and spaced else line + piece
        if cell_len(joined) <= width:
            line = joined
            index += 1
        elif line:
            lines.append(line)
            line = ""
        else:
            head = fit(piece, width) or piece[:1]
            lines.append(head)
            pieces[index] = (piece[len(head) :], False)
    if line and len(lines) < rows:
        lines.append(line)
        line = ""
    if index < len(pieces) or line:
        last = lines[-1]
        head = fit(last, width - 1)
        if len(head) < len(last) and last[len(head)] != " " and " " in head:
            head = head[: head.rindex(" ")]  # "workshop at…", not "workshop at th…"
        lines[-1] = head.rstrip() + "…"
    return lines


def initials(name: str) -> str:
    """Two letters for a person: the first letters of the first and last word."""
    words = [w for w in name.replace(".", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


def member_initials(members: Mapping[str, Member]) -> dict[str, str]:
    """Each member key's initials, as cards show co-creators."""
    return {key: initials(member.name) for key, member in members.items()}


def dots_text(dots: int) -> str:
    """Votes as dots: "●●" for a few, "●12" for many."""
    if dots <= 0:
        return ""
    return "●" * dots if dots <= 3 else f"●{dots}"


EXPERIMENT_MARK = "✎"
"""On a card whose experiment is written down (we believe … we are right if)."""
LEARNING_MARK = "✓"
"""On a card whose learning is written down (we observed … decision)."""


def markers_text(card: Card) -> str:
    """ "✎" when experiment fields are filled in, "✓" when learning fields are; on a
    card in learned with a decision, the decision's word instead of "✓" ("✎ pivot").

    Symbols, not letters: "E" and "L" read as nothing to a participant, and a symbol
    needs no colour to be told apart (the help and the README explain both). The
    decision is a word, because it is what the learned column is read for: four
    symbols nobody remembers would need the help, and a colour alone vanishes with
    NO_COLOR. Only in learned: elsewhere an old decision is history, not the verdict.
    """
    experiment = EXPERIMENT_MARK if card.has_experiment else ""
    if card.stage is Stage.LEARNED and card.decision is not None:
        return " ".join(part for part in (experiment, decision_label(card.decision)) if part)
    return experiment + (LEARNING_MARK if card.has_learning else "")


def tags_text(tags: Sequence[str], width: int) -> str:
    """Tags as "#culture #library" in `width` cells: whole tags and "+n" for the rest.

    Only when not even the first tag fits is it cut ("#cultu…").
    """
    shown = " ".join(f"#{tag}" for tag in tags)
    if cell_len(shown) <= width:
        return shown
    for count in range(len(tags) - 1, 0, -1):
        shown = " ".join(f"#{tag}" for tag in tags[:count]) + f" +{len(tags) - count}"
        if cell_len(shown) <= width:
            return shown
    return fit(f"#{tags[0]}", width - 1).rstrip() + "…" if width > 1 else ""


def people_text(card: Card, initials_of: Mapping[str, str]) -> str:
    shown = [initials_of.get(key, key[:2].upper()) for key in card.by[:MAX_PEOPLE]]
    if len(card.by) > MAX_PEOPLE:
        shown.append(f"+{len(card.by) - MAX_PEOPLE}")
    return " ".join(shown)


# --- a card's rows -------------------------------------------------------------------


@dataclass(frozen=True)
class CardLook:
    """The rich styles a card block is drawn with (resolved from the stylesheet)."""

    blank: Style
    card: Style
    title: Style
    tags: Style
    people: Style
    dots: Style
    markers: Style
    conflict: Style
    archived: Style
    cursor: Style
    mark: Style
    mark_idle: Style
    hint: Style
    bar: Style


def draw_card(
    card: Card, width: int, state: int, look: CardLook, initials_of: Mapping[str, str]
) -> list[Strip]:
    """The rows of one card, `width` cells wide. `state`: 0 plain, 1 selected, 2 selected
    and focused; `initials_of` gives the co-creators' initials."""
    base = look.card
    if card.archived:
        base = base + look.archived
    if state == 2:
        base = base + look.cursor
    mark = Segment(
        CURSOR_MARK if state else " ",
        look.mark if state == 2 else look.mark_idle if state == 1 else look.card,
    )
    inner = max(width - 3, 1)
    pad = Segment(" ", base)

    def row(parts: list[Segment]) -> Strip:
        return Strip([mark, pad, *parts]).adjust_cell_length(width, base)

    # a card to decide gives its second title row to the mark: on the meta row it
    # would push out the tags and initials in a narrow column
    title = wrap(visible(card.title), inner, TITLE_ROWS - 1 if card.conflicts else TITLE_ROWS)
    title_style = base + look.title
    if state == 2:  # the selected card is one block: no colours of its own
        plain = Style()
        look = replace(look, tags=plain, people=plain, dots=plain, markers=plain)
    rows = [row([Segment(text, title_style)]) for text in title]
    if card.conflicts:
        rows.append(row([Segment(fit(_(CONFLICT_MARK), inner), base + look.conflict)]))
    rows.extend(row([]) for _blank in range(TITLE_ROWS - len(rows)))
    rows.append(row(_meta(card, inner, base, look, initials_of)))
    rows.append(Strip.blank(width, look.blank))
    return rows


def _meta(
    card: Card, width: int, base: Style, look: CardLook, initials_of: Mapping[str, str]
) -> list[Segment]:
    """Tags on the left; co-creators, dots and markers on the right, as room allows."""
    right: list[tuple[str, Style]] = []
    for text, style in (
        (people_text(card, initials_of), look.people),
        (dots_text(card.dots), look.dots),
        (markers_text(card), look.markers),
    ):
        if text:
            right.append((text, base + style))
    if card.archived:
        right.insert(0, (_("archived"), base))
    while right and cell_len(" ".join(t for t, _ in right)) > width:
        right.pop(0)
    used = cell_len(" ".join(t for t, _ in right))
    room = width - used - (1 if right else 0)
    tags = tags_text([visible(tag) for tag in card.tags], room)
    segments = [Segment(tags, base + look.tags)] if tags else []
    gap = width - cell_len(tags) - used
    if right:
        segments.append(Segment(" " * max(gap, 1), base))
        for number, (text, style) in enumerate(right):
            if number:
                segments.append(Segment(" ", base))
            segments.append(Segment(text, style))
    return segments

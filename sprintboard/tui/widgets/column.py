"""A board column that draws only the cards on screen, with Textual's Line API.

A column of 5,000 cards is one widget, not 5,000: `render_line` draws the rows in
view from the list of cards the board screen gave it. Every card is `CARD_HEIGHT`
rows tall — two title rows (or one and the "! decide" mark), one row of tags,
co-creators, dots and markers, and a gap — so the card under any row is a division
away, and scrolling costs the same whatever the column holds.

The column keeps a cursor (an index into its cards). It never changes the board:
it posts `Column.CursorMoved` and `Column.OpenRequested`, and the screen turns
those into what the user meant.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...model import Card, Member, Stage
from ...safe_text import visible

CARD_HEIGHT = 4
"""Rows per card: two title rows, the meta row, and a gap."""
TITLE_ROWS = 2
MAX_PEOPLE = 3
"""Co-creators shown by their initials; more show as "+n"."""

TITLE_MARGIN = 6
"""Cells of the column's width its border takes around the title: corners, lines, spaces."""

CURSOR_MARK = "▌"
"""Drawn left of the focused card, so it stands out even without colour."""
CONFLICT_MARK = "! decide"
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
    """ "✎" when experiment fields are filled in, "✓" when learning fields are.

    Symbols, not letters: "E" and "L" read as nothing to a participant, and a symbol
    needs no colour to be told apart (the help and the README explain both).
    """
    return (EXPERIMENT_MARK if card.has_experiment else "") + (
        LEARNING_MARK if card.has_learning else ""
    )


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


# --- the widget --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Look:
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


class Column(ScrollView, can_focus=True, inherit_bindings=False):
    """The cards of one stage, drawn a screenful at a time, with a cursor."""

    DEFAULT_CSS = """
    Column {
        /* no Textual scrollbars: the column scrolls itself and draws its own bar. A
           scrollbar widget would ask for a new layout of the whole screen whenever the
           focus moves between columns, which costs more than drawing the change. */
        overflow-x: hidden;
        overflow-y: hidden;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", False, tooltip="Select the card above", id="column.up"),
        Binding(
            "down,j",
            "cursor_down",
            "Down",
            False,
            tooltip="Select the card below",
            id="column.down",
        ),
        Binding(
            "pageup", "page_up", "Page up", False, tooltip="Up a screenful", id="column.page-up"
        ),
        Binding(
            "pagedown",
            "page_down",
            "Page down",
            False,
            tooltip="Down a screenful",
            id="column.page-down",
        ),
        Binding(
            "home", "first", "First", False, tooltip="Select the first card", id="column.first"
        ),
        Binding("end", "last", "Last", False, tooltip="Select the last card", id="column.last"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "column--card",
        "column--title",
        "column--tags",
        "column--people",
        "column--dots",
        "column--markers",
        "column--conflict",
        "column--archived",
        "column--cursor",
        "column--mark",
        "column--mark-idle",
        "column--hint",
        "column--bar",
    }

    @dataclass
    class CursorMoved(Message):
        """The cursor moved to another card (or the column became empty)."""

        column: Column
        card_id: str | None

    @dataclass
    class OpenRequested(Message):
        """The user asked to open a card (a double click, or a click on the selected card)."""

        column: Column
        card_id: str

    def __init__(self, stage: Stage) -> None:
        super().__init__(id=f"column-{stage.value}")
        self.stage = stage
        """The stage whose cards this column shows."""
        self.cursor = 0
        """Index of the selected card in `cards`."""
        self.cards: Sequence[tuple[str, Card]] = ()
        """The cards shown, in board order (set through `show`)."""
        self.hint = "no cards"
        """What an empty column says."""
        self._initials: Mapping[str, str] = {}
        self._blocks: dict[str, tuple[Card, int, int, list[Strip]]] = {}
        self._look: _Look | None = None
        self._fresh_focus = False
        self._titles: tuple[str, ...] = ()

    # --- what the screen tells the column ---------------------------------------------

    def show(
        self,
        cards: Sequence[tuple[str, Card]],
        initials_of: Mapping[str, str],
        *,
        select: str | None = None,
    ) -> None:
        """Show `cards`; the cursor goes to `select`, else stays on its card, else its row.

        Redraws only when what is in view changed: after a save, every card is a new
        (equal) object, and four full column redraws per key would be wasted work.
        """
        keep = select if select is not None else self.card_id
        old, old_cursor = self.cards, self.cursor
        self.cards = cards
        index = self.index_of(keep) if keep is not None else None
        self.cursor = self._clamp(self.cursor if index is None else index)
        if len(cards) != len(old):
            # set without Textual's layout refresh (the column's own size is unchanged)
            self.set_reactive(Column.virtual_size, Size(0, len(cards) * CARD_HEIGHT))
        self.scroll_to_cursor()
        if (
            initials_of != self._initials
            or self.cursor != old_cursor
            or not self._same_in_view(old, cards)
        ):
            self._initials = initials_of
            self.refresh()

    def _same_in_view(
        self, old: Sequence[tuple[str, Card]], new: Sequence[tuple[str, Card]]
    ) -> bool:
        """Whether the cards drawn now would look the same from `new` as from `old`."""
        if len(old) != len(new):
            return False
        first = round(self.scroll_offset.y) // CARD_HEIGHT
        last = first + self.scrollable_content_region.height // CARD_HEIGHT + 1
        for (old_id, old_card), (new_id, new_card) in zip(
            old[first : last + 1], new[first : last + 1], strict=True
        ):
            if old_id != new_id or (old_card is not new_card and old_card != new_card):
                return False
        return True

    def set_titles(self, forms: Sequence[str]) -> None:
        """The title in several forms, longest first: the border shows the first that fits."""
        self._titles = tuple(forms)
        self._fit_title()

    def _fit_title(self) -> None:
        if not self._titles:
            return
        room = self.outer_size.width - TITLE_MARGIN
        fitting = (form for form in self._titles if cell_len(form) <= room)
        title = next(fitting, self._titles[-1]) if self.outer_size.width else self._titles[0]
        if self.border_title != title:
            self.border_title = title

    def index_of(self, card_id: str) -> int | None:
        for index, (cid, _) in enumerate(self.cards):
            if cid == card_id:
                return index
        return None

    @property
    def card_id(self) -> str | None:
        """The id of the selected card, None when the column is empty."""
        if 0 <= self.cursor < len(self.cards):
            return self.cards[self.cursor][0]
        return None

    def neighbour(self, offset: int) -> str | None:
        """The id of the card `offset` places from the selected one, if there is one."""
        index = self.cursor + offset
        if self.card_id is None or not 0 <= index < len(self.cards):
            return None
        return self.cards[index][0]

    @property
    def cursor_row(self) -> int:
        """The selected card's row in the visible part of the column."""
        return self.cursor * CARD_HEIGHT - round(self.scroll_offset.y)

    def select_row(self, row: int) -> None:
        """Select the card drawn at `row` of the visible part (or the nearest one)."""
        self.move_cursor((round(self.scroll_offset.y) + max(row, 0)) // CARD_HEIGHT)

    def move_cursor(self, index: int) -> None:
        index = self._clamp(index)
        moved = index != self.cursor
        self.cursor = index
        self.scroll_to_cursor()
        self.refresh()
        if moved:
            self.post_message(self.CursorMoved(self, self.card_id))

    def scroll_to_cursor(self) -> None:
        """Scroll just enough for the selected card to be in view."""
        height = self.scrollable_content_region.height
        if not self.cards or height <= 0:
            return
        top = self.cursor * CARD_HEIGHT
        bottom = top + CARD_HEIGHT - 1  # the gap row may stay hidden
        y = round(self.scroll_offset.y)
        if top < y:
            self.scroll_to(y=top, animate=False, immediate=True, force=True)
        elif bottom > y + height:
            self.scroll_to(y=bottom - height, animate=False, immediate=True, force=True)

    def scroll_cards(self, cards: int) -> None:
        """Scroll by a number of cards (negative: up); the cursor stays where it is."""
        y = round(self.scroll_offset.y) + cards * CARD_HEIGHT
        self.scroll_to(y=y, animate=False, immediate=True, force=True)

    def _clamp(self, index: int) -> int:
        return max(0, min(index, len(self.cards) - 1))

    # --- keys and mouse ------------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_page_up(self) -> None:
        page = max(1, self.scrollable_content_region.height // CARD_HEIGHT)
        self.move_cursor(self.cursor - page)

    def action_page_down(self) -> None:
        page = max(1, self.scrollable_content_region.height // CARD_HEIGHT)
        self.move_cursor(self.cursor + page)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self.cards) - 1)

    def on_focus(self, event: events.Focus) -> None:
        self._fresh_focus = True
        self.refresh()

    def on_blur(self, event: events.Blur) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        fresh, self._fresh_focus = self._fresh_focus, False
        if offset is None:
            return
        index = (offset.y + round(self.scroll_offset.y)) // CARD_HEIGHT
        if index >= len(self.cards):
            return
        again = index == self.cursor and not fresh
        self.move_cursor(index)
        if (again or event.chain >= 2) and self.card_id is not None:
            self.post_message(self.OpenRequested(self, self.card_id))

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.scroll_cards(1)
        event.stop()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.scroll_cards(-1)
        event.stop()

    def on_resize(self, event: events.Resize) -> None:
        self.scroll_to_cursor()
        self._fit_title()

    # --- drawing -------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._look = None
        self._blocks.clear()

    def _styles(self) -> _Look:
        if self._look is None:
            style = self.get_component_rich_style
            self._look = _Look(
                blank=self.rich_style,
                card=style("column--card"),
                title=style("column--title", partial=True),
                tags=style("column--tags", partial=True),
                people=style("column--people", partial=True),
                dots=style("column--dots", partial=True),
                markers=style("column--markers", partial=True),
                conflict=style("column--conflict", partial=True),
                archived=style("column--archived", partial=True),
                cursor=style("column--cursor", partial=True),
                mark=style("column--mark"),
                mark_idle=style("column--mark-idle"),
                hint=style("column--hint"),
                bar=style("column--bar"),
            )
        return self._look

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        height = self.scrollable_content_region.height
        top = round(self.scroll_offset.y)
        total = len(self.cards) * CARD_HEIGHT
        look = self._styles()
        if total > height:  # the last cell is the scroll bar
            width -= 1
            bar = Segment(*self._bar_cell(y, top, height, total, look))
            return self._card_line(top + y, width, look) + Strip([bar], 1)
        return self._card_line(top + y, width, look)

    def _bar_cell(
        self, y: int, top: int, height: int, total: int, look: _Look
    ) -> tuple[str, Style]:
        """The scroll bar's cell on row `y`: part of the thumb, or of the track."""
        thumb = max(1, round(height * height / total))
        start = round(top * (height - thumb) / max(1, total - height))
        if start <= y < start + thumb:
            return "▐", look.bar
        return " ", look.blank

    def _card_line(self, line: int, width: int, look: _Look) -> Strip:
        index, row = divmod(line, CARD_HEIGHT)
        if index >= len(self.cards):
            if not self.cards and line == 1:
                text = fit(f" {self.hint}", width)
                return Strip([Segment(text, look.hint)]).adjust_cell_length(width, look.blank)
            return Strip.blank(width, look.blank)
        card_id, card = self.cards[index]
        state = 2 if index == self.cursor and self.has_focus else 0
        cached = self._blocks.get(card_id)
        if cached is not None and cached[1:3] == (width, state):
            old = cached[0]
            if old is card or old == card:
                return cached[3][row]
        block = self._draw(card, width, state, look)
        if len(self._blocks) > 400:
            self._blocks.clear()
        self._blocks[card_id] = (card, width, state, block)
        return block[row]

    def _draw(self, card: Card, width: int, state: int, look: _Look) -> list[Strip]:
        """The rows of one card. `state`: 0 plain, 1 selected, 2 selected and focused."""
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
            rows.append(row([Segment(fit(CONFLICT_MARK, inner), base + look.conflict)]))
        rows.extend(row([]) for _ in range(TITLE_ROWS - len(rows)))
        rows.append(row(self._meta(card, inner, base, look)))
        rows.append(Strip.blank(width, look.blank))
        return rows

    def _meta(self, card: Card, width: int, base: Style, look: _Look) -> list[Segment]:
        """Tags on the left; co-creators, dots and markers on the right, as room allows."""
        right: list[tuple[str, Style]] = []
        for text, style in (
            (people_text(card, self._initials), look.people),
            (dots_text(card.dots), look.dots),
            (markers_text(card), look.markers),
        ):
            if text:
                right.append((text, base + style))
        if card.archived:
            right.insert(0, ("archived", base))
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

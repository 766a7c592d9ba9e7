"""A board column that draws only the cards on screen, with Textual's Line API.

A column of 5,000 cards is one widget, not 5,000: `render_line` draws the rows in
view from the list of cards the board screen gave it. Every card is `CARD_HEIGHT`
rows tall (what a card's rows hold is `widgets.card_lines`), so the card under any
row is a division away, and scrolling costs the same whatever the column holds.

The column keeps a cursor (an index into its cards). It never changes the board:
it posts `Column.CursorMoved` and `Column.OpenRequested` (their `control` is the
column, so `@on(Column.CursorMoved, "#column-test")` picks one), and the screen
turns those into what the user meant.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...i18n import _
from ...vocabulary import Stage
from .card_lines import (
    CARD_HEIGHT,
    CONFLICT_MARK,
    EXPERIMENT_MARK,
    LEARNING_MARK,
    CardLook,
    dots_text,
    draw_card,
    fit,
    initials,
    member_initials,
    tags_text,
    wrap,
)

if TYPE_CHECKING:
    from ..faces import CardLike as Card

__all__ = [  # the card's text pieces are the column's words too: importers keep them here
    "CARD_HEIGHT",
    "CONFLICT_MARK",
    "EXPERIMENT_MARK",
    "LEARNING_MARK",
    "Column",
    "dots_text",
    "fit",
    "initials",
    "member_initials",
    "tags_text",
    "wrap",
]

TITLE_MARGIN = 6
"""Cells of the column's width its border takes around the title: corners, lines, spaces."""


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
        Binding(
            "up,k", "cursor_up", _("Up"), False, tooltip=_("Select the card above"), id="column.up"
        ),
        Binding(
            "down,j",
            "cursor_down",
            _("Down"),
            False,
            tooltip=_("Select the card below"),
            id="column.down",
        ),
        Binding(
            "pageup",
            "page_up",
            _("Page up"),
            False,
            tooltip=_("Up a screenful"),
            id="column.page-up",
        ),
        Binding(
            "pagedown",
            "page_down",
            _("Page down"),
            False,
            tooltip=_("Down a screenful"),
            id="column.page-down",
        ),
        Binding(
            "home",
            "first",
            _("First"),
            False,
            tooltip=_("Select the first card"),
            id="column.first",
        ),
        Binding(
            "end", "last", _("Last"), False, tooltip=_("Select the last card"), id="column.last"
        ),
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

        @property
        def control(self) -> Column:
            """The column that sent it (what an `@on` selector is matched against)."""
            return self.column

    @dataclass
    class OpenRequested(Message):
        """The user asked to open a card (a double click, or a click on the selected card)."""

        column: Column
        card_id: str

        @property
        def control(self) -> Column:
            """The column that sent it (what an `@on` selector is matched against)."""
            return self.column

    def __init__(self, stage: Stage, *, look_of: Column | None = None) -> None:
        super().__init__(id=f"column-{stage.value}")
        self.look_of = look_of
        """The column whose card styles this one draws with (None: its own; see `PlainColumn`)."""
        self.stage = stage
        """The stage whose cards this column shows."""
        self.cursor = 0
        """Index of the selected card in `cards`."""
        self.cards: Sequence[tuple[str, Card]] = ()
        """The cards shown, in board order (set through `show`)."""
        self.hint = _("no cards")
        """What an empty column says."""
        self._initials: Mapping[str, str] = {}
        self._blocks: dict[str, tuple[Card, int, int, list[Strip]]] = {}
        self._look: CardLook | None = None
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
        # before the first layout a column has no size yet: the board's four columns share
        # the screen's width, so the first frame's title fits too (no resize to wait for)
        width = self.outer_size.width or self.app.size.width // 4
        room = width - TITLE_MARGIN
        fitting = (form for form in self._titles if cell_len(form) <= room)
        title = next(fitting, self._titles[-1]) if width else self._titles[0]
        if self.border_title != title:
            self.border_title = title

    def index_of(self, card_id: str) -> int | None:
        for index, (cid, _card) in enumerate(self.cards):
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

    def _styles(self) -> CardLook:
        if self._look is None and self.look_of is not None:
            # the cards' styles are every column's; the bar's colour follows the focus
            bar = self.get_component_rich_style("column--bar")
            self._look = replace(self.look_of._styles(), blank=self.rich_style, bar=bar)
        if self._look is None:
            style = self.get_component_rich_style
            self._look = CardLook(
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
        self, y: int, top: int, height: int, total: int, look: CardLook
    ) -> tuple[str, Style]:
        """The scroll bar's cell on row `y`: part of the thumb, or of the track."""
        thumb = max(1, round(height * height / total))
        start = round(top * (height - thumb) / max(1, total - height))
        if start <= y < start + thumb:
            return "▐", look.bar
        return " ", look.blank

    def _card_line(self, line: int, width: int, look: CardLook) -> Strip:
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
        block = draw_card(card, width, state, look, self._initials)
        if len(self._blocks) > 400:
            self._blocks.clear()
        self._blocks[card_id] = (card, width, state, block)
        return block[row]


class PlainColumn(Column):
    """A column that draws its cards with another column's styles (`look_of`).

    Textual resolves each component class of a widget every time it restyles it — at
    mount, and for both columns on each focus change — and 13 classes in four columns
    were a sixth of the board's first frame. The styles are the same in every column
    but the scroll bar's, which follows the focus: the other three columns resolve only
    that one, and take the rest from the first column.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"column--bar"}


# Textual's `inherit_component_classes=False`, which `Widget.__init_subclass__` does not
# pass on (and resets, so it is set once the class is made)
PlainColumn._inherit_component_classes = False

"""The board's four columns: what they show, which one keys act on, and the selection.

`BoardColumns` is the base of the board screen (`CardActions` builds on it, then
`BoardScreen`). It draws a board — header, each column's cards (filtered), titles
and counts — re-sorting only the stages a change touched, so a move redraws two
columns and a board of thousands of cards stays quick. When the board changes on
disk the columns update in place and the selection stays on its card: a card
someone else moved to another stage is followed there, a card they archived or
deleted hands the selection to its neighbour; an open card view or editor stays
open and is told its card changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from textual import on
from textual.containers import Horizontal
from textual.events import DescendantFocus
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from ...i18n import _
from ...vocabulary import Stage
from ..board_view import (
    StageView,
    changed_stages,
    column_subtitle,
    column_titles,
    decisions_text,
    stage_views,
)
from ..filtering import matcher
from ..live_board import LiveBoard
from ..notices import moved_by_someone, quoted
from ..widgets.column import Column, PlainColumn, member_initials
from ..widgets.header import SprintHeader

if TYPE_CHECKING:
    from ...model import Board
    from ..faces import BoardLike
    from .card_editor import CardEditor
    from .card_view import CardView


class BoardColumns(Screen[None]):
    """The columns of one board, the one keys act on, and the board they show."""

    live: LiveBoard
    """The open board (made by the screen)."""
    today: date | None
    """The date the sprint day is counted for; None: the real today."""
    query_text = ""
    """The filter: what was typed after "/"."""
    show_archived = False
    """Whether archived cards are shown."""
    kept: frozenset[str] = frozenset()
    """Cards added while the filter is on: shown whatever it says, until it changes."""
    _shown: BoardLike | None = None
    _column: Column | None = None
    _dialog: CardView | CardEditor | None = None

    def __init__(self, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self._views: dict[Stage, StageView] = {}
        self._view_key: tuple[object, ...] = ()

    def compose_columns(self) -> Iterator[Widget]:
        """The row of columns, one per stage."""
        with Horizontal(id="columns"):
            first = Column(Stage.IDEA)
            yield first
            for stage in list(Stage)[1:]:
                yield PlainColumn(stage, look_of=first)

    # --- which column keys act on -------------------------------------------------------

    @property
    def columns(self) -> list[Column]:
        return list(self.query(Column))

    def column(self, stage: Stage) -> Column:
        return self.query_one(f"#column-{stage.value}", Column)

    @property
    def current_column(self) -> Column:
        """The column the user works in (it keeps that role while the filter is typed in)."""
        if self._column is None:
            self._column = self.column(Stage.IDEA)
        return self._column

    def select_column(self, column: Column) -> None:
        """Make `column` the one keys act on, now, and give it the focus.

        Not `column.focus()`: that moves the focus only after the key being handled,
        and the column would become current only on the focus event after that, so
        a key typed right behind (`L L`, `l l l`) would act on the old column.
        """
        self._column = column
        self.set_focus(column)

    def select_first_card(self) -> None:
        """Select the first column that has a card (the first column if none has)."""
        columns = self.columns
        self.select_column(next((c for c in columns if c.card_id is not None), columns[0]))

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        if isinstance(event.widget, Column):  # also a click: the column clicked is current
            self._column = event.widget
            self.refresh_bindings()

    @on(Column.CursorMoved)
    def _cursor_moved(self, message: Column.CursorMoved) -> None:
        self.refresh_bindings()

    def action_focus_left(self) -> None:
        self._focus_step(-1)

    def action_focus_right(self) -> None:
        self._focus_step(1)

    def _focus_step(self, step: int) -> None:
        columns = self.columns
        index = columns.index(self.current_column) + step
        if not 0 <= index < len(columns):
            return
        target = columns[index]
        target.select_row(self.current_column.cursor_row)
        self.select_column(target)

    # --- showing the board --------------------------------------------------------------

    def show_board(self, board: BoardLike, select: tuple[Stage, str | None] | None = None) -> None:
        """Draw `board`: header, and each column's cards (filtered); keep or move the cursor.

        `board` is the validated board, or for the first frame its outline (the filter
        and the archived cards' display can only change once the board is open).

        Only the stages whose cards changed since the board last shown are sorted again:
        a move touches two columns, and a board of thousands of cards stays quick.
        """
        previous, self._shown = self._shown, board
        self.live.shown = board
        today = self.today or date.today()
        self.query_one(SprintHeader).show(board.title, board.challenge, board.sprint, today)
        test = matcher(self.query_text, board.members)
        key = (self.query_text, self.show_archived, board.members, self.kept)
        if previous is None or key != self._view_key:
            stages = set(Stage)
        else:
            stages = changed_stages(previous, board)
        self._view_key = key
        if stages:
            views = stage_views(board, stages, test, self.show_archived, self.kept)
            self._views.update(views)
        initials = member_initials(board.members)
        filtered = bool(self.query_text.split())
        for stage in Stage:
            view = self._views[stage]
            column = self.column(stage)
            column.hint = _("no matching cards") if test is not None else _("no cards · n adds one")
            target = select[1] if select is not None and select[0] == stage else None
            column.show(view.cards, initials, select=target)
            limit = board.wip.get(stage)
            column.set_titles(column_titles(stage, len(view.cards), view.total, limit, filtered))
            subtitle = column_subtitle(view, self.show_archived)
            if column.border_subtitle != subtitle:
                column.border_subtitle = subtitle
            column.set_class(limit is not None and view.total > limit, "-over-limit")
        self._show_decisions(sum(view.conflicted for view in self._views.values()))
        self.refresh_bindings()

    def redraw(self) -> None:
        """Draw the board shown again (the filter or the archived cards' display changed)."""
        if self._shown is not None:
            self.show_board(self._shown)

    def _show_decisions(self, count: int) -> None:
        """Say how many cards wait for a decision after a git merge (or hide the line)."""
        line = self.query_one("#decisions", Static)
        if line.display != bool(count):
            line.display = bool(count)
        if count:
            line.update(decisions_text(count))

    def show_latest(self, board: Board) -> None:
        """Show a board that changed on disk: in place, the selection kept on its card."""
        if board is self._shown:
            return
        before = self._shown
        column = self.current_column
        selected = column.card_id
        focused = self.focused is column
        self.show_board(board)
        if before is not None and selected is not None and column.card_id != selected:
            self._follow(before, board, selected, focused)
        dialog = self._dialog
        if dialog is not None and dialog.is_attached:
            dialog.show_latest(board.cards.get(dialog.card_id))

    def _follow(self, before: BoardLike, board: Board, card_id: str, focused: bool) -> None:
        """The selected card left its column: follow it to its new stage, or say it went."""
        was = before.cards.get(card_id)
        card = board.cards.get(card_id)
        if was is None:
            return
        if card is None or (card.archived and not self.show_archived):
            if card is None:
                text = _("{title} was deleted by someone else")
            else:
                text = _("{title} was archived by someone else")
            self.notify(text.format(title=quoted(was.title)), timeout=4)
            return
        target = self.column(card.stage)
        index = target.index_of(card_id)
        if card.stage is was.stage or index is None:
            return  # filtered out: the selection stays where the user is
        target.move_cursor(index)
        self._column = target
        if focused:
            self.set_focus(target, scroll_visible=False)
        self.notify(moved_by_someone(was, card), timeout=4)

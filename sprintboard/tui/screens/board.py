"""The board: four columns of cards, and every change saved at once.

The screen owns one `BoardSession`. A key becomes an operation; `session.propose`
applies it in memory on the UI thread (fast), the columns show the board it
returns, and a thread worker writes it with `session.flush` (slow). A save that
fails leaves the operation pending in the session: the board keeps showing it, a
banner says why it is not on disk, and the next try (every `poll` seconds, which
also picks up other people's changes) writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import ClassVar, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.events import DescendantFocus
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from ... import ops
from ...model import Board, Card, Sprint, Stage, new_id
from ...session import BoardSession, Outcome
from ...storage import BoardFileError
from ..board_view import StageView, changed_card, changed_stages, column_title, stage_views
from ..commands import BoardCommands
from ..filtering import matcher
from ..widgets.column import Column, member_initials
from ..widgets.header import SprintHeader
from ..widgets.keybar import KeyBar

MOVE = Binding.Group("Move", compact=True)

CARD_ACTIONS = frozenset(
    {
        "move_right",
        "move_left",
        "move_up",
        "move_down",
        "open_card",
        "edit_card",
        "archive_card",
    }
)
"""Actions that need a selected card."""

BOARD_ACTIONS = frozenset({"new_card", "filter", "toggle_archived", "focus_left", "focus_right"})
"""Actions that need the board to be open."""


class BoardScreen(Screen[None]):
    """One board, its four columns, and the keys that change it."""

    COMMANDS: ClassVar = {BoardCommands}
    AUTO_FOCUS = None

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "left,h",
            "focus_left",
            "Column left",
            show=False,
            tooltip="Select the column to the left",
            id="board.focus-left",
        ),
        Binding(
            "right,l",
            "focus_right",
            "Column right",
            show=False,
            tooltip="Select the column to the right",
            id="board.focus-right",
        ),
        Binding(
            "shift+left,H",
            "move_left",
            "Back",
            key_display="H",
            group=MOVE,
            tooltip="Move the card back to the previous stage",
            id="board.move-left",
        ),
        Binding(
            "shift+right,L",
            "move_right",
            "On",
            key_display="L",
            group=MOVE,
            tooltip="Move the card on to the next stage",
            id="board.move-right",
        ),
        Binding(
            "shift+up,K",
            "move_up",
            "Up",
            show=False,
            tooltip="Move the card up its column",
            id="board.move-up",
        ),
        Binding(
            "shift+down,J",
            "move_down",
            "Down",
            show=False,
            tooltip="Move the card down its column",
            id="board.move-down",
        ),
        Binding("n", "new_card", "New", tooltip="Add a card to this column", id="board.new-card"),
        Binding(
            "enter",
            "open_card",
            "Open",
            show=False,
            tooltip="Open the card: everything on it",
            id="board.open-card",
        ),
        Binding("e", "edit_card", "Edit", tooltip="Edit the card", id="board.edit-card"),
        Binding(
            "d",
            "archive_card",
            "Archive",
            tooltip="Archive the card (or restore an archived one)",
            id="board.archive-card",
        ),
        Binding("u", "undo", "Undo", tooltip="Undo your last change", id="board.undo"),
        Binding(
            "ctrl+r",
            "redo",
            "Redo",
            show=False,
            tooltip="Redo what you undid",
            id="board.redo",
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            tooltip="Show only cards matching text, #tag or @person",
            id="board.filter",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            tooltip="Show all cards again",
            id="board.clear-filter",
        ),
        Binding(
            "a",
            "toggle_archived",
            "Archived",
            show=False,
            tooltip="Show or hide archived cards",
            id="board.toggle-archived",
        ),
        Binding("question_mark", "help", "Help", tooltip="Show every key", id="board.help"),
        Binding("q", "quit", "Quit", tooltip="Quit sprintboard", id="board.quit"),
    ]

    @dataclass
    class Opened(Message):
        """The board file was read (`board`), or could not be (`error`)."""

        board: Board | None
        error: BoardFileError | None

    @dataclass
    class Synced(Message):
        """A flush or a poll of the file finished; `outcome` None means nothing changed."""

        outcome: Outcome | None
        source: Literal["flush", "poll"]

    def __init__(
        self, path: Path, actor: str, *, today: date | None = None, poll: float | None = 1.0
    ) -> None:
        super().__init__(classes="-loading")
        self.session = BoardSession(path, actor)
        """The open board file: all changes go through it."""
        self.today = today
        """The date the sprint day is counted for; None: the real today."""
        self.poll = poll
        """Seconds between looks at the file for other people's changes (None: never)."""
        self.query_text = ""
        """The filter: what was typed after "/"."""
        self.show_archived = False
        """Whether archived cards are shown."""
        self._shown: Board | None = None
        self._views: dict[Stage, StageView] = {}
        self._view_key: tuple[object, ...] = ()
        self._problem: str | None = None
        self._column: Column | None = None
        self._flushing = False
        self._polling = False
        self._quitting = False

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SprintHeader()
        yield Static(id="banner", markup=False)
        with Horizontal(id="columns"):
            for stage in Stage:
                yield Column(stage)
        yield Static(id="problem", markup=False)
        yield Static(f"Opening {self.session.path} …", id="opening", markup=False)
        yield Input(
            placeholder="words, #tag or @person · enter: keep · escape: clear",
            id="filter",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self._column = self.query_one(f"#column-{Stage.IDEA.value}", Column)
        self._open()
        if self.poll:
            self.set_interval(self.poll, self._poll)

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

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        if isinstance(event.widget, Column):
            self._column = event.widget
            self.refresh_bindings()

    def on_column_cursor_moved(self, message: Column.CursorMoved) -> None:
        self.refresh_bindings()

    def on_column_open_requested(self, message: Column.OpenRequested) -> None:
        self.action_open_card()

    # --- showing the board --------------------------------------------------------------

    def show_board(self, board: Board, select: tuple[Stage, str | None] | None = None) -> None:
        """Draw `board`: header, and each column's cards (filtered); keep or move the cursor.

        Only the stages whose cards changed since the board last shown are sorted again:
        a move touches two columns, and a board of thousands of cards stays quick.
        """
        previous, self._shown = self._shown, board
        today = self.today or date.today()
        self.query_one(SprintHeader).show(board.title, board.challenge, board.sprint, today)
        test = matcher(self.query_text, board.members)
        key = (self.query_text, self.show_archived, board.members)
        if previous is None or key != self._view_key:
            stages = set(Stage)
        else:
            stages = changed_stages(previous, board)
        self._view_key = key
        if stages:
            self._views.update(stage_views(board, stages, test, self.show_archived))
        initials = member_initials(board.members)
        for stage in Stage:
            view = self._views[stage]
            column = self.column(stage)
            column.hint = "no matching cards" if test is not None else "no cards · n adds one"
            target = select[1] if select is not None and select[0] == stage else None
            column.show(view.cards, initials, select=target)
            limit = board.wip.get(stage)
            title = column_title(stage, len(view.cards), view.total, limit, test is not None)
            if column.border_title != title:
                column.border_title = title
            subtitle = f"{view.archived} archived" if self.show_archived and view.archived else ""
            if column.border_subtitle != subtitle:
                column.border_subtitle = subtitle
            column.set_class(limit is not None and view.total > limit, "-over-limit")
        self.refresh_bindings()

    def _show_problem(self, error: BoardFileError | None) -> None:
        """Show why the board cannot be opened (or stop showing it)."""
        text = None
        if error is not None:
            text = "\n".join(
                [
                    "This board cannot be opened:",
                    "",
                    *error.lines(),
                    "",
                    "Fix the file: the board opens as soon as it is valid. q quits.",
                ]
            )
        if error is not None:
            self.query_one(SprintHeader).show(str(self.session.path), "", Sprint(), date.today())
        if text != self._problem:
            self._problem = text
            self.query_one("#problem", Static).update(text or "")
            self.set_class(error is not None, "-broken")

    def _show_banner(self, error: BoardFileError | None) -> None:
        """Say that changes are not on disk, and why; or hide the banner."""
        banner = self.query_one("#banner", Static)
        if error is None:
            banner.display = False
            return
        count = self.session.pending
        kept = f"{count} change{'s' if count != 1 else ''}" if count else "Your changes"
        banner.update(
            f"Not saved: {error}\n{kept} kept here; saving again as soon as the file can be "
            "written."
        )
        banner.display = True

    # --- reading and writing (workers) -------------------------------------------------

    @work(thread=True, exclusive=True, group="open")
    def _open(self) -> None:
        try:
            outcome = self.session.open()
        except BoardFileError as error:
            self.post_message(self.Opened(None, error))
        else:
            self.post_message(self.Opened(outcome.board, None))

    def on_board_screen_opened(self, message: BoardScreen.Opened) -> None:
        self._polling = False
        self.remove_class("-loading")
        self._show_problem(message.error)
        if message.board is None:
            return
        self.show_board(message.board)
        columns = self.columns
        next((c for c in columns if c.card_id is not None), columns[0]).focus()

    def request_flush(self) -> None:
        """Write what is pending, in a worker; one flush at a time."""
        if not self._flushing and self.session.pending:
            self._flushing = True
            self._flush()

    @work(thread=True, group="flush")
    def _flush(self) -> None:
        self.post_message(self.Synced(self.session.flush(), "flush"))

    def _poll(self) -> None:
        if self._polling or self._flushing:
            return
        self._polling = True
        if self.session.board is None:
            self._open()
        else:
            self._refresh()

    @work(thread=True, group="poll")
    def _refresh(self) -> None:
        self.post_message(self.Synced(self.session.refresh(), "poll"))

    def on_board_screen_synced(self, message: BoardScreen.Synced) -> None:
        if message.source == "flush":
            self._flushing = False
        else:
            self._polling = False
        outcome = message.outcome
        if outcome is not None:
            for _, error in outcome.rejected:
                self.notify(str(error), title="A change no longer fits", severity="error")
            self._show_banner(outcome.error)
        board = self.session.board
        if board is not None and board is not self._shown:
            self.show_board(board)
        if outcome is not None and outcome.error is None and self.session.pending:
            self.request_flush()
        if self._quitting and not self._flushing:
            self._quit_if_saved()

    # --- changing the board -------------------------------------------------------------

    def _selected(self) -> tuple[Column, str, Card] | None:
        board = self.session.board
        column = self.current_column
        card_id = column.card_id
        if board is None or card_id is None or card_id not in board.cards:
            return None
        return column, card_id, board.cards[card_id]

    def change(self, op: ops.Op, focus: tuple[Stage, str | None] | None = None) -> bool:
        """Apply `op` now, show the board, save it in the background. False if refused."""
        try:
            board = self.session.propose(op)
        except ops.OpError as error:
            self.notify(str(error), title="Not changed", severity="warning")
            return False
        self._after_change(board, focus)
        return True

    def _after_change(self, board: Board, focus: tuple[Stage, str | None] | None) -> None:
        if focus is not None:
            self.show_board(board, select=focus)
            self.column(focus[0]).focus()
        else:
            self.show_board(board)
        # Save once the change is on screen: a save parses and writes the whole file,
        # and started now it would compete with drawing the change for the GIL.
        self.call_after_refresh(self.request_flush)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return bool(self.query_text) or self.query_one("#filter", Input).display
        if self.session.board is None:
            return action not in CARD_ACTIONS | BOARD_ACTIONS | {"undo", "redo"}
        if action in CARD_ACTIONS:
            return True if self.current_column.card_id is not None else None
        if action == "undo":
            return True if self.session.can_undo else None
        if action == "redo":
            return True if self.session.can_redo else None
        return True

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
        target.focus()

    def action_move_right(self) -> None:
        self._move_stage(1)

    def action_move_left(self) -> None:
        self._move_stage(-1)

    def _move_stage(self, step: int) -> None:
        selected = self._selected()
        if selected is None:
            return
        _, card_id, card = selected
        stage = card.stage.next if step > 0 else card.stage.previous
        if stage is None:
            self.app.bell()
            return
        self.change(ops.MoveCard(card_id, stage, actor=self.session.actor), (stage, card_id))

    def action_move_up(self) -> None:
        self._reorder(-1)

    def action_move_down(self) -> None:
        self._reorder(1)

    def _reorder(self, step: int) -> None:
        selected = self._selected()
        if selected is None:
            return
        column, card_id, card = selected
        other = column.neighbour(step)
        if other is None:
            self.app.bell()
            return
        before, after = (other, None) if step < 0 else (None, other)
        op = ops.MoveCard(card_id, card.stage, before, after, actor=self.session.actor)
        self.change(op, (card.stage, card_id))

    def action_new_card(self) -> None:
        from .new_card import NewCardPrompt

        if self.session.board is None:
            return
        stage = self.current_column.stage
        self.app.push_screen(NewCardPrompt(stage), partial(self._add_card, stage))

    def _add_card(self, stage: Stage, title: str | None) -> None:
        board = self.session.board
        if not title or board is None:
            self.current_column.focus()
            return
        actor = self.session.actor
        card_id = new_id(board.cards)
        by = (actor,) if actor in board.members else ()
        op = ops.AddCard(title=title, stage=stage, by=by, card_id=card_id, actor=actor)
        if not self.change(op, (stage, card_id)):
            self.current_column.focus()

    def action_open_card(self) -> None:
        from .card_view import CardView

        selected = self._selected()
        if selected is None or self.session.board is None:
            return
        _, card_id, card = selected
        view = CardView(card_id, card, self.session.board.members)
        self.app.push_screen(view, self._viewed)

    def _viewed(self, choice: str | None) -> None:
        if choice == "edit":
            self.action_edit_card()

    def action_edit_card(self) -> None:
        from .card_editor import CardEditor

        selected = self._selected()
        if selected is None or self.session.board is None:
            return
        _, card_id, card = selected
        editor = CardEditor(card_id, card, self.session.board.members, check=self.check_edit)
        self.app.push_screen(editor, partial(self._edited, card.stage))

    def check_edit(self, op: ops.EditCard) -> str | None:
        """Why `op` cannot apply to the board as it is now; None when it can."""
        board = self.session.board
        if board is None:
            return "the board is not open"
        try:
            ops.apply(board, op)
        except ops.OpError as error:
            return str(error)
        return None

    def _edited(self, stage: Stage, op: ops.EditCard | None) -> None:
        if op is None or not op.changes:
            return
        self.change(replace(op, actor=self.session.actor), (stage, op.card_id))

    def action_archive_card(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        _, card_id, card = selected
        op = ops.ArchiveCard(card_id, archived=not card.archived, actor=self.session.actor)
        if self.change(op, (card.stage, card_id)):
            what = "Restored" if card.archived else "Archived"
            self.notify(f"{what} “{card.title}” · u undoes", timeout=3)

    def action_undo(self) -> None:
        self._step("undo")

    def action_redo(self) -> None:
        self._step("redo")

    def _step(self, which: Literal["undo", "redo"]) -> None:
        before = self.session.board
        try:
            board = self.session.undo() if which == "undo" else self.session.redo()
        except ops.OpError as error:
            self.notify(str(error), title=f"Cannot {which}", severity="warning")
            return
        if board is None:
            self.notify(f"Nothing to {which}", timeout=2)
            return
        card_id = changed_card(before, board)
        card = board.cards.get(card_id) if card_id is not None else None
        if card is not None and card_id is not None:
            self._after_change(board, (card.stage, card_id))
        else:
            self._after_change(board, None)

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.display = True
        field.focus()
        self.refresh_bindings()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        if self._shown is not None:
            self.show_board(self._shown)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.action_clear_filter()
            return
        column = self.current_column
        if column.card_id is None:  # nothing matches here: go where something does
            column = next((c for c in self.columns if c.card_id is not None), column)
        column.focus()

    def action_clear_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.value = ""
        field.display = False
        self.query_text = ""
        if self._shown is not None:
            self.show_board(self._shown)
        self.current_column.focus()

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        if self._shown is not None:
            self.show_board(self._shown)
        self.notify("Archived cards shown" if self.show_archived else "Archived cards hidden")

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(HelpScreen.rows(self)))

    def action_quit(self) -> None:
        if self._quitting and self.session.error is not None:
            self.app.exit(
                return_code=1
            )  # asked twice: leave without the changes that cannot be saved
            return
        self._quitting = True
        self.request_flush()
        if not self._flushing:
            self._quit_if_saved()

    def _quit_if_saved(self) -> None:
        if not self.session.pending:
            self.app.exit()
            return
        count = self.session.pending
        self.notify(
            f"{count} change{'s' if count != 1 else ''} could not be saved: "
            f"{self.session.error}. Press q again to quit without them.",
            title="Not saved",
            severity="error",
            timeout=10,
        )

"""The board: four columns of cards, and every change saved at once.

The screen owns one `BoardSession`. A key becomes an operation; `session.propose`
applies it in memory on the UI thread (fast), the columns show the board it
returns, and a thread worker writes it with `session.flush` (slow). A save that
fails leaves the operation pending in the session: the board keeps showing it, a
banner says why it is not on disk, and the next look at the file writes it.

Other people's changes. A watcher (`sprintboard.watch`: inotify on the board's
folder, or polling every 0.25 s on network file systems) calls back from its own
thread; the callback only posts `FileChanged` (a burst of events is one message),
and the screen starts one refresh worker at a time (`session.refresh`: read the
file, take in what changed, write what is still pending). A change that arrives
while a refresh or a save runs is looked at again right after it. The columns
update in place and the selection stays on its card: a card someone else moved to
another stage is followed there, a card they archived or deleted hands the
selection to its neighbour. An open card view or editor stays open, keeps what is
typed, and says when its card changed underneath it.

A safety net looks at the file every `RECHECK` seconds whatever the watcher says.
It is needed for two things no file event announces: a failed save whose cause
clears without the board file changing (a full disk freed, the folder made
writable again), and inotify events that never arrive (the kernel's queue
overflowing, the folder replaced by another one). It costs one read and hash of
the file.

Presence: the screen registers the user in the board's presence folder, touches
the entry every `presence.HEARTBEAT` seconds in a thread worker, reads the others'
on the same tick and shows "with anna, omar" in the header.
"""

from __future__ import annotations

import threading
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.events import DescendantFocus, Unmount
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from ... import ops
from ...model import Board, Card, Sprint, Stage, new_id
from ...presence import HEARTBEAT, PresenceRegistry
from ...safe_text import visible
from ...session import BoardSession, Outcome, Overwrite
from ...storage import BoardFileError
from ...watch import POLL_INTERVAL, Watcher
from ...watch import watch as watch_file
from ..board_view import (
    StageView,
    changed_card,
    changed_stages,
    column_subtitle,
    column_titles,
    decisions_text,
    describe_change,
    stage_views,
)
from ..commands import BoardCommands
from ..filtering import matcher
from ..git_tasks import GitTasks
from ..notices import (
    changed_under_us_notice,
    moved_by_someone,
    not_member_notice,
    overwritten_notice,
    present_names,
    quoted,
    rejected_notice,
    with_text,
)
from ..widgets.column import Column, member_initials
from ..widgets.header import SprintHeader
from ..widgets.keybar import KeyBar

if TYPE_CHECKING:
    from .card_editor import CardEditor
    from .card_view import CardView, EditRequest

MOVE = Binding.Group("Move")

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

BOARD_ACTIONS = frozenset(
    {"new_card", "filter", "toggle_archived", "focus_left", "focus_right", "sync"}
)
"""Actions that need the board to be open."""

WatchMode = Literal["auto", "polling", "off"]
"""How the board file is followed: the watcher `watch.watch` picks, polling, or not at all."""

RECHECK = 5.0
"""Seconds between safety-net looks at the file (see the module's docstring)."""


class BoardScreen(Screen[None]):
    """One board, its four columns, and the keys that change it."""

    COMMANDS: ClassVar = {BoardCommands}
    AUTO_FOCUS = None
    KEY_PRIORITY: ClassVar = (
        "help",
        "quit",
        "move_right",
        "move_left",
        "clear_filter",
        "new_card",
        "edit_card",
        "undo",
        "archive_card",
        "filter",
    )
    """The key bar's items, the one kept longest first, when they do not all fit."""

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
            group=MOVE,
            tooltip="Move the card back to the previous stage",
            id="board.move-left",
        ),
        Binding(
            "shift+right,L",
            "move_right",
            "On",
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
            tooltip="Show only cards matching text, #tag, @person or @internal/@external",
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
        Binding(
            "S",
            "sync",
            "Sync",
            show=False,
            tooltip="Sync with the team (git): commit, merge, push",
            id="board.sync",
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
        """A flush or a refresh of the file finished; `outcome` None means nothing changed."""

        outcome: Outcome | None
        source: Literal["flush", "refresh"]

    class FileChanged(Message):
        """The watcher saw the board file change (posted from the watcher's thread)."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, BoardScreen.FileChanged)  # a burst is one look

    @dataclass
    class Present(Message):
        """Who else has the board open, as the header says it ("with anna")."""

        text: str
        problem: str | None = None
        """Why the others cannot see this app, when they cannot."""

    def __init__(
        self,
        path: Path,
        actor: str,
        *,
        today: date | None = None,
        watch: WatchMode = "auto",
        recheck: float | None = RECHECK,
        presence: bool = True,
    ) -> None:
        super().__init__(classes="-loading")
        self.session = BoardSession(path, actor)
        """The open board file: all changes go through it."""
        self.today = today
        """The date the sprint day is counted for; None: the real today."""
        self.watch_mode: WatchMode = watch
        """How the file is followed for other people's changes."""
        self.recheck = recheck
        """Seconds between safety-net looks at the file (None: never)."""
        self.presence = presence
        """Whether to register in the board's presence folder and show the others."""
        self.watcher: Watcher | None = None
        """The running watcher, once the board is being opened."""
        self.query_text = ""
        """The filter: what was typed after "/"."""
        self.show_archived = False
        """Whether archived cards are shown."""
        self.kept: frozenset[str] = frozenset()
        """Cards added while the filter is on: shown whatever it says, until it changes."""
        self._shown: Board | None = None
        self._views: dict[Stage, StageView] = {}
        self._view_key: tuple[object, ...] = ()
        self._problem: str | None = None
        self._column: Column | None = None
        self._flushing = False
        self._refreshing = False
        self._again = False
        self._quitting = False
        self.git = GitTasks(self)
        """Git for this board: the merge driver's setup offer, and sync."""
        self._said_polling = False
        self._dialog: CardView | CardEditor | None = None
        self._registry: PresenceRegistry | None = None
        self._presence_lock = threading.Lock()  # one tick at a time; leave waits for it
        self._watch_lock = threading.Lock()
        self._gone = False  # unmounted: the watcher and presence are stopped for good
        self._said_unseen = False

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SprintHeader()
        yield Static(id="banner", markup=False)
        yield Static(id="decisions", markup=False)
        with Horizontal(id="columns"):
            for stage in Stage:
                yield Column(stage)
        yield Static(id="problem", markup=False)
        yield Static(visible(f"Opening {self.session.path} …"), id="opening", markup=False)
        yield Input(
            placeholder="words, #tag, @person or @external · enter: keep · escape: clear",
            id="filter",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self._column = self.query_one(f"#column-{Stage.IDEA.value}", Column)
        self._refreshing = True
        self._open()
        if self.recheck:
            self.set_interval(self.recheck, self.check_file)

    def on_unmount(self, event: Unmount) -> None:
        self.stop_watching()
        self.leave()

    def stop_watching(self) -> None:
        """Stop following the file (for good: the screen is going away)."""
        with self._watch_lock:
            self._gone = True
            if self.watcher is not None:
                self.watcher.stop()
                self.watcher = None

    def leave(self) -> None:
        """Take this app's entry out of the presence folder (safe to call again)."""
        with self._presence_lock:
            registry, self._registry = self._registry, None
            if registry is not None:
                registry.leave()

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

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        if isinstance(event.widget, Column):  # also a click: the column clicked is current
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
        for stage in Stage:
            view = self._views[stage]
            column = self.column(stage)
            column.hint = "no matching cards" if test is not None else "no cards · n adds one"
            target = select[1] if select is not None and select[0] == stage else None
            column.show(view.cards, initials, select=target)
            limit = board.wip.get(stage)
            self._title_column(column, view, limit)
            subtitle = column_subtitle(view, self.show_archived)
            if column.border_subtitle != subtitle:
                column.border_subtitle = subtitle
            column.set_class(limit is not None and view.total > limit, "-over-limit")
        self._show_decisions(sum(view.conflicted for view in self._views.values()))
        self.refresh_bindings()

    def _title_column(self, column: Column, view: StageView, limit: int | None) -> None:
        filtered = bool(self.query_text.split())
        column.set_titles(column_titles(column.stage, len(view.cards), view.total, limit, filtered))

    def _show_decisions(self, count: int) -> None:
        """Say how many cards wait for a decision after a git merge (or hide the line)."""
        line = self.query_one("#decisions", Static)
        if line.display != bool(count):
            line.display = bool(count)
        if count:
            line.update(decisions_text(count))

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
            self.query_one("#problem", Static).update(visible(text or "", lines=True))
            self.set_class(error is not None, "-broken")

    def _show_banner(self, error: BoardFileError | None) -> None:
        """Say that changes are not on disk, and why; or hide the banner."""
        banner = self.query_one("#banner", Static)
        if error is None:
            banner.display = False
            return
        count = self.session.pending
        changes = f"{count} change{'s' if count != 1 else ''}"
        if error.problems:  # the file is there but invalid: a half-saved edit, a bad merge
            lines = error.lines()
            shown = lines[:3] + ([f"and {len(lines) - 3} more"] if len(lines) > 3 else [])
            waiting = f"{changes} waiting" if count else "Changes you make wait"
            text = "\n".join(
                [
                    "The board file is invalid: showing the last good board, writing nothing.",
                    *shown,
                    f"{waiting}: saved as soon as the file is valid again.",
                ]
            )
        else:
            kept = changes if count else "Your changes"
            text = (
                f"Not saved: {error}\n{kept} kept here; saving again as soon as the file can "
                "be written."
            )
        banner.update(visible(text, lines=True))
        banner.display = True

    # --- reading and writing (workers) -------------------------------------------------

    @work(thread=True, exclusive=True, group="open")
    def _open(self) -> None:
        self._start_watching()  # before the first read: no change between them is missed
        try:
            outcome = self.session.open()
        except BoardFileError as error:
            self.post_message(self.Opened(None, error))
        else:
            self.post_message(self.Opened(outcome.board, None))

    def _start_watching(self) -> None:
        """Start the watcher (in a worker: telling a network file system apart is I/O)."""
        if self.watch_mode == "off" or self.watcher is not None:
            return
        try:
            watcher = watch_file(
                self.session.path, self._file_changed, polling=self.watch_mode == "polling"
            )
        except OSError as error:  # no thread, no file descriptor: the safety net remains
            self.log.warning(f"not watching {self.session.path}: {error}")
            return
        with self._watch_lock:
            if self._gone:
                watcher.stop()
            else:
                self.watcher = watcher

    def _file_changed(self) -> None:
        """The watcher's callback, on its thread: only hand over to the app."""
        with suppress(RuntimeError):  # the app's loop closed while quitting
            self.post_message(self.FileChanged())

    def on_board_screen_file_changed(self, message: BoardScreen.FileChanged) -> None:
        self.check_file()

    def check_file(self) -> None:
        """Look at the file now: take in outside changes, write what is pending.

        One look at a time; a request while a look or a save runs is answered by one
        more look right after it (it may have missed the change that asked for it).
        """
        if self._refreshing or self._flushing:
            self._again = True
            return
        self._again = False
        self._refreshing = True
        if self.session.board is None:
            self._open()
        else:
            self._refresh()

    def _look_again(self) -> None:
        if self._again and not self._refreshing and not self._flushing:
            self.check_file()

    def on_board_screen_opened(self, message: BoardScreen.Opened) -> None:
        self._refreshing = False
        self.remove_class("-loading")
        self._show_problem(message.error)
        self._say_how_watched()
        if message.board is not None:
            self.show_board(message.board)
            columns = self.columns
            self.select_column(next((c for c in columns if c.card_id is not None), columns[0]))
            joining = not_member_notice(message.board, self.session.person, self.session.path)
            if joining:
                self.notify(joining, title="Not a member", timeout=20)
            self._join()
        self._look_again()

    def _join(self) -> None:
        """Take part in presence, once the board has loaded validly: an invalid board
        (or a file that is no board) gets no presence folder or `.gitignore` beside it."""
        if not self.presence or self._registry is not None or self._gone:
            return
        try:
            self._registry = PresenceRegistry(self.session.path, self.session.actor)
        except BoardFileError:
            return  # it became a link out of its folder since it loaded: no presence
        self._presence_tick()
        self.set_interval(HEARTBEAT, self._presence_tick)

    def _say_how_watched(self) -> None:
        """Polling is slower than inotify: say so once, with the interval."""
        if self.watcher is None or self.watcher.kind != "polling" or self._said_polling:
            return
        self._said_polling = True
        self.notify(
            f"Looking at {self.session.path.name} every {POLL_INTERVAL:g} s for other "
            "people's changes (its folder is on a network file system).",
            timeout=5,
        )

    def request_flush(self) -> None:
        """Write what is pending, in a worker; one flush at a time."""
        if not self._flushing and self.session.pending:
            self._flushing = True
            self._flush()

    @work(thread=True, group="flush")
    def _flush(self) -> None:
        self.post_message(self.Synced(self.session.flush(), "flush"))

    @work(thread=True, group="refresh")
    def _refresh(self) -> None:
        self.post_message(self.Synced(self.session.refresh(), "refresh"))

    def on_board_screen_synced(self, message: BoardScreen.Synced) -> None:
        if message.source == "flush":
            self._flushing = False
        else:
            self._refreshing = False
        outcome = message.outcome
        board = self.session.board
        if outcome is not None:
            self._tell(outcome)
            self._show_banner(outcome.error)
            if message.source == "flush" and outcome.error is None:
                self.git.offer_setup()  # once a change of this person's is saved, not before
        if board is not None and board is not self._shown:
            self._show_latest(board)
        if outcome is not None and outcome.error is None and self.session.pending:
            self.request_flush()
        if self._quitting and not self._flushing:
            self._quit_if_saved()
        self._look_again()

    def _tell(self, outcome: Outcome) -> None:
        """Tell the user what a write or a refresh found about other people's changes."""
        boards = (outcome.board, self._shown)
        rejected = rejected_notice(outcome.rejected, *boards)
        if rejected is not None:
            self.notify(rejected, title="A change no longer fits", severity="error", timeout=10)
        replaced = overwritten_notice(outcome.overwritten, *boards)
        if replaced is not None:
            self.notify(replaced, title="Two changes to one field", severity="warning", timeout=10)
        under_us = changed_under_us_notice(outcome.changed_under_us, *boards)
        if under_us is not None:
            self.notify(under_us, title="Changed by someone else", timeout=8)

    def _show_latest(self, board: Board) -> None:
        """Show a board that changed on disk: in place, the selection kept on its card."""
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

    def _follow(self, before: Board, board: Board, card_id: str, focused: bool) -> None:
        """The selected card left its column: follow it to its new stage, or say it went."""
        was = before.cards.get(card_id)
        card = board.cards.get(card_id)
        if was is None:
            return
        if card is None or (card.archived and not self.show_archived):
            gone = "deleted" if card is None else "archived"
            self.notify(f"{quoted(was.title)} was {gone} by someone else", timeout=4)
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

    # --- who else is here -------------------------------------------------------------

    @work(thread=True, group="presence", exit_on_error=False)
    def _presence_tick(self) -> None:
        """Touch our presence entry (joining the first time) and read the others'."""
        if not self._presence_lock.acquire(blocking=False):
            return  # the last tick is still at it (a slow network file system)
        try:
            registry = self._registry
            if registry is None:
                return
            registry.beat()  # joins when the entry is not there (the first tick, or swept)
            board = self.session.board
            members = board.members if board is not None else None
            names = present_names(registry.others(), registry.actor, members)
            problem = registry.problem
        finally:
            self._presence_lock.release()
        self.post_message(self.Present(with_text(names), problem))

    def on_board_screen_present(self, message: BoardScreen.Present) -> None:
        self.query_one(SprintHeader).show_others(message.text)
        if message.problem is not None and not self._said_unseen:
            self._said_unseen = True  # once: it is retried at every heartbeat, quietly
            self.notify(
                f"Others cannot see that you have this board open: {message.problem}",
                title="Not shown to others",
                severity="warning",
                timeout=8,
                markup=False,
            )

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
            self.select_column(self.column(focus[0]))
        else:
            self.show_board(board)
        # Save once the change is on screen: a save parses and writes the whole file,
        # and started now it would compete with drawing the change for the GIL.
        self.call_after_refresh(self.request_flush)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._quitting and self._flushing and action != "quit":
            return False  # quitting once the last change is saved: keys after q do nothing
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

    def key_description(self, binding: Binding) -> str | None:
        """What a key does now, for the key bar: `d` restores an archived card."""
        if binding.action == "archive_card":
            selected = self._selected()
            if selected is not None and selected[2].archived:
                return "Restore"
        return None

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
            self.select_column(self.current_column)
            return
        actor = self.session.actor
        card_id = new_id(board.cards)
        by = (actor,) if actor in board.members else ()
        op = ops.AddCard(title=title, stage=stage, by=by, card_id=card_id, actor=actor)
        if self.query_text:  # the new card stays in view, filter or not
            self.kept = self.kept | {card_id}
        if not self.change(op, (stage, card_id)):
            self.select_column(self.current_column)
            return
        test = matcher(self.query_text, board.members)
        card = self.session.board.cards.get(card_id) if self.session.board else None
        if test is not None and card is not None and not test(card):
            self.notify(
                f"{quoted(card.title)} does not match the filter “{self.query_text.strip()}”: "
                "shown until the filter changes · escape clears it",
                timeout=6,
                markup=False,
            )

    def action_open_card(self) -> None:
        from .card_view import CardView

        selected = self._selected()
        if selected is None or self.session.board is None:
            return
        _, card_id, card = selected
        view = CardView(card_id, card, self.session.board.members, decide=self.decide)
        self._dialog = view
        self.app.push_screen(view, self._viewed)

    def _viewed(self, choice: EditRequest | None) -> None:
        view, self._dialog = self._dialog, None
        if choice is None:
            return
        if view is not None and self.current_column.card_id != view.card_id:
            # someone else deleted or archived it while it was open: e must not edit
            # whichever card took its place
            board = self.session.board
            gone = board is None or view.card_id not in board.cards
            why = "was deleted by someone else" if gone else "is not shown now"
            self.notify(f"{quoted(view.card.title)} {why}: nothing to edit", timeout=4)
            return
        self.action_edit_card(choice.decide)

    def decide(self, op: ops.ResolveConflict) -> Card | None:
        """Apply a decision on a conflicted field (from the card view) as any change.

        The card as it is afterwards (None: the decision deleted it); unchanged if the
        board refused it (the user is told why).
        """
        board = self.session.board
        if board is None:
            return None
        try:  # where the card ends up (taking a stage moves it), for the selection
            after = ops.apply(board, op).cards.get(op.card_id)
        except ops.OpError:
            after = board.cards.get(op.card_id)
        focus = (after.stage, op.card_id) if after is not None else None
        self.change(replace(op, actor=self.session.actor), focus)
        board = self.session.board
        return board.cards.get(op.card_id) if board is not None else None

    def action_edit_card(self, decide: str | None = None) -> None:
        from .card_editor import CardEditor

        selected = self._selected()
        if selected is None or self.session.board is None:
            return
        _, card_id, card = selected
        editor = CardEditor(
            card_id,
            card,
            self.session.board.members,
            check=partial(self.check_edit, card),
            decide=decide if decide in card.conflicts else None,
        )
        self._dialog = editor
        self.app.push_screen(editor, partial(self._edited, card))

    def edit_op(self, opened: Card, op: ops.EditCard) -> ops.Op:
        """The operation that saves an editor's changes to the board as it is now.

        Only the fields the user changed are set, so someone else's change to another
        field survives. A card deleted while the editor was open is put back as it was
        when the editor opened, with the user's changes: nothing typed is thrown away.
        """
        board = self.session.board
        if board is not None and op.card_id not in board.cards:
            return ops.Batch((ops.PutCard(op.card_id, opened), op))
        return op

    def check_edit(self, opened: Card, op: ops.EditCard) -> str | None:
        """Why `op` cannot apply to the board as it is now; None when it can."""
        board = self.session.board
        if board is None:
            return "the board is not open"
        try:
            ops.apply(board, self.edit_op(opened, op))
        except ops.OpError as error:
            return str(error)
        return None

    def _edited(self, opened: Card, op: ops.EditCard | None) -> None:
        self._dialog = None
        if op is None or not op.changes:
            return
        op = replace(op, actor=self.session.actor)
        board = self.session.board
        now = board.cards.get(op.card_id) if board is not None else None
        # fields someone else changed while the editor was open, now replaced by ours
        replaced = [
            Overwrite(op.card_id, name, getattr(now, name), value)
            for name, value in op.changes.items()
            if now is not None and getattr(now, name) not in (getattr(opened, name), value)
        ]
        stage = now.stage if now is not None else opened.stage
        if self.change(self.edit_op(opened, op), (stage, op.card_id)) and replaced:
            notice = overwritten_notice(replaced, board)
            self.notify(notice or "", title="Two changes to one field", severity="warning")

    def action_sync(self) -> None:
        self.git.sync()

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
        if before is not None:  # say what: undo names the change it took back
            done = (
                describe_change(board, before)
                if which == "undo"
                else describe_change(before, board)
            )
            self.notify(
                f"{'Undid' if which == 'undo' else 'Redid'}: {done}", timeout=3, markup=False
            )

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.display = True
        self.set_focus(field)  # now: the keys typed right after "/" go into it
        self.refresh_bindings()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if event.value != self.query_text:
            self.kept = frozenset()
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
        self.select_column(column)

    def action_clear_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.value = ""
        field.display = False
        self.query_text = ""
        self.kept = frozenset()
        if self._shown is not None:
            self.show_board(self._shown)
        self.select_column(self.current_column)

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

"""The board screen: four columns of cards, and every change saved at once.

The screen draws; the board file is the live board's (`LiveBoard`, mounted here):
it opens the file, saves each change in a worker, follows other people's changes
and who else is here, and reports each of those by message. The screen answers
them: the board opened (or why not), a save or a look at the file finished (the
banner, the columns in place), who else is here (the header).

What each key does to a card is `CardActions` (`card_actions`), the sprint's keys are
`SprintActions` (`sprint_actions`, who may facilitate: `roles`), which columns show
what and where the selection goes is `BoardColumns` (`board_columns`), the keys
themselves are `board_keys`. Left here: the layout, the start, the messages, which
keys work now, the filter, and quitting.

The start. The first frame is drawn from the board's outline (`faces.read_outline`:
no pydantic, no validation), so the board is on screen as soon as Textual can draw
it; only after that frame does the live board open the file for real (`start`, in a
worker). The keys typed meanwhile are held by the app (`KeysInOrder.hold_keys`) and
let go, in order, once the board is in — or once it is known that it cannot be
opened: then the problem text replaces the outline, as when the file breaks later.
When the outline is not sure (None), the screen says "Opening …" until the board is
in, as it always did. Nothing this module imports at its top may import the models:
a test checks what the app has imported when its first frame is drawn.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.events import Unmount
from textual.widgets import Input, Static

from ...i18n import _, ngettext
from ..board_view import banner_text, opening_text, problem_text
from ..faces import NO_SPRINT, BoardLike, read_outline
from ..live_board import HEARTBEAT, RECHECK, LiveBoard, WatchMode
from ..widgets.header import SprintHeader
from ..widgets.keybar import KeyBar
from . import board_keys
from .sprint_actions import SprintActions

__all__ = ["HEARTBEAT", "RECHECK", "BoardScreen", "WatchMode"]  # what the app and tests use


class BoardScreen(SprintActions):
    """One board, its four columns, and the keys that change it."""

    COMMANDS: ClassVar = board_keys.COMMANDS
    AUTO_FOCUS = None
    KEY_PRIORITY: ClassVar = board_keys.KEY_PRIORITY
    """The key bar's items, the one kept longest first, when they do not all fit."""
    BINDINGS: ClassVar[list[BindingType]] = board_keys.BINDINGS

    def __init__(
        self,
        path: Path,
        actor: str | None,
        *,
        today: date | None = None,
        watch: WatchMode = "auto",
        recheck: float | None = RECHECK,
        presence: bool = True,
    ) -> None:
        outline = read_outline(path)
        super().__init__(classes=None if outline is not None else "-loading")
        self.outline: BoardLike | None = outline
        """What the first frame showed (None: "Opening …"); dropped once the board is in."""
        # HEARTBEAT is read now, not at import: a test makes it shorter
        self.live = LiveBoard(
            path, actor, watch=watch, recheck=recheck, presence=presence, heartbeat=HEARTBEAT
        )
        """The open board file, followed: the session, the watcher, presence, git."""
        self.today = today
        """The date the sprint day is counted for; None: the real today."""
        self._problem: str | None = None
        self._quitting = False

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield self.live
        yield SprintHeader()
        yield Static(id="banner", markup=False)
        yield Static(id="decisions", markup=False)
        yield from self.compose_columns()
        yield Static(id="problem", markup=False)
        yield Static(opening_text(self.shown_path), id="opening", markup=False)
        yield Input(
            placeholder=_("words, #tag, @person or @external · enter: keep · escape: clear"),
            id="filter",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self._column = self.columns[0]
        if not self.app.is_running:
            # told to end while this screen was composed (a closed browser tab, a hang-up
            # in the first moments): Textual starts no widget once the app has stopped
            # running, so what was composed since never composed its own children (the
            # header has no title yet), and the board is not opened for nobody to see
            return
        if self.outline is not None:
            self.show_board(self.outline)
            self.select_first_card()
        # the open (the models, the file read and validated) waits for the first frame
        self.call_after_refresh(self.live.start)

    def on_unmount(self, event: Unmount) -> None:
        self.live.stop_watching()
        self.live.leave()
        self.live.let_keys_go(self)  # a screen closed before its board was in holds none

    # --- what the live board reports --------------------------------------------------------

    def on_live_board_opened(self, message: LiveBoard.Opened) -> None:
        self.remove_class("-loading")
        self._show_problem(problem_text(message.error))
        drawn, self.outline = self.outline is not None, None
        if message.board is not None:
            if drawn:
                # the outline may be older than the board read now: a card someone moved in
                # between takes the selection with it, as on any later change
                self.show_latest(message.board)
            else:
                self.show_board(message.board)
                self.select_first_card()
        self.refresh_bindings()  # the keys that work now: the board is in, or is not
        self.live.let_keys_go(self)  # the keys typed so far act now, in order

    def on_live_board_synced(self, message: LiveBoard.Synced) -> None:
        outcome = message.outcome
        if outcome is not None:
            self._show_banner(banner_text(outcome.error, self.live.session.pending))
        board = self.live.session.board
        if board is not None:
            self.show_latest(board)
        if self._quitting and not self.live.flushing:
            self._quit_if_saved()

    def on_live_board_present(self, message: LiveBoard.Present) -> None:
        self.query_one(SprintHeader).show_others(message.text)

    def _show_problem(self, text: str | None) -> None:
        """Show why the board cannot be opened (or stop showing it)."""
        if text is not None:
            text = self.for_guest(text)
            path = str(self.shown_path)
            self.query_one(SprintHeader).show(path, "", NO_SPRINT, date.today())
        if text != self._problem:
            self._problem = text
            self.query_one("#problem", Static).update(text or "")
            self.set_class(text is not None, "-broken")

    def _show_banner(self, text: str | None) -> None:
        """Say that changes are not on disk, and why; or hide the banner."""
        banner = self.query_one("#banner", Static)
        if text is None:
            banner.display = False
            return
        banner.update(self.for_guest(text))
        banner.display = True

    # --- which keys work now -----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.reaches_outside(action):
            return False  # a guest's app: hidden, not greyed out (`guest`)
        if not self.live.opened:
            return self._check_before_open(action)
        session = self.live.session
        if self._quitting and self.live.flushing and action != "quit":
            return False  # quitting once the last change is saved: keys after q do nothing
        if action == "clear_filter":
            return bool(self.query_text) or self.query_one("#filter", Input).display
        if session.board is None:
            needs_board = board_keys.CARD_ACTIONS | board_keys.BOARD_ACTIONS
            return action not in needs_board | {"undo", "redo"}
        if action in board_keys.CARD_ACTIONS:
            return True if self.current_column.card_id is not None else None
        if action == "undo":
            return True if session.can_undo else None
        if action == "redo":
            return True if session.can_redo else None
        return True

    def _check_before_open(self, action: str) -> bool | None:
        """Which keys work while the board opens: what will once it is in (they wait).

        Asked for the key bar of the first frame, which must look as it will once the
        board is in; the session is not touched (it is being made in the open's worker).
        """
        if action == "clear_filter":
            return False  # no filter yet
        if self.outline is None:  # "Opening …": as for a board that is not open
            needs_board = board_keys.CARD_ACTIONS | board_keys.BOARD_ACTIONS
            return action not in needs_board | {"undo", "redo"}
        if action in board_keys.CARD_ACTIONS:
            return True if self.current_column.card_id is not None else None
        if action in ("undo", "redo"):
            return None  # nothing done yet
        return True

    # --- the filter, and archived cards ----------------------------------------------------

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
        self.redraw()

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
        self.redraw()
        self.select_column(self.current_column)

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.redraw()
        self.notify(_("Archived cards shown") if self.show_archived else _("Archived cards hidden"))

    # --- quitting -----------------------------------------------------------------------

    def action_quit(self) -> None:
        if self._quitting and self.live.session.error is not None:
            # asked twice: leave without the changes that cannot be saved
            self.app.exit(return_code=1)
            return
        self._quitting = True
        self.live.request_flush()
        if not self.live.flushing:
            self._quit_if_saved()

    def _quit_if_saved(self) -> None:
        session = self.live.session
        if not session.pending:
            self.app.exit()
            return
        count = session.pending
        text = ngettext(
            "{n} change could not be saved: {error}. Press q again to quit without them.",
            "{n} changes could not be saved: {error}. Press q again to quit without them.",
            count,
        )
        self.notify(
            text.format(n=count, error=session.error),
            title=_("Not saved"),
            severity="error",
            timeout=10,
        )

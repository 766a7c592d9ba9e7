"""The board screen's keys: its bindings, the key bar's order, the palette's commands.

Each binding has an `id` for the user's keymap (the README lists them, checked by a
test); descriptions and tooltips go through `_` when the module is imported, which is
after the language is chosen (see `sprintboard.i18n`).
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding, BindingType

from ...facilitation import Duty
from ...i18n import _
from ..commands import BoardCommands

MOVE = Binding.Group(_("Move"))

CARD_ACTIONS = frozenset(
    {
        "move_right",
        "move_left",
        "move_up",
        "move_down",
        "open_card",
        "edit_card",
        "archive_card",
        "vote",
        "unvote",
    }
)
"""Actions that need a selected card."""

BOARD_ACTIONS = frozenset(
    {"new_card", "filter", "toggle_archived", "focus_left", "focus_right", "sync", "round"}
    | {"timer", "present", "follow", "sprint_settings", "team"}
    | {"metrics", "export_report"}
)
"""Actions that need the board to be open."""

FACILITATOR_ACTIONS: dict[str, Duty] = {
    # reached through R (the round) and its panel, which route to them (vote_actions)
    "start_round": Duty.START_ROUND,
    "close_round": Duty.CLOSE_ROUND,
    "timer": Duty.TIMER,
    "present": Duty.PRESENT,
    "sprint_settings": Duty.FRAME,
}
"""Actions only a facilitator may run, and the duty each is (`roles`)."""

COMMANDS: set[Any] = {BoardCommands}
"""The palette's providers: every key of the board, found by name."""

KEY_PRIORITY = (
    "help",
    "quit",
    "move_right",
    "move_left",
    "clear_filter",
    "new_card",
    "vote",
    "edit_card",
    "round",
    "undo",
    "archive_card",
    "filter",
)
"""The key bar's items, the one kept longest first, when they do not all fit."""

BINDINGS: list[BindingType] = [
    Binding(
        "left,h",
        "focus_left",
        _("Column left"),
        show=False,
        tooltip=_("Select the column to the left"),
        id="board.focus-left",
    ),
    Binding(
        "right,l",
        "focus_right",
        _("Column right"),
        show=False,
        tooltip=_("Select the column to the right"),
        id="board.focus-right",
    ),
    Binding(
        "shift+left,H",
        "move_left",
        _("Back"),
        group=MOVE,
        tooltip=_("Move the card back to the previous stage"),
        id="board.move-left",
    ),
    Binding(
        "shift+right,L",
        "move_right",
        _("On"),
        group=MOVE,
        tooltip=_("Move the card on to the next stage"),
        id="board.move-right",
    ),
    Binding(
        "shift+up,K",
        "move_up",
        _("Up"),
        show=False,
        tooltip=_("Move the card up its column"),
        id="board.move-up",
    ),
    Binding(
        "shift+down,J",
        "move_down",
        _("Down"),
        show=False,
        tooltip=_("Move the card down its column"),
        id="board.move-down",
    ),
    Binding("n", "new_card", _("New"), tooltip=_("Add a card to this column"), id="board.new-card"),
    Binding(
        "enter",
        "open_card",
        _("Open"),
        show=False,
        tooltip=_("Open the card: everything on it"),
        id="board.open-card",
    ),
    Binding("e", "edit_card", _("Edit"), tooltip=_("Edit the card"), id="board.edit-card"),
    Binding(
        "d",
        "archive_card",
        _("Archive"),
        tooltip=_("Archive the card (or restore an archived one)"),
        id="board.archive-card",
    ),
    Binding("v", "vote", _("Dot"), tooltip=_("Give the card one of your dots"), id="board.vote"),
    Binding(
        "V",
        "unvote",
        _("Take dot back"),
        show=False,
        tooltip=_("Take one of your dots back from the card"),
        id="board.unvote",
    ),
    Binding(
        "R",
        "round",
        _("Round"),
        tooltip=_("The vote round: start one, see the tally, close it"),
        id="board.round",
    ),
    Binding("u", "undo", _("Undo"), tooltip=_("Undo your last change"), id="board.undo"),
    Binding(
        "ctrl+r",
        "redo",
        _("Redo"),
        show=False,
        tooltip=_("Redo what you undid"),
        id="board.redo",
    ),
    Binding(
        "slash",
        "filter",
        _("Filter"),
        tooltip=_("Show only cards matching text, #tag, @person or @internal/@external"),
        id="board.filter",
    ),
    Binding(
        "escape",
        "clear_filter",
        _("Clear filter"),
        tooltip=_("Show all cards again"),
        id="board.clear-filter",
    ),
    Binding(
        "a",
        "toggle_archived",
        _("Archived"),
        show=False,
        tooltip=_("Show or hide archived cards"),
        id="board.toggle-archived",
    ),
    Binding(
        "S",
        "sync",
        _("Sync"),
        show=False,
        tooltip=_("Sync with the team (git): commit, merge, push"),
        id="board.sync",
    ),
    Binding(
        "T",
        "timer",
        _("Timer"),
        show=False,
        tooltip=_("The shared timer: start, pause, resume, extend, stop"),
        id="board.timer",
    ),
    Binding(
        "P",
        "present",
        _("Present"),
        show=False,
        tooltip=_("Present the card to everyone (or stop presenting)"),
        id="board.present",
    ),
    Binding(
        "F",
        "follow",
        _("Follow"),
        show=False,
        tooltip=_("Follow what a facilitator presents, or stop following"),
        id="board.follow",
    ),
    Binding(
        "s",
        "sprint_settings",
        _("Settings"),
        tooltip=_("Sprint settings: title, challenge, goal, dates, facilitators, WIP limits"),
        id="board.sprint-settings",
    ),
    Binding(
        "M",
        "team",
        _("Team"),
        tooltip=_("The team: who takes part, internal and external"),
        id="board.team",
    ),
    Binding(
        "X",
        "external_hands",
        _("Hands"),
        show=False,
        tooltip=_("Show or hide external hands per stage: cards with an external co-creator"),
        id="board.external-hands",
    ),
    Binding(
        "m",
        "metrics",
        _("Metrics"),
        show=False,
        tooltip=_("Metrics: the sprint's figures, its flow per day and its time in each stage"),
        id="board.metrics",
    ),
    Binding(
        "E",
        "export_report",
        _("Export"),
        show=False,
        tooltip=_("Export report…"),
        id="board.export-report",
    ),
    Binding("question_mark", "help", _("Help"), tooltip=_("Show every key"), id="board.help"),
    Binding("q", "quit", _("Quit"), tooltip=_("Quit sprintboard"), id="board.quit"),
]
"""The board screen's keys (the columns add their own: up, down, page, first, last)."""

"""Help: every key that works on the board now (after the user's keymap), and what cards show."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from ...i18n import N_, _
from ..commands import key_name
from ..widgets.column import CONFLICT_MARK, EXPERIMENT_MARK, LEARNING_MARK
from ..widgets.keybar import KeyBar

# What cards show and how the filter reads, in English: translated when shown. The
# left column is what a person sees or types; words in it that stand for something
# ("#tag": a tag) are marked too, the symbols and the filter's own words are not.
LEGEND = (
    (N_("#tag"), N_("the card's tags")),
    ("NH AK", N_("initials of the people who co-created it")),
    ("●●", N_("dots: votes (●12 when many)")),
    (
        N_("anonymous"),
        N_(
            "an anonymous vote round: the app shows totals only, yet the board file "
            "(a shared text file) still holds who gave which dot"
        ),
    ),
    (EXPERIMENT_MARK, N_("the experiment is written down (we believe … we are right if)")),
    (LEARNING_MARK, N_("the learning is written down (we observed … decision)")),
    (N_("archived"), N_("an archived card (shown with a); d restores it")),
    (CONFLICT_MARK, N_("a git merge left two values in a field: open the card to choose")),
    ("▌", N_("the selected card, drawn in reverse")),
)

FILTER = (
    (
        N_("words"),
        N_("cards whose text, tags or people contain every word (case and accents aside)"),
    ),
    (N_("#tag"), N_("cards with a matching tag")),
    (N_("@person"), N_("cards co-created by a matching member (key or name)")),
    ("@internal", N_("cards co-created by someone internal (@external: external)")),
    ("n", N_("a card added while filtering stays shown until the filter changes")),
    ("escape", N_("clears the filter")),
)


class HelpScreen(ModalScreen[None]):
    """The keys of the screen below, grouped by action, with the card legend."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", _("Close"), id="help.close"),
    ]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.key_rows = rows
        """(keys, what they do), in the order shown."""

    @staticmethod
    def rows(screen: Screen[Any]) -> list[tuple[str, str]]:
        """The keys active on `screen` now, one row per action."""
        found: dict[tuple[int, str], tuple[Binding, list[str]]] = {}
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.id is None or binding.system:
                continue  # Textual's own keys (tab, copy, ...) are not the board's
            entry = found.setdefault((id(active.node), binding.action), (binding, []))
            entry[1].append(key_name(screen.app, binding))
        rows = [
            (" / ".join(dict.fromkeys(keys)), binding.tooltip or binding.description)
            for binding, keys in found.values()
        ]
        palette = screen.app.get_key_display(Binding(screen.app.COMMAND_PALETTE_BINDING, ""))
        rows.append((palette, _("Command palette: find any action by name")))
        return rows

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(_("Keys"), classes="dialog-title")
            with VerticalScroll():
                yield Static(self._table(self.key_rows))
                yield Label(_("On a card"), classes="group")
                yield Static(self._table([(_(sign), _(what)) for sign, what in LEGEND]))
                yield Label(_("Filter ( / )"), classes="group")
                yield Static(self._table([(_(typed), _(what)) for typed, what in FILTER]))
                yield Static(
                    Text(
                        _("Every change is saved at once. ctrl+p finds any action by name."),
                        style="italic",
                    )
                )
        yield KeyBar()

    @staticmethod
    def _table(rows: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for keys, what in rows:
            table.add_row(keys, what)
        return table

    def action_close(self) -> None:
        self.dismiss(None)

"""The key bar: one line at the bottom showing the keys that work right now.

It does what Textual's `Footer` does for our needs, as a single widget: the
`Footer` rebuilds one child widget per key whenever the focus or the bindings
change, which costs tens of milliseconds per key press on a slow machine — too
much for a board where every arrow key moves the focus. The key bar redraws one
line, and only when its text changes. Keys disabled right now (`check_action`
returning None) are dimmed; hidden ones (False) are left out.

The line never cuts a word: when the keys do not all fit, whole items are left
out, the least important first — the palette key, then the actions a screen lists
last in its `KEY_PRIORITY` (actions it does not list go before those it does). The
`?` help shows every key. A screen may also name an action by what it does right
now (`d` "Restore" on an archived card) with a `key_description(binding)` method, and
leave a key out of the bar with `key_shown(binding)` (a facilitator's key, for others).

A screen with a `key_note()` method has what it returns (e.g. "dots left: 2 of 3" while
a vote round is open) at the bar's left end, before the keys: the room it takes is
taken from the keys, so the note stays when room is short.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ...i18n import _

GAP = 2
"""Cells between two items."""
PADDING = 1
"""Cells left blank at each end of the bar (its CSS padding)."""


class KeyBar(Static):
    """The keys of the focused widget and its screen, with what they do."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $footer-background;
        color: $footer-foreground;
        text-wrap: nowrap;
    }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False)
        self._shown: tuple[int, str | None, list[tuple[str, str, bool]]] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self.update_keys)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self, event: events.Resize) -> None:
        self.update_keys()

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if screen is self.screen:
            self.update_keys()

    def entries(self) -> list[tuple[str, str, bool]]:
        """(keys, description, enabled) for each key shown, in binding order."""
        return [(keys, text, enabled) for keys, text, enabled, _ in self._entries()]

    def _entries(self) -> list[tuple[str, str, bool, list[str]]]:
        """Each item: keys, description, enabled, and the actions it stands for."""
        found: dict[object, tuple[list[str], str, list[bool], list[str]]] = {}
        taken: set[tuple[object, str]] = set()
        for active in self.screen.active_bindings.values():
            binding: Binding = active.binding
            if not binding.show or active.node is self.app:
                continue
            shown: Callable[[Binding], bool] | None = getattr(active.node, "key_shown", None)
            if shown is not None and not shown(binding):
                continue  # not this person's key (a facilitator's): the palette has it
            group = binding.group
            slot: object = group if group is not None else (id(active.node), binding.action)
            if group is not None:
                description = group.description
            else:
                describe: Callable[[Binding], str | None] | None = getattr(
                    active.node, "key_description", None
                )
                description = (describe(binding) if describe else None) or binding.description
            keys, _, enabled, actions = found.setdefault(slot, ([], description, [], []))
            if (slot, binding.action) in taken:
                continue  # the action's other keys are in the help
            taken.add((slot, binding.action))
            keys.append(short_key(self.app.get_key_display(binding)))
            enabled.append(active.enabled)
            actions.append(binding.action)
        return [
            (("" if group_compact(slot) else " ").join(keys), text, any(enabled), actions)
            for slot, (keys, text, enabled, actions) in found.items()
        ]

    def update_keys(self) -> None:
        """Redraw the bar if the keys, their state or the room for them changed."""
        entries = self._entries()
        palette = self.app.get_key_display(Binding(self.app.COMMAND_PALETTE_BINDING, ""))
        items = [(keys, text, enabled) for keys, text, enabled, _ in entries]
        items.append((palette, _("palette"), True))
        ranks = [
            *(rank(actions, getattr(self.screen, "KEY_PRIORITY", ())) for *_, actions in entries),
            len(entries) + 10_000,  # the palette goes first: `?` and the help name it
        ]
        room = self.size.width - 2 * PADDING if self.size.width else 10_000
        note_of: Callable[[], str | None] | None = getattr(self.screen, "key_note", None)
        note = note_of() if note_of is not None else None
        keys_room = room - (cell_len(note) + GAP if note else 0)
        shown = [items[index] for index in fitting(items, ranks, keys_room)]
        if self._shown == (room, note, shown):
            return
        self._shown = (room, note, shown)
        parts = [Content.assemble((note, "bold reverse"), " " * GAP)] if note else []
        parts += [
            Content.assemble(
                ("  " if number else "", ""),
                (keys, "bold" if enabled else "dim"),
                " ",
                (text, "" if enabled else "dim"),
            )
            for number, (keys, text, enabled) in enumerate(shown)
        ]
        self.update(Content.assemble(*parts))


def short_key(display: str) -> str:
    """A key as the bar shows it: "shift+→" is "⇧→" (the help spells keys out in full)."""
    return display.replace("shift+", "⇧")


def item_width(item: tuple[str, str, bool]) -> int:
    keys, text, _ = item
    return cell_len(keys) + 1 + cell_len(text)


def rank(actions: Sequence[str], priority: Sequence[str]) -> int:
    """How soon an item is left out when room is short: higher goes sooner.

    Actions the screen lists come in its order (its first is kept longest); the others
    rank after them, so an unlisted item goes before any listed one.
    """
    ranks = [priority.index(action) for action in actions if action in priority]
    return min(ranks) if ranks else len(priority) + 1


def fitting(items: Sequence[tuple[str, str, bool]], ranks: Sequence[int], room: int) -> list[int]:
    """The indexes of the items that fit in `room` cells, in order, least ranked left out.

    Among items of equal rank the rightmost goes first.
    """
    kept = list(range(len(items)))

    def width() -> int:
        return sum(item_width(items[i]) for i in kept) + GAP * max(len(kept) - 1, 0)

    while kept and width() > room:
        drop = max(kept, key=lambda i: (ranks[i], i))
        kept.remove(drop)
    return kept


def group_compact(slot: object) -> bool:
    return isinstance(slot, Binding.Group) and slot.compact

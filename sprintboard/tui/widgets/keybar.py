"""The key bar: one line at the bottom showing the keys that work right now.

It does what Textual's `Footer` does for our needs, as a single widget: the
`Footer` rebuilds one child widget per key whenever the focus or the bindings
change, which costs tens of milliseconds per key press on a slow machine — too
much for a board where every arrow key moves the focus. The key bar redraws one
line, and only when its text changes. Keys disabled right now (`check_action`
returning None) are dimmed; hidden ones (False) are left out.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static


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
        text-overflow: ellipsis;
    }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False)
        self._shown: list[tuple[str, str, bool]] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self.update_keys)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if screen is self.screen:
            self.update_keys()

    def entries(self) -> list[tuple[str, str, bool]]:
        """(keys, description, enabled) for each key shown, in binding order."""
        found: dict[object, tuple[list[str], str, list[bool]]] = {}
        taken: set[tuple[object, str]] = set()
        for active in self.screen.active_bindings.values():
            binding: Binding = active.binding
            if not binding.show or active.node is self.app:
                continue
            group = binding.group
            slot: object = group if group is not None else (id(active.node), binding.action)
            description = group.description if group is not None else binding.description
            keys, _, enabled = found.setdefault(slot, ([], description, []))
            if (slot, binding.action) in taken:
                continue  # the action's other keys are in the help
            taken.add((slot, binding.action))
            keys.append(self.app.get_key_display(binding))
            enabled.append(active.enabled)
        return [
            (("" if group_compact(slot) else " ").join(keys), description, any(enabled))
            for slot, (keys, description, enabled) in found.items()
        ]

    def update_keys(self) -> None:
        """Redraw the bar if the keys or their state changed."""
        entries = self.entries()
        if entries == self._shown:
            return
        self._shown = entries
        parts: list[Content | str | tuple[str, str]] = []
        for keys, description, enabled in entries:
            parts.append(
                Content.assemble(
                    (keys, "bold" if enabled else "dim"),
                    " ",
                    (description, "" if enabled else "dim"),
                    "  ",
                )
            )
        palette = self.app.get_key_display(Binding(self.app.COMMAND_PALETTE_BINDING, ""))
        parts.append(Content.assemble((palette, "bold"), " palette"))
        self.update(Content.assemble(*parts))


def group_compact(slot: object) -> bool:
    return isinstance(slot, Binding.Group) and slot.compact

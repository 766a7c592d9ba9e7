"""The command palette's board commands: every key of the board, found by name.

The commands are made from the key bindings themselves (screen and column), so a
new binding is in the palette without more code, and each command shows the key
it is on now (after the user's keymap).
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from rich.align import Align
from rich.text import Text
from textual.app import App
from textual.binding import Binding
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.widgets.option_list import Option

from ..i18n import _
from .textual_words import WORDS


def key_name(app: App[Any], binding: Binding) -> str:
    """How to show the key of `binding` (its own key, even when the footer shows another)."""
    return app.get_key_display(replace(binding, key_display=None))


class BoardCommands(Provider):
    """Board actions for the command palette of a board screen."""

    def _commands(self) -> list[tuple[str, str, Any]]:
        """(title, help, callback) for each action the board offers right now, by title."""
        found: dict[tuple[int, str], tuple[DOMNode, Binding, list[str]]] = {}
        for active in self.screen.active_bindings.values():
            binding: Binding = active.binding
            node = active.node
            if node is self.app or not active.enabled:
                continue
            entry = found.setdefault((id(node), binding.action), (node, binding, []))
            entry[2].append(key_name(self.app, binding))
        commands = [
            (
                binding.tooltip or binding.description,
                _("key: {keys}").format(keys=_(" or ").join(dict.fromkeys(keys))),
                partial(self.app.run_action, binding.action, node),
            )
            for node, binding, keys in found.values()
        ]
        return sorted(commands, key=lambda command: command[0])

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


class Palette(CommandPalette):
    """Textual's command palette, its own words (placeholder, "No matches found") in the
    language in force. `placeholder`: one of `WORDS`, in English."""

    # not translated: the key of `WORDS`, in English
    def __init__(self, *args: Any, placeholder: str = "Search for commands…", **kw: Any) -> None:
        super().__init__(*args, placeholder=_(WORDS.get(placeholder, placeholder)), **kw)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own, but for the text: it is written inside this method
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(_(WORDS["No matches found"]), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)

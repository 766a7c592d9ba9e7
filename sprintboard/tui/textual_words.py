"""Textual's own words that a person sees in the app, marked for translation here.

Textual writes them in English in its source: the palette's system commands, the
description of its quit key and of the palette's key, the palette's placeholder and
its "No matches found". The app hands them to Textual translated (`app`, `commands`).
The keys are Textual's exact text, so a test can check them against Textual's source
and fail when an upgrade changes one.
"""

from __future__ import annotations

from ..i18n import N_

# not translated: the keys, Textual's own text, are what is looked up
SYSTEM_COMMANDS = {
    "Theme": N_("Theme"),
    "Change the current theme": N_("Change the current theme"),
    "Quit": N_("Quit"),
    "Quit the application as soon as possible": N_("Quit the application as soon as possible"),
    "Keys": N_("Keys"),
    "Hide the keys and widget help panel": N_("Hide the keys and widget help panel"),
    "Show help for the focused widget and a summary of available keys": N_(
        "Show help for the focused widget and a summary of available keys"
    ),
    "Minimize": N_("Minimize"),
    "Minimize the widget and restore to normal size": N_(
        "Minimize the widget and restore to normal size"
    ),
    "Maximize": N_("Maximize"),
    "Maximize the focused widget": N_("Maximize the focused widget"),
}
"""The title and help of each of Textual's palette commands (`App.get_system_commands`)."""

# not translated: the keys, Textual's own text, are what is looked up
WORDS = {
    "Quit": N_("Quit"),
    "Quit the app and return to the command prompt.": N_(
        "Quit the app and return to the command prompt."
    ),
    "palette": N_("palette"),
    "Open the command palette": N_("Open the command palette"),
    "Search for commands…": N_("Search for commands…"),
    "Search for themes…": N_("Search for themes…"),
    "No matches found": N_("No matches found"),
}
"""The rest: the quit key's and the palette key's descriptions (`App.BINDINGS`,
`App.__init__`), the palettes' placeholders and their empty result (`CommandPalette`)."""

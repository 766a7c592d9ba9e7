"""Text a person reads, ready for translation (see the README, "Translations").

- `language`: the language in force and the functions every such string passes —
  `_`, `ngettext`, `N_` and `use`, re-exported here because every module imports
  them (`from ..i18n import _, ngettext, N_`).
- `extract`: builds the message catalogue template `sprintboard/locale/sprintboard.pot`
  from the package's source (`python -m sprintboard.i18n.extract`); a development
  tool, never imported by the program itself.
"""

from .language import N_, _, current, ngettext, use

__all__ = ["N_", "_", "current", "ngettext", "use"]
